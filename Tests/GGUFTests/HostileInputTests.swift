import Foundation
import Testing
@testable import GGUF

/// Lying, truncated and malformed headers: each a clear GGUFError, never a crash or a big allocation.
@Suite struct HostileInputTests {
    static func parseError(_ bytes: [UInt8]) -> GGUFError? {
        do {
            _ = try GGUFHeader.parse(bytes)
            return nil
        } catch let e as GGUFError {
            return e
        } catch {
            Issue.record("not a GGUFError: \(error)")
            return nil
        }
    }

    /// Every prefix of a fixture that ends before its last tensor's data is an error.
    /// Every offset of the small third split part; of the llama fixture every offset of the header
    /// and every 61st of the data (each parse reads the whole header, ~0.2 ms in a debug build).
    @Test(arguments: ["tiny-split-00003-of-00003.gguf", "tiny-llama-q8_0.gguf"])
    func truncatedAtEveryOffset(file: String) throws {
        let bytes = Fixtures.bytes(file)
        let full = try GGUFHeader.parse(bytes)
        // Past the last tensor's data there is only padding, which a reader may do without.
        let dataEnd = Int(full.dataOffset) + Int(full.tensors.map { Int64($0.offset) + $0.byteSize }.max()!)
        let offsets = file.contains("split")
            ? Array(0..<bytes.count)
            : Array(0...Int(full.dataOffset)) + Array(stride(from: Int(full.dataOffset), to: bytes.count, by: 61)) + Array(dataEnd - 4..<bytes.count)
        for n in offsets {
            let e = Self.parseError(Array(bytes[0..<n]))
            if n < dataEnd {
                #expect(e != nil, "prefix of \(n) bytes was accepted")
                if n < 4 {
                    #expect(e == .truncated(offset: 0, needed: 4, fileSize: UInt64(n)))
                }
            } else {
                #expect(e == nil, "prefix of \(n) bytes: \(String(describing: e))")
            }
        }
        #expect("\(Self.parseError(Array(bytes[0..<100]))!)".hasPrefix("truncated at byte 100"))
        #expect("\(Self.parseError(Array(bytes[0..<(dataEnd - 1)]))!)".contains("data ends at byte \(dataEnd)"))
    }

    @Test func truncationMessageNamesTheByte() {
        let bytes = Fixtures.bytes("tiny-llama-q8_0.gguf")
        // 21 tensor infos of at least 24 bytes each cannot follow in 4 bytes.
        #expect("\(Self.parseError(Array(bytes[0..<20]))!)" == "truncated at byte 20: needed 504 byte(s) at offset 16")
        #expect("\(Self.parseError(Array(bytes[0..<600]))!)".hasPrefix("truncated at byte 600: needed "))
    }

    @Test func wrongMagic() {
        var b = GGUFBuilder(magic: Array("GGML".utf8))
        b.pad()
        let e = Self.parseError(b.bytes)
        #expect(e == .badMagic([0x47, 0x47, 0x4D, 0x4C]))
        #expect("\(e!)".contains("47 47 4d 4c (\"GGML\")"))
    }

    @Test(arguments: [UInt32(0), 1, 4, 99, .max])
    func unsupportedVersion(version: UInt32) {
        let e = Self.parseError(GGUFBuilder(version: version).bytes)
        #expect(e == .unsupportedVersion(version))
    }

    @Test func bigEndian() {
        let e = Self.parseError(GGUFBuilder(version: UInt32(3).byteSwapped).bytes)
        #expect(e == .bigEndian(version: 3))
        #expect("\(e!)".contains("big-endian"))
    }

    @Test func keyLengthTwoToThe63() {
        var b = GGUFBuilder(kvs: 1)
        b.u64(1 << 63)
        b.bytes += [UInt8](repeating: 0, count: 64)
        guard case let .absurdCount(what, count, offset, _)? = Self.parseError(b.bytes) else {
            Issue.record("expected absurdCount"); return
        }
        #expect(what == "key length" && count == 1 << 63 && offset == 24)
    }

    @Test func stringValueTwoToThe63() {
        var b = GGUFBuilder(kvs: 1)
        b.key("general.name", type: .string)
        b.u64(1 << 63)
        b.bytes += [UInt8](repeating: 0x41, count: 64)
        guard case let .absurdCount(what, count, _, _)? = Self.parseError(b.bytes) else {
            Issue.record("expected absurdCount"); return
        }
        #expect(what == "string length" && count == 1 << 63)
    }

    @Test func countsLargerThanTheFileAreTruncation() {
        // 500 tensors under the sane limit, but no room for them: the file is cut short.
        let e = Self.parseError(GGUFBuilder(tensors: 500).bytes)
        #expect(e == .truncated(offset: 16, needed: 500 * 24, fileSize: 24))
    }

    @Test func stringLongerThanTheFile() {
        var b = GGUFBuilder(kvs: 1)
        b.key("general.name", type: .string)
        b.u64(1000)
        b.bytes += Array("short".utf8)
        #expect(Self.parseError(b.bytes) == .truncated(offset: UInt64(b.bytes.count - 5), needed: 1000, fileSize: UInt64(b.bytes.count)))
    }

    @Test func aBillionTensors() {
        var b = GGUFBuilder(tensors: 1_000_000_000)
        b.pad()
        guard case let .absurdCount(what, count, offset, limit)? = Self.parseError(b.bytes) else {
            Issue.record("expected absurdCount"); return
        }
        #expect(what == "tensor count" && count == 1_000_000_000 && offset == 8 && limit == GGUFLimits.maxTensors)
    }

    @Test func tooManyKeyValues() {
        let e = Self.parseError(GGUFBuilder(kvs: .max).bytes)
        guard case .absurdCount("metadata key/value count", .max, 16, GGUFLimits.maxKeyValues)? = e else {
            Issue.record("got \(String(describing: e))"); return
        }
    }

    @Test func arrayOfTwoToThe60Elements() {
        for type in GGUFValueType.allCases {
            var b = GGUFBuilder(kvs: 1)
            b.key("x", type: .array)
            b.u32(type.rawValue)
            b.u64(1 << 60)
            b.bytes += [UInt8](repeating: 0, count: 256)
            guard case let .absurdCount(what, count, _, _)? = Self.parseError(b.bytes) else {
                Issue.record("expected absurdCount for \(type)"); continue
            }
            #expect(what == "array length" && count == 1 << 60)
        }
    }

    @Test func unknownValueType() {
        var b = GGUFBuilder(kvs: 1)
        b.key("x", type: .uint8)
        b.bytes.removeLast(4)
        b.u32(13)
        b.u8(0)
        #expect(Self.parseError(b.bytes) == .unknownValueType(13, offset: 33))
        #expect("\(Self.parseError(b.bytes)!)" == "unknown metadata value type 13 at offset 33")
    }

    @Test(arguments: [true, false])
    func deeplyNestedArrays(small: Bool) {
        // Retained (1 element per level) and skipped (5000 > retention limit at the top) paths.
        var b = GGUFBuilder(kvs: 1)
        b.key("x", type: .array)
        for level in 0..<100 {
            b.u32(GGUFValueType.array.rawValue)
            b.u64(level == 0 && !small ? 5000 : 1)
        }
        b.bytes += [UInt8](repeating: 0, count: 100_000)
        guard case .nestingTooDeep? = Self.parseError(b.bytes) else {
            Issue.record("expected nestingTooDeep, got \(String(describing: Self.parseError(b.bytes)))"); return
        }
    }

    @Test func duplicateKey() {
        var b = GGUFBuilder(kvs: 2)
        b.key("a", type: .uint8); b.u8(1)
        b.key("a", type: .uint8); b.u8(2)
        #expect(Self.parseError(b.bytes) == .duplicateKey("a"))
    }

    @Test func badAlignment() {
        var b = GGUFBuilder(kvs: 1)
        b.key("general.alignment", type: .uint32); b.u32(24)
        guard case .invalidMetadata("general.alignment", _)? = Self.parseError(b.bytes) else {
            Issue.record("expected invalidMetadata"); return
        }
    }

    @Test func badTensors() {
        func one(_ build: (inout GGUFBuilder) -> Void) -> GGUFError? {
            var b = GGUFBuilder(tensors: 1)
            build(&b)
            b.pad()
            b.bytes += [UInt8](repeating: 0, count: 4096)
            return Self.parseError(b.bytes)
        }
        #expect(one { $0.tensor("t", dims: [32], type: 4) } == .unknownTensorType(4, tensor: "t"))
        #expect(one { $0.tensor("t", dims: [32], type: 1000) } == .unknownTensorType(1000, tensor: "t"))
        guard case .absurdCount? = one({ $0.tensor("t", dims: Array(repeating: 1, count: 9), type: 0) }) else {
            Issue.record("9 dimensions accepted"); return
        }
        guard case .invalidTensor(_, let r1)? = one({ $0.tensor("t", dims: [1 << 40, 1 << 40], type: 0) }) else {
            Issue.record("overflow accepted"); return
        }
        #expect(r1.contains("overflows"))
        guard case .invalidTensor(_, let r2)? = one({ $0.tensor("t", dims: [33], type: 8) }) else {
            Issue.record("partial block accepted"); return
        }
        #expect(r2.contains("block size 32"))
        guard case .invalidTensor? = one({ $0.tensor("t", dims: [UInt64.max], type: 0) }) else {
            Issue.record("negative dimension accepted"); return
        }
        guard case .tensorDataOutOfBounds? = one({ $0.tensor("t", dims: [1 << 20], type: 0) }) else {
            Issue.record("data past the end accepted"); return
        }
        guard case .tensorDataOutOfBounds? = one({ $0.tensor("t", dims: [8], type: 0, offset: .max - 4) }) else {
            Issue.record("wrapping offset accepted"); return
        }
        var b = GGUFBuilder(tensors: 2)
        b.tensor("t", dims: [8], type: 0)
        b.tensor("t", dims: [8], type: 0, offset: 32)
        b.pad()
        b.bytes += [UInt8](repeating: 0, count: 64)
        guard case .invalidTensor("t", _)? = Self.parseError(b.bytes) else {
            Issue.record("duplicate tensor accepted"); return
        }
    }

    @Test func emptyAndGarbageFilesAreErrorsNotCrashes() throws {
        #expect(Self.parseError([]) == .truncated(offset: 0, needed: 4, fileSize: 0))
        let dir = try Fixtures.tempDirectory("garbage")
        FileManager.default.createFile(atPath: dir + "/x.gguf", contents: Data("hello world, not a model".utf8))
        #expect(throws: GGUFError.badMagic(Array("hell".utf8))) { try GGUFInfo.read(path: dir + "/x.gguf") }
        #expect(throws: GGUFError.self) { try GGUFInfo.read(path: dir + "/missing.gguf") }
        #expect(throws: GGUFError.self) { try GGUFInfo.read(path: dir) }  // a directory
    }

    /// Crashers found by the fuzz test, kept so they stay fixed.
    @Test func crashersStayFixed() throws {
        let dir = Fixtures.path("crashers")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        for f in files.sorted() {
            let bytes = [UInt8](FileManager.default.contents(atPath: dir + "/" + f)!)
            _ = Self.parseError(bytes)
        }
    }
}
