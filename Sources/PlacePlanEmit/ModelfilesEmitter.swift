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
                             contents: Self.modelfile(name: name, info: view.info(name), context: context))
            }
        }
    }

    static func fileName(_ view: PlanView, _ model: String) -> String { view.safe(model: model) + ".Modelfile" }

    /// One Modelfile. FROM is the GGUF path, else the registry tag to pull, else the name.
    static func modelfile(name: String, info: Plan.ModelInfo?, context: EmitContext) -> String {
        var w = TextWriter()
        w.header(context)
        w.comment("model \(name)")
        var notes: [String] = []
        func put(_ keyword: String, _ value: String) {
            let (text, fidelity) = ModelfileQuoting.quote(value)
            if fidelity == .alteredTripleQuotes { notes.append("\(keyword): each \"\"\" was broken with a space (a Modelfile value cannot hold it)") }
            w.line("\(keyword) \(text)")
        }
        put("FROM", info?.gguf ?? info?.pull ?? name)
        if let ctx = info?.ctx { w.line("PARAMETER num_ctx \(ctx)") }
        for (key, values) in (info?.parameters ?? [:]).sorted(by: { $0.key < $1.key }) where key != "num_ctx" {
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
