import ArgumentParser
import Foundation
import PlacePlanCore

extension PlacePlan {
    struct Solve: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Place the cluster's models on its instances, optimally.")

        @Argument(help: "The cluster file (.yaml, .yml or .json).") var cluster: String
        @Option(help: "A profile name in Profiles/ or a path to a profile file.", completion: Completions.profiles) var profile: String?
        @Option(help: "What to print: table, json (the plan file), markdown, or svg (a memory map: one bar per instance).") var format: OutputFormat = .table
        @Option(name: .shortAndLong, help: "Write the plan file (SPEC §5) here.") var output: String?
        @Option(help: "Write the scripts and configs that run the plan into this directory.") var emit: String?
        @Option(help: "Stop the solver after this many seconds (best plan so far, status feasible).") var timeLimit: Double = 60
        @Option(help: "Stop each solver level after this many branch-and-bound nodes: unlike --time-limit, gives the same plan on every machine.") var nodeLimit: Int?
        @Flag(help: "Include solve time and program size in the plan (breaks byte-identical plans).") var stats = false
        @Flag(help: "Let --emit overwrite files that placeplan did not write (-o always replaces its file).") var force = false
        @Flag(help: "No progress line on standard error.") var quiet = false

        func validate() throws {
            if let n = nodeLimit, n < 1 { throw ValidationError("--node-limit must be at least 1 (got \(n))") }
            guard timeLimit > 0, timeLimit.isFinite, timeLimit <= 86400 else { throw ValidationError("--time-limit must be more than 0 and at most 86400 seconds (got \(timeLimit)); for a plan that does not depend on the machine, use --node-limit") }
        }

        /// `--time-limit` counts from the command's start: reading the cluster (and GGUF headers) is part of it.
        static func left(_ limit: Double, since began: Double) -> Double { max(0.05, limit - (Deadline.monotonic() - began)) }

        /// What `solve` and `replan` do with a plan: print it, write `-o`, exit 1 when infeasible
        /// (after writing), else write `--emit`.
        static func deliver(_ result: Planner.Result, _ plan: Plan, format: OutputFormat, output: String?, emit: String?, force: Bool,
                            cluster: String, timeLimit: Double) throws {
            if result.outcome.status == .unknown {
                throw SolverFailure(description: "placeplan: no placement found within --time-limit \(timeLimit) s (best bound: coverage ≤ \(result.outcome.coverageBound))\n  fix: raise --time-limit")
            }
            let json = PlanCodec.encode(plan)
            // The plan file first: a reader that closes standard output early (`| head`) must not lose it.
            if let output { try AtomicFile.write(json, to: output) }
            switch format {
            case .json: writeStdout(json)
            case .table: writeStdout(PlanReport.table(plan, seconds: result.seconds))
            case .markdown: writeStdout(PlanReport.markdown(plan, seconds: result.seconds))
            case .svg: writeStdout(MemoryMapSVG.render(plan))
            }
            if plan.status == .infeasible {
                throw Infeasible(description: "placeplan: infeasible:\n" + plan.unplaced.map { "  - \($0.reason)" }.joined(separator: "\n"))
            }
            if let emit { try EmitRunner.emit(plan, planName: output.map { ($0 as NSString).lastPathComponent } ?? "\(cluster).plan.json", to: emit, targets: ["all"], force: force) }
        }

        func run() throws {
            try Failure.run {
                let began = Deadline.monotonic()
                let c = try ClusterLoader.load(path: cluster)
                for w in c.warnings { printErr(w.description) }
                let p = try Env.profile(profile, cluster: c, clusterPath: cluster)
                let progress = quiet || isatty(STDERR_FILENO) == 0 ? nil : ProgressLine.report
                let result = try Planner.plan(c, profile: p, file: cluster, timeLimit: Self.left(timeLimit, since: began), nodeLimit: nodeLimit, progress: progress)
                if progress != nil { ProgressLine.finish() }
                var plan = result.plan
                if stats { plan.stats = .init(solve_seconds: (result.seconds * 1000).rounded() / 1000, variables: result.outcome.variables, constraints: result.outcome.constraints) }
                try Self.deliver(result, plan, format: format, output: output, emit: emit, force: force, cluster: c.name, timeLimit: timeLimit)
            }
        }
    }
}

/// One self-overwriting line on a terminal's standard error for solves over one second.
enum ProgressLine {
    nonisolated(unsafe) static var shown = false
    static func report(_ p: SolveProgress) {
        guard p.elapsed >= 1 else { return }
        var line = "placeplan: \(Units.format(p.elapsed, digits: 1)) s · \(p.phase) · coverage \(p.coverage)"
        if let b = p.coverageBound { line += " (bound \(b), gap \(Units.format(b > 0 ? Double(b - p.coverage) / Double(b) * 100 : 0, digits: 2))%)" }
        line += " · quality \(Units.format(p.quality, digits: 3))"
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
        shown = true
    }
    static func finish() { if shown { FileHandle.standardError.write(Data("\n".utf8)) } }
}
