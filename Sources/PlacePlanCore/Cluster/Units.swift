/// Sizes, bandwidths and parameter counts as SPEC §1 writes them, parsed exactly into integers.
///
/// `B`, `KB`, `MB`, `GB`, `TB` are powers of 1000; `KiB`, `MiB`, `GiB`, `TiB` powers of 1024;
/// a bare number means GB (10^9 bytes). Decimals are exact: "4.85 GB" is 4_850_000_000 bytes.
public enum Units {
    public static let GB: Int64 = 1_000_000_000
    public static let GiB: Int64 = 1 << 30
    public static let MiB: Int64 = 1 << 20
    /// Largest size accepted (1 PB): keeps every sum far below Int64 and exactly representable as Double.
    public static let maxBytes: Int64 = 1_000_000_000_000_000

    static let sizeUnits: [String: Int64] = [
        "b": 1, "kb": 1000, "mb": 1_000_000, "gb": GB, "tb": 1000 * GB,
        "kib": 1024, "mib": MiB, "gib": GiB, "tib": 1024 * GiB,
        "k": 1000, "m": 1_000_000, "g": GB, "t": 1000 * GB,
    ]

    /// Parses "75 GB", "128GiB", "4.5 GB", or a bare number (GB). Returns nil when not a size.
    public static func parseSize(_ text: String) -> Int64? {
        let (num, unit) = split(text)
        guard let num, !num.isEmpty else { return nil }
        let mult: Int64
        if unit.isEmpty { mult = GB } else if let m = sizeUnits[unit.lowercased()] { mult = m } else { return nil }
        return exact(num, times: mult)
    }

    /// Parses "800 GB/s" (also "800GB/s", "1.2 TB/s"), returning GB/s.
    public static func parseBandwidth(_ text: String) -> Double? {
        var t = text.trimmingCharacters(in: .whitespaces)
        guard t.lowercased().hasSuffix("/s") else {
            if let v = Double(t), v.isFinite, v > 0 { return v }  // bare number: GB/s
            return nil
        }
        t.removeLast(2)
        guard let bytes = parseSize(t), bytes > 0 else { return nil }
        return Double(bytes) / 1e9
    }

    /// Parses a duration as Go's `time.ParseDuration` reads it (Ollama's OLLAMA_KEEP_ALIVE, `slo:`,
    /// `--duration`): "20s", "500ms", "5m", "1h30m", "-1m", units ns, us, µs, ms, s, m (also min),
    /// h — or a bare number of seconds ("3600", "-1"). Returns seconds; nil when unreadable.
    public static func parseDuration(_ text: String) -> Double? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let v = Double(t) { return v.isFinite ? v : nil }
        var rest = Substring(t), sign = 1.0
        if rest.hasPrefix("-") { sign = -1; rest = rest.dropFirst() } else if rest.hasPrefix("+") { rest = rest.dropFirst() }
        guard !rest.isEmpty else { return nil }
        let units: [(String, Double)] = [("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("ms", 1e-3), ("min", 60), ("h", 3600), ("m", 60), ("s", 1)]
        var total = 0.0
        while !rest.isEmpty {
            let num = rest.prefix { $0.isNumber || $0 == "." }
            guard !num.isEmpty, let v = Double(num), v.isFinite else { return nil }
            rest = rest.dropFirst(num.count)
            guard let (u, f) = units.first(where: { rest.hasPrefix($0.0) }) else { return nil }
            rest = rest.dropFirst(u.count)
            total += v * f
        }
        return sign * total
    }

    /// Parses a rate: "120/h", "2/min", "0.5/s", or a bare number per hour; returns per hour.
    public static func parseRate(_ text: String) -> Double? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: " ", with: "")
        if let v = Double(t), v.isFinite, v >= 0 { return v }
        let parts = t.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, let n = Double(parts[0]), n.isFinite, n >= 0 else { return nil }
        switch parts[1] {
        case "h", "hour", "hr": return n
        case "m", "min", "minute": return n * 60
        case "s", "sec", "second": return n * 3600
        case "d", "day": return n / 24
        default: return nil
        }
    }

    /// Parses "70.6B", "8B", "350M", or a plain count.
    public static func parseParams(_ text: String) -> Int64? {
        let (num, unit) = split(text)
        guard let num, !num.isEmpty else { return nil }
        let mult: Int64
        switch unit.lowercased() {
        case "": mult = 1
        case "b": mult = 1_000_000_000
        case "m": mult = 1_000_000
        case "k": mult = 1000
        case "t": mult = 1_000_000_000_000
        default: return nil
        }
        return exact(num, times: mult)
    }

    private static func split(_ text: String) -> (String?, String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        var i = t.startIndex
        while i < t.endIndex, t[i].isNumber || t[i] == "." { i = t.index(after: i) }
        let num = String(t[t.startIndex..<i])
        let unit = t[i...].trimmingCharacters(in: .whitespaces)
        return (num.isEmpty ? nil : num, unit)
    }

    /// num × mult, exactly, rounding half up at the byte; nil on overflow or a malformed number.
    static func exact(_ num: String, times mult: Int64) -> Int64? {
        let parts = num.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else { return nil }
        let intPart = parts[0].isEmpty ? "0" : String(parts[0])
        let frac = parts.count == 2 ? String(parts[1]) : ""
        if parts.count == 2 && parts[0].isEmpty && frac.isEmpty { return nil }
        guard intPart.count <= 16, let whole = Int64(intPart) else { return nil }
        let (w, o1) = whole.multipliedReportingOverflow(by: mult)
        guard !o1, w <= maxBytes * 1000 else { return nil }
        var result = w
        if !frac.isEmpty {
            let digits = String(frac.prefix(15))
            var scale: Int64 = 1
            for _ in digits { scale *= 10 }
            guard let f = Int64(digits) else { return nil }
            // f / scale × mult, rounded half up, without overflow: mult ≤ 2^40, f < 10^15 → split.
            let q = mult / scale, r = mult % scale
            let (a, o2) = f.multipliedReportingOverflow(by: q)
            guard !o2 else { return nil }
            let b = (f.multipliedFullWidth(by: r))
            let (bq, br) = scale.dividingFullWidth(b)
            result += a + bq + (br * 2 >= scale ? 1 : 0)
        }
        return result
    }

    /// "43.1 GB" — decimal gigabytes, one decimal, as people read capacities.
    public static func gb(_ bytes: Int64, digits: Int = 1) -> String {
        let v = Double(bytes) / 1e9
        return "\(format(v, digits: digits)) GB"
    }

    /// "192 GiB", "178.8 GiB": binary gigabytes, as Apple and Ollama state a Mac's memory
    /// (whole numbers without decimals).
    public static func gib(_ bytes: Int64) -> String {
        bytes % GiB == 0 ? "\(bytes / GiB) GiB" : "\(format(Double(bytes) / Double(GiB), digits: 1)) GiB"
    }

    /// Fixed-point formatting without Foundation's locale.
    public static func format(_ v: Double, digits: Int) -> String {
        var p = 1.0
        for _ in 0..<digits { p *= 10 }
        let r = (v * p).rounded() / p
        var s = String(Int64(r.rounded(.towardZero)))
        if r < 0 && r > -1 { s = "-0" }
        if digits > 0 {
            let fracV = Int64((abs(r) * p).rounded()) % Int64(p)
            var f = String(fracV)
            while f.count < digits { f = "0" + f }
            s += "." + f
        }
        return s
    }
}

import Foundation
