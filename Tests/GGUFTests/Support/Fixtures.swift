import Foundation
@testable import GGUF

/// Paths of the committed fixtures and the decoded expected.json.
enum Fixtures {
    static let directory: String = {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            fatalError("Fixtures resource missing from the test bundle")
        }
        return url.path
    }()

    static func path(_ file: String) -> String { directory + "/" + file }

    static func bytes(_ file: String) -> [UInt8] {
        [UInt8](FileManager.default.contents(atPath: path(file)) ?? Data())
    }

    /// expected.json as written by make_fixtures.py.
    nonisolated(unsafe) static let expected: [String: Any] = {
        let data = FileManager.default.contents(atPath: path("expected.json"))!
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }()

    static var models: [String: [String: Any]] { expected["models"] as! [String: [String: Any]] }

    static let modelNames = ["tiny-llama-q8_0", "tiny-qwen2", "tiny-gemma2-f16", "tiny-moe-q8_0", "tiny-split"]

    /// Every .gguf file among the fixtures.
    static let allFiles: [String] = (try! FileManager.default.contentsOfDirectory(atPath: directory))
        .filter { $0.hasSuffix(".gguf") }.sorted()

    /// A fresh empty directory under the system temp directory.
    static func tempDirectory(_ label: String) throws -> String {
        let p = NSTemporaryDirectory() + "placeplan-gguf-\(label)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
        TempRegistry.shared.add(p)
        return p
    }
}

/// Builds GGUF bytes by hand for hostile inputs the real writer refuses to produce.
struct GGUFBuilder {
    var bytes: [UInt8] = []

    init(magic: [UInt8] = Array("GGUF".utf8), version: UInt32 = 3, tensors: UInt64 = 0, kvs: UInt64 = 0) {
        bytes = magic
        u32(version)
        u64(tensors)
        u64(kvs)
    }

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func string(_ s: String) {
        u64(UInt64(s.utf8.count))
        bytes.append(contentsOf: s.utf8)
    }
    mutating func key(_ k: String, type: GGUFValueType) {
        string(k)
        u32(type.rawValue)
    }
    mutating func tensor(_ name: String, dims: [UInt64], type: UInt32, offset: UInt64 = 0) {
        string(name)
        u32(UInt32(dims.count))
        dims.forEach { u64($0) }
        u32(type)
        u64(offset)
    }
    mutating func pad(to alignment: Int = 32) {
        while bytes.count % alignment != 0 { bytes.append(0) }
    }
}

/// A deterministic generator (SplitMix64) so every fuzz run sees the same inputs.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Temporary directories this test process made: removed when it exits (tests run in parallel,
/// and a directory may be inspected after a failure until then).
final class TempRegistry: @unchecked Sendable {
    static let shared = TempRegistry()
    private let lock = NSLock()
    private var paths: [String] = []
    private init() { atexit { TempRegistry.shared.removeAll() } }
    func add(_ path: String) { lock.lock(); paths.append(path); lock.unlock() }
    func removeAll() {
        lock.lock(); let all = paths; paths = []; lock.unlock()
        for p in all { try? FileManager.default.removeItem(atPath: p) }
    }
}
