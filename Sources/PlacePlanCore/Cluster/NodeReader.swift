import Yams

/// Reads a YAML/JSON node tree field by field, collecting every problem as a `Diagnostic`
/// with the file, line, field path and a fix, instead of stopping at the first.
struct NodeReader {
    let file: String
    private(set) var diagnostics: [Diagnostic] = []
    private(set) var warnings: [Diagnostic] = []
    /// Where each field path (`models[3]`, `models[3].name`) starts in the file, for diagnostics
    /// raised after decoding (duplicate names, sizing, instance layout).
    private(set) var locations: [String: Cluster.Location] = [:]

    init(file: String) { self.file = file }

    mutating func error(_ node: Node?, _ path: String, _ message: String, fix: String? = nil) {
        let at = node?.mark.map { Cluster.Location(line: $0.line, column: $0.column) } ?? Cluster.location(of: path, in: locations)
        diagnostics.append(Diagnostic(file: file, line: at?.line, column: at?.column, field: path, message: message, fix: fix))
    }

    mutating func warn(_ node: Node?, _ path: String, _ message: String, fix: String? = nil) {
        warnings.append(Diagnostic(file: file, line: node?.mark?.line, column: node?.mark?.column,
                                   field: path, message: message, fix: fix, isWarning: true))
    }

    static func isNull(_ node: Node) -> Bool {
        if case .scalar(let s) = node, (s.style == .plain && ["", "~", "null", "Null", "NULL"].contains(s.string)) { return true }
        return false
    }

    /// The mapping's entries by key; unknown keys are reported with the nearest known one.
    mutating func mapping(_ node: Node, _ path: String, known: [String], what: String) -> [String: Node]? {
        guard case .mapping(let m) = node else {
            error(node, path, "must be a mapping of fields (got \(describe(node)))", fix: "write \(what) as `key: value` lines")
            return nil
        }
        var out: [String: Node] = [:]
        if let mark = node.mark { locations[path] = .init(line: mark.line, column: mark.column) }
        for (k, v) in m {
            guard case .scalar(let ks) = k else { error(k, path, "has a key that is not text"); continue }
            let key = ks.string
            let at = path.isEmpty ? key : "\(path).\(key)"
            if let mark = (Self.isNull(v) ? k : v).mark, locations[at] == nil { locations[at] = .init(line: mark.line, column: mark.column) }
            if !known.contains(key) {
                let near = suggestion(for: key, among: known)
                error(k, at, "is not a known field of \(what)",
                      fix: near.map { "did you mean `\($0)`?" } ?? "known fields: \(known.joined(separator: ", "))")
                continue
            }
            if out[key] != nil { error(k, at, "is given twice", fix: "keep one `\(key):`"); continue }
            if Self.isNull(v) { continue }
            out[key] = v
        }
        return out
    }

    mutating func sequence(_ node: Node, _ path: String, what: String) -> [Node]? {
        guard case .sequence(let s) = node else {
            error(node, path, "must be a list (got \(describe(node)))", fix: "write \(what) as a list: `- ...` lines or `[a, b]`")
            return nil
        }
        return Array(s)
    }

    mutating func string(_ node: Node, _ path: String, allowEmpty: Bool = false) -> String? {
        guard case .scalar(let s) = node else {
            error(node, path, "must be text (got \(describe(node)))"); return nil
        }
        if !allowEmpty && s.string.trimmingCharacters(in: .whitespaces).isEmpty {
            error(node, path, "must not be empty", fix: "give a value or remove the field"); return nil
        }
        return s.string
    }

    mutating func int(_ node: Node, _ path: String, range: ClosedRange<Int>, example: String) -> Int? {
        guard case .scalar(let s) = node, let v = Int(s.string.trimmingCharacters(in: .whitespaces)) else {
            error(node, path, "must be a whole number such as \(example) (got \(describe(node)))", fix: "write a number between \(range.lowerBound) and \(range.upperBound)")
            return nil
        }
        guard range.contains(v) else {
            error(node, path, "must be between \(range.lowerBound) and \(range.upperBound) (got \(v))"); return nil
        }
        return v
    }

    mutating func bool(_ node: Node, _ path: String) -> Bool? {
        if case .scalar(let s) = node {
            switch s.string.lowercased() {
            case "true", "yes", "on": return true
            case "false", "no", "off": return false
            default: break
            }
        }
        error(node, path, "must be true or false (got \(describe(node)))"); return nil
    }

    /// A size such as "24 GiB" (SPEC §1), > 0 unless `allowZero`.
    mutating func size(_ node: Node, _ path: String, example: String, allowZero: Bool = false) -> Int64? {
        guard case .scalar(let s) = node else {
            error(node, path, "must be a size such as \"\(example)\" (got \(describe(node)))"); return nil
        }
        let text = s.string
        guard let v = Units.parseSize(text) else {
            let neg = text.trimmingCharacters(in: .whitespaces).hasPrefix("-")
            error(node, path, neg ? "must not be negative (got \"\(text)\")" : "must be a size such as \"\(example)\" (got \"\(text)\")",
                  fix: "write a number with a unit: B, KB, MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB; a bare number means GB")
            return nil
        }
        guard v <= Units.maxBytes else { error(node, path, "is larger than 1 PB (got \"\(text)\")", fix: "check the unit"); return nil }
        if v == 0 && !allowZero { error(node, path, "must be larger than zero (got \"\(text)\")"); return nil }
        return v
    }

    mutating func stringList(_ node: Node, _ path: String, what: String) -> [String]? {
        if case .scalar = node, let one = string(node, path) { return [one] }
        guard let items = sequence(node, path, what: what) else { return nil }
        var out: [String] = []
        for (i, it) in items.enumerated() { if let s = string(it, "\(path)[\(i)]") { out.append(s) } }
        return out
    }

    func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let s): return "\"\(s.string.count > 40 ? String(s.string.prefix(40)) + "…" : s.string)\""
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }
}

/// Parses YAML or JSON text into a node tree, turning syntax errors into a Diagnostic with line and column.
enum TextParser {
    static let maxBytes = 32 << 20

    static func parse(_ text: String, file: String) throws -> Node {
        if text.utf8.count > maxBytes {
            throw InvalidInput([Diagnostic(file: file, field: "", message: "is larger than 32 MiB", fix: "split the file or check it is a cluster file")])
        }
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw InvalidInput([Diagnostic(file: file, field: "", message: "is empty", fix: "start from Plans/seed000-mac-studio/cluster.yaml")])
            }
            return node
        } catch let e as YamlError {
            throw InvalidInput([diagnostic(e, file: file, text: text)])
        }
    }

    static func diagnostic(_ e: YamlError, file: String, text: String = "") -> Diagnostic {
        let fix = file.hasSuffix(".json") ? "fix the JSON syntax at that position (a missing comma, quote or bracket?)"
                                          : "fix the YAML syntax at that position (indentation, a missing colon, an unclosed quote?)"
        switch e {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let ctx = context.map { " \($0.text)" } ?? ""
            // Yams says "found character that cannot start any token" for a tab: name it.
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            if mark.line >= 1, mark.line <= lines.count, lines[mark.line - 1].contains("\t") {
                let col = lines[mark.line - 1].distance(from: lines[mark.line - 1].startIndex, to: lines[mark.line - 1].firstIndex(of: "\t")!) + 1
                return Diagnostic(file: file, line: mark.line, column: col, field: "", message: "has a tab character at line \(mark.line), column \(col); YAML indents with spaces only",
                                  fix: "replace the tab with spaces (e.g. two per level)")
            }
            return Diagnostic(file: file, line: mark.line, column: mark.column, field: "", message: "is not valid \(file.hasSuffix(".json") ? "JSON" : "YAML"): \(problem)\(ctx)", fix: fix)
        case let .reader(problem, offset, _, _):
            return Diagnostic(file: file, field: "", message: "cannot be read as text: \(problem)\(offset.map { " at byte \($0)" } ?? "")", fix: "save the file as UTF-8")
        case let .duplicatedKeysInMapping(duplicates, context):
            return Diagnostic(file: file, line: context.mark.line, column: context.mark.column, field: "", message: "repeats the key(s) \(duplicates.joined(separator: ", "))", fix: "keep one of each key")
        default:
            return Diagnostic(file: file, field: "", message: "is not valid YAML/JSON: \(e)", fix: fix)
        }
    }
}

import Foundation
