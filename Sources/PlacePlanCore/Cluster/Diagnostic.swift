/// One problem in an input file, in the form compilers use:
/// `cluster.yaml:14: error: hosts[1].gpus[0].vram must be a size such as "24 GiB" (got "lots")`
/// followed by `  fix: …`.
public struct Diagnostic: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    /// Field path such as `hosts[1].gpus[0].vram`; empty for the whole file.
    public var field: String
    public var message: String
    public var fix: String?
    /// A warning does not stop planning (it is printed, and noted in the plan).
    public var isWarning: Bool = false

    public init(file: String, line: Int? = nil, column: Int? = nil, field: String, message: String, fix: String? = nil, isWarning: Bool = false) {
        self.file = file; self.line = line; self.column = column; self.field = field; self.message = message; self.fix = fix; self.isWarning = isWarning
    }

    public var description: String {
        var loc = file
        if let line { loc += ":\(line)"; if let column { loc += ":\(column)" } }
        let subject = field.isEmpty ? message : "\(field) \(message)"
        var s = "\(loc): \(isWarning ? "warning" : "error"): \(subject)"
        if let fix { s += "\n  fix: \(fix)" }
        return s
    }
}

/// Every problem found in an input, reported together (exit 65).
public struct InvalidInput: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public init(_ d: [Diagnostic]) { diagnostics = d }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// A file that does not exist or cannot be read (exit 66).
public struct MissingInput: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public init(path: String, reason: String) { self.path = path; self.reason = reason }
    public var description: String { "\(path): error: \(reason)" }
}

/// Edit distance, for "did you mean" suggestions on unknown fields and names.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.lowercased()), b = Array(b.lowercased())
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var prev = Array(0...b.count)
    var cur = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        cur[0] = i
        for j in 1...b.count {
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&prev, &cur)
    }
    return prev[b.count]
}

/// The closest candidate within a small distance, if any ("did you mean").
public func suggestion(for word: String, among candidates: [String]) -> String? {
    let scored = candidates.map { ($0, editDistance(word, $0)) }.sorted { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
    guard let best = scored.first else { return nil }
    return best.1 <= max(2, word.count / 3) ? best.0 : nil
}
