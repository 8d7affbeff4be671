import Foundation
import GLPKSolver

/// The configuration LP (Gilmore–Gomory / Dantzig–Wolfe) of SPEC §4 over classes of identical
/// instances (`AggregatedBound.classes`), solved by column generation with an exact
/// multiple-choice-knapsack pricing step. It is never weaker than `AggregatedBound` (whose
/// capacity row and size cuts every configuration satisfies) and often much tighter.
///
/// A configuration of class c is a set of (model, quant) copies, at most one per model, that fits
/// one instance of c in exact Int64 bytes. The master, level 1 (coverage):
///
///     max Σ_m pri_m·y_m   s.t.  Σ_{c,k} a_mk·λ_ck − r_m·y_m = 0            (item rows)
///                               Σ_k λ_ck ≤ n_c                              (class rows)
///                               Σ_k a_mk·λ_ck ≤ H_c   for spread-host m     (spread rows, H_c = hosts of c)
///                               0 ≤ y ≤ 1, y_m = 1 if required, λ ≥ 0
///
/// Level 2 (quality) maximises Σ w_ck·λ_ck with the row Σ pri_m·y_m ≥ F (F = `minCoverage`).
/// Every iteration evaluates the Lagrangian bound, valid for ANY copy prices u (free), spread
/// prices μ ≥ 0 and coverage price ν ≥ 0, whatever GLPK's tolerances:
///
///     L(u,μ,ν) = −ν·F + Σ_m g_m(ν·pri_m − r_m·u_m) + Σ μ_mc·H_c + Σ_c n_c·max(0, K_c)
///     K_c = max over configurations of c of Σ_{(m,q)} (w_mq·[level 2] + u_m − μ_mc)
///
/// (level 1: ν = 1, no F term, w = 0), where g_m(t) = t for required m, else max(0, t). K_c is
/// the optimum of a multiple-choice knapsack, solved exactly by branch and bound (or replaced by
/// its LP relaxation, still an upper bound, when the node limit or the deadline is hit).
public enum ConfigurationBound {
    public struct Result: Sendable {
        /// floor(best valid upper bound on coverage + 1e-6), at most Σ priority.
        public var coverage: Int
        /// Valid upper bound on quality among placements with coverage ≥ `minCoverage`.
        public var quality: Double
        /// Both levels ended with no column of positive reduced cost (level 1 may also stop when the
        /// master's value and the bound have the same floor, level 2 when they agree to 1e-7
        /// relative: the bounds are then those of the configuration LP).
        public var converged: Bool
        /// Restricted-master optimisations, both levels.
        public var iterations: Int
        /// Only with `enumerate`: the placement (or the incumbent, when `placement` is nil) is optimal.
        public var proven = false
        /// Only with `enumerate`: a placement better than the incumbent, proven optimal.
        public var placement: Assignment?
    }

    /// One (quant, footprint, weight) option of a model on a class.
    struct Option { var quant: Quant; var footprint: Int64; var weight: Double }

    struct Class {
        var n: Int
        var capacity: Int64
        var hosts: Int
        /// Models with at least one candidate on the class, and their options (non-dominated on the bin).
        var items: [Int]
        var options: [[Option]]
        /// Index of the option with the smallest footprint (level 1 uses only that one).
        var smallest: [Int]
        /// Row of the spread constraint of items[j] in this class, if any.
        var spreadRow: [Int?]
    }

    /// One copy in a configuration: the model's position in its class's `items`, and which of its options.
    struct Pick: Hashable, Comparable {
        var position: Int
        var option: Int
        static func < (a: Pick, b: Pick) -> Bool { (a.position, a.option) < (b.position, b.option) }
    }

    /// A column: class, and its picks sorted by position (at most one per model).
    struct Config: Hashable {
        var cls: Int
        var picks: [Pick]
    }

    /// With `enumerate`, when coverage is proven (bound = `minCoverage`) and the class model is exact,
    /// also closes the quality gap: every configuration whose value at the best multipliers is within
    /// the gap of its class's best goes into an integer master solved by GLPK; `proven` then says
    /// that `placement` (or the incumbent, when nil) is optimal.
    public static func solve(_ p: PlacementProblem, minCoverage: Int, incumbent: Assignment, deadline: Deadline, enumerate: Bool = false) -> Result? {
        let M = p.items.count
        let totalPriority = p.items.reduce(0) { $0 + $1.spec.priority }
        if M == 0 { return Result(coverage: 0, quality: 0, converged: true, iterations: 0) }
        // Enumeration needs classes within one host, so that spread: host is a row of the master.
        let cls = AggregatedBound.classes(p, byHost: enumerate)
        let K = cls.members.count

        // Classes, their models and options.
        var classes: [Class] = []
        var position: [[Int: Int]] = Array(repeating: [:], count: K)
        for c in 0..<K {
            let b0 = cls.members[c][0]
            classes.append(Class(n: cls.members[c].count, capacity: p.bins[b0].capacity, hosts: cls.hosts[c], items: [], options: [], smallest: [], spreadRow: []))
        }
        for cand in p.candidates {
            let c = cls.classOfBin[cand.bin]
            guard cand.bin == cls.members[c][0] else { continue }
            let j: Int
            if let k = position[c][cand.item] { j = k } else {
                j = classes[c].items.count; position[c][cand.item] = j
                classes[c].items.append(cand.item); classes[c].options.append([]); classes[c].smallest.append(0); classes[c].spreadRow.append(nil)
            }
            classes[c].options[j].append(Option(quant: cand.quant, footprint: cand.footprint, weight: cand.weight))
        }
        // Rows: items 0..<M, classes M..<M+K, then spread rows, then (level 2) the coverage row.
        var rowCount = M + K
        var spreadBound: [Double] = []  // H_c of each spread row, in order from row M+K
        for c in 0..<K {
            for j in classes[c].items.indices {
                let opts = classes[c].options[j]
                classes[c].smallest[j] = opts.indices.min { opts[$0].footprint < opts[$1].footprint }!
                let it = p.items[classes[c].items[j]].spec
                if it.spreadHost && classes[c].hosts < min(classes[c].n, it.replicas) {
                    classes[c].spreadRow[j] = rowCount; rowCount += 1; spreadBound.append(Double(classes[c].hosts))
                }
            }
        }
        let coverageRow = rowCount

        // Initial columns: the incumbent's instances.
        var configs: [Config] = []
        var seen = Set<Config>()
        var floorCoverage = minCoverage
        func addInstances(of a: Assignment) {
            var onBin = [[Pick]](repeating: [], count: p.bins.count)
            for (m, copies) in a.copies.enumerated() {
                for copy in copies {
                    let c = cls.classOfBin[copy.bin]
                    guard let j = position[c][m], let o = classes[c].options[j].firstIndex(where: { $0.quant == copy.quant }) else {
                        preconditionFailure("ConfigurationBound: the incumbent places \(p.items[m].spec.name) where it has no candidate")
                    }
                    onBin[copy.bin].append(Pick(position: j, option: o))
                }
            }
            for (b, picks) in onBin.enumerated() where !picks.isEmpty {
                let cfg = Config(cls: cls.classOfBin[b], picks: picks.sorted())
                if seen.insert(cfg).inserted { configs.append(cfg) }
            }
        }
        addInstances(of: incumbent)

        func weight(_ cfg: Config) -> Double {
            cfg.picks.reduce(0) { $0 + classes[cfg.cls].options[$1.position][$1.option].weight }
        }
        func column(_ cfg: Config, level: Int) -> ColumnGeneration.Column {
            var terms: [(row: Int, coefficient: Double)] = [(M + cfg.cls, 1)]
            for pk in cfg.picks {
                let j = pk.position
                terms.append((classes[cfg.cls].items[j], 1))
                if let r = classes[cfg.cls].spreadRow[j] { terms.append((r, 1)) }
            }
            return .init(lower: 0, upper: Double(classes[cfg.cls].n), objective: level == 2 ? weight(cfg) : 0, terms: terms)
        }
        func master(level: Int) -> LinearProgram {
            var lp = LinearProgram(direction: .maximize)
            var rows = [[LinearProgram.Term]](repeating: [], count: rowCount + (level == 2 ? 1 : 0))
            for (m, it) in p.items.enumerated() {
                let j = lp.addColumn(.init(lower: it.spec.required ? 1 : 0, upper: 1, kind: .continuous, objective: level == 1 ? Double(it.spec.priority) : 0))
                rows[m].append(.init(j, -Double(it.spec.replicas)))
                if level == 2 { rows[coverageRow].append(.init(j, Double(it.spec.priority))) }
            }
            for cfg in configs {
                let col = column(cfg, level: level)
                let j = lp.addColumn(.init(lower: col.lower, upper: col.upper, kind: .continuous, objective: col.objective))
                for t in col.terms { rows[t.row].append(.init(j, t.coefficient)) }
            }
            for m in 0..<M { lp.addRow(.init(terms: rows[m], lower: 0, upper: 0)) }
            for c in 0..<K { lp.addRow(.init(terms: rows[M + c], upper: Double(classes[c].n))) }
            for (s, h) in spreadBound.enumerated() { lp.addRow(.init(terms: rows[M + K + s], upper: h)) }
            if level == 2 { lp.addRow(.init(terms: rows[coverageRow], lower: Double(floorCoverage))) }
            return lp
        }

        /// Lagrangian bound at (u, μ, ν) and the best configurations of each class.
        struct Priced { var bound: Double; var best: [[Config]]; var upper: [Double] }
        func price(level: Int, u: [Double], mu: [Double], nu: Double, keep: Int, until: Deadline) -> Priced {
            var bound = level == 2 ? -nu * Double(floorCoverage) : 0
            for (m, it) in p.items.enumerated() {
                let t = (level == 2 ? nu : 1) * Double(it.spec.priority) - Double(it.spec.replicas) * u[m]
                bound += it.spec.required ? t : max(0, t)
            }
            for (s, h) in spreadBound.enumerated() { bound += mu[s] * h }
            var best: [[Config]] = [], upper: [Double] = []
            for (c, k) in classes.enumerated() {
                var groups: [[(footprint: Int64, profit: Double)]] = []
                var tags: [Int] = []  // group → position
                for j in k.items.indices {
                    let base = u[k.items[j]] - (k.spreadRow[j].map { mu[$0 - M - K] } ?? 0)
                    if level == 1 {
                        guard base > 0 else { continue }
                        let o = k.options[j][k.smallest[j]]
                        groups.append([(o.footprint, base)]); tags.append(j)
                    } else {
                        let g = k.options[j].map { (footprint: $0.footprint, profit: $0.weight + base) }
                        guard g.contains(where: { $0.profit > 0 }) else { continue }
                        groups.append(g); tags.append(j)
                    }
                }
                let r = Knapsack.solve(capacity: k.capacity, groups: groups, keep: keep, nodeLimit: 50_000, deadline: until)
                bound += Double(k.n) * max(0, r.upper)
                upper.append(r.upper)
                best.append(r.solutions.map { sol in
                    Config(cls: c, picks: sol.map { (g, o) in Pick(position: tags[g], option: level == 1 ? k.smallest[tags[g]] : o) }.sorted())
                })
            }
            return Priced(bound: bound, best: best, upper: upper)
        }
        /// Σ (w·[level 2] + u − μ) over a configuration's copies.
        func value(_ cfg: Config, level: Int, u: [Double], mu: [Double]) -> Double {
            var v = 0.0
            let k = classes[cfg.cls]
            for pk in cfg.picks {
                let j = pk.position
                v += u[k.items[j]] - (k.spreadRow[j].map { mu[$0 - M - K] } ?? 0)
                if level == 2 { v += k.options[j][pk.option].weight }
            }
            return v
        }

        // One level of column generation; returns (best bound, converged, iterations).
        func run(level: Int, until: Deadline) -> (bound: Double?, converged: Bool, iterations: Int, center: (u: [Double], mu: [Double], nu: Double)?) {
            var bestBound: Double?
            var converged = false
            // Wentges smoothing: price at α·(best multipliers) + (1−α)·(master duals).
            var center: (u: [Double], mu: [Double], nu: Double)?
            let alpha = 0.5
            let outcome = ColumnGeneration.run(master(level: level), budget: until.budget) { it in
                let d = it.rowDuals
                let u = (0..<M).map { -d[$0] }
                let pi = (0..<K).map { d[M + $0] }
                let mu = spreadBound.indices.map { max(0, d[M + K + $0]) }
                let nu = level == 2 ? max(0, -d[coverageRow]) : 1
                var added: [ColumnGeneration.Column] = []
                if level == 1 && center == nil {
                    // A first stability centre: a copy is worth its share of the model's priority.
                    let u0 = p.items.map { Double($0.spec.priority) / Double($0.spec.replicas) }, mu0 = [Double](repeating: 0, count: spreadBound.count)
                    bestBound = price(level: 1, u: u0, mu: mu0, nu: 1, keep: 0, until: until).bound
                    center = (u0, mu0, 1)
                }
                var smoothed = center != nil
                while true {
                    let (pu, pmu, pnu): ([Double], [Double], Double)
                    if smoothed, let ctr = center {
                        pu = zip(ctr.u, u).map { alpha * $0 + (1 - alpha) * $1 }
                        pmu = zip(ctr.mu, mu).map { alpha * $0 + (1 - alpha) * $1 }
                        pnu = alpha * ctr.nu + (1 - alpha) * nu
                    } else { (pu, pmu, pnu) = (u, mu, nu) }
                    let pr = price(level: level, u: pu, mu: pmu, nu: pnu, keep: 5, until: until)
                    if bestBound == nil || pr.bound < bestBound! { bestBound = pr.bound; center = (pu, pmu, pnu) }
                    for (c, cfgs) in pr.best.enumerated() {
                        for cfg in cfgs where value(cfg, level: level, u: u, mu: mu) - pi[c] > 1e-9 && !seen.contains(cfg) {
                            seen.insert(cfg); configs.append(cfg); added.append(column(cfg, level: level))
                        }
                    }
                    if !added.isEmpty { break }
                    if smoothed { smoothed = false; continue }  // mispricing: price at the master's duals
                    // Priced at the master's duals and nothing has positive reduced cost.
                    converged = zip(pr.upper, pi).allSatisfy { $0 - $1 <= 1e-8 }  // upper = optimum + 1e-9
                    break
                }
                if until.expired { return nil }
                guard let b = bestBound else { return added }
                if level == 1, (b + 1e-6).rounded(.down) <= (it.objective + 1e-6).rounded(.down) { converged = true; return nil }
                if level == 2, b - it.objective <= 1e-7 * max(1, abs(b)) { converged = true; return nil }
                return added
            }
            return (bestBound, converged && outcome.status == .stopped, outcome.iterations, center)
        }

        let level1Until = deadline.remaining.map { deadline.atMost($0 * 0.6) } ?? deadline
        let r1 = run(level: 1, until: level1Until)
        guard let b1 = r1.bound else { return nil }
        var coverage = min(totalPriority, Int((b1 + 1e-6).rounded(.down)))
        var current = incumbent, improved = false
        // Level 1 by reduced-cost enumeration, aiming high first: every column of a placement covering
        // ≥ target, for target = the LP bound, then one less, ... down to floor + 1. The integer master
        // over them either reaches the target (then its optimum is the optimum: every better placement is
        // made of those columns) or proves that nothing does. Few columns while the bound is nearly tight.
        if enumerate, coverage > floorCoverage, let c1 = r1.center {
            let pr = price(level: 1, u: c1.u, mu: c1.mu, nu: 1, keep: 0, until: deadline)
            var target = coverage
            while target > floorCoverage {
                guard let columns = enumerateColumns(level: 1, u: c1.u, mu: c1.mu, upper: pr.upper, slack: pr.bound - Double(target)),
                      let solved = integerMaster(columns, level: 1, atLeast: target) else { break }
                if solved.status == .infeasible || (solved.status == .optimal && solved.objective < Double(target) - 0.5) {
                    target -= 1; coverage = target  // no placement reaches the target
                    continue
                }
                if solved.status == .optimal, let a = disaggregate(columns, solved.values), a.violations(p).isEmpty, a.coverage(p) >= target {
                    if a.coverage(p) > floorCoverage {
                        current = a; improved = true
                        floorCoverage = a.coverage(p)
                        addInstances(of: a)
                    }
                    coverage = floorCoverage
                }
                break
            }
        }
        var r2 = run(level: 2, until: deadline)
        if r2.bound == nil {
            // No level-2 iteration in time: the bound at u = 0, ν = 0 is still valid.
            r2.bound = price(level: 2, u: [Double](repeating: 0, count: M), mu: [Double](repeating: 0, count: spreadBound.count), nu: 0, keep: 0, until: deadline).bound
        }
        var result = Result(coverage: coverage, quality: r2.bound!, converged: r1.converged && r2.converged, iterations: r1.iterations + r2.iterations)
        if improved { result.placement = current; result.quality = max(result.quality, current.quality(p)) }
        // Level 2 by reduced-cost enumeration, when coverage is proven.
        guard enumerate, coverage == floorCoverage, let ctr = r2.center else { return result }
        let lb = current.quality(p)
        let pr = price(level: 2, u: ctr.u, mu: ctr.mu, nu: ctr.nu, keep: 0, until: deadline)
        let gap = min(result.quality, pr.bound) - lb
        if gap <= 1e-9 { result.proven = true; return result }
        guard let columns = enumerateColumns(level: 2, u: ctr.u, mu: ctr.mu, upper: pr.upper, slack: gap),
              let solved = integerMaster(columns, level: 2) else { return result }
        if solved.status == .infeasible || (solved.status == .optimal && solved.objective <= lb + 1e-9) {
            result.proven = true; result.quality = lb; return result
        }
        guard solved.status == .optimal, let better = disaggregate(columns, solved.values), better.violations(p).isEmpty,
              better.coverage(p) >= floorCoverage, better.quality(p) > lb + 1e-9 else { return result }
        result.proven = true; result.placement = better; result.quality = better.quality(p)
        return result

        /// Reduced-cost enumeration: a column of class c in a placement better than the incumbent by
        /// the Lagrangian argument has value ≥ max(0, K_c) − slack, where slack = L − (the value to beat)
        /// and L, K_c are taken at the same multipliers (any multipliers: the argument needs no LP optimality).
        func enumerateColumns(level: Int, u: [Double], mu: [Double], upper: [Double], slack: Double) -> [Config]? {
            guard slack.isFinite, slack >= -1e-9 else { return slack < 0 ? [] : nil }
            var columns: [Config] = []
            for c in classes.indices {
                let threshold = max(0, upper[c]) - slack - 1e-7
                guard let found = configurations(of: c, level: level, u: u, mu: mu, above: threshold, limit: 20_000 - columns.count) else { return nil }
                columns += found
            }
            return columns
        }

        /// The master over `columns` as an integer program (λ integer, y binary), with spread: host
        /// across the classes of one host; level 1 maximises coverage, level 2 quality at coverage ≥ floor.
        func integerMaster(_ columns: [Config], level: Int, atLeast target: Int? = nil) -> SolveResult? {
            var lp = LinearProgram(direction: .maximize)
            var rows = [[LinearProgram.Term]](repeating: [], count: rowCount + 1)
            for (m, it) in p.items.enumerated() {
                let j = lp.addColumn(.init(lower: it.spec.required ? 1 : 0, upper: 1, kind: .binary, objective: level == 1 ? Double(it.spec.priority) : 0))
                rows[m].append(.init(j, -Double(it.spec.replicas)))
                rows[coverageRow].append(.init(j, Double(it.spec.priority)))
            }
            for cfg in columns {
                let col = column(cfg, level: level)
                let j = lp.addColumn(.init(lower: 0, upper: col.upper, kind: .integer, objective: col.objective))
                for t in col.terms { rows[t.row].append(.init(j, t.coefficient)) }
            }
            for m in 0..<M { lp.addRow(.init(terms: rows[m], lower: 0, upper: 0)) }
            for c in 0..<K where !rows[M + c].isEmpty { lp.addRow(.init(terms: rows[M + c], upper: Double(classes[c].n))) }
            for (s, h) in spreadBound.enumerated() where !rows[M + K + s].isEmpty { lp.addRow(.init(terms: rows[M + K + s], upper: h)) }
            if level == 2 { lp.addRow(.init(terms: rows[coverageRow], lower: Double(floorCoverage))) }
            if level == 1, let target { lp.addRow(.init(terms: rows[coverageRow], lower: Double(target) - 0.5)) }
            var perHost: [[Int]: [LinearProgram.Term]] = [:]
            for (offset, cfg) in columns.enumerated() {
                let host = p.bins[cls.members[cfg.cls][0]].host
                for pk in cfg.picks {
                    let m = classes[cfg.cls].items[pk.position]
                    if p.items[m].spec.spreadHost && p.items[m].spec.replicas > 1 { perHost[[m, host], default: []].append(.init(M + offset, 1)) }
                }
            }
            for key in perHost.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) { lp.addRow(.init(terms: perHost[key]!, upper: 1)) }
            if deadline.expired { return nil }
            return GLPK.solve(lp, options: .init(budget: deadline.budget))
        }

        /// λ copies of each configuration on the next free instances of its class (y columns first).
        func disaggregate(_ columns: [Config], _ values: [Double]) -> Assignment? {
            var copies = [[Assignment.Copy]](repeating: [], count: M)
            var nextBin = [Int](repeating: 0, count: K)
            for (offset, cfg) in columns.enumerated() {
                for _ in 0..<Int(values[M + offset].rounded()) {
                    guard nextBin[cfg.cls] < cls.members[cfg.cls].count else { return nil }
                    let bin = cls.members[cfg.cls][nextBin[cfg.cls]]; nextBin[cfg.cls] += 1
                    for pk in cfg.picks {
                        let j = pk.position
                        copies[classes[cfg.cls].items[j]].append(.init(bin: bin, quant: classes[cfg.cls].options[j][pk.option].quant))
                    }
                }
            }
            for m in copies.indices { copies[m].sort { $0.bin < $1.bin } }
            return Assignment(copies: copies)
        }

        /// Every configuration of class c with Σ (w + u − μ) ≥ threshold, by depth-first search with a
        /// fractional bound (profit per byte at most each model's best ratio); nil past `limit`.
        func configurations(of c: Int, level: Int, u: [Double], mu: [Double], above threshold: Double, limit: Int) -> [Config]? {
            let k = classes[c]
            struct Opt { var index: Int; var footprint: Int64; var profit: Double }
            var groups: [(pos: Int, opts: [Opt], best: Double, ratio: Double)] = []
            for j in k.items.indices {
                let base = u[k.items[j]] - (k.spreadRow[j].map { mu[$0 - M - K] } ?? 0)
                // Level 1 values a copy the same at every quant: its smallest footprint is enough.
                let all = k.options[j].enumerated().map { Opt(index: $0.offset, footprint: $0.element.footprint, profit: (level == 2 ? $0.element.weight : 0) + base) }
                let opts = level == 2 ? all : [all[k.smallest[j]]]
                let best = opts.map(\.profit).max() ?? 0
                let ratio = opts.map { $0.profit / Double(max(1, $0.footprint)) }.max() ?? 0
                groups.append((j, opts, best, ratio))
            }
            groups.sort { $0.ratio > $1.ratio || ($0.ratio == $1.ratio && $0.pos < $1.pos) }
            func bound(_ from: Int, _ cap: Int64) -> Double {
                var v = 0.0, left = Double(cap)
                for g in groups[from...] where g.best > 0 && g.ratio > 0 {
                    let bytes = g.best / g.ratio
                    if bytes <= left { v += g.best; left -= bytes } else { v += left * g.ratio; break }
                }
                return v
            }
            var out: [Config] = []
            var picks: [Pick] = []
            var overflow = false
            var nodes = 0
            func dfs(_ i: Int, _ cap: Int64, _ value: Double) {
                if overflow { return }
                nodes += 1
                // Out of time: as good as too many columns (no proof from this enumeration).
                if nodes & 1023 == 0, deadline.expired { overflow = true; return }
                if value + bound(i, cap) < threshold { return }
                if i == groups.count {
                    if value >= threshold {
                        out.append(Config(cls: c, picks: picks.sorted()))
                        if out.count > limit { overflow = true }
                    }
                    return
                }
                dfs(i + 1, cap, value)  // without this model
                for o in groups[i].opts where o.footprint <= cap {
                    picks.append(Pick(position: groups[i].pos, option: o.index))
                    dfs(i + 1, cap - o.footprint, value + o.profit)
                    picks.removeLast()
                }
            }
            dfs(0, k.capacity, 0)
            return overflow ? nil : out
        }
    }
}
