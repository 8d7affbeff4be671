import PlacePlanCore

/// `servers.json`: `[{"ip","port","name","models":[...]}]`, one entry per instance (name =
/// instance id), the shape of the seed's `lmStudioServers` list. JSON has no comments, so
/// this file carries no header.
public struct ServersEmitter: Emitter {
    public static let id = "servers"
    public init() {}

    public func render(_ plan: Plan, context: EmitContext) -> [RenderedFile] {
        let view = PlanView(plan)
        var entries: [String] = []
        for h in view.hosts {
            for i in view.instances(h) {
                let models = Array(Set(i.models.map(\.name) + (i.on_demand ?? []).map(\.name))).sorted().map(JSONString.quote).joined(separator: ", ")
                entries.append("  {\"ip\": \(JSONString.quote(h.address)), \"port\": \(i.port), \"name\": \(JSONString.quote(i.id)), \"models\": [\(models)]}")
            }
        }
        let body = entries.isEmpty ? "[]\n" : "[\n" + entries.joined(separator: ",\n") + "\n]\n"
        return [RenderedFile(path: "servers.json", contents: body)]
    }
}
