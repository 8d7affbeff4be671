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
    public static func plan(_ cluster: Cluster, profile: Profile, file: String, timeLimit: Double? = nil, nodeLimit: Int? = nil) throws -> Result {
        let layouts = try InstanceBuilder.build(cluster, profile: profile, file: file)
        let problem = try PlacementProblem.build(cluster: cluster, profile: profile, layouts: layouts, file: file)
        let clock = ContinuousClock()
        let t0 = clock.now
        let outcome = Strategy.solve(problem, timeLimit: timeLimit, nodeLimit: nodeLimit)
        let d = t0.duration(to: clock.now)
        let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        let reasons = outcome.status == .infeasible ? Explain.infeasible(problem) : []
        let plan = PlanBuilder.build(cluster: cluster, problem: problem, outcome: outcome, infeasibleReasons: reasons)
        return Result(plan: plan, problem: problem, outcome: outcome, seconds: seconds)
    }
}

/// Picks the solver method for a problem.
public enum Strategy {
    public static func solve(_ p: PlacementProblem, timeLimit: Double?, nodeLimit: Int? = nil) -> SolveOutcome {
        // Required models with no candidate at all: infeasible without asking GLPK.
        var hasCandidate = [Bool](repeating: false, count: p.items.count)
        for c in p.candidates { hasCandidate[c.item] = true }
        if p.items.indices.contains(where: { p.items[$0].spec.required && !hasCandidate[$0] }) {
            return SolveOutcome(status: .infeasible, assignment: Assignment(copies: Array(repeating: [], count: p.items.count)),
                                coverage: 0, quality: 0, coverageBound: 0, qualityBound: 0, method: "exact", variables: 0, constraints: 0)
        }
        return ExactSolver.solve(p, timeLimit: timeLimit, nodeLimit: nodeLimit)
    }
}
