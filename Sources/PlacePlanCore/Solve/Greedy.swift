/// A fast feasible placement used as the first incumbent: required models first, then by priority;
/// each copy goes to the instance where its best-quality fitting quant leaves the least space
/// (best fit); afterwards copies are upgraded to better quants where their instance has room.
public enum Greedy {
    /// `served` (an LP's y values) reorders models, most-served first; `preferred` (LP copies per
    /// quant) picks, among quants that fit, the one the LP used most — LP-guided rounding.
    public static func solve(_ p: PlacementProblem, served: [Double]? = nil, preferred: [[Quant: Double]]? = nil) -> Assignment {
        var used = [Int64](repeating: 0, count: p.bins.count)
        var copies = [[Assignment.Copy]](repeating: [], count: p.items.count)
        var byItem = [[Int]](repeating: [], count: p.items.count)
        for (j, c) in p.candidates.enumerated() { byItem[c.item].append(j) }
        let order = p.items.indices.sorted { a, b in
            let ia = p.items[a].spec, ib = p.items[b].spec
            if ia.required != ib.required { return ia.required }
            if let s = served, abs(s[a] - s[b]) > 1e-6 { return s[a] > s[b] }
            let fa = minFootprint(byItem[a], p) * Int64(ia.replicas), fb = minFootprint(byItem[b], p) * Int64(ib.replicas)
            // priority per byte, then name
            let da = Double(ia.priority) / Double(max(fa, 1)), db = Double(ib.priority) / Double(max(fb, 1))
            if da != db { return da > db }
            return ia.name < ib.name
        }
        for mi in order {
            let spec = p.items[mi].spec
            var chosen: [Assignment.Copy] = []
            var usedBins = Set<Int>(), usedHosts = Set<Int>()
            for _ in 0..<spec.replicas {
                var best: (j: Int, q: Double, slack: Int64)?
                for j in byItem[mi] {
                    let c = p.candidates[j]
                    if usedBins.contains(c.bin) || (spec.spreadHost && usedHosts.contains(p.bins[c.bin].host)) { continue }
                    let slack = p.bins[c.bin].capacity - used[c.bin] - c.footprint
                    guard slack >= 0 else { continue }
                    let q = preferred.map { $0[mi][c.quant] ?? -1 } ?? p.profile.quality(c.quant)
                    if best == nil || q > best!.q || (q == best!.q && slack < best!.slack) { best = (j, q, slack) }
                }
                guard let b = best else { break }
                let c = p.candidates[b.j]
                used[c.bin] += c.footprint
                usedBins.insert(c.bin); usedHosts.insert(p.bins[c.bin].host)
                chosen.append(.init(bin: c.bin, quant: c.quant))
            }
            if chosen.count == spec.replicas { copies[mi] = chosen }
            else { for c in chosen { used[c.bin] -= p.items[mi].footprints[c.quant]!.total } }
        }
        // Upgrade quants where the instance has room, best gain first.
        var improved = true
        while improved {
            improved = false
            for mi in p.items.indices {
                for (k, c) in copies[mi].enumerated() {
                    let cur = p.items[mi].footprints[c.quant]!.total
                    let better = byItem[mi].map { p.candidates[$0] }.filter {
                        $0.bin == c.bin && p.profile.quality($0.quant) > p.profile.quality(c.quant) && used[c.bin] - cur + $0.footprint <= p.bins[c.bin].capacity
                    }.max { p.profile.quality($0.quant) < p.profile.quality($1.quant) }
                    if let b = better {
                        used[c.bin] += b.footprint - cur
                        copies[mi][k].quant = b.quant
                        improved = true
                    }
                }
            }
        }
        for i in copies.indices { copies[i].sort { $0.bin < $1.bin } }
        return Assignment(copies: copies)
    }

    static func minFootprint(_ cols: [Int], _ p: PlacementProblem) -> Int64 {
        cols.map { p.candidates[$0].footprint }.min() ?? Int64.max / 4
    }
}
