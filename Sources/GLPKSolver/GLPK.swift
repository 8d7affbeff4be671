import CGLPK
import Foundation

/// All calls into GLPK. GLPK aborts the process on an invalid call, so every program is checked
/// with `LinearProgram.problems()` first, and GLPK's state (thread-local) is created, used and
/// freed inside one synchronous call.
public enum GLPK {
    /// GLPK's version string, e.g. "5.0".
    public static var version: String { String(cString: glp_version()) }

    public struct Options: Sendable {
        /// When to stop (the root LP and branch and bound alike); nil: no time limit.
        public var budget: TimeBudget?
        /// Relative gap at which branch and bound may stop (0 = prove optimality).
        public var relativeGap: Double
        public var cuts: Bool
        /// A known integer solution (0-based, one value per column) offered to branch and bound.
        public var incumbent: [Double]?
        /// Stop after this many branch-and-bound nodes: a limit that, unlike time, gives the same answer on every machine.
        public var nodeLimit: Int?
        public init(budget: TimeBudget? = nil, relativeGap: Double = 0, cuts: Bool = true, incumbent: [Double]? = nil, nodeLimit: Int? = nil) {
            self.budget = budget; self.relativeGap = relativeGap; self.cuts = cuts; self.incumbent = incumbent; self.nodeLimit = nodeLimit
        }
    }

    /// Solves the LP relaxation only (integrality ignored).
    public static func solveRelaxation(_ lp: LinearProgram, budget: TimeBudget? = nil) -> SolveResult {
        run(lp, integer: false, options: Options(budget: budget))
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
        load(lp, into: p, integer: integer)
        let n = lp.columns.count

        // Capacity rows hold byte counts (~1e10) beside 0/1 rows: without scaling, GLPK's cut
        // generators lose feasible integer points to round-off (seen with gmi, mir and clique cuts).
        glp_scale_prob(p, GLP_SF_AUTO)
        var smcp = glp_smcp()
        glp_init_smcp(&smcp)
        smcp.msg_lev = GLP_MSG_OFF
        smcp.presolve = GLP_OFF
        // The root LP of branch and bound is bounded by the same budget as a plain relaxation.
        let rc = simplex(p, &smcp, budget: options.budget)
        if rc != 0 {
            if rc == GLP_ETMLIM { return SolveResult(status: .unknown, objective: 0, values: [], bound: nil, message: "time limit reached in the LP relaxation") }
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
        if let left = options.budget?.remaining() {
            // A backstop only: the callback stops the search on time.
            iocp.tm_lim = Int32(min(max(1.0, left * 1000 * 2), Double(Int32.max)))
        }
        if options.relativeGap > 0 { iocp.mip_gap = options.relativeGap }
        // The callback offers the incumbent, tracks the best bound, and enforces the limits itself:
        // GLPK's own tm_lim is checked rarely and overshoots on large programs.
        let state = CallbackState(incumbent: options.incumbent.map { [0] + $0 }, columns: n,
                                  budget: options.budget, nodeLimit: options.nodeLimit,
                                  maximize: lp.direction == .maximize)
        let box = Unmanaged.passRetained(state)
        defer { box.release() }
        iocp.br_tech = GLP_BR_MFV; iocp.bt_tech = GLP_BT_BLB
        iocp.cb_func = glpkCallback
        iocp.cb_info = box.toOpaque()
        if options.cuts {
            iocp.gmi_cuts = GLP_ON; iocp.mir_cuts = GLP_ON; iocp.cov_cuts = GLP_ON; iocp.clq_cuts = GLP_ON
        }
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
            return SolveResult(status: .feasible, objective: obj, values: x, bound: state.bound.map { lp.direction == .maximize ? max($0, obj) : min($0, obj) } ?? lpBound)
        case (GLP_ETMLIM, _), (GLP_ESTOP, _):
            return SolveResult(status: .unknown, objective: 0, values: [], bound: state.bound ?? lpBound, message: "limit reached before an integer solution")
        default:
            if hasSolution { return SolveResult(status: .feasible, objective: obj, values: x, bound: lpBound) }
            return SolveResult(status: .failed, objective: 0, values: [], bound: lpBound, message: "glp_intopt returned \(irc), status \(mipStatus)")
        }
    }

    /// Copies a checked program into a fresh glp_prob (1-based arrays).
    private static func load(_ lp: LinearProgram, into p: OpaquePointer, integer: Bool) {
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
                setRowBounds(r, p, idx)
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

    }

    /// `glp_simplex` in slices of `TimeBudget.sliceIterations` simplex iterations, asking the budget
    /// between them (so a long LP still stops on time and its caller's progress line moves); each
    /// slice resumes from the basis the last one reached. Slices are counted in iterations, not
    /// seconds, so where they fall does not depend on the machine (same input, same vertex); the
    /// time left is only GLPK's `tm_lim`. GLP_ETMLIM when the budget is spent.
    static func simplex(_ p: OpaquePointer, _ smcp: inout glp_smcp, budget: TimeBudget?) -> Int32 {
        guard let budget else { return glp_simplex(p, &smcp) }
        smcp.it_lim = TimeBudget.sliceIterations
        while true {
            if let left = budget.remaining() {
                if left <= 0 { return GLP_ETMLIM }
                smcp.tm_lim = Int32(max(1, min(left * 1000, Double(Int32.max))))
            }
            let rc = glp_simplex(p, &smcp)
            guard rc == GLP_EITLIM else { return rc }
        }
    }

    /// A row's bounds as GLPK's bound type: free, lower, upper, fixed or double.
    static func setRowBounds(_ r: LinearProgram.Row, _ p: OpaquePointer, _ idx: Int32) {
        switch (r.lower, r.upper) {
        case (nil, nil): glp_set_row_bnds(p, idx, GLP_FR, 0, 0)
        case (let l?, nil): glp_set_row_bnds(p, idx, GLP_LO, l, 0)
        case (nil, let u?): glp_set_row_bnds(p, idx, GLP_UP, 0, u)
        case (let l?, let u?): glp_set_row_bnds(p, idx, l == u ? GLP_FX : GLP_DB, l, u)
        }
    }

    /// Appends one checked row to a loaded problem.
    private static func addRow(_ r: LinearProgram.Row, to p: OpaquePointer) {
        let idx = glp_add_rows(p, 1)
        setRowBounds(r, p, idx)
        guard !r.terms.isEmpty else { return }
        var ind = [Int32(0)] + r.terms.map { Int32($0.column + 1) }
        var val = [0.0] + r.terms.map(\.coefficient)
        glp_set_mat_row(p, idx, Int32(r.terms.count), &ind, &val)
    }

    /// Two LP levels on one GLPK problem: solves `lp`, then sets the objective and adds the row that
    /// `then` derives from the first optimum, and re-optimizes from the first level's basis (a warm
    /// start: far cheaper than building and solving the second program from scratch).
    public static func solveRelaxationTwoLevels(_ lp: LinearProgram, budget: TimeBudget?,
                                                then: (SolveResult) -> (objective: [Double], row: LinearProgram.Row)) -> (SolveResult, SolveResult?) {
        let problems = lp.problems()
        precondition(problems.isEmpty, "placeplan built an invalid program (please report): \(problems.joined(separator: "; "))")
        guard !lp.columns.isEmpty else { let r = solveRelaxation(lp); return (r, nil) }
        glp_term_out(GLP_OFF)
        guard let p = glp_create_prob() else { return (SolveResult(status: .failed, objective: 0, values: [], bound: nil, message: "glp_create_prob failed"), nil) }
        defer { glp_delete_prob(p) }
        load(lp, into: p, integer: false)
        glp_scale_prob(p, GLP_SF_AUTO)
        func simplex() -> SolveResult {
            var smcp = glp_smcp()
            glp_init_smcp(&smcp)
            smcp.msg_lev = GLP_MSG_OFF
            let rc = GLPK.simplex(p, &smcp, budget: budget)
            guard rc == 0, glp_get_status(p) == GLP_OPT else {
                return SolveResult(status: glp_get_status(p) == GLP_NOFEAS ? .infeasible : .failed, objective: 0, values: [], bound: nil, message: "simplex rc \(rc)")
            }
            let n = lp.columns.count
            var x = [Double](repeating: 0, count: n)
            for j in 0..<n { x[j] = glp_get_col_prim(p, Int32(j + 1)) }
            let v = glp_get_obj_val(p)
            return SolveResult(status: .optimal, objective: v, values: x, bound: v)
        }
        let first = simplex()
        guard first.status == .optimal else { return (first, nil) }
        let (objective, row) = then(first)
        var check = LinearProgram(direction: lp.direction, columns: lp.columns, rows: [row])
        for j in check.columns.indices { check.columns[j].objective = j < objective.count ? objective[j] : 0 }
        let p2 = check.problems()
        precondition(p2.isEmpty && objective.count == lp.columns.count, "placeplan built an invalid second level (please report): \(p2)")
        for (j, c) in objective.enumerated() { glp_set_obj_coef(p, Int32(j + 1), c) }
        addRow(row, to: p)
        return (first, simplex())
    }

}

/// How long a GLPK call may still run: `remaining()` gives the seconds left (nil: no limit) and is
/// asked before every simplex slice and at every branch-and-bound callback. The caller's deadline
/// lives behind it, so this module reads no clock of its own.
public struct TimeBudget: Sendable {
    /// Simplex iterations between two questions to the budget (a few tenths of a second on the
    /// largest benchmark LP, 834,872 columns).
    public static let sliceIterations: Int32 = 1000
    public var remaining: @Sendable () -> Double?
    public init(remaining: @escaping @Sendable () -> Double?) { self.remaining = remaining }
}

/// State shared with GLPK's branch-and-bound callback (one solve, one thread).
final class CallbackState {
    let incumbent: [Double]?
    let columns: Int
    let budget: TimeBudget?
    let nodeLimit: Int?
    let maximize: Bool
    var offered = false
    var bound: Double?
    init(incumbent: [Double]?, columns: Int, budget: TimeBudget?, nodeLimit: Int?, maximize: Bool) {
        self.incumbent = incumbent; self.columns = columns; self.budget = budget; self.nodeLimit = nodeLimit; self.maximize = maximize
    }
}

private let glpkCallback: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?) -> Void = { tree, info in
    guard let tree, let info else { return }
    let st = Unmanaged<CallbackState>.fromUnmanaged(info)
    if glp_ios_reason(tree) == GLP_IHEUR, !st.offered, let x = st.incumbent, x.count == st.columns + 1 {
        st.offered = true
        _ = x.withUnsafeBufferPointer { glp_ios_heur_sol(tree, $0.baseAddress) }
    }
    let best = glp_ios_best_node(tree)
    if best != 0 { let b = glp_ios_node_bound(tree, best); if b.isFinite && abs(b) < 1e300 { st.bound = b } }
    var active: Int32 = 0, current: Int32 = 0, total: Int32 = 0
    glp_ios_tree_size(tree, &active, &current, &total)
    if let limit = st.nodeLimit, Int(total) >= limit { glp_ios_terminate(tree); return }
    if let left = st.budget?.remaining(), left <= 0 { glp_ios_terminate(tree) }
}

extension Unmanaged where Instance == CallbackState {
    static func fromUnmanaged(_ p: UnsafeMutableRawPointer) -> CallbackState { Unmanaged<CallbackState>.fromOpaque(p).takeUnretainedValue() }
}
