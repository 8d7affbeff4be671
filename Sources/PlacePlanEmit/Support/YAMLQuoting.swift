/// YAML scalars: the one place a value becomes YAML text.
public enum YAMLQuoting {
    /// A double-quoted YAML 1.2 scalar (§7.3.1): `\` and `"` escaped, every non-printable
    /// character (and the line breaks U+0085, U+2028, U+2029) as `\uXXXX`, so nothing the value
    /// holds can end the scalar or start a new key.
    public static func quote(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\u{85}", "\u{2028}", "\u{2029}", "\u{FEFF}": out += JSONString.hex(scalar)
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) { out += JSONString.hex(scalar) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}
