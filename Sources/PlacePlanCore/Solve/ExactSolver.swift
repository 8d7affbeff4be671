import Foundation
import GLPKSolver

/// solve: SPEC §4 as a 0-1 program, solved lexicographically with GLPK's branch and bound:
/// first maximise coverage Σ priority·y, then, with coverage held at its optimum, quality.
/// Every solution GLPK returns is re-checked in exact integer arithmetic (GLPK works in doubles
/// with a relative tolerance); a violated capacity row is tightened and the level re-solved.
public enum ExactSolver {
    public static func solve(_ p: PlacementProblem, deadline: Deadline, nodeLimit: Int? = nil, start seedAssignment: Assignment? = nil, cuts: Bool = true) -> SolveOutcome {
        var lp = LinearProgram(direction: .maximize)
        let nc = p.candidates.count
        for c in p.candidates { lp.addColumn(.init(kind: .binary, objective: 0)); _ = c }
        var yCol: [Int] = []
        for it in p.items {
            yCol.append(lp.addColumn(.init(lower: it.spec.required ? 1 : 0, upper: 1, kind: .binary, objective: Double(it.spec.priority))))
        }
        // Σ x[m,·,·] − replicas·y[m] = 0
        var byItem = [[Int]](repeating: [], count: p.items.count)
        for (j, c) in p.candidates.enumerated() { byItem[c.item].append(j) }
        for (m, cols) in byItem.enumerated() {
            lp.addRow(.init(terms: cols.map { .init($0, 1) } + [.init(yCol[m], -Double(p.items[m].spec.replicas))], lower: 0, upper: 0))
        }
        // At most one copy per instance (per host with spread: host).
        var groups: [[Int]: [Int]] = [:]
        for (j, c) in p.candidates.enumerated() {
            let key = p.items[c.item].spec.spreadHost ? [c.item, -1 - p.bins[c.bin].host] : [c.item, c.bin]
            groups[key, default: []].append(j)
        }
        for key in groups.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            let cols = groups[key]!
            if cols.count > 1 || p.items[key[0]].spec.replicas > 1 { lp.addRow(.init(terms: cols.map { .init($0, 1) }, upper: 1)) }
        }
        // Capacity per instance.
        var byBin = [[Int]](repeating: [], count: p.bins.count)
        for (j, c) in p.candidates.enumerated() { byBin[c.bin].append(j) }
        var capRow = [Int?](repeating: nil, count: p.bins.count)
        for (b, cols) in byBin.enumerated() where !cols.isEmpty {
            let total = cols.reduce(Int64(0)) { $0 + p.candidates[$1].footprint }
            if total <= p.bins[b].capacity && cols.count > 0 {
                // Even every candidate together fits: the row can never bind.
                if Set(cols.map { p.candidates[$0].item }).count == cols.count { continue }
            }
            // In units of the instance's capacity: byte counts (~1e10) beside 0/1 rows make GLPK 5.0's
            // branch and bound return wrong answers (tested: suboptimal "optimal", false "infeasible").
            capRow[b] = lp.rows.count
            let scale = Double(p.bins[b].capacity)
            lp.addRow(.init(terms: cols.map { .init($0, Double(p.candidates[$0].footprint) / scale) }, upper: 1))
        }
        // Symmetry: instances of one host with equal capacity are interchangeable, so order them by
        // load (used(b_k) ≥ used(b_k+1)); this removes k! copies of every solution from the search.
        var classes: [[Int64]: [Int]] = [:]
        var symmetric: [[Int]] = []
        for (b, bin) in p.bins.enumerated() where !byBin[b].isEmpty { classes[[Int64(bin.host), bin.capacity], default: []].append(b) }
        for key in classes.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            let members = classes[key]!.sorted()
            guard members.count > 1 else { continue }
            symmetric.append(members)
            for (a, b) in zip(members, members.dropFirst()) {
                let scale = Double(p.bins[a].capacity)
                lp.addRow(.init(terms: byBin[a].map { .init($0, Double(p.candidates[$0].footprint) / scale) }
                                     + byBin[b].map { .init($0, -Double(p.candidates[$0].footprint) / scale) }, lower: 0))
            }
        }
        let variables = lp.columns.count, constraints = lp.rows.count

        var byKey: [CandidateKey: Int] = [:]
        for (j, c) in p.candidates.enumerated() { byKey[CandidateKey(item: c.item, quant: c.quant, bin: c.bin)] = j }
        let greedy = seedAssignment ?? Greedy.solve(p)
        let greedyValid = greedy.violations(p).isEmpty
        let incumbent1 = greedyValid ? vector(greedy, p, nc: nc, yCol: yCol, columns: variables, classes: symmetric, byKey: byKey) : nil

        // Level 1: coverage.
        let level1 = solveVerified(&lp, p, capRow: capRow, nc: nc, deadline: deadline, nodeLimit: nodeLimit, cuts: cuts, incumbent: incumbent1)
        if level1.status == .infeasible {
            return SolveOutcome(status: .infeasible, assignment: Assignment(copies: Array(repeating: [], count: p.items.count)),
                                coverage: 0, quality: 0, coverageBound: 0, qualityBound: 0, method: "exact", variables: variables, constraints: constraints)
        }
        guard level1.status == .optimal || level1.status == .feasible else {
            return SolveOutcome(status: .unknown, assignment: Assignment(copies: Array(repeating: [], count: p.items.count)),
                                coverage: 0, quality: 0, coverageBound: clampedBound(level1.bound, p),
                                qualityBound: 0, method: "exact", variables: variables, constraints: constraints)
        }
        let coverage = Int(level1.objective.rounded())
        let coverageBound = level1.status == .optimal ? coverage : max(coverage, clampedBound(level1.bound ?? level1.objective, p))

        // Level 2: quality with coverage held.
        // Quality weights are priority × quality ÷ replicas with qualities of a few decimals: scaled to
        // integers, GLPK knows the objective moves in whole steps and prunes nodes within one step.
        let scale = integerScale(p.candidates.map(\.weight))
        for j in 0..<nc { lp.columns[j].objective = (p.candidates[j].weight * scale).rounded(scale == 1 ? .towardZero : .toNearestOrEven) }
        if scale == 1 { for j in 0..<nc { lp.columns[j].objective = p.candidates[j].weight } }
        for m in p.items.indices { lp.columns[yCol[m]].objective = 0 }
        lp.addRow(.init(terms: p.items.indices.map { .init(yCol[$0], Double(p.items[$0].spec.priority)) }, lower: Double(coverage) - 0.5))
        // The level-1 placement, improved by local search (never below its coverage), seeds level 2.
        var incumbent2 = level1.values
        let polished = LocalSearch.improve(decode(level1.values, p, nc: nc), p, deadline: deadline)
        if polished.violations(p).isEmpty, polished.coverage(p) >= coverage,
           let g = vector(polished, p, nc: nc, yCol: yCol, columns: variables, classes: symmetric, byKey: byKey) { incumbent2 = g }
        // Without cuts first, for a share of the time: GLPK's cut rounds slow the search for a better
        // placement (32x4x3 seed 2: 114.576, the optimum, within 1 s without them; not in 6 s with),
        // while with them its bound is tighter (100x12x3: 331.550 against 332.086). Then with cuts,
        // from the better placement, unless the first run proved its optimum.
        var quick: SolveResult?
        if cuts {
            let q = solveVerified(&lp, p, capRow: capRow, nc: nc, deadline: deadline.remaining.map { deadline.atMost($0 * 0.4) } ?? deadline, nodeLimit: nodeLimit,
                                  cuts: false, incumbent: incumbent2)
            if q.status == .optimal || q.status == .feasible {
                quick = q
                if decode(q.values, p, nc: nc).quality(p) > decode(incumbent2, p, nc: nc).quality(p) + 1e-12 { incumbent2 = q.values }
            }
        }
        var level2 = quick?.status == .optimal ? quick!
            : solveVerified(&lp, p, capRow: capRow, nc: nc, deadline: deadline, nodeLimit: nodeLimit, cuts: cuts, incumbent: incumbent2)
        if let q = quick, level2.status == .feasible || level2.status == .unknown,
           level2.status == .unknown || decode(q.values, p, nc: nc).quality(p) > decode(level2.values, p, nc: nc).quality(p) + 1e-12 {
            // Keep the better placement; the bound stays the cut run's (valid for every placement).
            level2.values = q.values; level2.objective = q.objective; level2.status = .feasible
        }
        let best = (level2.status == .optimal || level2.status == .feasible) ? level2 : level1
        let assignment = decode(best.values, p, nc: nc)
        let quality = assignment.quality(p)
        let proven = level1.status == .optimal && level2.status == .optimal
        var qBound = level2.status == .optimal ? quality : max(quality, (level2.bound ?? quality * scale) / scale)
        // Quality can never exceed Σ priority (quality ≤ 1 per served model): a finite fallback bound.
        if !qBound.isFinite { qBound = Double(p.items.reduce(0) { $0 + $1.spec.priority }) }
        return SolveOutcome(status: proven ? .optimal : .feasible, assignment: assignment, coverage: assignment.coverage(p),
                            quality: quality, coverageBound: coverageBound, qualityBound: qBound, method: "exact",
                            variables: variables, constraints: constraints)
    }

    /// The assignment as a column vector, with identical instances renumbered so loads descend
    /// (the symmetry rows demand it). Nil when a copy is not a candidate.
    static func vector(_ a: Assignment, _ p: PlacementProblem, nc: Int, yCol: [Int], columns: Int,
                       classes: [[Int]], byKey: [CandidateKey: Int]) -> [Double]? {
        var remap = Array(p.bins.indices)
        var load = [Int64](repeating: 0, count: p.bins.count)
        for (mi, cs) in a.copies.enumerated() { for c in cs { load[c.bin] += p.items[mi].footprints[c.quant]!.total } }
        for members in classes {
            let byLoad = members.sorted { load[$0] > load[$1] || (load[$0] == load[$1] && $0 < $1) }
            for (slot, b) in zip(members, byLoad) { remap[b] = slot }
        }
        var x = [Double](repeating: 0, count: columns)
        for (mi, cs) in a.copies.enumerated() {
            if !cs.isEmpty { x[yCol[mi]] = 1 }
            for c in cs {
                guard let j = byKey[CandidateKey(item: mi, quant: c.quant, bin: remap[c.bin])] else { return nil }
                x[j] = 1
            }
        }
        return x
    }

    /// The smallest power-of-ten multiple of the replica counts' LCM that makes every weight an
    /// integer (within 1e-9), or 1 when none up to 10^6 does.
    static func integerScale(_ w: [Double]) -> Double {
        for k in 0...6 {
            let f = pow(10.0, Double(k))
            for m in [1.0, 2, 6, 12, 60, 420, 840, 2520] {
                let s = f * m
                if w.allSatisfy({ abs(($0 * s).rounded() - $0 * s) < 1e-6 && abs($0 * s) < 1e12 }) { return s }
            }
        }
        return 1
    }

    /// A coverage bound from GLPK as an integer, never above Σ priority (GLPK may report ±DBL_MAX).
    static func clampedBound(_ b: Double?, _ p: PlacementProblem) -> Int {
        let total = p.items.reduce(0) { $0 + $1.spec.priority }
        guard let b, b.isFinite else { return total }
        return Int(min(Double(total), max(0, (b + 1e-6).rounded(.down))))
    }

    struct CandidateKey: Hashable { var item: Int; var quant: Quant; var bin: Int }

    /// Solves, then checks capacities exactly; tightens a violated row by its excess and retries.
    static func solveVerified(_ lp: inout LinearProgram, _ p: PlacementProblem, capRow: [Int?], nc: Int, deadline: Deadline, nodeLimit: Int?, cuts: Bool = true, incumbent: [Double]?) -> SolveResult {
        var result = GLPK.solve(lp, options: .init(budget: deadline.budget, cuts: cuts, incumbent: incumbent, nodeLimit: nodeLimit))
        for _ in 0..<8 {
            guard result.status == .optimal || result.status == .feasible else { return result }
            var used = [Int64](repeating: 0, count: p.bins.count)
            for j in 0..<nc where result.values[j] > 0.5 { used[p.candidates[j].bin] += p.candidates[j].footprint }
            var tightened = false
            for (b, u) in used.enumerated() where u > p.bins[b].capacity {
                if let r = capRow[b] { lp.rows[r].upper = (lp.rows[r].upper ?? 1) - (Double(u - p.bins[b].capacity) + 0.5) / Double(p.bins[b].capacity); tightened = true }
            }
            if !tightened { return result }
            result = GLPK.solve(lp, options: .init(budget: deadline.budget, cuts: cuts, incumbent: incumbent, nodeLimit: nodeLimit))
        }
        return result
    }

    static func decode(_ x: [Double], _ p: PlacementProblem, nc: Int) -> Assignment {
        var copies = [[Assignment.Copy]](repeating: [], count: p.items.count)
        for j in 0..<nc where x[j] > 0.5 {
            let c = p.candidates[j]
            copies[c.item].append(.init(bin: c.bin, quant: c.quant))
        }
        for i in copies.indices { copies[i].sort { $0.bin < $1.bin } }
        return Assignment(copies: copies)
    }
}
