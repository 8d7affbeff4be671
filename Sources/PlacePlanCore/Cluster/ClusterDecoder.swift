import Yams

/// parse → validate: turns the text of a cluster file into a `Cluster`, or every problem at once.
public enum ClusterDecoder {
    static let topFields = ["name", "profile", "hosts", "models", "olol", "proxy_port"]
    static let hostFields = ["name", "address", "preset", "unified_memory", "gpu_wired_limit", "bandwidth", "reserve",
                             "models_dir", "base_port", "olol_base_port", "labels", "instances", "gpus", "ollama_store"]
    static let gpuFields = ["name", "vram", "bandwidth", "count", "preset"]
    static let instanceFields = ["port", "capacity", "gpu"]
    static let modelFields = ["name", "arch", "params", "quants", "sizes", "footprints", "gguf", "pull", "ctx", "parallel",
                              "priority", "required", "replicas", "spread", "on", "avoid", "system", "template", "parameters"]

    /// Decodes `text` read from `file` (the name used in messages). `ggufReader` reads a local GGUF
    /// header when a model names one that exists (nil: not present here, e.g. on the Mac to be planned).
    public static func decode(_ text: String, file: String, ggufReader: (String) throws -> GGUFFacts? = { _ in nil }) throws -> Cluster {
        let root = try TextParser.parse(text, file: file)
        var r = NodeReader(file: file)
        guard let top = r.mapping(root, "", known: topFields, what: "a cluster file") else { throw InvalidInput(r.diagnostics) }

        var name = "cluster"
        if let n = top["name"], let s = r.string(n, "name") {
            if isSafeName(s) { name = s } else { r.error(n, "name", "must use only letters, digits, '.', '_' and '-' (got \"\(s)\")", fix: "it is used in file names; e.g. name: studio-lab") }
        } else if top["name"] == nil {
            r.error(root, "name", "is missing", fix: "add `name: my-cluster` at the top")
        }
        let profile = top["profile"].flatMap { r.string($0, "profile") }
        let olol = top["olol"].flatMap { r.bool($0, "olol") } ?? false
        let proxyPort = top["proxy_port"].flatMap { r.int($0, "proxy_port", range: 1...65535, example: "8000") }

        var hosts: [Cluster.Host] = []
        if let hn = top["hosts"], let items = r.sequence(hn, "hosts", what: "hosts") {
            if items.isEmpty { r.error(hn, "hosts", "is empty", fix: "list at least one host with unified_memory or gpus") }
            for (i, h) in items.enumerated() { if let host = decodeHost(h, "hosts[\(i)]", &r) { hosts.append(host) } }
        } else if top["hosts"] == nil {
            r.error(root, "hosts", "is missing", fix: "add a `hosts:` list (see SPEC §1)")
        }
        var seenHosts: [String: Int] = [:]
        for (i, h) in hosts.enumerated() {
            if let j = seenHosts[h.name] { r.error(nil, "hosts[\(i)].name", "repeats the host name \"\(h.name)\" of hosts[\(j)]", fix: "give every host a unique name") }
            else { seenHosts[h.name] = i }
        }

        var models: [Cluster.Model] = []
        var modelIndex: [Int] = []
        if let mn = top["models"], let items = r.sequence(mn, "models", what: "models") {
            for (i, m) in items.enumerated() { if let model = decodeModel(m, "models[\(i)]", &r, ggufReader) { models.append(model); modelIndex.append(i) } }
        } else if top["models"] == nil {
            r.error(root, "models", "is missing", fix: "add a `models:` list (see SPEC §1)")
        }
        var seenModels: [String: Int] = [:]
        for (k, m) in models.enumerated() {
            let i = modelIndex[k]
            if let j = seenModels[m.name] { r.error(nil, "models[\(i)].name", "repeats the model name \"\(m.name)\" of models[\(j)]", fix: "give every model a unique name (replicas: N asks for copies)") }
            else { seenModels[m.name] = i }
        }
        if !r.diagnostics.isEmpty { throw InvalidInput(r.diagnostics) }
        return Cluster(name: name, profile: profile, hosts: hosts, models: models, olol: olol, proxyPort: proxyPort, warnings: r.warnings, locations: r.locations)
    }

    /// `[A-Za-z0-9._-]+` (SPEC §1): safe in file names and shell words.
    public static func isSafeName(_ s: String) -> Bool {
        !s.isEmpty && s.count <= 128 && s != "." && s != ".." && s.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)) }
    }

    /// Ollama model names: `[namespace/]model[:tag]` of letters, digits, `._-`, at most one colon.
    public static func isModelName(_ s: String) -> Bool {
        guard !s.isEmpty, s.count <= 200, s.filter({ $0 == ":" }).count <= 1, let first = s.unicodeScalars.first,
              CharacterSet.alphanumerics.contains(first) else { return false }
        return s.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-:/".unicodeScalars.contains($0)) }
    }

    static func hasControl(_ s: String) -> Bool { s.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7f } }

    // MARK: - Hosts

    static func decodeHost(_ node: Node, _ p: String, _ r: inout NodeReader) -> Cluster.Host? {
        guard let f = r.mapping(node, p, known: hostFields, what: "a host") else { return nil }
        var ok = true
        var name = ""
        if let n = f["name"], let s = r.string(n, "\(p).name") {
            if isSafeName(s) { name = s } else { ok = false; r.error(n, "\(p).name", "must use only letters, digits, '.', '_' and '-' (got \"\(s)\")", fix: "host names become file names, e.g. name: mac") }
        } else { ok = false; if f["name"] == nil { r.error(node, "\(p).name", "is missing", fix: "add `name: mac`") } }
        var address = "127.0.0.1"
        if let a = f["address"], let s = r.string(a, "\(p).address") {
            if s.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || ".-:[]".unicodeScalars.contains($0)) }) { address = s }
            else { ok = false; r.error(a, "\(p).address", "must be an IP address or host name (got \"\(s)\")", fix: "e.g. address: 10.0.0.100") }
        }
        var preset: Presets.Unified?
        let presetName = f["preset"].flatMap { r.string($0, "\(p).preset") }
        if let pn = presetName {
            preset = Presets.unified(pn)
            if preset == nil {
                ok = false
                r.error(f["preset"], "\(p).preset", "is not a known hardware preset (got \"\(pn)\")",
                        fix: suggestion(for: pn, among: Presets.unified.map(\.id)).map { "did you mean `\($0)`?" } ?? "use unified_memory/gpus, or one of: \(Presets.unified.map(\.id).joined(separator: ", "))")
            }
        }
        let unified = f["unified_memory"].flatMap { r.size($0, "\(p).unified_memory", example: "128 GiB") }
        if let u = unified, let n = decimalMacSize(u) {
            r.warn(f["unified_memory"], "\(p).unified_memory",
                   "is \(n) GB = \(n) × 10^9 bytes (\(Units.gib(u))); a Mac sold as \"\(n) GB\" has \(n) GiB, as macOS and Ollama count it",
                   fix: "did you mean `unified_memory: \(n) GiB`? (or use a preset such as mac-studio-m2-ultra-192)")
        }
        var gpus: [Cluster.GPU]?
        if let gn = f["gpus"], let items = r.sequence(gn, "\(p).gpus", what: "GPUs") {
            var list: [Cluster.GPU] = []
            if items.isEmpty { ok = false; r.error(gn, "\(p).gpus", "is empty", fix: "list the cards, e.g. - {name: RTX A4000, vram: 16 GiB}") }
            for (i, g) in items.enumerated() {
                let gp = "\(p).gpus[\(i)]"
                guard let gf = r.mapping(g, gp, known: gpuFields, what: "a GPU") else { ok = false; continue }
                let gname = gf["name"].flatMap { r.string($0, "\(gp).name") } ?? gf["preset"].flatMap { r.string($0, "\(gp).preset") } ?? "GPU"
                if hasControl(gname) { ok = false; r.error(gf["name"], "\(gp).name", "must not contain control characters") }
                let card = Presets.card(gf["preset"].flatMap { r.string($0, "\(gp).preset") } ?? gname)
                var vram = gf["vram"].flatMap { r.size($0, "\(gp).vram", example: "24 GiB") }
                if vram == nil, gf["vram"] == nil {
                    if let card { vram = card.vram }
                    else { ok = false; r.error(g, "\(gp).vram", "is missing and \"\(gname)\" is not a known card", fix: "write the card's memory, e.g. vram: 24 GiB") }
                }
                let bw = gf["bandwidth"].flatMap { bandwidth($0, "\(gp).bandwidth", &r) } ?? card?.bandwidthGBps
                let count = gf["count"].flatMap { r.int($0, "\(gp).count", range: 1...64, example: "4") } ?? 1
                if let vram { for _ in 0..<count { list.append(.init(name: gname, vram: vram, bandwidthGBps: bw)) } } else { ok = false }
            }
            gpus = list
        }
        let memory: Cluster.Memory
        switch (unified ?? preset?.memory, gpus) {
        case (let u?, nil): memory = .unified(u)
        case (nil, let g?): memory = .gpus(g)
        case (_?, _?):
            r.error(node, p, "has both unified memory and gpus", fix: "a host is either unified (Apple Silicon) or has discrete GPUs; split it into two hosts")
            return nil
        case (nil, nil):
            if f["unified_memory"] == nil && f["gpus"] == nil && presetName == nil {
                r.error(node, "\(p).unified_memory", "is missing (and no gpus or preset)", fix: "add unified_memory: 128 GiB, or a gpus: list, or preset: mac-studio-m2-ultra-192")
            }
            return nil
        }
        let bw = f["bandwidth"].flatMap { bandwidth($0, "\(p).bandwidth", &r) } ?? preset?.bandwidthGBps
        let reserve = f["reserve"].flatMap { r.size($0, "\(p).reserve", example: "16 GiB", allowZero: true) }
        let wired = f["gpu_wired_limit"].flatMap { r.size($0, "\(p).gpu_wired_limit", example: "96 GiB") }
        if case .gpus = memory, f["gpu_wired_limit"] != nil { ok = false; r.error(f["gpu_wired_limit"], "\(p).gpu_wired_limit", "applies only to unified-memory hosts", fix: "remove it, or use unified_memory") }
        var modelsDir: String?
        if let d = f["models_dir"], let s = r.string(d, "\(p).models_dir") {
            if hasControl(s) { ok = false; r.error(d, "\(p).models_dir", "must not contain control characters such as newlines", fix: "write the directory on one line") }
            else { modelsDir = s }
        }
        var store: String?
        if let d = f["ollama_store"], let s = r.string(d, "\(p).ollama_store") {
            if hasControl(s) { ok = false; r.error(d, "\(p).ollama_store", "must not contain control characters such as newlines") } else { store = s }
        }
        let basePort = f["base_port"].flatMap { r.int($0, "\(p).base_port", range: 1...65535, example: "11434") } ?? 11434
        let ololBase = f["olol_base_port"].flatMap { r.int($0, "\(p).olol_base_port", range: 1...65535, example: "50051") } ?? 50051
        var labels: [String] = []
        if let l = f["labels"], let ls = r.stringList(l, "\(p).labels", what: "labels") {
            for (i, s) in ls.enumerated() where !isSafeName(s) { ok = false; r.error(l, "\(p).labels[\(i)]", "must use only letters, digits, '.', '_' and '-' (got \"\(s)\")") }
            labels = Array(Set(ls)).sorted()
        }
        var instances: [Cluster.InstanceSpec]?
        if let inode = f["instances"], let items = r.sequence(inode, "\(p).instances", what: "instances") {
            var list: [Cluster.InstanceSpec] = []
            if items.isEmpty { ok = false; r.error(inode, "\(p).instances", "is empty", fix: "remove it to use the profile's split, or list {port, capacity}") }
            for (i, it) in items.enumerated() {
                let ip = "\(p).instances[\(i)]"
                guard let inf = r.mapping(it, ip, known: instanceFields, what: "an instance") else { ok = false; continue }
                let port = inf["port"].flatMap { r.int($0, "\(ip).port", range: 1...65535, example: "11434") }
                let gpu = inf["gpu"].flatMap { r.int($0, "\(ip).gpu", range: 0...63, example: "0") }
                guard let cap = inf["capacity"].flatMap({ r.size($0, "\(ip).capacity", example: "25 GB") }) else {
                    ok = false
                    if inf["capacity"] == nil { r.error(it, "\(ip).capacity", "is missing", fix: "give the instance's memory, e.g. capacity: 25 GB") }
                    continue
                }
                if let gpu, case .gpus(let g) = memory, gpu >= g.count { ok = false; r.error(inf["gpu"], "\(ip).gpu", "is \(gpu) but the host has \(g.count) GPU(s)", fix: "use an index from 0 to \(g.count - 1)") }
                if gpu != nil, case .unified = memory { ok = false; r.error(inf["gpu"], "\(ip).gpu", "applies only to hosts with gpus", fix: "remove it") }
                list.append(.init(port: port, capacity: cap, gpu: gpu))
            }
            instances = list
        }
        guard ok else { return nil }
        return Cluster.Host(name: name, address: address, preset: presetName, memory: memory, bandwidthGBps: bw, reserve: reserve,
                            modelsDir: modelsDir, basePort: basePort, ololBasePort: ololBase, labels: labels, instances: instances, gpuWiredLimit: wired, ollamaStore: store)
    }

    /// Memory sizes Apple sells, in GiB ("192 GB" on apple.com is 192 GiB).
    public static let macMemorySizes: [Int64] = [8, 16, 18, 24, 32, 36, 48, 64, 96, 128, 192, 256, 512]

    /// n when `bytes` is exactly n × 10^9 for a memory size Apple sells: probably meant as n GiB.
    static func decimalMacSize(_ bytes: Int64) -> Int64? {
        macMemorySizes.first { $0 * Units.GB == bytes }
    }

    static func bandwidth(_ node: Node, _ p: String, _ r: inout NodeReader) -> Double? {
        guard let s = r.string(node, p) else { return nil }
        guard let v = Units.parseBandwidth(s), v > 0, v < 1_000_000 else {
            r.error(node, p, "must be a bandwidth such as \"800 GB/s\" (got \"\(s)\")", fix: "write GB/s with the unit"); return nil
        }
        return v
    }

    // MARK: - Models

    static func decodeModel(_ node: Node, _ p: String, _ r: inout NodeReader, _ ggufReader: (String) throws -> GGUFFacts?) -> Cluster.Model? {
        guard let f = r.mapping(node, p, known: modelFields, what: "a model") else { return nil }
        var ok = true
        guard let nameNode = f["name"], let name = r.string(nameNode, "\(p).name") else {
            if f["name"] == nil { r.error(node, "\(p).name", "is missing", fix: "add the tag clients ask for, e.g. name: llama3:70b") }
            return nil
        }
        if !isModelName(name) {
            r.error(nameNode, "\(p).name", "is not a valid Ollama model name (got \"\(name)\")",
                    fix: "use letters, digits and . _ - / with at most one ':' (e.g. llama3:70b); spaces, quotes and shell characters are not allowed")
            return nil
        }
        let arch = f["arch"].flatMap { r.string($0, "\(p).arch") }
        if let a = arch, Catalog.lookup(a) == nil {
            ok = false
            r.error(f["arch"], "\(p).arch", "is not a built-in architecture (got \"\(a)\")",
                    fix: suggestion(for: a, among: Catalog.entries.map(\.shape.id)).map { "did you mean `\($0)`?" } ?? "one of: \(Catalog.entries.map(\.shape.id).joined(separator: ", "))")
        }
        var params: Int64?
        if let pn = f["params"], let s = r.string(pn, "\(p).params") {
            if let v = Units.parseParams(s), v > 0, v < 100_000_000_000_000 { params = v } else { ok = false; r.error(pn, "\(p).params", "must be a parameter count such as \"70.6B\" (got \"\(s)\")") }
        }
        var quants: [Quant]?
        if let qn = f["quants"], let qs = r.stringList(qn, "\(p).quants", what: "quants") {
            var list: [Quant] = []
            for (i, q) in qs.enumerated() {
                if let v = Quant(parsing: q) { if !list.contains(v) { list.append(v) } }
                else { ok = false; r.error(qn, "\(p).quants[\(i)]", "is not a known quantization (got \"\(q)\")", fix: unknownQuantFix(q)) }
            }
            if list.isEmpty && qs.isEmpty { ok = false; r.error(qn, "\(p).quants", "is empty", fix: "list at least one, e.g. [q4_K_M]") }
            quants = list
        }
        let sizes = quantSizes(f["sizes"], "\(p).sizes", &r, &ok)
        let footprints = quantSizes(f["footprints"], "\(p).footprints", &r, &ok)
        var gguf: String?
        if let g = f["gguf"], let s = r.string(g, "\(p).gguf") {
            if hasControl(s) { ok = false; r.error(g, "\(p).gguf", "must not contain control characters such as newlines") } else { gguf = s }
        }
        let pull = f["pull"].flatMap { r.string($0, "\(p).pull") }
        if let pl = pull, !isModelName(pl) { ok = false; r.error(f["pull"], "\(p).pull", "is not a valid Ollama tag (got \"\(pl)\")", fix: "e.g. pull: llama3:70b-instruct-q4_K_M") }
        let ctx = f["ctx"].flatMap { r.int($0, "\(p).ctx", range: 1...10_485_760, example: "8192") }
        let parallel = f["parallel"].flatMap { r.int($0, "\(p).parallel", range: 1...256, example: "1") }
        let priority = f["priority"].flatMap { r.int($0, "\(p).priority", range: 1...1_000_000, example: "10") } ?? 1
        let required = f["required"].flatMap { r.bool($0, "\(p).required") } ?? false
        let replicas = f["replicas"].flatMap { r.int($0, "\(p).replicas", range: 1...1024, example: "2") } ?? 1
        var spread = false
        if let sn = f["spread"], let s = r.string(sn, "\(p).spread") {
            if s == "host" { spread = true } else if s != "instance" { ok = false; r.error(sn, "\(p).spread", "must be `host` (got \"\(s)\")", fix: "spread: host puts every copy on a different host") }
        }
        let on = f["on"].flatMap { r.stringList($0, "\(p).on", what: "labels") } ?? []
        let avoid = f["avoid"].flatMap { r.stringList($0, "\(p).avoid", what: "labels") } ?? []
        var alterations: [String] = []
        // Ollama's Modelfile parser drops non-printable runes (ModelfileText): drop them here and say so.
        func kept(_ field: String, _ value: String?) -> String? {
            guard let value else { return nil }
            let (text, dropped) = ModelfileText.printable(value)
            if !dropped.isEmpty { alterations.append("\(name): \(field) had \(dropped.count) character(s) Ollama's Modelfile parser drops (\(ModelfileText.describe(dropped))); removed") }
            let (written, altered) = ModelfileText.representable(text)
            if altered { alterations.append("\(name): \(field) has a line ending in \"\"\" and another ending in \": no Modelfile quoting holds both, so each \"\"\" was written as \"\" \"") }
            return written
        }
        let system = kept("system", f["system"].flatMap { r.string($0, "\(p).system", allowEmpty: true) })
        let template = kept("template", f["template"].flatMap { r.string($0, "\(p).template", allowEmpty: true) })
        var parameters: [String: [String]] = [:]
        if let pn = f["parameters"] {
            if case .mapping(let m) = pn {
                for (k, v) in m {
                    guard case .scalar(let ks) = k else { continue }
                    let key = ks.string
                    let kp = "\(p).parameters.\(key)"
                    guard !key.isEmpty, key.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "_") }) else {
                        ok = false; r.error(k, kp, "is not a Modelfile parameter name", fix: "use names like temperature, top_p, stop"); continue
                    }
                    if key == "num_ctx" { ok = false; r.error(k, kp, "is set by placeplan from ctx", fix: "write ctx: N on the model instead"); continue }
                    if OllamaParameters.deprecated.contains(key) {
                        alterations.append("\(name): parameter \(key) is deprecated and ignored by Ollama (api/types.go); left out of the Modelfile")
                        continue
                    }
                    guard let kind = OllamaParameters.table[key] else {
                        ok = false
                        let known = OllamaParameters.table.keys.sorted()
                        let hint = suggestion(for: key, among: known).map { "did you mean `\($0)`? " } ?? ""
                        r.error(k, kp, "is not a parameter Ollama knows (`ollama create` fails with \"unknown parameter '\(key)'\")",
                                fix: hint + "one of: " + known.joined(separator: ", "))
                        continue
                    }
                    var values: [String] = []
                    switch v {
                    case .scalar(let s): values = [s.string]
                    case .sequence(let s) where kind == .stringList:
                        for it in s { if case .scalar(let x) = it { values.append(x.string) } else { ok = false; r.error(it, kp, "must hold plain values") } }
                    case .sequence: ok = false; r.error(v, kp, "takes one value, not a list (only stop takes a list)")
                    default: ok = false; r.error(v, kp, "must be a value or a list of values")
                    }
                    if values.contains(where: { $0.contains("\n") || $0.contains("\r") }) { ok = false; r.error(v, kp, "must not contain newlines"); continue }
                    var checked: [String] = []
                    for value in values {
                        switch OllamaParameters.check(key, value) {
                        case .ok(let norm):
                            let (text, dropped) = ModelfileText.printable(norm)
                            if !dropped.isEmpty { alterations.append("\(name): parameter \(key) had character(s) Ollama's Modelfile parser drops (\(ModelfileText.describe(dropped))); removed") }
                            if text != value && dropped.isEmpty { alterations.append("\(name): parameter \(key) \"\(value)\" written as \(text), the form Ollama reads") }
                            checked.append(text)
                        case .invalid(let why):
                            ok = false
                            r.error(v, kp, why, fix: kind == .int ? "e.g. \(key): 40" : kind == .bool ? "\(key): true" : "e.g. \(key): 0.7")
                        }
                    }
                    if key == "num_batch", let b = checked.first.flatMap({ Int($0) }), b < 1 || b > 65536 {
                        ok = false; r.error(v, kp, "must be between 1 and 65536 (it is the batch llama.cpp's compute buffer is sized for)", fix: "num_batch: 512"); continue
                    }
                    parameters[key] = checked
                }
            } else { ok = false; r.error(pn, "\(p).parameters", "must be a mapping such as {temperature: 0.7}") }
        }
        var facts: GGUFFacts?
        if let g = gguf {
            do { facts = try ggufReader(g) } catch let e as UnreadableGGUF {
                ok = false
                r.error(f["gguf"], "\(p).gguf", "\"\(g)\" \(e.reason)", fix: "point gguf: at the model's .gguf file, or remove gguf: to size \(name) from the catalog")
            } catch {
                ok = false
                r.error(f["gguf"], "\(p).gguf", "\"\(g)\" cannot be read: \(error)", fix: "point gguf: at the model's .gguf file")
            }
        }
        if let facts, let fq = facts.quant {
            if let qs = quants, !qs.contains(fq) {
                ok = false; r.error(f["quants"], "\(p).quants", "does not include \(fq.rawValue), the quantization of the GGUF file", fix: "remove quants: the file decides (\(fq.rawValue))")
            }
            quants = [fq]
        }
        if let facts, quants?.count == nil { quants = facts.quant.map { [$0] } }
        guard ok else { return nil }
        let model = Cluster.Model(name: name, arch: arch, params: params, quants: quants, sizes: sizes, footprints: footprints, gguf: gguf,
                                  ggufFacts: facts, pull: pull, ctx: ctx, parallel: parallel, priority: priority, required: required,
                                  replicas: replicas, spreadHost: spread, on: on, avoid: avoid, system: system, template: template,
                                  parameters: parameters, modelfileNotes: alterations)
        return model
    }

    static func unknownQuantFix(_ q: String) -> String {
        let names = Quant.allCases.map(\.rawValue)
        if let s = suggestion(for: q, among: names) { return "did you mean `\(s)`?" }
        return "one of: \(names.joined(separator: ", "))"
    }

    static func quantSizes(_ node: Node?, _ p: String, _ r: inout NodeReader, _ ok: inout Bool) -> [Quant: Int64] {
        guard let node else { return [:] }
        guard case .mapping(let m) = node else { ok = false; r.error(node, p, "must map quantizations to sizes, e.g. {q8_0: 75 GB}"); return [:] }
        var out: [Quant: Int64] = [:]
        for (k, v) in m {
            guard case .scalar(let ks) = k else { continue }
            guard let q = Quant(parsing: ks.string) else { ok = false; r.error(k, "\(p).\(ks.string)", "is not a known quantization", fix: unknownQuantFix(ks.string)); continue }
            if let s = r.size(v, "\(p).\(ks.string)", example: "43 GB") { out[q] = s } else { ok = false }
        }
        return out
    }
}

import Foundation
