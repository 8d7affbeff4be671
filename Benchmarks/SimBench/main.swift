import Foundation
import PlacePlanCore

// placeplan-simbench: how fast `simulate` replays a trace, and what a two-tier plan gains over plain
// Ollama, on a 1,000-model library with Zipf demand.
//
// The plan is built here, not solved: until the planner writes the on-demand tier, a greedy stand-in
// keeps the most demanded models resident (by demand, first instance with room) and puts every other
// model on an on-demand instance with a budget, as SPEC §8 describes. Hosts: two Mac Studios M2 Ultra
// 192 GB (800 GB/s; models on an external Thunderbolt drive, 2 GB/s), each two instances of 72 GB, and
// a GPU server with four RTX 3090 24 GB (936 GB/s; NVMe, 3 GB/s). Model sizes, speeds and demand are
// seeded draws. Usage:
//   swift run -c release placeplan-simbench [--models 1000] [--rate 20000] [--zipf 1.1] [--seed 1]
//        [--lengths 5000,10000,20000,40000] [--repeat 3] [--write DIR]
// --write DIR also writes DIR/plan.json and DIR/trace.csv (the 1-hour trace) for `placeplan simulate`.

struct Options {
    var models = 1000, rate = 20000.0, zipf = 1.1, seed: UInt64 = 1, repeats = 3
    var lengths = [5000, 10000, 20000, 40000]
    var write: String?
    init(_ args: [String]) {
        var i = 0
        func value() -> String { i += 1; guard i < args.count else { fail("\(args[i - 1]) needs a value") }; return args[i] }
        while i < args.count {
            switch args[i] {
            case "--models": models = Int(value()) ?? models
            case "--rate": rate = Double(value()) ?? rate
            case "--zipf": zipf = Double(value()) ?? zipf
            case "--seed": seed = UInt64(value()) ?? seed
            case "--repeat": repeats = max(Int(value()) ?? repeats, 1)
            case "--lengths": lengths = value().split(separator: ",").compactMap { Int($0) }
            case "--write": write = value()
            default: fail("unknown option \(args[i])")
            }
            i += 1
        }
    }
}

func fail(_ s: String) -> Never { FileHandle.standardError.write(Data("placeplan-simbench: \(s)\n".utf8)); exit(64) }

let o = Options(Array(CommandLine.arguments.dropFirst()))
let plan = Library.plan(models: o.models, ratePerHour: o.rate, zipf: o.zipf, seed: o.seed)
let names = plan.models.map { TraceGenerator.Model(name: $0.name, demandPerHour: $0.demand_per_hour) }
/// A chat bot's turns, shorter than TraceGenerator's default: 4,096 seeded (prompt, output) pairs, log-normal,
/// prompt median 300 tokens (σ 0.8), output median 60 (σ 0.7).
let tokens: [TraceGenerator.TokenPair] = {
    var rng = SplitMix64(seed: o.seed &+ 0x70C)
    func u() -> Double { Double(rng.next() >> 11) * 0x1p-53 }
    func ln(_ median: Double, _ sigma: Double) -> Int { max(1, Int((median * exp(sigma * (-2 * log(1 - u())).squareRoot() * cos(2 * .pi * u()))).rounded())) }
    return (0..<4096).map { _ in .init(prompt: min(ln(300, 0.8), 8192), output: min(ln(60, 0.7), 1024)) }
}()
let resident = plan.models.filter { $0.tier == .resident }.count
print("plan: \(plan.models.count) models, \(resident) resident, \(plan.models.count - resident) on-demand; demand Zipf s=\(o.zipf), \(Int(o.rate))/h in total")

if let dir = o.write {
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let hour = TraceGenerator.generate(models: names, options: .init(duration: 3600, ratePerHour: o.rate, seed: o.seed, tokens: tokens))
    do {
        try PlanCodec.encode(plan).write(toFile: dir + "/plan.json", atomically: true, encoding: .utf8)
        try hour.csv.write(toFile: dir + "/trace.csv", atomically: true, encoding: .utf8)
    } catch { fail("cannot write \(dir): \(error)") }
    print("wrote \(dir)/plan.json and \(dir)/trace.csv (\(hour.requests.count) requests)")
}

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }

print("")
print("requests  trace s   plan s  plan req/s  baseline s  baseline req/s   plan hits  base hits  plan TTFT p95  base TTFT p95")
let clock = ContinuousClock()
let planSystem = SimSystem.plan(plan), baseSystem = SimSystem.ollamaBaseline(plan)
for n in o.lengths {
    let duration = Double(n) / o.rate * 3600
    let trace = TraceGenerator.generate(models: names, options: .init(duration: duration, ratePerHour: o.rate, seed: o.seed, tokens: tokens))
    var best = (Double.infinity, Double.infinity)
    var reports: (SimReport, SimReport)?
    for _ in 0..<o.repeats {
        var p: SimReport?, b: SimReport?
        let tp = clock.measure { p = SimReport(system: planSystem, trace: trace) }
        let tb = clock.measure { b = SimReport(system: baseSystem, trace: trace) }
        best = (min(best.0, seconds(tp)), min(best.1, seconds(tb)))
        reports = (p!, b!)
    }
    let (p, b) = reports!
    func pct(_ s: SimReport.Stats) -> String { String(format: "%.1f%%", Double(s.resident_hits) * 100 / Double(max(s.requests, 1))) }
    let k = trace.requests.count
    print(String(format: "%8d  %7.0f  %7.3f  %10.0f  %10.3f  %14.0f  %10@  %9@  %13.2f  %13.2f", k, duration, best.0, Double(k) / best.0, best.1, Double(k) / best.1,
                 pct(p.total) as NSString, pct(b.total) as NSString, p.total.ttft_p95_s ?? .nan, b.total.ttft_p95_s ?? .nan))
    if p.budgetViolations + b.budgetViolations > 0 { fail("budget violated: the simulator has a bug") }
}

/// The synthetic 1,000-model library and its greedy two-tier plan.
enum Library {
    static let gb: Double = 1e9
    struct Spec { var name: String; var weights: Int64; var footprint: Int64; var demand: Double; var parallel: Int }

    static func plan(models n: Int, ratePerHour: Double, zipf: Double, seed: UInt64) -> Plan {
        var rng = SplitMix64(seed: seed)
        func unit() -> Double { Double(rng.next() >> 11) * 0x1p-53 }
        // Sizes as an Ollama library has them: 1B–14B mostly, some 27–34B, at q4_K_M (GB of weights).
        let sizes: [(Double, Double)] = [(0.8, 0.10), (2.0, 0.20), (4.4, 0.30), (4.9, 0.15), (8.0, 0.12), (9.0, 0.06), (16.0, 0.04), (19.0, 0.03)]
        let w = (1...n).map { 1 / pow(Double($0), zipf) }
        let sum = w.reduce(0, +)
        let specs: [Spec] = (0..<n).map { k in
            var u = unit(), size = sizes[0].0
            for (s, p) in sizes { if u < p { size = s; break }; u -= p }
            let weights = Int64(size * gb * (0.9 + 0.2 * unit()))
            // The most demanded models get more slots (and KV cache: ~12% of the weights per 4k-context slot).
            let parallel = k < 5 ? 8 : k < 15 ? 4 : k < 40 ? 2 : 1
            let footprint = weights + Int64(Double(weights) * 0.12) * Int64(parallel) + Int64(0.6 * gb)
            return Spec(name: String(format: "lib-%04d", k + 1), weights: weights, footprint: footprint, demand: (ratePerHour * w[k] / sum * 1000).rounded() / 1000, parallel: parallel)
        }
        struct Inst { var id: String; var host: String; var gpu: Int?; var capacity: Int64; var budget: Int64; var unified: Bool; var resident: [Spec] = []; var onDemand: [Spec] = [] }
        let runtime = Int64(512 * 1024 * 1024)
        // Two Mac Studios (each: one resident instance, one half resident and half on-demand budget) and a
        // server with four RTX 3090s (two resident, two on-demand).
        var insts: [Inst] = []
        for g in 0..<4 { insts.append(Inst(id: "gpu/\(g)", host: "gpu", gpu: g, capacity: Int64(23 * gb), budget: g < 2 ? 0 : Int64(23 * gb) - runtime, unified: false)) }
        for m in ["mac1", "mac2"] {
            insts.append(Inst(id: "\(m)/0", host: m, gpu: nil, capacity: Int64(72 * gb), budget: 0, unified: true))
            insts.append(Inst(id: "\(m)/1", host: m, gpu: nil, capacity: Int64(72 * gb), budget: Int64(36 * gb), unified: true))
        }
        func used(_ i: Inst) -> Int64 { runtime + i.resident.reduce(0) { $0 + $1.footprint } }
        // Resident: by demand, each copy on the instance with the least demand so far among those with room
        // outside their on-demand budget (ties: order); the 5 most demanded get two copies on two devices.
        var rest: [Spec] = []
        var load = Array(repeating: 0.0, count: insts.count)
        func device(_ k: Int) -> String { insts[k].gpu.map { "gpu\($0)" } ?? insts[k].host }
        for (rank, s) in specs.enumerated() {
            let copies = rank < 5 ? 2 : 1
            var chosen: [Int] = []
            for _ in 0..<copies {
                let room = insts.indices.filter { k in used(insts[k]) + s.footprint + insts[k].budget <= insts[k].capacity && !chosen.contains { device($0) == device(k) } }
                guard let k = room.min(by: { load[$0] < load[$1] || (load[$0] == load[$1] && $0 < $1) }) else { break }
                chosen.append(k)
            }
            if chosen.isEmpty { rest.append(s); continue }
            for k in chosen { insts[k].resident.append(s); load[k] += s.demand / Double(chosen.count) }
        }
        // On demand: the rest, dealt in turn to the on-demand instances where they fit.
        let od = insts.indices.filter { insts[$0].budget > 0 }
        for (k, s) in rest.enumerated() {
            let fits = od.filter { s.footprint <= insts[$0].budget }
            insts[fits[k % fits.count]].onDemand.append(s)
        }
        func placed(_ s: Spec, _ i: Inst) -> Plan.PlacedModel {
            let tps = Throughput.decodeTokensPerSecond(bytesPerToken: s.weights, bandwidthGBps: i.unified ? 800 : 936, unified: i.unified)
            var p = Plan.PlacedModel(name: s.name, quant: "q4_K_M", footprint_bytes: s.footprint, weights_bytes: s.weights, kv_cache_bytes: s.footprint - s.weights - Int64(0.6 * gb),
                                     compute_bytes: Int64(0.6 * gb), footprint_source: "sizes", decode_tokens_per_s: tps)
            // Prompt processing about 12× decode on Apple, 35× on an RTX 3090 (llama.cpp's pp512 / tg128 ratios for 7B q4_0).
            p.prefill_tokens_per_s = (tps * (i.unified ? 12 : 35)).rounded()
            return p
        }
        var hosts: [Plan.Host] = []
        var routes: [String: [Plan.Endpoint]] = [:]
        var infos: [String: Plan.ModelInfo] = [:]
        let read = ["mac1": 2.0, "mac2": 2.0, "gpu": 3.0]
        for h in ["gpu", "mac1", "mac2"] {
            let mine = insts.filter { $0.host == h }
            let instances = mine.enumerated().map { k, i -> Plan.Instance in
                let env = ["OLLAMA_HOST": "0.0.0.0:\(11434 + k)", "OLLAMA_NUM_PARALLEL": "\((i.resident + i.onDemand).map(\.parallel).max() ?? 1)", "OLLAMA_KEEP_ALIVE": i.onDemand.isEmpty ? "-1" : "10m",
                           "OLLAMA_MAX_LOADED_MODELS": "\(i.resident.count + (i.onDemand.isEmpty ? 0 : 6))"]
                    .merging(i.gpu.map { ["CUDA_VISIBLE_DEVICES": "\($0)"] } ?? [:]) { a, _ in a }
                for s in i.resident + i.onDemand {
                    routes[s.name, default: []].append(Plan.Endpoint(instance: i.id, url: "http://\(h):\(11434 + k)", role: .primary))
                }
                return Plan.Instance(id: i.id, port: 11434 + k, gpu: i.gpu, gpu_name: i.gpu == nil ? nil : "RTX 3090", olol_port: 50051 + k, capacity_bytes: i.capacity,
                                     used_bytes: used(i), env: env, models: i.resident.map { placed($0, i) },
                                     on_demand: i.onDemand.isEmpty ? nil : i.onDemand.map { placed($0, i) }, on_demand_budget_bytes: i.onDemand.isEmpty ? nil : i.budget)
            }
            var host = Plan.Host(name: h, address: h, kind: h == "gpu" ? "gpu" : "unified", capacity_bytes: mine.reduce(0) { $0 + $1.capacity },
                                 used_bytes: mine.reduce(0) { $0 + used($1) }, labels: [], overflow: false, bandwidth_gbps: h == "gpu" ? 936 : 800, instances: instances)
            host.store_read_gbps = read[h]
            hosts.append(host)
            for i in mine {
                for (s, tier) in i.resident.map({ ($0, "resident") }) + i.onDemand.map({ ($0, "on-demand") }) {
                    if infos[s.name] != nil { continue }
                    var m = Plan.ModelInfo(name: s.name, priority: 1, required: false, replicas: 1, ctx: 4096, parallel: s.parallel, quant: "q4_K_M", parameters: [:])
                    m.tier = Plan.Tier(rawValue: tier); m.replicas = routes[s.name]?.count ?? 1
                    m.demand_per_hour = s.demand
                    m.cold_start_s = ((Double(s.weights) / (read[h]! * gb) + 1.5) * 100).rounded() / 100
                    m.slo_s = 10
                    infos[s.name] = m
                }
            }
        }
        return Plan(cluster: "library-\(n)", profile: "simbench", status: .feasible,
                    objective: .init(coverage: n, quality: 0, quality_bound: 0, coverage_bound: n),
                    solver: .init(name: "greedy stand-in", version: "0", method: "placeplan-simbench"),
                    settings: .init(kv_cache_type: "f16", flash_attention: true, ubatch: 512, keep_alive: "-1", proxy_port: 8000, olol: false, olol_proxy_port: 8001),
                    hosts: hosts, unplaced: [], routes: routes.keys.sorted().map { Plan.Route(model: $0, endpoints: routes[$0]!.sorted { $0.instance < $1.instance }) },
                    models: infos.keys.sorted().map { infos[$0]! },
                    notes: ["built by placeplan-simbench's greedy stand-in, not solved"])
    }
}
