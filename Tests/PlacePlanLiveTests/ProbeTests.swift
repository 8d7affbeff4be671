import Foundation
import OllamaStandIn
import PlacePlanCore
@testable import PlacePlanLive
import Testing

/// The HTTP probe against stand-in Ollama servers on loopback, with injected faults.
@Suite(.enabled(if: OllamaStandIn.pythonAvailable, "needs python3 for Tests/Support/fake_ollama.py"))
struct ProbeTests {
    static let gb: Int64 = 1_000_000_000
    typealias R = LivePlan

    /// The timeout is generous (2.5 s, the slow stand-in waits 10 s) so a loaded machine running the
    /// whole suite in parallel does not time the healthy stand-ins out; the exact cut is tested in
    /// VerifyCLITests with the built binary.
    @Test func everyInjectedFaultIsReportedExactly() async throws {
        let clean = try OllamaStandIn(.init(resident: [R.running("a:1", vram: 10 * Self.gb)]))
        let downPort = OllamaStandIn.closedPort()
        let slow = try OllamaStandIn(.init(resident: [R.running("c:1", vram: 10 * Self.gb)], delay: 10))
        let wrong = try OllamaStandIn(.init(resident: [R.running("a:1", vram: 10 * Self.gb)]))
        let extra = try OllamaStandIn(.init(resident: [R.running("e:1", vram: 10 * Self.gb), R.running("x:1", vram: Self.gb)]))
        let big = try OllamaStandIn(.init(resident: [R.running("f:1", vram: 13 * Self.gb)]))
        let busy = try OllamaStandIn(.init(resident: [R.running("g:1", vram: 10 * Self.gb)], status: 503))
        let shortCtx = try OllamaStandIn(.init(resident: [R.running("h:1", vram: 10 * Self.gb, ctx: 2048)]))
        let plan = LivePlan.make([
            .init("lab/0", port: clean.port, [.init("a:1", 10 * Self.gb)]),
            .init("lab/1", port: downPort, [.init("b:1", 10 * Self.gb)]),
            .init("lab/2", port: slow.port, [.init("c:1", 10 * Self.gb)]),
            .init("lab/3", port: wrong.port, [.init("d:1", 10 * Self.gb)]),
            .init("lab/4", port: extra.port, [.init("e:1", 10 * Self.gb)]),
            .init("lab/5", port: big.port, [.init("f:1", 10 * Self.gb)]),
            .init("lab/6", port: busy.port, [.init("g:1", 10 * Self.gb)]),
            .init("lab/7", port: shortCtx.port, [.init("h:1", 10 * Self.gb)]),
        ])
        let targets = VerifyTarget.all(in: plan)
        let obs = await OllamaProbe(timeout: 2.5).observe(targets)
        let r = DriftCheck.compare(targets: targets, observations: obs, cluster: plan.cluster, timeout: 2.5)

        #expect(r.drift.map { "\($0.instance) \($0.kind.rawValue) \($0.model ?? "-")" } == [
            "lab/1 down -",
            "lab/2 down -",
            "lab/3 missing d:1", "lab/3 wrong_instance a:1",
            "lab/4 extra x:1",
            "lab/5 size f:1",
            "lab/6 down -",
            "lab/7 context h:1",
        ])
        let reason = Dictionary(uniqueKeysWithValues: r.instances.map { ($0.id, $0.reason ?? "") })
        #expect(reason["lab/1"]!.contains("connection refused"), "\(reason["lab/1"]!)")
        #expect(reason["lab/2"]!.contains("no answer within 2.5 s"), "\(reason["lab/2"]!)")
        #expect(reason["lab/6"]!.contains("HTTP 503"), "\(reason["lab/6"]!)")
        #expect(r.instances.map(\.status) == ["up", "down", "down", "up", "up", "up", "down", "up"])
        #expect(r.drift.first { $0.kind == .wrong_instance }?.planned_on == ["lab/0"])
        #expect(r.drift.first { $0.kind == .size }?.deviation == 0.3)
        #expect(r.drift.first { $0.kind == .context }.map { ($0.planned_ctx, $0.context_length) } ?? (0, 0) == (8192, 2048))
        #expect(r.instances[0].version == "0.0.0-placeplan-fake")
        // How long it took is checked in VerifyCLITests, in a process of its own: here the
        // whole suite's blocking tests share the cooperative pool (8 s measured under load).
        withExtendedLifetime([clean, slow, wrong, extra, big, busy, shortCtx]) {}
    }

    @Test func cleanClusterReportsNoDrift() async throws {
        let s0 = try OllamaStandIn(.init(resident: [R.running("llama3:8b", vram: 6 * Self.gb), R.running("qwen2.5:latest", vram: 10 * Self.gb, ctx: 4096)]))
        let s1 = try OllamaStandIn(.init(resident: [R.running("mistral:7b", vram: 5_400_000_000)]))
        let s2 = try OllamaStandIn()
        let plan = LivePlan.make([
            .init("lab/0", port: s0.port, [.init("llama3:8b", 6 * Self.gb), .init("qwen2.5", 10 * Self.gb)]),
            .init("lab/1", port: s1.port, [.init("mistral:7b", 5 * Self.gb)]),
            .init("lab/2", port: s2.port, []),
        ], ctx: ["qwen2.5": 4096])
        let targets = VerifyTarget.all(in: plan)
        let r = DriftCheck.compare(targets: targets, observations: await OllamaProbe(timeout: 2).observe(targets))
        #expect(r.drift == [])
        #expect(r.ok && r.answering == 3)
        withExtendedLifetime([s0, s1, s2]) {}
    }
}
