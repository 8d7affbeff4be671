import Foundation

/// Markdown tables of the results.
enum Table {
    static func num(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }
    static func pct(_ x: Double?) -> String { x.map { String(format: "%.3f", $0 * 100) } ?? "—" }

    static func render(_ rows: [[String]], header: [String], right: Set<Int> = []) -> String {
        var s = "| " + header.joined(separator: " | ") + " |\n|"
        for i in header.indices { s += right.contains(i) ? "---:|" : "---|" }
        s += "\n"
        for r in rows { s += "| " + r.joined(separator: " | ") + " |\n" }
        return s
    }

    /// yes / NO (why) against the issue's target for this size; "—" when the size has none.
    static func verdict(_ r: SizeResult) -> String {
        guard let size = BenchSize(r.size), let t = Target.of(size) else { return "—" }
        var misses: [String] = []
        if r.error != nil || r.violations > 0 { misses.append(r.error != nil ? "error" : "invalid plan") }
        if t.optimal {
            if r.status != "optimal" { misses.append("not proven optimal") }
        } else {
            if r.status != "optimal" && r.status != "feasible" { misses.append("no plan") }
            else {
                if let g = r.coverageGap, g > t.maxGap { misses.append("coverage gap \(pct(g))%") }
                if let h = r.qualityGap { if h > t.maxGap { misses.append("quality gap \(pct(h))%") } }
                else { misses.append("no quality bound") }
            }
        }
        if r.totalSeconds > t.maxSeconds { misses.append("\(num(r.totalSeconds, 2)) s") }
        if let mb = t.maxMB, r.peakMB >= mb { misses.append("\(Int(r.peakMB)) MB") }
        return misses.isEmpty ? "yes (\(t.text))" : "**NO** (\(t.text): \(misses.joined(separator: ", ")))"
    }

    /// The deadline suite: wall time against the limit, objective and bound, phases cut short.
    static func deadlines(_ rows: [(SizeResult, Double)]) -> String {
        let body = rows.map { r, wall -> [String] in
            let allowed = r.timeLimit * 1.1 + 0.5
            let ok = wall <= allowed && r.error == nil && r.violations == 0
            return [r.size, "\(r.models)/\(r.bins)/\(r.candidates)", num(r.timeLimit, 0), num(wall, 2), num(wall / r.timeLimit, 2),
                    r.status, r.method, "\(r.coverage) / \(r.coverageBound)", "\(num(r.quality, 3)) / \(num(r.qualityBound, 3))",
                    r.maxStall.map { num($0, 2) } ?? "—", (r.cutShort ?? []).joined(separator: ", "),
                    ok ? "yes" : "**NO**" + (r.error.map { " — " + $0.prefix(120) } ?? "")]
        }
        return render(body, header: ["size", "models/bins/candidates", "limit s", "wall s", "wall / limit", "status", "method",
                                     "coverage / bound", "quality / bound", "max stall s", "cut short", "≤ limit × 1.1 + 0.5 s"],
                      right: [2, 3, 4, 7, 8, 9])
    }

    static func placeplan(_ rs: [SizeResult]) -> String {
        let rows = rs.map { r -> [String] in
            if let e = r.error, r.status == "error" || r.status == "killed" {
                return [r.size, r.status, "—", "—", "—", "—", "—", "—", num(r.timeLimit, 2), "—", num(r.totalSeconds, 2), num(r.peakMB, 0), verdict(r) + " — " + e.prefix(160)]
            }
            return [r.size, "\(r.models)/\(r.bins)/\(r.candidates)", r.status, r.method,
                    "\(r.coverage) / \(r.coverageBound)", "\(num(r.quality, 3)) / " + (r.hasQualityBound ? num(r.qualityBound, 3) : "none (\(String(format: "%.1e", r.qualityBound)))"),
                    pct(r.coverageGap), pct(r.qualityGap), num(r.timeLimit, 2), num(r.solveSeconds, 2), num(r.totalSeconds, 2), num(r.peakMB, 0), verdict(r)]
        }
        return render(rows, header: ["size", "models/bins/candidates", "status", "method", "coverage / bound", "quality / bound",
                                     "cov gap %", "qual gap %", "limit s", "solve s", "total s", "peak MB", "target met"],
                      right: [4, 5, 6, 7, 8, 9, 10, 11])
    }

    /// Placeplan's row then each peer's, per size; ratios are peer ÷ placeplan.
    static func peers(_ all: [(SizeResult, [PeerResult])]) -> String {
        var rows: [[String]] = []
        for (r, ps) in all {
            let ok = r.status == "optimal" || r.status == "feasible"
            rows.append([r.size, "placeplan", r.status, ok ? "\(r.coverage)" : "—", ok ? num(r.quality, 3) : "—",
                         num(r.totalSeconds, 2), num(r.peakMB, 0), ok ? "1" : "—", ok ? "1" : "—", "—"])
            for p in ps {
                let has = p.coverage != nil && p.quality != nil
                var covRatio = "—", qRatio = "—", beats = "—"
                if has, ok {
                    covRatio = r.coverage > 0 ? num(Double(p.coverage!) / Double(r.coverage), 4) : "—"
                    qRatio = r.quality > 0 ? num(p.quality! / r.quality, 4) : "—"
                    let atLeast = r.coverage > p.coverage! || (r.coverage == p.coverage! && r.quality >= p.quality! - 1e-6)
                    beats = atLeast ? "yes" : "**NO**"
                } else if has { beats = "**NO**" } else { beats = ok ? "yes" : "—" }
                let status = p.status + (p.error.map { " (\($0.prefix(60)))" } ?? "") + (p.phase2.map { " (quality phase: \($0.prefix(40)))" } ?? "")
                rows.append([r.size, p.peer, status, p.coverage.map(String.init) ?? "—", p.quality.map { num($0, 3) } ?? "—",
                             p.seconds.map { num($0, 2) } ?? "—", p.peak_mb.map { num($0, 0) } ?? "—", covRatio, qRatio, beats])
            }
        }
        return render(rows, header: ["size", "solver", "status", "coverage", "quality", "seconds", "peak MB",
                                     "coverage ratio", "quality ratio", "placeplan ≥ peer"], right: [3, 4, 5, 6, 7, 8])
    }

    static func falkenauer(_ rs: [Falkenauer.Result]) -> String {
        let rows = rs.map { r in
            [r.name, "\(r.items)", "\(r.bins)", r.status + (r.error.map { " (\($0.prefix(60)))" } ?? ""), "\(r.placed)/\(r.items)",
             num(r.solveSeconds, 2), num(r.totalSeconds, 2), num(r.peakMB, 0), r.solved ? "yes" : "**NO**"]
        }
        let solved = rs.filter(\.solved).count
        return render(rows, header: ["instance", "models", "instances", "status", "placed", "solve s", "total s", "peak MB", "solved"],
                      right: [1, 2, 4, 5, 6, 7])
            + "\n\(solved)/\(rs.count) solved (every model placed, plan verified); target: all.\n"
    }
}
