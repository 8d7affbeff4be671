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
                            progress: ((SolveProgress) -> Void)? = nil) throws -> Result {
        let layouts = try InstanceBuilder.build(cluster, profile: profile, file: file)
        let problem = try PlacementProblem.build(cluster: cluster, profile: profile, layouts: layouts, file: file)
        let deadline = Deadline.after(timeLimit, clock: clock)
        let outcome = Strategy.solve(problem, deadline: deadline, nodeLimit: nodeLimit, progress: progress)
        let seconds = deadline.elapsed
        let reasons = outcome.status == .infeasible ? Explain.infeasible(problem) : []
        let plan = PlanBuilder.build(cluster: cluster, problem: problem, outcome: outcome, infeasibleReasons: reasons)
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
