/// One model found by `scan`, encoded as SPEC §6's scan JSON object.
///
/// A model that was read encodes `name, path, arch, params, quant, file_bytes, layers, heads,
/// kv_heads, head_dim, ctx_train` (a value the header lacks is `null`); a failure encodes
/// only `name, path, error`.
public struct ScanEntry: Codable, Sendable, Equatable {
    /// The Ollama name in a store; for a plain file, its name without ".gguf" and the split suffix.
    public var name: String
    /// The file read: the first part of a split model, or the model blob in a store.
    public var path: String
    /// Why the file could not be read; nil when it was.
    public var error: String?
    /// The header's facts; nil on error.
    public var info: GGUFInfo?
    /// Bytes of vision projector blobs a store model carries beside its weights (not in the JSON).
    public var projectorBytes: Int64

    /// A model that was read.
    public init(name: String, path: String, info: GGUFInfo, projectorBytes: Int64 = 0) {
        self.name = name
        self.path = path
        self.info = info
        self.projectorBytes = projectorBytes
    }

    /// A file that could not be read.
    public init(name: String, path: String, error: String) {
        self.name = name
        self.path = path
        self.error = error
        projectorBytes = 0
    }

    /// `general.architecture`.
    public var arch: String? { info?.architecture }
    /// Σ elements of every tensor.
    public var params: Int64? { info?.params }
    /// The quant name ("q4_K_M", ...).
    public var quant: String? { info?.fileType }
    /// Σ bytes of every part (the model blob alone in a store).
    public var fileBytes: Int64? { info?.fileBytes }
    /// `<arch>.block_count`.
    public var layers: Int? { info?.layers }
    /// `<arch>.attention.head_count`.
    public var heads: Int? { info?.heads }
    /// `<arch>.attention.head_count_kv`, else heads.
    public var kvHeads: Int? { info?.kvHeads }
    /// `key_length`, else embedding ÷ heads.
    public var headDim: Int? { info?.headDim }
    /// `<arch>.context_length`.
    public var ctxTrain: Int? { info?.ctxTrain }

    enum CodingKeys: String, CodingKey {
        case name, path, error, arch, params, quant
        case fileBytes = "file_bytes", layers, heads, kvHeads = "kv_heads", headDim = "head_dim", ctxTrain = "ctx_train"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(path, forKey: .path)
        if let error {
            try c.encode(error, forKey: .error)
            return
        }
        // Every field present, null when unknown, so consumers can rely on the keys.
        try c.encode(arch, forKey: .arch)
        try c.encode(params, forKey: .params)
        try c.encode(quant, forKey: .quant)
        try c.encode(fileBytes, forKey: .fileBytes)
        try c.encode(layers, forKey: .layers)
        try c.encode(heads, forKey: .heads)
        try c.encode(kvHeads, forKey: .kvHeads)
        try c.encode(headDim, forKey: .headDim)
        try c.encode(ctxTrain, forKey: .ctxTrain)
    }

    /// Decodes scan JSON; the header facts not in the JSON stay at their defaults.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        path = try c.decode(String.self, forKey: .path)
        projectorBytes = 0
        if let e = try c.decodeIfPresent(String.self, forKey: .error) {
            error = e
            return
        }
        var i = GGUFInfo(parts: [])
        i.architecture = try c.decodeIfPresent(String.self, forKey: .arch)
        i.params = try c.decodeIfPresent(Int64.self, forKey: .params) ?? 0
        i.fileType = try c.decodeIfPresent(String.self, forKey: .quant)
        i.fileBytes = try c.decodeIfPresent(Int64.self, forKey: .fileBytes) ?? 0
        i.layers = try c.decodeIfPresent(Int.self, forKey: .layers)
        i.heads = try c.decodeIfPresent(Int.self, forKey: .heads)
        i.kvHeads = try c.decodeIfPresent(Int.self, forKey: .kvHeads)
        i.headDim = try c.decodeIfPresent(Int.self, forKey: .headDim)
        i.ctxTrain = try c.decodeIfPresent(Int.self, forKey: .ctxTrain)
        info = i
    }
}
