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
        let n = sizes.count, B = capacities.count
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
            var bins = (0..<B).filter { allowed[i][$0] && room[$0] >= sizes[i] }
            bins.sort { room[$0] < room[$1] || (room[$0] == room[$1] && $0 < $1) }
            var tried = Set<[Int64]>()
            for b in bins {
                guard tried.insert([Int64(kind[b]), room[b]]).inserted else { continue }
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
}
