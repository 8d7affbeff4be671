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

extension NewcomerTests {
    // MARK: - 2. Mac memory as Apple sells it

    @Test(arguments: ["192GB", "192 GB", "192", "128 GB", "36GB"])
    func decimalMacSizeAsksWhetherGiBWasMeant(text: String) throws {
        let c = try ClusterDecoder.decode("name: t\nhosts:\n  - name: mac\n    unified_memory: \(text)\nmodels: []\n", file: "c.yaml")
        let n = text.filter(\.isNumber)
        let w = try #require(c.warnings.first)
        #expect(w.field == "hosts[0].unified_memory" && w.line == 4 && w.isWarning)
        #expect(w.description.hasPrefix("c.yaml:4:21: warning: hosts[0].unified_memory is \(n) GB"), "\(w.description)")
        #expect(w.fix?.contains("did you mean `unified_memory: \(n) GiB`?") == true)
    }

    @Test(arguments: ["192 GiB", "200 GB", "100GB", "192.5 GB"])
    func otherSizesAreTakenAsWritten(text: String) throws {
        let c = try ClusterDecoder.decode("name: t\nhosts:\n  - name: mac\n    unified_memory: \(text)\nmodels: []\n", file: "c.yaml")
        #expect(c.warnings.isEmpty)
    }

    @Test func theWarningIsAPlanNote() throws {
        let p = try Self.plan("name: t\nhosts: [{name: mac, unified_memory: 192GB}]\nmodels: [{name: \"llama3:8b\"}]\n")
        #expect(p.notes.contains { $0.contains("did you mean `unified_memory: 192 GiB`?") }, "\(p.notes)")
    }

    @Test func macMemoryIsPrintedInGiB() throws {
        #expect(Units.gib(192 * Units.GiB) == "192 GiB")
        #expect(Units.gib(192 * Units.GB) == "178.8 GiB")
        let c = try ClusterDecoder.decode("name: t\nhosts: [{name: mac, preset: mac-studio-m2-ultra-192}]\nmodels: [{name: \"llama3:8b\"}]\n", file: "c.yaml")
        #expect(c.warnings.isEmpty)
        let plan = try Planner.plan(c, profile: .standard, file: "c.yaml").plan
        let table = PlanReport.table(plan, seconds: nil)
        #expect(table.contains("192 GiB installed, 0 GiB left to the OS"), "\(table)")
        #expect(!table.contains("206.2"))
        #expect(MemoryMapSVG.render(plan).contains("192 GiB installed"))
    }
}

extension NewcomerTests {
    // MARK: - 10. the memory map keeps every unplaced reason inside the picture

    @Test func svgWrapsUnplacedReasonsInsideTheWidth() throws {
        var plan = try Self.golden("seed000-mac-studio")
        plan.unplaced.append(.init(name: "x", reason: String(repeating: "a very long reason that goes on ", count: 12) + String(repeating: "z", count: 300)))
        let svg = MemoryMapSVG.render(plan)
        // Every text line of the unplaced list, at its x, fits within the width at the conservative character width.
        var texts = 0
        for line in svg.split(separator: "\n") where line.hasPrefix("<text x=\"20\"") || line.hasPrefix("<text x=\"32\"") {
            let x = Double(line.dropFirst("<text x=\"".count).prefix { $0 != "\"" })!
            let content = line[line.range(of: ">")!.upperBound..<line.range(of: "</text>")!.lowerBound]
            let unescaped = content.replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            #expect(x + Double(unescaped.count) * MemoryMapSVG.charW <= MemoryMapSVG.width - 10 + 0.001, "\(line)")
            texts += 1
        }
        #expect(texts > plan.unplaced.count, "long reasons wrap onto more lines than there are reasons")
        #expect(svg.contains(String(repeating: "z", count: 50)))
        // Well-formed XML (xmllint is part of the checkers).
        let xmllint = ["/usr/bin/xmllint", "/usr/local/bin/xmllint"].first { FileManager.default.isExecutableFile(atPath: $0) }
        if let xmllint {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("map-\(UUID().uuidString).svg")
            try Data(svg.utf8).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let p = Process()
            p.executableURL = URL(fileURLWithPath: xmllint)
            p.arguments = ["--noout", file.path]
            try p.run(); p.waitUntilExit()
            #expect(p.terminationStatus == 0)
        }
    }

    @Test func wrapKeepsEveryWord() {
        let text = "– llama3:70b needs 43.0 GB at q4_0 (smallest allowed); the largest instance holds 25.8 GB"
        let lines = MemoryMapSVG.wrap(text, columns: 30)
        #expect(lines.allSatisfy { $0.count <= 30 })
        #expect(lines.joined(separator: " ") == text)
    }
}

extension NewcomerTests {
    // MARK: - 7. an unplaced model's explanation names only what would have to go

    @Test func unplacedNamesOnlyTheModelsThatWouldHaveToGo() throws {
        var profile = Profile.standard
        profile.quants = [.q4_0]
        let p = try Self.plan("""
        name: t
        hosts: [{name: mac, unified_memory: 128 GiB, instances: [{capacity: 48 GB}]}]
        models:
          - {name: "llama3:70b", priority: 10}
          - {name: "mistral:7b", priority: 2}
          - {name: "llama3:8b", priority: 1}
        """, profile)
        #expect(p.status == .optimal)
        let u = try #require(p.unplaced.first { $0.name == "llama3:8b" }, "\(p.unplaced) \(p.hosts[0].instances[0].models.map(\.name))")
        #expect(u.reason.contains("would displace mistral:7b (priority 2)"), "\(u.reason)")
        #expect(!u.reason.contains("llama3:70b"), "the 70B need not go: \(u.reason)")
    }

    @Test func cheapestRemovalPicksLeastPriorityThatMakesRoom() {
        let rs: [(name: String, priority: Int, bytes: Int64)] = [("big", 10, 40), ("a", 2, 5), ("b", 1, 3), ("c", 1, 3)]
        #expect(Explain.cheapestToRemove(rs, shortfall: 6)!.map(\.0) == ["b", "c"])
        #expect(Explain.cheapestToRemove(rs, shortfall: 4)!.map(\.0) == ["a"])  // priority 2 either way: fewer models
        #expect(Explain.cheapestToRemove(rs, shortfall: 3)!.map(\.0) == ["b"])
        #expect(Explain.cheapestToRemove(rs, shortfall: 100) == nil)
    }
}

extension NewcomerTests {
    // MARK: - 6. messages that carry the line and say the fix

    static func diagnostics(_ yaml: String, profile: Profile = .standard) -> [Diagnostic] {
        do {
            let c = try ClusterDecoder.decode(yaml, file: "c.yaml")
            let layouts = try InstanceBuilder.build(c, profile: profile, file: "c.yaml")
            _ = try PlacementProblem.build(cluster: c, profile: profile, layouts: layouts, file: "c.yaml")
            return []
        } catch let e as InvalidInput { return e.diagnostics } catch { return [] }
    }

    @Test func duplicateNamesCarryTheirLine() {
        let d = Self.diagnostics("name: t\nhosts:\n  - {name: a, unified_memory: 64 GiB}\n  - name: a\n    unified_memory: 64 GiB\nmodels:\n  - {name: \"x:1\", footprints: {q4_0: 1 GB}}\n  - name: \"x:1\"\n    footprints: {q4_0: 1 GB}\n")
        #expect(d.first { $0.field == "hosts[1].name" }?.line == 4)
        #expect(d.first { $0.field == "models[1].name" }?.line == 8)
    }

    @Test func cannotSizeCarriesTheLineAndSizesWithoutQuantsSaysTheFix() throws {
        let d = Self.diagnostics("name: t\nhosts: [{name: mac, unified_memory: 64 GiB}]\nmodels:\n  - name: mine\n    sizes: {q8_0: 8 GB}\n")
        let e = try #require(d.first { $0.field == "models[0]" })
        #expect(e.line == 4)
        #expect(e.fix?.contains("add quants: [q8_0]") == true, "\(e.description)")
        #expect(e.fix?.contains("arch:") == true && e.fix?.contains("footprints: {q8_0:") == true)
        let f = try #require(Self.diagnostics("name: t\nhosts: [{name: mac, unified_memory: 64 GiB}]\nmodels:\n  - name: mine\n    footprints: {q4_0: 5 GB}\n").first)
        #expect(f.fix?.hasPrefix("add quants: [q4_0]") == true, "\(f.description)")
    }

    @Test func layoutErrorsCarryTheLine() throws {
        var profile = Profile.standard
        profile.reserve = 64 * Units.GiB
        let d = Self.diagnostics("name: t\nhosts:\n  - name: mac\n    unified_memory: 64 GiB\nmodels: []\n", profile: profile)
        #expect(d.first?.field == "hosts[0].reserve")
        #expect(d.first?.line == 3, "\(d)")  // the host (reserve came from the profile)
    }

    @Test(arguments: ["name: t\nhosts:\n\t- {name: mac, unified_memory: 64 GiB}\nmodels: []\n",
                      "name: t\nhosts:\n  - name: mac\n    unified_memory: 64 GiB\n\treserve: 8 GiB\nmodels: []\n"])
    func aTabIsCalledATab(yaml: String) throws {
        let d = Self.diagnostics(yaml)
        let e = try #require(d.first)
        #expect(e.message.contains("tab"), "\(e.description)")
        #expect(e.fix?.contains("spaces") == true)
        #expect(e.line != nil && e.column == 1)
    }
}

extension NewcomerTests {
    // MARK: - 8. planning on Linux for a Mac: a gguf path that is not here is sized from the catalog, with a note

    @Test func absentGGUFIsSizedFromTheCatalogWithANote() throws {
        let p = try Self.plan("""
        name: t
        hosts: [{name: mac, unified_memory: 64 GiB}]
        models:
          - name: ulysses
            arch: mistral-7b
            gguf: "/Volumes/HIGHERMIND models/ulysses_q8_0.gguf"
            quants: [q8_0]
        """, .standard)
        #expect(p.unplaced.isEmpty)
        #expect(p.hosts[0].instances[0].models.first?.footprint_source == "catalog")
        #expect(p.models[0].gguf == "/Volumes/HIGHERMIND models/ulysses_q8_0.gguf")
        #expect(p.notes.contains { $0.hasPrefix("ulysses: gguf \"/Volumes/HIGHERMIND models/ulysses_q8_0.gguf\" is not on this machine, so it was sized from arch mistral-7b") }, "\(p.notes)")
    }
}

extension NewcomerTests {
    /// The knapsack-based choice against every subset: least priority, then fewest models.
    @Test(arguments: 0..<200)
    func cheapestRemovalMatchesExhaustiveSearch(seed: Int) {
        var rng = SplitMix64(seed: UInt64(seed))
        let n = Int.random(in: 1...9, using: &rng)
        let rs: [(name: String, priority: Int, bytes: Int64)] = (0..<n).map { ("m\($0)", Int.random(in: 1...5, using: &rng), Int64.random(in: 1...20, using: &rng)) }
        let shortfall = Int64.random(in: 1...60, using: &rng)
        var best: (Int, Int)?
        for mask in 1..<(1 << n) {
            let picked = (0..<n).filter { mask & (1 << $0) != 0 }
            guard picked.reduce(Int64(0), { $0 + rs[$1].bytes }) >= shortfall else { continue }
            let key = (picked.reduce(0) { $0 + rs[$1].priority }, picked.count)
            if best == nil || key < best! { best = key }
        }
        let got = Explain.cheapestToRemove(rs, shortfall: shortfall)
        #expect((got == nil) == (best == nil), "seed \(seed)")
        if let got, let best {
            let bytes = got.reduce(Int64(0)) { acc, g in acc + rs.first { $0.name == g.0 }!.bytes }
            #expect(bytes >= shortfall, "seed \(seed)")
            #expect((got.reduce(0) { $0 + $1.1 }, got.count) == best, "seed \(seed)")
        }
    }
}
