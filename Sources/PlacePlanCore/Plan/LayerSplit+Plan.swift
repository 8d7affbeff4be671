/// After the solve: the copies of every multi-GPU instance dealt to its cards (SPEC §3), so the
/// plan can give `per_gpu_bytes` and never claims a fit it has not checked card by card.
extension LayerSplit {
    /// The copies on bin `b` (item index, quant) and each one's bytes per card (nil: not dealt).
    public static func dealt(_ p: PlacementProblem, _ a: Assignment, bin b: Int) -> [(item: Int, quant: Quant, perGPU: [Int64]?)] {
        var here: [(Int, Quant)] = []
        for (mi, cs) in a.copies.enumerated() { for c in cs where c.bin == b { here.append((mi, c.quant)) } }
        here.sort { p.items[$0.0].spec.name < p.items[$1.0].spec.name }
        let result = deal(here.map { (p.items[$0.0].footprints[$0.1]!.total, p.items[$0.0].layers[$0.1]) }, free: p.bins[b].gpuFree)
        return zip(here, result).map { ($0.0.0, $0.0.1, $0.1) }
    }

    /// Drops every copy of a model one of whose copies could not be dealt (a model is served with all
    /// its replicas or not at all, SPEC §4); the plan is then `feasible` at best. Returns why each
    /// dropped model went.
    public static func verify(_ p: PlacementProblem, _ o: SolveOutcome) -> (SolveOutcome, [Int: String]) {
        guard o.status != .infeasible, p.bins.contains(where: \.isMultiGPU) else { return (o, [:]) }
        var dropped: [Int: String] = [:]
        var a = o.assignment
        // Dropping a copy only frees room, so one pass in bin order reaches a dealable placement.
        for b in p.bins.indices where p.bins[b].isMultiGPU {
            for d in dealt(p, a, bin: b) where d.perGPU == nil {
                let free = p.bins[b].gpuFree.map { Units.gb($0) }.joined(separator: " + ")
                dropped[d.item] = "\(p.items[d.item].spec.name) at \(d.quant.rawValue) fits \(p.bins[b].id)'s total but could not be dealt by layers to its GPUs (\(free) free): dropped so that the plan claims only what was checked card by card"
                a.copies[d.item] = []
            }
        }
        guard !dropped.isEmpty else { return (o, [:]) }
        var out = o
        out.assignment = a
        out.coverage = a.coverage(p); out.quality = a.quality(p)
        out.status = dropped.keys.contains { p.items[$0].spec.required } ? .infeasible : .feasible
        out.method += "+layer-split"
        return (out, dropped)
    }
}
