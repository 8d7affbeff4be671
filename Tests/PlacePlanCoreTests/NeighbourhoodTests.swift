import Foundation
import Testing
@testable import PlacePlanCore

/// Large-neighbourhood search on the random clusters of `SolverCrossCheckTests`: it never breaks a
/// constraint, never returns anything worse than its start, never beats the exhaustive optimum,
/// and gives the same answer twice (no time limit: the node limits make it deterministic).
@Suite struct NeighbourhoodTests {
    @Test(arguments: 0..<120)
    func improvesValidlyAndDeterministically(seed: Int) throws {
        let text = SolverCrossCheckTests.randomCluster(seed: UInt64(seed) &* 104_729 &+ 3)
        let cluster = try ClusterDecoder.decode(text, file: "random.yaml")
        let layouts = try InstanceBuilder.build(cluster, profile: .standard, file: "r.yaml")
        let p = try PlacementProblem.build(cluster: cluster, profile: .standard, layouts: layouts, file: "r.yaml")
        let start = Greedy.solve(p)
        guard start.violations(p).isEmpty, let oracle = SolverCrossCheckTests.bruteForce(p) else { return }
        let a = Neighbourhood.improve(start, p, deadline: .never)
        #expect(a.violations(p).isEmpty, "seed \(seed)")
        let (c0, q0, c, q) = (start.coverage(p), start.quality(p), a.coverage(p), a.quality(p))
        #expect(c > c0 || (c == c0 && q >= q0 - 1e-9), "seed \(seed): \(c0)/\(q0) became \(c)/\(q)")
        #expect(c < oracle.coverage || (c == oracle.coverage && q <= oracle.quality + 1e-6), "seed \(seed): beats the optimum")
        #expect(Neighbourhood.improve(start, p, deadline: .never) == a, "seed \(seed): not deterministic")
    }

    /// A neighbourhood search that must move a model: two bins, each holding a small model that
    /// blocks a large, higher-priority one; freeing both bins together lets the large one in.
    @Test func repacksTwoBinsToServeAHigherPriorityModel() throws {
        let yaml = """
        name: lns
        hosts:
          - {name: h, unified_memory: 256 GiB, instances: [{capacity: 10 GB}, {capacity: 10 GB}]}
        models:
          - {name: a, footprints: {q4_K_M: 4 GB}, quants: [q4_K_M], priority: 1}
          - {name: b, footprints: {q4_K_M: 4 GB}, quants: [q4_K_M], priority: 1}
          - {name: big, footprints: {q4_K_M: 9 GB}, quants: [q4_K_M], priority: 5}
        """
        let cluster = try ClusterDecoder.decode(yaml, file: "lns.yaml")
        let layouts = try InstanceBuilder.build(cluster, profile: .standard, file: "lns.yaml")
        let p = try PlacementProblem.build(cluster: cluster, profile: .standard, layouts: layouts, file: "lns.yaml")
        let a = p.items.firstIndex { $0.spec.name == "a" }!, b = p.items.firstIndex { $0.spec.name == "b" }!
        var copies = [[Assignment.Copy]](repeating: [], count: p.items.count)
        copies[a] = [.init(bin: 0, quant: .q4_K_M)]; copies[b] = [.init(bin: 1, quant: .q4_K_M)]
        let start = Assignment(copies: copies)
        #expect(start.violations(p).isEmpty && start.coverage(p) == 2)
        let improved = Neighbourhood.improve(start, p, deadline: .never)
        #expect(improved.violations(p).isEmpty)
        #expect(improved.coverage(p) == 7)  // big alone in one bin, a and b together in the other
    }
}
