import Foundation
import PlacePlanCore

/// Small plans whose instances point at loopback stand-ins, for verify tests.
public enum LivePlan {
    public struct Copy: Sendable {
        public var model: String, footprint: Int64
        public init(_ model: String, _ footprint: Int64) { self.model = model; self.footprint = footprint }
    }
    public struct Slot: Sendable {
        public var id: String, port: Int, copies: [Copy]
        public init(_ id: String, port: Int, _ copies: [Copy]) { self.id = id; self.port = port; self.copies = copies }
    }

    /// One host "lab" at 127.0.0.1 holding `slots`; `ctx`/`parallel` per model name (default 8192 × 1).
    public static func make(_ slots: [Slot], ctx: [String: Int] = [:], parallel: [String: Int] = [:]) -> Plan {
        let instances = slots.map { s in
            Plan.Instance(id: s.id, port: s.port, gpu: nil, olol_port: s.port + 1000, capacity_bytes: 100_000_000_000,
                          used_bytes: s.copies.reduce(0) { $0 + $1.footprint }, env: ["OLLAMA_HOST": "0.0.0.0:\(s.port)"],
                          models: s.copies.map {
                              Plan.PlacedModel(name: $0.model, quant: "q4_K_M", footprint_bytes: $0.footprint, weights_bytes: $0.footprint,
                                               kv_cache_bytes: 0, compute_bytes: 0, footprint_source: "footprints")
                          })
        }
        let names = Set(slots.flatMap { $0.copies.map(\.model) }).sorted()
        let models = names.map {
            Plan.ModelInfo(name: $0, priority: 1, required: false, replicas: 1, ctx: ctx[$0] ?? 8192, parallel: parallel[$0] ?? 1,
                           quant: "q4_K_M", pull: $0, parameters: [:])
        }
        let host = Plan.Host(name: "lab", address: "127.0.0.1", kind: "gpu", capacity_bytes: 100_000_000_000 * Int64(slots.count),
                             used_bytes: instances.reduce(0) { $0 + $1.used_bytes }, labels: [], overflow: false, instances: instances)
        return Plan(cluster: "verify-lab", profile: "standard", status: .optimal,
                    objective: .init(coverage: names.count, quality: 1, quality_bound: 1, coverage_bound: names.count),
                    solver: .init(name: "glpk", version: "5.0", method: "exact"),
                    settings: .init(kv_cache_type: "f16", flash_attention: true, ubatch: 512, keep_alive: "-1", proxy_port: 8000, olol: false, olol_proxy_port: 8000),
                    hosts: [host], unplaced: [], routes: [], models: models, notes: [])
    }

    /// An /api/ps entry for `OllamaStandIn.Fault.resident`.
    public static func running(_ name: String, vram: Int64, ctx: Int = 8192) -> [String: any Sendable] {
        ["name": name, "size": vram, "size_vram": vram, "context_length": ctx]
    }
}
