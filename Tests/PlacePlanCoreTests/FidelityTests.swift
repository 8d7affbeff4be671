import Foundation
import Testing
@testable import PlacePlanCore

/// What the plan says is what Ollama will really allocate and read (issue 14): context cut to the
/// trained context, the batch pinned, projectors counted, parameters typed as `ollama create`
/// types them, characters Ollama's parser drops removed, every copy's own source.
@Suite struct FidelityTests {
    func plan(_ yaml: String, reader: @escaping (String) throws -> GGUFFacts? = { _ in nil }) throws -> Planner.Result {
        let c = try ClusterDecoder.decode(yaml, file: "f.yaml", ggufReader: reader)
        return try Planner.plan(c, profile: .standard, file: "f.yaml")
    }

    func diagnostics(_ yaml: String) -> [Diagnostic] {
        do { _ = try ClusterDecoder.decode(yaml, file: "f.yaml"); return [] } catch let e as InvalidInput { return e.diagnostics } catch { return [] }
    }

    @Test func contextAboveTheTrainedContextIsCut() throws {
        // llama3:70b is trained on 8192 tokens: Ollama allocates KV for 8192, not 32768.
        let r = try plan("""
        name: t
        hosts: [{name: mac, unified_memory: 192 GiB}]
        models: [{name: "llama3:70b", quants: [q4_K_M], ctx: 32768}]
        """)
        let info = try #require(r.plan.modelInfo("llama3:70b"))
        #expect(info.ctx == 8192)
        #expect(info.ctx_requested == 32768)
        let copy = try #require(r.plan.placements.first?.model)
        // 2 × 80 layers × 8 KV heads × 128 × 8192 × 2 bytes = 2560 MiB (not 10240 MiB).
        #expect(copy.kv_cache_bytes == 2560 * Units.MiB)
        #expect(r.plan.notes.contains { $0.contains("llama3:70b: ctx 32768 is above its trained context 8192") })
        // Below the trained context nothing changes.
        let s = try plan("""
        name: t
        hosts: [{name: mac, unified_memory: 192 GiB}]
        models: [{name: "llama3:70b", quants: [q4_K_M], ctx: 4096}]
        """)
        #expect(s.plan.modelInfo("llama3:70b")?.ctx == 4096)
        #expect(s.plan.modelInfo("llama3:70b")?.ctx_requested == nil)
    }

    @Test func batchIsPinnedAndSizesTheComputeBuffer() throws {
        let base = """
        name: t
        hosts: [{name: mac, unified_memory: 192 GiB}]
        models: [{name: "llama3.1:8b", quants: [q8_0], ctx: 8192%@}]
        """
        let dflt = try plan(base.replacingOccurrences(of: "%@", with: ""))
        let big = try plan(base.replacingOccurrences(of: "%@", with: ", parameters: {num_batch: 1024}"))
        #expect(dflt.plan.modelInfo("llama3.1:8b")?.num_batch == 512)
        #expect(big.plan.modelInfo("llama3.1:8b")?.num_batch == 1024)
        // num_batch lives in its own field, never twice among the parameters.
        #expect(big.plan.modelInfo("llama3.1:8b")?.parameters["num_batch"] == nil)
        let c0 = try #require(dflt.plan.placements.first?.model.compute_bytes)
        let c1 = try #require(big.plan.placements.first?.model.compute_bytes)
        #expect(c1 > c0, "a 1024 batch needs a larger compute buffer (\(c1) vs \(c0))")
        // The batch never exceeds num_ctx (Ollama: opts.NumBatch = min(opts.NumBatch, opts.NumCtx)).
        let tiny = try plan(base.replacingOccurrences(of: "ctx: 8192%@", with: "ctx: 256, parameters: {num_batch: 1024}"))
        #expect(tiny.plan.modelInfo("llama3.1:8b")?.num_batch == 256)
    }

    @Test func projectorBytesAreInTheFootprint() throws {
        let yaml = """
        name: t
        hosts: [{name: mac, unified_memory: 64 GiB}]
        models: [{name: "llava:7b", gguf: "/models/llava.gguf"}]
        """
        let shape = try #require(Catalog.lookup("mistral:7b")?.shape)
        var facts = GGUFFacts(quant: .q4_K_M, fileBytes: 4_000_000_000, shape: shape)
        facts.projectorBytes = 624_000_000
        let r = try plan(yaml) { _ in facts }
        let copy = try #require(r.plan.placements.first?.model)
        #expect(copy.projector_bytes == 624_000_000)
        #expect(copy.footprint_bytes == copy.weights_bytes + copy.kv_cache_bytes + copy.compute_bytes + 624_000_000)
    }

    @Test func parametersAreTypedAsOllamaCreateTypesThem() throws {
        let r = try plan("""
        name: t
        hosts: [{name: mac, unified_memory: 64 GiB}]
        models: [{name: "mistral:7b", parameters: {top_k: 40.0, temperature: 0.7, stop: ["<|eot|>", "###"], mirostat: 2}}]
        """)
        let p = try #require(r.plan.modelInfo("mistral:7b")?.parameters)
        #expect(p["top_k"] == ["40"])
        #expect(p["temperature"] == ["0.7"])
        #expect(p["stop"] == ["<|eot|>", "###"])
        #expect(p["mirostat"] == nil)
        #expect(r.plan.notes.contains { $0.contains("top_k \"40.0\" written as 40") })
        #expect(r.plan.notes.contains { $0.contains("mirostat is deprecated") })

        let d = diagnostics("""
        name: t
        hosts: [{name: mac, unified_memory: 64 GiB}]
        models:
          - {name: "a", params: 7B, arch: llama3-8b, parameters: {foo_bar: 1}}
          - {name: "b", params: 7B, arch: llama3-8b, parameters: {top_k: 4.5}}
          - {name: "c", params: 7B, arch: llama3-8b, parameters: {temprature: 0.5}}
          - {name: "d", params: 7B, arch: llama3-8b, parameters: {use_mmap: maybe}}
          - {name: "e", params: 7B, arch: llama3-8b, parameters: {temperature: [0.1, 0.2]}}
        """)
        #expect(d.contains { $0.field == "models[0].parameters.foo_bar" && $0.message.contains("unknown parameter 'foo_bar'") })
        #expect(d.contains { $0.field == "models[1].parameters.top_k" && $0.message.contains("whole number") })
        #expect(d.contains { $0.field == "models[2].parameters.temprature" && $0.fix?.contains("temperature") == true })
        #expect(d.contains { $0.field == "models[3].parameters.use_mmap" })
        #expect(d.contains { $0.field == "models[4].parameters.temperature" && $0.message.contains("one value") })
    }

    @Test func charactersOllamasParserDropsAreRemovedAndNoted() throws {
        let r = try plan("""
        name: t
        hosts: [{name: mac, unified_memory: 64 GiB}]
        models: [{name: "mistral:7b", system: "Say \\"hi\\"\\u200B\\nthen\\u00A0stop\\uFEFF\\u00AD."}]
        """)
        let system = try #require(r.plan.modelInfo("mistral:7b")?.system)
        #expect(system == "Say \"hi\"\nthenstop.")
        #expect(r.plan.notes.contains { $0.contains("U+200B") && $0.contains("U+00A0") && $0.contains("U+FEFF") && $0.contains("U+00AD") })
        // Go's strconv.IsPrint keeps letters, marks, numbers, punctuation, symbols and the ASCII space.
        for u: Unicode.Scalar in ["é", "ж", "中", "😀", "€", "—", " ", "\t", "\n"] { #expect(ModelfileText.isKept(u), "\(u)") }
        for u: Unicode.Scalar in ["\u{200B}", "\u{00A0}", "\u{FEFF}", "\u{00AD}", "\u{0007}", "\u{2028}", "\u{3000}"] { #expect(!ModelfileText.isKept(u), "\(u.value)") }
    }

    @Test func onlyCatalogModelsGetADerivedTag() throws {
        let r = try plan("""
        name: t
        hosts: [{name: mac, unified_memory: 64 GiB}]
        models:
          - {name: "hf.co/org/model:q4", params: 7B, arch: llama3-8b, quants: [q4_K_M]}
          - {name: "mistral:7b", quants: [q4_K_M]}
        """)
        let byName = Dictionary(uniqueKeysWithValues: r.plan.placements.map { ($0.model.name, $0.model) })
        #expect(byName["hf.co/org/model:q4"]?.pull == "hf.co/org/model:q4")
        #expect(byName["hf.co/org/model:q4"]?.from == "hf.co/org/model:q4")
        #expect(byName["mistral:7b"]?.pull == "mistral:7b-instruct-q4_K_M")
        #expect(r.plan.notes.contains { $0.contains("hf.co/org/model:q4: not in the built-in catalog") })
    }

    @Test func aFileThatIsNotAGGUFIsAnErrorNamingIt() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("placeplan-fidelity-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let junk = dir.appendingPathComponent("my model.gguf")
        try Data("this is not a GGUF file at all, just text".utf8).write(to: junk)
        let cluster = dir.appendingPathComponent("c.yaml")
        try """
        name: t
        hosts: [{name: mac, unified_memory: 64 GiB}]
        models: [{name: "mine", gguf: "\(junk.path)"}]
        """.write(to: cluster, atomically: true, encoding: .utf8)
        do {
            _ = try ClusterLoader.load(path: cluster.path)
            Issue.record("a garbage gguf: was accepted")
        } catch let e as InvalidInput {
            let d = try #require(e.diagnostics.first { $0.field == "models[0].gguf" })
            #expect(d.message.contains(junk.path))
            #expect(d.message.contains("not a readable GGUF"))
            #expect(d.line == 3)
        }
        // A path that is not on this machine still falls back (planning for another host).
        try """
        name: t
        hosts: [{name: mac, unified_memory: 64 GiB}]
        models: [{name: "mistral:7b", gguf: "/Volumes/elsewhere/mistral.gguf"}]
        """.write(to: cluster, atomically: true, encoding: .utf8)
        #expect(throws: Never.self) { _ = try ClusterLoader.load(path: cluster.path) }
    }

    /// One model, two copies: on two hosts they keep their own quants; on one host (one store,
    /// one manifest per name) they share one.
    @Test func copiesCarryTheirOwnQuantAndShareOnePerHost() throws {
        let twoHosts = try plan("""
        name: t
        hosts:
          - {name: a, unified_memory: 64 GiB, instances: [{port: 11434, capacity: 10 GB}]}
          - {name: b, unified_memory: 64 GiB, instances: [{port: 11434, capacity: 7 GB}]}
        models: [{name: "llama3:8b", replicas: 2, footprints: {q8_0: 9 GB, q4_K_M: 6 GB}, quants: [q8_0, q4_K_M]}]
        """)
        let copies = Dictionary(uniqueKeysWithValues: twoHosts.plan.placements.map { ($0.host.name, $0.model) })
        #expect(copies["a"]?.quant == "q8_0")
        #expect(copies["b"]?.quant == "q4_K_M")
        #expect(copies["a"]?.pull == "llama3:8b-instruct-q8_0")
        #expect(copies["b"]?.pull == "llama3:8b-instruct-q4_K_M")
        #expect(twoHosts.plan.status == .optimal)

        let oneHost = try plan("""
        name: t
        hosts:
          - {name: a, unified_memory: 64 GiB, instances: [{port: 11434, capacity: 10 GB}, {port: 11435, capacity: 7 GB}]}
        models: [{name: "llama3:8b", replicas: 2, footprints: {q8_0: 9 GB, q4_K_M: 6 GB}, quants: [q8_0, q4_K_M]}]
        """)
        #expect(Set(oneHost.plan.placements.map(\.model.quant)) == ["q4_K_M"])
        #expect(Set(oneHost.plan.placements.compactMap(\.model.pull)) == ["llama3:8b-instruct-q4_K_M"])
        #expect(oneHost.plan.status == .feasible)
        #expect(oneHost.plan.objective.quality < oneHost.plan.objective.quality_bound)
        for i in oneHost.plan.hosts[0].instances { #expect(i.used_bytes <= i.capacity_bytes) }
    }
}
