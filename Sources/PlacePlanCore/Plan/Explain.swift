/// Why a model is unplaced, or why a problem is infeasible, in words a person acts on.
public enum Explain {
    static func where_(_ m: Cluster.Model) -> String {
        var parts: [String] = []
        if !m.on.isEmpty { parts.append("`on: [\(m.on.joined(separator: ", "))]`") }
        if !m.avoid.isEmpty { parts.append("`avoid: [\(m.avoid.joined(separator: ", "))]`") }
        return parts.isEmpty ? "" : " allowed by " + parts.joined(separator: " and ")
    }

    static func smallest(_ it: PlacementProblem.Item) -> (Quant, Int64) {
        it.quants.map { ($0, it.footprints[$0]!.total) }.min { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }!
    }

    /// A reason that holds for the model alone, whatever else is placed; nil when it could fit alone.
    public static func alone(_ mi: Int, _ p: PlacementProblem) -> String? {
        let it = p.items[mi], m = it.spec
        if it.eligibleBins.isEmpty {
            if !m.on.isEmpty { return "\(m.name) may only run on hosts labelled \(m.on.joined(separator: " or "))\(m.avoid.isEmpty ? "" : " and not \(m.avoid.joined(separator: " or "))"), and no host qualifies; label a host or change `on`" }
            return "\(m.name) avoids every host (`avoid: [\(m.avoid.joined(separator: ", "))]`)"
        }
        let (q, need) = smallest(it)
        let largest = it.eligibleBins.map { p.bins[$0].capacity }.max()!
        if need > largest {
            let qualifier = it.quants.count > 1 ? " (smallest allowed)" : ""
            let fix = cheapestChange(mi, p, need: need, quant: q).map { "; \($0)" } ?? ""
            return "\(m.name) needs \(Units.gb(need)) at \(q.rawValue)\(qualifier); the largest instance\(where_(m)) holds \(Units.gb(largest))\(fix)"
        }
        let fitting = it.eligibleBins.filter { b in it.quants.contains { it.footprints[$0]!.total <= p.bins[b].capacity } }
        let slots = m.spreadHost ? Set(fitting.map { p.bins[$0].host }).count : fitting.count
        if slots < m.replicas {
            let unit = m.spreadHost ? "hosts" : "instances"
            return "\(m.name) wants \(m.replicas) copies on different \(unit); only \(slots) \(unit)\(where_(m)) can hold \(Units.gb(need)) at \(q.rawValue)"
        }
        return nil
    }

    /// The cheapest change that would let a model too large for every instance in, with the numbers:
    /// first those that keep its quantization (pool a Mac's instances, group GPUs into one instance,
    /// raise a Mac's wired limit), then a lower quantization than its list allows. Nil when none does.
    static func cheapestChange(_ mi: Int, _ p: PlacementProblem, need: Int64, quant q: Quant) -> String? {
        let it = p.items[mi], profile = p.profile
        let hosts = Set(it.eligibleBins.map { p.bins[$0].host }).sorted()
        // 1. One pooled budget instead of equal slices.
        for h in hosts {
            let l = p.layouts[h]
            guard l.isUnified, l.host.instances == nil, l.bins.count > 1 else { continue }
            let pooled = l.capacity - Int64(l.bins.count) * InstanceBuilder.metalMinimum
            if need <= pooled {
                return "pool \(l.host.name)'s \(l.bins.count) instances (`split: pooled` in the profile): they would share \(Units.gb(pooled)), enough for its \(Units.gb(need))"
            }
        }
        // 2. Several GPUs of one box behind one instance: the fewest consecutive cards whose layer split holds it.
        if let f = it.footprints[q], let layers = LayerSplit.copy(f, shape: it.shape, quant: q) {
            for h in hosts {
                let l = p.layouts[h]
                guard case .gpus(let gpus) = l.host.memory, gpus.count > 1 else { continue }
                let free = gpus.map { max(0, $0.vram - profile.gpuReserve) }
                for k in 2...gpus.count {
                    guard let start = (0...(gpus.count - k)).first(where: { LayerSplit.capacity(free: Array(free[$0..<($0 + k)]), overhead: layers.overhead) >= need }) else { continue }
                    let cap = LayerSplit.capacity(free: Array(free[start..<(start + k)]), overhead: layers.overhead)
                    let list = (start..<(start + k)).map(String.init).joined(separator: ", ")
                    return "give it \(k) GPUs of \(l.host.name) in one instance (`gpus_per_instance: \(k)` in the profile, or `instances: [{gpus: [\(list)]}]`): split by layers they hold \(Units.gb(cap))"
                }
            }
        }
        // 3. A Mac's working set raised to memory − reserve.
        for h in hosts {
            let l = p.layouts[h]
            guard let mem = l.memory, let reserve = l.reserve, let wired = l.wiredLimit, l.host.instances == nil, wired < mem - reserve else { continue }
            let usable = mem - reserve
            let n = Int64(l.bins.first?.pool.isEmpty == false ? 1 : l.bins.count)
            let slots = Int64(max(1, l.bins.first?.pool.count ?? 0))
            let cap = l.bins.first?.pool.isEmpty == false ? usable - slots * InstanceBuilder.metalMinimum : usable / n - InstanceBuilder.metalMinimum
            if need <= cap {
                return "raise \(l.host.name)'s GPU wired limit to \(Units.gb(usable)) (`raise_wired_limit: true`, then `sudo sysctl iogpu.wired_limit_mb=\((usable + Units.MiB - 1) / Units.MiB)`): its instances would hold \(Units.gb(cap))"
            }
        }
        // 4. A lower quantization than its list allows.
        let largest = it.eligibleBins.map { p.bins[$0].capacity }.max() ?? 0
        let others = Quant.allCases.filter { !it.quants.contains($0) && profile.quality($0) < profile.quality(q) }
            .sorted { (profile.quality($0), $0.rawValue) > (profile.quality($1), $1.rawValue) }
        for o in others {
            guard let f = PlacementProblem.footprint(it.spec, o, shape: it.shape, options: it.options, profile: profile), f.total <= largest else { continue }
            return "at \(o.rawValue), not in its quants, it would need \(Units.gb(f.total)) (add it to `quants`)"
        }
        return nil
    }

    /// Why an optional model stayed out of an optimal plan: on the instance where room is cheapest,
    /// the residents that would really have to go (the least priority whose memory makes room),
    /// not everything that happens to share an instance it fits.
    public static func unplaced(_ mi: Int, _ p: PlacementProblem, _ a: Assignment, residents given: Residents? = nil) -> String {
        if let r = alone(mi, p) { return r }
        let it = p.items[mi]
        let (q, need) = smallest(it)
        let copies = it.spec.replicas > 1 ? " × \(it.spec.replicas) copies" : ""
        let residents = given ?? Residents(p, a)
        // Instances by a lower bound on what making room costs (residents taken fractionally,
        // cheapest priority per byte first); the exact search stops once no bound can beat the best.
        var tries: [(bin: Int, shortfall: Int64, bound: Double)] = []
        for b in it.eligibleBins where p.bins[b].capacity >= need {
            let shortfall = need - (p.bins[b].capacity - residents.used[b])
            guard shortfall > 0 else { continue }
            tries.append((b, shortfall, residents.fractionalCost(b, shortfall)))
        }
        tries.sort { ($0.bound, $0.bin) < ($1.bound, $1.bin) }
        var best: (bin: Int, names: [(String, Int)], priority: Int)?
        for t in tries {
            if let b = best, t.bound > Double(b.priority) + 1e-9 { break }
            guard let gone = cheapestToRemove(residents.perBin[t.bin], shortfall: t.shortfall) else { continue }
            let pr = gone.reduce(0) { $0 + $1.1 }
            if best == nil || (pr, gone.count, t.bin) < (best!.priority, best!.names.count, best!.bin) { best = (t.bin, gone, pr) }
        }
        guard let best else {
            return "\(it.spec.name) needs \(Units.gb(need)) at \(q.rawValue)\(copies) and fits an empty instance, but no placement of all its copies was found beside the models placed"
        }
        let names = best.names.map { "\($0.0) (priority \($0.1))" }
        return "\(it.spec.name) (priority \(it.spec.priority)) needs \(Units.gb(need)) at \(q.rawValue)\(copies) and fits an empty instance, but the instances it fits are full: the cheapest room is on \(p.bins[best.bin].id), where it would displace \(list(names))" + (best.priority >= it.spec.priority ? ", worth as much priority or more" : "")
    }

    /// The copies on each instance (name, priority, bytes) and the bytes they use: built once per
    /// plan for every unplaced model's explanation.
    public struct Residents {
        public var perBin: [[(name: String, priority: Int, bytes: Int64)]]
        public var used: [Int64]
        public init(_ p: PlacementProblem, _ a: Assignment) {
            perBin = Array(repeating: [], count: p.bins.count)
            used = Array(repeating: 0, count: p.bins.count)
            for (oi, cs) in a.copies.enumerated() {
                for c in cs {
                    let f = p.items[oi].footprints[c.quant]!.total
                    perBin[c.bin].append((p.items[oi].spec.name, p.items[oi].spec.priority, f)); used[c.bin] += f
                }
            }
        }

        /// A lower bound on the priority that must leave bin `b` to free `shortfall` bytes.
        func fractionalCost(_ b: Int, _ shortfall: Int64) -> Double {
            var cost = 0.0, left = shortfall
            for r in perBin[b].sorted(by: { Double($0.priority) * Double($1.bytes) < Double($1.priority) * Double($0.bytes) }) {
                guard left > 0 else { break }
                let take = min(left, r.bytes)
                cost += Double(r.priority) * Double(take) / Double(max(1, r.bytes)); left -= take
            }
            return left > 0 ? .infinity : cost
        }
    }

    /// The residents of one instance with the least total priority (then the fewest) whose bytes
    /// cover `shortfall`: the complement of the residents worth most that fit in what is left, a
    /// 0-1 knapsack solved by the shared kernel (`Kernels/Knapsack`) — each kept resident is worth
    /// its priority plus 1/(n+1), so among equal priorities the fewest go.
    static func cheapestToRemove(_ rs: [(name: String, priority: Int, bytes: Int64)], shortfall: Int64) -> [(String, Int)]? {
        let sorted = rs.sorted { ($0.priority, $0.name) < ($1.priority, $1.name) }
        let total = sorted.reduce(Int64(0)) { $0 + $1.bytes }
        guard total >= shortfall else { return nil }
        let tie = 1 / Double(sorted.count + 1)
        // … and, among those, the first by (priority, name) goes: later residents are worth k·tie³ more.
        let r = Knapsack.solve(capacity: total - shortfall, groups: sorted.enumerated().map { k, x in
            [(footprint: x.bytes, profit: Double(x.priority) + tie + Double(k) * tie * tie * tie)]
        })
        let kept = Set((r.solutions.last ?? []).map(\.group))
        let pick = sorted.indices.filter { !kept.contains($0) }
        return pick.sorted { (-sorted[$0].priority, sorted[$0].name) < (-sorted[$1].priority, sorted[$1].name) }.map { (sorted[$0].name, sorted[$0].priority) }
    }

    /// Why the required models cannot all be placed.
    public static func infeasible(_ p: PlacementProblem) -> [String] {
        var out: [String] = []
        let required = p.items.indices.filter { p.items[$0].spec.required }
        for mi in required { if let r = alone(mi, p) { out.append("required model " + r) } }
        if !out.isEmpty { return out }
        // Group required models by the instances they may use; compare total need with capacity.
        var groups: [[Int]: [Int]] = [:]
        for mi in required { groups[p.items[mi].eligibleBins, default: []].append(mi) }
        for key in groups.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            let allowed = Set(key)
            let members = required.filter { Set(p.items[$0].eligibleBins).isSubset(of: allowed) }
            let need = members.reduce(Int64(0)) { $0 + smallest(p.items[$1]).1 * Int64(p.items[$1].spec.replicas) }
            let have = key.reduce(Int64(0)) { $0 + p.bins[$1].capacity }
            if need > have {
                let names = members.map { p.items[$0].spec.name }
                let who = names.count == 1 ? "required model \(names[0]) needs" : "required models \(list(names)) together need"
                let m0 = p.items[members[0]].spec
                let scope = !m0.on.isEmpty && members.allSatisfy({ p.items[$0].spec.on == m0.on }) ? " on hosts labelled \(m0.on.joined(separator: " or "))" : " on the instances they may use"
                out.append("\(who) \(Units.gb(need)) at their smallest allowed quantizations\(scope), which have \(Units.gb(have))")
            }
        }
        if out.isEmpty {
            let names = required.map { p.items[$0].spec.name }
            let need = required.reduce(Int64(0)) { $0 + smallest(p.items[$1]).1 * Int64(p.items[$1].spec.replicas) }
            let total = p.bins.reduce(Int64(0)) { $0 + $1.capacity }
            out.append("required models \(list(names)) need \(Units.gb(need)) in all and the instances hold \(Units.gb(total)), but no packing into the individual instances exists (GLPK proved it): add an instance, allow a smaller quantization, lower ctx, or make one optional")
        }
        return out
    }

    static func list(_ names: [String]) -> String {
        if names.count <= 1 { return names.joined() }
        if names.count > 6 { return names.prefix(5).joined(separator: ", ") + " and \(names.count - 5) more" }
        return names.dropLast().joined(separator: ", ") + " and " + names.last!
    }
}
