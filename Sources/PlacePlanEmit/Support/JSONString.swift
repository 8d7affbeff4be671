/// JSON string literals: the one place a value becomes JSON (and JavaScript) text.
public enum JSONString {
    /// `"…"` with `"`, `\` and every control character escaped (RFC 8259 §7).
    ///
    /// U+2028/U+2029 are escaped too, so the literal is also valid JavaScript before ES2019.
    public static func quote(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{2028}", "\u{2029}": out += hex(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { out += hex(scalar) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }

    static func hex(_ s: Unicode.Scalar) -> String {
        let h = String(s.value, radix: 16)
        return "\\u" + String(repeating: "0", count: max(0, 4 - h.count)) + h
    }
}
