/// One quantization per model per host.
///
/// The instances of a host share one model store (`OLLAMA_MODELS`), where a name such as
/// `llama3:8b` is one manifest: two copies of a model on one host cannot hold different
/// quantizations under the name clients ask for. SPEC §4 lets every copy choose its quant, so
/// after solving, copies of one model on one host that differ are all set to one quant: the
/// best-quality allowed quant that still fits every one of their instances (at worst the smallest
/// of their footprints, which fits wherever the larger one did, every other copy on that instance
/// staying as it was). Copies on different hosts keep their own quants (each host
/// has its own store and its own Modelfiles). When this lowers the quality, the plan can no
/// longer claim the unconstrained optimum: the status drops to `feasible` and the bound stays
/// the unconstrained one (still an upper bound of the constrained problem).
public enum SameHostQuant {
    public static func unify(_ p: PlacementProblem, _ o: SolveOutcome) -> SolveOutcome {
        guard o.status != .infeasible else { return o }
        var out = o
        var changed = false
        for (mi, cs) in o.assignment.copies.enumerated() where cs.count > 1 {
            let it = p.items[mi]
            var byHost: [Int: [Int]] = [:]
            for (k, c) in cs.enumerated() { byHost[p.bins[c.bin].host, default: []].append(k) }
            for (_, ks) in byHost where Set(ks.map { cs[$0].quant }).count > 1 {
                let quants = ks.map { cs[$0].quant }
                let smallest = quants.min { a, b in
                    let fa = it.footprints[a]!.total, fb = it.footprints[b]!.total
                    return fa != fb ? fa < fb : (p.profile.quality(a), a.rawValue) < (p.profile.quality(b), b.rawValue)
                }!
                // Room on each instance once this model's copy is taken out.
                let used = usage(p, out.assignment)
                func fitsEverywhere(_ q: Quant) -> Bool {
                    ks.allSatisfy { k in
                        let c = out.assignment.copies[mi][k]
                        return used[c.bin] - it.footprints[c.quant]!.total + it.footprints[q]!.total <= p.bins[c.bin].capacity
                    }
                }
                let ranked = it.quants.sorted { (p.profile.quality($0), $0.rawValue) > (p.profile.quality($1), $1.rawValue) }
                let chosen = ranked.first(where: fitsEverywhere) ?? smallest
                for k in ks { out.assignment.copies[mi][k].quant = chosen }
                changed = true
            }
        }
        guard changed else { return o }
        // Valid by construction (each footprint shrinks or the room was checked); never return worse than given.
        guard out.assignment.violations(p).isEmpty else { return o }
        out.quality = out.assignment.quality(p)
        if out.quality < o.quality - 1e-9 {
            if out.status == .optimal { out.status = .feasible }
            out.method += "+same-host-quant"
        }
        return out
    }

    static func usage(_ p: PlacementProblem, _ a: Assignment) -> [Int64] {
        var used = [Int64](repeating: 0, count: p.bins.count)
        for (mi, cs) in a.copies.enumerated() { for c in cs { used[c.bin] += p.items[mi].footprints[c.quant]!.total } }
        return used
    }
}
