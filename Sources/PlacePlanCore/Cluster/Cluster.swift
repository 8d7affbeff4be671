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
    }

    public enum Memory: Equatable, Sendable {
        case unified(Int64)
        case gpus([GPU])
    }

    public struct GPU: Equatable, Sendable {
        public var name: String
        public var vram: Int64
        public var bandwidthGBps: Double?
    }

    public struct InstanceSpec: Equatable, Sendable {
        public var port: Int?
        public var capacity: Int64
        public var gpu: Int?
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
