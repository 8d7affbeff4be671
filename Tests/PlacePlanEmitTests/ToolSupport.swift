import Foundation
import Testing

/// Runs external tools for the tests; a missing tool skips its check unless
/// PLACEPLAN_REQUIRE_TOOLS is set (CI), where it fails instead.
enum Tools {
    struct Result { var status: Int32; var stdout: String; var stderr: String }

    static let requireTools = ProcessInfo.processInfo.environment["PLACEPLAN_REQUIRE_TOOLS"] != nil

    /// Absolute path of `name` on PATH, or nil.
    static func which(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let p = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        for dir in ["/usr/sbin", "/sbin", "/usr/local/bin"] where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
            return "\(dir)/\(name)"
        }
        return nil
    }

    /// The tool's path; records an issue when required and missing.
    static func available(_ name: String) -> String? {
        if let p = which(name) { return p }
        if requireTools { Issue.record("required tool \(name) is not installed (PLACEPLAN_REQUIRE_TOOLS is set)") }
        return nil
    }

    /// Runs `exe` with `args`; output goes through files so background children cannot block us.
    @discardableResult
    static func run(_ exe: String, _ args: [String], env: [String: String] = [:], cwd: URL? = nil, stdin: String? = nil) throws -> Result {
        let dir = try TempDir.make("run")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out"), err = dir.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        p.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
        if let cwd { p.currentDirectoryURL = cwd }
        let outH = try FileHandle(forWritingTo: out), errH = try FileHandle(forWritingTo: err)
        p.standardOutput = outH
        p.standardError = errH
        if let stdin {
            let inFile = dir.appendingPathComponent("in")
            try stdin.write(to: inFile, atomically: true, encoding: .utf8)
            p.standardInput = try FileHandle(forReadingFrom: inFile)
        } else {
            p.standardInput = FileHandle.nullDevice
        }
        try p.run()
        p.waitUntilExit()
        try outH.close(); try errH.close()
        return Result(status: p.terminationStatus,
                      stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }
}

enum TempDir {
    /// A fresh directory under the system temp dir; its name holds a space on purpose.
    static func make(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("placeplan \(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Repository paths, found from this file so no resources are needed.
enum Repo {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fakeOllama = root.appendingPathComponent("Tests/Support/fake_ollama.py")
}
