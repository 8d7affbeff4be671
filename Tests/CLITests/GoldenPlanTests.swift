import Foundation
import Testing

/// The committed scenarios under Plans/ are reproduced byte for byte. `PLACEPLAN_RECORD=1`
/// rewrites them (and fails, so a recording run is never mistaken for a passing one).
@Suite(.serialized) struct GoldenPlanTests {
    static let scenarios: [String] = {
        let dir = CLI.packageRoot.appendingPathComponent("Plans")
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [])
            .filter { FileManager.default.fileExists(atPath: dir.appendingPathComponent($0).appendingPathComponent("cluster.yaml").path) }.sorted()
    }()

    /// The arguments every golden plan is made with (also used by scripts/regen-plans.sh).
    static let solveArgs = ["--format", "json", "--node-limit", "3000"]

    @Test func thereAreAtLeastThreeScenarios() { #expect(Self.scenarios.count >= 3) }

    @Test(arguments: scenarios)
    func planIsReproduced(scenario: String) throws {
        let dir = CLI.packageRoot.appendingPathComponent("Plans").appendingPathComponent(scenario)
        let r = try CLI.run(["solve", dir.appendingPathComponent("cluster.yaml").path] + Self.solveArgs)
        #expect(!r.crashed)
        #expect(r.status == 0 || r.status == 1, "\(r.stderr)")
        let golden = dir.appendingPathComponent("plan.json")
        if ProcessInfo.processInfo.environment["PLACEPLAN_RECORD"] == "1" {
            try r.stdout.write(to: golden, atomically: true, encoding: .utf8)
            Issue.record("recorded \(golden.path); unset PLACEPLAN_RECORD and run again")
            return
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        #expect(r.stdout == expected, "Plans/\(scenario)/plan.json differs; if the change is intended, regenerate with PLACEPLAN_RECORD=1 swift test --filter GoldenPlanTests")
    }
}
