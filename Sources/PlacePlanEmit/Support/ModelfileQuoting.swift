import Foundation
import PlacePlanCore
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

    /// The value as written after `FROM `, `SYSTEM `, `PARAMETER name ` …: exact where Ollama's
    /// parser can read it back (always, for values the plan already normalised), else with `"""`
    /// runs broken (reported in a comment). The rules live in the core (`ModelfileText.quote`).
    public static func quote(_ value: String) -> (text: String, fidelity: Fidelity) {
        if let q = ModelfileText.quote(value) { return (q, .exact) }
        let alt = ModelfileText.representable(value).text
        return (ModelfileText.quote(alt) ?? "\"\"", .alteredTripleQuotes)
    }

    /// A bare word (no quotes) when that reads back unchanged: plain parameter values like `0.7`.
    public static func word(_ value: String) -> String {
        let plain = !value.isEmpty && value.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7F && $0 != "\"" }
        return plain ? value : quote(value).text
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
