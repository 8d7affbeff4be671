import PlacePlanCore

/// `litellm.yaml`: a LiteLLM proxy config (docs.litellm.ai/docs/proxy/configs).
///
/// One `model_list` entry per copy, `litellm_params.model: ollama_chat/<model>` against that
/// instance's `api_base`; copies sharing a `model_name` are load-balanced by LiteLLM. Fallbacks
/// go "from one model_name to another" (docs/proxy/reliability), so where a model has copies
/// on GPU hosts and on unified hosts, the unified copies form the group `<model>@unified` and
/// `router_settings.fallbacks` sends `<model>` there when the GPU copies fail.
public struct LiteLLMEmitter: Emitter {
    public static let id = "litellm"
    public init() {}

    public func render(_ plan: Plan, context: EmitContext) -> [RenderedFile] {
        let view = PlanView(plan)
        var w = TextWriter()
        w.header(context)
        w.comment("Run: litellm --config litellm.yaml")
        w.line("model_list:")
        var fallbacks: [(String, String)] = []
        let routes = view.routes.filter { !$0.endpoints.isEmpty }
        for r in routes {
            let kinds = Set(r.endpoints.map(\.host.kind))
            let split = kinds.contains("gpu") && kinds.contains("unified")
            if split { fallbacks.append((r.model, r.model + "@unified")) }
            for e in r.endpoints {
                let group = split && e.host.kind == "unified" ? r.model + "@unified" : r.model
                w.comment("  \(e.instance)\(e.backup ? " (backup)" : "")")
                w.line("  - model_name: \(YAMLQuoting.quote(group))")
                w.line("    litellm_params:")
                w.line("      model: \(YAMLQuoting.quote("ollama_chat/" + r.model))")
                w.line("      api_base: \(YAMLQuoting.quote("http://\(e.address):\(e.port)"))")
            }
        }
        if routes.isEmpty { w.line("  []") }
        w.line()
        w.line("router_settings:")
        w.line("  num_retries: 2")
        if fallbacks.isEmpty {
            w.line("  fallbacks: []")
        } else {
            w.line("  fallbacks:")
            for (from, to) in fallbacks { w.line("    - \(YAMLQuoting.quote(from)): [\(YAMLQuoting.quote(to))]") }
        }
        return [RenderedFile(path: "litellm.yaml", contents: w.text)]
    }
}
