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
        let model = Model(p, byHost: enumerate)
        let K = model.K, spreadBound = model.spreadBound, coverageRow = model.coverageRow

        // Initial columns: the incumbent's instances.
        var configs: [Config] = []
        var seen = Set<Config>()
        var floorCoverage = minCoverage
        func addInstances(of a: Assignment) {
            for cfg in model.instances(of: a) where seen.insert(cfg).inserted { configs.append(cfg) }
        }
        addInstances(of: incumbent)
        func price(level: Int, u: [Double], mu: [Double], nu: Double, keep: Int, until: Deadline) -> Model.Priced {
            model.price(level: level, u: u, mu: mu, nu: nu, floor: floorCoverage, keep: keep, until: until)
        }

        // One level of column generation; returns (best bound, converged, iterations).
        func run(level: Int, until: Deadline) -> (bound: Double?, converged: Bool, iterations: Int, center: (u: [Double], mu: [Double], nu: Double)?) {
            var bestBound: Double?
            var converged = false
            // Wentges smoothing: price at α·(best multipliers) + (1−α)·(master duals).
            var center: (u: [Double], mu: [Double], nu: Double)?
            let alpha = 0.5
            let outcome = ColumnGeneration.run(model.master(level: level, configs: configs, floor: floorCoverage), budget: until.budget) { it in
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
                        for cfg in cfgs where model.value(cfg, level: level, u: u, mu: mu) - pi[c] > 1e-9 && !seen.contains(cfg) {
                            seen.insert(cfg); configs.append(cfg); added.append(model.column(cfg, level: level))
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
                guard !deadline.expired,
                      let columns = model.enumerateColumns(level: 1, u: c1.u, mu: c1.mu, upper: pr.upper, slack: pr.bound - Double(target), deadline: deadline),
                      let solved = model.integerMaster(columns, level: 1, floor: floorCoverage, atLeast: target, deadline: deadline) else { break }
                if solved.status == .infeasible || (solved.status == .optimal && solved.objective < Double(target) - 0.5) {
                    target -= 1; coverage = target  // no placement reaches the target
                    continue
                }
                if solved.status == .optimal, let a = model.disaggregate(columns, solved.values), a.violations(p).isEmpty, a.coverage(p) >= target {
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
        guard let columns = model.enumerateColumns(level: 2, u: ctr.u, mu: ctr.mu, upper: pr.upper, slack: gap, deadline: deadline),
              let solved = model.integerMaster(columns, level: 2, floor: floorCoverage, deadline: deadline) else { return result }
        if solved.status == .infeasible || (solved.status == .optimal && solved.objective <= lb + 1e-9) {
            result.proven = true; result.quality = lb; return result
        }
        guard solved.status == .optimal, let better = model.disaggregate(columns, solved.values), better.violations(p).isEmpty,
              better.coverage(p) >= floorCoverage, better.quality(p) > lb + 1e-9 else { return result }
        result.proven = true; result.placement = better; result.quality = better.quality(p)
        return result




    }
}
