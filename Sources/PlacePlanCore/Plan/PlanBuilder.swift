import GLPKSolver

/// solve → plan: turns a solved assignment into the plan file of SPEC §5.
public enum PlanBuilder {
    /// Six decimals, and never a non-finite number (JSON has none).
    static func round6(_ x: Double) -> Double { x.isFinite ? (x * 1e6).rounded() / 1e6 : 0 }

    public static func build(cluster: Cluster, problem p: PlacementProblem, outcome o: SolveOutcome,
                             infeasibleReasons: [String] = [], dropped: [Int: String] = [:]) -> Plan {
        let profile = p.profile
        let overflowLabels = Set(profile.overflowLabels)
        var copiesOnBin = [[(Int, Quant)]](repeating: [], count: p.bins.count)
        for (mi, cs) in o.assignment.copies.enumerated() { for c in cs { copiesOnBin[c.bin].append((mi, c.quant)) } }
        let onDemand = o.status == .infeasible || !profile.onDemand ? [] : OnDemand.routes(p, o.assignment)
        var onDemandOnBin = [[(Int, Quant)]](repeating: [], count: p.bins.count)
        for r in onDemand { onDemandOnBin[r.bin].append((r.item, r.quant)) }
        let userPriority = Dictionary(cluster.models.map { ($0.name, $0.priority) }, uniquingKeysWith: { a, _ in a })

        var hosts: [Plan.Host] = []
        var binIndex = 0
        // Where each copy ended up: (item, bin) → the plan instance's id and port (a pooled bin is
        // several instances).
        var placedAt: [[Int]: (id: String, port: Int)] = [:]
        var onDemandAt: [Int: (id: String, port: Int)] = [:]
        for layout in p.layouts {
            let h = layout.host
            var instances: [Plan.Instance] = []
            for bin in layout.bins {
                defer { binIndex += 1 }
                let here = copiesOnBin[binIndex].sorted { p.items[$0.0].spec.name < p.items[$1.0].spec.name }
                let lazy = onDemandOnBin[binIndex].sorted { p.items[$0.0].spec.name < p.items[$1.0].spec.name }
                var perGPU: [Int: [Int64]] = [:]
                if bin.isMultiGPU {
                    for d in LayerSplit.dealt(p, o.assignment, bin: binIndex) { perGPU[d.item] = d.perGPU }
                }
                // The instances this bin stands for: itself, or a pooled Mac's slots with their copies.
                // On-demand copies go on an instance holding no resident copy (the first slot of a pool).
                var slots: [(index: Int, port: Int, olol: Int, copies: [(Int, Quant)], lazy: [(Int, Quant)], capacity: Int64)] = []
                if bin.pool.isEmpty {
                    slots = [(bin.index, bin.port, bin.ololPort, here, lazy, bin.capacity)]
                } else {
                    let div = PoolSplit.divide(bytes: here.map { p.items[$0.0].footprints[$0.1]!.total }, slots: bin.pool.count, capacity: bin.capacity)
                    slots = bin.pool.enumerated().map { k, s in
                        (k, s.port, s.ololPort, here.indices.filter { div.slot[$0] == k }.map { here[$0] },
                         k == 0 ? lazy : [], k == 0 && !lazy.isEmpty ? bin.capacity : div.budget[k])
                    }
                }
                for slot in slots {
                    let k = slot.index
                    let id = "\(h.name)/\(k)"
                    func copy(_ mi: Int, _ q: Quant) -> Plan.PlacedModel {
                        let it = p.items[mi], f = it.footprints[q]!
                        var tps: Double?
                        if let bw = bin.bandwidthGBps {
                            let bytes = Throughput.bytesPerToken(weights: f.source == "footprints" ? f.total : f.weights, shape: it.shape, bitsPerWeight: profile.bits(q))
                            tps = Throughput.decodeTokensPerSecond(bytesPerToken: bytes, bandwidthGBps: bw, unified: layout.isUnified)
                        }
                        if let d = h.decodeTPS { tps = d }
                        let (from, pull) = source(it, q, host: h.name)
                        return Plan.PlacedModel(name: it.spec.name, quant: q.rawValue, footprint_bytes: f.total, weights_bytes: f.weights,
                                                kv_cache_bytes: f.kvCache, compute_bytes: f.compute, footprint_source: f.source, decode_tokens_per_s: tps,
                                                projector_bytes: f.source != "footprints" && f.projector > 0 ? f.projector : nil, from: from, pull: pull,
                                                prefill_tokens_per_s: h.prefillTPS ?? prefill(it, layout: layout, bin: bin), per_gpu_bytes: perGPU[mi])
                    }
                    let models = slot.copies.map { copy($0.0, $0.1) }
                    for (mi, _) in slot.copies { placedAt[[mi, binIndex]] = (id, slot.port) }
                    let onDemandCopies = slot.lazy.map { copy($0.0, $0.1) }
                    for (mi, _) in slot.lazy { onDemandAt[mi] = (id, slot.port) }
                    let used = models.reduce(Int64(0)) { $0 + $1.footprint_bytes }
                    let all = slot.copies + slot.lazy
                    // An on-demand instance: Ollama's own LRU within the instance, as many loaded at once
                    // as fit (smallest first), unloaded after the profile's on_demand_keep_alive.
                    var fitAtOnce = 0, room = slot.capacity
                    for c in onDemandCopies.map(\.footprint_bytes).sorted() where c <= room { room -= c; fitAtOnce += 1 }
                    var env: [String: String] = [
                        "OLLAMA_HOST": "0.0.0.0:\(slot.port)",
                        "OLLAMA_MAX_LOADED_MODELS": String(max(1, slot.lazy.isEmpty ? models.count : fitAtOnce)),
                        "OLLAMA_NUM_PARALLEL": String(all.map { p.items[$0.0].options.parallel }.max() ?? profile.parallel),
                        "OLLAMA_CONTEXT_LENGTH": String(all.map { p.items[$0.0].options.ctx }.max() ?? profile.ctx),
                        "OLLAMA_KEEP_ALIVE": slot.lazy.isEmpty ? profile.keepAlive : profile.onDemandKeepAlive,
                        "OLLAMA_KV_CACHE_TYPE": profile.kvType.rawValue,
                        "OLLAMA_FLASH_ATTENTION": profile.flashAttention ? "1" : "0",
                    ]
                    if let d = h.modelsDir { env["OLLAMA_MODELS"] = d }
                    // Every server start prunes unreferenced blobs of its store: only instance 0 may (ollama.md §5.2).
                    if k > 0 { env["OLLAMA_NOPRUNE"] = "1" }
                    if !bin.gpus.isEmpty { env["CUDA_VISIBLE_DEVICES"] = bin.gpus.map(String.init).joined(separator: ",") }
                    // A pooled instance's budget, made real for Ollama's own scheduler (PoolSplit.gpuOverhead).
                    if !bin.pool.isEmpty, !all.isEmpty, let ws = layout.wiredLimit {
                        env["OLLAMA_GPU_OVERHEAD"] = String(PoolSplit.gpuOverhead(workingSet: ws, budget: slot.capacity))
                    }
                    instances.append(Plan.Instance(id: id, port: slot.port, gpu: bin.isMultiGPU ? nil : bin.gpu, gpu_name: bin.gpuName, olol_port: slot.olol,
                                                   capacity_bytes: slot.capacity, used_bytes: used, env: env, models: models,
                                                   on_demand: slot.lazy.isEmpty ? nil : onDemandCopies,
                                                   on_demand_budget_bytes: slot.lazy.isEmpty ? nil : slot.capacity - used,
                                                   gpus: bin.isMultiGPU ? bin.gpus : nil, start: all.isEmpty ? false : nil))
                }
            }
            let hostUsed = instances.reduce(Int64(0)) { $0 + $1.used_bytes }
            hosts.append(Plan.Host(name: h.name, address: h.address, kind: layout.isUnified ? "unified" : "gpu",
                                   capacity_bytes: layout.capacity, used_bytes: hostUsed,
                                   models_dir: h.modelsDir, labels: h.labels, overflow: !overflowLabels.isDisjoint(with: h.labels),
                                   memory_bytes: layout.memory, reserve_bytes: layout.reserve, wired_limit_bytes: layout.wiredLimit,
                                   required_wired_limit_mb: layout.requiredWiredLimitMB(used: hostUsed + instances.reduce(0) { $0 + ($1.on_demand_budget_bytes ?? 0) }),
                                   bandwidth_gbps: h.bandwidthGBps, store_read_gbps: h.storeRead, instances: instances))
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
            let residents = Explain.Residents(p, o.assignment)
            for (mi, cs) in o.assignment.copies.enumerated() where cs.isEmpty {
                var reason = dropped[mi] ?? Explain.unplaced(mi, p, o.assignment, residents: residents)
                if let r = onDemand.first(where: { $0.item == mi }) {
                    let it = p.items[mi], bin = p.bins[r.bin]
                    let cold = Throughput.coldStartSeconds(weights: it.footprints[r.quant]!.weights, storeReadGBps: p.layouts[bin.host].host.storeRead)
                    reason = "not resident (\(reason)); loaded on request by \(onDemandAt[mi]?.id ?? bin.id) at \(r.quant.rawValue), cold start \(Units.format(cold, digits: 1)) s"
                } else if profile.onDemand, dropped[mi] == nil {
                    let it = p.items[mi], f = OnDemand.smallest(it)
                    if it.eligibleBins.contains(where: { OnDemand.capacity(p, $0) >= f }) {
                        reason += "; not loadable on request either: every instance it fits holds resident copies, which Ollama could unload for it (server/sched.go) — another instance per host (`instances_per_host`) would give the on-demand tier room"
                    }
                }
                unplaced.append(.init(name: p.items[mi].spec.name, reason: reason))
            }
        }

        var routes: [Plan.Route] = []
        var infos: [Plan.ModelInfo] = []
        var notes: [String] = []
        for (mi, it) in p.items.enumerated() {
            let cs = o.assignment.copies[mi]
            var eps: [Plan.Endpoint] = cs.map { c in
                let bin = p.bins[c.bin], layout = p.layouts[bin.host]
                let backup = !overflowLabels.isDisjoint(with: layout.host.labels)
                let at = placedAt[[mi, c.bin]] ?? (bin.id, bin.port)
                return Plan.Endpoint(instance: at.id, url: "http://\(urlHost(layout.host.address)):\(at.port)", role: backup ? .backup : .primary)
            }
            // A model served only by copies on overflow hosts has no primary to back up: all serve.
            if eps.allSatisfy({ $0.role == .backup }) { for k in eps.indices { eps[k].role = .primary } }
            eps.sort { ($0.role == .primary ? 0 : 1, $0.instance) < ($1.role == .primary ? 0 : 1, $1.instance) }
            let lazy = onDemand.first { $0.item == mi }
            if let r = lazy {
                // On demand: the one instance that loads it on request.
                let bin = p.bins[r.bin], layout = p.layouts[bin.host]
                let at = onDemandAt[mi] ?? (bin.id, bin.port)
                eps = [Plan.Endpoint(instance: at.id, url: "http://\(urlHost(layout.host.address)):\(at.port)", role: .primary)]
            }
            if !eps.isEmpty { routes.append(.init(model: it.spec.name, endpoints: eps)) }
            let quant = cs.first?.quant ?? lazy?.quant
            let pull = quant.flatMap { q in source(it, q, host: nil).pull }
            var parameters = it.spec.parameters
            parameters["num_batch"] = nil  // pinned from num_batch below, never twice
            var info = Plan.ModelInfo(name: it.spec.name, priority: userPriority[it.spec.name] ?? it.spec.priority, required: it.spec.required,
                                      replicas: it.spec.replicas, ctx: it.options.ctx, parallel: it.options.parallel, quant: quant?.rawValue,
                                      gguf: it.spec.gguf, pull: pull, system: it.spec.system, template: it.spec.template, parameters: parameters,
                                      ctx_requested: it.requestedCtx, num_batch: it.options.ubatch)
            info.tier = !cs.isEmpty ? .resident : (lazy != nil ? .onDemand : nil)
            // Cold start where it is (or would be) loaded: its first copy's host, or its on-demand host.
            let where_ = cs.first.map { p.bins[$0.bin].host } ?? lazy.map { p.bins[$0.bin].host }
            if let hi = where_, let q = quant {
                info.cold_start_s = Throughput.coldStartSeconds(weights: it.footprints[q]!.weights, storeReadGBps: p.layouts[hi].host.storeRead)
            }
            info.demand_per_hour = it.spec.demandPerHour
            info.slo_s = it.spec.sloSeconds
            infos.append(info)
            if let asked = it.requestedCtx {
                notes.append("\(it.spec.name): ctx \(asked) is above its trained context \(it.options.ctx); Ollama cuts num_ctx to \(it.options.ctx) (llm/server.go), so the plan does too")
            }
            notes.append(contentsOf: it.spec.modelfileNotes)
            if it.spec.gguf == nil, it.spec.pull == nil, it.spec.ggufFacts?.storeName == nil, Catalog.lookup(it.spec.name) == nil, !cs.isEmpty {
                notes.append("\(it.spec.name): not in the built-in catalog, so its own tag is pulled and decides the bytes; planned at \(cs[0].quant.rawValue) — give pull: or gguf: if the tag holds another quantization")
            }
        }

        notes.append(contentsOf: cluster.warnings.map { "\($0.field) \($0.message)\($0.fix.map { ": \($0)" } ?? "")" })
        for (l, ph) in zip(p.layouts, hosts) {
            if let mb = ph.required_wired_limit_mb, let d = l.defaultWiredLimit {
                notes.append("\(l.host.name): the placed models use \(Units.gb(ph.used_bytes)) of GPU memory, above macOS's default working set of \(Units.gb(d)); run `sudo sysctl iogpu.wired_limit_mb=\(mb)` before starting (the start script checks)")
            }
            if let mem = l.memory, l.host.instances != nil, l.capacity > min(mem - (l.reserve ?? 0), l.wiredLimit ?? mem) {
                notes.append("\(l.host.name): explicit instances total \(Units.gb(l.capacity)), more than the \(Units.gb(min(mem - (l.reserve ?? 0), l.wiredLimit ?? mem))) usable")
            }
        }
        // Planning on another machine (e.g. Linux for a Mac): the GGUF is the host's path, not here.
        let absent = p.items.filter { $0.spec.gguf != nil && $0.spec.ggufFacts == nil }
        if absent.count > 2 {
            notes.append("\(absent.count) models' gguf files (\(Explain.list(absent.map(\.spec.name)))) are not on this machine, so they were sized from their arch, sizes or the catalog (the Modelfiles still use those paths); copy the files here, or list them with `placeplan scan` on the host, for exact sizes")
        }
        for it in p.items {
            if absent.count <= 2, let g = it.spec.gguf, it.spec.ggufFacts == nil {
                let from = !it.spec.footprints.isEmpty ? "its footprints" : !it.spec.sizes.isEmpty ? "its sizes" : it.spec.arch.map { "arch \($0)" } ?? "the catalog entry \(it.shape?.id ?? it.spec.name)"
                notes.append("\(it.spec.name): gguf \"\(g)\" is not on this machine, so it was sized from \(from) (the Modelfile still uses that path); copy the file here, or list it with `placeplan scan` on the host, for its exact size")
            }
            if let shape = it.shape, it.footprints.values.contains(where: { $0.source != "footprints" }),
               FootprintModel.computeEstimate(shape, it.options).fallback {
                notes.append("\(it.spec.name): architecture \"\(shape.id)\" is not modelled; its compute buffer is a fallback estimate (the generic stages + 25%, at least 512 MiB)")
            }
        }
        for (b, bin) in p.bins.enumerated() {
            let par = Set(copiesOnBin[b].map { p.items[$0.0].options.parallel })
            if par.count > 1 { notes.append("\(bin.id): models with different `parallel` share one OLLAMA_NUM_PARALLEL (\(par.max()!)); KV caches were sized per model") }
        }
        // The OLOL proxy listens beside nginx/HAProxy, never on the same port.
        let proxyPort = min(cluster.proxyPort ?? 8000, 65534)
        let status: Plan.Status = o.status == .infeasible ? .infeasible : (o.status == .optimal ? .optimal : .feasible)
        return Plan(cluster: cluster.name, profile: profile.name, status: status,
                    objective: .init(coverage: o.coverage, quality: round6(o.quality), quality_bound: round6(o.qualityBound), coverage_bound: o.coverageBound),
                    solver: .init(name: "glpk", version: GLPK.version, method: o.method, cut_short: o.cutShort.isEmpty ? nil : o.cutShort),
                    settings: .init(kv_cache_type: profile.kvType.rawValue, flash_attention: profile.flashAttention, ubatch: profile.ubatch,
                                    keep_alive: profile.keepAlive, proxy_port: proxyPort, olol: cluster.olol, olol_proxy_port: proxyPort + 1),
                    hosts: hosts, unplaced: unplaced, routes: routes.sorted { $0.model < $1.model },
                    models: infos.sorted { $0.name < $1.name }, notes: notes.sorted())
    }

    /// Where a copy's bytes come from (its Modelfile FROM) and what is pulled for it:
    /// - a `gguf:` file: that path, nothing pulled;
    /// - a model found in this host's Ollama store: its store name, nothing pulled — re-creating it
    ///   FROM its own name keeps the store's TEMPLATE, SYSTEM, PARAMETER and LICENSE layers
    ///   (`server/create.go` copies the base model's layers and merges its parameters);
    /// - `pull:` as given; a catalog model: the library tag of this quant (`Catalog.pullTag`);
    ///   any other name: the name itself (only catalog models get a derived tag).
    /// `host` nil asks for the pull tag alone.
    static func source(_ it: PlacementProblem.Item, _ q: Quant, host: String?) -> (from: String, pull: String?) {
        if let g = it.spec.gguf { return (g, nil) }
        if let facts = it.spec.ggufFacts, let store = facts.storeName, let host, facts.storeHosts.contains(host) { return (store, nil) }
        let tag = it.spec.pull ?? (Catalog.lookup(it.spec.name) != nil ? Catalog.pullTag(name: it.spec.name, quant: q) : it.spec.name)
        return (tag, tag)
    }

    /// `Throughput.prefillTokensPerSecond` for a copy: the GPU's TFLOPS, or the Mac's chip × cores.
    static func prefill(_ it: PlacementProblem.Item, layout: HostLayout, bin: Bin) -> Double? {
        guard let shape = it.shape, shape.params > 0 else { return nil }
        let h = layout.host
        var tflops: Double?
        switch h.memory {
        case .unified:
            if let chip = h.chip, let per = Throughput.appleCoreTFLOPS(chip: chip), let cores = h.gpuCores { tflops = per * Double(cores) }
        case .gpus(let gpus):
            if let g = bin.gpu, g < gpus.count { tflops = gpus[g].tflops } else { tflops = gpus.first?.tflops }
        }
        guard let tflops else { return nil }
        return Throughput.prefillTokensPerSecond(activeParams: shape.activeParams, tflops: tflops, unified: layout.isUnified)
    }

    static func urlHost(_ a: String) -> String { a.contains(":") && !a.hasPrefix("[") ? "[\(a)]" : a }

    static func dedupe(_ u: [Plan.Unplaced]) -> [Plan.Unplaced] {
        var seen = Set<String>()
        return u.filter { seen.insert($0.reason).inserted }
    }
}
