/// A mixed-integer linear program in plain Swift values, validated before any GLPK call.
///
/// Indices are 0-based here; `GLPKSolver` converts to GLPK's 1-based arrays.
public struct LinearProgram: Sendable, Equatable {
    public enum Direction: Sendable { case maximize, minimize }
    public enum Kind: Sendable { case continuous, integer, binary }

    public struct Column: Sendable, Equatable {
        public var lower: Double
        public var upper: Double
        public var kind: Kind
        public var objective: Double
        public init(lower: Double = 0, upper: Double = 1, kind: Kind = .binary, objective: Double = 0) {
            self.lower = lower; self.upper = upper; self.kind = kind; self.objective = objective
        }
    }

    /// A row `lower ≤ Σ coefficient·x[column] ≤ upper`; a nil side is unbounded.
    public struct Row: Sendable, Equatable {
        public var terms: [Term]
        public var lower: Double?
        public var upper: Double?
        public init(terms: [Term], lower: Double? = nil, upper: Double? = nil) {
            self.terms = terms; self.lower = lower; self.upper = upper
        }
    }

    public struct Term: Sendable, Equatable {
        public var column: Int
        public var coefficient: Double
        public init(_ column: Int, _ coefficient: Double) { self.column = column; self.coefficient = coefficient }
    }

    public var direction: Direction
    public var columns: [Column]
    public var rows: [Row]

    public init(direction: Direction = .maximize, columns: [Column] = [], rows: [Row] = []) {
        self.direction = direction; self.columns = columns; self.rows = rows
    }

    /// Appends a column and returns its index.
    @discardableResult
    public mutating func addColumn(_ c: Column) -> Int { columns.append(c); return columns.count - 1 }
    public mutating func addRow(_ r: Row) { rows.append(r) }

    /// Every reason GLPK would abort on this program, or an empty list.
    public func problems() -> [String] {
        var out: [String] = []
        let n = columns.count
        if n > 50_000_000 { out.append("too many columns: \(n)") }
        for (j, c) in columns.enumerated() {
            if !c.lower.isFinite || !c.upper.isFinite { out.append("column \(j): bounds must be finite") }
            else if c.lower > c.upper { out.append("column \(j): lower \(c.lower) > upper \(c.upper)") }
            if !c.objective.isFinite { out.append("column \(j): objective must be finite") }
            if c.kind == .binary && (c.lower < 0 || c.upper > 1) { out.append("column \(j): binary bounds outside [0,1]") }
        }
        for (i, r) in rows.enumerated() {
            if let l = r.lower, !l.isFinite { out.append("row \(i): lower bound must be finite") }
            if let u = r.upper, !u.isFinite { out.append("row \(i): upper bound must be finite") }
            if let l = r.lower, let u = r.upper, l > u { out.append("row \(i): lower \(l) > upper \(u)") }
            var seen = Set<Int>()
            for t in r.terms {
                if t.column < 0 || t.column >= n { out.append("row \(i): column index \(t.column) out of range 0..<\(n)"); continue }
                if !seen.insert(t.column).inserted { out.append("row \(i): column \(t.column) appears twice") }
                if !t.coefficient.isFinite { out.append("row \(i): coefficient must be finite") }
            }
            if out.count > 20 { break }
        }
        return out
    }

    /// Objective value of an assignment.
    public func objectiveValue(_ x: [Double]) -> Double {
        var s = 0.0
        for (j, c) in columns.enumerated() where c.objective != 0 { s += c.objective * x[j] }
        return s
    }
}

/// What a solve returned.
public struct SolveResult: Sendable {
    public enum Status: String, Sendable {
        /// Proven optimal.
        case optimal
        /// An integer solution, not proven optimal (time limit).
        case feasible
        /// Proven to have no solution.
        case infeasible
        /// Stopped (time limit) before any integer solution was found.
        case unknown
        /// GLPK reported a failure.
        case failed
    }
    public var status: Status
    public var objective: Double
    /// Column values (integers rounded for integer and binary columns); empty without a solution.
    public var values: [Double]
    /// A valid bound on the optimum (the LP relaxation, or the objective when optimal).
    public var bound: Double?
    public var message: String?
}
