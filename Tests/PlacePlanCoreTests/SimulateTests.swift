import Foundation
import Testing
@testable import PlacePlanCore

/// Plans built in Swift for the simulator: copies with known speeds, budgets and keep-alives.
enum SimFixture {
    struct C {
        var name: String
        var gb: Double = 4          // footprint, GB
        var weightsGB: Double = 3
        var decode: Double? = 50
        var prefill: Double? = 500
        var onDemand = false
    }
    struct I {
        var gpu: Int? = nil
        var copies: [C]
        var budgetGB: Double? = nil
        var keepAlive: String? = "-1"
        var maxLoaded: String? = nil
        var capacityGB: Double = 100
    }
    struct M { var name: String; var parallel = 1; var cold: Double? = nil; var slo: Double? = nil; var demand: Double? = nil }

    static func gb(_ x: Double) -> Int64 { Int64(x * 1e9) }

    static func plan(kind: String = "unified", storeRead: Double? = nil, _ instances: [I], models: [M] = []) -> Plan {
        var routes: [String: [Plan.Endpoint]] = [:]
        var names: Set<String> = []
        let insts = instances.enumerated().map { k, i -> Plan.Instance in
            var env = ["OLLAMA_NUM_PARALLEL": "1"]
            if let ka = i.keepAlive { env["OLLAMA_KEEP_ALIVE"] = ka }
            if let m = i.maxLoaded { env["OLLAMA_MAX_LOADED_MODELS"] = m }
            func placed(_ c: C) -> Plan.PlacedModel {
                names.insert(c.name)
                routes[c.name, default: []].append(Plan.Endpoint(instance: "h/\(k)", url: "http://127.0.0.1:\(11434 + k)", role: .primary))
                var p = Plan.PlacedModel(name: c.name, quant: "q4_K_M", footprint_bytes: gb(c.gb), weights_bytes: gb(c.weightsGB), kv_cache_bytes: 0,
                                         compute_bytes: 0, footprint_source: "sizes", decode_tokens_per_s: c.decode)
                p.prefill_tokens_per_s = c.prefill
                return p
            }
            let res = i.copies.filter { !$0.onDemand }.map(placed)
            let od = i.copies.filter(\.onDemand).map(placed)
            return Plan.Instance(id: "h/\(k)", port: 11434 + k, gpu: i.gpu, olol_port: 50051 + k, capacity_bytes: gb(i.capacityGB),
                                 used_bytes: res.reduce(0) { $0 + $1.footprint_bytes }, env: env, models: res,
                                 on_demand: od.isEmpty ? nil : od, on_demand_budget_bytes: i.budgetGB.map(gb))
        }
        var host = Plan.Host(name: "h", address: "127.0.0.1", kind: kind, capacity_bytes: gb(instances.reduce(0) { $0 + $1.capacityGB }), used_bytes: 0,
                             labels: [], overflow: false, instances: insts)
        host.store_read_gbps = storeRead
        let infos = names.sorted().map { n -> Plan.ModelInfo in
            let m = models.first { $0.name == n } ?? M(name: n)
            var info = Plan.ModelInfo(name: n, priority: 1, required: false, replicas: 1, ctx: 4096, parallel: m.parallel, quant: "q4_K_M", parameters: [:])
            info.cold_start_s = m.cold; info.slo_s = m.slo; info.demand_per_hour = m.demand
            info.tier = instances.contains { $0.copies.contains { $0.name == n && !$0.onDemand } } ? .resident : .onDemand
            return info
        }
        return Plan(cluster: "sim", profile: "test", status: .optimal, objective: .init(coverage: 1, quality: 1, quality_bound: 1, coverage_bound: 1),
                    solver: .init(name: "glpk", version: "5.0", method: "exact"),
                    settings: .init(kv_cache_type: "f16", flash_attention: true, ubatch: 512, keep_alive: "-1", proxy_port: 8000, olol: false, olol_proxy_port: 8001),
                    hosts: [host], unplaced: [], routes: routes.keys.sorted().map { Plan.Route(model: $0, endpoints: routes[$0]!) },
                    models: infos, notes: [])
    }

    static func trace(_ rs: [(Double, String, Int, Int)]) -> Trace {
        Trace(requests: rs.map { Trace.Request(time: $0.0, model: $0.1, prompt: $0.2, output: $0.3) })
    }

    static func run(_ plan: Plan, _ t: Trace) -> (SimReport, SimOutcome) {
        let sys = SimSystem.plan(plan)
        let o = Simulator(system: sys).run(t)
        return (SimReport(system: sys, trace: t, outcome: o), o)
    }
}

@Suite struct SimulatorHandComputedTests {
    typealias F = SimFixture

    @Test func oneResidentRequestTakesPromptOverPrefillPlusOutputOverDecode() {
        let p = F.plan([F.I(copies: [F.C(name: "a", decode: 50, prefill: 500)])])
        let (r, o) = F.run(p, F.trace([(10, "a", 1000, 100)]))
        // 1000 / 500 = 2 s to the first token, then 100 / 50 = 2 s of decode.
        #expect(abs(o.requests[0].firstToken - 12) < 1e-9)
        #expect(abs(o.requests[0].end - 14) < 1e-9)
        #expect(r.total.ttft_p50_s == 2.0 && r.total.e2e_p50_s == 4.0)
        #expect(r.total.resident_hits == 1 && r.total.loads == 0 && r.total.bytes_read == 0)
    }

    @Test func aColdRequestAddsTheLoadTime() {
        // cold_start_s from the plan.
        let p = F.plan([F.I(copies: [F.C(name: "a", onDemand: true)], budgetGB: 10)], models: [F.M(name: "a", cold: 3)])
        let (r, _) = F.run(p, F.trace([(0, "a", 1000, 100)]))
        #expect(r.total.ttft_p50_s == 5.0 && r.total.e2e_p50_s == 7.0)
        #expect(r.total.loads == 1 && r.total.resident_hits == 0 && r.total.bytes_read == 3_000_000_000)
        // Without cold_start_s: weights ÷ store_read + the load overhead (3 GB at 2 GB/s = 1.5 s, + 1.5 s).
        let q = F.plan(storeRead: 2, [F.I(copies: [F.C(name: "a", onDemand: true)], budgetGB: 10)])
        let (s, _) = F.run(q, F.trace([(0, "a", 1000, 100)]))
        #expect(s.total.ttft_p50_s == 2 + 1.5 + SimSystem.Defaults().loadOverheadSeconds)
        // A second request while loaded is a hit; one during the load waits for it.
        let (u, _) = F.run(p, F.trace([(0, "a", 1000, 100), (1, "a", 1000, 100), (20, "a", 500, 50)]))
        #expect(u.total.loads == 1 && u.total.joined_loads == 1 && u.total.resident_hits == 1)
    }

    @Test func twoStreamsOnOneDeviceShareItsBandwidth() {
        let c = Throughput.apple.fixedSeconds
        let m = 1.0 / 50 - c
        // Two instances of one Mac: one device. Both decode 100 tokens from t = 0.
        let p = F.plan([F.I(copies: [F.C(name: "a", prefill: 1e12)]), F.I(copies: [F.C(name: "b", prefill: 1e12)])])
        let (_, o) = F.run(p, F.trace([(0, "a", 0, 100), (0, "b", 0, 100)]))
        for r in o.requests { #expect(abs(r.end - 100 * (2 * m + c)) < 1e-9) }
        // Staggered: a alone 1 s (50 tokens), then both until b's 25 tokens are done, then a alone.
        let (_, s) = F.run(p, F.trace([(0, "a", 0, 100), (1, "b", 0, 25)]))
        let bEnd = 1 + 25 * (2 * m + c)
        #expect(abs(s.requests[1].end - bEnd) < 1e-9)
        #expect(abs(s.requests[0].end - (bEnd + 25 * (m + c))) < 1e-9)
        // Two GPUs are two devices: nothing shared (nvidia's c does not matter alone).
        let g = F.plan(kind: "gpu", [F.I(gpu: 0, copies: [F.C(name: "a", prefill: 1e12)]), F.I(gpu: 1, copies: [F.C(name: "b", prefill: 1e12)])])
        let (_, t) = F.run(g, F.trace([(0, "a", 0, 100), (0, "b", 0, 100)]))
        for r in t.requests { #expect(abs(r.end - 2) < 1e-9) }
        // One GPU with two instances on it is one device, with nvidia's fixed cost.
        let n = Throughput.nvidia.fixedSeconds
        let g1 = F.plan(kind: "gpu", [F.I(gpu: 0, copies: [F.C(name: "a", prefill: 1e12)]), F.I(gpu: 0, copies: [F.C(name: "b", prefill: 1e12)])])
        let (_, u) = F.run(g1, F.trace([(0, "a", 0, 100), (0, "b", 0, 100)]))
        for r in u.requests { #expect(abs(r.end - 100 * (2 * (0.02 - n) + n)) < 1e-9) }
    }

    @Test func slotsQueueInOrder() {
        // parallel 1: the second request waits for the first; with parallel 2 both run (and share).
        let p = F.plan([F.I(copies: [F.C(name: "a", decode: 50, prefill: 500)])])
        let (r, o) = F.run(p, F.trace([(0, "a", 500, 50), (0, "a", 500, 50)]))
        #expect(abs(o.requests[1].start - 2) < 1e-9 && abs(o.requests[1].end - 4) < 1e-9)
        #expect(r.total.ttft_p95_s == 3.0)
        let q = F.plan([F.I(copies: [F.C(name: "a", decode: 50, prefill: 500)])], models: [F.M(name: "a", parallel: 2)])
        let (_, s) = F.run(q, F.trace([(0, "a", 500, 50), (0, "a", 500, 50)]))
        #expect(s.requests[1].start == 0)
    }

    @Test func anEvictionHappensExactlyWhenTheBudgetIsExceeded() {
        func od(_ n: String, _ g: Double) -> F.C { F.C(name: n, gb: g, onDemand: true) }
        let reqs = F.trace([(0, "a", 10, 10), (10, "b", 10, 10), (20, "c", 10, 10)])
        // 4 + 4 + 2 = 10 GB: exactly the budget, nothing evicted.
        let fits = F.plan([F.I(copies: [od("a", 4), od("b", 4), od("c", 2)], budgetGB: 10)])
        let (r, _) = F.run(fits, reqs)
        #expect(r.total.evictions == 0 && r.total.loads == 3)
        // 4 + 4 + 2.000000001 GB: one byte over → the least recently used (a) goes.
        let over = F.plan([F.I(copies: [od("a", 4), od("b", 4), od("c", 2.000000001)], budgetGB: 10)])
        let (s, _) = F.run(over, reqs)
        #expect(s.total.evictions == 1)
        #expect(s.models.first { $0.name == "a" }?.stats.evictions == 1)
        #expect(s.peakOnDemandBytes["h/0"]! <= F.gb(10) && s.budgetViolations == 0)
        // b used more recently than a? Touch a again at 15: now b is the LRU one.
        let (t, _) = F.run(over, F.trace([(0, "a", 10, 10), (10, "b", 10, 10), (15, "a", 10, 10), (20, "c", 10, 10)]))
        #expect(t.models.first { $0.name == "b" }?.stats.evictions == 1 && t.models.first { $0.name == "a" }?.stats.evictions == 0)
    }

    @Test func aBusyCopyIsNeverEvictedTheLoadWaits() {
        func od(_ n: String) -> F.C { F.C(name: n, gb: 5, decode: 10, onDemand: true) }
        let p = F.plan([F.I(copies: [od("a"), od("b")], budgetGB: 5)], models: [F.M(name: "a", cold: 1), F.M(name: "b", cold: 1)])
        // a loads (1 s), prefills 0.1 s, decodes 100 tokens (10 s): busy until 11.1. b waits, then loads.
        let (r, o) = F.run(p, F.trace([(0, "a", 50, 100), (2, "b", 50, 10)]))
        #expect(abs(o.requests[0].end - 11.1) < 1e-9)
        #expect(abs(o.requests[1].firstToken - (11.1 + 1 + 0.1)) < 1e-9)
        #expect(r.total.evictions == 1 && r.budgetViolations == 0)
    }

    @Test func keepAliveUnloadsAnIdleCopy() {
        let p = F.plan([F.I(copies: [F.C(name: "a", onDemand: true)], budgetGB: 10, keepAlive: "5m")], models: [F.M(name: "a", cold: 2)])
        // First request ends at 2 + 0.02 + 0.2 = 2.22 s; idle until 302.22 s.
        let (r, _) = F.run(p, F.trace([(0, "a", 10, 10), (300, "a", 10, 10)]))
        #expect(r.total.loads == 1 && r.total.resident_hits == 1 && r.total.expiries == 0)
        let (s, _) = F.run(p, F.trace([(0, "a", 10, 10), (303, "a", 10, 10)]))
        #expect(s.total.loads == 2 && s.total.expiries == 1 && s.total.evictions == 0)
        // "-1" keeps it: a hit an hour later.
        let q = F.plan([F.I(copies: [F.C(name: "a", onDemand: true)], budgetGB: 10, keepAlive: "-1")], models: [F.M(name: "a", cold: 2)])
        let (t, _) = F.run(q, F.trace([(0, "a", 10, 10), (3600, "a", 10, 10)]))
        #expect(t.total.loads == 1 && t.total.expiries == 0)
    }

    @Test func maxLoadedModelsEvictsEvenWithMemoryLeft() {
        func od(_ n: String) -> F.C { F.C(name: n, gb: 1, onDemand: true) }
        let p = F.plan([F.I(copies: [od("a"), od("b"), od("c"), od("d")], budgetGB: 100, maxLoaded: "3")])
        let (r, _) = F.run(p, F.trace([(0, "a", 1, 1), (10, "b", 1, 1), (20, "c", 1, 1), (30, "d", 1, 1)]))
        #expect(r.total.evictions == 1 && r.models.first { $0.name == "a" }?.stats.evictions == 1)
    }

    @Test func unroutableAndTooBigAreUnserved() {
        let p = F.plan([F.I(copies: [F.C(name: "a"), F.C(name: "big", gb: 20, onDemand: true)], budgetGB: 10)], models: [F.M(name: "big", slo: 5)])
        let (r, _) = F.run(p, F.trace([(0, "a", 1, 1), (1, "big", 1, 1)]))
        #expect(r.total.unserved == 1 && r.total.slo_misses == 1 && r.total.requests == 2)
    }

    @Test func sloMissesCountTimeToFirstTokenOverTheSLO() {
        let p = F.plan([F.I(copies: [F.C(name: "a", onDemand: true)], budgetGB: 10)], models: [F.M(name: "a", cold: 3, slo: 4)])
        // First: 3 + 2 = 5 s > 4 (miss); second, loaded: 2 s (met).
        let (r, _) = F.run(p, F.trace([(0, "a", 1000, 1), (100, "a", 1000, 1)]))
        #expect(r.total.slo_misses == 1)
    }
}

@Suite struct SimulatorBaselineTests {
    typealias F = SimFixture

    @Test func baselineIsOneOllamaPerHostWithItsDefaults() {
        let p = F.plan([F.I(copies: [F.C(name: "a", gb: 2)], capacityGB: 10), F.I(copies: [F.C(name: "b", gb: 2), F.C(name: "c", gb: 2, onDemand: true)], budgetGB: 5, capacityGB: 10)])
        let b = SimSystem.ollamaBaseline(p)
        #expect(b.instances.count == 1)
        let i = b.instances[0]
        #expect(i.id == "h/ollama" && i.budget == F.gb(20) && i.maxLoaded == 3 && i.keepAlive == 300)
        #expect(i.copies.allSatisfy { !$0.resident && $0.slots == 1 })
        #expect(Set(i.copies.map(\.model)) == ["a", "b", "c"])
        // Nothing preloaded: the first request of each model is a load.
        let r = SimReport(system: b, trace: F.trace([(0, "a", 1, 1), (100, "a", 1, 1)]))
        #expect(r.total.loads == 1 && r.total.resident_hits == 1)
    }

    @Test func gpuHostBaselineAllowsThreePerGPU() {
        let p = F.plan(kind: "gpu", [F.I(gpu: 0, copies: [F.C(name: "a")]), F.I(gpu: 1, copies: [F.C(name: "b")])])
        #expect(SimSystem.ollamaBaseline(p).instances[0].maxLoaded == 6)
    }
}

@Suite struct SimulatorInvariantTests {
    typealias F = SimFixture

    /// Random plans and traces: every served request completes once, hits + loads + joined + unserved
    /// account for every request, and no instance ever holds more than its budget.
    @Test(arguments: 0..<12) func invariantsOnRandomTraces(seed: Int) {
        var rng = SplitMix64(seed: UInt64(seed) &* 7919 &+ 17)
        func u() -> Double { Double(rng.next() >> 11) * 0x1p-53 }
        let kind = seed % 2 == 0 ? "unified" : "gpu"
        var insts: [F.I] = []
        var n = 0
        for k in 0..<(1 + seed % 3) {
            var copies: [F.C] = []
            for _ in 0..<(1 + Int(u() * 2)) { copies.append(F.C(name: "m\(n)", gb: 1 + u() * 4, decode: 10 + u() * 80, prefill: 100 + u() * 900)); n += 1 }
            for _ in 0..<(2 + Int(u() * 6)) { copies.append(F.C(name: "m\(n)", gb: 1 + u() * 6, weightsGB: 1, decode: 10 + u() * 80, prefill: nil, onDemand: true)); n += 1 }
            insts.append(F.I(gpu: kind == "gpu" ? k % 2 : nil, copies: copies, budgetGB: 6 + u() * 10,
                             keepAlive: ["-1", "30s", "5m", "0"][seed % 4], maxLoaded: seed % 3 == 0 ? "4" : nil))
        }
        let models = (0..<n).map { F.M(name: "m\($0)", parallel: 1 + $0 % 3, cold: $0 % 2 == 0 ? 2 + Double($0 % 5) : nil, slo: 10) }
        let plan = F.plan(kind: kind, storeRead: 1.5, insts, models: models)
        let trace = TraceGenerator.generate(models: (0..<n).map { .init(name: "m\($0)") },
                                            options: .init(duration: 1800, ratePerHour: 1500 + Double(seed) * 200, zipf: 1.0, seed: UInt64(seed)))
        #expect(trace.requests.count > 100)
        for sys in [SimSystem.plan(plan), SimSystem.ollamaBaseline(plan)] {
            let o = Simulator(system: sys).run(trace)
            let r = SimReport(system: sys, trace: trace, outcome: o)
            #expect(o.budgetViolations == 0 && r.budgetViolations == 0)
            for x in o.requests where !x.unserved {
                #expect(x.completions == 1)
                #expect(x.arrival <= x.start && x.start <= x.firstToken && x.firstToken <= x.end)
                #expect([x.hit, x.triggeredLoad, x.joinedLoad].filter { $0 }.count == 1)
            }
            #expect(r.total.requests == trace.requests.count)
            let loadsTriggered = o.requests.filter(\.triggeredLoad).count
            #expect(r.total.resident_hits + loadsTriggered + r.total.joined_loads + r.total.unserved == r.total.requests)
            #expect(loadsTriggered == r.total.loads)
            for (k, i) in sys.instances.enumerated() { #expect(o.peakOnDemandBytes[k] <= i.budget) }
            #expect(r.instances.allSatisfy { $0.busy_share >= 0 && $0.busy_share <= 1 })
            #expect(r.models.reduce(0) { $0 + $1.stats.requests } == r.total.requests)
        }
    }

    @Test func sameInputSameBytes() {
        let p = F.plan([F.I(copies: [F.C(name: "a"), F.C(name: "b", onDemand: true), F.C(name: "c", onDemand: true)], budgetGB: 5, keepAlive: "1m")])
        let gen = { TraceGenerator.generate(models: [.init(name: "a"), .init(name: "b"), .init(name: "c")], options: .init(duration: 3600, ratePerHour: 2000, seed: 42)) }
        let t1 = gen(), t2 = gen()
        #expect(t1.csv == t2.csv)
        let a = SimResult.run(p, trace: t1, baseline: true).json, b = SimResult.run(p, trace: t2, baseline: true).json
        #expect(a == b)
        #expect(a.contains("\"format\" : \"placeplan-sim/1\"") && a.contains("\"baseline\""))
        let other = TraceGenerator.generate(models: [.init(name: "a"), .init(name: "b"), .init(name: "c")], options: .init(duration: 3600, ratePerHour: 2000, seed: 43))
        #expect(other.csv != t1.csv)
    }
}

@Suite struct TraceTests {
    func problems(_ text: String, models: Set<String>? = ["llama3:8b", "mistral:7b"]) -> [Diagnostic] {
        do { _ = try Trace.parse(text, file: "t.csv", models: models); return [] } catch let e as InvalidInput { return e.diagnostics } catch { return [] }
    }

    @Test func readsSecondsAndISOTimes() throws {
        let t = try Trace.parse("timestamp,model,prompt_tokens,output_tokens\n0,llama3:8b,10,5\n1.5,mistral:7b,0,0\n", file: "t.csv", models: ["llama3:8b", "mistral:7b"])
        #expect(t.requests == [.init(time: 0, model: "llama3:8b", prompt: 10, output: 5), .init(time: 1.5, model: "mistral:7b", prompt: 0, output: 0)])
        // Columns in any order, ISO 8601 with zones and fractions, CRLF line ends, counted from the first time.
        let iso = try Trace.parse("model,output_tokens,prompt_tokens,timestamp\r\nllama3:8b,5,10,2024-05-01T12:00:00Z\r\nllama3:8b,5,10,2024-05-01T14:00:01.5+02:00\r\nllama3:8b,1,1,2023-11-16 18:15:46.6805900\r\n".replacingOccurrences(of: "2023-11-16 18:15:46.6805900", with: "2024-05-01 12:00:03.25"), file: "t.csv")
        #expect(iso.requests.map(\.time) == [0, 1.5, 3.25])
        #expect(iso.requests[0].prompt == 10 && iso.requests[0].output == 5)
    }

    @Test func missingColumnsNameTheHeader() {
        let d = problems("time,model,prompt_tokens\n0,llama3:8b,1\n")
        #expect(d.count == 1 && d[0].line == 1)
        #expect(d[0].message.contains("timestamp") && d[0].message.contains("output_tokens"))
        #expect(d[0].description.hasPrefix("t.csv:1: error:") && d[0].fix != nil)
        #expect(problems("").first?.line == 1)
    }

    @Test func everyBadLineIsReportedWithItsNumber() {
        let text = """
        timestamp,model,prompt_tokens,output_tokens
        0,llama3:8b,10,5
        1,llama3:8b,-3,5
        2,lama3:8b,10,5
        1.5,mistral:7b,10,5
        3,mistral:7b,10,x
        soon,mistral:7b,10,5
        """
        let d = problems(text)
        #expect(d.map(\.line) == [3, 4, 5, 6, 7])
        #expect(d[0].field == "prompt_tokens" && d[0].message.contains("negative"))
        #expect(d[1].field == "model" && d[1].fix!.contains("did you mean \"llama3:8b\""))
        #expect(d[2].field == "timestamp" && d[2].message.contains("earlier") && d[2].fix!.contains("sort"))
        #expect(d[3].field == "output_tokens")
        #expect(d[4].field == "timestamp" && d[4].message.contains("not a time"))
        #expect(d.allSatisfy { $0.description.hasPrefix("t.csv:\($0.line!): error:") })
    }

    @Test func csvRoundTripsAGeneratedTrace() throws {
        let models: [TraceGenerator.Model] = [.init(name: "a,b"), .init(name: "c")]
        let t = TraceGenerator.generate(models: models, options: .init(duration: 600, ratePerHour: 3600, seed: 7))
        #expect(try Trace.parse(t.csv, file: "t.csv", models: ["a,b", "c"]) == t)
    }

    @Test func generatorFollowsDemandOrZipfAndTheRate() {
        let zipf = TraceGenerator.generate(models: (1...5).map { .init(name: "m\($0)") }, options: .init(duration: 3600 * 4, ratePerHour: 6000, zipf: 1.0, seed: 1))
        let n = Double(zipf.requests.count)
        #expect(abs(n - 24000) < 24000 * 0.03)  // Poisson: σ ≈ 155
        let first = Double(zipf.requests.filter { $0.model == "m1" }.count), second = Double(zipf.requests.filter { $0.model == "m2" }.count)
        #expect(abs(first / second - 2) < 0.15)  // 1/1 : 1/2
        let demand = TraceGenerator.generate(models: [.init(name: "a", demandPerHour: 300), .init(name: "b", demandPerHour: 100), .init(name: "c")],
                                             options: .init(duration: 3600 * 4, ratePerHour: 4000, seed: 2))
        let a = Double(demand.requests.filter { $0.model == "a" }.count), b = Double(demand.requests.filter { $0.model == "b" }.count)
        #expect(abs(a / b - 3) < 0.3)
        #expect(demand.requests.contains { $0.model == "c" })  // no demand counts 1/h
        #expect(zipf.requests.allSatisfy { (1...8192).contains($0.prompt) && (1...2048).contains($0.output) })
    }

    @Test func tokenPairsComeFromAzureColumns() throws {
        let csv = "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.6805900,374,44\n2023-11-16 18:15:50.9951690,396,109\n"
        let pairs = try TraceGenerator.tokenPairs(csv, file: "az.csv")
        #expect(pairs == [.init(prompt: 374, output: 44), .init(prompt: 396, output: 109)])
        let t = TraceGenerator.generate(models: [.init(name: "a")], options: .init(duration: 3600, ratePerHour: 600, seed: 3, tokens: pairs))
        #expect(t.requests.allSatisfy { pairs.contains(.init(prompt: $0.prompt, output: $0.output)) })
        #expect(throws: InvalidInput.self) { try TraceGenerator.tokenPairs("a,b\n1,2\n", file: "x.csv") }
        #expect(throws: InvalidInput.self) { try TraceGenerator.tokenPairs("ContextTokens,GeneratedTokens\n1,-2\n", file: "x.csv") }
    }

    @Test func goDurations() {
        #expect(GoDuration.seconds("5m") == 300 && GoDuration.seconds("1h30m") == 5400 && GoDuration.seconds("300ms") == 0.3)
        #expect(GoDuration.seconds("-1") == -1 && GoDuration.seconds("0") == 0 && GoDuration.seconds("-1m") == -60 && GoDuration.seconds("soon") == nil)
    }
}
