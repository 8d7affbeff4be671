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

    @Test func twoLevelsWarmStartAgreeWithTwoSolves() {
        // Level 1: max a + b + c s.t. 2a + 3b + 4c <= 5 (LP: a = 1, b = 1 → 2). Level 2: max c with a + b + c >= 1.5.
        var lp = LinearProgram()
        for _ in 0..<3 { lp.addColumn(.init(kind: .continuous, objective: 1)) }
        lp.addRow(.init(terms: [.init(0, 2), .init(1, 3), .init(2, 4)], upper: 5))
        let (first, second) = GLPK.solveRelaxationTwoLevels(lp, budget: nil) { r in
            ([0, 0, 1], LinearProgram.Row(terms: [.init(0, 1), .init(1, 1), .init(2, 1)], lower: r.objective - 0.5))
        }
        #expect(first.status == .optimal && abs(first.objective - 2) < 1e-9)
        var lp2 = lp
        lp2.columns = lp.columns.enumerated().map { var c = $0.element; c.objective = $0.offset == 2 ? 1 : 0; return c }
        lp2.addRow(.init(terms: [.init(0, 1), .init(1, 1), .init(2, 1)], lower: 1.5))
        let cold = GLPK.solveRelaxation(lp2)
        #expect(second?.status == .optimal)
        #expect(abs((second?.objective ?? -1) - cold.objective) < 1e-9)
    }

    @Test func versionIsKnown() { #expect(GLPK.version.hasPrefix("5.") || GLPK.version.hasPrefix("4.")) }
}
