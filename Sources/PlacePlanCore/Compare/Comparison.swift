/// The what-if view: one cluster solved under several profiles, side by side.
///
/// Everything here is derived from the plans alone (SPEC §5), so a comparison can be rebuilt from
/// `compare --format json` output without re-solving.
public struct Comparison: Sendable {
    public static let formatID = "placeplan-compare/1"

    /// One solved column: the profile as asked for on the command line and its plan.
    public struct Column: Sendable {
        /// What the user typed after `--profile` (a name or a path).
        public var label: String
        public var plan: Plan
        /// True when the solver found no placement at all within its limits (the plan is then empty).
        public var noPlacement: Bool
        public init(label: String, plan: Plan, noPlacement: Bool = false) { self.label = label; self.plan = plan; self.noPlacement = noPlacement }
        /// A plan someone could run: not infeasible, and a placement was found.
        public var givesPlan: Bool { !noPlacement && plan.status != .infeasible }
    }

    public var columns: [Column]
    public init(columns: [Column]) { self.columns = columns }

    public var cluster: String { columns.first?.plan.cluster ?? "" }

    /// Column headers: the profile label, with " #2", " #3" … on repeats so every column is named apart.
    public var headers: [String] {
        var seen: [String: Int] = [:]
        return columns.map { c in
            let n = (seen[c.label] ?? 0) + 1
            seen[c.label] = n
            return n == 1 ? c.label : "\(c.label) #\(n)"
        }
    }

    /// The `compare --format json` document: `{"format": "placeplan-compare/1", "plans": [PLAN, ...]}`,
    /// encoded like `PlanCodec.encode` (pretty, sorted keys, unescaped slashes, final newline).
    public var json: String { PlanCodec.encode(File(format: Comparison.formatID, plans: columns.map(\.plan))) }

    public struct File: Codable, Equatable, Sendable {
        public var format: String
        public var plans: [Plan]
        public init(format: String, plans: [Plan]) { self.format = format; self.plans = plans }
    }

    /// Every model name of the cluster, in the order of the plans' `models` (sorted by name), across columns.
    public var modelNames: [String] {
        var seen = Set<String>(), out: [String] = []
        for c in columns { for m in c.plan.models where seen.insert(m.name).inserted { out.append(m.name) } }
        for c in columns { for u in c.plan.unplaced where u.name != "(required)" && seen.insert(u.name).inserted { out.append(u.name) } }
        return out
    }

    /// Where a model runs under one plan: `q4_K_M on mac/1`, `q8_0 on vm1/0, vm2/1`, or `unplaced`.
    public static func placement(of model: String, in plan: Plan) -> String {
        let copies = plan.placements.filter { $0.model.name == model }
        guard !copies.isEmpty else { return plan.status == .infeasible ? "infeasible" : "unplaced" }
        var byQuant: [(String, [String])] = []
        for c in copies {
            if let k = byQuant.firstIndex(where: { $0.0 == c.model.quant }) { byQuant[k].1.append(c.instance.id) } else { byQuant.append((c.model.quant, [c.instance.id])) }
        }
        return byQuant.map { "\($0.0) on \($0.1.joined(separator: ", "))" }.joined(separator: "; ")
    }

    /// One line per model whose placement is not the same under every profile:
    /// `llama3:70b: q8_0 on mac/0 | q4_K_M on mac/1 | unplaced`.
    public var differences: [String] {
        guard columns.count > 1 else { return [] }
        var out: [String] = []
        for m in modelNames {
            let cells = columns.map { Comparison.placement(of: m, in: $0.plan) }
            if Set(cells).count > 1 { out.append("\(m): " + cells.joined(separator: " | ")) }
        }
        return out
    }

    /// Models placed the same way under every profile.
    public var unchanged: [String] {
        guard columns.count > 1 else { return modelNames }
        return modelNames.filter { m in Set(columns.map { Comparison.placement(of: m, in: $0.plan) }).count == 1 }
    }
}

/// Decode-speed arithmetic over a plan's `decode_tokens_per_s` (the core's roofline; not changed here).
///
/// `decode_tokens_per_s` is one stream alone on its device: `1/t` with `t = m + c`, where `m` is the
/// bandwidth-bound part (bytes ÷ (η × bandwidth)) and `c` the fixed cost per token of the device
/// class (`Throughput.apple`, `Throughput.nvidia`). When `k` copies on one device decode at once, each
/// gets about 1/k of the bandwidth: `t_k = k × m + c`. A device is a unified host (all its instances
/// share one memory) or one GPU.
public enum SharedThroughput {
    public struct Copy: Sendable, Equatable {
        public var host: String
        public var instance: String
        public var model: String
        public var quant: String
        /// Alone on its device (the plan's figure).
        public var alone: Double
        /// With every copy on the same device decoding at once.
        public var shared: Double
        /// How many copies share the device.
        public var sharing: Int
    }

    public struct HostSum: Sendable, Equatable {
        public var host: String
        /// Σ single-stream speeds of the host's copies (each as if it ran alone).
        public var sumAlone: Double
        /// Σ speeds when every copy of each device decodes at the same time.
        public var sumShared: Double
        public var copies: Int
        /// False when some copy has no estimate (bandwidth unknown).
        public var complete: Bool
    }

    static func deviceKey(_ h: Plan.Host, _ i: Plan.Instance) -> String {
        h.kind == "unified" ? h.name : "\(h.name)/gpu\(i.gpu.map(String.init) ?? i.id)"
    }

    public static func copies(_ plan: Plan) -> [Copy] {
        var count: [String: Int] = [:]
        for (h, i, _) in plan.placements { count[deviceKey(h, i), default: 0] += 1 }
        var out: [Copy] = []
        for (h, i, m) in plan.placements {
            guard let tps = m.decode_tokens_per_s, tps > 0 else { continue }
            let k = count[deviceKey(h, i)] ?? 1
            let c = (h.kind == "unified" ? Throughput.apple : Throughput.nvidia).fixedSeconds
            let bound = max(1 / tps - c, 0)
            let shared = 1 / (Double(k) * bound + c)
            out.append(Copy(host: h.name, instance: i.id, model: m.name, quant: m.quant, alone: tps, shared: (shared * 10).rounded() / 10, sharing: k))
        }
        return out
    }

    public static func hosts(_ plan: Plan) -> [HostSum] {
        let cs = copies(plan)
        return plan.hosts.map { h in
            let mine = cs.filter { $0.host == h.name }
            let n = h.instances.reduce(0) { $0 + $1.models.count }
            return HostSum(host: h.name, sumAlone: mine.reduce(0) { $0 + $1.alone }, sumShared: mine.reduce(0) { $0 + $1.shared },
                           copies: n, complete: mine.count == n)
        }
    }
}
