import Foundation

/// What the simulator replays a trace against: instances with their copies, devices that share
/// bandwidth, and where each model's requests go. Built from a plan (`plan(_:)`) or as the plain
/// Ollama baseline over the same memory (`ollamaBaseline(_:)`).
public struct SimSystem: Sendable {
    /// Assumptions used where a plan leaves a figure out (each use is named in `notes`).
    public struct Defaults: Sendable {
        /// GB/s a host's model store reads at when the plan has no `store_read_gbps`.
        public var storeReadGBps = 1.0
        /// Seconds Ollama spends loading a model beyond reading its weights (runner start, llama.cpp
        /// context and graph set-up); added to weights ÷ store_read when the plan has no `cold_start_s`.
        public var loadOverheadSeconds = 1.5
        /// prefill = this × decode when a copy has no `prefill_tokens_per_s`.
        public var prefillPerDecode = 10.0
        /// tok/s when a copy has no `decode_tokens_per_s` (its host's bandwidth is unknown).
        public var decodeTokensPerSecond = 20.0
        /// Ollama's default OLLAMA_KEEP_ALIVE, used when an instance does not set one.
        public var keepAliveSeconds = 300.0
        public init() {}
    }

    public struct Copy: Sendable {
        public var model: String
        public var footprint: Int64
        public var weights: Int64
        public var decode: Double
        public var prefill: Double
        public var coldStart: Double
        /// Slots: requests served at once.
        public var slots: Int
        /// Preloaded and never evicted.
        public var resident: Bool
        public var device: Int
        /// The acceptable time to first token, when the model has one.
        public var slo: Double?
    }

    public struct Instance: Sendable {
        public var id: String
        /// Bytes on-demand copies may hold at once (resident copies are outside it).
        public var budget: Int64
        /// OLLAMA_MAX_LOADED_MODELS: resident and on-demand copies loaded at once (nil: no limit).
        public var maxLoaded: Int?
        /// Seconds an idle on-demand copy stays loaded (nil: until evicted).
        public var keepAlive: Double?
        public var copies: [Copy]
        public var index: [String: Int]
    }

    public struct Device: Sendable {
        public var key: String
        /// The device class's fixed cost per token, `c` of `Throughput` (apple or nvidia).
        public var fixedSeconds: Double
    }

    public var instances: [Instance]
    public var devices: [Device]
    /// Model → the instances its requests may go to (primary endpoints), by index into `instances`.
    public var routes: [String: [Int]]
    /// Defaults applied and oddities found, for the report.
    public var notes: [String]

    // MARK: - From a plan

    public static func plan(_ plan: Plan, defaults d: Defaults = Defaults()) -> SimSystem {
        var b = Builder(plan: plan, defaults: d)
        var instances: [Instance] = []
        var ids: [String: Int] = [:]
        let sorted = plan.hosts.flatMap { h in h.instances.map { (h, $0) } }.sorted { $0.1.id < $1.1.id }
        for (h, i) in sorted {
            let dev = b.device(SharedThroughput.deviceKey(h, i), unified: h.kind == "unified")
            var copies: [Copy] = []
            for m in i.models { copies.append(b.copy(m, host: h, instance: i, resident: true, device: dev, slots: nil)) }
            for m in i.on_demand ?? [] where !i.models.contains(where: { $0.name == m.name }) {
                copies.append(b.copy(m, host: h, instance: i, resident: false, device: dev, slots: nil))
            }
            let residentBytes = i.models.reduce(Int64(0)) { $0 + $1.footprint_bytes }
            var budget = i.on_demand_budget_bytes ?? 0
            if i.on_demand_budget_bytes == nil, !(i.on_demand ?? []).isEmpty {
                budget = max(i.capacity_bytes - residentBytes, 0)
                b.note("\(i.id) has on-demand models but no on_demand_budget_bytes: used capacity − resident = \(budget) bytes")
            }
            let maxLoaded = i.env["OLLAMA_MAX_LOADED_MODELS"].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil }
            if let m = maxLoaded, m <= i.models.count, !(i.on_demand ?? []).isEmpty {
                b.note("\(i.id): OLLAMA_MAX_LOADED_MODELS=\(m) with \(i.models.count) resident models leaves no room for its on-demand models: their requests are unserved")
            }
            var keepAlive: Double? = d.keepAliveSeconds
            if let s = i.env["OLLAMA_KEEP_ALIVE"] {
                if let k = GoDuration.seconds(s) { keepAlive = k < 0 ? nil : k } else { b.note("\(i.id): OLLAMA_KEEP_ALIVE \"\(s)\" is not a duration: used \(Int(d.keepAliveSeconds)) s") }
            } else if !(i.on_demand ?? []).isEmpty {
                b.note("\(i.id) sets no OLLAMA_KEEP_ALIVE: used Ollama's default, 5m")
            }
            ids[i.id] = instances.count
            instances.append(Instance(id: i.id, budget: budget, maxLoaded: maxLoaded, keepAlive: keepAlive, copies: copies, index: indexOf(copies)))
        }
        var routes: [String: [Int]] = [:]
        for r in plan.routes {
            let primary = r.endpoints.filter { $0.role == .primary }
            let eps = (primary.isEmpty ? r.endpoints : primary).compactMap { ids[$0.instance] }
            let serving = eps.filter { instances[$0].index[r.model] != nil }
            if serving.count < eps.count { b.note("\(r.model): routed to an instance that holds no copy of it") }
            if !serving.isEmpty { routes[r.model] = Array(Set(serving)).sorted() }
        }
        return SimSystem(instances: instances, devices: b.devices, routes: routes, notes: b.notes)
    }

    // MARK: - The plain Ollama baseline

    /// One Ollama per host with its defaults, over the same memory: budget = the host's instances'
    /// capacity together, each model on the host of its plan route, nothing preloaded, LRU,
    /// OLLAMA_MAX_LOADED_MODELS 3 per GPU (3 on a Mac), keep_alive 5m, OLLAMA_NUM_PARALLEL 1. A copy
    /// keeps its plan footprint, speeds and device (the GPU it would use).
    public static func ollamaBaseline(_ plan: Plan, defaults d: Defaults = Defaults()) -> SimSystem {
        var b = Builder(plan: plan, defaults: d)
        var hostOf: [String: Int] = [:]
        var instances: [Instance] = []
        for h in plan.hosts.sorted(by: { $0.name < $1.name }) {
            for i in h.instances { hostOf[i.id] = instances.count }
            let gpus = Set(h.instances.compactMap(\.gpu)).count
            instances.append(Instance(id: "\(h.name)/ollama", budget: h.instances.reduce(Int64(0)) { $0 + $1.capacity_bytes },
                                      maxLoaded: 3 * max(h.kind == "unified" ? 1 : gpus, 1), keepAlive: 300, copies: [], index: [:]))
        }
        let lookup = Dictionary(plan.hosts.flatMap { h in h.instances.map { ($0.id, (h, $0)) } }, uniquingKeysWith: { a, _ in a })
        var routes: [String: [Int]] = [:]
        for r in plan.routes.sorted(by: { $0.model < $1.model }) {
            let primary = r.endpoints.filter { $0.role == .primary }
            guard let ep = (primary.isEmpty ? r.endpoints : primary).sorted(by: { $0.instance < $1.instance }).first,
                  let (h, i) = lookup[ep.instance], let k = hostOf[ep.instance],
                  let m = i.models.first(where: { $0.name == r.model }) ?? i.on_demand?.first(where: { $0.name == r.model }) else { continue }
            let dev = b.device(SharedThroughput.deviceKey(h, i), unified: h.kind == "unified")
            if instances[k].index[r.model] == nil {
                instances[k].index[r.model] = instances[k].copies.count
                instances[k].copies.append(b.copy(m, host: h, instance: i, resident: false, device: dev, slots: 1))
            }
            routes[r.model] = [k]
        }
        return SimSystem(instances: instances, devices: b.devices, routes: routes, notes: b.notes)
    }

    static func indexOf(_ copies: [Copy]) -> [String: Int] {
        var out: [String: Int] = [:]
        for (k, c) in copies.enumerated() where out[c.model] == nil { out[c.model] = k }
        return out
    }

    /// Collects devices, per-copy figures and the notes on defaults used.
    struct Builder {
        let plan: Plan
        let d: Defaults
        let info: [String: Plan.ModelInfo]
        var devices: [Device] = []
        var deviceIndex: [String: Int] = [:]
        var noteSet: Set<String> = []
        var notes: [String] = []
        var missingPrefill = 0, missingDecode = 0, missingCold = 0
        var missingStore: Set<String> = []

        init(plan: Plan, defaults: Defaults) {
            self.plan = plan; d = defaults
            info = Dictionary(plan.models.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        }

        mutating func note(_ s: String) { if noteSet.insert(s).inserted { notes.append(s) } }

        mutating func device(_ key: String, unified: Bool) -> Int {
            if let k = deviceIndex[key] { return k }
            deviceIndex[key] = devices.count
            devices.append(Device(key: key, fixedSeconds: (unified ? Throughput.apple : Throughput.nvidia).fixedSeconds))
            return devices.count - 1
        }

        mutating func copy(_ m: Plan.PlacedModel, host h: Plan.Host, instance i: Plan.Instance, resident: Bool, device: Int, slots: Int?) -> Copy {
            let mi = info[m.name]
            var decode = m.decode_tokens_per_s ?? 0
            if decode <= 0 { decode = d.decodeTokensPerSecond; note("copies without decode_tokens_per_s (host bandwidth unknown) decode at \(fmt(d.decodeTokensPerSecond)) tok/s") }
            var prefill = m.prefill_tokens_per_s ?? 0
            if prefill <= 0 { prefill = decode * d.prefillPerDecode; note("copies without prefill_tokens_per_s prefill at \(fmt(d.prefillPerDecode)) × their decode speed") }
            var cold = mi?.cold_start_s ?? -1
            if cold < 0 {
                var read = h.store_read_gbps ?? 0
                if read <= 0 { read = d.storeReadGBps; note("\(h.name) has no store_read_gbps: loads read at \(fmt(d.storeReadGBps)) GB/s") }
                cold = Double(m.weights_bytes) / (read * 1e9) + d.loadOverheadSeconds
                note("models without cold_start_s load in weights ÷ store_read + \(fmt(d.loadOverheadSeconds)) s")
            }
            let envParallel = i.env["OLLAMA_NUM_PARALLEL"].flatMap { Int($0) }
            let s = slots ?? max(mi?.parallel ?? envParallel ?? 1, 1)
            return Copy(model: m.name, footprint: m.footprint_bytes, weights: m.weights_bytes, decode: decode, prefill: prefill,
                        coldStart: cold, slots: s, resident: resident, device: device, slo: mi?.slo_s)
        }

        func fmt(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }
    }
}

/// OLLAMA_KEEP_ALIVE as Ollama reads it: a Go duration or bare seconds (`Units.parseDuration`);
/// negative means "keep loaded forever".
enum GoDuration {
    static func seconds(_ s: String) -> Double? { Units.parseDuration(s) }
}
