/// Text renderings of a plan for people: a terminal table and Markdown.
public enum PlanReport {
    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
    static func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
    static func gb(_ b: Int64) -> String { Units.format(Double(b) / 1e9, digits: 1) }

    static func bar(_ used: Int64, _ cap: Int64, width: Int = 20) -> String {
        let filled = cap > 0 ? min(width, Int((Double(used) / Double(cap) * Double(width)).rounded())) : 0
        return "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "]"
    }

    /// "3 of 7 models placed (priority 19 of 43)": models first, then the coverage objective they carry.
    /// With the on-demand tier: "34 of 1000 models resident, 966 on demand"; with demand, the
    /// coverage objective is priority × requests/h × cold-start seconds saved (SPEC §8), shown as such.
    public static func placedSummary(_ plan: Plan) -> String {
        let total = plan.models.reduce(0) { $0 + $1.priority }
        let onDemand = plan.models.filter { $0.tier == .onDemand }.count
        let resident = plan.models.filter { $0.tier == .resident || ($0.tier == nil && $0.quant != nil) }.count
        let n = plan.models.count, s = n == 1 ? "" : "s"
        let what = onDemand > 0 ? "\(resident) of \(n) model\(s) resident, \(onDemand) on demand" : "\(resident) of \(n) model\(s) placed"
        if plan.models.contains(where: { $0.demand_per_hour != nil }) {
            return what + " (waiting saved \(plan.objective.coverage) of at most \(plan.objective.coverage_bound) priority·s/h)"
        }
        return what + " (priority \(plan.objective.coverage) of \(total))"
    }

    static func headline(_ plan: Plan, seconds: Double?) -> String {
        var s = "\(plan.cluster) · profile \(plan.profile) · \(plan.status)"
        s += " · \(placedSummary(plan)) · quality \(Units.format(plan.objective.quality, digits: 3))"
        if plan.objective.quality_bound > plan.objective.quality + 1e-9 { s += " (bound \(Units.format(plan.objective.quality_bound, digits: 3)))" }
        if let seconds { s += " · solved in \(Units.format(seconds, digits: 3)) s" }
        return s
    }

    /// The terminal table: host → instance → models with quant and GB, used/capacity bars.
    /// `replan`'s moves, one line per step ("" when the plan has none).
    public static func moves(_ plan: Plan) -> String {
        guard let moves = plan.moves else { return "" }
        guard !moves.isEmpty else { return "\nmoves: none (every copy stays where it runs)\n" }
        var out = "\nmoves (\(moves.count), in order):\n"
        for m in moves {
            let what: String
            switch (m.from, m.to) {
            case (let f?, let t?): what = m.drain_first == true ? "unload from \(f), then load on \(t)" : "load on \(t), then unload from \(f)"
            case (nil, let t?): what = "load on \(t)"
            case (let f?, nil): what = "unload from \(f)"
            default: what = "-"
            }
            out += "  \(m.step). \(m.model) \(m.quant): \(what)\(m.briefly_unavailable == true ? " (briefly unavailable)" : "")\n"
        }
        return out
    }

    public static func table(_ plan: Plan, seconds: Double?) -> String {
        var out = [headline(plan, seconds: seconds), ""]
        for h in plan.hosts {
            var line = "\(h.name) (\(h.address), \(h.kind)) · \(gb(h.used_bytes)) of \(gb(h.capacity_bytes)) GB used"
            if let m = h.memory_bytes, let r = h.reserve_bytes { line += " · \(Units.gib(m)) installed, \(Units.gib(r)) left to the OS" }
            if h.overflow { line += " · overflow" }
            out.append(line)
            for i in h.instances {
                let gpu = i.gpu_name.map { " \($0)" } ?? ""
                out.append("  " + pad(i.id, 10) + pad(":\(i.port)", 8) + bar(i.used_bytes, i.capacity_bytes) + " " + lpad(gb(i.used_bytes), 6) + " / " + gb(i.capacity_bytes) + " GB" + gpu)
                for m in i.models {
                    var ml = "      " + pad(m.name, 28) + pad(m.quant, 8) + lpad(gb(m.footprint_bytes), 6) + " GB"
                    if m.footprint_source != "footprints" {
                        ml += "  = \(gb(m.weights_bytes)) weights + \(gb(m.kv_cache_bytes)) KV + \(gb(m.compute_bytes)) compute"
                    } else { ml += "  (given)" }
                    if let t = m.decode_tokens_per_s { ml += " · ~\(Units.format(t, digits: 1)) tok/s" }
                    out.append(ml)
                }
            }
        }
        if !plan.unplaced.isEmpty {
            out.append("")
            out.append(plan.status == .infeasible ? "infeasible:" : "unplaced:")
            for u in plan.unplaced { out.append("  - \(u.reason)") }
        }
        if !plan.notes.isEmpty {
            out.append("")
            out.append("notes:")
            for n in plan.notes { out.append("  - \(n)") }
        }
        // A plan written by `replan` ends with its moves.
        return out.joined(separator: "\n") + "\n" + moves(plan)
    }

    /// The same content as Markdown tables.
    public static func markdown(_ plan: Plan, seconds: Double?) -> String {
        var out = ["# Plan: \(plan.cluster) (profile \(plan.profile))", "", headline(plan, seconds: seconds), ""]
        out.append("| instance | port | model | quant | GB | weights | KV | compute | tok/s |")
        out.append("|---|---|---|---|---|---|---|---|---|")
        for h in plan.hosts {
            for i in h.instances {
                if i.models.isEmpty { out.append("| \(i.id) | \(i.port) | — | | 0.0 / \(gb(i.capacity_bytes)) | | | | |") }
                for m in i.models {
                    let tps = m.decode_tokens_per_s.map { Units.format($0, digits: 1) } ?? ""
                    out.append("| \(i.id) | \(i.port) | \(m.name) | \(m.quant) | \(gb(m.footprint_bytes)) | \(gb(m.weights_bytes)) | \(gb(m.kv_cache_bytes)) | \(gb(m.compute_bytes)) | \(tps) |")
                }
            }
        }
        out.append("")
        out.append("| host | used GB | capacity GB |")
        out.append("|---|---|---|")
        for h in plan.hosts { out.append("| \(h.name) | \(gb(h.used_bytes)) | \(gb(h.capacity_bytes)) |") }
        if !plan.unplaced.isEmpty {
            out += ["", "## \(plan.status == .infeasible ? "Infeasible" : "Unplaced")", ""]
            for u in plan.unplaced { out.append("- \(u.reason)") }
        }
        if !plan.notes.isEmpty { out += ["", "## Notes", ""]; for n in plan.notes { out.append("- \(n)") } }
        return out.joined(separator: "\n") + "\n"
    }
}
