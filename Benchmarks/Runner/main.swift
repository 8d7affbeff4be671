import Foundation
import PlacePlanCore

// placeplan-bench: seeded random clusters and Falkenauer instances through the real pipeline
// (YAML → decoder → Planner), each measured in a child process of its own; optional peers.
let options = Options.parse(Array(CommandLine.arguments.dropFirst()))

if let size = options.one {
    if options.exportOnly {
        do { try exportOne(size, options: options, dir: orFail(options.export, "--export-only needs --export DIR")) }
        catch { fail("\(error)") }
        exit(0)
    }
    print(jsonLine(runOne(size, options: options)))
    exit(0)
}
if let file = options.oneFalkenauer {
    print(jsonLine(Falkenauer.runOne(file, timeLimit: options.falkenauerLimit)))
    exit(0)
}

nonisolated(unsafe) var exitCode: Int32 = 0
func log(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }

if options.replan {
    print("placeplan-bench --replan: seed \(options.seed), --within \(options.within)%; each size solved, its last host removed, then replanned from the first plan\n")
    print("| size | copies before | solve s | host lost | replan s | coverage before → after (bound) | moves | drained first |")
    print("|---|---:|---:|---|---:|---|---:|---:|")
    for size in options.sizes {
        let yaml = Generator.text(size, seed: options.seed)
        let limit = options.limit(for: size)
        do {
            let t0 = Date()
            let first = try Planner.plan(try ClusterDecoder.decode(yaml, file: "b.yaml"), profile: .residentOnly, file: "b.yaml", timeLimit: limit).plan
            let solveS = Date().timeIntervalSince(t0)
            var lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let hostLines = lines.indices.filter { lines[$0].hasPrefix("  - {name: studio") || lines[$0].hasPrefix("  - {name: gpubox") }
            guard hostLines.count > 1, let k = hostLines.last else { print("| \(size) | one host: nothing to lose |"); continue }
            let lost = lines[k].split(separator: ",")[0].replacingOccurrences(of: "  - {name: ", with: "")
            lines.remove(at: k)
            let t1 = Date()
            let after = try Planner.plan(try ClusterDecoder.decode(lines.joined(separator: "\n"), file: "b.yaml"), profile: .residentOnly, file: "b.yaml",
                                         timeLimit: limit, replanning: first, within: options.within).plan
            let replanS = Date().timeIntervalSince(t1)
            let moves = after.moves ?? []
            let fresh = try Planner.plan(try ClusterDecoder.decode(lines.joined(separator: "\n"), file: "b.yaml"), profile: .residentOnly, file: "b.yaml", timeLimit: limit).plan
            let freshMoves = Replan.moves(from: first, to: fresh).count
            if Replan.firstOverflow(moves, old: first, new: after) != nil { exitCode = 1; log("  \(size): a move overfills an instance") }
            print("| \(size) | \(first.placements.count) | \(Table.num(solveS, 2)) | \(lost) | \(Table.num(replanS, 2)) | \(first.objective.coverage) → \(after.objective.coverage) (\(after.objective.coverage_bound)) | \(moves.count) (fresh solve: \(freshMoves)) | \(moves.filter { $0.drain_first == true }.count) |")
        } catch {
            print("| \(size) | error: \(error) |"); exitCode = 1
        }
    }
    exit(exitCode)
}

if options.deadlineSuite || options.multiGPUSuite {
    print("placeplan-bench --\(options.multiGPUSuite ? "multigpu" : "deadline")-suite: seed \(options.seed), release build expected; wall = the child process, start to exit\n")
    var rows: [(SizeResult, Double)] = []
    for size in (options.multiGPUSuite ? BenchSize.multiGPUSuite : BenchSize.deadlineSuite) {
        for limit in BenchSize.deadlineLimits {
            log("size \(size) at \(limit) s…")
            let r = runProcess(selfExecutable, ["--one", size.description, "--seed", String(options.seed), "--time-limit", String(limit)], timeout: limit * 3 + 300)
            let res = lastJSONLine(r.out, as: SizeResult.self)
                ?? SizeResult(size: size.description, seed: options.seed, timeLimit: limit, status: r.status == nil ? "killed" : "error", method: "",
                              coverage: 0, coverageBound: 0, quality: 0, qualityBound: 0, models: size.models, bins: size.instances, candidates: 0,
                              variables: 0, violations: 0, buildSeconds: 0, solveSeconds: 0, totalSeconds: r.seconds, peakMB: 0, error: failureLine(r.err))
            log("  \(res.status) coverage \(res.coverage)/\(res.coverageBound) in \(Table.num(r.seconds, 2)) s wall")
            rows.append((res, r.seconds))
            if res.status == "error" || res.status == "killed" || res.violations > 0 { exitCode = 1 }
        }
    }
    print(Table.deadlines(rows))
    exit(exitCode)
}

/// Runs one size in a child process (peak memory per size); the child also exports when asked.
func measure(_ size: BenchSize, exportDir: String?) -> SizeResult {
    if let d = exportDir {
        let e = runProcess(selfExecutable, ["--one", size.description, "--seed", String(options.seed), "--export", d, "--export-only"], timeout: 600)
        if e.status != 0 { log("  export of \(size) failed: \(failureLine(e.err))") }
    }
    let limit = options.limit(for: size)
    var args = ["--one", size.description, "--seed", String(options.seed), "--time-limit", String(limit)]
    if let d = options.emitYAML { args += ["--yaml", d] }
    let wall = limit * 3 + 300
    let r = runProcess(selfExecutable, args, timeout: wall)
    if let res = lastJSONLine(r.out, as: SizeResult.self) { return res }
    let why = r.status == nil ? "killed after \(Int(wall)) s" : "child exit \(r.status!): \(failureLine(r.err))"
    return SizeResult(size: size.description, seed: options.seed, timeLimit: limit, status: r.status == nil ? "killed" : "error",
                      method: "", coverage: 0, coverageBound: 0, quality: 0, qualityBound: 0, models: size.models, bins: size.instances,
                      candidates: 0, variables: 0, violations: 0, buildSeconds: 0, solveSeconds: 0, totalSeconds: r.seconds, peakMB: 0, error: why)
}

let limits = options.timeLimit.map { "time limit \($0) s" } ?? "time limits per size: " + options.sizes.map { "\($0) \(options.limit(for: $0)) s" }.joined(separator: ", ")
print("placeplan-bench: seed \(options.seed), \(limits), profile default (SPEC defaults), release build expected\n")
if !options.falkenauerOnly {
    var exportDir = options.export
    if options.peers && exportDir == nil {
        exportDir = FileManager.default.temporaryDirectory.appendingPathComponent("placeplan-bench-\(ProcessInfo.processInfo.processIdentifier)").path
    }
    var results: [SizeResult] = []
    var peerRows: [(SizeResult, [PeerResult])] = []
    for size in options.sizes {
        log("size \(size)…")
        let r = measure(size, exportDir: exportDir)
        results.append(r)
        log("  placeplan \(r.status) coverage \(r.coverage)/\(r.coverageBound) quality \(Table.num(r.quality, 3))/\(Table.num(r.qualityBound, 3)) in \(Table.num(r.totalSeconds, 2)) s, \(Int(r.peakMB)) MB")
        if options.peers, let d = exportDir {
            let file = (d as NSString).appendingPathComponent("bench-\(size)-s\(options.seed).json")
            let ps = FileManager.default.fileExists(atPath: file)
                ? Peers.run(problem: file, names: options.peerNames, timeLimit: options.limit(for: size), dir: options.peersDir)
                : options.peerNames.map { PeerResult(peer: $0, status: "skipped", error: "no exported problem") }
            peerRows.append((r, ps))
        }
    }
    print("### placeplan\n")
    print(Table.placeplan(results))
    let broken = results.filter { $0.status == "error" || $0.status == "killed" || $0.violations > 0 }
    if !broken.isEmpty { exitCode = 1; log("placeplan-bench: \(broken.map(\.size).joined(separator: ", ")) failed (error, killed or invalid plan)") }
    if options.peers {
        print("### peers (same problem, same time limit as placeplan: \(limits))\n")
        print(Table.peers(peerRows))
        if options.export == nil, let d = exportDir { try? FileManager.default.removeItem(atPath: d) }
    }
}
if let dir = options.falkenauer {
    let files = Falkenauer.files(dir)
    if files.isEmpty { fail("no Falkenauer_t*.txt files in \(dir)") }
    var rs: [Falkenauer.Result] = []
    for f in files {
        log("falkenauer \((f as NSString).lastPathComponent)…")
        let wall = options.falkenauerLimit * 3 + 120
        let r = runProcess(selfExecutable, ["--one-falkenauer", f, "--time-limit", String(options.falkenauerLimit)], timeout: wall)
        let name = ((f as NSString).lastPathComponent as NSString).deletingPathExtension
        rs.append(lastJSONLine(r.out, as: Falkenauer.Result.self)
                  ?? Falkenauer.Result(name: name, items: 0, bins: 0, status: r.status == nil ? "killed" : "error", placed: 0, violations: 0,
                                       solveSeconds: 0, totalSeconds: r.seconds, peakMB: 0, error: r.err.split(separator: "\n").last.map(String.init)))
    }
    print("### Falkenauer triplets (time limit \(options.falkenauerLimit) s each)\n")
    print(Table.falkenauer(rs))
}
exit(exitCode)
