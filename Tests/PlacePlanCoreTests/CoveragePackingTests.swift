import Foundation
import Testing
@testable import PlacePlanCore

/// The coverage-first packer: valid placements, each instance's quants the best combination for
/// its residents (checked by trying every combination), never above the exhaustive optimum, and
/// exactly optimal on one instance (where its bin re-pack is a complete 0-1 knapsack).
@Suite struct CoveragePackingTests {
    static func problem(_ yaml: String) throws -> PlacementProblem { try ConfigurationBoundTests.problem(yaml) }

    /// Best Σ weight over every quant combination of the given residents of bin b that fits.
    static func bestBinQuality(_ p: PlacementProblem, bin b: Int, residents: [Int]) -> Double {
        let opts = residents.map { mi in p.candidates.filter { $0.item == mi && $0.bin == b } }
        var best = -Double.infinity
        func rec(_ k: Int, _ used: Int64, _ q: Double) {
            if used > p.bins[b].capacity { return }
            if k == opts.count { best = max(best, q); return }
            for c in opts[k] { rec(k + 1, used + c.footprint, q + c.weight) }
        }
        rec(0, 0, 0)
        return best
    }

    @Test(arguments: 0..<200)
    func validWithExactQuantsPerInstance(seed: Int) throws {
        let p = try Self.problem(SolverCrossCheckTests.randomCluster(seed: UInt64(seed) &* 6_700_417 &+ 11))
        let a = CoveragePacking.solve(p, deadline: .never)
        #expect(CoveragePacking.solve(p, deadline: .never) == a, "seed \(seed): not deterministic")
        guard a.violations(p).isEmpty else {
            // Only a required model it could not fit may break it.
            #expect(a.violations(p).allSatisfy { $0.contains("required") }, "seed \(seed): \(a.violations(p))")
            return
        }
        if let oracle = SolverCrossCheckTests.bruteForce(p) {
            #expect(a.coverage(p) <= oracle.coverage, "seed \(seed): beats the optimum")
        }
        for b in p.bins.indices {
            let here = a.copies.indices.filter { a.copies[$0].contains { $0.bin == b } }
            guard !here.isEmpty else { continue }
            var q = 0.0
            for mi in here {
                let c = a.copies[mi].first { $0.bin == b }!
                q += p.candidates.first { $0.item == mi && $0.bin == b && $0.quant == c.quant }!.weight
            }
            #expect(abs(q - Self.bestBinQuality(p, bin: b, residents: here)) < 1e-9, "seed \(seed) bin \(b)")
        }
    }

    /// One instance, up to nine single-copy models: the packing's coverage is the knapsack optimum.
    @Test(arguments: 0..<150)
    func optimalCoverageOnOneInstance(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &+ 0xC0FE)
        var y = "name: one\nhosts:\n  - {name: h, unified_memory: 256 GiB, instances: [{capacity: \(Int.random(in: 10...40, using: &rng)) GB}]}\nmodels:\n"
        for m in 0..<Int.random(in: 2...9, using: &rng) {
            let base = Int.random(in: 2...16, using: &rng)
            y += "  - {name: m\(m), quants: [q8_0, q4_K_M], footprints: {q8_0: \(base * 1700) MB, q4_K_M: \(base * 1000) MB}, priority: \(Int.random(in: 1...9, using: &rng))}\n"
        }
        let p = try Self.problem(y)
        let a = CoveragePacking.solve(p, deadline: .never)
        let oracle = try #require(SolverCrossCheckTests.bruteForce(p))
        #expect(a.violations(p).isEmpty)
        #expect(a.coverage(p) == oracle.coverage, "seed \(seed)\n\(y)")
    }

    /// Where best quants first would fill the instance with one model, packing first serves both.
    @Test func smallestQuantsFirstServeMore() throws {
        let p = try Self.problem("""
        name: two
        hosts:
          - {name: h, unified_memory: 256 GiB, instances: [{capacity: 20 GB}]}
        models:
          - {name: a, quants: [f16, q4_K_M], footprints: {f16: 16 GB, q4_K_M: 6 GB}, priority: 5}
          - {name: b, quants: [f16, q4_K_M], footprints: {f16: 16 GB, q4_K_M: 6 GB}, priority: 4}
        """)
        #expect(Greedy.solve(p).coverage(p) == 5)
        let a = CoveragePacking.solve(p, deadline: .never)
        #expect(a.coverage(p) == 9)
        #expect(a.violations(p).isEmpty)
    }
}

/// The small multiple knapsack behind the group re-packs, against trying every assignment.
@Suite struct MultiKnapsackTests {
    /// Random allowed bins per item: kind-0 bins take everything, kind-1 bins some items; bins of one
    /// kind agree, as `kind` promises the search ("accept the same items").
    static func allowedByKind(items n: Int, kind: [Int], using rng: inout SplitMix64) -> [[Bool]] {
        let B = kind.count
        let allowed = (0..<n).map { _ in (0..<B).map { b in kind[b] == 0 || Bool.random(using: &rng) } }
        return allowed.map { row in (0..<B).map { b in row[(0..<B).first { kind[$0] == kind[b] }!] } }
    }

    @Test(arguments: 0..<300)
    func matchesExhaustiveSearch(seed: Int) {
        var rng = SplitMix64(seed: UInt64(seed) &* 2_654_435_761 &+ 5)
        let n = Int.random(in: 1...7, using: &rng), B = Int.random(in: 1...3, using: &rng)
        let sizes = (0..<n).map { _ in Int64.random(in: 1...20, using: &rng) }
        let values = (0..<n).map { _ in Int.random(in: 1...9, using: &rng) }
        let caps = (0..<B).map { _ in Int64.random(in: 5...30, using: &rng) }
        let kind = (0..<B).map { _ in Int.random(in: 0...1, using: &rng) }
        let fixed = Self.allowedByKind(items: n, kind: kind, using: &rng)
        var best = 0
        func rec(_ i: Int, _ room: [Int64], _ v: Int) {
            if i == n { best = max(best, v); return }
            rec(i + 1, room, v)
            for b in 0..<B where fixed[i][b] && room[b] >= sizes[i] {
                var r = room; r[b] -= sizes[i]; rec(i + 1, r, v + values[i])
            }
        }
        rec(0, caps, 0)
        let r = MultiKnapsack.solve(sizes: sizes, values: values, allowed: fixed, capacities: caps, kind: kind, floor: 0, nodeLimit: 1_000_000)
        #expect((r?.value ?? 0) == best, "seed \(seed)")
        if let r {
            #expect(r.exact)
            var used = [Int64](repeating: 0, count: B)
            var v = 0
            for (i, b) in r.bin.enumerated() { if let b { #expect(fixed[i][b]); used[b] += sizes[i]; v += values[i] } }
            #expect(zip(used, caps).allSatisfy { $0 <= $1 })
            #expect(v == r.value)
        }
        // Nothing better than the optimum exists: asking for more finds nothing.
        #expect(MultiKnapsack.solve(sizes: sizes, values: values, allowed: fixed, capacities: caps, kind: kind, floor: best, nodeLimit: 1_000_000) == nil)
    }

    /// `pack` (all items or nothing) against exhaustive search: bin completion alone, without its
    /// caps, finds a packing exactly when one exists; with the defaults, whatever it returns is valid.
    @Test(arguments: 0..<300)
    func packMatchesExhaustiveSearch(seed: Int) {
        var rng = SplitMix64(seed: UInt64(seed) &* 40_503 &+ 17)
        let n = Int.random(in: 1...9, using: &rng), B = Int.random(in: 1...4, using: &rng)
        let sizes = (0..<n).map { _ in Int64.random(in: 1...12, using: &rng) }
        let caps = (0..<B).map { _ in Int64.random(in: 6...20, using: &rng) }
        let kind = (0..<B).map { _ in Int.random(in: 0...1, using: &rng) }
        let fixed = Self.allowedByKind(items: n, kind: kind, using: &rng)
        func valid(_ at: [Int]) -> Bool {
            var used = [Int64](repeating: 0, count: B)
            for (i, b) in at.enumerated() { guard b >= 0, b < B, fixed[i][b] else { return false }; used[b] += sizes[i] }
            return zip(used, caps).allSatisfy { $0 <= $1 }
        }
        func exists(_ i: Int, _ room: [Int64]) -> Bool {
            if i == n { return true }
            for b in 0..<B where fixed[i][b] && room[b] >= sizes[i] {
                var r = room; r[b] -= sizes[i]
                if exists(i + 1, r) { return true }
            }
            return false
        }
        let feasible = exists(0, caps)
        let exact = MultiKnapsack.pack(sizes: sizes, allowed: fixed, capacities: caps, kind: kind, nodeLimit: 10_000_000,
                                       completions: .max, quickShare: 0)
        #expect((exact != nil) == feasible, "seed \(seed): feasible \(feasible)")
        if let exact { #expect(valid(exact), "seed \(seed)") }
        if let quick = MultiKnapsack.pack(sizes: sizes, allowed: fixed, capacities: caps, kind: kind, nodeLimit: 50) {
            #expect(valid(quick), "seed \(seed)")
        }
    }
}
