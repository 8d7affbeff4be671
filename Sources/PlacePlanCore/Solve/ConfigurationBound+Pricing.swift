extension ConfigurationBound.Model {
    /// Lagrangian bound at (u, μ, ν) and the best configurations of each class.
    struct Priced { var bound: Double; var best: [[Config]]; var upper: [Double] }
    func price(level: Int, u: [Double], mu: [Double], nu: Double, floor: Int, keep: Int, until: Deadline) -> Priced {
        var bound = level == 2 ? -nu * Double(floor) : 0
        for (m, it) in p.items.enumerated() {
            let t = (level == 2 ? nu : 1) * Double(it.spec.priority) - Double(it.spec.replicas) * u[m]
            bound += it.spec.required ? t : max(0, t)
        }
        for (s, h) in spreadBound.enumerated() { bound += mu[s] * h }
        var best: [[Config]] = [], upper: [Double] = []
        for (c, k) in classes.enumerated() {
            var groups: [[(footprint: Int64, profit: Double)]] = []
            var tags: [Int] = []  // group → position
            for j in k.items.indices {
                let base = u[k.items[j]] - (k.spreadRow[j].map { mu[$0 - M - K] } ?? 0)
                if level == 1 {
                    guard base > 0 else { continue }
                    let o = k.options[j][k.smallest[j]]
                    groups.append([(o.footprint, base)]); tags.append(j)
                } else {
                    let g = k.options[j].map { (footprint: $0.footprint, profit: $0.weight + base) }
                    guard g.contains(where: { $0.profit > 0 }) else { continue }
                    groups.append(g); tags.append(j)
                }
            }
            let r = Knapsack.solve(capacity: k.capacity, groups: groups, keep: keep, nodeLimit: 50_000, deadline: until)
            bound += Double(k.n) * max(0, r.upper)
            upper.append(r.upper)
            best.append(r.solutions.map { sol in
                Config(cls: c, picks: sol.map { (g, o) in Pick(position: tags[g], option: level == 1 ? k.smallest[tags[g]] : o) }.sorted())
            })
        }
        return Priced(bound: bound, best: best, upper: upper)
    }

    /// Σ (w·[level 2] + u − μ) over a configuration's copies.
    func value(_ cfg: Config, level: Int, u: [Double], mu: [Double]) -> Double {
        var v = 0.0
        let k = classes[cfg.cls]
        for pk in cfg.picks {
            let j = pk.position
            v += u[k.items[j]] - (k.spreadRow[j].map { mu[$0 - M - K] } ?? 0)
            if level == 2 { v += k.options[j][pk.option].weight }
        }
        return v
    }

    /// Reduced-cost enumeration: a column of class c in a placement better than the incumbent by
    /// the Lagrangian argument has value ≥ max(0, K_c) − slack, where slack = L − (the value to beat)
    /// and L, K_c are taken at the same multipliers (any multipliers: the argument needs no LP optimality).
    func enumerateColumns(level: Int, u: [Double], mu: [Double], upper: [Double], slack: Double, deadline: Deadline) -> [Config]? {
        guard slack.isFinite, slack >= -1e-9 else { return slack < 0 ? [] : nil }
        var columns: [Config] = []
        for c in classes.indices {
            let threshold = max(0, upper[c]) - slack - 1e-7
            guard let found = configurations(of: c, level: level, u: u, mu: mu, above: threshold, limit: 20_000 - columns.count, deadline: deadline) else { return nil }
            columns += found
        }
        return columns
    }

    /// Every configuration of class c with Σ (w + u − μ) ≥ threshold, by depth-first search with a
    /// fractional bound (profit per byte at most each model's best ratio); nil past `limit`.
    func configurations(of c: Int, level: Int, u: [Double], mu: [Double], above threshold: Double, limit: Int, deadline: Deadline) -> [Config]? {
        let k = classes[c]
        struct Opt { var index: Int; var footprint: Int64; var profit: Double }
        var groups: [(pos: Int, opts: [Opt], best: Double, ratio: Double)] = []
        for j in k.items.indices {
            let base = u[k.items[j]] - (k.spreadRow[j].map { mu[$0 - M - K] } ?? 0)
            // Level 1 values a copy the same at every quant: its smallest footprint is enough.
            let all = k.options[j].enumerated().map { Opt(index: $0.offset, footprint: $0.element.footprint, profit: (level == 2 ? $0.element.weight : 0) + base) }
            let opts = level == 2 ? all : [all[k.smallest[j]]]
            let best = opts.map(\.profit).max() ?? 0
            let ratio = opts.map { $0.profit / Double(max(1, $0.footprint)) }.max() ?? 0
            groups.append((j, opts, best, ratio))
        }
        groups.sort { $0.ratio > $1.ratio || ($0.ratio == $1.ratio && $0.pos < $1.pos) }
        func bound(_ from: Int, _ cap: Int64) -> Double {
            var v = 0.0, left = Double(cap)
            for g in groups[from...] where g.best > 0 && g.ratio > 0 {
                let bytes = g.best / g.ratio
                if bytes <= left { v += g.best; left -= bytes } else { v += left * g.ratio; break }
            }
            return v
        }
        var out: [Config] = []
        var picks: [Pick] = []
        var overflow = false
        var nodes = 0
        func dfs(_ i: Int, _ cap: Int64, _ value: Double) {
            if overflow { return }
            nodes += 1
            // Out of time: as good as too many columns (no proof from this enumeration).
            if nodes & 1023 == 0, deadline.expired { overflow = true; return }
            if value + bound(i, cap) < threshold { return }
            if i == groups.count {
                if value >= threshold {
                    out.append(Config(cls: c, picks: picks.sorted()))
                    if out.count > limit { overflow = true }
                }
                return
            }
            dfs(i + 1, cap, value)  // without this model
            for o in groups[i].opts where o.footprint <= cap {
                picks.append(Pick(position: groups[i].pos, option: o.index))
                dfs(i + 1, cap - o.footprint, value + o.profit)
                picks.removeLast()
            }
        }
        dfs(0, k.capacity, 0)
        return overflow ? nil : out
    }
}
