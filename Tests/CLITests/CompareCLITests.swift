import Foundation
import Testing

/// `placeplan compare` and `placeplan check-claim` end to end.
@Suite(.serialized) struct CompareCLITests {
    static let seed = CLI.packageRoot.appendingPathComponent("Plans/seed000-mac-studio/cluster.yaml").path
    /// The arguments of Plans/seed000-mac-studio/compare.md (also in scripts/regen-plans.sh).
    static let goldenArgs = ["compare", seed, "--profile", "conservative", "--profile", "aggressive", "--profile", "quality-first",
                             "--profile", "quantity-first", "--profile", "mixed", "--format", "markdown", "--node-limit", "3000"]

    /// A cluster whose required 70B model fits only a profile with one big instance (`shared`).
    static func requiredClusterFile() throws -> String {
        let dir = CLI.tempDir()
        let path = dir.appendingPathComponent("required.yaml").path
        try """
        name: required-70b
        hosts:
          - {name: mac, address: 10.0.0.100, preset: mac-studio-m2-ultra-128}
        models:
          - {name: "llama3:70b", priority: 10, required: true}
          - {name: "mistral:7b", priority: 2}
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    struct File: Decodable {
        struct P: Decodable { var profile: String; var status: String; var cluster: String; var unplaced: [U]; var format: String }
        struct U: Decodable { var name: String; var reason: String }
        var format: String
        var plans: [P]
    }

    @Test func jsonShapeOrderAndRepeatedProfile() throws {
        let r = try CLI.run(["compare", Self.seed, "--profile", "aggressive", "--profile", "conservative", "--profile", "aggressive",
                             "--format", "json", "--node-limit", "3000"])
        #expect(r.status == 0, "\(r.stderr)")
        let f = try JSONDecoder().decode(File.self, from: Data(r.stdout.utf8))
        #expect(f.format == "placeplan-compare/1")
        #expect(f.plans.map(\.profile) == ["aggressive", "conservative", "aggressive"])
        #expect(f.plans.allSatisfy { $0.format == "placeplan-plan/1" && $0.cluster == "seed000-mac-studio" })
        // The top level holds exactly format and plans.
        let top = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect(top.map { Set($0.keys) } == ["format", "plans"])
        // Each plan is the plan `solve` writes, byte for byte (indented one level deeper).
        let solo = try CLI.run(["solve", Self.seed, "--profile", "conservative", "--format", "json", "--node-limit", "3000"])
        let plans = (top?["plans"] as? [Any]) ?? []
        let again = try JSONSerialization.data(withJSONObject: plans[1], options: [.sortedKeys])
        let soloData = try JSONSerialization.data(withJSONObject: try JSONSerialization.jsonObject(with: Data(solo.stdout.utf8)), options: [.sortedKeys])
        #expect(again == soloData)
        #expect(!r.stdout.contains("\\/"))
    }

    @Test func infeasibleProfileIsAColumnNotAFailure() throws {
        let cluster = try Self.requiredClusterFile()
        let r = try CLI.run(["compare", cluster, "--profile", "conservative", "--profile", "shared"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.crashed)
        #expect(r.stdout.contains("infeasible (why: below)"))
        #expect(r.stdout.contains("infeasible: required model llama3:70b needs"))
        #expect(r.stdout.contains("llama3:70b: infeasible | q8_0 on mac/0"))
        let j = try CLI.run(["compare", cluster, "--profile", "conservative", "--profile", "shared", "--format", "json"])
        let f = try JSONDecoder().decode(File.self, from: Data(j.stdout.utf8))
        #expect(f.plans.map(\.status) == ["infeasible", "optimal"])
        #expect(!f.plans[0].unplaced.isEmpty)
        // Infeasible under every profile: the table is still printed, exit 1.
        let all = try CLI.run(["compare", cluster, "--profile", "conservative", "--profile", "conservative"])
        #expect(all.status == 1)
        #expect(all.stdout.contains("conservative #2"))
        #expect(all.stderr.contains("infeasible under every profile"))
    }

    @Test func unknownProfileIs65AndListsTheAvailableOnes() throws {
        let r = try CLI.run(["compare", Self.seed, "--profile", "conservative", "--profile", "no-such-profile"])
        #expect(r.status == 65)
        #expect(r.stderr.contains("no-such-profile"))
        #expect(r.stderr.contains("available:") && r.stderr.contains("quality-first"))
        #expect(r.stdout.isEmpty)
    }

    @Test func invalidClusterIs65AndMissingIs66() throws {
        let dir = CLI.tempDir()
        let bad = dir.appendingPathComponent("bad.yaml").path
        try "name: bad\nhosts:\n  - {name: mac, unified_memory: lots}\nmodels: []\n".write(toFile: bad, atomically: true, encoding: .utf8)
        #expect(try CLI.run(["compare", bad, "--profile", "conservative", "--profile", "aggressive"]).status == 65)
        #expect(try CLI.run(["compare", dir.appendingPathComponent("nope.yaml").path, "--profile", "conservative"]).status == 66)
        #expect(try CLI.run(["compare", Self.seed]).status == 64)
    }

    @Test func tableShowsDifferencesAndBothThroughputSums() throws {
        let r = try CLI.run(["compare", Self.seed, "--profile", "conservative", "--profile", "quality-first", "--node-limit", "3000"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("differences (conservative | quality-first):"))
        // Instances of one host are interchangeable, so only the quant side of each line is fixed.
        #expect(r.stdout.range(of: #"  mistral:22b: q8_0 on mac/\d \| unplaced"#, options: .regularExpression) != nil)
        #expect(r.stdout.range(of: #"  codellama:34b: q5_K_M on mac/\d \| q8_0 on mac/\d"#, options: .regularExpression) != nil)
        #expect(r.stdout.contains("tok/s Σ alone") && r.stdout.contains("tok/s Σ shared"))
        #expect(r.stdout.contains("headroom GB"))
        #expect(!r.stdout.contains("solved in"))
    }

    @Test func htmlEmbedsOneWellFormedSVGPerProfile() throws {
        let r = try CLI.run(["compare", Self.seed, "--profile", "conservative", "--profile", "aggressive", "--profile", "mixed",
                             "--format", "html", "--node-limit", "3000"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.components(separatedBy: "<svg ").count - 1 == 3)
        guard let xmllint = ["/usr/bin/xmllint", "/usr/local/bin/xmllint"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            if ProcessInfo.processInfo.environment["PLACEPLAN_REQUIRE_TOOLS"] != nil { Issue.record("required tool xmllint is not installed") }
            return
        }
        let file = CLI.tempDir().appendingPathComponent("c.html")
        try r.stdout.write(to: file, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: xmllint)
        p.arguments = ["--noout", file.path]
        try p.run(); p.waitUntilExit()
        #expect(p.terminationStatus == 0)
    }

    @Test func outputFileIsWrittenWhole() throws {
        let out = CLI.tempDir().appendingPathComponent("cmp.md").path
        let r = try CLI.run(Self.goldenArgs + ["-o", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect((try? String(contentsOfFile: out, encoding: .utf8))?.hasPrefix("# Compare: seed000-mac-studio") == true)
        let foreign = CLI.tempDir().appendingPathComponent("mine.txt").path
        try "my notes\n".write(toFile: foreign, atomically: true, encoding: .utf8)
        // -o replaces an existing file as every Unix tool does (issue 19).
        #expect(try CLI.run(Self.goldenArgs + ["-o", foreign]).status == 0)
        #expect(try String(contentsOfFile: foreign, encoding: .utf8).hasPrefix("# Compare: seed000-mac-studio"))
    }

    /// Plans/seed000-mac-studio/compare.md is reproduced byte for byte; PLACEPLAN_RECORD=1 rewrites it (and fails).
    @Test func goldenCompareMarkdown() throws {
        let r = try CLI.run(Self.goldenArgs)
        #expect(r.status == 0, "\(r.stderr)")
        let golden = CLI.packageRoot.appendingPathComponent("Plans/seed000-mac-studio/compare.md")
        if ProcessInfo.processInfo.environment["PLACEPLAN_RECORD"] == "1" {
            try r.stdout.write(to: golden, atomically: true, encoding: .utf8)
            Issue.record("recorded \(golden.path); unset PLACEPLAN_RECORD and run again")
            return
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        #expect(r.stdout == expected, "Plans/seed000-mac-studio/compare.md differs; if intended, regenerate with PLACEPLAN_RECORD=1 swift test --filter CompareCLITests or scripts/regen-plans.sh")
        #expect(!expected.contains(" s ·") && !expected.contains("solved in"))
    }

    /// Seed 000's latency table through check-claim: exit 1 for the impossible rows, 0 for the rest.
    @Test(arguments: [
        (["--device", "RTX A4000", "--model", "30B", "--quant", "f16", "--tokens-per-s", "20"], Int32(1), "does not fit"),
        (["--device", "RTX A4000", "--model", "mistral:7b", "--quant", "f16", "--tokens-per-s", "60"], Int32(1), "above the"),
        (["--device", "RTX A4000", "--model", "llama2:13b", "--quant", "f16", "--tokens-per-s", "40"], Int32(1), "does not fit"),
        (["--device", "RTX A4000", "--model", "llama3:70b", "--quant", "q8_0", "--fits", "no"], Int32(0), "indeed does not fit"),
        (["--device", "mac-studio-m2-ultra-128", "--model", "mistral:7b", "--quant", "f16", "--tokens-per-s", "30"], Int32(0), "plausible"),
        (["--device", "mac-studio-m2-ultra-128", "--model", "llama2:13b", "--quant", "f16", "--tokens-per-s", "20"], Int32(0), "plausible"),
        (["--device", "mac-studio-m2-ultra-128", "--params", "30B", "--quant", "f16", "--tokens-per-s", "10"], Int32(0), "plausible"),
        (["--device", "mac-studio-m2-ultra-128", "--model", "llama3:70b", "--quant", "q8_0", "--tokens-per-s", "5"], Int32(0), "plausible"),
        (["--vram", "16GiB", "--bandwidth", "448GB/s", "--params", "7B", "--quant", "f16", "--tokens-per-s", "60"], Int32(1), "IMPOSSIBLE"),
    ])
    func checkClaim(args: [String], status: Int32, says: String) throws {
        let r = try CLI.run(["check-claim"] + args)
        #expect(r.status == status, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains(says), "\(r.stdout)")
    }

    @Test func checkClaimRejectsUnknownsAndBadUsage() throws {
        #expect(try CLI.run(["check-claim", "--device", "GTX Banana", "--model", "llama3:8b"]).status == 65)
        #expect(try CLI.run(["check-claim", "--device", "RTX A4000", "--model", "banana"]).status == 65)
        #expect(try CLI.run(["check-claim", "--model", "llama3:8b"]).status == 64)
        #expect(try CLI.run(["check-claim", "--device", "RTX A4000", "--model", "llama3:8b", "--quant", "q9"]).status == 64)
    }
}
