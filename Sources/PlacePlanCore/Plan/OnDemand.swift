/// The on-demand tier (SPEC §8): every listed model is reachable, resident or loaded on request.
///
/// Ollama loads a model on its first request and, when memory is short, unloads the least
/// recently used idle model of that server — any model, including ones preloaded with
/// `keep_alive: -1`. So on-demand models never share an instance with resident copies: they are
/// served by instances that hold no resident copy, with the whole instance as their budget,
/// `OLLAMA_KEEP_ALIVE` (the profile's `on_demand_keep_alive`) and `OLLAMA_MAX_LOADED_MODELS`
/// set so Ollama's own LRU works inside that budget.
///
/// When a model is not resident and no empty instance can hold it, `reservation` names instances
/// to keep free (greedily: the one that makes the most such models reachable, then the one whose
/// residents weigh least); the planner then solves again without them.
public enum OnDemand {
    /// A model served on demand: the instance that loads it and the quant it loads.
    public struct Route: Equatable, Sendable { public var item: Int; public var bin: Int; public var quant: Quant }

    /// Whether capacity may leave some model out: Σ replicas × smallest footprint above Σ capacity
    /// (a cheap necessary condition; models too large for every instance are out either way and
    /// need no reservation).
    public static func someMayStayOut(_ p: PlacementProblem) -> Bool {
        var need: Int64 = 0
        for it in p.items {
            let f = smallest(it)
            guard it.eligibleBins.contains(where: { capacity(p, $0) >= f }) else { continue }
            need = need.addingReportingOverflow(f.multipliedReportingOverflow(by: Int64(it.spec.replicas)).partialValue).partialValue
        }
        return need > p.bins.reduce(0) { $0 + $1.capacity }
    }

    /// The instance's real capacity (a reserved instance has 0 for the solver).
    static func capacity(_ p: PlacementProblem, _ b: Int) -> Int64 {
        let bin = p.bins[b]
        return p.layouts[bin.host].bins[bin.index].capacity
    }

    /// Σ priority of resident models + ½ Σ priority of models served on demand: what a reservation
    /// must raise to be kept.
    public static func score(_ p: PlacementProblem, _ a: Assignment) -> Double {
        var s = 0.0
        for (mi, cs) in a.copies.enumerated() where !cs.isEmpty { s += Double(p.items[mi].spec.priority) }
        for r in routes(p, a) { s += Double(p.items[r.item].spec.priority) / 2 }
        return s
    }

    /// Models served at all (resident or on demand).
    public static func reachable(_ p: PlacementProblem, _ a: Assignment) -> Int {
        a.copies.filter { !$0.isEmpty }.count + routes(p, a).count
    }

    static func smallest(_ it: PlacementProblem.Item) -> Int64 { it.footprints.values.map(\.total).min() ?? .max }

    static func emptyBins(_ p: PlacementProblem, _ a: Assignment) -> Set<Int> {
        var used = Set<Int>()
        for cs in a.copies { for c in cs { used.insert(c.bin) } }
        return Set(p.bins.indices).subtracting(used)
    }

    /// Bins to keep free so that not-resident models that fit some instance can be loaded on request.
    public static func reservation(_ p: PlacementProblem, _ a: Assignment) -> Set<Int> {
        let empty = emptyBins(p, a)
        var need: [Int] = []
        for (mi, cs) in a.copies.enumerated() where cs.isEmpty {
            let it = p.items[mi], f = smallest(it)
            let fits = it.eligibleBins.filter { capacity(p, $0) >= f }
            if fits.isEmpty || fits.contains(where: empty.contains) { continue }
            need.append(mi)
        }
        guard !need.isEmpty else { return [] }
        var residentWeight = [Int](repeating: 0, count: p.bins.count)
        for (mi, cs) in a.copies.enumerated() { for c in cs { residentWeight[c.bin] += p.items[mi].spec.priority } }
        var reserved = Set<Int>()
        var left = Set(need)
        while !left.isEmpty {
            var best: (covers: Int, weight: Int, cap: Int64, bin: Int)?
            for b in p.bins.indices where !reserved.contains(b) && !empty.contains(b) {
                let covers = left.filter { p.items[$0].eligibleBins.contains(b) && capacity(p, b) >= smallest(p.items[$0]) }.count
                guard covers > 0 else { continue }
                let key = (covers, residentWeight[b], capacity(p, b), b)
                if best == nil || key.0 > best!.covers || (key.0 == best!.covers && (key.1, key.2, key.3) < (best!.weight, best!.cap, best!.bin)) {
                    best = key
                }
            }
            guard let b = best?.bin else { break }
            reserved.insert(b)
            left = left.filter { !(p.items[$0].eligibleBins.contains(b) && capacity(p, b) >= smallest(p.items[$0])) }
        }
        // With demand, one instance may not keep up with the whole tier's loads: keep adding the
        // instance whose residents weigh least while they weigh less than the tier's weight per
        // on-demand instance (weights are priority × requests/h × cold-start s saved).
        if !reserved.isEmpty, p.items.contains(where: { $0.spec.demandPerHour != nil }) {
            let tier = need.reduce(0.0) { $0 + Double(p.items[$1].spec.priority) }
            let minNeed = need.map { smallest(p.items[$0]) }.min() ?? 0
            while true {
                let free = p.bins.indices.filter { b in !reserved.contains(b) && !empty.contains(b) && capacity(p, b) >= minNeed
                    && need.contains { mi in p.items[mi].eligibleBins.contains(b) } }
                guard let b = free.min(by: { (residentWeight[$0], $0) < (residentWeight[$1], $1) }),
                      Double(residentWeight[b]) * Double(reserved.count + 1) < tier else { break }
                reserved.insert(b)
            }
        }
        return reserved
    }

    /// Routes every not-resident model that fits an empty instance: models by weight (then name),
    /// each to the eligible empty instance with the least on-demand demand so far (then the
    /// largest, then the first), at the best-quality quant that fits the whole instance.
    public static func routes(_ p: PlacementProblem, _ a: Assignment) -> [Route] {
        let empty = emptyBins(p, a)
        guard !empty.isEmpty else { return [] }
        var load = [Double](repeating: 0, count: p.bins.count)
        let order = a.copies.indices.filter { a.copies[$0].isEmpty }.sorted {
            (p.items[$0].spec.priority, p.items[$1].spec.name) > (p.items[$1].spec.priority, p.items[$0].spec.name)
        }
        var out: [Route] = []
        for mi in order {
            let it = p.items[mi], f = smallest(it)
            let bins = it.eligibleBins.filter { empty.contains($0) && capacity(p, $0) >= f }
            guard let b = bins.min(by: { (load[$0], -capacity(p, $0), $0) < (load[$1], -capacity(p, $1), $1) }) else { continue }
            let q = it.quants.filter { it.footprints[$0]!.total <= capacity(p, b) }
                .max { (p.profile.quality($0), -it.footprints[$0]!.total) < (p.profile.quality($1), -it.footprints[$1]!.total) }!
            load[b] += it.spec.demandPerHour ?? 1
            out.append(Route(item: mi, bin: b, quant: q))
        }
        return out.sorted { ($0.bin, p.items[$0.item].spec.name) < ($1.bin, p.items[$1.item].spec.name) }
    }
}
