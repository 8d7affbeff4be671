import Foundation
import PlacePlanCore

/// Falkenauer triplet bin packing (BPPLIB class T) as placement: n required models of footprint
/// = item weight (MB), one host with n/3 explicit instances of capacity = bin capacity (MB).
/// The optimum is known by construction: every bin holds three items that fill it exactly, so a
/// plan exists and every model must be placed; first-fit decreasing usually needs more bins.
enum Falkenauer {
    struct Instance { var name: String; var capacity: Int; var weights: [Int] }

    static func read(_ path: String) throws -> Instance {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let nums = text.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        guard nums.count >= 2, nums.count == 2 + nums[0] else { throw BenchError("\(path): expected n, capacity and n weights") }
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return Instance(name: name, capacity: nums[1], weights: Array(nums[2...]))
    }

    static func yaml(_ inst: Instance) -> String {
        let bins = inst.weights.count / 3
        var y = "name: \(inst.name)\nhosts:\n  - name: packer\n    unified_memory: \(bins * inst.capacity * 2) MB\n"
        y += "    gpu_wired_limit: \(bins * inst.capacity) MB\n    instances:\n"
        for _ in 0..<bins { y += "      - {capacity: \(inst.capacity) MB}\n" }
        y += "models:\n"
        for (k, w) in inst.weights.enumerated() {
            y += "  - {name: \"item\(pad4(k))\", quants: [q4_K_M], footprints: {q4_K_M: \(w) MB}, required: true}\n"
        }
        return y
    }

    struct Result: Codable {
        var name: String
        var items: Int
        var bins: Int
        var status: String
        var placed: Int
        var violations: Int
        var solveSeconds: Double
        var totalSeconds: Double
        var peakMB: Double
        var error: String?
        var solved: Bool { (status == "optimal" || status == "feasible") && placed == items && violations == 0 }
    }

    /// Child mode: one file.
    static func runOne(_ path: String, timeLimit: Double) -> Result {
        let clock = ContinuousClock(), t0 = clock.now
        var r = Result(name: URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent, items: 0, bins: 0, status: "error",
                       placed: 0, violations: 0, solveSeconds: 0, totalSeconds: 0, peakMB: 0, error: nil)
        do {
            let inst = try read(path)
            r.items = inst.weights.count; r.bins = inst.weights.count / 3
            let file = inst.name + ".yaml"
            let cluster = try ClusterDecoder.decode(yaml(inst), file: file)
            let res = try Planner.plan(cluster, profile: .residentOnly, file: file, timeLimit: timeLimit)
            r.status = res.outcome.status.rawValue
            r.placed = res.outcome.assignment.copies.filter { !$0.isEmpty }.count
            r.violations = res.outcome.assignment.violations(res.problem).count
            r.solveSeconds = res.seconds
        } catch { r.error = "\(error)" }
        r.totalSeconds = seconds(t0.duration(to: clock.now))
        r.peakMB = peakResidentMB()
        return r
    }

    static func files(_ dir: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        let fs = names.filter { $0.hasPrefix("Falkenauer_t") && $0.hasSuffix(".txt") }
        // t60 before t120, then by number.
        return fs.sorted { a, b in
            let ka = (a.contains("t60") ? 0 : 1, a), kb = (b.contains("t60") ? 0 : 1, b)
            return ka < kb
        }.map { (dir as NSString).appendingPathComponent($0) }
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ s: String) { description = s }
}
