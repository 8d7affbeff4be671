import Foundation
import PlacePlanCore

/// One planned instance to ask, with the copies it should hold.
public struct VerifyTarget: Equatable, Sendable {
    public var instance: String
    public var host: String
    /// `http://<host.address>:<port>`
    public var url: String
    public var copies: [PlannedCopy]
    /// The on-demand tier served here (SPEC §8): may be loaded or not; loaded elsewhere is drift.
    public var onDemand: [String] = []

    public struct PlannedCopy: Equatable, Sendable {
        public var model: String
        public var footprintBytes: Int64
        /// The context the copy should run with: the copy's own `ctx` when the plan has one,
        /// else the model's (`plan.models[].ctx`); nil when the plan names neither.
        public var ctx: Int?
        /// `plan.models[].parallel`: Ollama's runner context is `num_ctx × OLLAMA_NUM_PARALLEL`.
        public var parallel: Int
        public init(model: String, footprintBytes: Int64, ctx: Int?, parallel: Int = 1) {
            self.model = model; self.footprintBytes = footprintBytes; self.ctx = ctx; self.parallel = parallel
        }
    }

    public init(instance: String, host: String, url: String, copies: [PlannedCopy]) {
        self.instance = instance; self.host = host; self.url = url; self.copies = copies
    }

    /// Every instance of the plan, in plan order. `planData` (the plan file's bytes) supplies a
    /// per-copy `ctx` (`hosts[].instances[].models[].ctx`) when the plan carries one; `Plan`
    /// itself does not decode that field yet.
    public static func all(in plan: Plan, planData: Data? = nil) -> [VerifyTarget] {
        let copyCtx = planData.map(CopyContexts.read) ?? [:]
        // Instances the start script does not start (`start: false`) are not asked.
        return plan.hosts.flatMap { h in
            h.instances.filter(\.started).map { i in
                var t = VerifyTarget(instance: i.id, host: h.name, url: url(address: h.address, port: i.port), copies: i.models.map { m in
                    let info = plan.modelInfo(m.name)
                    return PlannedCopy(model: m.name, footprintBytes: m.footprint_bytes,
                                       ctx: copyCtx[i.id]?[m.name] ?? info?.ctx, parallel: max(1, info?.parallel ?? 1))
                })
                t.onDemand = (i.on_demand ?? []).map(\.name)
                return t
            }
        }
    }

    /// IPv6 literals need brackets in a URL.
    static func url(address: String, port: Int) -> String {
        let a = address.contains(":") && !address.hasPrefix("[") ? "[\(address)]" : address
        return "http://\(a):\(port)"
    }
}

/// Reads only `hosts[].instances[].{id, models[].{name, ctx}}` from a plan file, tolerating
/// everything else, so a per-copy `ctx` is used as soon as plans carry it.
enum CopyContexts {
    struct File: Decodable { var hosts: [Host]? }
    struct Host: Decodable { var instances: [Instance]? }
    struct Instance: Decodable { var id: String; var models: [Copy]? }
    struct Copy: Decodable { var name: String; var ctx: Int? }

    static func read(_ data: Data) -> [String: [String: Int]] {
        guard let f = try? JSONDecoder().decode(File.self, from: data) else { return [:] }
        var out: [String: [String: Int]] = [:]
        for h in f.hosts ?? [] {
            for i in h.instances ?? [] {
                for c in i.models ?? [] { if let ctx = c.ctx { out[i.id, default: [:]][c.name] = ctx } }
            }
        }
        return out
    }
}
