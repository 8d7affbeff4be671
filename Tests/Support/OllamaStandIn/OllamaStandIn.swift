import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One `Tests/Support/fake_ollama.py serve` on a free loopback port, with injected faults.
/// Stopped (SIGKILL) by `stop()` or when released; only the process it started.
public final class OllamaStandIn: @unchecked Sendable {
    public struct Fault: Sendable {
        /// Models already running, as /api/ps entries (name, size_vram, size, context_length).
        public var resident: [[String: any Sendable]] = []
        /// Seconds before every /api/ answer.
        public var delay: Double = 0
        /// HTTP status for every /api/ GET (e.g. 503).
        public var status: Int? = nil
        public init(resident: [[String: any Sendable]] = [], delay: Double = 0, status: Int? = nil) {
            self.resident = resident; self.delay = delay; self.status = status
        }
    }

    public static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("fake_ollama.py")

    public static var pythonAvailable: Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/python3")
        }
    }

    public let port: Int
    public let dir: URL
    private let process: Process

    public init(_ fault: Fault = Fault()) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("placeplan-standin-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let log = dir.appendingPathComponent("serve.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", Self.script.path, "serve"]
        var env = ProcessInfo.processInfo.environment
        env["OLLAMA_HOST"] = "127.0.0.1:0"
        env["OLLAMA_MODELS"] = dir.appendingPathComponent("models").path
        if !fault.resident.isEmpty {
            env["FAKE_OLLAMA_RESIDENT"] = String(decoding: try JSONSerialization.data(withJSONObject: fault.resident, options: [.sortedKeys]), as: UTF8.self)
        }
        if fault.delay > 0 { env["FAKE_OLLAMA_DELAY"] = String(fault.delay) }
        if let s = fault.status { env["FAKE_OLLAMA_STATUS"] = String(s) }
        p.environment = env
        p.standardOutput = FileHandle.nullDevice
        p.standardError = try FileHandle(forWritingTo: log)
        try p.run()
        process = p
        // The fake prints "Listening on 127.0.0.1:PORT" once the socket is bound.
        let deadline = Date().addingTimeInterval(10)
        var found: Int?
        while found == nil, Date() < deadline, p.isRunning {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let r = text.range(of: "Listening on 127.0.0.1:") {
                found = Int(text[r.upperBound...].prefix { $0.isNumber })
            } else {
                usleep(20_000)
            }
        }
        guard let found else {
            kill(p.processIdentifier, SIGKILL)
            throw StandInError(description: "fake_ollama did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        }
        port = found
    }

    public var url: String { "http://127.0.0.1:\(port)" }

    public func stop() {
        guard process.isRunning else { return }
        // SIGKILL: the test runner's threads block SIGTERM and the child inherits that mask.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: dir)
    }

    /// A loopback port nothing listens on (bound, read and closed again): connecting is refused.
    public static func closedPort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}

public struct StandInError: Error, CustomStringConvertible { public var description: String }
