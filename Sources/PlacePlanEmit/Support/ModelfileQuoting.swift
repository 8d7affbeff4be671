import Foundation
/// Modelfile argument quoting: the one place a value becomes Modelfile text.
///
/// Rules read from Ollama's `parser/parser.go` (`ParseFile`, `parseRuneForState`, `unquote`):
/// a value runs to the end of the line, spaces included (a space never ends a value); the whole
/// value is `TrimSpace`d and then one pair of `"""` or `"` is removed by `unquote`, with no
/// escapes inside. A newline ends the value only where the text so far, trimmed, unquotes — so
/// `"""…"""` may span lines as long as the text itself holds no `"""`.
public enum ModelfileQuoting {
    /// How a value was written: exactly, or with `"""` runs broken (reported in a comment).
    public enum Fidelity: Equatable, Sendable { case exact, alteredTripleQuotes }

    /// The value as written after `FROM `, `SYSTEM `, `PARAMETER name ` ….
    public static func quote(_ value: String) -> (text: String, fidelity: Fidelity) {
        let multiline = value.unicodeScalars.contains { $0 == "\n" || $0 == "\r" }
        if !multiline {
            // One line: only the final unquote runs. `"…"` unless the value starts with `"`:
            // `"` + `"x` would begin with `""`, and `"""` makes `unquote` want a closing `"""`.
            if value.hasPrefix("\"") { return ("\"\"\"" + value + "\"\"\"", .exact) }
            return ("\"" + value + "\"", .exact)
        }
        if !value.contains("\"\"\"") { return ("\"\"\"" + value + "\"\"\"", .exact) }
        if singleQuoteSafe(value) { return ("\"" + value + "\"", .exact) }
        // Not representable: break every `"""` with a space so the value stays one value. (Not a
        // zero-width space: ParseFile keeps only strconv.IsPrint runes, so it would vanish.)
        var altered = value
        while altered.contains("\"\"\"") { altered = altered.replacingOccurrences(of: "\"\"\"", with: "\"\" \"") }
        return (quote(altered).text, .alteredTripleQuotes)
    }

    /// A bare word (no quotes) when that reads back unchanged: plain parameter values like `0.7`.
    public static func word(_ value: String) -> String {
        let plain = !value.isEmpty && value.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7F && $0 != "\"" }
        return plain ? value : quote(value).text
    }

    /// `"` + value + `"` survives every intermediate newline check when no line before a
    /// newline ends (after trailing whitespace) in `"`, and the value does not start with `""`.
    static func singleQuoteSafe(_ value: String) -> Bool {
        if value.hasPrefix("\"\"") { return false }
        var prefix = ""
        for ch in value {
            if ch == "\n" || ch == "\r" || ch == "\r\n" {
                let trimmed = prefix.trimmingTrailingWhitespace()
                if trimmed.hasSuffix("\"") { return false }
            }
            prefix.append(ch)
        }
        return true
    }

    /// Parameter names the parser accepts (`stateParameter`: letters, digits, `_`).
    public static func isParameterName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { $0 == "_" || $0.isASCIILetter || $0.isASCIIDigit }
    }
}

extension String {
    func trimmingTrailingWhitespace() -> String {
        var s = Substring(self)
        while let last = s.last, last.isWhitespace { s.removeLast() }
        return String(s)
    }
}
