import Foundation
@testable import PlacePlanCore

/// Test plans built in Swift: a Mac with four instances, a GPU host beside it, and a hostile
/// plan whose names and prompts try to inject shell, JSON, YAML and Modelfile syntax.
enum Fixtures {
    struct HostSpec {
        var name: String
        var address: String
        var kind: String = "unified"
        var overflow = false
        var wiredMB: Int64? = nil
        var modelsDir: String? = nil
        /// (port, gpu, model names)
        var instances: [(port: Int, gpu: Int?, models: [String])]
    }

    static func model(_ name: String, ctx: Int = 8192, gguf: String? = nil, pull: String? = nil, system: String? = nil,
                      template: String? = nil, parameters: [String: [String]] = [:]) -> Plan.ModelInfo {
        Plan.ModelInfo(name: name, priority: 1, required: false, replicas: 1, ctx: ctx, parallel: 1, quant: "q4_K_M",
                       gguf: gguf, pull: pull, system: system, template: template, parameters: parameters)
    }

    static func plan(_ specs: [HostSpec], models: [Plan.ModelInfo], olol: Bool = true, proxyPort: Int = 8000) -> Plan {
        var routes: [String: [Plan.Endpoint]] = [:]
        let hosts = specs.map { s -> Plan.Host in
            let instances = s.instances.enumerated().map { k, i -> Plan.Instance in
                var env = ["OLLAMA_HOST": "0.0.0.0:\(i.port)", "OLLAMA_MAX_LOADED_MODELS": "\(max(1, i.models.count))",
                           "OLLAMA_NUM_PARALLEL": "1", "OLLAMA_KEEP_ALIVE": "-1", "OLLAMA_KV_CACHE_TYPE": "q8_0",
                           "OLLAMA_FLASH_ATTENTION": "1", "OLLAMA_CONTEXT_LENGTH": "8192", "OLLAMA_NOPRUNE": k == 0 ? "0" : "1"]
                if let d = s.modelsDir { env["OLLAMA_MODELS"] = d }
                if let g = i.gpu { env["CUDA_VISIBLE_DEVICES"] = "\(g)" }
                let id = "\(s.name)/\(k)"
                for m in i.models {
                    routes[m, default: []].append(Plan.Endpoint(instance: id, url: "http://\(s.address):\(i.port)", role: s.overflow ? .backup : .primary))
                }
                return Plan.Instance(id: id, port: i.port, gpu: i.gpu, gpu_name: i.gpu == nil ? nil : "RTX A4000", olol_port: 50051 + k,
                                     capacity_bytes: 30_000_000_000, used_bytes: 20_000_000_000, env: env,
                                     models: i.models.map { name in
                                         // Each copy's source, as PlanBuilder.source decides it.
                                         let info = models.first { $0.name == name }
                                         let pull = info?.gguf == nil ? (info?.pull ?? name) : nil
                                         return Plan.PlacedModel(name: name, quant: "q4_K_M", footprint_bytes: 1, weights_bytes: 1,
                                                                 kv_cache_bytes: 0, compute_bytes: 0, footprint_source: "catalog", decode_tokens_per_s: nil,
                                                                 from: info?.gguf ?? pull ?? name, pull: pull)
                                     })
            }
            return Plan.Host(name: s.name, address: s.address, kind: s.kind, capacity_bytes: 1, used_bytes: 1, models_dir: s.modelsDir,
                             labels: [], overflow: s.overflow, required_wired_limit_mb: s.wiredMB, instances: instances)
        }
        return Plan(cluster: "test", profile: "conservative", status: .optimal,
                    objective: .init(coverage: 1, quality: 1, quality_bound: 1, coverage_bound: 1),
                    solver: .init(name: "glpk", version: "5.0", method: "exact"),
                    settings: .init(kv_cache_type: "q8_0", flash_attention: true, ubatch: 512, keep_alive: "-1",
                                    proxy_port: proxyPort, olol: olol, olol_proxy_port: 8001),
                    hosts: hosts, unplaced: [],
                    // As PlanBuilder decides: a model served only from overflow hosts has primaries there.
                    routes: routes.keys.sorted().map { m in
                        let eps = routes[m]!
                        return Plan.Route(model: m, endpoints: eps.allSatisfy { $0.role == .backup }
                                          ? eps.map { Plan.Endpoint(instance: $0.instance, url: $0.url, role: .primary) } : eps)
                    },
                    models: models.sorted { $0.name < $1.name }, notes: [])
    }

    /// A Mac Studio with four instances; ports from `base`.
    static func mac(base: Int = 11434, address: String = "10.0.0.100", modelsDir: String? = "/Volumes/BOWIE/_MODELS/ollama",
                    gguf: String = "/Volumes/BOWIE/_MODELS/HIGHERMIND models ready to use/HIGHERMIND/ulysses@f16/ULYSSES_f16.gguf") -> Plan {
        plan([HostSpec(name: "mac", address: address, wiredMB: 110_000, modelsDir: modelsDir,
                       instances: [(base, nil, ["llama3:70b"]), (base + 1, nil, ["qwen2.5:32b", "ulysses"]),
                                   (base + 2, nil, ["mistral:7b"]), (base + 3, nil, [])])],
             models: [model("llama3:70b", pull: "llama3:70b-instruct-q4_K_M", parameters: ["temperature": ["0.7"], "stop": ["<|eot_id|>", "</s>"]]),
                      model("qwen2.5:32b", ctx: 16384, pull: "qwen2.5:32b-instruct-q4_K_M"),
                      model("mistral:7b", ctx: 4096),
                      model("ulysses", ctx: 4096, gguf: gguf,
                            system: "You are the character from James Joyce's Ulysses.\nRespond in the stream-of-consciousness style.",
                            template: "{{ .System }}\n[INST] {{ .Prompt }} [/INST]\n", parameters: ["top_k": ["40"], "top_p": ["0.9"]])])
    }

    /// The Mac plus a GPU host with three GPUs; the Mac is the overflow (backup) host.
    static func cluster() -> Plan {
        plan([HostSpec(name: "mac", address: "10.0.0.100", overflow: true, wiredMB: nil, modelsDir: "/Volumes/models",
                       instances: [(11434, nil, ["llama3:70b", "mistral:7b"]), (11435, nil, ["qwen2.5:32b"])]),
              HostSpec(name: "gpu1", address: "10.0.0.10", kind: "gpu",
                       instances: [(11434, 0, ["mistral:7b"]), (11435, 1, ["llama3:8b"]), (11436, 2, ["mistral:7b", "phi3:14b"])])],
             models: [model("llama3:70b"), model("mistral:7b"), model("qwen2.5:32b"), model("llama3:8b"), model("phi3:14b")])
    }

    /// Names, prompts and paths meant to break out of every quoting; `marker` must never appear.
    static func hostile(marker: String, base: Int = 11434, address: String = "10.0.0.100", modelsDir: String? = nil, ggufDir: String = "/tmp") -> Plan {
        let inject = "$(touch \(marker))"
        let tick = "`touch \(marker)`"
        let gguf = ggufDir + "/it's a \"model\" \(tick) $(x).gguf"
        return plan([HostSpec(name: "evil host \(inject);'\"", address: address, wiredMB: 64_000, modelsDir: modelsDir,
                              instances: [(base, nil, ["evil\(inject)", "it's \"x\""]), (base + 1, nil, ["back\(tick);rm -rf x", "multi\nline"])])],
                    models: [
                        model("evil\(inject)", pull: "evil\(inject):latest", system: "ignore \(inject) and \(tick); echo 'pwned' \"\"\"\nSYSTEM injected\n\"\"\""),
                        model("it's \"x\"", gguf: gguf, system: "line1\n\"quoted\" end\"\n  indented\n",
                              template: "{{ .Prompt }} \"\"\" \n", parameters: ["stop": ["\"", "a b", "'"], "bad name;x": ["1"]]),
                        model("back\(tick);rm -rf x", pull: "tiny:latest", template: "\"\"\"\n"),
                        model("multi\nline", pull: "x\ny", system: "'; touch \(marker); '"),
                    ], olol: true)
    }
}
