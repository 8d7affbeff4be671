import Foundation
import Testing

/// `solve` sizes models from real GGUF headers: a model's own `gguf:` path, and a host's
/// `ollama_store:` (an Ollama store built here with a manifest and a blob).
@Suite struct GGUFIntakeTests {
    static let fixtures = CLI.packageRoot.appendingPathComponent("Tests/GGUFTests/Fixtures")

    func plan(_ yaml: String, in dir: URL) throws -> [String: Any] {
        let file = dir.appendingPathComponent("cluster.yaml")
        try Data(yaml.utf8).write(to: file)
        let r = try CLI.run(["solve", file.path, "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
    }

    func placed(_ plan: [String: Any]) -> [[String: Any]] {
        (plan["hosts"] as! [[String: Any]]).flatMap { ($0["instances"] as! [[String: Any]]).flatMap { $0["models"] as! [[String: Any]] } }
    }

    @Test func ggufPathGivesExactWeightsAndQuant() throws {
        let dir = CLI.tempDir().appendingPathComponent("dir with spaces")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let gguf = dir.appendingPathComponent("tiny llama.gguf")
        try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent("tiny-llama-q8_0.gguf"), to: gguf)
        let size = try FileManager.default.attributesOfItem(atPath: gguf.path)[.size] as! Int
        let p = try plan("name: t\nhosts: [{name: mac, unified_memory: 16 GiB}]\nmodels:\n  - {name: tiny, gguf: \"\(gguf.path)\"}\n", in: dir)
        let m = try #require(placed(p).first)
        #expect(m["footprint_source"] as? String == "gguf")
        #expect(m["weights_bytes"] as? Int == size)
        #expect(m["quant"] as? String == "q8_0")
        let info = (p["models"] as! [[String: Any]]).first!
        #expect(info["gguf"] as? String == gguf.path)
    }

    @Test func ollamaStoreSizesModelsByName() throws {
        let dir = CLI.tempDir()
        let store = dir.appendingPathComponent("models")
        let blobs = store.appendingPathComponent("blobs"), manifests = store.appendingPathComponent("manifests/registry.ollama.ai/library/tinyllama")
        try FileManager.default.createDirectory(at: blobs, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: manifests, withIntermediateDirectories: true)
        let digest = String(repeating: "ab", count: 32)
        let blob = blobs.appendingPathComponent("sha256-\(digest)")
        try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent("tiny-llama-q8_0.gguf"), to: blob)
        let size = try FileManager.default.attributesOfItem(atPath: blob.path)[.size] as! Int
        let projDigest = String(repeating: "ef", count: 32)
        try Data(count: 300_000).write(to: blobs.appendingPathComponent("sha256-\(projDigest)"))
        let manifest = """
        {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
         "config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"sha256:\(String(repeating: "cd", count: 32))","size":2},
         "layers":[{"mediaType":"application/vnd.ollama.image.model","digest":"sha256:\(digest)","size":\(size)},
                   {"mediaType":"application/vnd.ollama.image.projector","digest":"sha256:\(projDigest)","size":300000}]}
        """
        try Data(manifest.utf8).write(to: manifests.appendingPathComponent("1b"))
        let p = try plan("name: t\nhosts: [{name: mac, unified_memory: 16 GiB, ollama_store: \"\(store.path)\"}, {name: pc, gpus: [{name: RTX 3090, vram: 24 GiB}]}]\nmodels:\n  - {name: \"tinyllama:1b\", replicas: 2}\n", in: dir)
        let copies = (p["hosts"] as! [[String: Any]]).flatMap { h in ((h["instances"] as! [[String: Any]]).flatMap { $0["models"] as! [[String: Any]] }).map { (h["name"] as! String, $0) } }
        let m = try #require(copies.first { $0.0 == "mac" }?.1)
        #expect(m["footprint_source"] as? String == "gguf")
        #expect(m["weights_bytes"] as? Int == size)
        // The vision projector is part of what Ollama loads.
        #expect(m["projector_bytes"] as? Int == 300_000)
        #expect(m["footprint_bytes"] as? Int == size + 300_000 + (m["kv_cache_bytes"] as! Int) + (m["compute_bytes"] as! Int))
        // On the store's host the model is re-created FROM its own name (keeping the store's
        // TEMPLATE/SYSTEM/PARAMETER layers) and nothing is pulled; elsewhere its own name is pulled.
        #expect(m["from"] as? String == "tinyllama:1b")
        #expect(m["pull"] == nil)
        let other = try #require(copies.first { $0.0 == "pc" }?.1)
        #expect(other["pull"] as? String == "tinyllama:1b")

        let bad = dir.appendingPathComponent("bad.yaml")
        try Data("name: t\nhosts: [{name: mac, unified_memory: 16 GiB, ollama_store: /nonexistent}]\nmodels: []\n".utf8).write(to: bad)
        let r = try CLI.run(["solve", bad.path])
        #expect(r.status == 65 && r.stderr.contains("hosts[0].ollama_store"))
    }
}
