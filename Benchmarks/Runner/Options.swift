import Foundation

/// Command line of placeplan-bench (no ArgumentParser: the target depends on PlacePlanCore only).
struct Options {
    var sizes: [BenchSize] = BenchSize.defaults
    /// Seconds for every size and Falkenauer file; nil: each size its target's limit (`Target.timeLimit`), 10 s otherwise.
    var timeLimit: Double?
    var seed: UInt64 = 1
    var peers = false
    var peerNames = ["cpsat", "highs", "cbc", "ffd"]
    var peersDir: String = Options.defaultPeersDir
    var falkenauer: String?
    var falkenauerOnly = false
    var export: String?
    var emitYAML: String?
    /// Child modes: one size, or one Falkenauer file, measured in a process of its own.
    var one: BenchSize?
    var exportOnly = false
    var oneFalkenauer: String?
    /// Child mode: each solver phase to stderr as it ends (elapsed, coverage, bound, quality).
    var trace = false
    /// `--deadline-suite`: `BenchSize.deadlineSuite` at each of `BenchSize.deadlineLimits`.
    var deadlineSuite = false
    /// `--replan`: each size solved, one host lost, replanned (issue 18).
    var replan = false
    /// `--within PCT` for `--replan`: coverage may be this many percent below the best.
    var within: Double = 0
    /// `--multigpu-suite`: `BenchSize.multiGPUSuite` at each of `BenchSize.deadlineLimits`.
    var multiGPUSuite = false

    static let usage = """
    usage: placeplan-bench [--sizes 32x4x3,100x12x3,...] [--time-limit SECONDS] [--seed N]
                           [--peers] [--peer-list cpsat,highs,cbc,ffd] [--peers-dir DIR]
                           [--export DIR] [--yaml DIR] [--falkenauer DIR] [--falkenauer-only]
      Sizes are MODELSxINSTANCESxQUANTS (default \(BenchSize.defaults.map(\.description).joined(separator: ","))).
      Each size runs in a child process of its own (peak memory per size).
      --time-limit  seconds for every size (default: each size's target time, less parsing; 10 s without a target)
      --peers      also solve every generated problem with the Python peers (Benchmarks/peers/setup.sh first)
      --export DIR write each generated problem as JSON (what the peers read)
      --yaml DIR   write each generated cluster file
      --falkenauer DIR  also run every Falkenauer_t*.txt file of DIR (known optimum: n/3 full bins)
      --one SIZE --trace  run one size in this process, printing each solver phase to stderr
      --multigpu-suite  G200x13x3, G1000x13x3 (libraries on two-card instances) at the --deadline-suite limits
      --replan          each --sizes size solved, its last host lost, then `replan`: time, moves, coverage
      --deadline-suite  \(BenchSize.deadlineSuite.map(\.description).joined(separator: ",")) at --time-limit \(BenchSize.deadlineLimits.map { String(Int($0)) }.joined(separator: " and ")):
                   wall time against the limit (every row within limit × 1.1 + 0.5 s), objective, bound, progress stalls
    """

    /// Benchmarks/peers beside this source file.
    static var defaultPeersDir: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("peers").path
    }

    /// The solve's time limit for one size (the peers get the same).
    func limit(for size: BenchSize) -> Double { timeLimit ?? Target.of(size)?.timeLimit ?? 10 }
    /// The time limit for each Falkenauer file.
    var falkenauerLimit: Double { timeLimit ?? 10 }

    static func parse(_ args: [String]) -> Options {
        var o = Options()
        var i = 0
        func value() -> String {
            i += 1
            guard i < args.count else { fail("\(args[i - 1]) needs a value") }
            return args[i]
        }
        while i < args.count {
            switch args[i] {
            case "--sizes":
                let v = value()
                o.sizes = v.split(separator: ",").map { s in orFail(BenchSize(String(s)), "bad size \(s): use MODELSxINSTANCESxQUANTS with 1-5 quants, e.g. 32x4x3") }
            case "--time-limit": o.timeLimit = orFail(Double(value()).flatMap { $0 > 0 ? $0 : nil }, "--time-limit takes seconds (> 0)")
            case "--seed": o.seed = orFail(UInt64(value()), "--seed takes a non-negative integer")
            case "--peers": o.peers = true
            case "--peer-list": o.peerNames = value().split(separator: ",").map(String.init); o.peers = true
            case "--peers-dir": o.peersDir = value()
            case "--export": o.export = value()
            case "--yaml": o.emitYAML = value()
            case "--falkenauer": o.falkenauer = value()
            case "--falkenauer-only": o.falkenauerOnly = true
            case "--one": o.one = orFail(BenchSize(value()), "bad size")
            case "--export-only": o.exportOnly = true
            case "--trace": o.trace = true
            case "--deadline-suite": o.deadlineSuite = true
            case "--replan": o.replan = true
            case "--within": o.within = orFail(Double(value()).flatMap { (0...100).contains($0) ? $0 : nil }, "--within takes a percentage 0-100")
            case "--multigpu-suite": o.multiGPUSuite = true
            case "--one-falkenauer": o.oneFalkenauer = value()
            case "-h", "--help": print(usage); exit(0)
            default: fail("unknown option \(args[i])")
            }
            i += 1
        }
        if o.falkenauerOnly && o.falkenauer == nil { fail("--falkenauer-only needs --falkenauer DIR") }
        return o
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("placeplan-bench: \(message)\n\(Options.usage)\n".utf8))
    exit(64)
}

func orFail<T>(_ v: T?, _ message: String) -> T {
    guard let v else { fail(message) }
    return v
}
