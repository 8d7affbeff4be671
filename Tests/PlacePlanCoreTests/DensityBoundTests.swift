import Testing
@testable import PlacePlanCore

/// The fallback bounds (one knapsack, coverage-only class LP, Lagrangian quality) never cut off the
/// optimum (exhaustive search on random clusters), and on hand-made cases they are the values they
/// should be.
@Suite struct DensityBoundTests {
    /// Every fallback bound on the same random clusters, against one exhaustive search each: the
    /// one-knapsack bound; the coverage-only class LP (`AggregatedBound.coverage`), equal to the full
    /// class LP's coverage level (the same relaxation at the smallest footprints, which are what
    /// coverage needs); the Lagrangian quality bound at the optimum's coverage, with no incumbent and
    /// with the optimum itself as incumbent (the steps then stop early, still above it).
    @Test(arguments: 0..<150)
    func neverBelowTheOptimum(seed: Int) throws {
        let p = try ConfigurationBoundTests.problem(SolverCrossCheckTests.randomCluster(seed: UInt64(seed) &* 31 &+ 5))
        guard let oracle = SolverCrossCheckTests.bruteForce(p) else { return }
        let b = DensityBound.solve(p)
        #expect(b.coverage >= oracle.coverage, "seed \(seed)")
        #expect(b.quality >= oracle.quality - 1e-9, "seed \(seed)")
        if let lp = AggregatedBound.coverage(p, deadline: .never) {
            #expect(lp >= oracle.coverage, "seed \(seed)")
            if let full = AggregatedBound.solve(p, minCoverage: nil, deadline: .never) { #expect(lp == full.coverage, "seed \(seed)") }
        }
        if let l = LagrangianBound.quality(p, minCoverage: oracle.coverage, incumbent: 0) {
            #expect(l >= oracle.quality - 1e-6, "seed \(seed): \(l) < \(oracle.quality)")
        }
        if let l = LagrangianBound.quality(p, minCoverage: oracle.coverage, incumbent: oracle.quality) {
            #expect(l >= oracle.quality - 1e-6, "seed \(seed)")
        }
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
        let p = try ConfigurationBoundTests.problem(yaml)
        let b = DensityBound.solve(p)
        #expect(b.coverage == 8)  // a (6) + half of b (2): floor(8.0)
        #expect(abs(b.quality - (6 * 0.985 + 4 * 0.985 / 2)) < 1e-6)
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
        let p = try ConfigurationBoundTests.problem(yaml)
        #expect(DensityBound.solve(p).coverage == 18)
        #expect(AggregatedBound.coverage(p, deadline: .never) == 12)
    }
}
