import PlacePlanCore

/// `H/Modelfiles/<model>.Modelfile` for every model placed on host `H`.
///
/// File name: the model name with every character outside `[A-Za-z0-9._-]` as `_`
/// (`llama3:70b` → `llama3_70b.Modelfile`; see `SafeName`). Always written, because
/// `PARAMETER num_ctx` must be pinned: the OpenAI API cannot set it
/// (docs/api/openai-compatibility.mdx "Setting the context size").
public struct ModelfilesEmitter: Emitter {
    public static let id = "modelfiles"
    public init() {}

    public func render(_ plan: Plan, context: EmitContext) -> [RenderedFile] {
        let view = PlanView(plan)
        return view.hosts.flatMap { host in
            view.models(on: host).map { name in
                RenderedFile(path: "\(view.dir(host))/Modelfiles/\(Self.fileName(view, name))",
                             contents: Self.modelfile(name: name, copy: view.copy(of: name, on: host), info: view.info(name), context: context))
            }
        }
    }

    static func fileName(_ view: PlanView, _ model: String) -> String { view.safe(model: model) + ".Modelfile" }

    /// One Modelfile for the copies of `name` on one host. FROM is the copy's planned source
    /// (`from`: GGUF path, pulled tag or store name); `num_ctx` and `num_batch` are pinned to the
    /// values the footprint was computed for, so Ollama neither picks its own context nor raises
    /// the batch (and the compute buffer) above the plan.
    static func modelfile(name: String, copy: Plan.PlacedModel?, info: Plan.ModelInfo?, context: EmitContext) -> String {
        var w = TextWriter()
        w.header(context)
        w.comment("model \(name)" + (copy.map { " at \($0.quant)" } ?? ""))
        if let c = copy, let f = c.from, f == name, c.pull == nil {
            w.comment("FROM its own name in this host's store: keeps the store's TEMPLATE, SYSTEM and PARAMETER layers")
        }
        var notes: [String] = []
        func put(_ keyword: String, _ value: String) {
            let (text, fidelity) = ModelfileQuoting.quote(value)
            if fidelity == .alteredTripleQuotes { notes.append("\(keyword): each \"\"\" was broken with a space (a Modelfile value cannot hold it)") }
            w.line("\(keyword) \(text)")
        }
        put("FROM", copy?.from ?? info?.gguf ?? info?.pull ?? name)
        if let ctx = info?.ctx { w.line("PARAMETER num_ctx \(ctx)") }
        if let b = info?.num_batch { w.line("PARAMETER num_batch \(b)") }
        for (key, values) in (info?.parameters ?? [:]).sorted(by: { $0.key < $1.key }) where key != "num_ctx" && key != "num_batch" {
            guard ModelfileQuoting.isParameterName(key) else {
                notes.append("parameter \(key) skipped: a Modelfile parameter name holds only letters, digits and _")
                continue
            }
            for v in values { w.line("PARAMETER \(key) \(ModelfileQuoting.word(v))") }
        }
        if let s = info?.system { put("SYSTEM", s) }
        if let t = info?.template { put("TEMPLATE", t) }
        for n in notes { w.comment("note: " + n) }
        return w.text
    }
}
