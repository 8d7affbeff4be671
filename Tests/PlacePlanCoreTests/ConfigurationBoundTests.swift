import Foundation
import Testing
import GLPKSolver
@testable import PlacePlanCore

/// The configuration-LP bound (column generation with exact knapsack pricing) against exhaustive
/// search, against `AggregatedBound`, and the GLPK column-generation loop on its own.
@Suite struct ConfigurationBoundTests {
    static func problem(_ yaml: String) throws -> PlacementProblem {
        let cluster = try ClusterDecoder.decode(yaml, file: "r.yaml")
        let layouts = try InstanceBuilder.build(cluster, profile: .standard, file: "r.yaml")
        return try PlacementProblem.build(cluster: cluster, profile: .standard, layouts: layouts, file: "r.yaml")
    }

    @Test(arguments: 0..<150)
    func boundsHoldOnRandomClusters(seed: Int) throws {
        let text = SolverCrossCheckTests.randomCluster(seed: UInt64(seed) &* 7919 &+ 17)
        let p = try Self.problem(text)
        let g = Greedy.solve(p)
        guard g.violations(p).isEmpty, let oracle = SolverCrossCheckTests.bruteForce(p) else { return }
        let floor = g.coverage(p)
        let r = try #require(ConfigurationBound.solve(p, minCoverage: floor, incumbent: g, deadline: .never), "seed \(seed)")
        #expect(r.converged, "seed \(seed)")
        #expect(r.coverage >= oracle.coverage, "seed \(seed): bound \(r.coverage) < optimum \(oracle.coverage)\n\(text)")
        let bestQ = try #require(SolverCrossCheckTests.bestQuality(p, coverageAtLeast: floor))
        #expect(r.quality >= bestQ - 1e-9, "seed \(seed): quality bound \(r.quality) < best \(bestQ) at coverage ≥ \(floor)\n\(text)")
        if floor == oracle.coverage { #expect(r.quality >= oracle.quality - 1e-9, "seed \(seed)") }
        if r.converged {
            let agg = try #require(AggregatedBound.solve(p, minCoverage: nil, deadline: .never))
            #expect(r.coverage <= agg.coverage, "seed \(seed): configuration bound \(r.coverage) > aggregated \(agg.coverage)\n\(text)")
            let aggQ = try #require(AggregatedBound.solve(p, minCoverage: floor, deadline: .never))
            #expect(r.quality <= aggQ.quality + 1e-6 * max(1, abs(aggQ.quality)), "seed \(seed): quality \(r.quality) > aggregated \(aggQ.quality)")
        }
    }

    /// Reduced-cost enumeration from a greedy start: whatever it claims proven is the exhaustive
    /// optimum at both levels, and any placement it returns is valid and no worse than the start.
    @Test(arguments: 0..<200)
    func enumerationProvesOnlyTheOptimum(seed: Int) throws {
        let text = SolverCrossCheckTests.randomCluster(seed: UInt64(seed) &* 6007 &+ 11)
        let p = try Self.problem(text)
        let g = Greedy.solve(p)
        guard g.violations(p).isEmpty, let oracle = SolverCrossCheckTests.bruteForce(p) else { return }
        let r = try #require(ConfigurationBound.solve(p, minCoverage: g.coverage(p), incumbent: g, deadline: .never, enumerate: true))
        let a = r.placement ?? g
        #expect(a.violations(p).isEmpty, "seed \(seed)")
        #expect(a.coverage(p) >= g.coverage(p), "seed \(seed)")
        if r.proven {
            #expect(a.coverage(p) == oracle.coverage, "seed \(seed): proven coverage \(a.coverage(p)) vs optimum \(oracle.coverage)\n\(text)")
            #expect(abs(a.quality(p) - oracle.quality) < 1e-6, "seed \(seed): proven quality \(a.quality(p)) vs optimum \(oracle.quality)\n\(text)")
        }
    }

    /// The test above is not vacuous: most random clusters are proven this way.
    @Test func enumerationProvesMostRandomClusters() throws {
        var tried = 0, proven = 0
        for seed in 0..<60 {
            let p = try Self.problem(SolverCrossCheckTests.randomCluster(seed: UInt64(seed) &* 6007 &+ 11))
            let g = Greedy.solve(p)
            guard g.violations(p).isEmpty else { continue }
            tried += 1
            if ConfigurationBound.solve(p, minCoverage: g.coverage(p), incumbent: g, deadline: .never, enumerate: true)?.proven == true { proven += 1 }
        }
        #expect(tried >= 30 && proven * 10 >= tried * 8, "proven \(proven) of \(tried)")
    }

    /// One 10 GB instance; A (6 GB, priority 4), B and C (5 GB, priority 2): A alone or B + C give 4.
    /// The aggregated LP (even with its size cuts) takes A and 0.8 of B: 5.6; the configuration LP gives 4.
    @Test func strictlyTighterThanAggregated() throws {
        let yaml = """
        name: tight
        hosts:
          - {name: h0, labels: [mac], unified_memory: 64 GiB, instances: [{capacity: 10 GB}]}
        models:
          - {name: a, quants: [q4_K_M], footprints: {q4_K_M: 6 GB}, priority: 4}
          - {name: b, quants: [q4_K_M], footprints: {q4_K_M: 5 GB}, priority: 2}
          - {name: c, quants: [q4_K_M], footprints: {q4_K_M: 5 GB}, priority: 2}
        """
        let p = try Self.problem(yaml)
        #expect(p.bins.count == 1 && p.bins[0].capacity == 10_000_000_000)
        let g = Greedy.solve(p)
        #expect(g.violations(p).isEmpty)
        let agg = try #require(AggregatedBound.solve(p, minCoverage: nil, deadline: .never))
        let r = try #require(ConfigurationBound.solve(p, minCoverage: g.coverage(p), incumbent: g, deadline: .never))
        #expect(agg.coverage == 5)
        #expect(r.coverage == 4)
        #expect(r.converged)
    }

    /// Three models of 0.6 × capacity on two instances: two can be served.
    @Test func threeLargeOnTwoBins() throws {
        let yaml = """
        name: three
        hosts:
          - {name: h0, labels: [mac], unified_memory: 64 GiB, instances: [{capacity: 10 GB}, {capacity: 10 GB}]}
        models:
          - {name: a, quants: [q4_K_M], footprints: {q4_K_M: 6 GB}, priority: 3}
          - {name: b, quants: [q4_K_M], footprints: {q4_K_M: 6 GB}, priority: 3}
          - {name: c, quants: [q4_K_M], footprints: {q4_K_M: 6 GB}, priority: 3}
        """
        let p = try Self.problem(yaml)
        let g = Greedy.solve(p)
        let r = try #require(ConfigurationBound.solve(p, minCoverage: g.coverage(p), incumbent: g, deadline: .never))
        #expect(r.coverage == 6)
        #expect(r.converged)
    }

    @Test func knapsackMatchesEnumeration() {
        var rng = SplitMix64(seed: 42)
        for _ in 0..<300 {
            let cap = Int64.random(in: 5...60, using: &rng)
            let groups: [[(footprint: Int64, profit: Double)]] = (0..<Int.random(in: 0...7, using: &rng)).map { _ in
                (0..<Int.random(in: 1...4, using: &rng)).map { _ in (Int64.random(in: 1...30, using: &rng), Double(Int.random(in: -3...20, using: &rng)) / 4) }
            }
            var best = 0.0
            func rec(_ g: Int, _ left: Int64, _ v: Double) {
                if g == groups.count { best = max(best, v); return }
                rec(g + 1, left, v)
                for o in groups[g] where o.footprint <= left { rec(g + 1, left - o.footprint, v + o.profit) }
            }
            rec(0, cap, 0)
            let r = Knapsack.solve(capacity: cap, groups: groups, keep: 2)
            #expect(r.exact)
            #expect(abs(r.value - best) < 1e-9, "cap \(cap) groups \(groups): \(r.value) vs \(best)")
            #expect(r.upper >= best)
            if let s = r.solutions.last {
                #expect(Set(s.map(\.group)).count == s.count)
                #expect(s.reduce(Int64(0)) { $0 + groups[$1.group][$1.option].footprint } <= cap)
                #expect(abs(s.reduce(0.0) { $0 + groups[$1.group][$1.option].profit } - r.value) < 1e-9)
            }
        }
    }

    /// The GLPK loop, and GLPK's dual sign convention for a maximisation:
    /// max 3·x1 + 2·x2 + x3  s.t.  x1 + x2 + x3 ≤ 4,  x1 + 3·x2 ≤ 9,  x2 ≥ 1, starting from x2 alone.
    /// First master: x2 = 3, objective 6, duals (0, 2/3, 0). Adding x1 and x3 gives x = (3, 1, 0),
    /// objective 11, duals (3, 0, −1): d_j = c_j − Σ a_ij·π_i is 0 for x1, x2 and −2 for x3 (at lower).
    @Test func columnGenerationLoopOnATinyLP() {
        var lp = LinearProgram(direction: .maximize)
        let x2 = lp.addColumn(.init(lower: 0, upper: 10, kind: .continuous, objective: 2))
        lp.addRow(.init(terms: [.init(x2, 1)], upper: 4))
        lp.addRow(.init(terms: [.init(x2, 3)], upper: 9))
        lp.addRow(.init(terms: [.init(x2, 1)], lower: 1))
        var seen: [ColumnGeneration.Iterate] = []
        let out = ColumnGeneration.run(lp, budget: nil) { it in
            seen.append(it)
            if it.iteration == 1 {
                return [.init(upper: 10, objective: 3, terms: [(0, 1), (1, 1)]), .init(upper: 10, objective: 1, terms: [(0, 1)])]
            }
            return nil
        }
        #expect(out.status == .stopped)
        #expect(out.iterations == 2)
        #expect(out.columns == 3)
        #expect(abs((out.objective ?? 0) - 11) < 1e-9)
        #expect(seen.count == 2)
        guard seen.count == 2 else { return }
        #expect(abs(seen[0].objective - 6) < 1e-9)
        #expect(zip(seen[0].rowDuals, [0, 2.0 / 3, 0]).allSatisfy { abs($0 - $1) < 1e-9 }, "\(seen[0].rowDuals)")
        #expect(zip(seen[1].primal, [1.0, 3, 0]).allSatisfy { abs($0 - $1) < 1e-9 }, "\(seen[1].primal)")
        #expect(zip(seen[1].rowDuals, [3.0, 0, -1]).allSatisfy { abs($0 - $1) < 1e-9 }, "\(seen[1].rowDuals)")
        // Reduced costs from the duals: columns are x2, x1, x3 in GLPK's order.
        let a: [[Double]] = [[1, 3, 1], [1, 1, 0], [1, 0, 0]], c = [2.0, 3, 1]
        let d = (0..<3).map { j in c[j] - (0..<3).reduce(0.0) { $0 + a[j][$1] * seen[1].rowDuals[$1] } }
        #expect(abs(d[0]) < 1e-9 && abs(d[1]) < 1e-9 && abs(d[2] + 2) < 1e-9, "\(d)")
    }

    @Test func deadlineInThePastStillGivesABoundOrNil() throws {
        let p = try Self.problem(SolverCrossCheckTests.randomCluster(seed: 17))
        let g = Greedy.solve(p)
        guard g.violations(p).isEmpty, let oracle = SolverCrossCheckTests.bruteForce(p) else { return }
        if let r = ConfigurationBound.solve(p, minCoverage: g.coverage(p), incumbent: g, deadline: .after(0)) {
            #expect(r.coverage >= oracle.coverage)
        }
    }
}

