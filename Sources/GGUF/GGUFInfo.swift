/// What placeplan needs to know about one model file (all parts of a split model together).
public struct GGUFInfo: Sendable, Equatable {
    /// `general.architecture`, e.g. "llama".
    public var architecture: String?
    /// `general.name` when present.
    public var name: String?
    /// Quant name ("q4_K_M", "q8_0", "f16", ...) from `general.file_type`, else the dominant tensor type.
    public var fileType: String?
    /// Σ elements of every tensor of every part.
    public var params: Int64
    /// `<arch>.block_count`.
    public var layers: Int?
    /// `<arch>.embedding_length`.
    public var embedding: Int?
    /// `<arch>.feed_forward_length` (largest layer when per-layer).
    public var feedForward: Int?
    /// `<arch>.attention.head_count` (largest layer when per-layer).
    public var heads: Int?
    /// `<arch>.attention.head_count_kv` (largest layer when per-layer), else `heads`.
    public var kvHeads: Int?
    /// `<arch>.attention.key_length`.
    public var keyLength: Int?
    /// `<arch>.attention.value_length`.
    public var valueLength: Int?
    /// `keyLength` where present, else embedding ÷ heads.
    public var headDim: Int?
    /// `<arch>.context_length`.
    public var ctxTrain: Int?
    /// `<arch>.vocab_size`, else the length of `tokenizer.ggml.tokens`.
    public var vocab: Int?
    /// `<arch>.attention.sliding_window`.
    public var slidingWindow: Int?
    /// `<arch>.expert_count`.
    public var expertCount: Int?
    /// `<arch>.expert_used_count`.
    public var expertUsedCount: Int?
    /// Σ file sizes of every part.
    public var fileBytes: Int64
    /// Σ data bytes of every tensor of every part.
    public var tensorBytes: Int64
    /// Number of parts (1 for an unsplit file).
    public var splitCount: Int
    /// Paths of the parts, first part first.
    public var paths: [String]
    /// Every tensor of every part, in part order.
    public var tensors: [GGUFTensorInfo]
    /// The first part's metadata; big arrays keep only their count.
    public var metadata: [String: GGUFValue]

    /// Derives the info from the headers of the parts (first part first) and their paths.
    public init(parts: [GGUFHeader], paths: [String] = []) {
        let meta = parts.first?.metadata ?? [:]
        metadata = meta
        self.paths = paths
        splitCount = max(1, parts.count)
        tensors = parts.flatMap(\.tensors)
        params = Self.saturatingSum(tensors.map(\.elementCount))
        tensorBytes = Self.saturatingSum(tensors.map(\.byteSize))
        fileBytes = Self.saturatingSum(parts.map { Int64(clamping: $0.fileSize) })
        architecture = meta["general.architecture"]?.stringValue
        name = meta["general.name"]?.stringValue
        fileType = FileType.quantName(fileType: meta["general.file_type"]?.intValue, tensors: tensors)

        let arch = architecture ?? ""
        func int(_ key: String) -> Int? {
            guard let v = meta[arch + "." + key]?.maxIntValue, v >= 0 else { return nil }
            return Int(v)
        }
        layers = int("block_count")
        embedding = int("embedding_length")
        feedForward = int("feed_forward_length")
        heads = int("attention.head_count")
        kvHeads = int("attention.head_count_kv") ?? heads
        keyLength = int("attention.key_length")
        valueLength = int("attention.value_length")
        if let k = keyLength {
            headDim = k
        } else if let e = embedding, let h = heads, h > 0 {
            headDim = e / h
        }
        ctxTrain = int("context_length")
        vocab = int("vocab_size") ?? meta["tokenizer.ggml.tokens"]?.arrayValue?.count
        slidingWindow = int("attention.sliding_window")
        expertCount = int("expert_count")
        expertUsedCount = int("expert_used_count")
    }

    /// Reads a GGUF file; given the first part of a split model, reads and sums every part.
    public static func read(path: String) throws -> GGUFInfo {
        let first = try GGUFHeader.read(path: path)
        let meta = first.metadata
        let count = meta["split.count"]?.intValue ?? 1
        guard count > 1 else { return GGUFInfo(parts: [first], paths: [path]) }
        guard count <= 99_999 else {
            throw GGUFError.invalidSplit(path: path, reason: "split.count \(count) is more than 99999")
        }
        let number = meta["split.no"]?.intValue ?? 0
        guard number == 0 else {
            throw GGUFError.invalidSplit(path: path, reason: "this is part \(number + 1) of \(count); read the first part (-00001-of-\(count))")
        }
        guard let splitName = GGUFSplitName(path: path), splitName.count == count else {
            throw GGUFError.invalidSplit(path: path, reason: "split.count is \(count) but the name does not end in -00001-of-\(GGUFSplitName.padded(Int(count))).gguf")
        }
        var headers = [first]
        var paths = [path]
        for part in 2...Int(count) {
            let p = splitName.path(part: part)
            let h: GGUFHeader
            do {
                h = try GGUFHeader.read(path: p)
            } catch let GGUFError.unreadable(_, reason) {
                throw GGUFError.invalidSplit(path: path, reason: "part \(part) of \(count) (\(p)) cannot be read: \(reason)")
            }
            let no = h.metadata["split.no"]?.intValue
            let c = h.metadata["split.count"]?.intValue
            guard no == Int64(part - 1), c == count else {
                throw GGUFError.invalidSplit(path: path, reason: "\(p) has split.no \(no.map(String.init) ?? "none") and split.count \(c.map(String.init) ?? "none"), expected \(part - 1) and \(count)")
            }
            headers.append(h)
            paths.append(p)
        }
        let info = GGUFInfo(parts: headers, paths: paths)
        if let expected = meta["split.tensors.count"]?.intValue, expected != Int64(info.tensors.count) {
            throw GGUFError.invalidSplit(path: path, reason: "split.tensors.count is \(expected) but the parts hold \(info.tensors.count) tensors")
        }
        return info
    }

    private static func saturatingSum(_ values: [Int64]) -> Int64 {
        values.reduce(Int64(0)) { s, v in
            let (r, o) = s.addingReportingOverflow(v)
            return o ? Int64.max : r
        }
    }
}
