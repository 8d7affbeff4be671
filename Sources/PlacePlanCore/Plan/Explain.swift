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
            return "\(m.name) needs \(Units.gb(need)) at \(q.rawValue)\(qualifier); the largest instance\(where_(m)) holds \(Units.gb(largest))"
        }
        let fitting = it.eligibleBins.filter { b in it.quants.contains { it.footprints[$0]!.total <= p.bins[b].capacity } }
        let slots = m.spreadHost ? Set(fitting.map { p.bins[$0].host }).count : fitting.count
        if slots < m.replicas {
            let unit = m.spreadHost ? "hosts" : "instances"
            return "\(m.name) wants \(m.replicas) copies on different \(unit); only \(slots) \(unit)\(where_(m)) can hold \(Units.gb(need)) at \(q.rawValue)"
        }
        return nil
    }

    /// Why an optional model stayed out of an optimal plan: on the instance where room is cheapest,
    /// the residents that would really have to go (the least priority whose memory makes room),
    /// not everything that happens to share an instance it fits.
    public static func unplaced(_ mi: Int, _ p: PlacementProblem, _ a: Assignment) -> String {
        if let r = alone(mi, p) { return r }
        let it = p.items[mi]
        let (q, need) = smallest(it)
        let copies = it.spec.replicas > 1 ? " × \(it.spec.replicas) copies" : ""
        var residents = [[(name: String, priority: Int, bytes: Int64)]](repeating: [], count: p.bins.count)
        for (oi, cs) in a.copies.enumerated() where oi != mi {
            for c in cs { residents[c.bin].append((p.items[oi].spec.name, p.items[oi].spec.priority, p.items[oi].footprints[c.quant]!.total)) }
        }
        var best: (bin: Int, names: [(String, Int)], priority: Int)?
        for b in it.eligibleBins where p.bins[b].capacity >= need {
            let used = residents[b].reduce(Int64(0)) { $0 + $1.bytes }
            let shortfall = need - (p.bins[b].capacity - used)
            guard shortfall > 0 else { continue }
            guard let gone = cheapestToRemove(residents[b], shortfall: shortfall) else { continue }
            let pr = gone.reduce(0) { $0 + $1.1 }
            if best == nil || (pr, gone.count) < (best!.priority, best!.names.count) { best = (b, gone, pr) }
        }
        guard let best else {
            return "\(it.spec.name) needs \(Units.gb(need)) at \(q.rawValue)\(copies) and fits an empty instance, but no placement of all its copies was found beside the models placed"
        }
        let names = best.names.map { "\($0.0) (priority \($0.1))" }
        return "\(it.spec.name) (priority \(it.spec.priority)) needs \(Units.gb(need)) at \(q.rawValue)\(copies) and fits an empty instance, but the instances it fits are full: the cheapest room is on \(p.bins[best.bin].id), where it would displace \(list(names))" + (best.priority >= it.spec.priority ? ", worth as much priority or more" : "")
    }

    /// The residents of one instance with the least total priority (then the fewest) whose bytes
    /// cover `shortfall`; exhaustive for up to 16 residents, else cheapest priority per byte first.
    static func cheapestToRemove(_ rs: [(name: String, priority: Int, bytes: Int64)], shortfall: Int64) -> [(String, Int)]? {
        let sorted = rs.sorted { ($0.priority, $0.name) < ($1.priority, $1.name) }
        guard sorted.reduce(Int64(0), { $0 + $1.bytes }) >= shortfall else { return nil }
        var pick: [Int] = []
        if sorted.count <= 16 {
            var bestKey: (Int, Int)?
            for mask in 1..<(1 << sorted.count) {
                var bytes: Int64 = 0, pr = 0, n = 0
                for k in sorted.indices where mask & (1 << k) != 0 { bytes += sorted[k].bytes; pr += sorted[k].priority; n += 1 }
                if bytes >= shortfall, bestKey == nil || (pr, n) < bestKey! {
                    bestKey = (pr, n); pick = sorted.indices.filter { mask & (1 << $0) != 0 }
                }
            }
        } else {
            let order = sorted.indices.sorted { Double(sorted[$0].priority) / Double(max(1, sorted[$0].bytes)) < Double(sorted[$1].priority) / Double(max(1, sorted[$1].bytes)) }
            var bytes: Int64 = 0
            for k in order where bytes < shortfall { pick.append(k); bytes += sorted[k].bytes }
        }
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
