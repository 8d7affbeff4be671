import Foundation

/// Ollama's Modelfile PARAMETER table, as `ollama create` types it.
///
/// Source: Ollama `api/types.go` — `Options` (num_keep, seed, num_predict, top_k, top_p, min_p,
/// typical_p, repeat_last_n, temperature, repeat_penalty, presence_penalty, frequency_penalty,
/// stop) and `Runner` (num_ctx, num_batch, num_gpu, main_gpu, use_mmap, num_thread); `FormatParams`
/// types each value with `strconv.ParseInt(v, 10, 64)`, `ParseFloat(v, 32)` or `ParseBool` and
/// fails with `unknown parameter 'x'` / `invalid int value [40.0]`. `mirostat`, `mirostat_eta`,
/// `mirostat_tau` are accepted but deprecated and dropped by current Ollama.
public enum OllamaParameters {
    public enum Kind: String, Sendable { case int, float, bool, stringList }

    public static let table: [String: Kind] = [
        "num_keep": .int, "seed": .int, "num_predict": .int, "top_k": .int, "repeat_last_n": .int,
        "num_ctx": .int, "num_batch": .int, "num_gpu": .int, "main_gpu": .int, "num_thread": .int,
        "top_p": .float, "min_p": .float, "typical_p": .float, "temperature": .float,
        "repeat_penalty": .float, "presence_penalty": .float, "frequency_penalty": .float,
        "use_mmap": .bool, "stop": .stringList,
    ]
    /// Accepted by `ollama create` with a deprecation warning, then ignored.
    public static let deprecated: Set<String> = ["mirostat", "mirostat_eta", "mirostat_tau"]

    public enum Outcome: Equatable, Sendable {
        /// The value as Ollama will read it (maybe normalised, e.g. `40.0` → `40`).
        case ok(String)
        case invalid(String)
    }

    /// Checks one value of a known parameter the way `FormatParams` will, normalising where the
    /// meaning is certain (an integral float for an int, `yes`-less bool spellings kept as Go reads them).
    public static func check(_ name: String, _ value: String) -> Outcome {
        guard let kind = table[name] else { return .invalid("is not an Ollama parameter") }
        let v = value.trimmingCharacters(in: .whitespaces)
        switch kind {
        case .int:
            if isGoInt(v) { return .ok(v.hasPrefix("+") ? String(v.dropFirst()) : v) }
            if let d = Double(v), d.isFinite, d == d.rounded(), abs(d) < 9.0e15 { return .ok(String(Int64(d))) }
            return .invalid("must be a whole number (Ollama reads it with strconv.ParseInt; got \"\(value)\")")
        case .float:
            if let d = Double(v), d.isFinite, !v.contains("_"), !v.lowercased().hasPrefix("0x") { _ = d; return .ok(v) }
            return .invalid("must be a number such as 0.7 (got \"\(value)\")")
        case .bool:
            // strconv.ParseBool: 1, t, T, TRUE, true, True, 0, f, F, FALSE, false, False.
            if ["1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"].contains(v) { return .ok(v) }
            return .invalid("must be true or false (got \"\(value)\")")
        case .stringList:
            return .ok(value)
        }
    }

    static func isGoInt(_ s: String) -> Bool {
        var body = Substring(s)
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        return !body.isEmpty && body.unicodeScalars.allSatisfy { $0.value >= 0x30 && $0.value <= 0x39 }
    }
}

/// What Ollama's Modelfile parser keeps of a value.
///
/// `parser/parser.go` `ParseFile` appends a rune to the value only when `strconv.IsPrint(r)`
/// (letters, marks, numbers, punctuation, symbols and the ASCII space), except the space, tab,
/// CR and LF that change the parser's state and are written raw. Everything else — zero-width
/// space, NBSP, BOM, soft hyphen, other control characters — silently disappears, which can also
/// change where a quoted value ends. placeplan therefore removes those runes itself, at plan
/// time, and says so in the plan's notes.
public enum ModelfileText {
    public static func isKept(_ u: Unicode.Scalar) -> Bool {
        if u == " " || u == "\t" || u == "\n" || u == "\r" { return true }
        if u.value < 0x80 { return u.value >= 0x21 && u.value <= 0x7E }
        switch u.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark,
             .decimalNumber, .letterNumber, .otherNumber,
             .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation,
             .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }

    /// The value with every rune Ollama's parser would drop removed, and the dropped scalars.
    public static func printable(_ s: String) -> (text: String, dropped: [Unicode.Scalar]) {
        var out = String.UnicodeScalarView(), dropped: [Unicode.Scalar] = []
        for u in s.unicodeScalars { if isKept(u) { out.append(u) } else { dropped.append(u) } }
        return (String(out), dropped)
    }

    /// "U+200B, U+00A0" for a note.
    public static func describe(_ scalars: [Unicode.Scalar]) -> String {
        var seen: [UInt32] = []
        for u in scalars where !seen.contains(u.value) { seen.append(u.value) }
        return seen.map { String(format: "U+%04X", $0) }.joined(separator: ", ")
    }
}

extension ModelfileText {
    /// The value written after `SYSTEM `, `TEMPLATE `, `FROM ` … so that Ollama's `ParseFile` reads
    /// back exactly `value` (which must hold only runes `isKept` keeps), or nil when no quoting can.
    ///
    /// Rules read from `parser/parser.go` (`ParseFile`, `parseRuneForState`, `unquote`): a value
    /// runs to the end of its line, spaces and tabs included (a space never ends a value); at each
    /// CR or LF the text so far is `TrimSpace`d and `unquote`d, and the value ends there if that
    /// succeeds; `unquote` removes one pair of `"""` (needs ≥ 6 characters) or `"`, with no escapes.
    public static func quote(_ value: String) -> String? {
        let scalars = Array(value.unicodeScalars)
        let multiline = scalars.contains { $0 == "\n" || $0 == "\r" }
        if !multiline {
            // `"…"` unless the value starts with `"`: `"` + `"x` would begin with `""`, and a
            // leading `"""` makes unquote want a closing `"""`, which `"""…"""` then gives.
            return value.hasPrefix("\"") ? "\"\"\"" + value + "\"\"\"" : "\"" + value + "\""
        }
        // `"""…"""` survives every newline unless a line so far (trailing space trimmed) ends in `"""`.
        if !linePrefixes(scalars).contains(where: { $0.hasSuffix("\"\"\"") }) { return "\"\"\"" + value + "\"\"\"" }
        // `"…"` survives unless a line so far ends in `"`, or the value starts with `""`.
        if !value.hasPrefix("\"\"") && !linePrefixes(scalars).contains(where: { $0.hasSuffix("\"") }) { return "\"" + value + "\"" }
        return nil
    }

    /// A value `quote` can write: itself, or (rarely: a multi-line value where one line ends in
    /// `"""` and another in `"`) with each `"""` broken by a space; `altered` says which.
    public static func representable(_ value: String) -> (text: String, altered: Bool) {
        if quote(value) != nil { return (value, false) }
        var altered = value
        while altered.contains("\"\"\"") { altered = altered.replacingOccurrences(of: "\"\"\"", with: "\"\" \"") }
        if quote(altered) != nil { return (altered, true) }
        // Last resort (cannot happen once no `"""` is left, but never return an unquotable value).
        return (altered.replacingOccurrences(of: "\"", with: "'"), true)
    }

    /// The text before each CR/LF, with trailing spaces and tabs removed (what TrimSpace leaves at the end).
    static func linePrefixes(_ scalars: [Unicode.Scalar]) -> [String] {
        var out: [String] = [], prefix = String.UnicodeScalarView()
        for u in scalars {
            if u == "\n" || u == "\r" {
                var s = String(prefix)
                while let l = s.unicodeScalars.last, l.properties.isWhitespace { s.unicodeScalars.removeLast() }
                out.append(s)
            }
            prefix.append(u)
        }
        return out
    }
}
