/// Deterministic discrete-event replay of a trace against a `SimSystem` (SPEC §8).
///
/// The model, event by event:
/// - A request goes to one of its model's routed instances: the one with the fewest requests in
///   flight, ties by instance id. No route, or a copy that can never fit: `unserved`.
/// - Loaded copy (resident, or on-demand and loaded): a resident hit. It takes one of the copy's
///   `slots` or waits in FIFO order for one.
/// - On-demand copy not loaded: a load (`cold_start_s`; the weights count as `bytes_read`); requests
///   for a copy already loading wait for that load. Loads on one instance start in FIFO order: to
///   make room (bytes within the on-demand budget, and OLLAMA_MAX_LOADED_MODELS), the least recently
///   used idle on-demand copies are evicted, only when that makes the load fit; a copy with requests
///   in service or queued is never evicted; if nothing can make room the load waits. An idle
///   on-demand copy is unloaded when its keep-alive runs out (`expiries`).
/// - Service: prompt ÷ `prefill` (the first token comes at its end), then the output tokens. Streams
///   decoding on one device share it as `compare` models it: with k streams, each token of stream i
///   takes k × (1/decode_i − c) + c, c the device class's fixed cost; rates change when k changes
///   (processor sharing). Prefill is not shared.
/// Events at one time run in a fixed order (internal events by time and creation, then arrivals),
/// so one trace and one system always give the same result.
public struct Simulator {
    public let system: SimSystem
    public init(system: SimSystem) { self.system = system }

    public func run(_ trace: Trace) -> SimOutcome {
        var engine = Engine(system: system, trace: trace)
        engine.run()
        return engine.outcome()
    }
}

/// What happened to every request, and the counters the report is made of.
public struct SimOutcome: Sendable {
    public struct RequestRecord: Sendable, Equatable {
        public var arrival: Double
        public var model: String
        /// Index into the system's instances; -1 when unserved.
        public var instance: Int
        public var start = -1.0, firstToken = -1.0, end = -1.0
        public var hit = false, triggeredLoad = false, joinedLoad = false, unserved = false
        /// How many times the request completed (exactly 1 for a served request).
        public var completions = 0
    }

    public struct ModelCounters: Sendable, Equatable {
        public var loads = 0, evictions = 0, expiries = 0
        public var bytesRead: Int64 = 0
    }

    public var requests: [RequestRecord]
    /// Per instance, per copy (the system's order).
    public var counters: [[ModelCounters]]
    /// Per instance: seconds with a request in service or a load in progress.
    public var busySeconds: [Double]
    /// From 0 to the last arrival or completion.
    public var span: Double
    /// Times the simulator found an instance over its on-demand budget or its loaded-model limit
    /// (must stay 0: checked at every load).
    public var budgetViolations: Int
    /// The most on-demand bytes each instance ever held.
    public var peakOnDemandBytes: [Int64]
}

// MARK: - Engine

struct Engine {
    enum Kind { case prefillDone(Int), device(Int, Int), loadDone(Int, Int), expiry(Int, Int, Int) }
    struct Event { var time: Double; var seq: Int; var kind: Kind }
    enum State { case pending, loading, ready }
    struct Loaded {
        var state: State
        var active = 0
        var queue: [Int] = []
        var queueHead = 0
        var lastUsed = 0.0
        var version = 0
        var queued: Int { queue.count - queueHead }
    }
    struct InstanceState {
        var loaded: [Int: Loaded] = [:]
        /// Copies loaded or loading (resident and on-demand), in load order.
        var present: [Int] = []
        var onDemandBytes: Int64 = 0
        var pending: [Int] = []
        var pendingHead = 0
        var inFlight = 0
        var busy = 0
        var busySince = 0.0
        var busyTotal = 0.0
        var peak: Int64 = 0
    }
    struct Stream { var request: Int; var remaining: Double; var perToken: Double }
    struct DeviceState { var streams: [Stream] = []; var last = 0.0; var version = 0 }

    let system: SimSystem
    let trace: Trace
    var heap: [Event] = []
    var seq = 0
    var now = 0.0
    var records: [SimOutcome.RequestRecord]
    var counters: [[SimOutcome.ModelCounters]]
    var inst: [InstanceState]
    var dev: [DeviceState]
    var violations = 0
    /// Requests routed and not yet finished, over all instances.
    var inFlight = 0
    /// Unique keep-alive stamps: a stale expiry never matches a copy loaded again later.
    var stamp = 0
    let residentCount: [Int]

    init(system: SimSystem, trace: Trace) {
        self.system = system; self.trace = trace
        records = trace.requests.map { SimOutcome.RequestRecord(arrival: $0.time, model: $0.model, instance: -1) }
        counters = system.instances.map { Array(repeating: SimOutcome.ModelCounters(), count: $0.copies.count) }
        inst = Array(repeating: InstanceState(), count: system.instances.count)
        dev = Array(repeating: DeviceState(), count: system.devices.count)
        residentCount = system.instances.map { $0.copies.filter(\.resident).count }
        for (k, i) in system.instances.enumerated() {
            for (c, copy) in i.copies.enumerated() where copy.resident {
                inst[k].loaded[c] = Loaded(state: .ready)
                inst[k].present.append(c)
            }
        }
    }

    mutating func run() {
        var next = 0
        let reqs = trace.requests
        while true {
            let arrivalNext = next < reqs.count
            // Done when every request is: keep-alive timers left after the last one do not count.
            if !arrivalNext && inFlight == 0 { break }
            if let top = heap.first, !arrivalNext || top.time <= reqs[next].time {
                let e = pop()
                now = e.time
                handle(e.kind)
            } else if arrivalNext {
                now = max(now, reqs[next].time)
                arrive(next)
                next += 1
            } else { break }
        }
    }

    // MARK: Events

    mutating func push(_ time: Double, _ kind: Kind) {
        heap.append(Event(time: time, seq: seq, kind: kind)); seq += 1
        var i = heap.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            if less(heap[i], heap[p]) { heap.swapAt(i, p); i = p } else { break }
        }
    }

    func less(_ a: Event, _ b: Event) -> Bool { a.time < b.time || (a.time == b.time && a.seq < b.seq) }

    mutating func pop() -> Event {
        let top = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count, less(heap[l], heap[m]) { m = l }
                if r < heap.count, less(heap[r], heap[m]) { m = r }
                if m == i { break }
                heap.swapAt(i, m); i = m
            }
        }
        return top
    }

    mutating func handle(_ k: Kind) {
        switch k {
        case .prefillDone(let r): prefillDone(r)
        case .device(let d, let v): if dev[d].version == v { deviceTick(d) }
        case .loadDone(let i, let c): loadDone(i, c)
        case .expiry(let i, let c, let v): expire(i, c, v)
        }
    }

    // MARK: Arrival and routing

    mutating func arrive(_ r: Int) {
        let model = records[r].model
        guard let targets = system.routes[model], !targets.isEmpty else { records[r].unserved = true; return }
        var best = targets[0]
        for t in targets.dropFirst() where inst[t].inFlight < inst[best].inFlight { best = t }
        let i = best
        let c = system.instances[i].index[model]!
        let copy = system.instances[i].copies[c]
        if !copy.resident && !canEverLoad(i, c) { records[r].unserved = true; return }
        records[r].instance = i
        inst[i].inFlight += 1
        inFlight += 1
        // Mutated in place (no copy of the Loaded value held), so a long queue is never copied.
        if let state = inst[i].loaded[c]?.state {
            if state == .ready {
                records[r].hit = true
                stamp += 1
                inst[i].loaded[c]!.version = stamp  // cancels a keep-alive expiry
                if inst[i].loaded[c]!.active < copy.slots { start(r, i, c) } else { inst[i].loaded[c]!.queue.append(r) }
            } else {
                records[r].joinedLoad = true
                inst[i].loaded[c]!.queue.append(r)
            }
            return
        }
        records[r].triggeredLoad = true
        var l = Loaded(state: .pending)
        l.queue.append(r)
        inst[i].loaded[c] = l
        inst[i].pending.append(c)
        startLoads(i)
    }

    func canEverLoad(_ i: Int, _ c: Int) -> Bool {
        let s = system.instances[i]
        if s.copies[c].footprint > s.budget { return false }
        if let m = s.maxLoaded, residentCount[i] >= m { return false }
        return true
    }

    // MARK: Loading and eviction

    /// Starts pending loads in FIFO order while each can be made to fit.
    mutating func startLoads(_ i: Int) {
        let s = system.instances[i]
        while inst[i].pendingHead < inst[i].pending.count {
            let c = inst[i].pending[inst[i].pendingHead]
            let need = s.copies[c].footprint
            // Idle on-demand copies, least recently used first (ties: load order).
            let idle = inst[i].present.filter { p in
                guard let l = inst[i].loaded[p], !s.copies[p].resident, l.state == .ready else { return false }
                return l.active == 0 && l.queued == 0
            }.sorted { inst[i].loaded[$0]!.lastUsed < inst[i].loaded[$1]!.lastUsed }
            let freeable = idle.reduce(Int64(0)) { $0 + s.copies[$1].footprint }
            let count = inst[i].present.count
            let bytesOK = inst[i].onDemandBytes - freeable + need <= s.budget
            let countOK = s.maxLoaded.map { count - idle.count + 1 <= $0 } ?? true
            guard bytesOK && countOK else { return }  // wait for a copy to become idle
            var k = 0
            while inst[i].onDemandBytes + need > s.budget || (s.maxLoaded.map { inst[i].present.count + 1 > $0 } ?? false) {
                unload(i, idle[k]); counters[i][idle[k]].evictions += 1; k += 1
            }
            inst[i].pendingHead += 1
            inst[i].onDemandBytes += need
            inst[i].present.append(c)
            inst[i].peak = max(inst[i].peak, inst[i].onDemandBytes)
            if inst[i].onDemandBytes > s.budget || (s.maxLoaded.map { inst[i].present.count > $0 } ?? false) { violations += 1 }
            inst[i].loaded[c]!.state = .loading
            counters[i][c].loads += 1
            counters[i][c].bytesRead += s.copies[c].weights
            busy(i, +1)
            push(now + s.copies[c].coldStart, .loadDone(i, c))
        }
        if inst[i].pendingHead > 64, inst[i].pendingHead * 2 > inst[i].pending.count {
            inst[i].pending.removeFirst(inst[i].pendingHead); inst[i].pendingHead = 0
        }
    }

    mutating func unload(_ i: Int, _ c: Int) {
        inst[i].loaded[c] = nil
        inst[i].present.removeAll { $0 == c }
        inst[i].onDemandBytes -= system.instances[i].copies[c].footprint
    }

    mutating func loadDone(_ i: Int, _ c: Int) {
        busy(i, -1)
        inst[i].loaded[c]!.state = .ready
        inst[i].loaded[c]!.lastUsed = now
        let slots = system.instances[i].copies[c].slots
        while inst[i].loaded[c]!.active < slots, let r = dequeue(i, c) { start(r, i, c) }
        becameIdleIfSo(i, c)
    }

    mutating func expire(_ i: Int, _ c: Int, _ v: Int) {
        guard let l = inst[i].loaded[c], l.version == v, l.state == .ready, l.active == 0, l.queued == 0 else { return }
        unload(i, c)
        counters[i][c].expiries += 1
        startLoads(i)
    }

    mutating func becameIdleIfSo(_ i: Int, _ c: Int) {
        guard let l = inst[i].loaded[c], l.active == 0, l.queued == 0, l.state == .ready else { return }
        let s = system.instances[i]
        guard !s.copies[c].resident else { return }
        if let ka = s.keepAlive {
            stamp += 1
            inst[i].loaded[c]!.version = stamp
            push(now + ka, .expiry(i, c, stamp))
        }
        startLoads(i)
    }

    // MARK: Service

    mutating func dequeue(_ i: Int, _ c: Int) -> Int? {
        guard let q = inst[i].loaded[c]?.queued, q > 0 else { return nil }
        let head = inst[i].loaded[c]!.queueHead
        let r = inst[i].loaded[c]!.queue[head]
        if head + 1 == inst[i].loaded[c]!.queue.count {
            inst[i].loaded[c]!.queue.removeAll(keepingCapacity: true); inst[i].loaded[c]!.queueHead = 0
        } else {
            inst[i].loaded[c]!.queueHead = head + 1
        }
        return r
    }

    mutating func start(_ r: Int, _ i: Int, _ c: Int) {
        inst[i].loaded[c]!.active += 1
        inst[i].loaded[c]!.lastUsed = now
        busy(i, +1)
        records[r].start = now
        let copy = system.instances[i].copies[c]
        push(now + Double(trace.requests[r].prompt) / copy.prefill, .prefillDone(r))
    }

    mutating func prefillDone(_ r: Int) {
        records[r].firstToken = now
        let i = records[r].instance
        let c = system.instances[i].index[records[r].model]!
        let copy = system.instances[i].copies[c]
        let out = trace.requests[r].output
        guard out > 0 else { finish(r); return }
        let d = copy.device
        advance(d)
        let fixed = system.devices[d].fixedSeconds
        dev[d].streams.append(Stream(request: r, remaining: Double(out), perToken: max(1 / copy.decode - fixed, 0)))
        reschedule(d)
    }

    /// Decodes every stream of `d` from its last update to now at the shared rate.
    mutating func advance(_ d: Int) {
        let dt = now - dev[d].last
        dev[d].last = now
        guard dt > 0 else { return }
        let k = Double(dev[d].streams.count), fixed = system.devices[d].fixedSeconds
        for s in dev[d].streams.indices { dev[d].streams[s].remaining -= dt / (k * dev[d].streams[s].perToken + fixed) }
    }

    mutating func reschedule(_ d: Int) {
        dev[d].version += 1
        guard !dev[d].streams.isEmpty else { return }
        let k = Double(dev[d].streams.count), fixed = system.devices[d].fixedSeconds
        var soonest = Double.infinity
        for s in dev[d].streams { soonest = min(soonest, max(s.remaining, 0) * (k * s.perToken + fixed)) }
        push(now + soonest, .device(d, dev[d].version))
    }

    mutating func deviceTick(_ d: Int) {
        advance(d)
        var done: [Int] = []
        dev[d].streams.removeAll { s in
            if s.remaining <= 1e-6 { done.append(s.request); return true }
            return false
        }
        reschedule(d)
        for r in done { finish(r) }
    }

    mutating func finish(_ r: Int) {
        records[r].end = now
        records[r].completions += 1
        let i = records[r].instance
        let c = system.instances[i].index[records[r].model]!
        inst[i].inFlight -= 1
        inFlight -= 1
        inst[i].loaded[c]!.active -= 1
        inst[i].loaded[c]!.lastUsed = now
        busy(i, -1)
        if let next = dequeue(i, c) { start(next, i, c) }
        becameIdleIfSo(i, c)
    }

    mutating func busy(_ i: Int, _ delta: Int) {
        if inst[i].busy == 0 && delta > 0 { inst[i].busySince = now }
        inst[i].busy += delta
        if inst[i].busy == 0 { inst[i].busyTotal += now - inst[i].busySince }
    }

    func outcome() -> SimOutcome {
        let last = records.reduce(trace.requests.last?.time ?? 0) { max($0, $1.end) }
        return SimOutcome(requests: records, counters: counters, busySeconds: inst.map { $0.busyTotal + ($0.busy > 0 ? now - $0.busySince : 0) },
                          span: last, budgetViolations: violations, peakOnDemandBytes: inst.map(\.peak))
    }
}
