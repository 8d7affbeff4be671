import Foundation
import Testing
@testable import PlacePlanCore

/// Every solver phase driven by a fake clock that moves `step` seconds on each reading: once the
/// deadline fires, the phase must stop within a few more readings (so it asks the clock in every
/// long loop, and nothing after the deadline runs without asking) and return a valid placement.
/// Nothing here depends on the machine's speed.
@Suite struct DeadlineTests {
    /// The shape of issue 15, scaled down: equal-priority 7B–13B models on a 3-instance Mac and two
    /// 5-GPU hosts. All priorities 1 made the configuration LP's enumeration run for minutes.
    static func libraryCluster(models: Int, mixed: Bool = false) -> String {
        var rng = SplitMix64(seed: 15)
        let archs = [("llama2-7b", "6.7B"), ("mistral-7b", "7.2B"), ("llama2-13b", "13B")]
        let quantSets = ["[q8_0]", "[q8_0, q4_K_M]", "[q4_K_M, q5_K_M, q8_0]"]
        var s = """
        name: lib
        hosts:
          - name: mac
            preset: mac-studio-m2-ultra-192
            labels: [mac]
            instances: [{port: 11434, capacity: 48 GiB}, {port: 11435, capacity: 48 GiB}, {port: 11436, capacity: 48 GiB}]
          - {name: vm1, gpus: [{name: Quadro M4000, vram: 8 GiB, count: 5}], labels: [gpu]}
          - {name: vm2, gpus: [{name: Quadro M4000, vram: 8 GiB, count: 5}], labels: [gpu]}
        models:

        """
        for i in 0..<models {
            let (arch, params) = archs[Int(rng.next() % 3)]
            let quants = mixed ? quantSets[Int(rng.next() % 3)] : "[q8_0]"
            s += "  - {name: entity-\(String(format: "%04d", i)), arch: \(arch), params: \(params), quants: \(quants)}\n"
        }
        return s
    }

    static func problem(_ yaml: String) throws -> (Cluster, PlacementProblem) {
        let cluster = try ClusterDecoder.decode(yaml, file: "lib.yaml")
        let layouts = try InstanceBuilder.build(cluster, profile: .standard, file: "lib.yaml")
        return (cluster, try PlacementProblem.build(cluster: cluster, profile: .standard, layouts: layouts, file: "lib.yaml"))
    }

    /// Readings allowed after the deadline fired: the phase's last checks on the way out.
    static let grace = 60

    @Test func deadlineSharesAndSlicesNeverOutlastTheWhole() {
        let clock = FakeClock(time: 100)
        let d = Deadline.after(10, clock: clock.clock)
        #expect(d.limit == 10)
        #expect(d.until(0.3).end == 103)
        #expect(d.until(2).end == 110)
        #expect(d.atMost(1).end == 101)
        clock.advance(9.5)
        #expect(d.atMost(1).end == 110)
        #expect(!d.expired && d.until(0.9).expired)
        clock.advance(1)
        #expect(d.expired && d.remaining == 0)
        #expect(Deadline.never.remaining == nil && !Deadline.never.expired)
    }

    /// The 233 s of issue 15: reduced-cost enumeration over equal-valued models lists every
    /// configuration above a threshold that (here) none reaches, while the fractional bound lets
    /// every subset of the smallest models through. Without its deadline check this runs for hours.
    @Test func configurationEnumerationStopsOnTime() throws {
        let (_, p) = try Self.problem(Self.libraryCluster(models: 300))
        let model = ConfigurationBound.Model(p, byHost: true)
        let mac = try #require(model.classes.indices.first { model.classes[$0].capacity == 48 * 1024 * 1024 * 1024 })
        let clock = FakeClock(step: 0.001)
        let d = Deadline.after(0.3, clock: clock.clock)
        // Every copy worth 1: at most n = ⌊capacity ÷ smallest footprint⌋ fit, so nothing reaches a
        // threshold between n and the fractional bound capacity ÷ smallest footprint.
        let k = model.classes[mac]
        let smallest = k.items.indices.map { k.options[$0][k.smallest[$0]].footprint }.min()!
        let fractional = Double(k.capacity) / Double(smallest), n = fractional.rounded(.down)
        #expect(fractional - n > 0.01)
        let found = model.configurations(of: mac, level: 1, u: [Double](repeating: 1, count: p.items.count), mu: [],
                                         above: (n + fractional) / 2, limit: 20_000, deadline: d)
        #expect(found == nil, "the enumeration finished: the test no longer exercises the stop")
        #expect(clock.time >= 0.3 && clock.time <= 0.3 + Double(Self.grace) * clock.step, "read the clock \(clock.readings) times, to \(clock.time) s")

        // The whole bound on the same shape, from a greedy placement: bounds valid, on time.
        let start = Greedy.solve(p)
        let clock2 = FakeClock(step: 0.001)
        let r = ConfigurationBound.solve(p, minCoverage: start.coverage(p), incumbent: start, deadline: .after(0.3, clock: clock2.clock), enumerate: true)
        #expect(clock2.time <= 0.3 + Double(Self.grace) * clock2.step, "read the clock \(clock2.readings) times, to \(clock2.time) s")
        if let placement = r?.placement { #expect(placement.violations(p).isEmpty) }
        if let r { #expect(r.coverage >= start.coverage(p)) }
    }

    @Test(arguments: ["packing", "local-search", "neighbourhood", "exchange-repair", "exact", "lp-rounding", "bin-completion"])
    func phaseStopsOnTimeWithAValidPlacement(phase: String) throws {
        let (_, p) = try Self.problem(Self.libraryCluster(models: 120, mixed: true))
        let seed = Greedy.solve(p)
        #expect(seed.violations(p).isEmpty)
        let clock = FakeClock(step: 0.001)
        let d = Deadline.after(0.5, clock: clock.clock)
        let out: Assignment
        switch phase {
        case "packing": out = CoveragePacking.solve(p, deadline: d)
        case "local-search": out = LocalSearch.improve(seed, p, deadline: d)
        case "neighbourhood": out = Neighbourhood.improve(seed, p, deadline: d)
        case "exchange-repair": out = CoveragePacking.improve(seed, p, deadline: d)
        case "exact": out = ExactSolver.solve(p, deadline: d, start: seed).assignment
        case "lp-rounding": out = Strategy.lpRounding(p, seed: seed, deadline: d).assignment
        default:
            // Pure bin packing with no solution the search can prove quickly: it must give up on time.
            let sizes = (0..<60).map { 20 + ($0 * 37) % 41 }
            let yaml = "name: bp\nhosts:\n  - {name: h, unified_memory: 4096 GiB, instances: [" + (0..<24).map { _ in "{capacity: 100 GB}" }.joined(separator: ", ")
                + "]}\nmodels:\n" + sizes.enumerated().map { "  - {name: m\($0.offset), footprints: {q4_K_M: \($0.element) GB}, quants: [q4_K_M], required: true}" }.joined(separator: "\n")
            let (_, bp) = try Self.problem(yaml)
            #expect(BinCompletion.applies(bp))
            let (a, _) = BinCompletion.solve(bp, deadline: d)
            #expect(clock.time <= 0.5 + Double(Self.grace) * clock.step, "read the clock \(clock.readings) times")
            if let a { #expect(a.violations(bp).isEmpty) }
            return
        }
        #expect(clock.time <= 0.5 + Double(Self.grace) * clock.step, "\(phase): read the clock \(clock.readings) times, to \(clock.time) s")
        #expect(out.violations(p).isEmpty, "\(phase)")
        #expect(out.coverage(p) > 0, "\(phase)")
    }

    /// The whole strategy on a fake clock: a valid plan, the phases that ran out named, and no
    /// phase running on after the limit.
    @Test func strategyReturnsAValidPlanAndNamesThePhasesCutShort() throws {
        let (cluster, p) = try Self.problem(Self.libraryCluster(models: 200))
        let clock = FakeClock(step: 0.002)
        var phases: [String] = []
        let r = try Planner.plan(cluster, profile: .standard, file: "lib.yaml", timeLimit: 2, clock: clock.clock) { phases.append($0.phase) }
        #expect(clock.time <= 2 + Double(Self.grace) * clock.step, "read the clock \(clock.readings) times, to \(clock.time) s")
        #expect(r.outcome.assignment.violations(p).isEmpty)
        #expect(r.outcome.status == .feasible || r.outcome.status == .optimal)
        #expect(!r.outcome.cutShort.isEmpty)
        #expect(r.plan.solver.cut_short == r.outcome.cutShort)
        #expect(Set(r.outcome.cutShort).isSubset(of: Strategy.phases.map(\.name)))
        #expect(Strategy.phases.map(\.name).contains(r.outcome.method))
        #expect(phases.contains("packing"))
    }

    /// Without a time limit nothing is cut short, and the method names a phase of the table.
    @Test func noLimitNothingCutShort() throws {
        let (cluster, _) = try Self.problem(Self.libraryCluster(models: 12))
        let r = try Planner.plan(cluster, profile: .standard, file: "lib.yaml", nodeLimit: 3000)
        #expect(r.outcome.cutShort.isEmpty && r.plan.solver.cut_short == nil)
        #expect(Strategy.phases.map(\.name).contains(r.outcome.method))
    }

    /// Heartbeats: a phase that checks its deadline reports progress at least every `interval` of solve time.
    @Test func checksBeatTheProgressLine() {
        let clock = FakeClock(step: 0.01)
        var beats: [Double] = []
        let monitor = Deadline.Monitor(interval: 0.25) { beats.append($0) }
        let d = Deadline.after(nil, clock: clock.clock, monitor: monitor)
        for _ in 0..<300 { _ = d.expired }
        #expect(beats.count >= 11 && beats.count <= 13, "\(beats.count) beats over 3 s")
        #expect(zip(beats, beats.dropFirst()).allSatisfy { $1 - $0 >= 0.25 - 1e-9 })
    }
}

/// The README's solver section shows `Strategy.phases` as rendered by `Strategy.markdownTable`
/// (between its strategy-table markers), so the shares live in one place.
@Suite struct StrategyTableTests {
    @Test func readmeShowsTheTable() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let begin = try #require(readme.range(of: "<!-- strategy-table:begin -->\n"))
        let end = try #require(readme.range(of: "<!-- strategy-table:end -->"))
        #expect(String(readme[begin.upperBound..<end.lowerBound]) == Strategy.markdownTable,
                "README.md's strategy table is out of date: paste Strategy.markdownTable between the markers")
    }

    @Test func sharesAreCumulativeAndNamesUnique() {
        let names = Strategy.phases.map(\.name)
        #expect(Set(names).count == names.count)
        for size in [\Strategy.Phase.small, \Strategy.Phase.large] {
            let ends = Strategy.phases.compactMap { $0[keyPath: size] }.filter { $0 < 1 }
            #expect(ends == ends.sorted(), "shares must not go back in time")
            #expect(Strategy.phases.allSatisfy { ($0[keyPath: size] ?? 0) <= 1 })
        }
    }
}
