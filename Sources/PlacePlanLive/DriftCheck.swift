import PlacePlanCore

/// Plan + observations → drift report. Pure: no I/O, no clock.
public enum DriftCheck {
    /// `size_vram` may differ from the planned footprint by this fraction before it is drift.
    public static let sizeTolerance = 0.10

    public static func compare(targets: [VerifyTarget], observations: [Observation], cluster: String = "", timeout: Double? = nil) -> VerifyReport {
        let byID = Dictionary(observations.map { ($0.instance, $0) }, uniquingKeysWith: { a, _ in a })
        // canonical model name → instances the plan puts it on
        var plannedOn: [String: [String]] = [:]
        for t in targets {
            for c in t.copies { plannedOn[OllamaName.canonical(c.model), default: []].append(t.instance) }
            for m in t.onDemand { plannedOn[OllamaName.canonical(m), default: []].append(t.instance) }
        }

        var instances: [VerifyReport.Instance] = []
        var drift: [Drift] = []
        for t in targets {
            let outcome = byID[t.instance]?.outcome ?? .down(reason: "not asked")
            var row = VerifyReport.Instance(id: t.instance, host: t.host, url: t.url, status: "down", version: nil, reason: nil,
                                            planned: t.copies.map(\.model), running: [])
            switch outcome {
            case .down(let reason):
                row.reason = reason
                drift.append(Drift(instance: t.instance, kind: .down, model: nil, message: "\(t.url) does not answer: \(reason)"))
            case .answered(let version, let running, let available):
                row.status = "up"; row.version = version
                row.running = running.map { VerifyReport.RunningModel(name: $0.displayName, size_vram: $0.size_vram, context_length: $0.context_length) }
                drift += check(t, running: running, available: available, plannedOn: plannedOn)
            }
            instances.append(row)
        }
        return VerifyReport(cluster: cluster, timeout_s: timeout, instances: instances, drift: drift)
    }

    static func check(_ t: VerifyTarget, running: [OllamaAPI.Running], available: [String], plannedOn: [String: [String]]) -> [Drift] {
        var out: [Drift] = []
        let pulled = Set(available.map(OllamaName.canonical))
        var matched = Set<Int>()
        for c in t.copies {
            let key = OllamaName.canonical(c.model)
            guard let k = running.indices.first(where: { !matched.contains($0) && OllamaName.canonical(running[$0].displayName) == key }) else {
                let isPulled = pulled.contains(key)
                out.append(Drift(instance: t.instance, kind: .missing, model: c.model,
                                 message: "\(c.model) is planned here but not loaded (\(isPulled ? "pulled, see /api/tags" : "not even pulled"))",
                                 pulled: isPulled))
                continue
            }
            matched.insert(k)
            let r = running[k]
            if let vram = r.size_vram, c.footprintBytes > 0 {
                let dev = Double(vram - c.footprintBytes) / Double(c.footprintBytes)
                if abs(dev) > sizeTolerance {
                    let pct = Int((abs(dev) * 100).rounded())
                    out.append(Drift(instance: t.instance, kind: .size, model: c.model,
                                     message: "\(c.model) uses \(Units.gb(vram)) of GPU memory, \(pct)% \(dev > 0 ? "above" : "below") the planned \(Units.gb(c.footprintBytes))",
                                     planned_bytes: c.footprintBytes, size_vram: vram, deviation: (dev * 1000).rounded() / 1000))
                }
            }
            if let ctx = c.ctx, let seen = r.context_length, seen != ctx, seen != ctx * c.parallel {
                let also = c.parallel > 1 ? " (or \(ctx * c.parallel) = ctx × parallel \(c.parallel))" : ""
                out.append(Drift(instance: t.instance, kind: .context, model: c.model,
                                 message: "\(c.model) runs with context \(seen), planned \(ctx)\(also)",
                                 planned_ctx: ctx, context_length: seen))
            }
        }
        let onDemand = Set(t.onDemand.map(OllamaName.canonical))
        for (k, r) in running.enumerated() where !matched.contains(k) {
            let name = r.displayName
            // A model of this instance's on-demand tier, loaded on request: as planned.
            if onDemand.contains(OllamaName.canonical(name)) { continue }
            let elsewhere = (plannedOn[OllamaName.canonical(name)] ?? []).filter { $0 != t.instance }
            if elsewhere.isEmpty {
                out.append(Drift(instance: t.instance, kind: .extra, model: name, message: "\(name) is loaded but the plan puts it on no instance"))
            } else {
                out.append(Drift(instance: t.instance, kind: .wrong_instance, model: name,
                                 message: "\(name) is loaded here but planned on \(elsewhere.joined(separator: ", "))", planned_on: elsewhere))
            }
        }
        return out
    }
}
