import Foundation
import Testing
@testable import PlacePlanCore

/// Falkenauer "triplet" bin packing (BPPLIB class T) as placement: n required models whose
/// footprint is the item weight (MB), one host with n/3 explicit instances of the bin capacity
/// (MB). By construction every optimal bin holds three items that fill it exactly, so a plan
/// exists with every model placed, and any correct exact planner must find it. First-fit
/// decreasing needs more bins on most of them, so a greedy start is not enough.
///
/// The instances are read from `../shared/data/bpplib-falkenauer-t/` beside the repository
/// (located from #filePath: the test target declares no resources); when that folder is missing,
/// the three embedded copies below (t60_00–02, verbatim) are used.
@Suite struct FalkenauerTests {
    static let embedded: [String: [Int]] = [
        "Falkenauer_t60_00": [495, 474, 473, 472, 466, 450, 445, 444, 439, 430, 419, 414, 410, 395, 372, 370, 366, 366, 366, 363, 361, 357, 355, 351, 350, 350, 347, 320, 315, 307, 303, 299, 298, 298, 292, 288, 287, 283, 275, 275, 274, 273, 273, 272, 272, 271, 269, 269, 268, 263, 262, 261, 259, 258, 255, 254, 252, 252, 252, 251],
        "Falkenauer_t60_01": [475, 473, 468, 465, 462, 447, 444, 426, 423, 412, 411, 409, 403, 402, 399, 396, 396, 382, 376, 369, 366, 361, 347, 340, 339, 334, 333, 319, 314, 313, 308, 307, 305, 304, 302, 300, 297, 289, 282, 280, 277, 275, 270, 269, 267, 265, 264, 262, 261, 260, 260, 258, 258, 257, 256, 255, 254, 252, 251, 251],
        "Falkenauer_t60_02": [498, 498, 494, 482, 482, 479, 476, 464, 459, 436, 430, 429, 401, 400, 398, 390, 378, 369, 367, 362, 354, 352, 350, 350, 345, 339, 328, 326, 308, 305, 288, 288, 284, 281, 280, 279, 277, 276, 271, 268, 267, 267, 267, 266, 263, 262, 261, 261, 260, 260, 259, 256, 254, 252, 252, 251, 251, 250, 250, 250],
    ]
    static let capacity = 1000

    static var sharedDir: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/data/bpplib-falkenauer-t")
    }

    /// (capacity, weights) of an instance: from shared/ when present, else embedded.
    static func instance(_ name: String) throws -> (capacity: Int, weights: [Int]) {
        let file = sharedDir.appendingPathComponent(name + ".txt")
        if let text = try? String(contentsOf: file, encoding: .utf8) {
            let nums = text.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
            try #require(nums.count >= 2 && nums.count == nums[0] + 2, "\(file.path): n, capacity, then n weights")
            return (nums[1], Array(nums[2...]))
        }
        return (capacity, try #require(embedded[name]))
    }

    static func yaml(_ name: String, capacity: Int, weights: [Int]) -> String {
        let bins = weights.count / 3
        var y = "name: \(name)\nhosts:\n  - name: packer\n    unified_memory: \(bins * capacity * 2) MB\n"
        y += "    gpu_wired_limit: \(bins * capacity) MB\n    instances:\n"
        for _ in 0..<bins { y += "      - {capacity: \(capacity) MB}\n" }
        y += "models:\n"
        for (k, w) in weights.enumerated() {
            y += "  - {name: \"item\(k)\", quants: [q4_K_M], footprints: {q4_K_M: \(w) MB}, required: true}\n"
        }
        return y
    }

    /// The conversion itself (always runs): n required models, n/3 bins of exactly the bin capacity,
    /// total footprint = total capacity, every model a candidate on every bin.
    @Test func conversionIsExact() throws {
        let (cap, weights) = try Self.instance("Falkenauer_t60_00")
        #expect(weights.count == 60 && weights.reduce(0, +) == 20 * cap)
        let cluster = try ClusterDecoder.decode(Self.yaml("t60_00", capacity: cap, weights: weights), file: "t60_00.yaml")
        let layouts = try InstanceBuilder.build(cluster, profile: .standard, file: "t60_00.yaml")
        let p = try PlacementProblem.build(cluster: cluster, profile: .standard, layouts: layouts, file: "t60_00.yaml")
        #expect(p.bins.count == 20 && p.bins.allSatisfy { $0.capacity == Int64(cap) * 1_000_000 })
        #expect(p.items.count == 60 && p.items.allSatisfy(\.spec.required))
        #expect(p.candidates.count == 60 * 20)
        #expect(p.candidates.reduce(Int64(0)) { $0 + $1.footprint } == Int64(20 * 20 * cap) * 1_000_000)
    }

    /// Every model placed, every bin exactly full. GLPK's branch and bound on SPEC §4 found no plan
    /// for t60_00 in 60 s; the strategy sends this pure packing shape to bin completion.
    @Test(arguments: ["Falkenauer_t60_00", "Falkenauer_t60_01", "Falkenauer_t60_02"])
    func tripletsArePacked(_ name: String) throws {
        let (cap, weights) = try Self.instance(name)
        let file = name + ".yaml"
        let cluster = try ClusterDecoder.decode(Self.yaml(name, capacity: cap, weights: weights), file: file)
        let r = try Planner.plan(cluster, profile: .standard, file: file, timeLimit: 30)
        #expect(r.outcome.status == .optimal || r.outcome.status == .feasible, "\(name): \(r.outcome.status) after \(r.seconds) s")
        #expect(r.outcome.assignment.copies.allSatisfy { $0.count == 1 }, "\(name): every model placed")
        #expect(r.outcome.assignment.violations(r.problem).isEmpty)
        #expect(r.outcome.coverage == weights.count)
    }
}
