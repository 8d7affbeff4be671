import PlacePlanCore

/// One file an emitter produces: a path relative to the output directory and its text.
public struct RenderedFile: Equatable, Sendable {
    /// Relative path, e.g. `mac/mac_ollama_multi_start.sh`.
    public var path: String
    public var contents: String
    /// Scripts get the executable bit.
    public var executable: Bool

    public init(path: String, contents: String, executable: Bool = false) {
        self.path = path; self.contents = contents; self.executable = executable
    }
}

/// What an emitter may show besides the plan (injected, so output stays deterministic).
public struct EmitContext: Equatable, Sendable {
    /// Shown in every header, e.g. `plan.json`.
    public var planName: String
    public init(planName: String) { self.planName = planName }
}

/// Maps a plan to the files of one target (SPEC §7); pure, no I/O.
public protocol Emitter: Sendable {
    /// The `--target` name.
    static var id: String { get }
    /// The files of this target for `plan`.
    func render(_ plan: Plan, context: EmitContext) -> [RenderedFile]
}

/// An emit request that cannot be served.
public enum EmitError: Error, Equatable, CustomStringConvertible {
    case unknownTargets([String], valid: [String])

    public var description: String {
        switch self {
        case let .unknownTargets(names, valid):
            return "unknown emit target\(names.count == 1 ? "" : "s") \(names.map { "'\($0)'" }.joined(separator: ", ")); valid targets: all, \(valid.joined(separator: ", "))"
        }
    }
}

/// Entry point: every emitter by target name.
public enum Emit {
    static let emitters: [any Emitter] = [
        ScriptsEmitter(), ModelfilesEmitter(), OlolEmitter(), ServersEmitter(),
        NginxEmitter(), HAProxyEmitter(), LiteLLMEmitter(), PM2Emitter(), MigrateEmitter(),
    ]

    /// The valid target names, in the order of SPEC §7.
    public static let targets: [String] = emitters.map { type(of: $0).id }

    /// Renders the chosen targets (`["all"]` for every one), sorted by path.
    public static func render(_ plan: Plan, targets chosen: [String] = ["all"], context: EmitContext) throws -> [RenderedFile] {
        let unknown = chosen.filter { $0 != "all" && !targets.contains($0) }
        guard unknown.isEmpty else { throw EmitError.unknownTargets(unknown, valid: targets) }
        let all = chosen.contains("all")
        var files: [RenderedFile] = []
        for e in emitters where all || chosen.contains(type(of: e).id) {
            files += e.render(plan, context: context)
        }
        return files.sorted { $0.path < $1.path }
    }
}
