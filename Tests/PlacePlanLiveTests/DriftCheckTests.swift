import Foundation
import OllamaStandIn
import PlacePlanCore
@testable import PlacePlanLive
import Testing

/// The pure comparison: plan + observations → drift, no network.
struct DriftCheckTests {
    static let gb: Int64 = 1_000_000_000

    static func plan() -> Plan {
        LivePlan.make([
            .init("lab/0", port: 1, [.init("llama3:8b", 6 * gb), .init("qwen2.5", 10 * gb)]),
            .init("lab/1", port: 2, [.init("mistral:7b", 5 * gb)]),
        ], ctx: ["llama3:8b": 8192, "qwen2.5": 4096, "mistral:7b": 16384], parallel: ["qwen2.5": 2])
    }

    static func up(_ id: String, _ running: [OllamaAPI.Running], pulled: [String] = []) -> Observation {
        Observation(instance: id, outcome: .answered(version: "0.33.0", running: running, available: pulled + running.map(\.displayName)))
    }

    static func ps(_ name: String, _ vram: Int64, ctx: Int) -> OllamaAPI.Running {
        OllamaAPI.Running(name: name, model: name, size: vram, size_vram: vram, context_length: ctx)
    }

    static func kinds(_ r: VerifyReport) -> [String] {
        r.drift.map { "\($0.instance) \($0.kind.rawValue) \($0.model ?? "-")" }
    }

    @Test(arguments: [
        ("llama3", "llama3:latest", true), ("LLama3:Latest", "llama3", true),
        ("registry.ollama.ai/library/llama3:8b", "llama3:8b", true), ("library/qwen2.5", "qwen2.5:latest", true),
        ("llama3:8b", "llama3:70b", false), ("llama3:8b", "llama3", false), ("me/llama3", "llama3", false),
    ])
    func namesMatchAsOllamaParsesThem(a: String, b: String, same: Bool) {
        #expect(OllamaName.same(a, b) == same, "\(a) vs \(b)")
    }

    @Test func cleanClusterHasNoDrift() {
        let p = Self.plan()
        // qwen2.5 runs as qwen2.5:latest with ctx 4096 × parallel 2; sizes within ±10%.
        let obs = [Self.up("lab/0", [Self.ps("qwen2.5:latest", 10_900_000_000, ctx: 8192), Self.ps("llama3:8b", 5_500_000_000, ctx: 8192)]),
                   Self.up("lab/1", [Self.ps("mistral:7b", 5 * Self.gb, ctx: 16384)])]
        let r = DriftCheck.compare(targets: VerifyTarget.all(in: p), observations: obs, cluster: p.cluster)
        #expect(r.drift == [])
        #expect(r.ok && r.answering == 2)
        #expect(r.table.contains("no drift"))
    }

    @Test func eachKindIsReportedOnItsInstance() {
        let p = Self.plan()
        let obs = [
            // llama3:8b missing but pulled; qwen2.5 13 GB (30% over 10 GB) and ctx 2048; mistral belongs on lab/1; phi3 is planned nowhere.
            Self.up("lab/0", [Self.ps("qwen2.5", 13 * Self.gb, ctx: 2048), Self.ps("mistral:7b", 5 * Self.gb, ctx: 16384), Self.ps("phi3", Self.gb, ctx: 2048)],
                    pulled: ["llama3:8b"]),
            Observation(instance: "lab/1", outcome: .down(reason: "/api/ps: HTTP 503")),
        ]
        let r = DriftCheck.compare(targets: VerifyTarget.all(in: p), observations: obs)
        #expect(Self.kinds(r) == [
            "lab/0 missing llama3:8b", "lab/0 size qwen2.5", "lab/0 context qwen2.5",
            "lab/0 wrong_instance mistral:7b", "lab/0 extra phi3", "lab/1 down -",
        ])
        let size = r.drift.first { $0.kind == .size }!
        #expect(size.planned_bytes == 10 * Self.gb && size.size_vram == 13 * Self.gb && size.deviation == 0.3)
        #expect(size.message.contains("30% above"))
        #expect(r.drift.first { $0.kind == .missing }?.pulled == true)
        #expect(r.drift.first { $0.kind == .wrong_instance }?.planned_on == ["lab/1"])
        let ctx = r.drift.first { $0.kind == .context }!
        #expect(ctx.planned_ctx == 4096 && ctx.context_length == 2048)
        #expect(!r.ok && r.answering == 1)
    }

    @Test(arguments: [(Int64(10_900_000_000), false), (11_100_000_000, true), (9_100_000_000, false), (8_900_000_000, true)])
    func sizeToleranceIsTenPercent(vram: Int64, drifts: Bool) {
        let p = LivePlan.make([.init("lab/0", port: 1, [.init("m:1", 10 * Self.gb)])])
        let r = DriftCheck.compare(targets: VerifyTarget.all(in: p), observations: [Self.up("lab/0", [Self.ps("m:1", vram, ctx: 8192)])])
        #expect((r.drift.map(\.kind) == [.size]) == drifts)
        #expect(r.drift.isEmpty == !drifts)
    }

    @Test func missingSaysWhetherTheModelIsPulled() {
        let p = LivePlan.make([.init("lab/0", port: 1, [.init("m:1", Self.gb)])])
        let r = DriftCheck.compare(targets: VerifyTarget.all(in: p), observations: [Self.up("lab/0", [])])
        #expect(r.drift.map(\.kind) == [.missing])
        #expect(r.drift[0].pulled == false)
        #expect(r.drift[0].message.contains("not even pulled"))
    }

    @Test func perCopyContextWinsOverTheModelsContext() throws {
        let p = LivePlan.make([.init("lab/0", port: 1, [.init("m:1", Self.gb)])], ctx: ["m:1": 8192])
        // A plan file whose copy carries its own ctx (a later plan format may add it).
        var obj = try #require(JSONSerialization.jsonObject(with: Data(PlanCodec.encode(p).utf8)) as? [String: Any])
        var hosts = obj["hosts"] as! [[String: Any]]
        var inst = hosts[0]["instances"] as! [[String: Any]]
        var models = inst[0]["models"] as! [[String: Any]]
        models[0]["ctx"] = 32768
        inst[0]["models"] = models; hosts[0]["instances"] = inst; obj["hosts"] = hosts
        let data = try JSONSerialization.data(withJSONObject: obj)
        let decoded = try PlanCodec.decode(data, file: "plan.json")
        let targets = VerifyTarget.all(in: decoded, planData: data)
        #expect(targets[0].copies[0].ctx == 32768)
        let at8k = DriftCheck.compare(targets: targets, observations: [Self.up("lab/0", [Self.ps("m:1", Self.gb, ctx: 8192)])])
        #expect(at8k.drift.map(\.kind) == [.context])
        let at32k = DriftCheck.compare(targets: targets, observations: [Self.up("lab/0", [Self.ps("m:1", Self.gb, ctx: 32768)])])
        #expect(at32k.drift == [])
    }

    @Test func jsonCarriesFormatOkAndDrift() throws {
        let p = Self.plan()
        let r = DriftCheck.compare(targets: VerifyTarget.all(in: p), observations: [], cluster: p.cluster, timeout: 0.5)
        let obj = try #require(JSONSerialization.jsonObject(with: Data(r.json.utf8)) as? [String: Any])
        #expect(obj["format"] as? String == "placeplan-verify/1")
        #expect(obj["ok"] as? Bool == false)
        #expect((obj["instances"] as? [[String: Any]])?.map { $0["status"] as? String } == ["down", "down"])
        #expect((obj["drift"] as? [[String: Any]])?.count == 2)
        #expect(try JSONDecoder().decode(VerifyReport.self, from: Data(r.json.utf8)) == r)
    }
}

extension DriftCheckTests {
    /// SPEC §8: an on-demand model may be loaded on its instance or not; loaded elsewhere is drift;
    /// an instance the plan does not start is not asked.
    @Test func onDemandTierAndUnstartedInstances() {
        var p = Self.plan()
        p.hosts[0].instances[1].on_demand = [Plan.PlacedModel(name: "phi3:14b", quant: "q4_K_M", footprint_bytes: 9 * Self.gb, weights_bytes: 8 * Self.gb,
                                                             kv_cache_bytes: 0, compute_bytes: 0, footprint_source: "catalog")]
        let targets = VerifyTarget.all(in: p)
        let loadedHere = [Self.up("lab/0", [Self.ps("qwen2.5", 10 * Self.gb, ctx: 8192), Self.ps("llama3:8b", 6 * Self.gb, ctx: 8192)]),
                          Self.up("lab/1", [Self.ps("mistral:7b", 5 * Self.gb, ctx: 16384), Self.ps("phi3:14b", 9 * Self.gb, ctx: 4096)])]
        #expect(DriftCheck.compare(targets: targets, observations: loadedHere).drift == [])
        let notLoaded = [loadedHere[0], Self.up("lab/1", [Self.ps("mistral:7b", 5 * Self.gb, ctx: 16384)])]
        #expect(DriftCheck.compare(targets: targets, observations: notLoaded).drift == [])
        let elsewhere = [Self.up("lab/0", [Self.ps("qwen2.5", 10 * Self.gb, ctx: 8192), Self.ps("llama3:8b", 6 * Self.gb, ctx: 8192), Self.ps("phi3:14b", 9 * Self.gb, ctx: 4096)]),
                         loadedHere[1]]
        #expect(Self.kinds(DriftCheck.compare(targets: targets, observations: elsewhere)) == ["lab/0 wrong_instance phi3:14b"])
        var q = Self.plan()
        q.hosts[0].instances[1].models = []
        q.hosts[0].instances[1].start = false
        #expect(VerifyTarget.all(in: q).map(\.instance) == ["lab/0"])
    }
}
