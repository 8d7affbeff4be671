import Foundation
import PlacePlanCore

/// What one child process reports about one generated cluster.
struct SizeResult: Codable {
    var size: String
    var seed: UInt64
    var timeLimit: Double
    var status: String
    var method: String
    var coverage: Int
    var coverageBound: Int
    var quality: Double
    var qualityBound: Double
    var models: Int
    var bins: Int
    var candidates: Int
    var variables: Int
    var violations: Int
    /// Decode + instances + problem (Planner's own clock covers only the solve).
    var buildSeconds: Double
    var solveSeconds: Double
    var totalSeconds: Double
    var peakMB: Double
    var error: String?
    /// Phases whose share of the limit ran out (the plan's `solver.cut_short`).
    var cutShort: [String]? = nil
    /// Longest time between two progress reports (and from the start to the first, and from the
    /// last to the end of the solve): how long a terminal's progress line would sit still.
    var maxStall: Double? = nil

    /// Lexicographic gap: the coverage gap while coverage is below its bound, else the quality gap.
    var coverageGap: Double? { coverageBound > 0 ? Double(coverageBound - coverage) / Double(coverageBound) : (status == "unknown" ? nil : 0) }
    var qualityGap: Double? {
        guard status == "optimal" || status == "feasible" else { return nil }
        guard hasQualityBound else { return nil }
        return qualityBound > 0 ? max(0, qualityBound - quality) / qualityBound : 0
    }
    /// False when the solver reported no usable bound (not finite, or above Σ priority, which
    /// bounds quality since every quality(q) ≤ 1).
    var hasQualityBound: Bool { qualityBound.isFinite && qualityBound <= Double(max(coverageBound, coverage)) + 1e-6 }
}

/// Process-wide peak resident memory (VmHWM of /proc/self/status), in MB (10^6 bytes).
func peakResidentMB() -> Double {
    guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in s.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
        return kb * 1024 / 1e6
    }
    return 0
}

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

/// Child mode: generate, decode, plan, measure; print one JSON line.
func runOne(_ size: BenchSize, options o: Options) -> SizeResult {
    let yaml = Generator.text(size, seed: o.seed)
    let file = "bench-\(size)-s\(o.seed).yaml"
    if let dir = o.emitYAML { writeFile(dir, file, yaml) }
    let clock = ContinuousClock()
    let t0 = clock.now
    var r = SizeResult(size: size.description, seed: o.seed, timeLimit: o.limit(for: size), status: "error", method: "", coverage: 0, coverageBound: 0,
                       quality: 0, qualityBound: 0, models: size.models, bins: size.instances, candidates: 0, variables: 0, violations: 0,
                       buildSeconds: 0, solveSeconds: 0, totalSeconds: 0, peakMB: 0, error: nil)
    do {
        let cluster = try ClusterDecoder.decode(yaml, file: file)
        var lastReport = clock.now, stall = 0.0
        let trace: (SolveProgress) -> Void = { s in
            let now = clock.now
            stall = max(stall, seconds(lastReport.duration(to: now))); lastReport = now
            guard o.trace else { return }
            FileHandle.standardError.write(Data(String(format: "%7.3f s  %-22@ coverage %d / %@  quality %.3f\n", s.elapsed, s.phase as NSString, s.coverage, (s.coverageBound.map(String.init) ?? "?") as NSString, s.quality).utf8))
        }
        lastReport = clock.now
        let result = try Planner.plan(cluster, profile: .residentOnly, file: file, timeLimit: o.limit(for: size), progress: trace)
        stall = max(stall, seconds(lastReport.duration(to: clock.now)))
        let total = seconds(t0.duration(to: clock.now))
        r.cutShort = result.outcome.cutShort; r.maxStall = stall
        let out = result.outcome
        r.status = out.status.rawValue; r.method = out.method
        r.coverage = out.coverage; r.coverageBound = out.coverageBound
        r.quality = out.quality; r.qualityBound = out.qualityBound
        r.models = result.problem.items.count; r.bins = result.problem.bins.count
        r.candidates = result.problem.candidates.count; r.variables = out.variables
        r.violations = (out.status == .optimal || out.status == .feasible) ? out.assignment.violations(result.problem).count : 0
        r.solveSeconds = result.seconds; r.totalSeconds = total; r.buildSeconds = total - result.seconds
        r.peakMB = peakResidentMB()
    } catch {
        r.error = "\(error)"
        r.totalSeconds = seconds(t0.duration(to: clock.now))
        r.peakMB = peakResidentMB()
    }
    return r
}

func writeFile(_ dir: String, _ name: String, _ text: String) {
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let path = (dir as NSString).appendingPathComponent(name)
    do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch { fail("cannot write \(path): \(error)") }
}

/// Child mode `--export-only`: the problem placeplan would solve, written as JSON, not solved
/// (a process of its own, so the measured run's peak memory does not include the export).
func exportOne(_ size: BenchSize, options o: Options, dir: String) throws {
    let yaml = Generator.text(size, seed: o.seed)
    let name = "bench-\(size)-s\(o.seed)"
    let cluster = try ClusterDecoder.decode(yaml, file: name + ".yaml")
    let layouts = try InstanceBuilder.build(cluster, profile: .standard, file: name + ".yaml")
    let problem = try PlacementProblem.build(cluster: cluster, profile: .standard, layouts: layouts, file: name + ".yaml")
    writeFile(dir, name + ".json", ProblemExport.json(problem, name: name))
}

/// The telling line of a failed child's stderr (a Swift runtime failure, a fatal error), else its last line.
func failureLine(_ err: String) -> String {
    let lines = err.split(separator: "\n").map(String.init)
    if let l = lines.first(where: { $0.contains("runtime failure") || $0.contains("Fatal error") || $0.contains("error:") }) {
        return l.replacingOccurrences(of: "*** ", with: "").replacingOccurrences(of: " ***", with: "")
    }
    return lines.last(where: { !$0.hasPrefix("0x") && !$0.trimmingCharacters(in: .whitespaces).isEmpty }) ?? ""
}

/// Runs a command with a wall-clock limit; returns (exit status or nil when killed, stdout, stderr, seconds).
func runProcess(_ exe: String, _ args: [String], timeout: Double) -> (status: Int32?, out: String, err: String, seconds: Double) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: exe)
    p.arguments = args
    let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("placeplan-bench-\(ProcessInfo.processInfo.processIdentifier)-\(UInt64.random(in: 0...UInt64.max))")
    let outURL = tmp.appendingPathExtension("out"), errURL = tmp.appendingPathExtension("err")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: outURL); try? FileManager.default.removeItem(at: errURL) }
    guard let outH = try? FileHandle(forWritingTo: outURL), let errH = try? FileHandle(forWritingTo: errURL) else { fail("cannot create temporary files") }
    p.standardOutput = outH; p.standardError = errH; p.standardInput = FileHandle.nullDevice
    let clock = ContinuousClock(), t0 = clock.now
    do { try p.run() } catch { return (nil, "", "cannot run \(exe): \(error)", 0) }
    var killed = false
    while p.isRunning {
        if seconds(t0.duration(to: clock.now)) > timeout { p.terminate(); killed = true; Thread.sleep(forTimeInterval: 1); if p.isRunning { kill(p.processIdentifier, SIGKILL) }; break }
        Thread.sleep(forTimeInterval: 0.01)
    }
    p.waitUntilExit()
    let secs = seconds(t0.duration(to: clock.now))
    try? outH.close(); try? errH.close()
    let out = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
    let err = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
    return (killed ? nil : p.terminationStatus, out, err, secs)
}

/// This executable, to run itself as a child.
var selfExecutable: String {
    (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
}

func lastJSONLine<T: Decodable>(_ out: String, as: T.Type) -> T? {
    guard let line = out.split(separator: "\n").last(where: { $0.hasPrefix("{") }) else { return nil }
    return try? JSONDecoder().decode(T.self, from: Data(line.utf8))
}

func jsonLine<T: Encodable>(_ v: T) -> String {
    let e = JSONEncoder()
    e.outputFormatting = [.sortedKeys]
    return String(decoding: try! e.encode(v), as: UTF8.self)
}

extension Profile {
    /// SPEC §4's problem alone: the benchmark measures the placement solver, so the on-demand
    /// tier's reservation (a second solve) stays off.
    static var residentOnly: Profile { var p = Profile.standard; p.onDemand = false; return p }
}
