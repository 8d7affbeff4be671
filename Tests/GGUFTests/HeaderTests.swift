import Foundation
import Testing
@testable import GGUF

/// The reader against what llama.cpp's own writer (gguf-py) says it wrote.
@Suite struct HeaderTests {
    @Test(arguments: Fixtures.modelNames)
    func everyFieldMatchesTheWriter(model: String) throws {
        let e = Fixtures.models[model]!
        let files = e["files"] as! [String]
        let info = try GGUFInfo.read(path: Fixtures.path(files[0]))
        let parts = e["parts"] as! [[String: Any]]

        #expect(info.splitCount == files.count)
        #expect(info.paths == files.map(Fixtures.path))
        for (i, part) in parts.enumerated() {
            let h = try GGUFHeader.read(path: Fixtures.path(part["file"] as! String))
            #expect(h.version == UInt32(part["version"] as! Int))
            #expect(h.tensors.count == part["tensor_count"] as! Int)
            #expect(h.keys.count == part["kv_count"] as! Int, "part \(i)")
            #expect(h.dataOffset == UInt64(part["data_offset"] as! Int))
            #expect(h.fileSize == UInt64(part["file_size"] as! Int))
            #expect(h.alignment == 32)
        }

        let tensors = e["tensors"] as! [[String: Any]]
        try #require(info.tensors.count == tensors.count)
        for (t, x) in zip(info.tensors, tensors) {
            #expect(t.name == x["name"] as! String)
            #expect(t.dimensions == (x["dims"] as! [Int]).map(Int64.init))
            #expect(t.type.name == x["type"] as! String)
            #expect(t.type.id == UInt32(x["type_id"] as! Int))
            #expect(t.offset == UInt64(x["offset"] as! Int), "\(t.name)")
            #expect(t.elementCount == Int64(x["n_elements"] as! Int))
            #expect(t.byteSize == Int64(x["n_bytes"] as! Int), "\(t.name)")
        }
        #expect(info.params == Int64(e["params"] as! Int))
        #expect(info.tensorBytes == Int64(e["tensor_bytes"] as! Int))
        #expect(info.fileBytes == Int64(e["file_bytes"] as! Int))
        #expect(info.architecture == e["arch"] as? String)

        let d = e["derived"] as! [String: Any]
        func int(_ k: String) -> Int? { d[k] as? Int }
        #expect(info.name == d["name"] as? String)
        #expect(info.fileType == d["quant"] as? String)
        #expect(info.layers == int("layers"))
        #expect(info.embedding == int("embedding"))
        #expect(info.feedForward == int("feed_forward"))
        #expect(info.heads == int("heads"))
        #expect(info.kvHeads == int("kv_heads"))
        #expect(info.keyLength == int("key_length"))
        #expect(info.valueLength == int("value_length"))
        #expect(info.headDim == int("head_dim"))
        #expect(info.ctxTrain == int("ctx_train"))
        #expect(info.vocab == int("vocab"))
        #expect(info.slidingWindow == int("sliding_window"))
        #expect(info.expertCount == int("expert_count"))
        #expect(info.expertUsedCount == int("expert_used_count"))

        let metadata = e["metadata"] as! [String: [String: Any]]
        #expect(Set(info.metadata.keys) == Set(metadata.keys))
        for (key, value) in metadata {
            let got = try #require(info.metadata[key], "\(key)")
            #expect(Self.matches(got, value), "\(key): \(got) vs \(value)")
        }
    }

    /// A GGUFValue equals the writer's record {type, value} or {type: array, element_type, values}.
    static func matches(_ v: GGUFValue, _ e: [String: Any]) -> Bool {
        let type = e["type"] as! String
        let x = e["value"]
        switch (type, v) {
        case let ("uint8", .uint8(a)): return Int(a) == x as? Int
        case let ("int8", .int8(a)): return Int(a) == x as? Int
        case let ("uint16", .uint16(a)): return Int(a) == x as? Int
        case let ("int16", .int16(a)): return Int(a) == x as? Int
        case let ("uint32", .uint32(a)): return Int(a) == x as? Int
        case let ("int32", .int32(a)): return Int(a) == x as? Int
        case let ("uint64", .uint64(a)): return String(a) == x as? String
        case let ("int64", .int64(a)): return String(a) == x as? String
        case let ("float32", .float32(a)): return a == Float((x as! NSNumber).doubleValue)
        case let ("float64", .float64(a)): return a == (x as! NSNumber).doubleValue
        case let ("bool", .bool(a)): return a == (x as! NSNumber).boolValue
        case let ("string", .string(a)): return a == x as? String
        case let ("array", .array(a)):
            let values = e["values"] as! [[String: Any]]
            return "\(a.elementType)" == e["element_type"] as? String && a.count == values.count
                && !a.isElided && zip(a.values, values).allSatisfy { matches($0, $1) }
        default: return false
        }
    }

    @Test func ggmlTypeTableMatchesGGUFPy() {
        let table = Fixtures.expected["ggml_types"] as! [String: [Any]]
        #expect(table.count == GGMLType.all.count)
        for (id, row) in table {
            let t = GGMLType.type(id: UInt32(id)!)
            #expect(t?.name == row[0] as? String, "type \(id)")
            #expect(t?.blockSize == row[1] as? Int, "type \(id)")
            #expect(t?.typeSize == row[2] as? Int, "type \(id)")
        }
    }

    @Test func fileTypeFallsBackToDominantTensorType() throws {
        // qwen2 has no general.file_type; its matrices are F16 (output is BF16, smaller).
        let info = try GGUFInfo.read(path: Fixtures.path("tiny-qwen2.gguf"))
        #expect(info.metadata["general.file_type"] == nil)
        #expect(info.fileType == "f16")
        #expect(FileType.quantName(fileType: 15, tensors: []) == "q4_K_M")
        #expect(FileType.quantName(fileType: 9999, tensors: info.tensors) == "f16")
    }

    @Test func bigTokenArrayKeepsOnlyItsCount() throws {
        // 150k tokens like a Qwen vocabulary: skipped without keeping the strings, quickly.
        var b = GGUFBuilder(tensors: 0, kvs: 3)
        b.key("general.architecture", type: .string); b.string("qwen2")
        b.key("tokenizer.ggml.tokens", type: .array); b.u32(GGUFValueType.string.rawValue); b.u64(150_000)
        for i in 0..<150_000 { b.string("tok\(i)") }
        b.key("tokenizer.ggml.token_type", type: .array); b.u32(GGUFValueType.int32.rawValue); b.u64(150_000)
        b.bytes.append(contentsOf: [UInt8](repeating: 1, count: 600_000))
        let dir = try Fixtures.tempDirectory("tokens")
        let path = dir + "/big vocab.gguf"
        FileManager.default.createFile(atPath: path, contents: Data(b.bytes))
        let clock = ContinuousClock()
        var info: GGUFInfo?
        let elapsed = try clock.measure { info = try GGUFInfo.read(path: path) }
        let tokens = try #require(info?.metadata["tokenizer.ggml.tokens"]?.arrayValue)
        #expect(tokens.count == 150_000 && tokens.isElided && tokens.values.isEmpty)
        #expect(info?.vocab == 150_000)
        #expect(elapsed < .seconds(2), "150k tokens took \(elapsed)")
        print("150k-token header read in \(elapsed)")
    }

    @Test func seventyFiveGigabyteFileReadsOnlyItsHeader() throws {
        // A sparse 75 GB file: one F16 tensor of 37.5 G elements after a real header.
        var b = GGUFBuilder(tensors: 1, kvs: 2)
        b.key("general.architecture", type: .string); b.string("llama")
        b.key("general.file_type", type: .uint32); b.u32(1)
        b.tensor("token_embd.weight", dims: [8192, 4_577_637], type: 1)
        b.pad()
        let dataOffset = UInt64(b.bytes.count)
        let dir = try Fixtures.tempDirectory("sparse")
        let path = dir + "/huge.gguf"
        FileManager.default.createFile(atPath: path, contents: Data(b.bytes))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        let size = dataOffset + 8192 * 4_577_637 * 2
        try handle.truncate(atOffset: size)  // a hole: no disk space used
        try handle.close()
        defer { try? FileManager.default.removeItem(atPath: path) }
        var info: GGUFInfo?
        let elapsed = try ContinuousClock().measure { info = try GGUFInfo.read(path: path) }
        #expect(info?.fileBytes == Int64(size) && size > 75_000_000_000)
        #expect(info?.params == 8192 * 4_577_637 && info?.fileType == "f16")
        #expect(elapsed < .milliseconds(200), "took \(elapsed)")
        print("75 GB header read in \(elapsed)")
    }

    @Test func splitNameParsing() {
        let s = GGUFSplitName(path: "/m/My Model-Q4_K_M-00002-of-00003.gguf")
        #expect(s?.prefix == "/m/My Model-Q4_K_M" && s?.number == 2 && s?.count == 3)
        #expect(s?.path(part: 1) == "/m/My Model-Q4_K_M-00001-of-00003.gguf")
        #expect(GGUFSplitName(path: "/m/model-00004-of-00003.gguf") == nil)
        #expect(GGUFSplitName(path: "/m/model-0001-of-00003.gguf") == nil)
        #expect(GGUFSplitName(path: "-00001-of-00003.gguf") == nil)
        #expect(GGUFSplitName(path: "/m/model.gguf") == nil)
    }

    @Test func splitPartMissingIsAnError() throws {
        let dir = try Fixtures.tempDirectory("split")
        for n in [1, 2] {
            let f = "tiny-split-0000\(n)-of-00003.gguf"
            try FileManager.default.copyItem(atPath: Fixtures.path(f), toPath: dir + "/" + f)
        }
        #expect(throws: GGUFError.self) { try GGUFInfo.read(path: dir + "/tiny-split-00001-of-00003.gguf") }
        // A later part alone says which part to read.
        let err = #expect(throws: GGUFError.self) { try GGUFInfo.read(path: dir + "/tiny-split-00002-of-00003.gguf") }
        #expect("\(err!)".contains("first part"))
    }
}
