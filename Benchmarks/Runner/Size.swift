/// A benchmark size `MxIxQ`: M models, I instances, Q allowed quantizations per model; `LMxIxQ`
/// is a model library (`Generator.library`): many 7B–14B models of equal priority on few instances.
struct BenchSize: Hashable, CustomStringConvertible {
    var models: Int
    var instances: Int
    var quants: Int
    var library = false
    /// `GMxIxQ`: a library whose GPU boxes run two cards per instance (models split by layers).
    var multiGPU = false
    var description: String { "\(multiGPU ? "G" : library ? "L" : "")\(models)x\(instances)x\(quants)" }

    init(models: Int, instances: Int, quants: Int, library: Bool = false, multiGPU: Bool = false) {
        self.models = models; self.instances = instances; self.quants = quants; self.library = library || multiGPU; self.multiGPU = multiGPU
    }

    init?(_ s: String) {
        let multi = s.hasPrefix("G")
        let library = s.hasPrefix("L") || multi
        let parts = s.dropFirst(library ? 1 : 0).split(separator: "x").map { Int($0) }
        guard parts.count == 3, let m = parts[0], let i = parts[1], let q = parts[2],
              m >= 1, i >= 1, (1...Generator.quants.count).contains(q) else { return nil }
        self.init(models: m, instances: i, quants: q, library: library, multiGPU: multi)
    }

    static let defaults = ["32x4x3", "100x12x3", "500x40x5", "2000x128x5"].compactMap(BenchSize.init)
    /// `--deadline-suite`: many models on few instances (issue 15) and the two large random sizes.
    static let deadlineSuite = ["L1000x3x3", "L1000x13x3", "L5000x3x3", "L5000x13x3", "500x40x5", "2000x128x5"].compactMap(BenchSize.init)
    static let deadlineLimits: [Double] = [5, 10]
    /// `--multigpu-suite`: libraries on boxes of two-card instances (issue 16).
    static let multiGPUSuite = ["G200x13x3", "G1000x13x3"].compactMap(BenchSize.init)
}

/// The issue's targets for the benchmark on the 2-core reference machine.
struct Target {
    var text: String
    /// Proven optimal required (else: coverage and quality gaps at most `maxGap`).
    var optimal: Bool
    var maxGap: Double
    var maxSeconds: Double
    var maxMB: Double?
    /// The solve's time limit when the benchmark runs at the targets: the target time less what
    /// decoding, footprints and the plan take at this size (0.2 s at 500x40x5, 0.8 s at 2000x128x5
    /// on the reference machine); 10 s where the target is a proof (it stops when proven).
    var timeLimit: Double

    static func of(_ s: BenchSize) -> Target? {
        switch s.description {
        case "32x4x3", "100x12x3": return Target(text: "optimal < 0.2 s", optimal: true, maxGap: 0, maxSeconds: 0.2, timeLimit: 10)
        case "500x40x5": return Target(text: "gap ≤ 0.1% ≤ 2 s", optimal: false, maxGap: 0.001, maxSeconds: 2, timeLimit: 1.75)
        case "2000x128x5": return Target(text: "gap ≤ 0.05% ≤ 5 s < 2 GB", optimal: false, maxGap: 0.0005, maxSeconds: 5, maxMB: 2048, timeLimit: 4.1)
        default: return nil
        }
    }
}
