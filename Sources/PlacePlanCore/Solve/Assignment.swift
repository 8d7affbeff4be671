/// A placement: for each item (model, in problem order), the copies as (bin, quant).
public struct Assignment: Equatable, Sendable {
    public var copies: [[Copy]]
    public struct Copy: Equatable, Sendable, Hashable {
        public var bin: Int; public var quant: Quant
        public init(bin: Int, quant: Quant) { self.bin = bin; self.quant = quant }
    }

    public init(copies: [[Copy]]) { self.copies = copies }

    /// Σ priority of served models.
    public func coverage(_ p: PlacementProblem) -> Int {
        zip(p.items, copies).reduce(0) { $0 + ($1.1.isEmpty ? 0 : $1.0.spec.priority) }
    }

    /// Σ priority × quality(q) ÷ replicas over copies (SPEC §4), summed in a fixed order.
    public func quality(_ p: PlacementProblem) -> Double {
        var s = 0.0
        for (it, cs) in zip(p.items, copies) {
            for c in cs { s += Double(it.spec.priority) * p.profile.quality(c.quant) / Double(it.spec.replicas) }
        }
        return s
    }

    /// Every violated constraint of SPEC §4, checked in exact integer arithmetic; empty when valid.
    public func violations(_ p: PlacementProblem) -> [String] {
        var out: [String] = []
        var used = [Int64](repeating: 0, count: p.bins.count)
        for (mi, cs) in copies.enumerated() {
            let it = p.items[mi]
            if cs.isEmpty { if it.spec.required { out.append("\(it.spec.name) is required but unplaced") }; continue }
            if cs.count != it.spec.replicas { out.append("\(it.spec.name) has \(cs.count) copies, wants \(it.spec.replicas)") }
            if Set(cs.map(\.bin)).count != cs.count { out.append("\(it.spec.name) has two copies on one instance") }
            if it.spec.spreadHost, Set(cs.map { p.bins[$0.bin].host }).count != cs.count { out.append("\(it.spec.name) has two copies on one host") }
            for c in cs {
                guard it.quants.contains(c.quant), let f = it.footprints[c.quant] else { out.append("\(it.spec.name) at a quant not allowed"); continue }
                if !it.eligibleBins.contains(c.bin) { out.append("\(it.spec.name) on \(p.bins[c.bin].id) breaks on/avoid") }
                used[c.bin] += f.total
            }
        }
        for (b, u) in used.enumerated() where u > p.bins[b].capacity { out.append("\(p.bins[b].id) holds \(u) of \(p.bins[b].capacity) bytes") }
        return out
    }
}

/// What a solver strategy returns.
public struct SolveOutcome: Sendable {
    public enum Status: String, Sendable { case optimal, feasible, infeasible, unknown }
    public var status: Status
    public var assignment: Assignment
    public var coverage: Int
    public var quality: Double
    public var coverageBound: Int
    public var qualityBound: Double
    /// The phase whose placement this is (`Strategy.phases`).
    public var method: String
    public var variables: Int
    public var constraints: Int
    /// Phases whose deadline fired before they finished (in order); empty when none did.
    public var cutShort: [String] = []
}
