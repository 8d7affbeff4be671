/// The one knapsack kernel, shared by the packer (one instance re-packed, quants raised) and the
/// configuration LP's pricing: a 0-1 multiple-choice knapsack — at most one option per group,
/// Int64 weights, maximise profit.
/// Depth-first branch and bound over groups sorted by best efficiency; the bound at a node is the
/// LP relaxation over the remaining groups (greedy over the segments of each group's upper convex
/// hull of (footprint, profit), fractional last segment).
enum Knapsack {
    struct Result {
        /// Best solution value found (0: the empty selection).
        var value: Double
        /// A valid upper bound on the optimum (value + 1e-9 when the search completed).
        var upper: Double
        var exact: Bool
        /// Up to `keep` solutions with positive value, best last, as (group, option) pairs.
        var solutions: [[(group: Int, option: Int)]]
    }

    static func solve(capacity: Int64, groups input: [[(footprint: Int64, profit: Double)]], keep: Int = 1, nodeLimit: Int = 200_000, deadline: Deadline = .never) -> Result {
        struct Grp { var orig: Int; var fp: [Int64]; var profit: [Double]; var option: [Int]; var firstEff: Double; var minFp: Int64 }
        struct Seg { var group: Int; var fp: Int64; var profit: Double; var eff: Double }
        var gs: [Grp] = []
        var segsOf: [[Seg]] = []
        for (gi, opts) in input.enumerated() {
            var o = opts.indices.filter { opts[$0].profit > 0 && opts[$0].footprint <= capacity && opts[$0].footprint >= 0 && opts[$0].profit.isFinite }
            o.sort { opts[$0].footprint != opts[$1].footprint ? opts[$0].footprint < opts[$1].footprint : opts[$0].profit > opts[$1].profit }
            var kept: [Int] = []
            for i in o where kept.isEmpty || opts[i].profit > opts[kept.last!].profit { kept.append(i) }  // drop dominated
            guard !kept.isEmpty else { continue }
            // Upper convex hull from the origin.
            var hull: [(Int64, Double)] = [(0, 0)]
            for i in kept {
                let pt = (opts[i].footprint, opts[i].profit)
                while hull.count >= 2 {
                    let a = hull[hull.count - 2], b = hull[hull.count - 1]
                    // Pop b if it lies on or below the line a → pt.
                    if (b.1 - a.1) * Double(pt.0 - a.0) <= (pt.1 - a.1) * Double(b.0 - a.0) { hull.removeLast() } else { break }
                }
                hull.append(pt)
            }
            var segs: [Seg] = []
            for s in 1..<hull.count {
                let dfp = hull[s].0 - hull[s - 1].0, dp = hull[s].1 - hull[s - 1].1
                segs.append(Seg(group: 0, fp: dfp, profit: dp, eff: dfp > 0 ? dp / Double(dfp) : .infinity))
            }
            gs.append(Grp(orig: gi, fp: kept.map { opts[$0].footprint }, profit: kept.map { opts[$0].profit }, option: kept, firstEff: segs[0].eff, minFp: opts[kept[0]].footprint))
            segsOf.append(segs)
        }
        let order = gs.indices.sorted { gs[$0].firstEff != gs[$1].firstEff ? gs[$0].firstEff > gs[$1].firstEff : gs[$0].orig < gs[$1].orig }
        let groups = order.map { gs[$0] }
        var segs: [Seg] = []
        for (i, g) in order.enumerated() { for s in segsOf[g] { var s = s; s.group = i; segs.append(s) } }
        segs.sort { $0.eff != $1.eff ? $0.eff > $1.eff : ($0.group != $1.group ? $0.group < $1.group : $0.fp < $1.fp) }
        let G = groups.count

        /// LP relaxation over groups ≥ from with capacity cap (groups that cannot fit at all skipped).
        func lpBound(_ from: Int, _ cap: Int64) -> Double {
            var v = 0.0, r = cap
            for s in segs where s.group >= from && groups[s.group].minFp <= cap {
                if s.fp <= r { r -= s.fp; v += s.profit } else { v += Double(r) * s.eff; break }
            }
            return v
        }

        let tol = 1e-10
        var best = 0.0
        var solutions: [[(group: Int, option: Int)]] = []
        var chosen: [(group: Int, option: Int)] = []
        var nodes = 0
        var aborted = false
        var openBound = 0.0  // when aborted: a bound on every unexplored node

        func dfs(_ start: Int, _ cap: Int64, _ value: Double) {
            if value > best + tol {
                best = value
                if keep > 0 { solutions.append(chosen.map { (groups[$0.group].orig, groups[$0.group].option[$0.option]) }); if solutions.count > keep { solutions.removeFirst() } }
            }
            // The skip branch of group i is the next turn of the loop (no recursion: depth = copies taken).
            var i = start
            while i < G {
                if groups[i].minFp > cap { i += 1; continue }
                nodes += 1
                if nodes > nodeLimit || (nodes & 1023 == 0 && deadline.expired) {
                    aborted = true; openBound = max(openBound, value + lpBound(i, cap)); return
                }
                let quick = Double(cap) * groups[i].firstEff
                if quick.isFinite && value + quick <= best + tol { return }
                if value + lpBound(i, cap) <= best + tol { return }
                let g = groups[i]
                for o in stride(from: g.fp.count - 1, through: 0, by: -1) where g.fp[o] <= cap {
                    chosen.append((i, o))
                    dfs(i + 1, cap - g.fp[o], value + g.profit[o])
                    chosen.removeLast()
                    if aborted {
                        // What is left unexplored here lies in this node's subtree: its LP bound covers it.
                        openBound = max(openBound, value + lpBound(i, cap))
                        return
                    }
                }
                i += 1
            }
        }
        dfs(0, capacity, 0)
        // Pruning keeps nodes within tol of the best: the optimum is at most best + tol (+ round-off).
        let upper = G == 0 ? 0 : (aborted ? max(best, openBound) : best) + 1e-9
        return Result(value: best, upper: upper, exact: !aborted, solutions: solutions)
    }
}
