import Foundation

/// SPEC §4's first level on its own, then its second: coverage does not depend on the quant, so
/// every copy first takes its smallest quant and the models are packed for the most priority (a
/// multiple knapsack with eligibility: density-ordered best fit, then moves that make room for
/// unplaced models — shift a resident to another instance, swap out cheaper models). Then each
/// instance's quants are raised exactly: a multiple-choice knapsack over its residents.
///
/// `Greedy` places each copy at its best quant at once; on large clusters that spends the memory
/// coverage needs (34% below the bound at 2000x128x5 against this packer's fraction of a percent).
struct CoveragePacking {
    let p: PlacementProblem
    /// Per item: the smallest footprint and its quant; the bins where that fits (sorted).
    let size: [Int64]
    let smallest: [Quant]
    let eligible: [[Int]]
    let eligibleOn: [Set<Int>]
    /// Bins of equal kind (host labels) accept the same models.
    let binKind: [Int]
    /// Required models first, then by density (priority per byte of all copies).
    let order: [Int]
    let deadline: Deadline
    var free: [Int64]
    /// Per bin the items with a copy there; per item its bins.
    var residents: [[Int]]
    var placedOn: [[Int]]
    /// Counts every change to the packing; per model, the count when an exchange last failed for it
    /// (tried again only after the packing changed).
    var version = 0
    var exchangeFailedAt: [Int: (version: Int, level: Int)] = [:]

    init(_ p: PlacementProblem, deadline: Deadline) {
        self.p = p
        self.deadline = deadline
        var size = [Int64](repeating: .max, count: p.items.count)
        var smallest = [Quant](repeating: .f16, count: p.items.count)
        for c in p.candidates where c.footprint < size[c.item] || (c.footprint == size[c.item] && p.profile.quality(c.quant) > p.profile.quality(smallest[c.item])) {
            size[c.item] = c.footprint; smallest[c.item] = c.quant
        }
        var eligible = [[Int]](repeating: [], count: p.items.count)
        for c in p.candidates where c.quant == smallest[c.item] && c.footprint == size[c.item] { eligible[c.item].append(c.bin) }
        self.size = size; self.smallest = smallest
        self.eligible = eligible.map { Array(Set($0)).sorted() }
        eligibleOn = self.eligible.map(Set.init)
        var kinds: [[String]: Int] = [:]
        binKind = p.bins.map { b in
            let labels = p.layouts[b.host].host.labels.sorted()
            if let k = kinds[labels] { return k }
            kinds[labels] = kinds.count; return kinds.count - 1
        }
        order = p.items.indices.filter { size[$0] < .max }.sorted { a, b in
            let ra = p.items[a].spec.required, rb = p.items[b].spec.required
            if ra != rb { return ra }
            let da = Double(p.items[a].spec.priority) / Double(max(1, size[a]) * Int64(p.items[a].spec.replicas))
            let db = Double(p.items[b].spec.priority) / Double(max(1, size[b]) * Int64(p.items[b].spec.replicas))
            if da != db { return da > db }
            return a < b
        }
        free = p.bins.map(\.capacity)
        residents = Array(repeating: [], count: p.bins.count)
        placedOn = Array(repeating: [], count: p.items.count)
    }

    var timeUp: Bool { deadline.expired }

    func priority(_ mi: Int) -> Int { p.items[mi].spec.priority }

    /// Priority per byte of all its copies: the packing order.
    func density(_ mi: Int) -> Double { Double(priority(mi)) / Double(max(1, size[mi]) * Int64(p.items[mi].spec.replicas)) }

    mutating func put(_ mi: Int, _ b: Int) { free[b] -= size[mi]; residents[b].append(mi); placedOn[mi].append(b); version += 1 }
    mutating func take(_ mi: Int, _ b: Int) {
        version += 1
        free[b] += size[mi]
        residents[b].removeAll { $0 == mi }
        placedOn[mi].removeAll { $0 == b }
    }
    mutating func remove(_ mi: Int) { for b in placedOn[mi] { take(mi, b) } }

    /// Whether another copy of mi may go on b (one per instance; one per host with `spread: host`).
    func allowed(_ mi: Int, _ b: Int, except: Int? = nil) -> Bool {
        for o in placedOn[mi] where o != except {
            if o == b { return false }
            if p.items[mi].spec.spreadHost && p.bins[o].host == p.bins[b].host { return false }
        }
        return true
    }

    /// Every copy of an unplaced model by best fit; all or nothing.
    mutating func insert(_ mi: Int) -> Bool {
        for _ in 0..<p.items[mi].spec.replicas {
            var best: Int?
            for b in eligible[mi] where free[b] >= size[mi] && allowed(mi, b) {
                if best == nil || free[b] < free[best!] { best = b }
            }
            guard let b = best else { remove(mi); return false }
            put(mi, b)
        }
        return true
    }

    /// Like insert, but where no bin has room, first shifts one resident of a bin to another bin.
    mutating func insertShifting(_ mi: Int) -> Bool {
        if insert(mi) { return true }
        guard p.items[mi].spec.replicas == 1 else { return false }
        let s = size[mi]
        var best: (b: Int, r: Int, to: Int, slack: Int64)?
        for b in eligible[mi] where allowed(mi, b) {
            let deficit = s - free[b]
            for r in residents[b] where size[r] >= deficit {
                for to in eligible[r] where to != b && free[to] >= size[r] && allowed(r, to, except: b) {
                    let slack = free[to] - size[r]
                    if best == nil || slack < best!.slack { best = (b, r, to, slack) }
                }
            }
        }
        guard let m = best else { return false }
        take(m.r, m.b); put(m.r, m.to); put(mi, m.b)
        return true
    }

    /// Swaps out one or two cheaper single-copy models from a bin to make room for mi, then tries to
    /// place them again elsewhere; kept only when coverage rises.
    mutating func insertSwapping(_ mi: Int) -> Bool {
        guard p.items[mi].spec.replicas == 1 else { return false }
        let s = size[mi], prio = priority(mi)
        var best: (b: Int, out: [Int], lost: Int, spare: Int64)?
        func consider(_ b: Int, _ out: [Int], _ lost: Int, _ spare: Int64) {
            if best == nil || lost < best!.lost || (lost == best!.lost && spare > best!.spare) { best = (b, out, lost, spare) }
        }
        for b in eligible[mi] where allowed(mi, b) {
            let movable = residents[b].filter { !p.items[$0].spec.required && p.items[$0].spec.replicas == 1 && priority($0) < prio }
            for (x, r) in movable.enumerated() {
                if free[b] + size[r] >= s { consider(b, [r], priority(r), free[b] + size[r] - s); continue }
                for r2 in movable[(x + 1)...] where priority(r) + priority(r2) < prio && free[b] + size[r] + size[r2] >= s {
                    consider(b, [r, r2], priority(r) + priority(r2), free[b] + size[r] + size[r2] - s)
                }
            }
        }
        guard let m = best else { return false }
        for r in m.out { take(r, m.b) }
        put(mi, m.b)
        for r in m.out.sorted(by: { density($0) > density($1) }) { _ = insertShifting(r) }
        return true  // gain ≥ prio − lost > 0
    }

    /// Re-packs one bin exactly: its movable residents and every unplaced single-copy model that could
    /// go there, as a 0-1 knapsack on priority (required and multi-copy residents stay). Taken only when
    /// the bin gains priority; the models it lets go are placed elsewhere where they fit.
    mutating func refill(_ b: Int) -> Bool {
        let items = p.items
        func stays(_ mi: Int) -> Bool { items[mi].spec.required || items[mi].spec.replicas > 1 }
        let fixed = residents[b].filter(stays)
        let loose = residents[b].filter { !stays($0) }
        let cap = p.bins[b].capacity - fixed.reduce(0) { $0 + size[$1] }
        let current = loose.reduce(0) { $0 + priority($1) }
        var pool = loose
        for mi in unplaced where p.items[mi].spec.replicas == 1 && size[mi] <= cap && eligibleOn[mi].contains(b) { pool.append(mi) }
        guard pool.count > loose.count else { return false }
        let r = Knapsack.solve(capacity: cap, groups: pool.map { [(footprint: size[$0], profit: Double(priority($0)))] }, keep: 1, nodeLimit: 4000)
        guard r.value > Double(current) + 0.5, let sol = r.solutions.last else { return false }
        let chosen = Set(sol.map { pool[$0.group] })
        let evicted = loose.filter { !chosen.contains($0) }
        for mi in loose { take(mi, b) }
        for mi in pool where chosen.contains(mi) { put(mi, b) }
        for mi in evicted.sorted(by: { density($0) > density($1) || (density($0) == density($1) && $0 < $1) }) { _ = insertShifting(mi) }
        return true
    }

    /// Re-packs a few bins together: their movable residents and the densest unplaced single-copy
    /// models that could go there, as a small multiple knapsack (`MultiKnapsack`, to a node limit).
    /// Taken only when the bins gain priority; models let go are placed elsewhere where they fit.
    mutating func refill(group: [Int], level: Int) -> Bool {
        let items = p.items
        func stays(_ mi: Int) -> Bool { items[mi].spec.required || items[mi].spec.replicas > 1 }
        let loose = group.flatMap { b in residents[b].filter { !stays($0) } }
        let cap = group.map { b in p.bins[b].capacity - residents[b].filter(stays).reduce(0) { $0 + size[$1] } }
        let current = loose.reduce(0) { $0 + priority($1) }
        var pool = loose
        let widest = cap.max() ?? 0
        for mi in unplaced where pool.count < loose.count + Self.effort[level].pool {
            if p.items[mi].spec.replicas == 1 && size[mi] <= widest && group.contains(where: eligibleOn[mi].contains) { pool.append(mi) }
        }
        guard pool.count > loose.count else { return false }
        let r = MultiKnapsack.solve(sizes: pool.map { size[$0] }, values: pool.map(priority),
                                    allowed: pool.map { mi in group.indices.map { eligibleOn[mi].contains(group[$0]) } },
                                    capacities: cap, kind: group.map { binKind[$0] }, floor: current, nodeLimit: Self.effort[level].nodes)
        guard let r else { return false }
        var sets = [[Int]](repeating: [], count: group.count)
        for (i, k) in r.bin.enumerated() { if let k { sets[k].append(pool[i]) } }
        let best: (value: Int, sets: [[Int]])? = (r.value, sets)
        guard let m = best else { return false }
        for b in group { for mi in residents[b].filter({ !stays($0) }) { take(mi, b) } }
        for (k, b) in group.enumerated() { for mi in m.sets[k] { put(mi, b) } }
        let kept = Set(m.sets.joined())
        for mi in loose.filter({ !kept.contains($0) }).sorted(by: { density($0) > density($1) || (density($0) == density($1) && $0 < $1) }) { _ = insertShifting(mi) }
        return true
    }

    /// Lets none, one or two cheaper single-copy residents go (their priority together below u's) and
    /// packs unplaced u in, re-packing a group of instances from scratch (`MultiKnapsack.pack`):
    /// the residents' instances, then those u may use with the most room, up to `exchangeBins`
    /// (every instance on small clusters). The first exchange that packs is taken: coverage rises by
    /// the difference. Finds what one-for-one swaps miss when the room must be gathered from several
    /// instances (100x12x3: 334 → 335, the bound).
    mutating func exchange(_ u: Int, level: Int) -> Bool {
        let items = p.items
        guard items[u].spec.replicas == 1, !eligible[u].isEmpty else { return false }
        if let f = exchangeFailedAt[u], f.version == version, f.level >= level { return false }
        let pu = priority(u)
        let cheap = order.filter { mi in
            !placedOn[mi].isEmpty && items[mi].spec.replicas == 1 && !items[mi].spec.required && priority(mi) < pu
        }.sorted { priority($0) < priority($1) || (priority($0) == priority($1) && (size[$0] > size[$1] || (size[$0] == size[$1] && $0 < $1))) }
        // The empty out-set first: the room may be gathered from the holes alone.
        var outs: [(set: [Int], lost: Int, freed: Int64)] = [([], 0, 0)] + cheap.map { ([$0], priority($0), size[$0]) }
        let few = cheap.prefix(Self.exchangePairsFrom)
        for (x, r) in few.enumerated() {
            for r2 in few.dropFirst(x + 1) where priority(r) + priority(r2) < pu { outs.append(([r, r2], priority(r) + priority(r2), size[r] + size[r2])) }
        }
        outs.sort { $0.lost < $1.lost || ($0.lost == $1.lost && ($0.freed > $1.freed || ($0.freed == $1.freed && $0.set.lexicographicallyPrecedes($1.set)))) }
        let byRoom = eligible[u].sorted { free[$0] > free[$1] || (free[$0] == free[$1] && $0 < $1) }
        var tries = 0
        for o in outs.prefix(8 * Self.exchangeTries) {  // the cheapest out-sets; most fail the room check
            if tries >= Self.exchangeTries || timeUp { break }
            var group: [Int]
            if p.bins.count <= Self.exchangeBins { group = Array(p.bins.indices) } else {
                group = Array(Set(o.set.flatMap { placedOn[$0] }))
                for b in byRoom where group.count < Self.exchangeBins && !group.contains(b) { group.append(b) }
                group.sort()
            }
            guard group.contains(where: eligibleOn[u].contains),
                  group.reduce(Int64(0), { $0 + free[$1] }) + o.freed >= size[u] else { continue }
            tries += 1
            func moves(_ mi: Int) -> Bool { items[mi].spec.replicas == 1 }
            let pool = group.flatMap { b in residents[b].filter { moves($0) && !o.set.contains($0) } } + [u]
            let caps = group.map { b in p.bins[b].capacity - residents[b].filter { !moves($0) }.reduce(0) { $0 + size[$1] } }
            let allowedIn = pool.map { mi in group.map { eligibleOn[mi].contains($0) } }
            guard let at = MultiKnapsack.pack(sizes: pool.map { size[$0] }, allowed: allowedIn, capacities: caps,
                                              kind: group.map { binKind[$0] }, nodeLimit: Self.exchangeNodes,
                                              subsetLimit: exchangeSubsets) else { continue }
            for b in group { for mi in residents[b].filter(moves) { take(mi, b) } }
            for (i, mi) in pool.enumerated() { put(mi, group[at[i]]) }
            return true
        }
        if !timeUp { exchangeFailedAt[u] = (version, level) }
        return false
    }

    /// Exchange moves: out-sets tried per unplaced model, pairs formed among the cheapest residents,
    /// instances re-packed together, and the re-pack's node limit.
    static let exchangeTries = 12
    static let exchangePairsFrom = 24
    static let exchangeBins = 12
    static let exchangeNodes = 30_000
    /// Subsets looked at per instance in the re-pack: thorough on up to 64 instances, where the
    /// exchanges converge within the time (500x40x5: 1736, against 1733 with 150 or with rising
    /// effort), coarse and fast beyond, where time runs out first (2000x128x5: 6385 against 6377).
    var exchangeSubsets: Int { p.bins.count <= 64 ? 4000 : 150 }

    /// Unplaced models offered to a group re-pack (the densest first) and its branch-and-bound nodes,
    /// by effort level: when a round at one level brings nothing, the next level searches wider.
    static let effort: [(pool: Int, nodes: Int)] = [(40, 3000), (120, 10_000), (120, 30_000)]
    /// Most bin groups tried per pass and group size (all of them on small clusters).
    static let groupsPerPass = 2000

    /// The groups of `size` bins for one pass: all when there are few, else a fixed-seed sample.
    func groups(of size: Int, pass: Int) -> [[Int]] {
        let n = p.bins.count
        guard size <= n else { return [] }
        var all: [[Int]] = []
        func rec(_ from: Int, _ g: [Int]) {
            if all.count > Self.groupsPerPass { return }
            if g.count == size { all.append(g); return }
            guard from < n else { return }
            for b in from..<n { rec(b + 1, g + [b]) }
        }
        rec(0, [])
        if all.count <= Self.groupsPerPass { return all }
        var rng = SplitMix64(seed: 0xBA5E_0000 &+ UInt64(pass * 8 + size))
        return (0..<Self.groupsPerPass).compactMap { _ in
            let g = Set((0..<size).map { _ in Int(rng.next() % UInt64(n)) })
            return g.count == size ? g.sorted() : nil
        }
    }

    /// Unplaced models in packing order.
    var unplaced: [Int] { order.filter { placedOn[$0].isEmpty } }

    /// Packs for coverage: required models, then by density; then passes of repair moves.
    mutating func pack() {
        for mi in order { _ = insert(mi) || (p.items[mi].spec.required && insertShifting(mi)) }
        repair()
    }

    /// Takes a valid placement as the packing (every copy at its smallest quant). False when a copy
    /// sits where the smallest quant is not a candidate: the packer cannot represent it.
    mutating func load(_ a: Assignment) -> Bool {
        for (mi, cs) in a.copies.enumerated() {
            for c in cs {
                guard eligibleOn[mi].contains(c.bin) else { return false }
                put(mi, c.bin)
            }
        }
        return true
    }

    /// Rounds of repair moves until one brings nothing at the highest effort, or time is up.
    mutating func repair() {
        // Rounds of moves until a whole round brings nothing: shifts and swaps for each unplaced model,
        // single-bin re-packs (first round only: later rounds rarely find any), then groups of 2 bins,
        // exchanges (before the costlier groups of 3 and 4: at 2000x128x5 they gain more per second),
        // then groups of 3, 4 bins, at rising effort.
        var improved = true, round = 0, level = 0
        while improved && !timeUp {
            improved = false
            for mi in order where placedOn[mi].isEmpty {
                if timeUp { break }
                if insertShifting(mi) || insertSwapping(mi) { improved = true }
            }
            if round == 0 {
                for b in p.bins.indices where !timeUp {
                    if refill(b) { improved = true }
                }
            }
            round += 1
            for k in 2...4 where !improved {
                for g in groups(of: k, pass: round) where !timeUp {
                    if refill(group: g, level: level) { improved = true }
                }
                if k == 2 && !improved {
                    for mi in unplaced where !timeUp { if exchange(mi, level: level) { improved = true } }
                }
            }
            if !improved && level + 1 < Self.effort.count { level += 1; improved = true }
        }
    }

    /// The packing, every copy at its smallest quant.
    func assignment() -> Assignment {
        var copies = [[Assignment.Copy]](repeating: [], count: p.items.count)
        for (mi, bins) in placedOn.enumerated() { copies[mi] = bins.sorted().map { .init(bin: $0, quant: smallest[mi]) } }
        return Assignment(copies: copies)
    }

    /// Each instance's quants raised to the best combination for its residents that fits: per
    /// instance a multiple-choice knapsack (exactly one quant per resident), solved by `Knapsack`.
    /// Which model sits where, and so coverage, is kept.
    static func raise(_ a: Assignment, _ p: PlacementProblem) -> Assignment {
        var residents = [[Int]](repeating: [], count: p.bins.count)
        var placed = [Set<Int>](repeating: [], count: p.items.count)
        for (mi, cs) in a.copies.enumerated() { for c in cs { residents[c.bin].append(mi); placed[mi].insert(c.bin) } }
        // Per bin: its residents' candidate quants there, in one pass over the candidates.
        var options = [[Int: [(quant: Quant, footprint: Int64, weight: Double)]]](repeating: [:], count: p.bins.count)
        for c in p.candidates where placed[c.item].contains(c.bin) { options[c.bin][c.item, default: []].append((c.quant, c.footprint, c.weight)) }
        var copies = [[Assignment.Copy]](repeating: [], count: p.items.count)
        for b in p.bins.indices where !residents[b].isEmpty {
            let items = residents[b].sorted()
            // The smallest option of each is paid for; the groups offer the upgrades from there.
            let base = items.map { mi in options[b][mi]!.min { $0.footprint < $1.footprint || ($0.footprint == $1.footprint && $0.weight > $1.weight) }! }
            let room = p.bins[b].capacity - base.reduce(0) { $0 + $1.footprint }
            var pick = base.map(\.quant)
            if room >= 0 {
                let groups = items.enumerated().map { k, mi in
                    options[b][mi]!.map { (footprint: $0.footprint - base[k].footprint, profit: $0.weight - base[k].weight) }
                }
                let r = Knapsack.solve(capacity: room, groups: groups, keep: 1, nodeLimit: 20_000)
                if let sol = r.solutions.last { for (g, o) in sol { pick[g] = options[b][items[g]]![o].quant } }
            }
            for (k, mi) in items.enumerated() { copies[mi].append(.init(bin: b, quant: pick[k])) }
        }
        for i in copies.indices { copies[i].sort { $0.bin < $1.bin } }
        // Never worse than what came in (the knapsack may stop at its node limit).
        return Assignment(copies: copies).quality(p) >= a.quality(p) - 1e-12 || !a.violations(p).isEmpty ? Assignment(copies: copies) : a
    }

    /// Repair moves from a valid placement (e.g. one from neighbourhood search, which finds other
    /// packings than this packer), then quants raised; `a` itself when nothing gains coverage.
    static func improve(_ a: Assignment, _ p: PlacementProblem, deadline: Deadline) -> Assignment {
        var s = CoveragePacking(p, deadline: deadline)
        guard a.violations(p).isEmpty, s.load(a) else { return a }
        let before = a.coverage(p)
        s.repair()
        let b = raise(s.assignment(), p)
        return b.violations(p).isEmpty && b.coverage(p) > before ? b : a
    }

    /// Packs for coverage, then raises quants.
    static func solve(_ p: PlacementProblem, deadline: Deadline) -> Assignment {
        var s = CoveragePacking(p, deadline: deadline)
        s.pack()
        return raise(s.assignment(), p)
    }
}
