extension ModelScanner {
    /// Cluster-file `models:` entries for what was found, ready to paste; failures become comments.
    public static func modelsYAML(_ entries: [ScanEntry]) -> String {
        var out = ""
        for e in entries {
            if let error = e.error {
                out += "# skipped \(yamlComment(e.path)): \(yamlComment(error))\n"
                continue
            }
            out += "- name: \(yamlQuoted(e.name))\n"
            out += "  gguf: \(yamlQuoted(e.path))\n"
            if let q = e.quant { out += "  quants: [\(yamlQuoted(q))]\n" }
        }
        return out
    }

    /// A YAML double-quoted scalar: the one style in which every string, with quotes, colons,
    /// `#`, leading spaces or control characters, reads back exactly (YAML 1.2 §7.3.1).
    public static func yamlQuoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if u.value < 0x20 || u.value == 0x7F || (0x80...0x9F).contains(u.value) || u.value == 0x2028 || u.value == 0x2029 || u.value == 0xFEFF {
                    out += "\\u" + String(repeating: "0", count: max(0, 4 - String(u.value, radix: 16).count)) + String(u.value, radix: 16)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    /// Text safe inside a one-line comment: line breaks and control characters become spaces.
    static func yamlComment(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F || $0.value == 0x2028 || $0.value == 0x2029 ? " " : $0 }))
    }
}
