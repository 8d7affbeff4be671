import GLPKSolver

/// The solve as a list of phases, run in order on one `Deadline` (`phases` below is the one table
/// of names, time shares and conditions; the README's solver section points here). Each phase gets
/// the deadline at its share of the time limit, returns its best so far when that fires, and
/// hands on the best valid placement and the tightest bounds. `method` in the outcome is the phase
/// whose placement won; `cutShort` lists the phases whose deadline fired. `optimal` only when a
/// bound proves it.
public enum Strategy {
    /// Largest number of candidate copies x[m,q,i] given to the exact methods ("small" problems).
    public static let exactLimit = 20_000
    /// Largest number of candidates given to `LocalSearch` (it scans every candidate per move).
    static let localSearchLimit = 200_000
    /// Seconds GLPK's simplex takes per candidate copy on the compact LP relaxation, roughly
    /// (3.7 s for the 834,872 of 2000x128x5 on the benchmark machine, 0.3 s for 65,555).
    static let lpSecondsPerCandidate = 4.5e-6

    // MARK: - The table

    /// One step of the solve.
    struct Phase: Sendable {
        /// As reported in the progress line, `solver.method` and `solver.cut_short`.
        let name: String
        /// Share of the time limit by which the phase must end, on small problems (≤ `exactLimit`
        /// candidates, where the exact methods follow) and on large ones; nil: it does not run there.
        let small: Double?
        let large: Double?
        /// When it runs (beyond its size class), in words.
        let when: String
        let run: @Sendable (inout Run) -> Void
    }

    /// Every phase, in order. Shares are cumulative ends, not slices: a phase that finishes early
    /// leaves its time to the next.
    static let phases: [Phase] = [
        Phase(name: "bin-completion", small: 1, large: 1,
              when: "pure bin packing (all required, one copy, one quant, identical instances); ends the solve when it packs or proves infeasible",
              run: binCompletion),
        Phase(name: "greedy", small: 0, large: 0, when: "always: every copy at its best quant that fits", run: greedy),
        Phase(name: "packing", small: 0.10, large: 0.75,
              when: "always: coverage first at smallest quants, repair and exchange moves, then quants raised per instance", run: packing),
        Phase(name: "local-search", small: 0.20, large: 0.80, when: "≤ 200,000 candidates", run: localSearch),
        Phase(name: "lp-rounding", small: 0.30, large: 0.90,
              when: "always: LP over classes of identical instances (bounds, LP-guided rounding); when it would take > 15% of the limit, the one-knapsack and Lagrangian bounds and the coverage-only class LP (to 97%) instead",
              run: lpRounding),
        Phase(name: "configuration", small: 0.30, large: nil,
              when: "not proven: configuration LP by column generation, reduced-cost enumeration into an integer master", run: configuration),
        Phase(name: "neighbourhood", small: 0.50, large: 0.97, when: "not proven: large-neighbourhood search (exact re-solves of ≤ 4 instances)",
              run: neighbourhood),
        Phase(name: "exchange-repair", small: 0.55, large: 0.99, when: "coverage below its bound: the packer's repair moves from the best placement",
              run: exchangeRepair),
        Phase(name: "exact", small: 0.80, large: nil, when: "not proven: GLPK's branch and bound, coverage then quality", run: exact),
        Phase(name: "configuration-close", small: 1, large: nil,
              when: "the exact phase proved a higher coverage: enumeration again from its placement", run: configurationClose),
    ]

    /// The table as markdown (for the README's solver section; a test keeps them equal).
    public static var markdownTable: String {
        func pct(_ s: Double?) -> String { s.map { "\(Int(($0 * 100).rounded()))%" } ?? "—" }
        var out = "| phase | ends by (small) | ends by (large) | runs when |\n|---|---|---|---|\n"
        for ph in phases { out += "| \(ph.name) | \(pct(ph.small)) | \(pct(ph.large)) | \(ph.when) |\n" }
        return out
    }

    // MARK: - Running the table

    /// What the phases share: the problem, the best placement so far with its bounds, and flags.
    struct Run {
        let p: PlacementProblem
        let small: Bool
        let nodeLimit: Int?
        /// This phase's deadline (the whole solve's for `whole`).
        var deadline: Deadline
        var whole: Deadline
        /// The best valid placement before any bound (greedy, packing, local search) and who made it.
        var seed = Assignment(copies: [])
        var seedMethod = "greedy"
        var quick = Assignment(copies: [])
        /// From lp-rounding on: the best placement and bounds (status unknown before any is valid).
        var outcome: SolveOutcome?
        /// Coverage of the outcome before the exact phase (for configuration-close).
        var coverageBeforeExact = 0
        var exactRan = false
        /// Set by a phase that ends the solve.
        var final: SolveOutcome?
    }

    public static func solve(_ p: PlacementProblem, deadline given: Deadline, nodeLimit: Int? = nil,
                             progress: ((SolveProgress) -> Void)? = nil) -> SolveOutcome {
        var hasCandidate = [Bool](repeating: false, count: p.items.count)
        for c in p.candidates { hasCandidate[c.item] = true }
        // Required models with no candidate at all: infeasible without asking GLPK.
        if p.items.indices.contains(where: { p.items[$0].spec.required && !hasCandidate[$0] }) {
            return empty(p, .infeasible, method: "exact")
        }
        // Heartbeats from every deadline check keep the progress line moving inside long phases.
        let live = Live()
        let monitor = Deadline.Monitor { elapsed in
            guard let progress else { return }
            progress(SolveProgress(phase: live.phase, elapsed: elapsed, coverage: live.coverage, quality: live.quality, coverageBound: live.bound))
        }
        let deadline = given.with(monitor: monitor)
        var run = Run(p: p, small: p.candidates.count <= exactLimit, nodeLimit: nodeLimit, deadline: deadline, whole: deadline)
        run.seed = Assignment(copies: Array(repeating: [], count: p.items.count))
        var cutShort: [String] = []
        for phase in phases {
            guard let share = run.small ? phase.small : phase.large else { continue }
            run.deadline = deadline.until(share)
            live.phase = phase.name
            monitor.fired = false; monitor.phaseEnd = run.deadline.end
            phase.run(&run)
            if monitor.fired { cutShort.append(phase.name) }
            if var done = run.final { done.cutShort = cutShort; return done }
            let shown = run.outcome?.assignment ?? run.seed
            live.coverage = shown.coverage(p); live.quality = shown.quality(p); live.bound = run.outcome?.coverageBound
            progress?(SolveProgress(phase: phase.name, elapsed: deadline.elapsed, coverage: live.coverage, quality: live.quality, coverageBound: live.bound))
        }
        var o = run.outcome ?? empty(p, .unknown, method: run.seedMethod)
        o.cutShort = cutShort
        return o
    }

    /// The progress line's view of the solve, updated between phases.
    final class Live: @unchecked Sendable {
        var phase = "", coverage = 0, quality = 0.0
        var bound: Int?
    }

    static func empty(_ p: PlacementProblem, _ status: SolveOutcome.Status, method: String) -> SolveOutcome {
        SolveOutcome(status: status, assignment: Assignment(copies: Array(repeating: [], count: p.items.count)),
                     coverage: 0, quality: 0, coverageBound: 0, qualityBound: 0, method: method, variables: 0, constraints: 0)
    }

    // MARK: - The phases

    static func binCompletion(_ r: inout Run) {
        let p = r.p
        guard BinCompletion.applies(p) else { return }
        let (packed, exhausted) = BinCompletion.solve(p, deadline: r.deadline)
        if let packed, packed.violations(p).isEmpty {
            // Everything placed at its only quant: both levels are at their maximum.
            r.final = SolveOutcome(status: .optimal, assignment: packed, coverage: packed.coverage(p), quality: packed.quality(p),
                                   coverageBound: packed.coverage(p), qualityBound: packed.quality(p), method: "bin-completion",
                                   variables: p.candidates.count, constraints: 0)
        } else if exhausted {
            r.final = empty(p, .infeasible, method: "bin-completion")
        }
    }

    static func greedy(_ r: inout Run) {
        r.quick = Greedy.solve(r.p)
        r.seed = r.quick; r.seedMethod = "greedy"
    }

    static func packing(_ r: inout Run) {
        let p = r.p
        let packed = CoveragePacking.solve(p, deadline: r.deadline)
        if packed.violations(p).isEmpty && (!r.quick.violations(p).isEmpty || better(packed, than: r.quick, p)) {
            r.seed = packed; r.seedMethod = "packing"
        }
    }

    static func localSearch(_ r: inout Run) {
        let p = r.p
        guard r.seed.violations(p).isEmpty, p.candidates.count <= localSearchLimit else { return }
        let polished = LocalSearch.improve(r.seed, p, deadline: r.deadline)
        if better(polished, than: r.seed, p) { r.seedMethod = "local-search" }
        r.seed = polished
    }

    static func lpRounding(_ r: inout Run) {
        let p = r.p
        // The LP only when it should take at most 15% of the time limit: beyond that the one-knapsack
        // bound (6392 vs the LP's 6388 at 2000x128x5) and neighbourhood search use the time better.
        let useLP = r.whole.limit.map { Double(p.candidates.count) * lpSecondsPerCandidate <= 0.15 * $0 } ?? true
        // The coverage-only LP (when the compact one is skipped) may take until 97%: at 2000x128x5 it
        // takes 0.65 s, and the neighbourhood search it delays gains nothing there.
        r.outcome = lpRounding(p, seed: r.seed, seedMethod: r.seedMethod, deadline: r.deadline, useLP: useLP, boundDeadline: r.whole.until(0.97))
    }

    static func configuration(_ r: inout Run) {
        // The configuration LP's bound, and on small problems its exact enumeration: often a proof
        // before any search (tighter than the compact LP where instances hold few large models).
        guard var o = r.outcome, o.status == .feasible else { return }
        configurationBound(r.p, &o, deadline: r.deadline)
        r.outcome = o
    }

    static func neighbourhood(_ r: inout Run) {
        let p = r.p
        guard var o = r.outcome, o.status != .optimal else { return }
        // Large-neighbourhood search from the best placement so far: small exact re-solves of a few instances at a time.
        let base = o.status == .feasible ? o.assignment : r.seed
        let improved = Neighbourhood.improve(base, p, deadline: r.deadline)
        if improved.violations(p).isEmpty && (o.status == .unknown || better(improved, than: o.assignment, p)) {
            adopt(improved, into: &o, p); o.method = "neighbourhood"
        }
        r.outcome = o
    }

    static func exchangeRepair(_ r: inout Run) {
        let p = r.p
        guard var o = r.outcome, o.status == .feasible, o.coverage < o.coverageBound else { return }
        // The packer's repair moves from the search's placement: exchanges that gather room from
        // several instances (100x12x3: 334 → 335 where the search had stopped).
        let repaired = CoveragePacking.improve(o.assignment, p, deadline: r.deadline)
        if better(repaired, than: o.assignment, p) { adopt(repaired, into: &o, p); o.method = "exchange-repair" }
        r.outcome = o
    }

    static func exact(_ r: inout Run) {
        let p = r.p
        guard let rounded = r.outcome, rounded.status != .optimal else { return }
        r.exactRan = true
        r.coverageBeforeExact = rounded.coverage
        let first = rounded.status == .feasible ? rounded.assignment : r.seed
        var exact = ExactSolver.solve(p, deadline: r.deadline, nodeLimit: r.nodeLimit, start: first)
        // A placement verified in exact arithmetic outranks a claim of infeasibility from GLPK.
        if exact.status == .infeasible && rounded.status == .feasible { return }
        guard exact.status == .feasible || exact.status == .unknown else { r.outcome = exact; return }
        // Not proven: keep the better placement and the tighter of the two bounds.
        if rounded.status == .feasible && (exact.status == .unknown || better(rounded.assignment, than: exact.assignment, p)) {
            exact.assignment = rounded.assignment; exact.coverage = rounded.coverage; exact.quality = rounded.quality
            exact.status = .feasible; exact.method = rounded.method
        }
        exact.coverageBound = max(exact.coverage, min(exact.coverageBound, rounded.coverageBound))
        // Both quality bounds hold for every placement covering at least what their level-2 LP was given.
        if rounded.status == .feasible, exact.coverage >= rounded.coverage { exact.qualityBound = max(exact.quality, min(exact.qualityBound, rounded.qualityBound)) }
        if exact.coverage == exact.coverageBound && exact.quality >= exact.qualityBound - 1e-9 { exact.status = .optimal }
        r.outcome = exact
    }

    static func configurationClose(_ r: inout Run) {
        guard r.exactRan, var o = r.outcome, o.status == .feasible, o.coverage == o.coverageBound, o.coverage > r.coverageBeforeExact else { return }
        configurationBound(r.p, &o, deadline: r.deadline)
        r.outcome = o
    }

    // MARK: - Shared steps

    /// The configuration LP's bounds, and where coverage is proven, reduced-cost enumeration of the
    /// configurations that could beat the placement: `optimal` when the integer master over them says so.
    static func configurationBound(_ p: PlacementProblem, _ o: inout SolveOutcome, deadline: Deadline) {
        guard o.status == .feasible,
              let cb = ConfigurationBound.solve(p, minCoverage: o.coverage, incumbent: o.assignment, deadline: deadline, enumerate: true) else { return }
        if let better = cb.placement, better.violations(p).isEmpty, Strategy.better(better, than: o.assignment, p) {
            o.assignment = better; o.method = "configuration"
            o.coverage = better.coverage(p); o.quality = better.quality(p)
        }
        // Both bounds hold for every placement covering at least the incumbent given.
        o.coverageBound = max(o.coverage, min(o.coverageBound, cb.coverage))
        o.qualityBound = max(o.quality, min(o.qualityBound, cb.quality))
        if cb.proven { o.coverageBound = o.coverage; o.qualityBound = o.quality }
        adopt(o.assignment, into: &o, p)
    }

    /// Takes a better valid placement into an outcome whose bounds stay valid for it (they bound every
    /// placement covering at least as much as the one they were computed for); `optimal` when it meets them.
    static func adopt(_ a: Assignment, into o: inout SolveOutcome, _ p: PlacementProblem) {
        o.assignment = a; o.coverage = a.coverage(p); o.quality = a.quality(p)
        o.coverageBound = max(o.coverageBound, o.coverage)
        o.qualityBound = max(o.qualityBound, o.quality)
        o.status = o.coverage == o.coverageBound && o.quality >= o.qualityBound - 1e-9 ? .optimal : .feasible
    }

    static func better(_ a: Assignment, than b: Assignment, _ p: PlacementProblem) -> Bool {
        let (ca, cb) = (a.coverage(p), b.coverage(p))
        return ca > cb || (ca == cb && a.quality(p) > b.quality(p) + 1e-12)
    }

    /// The LP relaxation's bounds and LP-guided rounding from `seed` (made by `seedMethod`).
    /// `useLP: false` skips the LP (the one-knapsack bound stands in) and leaves the time to the caller.
    /// `boundDeadline`: when the coverage-only LP must be done (it stands in for the compact LP's bound).
    static func lpRounding(_ p: PlacementProblem, seed: Assignment, seedMethod: String = "greedy", deadline: Deadline,
                           useLP: Bool = true, boundDeadline: Deadline? = nil) -> SolveOutcome {
        let valid = seed.violations(p).isEmpty
        var best = valid ? seed : Assignment(copies: Array(repeating: [], count: p.items.count))
        var method = seedMethod
        let floor = valid ? seed.coverage(p) : nil
        // One LP pair: the coverage bound, and the quality bound among placements covering at least
        // as much as the seed (still valid, if looser, when rounding then covers more). 85% of the
        // time left, so that rounding and its local search still fit.
        let lpDeadline = deadline.remaining.map { deadline.atMost($0 * 0.85) } ?? deadline
        let bound = !useLP ? nil : AggregatedBound.solve(p, minCoverage: floor, deadline: lpDeadline)
        let searchable = p.candidates.count <= localSearchLimit
        if bound == nil, valid, useLP, searchable {
            let polished = LocalSearch.improve(seed, p, deadline: deadline)  // no LP in time: keep polishing the seed
            if better(polished, than: best, p) { method = "local-search" }
            best = polished
        }
        if let bound {
            let rounded = Greedy.solve(p, served: bound.served, preferred: bound.preferred)
            if rounded.violations(p).isEmpty {
                let improved = searchable ? LocalSearch.improve(rounded, p, deadline: deadline) : CoveragePacking.raise(rounded, p)
                if !valid || better(improved, than: best, p) { best = improved; method = "lp-rounding" }
            }
        }
        guard best.violations(p).isEmpty, valid || bound != nil else {
            var o = empty(p, .unknown, method: method)
            o.coverageBound = bound?.coverage ?? 0; o.variables = p.candidates.count
            return o
        }
        let coverage = best.coverage(p), quality = best.quality(p)
        // No LP in time: the one-knapsack bound (looser, but valid and instant), and for coverage the
        // LP over classes at smallest footprints where it is small enough (2000x128x5: 6388 against 6392).
        let fallback = bound == nil ? DensityBound.solve(p) : nil
        var cBound = max(coverage, bound?.coverage ?? fallback!.coverage)
        let boundBy = boundDeadline ?? deadline
        if bound == nil, cBound > coverage, (boundBy.remaining ?? 60) > 0.05, let lp = AggregatedBound.coverage(p, deadline: boundBy) {
            cBound = max(coverage, min(cBound, lp))
        }
        var qBound = bound.map { $0.quality.isFinite ? $0.quality : Double(p.items.reduce(0) { $0 + $1.spec.priority }) } ?? fallback!.quality
        // Without the LP, quality's class relaxation by Lagrangian multipliers (fast, and tighter than
        // the one knapsack where instance classes or the coverage held matter: 2000x128x5).
        if bound == nil, qBound > quality + 1e-9,
           let lagrangian = LagrangianBound.quality(p, minCoverage: coverage, incumbent: quality, deadline: boundBy) {
            qBound = min(qBound, lagrangian + 1e-6)
        }
        let proven = cBound == coverage && qBound <= quality + 1e-9
        return SolveOutcome(status: proven ? .optimal : .feasible, assignment: best, coverage: coverage, quality: quality,
                            coverageBound: cBound, qualityBound: max(quality, qBound), method: method,
                            variables: p.candidates.count, constraints: 0)
    }
}
