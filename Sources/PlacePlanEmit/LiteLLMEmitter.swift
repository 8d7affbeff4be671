import PlacePlanCore

/// `litellm.yaml`: a LiteLLM proxy config (docs.litellm.ai/docs/proxy/configs).
///
/// One `model_name` per model, so `/v1/models` lists the plan's names and nothing else. Every
/// copy is a deployment of it (`ollama_chat/<model>` against its instance's `api_base`); its
/// `order` comes from the endpoint's role in the plan's routes: primary 1, backup 2. LiteLLM's
/// router picks only among the healthy deployments of the lowest order
/// (`utils.get_order_filtered_deployments`), so backups take traffic only once every primary
/// failed or is in cooldown, and then through the router's order fallback. `order` is read
/// from `litellm_params` (`utils.get_deployment_order`).
///
/// A refused connection does not put a deployment in cooldown (`router_utils/cooldown_handlers.py`
/// `_is_cooldown_required` ignores `APIConnectionError`), so a plain retry may land on the dead
/// copy again; `enable_weighted_failover` re-picks among the group's other deployments,
/// excluding the ones this request already tried (`Router._maybe_run_weighted_failover`;
/// simple-shuffle only). Measured with LiteLLM 1.108.7 against stand-in servers
/// (Tests/PlacePlanEmitTests/LiveProxyTests.swift): one replica killed mid-run, 0 of 40
/// requests failed.
public struct LiteLLMEmitter: Emitter {
    public static let id = "litellm"
    public init() {}

    /// `router_settings`, in this order. Names are `litellm.Router.__init__` arguments.
    static let routerSettings: [(String, String)] = [
        ("routing_strategy", "simple-shuffle"),   // weighted failover runs only with it
        ("num_retries", "2"),
        ("enable_weighted_failover", "true"),
        // A copy answering errors (not refusing connections) sits out 30 s after its 2nd failure in a minute.
        ("allowed_fails", "1"),
        ("cooldown_time", "30"),
    ]

    public func render(_ plan: Plan, context: EmitContext) -> [RenderedFile] {
        let routes = PlanView(plan).routes.filter { !$0.endpoints.isEmpty }
        var w = TextWriter()
        w.header(context)
        w.comment("Run: LITELLM_MASTER_KEY=sk-... litellm --config litellm.yaml   (listens on LiteLLM's default port 4000)")
        w.comment("The proxy refuses to start without a master key; general_settings reads it from the")
        w.comment("environment variable LITELLM_MASTER_KEY. Clients send it as 'Authorization: Bearer <key>'.")
        w.comment("One model_name per model. Deployment order follows the plan's routes: primary copies")
        w.comment("(order 1) share the traffic; backup copies (order 2) get requests only when no primary can")
        w.comment("answer. A dead copy costs no failed request: the router retries on the other copies.")
        w.line("model_list:")
        for r in routes {
            for e in r.endpoints {
                w.comment("  \(e.instance) (\(e.backup ? "backup" : "primary"))")
                w.line("  - model_name: \(YAMLQuoting.quote(r.model))")
                w.line("    litellm_params:")
                w.line("      model: \(YAMLQuoting.quote("ollama_chat/" + r.model))")
                w.line("      api_base: \(YAMLQuoting.quote("http://\(e.address):\(e.port)"))")
                w.line("      order: \(e.backup ? 2 : 1)")
            }
        }
        if routes.isEmpty { w.line("  []") }
        w.line()
        w.line("general_settings:")
        w.line("  master_key: os.environ/LITELLM_MASTER_KEY")
        w.line()
        w.line("router_settings:")
        for (k, v) in Self.routerSettings { w.line("  \(k): \(v)") }
        return [RenderedFile(path: "litellm.yaml", contents: w.text)]
    }
}
