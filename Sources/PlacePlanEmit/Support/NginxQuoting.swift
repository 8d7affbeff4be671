/// nginx configuration strings: the one place a value becomes an nginx token.
public enum NginxQuoting {
    /// A double-quoted nginx token. nginx's tokenizer (`ngx_conf_read_token`,
    /// src/core/ngx_conf_file.c) ends a quoted token only at an unescaped `"` and turns `\"`, `\\`
    /// into the character; `;`, `{`, `#` and spaces are literal inside quotes. Newlines are
    /// written as `\n`, which the same tokenizer decodes, so the token stays on one line.
    /// `$` is dropped to `_`: nginx expands variables inside quotes in directives that take them.
    public static func quote(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "$": out += "_"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { out += "_" } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}
