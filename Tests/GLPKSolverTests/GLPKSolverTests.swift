import Testing
@testable import GLPKSolver

@Suite struct GLPKSolverTests {
    @Test func knapsackIsSolvedExactly() {
        // max 10a + 13b + 7c  s.t. 4a + 6b + 3c <= 9  → a + c (17) beats b + c (20)? 6+3=9 → b+c = 20.
        var lp = LinearProgram()
        let a = lp.addColumn(.init(objective: 10)), b = lp.addColumn(.init(objective: 13)), c = lp.addColumn(.init(objective: 7))
        lp.addRow(.init(terms: [.init(a, 4), .init(b, 6), .init(c, 3)], upper: 9))
        let r = GLPK.solve(lp)
        #expect(r.status == .optimal)
        #expect(r.values == [0, 1, 1])
        #expect(r.objective == 20)
    }

    @Test func infeasibleIsReported() {
        var lp = LinearProgram()
        let a = lp.addColumn(.init(objective: 1))
        lp.addRow(.init(terms: [.init(a, 1)], lower: 2))
        #expect(GLPK.solve(lp).status == .infeasible)
    }

    @Test func integerInfeasibleButLPFeasible() {
        // 2a = 1 has the LP solution a = 0.5 and no integer one.
        var lp = LinearProgram()
        let a = lp.addColumn(.init(objective: 1))
        lp.addRow(.init(terms: [.init(a, 2)], lower: 1, upper: 1))
        #expect(GLPK.solve(lp).status == .infeasible)
        #expect(GLPK.solveRelaxation(lp).status == .optimal)
    }

    @Test func problemsAreFoundBeforeGLPK() {
        var lp = LinearProgram()
        lp.addColumn(.init(lower: 1, upper: 0))
        lp.addRow(.init(terms: [.init(0, 1), .init(0, 2), .init(5, 1)]))
        let p = lp.problems()
        #expect(p.contains { $0.contains("lower") })
        #expect(p.contains { $0.contains("twice") })
        #expect(p.contains { $0.contains("out of range") })
    }

    @Test func versionIsKnown() { #expect(GLPK.version.hasPrefix("5.") || GLPK.version.hasPrefix("4.")) }
}
