import ArgumentParser
import Foundation
import PlacePlanCore
import GGUF
import PlacePlanEmit

/// Renders a plan's files and writes them whole (PlacePlanEmit does both; this maps its errors).
enum EmitRunner {
    static func emit(_ plan: Plan, planName: String, to dir: String, targets: [String], force: Bool) throws {
        let files: [RenderedFile]
        do { files = try Emit.render(plan, targets: targets, context: EmitContext(planName: planName)) } catch let e as EmitError {
            printErr("placeplan: error: \(e.description)")
            throw ExitCode.validationFailure  // a usage error: exit 64
        }
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let written = try OutputWriter.write(files, to: URL(fileURLWithPath: dir), force: force)
            printErr("placeplan: wrote \(written.count) of \(files.count) files to \(dir)\(written.count < files.count ? " (the rest were unchanged)" : "")")
        } catch let e as OutputWriter.WriteError {
            throw OutputError(description: "\(dir): error: \(e.description)\n  fix: choose another --out directory, or pass --force")
        } catch let e as OutputError { throw e } catch {
            throw OutputError(description: "\(dir): error: cannot be written: \((error as NSError).localizedDescription)")
        }
    }
}

extension PlacePlan {
    struct Emit: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the scripts and configs that run a plan.")
        @Argument(help: "A plan file written by `placeplan solve -o`.") var plan: String
        @Option(help: "Output directory.") var out: String
        @Option(help: "Targets to write, repeatable: all, scripts, modelfiles, olol, servers, nginx, haproxy, litellm, pm2, migrate (default all).") var target: [String] = []
        @Flag(help: "Overwrite files that placeplan did not write.") var force = false
        func run() throws {
            try Failure.run {
                guard let data = FileManager.default.contents(atPath: plan) else { throw MissingInput(path: plan, reason: "no such file or unreadable") }
                let p = try PlanCodec.decode(data, file: plan)
                guard p.status != .infeasible else {
                    throw Infeasible(description: "\(plan): error: the plan is infeasible, so there is nothing to run:\n" + p.unplaced.map { "  - \($0.reason)" }.joined(separator: "\n"))
                }
                try EmitRunner.emit(p, planName: (plan as NSString).lastPathComponent, to: out, targets: target.isEmpty ? ["all"] : target, force: force)
            }
        }
    }


}
