import Yams

/// An allocation profile: how hosts are split into instances and which quantizations and
/// run-time settings are allowed (files under `Profiles/`).
public struct Profile: Equatable, Sendable {
    public var name: String
    public var description: String
    /// Memory left to the OS on unified hosts (a host's own `reserve` wins).
    public var reserve: Int64
    /// Use memory − reserve as the GPU working set (needs `sudo sysctl iogpu.wired_limit_mb`).
    public var raiseWiredLimit: Bool
    public var instancesPerHost: Int
    /// When set, unified hosts are split into as many instances of this size as fit.
    public var instanceCapacity: Int64?
    /// Subtracted from every GPU's VRAM: the CUDA context and driver (not reported by llama.cpp).
    public var gpuReserve: Int64
    /// Allowed quantizations, preferred first.
    public var quants: [Quant]
    public var ctx: Int
    public var parallel: Int
    public var kvType: KVType
    public var flashAttention: Bool
    public var ubatch: Int
    public var keepAlive: String
    public var qualityOverride: [Quant: Double]
    public var bitsOverride: [Quant: Double]
    /// Hosts with one of these labels serve as backup in proxies.
    public var overflowLabels: [String]
    /// The on-demand tier (SPEC §8): `auto` keeps instances free for loading models that are not
    /// resident when that makes them reachable; `off` keeps everything resident-only.
    public var onDemand: Bool = true
    /// `on_demand: always`: keep instances free whenever that makes more models reachable, even
    /// when it costs resident ones (auto keeps them only when a model on demand, counted half, pays).
    public var onDemandAlways = false
    /// OLLAMA_KEEP_ALIVE on on-demand instances: how long a model loaded on request stays.
    public var onDemandKeepAlive: String = "10m"
    /// GPU hosts: a box's GPUs grouped this many per instance, in index order (the last group may be
    /// smaller); 1 is one instance per GPU. Explicit `instances` win.
    public var gpusPerInstance: Int = 1
    /// `gpus_per_instance: auto`: the planner tries each grouping (1, 2, … cards per instance, the
    /// same on every box) and keeps the best plan (coverage, then quality).
    public var gpusPerInstanceAuto = false
    /// Unified hosts: `equal` walls fixed in advance, or `pooled` (one budget the plan divides).
    public var split: Split = .equal

    public enum Split: String, Sendable { case equal, pooled }

    public func quality(_ q: Quant) -> Double { qualityOverride[q] ?? q.quality }
    public func bits(_ q: Quant) -> Double { bitsOverride[q] ?? q.bitsPerWeight }

    /// SPEC defaults, used when a cluster names no profile: one instance per host, every quant,
    /// ctx 4096, one slot, f16 KV, flash attention on, ubatch 512, keep models loaded.
    public static let standard = Profile(
        name: "default", description: "SPEC defaults: one instance per host, every quantization",
        reserve: 0, raiseWiredLimit: false, instancesPerHost: 1, instanceCapacity: nil,
        gpuReserve: 512 * Units.MiB, quants: Quant.allCases, ctx: 4096, parallel: 1, kvType: .f16,
        flashAttention: true, ubatch: 512, keepAlive: "-1", qualityOverride: [:], bitsOverride: [:], overflowLabels: [])

    static let fields = ["name", "description", "reserve", "raise_wired_limit", "instances_per_host", "instance_capacity",
                         "gpu_reserve", "quants", "ctx", "parallel", "kv_cache_type", "flash_attention", "ubatch",
                         "keep_alive", "quality", "bits_per_weight", "overflow_labels", "on_demand", "on_demand_keep_alive",
                         "gpus_per_instance", "split"]

    /// Reads a profile file; fields not given keep the SPEC defaults.
    public static func decode(_ text: String, file: String, name fallbackName: String) throws -> Profile {
        let root = try TextParser.parse(text, file: file)
        var r = NodeReader(file: file)
        guard let f = r.mapping(root, "", known: fields, what: "a profile") else { throw InvalidInput(r.diagnostics) }
        var p = Profile.standard
        p.name = f["name"].flatMap { r.string($0, "name") } ?? fallbackName
        p.description = f["description"].flatMap { r.string($0, "description") } ?? ""
        if let n = f["reserve"], let v = r.size(n, "reserve", example: "16 GiB", allowZero: true) { p.reserve = v }
        if let n = f["raise_wired_limit"], let v = r.bool(n, "raise_wired_limit") { p.raiseWiredLimit = v }
        if let n = f["instances_per_host"], let v = r.int(n, "instances_per_host", range: 1...64, example: "4") { p.instancesPerHost = v }
        if let n = f["instance_capacity"], let v = r.size(n, "instance_capacity", example: "25 GB") { p.instanceCapacity = v }
        if let n = f["gpu_reserve"], let v = r.size(n, "gpu_reserve", example: "512 MiB", allowZero: true) { p.gpuReserve = v }
        if let n = f["quants"], let qs = r.stringList(n, "quants", what: "quants") {
            var list: [Quant] = []
            for (i, q) in qs.enumerated() {
                if let v = Quant(parsing: q) { if !list.contains(v) { list.append(v) } }
                else { r.error(n, "quants[\(i)]", "is not a known quantization (got \"\(q)\")", fix: ClusterDecoder.unknownQuantFix(q)) }
            }
            if list.isEmpty { r.error(n, "quants", "is empty", fix: "list at least one quantization") } else { p.quants = list }
        }
        if let n = f["ctx"], let v = r.int(n, "ctx", range: 1...10_485_760, example: "8192") { p.ctx = v }
        if let n = f["parallel"], let v = r.int(n, "parallel", range: 1...256, example: "1") { p.parallel = v }
        if let n = f["kv_cache_type"], let s = r.string(n, "kv_cache_type") {
            if let v = KVType(rawValue: s) { p.kvType = v } else { r.error(n, "kv_cache_type", "must be f16, q8_0 or q4_0 (got \"\(s)\")") }
        }
        if let n = f["flash_attention"], let v = r.bool(n, "flash_attention") { p.flashAttention = v }
        if let n = f["ubatch"], let v = r.int(n, "ubatch", range: 1...65536, example: "512") { p.ubatch = v }
        if let n = f["keep_alive"], let s = r.string(n, "keep_alive") {
            if s.allSatisfy({ $0.isNumber || $0 == "-" || $0 == "h" || $0 == "m" || $0 == "s" || $0 == "." }) { p.keepAlive = s }
            else { r.error(n, "keep_alive", "must be a duration such as -1, 0, 300, 5m or 24h (got \"\(s)\")") }
        }
        for (key, dict) in [("quality", \Profile.qualityOverride), ("bits_per_weight", \Profile.bitsOverride)] {
            guard let n = f[key] else { continue }
            guard case .mapping(let m) = n else { r.error(n, key, "must map quantizations to numbers"); continue }
            for (k, v) in m {
                guard case .scalar(let ks) = k, let q = Quant(parsing: ks.string) else { r.error(k, key, "has an unknown quantization", fix: "use names from SPEC §2"); continue }
                guard case .scalar(let vs) = v, let d = Double(vs.string), d.isFinite, d > 0, d <= (key == "quality" ? 1 : 64) else {
                    r.error(v, "\(key).\(ks.string)", "must be a number in (0, \(key == "quality" ? "1" : "64")]"); continue
                }
                p[keyPath: dict][q] = d
            }
        }
        if let n = f["gpus_per_instance"] {
            if case .scalar(let sc) = n, sc.string == "auto" { p.gpusPerInstanceAuto = true }
            else if let v = r.int(n, "gpus_per_instance", range: 1...64, example: "2 (or auto)") { p.gpusPerInstance = v }
        }
        if let n = f["split"], let s = r.string(n, "split") {
            if let v = Split(rawValue: s) { p.split = v } else { r.error(n, "split", "must be equal or pooled (got \"\(s)\")", fix: "split: pooled lets the plan size each instance of a Mac; equal fixes the walls in advance") }
        }
        if let n = f["overflow_labels"], let ls = r.stringList(n, "overflow_labels", what: "labels") { p.overflowLabels = ls.sorted() }
        if let n = f["on_demand"], let s = r.string(n, "on_demand") {
            switch s { case "auto": p.onDemand = true; case "off": p.onDemand = false
            case "always": p.onDemand = true; p.onDemandAlways = true
            default: r.error(n, "on_demand", "must be auto, always or off (got \"\(s)\")", fix: "on_demand: auto") }
        }
        if let n = f["on_demand_keep_alive"], let s = r.string(n, "on_demand_keep_alive") {
            if Units.parseDuration(s) != nil, !s.hasPrefix("-") { p.onDemandKeepAlive = s }
            else { r.error(n, "on_demand_keep_alive", "must be a duration such as 300, 5m or 1h (got \"\(s)\")", fix: "on_demand_keep_alive: 10m") }
        }
        if !r.diagnostics.isEmpty { throw InvalidInput(r.diagnostics) }
        return p
    }
}

import Foundation
