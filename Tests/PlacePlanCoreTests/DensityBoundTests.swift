import Testing
@testable import PlacePlanCore

/// The one-knapsack fallback bound never cuts off the optimum (exhaustive search on random
/// clusters), and on a hand-made case it is the fractional value it should be.
@Suite struct DensityBoundTests {
    @Test(arguments: 0..<150)
    func neverBelowTheOptimum(seed: Int) throws {
        let cluster = try ClusterDecoder.decode(SolverCrossCheckTests.randomCluster(seed: UInt64(seed) &* 31 &+ 5), file: "r.yaml")
        let layouts = try InstanceBuilder.build(cluster, profile: .standard, file: "r.yaml")
        let p = try PlacementProblem.build(cluster: cluster, profile: .standard, layouts: layouts, file: "r.yaml")
        guard let oracle = SolverCrossCheckTests.bruteForce(p) else { return }
        let b = DensityBound.solve(p)
        #expect(b.coverage >= oracle.coverage, "seed \(seed)")
        #expect(b.quality >= oracle.quality - 1e-9, "seed \(seed)")
    }

    @Test func fractionalLastModel() throws {
        let yaml = """
        name: d
        hosts:
          - {name: h, unified_memory: 256 GiB, instances: [{capacity: 10 GB}]}
        models:
          - {name: a, footprints: {q4_K_M: 6 GB}, quants: [q4_K_M], priority: 6}
          - {name: b, footprints: {q4_K_M: 8 GB}, quants: [q4_K_M], priority: 4}
        """
        let cluster = try ClusterDecoder.decode(yaml, file: "d.yaml")
        let layouts = try InstanceBuilder.build(cluster, profile: .standard, file: "d.yaml")
        let p = try PlacementProblem.build(cluster: cluster, profile: .standard, layouts: layouts, file: "d.yaml")
        let b = DensityBound.solve(p)
        #expect(b.coverage == 8)  // a (6) + half of b (2): floor(8.0)
        #expect(abs(b.quality - (6 * 0.985 + 4 * 0.985 / 2)) < 1e-6)
    }

    /// The coverage-only class LP (`AggregatedBound.coverage`) never cuts off the optimum either, and
    /// is never looser than the full class LP's coverage level by more than rounding (it is the same
    /// relaxation at the smallest footprints, which are what coverage needs).
    @Test(arguments: 0..<150)
    func coverageLPNeverBelowTheOptimum(seed: Int) throws {
        let cluster = try ClusterDecoder.decode(SolverCrossCheckTests.randomCluster(seed: UInt64(seed) &* 31 &+ 5), file: "r.yaml")
        let layouts = try InstanceBuilder.build(cluster, profile: .standard, file: "r.yaml")
        let p = try PlacementProblem.build(cluster: cluster, profile: .standard, layouts: layouts, file: "r.yaml")
        guard let oracle = SolverCrossCheckTests.bruteForce(p), let lp = AggregatedBound.coverage(p, timeLimit: nil) else { return }
        #expect(lp >= oracle.coverage, "seed \(seed)")
        if let full = AggregatedBound.solve(p, minCoverage: nil, timeLimit: nil) { #expect(lp == full.coverage, "seed \(seed)") }
    }

    @Test func coverageLPSeesInstanceSizes() throws {
        // Three 6 GB models, two 10 GB instances: one knapsack of 20 GB takes all three (18), but no
        // instance holds two models larger than half of it, so the class LP's cut allows two (12).
        let yaml = """
        name: c
        hosts:
          - {name: h, unified_memory: 256 GiB, instances: [{capacity: 10 GB}, {capacity: 10 GB}]}
        models:
          - {name: a, footprints: {q4_K_M: 6 GB}, quants: [q4_K_M], priority: 6}
          - {name: b, footprints: {q4_K_M: 6 GB}, quants: [q4_K_M], priority: 6}
          - {name: c, footprints: {q4_K_M: 6 GB}, quants: [q4_K_M], priority: 6}
        """
        let cluster = try ClusterDecoder.decode(yaml, file: "c.yaml")
        let layouts = try InstanceBuilder.build(cluster, profile: .standard, file: "c.yaml")
        let p = try PlacementProblem.build(cluster: cluster, profile: .standard, layouts: layouts, file: "c.yaml")
        #expect(DensityBound.solve(p).coverage == 18)
        #expect(AggregatedBound.coverage(p, timeLimit: nil) == 12)
    }

    /// The Lagrangian quality bound holds for every placement covering at least what it was given:
    /// never below the exhaustive optimum's quality at the optimum's coverage.
    @Test(arguments: 0..<150)
    func lagrangianQualityNeverBelowTheOptimum(seed: Int) throws {
        let cluster = try ClusterDecoder.decode(SolverCrossCheckTests.randomCluster(seed: UInt64(seed) &* 31 &+ 5), file: "r.yaml")
        let layouts = try InstanceBuilder.build(cluster, profile: .standard, file: "r.yaml")
        let p = try PlacementProblem.build(cluster: cluster, profile: .standard, layouts: layouts, file: "r.yaml")
        guard let oracle = SolverCrossCheckTests.bruteForce(p) else { return }
        if let b = LagrangianBound.quality(p, minCoverage: oracle.coverage, incumbent: 0) {
            #expect(b >= oracle.quality - 1e-6, "seed \(seed): \(b) < \(oracle.quality)")
        }
        // With the incumbent given as the optimum itself the steps stop early, still above it.
        if let b = LagrangianBound.quality(p, minCoverage: oracle.coverage, incumbent: oracle.quality) {
            #expect(b >= oracle.quality - 1e-6, "seed \(seed)")
        }
    }
}
