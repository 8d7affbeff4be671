/// File, URL and identifier names made from plan names: one mapping, used everywhere.
///
/// Every character outside `[A-Za-z0-9._-]` becomes `_` (`llama3:70b` → `llama3_70b`), a
/// leading `.` or `-` gets a `_` in front (no hidden files, no `..`, no options), and when two
/// names of one set map to the same text each gets `-` and 8 hex digits of its FNV-1a hash.
public enum SafeName {
    /// The plain mapping, without collision handling.
    public static func base(_ name: String) -> String {
        var out = ""
        for s in name.unicodeScalars {
            let ok = s.isASCIILetter || s.isASCIIDigit || s == "." || s == "_" || s == "-"
            out.unicodeScalars.append(ok ? s : "_")
        }
        if out.isEmpty || out.hasPrefix(".") || out.hasPrefix("-") { out = "_" + out }
        return out
    }

    /// A collision-free mapping for a set of names.
    public static func unique(_ names: [String]) -> [String: String] {
        var byBase: [String: Set<String>] = [:]
        for n in Set(names) { byBase[base(n), default: []].insert(n) }
        var out: [String: String] = [:]
        for (b, group) in byBase {
            for n in group { out[n] = group.count == 1 ? b : b + "-" + fnv1a(n) }
        }
        return out
    }

    static func fnv1a(_ s: String) -> String {
        var h: UInt32 = 0x811C9DC5
        for byte in s.utf8 { h ^= UInt32(byte); h = h &* 0x0100_0193 }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }
}
