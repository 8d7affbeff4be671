import ArgumentParser
import Foundation
import PlacePlanCore
import GGUF

/// Reads GGUF headers for the core (filled in with the GGUF module).
enum GGUFBridge {
    static func facts(_ path: String) -> GGUFFacts? { GGUFFacts.readIfPresent(path) }
    static func read(_ path: String) throws -> GGUFFacts {
        do { return GGUFFacts(info: try GGUFInfo.read(path: path)) } catch {
            throw InvalidInput([Diagnostic(file: path, field: "", message: "is not a readable GGUF file: \(error)", fix: "check the path, or give a catalog model name such as llama3:8b")])
        }
    }
}

enum EmitRunner {
    static func emit(_ plan: Plan, planName: String, to dir: String, targets: [String], force: Bool) throws {
        throw SolverFailure(description: "placeplan: emit is not available in this build")
    }
}

extension PlacePlan {
    struct Emit: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the scripts and configs that run a plan.")
        @Argument(help: "A plan file written by `placeplan solve -o`.") var plan: String
        @Option(help: "Output directory.") var out: String
        @Option(help: "Targets to write (default all).") var target: [String] = []
        @Flag(help: "Overwrite files that placeplan did not write.") var force = false
        func run() throws {
            try Failure.run {
                guard let data = FileManager.default.contents(atPath: plan) else { throw MissingInput(path: plan, reason: "no such file or unreadable") }
                let p = try PlanCodec.decode(data, file: plan)
                try EmitRunner.emit(p, planName: (plan as NSString).lastPathComponent, to: out, targets: target.isEmpty ? ["all"] : target, force: force)
            }
        }
    }

    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Solve under several profiles and compare them side by side.")
        @Argument var cluster: String
        @Option var profile: [String] = []
        func run() throws { throw SolverFailure(description: "placeplan: compare is not available in this build") }
    }

}
