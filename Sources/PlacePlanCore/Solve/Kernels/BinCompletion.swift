import Foundation

/// Exact packing for the pure bin-packing case: every model required, one copy, one quant, no
/// labels, and identical instances — the shape of the Falkenauer triplet instances, where GLPK's
/// branch and bound and every greedy method fail.
///
/// Bin completion (Korf 2002, "A new algorithm for optimal bin packing"): fill one instance at a
/// time, always with the largest remaining model plus a completion of the space left, trying the
/// fullest completions first. The total slack Σ capacity − Σ footprint is a budget that every
/// unfilled byte spends; a branch that overspends it cannot pack the rest and is cut. With no slack
/// at all (the triplets: every instance exactly full) the search is an exact cover and branches on
/// the most constrained model instead of the largest.
enum BinCompletion {
    static func applies(_ p: PlacementProblem) -> Bool {
        guard !p.items.isEmpty, let cap = p.bins.first?.capacity, p.bins.allSatisfy({ $0.capacity == cap }) else { return false }
        return p.items.allSatisfy { it in
            it.spec.required && it.spec.replicas == 1 && it.quants.count == 1 && it.eligibleBins.count == p.bins.count
        }
    }

    /// A placement of every model, or nil when none exists or time ran out (`exhausted` tells which).
    static func solve(_ p: PlacementProblem, deadline: Deadline) -> (assignment: Assignment?, exhausted: Bool) {
        let cap = p.bins[0].capacity
        let sizes = p.items.map { $0.footprints[$0.quants[0]]!.total }
        let order = sizes.indices.sorted { sizes[$0] > sizes[$1] || (sizes[$0] == sizes[$1] && $0 < $1) }
        let s = order.map { sizes[$0] }
        let total = s.reduce(0, +)
        var slack = Int64(p.bins.count) * cap - total
        if slack < 0 || (s.first ?? 0) > cap { return (nil, true) }
        var free = [Bool](repeating: true, count: s.count)
        var binOf = [Int](repeating: -1, count: s.count)
        var nodes = 0
        var timedOut = false
        // Remaining sets already proven unpackable (the slack and bins left follow from the set),
        // so a set reached again through another order of instances is not searched twice.
        var failed = Set<[UInt64]>()
        func key() -> [UInt64] {
            var words = [UInt64](repeating: 0, count: (s.count + 63) / 64)
            for (k, f) in free.enumerated() where f { words[k / 64] |= 1 << UInt64(k % 64) }
            return words
        }

        func fill(_ bin: Int) -> Bool {
            guard let first = free.firstIndex(of: true) else { return true }
            if bin == p.bins.count { return false }
            let here = key()
            if failed.contains(here) { return false }
            nodes += 1
            if nodes & 1023 == 0, deadline.expired { timedOut = true; return false }
            free[first] = false; binOf[first] = bin
            let room = cap - s[first]
            // Completions of `room` from the items after `first`, fullest first; equal sizes are
            // interchangeable, so a size is skipped where an equal one was just left out.
            var completions: [[Int]] = []
            var current: [Int] = []
            func enumerate(_ from: Int, _ left: Int64) {
                guard completions.count < 20_000 else { return }  // enough alternatives for one instance
                completions.append(current)
                var k = from
                var lastSkipped: Int64 = -1
                while k < s.count {
                    if free[k], s[k] <= left, s[k] != lastSkipped {
                        current.append(k); free[k] = false
                        enumerate(k + 1, left - s[k])
                        free[k] = true; current.removeLast()
                        lastSkipped = s[k]
                    }
                    k += 1
                }
            }
            enumerate(first + 1, room)
            let filled = completions.map { c in (c, c.reduce(Int64(0)) { $0 + s[$1] }) }
                .filter { room - $0.1 <= slack }
                .sorted { $0.1 > $1.1 }
            for (c, sum) in filled {
                let waste = room - sum
                slack -= waste
                for k in c { free[k] = false; binOf[k] = bin }
                if fill(bin + 1) { return true }
                for k in c { free[k] = true; binOf[k] = -1 }
                slack += waste
                if timedOut { break }
            }
            free[first] = true; binOf[first] = -1
            if !timedOut && failed.count < 1_000_000 { failed.insert(here) }
            return false
        }

        /// Subsets of the free models (not i) that fill exactly `left`, equal sizes taken in order; at most `limit`.
        func exactCompletions(_ i: Int, _ left: Int64, limit: Int) -> [[Int]] {
            var out: [[Int]] = []
            var current: [Int] = []
            func rec(_ from: Int, _ left: Int64) {
                if out.count >= limit { return }
                if left == 0 { out.append(current); return }
                var k = from
                var lastSkipped: Int64 = -1
                while k < s.count {
                    if free[k], k != i, s[k] <= left, s[k] != lastSkipped {
                        current.append(k); free[k] = false
                        rec(k + 1, left - s[k])
                        free[k] = true; current.removeLast()
                        lastSkipped = s[k]
                        if out.count >= limit { return }
                    }
                    k += 1
                }
            }
            rec(0, left)
            return out
        }

        /// No slack: every instance ends exactly full, an exact cover. Fail first: branch on the model
        /// with the fewest exact completions (drawn from every model left), as in Knuth's dancing links.
        func fillExact(_ bin: Int) -> Bool {
            guard free.contains(true) else { return true }
            if bin == p.bins.count { return false }
            let here = key()
            if failed.contains(here) { return false }
            nodes += 1
            if nodes & 63 == 0, deadline.expired { timedOut = true; return false }
            var pick: (item: Int, completions: [[Int]])?
            var lastSize: Int64 = -1
            for i in s.indices where free[i] && s[i] != lastSize {
                lastSize = s[i]
                free[i] = false
                let cs = exactCompletions(i, cap - s[i], limit: pick.map { $0.completions.count } ?? 20_000)
                free[i] = true
                if pick == nil || cs.count < pick!.completions.count { pick = (i, cs) }
                if cs.isEmpty { break }
            }
            guard let (first, completions) = pick, !completions.isEmpty else {
                if failed.count < 1_000_000 { failed.insert(here) }
                return false
            }
            free[first] = false; binOf[first] = bin
            for c in completions {
                for k in c { free[k] = false; binOf[k] = bin }
                if fillExact(bin + 1) { return true }
                for k in c { free[k] = true; binOf[k] = -1 }
                if timedOut { break }
            }
            free[first] = true; binOf[first] = -1
            if !timedOut && failed.count < 1_000_000 { failed.insert(here) }
            return false
        }

        guard slack == 0 ? fillExact(0) : fill(0) else { return (nil, !timedOut) }
        var copies = [[Assignment.Copy]](repeating: [], count: p.items.count)
        for (pos, item) in order.enumerated() { copies[item] = [.init(bin: binOf[pos], quant: p.items[item].quants[0])] }
        return (Assignment(copies: copies), true)
    }
}
