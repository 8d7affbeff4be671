import ArgumentParser
import Foundation
import PlacePlanCore

@main
struct PlacePlan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "placeplan",
        abstract: "Decide which LLM runs where in a small inference cluster, prove it is the best placement, and write what runs it.",
        discussion: """
        Start: placeplan solve CLUSTER.yaml -o plan.json, then placeplan emit plan.json --out DIR.
        Reference (in the repository): docs/cluster-file.md (every field of the cluster file),
        docs/profiles.md (every profile key), docs/plan-file.md (plan.json), docs/commands.md
        (every command, option and exit code).

        Exit codes:
          0   a plan (optional models may stay unplaced, and are listed)
          1   infeasible: a required model or a hard constraint cannot be met (the reason is printed)
          64  usage error
          65  invalid input (the message names the file, the field and the fix)
          66  input missing or unreadable
          69  verify: no planned instance answers
          70  internal or solver failure
          73  output cannot be written
        """,
        version: "0.1.0",
        subcommands: [Solve.self, Emit.self, Compare.self, FootprintCommand.self, Scan.self, Profiles.self, CheckClaim.self, Verify.self, Replan.self, TraceCommand.self, Simulate.self]
    )
}
