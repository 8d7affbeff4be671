/// A picture of a plan's memory: one horizontal bar per instance, one segment group per model copy
/// (weights, KV cache and compute in three shades of the model's colour), the free headroom hatched,
/// a capacity line at the end of each bar, and per unified host a bar of its installed memory showing
/// what the instances get, what lies beyond the GPU working set, and what is left to the OS.
///
/// Output is a standalone `<svg>` element (no XML prolog, so it can be inlined in HTML); every text
/// and attribute value is escaped. Elements carry classes tests can count: `instance` (one per
/// instance), `copy` (one per placed copy), `host-memory` (one per unified host).
public enum MemoryMapSVG {
    static let width = 980.0
    static let labelW = 150.0
    static let barX = 160.0
    static let barW = 560.0
    static let barH = 22.0
    static let lineH = 15.0
    static let charW = 6.6  // conservative width of one 11 px sans-serif character

    static func f(_ x: Double) -> String { Units.format(x, digits: 1) }
    static func gb(_ b: Int64) -> String { Units.format(Double(b) / 1e9, digits: 1) }

    /// Splits `text` into lines of at most `columns` characters at spaces (a longer word is cut);
    /// continuation lines are indented by the caller, so they get two columns fewer.
    static func wrap(_ text: String, columns: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            let limit = lines.isEmpty ? columns : columns - 2
            if line.isEmpty { line = word } else if line.count + 1 + word.count <= limit { line += " " + word } else { lines.append(line); line = word }
            while line.count > (lines.isEmpty ? columns : columns - 2) {
                let cut = lines.isEmpty ? columns : columns - 2
                lines.append(String(line.prefix(cut))); line = String(line.dropFirst(cut))
            }
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }

    public static func render(_ plan: Plan, idPrefix: String = "mm-") -> String {
        let x = XMLText.escape
        let p = x(idPrefix)
        var body: [String] = []
        var y = 28.0
        body.append("<text x=\"10\" y=\"\(f(y))\" class=\"title\">\(x("\(plan.cluster) · profile \(plan.profile) · \(plan.status) · \(PlanReport.placedSummary(plan)) · quality \(Units.format(plan.objective.quality, digits: 3))"))</text>")
        y += 14
        let maxCap = max(1, plan.hosts.flatMap(\.instances).map { max($0.capacity_bytes, $0.used_bytes) }.max() ?? 1)
        let scale = barW / Double(maxCap)

        for h in plan.hosts {
            y += 22
            var head = "\(h.name) (\(h.address), \(h.kind)) · \(gb(h.used_bytes)) of \(gb(h.capacity_bytes)) GB used"
            if let m = h.memory_bytes { head += " · \(Units.gib(m)) installed" }
            if let bw = h.bandwidth_gbps { head += " · \(f(bw)) GB/s" }
            body.append("<text x=\"10\" y=\"\(f(y))\" class=\"host\">\(x(head))</text>")
            y += 8

            // Installed memory of a unified host: instances | beyond the GPU working set | OS reserve.
            if let mem = h.memory_bytes, mem > 0 {
                let reserve = h.reserve_bytes ?? 0
                let s = barW / Double(max(mem, h.capacity_bytes))
                var gx = barX
                var parts: [String] = []
                let capW = Double(h.capacity_bytes) * s
                let usedW = Double(h.used_bytes) * s
                parts.append("<rect x=\"\(f(gx))\" y=\"\(f(y))\" width=\"\(f(usedW))\" height=\"14\" class=\"hused\"><title>\(x("instances: \(gb(h.used_bytes)) GB used"))</title></rect>")
                parts.append("<rect x=\"\(f(gx + usedW))\" y=\"\(f(y))\" width=\"\(f(max(0, capW - usedW)))\" height=\"14\" fill=\"url(#\(p)free)\" class=\"free\"><title>\(x("instances: \(gb(h.capacity_bytes - h.used_bytes)) GB free"))</title></rect>")
                gx += capW
                let gap = max(0, mem - reserve - h.capacity_bytes)
                if gap > 0 {
                    let w = Double(gap) * s
                    parts.append("<rect x=\"\(f(gx))\" y=\"\(f(y))\" width=\"\(f(w))\" height=\"14\" class=\"gap\"><title>\(x("beyond the GPU working set: \(gb(gap)) GB"))</title></rect>")
                    gx += w
                }
                let osW = max(0, Double(mem) * s - (gx - barX))
                parts.append("<rect x=\"\(f(gx))\" y=\"\(f(y))\" width=\"\(f(osW))\" height=\"14\" fill=\"url(#\(p)os)\" class=\"os\"><title>\(x("left to the OS: \(gb(mem - h.capacity_bytes - gap)) GB"))</title></rect>")
                parts.append("<line x1=\"\(f(barX + capW))\" y1=\"\(f(y - 3))\" x2=\"\(f(barX + capW))\" y2=\"\(f(y + 17))\" class=\"cap\"/>")
                body.append("<g class=\"host-memory\" data-host=\"\(x(h.name))\">")
                body.append("<text x=\"10\" y=\"\(f(y + 11))\" class=\"small\">\(x("installed memory"))</text>")
                body += parts
                var right = "GPU \(gb(h.capacity_bytes))"
                if gap > 0 { right += " · gap \(gb(gap))" }
                right += " · OS \(gb(mem - h.capacity_bytes - gap)) GB"
                body.append("<text x=\"\(f(barX + barW + 8))\" y=\"\(f(y + 11))\" class=\"small\">\(x(right))</text>")
                body.append("</g>")
                y += 24
            } else {
                y += 4
            }

            for i in h.instances {
                body.append("<g class=\"instance\" data-id=\"\(x(i.id))\">")
                body.append("<text x=\"10\" y=\"\(f(y + 15))\" class=\"inst\">\(x(String("\(i.id) :\(i.port)".prefix(22))))</text>")
                if let g = i.gpu_name {
                    body.append("<text x=\"10\" y=\"\(f(y + barH + 13))\" class=\"small\">\(x(String(g.prefix(20))))</text>")
                }
                body.append("<rect x=\"\(f(barX))\" y=\"\(f(y))\" width=\"\(f(Double(i.capacity_bytes) * scale))\" height=\"\(f(barH))\" class=\"bin\"/>")
                var cx = barX
                for m in i.models {
                    let (cw, ck, cc) = ModelColour.shades(m.name)
                    let parts: [(String, Int64, String)] = m.footprint_source == "footprints"
                        ? [("weights", m.footprint_bytes, cw)]
                        : [("weights", m.weights_bytes, cw), ("kv", m.kv_cache_bytes, ck), ("compute", m.compute_bytes, cc)]
                    body.append("<g class=\"copy\" data-model=\"\(x(m.name))\" data-quant=\"\(x(m.quant))\">")
                    body.append("<title>\(x("\(m.name) \(m.quant): \(gb(m.footprint_bytes)) GB = \(gb(m.weights_bytes)) weights + \(gb(m.kv_cache_bytes)) KV + \(gb(m.compute_bytes)) compute"))</title>")
                    let segStart = cx
                    for (kind, bytes, colour) in parts {
                        let w = Double(bytes) * scale
                        body.append("<rect x=\"\(f(cx))\" y=\"\(f(y))\" width=\"\(f(w))\" height=\"\(f(barH))\" fill=\"\(colour)\" class=\"\(kind)\"/>")
                        cx += w
                    }
                    body.append("<line x1=\"\(f(cx))\" y1=\"\(f(y))\" x2=\"\(f(cx))\" y2=\"\(f(y + barH))\" class=\"sep\"/>")
                    let inside = "\(m.name) \(m.quant)"
                    let room = Double(m.weights_bytes) * scale
                    if let label = [inside, m.name].first(where: { Double($0.count) * charW + 8 < room }) {
                        body.append("<text x=\"\(f(segStart + 4))\" y=\"\(f(y + 15))\" class=\"seg\">\(x(label))</text>")
                    }
                    body.append("</g>")
                }
                let capX = barX + Double(i.capacity_bytes) * scale
                if capX > cx {
                    body.append("<rect x=\"\(f(cx))\" y=\"\(f(y))\" width=\"\(f(capX - cx))\" height=\"\(f(barH))\" fill=\"url(#\(p)free)\" class=\"free\"><title>\(x("free: \(gb(i.capacity_bytes - i.used_bytes)) GB"))</title></rect>")
                }
                body.append("<line x1=\"\(f(capX))\" y1=\"\(f(y - 3))\" x2=\"\(f(capX))\" y2=\"\(f(y + barH + 3))\" class=\"cap\"/>")
                body.append("<text x=\"\(f(barX + barW + 8))\" y=\"\(f(y + 15))\" class=\"inst\">\(x("\(gb(i.used_bytes)) / \(gb(i.capacity_bytes)) GB · \(gb(i.capacity_bytes - i.used_bytes)) free"))</text>")
                y += barH + 4
                for m in i.models {
                    y += lineH
                    let (cw, _, _) = ModelColour.shades(m.name)
                    var t = "\(m.name) \(m.quant) \(gb(m.footprint_bytes)) GB"
                    if m.footprint_source != "footprints" { t += " = \(gb(m.weights_bytes)) weights + \(gb(m.kv_cache_bytes)) KV + \(gb(m.compute_bytes)) compute" } else { t += " (given)" }
                    if let s = m.decode_tokens_per_s { t += " · ~\(f(s)) tok/s alone" }
                    body.append("<rect x=\"\(f(barX))\" y=\"\(f(y - 9))\" width=\"10\" height=\"10\" fill=\"\(cw)\"/>")
                    body.append("<text x=\"\(f(barX + 15))\" y=\"\(f(y))\" class=\"small\">\(x(t))</text>")
                }
                body.append("</g>")
                y += 10
            }
        }

        if !plan.unplaced.isEmpty {
            y += 14
            body.append("<text x=\"10\" y=\"\(f(y))\" class=\"host\">\(plan.status == .infeasible ? "infeasible" : "unplaced")</text>")
            // Reasons are long sentences: wrap them at word boundaries so none runs past the right edge.
            let columns = Int((width - 20 - 10) / charW)
            for u in plan.unplaced {
                for (k, line) in wrap("– " + u.reason, columns: columns).enumerated() {
                    y += lineH
                    body.append("<text x=\"\(k == 0 ? 20 : 32)\" y=\"\(f(y))\" class=\"small\">\(x(line))</text>")
                }
            }
        }

        // Legend: the three shades, free, gap, OS, capacity; then one swatch per model.
        y += 26
        body.append("<g class=\"legend\">")
        body.append("<text x=\"10\" y=\"\(f(y + 11))\" class=\"host\">legend</text>")
        let grey = ModelColour.hex(0, 0, 0.36), grey2 = ModelColour.hex(0, 0, 0.56), grey3 = ModelColour.hex(0, 0, 0.76)
        let items: [(String, String)] = [
            ("fill=\"\(grey)\"", "weights"), ("fill=\"\(grey2)\"", "KV cache"), ("fill=\"\(grey3)\"", "compute"),
            ("fill=\"url(#\(p)free)\" class=\"free\"", "free headroom"), ("class=\"gap\"", "beyond GPU working set"), ("fill=\"url(#\(p)os)\" class=\"os\"", "left to the OS"),
        ]
        var lx = 80.0
        for (attrs, name) in items {
            body.append("<rect x=\"\(f(lx))\" y=\"\(f(y))\" width=\"14\" height=\"14\" \(attrs)/>")
            body.append("<text x=\"\(f(lx + 18))\" y=\"\(f(y + 11))\" class=\"small\">\(x(name))</text>")
            lx += 30 + Double(name.count) * charW
        }
        body.append("<line x1=\"\(f(lx + 4))\" y1=\"\(f(y - 2))\" x2=\"\(f(lx + 4))\" y2=\"\(f(y + 16))\" class=\"cap\"/>")
        body.append("<text x=\"\(f(lx + 10))\" y=\"\(f(y + 11))\" class=\"small\">capacity</text>")
        let names = Array(Set(plan.placements.map(\.model.name))).sorted()
        var mx = 80.0
        if !names.isEmpty { y += 22 }
        for n in names {
            let w = 30 + Double(n.count) * charW
            if mx + w > width - 10 { mx = 80; y += 20 }
            let (cw, ck, cc) = ModelColour.shades(n)
            body.append("<rect x=\"\(f(mx))\" y=\"\(f(y))\" width=\"6\" height=\"14\" fill=\"\(cw)\"/><rect x=\"\(f(mx + 6))\" y=\"\(f(y))\" width=\"4\" height=\"14\" fill=\"\(ck)\"/><rect x=\"\(f(mx + 10))\" y=\"\(f(y))\" width=\"4\" height=\"14\" fill=\"\(cc)\"/>")
            body.append("<text x=\"\(f(mx + 18))\" y=\"\(f(y + 11))\" class=\"small\">\(x(n))</text>")
            mx += w
        }
        body.append("</g>")
        y += 30

        var out: [String] = []
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(y))\" viewBox=\"0 0 \(f(width)) \(f(y))\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">")
        out.append("<title>\(x("memory map: \(plan.cluster), profile \(plan.profile)"))</title>")
        out.append("<defs>")
        out.append("<pattern id=\"\(p)free\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#ffffff\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#c8c8c8\" stroke-width=\"2\"/></pattern>")
        out.append("<pattern id=\"\(p)os\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(-45)\"><rect width=\"6\" height=\"6\" fill=\"#9a9a9a\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#6a6a6a\" stroke-width=\"2\"/></pattern>")
        out.append("<style>text{font-size:11px;fill:#222}.title{font-size:14px;font-weight:bold}.host{font-size:12px;font-weight:bold}.inst{font-size:11px}.small{font-size:10.5px;fill:#333}.seg{font-size:11px;fill:#ffffff;font-weight:bold}.bin{fill:none;stroke:#888;stroke-width:1}.cap{stroke:#c00000;stroke-width:2}.sep{stroke:#ffffff;stroke-width:1}.hused{fill:#5b7fa6}.gap{fill:#e0c89a}.free,.os{stroke:#999;stroke-width:0.5}</style>")
        out.append("</defs>")
        out.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>")
        out += body
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }
}
