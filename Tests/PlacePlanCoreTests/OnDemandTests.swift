import Foundation
import Testing
@testable import PlacePlanCore

/// The on-demand tier and demand (SPEC §8): every listed model reachable, what stays resident
/// chosen by demand, cold starts and prefill speeds traced to their formulas.
@Suite struct OnDemandTests {
    func plan(_ yaml: String, profile: Profile = .standard) throws -> Plan {
        try Planner.plan(try ClusterDecoder.decode(yaml, file: "d.yaml"), profile: profile, file: "d.yaml").plan
    }

    /// Nine 10 GB models, three 25 GB instances: six could be resident, three unreachable. Keeping one
    /// instance free makes all nine reachable (four resident, five on demand): 4 + 5/2 > 6.
    @Test func everyModelThatFitsSomewhereIsReachable() throws {
        let models = (1...9).map { "  - {name: \"e\($0)\", footprints: {q8_0: 10 GB}, quants: [q8_0]}" }.joined(separator: "\n")
        let p = try plan("""
        name: t
        hosts: [{name: mac, unified_memory: 192 GiB, instances: [{port: 11434, capacity: 25 GB}, {port: 11435, capacity: 25 GB}, {port: 11436, capacity: 25 GB}]}]
        models:
        \(models)
        """)
        let tiers = Dictionary(uniqueKeysWithValues: p.models.map { ($0.name, $0.tier) })
        #expect(tiers.values.allSatisfy { $0 != nil }, "\(tiers)")
        #expect(p.models.filter { $0.tier == .resident }.count == 4)
        #expect(p.models.filter { $0.tier == .onDemand }.count == 5)
        #expect(Set(p.routes.map(\.model)) == Set(p.models.map(\.name)), "every model has a route")
        let od = try #require(p.hosts[0].instances.first { $0.on_demand != nil })
        #expect(od.models.isEmpty, "on-demand models never share an instance with resident copies")
        #expect(od.on_demand?.count == 5)
        #expect(od.on_demand_budget_bytes == od.capacity_bytes)
        #expect(od.env["OLLAMA_KEEP_ALIVE"] == "10m")
        #expect(od.env["OLLAMA_MAX_LOADED_MODELS"] == "2", "two 10 GB models fit 25 GB at once")
        for r in p.routes where tiers[r.model] == .onDemand { #expect(r.endpoints.map(\.instance) == [od.id]) }
        // Resident instances keep their models forever.
        for i in p.hosts[0].instances where i.on_demand == nil { #expect(i.env["OLLAMA_KEEP_ALIVE"] == "-1") }

        var off = Profile.standard
        off.onDemand = false
        let q = try plan("""
        name: t
        hosts: [{name: mac, unified_memory: 192 GiB, instances: [{port: 11434, capacity: 25 GB}, {port: 11435, capacity: 25 GB}, {port: 11436, capacity: 25 GB}]}]
        models:
        \(models)
        """, profile: off)
        #expect(q.models.filter { $0.tier == .resident }.count == 6)
        #expect(q.models.filter { $0.tier == nil }.count == 3)
    }

    /// A reservation that would cost more than it serves is not made (one instance, a 70B and two small models).
    @Test func aReservationMustServeMore() throws {
        let p = try plan("""
        name: t
        hosts: [{name: mac, unified_memory: 128 GiB, instances: [{capacity: 48 GB}]}]
        models:
          - {name: "big", footprints: {q4_0: 43 GB}, quants: [q4_0], priority: 10}
          - {name: "small", footprints: {q4_0: 5 GB}, quants: [q4_0], priority: 2}
          - {name: "tiny", footprints: {q4_0: 5.5 GB}, quants: [q4_0], priority: 1}
        """)
        #expect(p.models.first { $0.name == "big" }?.tier == .resident)
        #expect(p.models.first { $0.name == "tiny" }?.tier == nil)
        #expect(p.unplaced.first { $0.name == "tiny" }?.reason.contains("not loadable on request either") == true)
        // `on_demand: always`: reachability first — the one instance serves all three on request.
        var always = Profile.standard
        always.onDemandAlways = true
        let q = try plan("""
        name: t
        hosts: [{name: mac, unified_memory: 128 GiB, instances: [{capacity: 48 GB}]}]
        models:
          - {name: "big", footprints: {q4_0: 43 GB}, quants: [q4_0], priority: 10}
          - {name: "small", footprints: {q4_0: 5 GB}, quants: [q4_0], priority: 2}
          - {name: "tiny", footprints: {q4_0: 5.5 GB}, quants: [q4_0], priority: 1}
        """, profile: always)
        #expect(q.models.allSatisfy { $0.tier == .onDemand }, "\(q.models.map { ($0.name, $0.tier) })")
        #expect(try Profile.decode("name: x\non_demand: always\n", file: "p.yaml", name: "x").onDemandAlways)
    }

    /// With demand, the busy model stays resident even at a lower priority.
    @Test func demandDecidesWhatStaysResident() throws {
        let base = """
        name: t
        hosts: [{name: mac, unified_memory: 64 GiB, store_read: 1 GB/s, instances: [{capacity: 12 GB}]}]
        models:
          - {name: "busy", footprints: {q8_0: 10 GB}, sizes: {q8_0: 8 GB}, quants: [q8_0], priority: 1%@}
          - {name: "rare", footprints: {q8_0: 10 GB}, sizes: {q8_0: 8 GB}, quants: [q8_0], priority: 2}
        """
        let without = try plan(base.replacingOccurrences(of: "%@", with: ""), profile: { var p = Profile.standard; p.onDemand = false; return p }())
        #expect(without.models.first { $0.name == "rare" }?.tier == .resident)
        let with = try plan(base.replacingOccurrences(of: "%@", with: ", demand: 600/h, slo: 5s"), profile: { var p = Profile.standard; p.onDemand = false; return p }())
        #expect(with.models.first { $0.name == "busy" }?.tier == .resident)
        let busy = try #require(with.models.first { $0.name == "busy" })
        #expect(busy.demand_per_hour == 600)
        #expect(busy.slo_s == 5)
        // `footprints` given whole: the weights are the footprint; 10 GB ÷ 1 GB/s + 1.5 s.
        #expect(busy.cold_start_s == 11.5)
        #expect(with.hosts[0].store_read_gbps == 1)
        // The reported priority is the user's, not the demand weight.
        #expect(busy.priority == 1)
    }

    /// Prefill estimates reproduce the calibration rows they were fitted on (within rounding).
    @Test func prefillFollowsTheCalibrationRows() throws {
        // llama.cpp #4167: M2 Ultra 76-core, LLaMA 2 7B (6.74 B) Q4_0 pp512 1238.48 t/s.
        let apple = try #require(Throughput.prefillTokensPerSecond(activeParams: 6_740_000_000, tflops: 76 * Throughput.appleCoreTFLOPS(chip: "M2 Ultra")!, unified: true))
        #expect(abs(apple - 1238.48) / 1238.48 < 0.02, "\(apple)")
        // XiongjieDai: RTX 3090, Llama 3 8B (8.03 B) Q4_K_M pp512 3865.39 t/s.
        let nvidia = try #require(Throughput.prefillTokensPerSecond(activeParams: 8_030_000_000, tflops: 35.58, unified: false))
        #expect(abs(nvidia - 3865.39) / 3865.39 < 0.02, "\(nvidia)")
        // Through a plan: a preset Mac and a known card both carry prefill_tokens_per_s.
        let p = try plan("""
        name: t
        hosts:
          - {name: mac, preset: mac-studio-m2-ultra-192}
          - {name: pc, gpus: [{name: RTX 3090}]}
        models:
          - {name: "llama3:8b", replicas: 2, spread: host, quants: [q4_K_M]}
        """)
        for (h, _, m) in p.placements {
            let v = try #require(m.prefill_tokens_per_s, "\(h.name)")
            #expect(v > (h.kind == "unified" ? 800 : 2500) && v < (h.kind == "unified" ? 2000 : 6000), "\(h.name): \(v)")
        }
        // A measured speed overrides the estimate.
        let q = try plan("""
        name: t
        hosts: [{name: pc, gpus: [{name: RTX 3090}], prefill: 900 tok/s, decode: 35 tok/s}]
        models: [{name: "llama3:8b", quants: [q4_K_M]}]
        """)
        #expect(q.placements.first?.model.prefill_tokens_per_s == 900)
        #expect(q.placements.first?.model.decode_tokens_per_s == 35)
    }

    @Test func badDemandAndSpeedsAreNamed() {
        var d: [Diagnostic] = []
        do {
            _ = try ClusterDecoder.decode("""
            name: t
            hosts: [{name: pc, gpus: [{name: RTX 3090, tflops: lots}], store_read: fast, prefill: quick}]
            models: [{name: "a", demand: often, slo: soon}]
            """, file: "d.yaml")
        } catch let e as InvalidInput { d = e.diagnostics } catch {}
        for f in ["hosts[0].gpus[0].tflops", "hosts[0].store_read", "hosts[0].prefill", "models[0].demand", "models[0].slo"] {
            #expect(d.contains { $0.field == f && $0.fix != nil && $0.line != nil }, "\(f): \(d.map(\.description))")
        }
        #expect(Units.parseRate("2/min") == 120)
        #expect(Units.parseRate("0.5/s") == 1800)
        #expect(Units.parseDuration("1h30m") == 5400)
        #expect(Units.parseDuration("500ms") == 0.5)
    }
}
