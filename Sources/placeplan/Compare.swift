import ArgumentParser
import Foundation
import PlacePlanCore

enum CompareFormat: String, ExpressibleByArgument, CaseIterable { case table, json, markdown, html }

extension PlacePlan {
    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Solve under several profiles and compare them side by side.",
            discussion: """
            Solves CLUSTER once per --profile, in the order given (the same profile twice is fine), and prints \
            one table: per profile the status, coverage, models placed, quality, instances, memory used / \
            capacity / headroom per host, and estimated decode tokens/s per model and per host; then the \
            models placed differently, one line each (`llama3:70b: q8_0 on mac/0 | q4_K_M on mac/1 | unplaced`).

            tok/s figures are the plan's single-stream roofline estimates. "Σ alone" sums them as if each \
            copy ran alone; "Σ shared" assumes every copy on one device (a unified host or one GPU) decodes \
            at once, each getting ~1/k of the bandwidth-bound part.

            --format json prints {"format": "placeplan-compare/1", "plans": [PLAN, ...]}: one plan file \
            (SPEC §5) per --profile, in order. --format html is a page with the table and one memory map \
            (SVG) per profile. No timings are printed, so the output is the same bytes for the same input.

            A profile under which the cluster is infeasible is a column that says why; it does not stop the \
            comparison.

            Exit codes:
              0   at least one profile gives a plan (others may be infeasible; their columns say why)
              1   every profile is infeasible (the output is still printed)
              64  usage error (e.g. fewer than one --profile)
              65  invalid cluster, or an unknown profile name (the available ones are listed)
              66  cluster or profile file missing
              70  no profile gave a placement within --time-limit / --node-limit
              73  -o FILE cannot be written (an existing FILE is replaced)
            """)

        @Argument(help: "The cluster file (.yaml, .yml or .json).") var cluster: String
        @Option(help: "A profile name in Profiles/ or a path; repeat for each column.", completion: Completions.profiles) var profile: [String] = []
        @Option(help: "What to print: table, json, markdown or html.") var format: CompareFormat = .table
        @Option(name: .shortAndLong, help: "Write the output here (whole, or not at all) instead of printing it.") var output: String?
        @Option(help: "Stop the solver after this many seconds per profile.") var timeLimit: Double = 60
        @Option(help: "Stop each solver level after this many branch-and-bound nodes (same plan on every machine).") var nodeLimit: Int?
        @Flag(help: "Accepted for compatibility: -o always replaces its file.") var force = false

        func validate() throws {
            if profile.isEmpty { throw ValidationError("give at least one --profile (usually two or more)") }
            if let n = nodeLimit, n < 1 { throw ValidationError("--node-limit must be at least 1 (got \(n))") }
            guard timeLimit > 0, timeLimit.isFinite, timeLimit <= 86400 else { throw ValidationError("--time-limit must be more than 0 and at most 86400 seconds (got \(timeLimit)); for a plan that does not depend on the machine, use --node-limit") }
        }

        func run() throws {
            try Failure.run {
                let c = try ClusterLoader.load(path: cluster)
                for w in c.warnings { printErr(w.description) }
                // Every profile is loaded before anything is solved: an unknown name fails fast (65).
                var profiles: [Profile] = []
                var errors: [Diagnostic] = []
                for name in profile {
                    do { profiles.append(try Env.profile(name, cluster: c, clusterPath: cluster)) } catch let e as InvalidInput { errors += e.diagnostics }
                }
                if !errors.isEmpty { throw InvalidInput(errors) }

                var solved: [String: Comparison.Column] = [:]
                var columns: [Comparison.Column] = []
                for (label, p) in zip(profile, profiles) {
                    if let done = solved[label] { columns.append(done); continue }
                    let r = try Planner.plan(c, profile: p, file: cluster, timeLimit: timeLimit, nodeLimit: nodeLimit)
                    let col = Comparison.Column(label: label, plan: r.plan, noPlacement: r.outcome.status == .unknown)
                    solved[label] = col
                    columns.append(col)
                }
                let comparison = Comparison(columns: columns)
                let text: String
                switch format {
                case .json: text = comparison.json
                case .table: text = CompareReport.table(comparison)
                case .markdown: text = CompareReport.markdown(comparison)
                case .html: text = CompareReport.html(comparison)
                }
                if let output {
                    try AtomicFile.write(text, to: output)
                } else {
                    writeStdout(text)
                }
                if columns.contains(where: \.givesPlan) { return }
                if columns.contains(where: { $0.plan.status == .infeasible }) {
                    throw Infeasible(description: "placeplan: infeasible under every profile:\n" + zip(comparison.headers, columns).flatMap { h, col in
                        col.plan.unplaced.map { "  - \(h): \($0.reason)" }
                    }.joined(separator: "\n"))
                }
                throw SolverFailure(description: "placeplan: no profile gave a placement within --time-limit \(timeLimit) s\n  fix: raise --time-limit or --node-limit")
            }
        }
    }
}
