import Foundation
import Testing
@testable import PlacePlanCore

/// Issue 19: what got in a newcomer's way, each pinned.
@Suite struct NewcomerTests {
    static func aggressive() -> Profile {
        var p = Profile.standard
        p.name = "aggressive"; p.reserve = 8 * Units.GiB; p.raiseWiredLimit = true; p.instancesPerHost = 4
        p.quants = [.q4_0]
        return p
    }

    static func plan(_ yaml: String, _ profile: Profile = aggressive()) throws -> Plan {
        let c = try ClusterDecoder.decode(yaml, file: "c.yaml")
        return try Planner.plan(c, profile: profile, file: "c.yaml", nodeLimit: 1000).plan
    }

    // MARK: - 3. the raised GPU working set only when the placed models need it

    @Test func raisedWiredLimitIsNotRequiredWhenUsageFitsTheDefault() throws {
        // 128 GiB Mac: default working set 96 GiB, aggressive budget 120 GiB; one 8B model uses ~5 GB.
        let p = try Self.plan("name: t\nhosts: [{name: mac, unified_memory: 128 GiB}]\nmodels: [{name: \"llama3:8b\"}]\n")
        #expect(p.hosts[0].capacity_bytes == 120 * Units.GiB)
        #expect(p.hosts[0].used_bytes < 96 * Units.GiB)
        #expect(p.hosts[0].required_wired_limit_mb == nil)
        #expect(!p.notes.contains { $0.contains("iogpu") })
    }

    @Test func raisedWiredLimitIsRequiredWhenUsageExceedsTheDefault() throws {
        // One 120 GiB instance: mixtral 8x22b (~81 GB) and a 70B (~43 GB) at q4_0 fill more than the 96 GiB default.
        var profile = Self.aggressive()
        profile.instancesPerHost = 1
        let p = try Self.plan("""
        name: t
        hosts: [{name: mac, unified_memory: 128 GiB}]
        models: [{name: "mixtral:8x22b"}, {name: "llama3:70b"}]
        """, profile)
        #expect(p.hosts[0].used_bytes > 96 * Units.GiB, "\(p.hosts[0].used_bytes)")
        #expect(p.hosts[0].required_wired_limit_mb == Int64(120 * 1024))
        #expect(p.notes.contains { $0.contains("sudo sysctl iogpu.wired_limit_mb=122880") })
    }
}

extension NewcomerTests {
    static func golden(_ name: String) throws -> Plan {
        let url = DocsTests.root.appendingPathComponent("Plans/\(name)/plan.json")
        return try JSONDecoder().decode(Plan.self, from: Data(contentsOf: url))
    }

    // MARK: - 5. the headline counts models, then priority

    @Test func headlineCountsModelsAndPriority() throws {
        let plan = try Self.golden("seed000-mac-studio")
        let table = PlanReport.table(plan, seconds: nil)
        #expect(table.hasPrefix("seed000-mac-studio · profile conservative · optimal · 3 of 7 models placed (priority 19 of 43) · quality 18.897\n"), "\(table.prefix(200))")
        #expect(!table.contains("coverage 19/43"))
        #expect(PlanReport.markdown(plan, seconds: nil).contains("3 of 7 models placed (priority 19 of 43)"))
        #expect(MemoryMapSVG.render(plan).contains("3 of 7 models placed (priority 19 of 43)"))
    }
}
