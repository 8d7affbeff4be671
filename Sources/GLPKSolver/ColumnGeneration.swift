import CGLPK
import Foundation

/// Column generation on one GLPK problem: a continuous LP is loaded once, then re-optimised by the
/// primal simplex from the previous basis each time the caller's pricing step adds columns.
///
/// GLPK's sign convention (checked on small maximisation programs, see
/// `Tests/PlacePlanCoreTests/ConfigurationBoundTests.swift`): `glp_get_row_dual` returns π_i such
/// that the reduced cost of column j is d_j = c_j − Σ_i a_ij·π_i, in the original (unscaled)
/// units. At an optimum of a MAXIMISATION problem d_j ≈ 0 for basic columns, d_j ≤ 0 for columns
/// nonbasic at their lower bound and d_j ≥ 0 at their upper bound; the dual of a `≤` row active at
/// its upper bound is ≥ 0, of a `≥` row active at its lower bound ≤ 0, of an equality row free.
/// So a new column with d_j > 0 (at lower bound 0) can improve the objective.
public enum ColumnGeneration {
    /// A column to append: bounds, objective coefficient, and its nonzeros as (0-based row, coefficient).
    public struct Column: Sendable, Equatable {
        public var lower: Double
        public var upper: Double
        public var objective: Double
        public var terms: [(row: Int, coefficient: Double)]
        public init(lower: Double = 0, upper: Double, objective: Double, terms: [(row: Int, coefficient: Double)]) {
            self.lower = lower; self.upper = upper; self.objective = objective; self.terms = terms
        }
        public static func == (a: Column, b: Column) -> Bool {
            a.lower == b.lower && a.upper == b.upper && a.objective == b.objective
                && a.terms.count == b.terms.count && zip(a.terms, b.terms).allSatisfy { $0.row == $1.row && $0.coefficient == $1.coefficient }
        }
    }

    /// One optimum of the restricted master, handed to the pricing closure.
    public struct Iterate: Sendable {
        /// 1, 2, … (simplex runs so far).
        public var iteration: Int
        public var objective: Double
        /// Primal values of every column (the loaded ones, then the added ones in order).
        public var primal: [Double]
        /// `glp_get_row_dual` of every row (see the sign convention above).
        public var rowDuals: [Double]
    }

    public struct Outcome: Sendable {
        public enum Status: String, Sendable {
            /// The closure returned nil or no columns.
            case stopped
            /// The deadline passed (before a simplex, or GLPK's time limit hit inside one).
            case deadline
            /// The restricted master has no feasible solution.
            case infeasible
            /// GLPK failed (a nonzero return code, an unbounded or non-optimal status).
            case failed
        }
        public var status: Status
        /// Simplex runs that reached an optimum (= closure calls).
        public var iterations: Int
        /// Objective of the last optimum (nil if none).
        public var objective: Double?
        public var columns: Int
        public var message: String?
    }

    /// Every reason GLPK would abort on this column, or an empty list.
    public static func problems(_ c: Column, rows: Int) -> [String] {
        var out: [String] = []
        if !c.lower.isFinite || !c.upper.isFinite { out.append("bounds must be finite") }
        else if c.lower > c.upper { out.append("lower \(c.lower) > upper \(c.upper)") }
        if !c.objective.isFinite { out.append("objective must be finite") }
        var seen = Set<Int>()
        for t in c.terms {
            if t.row < 0 || t.row >= rows { out.append("row index \(t.row) out of range 0..<\(rows)"); continue }
            if !seen.insert(t.row).inserted { out.append("row \(t.row) appears twice") }
            if !t.coefficient.isFinite { out.append("coefficient of row \(t.row) must be finite") }
        }
        return out
    }

    /// Loads `lp` (integrality ignored) and alternates simplex and `price` until `price` returns nil
    /// or no columns, the deadline passes, or GLPK fails. Synchronous; GLPK's state lives and dies here.
    public static func run(_ lp: LinearProgram, budget: TimeBudget? = nil, price: (Iterate) -> [Column]?) -> Outcome {
        let invalid = lp.problems()
        precondition(invalid.isEmpty, "placeplan built an invalid program (please report): \(invalid.joined(separator: "; "))")
        precondition(!lp.columns.isEmpty && !lp.rows.isEmpty, "placeplan built an empty column-generation master (please report)")
        glp_term_out(GLP_OFF)
        guard let p = glp_create_prob() else { return Outcome(status: .failed, iterations: 0, objective: nil, columns: 0, message: "glp_create_prob failed") }
        defer { glp_delete_prob(p) }
        glp_set_obj_dir(p, lp.direction == .maximize ? GLP_MAX : GLP_MIN)
        let m = lp.rows.count
        glp_add_rows(p, Int32(m))
        for (i, r) in lp.rows.enumerated() {
            let idx = Int32(i + 1)
            GLPK.setRowBounds(r, p, idx)
        }
        // Load column-wise (the master is built column by column anyway).
        var byColumn = [[(row: Int, coefficient: Double)]](repeating: [], count: lp.columns.count)
        for (i, r) in lp.rows.enumerated() { for t in r.terms { byColumn[t.column].append((i, t.coefficient)) } }
        var n = 0
        func append(_ cols: [(lower: Double, upper: Double, objective: Double, terms: [(row: Int, coefficient: Double)])]) {
            guard !cols.isEmpty else { return }
            let first = glp_add_cols(p, Int32(cols.count))
            var ind = [Int32](repeating: 0, count: m + 1)
            var val = [Double](repeating: 0, count: m + 1)
            for (k, c) in cols.enumerated() {
                let idx = first + Int32(k)
                glp_set_col_bnds(p, idx, c.lower == c.upper ? GLP_FX : GLP_DB, c.lower, c.upper)
                glp_set_obj_coef(p, idx, c.objective)
                for (t, term) in c.terms.enumerated() { ind[t + 1] = Int32(term.row + 1); val[t + 1] = term.coefficient }
                if !c.terms.isEmpty { glp_set_mat_col(p, idx, Int32(c.terms.count), &ind, &val) }
            }
            n += cols.count
        }
        append(lp.columns.enumerated().map { (j, c) in (c.lower, c.upper, c.objective, byColumn[j]) })
        // Byte-sized coefficients beside 0/1 ones: scale once, on the initial matrix.
        glp_scale_prob(p, GLP_SF_AUTO)

        var iterations = 0
        var objective: Double?
        while true {
            var smcp = glp_smcp()
            glp_init_smcp(&smcp)
            smcp.msg_lev = GLP_MSG_OFF
            smcp.presolve = GLP_OFF
            var rc = GLPK.simplex(p, &smcp, budget: budget)
            if rc == GLP_ESING || rc == GLP_ECOND || rc == GLP_EBADB {
                // A warm basis gone bad: restart from the standard basis once.
                glp_std_basis(p)
                rc = GLPK.simplex(p, &smcp, budget: budget)
            }
            if rc == GLP_ETMLIM { return Outcome(status: .deadline, iterations: iterations, objective: objective, columns: n) }
            if rc == GLP_ENOPFS { return Outcome(status: .infeasible, iterations: iterations, objective: objective, columns: n) }
            if rc != 0 { return Outcome(status: .failed, iterations: iterations, objective: objective, columns: n, message: "glp_simplex returned \(rc)") }
            let st = glp_get_status(p)
            if st == GLP_NOFEAS || st == GLP_INFEAS { return Outcome(status: .infeasible, iterations: iterations, objective: objective, columns: n) }
            guard st == GLP_OPT else { return Outcome(status: .failed, iterations: iterations, objective: objective, columns: n, message: "LP status \(st)") }
            iterations += 1
            let obj = glp_get_obj_val(p)
            objective = obj
            var x = [Double](repeating: 0, count: n)
            for j in 0..<n { x[j] = glp_get_col_prim(p, Int32(j + 1)) }
            var duals = [Double](repeating: 0, count: m)
            for i in 0..<m { duals[i] = glp_get_row_dual(p, Int32(i + 1)) }
            guard let new = price(Iterate(iteration: iterations, objective: obj, primal: x, rowDuals: duals)), !new.isEmpty else {
                return Outcome(status: .stopped, iterations: iterations, objective: objective, columns: n)
            }
            for (k, c) in new.enumerated() {
                let why = problems(c, rows: m)
                precondition(why.isEmpty, "placeplan priced an invalid column \(k) (please report): \(why.joined(separator: "; "))")
            }
            append(new.map { ($0.lower, $0.upper, $0.objective, $0.terms) })
        }
    }
}
