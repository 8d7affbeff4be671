/// A small multiple knapsack solved by depth-first branch and bound: items of a size and an integer
/// value, a few bins of given capacities, each item allowed in some bins; maximise the value packed.
/// Items are taken densest first, each into a bin (tightest first) or left out; a node is cut when
/// its value plus the fractional knapsack of the remaining items in all remaining room cannot beat
/// the best. Bins that are interchangeable (same kind, same room left) are tried once.
///
/// Used by `CoveragePacking` to re-pack a few instances at a time (SPEC §4's first level there).
enum MultiKnapsack {
    struct Result {
        /// Bin of each item (index into the capacities), or nil when left out.
        var bin: [Int?]
        var value: Int
        /// The search finished within the node limit: `value` is the optimum.
        var exact: Bool
    }

    /// `kind[b]`: bins of equal kind accept the same items. Returns the best packing worth more than
    /// `floor`, or nil when none was found.
    static func solve(sizes: [Int64], values: [Int], allowed: [[Bool]], capacities: [Int64], kind: [Int], floor: Int, nodeLimit: Int) -> Result? {
        let n = sizes.count
        let order = (0..<n).filter { values[$0] > 0 && sizes[$0] >= 0 }.sorted {
            let da = Double(values[$0]) / Double(max(1, sizes[$0])), db = Double(values[$1]) / Double(max(1, sizes[$1]))
            return da > db || (da == db && $0 < $1)
        }
        var room = capacities
        var at = [Int?](repeating: nil, count: n)
        var best: [Int?]?
        var bestValue = floor
        var nodes = 0
        var aborted = false

        /// Fractional fill of the total room by order[from...], each item only if it fits some bin.
        func bound(_ from: Int) -> Double {
            var left = Double(room.reduce(0) { $0 + max(0, $1) })
            let widest = room.max() ?? 0
            var v = 0.0
            for k in from..<order.count {
                let i = order[k]
                guard sizes[i] <= widest else { continue }
                let s = Double(sizes[i])
                if s <= left { v += Double(values[i]); left -= s } else { v += Double(values[i]) * left / max(1, s); break }
            }
            return v
        }

        func dfs(_ k: Int, _ value: Int) {
            if value > bestValue { bestValue = value; best = at }
            guard k < order.count, !aborted else { return }
            nodes += 1
            if nodes > nodeLimit { aborted = true; return }
            if Double(value) + bound(k) < Double(bestValue) + 1 - 1e-9 { return }
            let i = order[k]
            for b in binsFor(i, sizes: sizes, allowed: allowed, room: room, kind: kind) {
                room[b] -= sizes[i]; at[i] = b
                dfs(k + 1, value + values[i])
                room[b] += sizes[i]; at[i] = nil
                if aborted { return }
            }
            dfs(k + 1, value)
        }
        dfs(0, 0)
        guard let b = best else { return nil }
        return Result(bin: b, value: bestValue, exact: !aborted)
    }

    /// Whether all the items fit together, and where: first largest-first best fit with a little
    /// backtracking, then bin completion (Korf 2002, extended to bins of different sizes and allowed
    /// sets): the largest item left goes into some open bin, which is then completed with the fullest
    /// subsets of the items left and closed. The slack Σ room − Σ size is a budget every closed bin's
    /// unused room spends; a branch that overspends it cannot pack the rest and is cut. Heuristic past
    /// the node limit (every subset looked at counts) and in trying only the fullest `completions`
    /// per bin: nil means none was found.
    /// `quickShare`: the share of the nodes the first phase may use (0: bin completion alone);
    /// `subsetLimit`: most subsets looked at per bin tried (fewer: faster, coarser fills).
    static func pack(sizes: [Int64], allowed: [[Bool]], capacities: [Int64], kind: [Int], nodeLimit: Int,
                     completions: Int = 6, quickShare: Double = 0.1, subsetLimit: Int = 4000) -> [Int]? {
        let n = sizes.count, B = capacities.count
        let order = (0..<n).sorted { sizes[$0] > sizes[$1] || (sizes[$0] == sizes[$1] && $0 < $1) }
        var room = capacities
        var at = [Int](repeating: -1, count: n)
        var nodes = 0
        // Largest first, tightest bin first, backtracking to a share of the nodes.
        let quick = Int(Double(nodeLimit) * quickShare)
        func dfs(_ k: Int) -> Bool {
            if k == n { return true }
            nodes += 1
            if nodes > quick { return false }
            let i = order[k]
            for b in binsFor(i, sizes: sizes, allowed: allowed, room: room, kind: kind) {
                room[b] -= sizes[i]; at[i] = b
                if dfs(k + 1) { return true }
                room[b] += sizes[i]; at[i] = -1
                if nodes > quick { return false }
            }
            return false
        }
        if quick > 0, dfs(0) { return at }
        // Bin completion.
        room = capacities
        at = [Int](repeating: -1, count: n)
        var left = [Bool](repeating: true, count: n)  // by position in `order`
        var open = [Bool](repeating: true, count: B)
        var slack = room.reduce(0, +) - sizes.reduce(0, +)
        guard slack >= 0 else { return nil }
        func complete() -> Bool {
            guard let first = left.firstIndex(of: true) else { return true }
            nodes += 1
            if nodes > nodeLimit || slack < 0 { return false }
            let i = order[first]
            left[first] = false
            for b in binsFor(i, sizes: sizes, allowed: allowed, room: room, kind: kind, open: open) {
                let space = room[b] - sizes[i]
                // The fullest subsets of the items left that go in b, unused room within the slack.
                var found: [(set: [Int], waste: Int64)] = []
                var current: [Int] = []
                var enumerated = 0
                func subsets(_ from: Int, _ free: Int64) {
                    if enumerated >= subsetLimit || nodes > nodeLimit { return }
                    enumerated += 1; nodes += 1
                    if free <= slack { found.append((current, free)) }
                    var k = from
                    var lastSkipped = -1  // an item left out: one of equal size and allowed bins is too
                    while k < n {
                        let j = order[k]
                        if left[k], allowed[j][b], sizes[j] <= free,
                           lastSkipped < 0 || sizes[j] != sizes[lastSkipped] || allowed[j] != allowed[lastSkipped] {
                            current.append(k); left[k] = false
                            subsets(k + 1, free - sizes[j])
                            left[k] = true; current.removeLast()
                            lastSkipped = j
                        }
                        k += 1
                    }
                }
                subsets(first + 1, space)
                found.sort { $0.waste < $1.waste || ($0.waste == $1.waste && $0.set.lexicographicallyPrecedes($1.set)) }
                for f in found.prefix(completions) {
                    open[b] = false; slack -= f.waste; at[i] = b
                    for k in f.set { left[k] = false; at[order[k]] = b }
                    if complete() { return true }
                    for k in f.set { left[k] = true; at[order[k]] = -1 }
                    open[b] = true; slack += f.waste; at[i] = -1
                    if nodes > nodeLimit { left[first] = true; return false }
                }
            }
            left[first] = true
            return false
        }
        return complete() ? at : nil
    }

    /// The bins item i fits in (allowed, room enough, open), tightest first, one per kind and room:
    /// bins of equal kind and equal room are interchangeable, so the search tries one of them. Every
    /// caller restores the room it takes before trying the next bin, so the list stays exact.
    static func binsFor(_ i: Int, sizes: [Int64], allowed: [[Bool]], room: [Int64], kind: [Int], open: [Bool]? = nil) -> [Int] {
        var bins = room.indices.filter { (open?[$0] ?? true) && allowed[i][$0] && room[$0] >= sizes[i] }
        bins.sort { room[$0] < room[$1] || (room[$0] == room[$1] && $0 < $1) }
        var seen = Set<[Int64]>()
        return bins.filter { seen.insert([Int64(kind[$0]), room[$0]]).inserted }
    }
}
