import Foundation
import PlacePlanCore

/// The placement problem exactly as placeplan solves it (SPEC §4), for the peers:
/// items, bins and candidates x[m,q,i] with integer footprints (bytes) and quality weights
/// (priority × quality(q) ÷ replicas). Candidates are columns of parallel arrays (compact for 10^6 of them).
/// placeplan-problem/1:
///   items:      [{name, priority, replicas, required, spread_host}]
///   bins:       [{id, host, capacity}]
///   candidates: {item: [Int], bin: [Int], quant: [String], footprint: [Int], weight: [Double]}
enum ProblemExport {
    static func json(_ p: PlacementProblem, name: String) -> String {
        var s = "{\"format\": \"placeplan-problem/1\", \"name\": \(quote(name)),\n\"items\": [\n"
        s += p.items.map { it in
            "{\"name\": \(quote(it.spec.name)), \"priority\": \(it.spec.priority), \"replicas\": \(it.spec.replicas), \"required\": \(it.spec.required), \"spread_host\": \(it.spec.spreadHost)}"
        }.joined(separator: ",\n")
        s += "],\n\"bins\": [\n"
        s += p.bins.map { "{\"id\": \(quote($0.id)), \"host\": \($0.host), \"capacity\": \($0.capacity)}" }.joined(separator: ",\n")
        s += "],\n\"candidates\": {\n"
        let c = p.candidates
        s += "\"item\": [" + c.map { String($0.item) }.joined(separator: ",") + "],\n"
        s += "\"bin\": [" + c.map { String($0.bin) }.joined(separator: ",") + "],\n"
        s += "\"quant\": [" + c.map { "\"\($0.quant.rawValue)\"" }.joined(separator: ",") + "],\n"
        s += "\"footprint\": [" + c.map { String($0.footprint) }.joined(separator: ",") + "],\n"
        s += "\"weight\": [" + c.map { "\($0.weight)" }.joined(separator: ",") + "]\n"
        s += "}}\n"
        return s
    }

    static func quote(_ s: String) -> String {
        var o = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": o += "\\\""
            case "\\": o += "\\\\"
            default: if ch.value < 0x20 { o += String(format: "\\u%04x", ch.value) } else { o.unicodeScalars.append(ch) }
            }
        }
        return o + "\""
    }
}
