import Foundation

/// A quality bound for problems too large for the class LP with every quant (2000x128x5: 3.7 s):
/// the same relaxation — instances merged into classes of identical ones, each class one knapsack
/// of n_k × capacity, coverage at least `minCoverage` — with the class capacities and the coverage
/// row moved into the objective by multipliers λ_k ≥ 0 and μ ≥ 0 (Lagrangian relaxation, Geoffrion
/// 1974). For fixed multipliers the problem splits by model: serve m (every copy at its best
/// (quant, class) by weight − λ_k·footprint, plus μ·priority) when that is worth more than not, so
///
///     L(λ, μ) = Σ_k λ_k·C_k − μ·minCoverage + Σ_m max(0, μ·p_m + r_m·max_{q,k}(w_{m,q} − λ_k·s_{m,q}))
///
/// (required models always served) bounds the quality of every placement covering at least
/// `minCoverage`, for any λ, μ ≥ 0 — weak duality; copies per class and per instance are relaxed.
/// It starts at one price for all classes, the one-knapsack LP's (so it is never looser than
/// `DensityBound`'s quality, up to rounding), then subgradient steps (Polyak's, towards the
/// incumbent) lower it; the smallest value seen is returned. Footprints are in GB so that the
/// multipliers are of order one.
enum LagrangianBound {
    static func quality(_ p: PlacementProblem, minCoverage: Int, incumbent: Double, iterations: Int = 300, deadline: Deadline = .never) -> Double? {
        let cls = AggregatedBound.classes(p)
        let nk = cls.members.count
        guard nk > 0, !p.items.isEmpty else { return nil }
        // Options per model: (class, footprint GB, weight), one per (quant, class) with the smallest
        // footprint and largest weight any instance of the class gives it (so still a relaxation).
        var options = [[(k: Int, gb: Double, w: Double)]](repeating: [], count: p.items.count)
        var slot: [Int: Int] = [:]
        let nq = Quant.allCases.count
        for c in p.candidates {
            let k = cls.classOfBin[c.bin]
            let qi = Quant.allCases.firstIndex(of: c.quant)!
            let key = (c.item * nq + qi) * nk + k, gb = Double(c.footprint) / 1e9
            if let j = slot[key] {
                options[c.item][j].gb = min(options[c.item][j].gb, gb)
                options[c.item][j].w = max(options[c.item][j].w, c.weight)
            } else {
                slot[key] = options[c.item].count
                options[c.item].append((k, gb, c.weight))
            }
        }
        let capacity = (0..<nk).map { k in Double(cls.members[k].count) * Double(p.bins[cls.members[k][0]].capacity) / 1e9 }
        let prio = p.items.map { Double($0.spec.priority) }
        let reps = p.items.map { Double($0.spec.replicas) }
        let required = p.items.map(\.spec.required)
        if p.items.indices.contains(where: { required[$0] && options[$0].isEmpty }) { return nil }
        var used = [Double](repeating: 0, count: nk)
        var covered = 0.0
        /// L at the given multipliers; fills `used` and `covered` with the subproblem's choice.
        func evaluate(_ lambda: [Double], _ mu: Double) -> Double {
            var value = zip(lambda, capacity).reduce(0) { $0 + $1.0 * $1.1 } - mu * Double(minCoverage)
            for k in 0..<nk { used[k] = 0 }
            covered = 0
            for m in p.items.indices where !options[m].isEmpty {
                var top = -Double.infinity, at = 0
                for (j, o) in options[m].enumerated() {
                    let v = o.w - lambda[o.k] * o.gb
                    if v > top { top = v; at = j }
                }
                let serve = mu * prio[m] + reps[m] * top
                if serve > 0 || required[m] {
                    value += serve
                    used[options[m][at].k] += reps[m] * options[m][at].gb
                    covered += prio[m]
                }
            }
            return value
        }
        // Start from one price for every class, the one-knapsack LP's (found by bisection on the
        // memory the subproblem asks for): L there is at most the one-knapsack bound, and every
        // step after it only lowers the best value kept.
        let total = capacity.reduce(0, +)
        var lo = 0.0, hi = options.flatMap { $0.map { $0.w / max(1e-9, $0.gb) } }.max() ?? 0
        for _ in 0..<60 {
            let mid = (lo + hi) / 2
            _ = evaluate([Double](repeating: mid, count: nk), 0)
            if used.reduce(0, +) > total { lo = mid } else { hi = mid }
        }
        var lambda = [Double](repeating: hi, count: nk)
        var mu = 0.0
        var best = evaluate(lambda, mu)
        var theta = 0.5, sinceBest = 0
        for _ in 0..<iterations {
            if deadline.expired { break }
            // Subgradient of L at the last evaluation: ∂/∂λ_k = C_k − used_k, ∂/∂μ = covered − minCoverage.
            var g = (0..<nk).map { capacity[$0] - used[$0] }
            g.append(covered - Double(minCoverage))
            let norm = g.reduce(0) { $0 + $1 * $1 }
            guard norm > 1e-18, best > incumbent + 1e-9, theta > 1e-6 else { break }
            let t = theta * (best - incumbent) / norm
            for k in 0..<nk { lambda[k] = max(0, lambda[k] - t * g[k]) }
            mu = max(0, mu - t * g[nk])
            let value = evaluate(lambda, mu)
            if value < best - 1e-12 { best = value; sinceBest = 0 } else {
                sinceBest += 1
                if sinceBest >= 10 { theta /= 2; sinceBest = 0 }
            }
        }
        return best.isFinite ? best : nil
    }
}
