import Foundation
/// POSIX shell quoting: the one place a plan value becomes shell text.
public enum ShellQuoting {
    /// Wraps `value` in single quotes, writing each `'` as `'\''`.
    ///
    /// Inside single quotes the shell expands nothing (`$`, backticks, `\`, newlines are literal:
    /// POSIX XCU 2.2.2), so any string, hostile or not, becomes exactly one word.
    public static func quote(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

    /// `NAME='value'` for `env`; the caller guarantees `name` is a valid identifier.
    public static func assignment(_ name: String, _ value: String) -> String {
        quote(name + "=" + value)
    }

    /// True for names a shell accepts as a variable name (`[A-Za-z_][A-Za-z0-9_]*`).
    public static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || first.isASCIILetter else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || $0.isASCIILetter || $0.isASCIIDigit }
    }
}

extension Unicode.Scalar {
    var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
