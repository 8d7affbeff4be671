import PlacePlanCore

/// The benchmark's draws on PlacePlanCore's SplitMix64: a seed names one benchmark cluster forever.
extension SplitMix64 {
    /// Uniform in 0..<n without modulo bias worth caring about (n is small).
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func chance(_ p: Double) -> Bool { unit() < p }
    mutating func pick<T>(_ xs: [T]) -> T { xs[below(xs.count)] }
}
