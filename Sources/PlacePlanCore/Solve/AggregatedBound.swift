import Foundation
import GLPKSolver

/// An LP relaxation of SPEC §4 over classes of interchangeable instances (same host labels and
/// capacity): x[m,q,k] counts copies in class k, with class capacity n_k × cap_k. Its optimum is an
/// upper bound on the integer optimum, small enough to solve for thousands of models.
///
/// Valid cuts tighten it: a class of n_k instances holds at most j·n_k copies larger than
/// cap_k ÷ (j+1) (each instance fits at most j of them), for j = 1, 2, 3.
public enum AggregatedBound {
    public struct Classes: Sendable {
        /// Bins of each class.
        public var members: [[Int]]
        public var classOfBin: [Int]
        public var hosts: [Int]  // distinct hosts per class
    }

    /// `byHost` also separates instances of different hosts (so a class's instances share a host).
    public static func classes(_ p: PlacementProblem, byHost: Bool = false) -> Classes {
        var key: [String: Int] = [:]
        var members: [[Int]] = []
        var classOfBin = [Int](repeating: 0, count: p.bins.count)
        for (b, bin) in p.bins.enumerated() {
            let labels = p.layouts[bin.host].host.labels.joined(separator: ",")
            let k = byHost ? "\(labels)|\(bin.capacity)|\(bin.host)" : "\(labels)|\(bin.capacity)"
            if let c = key[k] { members[c].append(b); classOfBin[b] = c } else { key[k] = members.count; classOfBin[b] = members.count; members.append([b]) }
        }
        let hosts = members.map { Set($0.map { p.bins[$0].host }).count }
        return Classes(members: members, classOfBin: classOfBin, hosts: hosts)
    }

    public struct Result: Sendable {
        /// Upper bound on coverage (rounded down: coverage is an integer).
        public var coverage: Int
        /// Upper bound on quality among placements of coverage ≥ the `minCoverage` asked for.
        public var quality: Double
        /// LP value of y[m] (how much of each model the relaxation serves), for rounding.
        public var served: [Double]
        /// LP copies per (item, quant) summed over classes, for rounding.
        public var preferred: [[Quant: Double]]
    }

    /// Solves the relaxation: coverage first, then quality with coverage ≥ `minCoverage`
    /// (the coverage of a known placement). Nil if GLPK fails.
    public static func solve(_ p: PlacementProblem, minCoverage: Int?, deadline: Deadline) -> Result? {
        let cls = classes(p)
        struct Col { var item: Int; var quant: Quant; var cls: Int; var footprint: Int64; var weight: Double }
        // One column per (item, quant, class): a flat key, since 10^6 candidates make array keys slow.
        let nq = Quant.allCases.count, nk = cls.members.count
        var seen = Set<Int>()
        var cols: [Col] = []
        for c in p.candidates {
            let k = cls.classOfBin[c.bin]
            let qi = Quant.allCases.firstIndex(of: c.quant)!
            if seen.insert((c.item * nq + qi) * nk + k).inserted { cols.append(Col(item: c.item, quant: c.quant, cls: k, footprint: c.footprint, weight: c.weight)) }
        }
        let (lp, yCol) = relaxation(p, cls, columns: cols.map { ($0.item, $0.cls, $0.footprint) })
        // Coverage, then quality with coverage held, on one GLPK problem (warm start).
        let priorities = p.items.indices.map { LinearProgram.Term(yCol[$0], Double(p.items[$0].spec.priority)) }
        let (r1, second) = GLPK.solveRelaxationTwoLevels(lp, budget: deadline.budget) { first in
            var objective = [Double](repeating: 0, count: lp.columns.count)
            for (j, c) in cols.enumerated() { objective[j] = c.weight }
            let floor = minCoverage ?? Int((first.objective + 1e-6).rounded(.down))
            return (objective, LinearProgram.Row(terms: priorities, lower: Double(min(floor, Int((first.objective + 1e-6).rounded(.down))))))
        }
        guard r1.status == .optimal, let r2 = second, r2.status == .optimal else { return nil }
        let coverageBound = Int((r1.objective + 1e-6).rounded(.down))
        var preferred = [[Quant: Double]](repeating: [:], count: p.items.count)
        for (j, c) in cols.enumerated() where r2.values[j] > 1e-9 { preferred[c.item][c.quant, default: 0] += r2.values[j] }
        return Result(coverage: coverageBound, quality: r2.objective, served: yCol.map { r2.values[$0] }, preferred: preferred)
    }

    /// The coverage level alone, for problems too large for `solve`: coverage does not depend on the
    /// quant, so one column per (model, class) at the model's smallest footprint there suffices
    /// (any placement maps onto it, copy counts per class, each copy at least that large), with
    /// the same rows. 21,786 columns against 834,872 candidates at 2000x128x5: 0.65 s instead of
    /// 3.7 s. Nil if GLPK does not finish by the deadline.
    public static func coverage(_ p: PlacementProblem, deadline: Deadline) -> Int? {
        let cls = classes(p)
        let nk = cls.members.count
        var smallest: [Int: Int64] = [:]  // item * nk + class → smallest footprint
        for c in p.candidates {
            let key = c.item * nk + cls.classOfBin[c.bin]
            if let f = smallest[key], f <= c.footprint { continue }
            smallest[key] = c.footprint
        }
        let keys = smallest.keys.sorted()
        let (lp, _) = relaxation(p, cls, columns: keys.map { (item: $0 / nk, cls: $0 % nk, footprint: smallest[$0]!) })
        let r = GLPK.solveRelaxation(lp, budget: deadline.budget)
        guard r.status == .optimal else { return nil }
        return Int((r.objective + 1e-6).rounded(.down))
    }

    /// The relaxation's columns and rows, shared by `solve` and `coverage`: x per given column (copies
    /// of a model in a class, at most the class's instances and the model's replicas), y per model
    /// (priority as objective, 1 if required); Σ x = replicas·y; at most one copy per instance (per
    /// host with `spread: host`) of the class where that binds; per class n_k·capacity, and at most
    /// j·n_k copies larger than capacity ÷ (j+1) for j = 1, 2, 3. Returns the program and y's columns.
    static func relaxation(_ p: PlacementProblem, _ cls: Classes, columns cols: [(item: Int, cls: Int, footprint: Int64)]) -> (LinearProgram, [Int]) {
        var lp = LinearProgram(direction: .maximize)
        for c in cols { lp.addColumn(.init(lower: 0, upper: Double(min(cls.members[c.cls].count, p.items[c.item].spec.replicas)), kind: .continuous)) }
        var yCol: [Int] = []
        for it in p.items {
            yCol.append(lp.addColumn(.init(lower: it.spec.required ? 1 : 0, upper: 1, kind: .continuous, objective: Double(it.spec.priority))))
        }
        var byItem = [[Int]](repeating: [], count: p.items.count)
        var byItemClass: [[Int]: [Int]] = [:]
        var byClass = [[Int]](repeating: [], count: cls.members.count)
        for (j, c) in cols.enumerated() { byItem[c.item].append(j); byItemClass[[c.item, c.cls], default: []].append(j); byClass[c.cls].append(j) }
        for (m, js) in byItem.enumerated() {
            lp.addRow(.init(terms: js.map { .init($0, 1) } + [.init(yCol[m], -Double(p.items[m].spec.replicas))], lower: 0, upper: 0))
        }
        for key in byItemClass.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            let js = byItemClass[key]!
            let limit = p.items[key[0]].spec.spreadHost ? cls.hosts[key[1]] : cls.members[key[1]].count
            // Only where the class holds fewer copies than the model has replicas: otherwise Σ x = replicas·y ≤ replicas implies it.
            if limit < p.items[key[0]].spec.replicas { lp.addRow(.init(terms: js.map { .init($0, 1) }, upper: Double(limit))) }
        }
        for (k, js) in byClass.enumerated() where !js.isEmpty {
            let cap = Double(p.bins[cls.members[k][0]].capacity), n = Double(cls.members[k].count)
            lp.addRow(.init(terms: js.map { .init($0, Double(cols[$0].footprint) / cap) }, upper: n))
            for j in 1...3 {
                let big = js.filter { Double(cols[$0].footprint) > cap / Double(j + 1) }
                if !big.isEmpty { lp.addRow(.init(terms: big.map { .init($0, 1) }, upper: Double(j) * n)) }
            }
        }
        return (lp, yCol)
    }
}
