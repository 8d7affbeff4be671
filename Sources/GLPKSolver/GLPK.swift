import CGLPK
import Foundation

/// All calls into GLPK. GLPK aborts the process on an invalid call, so every program is checked
/// with `LinearProgram.problems()` first, and GLPK's state (thread-local) is created, used and
/// freed inside one synchronous call.
public enum GLPK {
    /// GLPK's version string, e.g. "5.0".
    public static var version: String { String(cString: glp_version()) }

    public struct Options: Sendable {
        /// Wall-clock limit for branch and bound, in seconds.
        public var timeLimit: Double?
        /// Relative gap at which branch and bound may stop (0 = prove optimality).
        public var relativeGap: Double
        public var cuts: Bool
        public init(timeLimit: Double? = nil, relativeGap: Double = 0, cuts: Bool = true) {
            self.timeLimit = timeLimit; self.relativeGap = relativeGap; self.cuts = cuts
        }
    }

    /// Solves the LP relaxation only (integrality ignored).
    public static func solveRelaxation(_ lp: LinearProgram) -> SolveResult {
        run(lp, integer: false, options: Options())
    }

    /// Solves the program with branch and bound.
    public static func solve(_ lp: LinearProgram, options: Options = Options()) -> SolveResult {
        run(lp, integer: true, options: options)
    }

    private static func run(_ lp: LinearProgram, integer: Bool, options: Options) -> SolveResult {
        let problems = lp.problems()
        precondition(problems.isEmpty, "placeplan built an invalid program (please report): \(problems.joined(separator: "; "))")
        if lp.columns.isEmpty {
            // Nothing to decide: feasible iff every row admits 0.
            for r in lp.rows {
                if let l = r.lower, l > 1e-9 { return SolveResult(status: .infeasible, objective: 0, values: [], bound: nil) }
                if let u = r.upper, u < -1e-9 { return SolveResult(status: .infeasible, objective: 0, values: [], bound: nil) }
            }
            return SolveResult(status: .optimal, objective: 0, values: [], bound: 0)
        }
        glp_term_out(GLP_OFF)
        guard let p = glp_create_prob() else {
            return SolveResult(status: .failed, objective: 0, values: [], bound: nil, message: "glp_create_prob failed")
        }
        defer { glp_delete_prob(p) }
        glp_set_obj_dir(p, lp.direction == .maximize ? GLP_MAX : GLP_MIN)

        let n = lp.columns.count
        glp_add_cols(p, Int32(n))
        for (j, c) in lp.columns.enumerated() {
            let idx = Int32(j + 1)
            glp_set_col_bnds(p, idx, c.lower == c.upper ? GLP_FX : GLP_DB, c.lower, c.upper)
            glp_set_obj_coef(p, idx, c.objective)
            if integer {
                switch c.kind {
                case .binary, .integer: glp_set_col_kind(p, idx, GLP_IV)
                case .continuous: break
                }
            }
        }
        if !lp.rows.isEmpty {
            glp_add_rows(p, Int32(lp.rows.count))
            var ind = [Int32](repeating: 0, count: n + 1)
            var val = [Double](repeating: 0, count: n + 1)
            for (i, r) in lp.rows.enumerated() {
                let idx = Int32(i + 1)
                switch (r.lower, r.upper) {
                case (nil, nil): glp_set_row_bnds(p, idx, GLP_FR, 0, 0)
                case (let l?, nil): glp_set_row_bnds(p, idx, GLP_LO, l, 0)
                case (nil, let u?): glp_set_row_bnds(p, idx, GLP_UP, 0, u)
                case (let l?, let u?): glp_set_row_bnds(p, idx, l == u ? GLP_FX : GLP_DB, l, u)
                }
                let k = r.terms.count
                if k > 0 {
                    for (t, term) in r.terms.enumerated() {
                        ind[t + 1] = Int32(term.column + 1)
                        val[t + 1] = term.coefficient
                    }
                    glp_set_mat_row(p, idx, Int32(k), &ind, &val)
                }
            }
        }

        var smcp = glp_smcp()
        glp_init_smcp(&smcp)
        smcp.msg_lev = GLP_MSG_OFF
        smcp.presolve = GLP_OFF
        let started = Date()
        let rc = glp_simplex(p, &smcp)
        if rc != 0 {
            if rc == GLP_ENOPFS { return SolveResult(status: .infeasible, objective: 0, values: [], bound: nil) }
            return SolveResult(status: .failed, objective: 0, values: [], bound: nil, message: "glp_simplex returned \(rc)")
        }
        let lpStatus = glp_get_status(p)
        if lpStatus == GLP_NOFEAS || lpStatus == GLP_INFEAS {
            return SolveResult(status: .infeasible, objective: 0, values: [], bound: nil)
        }
        guard lpStatus == GLP_OPT else {
            return SolveResult(status: .failed, objective: 0, values: [], bound: nil, message: "LP status \(lpStatus)")
        }
        let lpBound = glp_get_obj_val(p)
        if !integer {
            var x = [Double](repeating: 0, count: n)
            for j in 0..<n { x[j] = glp_get_col_prim(p, Int32(j + 1)) }
            return SolveResult(status: .optimal, objective: lpBound, values: x, bound: lpBound)
        }

        var iocp = glp_iocp()
        glp_init_iocp(&iocp)
        iocp.msg_lev = GLP_MSG_OFF
        iocp.presolve = GLP_OFF
        if let t = options.timeLimit {
            let remaining = max(1.0, (t - Date().timeIntervalSince(started)) * 1000)
            iocp.tm_lim = Int32(min(remaining, Double(Int32.max)))
        }
        if options.relativeGap > 0 { iocp.mip_gap = options.relativeGap }
        if options.cuts {
            iocp.gmi_cuts = GLP_ON; iocp.mir_cuts = GLP_ON; iocp.cov_cuts = GLP_ON; iocp.clq_cuts = GLP_ON
        }
        iocp.fp_heur = GLP_ON
        let irc = glp_intopt(p, &iocp)
        let mipStatus = glp_mip_status(p)
        var x = [Double](repeating: 0, count: n)
        let hasSolution = mipStatus == GLP_OPT || mipStatus == GLP_FEAS
        if hasSolution {
            for j in 0..<n {
                let v = glp_mip_col_val(p, Int32(j + 1))
                x[j] = lp.columns[j].kind == .continuous ? v : v.rounded()
            }
        }
        let obj = hasSolution ? lp.objectiveValue(x) : 0
        switch (irc, mipStatus) {
        case (0, GLP_OPT):
            return SolveResult(status: .optimal, objective: obj, values: x, bound: obj)
        case (_, GLP_NOFEAS):
            return SolveResult(status: .infeasible, objective: 0, values: [], bound: nil)
        case (_, GLP_OPT) where irc == GLP_EMIPGAP, (_, GLP_FEAS):
            return SolveResult(status: .feasible, objective: obj, values: x, bound: lpBound)
        case (GLP_ETMLIM, _):
            return SolveResult(status: .unknown, objective: 0, values: [], bound: lpBound, message: "time limit reached before an integer solution")
        default:
            if hasSolution { return SolveResult(status: .feasible, objective: obj, values: x, bound: lpBound) }
            return SolveResult(status: .failed, objective: 0, values: [], bound: lpBound, message: "glp_intopt returned \(irc), status \(mipStatus)")
        }
    }
}
