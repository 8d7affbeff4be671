import Foundation
import Testing
@testable import GGUF

/// `ModelScanner.scan` over directories, split sets, Ollama stores and broken files.
@Suite struct ScanTests {
    let fm = FileManager.default

    func copy(_ fixture: String, to path: String) throws {
        try fm.copyItem(atPath: Fixtures.path(fixture), toPath: path)
    }

    @Test func directoryWithSpacesSplitsCycleAndBrokenFiles() throws {
        let root = try Fixtures.tempDirectory("scan") + "/my models"
        try fm.createDirectory(atPath: root + "/sub dir", withIntermediateDirectories: true)
        try copy("tiny-llama-q8_0.gguf", to: root + "/Tiny \"Llama\": v1.gguf")
        try copy("tiny-gemma2-f16.gguf", to: root + "/sub dir/gemma 2.GGUF")
        for n in 1...3 {
            try copy("tiny-split-0000\(n)-of-00003.gguf", to: root + "/sub dir/big model-0000\(n)-of-00003.gguf")
        }
        fm.createFile(atPath: root + "/notes.txt", contents: Data("ignored".utf8))
        fm.createFile(atPath: root + "/broken.gguf", contents: Data("GGUF\u{3}\0\0\0".utf8))
        try fm.createSymbolicLink(atPath: root + "/sub dir/loop", withDestinationPath: root)   // a cycle
        try fm.createSymbolicLink(atPath: root + "/same.gguf", withDestinationPath: root + "/sub dir/gemma 2.GGUF")
        try fm.createSymbolicLink(atPath: root + "/dangling.gguf", withDestinationPath: root + "/nowhere")
        try copy("tiny-split-00002-of-00003.gguf", to: root + "/orphan-00002-of-00003.gguf")

        let entries = ModelScanner.scan([root])
        #expect(entries.map(\.path) == entries.map(\.path).sorted())
        let byName = Dictionary(grouping: entries, by: \.name)

        let llama = try #require(byName["Tiny \"Llama\": v1"]?.first)
        #expect(llama.error == nil && llama.arch == "llama" && llama.quant == "q8_0" && llama.layers == 2)
        #expect(llama.fileBytes == Int64(Fixtures.bytes("tiny-llama-q8_0.gguf").count))

        // Reached through same.gguf and directly: counted once, by the first path in sorted walk order.
        #expect(byName["gemma 2"] == nil)
        let gemma = try #require(byName["same"])
        #expect(gemma.count == 1 && gemma[0].headDim == 32 && gemma[0].kvHeads == 2 && gemma[0].arch == "gemma2")

        let split = try #require(byName["big model"])
        #expect(split.count == 1)
        #expect(split[0].path == root + "/sub dir/big model-00001-of-00003.gguf")
        let expectedSplit = Fixtures.models["tiny-split"]!
        #expect(split[0].fileBytes == Int64(expectedSplit["file_bytes"] as! Int))
        #expect(split[0].params == Int64(expectedSplit["params"] as! Int))
        #expect(split[0].info?.splitCount == 3)

        #expect(byName["broken"]?.first?.error?.contains("truncated") == true)
        #expect(byName["dangling"]?.first?.error?.contains("No such file") == true)
        #expect(byName["orphan"]?.first?.error?.contains("first part") == true)
        #expect(byName["notes.txt"] == nil && byName["notes"] == nil)
        #expect(entries.count == 6)
    }

    @Test func laterSplitPartNamedExplicitlyStandsForTheModel() throws {
        let dir = try Fixtures.tempDirectory("split-explicit")
        for n in 1...3 { try copy("tiny-split-0000\(n)-of-00003.gguf", to: dir + "/s-0000\(n)-of-00003.gguf") }
        let entries = ModelScanner.scan([dir + "/s-00002-of-00003.gguf", dir + "/s-00001-of-00003.gguf", dir])
        #expect(entries.count == 1)
        #expect(entries.first?.path == dir + "/s-00001-of-00003.gguf" && entries.first?.name == "s")
    }

    @Test func unreadableFileIsAnEntryAndTheScanGoesOn() throws {
        let dir = try Fixtures.tempDirectory("unreadable")
        try copy("tiny-llama-q8_0.gguf", to: dir + "/locked.gguf")
        try copy("tiny-qwen2.gguf", to: dir + "/ok.gguf")
        try fm.setAttributes([.posixPermissions: 0], ofItemAtPath: dir + "/locked.gguf")
        defer { try? fm.setAttributes([.posixPermissions: 0o644], ofItemAtPath: dir + "/locked.gguf") }
        let all = ModelScanner.scan([dir, dir + "/missing.gguf", "/dev/null"])
        let devNull = all.first { $0.path == "/dev/null" }
        #expect(devNull?.error?.contains("not a regular file") == true)
        let entries = all.filter { $0.path != "/dev/null" }
        #expect(entries.map(\.name) == ["locked", "missing", "ok"])
        #expect(entries[1].error?.contains("No such file") == true)
        #expect(entries[2].error == nil && entries[2].arch == "qwen2")
        if geteuid() == 0 {
            // root reads through mode 000, so the file is read; the dangling/missing cases cover errors.
            #expect(entries[0].error == nil)
        } else {
            #expect(entries[0].error?.contains("Permission denied") == true)
        }
    }

    @Test func ollamaStore() throws {
        let store = try Fixtures.tempDirectory("store") + "/ollama models"
        let model = String(repeating: "ab", count: 32)
        let projector = String(repeating: "cd", count: 32)
        try fm.createDirectory(atPath: store + "/blobs", withIntermediateDirectories: true)
        try copy("tiny-llama-q8_0.gguf", to: store + "/blobs/sha256-" + model)
        func manifest(_ rel: String, layers: [(String, String, Int)]) throws {
            let path = store + "/manifests/" + rel
            try fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let json: [String: Any] = [
                "schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                "config": ["mediaType": "application/vnd.docker.container.image.v1+json", "digest": "sha256:" + projector, "size": 485],
                "layers": layers.map { ["mediaType": "application/vnd.ollama.image." + $0.0, "digest": "sha256:" + $0.1, "size": $0.2] },
            ]
            fm.createFile(atPath: path, contents: try JSONSerialization.data(withJSONObject: json))
        }
        let size = Fixtures.bytes("tiny-llama-q8_0.gguf").count
        try manifest("registry.ollama.ai/library/llama3/8b", layers: [("model", model, size), ("projector", projector, 1234), ("template", projector, 10)])
        try manifest("registry.ollama.ai/someone/tiny/latest", layers: [("model", model, size)])
        try manifest("hf.co/user/repo/Q4_K_M", layers: [("model", String(repeating: "ef", count: 32), 1)])
        try manifest("registry.ollama.ai/library/mlx/latest", layers: [("tensor", model, 1)])
        try manifest("registry.ollama.ai/library/evil/latest", layers: [("model", "../../etc/passwd", 1)])
        fm.createFile(atPath: store + "/manifests/registry.ollama.ai/library/llama3/.DS_Store", contents: Data())

        let entries = ModelScanner.scan([store])
        let byName = Dictionary(uniqueKeysWithValues: entries.map { ($0.name, $0) })
        #expect(Set(byName.keys) == ["llama3:8b", "someone/tiny:latest", "hf.co/user/repo:Q4_K_M", "mlx:latest", "evil:latest"])
        let llama = try #require(byName["llama3:8b"])
        #expect(llama.path == store + "/blobs/sha256-" + model)
        #expect(llama.arch == "llama" && llama.params == Int64(Fixtures.models["tiny-llama-q8_0"]!["params"] as! Int))
        #expect(llama.quant == "q8_0" && llama.fileBytes == Int64(size) && llama.layers == 2 && llama.heads == 4)
        #expect(llama.kvHeads == 2 && llama.headDim == 16 && llama.ctxTrain == 2048)
        #expect(llama.projectorBytes == 1234)
        #expect(byName["someone/tiny:latest"]?.error == nil)
        #expect(byName["hf.co/user/repo:Q4_K_M"]?.error?.contains("No such file") == true)
        #expect(byName["mlx:latest"]?.error?.contains("no application/vnd.ollama.image.model layer") == true)
        #expect(byName["evil:latest"]?.error?.contains("bad digest") == true)
        #expect(OllamaStore.name(registry: "registry.ollama.ai", namespace: "library", model: "qwen2.5", tag: "32b") == "qwen2.5:32b")
    }

    @Test func jsonHasExactlyTheSpecFields() throws {
        let dir = try Fixtures.tempDirectory("json")
        try copy("tiny-moe-q8_0.gguf", to: dir + "/moe.gguf")
        fm.createFile(atPath: dir + "/bad.gguf", contents: Data("nope".utf8))
        let entries = ModelScanner.scan([dir])
        let json = ModelScanner.json(entries)
        let objects = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [[String: Any]]
        #expect(objects.count == 2)
        #expect(Set(objects[0].keys) == ["name", "path", "error"])
        #expect(objects[0]["error"] as? String == "not a GGUF file: magic is 6e 6f 70 65 (\"nope\"), expected 47 47 55 46 (\"GGUF\")")
        #expect(Set(objects[1].keys) == ["name", "path", "arch", "params", "quant", "file_bytes", "layers", "heads", "kv_heads", "head_dim", "ctx_train"])
        #expect(objects[1]["params"] as? Int == Fixtures.models["tiny-moe-q8_0"]!["params"] as? Int)
        #expect(json.contains("\"path\" : \"\(dir)/moe.gguf\""))  // slashes not escaped
        // Keys sorted: "arch" before "ctx_train" before "file_bytes".
        let a = json.range(of: "\"arch\"")!.lowerBound, c = json.range(of: "\"ctx_train\"")!.lowerBound
        #expect(a < c)
        let decoded = try JSONDecoder().decode([ScanEntry].self, from: Data(json.utf8))
        #expect(decoded.map(\.name) == ["bad", "moe"] && decoded[1].layers == 2 && decoded[0].error != nil)
    }

    @Test func yamlQuotesNamesAndPathsSafely() throws {
        let info = try GGUFInfo.read(path: Fixtures.path("tiny-llama-q8_0.gguf"))
        let entries = [
            ScanEntry(name: "llama3:8b", path: "/Volumes/BOWIE/_MODELS/a b/\"x\": #1\\.gguf", info: info),
            ScanEntry(name: "bad\nname", path: "/x/bad.gguf", error: "truncated\nat byte 3"),
        ]
        let yaml = ModelScanner.modelsYAML(entries)
        #expect(yaml == """
        - name: "llama3:8b"
          gguf: "/Volumes/BOWIE/_MODELS/a b/\\"x\\": #1\\\\.gguf"
          quants: ["q8_0"]
        # skipped /x/bad.gguf: truncated at byte 3

        """)
        #expect(ModelScanner.yamlQuoted("tab\there\u{7}") == "\"tab\\there\\u0007\"")
    }
}
