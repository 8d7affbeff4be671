import ArgumentParser
import Foundation
import PlacePlanCore
import PlacePlanLive

enum VerifyFormat: String, ExpressibleByArgument, CaseIterable { case table, json }

extension PlacePlan {
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a running cluster against its plan (read-only).",
            discussion: """
            Asks every instance of PLAN (http://<host address>:<port>) GET /api/version, /api/ps and \
            /api/tags, all at once, each request with --timeout, and reports drift per instance: down \
            (refused, timed out, non-2xx), a planned model missing from /api/ps, an extra model loaded, \
            a model loaded on the wrong instance, size_vram more than 10% from the planned footprint, \
            a context_length other than the planned ctx (or ctx × parallel). It never loads, unloads \
            or deletes anything.

            --format json prints {"format": "placeplan-verify/1", "cluster", "timeout_s", \
            "instances": [...], "drift": [...], "ok"} (README "verify").

            Exit codes:
              0   the cluster runs what the plan says
              1   drift (listed), or the plan is infeasible
              65  invalid plan file
              66  plan file missing or unreadable
              69  no planned instance answers
            """)

        @Argument(help: "A plan file written by `placeplan solve -o`.") var plan: String
        @Option(help: "Seconds each request may take (connect included).") var timeout: Double = 3
        @Option(help: "What to print: table or json.") var format: VerifyFormat = .table

        func validate() throws {
            guard timeout > 0, timeout.isFinite, timeout <= 600 else { throw ValidationError("--timeout must be between 0 and 600 seconds (got \(timeout))") }
        }

        func run() async throws {
            let read: (Plan, Data)
            do { read = try load() } catch { throw Failure.exit(for: error) }
            let (p, data) = read
            let targets = VerifyTarget.all(in: p, planData: data)
            let observations = await OllamaProbe(timeout: timeout).observe(targets)
            let report = DriftCheck.compare(targets: targets, observations: observations, cluster: p.cluster, timeout: timeout)
            writeStdout(format == .json ? report.json : report.table)
            if !targets.isEmpty && report.answering == 0 {
                throw Failure.exit(for: Unavailable(description: "placeplan: no planned instance answers (\(targets.count) asked)"))
            }
            if !report.ok { throw ExitCode(1) }
        }

        func load() throws -> (Plan, Data) {
            guard let data = FileManager.default.contents(atPath: plan) else { throw MissingInput(path: plan, reason: "no such file or unreadable") }
            let p = try PlanCodec.decode(data, file: plan)
            guard p.status != .infeasible else {
                throw Infeasible(description: "\(plan): error: the plan is infeasible, so nothing should be running:\n" + p.unplaced.map { "  - \($0.reason)" }.joined(separator: "\n"))
            }
            return (p, data)
        }
    }
}
