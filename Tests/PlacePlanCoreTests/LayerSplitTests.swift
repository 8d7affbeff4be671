import Testing
@testable import PlacePlanCore

/// Multi-GPU instances (LayerSplit) and pooled Macs (PoolSplit): the split against hand-computed
/// cases, the capacity rule on random cases, and whole plans against exhaustive search.
@Suite struct LayerSplitTests {
    typealias Copy = LayerSplit.Copy

    // MARK: - The split, by hand

    @Test func aCopyThatFitsNoCardAloneIsDealtInOrderWithItsComputeBufferOnEachCard() {
        // Layers 3, 3, 3 then the output 2; compute 1. Card 0: 1 + 3 + 3 = 7 (the third layer would
        // make 10 > 8); card 1: its own compute 1 + 3 + output 2 = 6.
        let c = Copy(items: [3, 3, 3, 2], compute: 1)
        #expect(LayerSplit.deal([(c.total, c)], free: [8, 8]) == [[7, 6]])
        // Three cards of 5: 1+3 | 1+3 | 1+3+... the output 2 does not fit beside the third layer (1+3+2 = 6 > 5).
        #expect(LayerSplit.deal([(c.total, c)], free: [5, 5, 5]) == [nil])
        #expect(LayerSplit.deal([(c.total, c)], free: [5, 5, 6]) == [[4, 4, 6]])
    }

    @Test func aCopyThatFitsOneCardGoesWholeOnTheCardWithMostFreeMemory() {
        let c = Copy(items: [2, 2, 1], compute: 1)  // 6
        #expect(LayerSplit.deal([(c.total, c)], free: [8, 10]) == [[0, 6]])
        #expect(LayerSplit.deal([(c.total, c)], free: [9, 9]) == [[6, 0]])  // ties: the lower index
    }

    @Test func severalModelsFitCardByCard() {
        // Largest first: A (12) fits no card whole and is dealt 7 | 6; then B (3) fits whole only on
        // card 1 (8 − 7 = 1 left on card 0, 10 − 6 = 4 on card 1).
        let a = Copy(items: [3, 3, 3, 2], compute: 1), b = Copy(items: [1, 1], compute: 1)
        #expect(LayerSplit.deal([(b.total, b), (a.total, a)], free: [8, 10]) == [[0, 3], [7, 6]])
        // A copy given whole (no layers) never splits.
        #expect(LayerSplit.deal([(9, nil)], free: [8, 8]) == [nil])
    }

    @Test func layersFromTheCatalogSumToTheFootprint() throws {
        let shape = try #require(Catalog.lookup("llama3:8b")?.shape)
        let o = RuntimeOptions(ctx: 4096, parallel: 1)
        let f = Footprint(weights: FootprintModel.weights(shape: shape, quant: .q4_K_M), kvCache: FootprintModel.kvCache(shape, o),
                          compute: FootprintModel.compute(shape, o), source: "catalog", projector: 1000)
        let c = try #require(LayerSplit.copy(f, shape: shape, quant: .q4_K_M))
        #expect(c.items.count == shape.layers + 1)
        #expect(c.total == f.total)
        // The output item (output.weight at Q6_K, the Q4_K token embedding, the header) outweighs a layer.
        #expect(c.items.last! > c.items[1])
        #expect(LayerSplit.copy(.given(5_000_000_000), shape: shape, quant: .q4_K_M) == nil)
    }

    // MARK: - The capacity rule

    /// Random cards and copies: whatever set of copies sums to at most the rule's capacity is dealt,
    /// every card within its free memory and every copy whole.
    @Test(arguments: 0..<400)
    func theCapacityRuleGuaranteesTheDealing(seed: Int) {
        var rng = SplitMix64(seed: UInt64(seed) &* 104_729 &+ 3)
        let cards = Int.random(in: 2...5, using: &rng)
        let free = (0..<cards).map { _ in Int64.random(in: 2_000...12_000, using: &rng) }
        let pool = (0..<Int.random(in: 1...8, using: &rng)).map { _ -> Copy in
            let n = Int.random(in: 1...40, using: &rng)
            let layer = Int64.random(in: 10...400, using: &rng)
            var items = (0..<n).map { _ in layer + Int64.random(in: 0...layer / 4, using: &rng) }
            items.append(Int64.random(in: 1...900, using: &rng))
            return Copy(items: items, compute: Int64.random(in: 0...700, using: &rng))
        }
        let w = pool.map(\.overhead).max()!
        let cap = LayerSplit.capacity(free: free, overhead: w)
        var chosen: [Copy] = []
        var sum: Int64 = 0
        for c in pool.shuffled(using: &rng) where sum + c.total <= cap { chosen.append(c); sum += c.total }
        let dealt = LayerSplit.deal(chosen.map { ($0.total, $0) }, free: free)
        #expect(dealt.allSatisfy { $0 != nil }, "seed \(seed): free \(free), W \(w), cap \(cap), sum \(sum)")
        for (c, d) in zip(chosen, dealt) { if let d { #expect(d.reduce(0, +) >= c.total) } }
        for g in 0..<cards { #expect(dealt.compactMap { $0?[g] }.reduce(0, +) <= free[g], "seed \(seed): card \(g)") }
    }

    // MARK: - Pooled Macs

    @Test func aPoolIsDividedByBytesAndItsSpareShared() {
        let d = PoolSplit.divide(bytes: [10, 30, 20, 5], slots: 3, capacity: 71)
        // 30 → slot 0, 20 → slot 1, 10 → slot 2, 5 → slot 2 (15 is the least).
        #expect(d.slot == [2, 0, 1, 2])
        #expect(d.used == [30, 20, 15])
        #expect(d.budget == [32, 22, 17])  // spare 6: 2 each
        #expect(d.budget.reduce(0, +) == 71)
        let e = PoolSplit.divide(bytes: [10], slots: 3, capacity: 40)
        #expect(e.budget == [40, 0, 0])
        #expect(PoolSplit.gpuOverhead(workingSet: 96 * Units.GiB, budget: 40 * Units.GiB) == 56 * Units.GiB - 512 * Units.MiB)
    }

    // MARK: - Input errors

    @Test(arguments: [
        ("{port: 11434, gpus: [0, 2]}", "hosts[0].instances[0].gpus", "names GPU 2 but the host has 2 GPU(s)"),
        ("{port: 11434, gpus: []}", "hosts[0].instances[0].gpus", "is empty"),
        ("{port: 11434, gpus: [0, 1]}, {port: 11435, gpu: 1}", "hosts[0].instances[1].gpu", "uses GPU 1, which hosts[0].instances[0] already uses"),
        ("{port: 11434, gpus: [0, 0]}", "hosts[0].instances[0].gpus[1]", "repeats GPU 0"),
    ])
    func badGPUListsAreInvalidInput(instances: String, field: String, message: String) {
        let yaml = "name: t\nhosts:\n  - {name: g, gpus: [{name: c, vram: 8 GiB, count: 2}], instances: [\(instances)]}\nmodels:\n  - {name: \"mistral:7b\"}\n"
        do {
            _ = try ClusterDecoder.decode(yaml, file: "t.yaml")
            Issue.record("accepted \(instances)")
        } catch let e as InvalidInput {
            #expect(e.diagnostics.contains { $0.field == field && $0.message.contains(message) && $0.line != nil }, "\(e.diagnostics)")
        } catch { Issue.record("\(error)") }
    }

    // MARK: - Whole plans against exhaustive search

    static let small = ["mistral:7b", "llama3:8b", "phi3:3.8b", "qwen2.5:7b", "gemma2:9b", "llama2:13b", "phi3:14b"]

    /// GPU hosts with 2–4 cards (explicit `gpus` groups or the profile's `gpus_per_instance`) and a
    /// pooled Mac, catalog models (they have layers to deal).
    static func randomCluster(seed: UInt64) -> (String, Profile) {
        var rng = SplitMix64(seed: seed)
        var profile = Profile.standard
        profile.split = .pooled
        profile.instancesPerHost = Int.random(in: 2...3, using: &rng)
        profile.gpusPerInstance = Int.random(in: 1...3, using: &rng)
        profile.quants = [.q8_0, .q4_K_M]
        var y = "name: r\(seed)\nhosts:\n"
        for h in 0..<Int.random(in: 1...2, using: &rng) {
            let cards = Int.random(in: 2...4, using: &rng)
            y += "  - {name: g\(h), labels: [gpu], gpus: [{name: card, vram: \(Int.random(in: 4...10, using: &rng)) GiB, count: \(cards)}]"
            if Bool.random(using: &rng) {
                let cut = Int.random(in: 1..<cards, using: &rng)
                y += ", instances: [{gpus: [\((0..<cut).map(String.init).joined(separator: ", "))]}, {gpus: [\((cut..<cards).map(String.init).joined(separator: ", "))]}]"
            }
            y += "}\n"
        }
        if Bool.random(using: &rng) { y += "  - {name: mac, labels: [mac], unified_memory: \(Int.random(in: 24...48, using: &rng)) GiB}\n" }
        y += "models:\n"
        for name in small.shuffled(using: &rng).prefix(Int.random(in: 2...4, using: &rng)) {
            y += "  - {name: \"\(name)\", priority: \(Int.random(in: 1...5, using: &rng))"
            if Int.random(in: 0..<4, using: &rng) == 0 { y += ", replicas: 2" }
            if Int.random(in: 0..<4, using: &rng) == 0 { y += ", quants: [q8_0]" }
            y += "}\n"
        }
        return (y, profile)
    }

    @Test(arguments: 0..<60)
    func plansWithMultiGPUAndPooledInstancesMatchExhaustiveSearchAndHoldPerGPU(seed: Int) throws {
        let (text, profile) = Self.randomCluster(seed: UInt64(seed) &* 7919 &+ 5)
        let cluster = try ClusterDecoder.decode(text, file: "random.yaml")
        let r = try Planner.plan(cluster, profile: profile, file: "random.yaml")
        let oracle = SolverCrossCheckTests.bruteForce(r.problem)
        if let oracle {
            #expect(r.outcome.coverage == oracle.coverage, "seed \(seed)\n\(text)")
            #expect(r.outcome.quality <= oracle.quality + 1e-9)
            #expect(abs(Strategy.solve(r.problem, deadline: .never).quality - oracle.quality) < 1e-6, "seed \(seed)\n\(text)")
        }
        // The capacity rule means the dealing never drops a copy.
        #expect(!r.outcome.method.contains("layer-split"), "seed \(seed)\n\(text)")
        for h in r.plan.hosts {
            let layout = try #require(r.problem.layouts.first { $0.host.name == h.name })
            for i in h.instances {
                #expect(i.used_bytes <= i.capacity_bytes, "seed \(seed): \(i.id)")
                #expect(i.started == (!i.models.isEmpty || i.on_demand != nil))
                if let gpus = i.gpus {
                    let bin = try #require(layout.bins.first { $0.gpus == gpus })
                    #expect(i.env["CUDA_VISIBLE_DEVICES"] == gpus.map(String.init).joined(separator: ","))
                    for m in i.models {
                        let per = try #require(m.per_gpu_bytes)
                        #expect(per.reduce(0, +) >= m.footprint_bytes)
                    }
                    for g in gpus.indices {
                        #expect(i.models.reduce(Int64(0)) { $0 + $1.per_gpu_bytes![g] } <= bin.gpuFree[g], "seed \(seed): \(i.id) GPU \(gpus[g])\n\(text)")
                    }
                } else {
                    #expect(i.models.allSatisfy { $0.per_gpu_bytes == nil })
                }
            }
            if h.kind == "unified", let pool = layout.bins.first, !pool.pool.isEmpty {
                #expect(h.instances.count == pool.pool.count)
                #expect(h.instances.reduce(Int64(0)) { $0 + $1.capacity_bytes } <= pool.capacity)
                for i in h.instances where i.started {
                    #expect(i.env["OLLAMA_GPU_OVERHEAD"] == String(layout.wiredLimit! - 512 * Units.MiB - i.capacity_bytes))
                    #expect(i.env["OLLAMA_MAX_LOADED_MODELS"] == String(i.models.count))
                }
            }
        }
    }
}

/// Unplaced explanations name the cheapest change, with numbers.
@Suite struct CheapestChangeTests {
    static func reason(_ yaml: String, _ profile: Profile = .standard) throws -> String {
        let r = try Planner.plan(try ClusterDecoder.decode(yaml, file: "t.yaml"), profile: profile, file: "t.yaml")
        return try #require(r.plan.unplaced.first?.reason)
    }

    @Test func aModelTooLargeForOneCardIsToldHowManyCardsWouldHoldIt() throws {
        let r = try Self.reason("name: t\nhosts:\n  - {name: vm1, gpus: [{name: M4000, vram: 8 GiB, count: 5}]}\nmodels:\n  - {name: \"llama2:13b\", quants: [q8_0]}\n")
        #expect(r.contains("give it 3 GPUs of vm1 in one instance (`gpus_per_instance: 3`"), "\(r)")
        #expect(r.contains("gpus: [0, 1, 2]"))
    }

    @Test func anEqualMacSplitIsToldToPoolAndADefaultWorkingSetToBeRaised() throws {
        var p = Profile.standard
        p.instancesPerHost = 4
        let mac = "name: t\nhosts:\n  - {name: mac, unified_memory: 128 GiB}\nmodels:\n  - {name: \"llama3:70b\", quants: [q4_K_M]}\n"
        #expect(try Self.reason(mac, p).contains("pool mac's 4 instances (`split: pooled` in the profile): they would share"))
        p.instancesPerHost = 1
        let big = "name: t\nhosts:\n  - {name: mac, unified_memory: 48 GiB}\nmodels:\n  - {name: \"llama3:70b\", quants: [q4_K_M]}\n"
        #expect(try Self.reason(big, p).contains("raise mac's GPU wired limit"))
        let small = "name: t\nhosts:\n  - {name: mac, unified_memory: 32 GiB}\nmodels:\n  - {name: \"llama3:70b\", quants: [q4_K_M]}\n"
        p.raiseWiredLimit = true
        #expect(try Self.reason(small, p).contains("not in its quants"))
    }
}
