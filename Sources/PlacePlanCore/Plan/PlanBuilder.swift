import GLPKSolver

/// solve → plan: turns a solved assignment into the plan file of SPEC §5.
public enum PlanBuilder {
    /// Six decimals, and never a non-finite number (JSON has none).
    static func round6(_ x: Double) -> Double { x.isFinite ? (x * 1e6).rounded() / 1e6 : 0 }

    public static func build(cluster: Cluster, problem p: PlacementProblem, outcome o: SolveOutcome,
                             infeasibleReasons: [String] = []) -> Plan {
        let profile = p.profile
        let overflowLabels = Set(profile.overflowLabels)
        var copiesOnBin = [[(Int, Quant)]](repeating: [], count: p.bins.count)
        for (mi, cs) in o.assignment.copies.enumerated() { for c in cs { copiesOnBin[c.bin].append((mi, c.quant)) } }

        var hosts: [Plan.Host] = []
        var binIndex = 0
        for layout in p.layouts {
            let h = layout.host
            var instances: [Plan.Instance] = []
            for (k, bin) in layout.bins.enumerated() {
                defer { binIndex += 1 }
                let here = copiesOnBin[binIndex].sorted { p.items[$0.0].spec.name < p.items[$1.0].spec.name }
                var models: [Plan.PlacedModel] = []
                for (mi, q) in here {
                    let it = p.items[mi], f = it.footprints[q]!
                    var tps: Double?
                    if let bw = bin.bandwidthGBps {
                        let bytes = Throughput.bytesPerToken(weights: f.source == "footprints" ? f.total : f.weights, shape: it.shape, bitsPerWeight: profile.bits(q))
                        tps = Throughput.decodeTokensPerSecond(bytesPerToken: bytes, bandwidthGBps: bw, unified: layout.isUnified)
                    }
                    models.append(Plan.PlacedModel(name: it.spec.name, quant: q.rawValue, footprint_bytes: f.total, weights_bytes: f.weights,
                                                   kv_cache_bytes: f.kvCache, compute_bytes: f.compute, footprint_source: f.source, decode_tokens_per_s: tps))
                }
                let used = models.reduce(Int64(0)) { $0 + $1.footprint_bytes }
                var env: [String: String] = [
                    "OLLAMA_HOST": "0.0.0.0:\(bin.port)",
                    "OLLAMA_MAX_LOADED_MODELS": String(max(1, models.count)),
                    "OLLAMA_NUM_PARALLEL": String(here.map { p.items[$0.0].options.parallel }.max() ?? profile.parallel),
                    "OLLAMA_CONTEXT_LENGTH": String(here.map { p.items[$0.0].options.ctx }.max() ?? profile.ctx),
                    "OLLAMA_KEEP_ALIVE": profile.keepAlive,
                    "OLLAMA_KV_CACHE_TYPE": profile.kvType.rawValue,
                    "OLLAMA_FLASH_ATTENTION": profile.flashAttention ? "1" : "0",
                ]
                if let d = h.modelsDir { env["OLLAMA_MODELS"] = d }
                // Every server start prunes unreferenced blobs of its store: only instance 0 may (ollama.md §5.2).
                if k > 0 { env["OLLAMA_NOPRUNE"] = "1" }
                if let g = bin.gpu { env["CUDA_VISIBLE_DEVICES"] = String(g) }
                instances.append(Plan.Instance(id: bin.id, port: bin.port, gpu: bin.gpu, gpu_name: bin.gpuName, olol_port: bin.ololPort,
                                               capacity_bytes: bin.capacity, used_bytes: used, env: env, models: models))
            }
            hosts.append(Plan.Host(name: h.name, address: h.address, kind: layout.isUnified ? "unified" : "gpu",
                                   capacity_bytes: layout.capacity, used_bytes: instances.reduce(0) { $0 + $1.used_bytes },
                                   models_dir: h.modelsDir, labels: h.labels, overflow: !overflowLabels.isDisjoint(with: h.labels),
                                   memory_bytes: layout.memory, reserve_bytes: layout.reserve, wired_limit_bytes: layout.wiredLimit,
                                   required_wired_limit_mb: layout.requiredWiredLimitMB, bandwidth_gbps: h.bandwidthGBps, instances: instances))
        }

        var unplaced: [Plan.Unplaced] = []
        if o.status == .infeasible {
            unplaced = infeasibleReasons.enumerated().map { Plan.Unplaced(name: "(required)", reason: $0.element) }
            // Each required model that cannot be placed even alone, under its own name (its reason
            // is already in the list as "required model …": keep one line per reason).
            for (mi, it) in p.items.enumerated() where it.spec.required {
                guard let r = Explain.alone(mi, p) else { continue }
                if let k = unplaced.firstIndex(where: { $0.reason == "required model " + r }) { unplaced[k].name = it.spec.name }
                else { unplaced.append(.init(name: it.spec.name, reason: r)) }
            }
            unplaced = dedupe(unplaced)
        } else {
            for (mi, cs) in o.assignment.copies.enumerated() where cs.isEmpty {
                unplaced.append(.init(name: p.items[mi].spec.name, reason: Explain.unplaced(mi, p, o.assignment)))
            }
        }

        var routes: [Plan.Route] = []
        var infos: [Plan.ModelInfo] = []
        for (mi, it) in p.items.enumerated() {
            let cs = o.assignment.copies[mi]
            var eps: [Plan.Endpoint] = cs.map { c in
                let bin = p.bins[c.bin], layout = p.layouts[bin.host]
                let backup = !overflowLabels.isDisjoint(with: layout.host.labels)
                return Plan.Endpoint(instance: bin.id, url: "http://\(urlHost(layout.host.address)):\(bin.port)", role: backup ? "backup" : "primary")
            }
            eps.sort { ($0.role == "primary" ? 0 : 1, $0.instance) < ($1.role == "primary" ? 0 : 1, $1.instance) }
            if !eps.isEmpty { routes.append(.init(model: it.spec.name, endpoints: eps)) }
            let quant = cs.first?.quant
            var pull: String?
            if it.spec.gguf == nil, let q = quant { pull = it.spec.pull ?? Catalog.pullTag(name: it.spec.name, quant: q) }
            infos.append(Plan.ModelInfo(name: it.spec.name, priority: it.spec.priority, required: it.spec.required, replicas: it.spec.replicas,
                                        ctx: it.options.ctx, parallel: it.options.parallel, quant: quant?.rawValue, gguf: it.spec.gguf, pull: pull,
                                        system: it.spec.system, template: it.spec.template, parameters: it.spec.parameters))
        }

        var notes: [String] = []
        for l in p.layouts {
            if let mb = l.requiredWiredLimitMB, let d = l.defaultWiredLimit {
                notes.append("\(l.host.name): plan uses \(Units.gb(l.capacity)) of GPU memory, above macOS's default working set of \(Units.gb(d)); run `sudo sysctl iogpu.wired_limit_mb=\(mb)` before starting (the start script checks)")
            }
            if let mem = l.memory, l.host.instances != nil, l.capacity > min(mem - (l.reserve ?? 0), l.wiredLimit ?? mem) {
                notes.append("\(l.host.name): explicit instances total \(Units.gb(l.capacity)), more than the \(Units.gb(min(mem - (l.reserve ?? 0), l.wiredLimit ?? mem))) usable")
            }
        }
        for it in p.items {
            if let shape = it.shape, it.footprints.values.contains(where: { $0.source != "footprints" }),
               FootprintModel.computeEstimate(shape, it.options).fallback {
                notes.append("\(it.spec.name): architecture \"\(shape.id)\" is not modelled; its compute buffer is a fallback estimate (the generic stages + 25%, at least 512 MiB)")
            }
        }
        for (b, bin) in p.bins.enumerated() {
            let par = Set(copiesOnBin[b].map { p.items[$0.0].options.parallel })
            if par.count > 1 { notes.append("\(bin.id): models with different `parallel` share one OLLAMA_NUM_PARALLEL (\(par.max()!)); KV caches were sized per model") }
        }
        let status: String = o.status == .infeasible ? "infeasible" : (o.status == .optimal ? "optimal" : "feasible")
        return Plan(cluster: cluster.name, profile: profile.name, status: status,
                    objective: .init(coverage: o.coverage, quality: round6(o.quality), quality_bound: round6(o.qualityBound), coverage_bound: o.coverageBound),
                    solver: .init(name: "glpk", version: GLPK.version, method: o.method, cut_short: o.cutShort.isEmpty ? nil : o.cutShort),
                    settings: .init(kv_cache_type: profile.kvType.rawValue, flash_attention: profile.flashAttention, ubatch: profile.ubatch,
                                    keep_alive: profile.keepAlive, proxy_port: cluster.proxyPort ?? 8000, olol: cluster.olol, olol_proxy_port: 8000),
                    hosts: hosts, unplaced: unplaced, routes: routes.sorted { $0.model < $1.model },
                    models: infos.sorted { $0.name < $1.name }, notes: notes.sorted())
    }

    static func urlHost(_ a: String) -> String { a.contains(":") && !a.hasPrefix("[") ? "[\(a)]" : a }

    static func dedupe(_ u: [Plan.Unplaced]) -> [Plan.Unplaced] {
        var seen = Set<String>()
        return u.filter { seen.insert($0.reason).inserted }
    }
}
