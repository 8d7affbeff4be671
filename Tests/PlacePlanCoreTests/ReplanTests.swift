import Foundation
import Testing
@testable import PlacePlanCore

/// `replan` (SPEC §9): the same coverage and quality as a fresh solve, copies kept where the old
/// plan runs them as far as interchangeable instances allow, and moves that never overfill an
/// instance at any step.
@Suite struct ReplanTests {
    static let mac = """
      - {name: mac, unified_memory: 128 GiB, reserve: 28 GiB}
    """
    static func models(_ n: Int, seed: UInt64) -> String {
        var rng = SplitMix64(seed: seed)
        let names = ["mistral:7b", "llama3:8b", "qwen2.5:14b", "phi3:14b", "gemma2:9b", "llama2:13b", "qwen2.5:7b", "codellama:34b"]
        return names.shuffled(using: &rng).prefix(n).map { "  - {name: \"\($0)\", priority: \(Int.random(in: 1...5, using: &rng)), quants: [q8_0, q4_K_M]}" }.joined(separator: "\n")
    }

    func plan(_ yaml: String, old: Plan? = nil, profile: Profile) throws -> Plan {
        try Planner.plan(try ClusterDecoder.decode(yaml, file: "r.yaml"), profile: profile, file: "r.yaml", replanning: old).plan
    }

    static var quarters: Profile { var p = Profile.standard; p.instancesPerHost = 4; return p }

    /// The story: GPU boxes added next to a Mac move nothing between the Mac's instances.
    @Test func addingHostsMovesNothingOnTheOldOnes() throws {
        let before = """
        name: t
        hosts:
        \(Self.mac)
        models:
        \(Self.models(8, seed: 3))
        """
        let old = try plan(before, profile: Self.quarters)
        let after = before.replacingOccurrences(of: "models:", with: """
          - {name: vm1, gpus: [{name: RTX 3090, count: 2}]}
        models:
        """)
        let fresh = try plan(after, profile: Self.quarters)
        let new = try plan(after, old: old, profile: Self.quarters)
        // Coverage as a fresh solve; fewer moves rank above quality (SPEC §9).
        #expect(new.objective.coverage == fresh.objective.coverage)
        #expect(new.objective.quality <= fresh.objective.quality + 1e-9)
        #expect(new.status != .optimal || new.objective.quality == fresh.objective.quality)
        let moves = try #require(new.moves)
        // No copy moves between the Mac's instances at the quant it already runs (a move on the Mac
        // only where the new solve raised its quant, which reloads it anyway).
        let oldQuant = Dictionary(old.placements.map { ("\($0.model.name) \($0.instance.id)", $0.model.quant) }, uniquingKeysWith: { a, _ in a })
        for m in moves where m.from?.hasPrefix("mac/") == true && m.to?.hasPrefix("mac/") == true {
            #expect(oldQuant["\(m.model) \(m.from!)"] != m.quant, "\(m)")
        }
        // Nothing the new GPUs do not take needs to move: every move goes to the new host.
        #expect(moves.allSatisfy { $0.to?.hasPrefix("vm1/") == true }, "\(moves)")
        #expect(Replan.firstOverflow(moves, old: old, new: new) == nil)
        #expect(Self.apply(moves, to: old) == Self.copies(new))
    }

    /// Random small changes (a host added, a host lost, a model added, capacity changed): the same
    /// objective as a fresh solve, the moves turn the old placement into the new one, and no
    /// instance ever holds more than its capacity at any step.
    @Test(arguments: 0..<40)
    func randomChangesGiveValidOrderedMoves(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &* 31 &+ 7)
        let n = Int.random(in: 3...8, using: &rng)
        let before = """
        name: t
        hosts:
        \(Self.mac)
          - {name: vm1, gpus: [{name: RTX 3090, count: 2}]}
        models:
        \(Self.models(n, seed: UInt64(seed)))
        """
        let old = try plan(before, profile: Self.quarters)
        var after = before
        switch seed % 4 {
        case 0: after = after.replacingOccurrences(of: "models:", with: "  - {name: vm2, gpus: [{name: RTX A4000}]}\nmodels:")
        case 1: after = after.replacingOccurrences(of: "  - {name: vm1, gpus: [{name: RTX 3090, count: 2}]}\n", with: "")
        case 2: after += "\n  - {name: \"mixtral:8x7b\", priority: 9, quants: [q4_K_M]}"
        default: after = after.replacingOccurrences(of: "reserve: 28 GiB", with: "reserve: 40 GiB")
        }
        let fresh = try plan(after, profile: Self.quarters)
        let new = try plan(after, old: old, profile: Self.quarters)
        #expect(new.objective.coverage == fresh.objective.coverage, "seed \(seed)")
        #expect(new.objective.quality <= fresh.objective.quality + 1e-9, "seed \(seed)")
        guard new.status != .infeasible else { return }
        let moves = try #require(new.moves)
        #expect(Replan.firstOverflow(moves, old: old, new: new) == nil, "seed \(seed): \(moves)")
        #expect(Self.apply(moves, to: old).filter { live(new, String($0.split(separator: " ").last!)) } == Self.copies(new), "seed \(seed)")
        #expect(moves.map(\.step) == Array(0..<moves.count).map { $0 + 1 })
        // Never more moves than a fresh solve's placement would need.
        #expect(moves.count <= Replan.moves(from: old, to: fresh).count, "seed \(seed)")
    }

    func live(_ p: Plan, _ instance: String) -> Bool { p.hosts.contains { $0.instances.contains { $0.id == instance } } }

    /// The assignment step is exact: it keeps as many copies as the best permutation (exhaustive).
    @Test(arguments: 0..<60)
    func bestAssignmentIsOptimal(seed: Int) {
        var rng = SplitMix64(seed: UInt64(seed))
        let n = Int.random(in: 1...6, using: &rng)
        let score = (0..<n).map { _ in (0..<n).map { _ in Int.random(in: 0...3, using: &rng) } }
        func perms(_ a: [Int]) -> [[Int]] { a.count <= 1 ? [a] : a.indices.flatMap { i in perms(Array(a[..<i] + a[(i + 1)...])).map { [a[i]] + $0 } } }
        let best = perms(Array(0..<n)).map { p in p.enumerated().reduce(0) { $0 + score[$1.offset][$1.element] } }.max()!
        let got = Replan.bestAssignment(score)
        #expect(Set(got) == Set(0..<n))
        #expect(got.enumerated().reduce(0) { $0 + score[$1.offset][$1.element] } == best)
    }

    /// (model, quant, instance) of every copy.
    static func copies(_ p: Plan) -> Set<String> { Set(p.placements.map { "\($0.model.name) \($0.model.quant) \($0.instance.id)" }) }

    /// The old placement with the moves applied.
    static func apply(_ moves: [Plan.Move], to old: Plan) -> Set<String> {
        var s = copies(old)
        for m in moves {
            if let f = m.from, let k = s.first(where: { $0.hasPrefix("\(m.model) ") && $0.hasSuffix(" \(f)") }) { s.remove(k) }
            if let t = m.to { s.insert("\(m.model) \(m.quant) \(t)") }
        }
        return s
    }
}

extension ReplanTests {
    /// Moves of a placement from `old` (per model: the larger of removed and added copies).
    static func moveCount(_ p: PlacementProblem, _ a: Assignment, old: Plan) -> Int {
        var oldCopies: [String: Set<String>] = [:]
        for c in Replan.oldCopies(old) { oldCopies[c.model, default: []].insert("\(c.instance)|\(c.quant)") }
        var total = 0
        for (mi, cs) in a.copies.enumerated() {
            let name = p.items[mi].spec.name
            let was = oldCopies[name] ?? []
            let now = Set(cs.map { "\(p.bins[$0.bin].id)|\($0.quant.rawValue)" })
            total += max(was.subtracting(now).count, now.subtracting(was).count)
        }
        let names = Set(p.items.map(\.spec.name))
        for (name, was) in oldCopies where !names.contains(name) { total += was.count }
        return total
    }

    /// Small random changes (a host added, a host lost, a model added, a capacity changed):
    /// replan's moves equal the fewest any placement with the best coverage needs (exhaustive
    /// search), its coverage is the best, and its quality the best among those fewest-move placements.
    @Test(arguments: 0..<60)
    func fewestMovesMatchExhaustiveSearch(seed: Int) throws {
        let text = SolverCrossCheckTests.randomCluster(seed: UInt64(seed) &* 104_729 &+ 3)
        let old = try plan(text, profile: .standard)
        guard old.status != .infeasible else { return }
        var after = text
        switch seed % 4 {
        case 0: after = after.replacingOccurrences(of: "models:\n", with: "  - {name: extra, gpus: [{name: card, vram: 16 GB}]}\nmodels:\n")
        case 1:
            // Lose the first host (keep at least one).
            let lines = after.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let hosts = lines.indices.filter { lines[$0].hasPrefix("  - {name: h") }
            guard hosts.count > 1 else { return }
            after = lines.enumerated().filter { $0.offset != hosts[0] }.map(\.element).joined(separator: "\n")
        case 2: after += "  - {name: added, quants: [q8_0], footprints: {q8_0: 6 GB}, priority: 4}\n"
        default: after = after.replacingOccurrences(of: "capacity: 1", with: "capacity: 2")
        }
        let cluster = try ClusterDecoder.decode(after, file: "r.yaml")
        let r = try Planner.plan(cluster, profile: .standard, file: "r.yaml", replanning: old)
        guard let best = SolverCrossCheckTests.bruteForce(r.problem) else { #expect(r.plan.status == .infeasible); return }
        var fewest: (moves: Int, quality: Double)?
        SolverCrossCheckTests.everyPlacement(r.problem) { a in
            guard a.coverage(r.problem) >= best.coverage else { return }
            let m = Self.moveCount(r.problem, a, old: old), q = a.quality(r.problem)
            if fewest == nil || m < fewest!.moves || (m == fewest!.moves && q > fewest!.quality + 1e-9) { fewest = (m, q) }
        }
        let f = try #require(fewest)
        #expect(r.plan.notes.contains { $0.hasPrefix("replan: fewest moves proven") }, "seed \(seed)")
        #expect(r.outcome.coverage == best.coverage, "seed \(seed)")
        #expect(r.plan.moves?.count == f.moves, "seed \(seed): replan \(r.plan.moves?.count ?? -1) moves, exhaustive \(f.moves)\n\(after)")
        #expect(abs(r.outcome.quality - f.quality) < 1e-6, "seed \(seed)")
        #expect(Replan.firstOverflow(r.plan.moves ?? [], old: old, new: r.plan) == nil, "seed \(seed)")
    }
}

extension ReplanTests {
    /// `Replan.keep` (the `--within` alternative on large problems): valid on random clusters, and
    /// with a host added every old copy stays where it runs.
    @Test(arguments: 0..<30)
    func keepingTheOldPlacementIsValidAndKeepsEverything(seed: Int) throws {
        let text = SolverCrossCheckTests.randomCluster(seed: UInt64(seed) &* 7_919 &+ 11)
        let old = try plan(text, profile: .standard)
        guard old.status != .infeasible else { return }
        let after = text.replacingOccurrences(of: "models:\n", with: "  - {name: extra, gpus: [{name: card, vram: 16 GB}]}\nmodels:\n")
        let cluster = try ClusterDecoder.decode(after, file: "k.yaml")
        let layouts = try InstanceBuilder.build(cluster, profile: .standard, file: "k.yaml")
        let p = try PlacementProblem.build(cluster: cluster, profile: .standard, layouts: layouts, file: "k.yaml")
        let a = Replan.keep(p, old: old)
        #expect(a.violations(p).filter { !$0.contains("required") }.isEmpty, "seed \(seed): \(a.violations(p))")
        var kept = Set<String>()
        for (mi, cs) in a.copies.enumerated() { for c in cs { kept.insert("\(p.items[mi].spec.name) \(c.quant.rawValue) \(p.bins[c.bin].id)") } }
        #expect(Self.copies(old).isSubset(of: kept), "seed \(seed)")
        #expect(a.coverage(p) >= old.objective.coverage, "seed \(seed)")
    }
}
