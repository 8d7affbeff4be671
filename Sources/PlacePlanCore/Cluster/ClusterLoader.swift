import Foundation
import GGUF

/// Reads a cluster file from disk (JSON or YAML by extension) and decodes it.
public enum ClusterLoader {
    /// `ggufReader` reads a model's `gguf:` header when the file is on this machine (default: the GGUF module).
    public static func load(path: String, ggufReader: (String) throws -> GGUFFacts? = GGUFFacts.readIfPresent) throws -> Cluster {
        let ext = (path as NSString).pathExtension.lowercased()
        guard ["json", "yaml", "yml"].contains(ext) else {
            throw InvalidInput([Diagnostic(file: path, field: "", message: "has extension \".\(ext)\"; cluster files are .json, .yaml or .yml", fix: "rename the file")])
        }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { throw MissingInput(path: path, reason: "no such file") }
        guard !isDir.boolValue else { throw MissingInput(path: path, reason: "is a directory, not a cluster file") }
        guard let data = FileManager.default.contents(atPath: path) else { throw MissingInput(path: path, reason: "cannot be read (permissions?)") }
        guard data.count <= TextParser.maxBytes else {
            throw InvalidInput([Diagnostic(file: path, field: "", message: "is larger than 32 MiB", fix: "check that this is a cluster file")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InvalidInput([Diagnostic(file: path, field: "", message: "is not UTF-8 text", fix: "save it as UTF-8")])
        }
        if ext == "json" {
            // YAML parsers accept more than JSON; check JSON syntax strictly first for JSON files.
            do { _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) } catch {
                let (line, col) = jsonErrorPosition(error, text: text)
                throw InvalidInput([Diagnostic(file: path, line: line, column: col, field: "", message: "is not valid JSON: \(jsonMessage(error))", fix: "fix the JSON syntax at that position (a missing comma, quote or bracket?)")])
            }
        }
        var cluster = try ClusterDecoder.decode(text, file: path, ggufReader: ggufReader)
        try attachStoreFacts(&cluster, file: path)
        return cluster
    }

    /// Sizes models from the GGUF headers in Ollama stores readable here: a host's `ollama_store:`
    /// (which must exist), or its `models_dir` when that happens to be a store on this machine.
    /// A model already sized by its own `gguf:` keeps it; a store model of another quant than the
    /// model's `quants` allow is not used.
    static func attachStoreFacts(_ cluster: inout Cluster, file: String) throws {
        var facts: [String: GGUFFacts] = [:]
        var hostsWith: [String: [String]] = [:]
        var missing: [Diagnostic] = []
        for (i, h) in cluster.hosts.enumerated() {
            var dirs: [String] = []
            if let s = h.ollamaStore {
                guard OllamaStore.isStore(s) else {
                    missing.append(cluster.diagnostic(file: file, field: "hosts[\(i)].ollama_store", message: "is not an Ollama model store here (\"\(s)\" has no manifests/ and blobs/)", fix: "give the directory OLLAMA_MODELS points to, or remove the field"))
                    continue
                }
                dirs.append(s)
            }
            if let d = h.modelsDir, d != h.ollamaStore, OllamaStore.isStore(d) { dirs.append(d) }
            for e in ModelScanner.scan(dirs) {
                guard let info = e.info else { continue }
                if facts[e.name] == nil {
                    var f = GGUFFacts(info: info)
                    f.projectorBytes = e.projectorBytes
                    f.storeName = e.name
                    facts[e.name] = f
                }
                if !hostsWith[e.name, default: []].contains(h.name) { hostsWith[e.name, default: []].append(h.name) }
            }
        }
        if !missing.isEmpty { throw InvalidInput(missing) }
        guard !facts.isEmpty else { return }
        for m in cluster.models.indices where cluster.models[m].ggufFacts == nil {
            let name = cluster.models[m].name
            guard var f = facts[name] ?? facts[name + ":latest"] else { continue }
            f.storeHosts = (hostsWith[f.storeName ?? name] ?? []).sorted()
            if let q = f.quant, let allowed = cluster.models[m].quants, !allowed.contains(q) { continue }
            cluster.models[m].ggufFacts = f
            if let q = f.quant { cluster.models[m].quants = [q] }
        }
    }

    static func jsonMessage(_ e: Error) -> String {
        let ns = e as NSError
        return (ns.userInfo[NSDebugDescriptionErrorKey] as? String) ?? ns.localizedDescription
    }

    /// Line and column from Foundation's error (it reports a character index or a line).
    static func jsonErrorPosition(_ e: Error, text: String) -> (Int?, Int?) {
        let ns = e as NSError
        if let idx = ns.userInfo["NSJSONSerializationErrorIndex"] as? Int {
            var line = 1, col = 1, i = 0
            for ch in text.utf8 { if i >= idx { break }; if ch == 10 { line += 1; col = 1 } else { col += 1 }; i += 1 }
            return (line, col)
        }
        let msg = jsonMessage(e)
        if let r = msg.range(of: "line "), let n = Int(msg[r.upperBound...].prefix { $0.isNumber }) {
            var col: Int?
            if let c = msg.range(of: "column "), let cn = Int(msg[c.upperBound...].prefix { $0.isNumber }) { col = cn }
            return (n, col)
        }
        return (nil, nil)
    }
}
