import Foundation
import Testing
@testable import PlacePlanCore

/// The reference under docs/ lists every field the decoders accept: adding a field without
/// documenting it fails here.
@Suite struct DocsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func doc(_ name: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent("docs/\(name)"), encoding: .utf8)
    }

    /// The lines under `heading` up to the next heading.
    static func section(_ text: String, _ heading: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0 == heading }) else { return "" }
        let rest = lines[(start + 1)...]
        let end = rest.firstIndex { $0.hasPrefix("#") } ?? lines.endIndex
        return lines[(start + 1)..<end].joined(separator: "\n")
    }

    static func undocumented(_ fields: [String], in section: String) -> [String] {
        fields.filter { !section.contains("| `\($0)` |") }
    }

    @Test(arguments: [
        ("## Top level", ClusterDecoder.topFields),
        ("## hosts[]", ClusterDecoder.hostFields),
        ("### hosts[].gpus[]", ClusterDecoder.gpuFields),
        ("### hosts[].instances[]", ClusterDecoder.instanceFields),
        ("## models[]", ClusterDecoder.modelFields),
    ])
    func everyClusterFieldIsDocumented(heading: String, fields: [String]) throws {
        let s = Self.section(try Self.doc("cluster-file.md"), heading)
        #expect(!s.isEmpty, "docs/cluster-file.md has no section \(heading)")
        #expect(Self.undocumented(fields, in: s).isEmpty, "undocumented in docs/cluster-file.md \(heading): \(Self.undocumented(fields, in: s))")
    }

    @Test func everyProfileKeyIsDocumented() throws {
        let s = Self.section(try Self.doc("profiles.md"), "## Every key")
        #expect(Self.undocumented(Profile.fields, in: s).isEmpty, "undocumented in docs/profiles.md: \(Self.undocumented(Profile.fields, in: s))")
    }

    @Test func everyPresetIsListed() throws {
        let text = try Self.doc("cluster-file.md")
        // Ids are written with the memory options in braces: mac-studio-m2-ultra-{64,128,192}.
        for p in Presets.unified {
            let base = String(p.id[..<p.id.lastIndex(of: "-")!])
            #expect(text.contains("`\(p.id)`") || text.contains("`\(base)-{"), "preset \(p.id) is not in docs/cluster-file.md")
        }
        for c in Presets.cards { #expect(text.contains("`\(c.id)`"), "card \(c.id) is not in docs/cluster-file.md") }
        for e in Catalog.entries { #expect(text.contains("`\(e.shape.id)`"), "architecture \(e.shape.id) is not in docs/cluster-file.md") }
    }

    /// Every key a plan can hold (every optional filled in) is in docs/plan-file.md.
    @Test func everyPlanFieldIsDocumented() throws {
        let data = try Data(contentsOf: Self.root.appendingPathComponent("Plans/seed000-mixed-cluster/plan.json"))
        var plan = try JSONDecoder().decode(Plan.self, from: data)
        plan.stats = .init(solve_seconds: 1, variables: 1, constraints: 1)
        plan.hosts[0].required_wired_limit_mb = 1
        plan.hosts[0].models_dir = "/x"
        plan.hosts[0].instances[0].gpu_name = "x"
        plan.models[0].gguf = "/x.gguf"; plan.models[0].pull = "x"; plan.models[0].system = "x"; plan.models[0].template = "x"
        plan.models[0].ctx_requested = 1; plan.models[0].num_batch = 1; plan.models[0].tier = .resident
        plan.models[0].cold_start_s = 1; plan.models[0].demand_per_hour = 1; plan.models[0].slo_s = 1
        plan.hosts[0].store_read_gbps = 1
        var copy = plan.hosts[0].instances[0].models[0]
        copy.prefill_tokens_per_s = 1; copy.projector_bytes = 1; copy.from = "x"; copy.pull = "x"; copy.per_gpu_bytes = [1]
        plan.hosts[0].instances[0].gpus = [0, 1]; plan.hosts[0].instances[0].start = false
        plan.hosts[0].instances[0].models[0] = copy
        plan.hosts[0].instances[0].on_demand = [copy]; plan.hosts[0].instances[0].on_demand_budget_bytes = 1
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(plan))
        var keys = Set<String>()
        func walk(_ v: Any, _ parent: String) {
            if let d = v as? [String: Any] {
                for (k, x) in d { keys.insert(k); if k != "env" && k != "parameters" { walk(x, k) } }
            } else if let a = v as? [Any] { for x in a { walk(x, parent) } }
        }
        walk(json, "")
        let text = try Self.doc("plan-file.md")
        let missing = keys.filter { !text.contains("`\($0)`") }.sorted()
        #expect(missing.isEmpty, "undocumented in docs/plan-file.md: \(missing)")
    }
}
