/// footprint → model: every model's allowed quantizations and footprints, the bins, and the
/// candidate copies x[m,q,i] of SPEC §4 (only where quants, on/avoid and capacity allow).
public struct PlacementProblem: Sendable {
    public struct Item: Sendable {
        public var spec: Cluster.Model
        public var options: RuntimeOptions
        /// Allowed quantizations, in preference order.
        public var quants: [Quant]
        public var footprints: [Quant: Footprint]
        public var shape: Architecture?
        /// The context asked for (model `ctx`, else the profile's) when Ollama will cap it at the
        /// model's trained context; `options.ctx` is what it really allocates.
        public var requestedCtx: Int?
        /// Bins whose host passes `on`/`avoid` (before capacity).
        public var eligibleBins: [Int]
    }

    public struct Candidate: Sendable, Equatable {
        public var item: Int
        public var quant: Quant
        public var bin: Int
        public var footprint: Int64
        /// priority × quality(q) ÷ replicas: this copy's share of the quality objective.
        public var weight: Double
    }

    public var items: [Item]
    public var layouts: [HostLayout]
    public var bins: [Bin]
    public var candidates: [Candidate]
    public var profile: Profile

    public func host(of bin: Int) -> Int { bins[bin].host }

    /// Builds the problem. Models are sorted by name so the same cluster in any order gives the same program.
    public static func build(cluster: Cluster, profile: Profile, layouts: [HostLayout], file: String) throws -> PlacementProblem {
        let bins = layouts.flatMap(\.bins)
        var diags: [Diagnostic] = []
        var items: [Item] = []
        let order = cluster.models.enumerated().sorted { $0.element.name < $1.element.name }
        for (orig, m) in order {
            let p = "models[\(orig)]"
            let shape = m.ggufFacts?.shape ?? m.arch.flatMap { Catalog.lookup($0)?.shape } ?? Catalog.lookup(m.name)?.shape
            let options = runtimeOptions(m, shape: shape, profile: profile)
            var quants = m.quants ?? profile.quants
            if m.quants == nil, m.ggufFacts == nil, let q = Catalog.quantSuffix(m.name), m.footprints.isEmpty, m.sizes.isEmpty {
                quants = [q]  // "llama3:70b-instruct-q8_0" names its quantization
            }
            var fps: [Quant: Footprint] = [:]
            var missing: [Quant] = []
            for q in quants {
                if let f = footprint(m, q, shape: shape, options: options, profile: profile) { fps[q] = f } else { missing.append(q) }
            }
            if !missing.isEmpty {
                diags.append(cluster.diagnostic(file: file, field: "\(p)", message: "cannot size \(m.name) at \(missing.map(\.rawValue).joined(separator: ", ")): it is not in the built-in catalog and gives no \(shape == nil ? "architecture" : "parameter count or size")",
                    fix: sizingFix(m, missing: missing, shape: shape)))
                continue
            }
            let eligible = bins.indices.filter { b in
                let labels = layouts[bins[b].host].host.labels
                if !m.on.isEmpty && !m.on.contains(where: labels.contains) { return false }
                if m.avoid.contains(where: labels.contains) { return false }
                return true
            }
            let asked = m.ctx ?? profile.ctx
            items.append(Item(spec: m, options: options, quants: quants, footprints: fps, shape: shape,
                              requestedCtx: asked != options.ctx ? asked : nil, eligibleBins: eligible))
        }
        if !diags.isEmpty { throw InvalidInput(diags) }

        var candidates: [Candidate] = []
        for (mi, it) in items.enumerated() {
            for b in it.eligibleBins {
                // Keep only quants not dominated on this bin: another fits in no more memory at no lower quality.
                let fitting = it.quants.filter { it.footprints[$0]!.total <= bins[b].capacity }
                for q in fitting {
                    let f = it.footprints[q]!.total, ql = profile.quality(q)
                    let dominated = fitting.contains { o in
                        guard o != q else { return false }
                        let fo = it.footprints[o]!.total, qo = profile.quality(o)
                        if fo <= f && qo >= ql { return fo < f || qo > ql || it.quants.firstIndex(of: o)! < it.quants.firstIndex(of: q)! }
                        return false
                    }
                    if dominated { continue }
                    candidates.append(Candidate(item: mi, quant: q, bin: b, footprint: f,
                                                weight: Double(it.spec.priority) * ql / Double(it.spec.replicas)))
                }
            }
        }
        return PlacementProblem(items: items, layouts: layouts, bins: bins, candidates: candidates, profile: profile)
    }

    /// The run-time options Ollama will really use for a model (so the footprint is what it allocates):
    /// - `num_ctx` is cut to the GGUF's trained `context_length` (Ollama `llm/server.go` NewLlamaServer:
    ///   "requested context size too large for model" → `opts.NumCtx = trainCtx`), per slot;
    /// - the batch is the model's `parameters.num_batch`, else the profile's `ubatch`, pinned in every
    ///   Modelfile (`PARAMETER num_batch`) so Ollama's automatic 1024/2048 batch never applies, and
    ///   never above num_ctx (`opts.NumBatch = min(opts.NumBatch, opts.NumCtx)`, same function).
    public static func runtimeOptions(_ m: Cluster.Model, shape: Architecture?, profile: Profile) -> RuntimeOptions {
        var ctx = m.ctx ?? profile.ctx
        if let train = shape?.ctxTrain, train > 0 { ctx = min(ctx, train) }
        let batch = m.parameters["num_batch"]?.first.flatMap { Int($0) } ?? profile.ubatch
        return RuntimeOptions(ctx: ctx, parallel: m.parallel ?? profile.parallel, kvType: profile.kvType,
                              flashAttention: profile.flashAttention, ubatch: max(1, min(batch, ctx)))
    }

    /// The fix for a model that cannot be sized at `missing`: `sizes` gives only the weights (the KV
    /// cache and compute need an architecture); quantizations with neither a size nor a footprint
    /// are allowed only because `quants` was left to the profile.
    static func sizingFix(_ m: Cluster.Model, missing: [Quant], shape: Architecture?) -> String {
        let archs = "arch: <one of \(Catalog.entries.map(\.shape.id).prefix(6).joined(separator: ", ")), …>"
        guard shape == nil else { return "add params: 7.2B, or sizes: {\(missing[0].rawValue): 4.1 GB}" }
        let given = Quant.allCases.filter { m.footprints[$0] != nil || m.sizes[$0] != nil }
        let limit = m.quants == nil && !given.isEmpty && given.count < missing.count
            ? "add quants: [\(given.map(\.rawValue).joined(separator: ", "))] to allow only the quantizations you sized, and " : "add "
        if !m.sizes.isEmpty {
            let q = Quant.allCases.first { m.sizes[$0] != nil }!
            return limit + "\(archs) (sizes gives the weights only; the KV cache and compute need the architecture), or replace sizes with footprints: {\(q.rawValue): <weights + KV + compute>}, the total memory used as is"
        }
        if !m.footprints.isEmpty { return "add quants: [\(given.map(\.rawValue).joined(separator: ", "))] (only these have footprints), or \(archs)" }
        return "add \(archs), or footprints: {q4_K_M: 43 GB}"
    }

    /// SPEC §2: `footprints[q]` as given; else weights (GGUF size, `sizes[q]`, or params × bits ÷ 8) + KV + compute.
    static func footprint(_ m: Cluster.Model, _ q: Quant, shape: Architecture?, options: RuntimeOptions, profile: Profile) -> Footprint? {
        if let given = m.footprints[q] { return .given(given) }
        guard let shape else { return nil }
        let weights: Int64, source: String
        if let g = m.ggufFacts, g.quant == nil || g.quant == q { weights = g.fileBytes; source = "gguf" }
        else if let s = m.sizes[q] { weights = s; source = "sizes" }
        else if m.params == nil && profile.bitsOverride[q] == nil {
            // Tensor by tensor, as llama.cpp's quantizer lays the file out (TensorLayout.swift).
            weights = FootprintModel.weights(shape: shape, quant: q); source = "catalog"
        } else {
            weights = FootprintModel.weights(params: m.params ?? shape.params, bitsPerWeight: profile.bits(q)); source = "catalog"
        }
        return Footprint(weights: weights, kvCache: FootprintModel.kvCache(shape, options),
                         compute: FootprintModel.computeEstimate(shape, options).bytes, source: source,
                         projector: m.ggufFacts?.projectorBytes ?? 0)
    }
}
