import Foundation

/// The plan file's bytes: pretty JSON with sorted keys and a final newline, so the same plan is
/// always the same bytes.
public enum PlanCodec {
    public static func encode(_ plan: Plan) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try! e.encode(plan)  // Plan holds only strings, integers and finite doubles
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    public static func encode<T: Encodable>(_ value: T) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try! e.encode(value), as: UTF8.self) + "\n"
    }

    /// Reads a plan file; errors name the file and the field.
    public static func decode(_ data: Data, file: String) throws -> Plan {
        do {
            let plan = try JSONDecoder().decode(Plan.self, from: data)
            guard plan.format == Plan.formatID else {
                throw InvalidInput([Diagnostic(file: file, field: "format", message: "is \"\(plan.format)\", not \(Plan.formatID)", fix: "regenerate the plan with this placeplan")])
            }
            return plan
        } catch let e as DecodingError {
            let (path, msg): (String, String)
            switch e {
            case .keyNotFound(let k, let c): (path, msg) = (fieldPath(c.codingPath + [k]), "is missing")
            case .typeMismatch(_, let c), .valueNotFound(_, let c): (path, msg) = (fieldPath(c.codingPath), "has the wrong type: \(c.debugDescription)")
            case .dataCorrupted(let c): (path, msg) = (fieldPath(c.codingPath), "is not valid JSON: \(c.underlyingError.map { "\($0)" } ?? c.debugDescription)")
            @unknown default: (path, msg) = ("", "cannot be read")
            }
            throw InvalidInput([Diagnostic(file: file, field: path, message: msg, fix: "give a plan written by `placeplan solve -o`")])
        }
    }

    static func fieldPath(_ keys: [CodingKey]) -> String {
        var s = ""
        for k in keys {
            if let i = k.intValue { s += "[\(i)]" } else { s += s.isEmpty ? k.stringValue : ".\(k.stringValue)" }
        }
        return s
    }
}
