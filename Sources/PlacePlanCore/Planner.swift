/// The whole pipeline for one cluster and profile: parse → validate → footprint → model → solve → plan.
public enum Planner {
    public struct Result: Sendable {
        public var plan: Plan
        public var problem: PlacementProblem
        public var outcome: SolveOutcome
        public var seconds: Double
    }

    /// Plans `cluster` under `profile`. Throws InvalidInput for bad input. `clock`: where the
    /// solve's `Deadline` reads time (the monotonic clock; tests pass a fake one).
    public static func plan(_ cluster: Cluster, profile: Profile, file: String, timeLimit: Double? = nil, nodeLimit: Int? = nil,
                            clock: @escaping Deadline.Clock = Deadline.monotonic,
                            progress: ((SolveProgress) -> Void)? = nil, replanning old: Plan? = nil, within: Double = 0) throws -> Result {
        if profile.gpusPerInstanceAuto {
            return try autoGrouping(cluster, profile: profile, file: file, timeLimit: timeLimit, nodeLimit: nodeLimit, clock: clock,
                                    progress: progress, replanning: old, within: within)
        }
        let started = clock()
        let layouts = try InstanceBuilder.build(cluster, profile: profile, file: file)
        var problem = try PlacementProblem.build(cluster: cluster, profile: profile, layouts: layouts, file: file)
        // `--time-limit` covers the whole plan: what building the problem took counts, and as much
        // again is kept for building the plan afterwards (both grow with the problem's size).
        let built = clock() - started
        let solveLimit = timeLimit.map { max(0.05, $0 - 2 * built) }
        let whole = Deadline.after(solveLimit, clock: clock)
        // With the on-demand tier, a second solve may follow (without the instances kept free):
        // when some models may not all fit, each solve gets half of the time. `replan` keeps half
        // for its search for fewer moves.
        let mayReserve = profile.onDemand && OnDemand.someMayStayOut(problem)
        let first = mayReserve || old != nil ? Deadline.after(solveLimit.map { $0 / 2 }, clock: clock) : whole
        var outcome = SameHostQuant.unify(problem, Strategy.solve(problem, deadline: first, nodeLimit: nodeLimit, progress: progress))
        if mayReserve, outcome.status != .infeasible {
            let reserved = OnDemand.reservation(problem, outcome.assignment)
            if !reserved.isEmpty {
                let left = whole.remaining.map { max(0.05, $0 / (old != nil ? 2 : 1)) }
                let again = try PlacementProblem.build(cluster: cluster, profile: profile, layouts: layouts, file: file, reserved: reserved)
                let second = SameHostQuant.unify(again, Strategy.solve(again, deadline: Deadline.after(left, clock: clock), nodeLimit: nodeLimit, progress: progress))
                // Keep the reservation only when it is feasible (a required model may need those
                // instances) and serves more: a model loaded on request counts half a resident one.
                let better = profile.onDemandAlways
                    ? OnDemand.reachable(again, second.assignment) > OnDemand.reachable(problem, outcome.assignment)
                    : OnDemand.score(again, second.assignment) > OnDemand.score(problem, outcome.assignment)
                if second.status != .infeasible, better {
                    problem = again; outcome = second
                }
            }
        }
        // replan: keep copies where the old plan runs them, as far as interchangeable instances allow.
        var replanNote: String?
        if let old, outcome.status != .infeasible {
            // SPEC §9: coverage within `within` % of the best, then fewest moves, then quality.
            let floor = Int((Double(outcome.coverage) * (1 - within / 100)).rounded(.up))
            let pooled = problem.bins.contains { !$0.pool.isEmpty }
            let solved = outcome.assignment
            if !pooled, let exact = Replan.exact(problem, old: old, coverage: floor, expired: { whole.expired }) {
                outcome.assignment = exact
                replanNote = "replan: fewest moves proven by exhaustive search (coverage at least \(floor), then quality)"
            } else {
                var best = Replan.restore(problem, Replan.align(problem, outcome.assignment, old: old), old: old)
                replanNote = "replan: moves kept few (instances matched to the old plan, copies moved back), not proven fewest: the problem is too large for exhaustive search within the limits"
                // Keeping the old placement and fitting the rest around it, when its coverage is within `within`.
                let kept = Replan.keep(problem, old: old)
                if kept.violations(problem).isEmpty, kept.coverage(problem) >= floor {
                    let (mk, mb) = (Replan.moveCount(problem, kept, old: old), Replan.moveCount(problem, best, old: old))
                    if mk < mb || (mk == mb && kept.quality(problem) > best.quality(problem) + 1e-9) {
                        best = kept
                        replanNote = "replan: the old placement kept where still valid and the rest fitted around it (coverage within --within of the best), not proven fewest: the problem is too large for exhaustive search within the limits"
                    }
                }
                outcome.assignment = best
            }
            // Both keep every constraint by construction; should one ever not, the solved placement stands.
            if !outcome.assignment.violations(problem).isEmpty {
                outcome.assignment = solved
                replanNote = "replan: the solved placement, moves not reduced"
            }
            // Fewer moves may cost quality (or coverage within `within`): the bounds stay, `optimal` goes.
            let c = outcome.assignment.coverage(problem), q = outcome.assignment.quality(problem)
            if c < outcome.coverage || q < outcome.quality - 1e-9 {
                outcome.coverage = c; outcome.quality = q
                if outcome.status == .optimal { outcome.status = .feasible }
            }
        }
        // Multi-GPU instances: every copy dealt to its cards by layers; one that cannot be is dropped.
        let (verified, dropped) = LayerSplit.verify(problem, outcome)
        outcome = verified
        let seconds = whole.elapsed
        let reasons = outcome.status == .infeasible ? Explain.infeasible(problem) : []
        var plan = PlanBuilder.build(cluster: cluster, problem: problem, outcome: outcome, infeasibleReasons: reasons, dropped: dropped)
        if let old, plan.status != .infeasible {
            plan.moves = Replan.moves(from: old, to: plan)
            if let n = replanNote { plan.notes = (plan.notes + [n]).sorted() }
        }
        return Result(plan: plan, problem: problem, outcome: outcome, seconds: seconds)
    }
}

extension Planner {
    /// `gpus_per_instance: auto`: one plan per grouping k = 1 … (the most cards on a box without
    /// explicit instances, at most 4), the same k on every box, each with an equal share of the
    /// time limit; the best coverage, then quality, wins, and a note lists what each grouping gave.
    static func autoGrouping(_ cluster: Cluster, profile: Profile, file: String, timeLimit: Double?, nodeLimit: Int?,
                             clock: @escaping Deadline.Clock, progress: ((SolveProgress) -> Void)?,
                             replanning old: Plan?, within: Double) throws -> Result {
        var cards = 1
        for h in cluster.hosts where h.instances == nil { if case .gpus(let g) = h.memory { cards = max(cards, g.count) } }
        let ks = Array(1...min(4, cards))
        var best: Result?
        var seen: [String] = []
        for k in ks {
            var p = profile
            p.gpusPerInstanceAuto = false
            p.gpusPerInstance = k
            let r = try plan(cluster, profile: p, file: file, timeLimit: timeLimit.map { $0 / Double(ks.count) }, nodeLimit: nodeLimit,
                             clock: clock, progress: progress, replanning: old, within: within)
            seen.append("\(k): coverage \(r.plan.objective.coverage), quality \(Units.format(r.plan.objective.quality, digits: 3))")
            if let b = best {
                let better = r.plan.status != .infeasible && (b.plan.status == .infeasible || r.plan.objective.coverage > b.plan.objective.coverage
                    || (r.plan.objective.coverage == b.plan.objective.coverage && r.plan.objective.quality > b.plan.objective.quality + 1e-9))
                if better { best = r }
            } else { best = r }
        }
        guard var chosen = best else { throw InvalidInput([]) }
        let k = chosen.problem.bins.map { max(1, $0.gpus.count) }.max() ?? 1
        chosen.plan.notes = (chosen.plan.notes + ["gpus_per_instance: auto chose \(k) card(s) per instance (\(seen.joined(separator: "; ")))"]).sorted()
        return chosen
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
