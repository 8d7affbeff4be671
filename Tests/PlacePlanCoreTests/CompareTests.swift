import Foundation
import Testing
@testable import PlacePlanCore

/// xmllint for the SVG tests: a missing tool skips the check unless PLACEPLAN_REQUIRE_TOOLS is set.
enum CompareXMLLint {
    static var path: String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") + ["/usr/bin", "/usr/local/bin"] {
            let p = "\(dir)/xmllint"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        if ProcessInfo.processInfo.environment["PLACEPLAN_REQUIRE_TOOLS"] != nil { Issue.record("required tool xmllint is not installed (PLACEPLAN_REQUIRE_TOOLS is set)") }
        return nil
    }

    /// nil when xmllint is missing; otherwise its exit status and messages.
    static func check(_ xml: String) throws -> (status: Int32, stderr: String)? {
        guard let exe = path else { return nil }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("placeplan-svg-\(UUID().uuidString).svg")
        try xml.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = ["--noout", file.path]
        let err = Pipe()
        p.standardError = err
        try p.run()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: e, as: UTF8.self))
    }
}

enum CompareFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func plan(_ scenario: String) throws -> Plan {
        let url = root.appendingPathComponent("Plans/\(scenario)/plan.json")
        return try PlanCodec.decode(try Data(contentsOf: url), file: url.path)
    }

    static func occurrences(_ needle: String, in s: String) -> Int { s.components(separatedBy: needle).count - 1 }

    /// The seed-000 plan with every name a person could type made hostile.
    static func hostile() throws -> Plan {
        var p = try plan("seed000-mixed-cluster")
        let evil = "<b>&amp;\"x'y\u{1}z]]>"
        p.cluster = "clu" + evil
        p.profile = "prof" + evil
        for h in p.hosts.indices {
            p.hosts[h].name += evil
            p.hosts[h].address = "10.0.0.1" + evil
            for i in p.hosts[h].instances.indices {
                p.hosts[h].instances[i].id += evil
                if p.hosts[h].instances[i].gpu_name != nil { p.hosts[h].instances[i].gpu_name! += evil }
                for m in p.hosts[h].instances[i].models.indices {
                    p.hosts[h].instances[i].models[m].name += evil
                    p.hosts[h].instances[i].models[m].quant += "\"'"
                }
            }
        }
        for u in p.unplaced.indices { p.unplaced[u].reason += evil }
        for m in p.models.indices { p.models[m].name += evil }
        return p
    }
}

@Suite struct CompareCoreTests {
    @Test func svgHasOneBarPerInstanceAndOneGroupPerCopy() throws {
        for scenario in ["seed000-mac-studio", "seed000-mixed-cluster"] {
            let plan = try CompareFixtures.plan(scenario)
            let svg = MemoryMapSVG.render(plan)
            let instances = plan.hosts.reduce(0) { $0 + $1.instances.count }
            #expect(CompareFixtures.occurrences("<g class=\"instance\"", in: svg) == instances)
            #expect(CompareFixtures.occurrences("<g class=\"copy\"", in: svg) == plan.placements.count)
            #expect(CompareFixtures.occurrences("<g class=\"host-memory\"", in: svg) == plan.hosts.filter { $0.memory_bytes != nil }.count)
            // Each copy shows its three parts (no copy here has a footprint given whole).
            #expect(CompareFixtures.occurrences("class=\"kv\"", in: svg) == plan.placements.count)
            #expect(CompareFixtures.occurrences("class=\"compute\"", in: svg) == plan.placements.count)
            #expect(svg.contains("legend"))
            if let r = try CompareXMLLint.check(svg) { #expect(r.status == 0, "\(r.stderr)") }
        }
    }

    @Test func svgEscapesHostileNames() throws {
        let plan = try CompareFixtures.hostile()
        let svg = MemoryMapSVG.render(plan)
        #expect(!svg.contains("<b>"))
        #expect(!svg.contains("\u{1}"))
        #expect(svg.contains("&lt;b&gt;&amp;amp;&quot;x&apos;y"))
        #expect(CompareFixtures.occurrences("<g class=\"copy\"", in: svg) == plan.placements.count)
        if let r = try CompareXMLLint.check(svg) { #expect(r.status == 0, "\(r.stderr)") }
        // The HTML page embeds one SVG per profile and stays well-formed XML too.
        let page = CompareReport.html(Comparison(columns: [.init(label: "a<b>", plan: plan), .init(label: "a<b>", plan: plan)]))
        #expect(CompareFixtures.occurrences("<svg ", in: page) == 2)
        if let r = try CompareXMLLint.check(page) { #expect(r.status == 0, "\(r.stderr)") }
    }

    @Test func coloursAreDeterministicAndShaded() {
        let a = ModelColour.shades("llama3:70b"), b = ModelColour.shades("llama3:70b")
        #expect(a == b)
        #expect(a.weights != a.kv && a.kv != a.compute)
        #expect(ModelColour.shades("mistral:7b") != a)
        #expect(a.weights.count == 7 && a.weights.hasPrefix("#"))
    }

    @Test func sharedBandwidthDividesTheBandwidthBoundPart() throws {
        let plan = try CompareFixtures.plan("seed000-mac-studio")
        let copies = SharedThroughput.copies(plan)
        #expect(copies.count == plan.placements.count)
        let c = Throughput.apple.fixedSeconds
        for x in copies {
            #expect(x.sharing == copies.count)  // one Mac: every copy shares its memory
            let expected = 1 / (Double(x.sharing) * (1 / x.alone - c) + c)
            #expect(abs(x.shared - expected) < 0.051)
            #expect(x.shared < x.alone)
        }
        let sums = SharedThroughput.hosts(plan)
        #expect(sums.count == 1)
        #expect(abs(sums[0].sumAlone - copies.reduce(0) { $0 + $1.alone }) < 1e-9)
        #expect(sums[0].complete)
        // On GPU hosts each GPU is its own device: a lone copy keeps its speed.
        let mixed = try CompareFixtures.plan("seed000-mixed-cluster")
        for x in SharedThroughput.copies(mixed) where x.host == "vm1" { #expect(x.sharing == 1 && x.shared == x.alone) }
    }

    @Test func differencesAndJSONShape() throws {
        let a = try CompareFixtures.plan("seed000-mac-studio")
        var b = a
        b.profile = "other"
        // Move the first copy's model off its instance: unplaced under b.
        let moved = a.placements[0].model.name
        for h in b.hosts.indices { for i in b.hosts[h].instances.indices { b.hosts[h].instances[i].models.removeAll { $0.name == moved } } }
        let cmp = Comparison(columns: [.init(label: "conservative", plan: a), .init(label: "other", plan: b), .init(label: "conservative", plan: a)])
        #expect(cmp.headers == ["conservative", "other", "conservative #2"])
        let where_ = a.placements[0]
        #expect(cmp.differences == ["\(moved): \(where_.model.quant) on \(where_.instance.id) | unplaced | \(where_.model.quant) on \(where_.instance.id)"])
        #expect(Comparison(columns: [.init(label: "x", plan: a), .init(label: "x", plan: a)]).differences.isEmpty)

        let json = cmp.json
        #expect(json.hasPrefix("{\n  \"format\" : \"placeplan-compare/1\",\n  \"plans\" : ["))
        let file = try JSONDecoder().decode(Comparison.File.self, from: Data(json.utf8))
        #expect(file.format == "placeplan-compare/1")
        #expect(file.plans.map(\.profile) == ["conservative", "other", "conservative"])
        #expect(file.plans[0] == a)
        // Each plan is encoded exactly as the plan file is (indented one level deeper).
        #expect(!json.contains("\\/"))
    }
}

@Suite struct ClaimCheckTests {
    static let a4000 = ClaimCheck.device(named: "RTX A4000")!
    static let ultra = ClaimCheck.device(named: "mac-studio-m2-ultra-128")!
    static let opts = RuntimeOptions(ctx: 2048, parallel: 1)

    static func verdict(_ d: ClaimCheck.Device, _ m: String, _ q: Quant, _ tps: Double?, fits: Bool? = nil) -> ClaimCheck.Verdict {
        ClaimCheck.check(device: d, model: ClaimCheck.model(m)!, quant: q, options: opts, claimedTokensPerSecond: tps, claimedFits: fits)
    }

    @Test func devicesResolve() {
        #expect(Self.a4000.memory == 16 * Units.GiB && Self.a4000.bandwidthGBps == 448 && !Self.a4000.unified)
        #expect(Self.ultra.unified && Self.ultra.bandwidthGBps == 800 && Self.ultra.gpuUsable == 96 * Units.GiB)
        #expect(ClaimCheck.device(named: "rtx-a4000") != nil)
        #expect(ClaimCheck.device(named: "no such card") == nil)
        #expect(ClaimCheck.model("30B")?.params == 30_000_000_000)
        #expect(ClaimCheck.model("llama3:8b")?.shape != nil)
        #expect(ClaimCheck.model("banana") == nil)
    }

    /// Seed 000's latency table, NVIDIA A4000 16 GB column: every speed row is impossible.
    @Test func seedA4000RowsAreImpossible() {
        let v30 = Self.verdict(Self.a4000, "30B", .f16, 20)
        #expect(v30.weights == 60_000_000_000 && v30.weightsExceedMemory && !v30.plausible)
        #expect(abs(v30.ceiling - 7.47) < 0.01)
        let v7 = Self.verdict(Self.a4000, "mistral:7b", .f16, 60)
        #expect(v7.fits)                      // 7B fp16 does fit 16 GiB …
        #expect(v7.ceiling < 32 && v7.ceiling > 30)  // … but 448 GB/s ÷ ~14.2 GB ≈ 31 tok/s
        #expect(v7.speedImpossible && !v7.plausible)
        let v13 = Self.verdict(Self.a4000, "llama2:13b", .f16, 40)
        #expect(!v13.fits && !v13.plausible)  // 26 GB of weights
        // "70B q8_0: won't fit" is right.
        let v70 = Self.verdict(Self.a4000, "llama3:70b", .q8_0, nil, fits: false)
        #expect(!v70.runs && v70.plausible)
        #expect(!Self.verdict(Self.a4000, "llama3:70b", .q8_0, nil, fits: false).lines.joined().contains("IMPOSSIBLE"))
    }

    /// The M2 Ultra column is possible (and below its ceilings).
    @Test func seedM2UltraRowsArePlausible() {
        for (m, q, t) in [("mistral:7b", Quant.f16, 30.0), ("llama2:13b", .f16, 20), ("30B", .f16, 10), ("llama3:70b", .q8_0, 5)] {
            let v = Self.verdict(Self.ultra, m, q, t)
            #expect(v.plausible, "\(v.lines.joined(separator: "\n"))")
        }
        #expect(!Self.verdict(Self.ultra, "mistral:7b", .f16, 80).plausible)  // 800 GB/s ÷ 14.2 GB ≈ 56
    }
}

extension ClaimCheckTests {
    /// `--parallel N`: a claimed speed is the aggregate of N streams. N separate instances share
    /// the bandwidth (1 ÷ (N·b + c) each); one instance with N slots batches them (N × ceiling at most).
    @Test func parallelClaimsAreJudgedAsAggregate() {
        let m = ClaimCheck.model("mistral:7b")!
        let two = RuntimeOptions(ctx: 2048, parallel: 2)
        let v = ClaimCheck.check(device: Self.ultra, model: m, quant: .q4_0, options: two, claimedTokensPerSecond: 150)
        // Shared bandwidth: well below 2× one stream, above 1× (the seed measured 1.22×).
        let speedup = v.separateInstancesAggregate / v.estimate
        #expect(speedup > 1.1 && speedup < 1.5, "\(speedup)")
        let c = Throughput.apple.fixedSeconds, b = 1 / v.estimate - c
        #expect(abs(v.separateInstancesAggregate - 2 / (2 * b + c)) < 1e-9)
        #expect(v.plausible)
        // Above the single-stream ceiling but below 2×: only a batched instance reaches it.
        let batched = ClaimCheck.check(device: Self.ultra, model: m, quant: .q4_0, options: two, claimedTokensPerSecond: v.ceiling * 1.5)
        #expect(batched.plausible)
        #expect(batched.lines.last?.contains("only as one instance with 2 slots") == true, "\(batched.lines)")
        // Above 2 × the ceiling: impossible either way.
        let over = ClaimCheck.check(device: Self.ultra, model: m, quant: .q4_0, options: two, claimedTokensPerSecond: v.ceiling * 2.2)
        #expect(!over.plausible)
        // One stream: judged as before.
        let one = ClaimCheck.check(device: Self.ultra, model: m, quant: .q4_0, options: Self.opts, claimedTokensPerSecond: v.ceiling * 1.5)
        #expect(!one.plausible)
    }
}
