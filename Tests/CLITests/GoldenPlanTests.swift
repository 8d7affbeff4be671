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

/// Every file `placeplan emit` writes for each scenario is committed under Plans/<scenario>/emit/.
@Suite(.serialized) struct GoldenEmitTests {
    static func files(in dir: URL) -> [String: String] {
        var out: [String: String] = [:]
        guard let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: [.isRegularFileKey]) else { return out }
        for case let u as URL in e where (try? u.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            let rel = String(u.standardizedFileURL.path.dropFirst(dir.standardizedFileURL.path.count + 1))
            out[rel] = (try? String(contentsOf: u, encoding: .utf8)) ?? "<binary>"
        }
        return out
    }

    @Test(arguments: GoldenPlanTests.scenarios)
    func emittedFilesAreReproduced(scenario: String) throws {
        let dir = CLI.packageRoot.appendingPathComponent("Plans").appendingPathComponent(scenario)
        let plan = dir.appendingPathComponent("plan.json")
        let out = CLI.tempDir().appendingPathComponent("emit")
        let r = try CLI.run(["emit", plan.path, "--out", out.path])
        if (try? Data(contentsOf: plan)).map({ String(decoding: $0, as: UTF8.self).contains("\"status\" : \"infeasible\"") }) == true {
            return  // nothing runs an infeasible plan
        }
        #expect(r.status == 0, "\(r.stderr)")
        let golden = dir.appendingPathComponent("emit")
        if ProcessInfo.processInfo.environment["PLACEPLAN_RECORD"] == "1" {
            try? FileManager.default.removeItem(at: golden)
            try FileManager.default.copyItem(at: out, to: golden)
            Issue.record("recorded \(golden.path)")
            return
        }
        let got = Self.files(in: out), want = Self.files(in: golden)
        #expect(got.keys.sorted() == want.keys.sorted(), "file lists differ for \(scenario)")
        for (k, v) in want where got[k] != v { Issue.record("Plans/\(scenario)/emit/\(k) differs; regenerate with PLACEPLAN_RECORD=1") }
        // Scripts keep their executable bit.
        for k in got.keys where k.hasSuffix(".sh") { #expect(FileManager.default.isExecutableFile(atPath: out.appendingPathComponent(k).path)) }
    }
}
