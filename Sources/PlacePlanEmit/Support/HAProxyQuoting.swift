/// HAProxy configuration words: the one place a value becomes HAProxy text.
public enum HAProxyQuoting {
    /// A single-quoted HAProxy word. Since 2.1 HAProxy splits lines like a shell (configuration
    /// manual §2.2 "Quoting and escaping"): nothing is expanded inside single quotes, and
    /// `'\''` joins a literal `'`. A line break cannot be quoted at all, so control characters
    /// become `_`.
    public static func quote(_ value: String) -> String {
        var clean = ""
        for scalar in value.unicodeScalars {
            clean.unicodeScalars.append(scalar.value < 0x20 || scalar.value == 0x7F ? "_" : scalar)
        }
        return ShellQuoting.quote(clean)
    }
}
