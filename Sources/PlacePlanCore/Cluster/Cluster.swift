/// A validated cluster file (SPEC §1): hosts with memory, and models with what they need.
public struct Cluster: Equatable, Sendable {
    public var name: String
    public var profile: String?
    public var hosts: [Host]
    public var models: [Model]
    /// Emit OLOL servers and proxy (`olol: true`).
    public var olol: Bool
    public var proxyPort: Int?
    /// Things that are valid but probably not meant (e.g. `unified_memory: 192GB` on a Mac sold as 192 GB = 192 GiB).
    public var warnings: [Diagnostic] = []
    /// Where each field path starts in the file (`models[3]` → line 12, column 5).
    public var locations: [String: Location] = [:]

    public struct Location: Equatable, Sendable { public var line: Int; public var column: Int }

    /// The location of `path`, else of its nearest enclosing field (`models[3].quants` → `models[3]`).
    public static func location(of path: String, in locations: [String: Location]) -> Location? {
        var p = path
        while !p.isEmpty {
            if let l = locations[p] { return l }
            guard let cut = p.lastIndex(where: { $0 == "." || $0 == "[" }) else { break }
            p = String(p[..<cut])
        }
        return nil
    }

    /// A diagnostic about `field` of this cluster's file, at the field's line and column.
    public func diagnostic(file: String, field: String, message: String, fix: String? = nil) -> Diagnostic {
        let at = Cluster.location(of: field, in: locations)
        return Diagnostic(file: file, line: at?.line, column: at?.column, field: field, message: message, fix: fix)
    }

    public struct Host: Equatable, Sendable {
        public var name: String
        public var address: String
        public var preset: String?
        public var memory: Memory
        public var bandwidthGBps: Double?
        public var reserve: Int64?
        public var modelsDir: String?
        public var basePort: Int
        public var ololBasePort: Int
        public var labels: [String]
        public var instances: [InstanceSpec]?
        /// Explicit per-host wired limit (unified only).
        public var gpuWiredLimit: Int64?
        /// An Ollama model store (manifests/ + blobs/) readable here, whose GGUF headers size the models.
        public var ollamaStore: String?
        /// How fast the model store reads, GB/s (SPEC §8; default from the preset or the host kind).
        public var storeReadGBps: Double? = nil
        /// Apple chip ("M2 Ultra") and GPU cores, for the prefill estimate (presets set both).
        public var chip: String? = nil
        public var gpuCores: Int? = nil
        /// Measured speeds that override the estimates for every copy on the host (tokens/s).
        public var prefillTPS: Double? = nil
        public var decodeTPS: Double? = nil
    }

    public var hasDemand: Bool { models.contains { $0.demandPerHour != nil } }

    public enum Memory: Equatable, Sendable {
        case unified(Int64)
        case gpus([GPU])
        public var isGPU: Bool { if case .gpus = self { return true } else { return false } }
    }

    public struct GPU: Equatable, Sendable {
        public var name: String
        public var vram: Int64
        public var bandwidthGBps: Double?
        /// FP32 TFLOPS (from the card table by name, or given), for the prefill estimate.
        public var tflops: Double? = nil
    }

    public struct InstanceSpec: Equatable, Sendable {
        public var port: Int?
        /// Required on unified hosts; on a GPU host it may be left out when `gpu`/`gpus` says which cards.
        public var capacity: Int64?
        public var gpu: Int?
        /// Several CUDA devices for one `ollama serve` (CUDA_VISIBLE_DEVICES=0,1): llama.cpp splits each model by layers.
        public var gpus: [Int]? = nil
        public init(port: Int?, capacity: Int64?, gpu: Int?, gpus: [Int]? = nil) {
            self.port = port; self.capacity = capacity; self.gpu = gpu; self.gpus = gpus
        }
        /// The GPU list, whichever field gave it.
        public var devices: [Int]? { gpus ?? gpu.map { [$0] } }
    }

    public struct Model: Equatable, Sendable {
        public var name: String
        public var arch: String?
        public var params: Int64?
        public var quants: [Quant]?
        public var sizes: [Quant: Int64]
        public var footprints: [Quant: Int64]
        public var gguf: String?
        /// Facts read from the GGUF header, when `gguf` names a readable file.
        public var ggufFacts: GGUFFacts?
        public var pull: String?
        public var ctx: Int?
        public var parallel: Int?
        public var priority: Int
        public var required: Bool
        public var replicas: Int
        public var spreadHost: Bool
        public var on: [String]
        public var avoid: [String]
        public var system: String?
        public var template: String?
        public var parameters: [String: [String]]
        /// What was changed so that Ollama's Modelfile parser reads exactly what the plan says.
        public var modelfileNotes: [String] = []
        /// Expected requests per hour (`demand: 120/h`) and acceptable time to first token (`slo: 20s`).
        public var demandPerHour: Double? = nil
        public var sloSeconds: Double? = nil
    }
}

/// What the core needs from a GGUF header (filled by the GGUF module's reader).
public struct GGUFFacts: Equatable, Sendable {
    public var quant: Quant?
    public var fileBytes: Int64
    public var shape: Architecture
    /// Vision projector bytes beside the weights (an Ollama store model's projector layers).
    public var projectorBytes: Int64 = 0
    /// Set when the facts come from an Ollama store: the model's name there. Re-creating it
    /// `FROM` that name keeps the store's TEMPLATE, SYSTEM, PARAMETER and LICENSE layers.
    public var storeName: String?
    /// Hosts whose store holds the model under `storeName`.
    public var storeHosts: [String] = []
    public init(quant: Quant?, fileBytes: Int64, shape: Architecture) { self.quant = quant; self.fileBytes = fileBytes; self.shape = shape }
}

extension Cluster.Host {
    public var isUnified: Bool { if case .unified = memory { return true }; return false }
    /// GB/s the model store reads at: `store_read`, else the default for the host's kind.
    public var storeRead: Double { storeReadGBps ?? (isUnified ? Presets.defaultStoreReadUnified : Presets.defaultStoreReadGPUHost) }
}
