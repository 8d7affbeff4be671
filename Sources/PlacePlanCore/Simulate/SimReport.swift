import Foundation

/// `placeplan simulate --format json` (SPEC §8): `{"format": "placeplan-sim/1", "plan": R, "baseline": R}`.
public struct SimResult: Encodable, Sendable {
    public static let formatID = "placeplan-sim/1"
    public var format = SimResult.formatID
    public var plan: SimReport
    public var baseline: SimReport?
    public init(plan: SimReport, baseline: SimReport?) { self.plan = plan; self.baseline = baseline }

    /// Pretty JSON, sorted keys, final newline: the same run gives the same bytes.
    public var json: String { PlanCodec.encode(self) }

    /// Simulates the plan and, when asked, the plain-Ollama baseline on the same trace.
    public static func run(_ plan: Plan, trace: Trace, baseline: Bool, defaults: SimSystem.Defaults = .init()) -> SimResult {
        let p = SimReport(system: SimSystem.plan(plan, defaults: defaults), trace: trace)
        let b = baseline ? SimReport(system: SimSystem.ollamaBaseline(plan, defaults: defaults), trace: trace) : nil
        return SimResult(plan: p, baseline: b)
    }
}

/// R: the totals, one entry per model of the trace (by name) and each instance's busy share.
public struct SimReport: Encodable, Sendable {
    /// S. Times in seconds, to the millisecond; a percentile is the nearest-rank one over served
    /// requests (null when none was served). Beyond SPEC §8: `unserved` (no route, or a copy that can
    /// never fit its instance), `joined_loads` (requests that waited for a load another request
    /// started: requests = resident_hits + loads + joined_loads + unserved) and `expiries` (idle
    /// copies unloaded by keep-alive, not counted in `evictions`).
    public struct Stats: Encodable, Sendable, Equatable {
        public var requests = 0, resident_hits = 0, loads = 0, evictions = 0
        public var bytes_read: Int64 = 0
        public var ttft_p50_s: Double?, ttft_p95_s: Double?, ttft_p99_s: Double?
        public var e2e_p50_s: Double?, e2e_p95_s: Double?
        public var slo_misses = 0
        public var unserved = 0, joined_loads = 0, expiries = 0

        enum K: String, CodingKey {
            case requests, resident_hits, loads, evictions, bytes_read, ttft_p50_s, ttft_p95_s, ttft_p99_s, e2e_p50_s, e2e_p95_s, slo_misses, unserved, joined_loads, expiries
        }
        func encode(into c: inout KeyedEncodingContainer<K>) throws {
            try c.encode(requests, forKey: .requests); try c.encode(resident_hits, forKey: .resident_hits)
            try c.encode(loads, forKey: .loads); try c.encode(evictions, forKey: .evictions); try c.encode(bytes_read, forKey: .bytes_read)
            try c.encode(ttft_p50_s, forKey: .ttft_p50_s); try c.encode(ttft_p95_s, forKey: .ttft_p95_s); try c.encode(ttft_p99_s, forKey: .ttft_p99_s)
            try c.encode(e2e_p50_s, forKey: .e2e_p50_s); try c.encode(e2e_p95_s, forKey: .e2e_p95_s); try c.encode(slo_misses, forKey: .slo_misses)
            try c.encode(unserved, forKey: .unserved); try c.encode(joined_loads, forKey: .joined_loads); try c.encode(expiries, forKey: .expiries)
        }
        public func encode(to encoder: Encoder) throws { var c = encoder.container(keyedBy: K.self); try encode(into: &c) }
    }

    public struct ModelStats: Encodable, Sendable, Equatable {
        public var name: String
        public var stats: Stats
        enum N: String, CodingKey { case name }
        public func encode(to encoder: Encoder) throws {
            var n = encoder.container(keyedBy: N.self); try n.encode(name, forKey: .name)
            var c = encoder.container(keyedBy: Stats.K.self); try stats.encode(into: &c)
        }
    }

    public struct InstanceShare: Encodable, Sendable, Equatable {
        public var id: String
        /// Share of the simulated time with a request in service or a load in progress.
        public var busy_share: Double
    }

    public var total: Stats
    public var models: [ModelStats]
    public var instances: [InstanceShare]
    /// Defaults used where the plan leaves figures out, and anything odd in it.
    public var notes: [String]
    /// Per served request: arrival and time to first token, in arrival order (for the chart; not in JSON).
    public var timeline: [(arrival: Double, ttft: Double)]
    /// Seconds simulated: from 0 to the last arrival or completion.
    public var span: Double
    /// Invariant checks, for tests: times an instance went over its budget, requests completed twice.
    public var budgetViolations: Int
    public var peakOnDemandBytes: [String: Int64]

    enum CodingKeys: String, CodingKey { case total, models, instances, notes }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(total, forKey: .total); try c.encode(models, forKey: .models)
        try c.encode(instances, forKey: .instances); try c.encode(notes, forKey: .notes)
    }

    public init(system: SimSystem, trace: Trace) {
        self.init(system: system, trace: trace, outcome: Simulator(system: system).run(trace))
    }

    public init(system: SimSystem, trace: Trace, outcome o: SimOutcome) {
        var slo: [String: Double] = [:]
        for i in system.instances { for c in i.copies { if let s = c.slo, slo[c.model] == nil { slo[c.model] = s } } }
        struct Acc { var s = Stats(); var ttft: [Double] = []; var e2e: [Double] = [] }
        // Accumulators in an array mutated in place (a copy out of a dictionary would copy the arrays).
        var slot: [String: Int] = [:]
        var per: [Acc] = []
        func index(_ m: String) -> Int {
            if let k = slot[m] { return k }
            slot[m] = per.count; per.append(Acc()); return per.count - 1
        }
        var all = Acc()
        var timeline: [(arrival: Double, ttft: Double)] = []
        timeline.reserveCapacity(o.requests.count)
        func add(_ x: inout Acc, _ r: SimOutcome.RequestRecord) {
            x.s.requests += 1
            if r.unserved { x.s.unserved += 1; if slo[r.model] != nil { x.s.slo_misses += 1 }; return }
            if r.hit { x.s.resident_hits += 1 }
            if r.joinedLoad { x.s.joined_loads += 1 }
            let t = r.firstToken - r.arrival
            x.ttft.append(t); x.e2e.append(r.end - r.arrival)
            if let s = slo[r.model], t > s { x.s.slo_misses += 1 }
        }
        for r in o.requests {
            let k = index(r.model)
            add(&per[k], r)
            add(&all, r)
            if !r.unserved { timeline.append((r.arrival, r.firstToken - r.arrival)) }
        }
        func count(_ x: inout Stats, _ n: SimOutcome.ModelCounters) {
            x.loads += n.loads; x.evictions += n.evictions; x.expiries += n.expiries; x.bytes_read += n.bytesRead
        }
        for (i, inst) in system.instances.enumerated() {
            for (c, copy) in inst.copies.enumerated() {
                let n = o.counters[i][c]
                guard n.loads + n.evictions + n.expiries > 0 else { continue }
                let k = index(copy.model)
                count(&per[k].s, n)
                count(&all.s, n)
            }
        }
        func finish(_ a: Acc) -> Stats {
            var s = a.s
            let t = a.ttft.sorted(), e = a.e2e.sorted()
            s.ttft_p50_s = SimReport.percentile(t, 50); s.ttft_p95_s = SimReport.percentile(t, 95); s.ttft_p99_s = SimReport.percentile(t, 99)
            s.e2e_p50_s = SimReport.percentile(e, 50); s.e2e_p95_s = SimReport.percentile(e, 95)
            return s
        }
        total = finish(all)
        models = slot.keys.sorted().map { ModelStats(name: $0, stats: finish(per[slot[$0]!])) }
        let span = max(o.span, 1e-9)
        instances = system.instances.enumerated().map { k, i in
            InstanceShare(id: i.id, busy_share: (min(o.busySeconds[k] / span, 1) * 10000).rounded() / 10000)
        }
        notes = system.notes
        self.timeline = timeline
        self.span = o.span
        budgetViolations = o.budgetViolations + o.requests.filter { !$0.unserved && $0.completions != 1 }.count
        peakOnDemandBytes = Dictionary(uniqueKeysWithValues: system.instances.enumerated().map { ($1.id, o.peakOnDemandBytes[$0]) })
    }

    /// Nearest rank: the smallest value with at least p% of the values at or below it; to the millisecond.
    public static func percentile(_ sorted: [Double], _ p: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return (sorted[min(max(rank, 1), sorted.count) - 1] * 1000).rounded() / 1000
    }
}
