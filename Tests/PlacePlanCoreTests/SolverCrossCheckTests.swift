import Testing
@testable import PlacePlanCore
import PlacePlanTestSupport

/// The GLPK solver against exhaustive search on small random clusters: both must agree exactly on
/// coverage and (to 1e-6) on quality, and the solver's placement must satisfy every constraint.
@Suite struct SolverCrossCheckTests {
    // The oracle lives in the shared test-support target (Tests/Support/PlacePlanTestSupport).
    static func randomCluster(seed: UInt64) -> String { Oracle.randomCluster(seed: seed) }
    static func everyPlacement(_ p: PlacementProblem, _ visit: (Assignment) -> Void) { Oracle.everyPlacement(p, visit) }
    static func bruteForce(_ p: PlacementProblem) -> (coverage: Int, quality: Double)? { Oracle.bruteForce(p) }
    static func bestQuality(_ p: PlacementProblem, coverageAtLeast floor: Int) -> Double? { Oracle.bestQuality(p, coverageAtLeast: floor) }

    @Test(arguments: 0..<240)
    func solverMatchesExhaustiveSearch(seed: Int) throws {
        let text = Self.randomCluster(seed: UInt64(seed) &* 7919 &+ 17)
        let cluster = try ClusterDecoder.decode(text, file: "random.yaml")
        let result = try Planner.plan(cluster, profile: .standard, file: "random.yaml")
        let oracle = Self.bruteForce(result.problem)
        if let oracle {
            // The solver proves SPEC §4's optimum …
            let raw = Strategy.solve(result.problem, deadline: .never)
            #expect(raw.status == .optimal, "seed \(seed)\n\(text)")
            #expect(raw.assignment.violations(result.problem).isEmpty, "seed \(seed)")
            #expect(raw.coverage == oracle.coverage, "seed \(seed)\n\(text)")
            #expect(abs(raw.quality - oracle.quality) < 1e-6, "seed \(seed): glpk \(raw.quality) vs brute force \(oracle.quality)\n\(text)")
            // … and the plan keeps one quant per model per host (SameHostQuant), claiming `optimal`
            // only when that cost nothing.
            let o = result.outcome
            #expect(o.assignment.violations(result.problem).isEmpty, "seed \(seed)")
            #expect(o.coverage == oracle.coverage)
            #expect(o.quality <= oracle.quality + 1e-9)
            for (mi, cs) in o.assignment.copies.enumerated() {
                var byHost: [Int: Set<Quant>] = [:]
                for c in cs { byHost[result.problem.bins[c.bin].host, default: []].insert(c.quant) }
                #expect(byHost.values.allSatisfy { $0.count == 1 }, "seed \(seed): \(result.problem.items[mi].spec.name) has two quants on one host")
            }
            #expect(result.plan.status == (abs(o.quality - oracle.quality) < 1e-6 ? .optimal : .feasible), "seed \(seed)")
        } else {
            #expect(result.outcome.status == .infeasible, "seed \(seed)\n\(text)")
            #expect(result.plan.status == .infeasible)
            #expect(!result.plan.unplaced.isEmpty)
        }
    }

    /// The scale method (LP bound over instance classes, rounding, local search) on the same cases:
    /// its placement is valid, never better than the optimum, its bounds never below it, and
    /// `optimal` only when it is.
    @Test(arguments: 0..<160)
    func lpRoundingIsValidAndItsBoundsHold(seed: Int) throws {
        let text = Self.randomCluster(seed: UInt64(seed) &* 7919 &+ 17)
        let cluster = try ClusterDecoder.decode(text, file: "random.yaml")
        let layouts = try InstanceBuilder.build(cluster, profile: .standard, file: "r.yaml")
        let p = try PlacementProblem.build(cluster: cluster, profile: .standard, layouts: layouts, file: "r.yaml")
        guard let oracle = Self.bruteForce(p) else { return }
        let g = Greedy.solve(p)
        let o = Strategy.lpRounding(p, seed: g.violations(p).isEmpty ? LocalSearch.improve(g, p, deadline: .never) : g, deadline: .never)
        guard o.status != .unknown else { return }  // required models the heuristics could not place
        #expect(o.assignment.violations(p).isEmpty, "seed \(seed)")
        #expect(o.coverage <= oracle.coverage)
        #expect(o.coverageBound >= oracle.coverage, "seed \(seed): bound \(o.coverageBound) < optimum \(oracle.coverage)")
        if o.coverage == oracle.coverage {
            #expect(o.quality <= oracle.quality + 1e-6)
            #expect(o.qualityBound >= oracle.quality - 1e-6, "seed \(seed): quality bound \(o.qualityBound) < optimum \(oracle.quality)")
        }
        if o.status == .optimal {
            #expect(o.coverage == oracle.coverage && abs(o.quality - oracle.quality) < 1e-6, "seed \(seed) claims optimal")
        }
    }

    @Test func greedyIsAlwaysValid() throws {
        for seed in 0..<100 {
            let cluster = try ClusterDecoder.decode(Self.randomCluster(seed: UInt64(seed) &+ 99_991), file: "r.yaml")
            let layouts = try InstanceBuilder.build(cluster, profile: .standard, file: "r.yaml")
            let p = try PlacementProblem.build(cluster: cluster, profile: .standard, layouts: layouts, file: "r.yaml")
            let g = Greedy.solve(p)
            let v = g.violations(p).filter { !$0.contains("required") }
            #expect(v.isEmpty, "seed \(seed): \(v)")
        }
    }
}
