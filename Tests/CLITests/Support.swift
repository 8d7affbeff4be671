import Foundation

/// Runs the built `placeplan` binary.
enum CLI {
    static let packageRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct BinaryMissing: Error, CustomStringConvertible {
        var description: String { "the placeplan binary under test is not built (looked beside the test bundle and in .build/debug): run `swift build` (or set PLACEPLAN_BIN)" }
    }

    /// The binary built with these tests: never another `placeplan` found on PATH, never a stale
    /// release build; missing is an error, not a fallback.
    static var binary: String {
        get throws {
            if let b = ProcessInfo.processInfo.environment["PLACEPLAN_BIN"] { return b }
            let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("placeplan").path
            if FileManager.default.isExecutableFile(atPath: beside) { return beside }
            for c in [".build/debug/placeplan", ".build/x86_64-unknown-linux-gnu/debug/placeplan", ".build/aarch64-unknown-linux-gnu/debug/placeplan"] {
                let p = packageRoot.appendingPathComponent(c).path
                if FileManager.default.isExecutableFile(atPath: p) { return p }
            }
            throw BinaryMissing()
        }
    }

    struct Result { var status: Int32; var stdout: String; var stderr: String; var crashed: Bool }

    static func run(_ args: [String], cwd: URL? = nil, env: [String: String] = [:]) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try binary)
        p.arguments = args
        p.currentDirectoryURL = cwd ?? packageRoot
        var environment = ProcessInfo.processInfo.environment
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self),
                      crashed: p.terminationReason == .uncaughtSignal)
    }

    static func tempDir() -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("placeplan-test-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        TempRegistry.shared.add(d.path)
        return d
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
