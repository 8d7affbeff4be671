import PlacePlanCore

/// The plan sorted and named for emitting: every emitter reads the plan through this, so order
/// and file names are decided once (STYLE §5).
struct PlanView {
    let plan: Plan
    /// Hosts sorted by name.
    let hosts: [Plan.Host]
    /// Host name → directory / file-name stem (`SafeName`): `mac` → `mac`.
    let hostDirs: [String: String]
    /// Model name → Modelfile stem and URL segment (`SafeName`): `llama3:70b` → `llama3_70b`.
    let modelNames: [String: String]

    init(_ plan: Plan) {
        self.plan = plan
        hosts = plan.hosts.sorted { $0.name < $1.name }
        hostDirs = SafeName.unique(plan.hosts.map(\.name))
        let placed = plan.placements.map(\.model.name)
        modelNames = SafeName.unique(plan.models.map(\.name) + placed + plan.routes.map(\.model))
    }

    func dir(_ host: Plan.Host) -> String { hostDirs[host.name] ?? SafeName.base(host.name) }
    func safe(model: String) -> String { modelNames[model] ?? SafeName.base(model) }

    /// Instances of a host that run, by port then id: the plan's `start: false` ones (no copies) are
    /// left out of every script and config, as plan building decided.
    func instances(_ host: Plan.Host) -> [Plan.Instance] {
        host.instances.filter(\.started).sorted { ($0.port, $0.id) < ($1.port, $1.id) }
    }

    /// Ids of a host's instances the plan does not start.
    func idle(_ host: Plan.Host) -> [String] { host.instances.filter { !$0.started }.map(\.id).sorted() }

    /// Per-instance state-file stems on one host (`mac/0` → `mac_0`).
    func instanceTags(_ host: Plan.Host) -> [String: String] { SafeName.unique(host.instances.map(\.id)) }

    /// Distinct model names on a host, resident or on demand, sorted.
    func models(on host: Plan.Host) -> [String] {
        Array(Set(host.instances.flatMap { $0.models.map(\.name) + ($0.on_demand ?? []).map(\.name) })).sorted()
    }

    /// (instance, model) pairs of a host, by port then model name: resident copies, then the
    /// on-demand tier (`onDemand`: made present in the store, never preloaded).
    func placements(on host: Plan.Host) -> [(instance: Plan.Instance, model: Plan.PlacedModel, onDemand: Bool)] {
        instances(host).flatMap { i in
            i.models.sorted { $0.name < $1.name }.map { (i, $0, false) } + (i.on_demand ?? []).sorted { $0.name < $1.name }.map { (i, $0, true) }
        }
    }

    func info(_ model: String) -> Plan.ModelInfo? { plan.modelInfo(model) }

    /// The planned copy of `model` on `host` (all copies on one host share quant and source).
    func copy(of model: String, on host: Plan.Host) -> Plan.PlacedModel? {
        instances(host).lazy.compactMap { i in i.models.first { $0.name == model } ?? i.on_demand?.first { $0.name == model } }.first
    }

    /// Environment of an instance, sorted by key; OLLAMA_HOST is added only if the core left it
    /// out, because `ollama serve` takes its address from nothing else (cmd/cmd.go serveCmd has
    /// no flags; envconfig.Host()).
    func env(_ instance: Plan.Instance) -> [(key: String, value: String)] {
        var env = instance.env
        if env["OLLAMA_HOST"] == nil { env["OLLAMA_HOST"] = "0.0.0.0:\(instance.port)" }
        return env.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// The host of an instance id, and the instance.
    func locate(_ instanceID: String) -> (host: Plan.Host, instance: Plan.Instance)? {
        for h in hosts { if let i = h.instances.first(where: { $0.id == instanceID }) { return (h, i) } }
        return nil
    }

    /// The plan's routes, sorted by model; endpoints in the plan's order (primary first). Roles
    /// are the plan's (`PlanBuilder` decides them); nothing is re-derived here.
    var routes: [RouteView] {
        plan.routes.map { r in
            RouteView(model: r.model, endpoints: r.endpoints.compactMap { e -> EndpointView? in
                guard let (h, i) = locate(e.instance) else { return nil }
                return EndpointView(instance: i.id, host: h, port: i.port, oloPort: i.olol_port, backup: e.role == .backup)
            })
        }.sorted { $0.model < $1.model }
    }
}

/// A model and where it is served.
struct RouteView {
    var model: String
    var endpoints: [EndpointView]
}

/// One served copy: the instance, its host's address and port.
struct EndpointView {
    var instance: String
    var host: Plan.Host
    var port: Int
    var oloPort: Int
    var backup: Bool
    var address: String { host.address }
}
