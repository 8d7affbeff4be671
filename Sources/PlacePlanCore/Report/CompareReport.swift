/// Text renderings of a comparison: a side-by-side terminal table, Markdown, and HTML with one
/// memory map per profile. No timings anywhere, so the output is the same bytes for the same input.
public enum CompareReport {
    struct Row { var label: String; var cells: [String]; var section: Bool = false }

    static func gb(_ b: Int64) -> String { Units.format(Double(b) / 1e9, digits: 1) }
    static func tps(_ x: Double) -> String { Units.format(x, digits: 1) }

    static let throughputNote = "tok/s: estimated single-stream decode speed (the plan's roofline). \"Σ alone\" adds each copy's speed as if it ran alone; copies on one device (a unified host, or one GPU) share its memory bandwidth, so \"Σ shared\" assumes they all decode at once, each getting ~1/k of the bandwidth-bound part (k = copies on the device). Real load lies between the two."

    static func hostNames(_ c: Comparison) -> [String] {
        var seen = Set<String>(), out: [String] = []
        for col in c.columns { for h in col.plan.hosts where seen.insert(h.name).inserted { out.append(h.name) } }
        return out
    }

    static func rows(_ c: Comparison) -> [Row] {
        let cols = c.columns
        func each(_ f: (Comparison.Column) -> String) -> [String] { cols.map { $0.noPlacement ? "—" : f($0) } }
        func feasible(_ f: @escaping (Plan) -> String) -> [String] { cols.map { $0.givesPlan ? f($0.plan) : "—" } }
        var rows: [Row] = []
        rows.append(Row(label: "status", cells: cols.map { $0.noPlacement ? "no placement within the limits" : $0.plan.status == .infeasible ? "infeasible (why: below)" : $0.plan.status.rawValue }))
        rows.append(Row(label: "coverage (priority)", cells: feasible { p in "\(p.objective.coverage)/\(p.models.reduce(0) { $0 + $1.priority })" }))
        rows.append(Row(label: "models placed", cells: feasible { p in "\(p.models.filter { $0.quant != nil }.count)/\(p.models.count)" }))
        rows.append(Row(label: "quality", cells: feasible { p in Units.format(p.objective.quality, digits: 3) }))
        rows.append(Row(label: "instances", cells: each { col in
            let used = col.plan.hosts.flatMap(\.instances).filter { !$0.models.isEmpty }.count
            return "\(col.plan.hosts.reduce(0) { $0 + $1.instances.count }) (\(used) used)"
        }))
        for hn in hostNames(c) {
            func host(_ p: Plan) -> Plan.Host? { p.hosts.first { $0.name == hn } }
            rows.append(Row(label: hn, cells: cols.map { _ in "" }, section: true))
            rows.append(Row(label: "  used / capacity GB", cells: each { col in host(col.plan).map { "\(gb($0.used_bytes)) / \(gb($0.capacity_bytes))" } ?? "—" }))
            rows.append(Row(label: "  headroom GB", cells: each { col in host(col.plan).map { gb($0.capacity_bytes - $0.used_bytes) } ?? "—" }))
            if cols.contains(where: { host($0.plan)?.memory_bytes != nil }) {
                rows.append(Row(label: "  OS reserve", cells: each { col in
                    guard let h = host(col.plan), let r = h.reserve_bytes else { return "—" }
                    return Units.gib(r)
                }))
                rows.append(Row(label: "  GPU / installed", cells: each { col in
                    guard let h = host(col.plan), let m = h.memory_bytes else { return "—" }
                    return "\(Units.gib(h.capacity_bytes)) / \(Units.gib(m))"
                }))
            }
            let sums = cols.map { col in SharedThroughput.hosts(col.plan).first { $0.host == hn } }
            rows.append(Row(label: "  tok/s Σ alone", cells: zip(cols, sums).map { col, s in
                guard col.givesPlan, let s, s.copies > 0 else { return "—" }
                return tps(s.sumAlone) + (s.complete ? "" : " (partial)")
            }))
            rows.append(Row(label: "  tok/s Σ shared", cells: zip(cols, sums).map { col, s in
                guard col.givesPlan, let s, s.copies > 0 else { return "—" }
                return tps(s.sumShared) + (s.complete ? "" : " (partial)")
            }))
        }
        rows.append(Row(label: "models", cells: cols.map { _ in "" }, section: true))
        for m in c.modelNames {
            rows.append(Row(label: "  " + m, cells: cols.map { col in
                if col.noPlacement { return "—" }
                let copies = col.plan.placements.filter { $0.model.name == m }
                guard !copies.isEmpty else { return col.plan.status == .infeasible ? "—" : "unplaced" }
                let q = Array(Set(copies.map(\.model.quant))).sorted().joined(separator: "+")
                let where_ = copies.map(\.instance.id).joined(separator: ",")
                let speeds = copies.compactMap(\.model.decode_tokens_per_s)
                var s = "\(q) @ \(where_)"
                if speeds.count == copies.count {
                    s += copies.count == 1 ? " · \(tps(speeds[0])) tok/s" : " · Σ \(tps(speeds.reduce(0, +))) tok/s"
                }
                return s
            }))
        }
        return rows
    }

    /// Why each column is what it is: unplaced models, infeasibility reasons, plan notes.
    static func explanations(_ c: Comparison) -> [(header: String, lines: [String])] {
        zip(c.headers, c.columns).map { h, col in
            var lines: [String] = []
            if col.noPlacement { lines.append("no placement found within --time-limit / --node-limit; raise them") }
            if col.plan.status == .infeasible {
                lines += col.plan.unplaced.map { "infeasible: \($0.reason)" }
            } else if !col.noPlacement {
                lines += col.plan.unplaced.map { "unplaced: \($0.reason)" }
            }
            lines += col.plan.notes.map { "note: \($0)" }
            return (h, lines)
        }
    }

    static func headline(_ c: Comparison) -> String {
        let ok = c.columns.filter(\.givesPlan).count
        return "\(c.cluster) · \(c.columns.count) profile\(c.columns.count == 1 ? "" : "s") compared · \(ok) give\(ok == 1 ? "s" : "") a plan"
    }

    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }

    /// The terminal table.
    public static func table(_ c: Comparison) -> String {
        let rs = rows(c)
        let headers = c.headers
        let w0 = max(22, rs.map(\.label.count).max() ?? 0) + 2
        let widths = headers.indices.map { k in max(headers[k].count, rs.map { $0.cells[k].count }.max() ?? 0) + 3 }
        var out = [headline(c), ""]
        out.append((pad("", w0) + headers.indices.map { pad(headers[$0], widths[$0]) }.joined()).trimmingTrailingSpaces())
        out.append(String(repeating: "-", count: w0 + widths.reduce(0, +) - 3))
        for r in rs {
            if r.section { out.append(r.label); continue }
            out.append((pad(r.label, w0) + r.cells.indices.map { pad(r.cells[$0], widths[$0]) }.joined()).trimmingTrailingSpaces())
        }
        out += ["", throughputNote]
        let d = c.differences
        if c.columns.count > 1 {
            out += ["", "differences (\(headers.joined(separator: " | "))):"]
            if d.isEmpty { out.append("  none: every model is placed the same way") }
            for l in d { out.append("  " + l) }
            let same = c.unchanged
            if !same.isEmpty && !d.isEmpty { out.append("  same under every profile: " + same.joined(separator: ", ")) }
        }
        for (h, lines) in explanations(c) where !lines.isEmpty {
            out += ["", "\(h):"]
            for l in lines { out.append("  - " + l) }
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func md(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "|", with: "\\|")
            .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: "\n", with: " ")
    }

    /// The same content as Markdown.
    public static func markdown(_ c: Comparison) -> String {
        let rs = rows(c)
        var out = ["# Compare: \(md(c.cluster))", "", md(headline(c)), ""]
        out.append("| | " + c.headers.map { "**\(md($0))**" }.joined(separator: " | ") + " |")
        out.append("|---|" + c.headers.map { _ in "---|" }.joined())
        for r in rs {
            if r.section { out.append("| **\(md(r.label))** |" + r.cells.map { _ in " |" }.joined()); continue }
            let label = r.label.hasPrefix("  ") ? "&nbsp;&nbsp;" + md(String(r.label.dropFirst(2))) : md(r.label)
            out.append("| \(label) | " + r.cells.map(md).joined(separator: " | ") + " |")
        }
        out += ["", md(throughputNote)]
        if c.columns.count > 1 {
            out += ["", "## Differences", "", "Order: " + c.headers.map(md).joined(separator: " \\| "), ""]
            let d = c.differences
            if d.isEmpty { out.append("None: every model is placed the same way.") }
            for l in d { out.append("- `\(l)`") }
            let same = c.unchanged
            if !same.isEmpty && !d.isEmpty { out += ["", "Same under every profile: " + same.map { "`\($0)`" }.joined(separator: ", ")] }
        }
        for (h, lines) in explanations(c) where !lines.isEmpty {
            out += ["", "## \(md(h))", ""]
            for l in lines { out.append("- " + md(l)) }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// A self-contained HTML page: the table, the differences, and one memory map (SVG) per profile.
    public static func html(_ c: Comparison) -> String {
        let x = XMLText.escape
        let rs = rows(c)
        var out = ["<!DOCTYPE html>", "<html lang=\"en\"><head><meta charset=\"utf-8\"/>",
                   "<title>placeplan compare: \(x(c.cluster))</title>",
                   "<style>body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}tr.section td{background:#f0f0f0;font-weight:bold}td.label{white-space:nowrap}code{font-size:12px}section.map{margin-top:2em}</style>",
                   "</head><body>", "<h1>Compare: \(x(c.cluster))</h1>", "<p>\(x(headline(c)))</p>", "<table>"]
        out.append("<tr><th></th>" + c.headers.map { "<th>\(x($0))</th>" }.joined() + "</tr>")
        for r in rs {
            if r.section { out.append("<tr class=\"section\"><td colspan=\"\(c.columns.count + 1)\">\(x(r.label))</td></tr>"); continue }
            let label = r.label.hasPrefix("  ") ? "&#160;&#160;" + x(String(r.label.dropFirst(2))) : x(r.label)
            out.append("<tr><td class=\"label\">\(label)</td>" + r.cells.map { "<td>\(x($0))</td>" }.joined() + "</tr>")
        }
        out += ["</table>", "<p>\(x(throughputNote))</p>"]
        if c.columns.count > 1 {
            out += ["<h2>Differences</h2>", "<p>Order: \(x(c.headers.joined(separator: " | ")))</p>", "<ul>"]
            let d = c.differences
            if d.isEmpty { out.append("<li>none: every model is placed the same way</li>") }
            for l in d { out.append("<li><code>\(x(l))</code></li>") }
            out.append("</ul>")
        }
        let why = explanations(c)
        for (k, col) in c.columns.enumerated() {
            out.append("<section class=\"map\"><h2>\(x(c.headers[k]))</h2>")
            if !why[k].lines.isEmpty {
                out.append("<ul>" + why[k].lines.map { "<li>\(x($0))</li>" }.joined() + "</ul>")
            }
            out.append(MemoryMapSVG.render(col.plan, idPrefix: "mm\(k)-"))
            out.append("</section>")
        }
        out.append("</body></html>")
        return out.joined(separator: "\n") + "\n"
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
