import ArgumentParser
import Foundation
import PlacePlanCore

extension PlacePlan {
    struct Replan: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Plan a changed cluster from a running plan, moving as few copies as possible, with the ordered moves.",
            discussion: """
            Solves CLUSTER as `solve` does (best coverage, then quality), then keeps copies where OLD_PLAN runs them \
            wherever instances are interchangeable, and lists the moves in plan.json's `moves`, ordered so that no \
            instance ever holds more than its capacity. `emit` writes H_migrate.sh per host that performs them.
            """)

        @Argument(help: "The changed cluster file (.yaml, .yml or .json).") var cluster: String
        @Option(help: "The plan the cluster runs now (written by `placeplan solve -o`).") var from: String
        @Option(help: "Coverage may be this many percent below the best to save moves (0–100).") var within: Double = 0
        @Option(help: "A profile name in Profiles/ or a path to a profile file.", completion: Completions.profiles) var profile: String?
        @Option(help: "What to print: table, json (the plan file), markdown, or svg.") var format: OutputFormat = .table
        @Option(name: .shortAndLong, help: "Write the new plan file here.") var output: String?
        @Option(help: "Write the scripts, configs and H_migrate.sh into this directory.") var emit: String?
        @Option(help: "Stop the solver after this many seconds.") var timeLimit: Double = 60
        @Option(help: "Stop each solver level after this many branch-and-bound nodes.") var nodeLimit: Int?
        @Flag(help: "Let --emit overwrite files that placeplan did not write.") var force = false
        @Flag(help: "No progress line on standard error.") var quiet = false

        func validate() throws {
            if let n = nodeLimit, n < 1 { throw ValidationError("--node-limit must be at least 1 (got \(n))") }
            guard timeLimit > 0, timeLimit.isFinite, timeLimit <= 86400 else { throw ValidationError("--time-limit must be more than 0 and at most 86400 seconds (got \(timeLimit))") }
            guard within >= 0, within <= 100 else { throw ValidationError("--within must be a percentage from 0 to 100 (got \(within))") }
        }

        func run() throws {
            try Failure.run {
                guard let data = FileManager.default.contents(atPath: from) else { throw MissingInput(path: from, reason: "no such file or unreadable") }
                let old = try PlanCodec.decode(data, file: from)
                let began = Deadline.monotonic()
                let c = try ClusterLoader.load(path: cluster)
                for w in c.warnings { printErr(w.description) }
                let p = try Env.profile(profile, cluster: c, clusterPath: cluster)
                let progress = quiet || isatty(STDERR_FILENO) == 0 ? nil : ProgressLine.report
                let result = try Planner.plan(c, profile: p, file: cluster, timeLimit: Solve.left(timeLimit, since: began), nodeLimit: nodeLimit, progress: progress, replanning: old, within: within)
                if progress != nil { ProgressLine.finish() }
                try Solve.deliver(result, result.plan, format: format, output: output, emit: emit, force: force, cluster: c.name, timeLimit: timeLimit)
            }
        }
    }
}
