/// The cheapest valid bound, for when the LP relaxation does not finish in time: relax every
/// instance into one knapsack of their total capacity and drop on/avoid and one-copy-per-instance
/// (each relaxation only enlarges the feasible set), then take the LP optimum of that knapsack —
/// models (or copies, for quality) by value per byte, the last one fractional (Dantzig 1957).
enum DensityBound {
    /// Upper bounds on coverage (floored) and on quality, for every placement of `p`.
    static func solve(_ p: PlacementProblem) -> (coverage: Int, quality: Double) {
        var minFootprint = [Int64](repeating: .max, count: p.items.count)
        var options = [[Quant: (footprint: Int64, weight: Double)]](repeating: [:], count: p.items.count)
        var binsUsed = Set<Int>()
        for c in p.candidates {
            minFootprint[c.item] = min(minFootprint[c.item], c.footprint)
            options[c.item][c.quant] = (c.footprint, c.weight)
            binsUsed.insert(c.bin)
        }
        let capacity = Double(binsUsed.reduce(Int64(0)) { $0 + p.bins[$1].capacity })
        // Coverage: a served model needs replicas × its smallest footprint.
        var models: [(value: Double, bytes: Double)] = []
        for (m, it) in p.items.enumerated() where minFootprint[m] != .max {
            models.append((Double(it.spec.priority), Double(minFootprint[m]) * Double(it.spec.replicas)))
        }
        let coverage = fractionalFill(models.map { [$0] }, capacity: capacity)
        // Quality: every copy is a group of (footprint, weight) options, at most one taken.
        var groups: [[(value: Double, bytes: Double)]] = []
        for (m, it) in p.items.enumerated() where !options[m].isEmpty {
            let opts = options[m].values.map { (value: $0.weight, bytes: Double($0.footprint)) }
            for _ in 0..<it.spec.replicas { groups.append(opts) }
        }
        let quality = fractionalFill(groups, capacity: capacity)
        let total = p.items.reduce(0) { $0 + $1.spec.priority }
        return (min(total, Int((coverage + 1e-6).rounded(.down))), min(Double(total), quality + 1e-9))
    }

    /// LP optimum of a multiple-choice knapsack: the segments of each group's upper convex hull
    /// (from the origin), best value per byte first, the last one fractional.
    static func fractionalFill(_ groups: [[(value: Double, bytes: Double)]], capacity: Double) -> Double {
        var segments: [(eff: Double, value: Double, bytes: Double)] = []
        for g in groups {
            let pts = g.filter { $0.value > 0 }.sorted { $0.bytes < $1.bytes || ($0.bytes == $1.bytes && $0.value > $1.value) }
            var hull: [(value: Double, bytes: Double)] = [(0, 0)]
            for pt in pts where pt.value > hull.last!.value {
                while hull.count >= 2 {
                    let a = hull[hull.count - 2], b = hull[hull.count - 1]
                    if (b.value - a.value) * (pt.bytes - a.bytes) <= (pt.value - a.value) * (b.bytes - a.bytes) { hull.removeLast() } else { break }
                }
                hull.append(pt)
            }
            for s in 1..<hull.count {
                let dv = hull[s].value - hull[s - 1].value, db = hull[s].bytes - hull[s - 1].bytes
                segments.append((db > 0 ? dv / db : .infinity, dv, db))
            }
        }
        segments.sort { $0.eff > $1.eff }
        var left = capacity, total = 0.0
        for s in segments {
            if s.bytes <= left { left -= s.bytes; total += s.value } else { total += s.value * left / s.bytes; break }
        }
        return total
    }
}
