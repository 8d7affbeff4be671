import Foundation

/// Improves a valid placement without ever breaking a constraint (every move is checked in
/// exact integer arithmetic): upgrades quants where there is room, inserts unplaced models by
/// downgrading or moving other copies out of the way, and swaps lower-priority models out for
/// higher-priority ones. Coverage gains are taken first, then quality (SPEC §4's order).
struct LocalSearch {
    let p: PlacementProblem
    var used: [Int64]
    var copies: [[Assignment.Copy]]
    /// Per item: bin → the candidate quants there, best quality first.
    let options: [[Int: [(quant: Quant, footprint: Int64, quality: Double)]]]
    let deadline: Deadline
    /// Items with a copy on each bin (a model has at most one copy per bin).
    var onBin: [Set<Int>]

    init(_ a: Assignment, _ p: PlacementProblem, deadline: Deadline) {
        self.p = p
        self.deadline = deadline
        copies = a.copies
        used = [Int64](repeating: 0, count: p.bins.count)
        onBin = [Set<Int>](repeating: [], count: p.bins.count)
        for (mi, cs) in a.copies.enumerated() { for c in cs { used[c.bin] += p.items[mi].footprints[c.quant]!.total; onBin[c.bin].insert(mi) } }
        var opts = [[Int: [(quant: Quant, footprint: Int64, quality: Double)]]](repeating: [:], count: p.items.count)
        for c in p.candidates { opts[c.item][c.bin, default: []].append((c.quant, c.footprint, p.profile.quality(c.quant))) }
        for i in opts.indices { for b in opts[i].keys { opts[i][b]!.sort { $0.quality > $1.quality || ($0.quality == $1.quality && $0.footprint < $1.footprint) } } }
        options = opts
    }

    var timeUp: Bool { deadline.expired }

    func fp(_ mi: Int, _ q: Quant) -> Int64 { p.items[mi].footprints[q]!.total }
    func free(_ b: Int) -> Int64 { p.bins[b].capacity - used[b] }

    /// Copies each bin holds: (item, index in copies[item]).
    func residents(_ b: Int) -> [(Int, Int)] {
        onBin[b].sorted().map { mi in (mi, copies[mi].firstIndex { $0.bin == b }!) }
    }

    /// Raises the copies on the given bins to the best quant that fits.
    mutating func upgrade(bins: [Int]) {
        for b in bins {
            var changed = true
            while changed {
                changed = false
                for (mi, k) in residents(b) {
                    let c = copies[mi][k]
                    let cur = fp(mi, c.quant), q = p.profile.quality(c.quant)
                    guard let better = options[mi][c.bin]?.first(where: { $0.quality > q && $0.footprint - cur <= free(c.bin) }) else { continue }
                    used[c.bin] += better.footprint - cur
                    copies[mi][k].quant = better.quant
                    changed = true
                }
            }
        }
    }

    /// Σ priority × quality ÷ replicas of the copies on the given bins.
    func quality(on bins: [Int]) -> Double {
        var s = 0.0
        for b in bins { for (mi, k) in residents(b) { s += Double(p.items[mi].spec.priority) * p.profile.quality(copies[mi][k].quant) / Double(p.items[mi].spec.replicas) } }
        return s
    }

    /// Raises every copy to the best quant that fits where it is.
    mutating func upgrade() {
        upgrade(bins: Array(p.bins.indices))
    }

    /// Frees `need` bytes on bin b by downgrading its residents (least quality lost per byte first).
    /// Returns false (and changes nothing) when it cannot.
    mutating func makeRoom(on b: Int, need: Int64) -> Bool {
        if free(b) >= need { return true }
        let saved = (used, copies, onBin)
        while free(b) < need {
            var best: (mi: Int, k: Int, q: Quant, gain: Int64, loss: Double)?
            for (mi, k) in residents(b) {
                let c = copies[mi][k], cur = fp(mi, c.quant), ql = p.profile.quality(c.quant)
                for o in options[mi][b] ?? [] where o.footprint < cur {
                    let loss = (ql - o.quality) * Double(p.items[mi].spec.priority) / Double(p.items[mi].spec.replicas)
                    let gain = cur - o.footprint
                    if best == nil || loss / Double(gain) < best!.loss / Double(best!.gain) { best = (mi, k, o.quant, gain, loss) }
                }
            }
            guard let d = best else { (used, copies, onBin) = saved; return false }
            used[b] -= d.gain
            copies[d.mi][d.k].quant = d.q
        }
        return true
    }

    /// Places every copy of an unplaced model, downgrading neighbours if needed; all or nothing.
    mutating func insert(_ mi: Int) -> Bool {
        let spec = p.items[mi].spec
        let saved = (used, copies, onBin)
        var chosen: [Assignment.Copy] = []
        for _ in 0..<spec.replicas {
            let usedBins = Set(chosen.map(\.bin)), usedHosts = Set(chosen.map { p.bins[$0.bin].host })
            let bins = (options[mi].keys.filter { !usedBins.contains($0) && !(spec.spreadHost && usedHosts.contains(p.bins[$0].host)) }).sorted()
            // First where it fits as is (best quality, then tightest fit), else where room can be made.
            var pick: (b: Int, q: Quant, fp: Int64)?
            for b in bins {
                if let o = options[mi][b]!.first(where: { $0.footprint <= free(b) }) {
                    let better = pick == nil || p.profile.quality(o.quant) > p.profile.quality(pick!.q)
                        || (p.profile.quality(o.quant) == p.profile.quality(pick!.q) && free(b) - o.footprint < free(pick!.b) - pick!.fp)
                    if better { pick = (b, o.quant, o.footprint) }
                }
            }
            if pick == nil {
                for b in bins.sorted(by: { free($0) > free($1) }) {
                    let smallest = options[mi][b]!.min { $0.footprint < $1.footprint }!
                    if makeRoom(on: b, need: smallest.footprint) { pick = (b, smallest.quant, smallest.footprint); break }
                }
            }
            guard let pk = pick else { (used, copies, onBin) = saved; return false }
            used[pk.b] += pk.fp
            onBin[pk.b].insert(mi)
            chosen.append(.init(bin: pk.b, quant: pk.q))
        }
        copies[mi] = chosen.sorted { $0.bin < $1.bin }
        return true
    }

    var coverage: Int { zip(p.items, copies).reduce(0) { $0 + ($1.1.isEmpty ? 0 : $1.0.spec.priority) } }
    var quality: Double { Assignment(copies: copies).quality(p) }

    /// Tries to serve each unplaced model, first as is, then by removing lower-priority models
    /// (each removal must be paid for by a strictly larger priority).
    mutating func insertUnplaced() {
        let order = p.items.indices.filter { copies[$0].isEmpty }.sorted {
            p.items[$0].spec.priority > p.items[$1].spec.priority || (p.items[$0].spec.priority == p.items[$1].spec.priority && $0 < $1)
        }
        for mi in order where !timeUp {
            if insert(mi) { continue }
            // Swap: evict cheaper models (never required ones) from the bins this model could use.
            let prio = p.items[mi].spec.priority
            let saved = (used, copies, onBin)
            let before = coverage
            var victims = p.items.indices.filter { v in
                !copies[v].isEmpty && !p.items[v].spec.required && p.items[v].spec.priority < prio
                    && copies[v].contains { options[mi][$0.bin] != nil }
            }
            victims.sort { p.items[$0].spec.priority < p.items[$1].spec.priority || (p.items[$0].spec.priority == p.items[$1].spec.priority && $0 > $1) }
            var evicted: [Int] = []
            var placed = false
            for v in victims.prefix(6) {
                for c in copies[v] { used[c.bin] -= fp(v, c.quant); onBin[c.bin].remove(v) }
                copies[v] = []
                evicted.append(v)
                if insert(mi) { placed = true; break }
            }
            if placed {
                for v in evicted where copies[v].isEmpty { _ = insert(v) }
                if coverage > before { continue }
            }
            (used, copies, onBin) = saved
        }
    }

    /// Moves a copy to another instance when that raises quality (its own quant there, or room
    /// left behind for upgrades of the copies it leaves); keeps the move only if total quality rises.
    mutating func relocate() -> Bool {
        var improvedAny = false
        for mi in copies.indices where !timeUp {
            for k in copies[mi].indices {
                let c = copies[mi][k]
                let spec = p.items[mi].spec
                let here = Set(copies[mi].map(\.bin)), hosts = Set(copies[mi].enumerated().filter { $0.offset != k }.map { p.bins[$0.element.bin].host })
                for b in options[mi].keys.sorted() where b != c.bin && !here.contains(b) && !(spec.spreadHost && hosts.contains(p.bins[b].host)) {
                    guard let o = options[mi][b]!.first(where: { $0.footprint <= free(b) }) else { continue }
                    let touched = [c.bin, b]
                    let before = quality(on: touched)
                    let saved = (used, copies, onBin)
                    used[c.bin] -= fp(mi, c.quant); used[b] += o.footprint
                    onBin[c.bin].remove(mi); onBin[b].insert(mi)
                    copies[mi][k] = .init(bin: b, quant: o.quant)
                    upgrade(bins: touched)
                    if quality(on: touched) > before + 1e-9 { improvedAny = true; break }
                    (used, copies, onBin) = saved
                }
            }
        }
        for i in copies.indices { copies[i].sort { $0.bin < $1.bin } }
        return improvedAny
    }

    static func improve(_ a: Assignment, _ p: PlacementProblem, deadline: Deadline, rounds: Int = 3) -> Assignment {
        var s = LocalSearch(a, p, deadline: deadline)
        s.upgrade()
        s.insertUnplaced()
        s.upgrade()
        for _ in 0..<rounds where !s.timeUp {
            if !s.relocate() { break }
        }
        return Assignment(copies: s.copies)
    }
}
