import Foundation

/// Large-neighbourhood search: frees a few instances at a time, together with the unplaced models
/// that could use them, and re-solves that small SPEC §4 problem exactly with GLPK's branch and
/// bound (`ExactSolver`), the rest of the placement held fixed. A result replaces the current one
/// only when it is strictly better (coverage, then quality) and passes the exact-integer check.
///
/// Deterministic: neighbourhoods come from a fixed-seed generator and each sub-solve stops at a node
/// limit, not a time; only the `deadline` (the caller's time limit) can end the search early.
enum Neighbourhood {
    struct Settings {
        /// Most neighbourhoods tried in one call.
        var rounds = 4000
        /// Stop after this many neighbourhoods in a row brought nothing (scaled up by the bin count).
        var patience = 60
        /// Largest number of models (placed + unplaced) freed in one neighbourhood.
        var maxItems = 18
        /// Most instances freed at once.
        var maxBins = 4
        /// Branch-and-bound nodes per level of a sub-solve.
        var nodeLimit = 30
    }

    static func improve(_ start: Assignment, _ p: PlacementProblem, deadline: Deadline, settings: Settings = Settings()) -> Assignment {
        guard p.bins.count >= 1, start.violations(p).isEmpty else { return start }
        var copies = start.copies
        var byItem = [[Int]](repeating: [], count: p.items.count)
        var byBin = [[Int]](repeating: [], count: p.bins.count)
        for (j, c) in p.candidates.enumerated() { byItem[c.item].append(j); byBin[c.bin].append(j) }
        // Bins in classes of equal capacity and labels: repacking works best among look-alikes.
        let classes = AggregatedBound.classes(p)
        var rng = SplitMix64(seed: 0x5EED_0F_1A)
        var onBin = [[Int]](repeating: [], count: p.bins.count)
        func rebuildOnBin() {
            for b in onBin.indices { onBin[b].removeAll(keepingCapacity: true) }
            for (mi, cs) in copies.enumerated() { for c in cs { onBin[c.bin].append(mi) } }
        }
        rebuildOnBin()
        let minFootprint = byItem.map { js in js.map { p.candidates[$0].footprint }.min() ?? Int64.max }
        let densest = p.items.indices.filter { !byItem[$0].isEmpty }.sorted {
            let da = Double(p.items[$0].spec.priority) / Double(minFootprint[$0] * Int64(p.items[$0].spec.replicas))
            let db = Double(p.items[$1].spec.priority) / Double(minFootprint[$1] * Int64(p.items[$1].spec.replicas))
            return da > db || (da == db && $0 < $1)
        }
        let patience = settings.patience + 2 * p.bins.count
        var idle = 0
        for round in 0..<settings.rounds {
            if idle >= patience { break }
            if deadline.expired { break }
            idle += 1
            // Pick the bins: an anchor, then look-alikes (same class) or any others, alternating.
            // Every third neighbourhood starts from an unplaced model among the densest, and frees bins it could use.
            var pool: [Int] = []
            var anchor = Int(rng.next() % UInt64(p.bins.count))
            if round % 3 == 1 {
                let unplaced = densest.filter { copies[$0].isEmpty }.prefix(24)
                if !unplaced.isEmpty {
                    let mi = unplaced[unplaced.startIndex + Int(rng.next() % UInt64(unplaced.count))]
                    pool = Array(Set(byItem[mi].map { p.candidates[$0].bin })).sorted()
                    anchor = pool[Int(rng.next() % UInt64(pool.count))]
                }
            }
            if pool.isEmpty { pool = round % 3 == 2 ? Array(p.bins.indices) : classes.members[classes.classOfBin[anchor]] }
            var bins = [anchor]
            var freed = onBin[anchor].count
            var tries = 0
            while bins.count < settings.maxBins && tries < 4 * settings.maxBins && pool.count > 1 {
                tries += 1
                let b = pool[Int(rng.next() % UInt64(pool.count))]
                if bins.contains(b) { continue }
                if freed + onBin[b].count > settings.maxItems - 4 { continue }
                bins.append(b); freed += onBin[b].count
            }
            bins.sort()
            guard let (sub, items, subStart) = subproblem(p, copies: copies, bins: bins, byBin: byBin, byItem: byItem,
                                                          minFootprint: minFootprint, maxItems: settings.maxItems, rng: &rng) else { continue }
            let before = (subStart.coverage(sub), subStart.quality(sub))
            let outcome = ExactSolver.solve(sub, deadline: deadline.atMost(1.0),
                                            nodeLimit: settings.nodeLimit, start: subStart, cuts: false)
            guard outcome.status == .optimal || outcome.status == .feasible, outcome.assignment.violations(sub).isEmpty else { continue }
            let after = (outcome.assignment.coverage(sub), outcome.assignment.quality(sub))
            guard after.0 > before.0 || (after.0 == before.0 && after.1 > before.1 + 1e-9) else { continue }
            // Write back: freed models take their new copies (sub bin k is bins[k]).
            for (k, mi) in items.enumerated() {
                let kept = copies[mi].filter { !bins.contains($0.bin) }
                let new = outcome.assignment.copies[k].map { Assignment.Copy(bin: bins[$0.bin], quant: $0.quant) }
                copies[mi] = (kept + new).sorted { $0.bin < $1.bin }
            }
            rebuildOnBin()
            idle = 0
        }
        let result = Assignment(copies: copies)
        return result.violations(p).isEmpty ? result : start
    }

    /// The problem restricted to `bins`: their residents that have no copy elsewhere (freed), plus
    /// the best-density unplaced models with room there; capacity is reduced by copies held fixed
    /// (models with replicas both inside and outside the neighbourhood). Nil when nothing can move.
    static func subproblem(_ p: PlacementProblem, copies: [[Assignment.Copy]], bins: [Int], byBin: [[Int]], byItem: [[Int]],
                           minFootprint: [Int64], maxItems: Int, rng: inout SplitMix64) -> (PlacementProblem, [Int], Assignment)? {
        let local = Dictionary(uniqueKeysWithValues: bins.enumerated().map { ($1, $0) })
        var fixedUse = [Int64](repeating: 0, count: bins.count)
        var freed: [Int] = []
        var seen = Set<Int>()
        for b in bins {
            for j in byBin[b] {
                let mi = p.candidates[j].item
                guard !copies[mi].isEmpty, seen.insert(mi).inserted else { continue }
                if copies[mi].allSatisfy({ local[$0.bin] != nil }) {
                    if copies[mi].contains(where: { local[$0.bin] != nil }) { freed.append(mi) }
                } else {
                    for c in copies[mi] { if let k = local[c.bin] { fixedUse[k] += p.items[mi].footprints[c.quant]!.total } }
                }
            }
        }
        let maxCap = bins.map { p.bins[$0].capacity }.max() ?? 0
        // Unplaced models that could go here: enough distinct bins (hosts, with spread), small enough.
        var outside: [(mi: Int, density: Double)] = []
        var consider = Set<Int>()
        for b in bins { for j in byBin[b] { let mi = p.candidates[j].item; if copies[mi].isEmpty { consider.insert(mi) } } }
        for mi in consider.sorted() {
            let spec = p.items[mi].spec
            guard minFootprint[mi] <= maxCap else { continue }
            let where_ = Set(byItem[mi].compactMap { local[p.candidates[$0].bin] })
            let distinct = spec.spreadHost ? Set(where_.map { p.bins[bins[$0]].host }).count : where_.count
            guard distinct >= spec.replicas else { continue }
            // A little noise so that repeated neighbourhoods do not always offer the same models.
            let noise = 1 + Double(rng.next() % 1000) / 4000
            outside.append((mi, Double(spec.priority) / Double(max(1, minFootprint[mi] * Int64(spec.replicas))) * noise))
        }
        outside.sort { $0.density > $1.density || ($0.density == $1.density && $0.mi < $1.mi) }
        let room = max(0, maxItems - freed.count)
        let items = (freed + outside.prefix(room).map(\.mi)).sorted()
        guard !items.isEmpty, !outside.isEmpty || freed.count > 1 || bins.count > 1 else { return nil }

        var subBins: [Bin] = []
        for (k, b) in bins.enumerated() { var bin = p.bins[b]; bin.capacity -= fixedUse[k]; subBins.append(bin) }
        var subItems: [PlacementProblem.Item] = []
        var candidates: [PlacementProblem.Candidate] = []
        var start = [[Assignment.Copy]]()
        for (k, mi) in items.enumerated() {
            var it = p.items[mi]
            it.eligibleBins = it.eligibleBins.compactMap { local[$0] }
            subItems.append(it)
            for j in byItem[mi] {
                let c = p.candidates[j]
                guard let lb = local[c.bin], c.footprint <= subBins[lb].capacity else { continue }
                candidates.append(.init(item: k, quant: c.quant, bin: lb, footprint: c.footprint, weight: c.weight))
            }
            start.append(copies[mi].compactMap { c in local[c.bin].map { Assignment.Copy(bin: $0, quant: c.quant) } }.sorted { $0.bin < $1.bin })
        }
        let sub = PlacementProblem(items: subItems, layouts: p.layouts, bins: subBins, candidates: candidates, profile: p.profile)
        return (sub, items, Assignment(copies: start))
    }
}

/// SplitMix64 (Steele, Lea and Flood 2014): a small seeded generator, the same stream on every
/// platform and Swift version (unlike the standard library's), so a seed names one sequence forever.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
