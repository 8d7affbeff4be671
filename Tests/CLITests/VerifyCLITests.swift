import Foundation
import OllamaStandIn
import PlacePlanCore
import Testing

/// `placeplan verify` end to end: the built binary against stand-in Ollama servers on loopback.
@Suite(.enabled(if: OllamaStandIn.pythonAvailable, "needs python3 for Tests/Support/fake_ollama.py"))
struct VerifyCLITests {
    static let gb: Int64 = 1_000_000_000

    static func write(_ plan: Plan) throws -> String {
        let path = CLI.tempDir().appendingPathComponent("plan.json").path
        try PlanCodec.encode(plan).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func cleanClusterExitsZero() throws {
        let s = try OllamaStandIn(.init(resident: [LivePlan.running("llama3:8b", vram: 6 * Self.gb)]))
        let plan = try Self.write(LivePlan.make([.init("lab/0", port: s.port, [.init("llama3:8b", 6 * Self.gb)])]))
        let r = try CLI.run(["verify", plan, "--timeout", "2"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("no drift"))
        #expect(r.stdout.contains("1 of 1 instances answer"))
        withExtendedLifetime(s) {}
    }

    @Test func driftExitsOneAndJSONSaysWhat() throws {
        let s0 = try OllamaStandIn(.init(resident: [LivePlan.running("llama3:8b", vram: 6 * Self.gb), LivePlan.running("phi3", vram: Self.gb)]))
        let plan = try Self.write(LivePlan.make([
            .init("lab/0", port: s0.port, [.init("llama3:8b", 6 * Self.gb)]),
            .init("lab/1", port: OllamaStandIn.closedPort(), [.init("mistral:7b", 5 * Self.gb)]),
        ]))
        let r = try CLI.run(["verify", plan, "--timeout", "2", "--format", "json"])
        #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
        let obj = try #require(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(obj["format"] as? String == "placeplan-verify/1")
        #expect(obj["ok"] as? Bool == false)
        let drift = (obj["drift"] as? [[String: Any]] ?? []).map { "\($0["instance"] ?? "") \($0["kind"] ?? "") \($0["model"] ?? "-")" }
        #expect(drift == ["lab/0 extra phi3:latest", "lab/1 down -"])  // as /api/ps names it

        let table = try CLI.run(["verify", plan, "--timeout", "2"])
        #expect(table.status == 1)
        #expect(table.stdout.contains("1 of 2 instances answer · 2 drift (1 down, 1 extra)"), "\(table.stdout)")
        withExtendedLifetime(s0) {}
    }

    @Test func nothingAnswersExits69() throws {
        let slow = try OllamaStandIn(.init(delay: 10))
        let plan = try Self.write(LivePlan.make([
            .init("lab/0", port: OllamaStandIn.closedPort(), [.init("llama3:8b", 6 * Self.gb)]),
            .init("lab/1", port: slow.port, []),
        ]))
        let start = Date()
        let r = try CLI.run(["verify", plan, "--timeout", "0.5"])
        let elapsed = Date().timeIntervalSince(start)
        #expect(r.status == 69, "\(r.stdout)\(r.stderr)")
        // The 10 s stand-in is cut at 0.5 s, not awaited (URLSession's own backstop would wait 6 s).
        #expect(elapsed < 4, "took \(elapsed) s")
        #expect(r.stderr.contains("no planned instance answers"))
        #expect(r.stdout.contains("connection refused"))
        #expect(r.stdout.contains("no answer within 0.5 s"))
        withExtendedLifetime(slow) {}
    }

    @Test func badPlanFilesExitAsOtherCommandsDo() throws {
        let dir = CLI.tempDir()
        let missing = try CLI.run(["verify", dir.appendingPathComponent("nope.json").path])
        #expect(missing.status == 66, "\(missing.stderr)")
        let bad = dir.appendingPathComponent("bad.json")
        try "{\"format\": \"placeplan-plan/1\", \"hosts\": [}".write(to: bad, atomically: true, encoding: .utf8)
        let invalid = try CLI.run(["verify", bad.path])
        #expect(invalid.status == 65, "\(invalid.stderr)")
        #expect(invalid.stderr.contains("bad.json"))
        let usage = try CLI.run(["verify", bad.path, "--timeout", "0"])
        #expect(usage.status == 64, "\(usage.stderr)")
    }
}
