/// `replan`: the changed cluster's plan, moving as few copies as its symmetry allows, and the
/// order of the moves (SPEC §9).
///
/// The solve itself is the ordinary one (best coverage, then quality). Most gratuitous moves come
/// from symmetry: instances of one host with the same capacity and cards are interchangeable, so
/// a solver may put the same set of models on them in another order. `align` undoes that: within
/// each class of interchangeable instances it gives every instance the new contents that overlap
/// most with what the old plan ran there (an assignment problem, solved exactly for classes of
/// up to 8 instances by enumeration and greedily above). Contents move whole, so capacities,
/// `on`/`avoid`, one copy per instance and `spread: host` hold as before. Coverage and quality are
/// unchanged; only who-is-where changes.
public enum Replan {
    /// One copy in the old plan: (model, quant) on an instance id.
    public struct Copy: Hashable, Sendable { public var model: String; public var quant: String; public var instance: String }

    public static func oldCopies(_ old: Plan) -> [Copy] {
        old.placements.map { Copy(model: $0.model.name, quant: $0.model.quant, instance: $0.instance.id) }
    }

    /// The assignment with bin contents permuted within classes of interchangeable bins to keep as
    /// many old copies in place as possible.
    public static func align(_ p: PlacementProblem, _ a: Assignment, old: Plan) -> Assignment {
        let was = Set(oldCopies(old).map { "\($0.model)\u{0}\($0.quant)\u{0}\($0.instance)" })
        var contents = [[(item: Int, k: Int)]](repeating: [], count: p.bins.count)
        for (mi, cs) in a.copies.enumerated() { for (k, c) in cs.enumerated() { contents[c.bin].append((mi, k)) } }
        // Classes: same host, capacity, cards; pooled bins are their own class.
        var classes: [String: [Int]] = [:]
        for (b, bin) in p.bins.enumerated() {
            let l = p.layouts[bin.host]
            let cards = bin.gpus.map { g -> String in
                if case .gpus(let gs) = l.host.memory, g < gs.count { return "\(gs[g].name)/\(gs[g].vram)" }
                return "?"
            }
            let key = bin.pool.isEmpty ? "\(bin.host)|\(bin.capacity)|\(cards.joined(separator: ","))|\(bin.explicitCapacity)" : "pool\(b)"
            classes[key, default: []].append(b)
        }
        var out = a
        for key in classes.keys.sorted() {
            let bins = classes[key]!
            guard bins.count > 1 else { continue }
            // score[i][j]: old copies kept if bin i's new contents go to bin j.
            let score = bins.map { i in
                bins.map { j in
                    contents[i].filter { e in
                        let c = a.copies[e.item][e.k]
                        return was.contains("\(p.items[e.item].spec.name)\u{0}\(c.quant.rawValue)\u{0}\(p.bins[j].id)")
                    }.count
                }
            }
            let perm = bestAssignment(score)
            guard perm != Array(bins.indices) else { continue }
            for (i, j) in perm.enumerated() where i != j {
                for e in contents[bins[i]] { out.copies[e.item][e.k].bin = bins[j] }
            }
        }
        return out
    }

    /// After `align`: moves single copies back to where the old plan ran them, at the quant they ran
    /// there (SPEC §9 ranks fewer moves above quality, so quality may drop; coverage never does),
    /// directly when that instance has room, or by swapping with a copy that is itself not in its
    /// old place (same quant). Every step keeps capacities,
    /// `on`/`avoid`, one copy per instance and `spread: host`. Repeats until nothing improves.
    public static func restore(_ p: PlacementProblem, _ a: Assignment, old: Plan) -> Assignment {
        let binOf = Dictionary(p.bins.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { x, _ in x })
        let itemOf = Dictionary(p.items.enumerated().map { ($0.element.spec.name, $0.offset) }, uniquingKeysWith: { x, _ in x })
        // model index → old (bin, quant) places
        var oldAt: [Int: [(bin: Int, quant: String)]] = [:]
        for c in oldCopies(old) { if let mi = itemOf[c.model], let b = binOf[c.instance] { oldAt[mi, default: []].append((b, c.quant)) } }
        var out = a
        var used = [Int64](repeating: 0, count: p.bins.count)
        for (mi, cs) in out.copies.enumerated() { for c in cs { used[c.bin] += p.items[mi].footprints[c.quant]!.total } }
        func fp(_ mi: Int, _ k: Int) -> Int64 { p.items[mi].footprints[out.copies[mi][k].quant]!.total }
        func stays(_ mi: Int, _ k: Int) -> Bool {
            let c = out.copies[mi][k]
            return (oldAt[mi] ?? []).contains { $0.bin == c.bin && $0.quant == c.quant.rawValue }
        }
        func canHost(_ mi: Int, _ k: Int, _ b: Int, ignoring other: (Int, Int)? = nil) -> Bool {
            let it = p.items[mi]
            guard it.eligibleBins.contains(b), p.bins[b].capacity > 0 else { return false }
            for (j, c) in out.copies[mi].enumerated() where j != k {
                if c.bin == b { return false }
                if it.spec.spreadHost, p.bins[c.bin].host == p.bins[b].host { return false }
            }
            return true
        }
        func onBin(_ b: Int) -> [(Int, Int)] {
            var r: [(Int, Int)] = []
            for (mi, cs) in out.copies.enumerated() { for (k, c) in cs.enumerated() where c.bin == b { r.append((mi, k)) } }
            return r
        }
        var improved = true, rounds = 0
        while improved && rounds < 20 {
            improved = false; rounds += 1
            for mi in out.copies.indices {
                for k in out.copies[mi].indices where !stays(mi, k) {
                    let from = out.copies[mi][k].bin, f = fp(mi, k)
                    for target in (oldAt[mi] ?? []) {
                        // SPEC §9: fewer moves rank above quality, so the copy may go back at its old quant.
                        guard let oldQ = Quant(rawValue: target.quant), p.items[mi].quants.contains(oldQ),
                              let fOld = p.items[mi].footprints[oldQ]?.total else { continue }
                        let t = target.bin
                        if t == from {
                            // Same instance, other quant: back to the old quant when it fits.
                            if oldQ != out.copies[mi][k].quant, used[t] - f + fOld <= p.bins[t].capacity {
                                used[t] += fOld - f; out.copies[mi][k].quant = oldQ; improved = true; break
                            }
                            continue
                        }
                        guard canHost(mi, k, t) else { continue }
                        if used[t] + fOld <= p.bins[t].capacity {
                            used[t] += fOld; used[from] -= f; out.copies[mi][k].bin = t; out.copies[mi][k].quant = oldQ; improved = true; break
                        }
                        guard oldQ == out.copies[mi][k].quant else { continue }
                        // Swap with a copy on t that is not in its old place and fits where this one was.
                        if let (mj, kj) = onBin(t).first(where: { (mj, kj) in
                            mj != mi && !stays(mj, kj) && canHost(mj, kj, from)
                                && used[t] - fp(mj, kj) + f <= p.bins[t].capacity && used[from] - f + fp(mj, kj) <= p.bins[from].capacity
                                && !out.copies[mi].enumerated().contains { $0.offset != k && $0.element.bin == t }
                        }) {
                            let g = fp(mj, kj)
                            used[t] += f - g; used[from] += g - f
                            out.copies[mi][k].bin = t; out.copies[mj][kj].bin = from
                            improved = true; break
                        }
                    }
                }
            }
        }
        return out
    }

    /// A permutation maximizing Σ score[i][perm[i]], ties to the identity (exact up to 8, greedy above).
    static func bestAssignment(_ score: [[Int]]) -> [Int] {
        let n = score.count
        func total(_ perm: [Int]) -> Int { perm.enumerated().reduce(0) { $0 + score[$1.offset][$1.element] } }
        var best = Array(0..<n), bestScore = total(best)
        if n <= 8 {
            var perm = Array(0..<n), used = [Bool](repeating: false, count: n)
            func go(_ i: Int, _ s: Int) {
                if i == n { if s > bestScore { bestScore = s; best = perm }; return }
                for j in 0..<n where !used[j] {
                    used[j] = true; perm[i] = j
                    go(i + 1, s + score[i][j])
                    used[j] = false
                }
            }
            go(0, 0)
            return best
        }
        var perm = [Int](repeating: -1, count: n), taken = [Bool](repeating: false, count: n)
        let pairs = (0..<n).flatMap { i in (0..<n).map { (i, $0) } }.sorted { (score[$0.0][$0.1], $1.0, $1.1) > (score[$1.0][$1.1], $0.0, $0.1) }
        for (i, j) in pairs where perm[i] < 0 && !taken[j] { perm[i] = j; taken[j] = true }
        return total(perm) > bestScore ? perm : best
    }

    /// The ordered moves from `old` to `new` (SPEC §9): copies that stay are not moves; a model's
    /// removed and added copies are paired into moves; pure unloads go first (they only free
    /// memory), then every move whose new copy fits is loaded before its old copy is unloaded, and
    /// when none fits, the move that frees the most is drained first (its model is briefly
    /// unavailable when it has no other copy running). No instance ever holds more than its
    /// capacity at any step — checked here, step by step.
    public static func moves(from old: Plan, to new: Plan) -> [Plan.Move] {
        func key(_ h: Plan.Host, _ i: Plan.Instance, _ m: Plan.PlacedModel) -> String { "\(m.name)\u{0}\(m.quant)\u{0}\(i.id)" }
        let oldSet = Dictionary(old.placements.map { (key($0.host, $0.instance, $0.model), $0) }, uniquingKeysWith: { a, _ in a })
        let newSet = Dictionary(new.placements.map { (key($0.host, $0.instance, $0.model), $0) }, uniquingKeysWith: { a, _ in a })
        var removed: [String: [(instance: String, bytes: Int64, quant: String)]] = [:]
        var added: [String: [(instance: String, bytes: Int64, quant: String)]] = [:]
        for (k, v) in oldSet where newSet[k] == nil { removed[v.model.name, default: []].append((v.instance.id, v.model.footprint_bytes, v.model.quant)) }
        for (k, v) in newSet where oldSet[k] == nil { added[v.model.name, default: []].append((v.instance.id, v.model.footprint_bytes, v.model.quant)) }
        struct Pending { var model: String; var quant: String; var from: String?; var fromBytes: Int64; var to: String?; var toBytes: Int64 }
        var pending: [Pending] = []
        for model in Set(removed.keys).union(added.keys).sorted() {
            let r = (removed[model] ?? []).sorted { $0.instance < $1.instance }, a = (added[model] ?? []).sorted { $0.instance < $1.instance }
            for k in 0..<max(r.count, a.count) {
                pending.append(Pending(model: model, quant: k < a.count ? a[k].quant : r[k].quant,
                                       from: k < r.count ? r[k].instance : nil, fromBytes: k < r.count ? r[k].bytes : 0,
                                       to: k < a.count ? a[k].instance : nil, toBytes: k < a.count ? a[k].bytes : 0))
            }
        }
        // Memory in use per instance of the new plan, starting from what the old plan runs there.
        var capacity: [String: Int64] = [:], used: [String: Int64] = [:]
        for h in new.hosts { for i in h.instances { capacity[i.id] = i.capacity_bytes; used[i.id] = 0 } }
        for (_, i, m) in old.placements where used[i.id] != nil { used[i.id]! += m.footprint_bytes }
        var running: [String: Int] = [:]
        for (_, _, m) in old.placements { running[m.name, default: 0] += 1 }
        var out: [Plan.Move] = []
        func record(_ p: Pending, drain: Bool) {
            let unavailable = drain && (running[p.model] ?? 0) <= 1 && p.to != nil
            out.append(Plan.Move(step: out.count + 1, model: p.model, quant: p.quant, from: p.from, to: p.to,
                                 drain_first: drain ? true : nil, briefly_unavailable: unavailable ? true : nil))
        }
        // 1. Pure unloads.
        for p in pending where p.to == nil {
            if let f = p.from, used[f] != nil { used[f]! -= p.fromBytes }
            running[p.model, default: 1] -= 1
            record(p, drain: false)
        }
        var left = pending.filter { $0.to != nil }
        while !left.isEmpty {
            // 2. The first move (in model order) whose new copy fits now: load, then unload the old.
            if let k = left.firstIndex(where: { used[$0.to!, default: 0] + $0.toBytes <= capacity[$0.to!, default: 0] }) {
                let p = left.remove(at: k)
                used[p.to!, default: 0] += p.toBytes
                if let f = p.from, used[f] != nil { used[f]! -= p.fromBytes }
                record(p, drain: false)
                continue
            }
            // 3. None fits: drain the move that frees the most on an instance someone waits for.
            let waiting = Set(left.map { $0.to! })
            let drainable = left.indices.filter { left[$0].from.map { waiting.contains($0) } ?? false }
            guard let k = drainable.max(by: { (left[$0].fromBytes, -$0) < (left[$1].fromBytes, -$1) }) else {
                // Nothing frees the room this plan needs (cannot happen for a valid plan); record in order.
                for p in left { record(p, drain: true) }
                break
            }
            var p = left.remove(at: k)
            if let f = p.from { used[f]! -= p.fromBytes }
            running[p.model, default: 1] -= 1
            // Its own load waits until it fits; keep it pending as a pure load.
            if used[p.to!, default: 0] + p.toBytes <= capacity[p.to!, default: 0] {
                used[p.to!, default: 0] += p.toBytes
                record(p, drain: true)
                running[p.model, default: 0] += 1
            } else {
                out.append(Plan.Move(step: out.count + 1, model: p.model, quant: p.quant, from: p.from, to: nil, drain_first: true,
                                     briefly_unavailable: (running[p.model] ?? 0) < 1 ? true : nil))
                p.from = nil; p.fromBytes = 0
                left.append(p)
            }
        }
        return out
    }

    /// Replays `moves` over the old plan's usage and returns the first step that overfills an
    /// instance of the new plan (nil when none does): the check the tests run step by step.
    public static func firstOverflow(_ moves: [Plan.Move], old: Plan, new: Plan) -> Int? {
        var capacity: [String: Int64] = [:], used: [String: Int64] = [:]
        for h in new.hosts { for i in h.instances { capacity[i.id] = i.capacity_bytes; used[i.id] = 0 } }
        for (_, i, m) in old.placements where used[i.id] != nil { used[i.id]! += m.footprint_bytes }
        var oldBytes: [String: Int64] = [:], newBytes: [String: Int64] = [:]
        for (_, i, m) in old.placements { oldBytes["\(m.name)\u{0}\(i.id)"] = m.footprint_bytes }
        for (_, i, m) in new.placements { newBytes["\(m.name)\u{0}\(i.id)"] = m.footprint_bytes }
        for mv in moves {
            let unload = { if let f = mv.from, used[f] != nil { used[f]! -= oldBytes["\(mv.model)\u{0}\(f)"] ?? 0 } }
            if mv.drain_first == true { unload() }
            if let t = mv.to {
                used[t, default: 0] += newBytes["\(mv.model)\u{0}\(t)"] ?? 0
                if used[t]! > capacity[t, default: 0] { return mv.step }
            }
            if mv.drain_first != true { unload() }
        }
        return nil
    }
}

extension Replan {
    /// Fewest moves proven, where the problem is small enough: a depth-first search over every
    /// placement with coverage ≥ `coverage` (each model unplaced, or its replicas on distinct
    /// instances at some quant), minimising moves — for a model, the larger of its removed and its
    /// added copies, as `moves(from:to:)` pairs them — then maximising quality. Pruned by the
    /// coverage still reachable and by each remaining model's cheapest option. Nil when the search
    /// exceeds `nodeLimit` (then the heuristic result stands and the plan says so).
    public static func exact(_ p: PlacementProblem, old: Plan, coverage: Int, nodeLimit: Int = 2_000_000,
                             expired: () -> Bool = { false }) -> Assignment? {
        let binOf = Dictionary(p.bins.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { x, _ in x })
        var oldSet = [Set<String>](repeating: [], count: p.items.count)
        let itemOf = Dictionary(p.items.enumerated().map { ($0.element.spec.name, $0.offset) }, uniquingKeysWith: { x, _ in x })
        var oldCount = [Int](repeating: 0, count: p.items.count)
        for c in oldCopies(old) {
            guard let mi = itemOf[c.model] else { continue }
            oldCount[mi] += 1
            if let b = binOf[c.instance] { oldSet[mi].insert("\(b)|\(c.quant)") }
        }
        // Options per model with their move counts, cheapest first.
        var options: [[(copies: [Assignment.Copy], moves: Int, quality: Double)]] = []
        for (mi, it) in p.items.enumerated() {
            var opts: [(copies: [Assignment.Copy], moves: Int, quality: Double)] = []
            if !it.spec.required { opts.append(([], oldCount[mi], 0)) }
            let cands = p.candidates.filter { $0.item == mi }
            guard cands.count <= 40 else { return nil }
            func rec(_ start: Int, _ chosen: [Assignment.Copy]) {
                if opts.count > 5000 { return }
                if chosen.count == it.spec.replicas {
                    let kept = chosen.filter { oldSet[mi].contains("\($0.bin)|\($0.quant.rawValue)") }.count
                    let q = chosen.reduce(0.0) { $0 + Double(it.spec.priority) * p.profile.quality($1.quant) / Double(it.spec.replicas) }
                    opts.append((chosen, max(oldCount[mi] - kept, chosen.count - kept), q)); return
                }
                guard start < cands.count else { return }
                for k in start..<cands.count {
                    let c = cands[k]
                    if chosen.contains(where: { $0.bin == c.bin }) { continue }
                    if it.spec.spreadHost && chosen.contains(where: { p.bins[$0.bin].host == p.bins[c.bin].host }) { continue }
                    rec(k + 1, chosen + [.init(bin: c.bin, quant: c.quant)])
                }
            }
            rec(0, [])
            if opts.count > 5000 { return nil }
            options.append(opts.sorted { ($0.moves, -$0.quality) < ($1.moves, -$1.quality) })
        }
        let n = p.items.count
        var minMovesAfter = [Int](repeating: 0, count: n + 1), priorityAfter = [Int](repeating: 0, count: n + 1)
        for mi in stride(from: n - 1, through: 0, by: -1) {
            minMovesAfter[mi] = minMovesAfter[mi + 1] + (options[mi].map(\.moves).min() ?? 0)
            priorityAfter[mi] = priorityAfter[mi + 1] + p.items[mi].spec.priority
        }
        var used = [Int64](repeating: 0, count: p.bins.count)
        var current = [[Assignment.Copy]](repeating: [], count: n)
        var best: (moves: Int, quality: Double, copies: [[Assignment.Copy]])?
        var nodes = 0
        func search(_ mi: Int, _ moves: Int, _ cov: Int, _ quality: Double) -> Bool {
            nodes += 1
            if nodes > nodeLimit || (nodes % 4096 == 0 && expired()) { return false }
            if cov + priorityAfter[mi] < coverage { return true }
            if let b = best, moves + minMovesAfter[mi] > b.moves { return true }
            if mi == n {
                if best == nil || moves < best!.moves || (moves == best!.moves && quality > best!.quality + 1e-12) { best = (moves, quality, current) }
                return true
            }
            for opt in options[mi] {
                var ok = true
                for c in opt.copies { used[c.bin] += p.items[mi].footprints[c.quant]!.total; if used[c.bin] > p.bins[c.bin].capacity { ok = false } }
                if ok {
                    current[mi] = opt.copies
                    if !search(mi + 1, moves + opt.moves, cov + (opt.copies.isEmpty ? 0 : p.items[mi].spec.priority), quality + opt.quality) {
                        for c in opt.copies { used[c.bin] -= p.items[mi].footprints[c.quant]!.total }
                        return false
                    }
                }
                for c in opt.copies { used[c.bin] -= p.items[mi].footprints[c.quant]!.total }
                current[mi] = []
            }
            return true
        }
        guard search(0, 0, 0, 0), let b = best else { return nil }
        return Assignment(copies: b.copies)
    }
}

extension Replan {
    /// Moves of a placement from `old`: per model, the larger of its removed and its added copies
    /// (as `moves(from:to:)` pairs them), plus every copy of a model the new cluster no longer lists.
    public static func moveCount(_ p: PlacementProblem, _ a: Assignment, old: Plan) -> Int {
        var was: [String: Set<String>] = [:]
        for c in oldCopies(old) { was[c.model, default: []].insert("\(c.instance)|\(c.quant)") }
        var total = 0
        for (mi, cs) in a.copies.enumerated() {
            let before = was.removeValue(forKey: p.items[mi].spec.name) ?? []
            let now = Set(cs.map { "\(p.bins[$0.bin].id)|\($0.quant.rawValue)" })
            total += max(before.subtracting(now).count, now.subtracting(before).count)
        }
        return total + was.values.reduce(0) { $0 + $1.count }
    }

    /// A placement that keeps the old one wherever it is still valid and fits the rest around it,
    /// without the solver: every model whose old copies all survive (instance, allowed quant,
    /// capacity) stays, highest priority first while its instances have room; then each other model,
    /// by priority per byte, goes whole (all its replicas, on distinct instances, hosts when
    /// `spread: host`) where it fits, at the best quality that fits. Valid by construction.
    public static func keep(_ p: PlacementProblem, old: Plan) -> Assignment {
        let binOf = Dictionary(p.bins.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { x, _ in x })
        let itemOf = Dictionary(p.items.enumerated().map { ($0.element.spec.name, $0.offset) }, uniquingKeysWith: { x, _ in x })
        var oldAt: [Int: [Assignment.Copy]] = [:], broken = Set<Int>()
        for c in oldCopies(old) {
            guard let mi = itemOf[c.model] else { continue }
            if let b = binOf[c.instance], let q = Quant(rawValue: c.quant), p.items[mi].quants.contains(q),
               p.items[mi].eligibleBins.contains(b), p.bins[b].capacity > 0 { oldAt[mi, default: []].append(.init(bin: b, quant: q)) }
            else { broken.insert(mi) }
        }
        var a = Assignment(copies: Array(repeating: [], count: p.items.count))
        var used = [Int64](repeating: 0, count: p.bins.count)
        func fp(_ mi: Int, _ q: Quant) -> Int64 { p.items[mi].footprints[q]!.total }
        let staying = oldAt.keys.filter { !broken.contains($0) && oldAt[$0]!.count == p.items[$0].spec.replicas }
            .sorted { (p.items[$0].spec.priority, p.items[$1].spec.name) > (p.items[$1].spec.priority, p.items[$0].spec.name) }
        for mi in staying {
            let cs = oldAt[mi]!
            guard Set(cs.map(\.bin)).count == cs.count, cs.allSatisfy({ used[$0.bin] + fp(mi, $0.quant) <= p.bins[$0.bin].capacity }) else { continue }
            for c in cs { used[c.bin] += fp(mi, c.quant) }
            a.copies[mi] = cs
        }
        let rest = p.items.indices.filter { a.copies[$0].isEmpty }.sorted { x, y in
            let dx = Double(p.items[x].spec.priority) / Double(max(1, p.items[x].footprints.values.map(\.total).min() ?? 1))
            let dy = Double(p.items[y].spec.priority) / Double(max(1, p.items[y].footprints.values.map(\.total).min() ?? 1))
            return (p.items[x].spec.required ? 1 : 0, dx, p.items[y].spec.name) > (p.items[y].spec.required ? 1 : 0, dy, p.items[x].spec.name)
        }
        for mi in rest {
            let it = p.items[mi]
            var chosen: [Assignment.Copy] = []
            var trial = used
            for _ in 0..<it.spec.replicas {
                var pick: (bin: Int, quant: Quant)?
                for q in it.quants.sorted(by: { p.profile.quality($0) > p.profile.quality($1) }) {
                    let f = fp(mi, q)
                    let bins = it.eligibleBins.filter { b in
                        p.bins[b].capacity > 0 && trial[b] + f <= p.bins[b].capacity && !chosen.contains { $0.bin == b }
                            && !(it.spec.spreadHost && chosen.contains { p.bins[$0.bin].host == p.bins[b].host })
                    }
                    // Best fit: the instance left fullest, so big holes stay for big models.
                    if let b = bins.min(by: { (p.bins[$0].capacity - trial[$0], $0) < (p.bins[$1].capacity - trial[$1], $1) }) { pick = (b, q); break }
                }
                guard let pk = pick else { chosen = []; break }
                chosen.append(.init(bin: pk.bin, quant: pk.quant)); trial[pk.bin] += fp(mi, pk.quant)
            }
            if chosen.count == it.spec.replicas { a.copies[mi] = chosen; used = trial }
        }
        return a
    }
}
