import Foundation

/// The whole pipeline for one cluster and profile: parse → validate → footprint → model → solve → plan.
public enum Planner {
    public struct Result: Sendable {
        public var plan: Plan
        public var problem: PlacementProblem
        public var outcome: SolveOutcome
        public var seconds: Double
    }

    /// Plans `cluster` under `profile`. Throws InvalidInput for bad input.
    public static func plan(_ cluster: Cluster, profile: Profile, file: String, timeLimit: Double? = nil, nodeLimit: Int? = nil,
                            progress: ((SolveProgress) -> Void)? = nil, replanning old: Plan? = nil) throws -> Result {
        let layouts = try InstanceBuilder.build(cluster, profile: profile, file: file)
        var problem = try PlacementProblem.build(cluster: cluster, profile: profile, layouts: layouts, file: file)
        let clock = ContinuousClock()
        let t0 = clock.now
        // With the on-demand tier, a second solve may follow (without the instances kept free):
        // when some models may not all fit, each solve gets half of the time limit.
        let mayReserve = profile.onDemand && OnDemand.someMayStayOut(problem)
        let firstLimit = mayReserve ? timeLimit.map { $0 / 2 } : timeLimit
        var outcome = SameHostQuant.unify(problem, Strategy.solve(problem, timeLimit: firstLimit, nodeLimit: nodeLimit, progress: progress))
        if mayReserve, outcome.status != .infeasible {
            let reserved = OnDemand.reservation(problem, outcome.assignment)
            if !reserved.isEmpty {
                let spent = t0.duration(to: clock.now)
                let left = timeLimit.map { max(0.05, $0 - (Double(spent.components.seconds) + Double(spent.components.attoseconds) / 1e18)) }
                let again = try PlacementProblem.build(cluster: cluster, profile: profile, layouts: layouts, file: file, reserved: reserved)
                let second = SameHostQuant.unify(again, Strategy.solve(again, timeLimit: left, nodeLimit: nodeLimit, progress: progress))
                // Keep the reservation only when it is feasible (a required model may need those
                // instances) and serves more: a model loaded on request counts half a resident one.
                if second.status != .infeasible,
                   OnDemand.score(again, second.assignment) > OnDemand.score(problem, outcome.assignment) {
                    problem = again; outcome = second
                }
            }
        }
        // replan: keep copies where the old plan runs them, as far as interchangeable instances allow.
        if let old, outcome.status != .infeasible {
            outcome.assignment = Replan.restore(problem, Replan.align(problem, outcome.assignment, old: old), old: old)
            precondition(outcome.assignment.violations(problem).isEmpty, "replan produced an invalid placement")
        }
        // Multi-GPU instances: every copy dealt to its cards by layers; one that cannot be is dropped.
        let (verified, dropped) = LayerSplit.verify(problem, outcome)
        outcome = verified
        let d = t0.duration(to: clock.now)
        let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        let reasons = outcome.status == .infeasible ? Explain.infeasible(problem) : []
        var plan = PlanBuilder.build(cluster: cluster, problem: problem, outcome: outcome, infeasibleReasons: reasons, dropped: dropped)
        if let old, plan.status != "infeasible" { plan.moves = Replan.moves(from: old, to: plan) }
        return Result(plan: plan, problem: problem, outcome: outcome, seconds: seconds)
    }
}

/// Where a solve stands, for a progress line.
public struct SolveProgress: Sendable {
    public var phase: String
    public var elapsed: Double
    public var coverage: Int
    public var quality: Double
    public var coverageBound: Int?
}

/// Picks the solver method by size. Always: two first placements (greedy, and the coverage-first
/// packer with its repair and exchange moves), local search, an LP relaxation over classes of
/// identical instances (bound and LP-guided rounding; when it would not finish in time, the
/// one-knapsack bound and the coverage-only class LP instead), large-neighbourhood search, then
/// the packer's repair moves again from its placement. Where the 0-1 program is small enough, the
/// configuration LP and its reduced-cost enumeration come before the search (often a proof), and
/// GLPK's exact branch and bound after it. `optimal` only when a bound proves it.
/// Shares of the time limit, small problems (large ones in brackets): packing to 10% (75%), local
/// search to 20% (80%), rounding to 30% (90%; the coverage-only LP to 97%), configuration LP to
/// 30%, neighbourhoods to 50% (97%), repair to 55% (99%), branch and bound to 80%.
public enum Strategy {
    /// Largest number of candidate copies x[m,q,i] given to the exact method.
    public static let exactLimit = 20_000
    /// Largest number of candidates given to `LocalSearch` (it scans every candidate per move).
    static let localSearchLimit = 200_000
    /// Seconds GLPK's simplex takes per candidate copy on the compact LP relaxation, roughly
    /// (3.7 s for the 834,872 of 2000x128x5 on the benchmark machine, 0.3 s for 65,555).
    static let lpSecondsPerCandidate = 4.5e-6

    public static func solve(_ p: PlacementProblem, timeLimit: Double?, nodeLimit: Int? = nil, progress: ((SolveProgress) -> Void)? = nil) -> SolveOutcome {
        let start = Date()
        let deadline = timeLimit.map { start.addingTimeInterval($0) }
        var hasCandidate = [Bool](repeating: false, count: p.items.count)
        for c in p.candidates { hasCandidate[c.item] = true }
        // Required models with no candidate at all: infeasible without asking GLPK.
        if p.items.indices.contains(where: { p.items[$0].spec.required && !hasCandidate[$0] }) {
            return SolveOutcome(status: .infeasible, assignment: Assignment(copies: Array(repeating: [], count: p.items.count)),
                                coverage: 0, quality: 0, coverageBound: 0, qualityBound: 0, method: "exact", variables: 0, constraints: 0)
        }
        func mark(_ phase: String, _ a: Assignment, bound: Int? = nil) {
            progress?(SolveProgress(phase: phase, elapsed: Date().timeIntervalSince(start), coverage: a.coverage(p), quality: a.quality(p), coverageBound: bound))
        }
        if BinCompletion.applies(p) {
            let (packed, exhausted) = BinCompletion.solve(p, deadline: deadline)
            if let packed, packed.violations(p).isEmpty {
                // Everything placed at its only quant: both levels are at their maximum.
                return SolveOutcome(status: .optimal, assignment: packed, coverage: packed.coverage(p), quality: packed.quality(p),
                                    coverageBound: packed.coverage(p), qualityBound: packed.quality(p), method: "bin-completion",
                                    variables: p.candidates.count, constraints: 0)
            }
            if exhausted {
                return SolveOutcome(status: .infeasible, assignment: Assignment(copies: Array(repeating: [], count: p.items.count)),
                                    coverage: 0, quality: 0, coverageBound: 0, qualityBound: 0, method: "bin-completion", variables: 0, constraints: 0)
            }
        }
        // Two first placements: best quants at once, and coverage first (smallest quants, packed, then raised).
        let exactFollows = p.candidates.count <= exactLimit
        // Packing gets a tenth of the time where the exact methods follow, else 75% (there it finds more
        // than rounding and neighbourhood search in the same time: 500x40x5, 2000x128x5).
        let quick = Greedy.solve(p)
        let packed = CoveragePacking.solve(p, deadline: timeLimit.map { start.addingTimeInterval($0 * (exactFollows ? 0.1 : 0.75)) })
        let greedy = packed.violations(p).isEmpty && (!quick.violations(p).isEmpty || better(packed, than: quick, p)) ? packed : quick
        mark("greedy", greedy)
        // Then local search to a fifth of the time (to 80% after a long packing); skipped on the largest
        // problems, where it costs seconds and finds nothing the packing did not (2000x128x5).
        let seedDeadline = timeLimit.map { start.addingTimeInterval($0 * (exactFollows ? 0.2 : 0.8)) }
        let polished = greedy.violations(p).isEmpty && p.candidates.count <= localSearchLimit ? LocalSearch.improve(greedy, p, deadline: seedDeadline) : greedy
        mark("local search", polished)
        // Where the exact method follows, rounding gets a third of the time at most.
        let seed = polished
        let roundDeadline = timeLimit.map { start.addingTimeInterval($0 * (exactFollows ? 0.3 : 0.9)) }
        // The LP only when it should take at most 15% of the time limit: beyond that the one-knapsack
        // bound (6392 vs the LP's 6388 at 2000x128x5) and neighbourhood search use the time better.
        let useLP = timeLimit.map { Double(p.candidates.count) * lpSecondsPerCandidate <= 0.15 * $0 } ?? true
        // The coverage-only LP (when the compact one is skipped) may take until 97%: at 2000x128x5 it
        // takes 0.65 s, and the neighbourhood search it delays gains nothing there.
        var rounded = lpRounding(p, seed: seed, deadline: roundDeadline, useLP: useLP,
                                 boundDeadline: timeLimit.map { start.addingTimeInterval($0 * 0.97) })
        mark("LP rounding", rounded.assignment, bound: rounded.coverageBound)
        if exactFollows, rounded.status == .feasible {
            // The configuration LP's bound, and on small problems its exact enumeration: often a proof
            // before any search (tighter than the compact LP where instances hold few large models).
            let until = timeLimit.map { start.addingTimeInterval($0 * 0.3) }
            configurationBound(p, &rounded, deadline: until)
            mark("configuration bound", rounded.assignment, bound: rounded.coverageBound)
        }
        if rounded.status != .optimal {
            // Large-neighbourhood search from the best placement so far: small exact re-solves of a few instances at a time.
            let base = rounded.status == .feasible ? rounded.assignment : seed
            let lnsDeadline = timeLimit.map { start.addingTimeInterval($0 * (exactFollows ? 0.5 : 0.97)) }
            let improved = Neighbourhood.improve(base, p, deadline: lnsDeadline)
            if improved.violations(p).isEmpty && (rounded.status == .unknown || better(improved, than: rounded.assignment, p)) {
                adopt(improved, into: &rounded, p)
            }
            mark("neighbourhood search", rounded.assignment, bound: rounded.coverageBound)
        }
        if rounded.status == .feasible, rounded.coverage < rounded.coverageBound {
            // The packer's repair moves from the search's placement: exchanges that gather room from
            // several instances (100x12x3: 334 → 335 where the search had stopped).
            let until = timeLimit.map { start.addingTimeInterval($0 * (exactFollows ? 0.55 : 0.99)) }
            let repaired = CoveragePacking.improve(rounded.assignment, p, deadline: until)
            if better(repaired, than: rounded.assignment, p) { adopt(repaired, into: &rounded, p) }
            mark("exchange repair", rounded.assignment, bound: rounded.coverageBound)
        }
        guard exactFollows, rounded.status != .optimal else { return rounded }
        // Branch and bound to 80% of the time, so that reduced-cost enumeration can still close the quality gap.
        let remaining = timeLimit.map { max(0.05, $0 * 0.8 - Date().timeIntervalSince(start)) }
        let first = rounded.status == .feasible ? rounded.assignment : seed
        var exact = ExactSolver.solve(p, timeLimit: remaining, nodeLimit: nodeLimit, start: first)
        // A placement verified in exact arithmetic outranks a claim of infeasibility from GLPK.
        if exact.status == .infeasible && rounded.status == .feasible { return rounded }
        guard exact.status == .feasible || exact.status == .unknown else { return exact }
        // Not proven: keep the better placement and the tighter of the two bounds.
        if rounded.status == .feasible && (exact.status == .unknown || better(rounded.assignment, than: exact.assignment, p)) {
            exact.assignment = rounded.assignment; exact.coverage = rounded.coverage; exact.quality = rounded.quality
            exact.status = .feasible
        }
        exact.coverageBound = max(exact.coverage, min(exact.coverageBound, rounded.coverageBound))
        // Both quality bounds hold for every placement covering at least what their level-2 LP was given.
        if rounded.status == .feasible, exact.coverage >= rounded.coverage { exact.qualityBound = max(exact.quality, min(exact.qualityBound, rounded.qualityBound)) }
        if exact.coverage == exact.coverageBound && exact.quality >= exact.qualityBound - 1e-9 { exact.status = .optimal }
        if exact.status == .feasible, exact.coverage == exact.coverageBound, exact.coverage > rounded.coverage {
            configurationBound(p, &exact, deadline: deadline)
        }
        return exact
    }

    /// The configuration LP's bounds, and where coverage is proven, reduced-cost enumeration of the
    /// configurations that could beat the placement: `optimal` when the integer master over them says so.
    static func configurationBound(_ p: PlacementProblem, _ o: inout SolveOutcome, deadline: Date?) {
        guard o.status == .feasible,
              let cb = ConfigurationBound.solve(p, minCoverage: o.coverage, incumbent: o.assignment, deadline: deadline, enumerate: true) else { return }
        if let better = cb.placement, better.violations(p).isEmpty, Strategy.better(better, than: o.assignment, p) {
            o.assignment = better; o.method = "configuration"
            o.coverage = better.coverage(p); o.quality = better.quality(p)
        }
        // Both bounds hold for every placement covering at least the incumbent given.
        o.coverageBound = max(o.coverage, min(o.coverageBound, cb.coverage))
        o.qualityBound = max(o.quality, min(o.qualityBound, cb.quality))
        if cb.proven { o.method = "configuration"; o.coverageBound = o.coverage; o.qualityBound = o.quality }
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

    /// `useLP: false` skips the LP (the one-knapsack bound stands in) and leaves the time to the caller.
    /// `boundDeadline`: when the coverage-only LP must be done (it stands in for the compact LP's bound).
    static func lpRounding(_ p: PlacementProblem, seed: Assignment, deadline: Date?, useLP: Bool = true, boundDeadline: Date? = nil) -> SolveOutcome {
        let valid = seed.violations(p).isEmpty
        var best = valid ? seed : Assignment(copies: Array(repeating: [], count: p.items.count))
        let floor = valid ? seed.coverage(p) : nil
        // One LP pair: the coverage bound, and the quality bound among placements covering at least
        // as much as the seed (still valid, if looser, when rounding then covers more).
        let bound = !useLP ? nil
            : AggregatedBound.solve(p, minCoverage: floor, timeLimit: deadline.map { max(0.05, $0.timeIntervalSinceNow * 0.85) })
        let searchable = p.candidates.count <= localSearchLimit
        if bound == nil, valid, useLP, searchable {
            best = LocalSearch.improve(seed, p, deadline: deadline)  // no LP in time: keep polishing the seed
        }
        if let bound {
            let rounded = Greedy.solve(p, served: bound.served, preferred: bound.preferred)
            if rounded.violations(p).isEmpty {
                let improved = searchable ? LocalSearch.improve(rounded, p, deadline: deadline) : CoveragePacking.raise(rounded, p)
                if !valid || better(improved, than: best, p) { best = improved }
            }
        }
        guard best.violations(p).isEmpty, valid || bound != nil else {
            return SolveOutcome(status: .unknown, assignment: Assignment(copies: Array(repeating: [], count: p.items.count)),
                                coverage: 0, quality: 0, coverageBound: bound?.coverage ?? 0, qualityBound: 0,
                                method: useLP ? "lp-rounding" : "neighbourhood", variables: p.candidates.count, constraints: 0)
        }
        let coverage = best.coverage(p), quality = best.quality(p)
        // No LP in time: the one-knapsack bound (looser, but valid and instant), and for coverage the
        // LP over classes at smallest footprints where it is small enough (2000x128x5: 6388 against 6392).
        let fallback = bound == nil ? DensityBound.solve(p) : nil
        var cBound = max(coverage, bound?.coverage ?? fallback!.coverage)
        let left = (boundDeadline ?? deadline)?.timeIntervalSinceNow ?? 60
        if bound == nil, cBound > coverage, left > 0.05, let lp = AggregatedBound.coverage(p, timeLimit: left) {
            cBound = max(coverage, min(cBound, lp))
        }
        var qBound = bound.map { $0.quality.isFinite ? $0.quality : Double(p.items.reduce(0) { $0 + $1.spec.priority }) } ?? fallback!.quality
        // Without the LP, quality's class relaxation by Lagrangian multipliers (fast, and tighter than
        // the one knapsack where instance classes or the coverage held matter: 2000x128x5).
        if bound == nil, qBound > quality + 1e-9,
           let lagrangian = LagrangianBound.quality(p, minCoverage: coverage, incumbent: quality, deadline: boundDeadline ?? deadline) {
            qBound = min(qBound, lagrangian + 1e-6)
        }
        let proven = cBound == coverage && qBound <= quality + 1e-9
        return SolveOutcome(status: proven ? .optimal : .feasible, assignment: best, coverage: coverage, quality: quality,
                            coverageBound: cBound, qualityBound: max(quality, qBound), method: useLP ? "lp-rounding" : "neighbourhood",
                            variables: p.candidates.count, constraints: 0)
    }
}
