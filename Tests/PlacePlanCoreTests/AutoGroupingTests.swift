import Testing
@testable import PlacePlanCore

/// `gpus_per_instance: auto`: the grouping of a box's cards is chosen by the plans it gives.
@Suite struct AutoGroupingTests {
    @Test func autoPicksTheGroupingThatPlacesMore() throws {
        let c = try ClusterDecoder.decode("""
        name: t
        hosts: [{name: box, gpus: [{name: Quadro M4000, vram: 8 GiB, count: 4}]}]
        models:
          - {name: "llama2:13b", quants: [q8_0], priority: 10}
          - {name: "mistral:7b", quants: [q4_K_M], priority: 1}
        """, file: "a.yaml")
        var one = Profile.standard
        one.gpusPerInstance = 1
        let single = try Planner.plan(c, profile: one, file: "a.yaml").plan
        #expect(single.modelInfo("llama2:13b")?.tier == nil, "a 13B at q8_0 fits no single 8 GiB card")
        var auto = Profile.standard
        auto.gpusPerInstanceAuto = true
        let r = try Planner.plan(c, profile: auto, file: "a.yaml")
        #expect(r.plan.modelInfo("llama2:13b")?.tier == .resident)
        #expect(r.plan.objective.coverage == 11)
        #expect(r.plan.notes.contains { $0.hasPrefix("gpus_per_instance: auto chose") && !$0.contains("chose 1 card") }, "\(r.plan.notes)")
        let split = try #require(r.plan.placements.first { $0.model.name == "llama2:13b" })
        #expect((split.model.per_gpu_bytes?.filter { $0 > 0 }.count ?? 0) >= 2)
        // The profile key reads `auto`.
        let p = try Profile.decode("name: x\ngpus_per_instance: auto\n", file: "p.yaml", name: "x")
        #expect(p.gpusPerInstanceAuto)
    }
}
