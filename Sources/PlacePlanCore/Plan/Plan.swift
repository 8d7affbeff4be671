/// The plan file (SPEC §5, format `placeplan-plan/1`): what runs where, and why.
///
/// Everything an emitter needs is in the plan, so `placeplan emit PLAN.json` never re-reads the
/// cluster file. Fields beyond SPEC §5 (`models`, `settings`, per-copy `ctx`, …) are extensions.
public struct Plan: Codable, Equatable, Sendable {
    public static let formatID = "placeplan-plan/1"
    public var format: String = Plan.formatID
    public var cluster: String
    public var profile: String
    public var status: Status
    public var objective: Objective
    public var solver: Solver
    public var settings: Settings
    public var hosts: [Host]
    public var unplaced: [Unplaced]
    public var routes: [Route]
    /// One entry per model of the cluster file (placed or not), sorted by name.
    public var models: [ModelInfo]
    /// Things a person should know (e.g. a raised GPU wired limit), sorted.
    public var notes: [String]
    /// Only with `--stats`: never in a default plan, so plans stay byte-identical.
    public var stats: Stats?
    /// `replan` only: the steps from the old plan to this one, in order (SPEC §9).
    public var moves: [Move]?

    /// One step of a migration: a copy of `model` loaded on `to` (nil: only unloaded) and unloaded
    /// from `from` (nil: only loaded). The new copy is loaded before the old one is unloaded unless
    /// `drain_first`; `briefly_unavailable` when no other copy serves the model meanwhile.
    public struct Move: Codable, Equatable, Sendable {
        public var step: Int
        public var model: String
        public var quant: String
        public var from: String?
        public var to: String?
        public var drain_first: Bool?
        public var briefly_unavailable: Bool?
        public init(step: Int, model: String, quant: String, from: String?, to: String?, drain_first: Bool? = nil, briefly_unavailable: Bool? = nil) {
            self.step = step; self.model = model; self.quant = quant; self.from = from; self.to = to
            self.drain_first = drain_first; self.briefly_unavailable = briefly_unavailable
        }
    }

    public init(cluster: String, profile: String, status: Status, objective: Objective, solver: Solver,
                settings: Settings, hosts: [Host], unplaced: [Unplaced], routes: [Route],
                models: [ModelInfo], notes: [String], stats: Stats? = nil) {
        self.cluster = cluster; self.profile = profile; self.status = status; self.objective = objective
        self.solver = solver; self.settings = settings; self.hosts = hosts; self.unplaced = unplaced
        self.routes = routes; self.models = models; self.notes = notes; self.stats = stats
    }

    /// `optimal` (proven for both levels), `feasible`, or `infeasible`.
    public enum Status: String, Codable, Equatable, Sendable { case optimal, feasible, infeasible }
    /// A route endpoint: `primary` copies share the traffic; `backup` copies (on overflow hosts) take it on failover.
    public enum Role: String, Codable, Equatable, Sendable { case primary, backup }
    /// A model's tier (SPEC §8): preloaded copies, or loaded on the first request.
    public enum Tier: String, Codable, Equatable, Sendable {
        case resident
        case onDemand = "on-demand"
    }

    public struct Objective: Codable, Equatable, Sendable {
        /// Σ priority of served models.
        public var coverage: Int
        /// Σ priority × quality(quant) over copies ÷ replicas.
        public var quality: Double
        /// A proven upper bound on `quality` given `coverage`.
        public var quality_bound: Double
        /// A proven upper bound on `coverage`.
        public var coverage_bound: Int
        public init(coverage: Int, quality: Double, quality_bound: Double, coverage_bound: Int) {
            self.coverage = coverage; self.quality = quality; self.quality_bound = quality_bound; self.coverage_bound = coverage_bound
        }
    }

    public struct Solver: Codable, Equatable, Sendable {
        public var name: String
        public var version: String
        public var method: String
        /// Solver phases whose share of --time-limit ran out before they finished (absent when none).
        public var cut_short: [String]?
        public init(name: String, version: String, method: String, cut_short: [String]? = nil) {
            self.name = name; self.version = version; self.method = method; self.cut_short = cut_short
        }
    }

    /// The profile's run-time settings, as the scripts must apply them.
    public struct Settings: Codable, Equatable, Sendable {
        public var kv_cache_type: String
        public var flash_attention: Bool
        public var ubatch: Int
        /// OLLAMA_KEEP_ALIVE: Go duration or seconds; "-1" keeps models loaded.
        public var keep_alive: String
        /// nginx/HAProxy listener (default 8000).
        public var proxy_port: Int
        /// Whether OLOL servers and proxy are emitted.
        public var olol: Bool
        /// The OLOL proxy port (default 8000).
        public var olol_proxy_port: Int
        public init(kv_cache_type: String, flash_attention: Bool, ubatch: Int, keep_alive: String,
                    proxy_port: Int, olol: Bool, olol_proxy_port: Int) {
            self.kv_cache_type = kv_cache_type; self.flash_attention = flash_attention; self.ubatch = ubatch
            self.keep_alive = keep_alive; self.proxy_port = proxy_port; self.olol = olol; self.olol_proxy_port = olol_proxy_port
        }
    }

    public struct Host: Codable, Equatable, Sendable {
        public var name: String
        public var address: String
        /// "unified" or "gpu"
        public var kind: String
        public var capacity_bytes: Int64
        public var used_bytes: Int64
        /// OLLAMA_MODELS for this host, when the cluster names one.
        public var models_dir: String?
        public var labels: [String]
        /// Hosts whose copies are `backup` in proxies (labels listed in the profile's overflow_labels).
        public var overflow: Bool
        /// Unified hosts: installed memory, memory left to the OS, and the GPU working-set limit used.
        public var memory_bytes: Int64?
        public var reserve_bytes: Int64?
        public var wired_limit_bytes: Int64?
        /// Set when the plan needs `sudo sysctl iogpu.wired_limit_mb=N` above macOS's default.
        public var required_wired_limit_mb: Int64?
        public var bandwidth_gbps: Double?
        /// How fast the host's model store reads (GB/s): cold loads take weights ÷ this (SPEC §8).
        public var store_read_gbps: Double?
        public var instances: [Instance]
        public init(name: String, address: String, kind: String, capacity_bytes: Int64, used_bytes: Int64, models_dir: String? = nil, labels: [String], overflow: Bool, memory_bytes: Int64? = nil, reserve_bytes: Int64? = nil, wired_limit_bytes: Int64? = nil, required_wired_limit_mb: Int64? = nil, bandwidth_gbps: Double? = nil, store_read_gbps: Double? = nil, instances: [Instance]) {
            self.name = name; self.address = address; self.kind = kind; self.capacity_bytes = capacity_bytes; self.used_bytes = used_bytes; self.models_dir = models_dir; self.labels = labels; self.overflow = overflow; self.memory_bytes = memory_bytes; self.reserve_bytes = reserve_bytes; self.wired_limit_bytes = wired_limit_bytes; self.required_wired_limit_mb = required_wired_limit_mb; self.bandwidth_gbps = bandwidth_gbps; self.store_read_gbps = store_read_gbps; self.instances = instances
        }
    }

    public struct Instance: Codable, Equatable, Sendable {
        /// "host/k"
        public var id: String
        public var port: Int
        /// CUDA device index on GPU hosts; null on unified hosts.
        public var gpu: Int?
        public var gpu_name: String?
        public var olol_port: Int
        public var capacity_bytes: Int64
        public var used_bytes: Int64
        public var env: [String: String]
        /// Resident copies: preloaded and kept (`keep_alive: -1`).
        public var models: [PlacedModel]
        /// The on-demand tier served here (SPEC §8): created in the store, loaded by Ollama on the
        /// first request, evicted least-recently-used within `on_demand_budget_bytes`. Absent when none.
        public var on_demand: [PlacedModel]?
        /// Bytes this instance keeps for on-demand loads (capacity − resident bytes).
        public var on_demand_budget_bytes: Int64?
        /// A multi-GPU instance's CUDA devices, in order (CUDA_VISIBLE_DEVICES); absent for one card
        /// (`gpu`) and on unified hosts.
        public var gpus: [Int]?
        /// `false`: the start script does not start this instance (it holds no copy: an idle server
        /// would only take its runtime minimum and a port). Absent means started.
        public var start: Bool?
        /// Whether the start script starts it.
        public var started: Bool { start ?? true }

        public init(id: String, port: Int, gpu: Int?, gpu_name: String? = nil, olol_port: Int, capacity_bytes: Int64, used_bytes: Int64,
                    env: [String: String], models: [PlacedModel], on_demand: [PlacedModel]? = nil, on_demand_budget_bytes: Int64? = nil,
                    gpus: [Int]? = nil, start: Bool? = nil) {
            self.id = id; self.port = port; self.gpu = gpu; self.gpu_name = gpu_name; self.olol_port = olol_port
            self.capacity_bytes = capacity_bytes; self.used_bytes = used_bytes; self.env = env; self.models = models
            self.on_demand = on_demand; self.on_demand_budget_bytes = on_demand_budget_bytes
            self.gpus = gpus; self.start = start
        }

        enum CodingKeys: String, CodingKey {
            case id, port, gpu, gpus, gpu_name, olol_port, capacity_bytes, used_bytes, env, models, on_demand, on_demand_budget_bytes, start
        }
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(port, forKey: .port)
            try c.encode(gpu, forKey: .gpu)  // SPEC §5 shows "gpu": null on unified hosts
            try c.encodeIfPresent(gpus, forKey: .gpus)
            try c.encodeIfPresent(gpu_name, forKey: .gpu_name)
            try c.encode(olol_port, forKey: .olol_port)
            try c.encode(capacity_bytes, forKey: .capacity_bytes)
            try c.encode(used_bytes, forKey: .used_bytes)
            try c.encode(env, forKey: .env)
            try c.encode(models, forKey: .models)
            try c.encodeIfPresent(on_demand, forKey: .on_demand)
            try c.encodeIfPresent(on_demand_budget_bytes, forKey: .on_demand_budget_bytes)
            try c.encodeIfPresent(start, forKey: .start)
        }
    }

    public struct PlacedModel: Codable, Equatable, Sendable {
        public var name: String
        public var quant: String
        public var footprint_bytes: Int64
        public var weights_bytes: Int64
        public var kv_cache_bytes: Int64
        public var compute_bytes: Int64
        /// Where the footprint came from: "gguf", "sizes", "catalog", "footprints".
        public var footprint_source: String
        public var decode_tokens_per_s: Double?
        /// Vision projector bytes loaded beside the weights (part of `footprint_bytes`); absent when none.
        public var projector_bytes: Int64?
        /// The Modelfile's FROM for this copy: a GGUF path, the registry tag pulled for this quant,
        /// or the model's own name in this host's store (which keeps the store's TEMPLATE, SYSTEM and
        /// PARAMETER layers). Every emitted line that makes this copy present uses exactly this.
        public var from: String?
        /// The registry tag `ollama pull` fetches for this copy (nil: nothing to pull).
        public var pull: String?
        /// Estimated prompt-processing speed of this copy alone on its device (SPEC §8; `Throughput.prefill`).
        public var prefill_tokens_per_s: Double?
        /// On a multi-GPU instance: this copy's bytes on each of the instance's GPUs (in `gpus`
        /// order) as the layer split deals it (LayerSplit); absent on one card or unified memory.
        public var per_gpu_bytes: [Int64]?
        public init(name: String, quant: String, footprint_bytes: Int64, weights_bytes: Int64, kv_cache_bytes: Int64, compute_bytes: Int64, footprint_source: String, decode_tokens_per_s: Double? = nil,
                    projector_bytes: Int64? = nil, from: String? = nil, pull: String? = nil, prefill_tokens_per_s: Double? = nil, per_gpu_bytes: [Int64]? = nil) {
            self.per_gpu_bytes = per_gpu_bytes
            self.name = name; self.quant = quant; self.footprint_bytes = footprint_bytes; self.weights_bytes = weights_bytes; self.kv_cache_bytes = kv_cache_bytes; self.compute_bytes = compute_bytes; self.footprint_source = footprint_source; self.decode_tokens_per_s = decode_tokens_per_s
            self.projector_bytes = projector_bytes; self.from = from; self.pull = pull; self.prefill_tokens_per_s = prefill_tokens_per_s
        }
    }

    public struct Unplaced: Codable, Equatable, Sendable {
        public var name: String
        public var reason: String
        public init(name: String, reason: String) {
            self.name = name; self.reason = reason
        }
    }

    public struct Route: Codable, Equatable, Sendable {
        public var model: String
        public var endpoints: [Endpoint]
        public init(model: String, endpoints: [Endpoint]) {
            self.model = model; self.endpoints = endpoints
        }
    }

    public struct Endpoint: Codable, Equatable, Sendable {
        public var instance: String
        public var url: String
        /// "primary" or "backup" (copies on overflow hosts)
        public var role: Role
        public init(instance: String, url: String, role: Role) {
            self.instance = instance; self.url = url; self.role = role
        }
    }

    /// How a model is made present on an instance and how it must be configured.
    public struct ModelInfo: Codable, Equatable, Sendable {
        public var name: String
        public var priority: Int
        public var required: Bool
        public var replicas: Int
        /// num_ctx per slot as Ollama will run it (already cut to the model's trained context).
        public var ctx: Int
        /// The context asked for, when it was above the model's trained context and was cut to `ctx`.
        public var ctx_requested: Int?
        public var parallel: Int
        /// `PARAMETER num_batch` pinned in the Modelfile: the batch the compute buffer was sized for.
        public var num_batch: Int?
        /// `resident` (preloaded copies), `on-demand` (loaded on the first request), or absent when
        /// the model cannot be served at all (see `unplaced`).
        public var tier: Tier?
        /// Seconds to load the model cold: weights ÷ the host's store_read + the runtime's load overhead.
        public var cold_start_s: Double?
        /// Expected requests per hour (the cluster's `demand`), and the acceptable time to first token.
        public var demand_per_hour: Double?
        public var slo_s: Double?
        /// Quantization of the copies (nil when unplaced). Copies on different hosts may differ
        /// (each copy's own `quant` is authoritative); copies on one host always share one.
        public var quant: String?
        /// A local GGUF file: the Modelfile's FROM.
        public var gguf: String?
        /// Registry tag to `ollama pull` when there is no GGUF (e.g. "llama3:70b-instruct-q4_K_M").
        public var pull: String?
        public var system: String?
        public var template: String?
        /// Modelfile PARAMETERs; a list value gives one line per element (e.g. stop).
        public var parameters: [String: [String]]
        public init(name: String, priority: Int, required: Bool, replicas: Int, ctx: Int, parallel: Int, quant: String? = nil, gguf: String? = nil, pull: String? = nil, system: String? = nil, template: String? = nil, parameters: [String: [String]],
                    ctx_requested: Int? = nil, num_batch: Int? = nil) {
            self.name = name; self.priority = priority; self.required = required; self.replicas = replicas; self.ctx = ctx; self.parallel = parallel; self.quant = quant; self.gguf = gguf; self.pull = pull; self.system = system; self.template = template; self.parameters = parameters
            self.ctx_requested = ctx_requested; self.num_batch = num_batch
        }
    }

    public struct Stats: Codable, Equatable, Sendable {
        public var solve_seconds: Double
        public var variables: Int
        public var constraints: Int
        public init(solve_seconds: Double, variables: Int, constraints: Int) {
            self.solve_seconds = solve_seconds; self.variables = variables; self.constraints = constraints
        }
    }
}

extension Plan {
    /// Every placed copy, in plan order, with its host and instance.
    public var placements: [(host: Host, instance: Instance, model: PlacedModel)] {
        var out: [(Host, Instance, PlacedModel)] = []
        for h in hosts { for i in h.instances { for m in i.models { out.append((h, i, m)) } } }
        return out
    }

    public func modelInfo(_ name: String) -> ModelInfo? { models.first { $0.name == name } }
}
