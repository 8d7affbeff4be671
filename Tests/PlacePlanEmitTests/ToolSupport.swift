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
        // pip puts console scripts (litellm) in ~/.local/bin when it installs for the user.
        let home = ProcessInfo.processInfo.environment["HOME"] ?? "/root"
        for dir in ["/usr/sbin", "/sbin", "/usr/local/bin", "\(home)/.local/bin"] where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
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

    /// Runs `exe` with `args` and waits; output goes through files.
    ///
    /// posix_spawn + waitpid rather than Foundation.Process: on Linux, Process.waitUntilExit did
    /// not return while a script's background children (the servers it starts) were still alive,
    /// and children inherit the test runner's blocked signal mask, so a stop script's SIGTERM
    /// would never arrive. Here the mask and default dispositions are reset in the child.
    @discardableResult
    static func run(_ exe: String, _ args: [String], env: [String: String] = [:]) throws -> Result {
        let dir = try TempDir.make("run")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out").path, err = dir.appendingPathComponent("err").path
        let pid = try spawn(exe, args, env: env, stdout: out, stderr: err)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Result(status: code, stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }

    /// Starts `exe` without waiting; stdin is /dev/null.
    static func spawn(_ exe: String, _ args: [String], env: [String: String] = [:],
                      stdout: String = "/dev/null", stderr: String = "/dev/null") throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGPIPE, SIGHUP, SIGINT, SIGTERM, SIGQUIT, SIGXFSZ, SIGCHLD, SIGUSR1, SIGUSR2] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attr, &defaults)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
        let argv: [UnsafeMutablePointer<CChar>?] = ([exe] + args).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, exe, &actions, &attr, argv, envp)
        guard rc == 0 else { throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: exe, "errno": rc]) }
        return pid
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

extension Trait where Self == ConditionTrait {
    /// Runs the test only when every tool is installed; otherwise Swift Testing reports it as
    /// skipped, with this reason. Under PLACEPLAN_REQUIRE_TOOLS (CI) it always runs, so a missing
    /// tool fails it (`Tools.available` records the issue) instead of skipping silently.
    static func requires(_ tools: String...) -> Self {
        .enabled(if: Tools.requireTools || tools.allSatisfy { Tools.which($0) != nil },
                 "needs \(tools.joined(separator: ", ")) (not installed; scripts/setup.sh --checkers installs them)")
    }
}
