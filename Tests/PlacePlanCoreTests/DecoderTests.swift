import Testing
@testable import PlacePlanCore

@Suite struct DecoderTests {
    func diagnostics(_ yaml: String, file: String = "cluster.yaml") -> [Diagnostic] {
        do { _ = try ClusterDecoder.decode(yaml, file: file); return [] } catch let e as InvalidInput { return e.diagnostics } catch { return [] }
    }

    @Test func unknownFieldSuggestsTheNearName() {
        let d = diagnostics("name: t\nhosts:\n  - name: mac\n    unified_memroy: 128 GiB\nmodels: []\n")
        let u = d.first { $0.field == "hosts[0].unified_memroy" }
        #expect(u != nil)
        #expect(u?.fix?.contains("unified_memory") == true)
        #expect(u?.line == 4)
    }

    @Test func badSizeNamesFieldPathAndFix() {
        let d = diagnostics("name: t\nhosts:\n  - {name: a, unified_memory: 64 GiB}\n  - name: b\n    gpus: [{name: x, vram: lots}]\nmodels: []\n")
        #expect(d.contains { $0.field == "hosts[1].gpus[0].vram" && $0.description.contains("\"24 GiB\"") && $0.fix != nil })
    }

    @Test func everyProblemIsReportedAtOnce() {
        let d = diagnostics("""
        name: t
        hosts:
          - {name: a, unified_memory: 64 GiB}
          - {name: a, unified_memory: -3 GB}
        models:
          - {name: "x", quants: [q4_K_X]}
          - {name: "y"}
          - {name: "y"}
          - {name: "", priority: 0}
        """)
        #expect(d.count >= 4)
        #expect(d.contains { $0.field == "models[0].quants[0]" && $0.fix?.contains("q4_K_M") == true })
        #expect(d.contains { $0.field == "hosts[1].unified_memory" })
        #expect(d.contains { $0.field == "models[2].name" && $0.message.contains("repeats") })
    }

    @Test func malformedYAMLGivesLineAndColumn() {
        let d = diagnostics("name: t\nhosts:\n  - name: [unclosed\nmodels: []\n")
        #expect(d.count == 1)
        #expect(d[0].line != nil)
    }

    @Test func hostileModelNamesAreRejected() {
        for bad in ["evil$(touch x)", "a b", "it's", "x;rm -rf /", "`id`", "a\nb", "a:b:c"] {
            let d = diagnostics("name: t\nhosts: [{name: a, unified_memory: 64 GiB}]\nmodels:\n  - name: \(yamlQuote(bad))\n")
            #expect(d.contains { $0.field == "models[0].name" }, "\(bad): \(d)")
        }
    }

    @Test func duplicatePortsAreRejected() throws {
        let c = try ClusterDecoder.decode("name: t\nhosts: [{name: a, unified_memory: 64 GiB, instances: [{port: 11434, capacity: 8 GB}, {port: 11434, capacity: 8 GB}]}]\nmodels: []\n", file: "c.yaml")
        #expect(throws: InvalidInput.self) { _ = try InstanceBuilder.build(c, profile: .standard, file: "c.yaml") }
    }

    @Test func shuffledInputGivesByteIdenticalPlans() throws {
        let a = """
        name: t
        hosts:
          - {name: mac, unified_memory: 128 GiB, labels: [mac]}
          - {name: vm, gpus: [{name: RTX 3090, vram: 24 GiB, count: 2}], labels: [gpu]}
        models:
          - {name: "llama3:8b", replicas: 2, priority: 5}
          - {name: "qwen2.5:32b", priority: 4}
          - {name: "mistral:7b", priority: 3, on: [gpu]}
          - {name: "gemma2:27b", priority: 2}
        """
        let b = """
        name: t
        models:
          - {name: "gemma2:27b", priority: 2}
          - {name: "mistral:7b", priority: 3, on: [gpu]}
          - {priority: 4, name: "qwen2.5:32b"}
          - {name: "llama3:8b", replicas: 2, priority: 5}
        hosts:
          - {name: vm, gpus: [{name: RTX 3090, vram: 24 GiB, count: 2}], labels: [gpu]}
          - {name: mac, unified_memory: 128 GiB, labels: [mac]}
        """
        let pa = try Planner.plan(try ClusterDecoder.decode(a, file: "a.yaml"), profile: .standard, file: "a.yaml")
        let pb = try Planner.plan(try ClusterDecoder.decode(b, file: "b.yaml"), profile: .standard, file: "b.yaml")
        #expect(PlanCodec.encode(pa.plan) == PlanCodec.encode(pb.plan))
        #expect(pa.plan.status != .infeasible)
        #expect(pa.plan.unplaced.isEmpty)
    }

    @Test func unplacedModelsAreExplained() throws {
        let c = try ClusterDecoder.decode("""
        name: t
        hosts: [{name: vm, gpus: [{name: M4000, vram: 8 GiB}], labels: [gpu]}, {name: mac, unified_memory: 64 GiB}]
        models:
          - {name: "llama3:70b", on: [gpu], quants: [q4_K_M]}
        """, file: "t.yaml")
        let r = try Planner.plan(c, profile: .standard, file: "t.yaml")
        #expect(r.plan.unplaced.count == 1)
        let reason = r.plan.unplaced[0].reason
        #expect(reason.contains("needs") && reason.contains("q4_K_M") && reason.contains("`on: [gpu]`") && reason.contains("holds 8.1 GB"), "\(reason)")
    }

    @Test func requiredModelsThatCannotFitAreInfeasibleWithAReason() throws {
        let c = try ClusterDecoder.decode("""
        name: t
        hosts: [{name: vm, gpus: [{name: A4000, vram: 16 GiB, count: 2}], labels: [gpu]}]
        models:
          - {name: a, footprints: {q4_K_M: 12 GB}, quants: [q4_K_M], required: true, on: [gpu]}
          - {name: b, footprints: {q4_K_M: 12 GB}, quants: [q4_K_M], required: true, on: [gpu]}
          - {name: c, footprints: {q4_K_M: 12 GB}, quants: [q4_K_M], required: true, on: [gpu]}
        """, file: "t.yaml")
        let r = try Planner.plan(c, profile: .standard, file: "t.yaml")
        #expect(r.plan.status == .infeasible)
        let text = r.plan.unplaced.map(\.reason).joined(separator: "\n")
        #expect(text.contains("required models a, b and c together need 36.0 GB") && text.contains("labelled gpu"), "\(text)")
    }
}

/// Double-quoted YAML scalar for test inputs.
func yamlQuote(_ s: String) -> String {
    "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n") + "\""
}
