import PlacePlanCore

/// The result of `placeplan verify`: per instance what answered, and every drift found.
///
/// Its JSON (`--format json`) is `placeplan-verify/1`; see README "verify".
public struct VerifyReport: Codable, Equatable, Sendable {
    public static let formatID = "placeplan-verify/1"
    public var format: String = VerifyReport.formatID
    public var cluster: String
    /// The per-request timeout used, in seconds.
    public var timeout_s: Double?
    public var instances: [Instance]
    /// In instance order (plan order), then as found: down, missing, size, context, extra, wrong_instance.
    public var drift: [Drift]
    /// No drift at all.
    public var ok: Bool { drift.isEmpty }

    public struct Instance: Codable, Equatable, Sendable {
        public var id: String
        public var host: String
        public var url: String
        /// "up" or "down"
        public var status: String
        /// `/api/version`
        public var version: String?
        /// Why the instance is down.
        public var reason: String?
        /// Models the plan puts here, as the plan names them.
        public var planned: [String]
        /// `/api/ps`, in the order Ollama lists them.
        public var running: [RunningModel]
    }

    public struct RunningModel: Codable, Equatable, Sendable {
        public var name: String
        public var size_vram: Int64?
        public var context_length: Int?
    }

    /// Instances that answered all three requests.
    public var answering: Int { instances.filter { $0.status == "up" }.count }

    public init(cluster: String, timeout_s: Double?, instances: [Instance], drift: [Drift]) {
        self.cluster = cluster; self.timeout_s = timeout_s; self.instances = instances; self.drift = drift
    }

    enum CodingKeys: String, CodingKey { case format, cluster, timeout_s, instances, drift, ok }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        format = try c.decode(String.self, forKey: .format)
        cluster = try c.decode(String.self, forKey: .cluster)
        timeout_s = try c.decodeIfPresent(Double.self, forKey: .timeout_s)
        instances = try c.decode([Instance].self, forKey: .instances)
        drift = try c.decode([Drift].self, forKey: .drift)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(format, forKey: .format)
        try c.encode(cluster, forKey: .cluster)
        try c.encodeIfPresent(timeout_s, forKey: .timeout_s)
        try c.encode(instances, forKey: .instances)
        try c.encode(drift, forKey: .drift)
        try c.encode(ok, forKey: .ok)
    }

    /// Pretty JSON with sorted keys and a final newline.
    public var json: String { PlanCodec.encode(self) }

    /// One block per instance, then the drift lines, then a one-line summary.
    public var table: String {
        var out: [String] = []
        let t = timeout_s.map { " · timeout \(Units.format($0, digits: 1)) s" } ?? ""
        out.append("verify \(cluster) · \(instances.count) instance\(instances.count == 1 ? "" : "s")\(t)")
        out.append("")
        let w = max(8, instances.map(\.id.count).max() ?? 0) + 2
        let uw = max(3, instances.map(\.url.count).max() ?? 0) + 2
        out.append(pad("INSTANCE", w) + pad("URL", uw) + pad("STATUS", 8) + "OLLAMA")
        for i in instances {
            out.append(pad(i.id, w) + pad(i.url, uw) + pad(i.status, 8) + (i.status == "up" ? (i.version ?? "?") : (i.reason ?? "")))
            out.append("    plan: " + (i.planned.isEmpty ? "(nothing)" : i.planned.joined(separator: ", ")))
            if i.status == "up" {
                let planned = Set(i.planned.map(OllamaName.canonical))
                for r in i.running {
                    var l = "    ps: " + r.name
                    if let v = r.size_vram { l += " · \(Units.gb(v)) VRAM" }
                    if let c = r.context_length { l += " · ctx \(c)" }
                    if !planned.contains(OllamaName.canonical(r.name)) { l += " · not planned here" }
                    out.append(l)
                }
                if i.running.isEmpty { out.append("    ps: (nothing loaded)") }
            }
        }
        out.append("")
        if drift.isEmpty {
            out.append("no drift: every instance runs what the plan says")
        } else {
            out.append("drift:")
            for d in drift { out.append("  " + pad(d.instance, w) + pad(d.kind.rawValue, 16) + d.message) }
        }
        out.append("")
        var counts: [String] = []
        for k in Drift.Kind.allCases {
            let n = drift.filter { $0.kind == k }.count
            if n > 0 { counts.append("\(n) \(k.rawValue)") }
        }
        let summary = "\(answering) of \(instances.count) instances answer · " + (drift.isEmpty ? "no drift" : "\(drift.count) drift (\(counts.joined(separator: ", ")))")
        out.append(summary)
        return out.joined(separator: "\n") + "\n"
    }

    func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
}
