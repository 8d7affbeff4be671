import PlacePlanCore

/// The exhaustive-search oracle and the random clusters the solver is cross-checked on, shared by
/// every test suite (PlacePlanCoreTests, CLITests, …): one oracle, not a copy per suite.
public enum Oracle {
    /// A random cluster in YAML: 1–3 hosts (unified or GPU, labels), 2–5 models with explicit
    /// footprints per quant, priorities, replicas, spread, on/avoid and required flags.
    public static func randomCluster(seed: UInt64) -> String {
        var rng = SplitMix64(seed: seed)
        let hostCount = Int.random(in: 1...3, using: &rng)
        var y = "name: r\(seed)\nhosts:\n"
        for h in 0..<hostCount {
            let label = ["gpu", "mac", "big"].randomElement(using: &rng)!
            if Bool.random(using: &rng) {
                y += "  - {name: h\(h), labels: [\(label)], instances: ["
                let n = Int.random(in: 1...2, using: &rng)
                y += (0..<n).map { _ in "{capacity: \(Int.random(in: 8...30, using: &rng)) GB}" }.joined(separator: ", ")
                y += "], unified_memory: 256 GiB}\n"
            } else {
                let n = Int.random(in: 1...2, using: &rng)
                y += "  - {name: h\(h), labels: [\(label)], gpus: [{name: card, vram: \(Int.random(in: 8...24, using: &rng)) GB, count: \(n)}]}\n"
            }
        }
        y += "models:\n"
        let modelCount = Int.random(in: 2...5, using: &rng)
        let quants = ["f16", "q8_0", "q4_K_M", "q2_K"]
        for m in 0..<modelCount {
            let base = Int.random(in: 3...20, using: &rng)
            let qs = Array(quants.shuffled(using: &rng).prefix(Int.random(in: 1...3, using: &rng)))
            let fps = qs.map { q -> String in
                let factor: Double = ["f16": 2.0, "q8_0": 1.1, "q4_K_M": 0.65, "q2_K": 0.5][q]!
                return "\(q): \(Int(Double(base) * factor * 1000)) MB"
            }
            y += "  - name: m\(m)\n    quants: [\(qs.joined(separator: ", "))]\n    footprints: {\(fps.joined(separator: ", "))}\n"
            y += "    priority: \(Int.random(in: 1...5, using: &rng))\n"
            if Int.random(in: 0..<4, using: &rng) == 0 { y += "    replicas: 2\n" }
            if Int.random(in: 0..<4, using: &rng) == 0 { y += "    spread: host\n" }
            if Int.random(in: 0..<5, using: &rng) == 0 { y += "    required: true\n" }
            if Int.random(in: 0..<5, using: &rng) == 0 { y += "    on: [\(["gpu", "mac", "big"].randomElement(using: &rng)!)]\n" }
            if Int.random(in: 0..<6, using: &rng) == 0 { y += "    avoid: [\(["gpu", "mac", "big"].randomElement(using: &rng)!)]\n" }
        }
        return y
    }

    /// Visits every valid placement (each model unplaced, or on a set of distinct bins with a quant each).
    public static func everyPlacement(_ p: PlacementProblem, _ visit: (Assignment) -> Void) {
        var options: [[[Assignment.Copy]]] = []
        for (mi, it) in p.items.enumerated() {
            var opts: [[Assignment.Copy]] = it.spec.required ? [] : [[]]
            let cands = p.candidates.filter { $0.item == mi }
            func rec(_ start: Int, _ chosen: [Assignment.Copy]) {
                if chosen.count == it.spec.replicas { opts.append(chosen); return }
                guard start < cands.count else { return }
                for k in start..<cands.count {
                    let c = cands[k]
                    if chosen.contains(where: { $0.bin == c.bin }) { continue }
                    if it.spec.spreadHost && chosen.contains(where: { p.bins[$0.bin].host == p.bins[c.bin].host }) { continue }
                    rec(k + 1, chosen + [.init(bin: c.bin, quant: c.quant)])
                }
            }
            rec(0, [])
            options.append(opts)
        }
        var used = [Int64](repeating: 0, count: p.bins.count)
        var current = [[Assignment.Copy]](repeating: [], count: p.items.count)
        func search(_ mi: Int) {
            if mi == p.items.count { visit(Assignment(copies: current)); return }
            for opt in options[mi] {
                var ok = true
                for c in opt { used[c.bin] += p.items[mi].footprints[c.quant]!.total; if used[c.bin] > p.bins[c.bin].capacity { ok = false } }
                if ok { current[mi] = opt; search(mi + 1) }
                for c in opt { used[c.bin] -= p.items[mi].footprints[c.quant]!.total }
                current[mi] = []
            }
        }
        search(0)
    }

    /// Exhaustive search: the lexicographic optimum (coverage, then quality), nil if nothing is valid.
    public static func bruteForce(_ p: PlacementProblem) -> (coverage: Int, quality: Double)? {
        var best: (Int, Double)?
        everyPlacement(p) { a in
            let c = a.coverage(p), q = a.quality(p)
            if best == nil || c > best!.0 || (c == best!.0 && q > best!.1 + 1e-12) { best = (c, q) }
        }
        return best
    }

    /// Best quality over every valid placement with coverage ≥ `floor` (nil if none).
    public static func bestQuality(_ p: PlacementProblem, coverageAtLeast floor: Int) -> Double? {
        var best: Double?
        everyPlacement(p) { a in
            if a.coverage(p) >= floor { let q = a.quality(p); if best == nil || q > best! { best = q } }
        }
        return best
    }
}
