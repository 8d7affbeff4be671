import Foundation

/// `placeplan simulate` as text (table) and as a page with an SVG chart of time to first token.
public enum SimulateReport {
    /// Rows of the per-model table shown in text (the JSON has every model).
    public static let modelRows = 20

    static func pad(_ s: String, _ n: Int) -> String { PlanReport.pad(s, n) }
    static func lpad(_ s: String, _ n: Int) -> String { PlanReport.lpad(s, n) }
    static func sec(_ x: Double?) -> String { x.map { $0 >= 100 ? String(format: "%.0f", $0) : String(format: "%.2f", $0) } ?? "—" }
    static func pct(_ n: Int, _ d: Int) -> String { d == 0 ? "—" : String(format: "%.1f%%", Double(n) * 100 / Double(d)) }
    static func bytes(_ b: Int64) -> String {
        b >= 1_000_000_000_000 ? String(format: "%.2f TB", Double(b) / 1e12) : String(format: "%.1f GB", Double(b) / 1e9)
    }

    /// The summary rows: label, then one cell per report (plan, and baseline when there is one).
    static func summary(_ rs: [SimReport]) -> [(String, [String])] {
        func row(_ l: String, _ f: (SimReport.Stats) -> String) -> (String, [String]) { (l, rs.map { f($0.total) }) }
        var out = [
            row("requests") { "\($0.requests)" },
            row("resident hits") { "\($0.resident_hits) (\(pct($0.resident_hits, $0.requests)))" },
            row("loads") { "\($0.loads)" },
            row("  waited for a load") { "\($0.joined_loads)" },
            row("evictions") { "\($0.evictions)" },
            row("keep-alive unloads") { "\($0.expiries)" },
            row("bytes read") { bytes($0.bytes_read) },
            row("TTFT p50 / p95 / p99 s") { "\(sec($0.ttft_p50_s)) / \(sec($0.ttft_p95_s)) / \(sec($0.ttft_p99_s))" },
            row("end-to-end p50 / p95 s") { "\(sec($0.e2e_p50_s)) / \(sec($0.e2e_p95_s))" },
            row("SLO misses") { "\($0.slo_misses)" },
        ]
        if rs.contains(where: { $0.total.unserved > 0 }) { out.append(row("unserved") { "\($0.unserved)" }) }
        out.append(("busiest instance", rs.map { r in r.instances.max { $0.busy_share < $1.busy_share || ($0.busy_share == $1.busy_share && $0.id > $1.id) }.map { "\($0.id) \(String(format: "%.0f%%", $0.busy_share * 100))" } ?? "—" }))
        return out
    }

    public static func table(_ r: SimResult, trace: String) -> String {
        let reports = [r.plan] + (r.baseline.map { [$0] } ?? [])
        let heads = ["plan"] + (r.baseline == nil ? [] : ["ollama baseline"])
        var out = ["placeplan simulate: \(r.plan.total.requests) requests from \(trace) over \(sec(r.plan.span)) s" + (r.baseline == nil ? "" : ", the plan beside one plain Ollama per host"), ""]
        let rows = summary(reports)
        let w0 = max(rows.map(\.0.count).max() ?? 0, 8) + 2
        let ws = heads.indices.map { k in max(heads[k].count, rows.map { $0.1[k].count }.max() ?? 0) + 2 }
        out.append(pad("", w0) + heads.enumerated().map { lpad($1, ws[$0]) }.joined())
        for (l, cells) in rows { out.append(pad(l, w0) + cells.enumerated().map { lpad($1, ws[$0]) }.joined()) }
        out.append("")
        out += modelTable(r)
        out.append("")
        out.append("busy share (a request in service or a load in progress):")
        for (h, rep) in zip(heads, reports) {
            out.append("  \(h): " + rep.instances.map { "\($0.id) \(String(format: "%.0f%%", $0.busy_share * 100))" }.joined(separator: ", "))
        }
        let notes = r.plan.notes
        if !notes.isEmpty { out.append(""); out.append("assumptions:"); out += notes.map { "  - \($0)" } }
        return out.joined(separator: "\n") + "\n"
    }

    static func modelTable(_ r: SimResult) -> [String] {
        let base = Dictionary(uniqueKeysWithValues: (r.baseline?.models ?? []).map { ($0.name, $0.stats) })
        let ms = r.plan.models.sorted { $0.stats.requests > $1.stats.requests || ($0.stats.requests == $1.stats.requests && $0.name < $1.name) }
        let shown = ms.prefix(modelRows)
        var head = ["model", "requests", "hits", "loads", "evictions", "TTFT p50", "p95", "p99", "e2e p50", "p95", "SLO misses"]
        if r.baseline != nil { head += ["ollama hits", "ollama TTFT p95"] }
        var rows: [[String]] = shown.map { m in
            let s = m.stats
            var cells = [m.name, "\(s.requests)", "\(s.resident_hits)", "\(s.loads)", "\(s.evictions)", sec(s.ttft_p50_s), sec(s.ttft_p95_s), sec(s.ttft_p99_s),
                         sec(s.e2e_p50_s), sec(s.e2e_p95_s), "\(s.slo_misses)"]
            if r.baseline != nil { let b = base[m.name]; cells += [b.map { "\($0.resident_hits)" } ?? "—", sec(b?.ttft_p95_s)] }
            return cells
        }
        let t = r.plan.total
        var total = ["total", "\(t.requests)", "\(t.resident_hits)", "\(t.loads)", "\(t.evictions)", sec(t.ttft_p50_s), sec(t.ttft_p95_s), sec(t.ttft_p99_s),
                     sec(t.e2e_p50_s), sec(t.e2e_p95_s), "\(t.slo_misses)"]
        if let b = r.baseline?.total { total += ["\(b.resident_hits)", sec(b.ttft_p95_s)] }
        rows.append(total)
        let widths = head.indices.map { k in max(head[k].count, rows.map { $0[k].count }.max() ?? 0) }
        func line(_ c: [String]) -> String { c.enumerated().map { k, s in k == 0 ? pad(s, widths[k]) : lpad(s, widths[k]) }.joined(separator: "  ") }
        var out = ["per model (plan), by requests" + (ms.count > shown.count ? ": the \(shown.count) busiest of \(ms.count) (every one is in --format json)" : "") + ":"]
        out.append(line(head))
        for (k, row) in rows.enumerated() {
            if k == rows.count - 1 { out.append(String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1))) }
            out.append(line(row))
        }
        return out
    }

    // MARK: - HTML

    public static func html(_ r: SimResult, trace: String) -> String {
        let x = XMLText.escape
        var out = ["<!DOCTYPE html>", "<html lang=\"en\"><head><meta charset=\"utf-8\"/>", "<title>placeplan simulate: \(x(trace))</title>",
                   "<style>body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}td:first-child,th:first-child{text-align:left}pre{font-size:12px}</style>",
                   "</head><body>", "<h1>Simulate: \(x(trace))</h1>"]
        let reports = [r.plan] + (r.baseline.map { [$0] } ?? [])
        let heads = ["plan"] + (r.baseline == nil ? [] : ["ollama baseline"])
        out.append("<table><tr><th></th>" + heads.map { "<th>\(x($0))</th>" }.joined() + "</tr>")
        for (l, cells) in summary(reports) { out.append("<tr><td>\(x(l))</td>" + cells.map { "<td>\(x($0))</td>" }.joined() + "</tr>") }
        out.append("</table>")
        out.append("<h2>Time to first token over the trace</h2>")
        out.append("<p>Per minute of arrivals: median (solid) and 95th percentile (dashed), in seconds, log scale.</p>")
        out.append(chart(zip(heads, reports).map { ($0, $1) }, span: r.plan.span))
        out.append("<h2>Per model</h2><pre>" + x(modelTable(r).joined(separator: "\n")).replacingOccurrences(of: " ", with: "&#160;") + "</pre>")
        if !r.plan.notes.isEmpty { out.append("<h2>Assumptions</h2><ul>" + r.plan.notes.map { "<li>\(x($0))</li>" }.joined() + "</ul>") }
        out.append("</body></html>")
        return out.joined(separator: "\n") + "\n"
    }

    /// TTFT per minute bucket (p50 and p95), one colour per report, on a log axis from 10 ms up.
    static func chart(_ series: [(String, SimReport)], span: Double) -> String {
        let width = 900.0, height = 320.0, left = 60.0, right = 20.0, top = 20.0, bottom = 40.0
        let bucket = span > 7200 ? 600.0 : span > 1200 ? 60.0 : 10.0
        let n = max(Int((span / bucket).rounded(.up)), 1)
        var lines: [(label: String, colour: String, dashed: Bool, points: [(Double, Double)])] = []
        let colours = ["#1f77b4", "#d62728"]
        var maxY = 1.0
        for (k, (label, rep)) in series.enumerated() {
            var buckets = Array(repeating: [Double](), count: n)
            for e in rep.timeline { buckets[min(Int(e.arrival / bucket), n - 1)].append(e.ttft) }
            var p50: [(Double, Double)] = [], p95: [(Double, Double)] = []
            for (b, v) in buckets.enumerated() where !v.isEmpty {
                let s = v.sorted(), mid = (Double(b) + 0.5) * bucket
                if let a = SimReport.percentile(s, 50) { p50.append((mid, a)) }
                if let a = SimReport.percentile(s, 95) { p95.append((mid, a)); maxY = max(maxY, a) }
            }
            lines.append(("\(label) p50", colours[k % 2], false, p50))
            lines.append(("\(label) p95", colours[k % 2], true, p95))
        }
        let lo = -2.0, hi = max(log10(maxY).rounded(.up), 0)
        func px(_ t: Double) -> Double { left + t / max(span, 1e-9) * (width - left - right) }
        func py(_ v: Double) -> Double { top + (1 - (log10(max(v, 0.01)) - lo) / (hi - lo)) * (height - top - bottom) }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        var s = ["<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"sans-serif\" font-size=\"11\">",
                 "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(width - left - right))\" height=\"\(f(height - top - bottom))\" fill=\"none\" stroke=\"#999\"/>"]
        var e = lo
        while e <= hi {
            let v = pow(10, e), y = py(v)
            s.append("<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(width - right))\" y2=\"\(f(y))\" stroke=\"#eee\"/>")
            s.append("<text x=\"\(f(left - 4))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(v < 1 ? String(format: "%g", v) : String(Int(v))) s</text>")
            e += 1
        }
        let ticks = 6
        for k in 0...ticks {
            let t = span * Double(k) / Double(ticks)
            s.append("<text x=\"\(f(px(t)))\" y=\"\(f(height - bottom + 16))\" text-anchor=\"middle\">\(Int(t / 60)) min</text>")
        }
        for (k, l) in lines.enumerated() where !l.points.isEmpty {
            let d = l.points.map { "\(f(px($0.0))),\(f(py($0.1)))" }.joined(separator: " ")
            s.append("<polyline fill=\"none\" stroke=\"\(l.colour)\" stroke-width=\"1.5\"\(l.dashed ? " stroke-dasharray=\"5,3\"" : "") points=\"\(d)\"><title>\(XMLText.escape(l.label))</title></polyline>")
            s.append("<text x=\"\(f(left + 10 + Double(k) * 140))\" y=\"\(f(height - 6))\" fill=\"\(l.colour)\">\(l.dashed ? "- -" : "—") \(XMLText.escape(l.label))</text>")
        }
        s.append("</svg>")
        return s.joined(separator: "\n")
    }
}
