/// The parsed header of one GGUF file: metadata and tensor infos, without the weights.
///
/// Layout per ggml docs/gguf.md: magic "GGUF", uint32 version, uint64 tensor_count,
/// uint64 metadata_kv_count, the key/value pairs, the tensor infos, then padding to
/// `general.alignment` (default 32) and the tensor data.
public struct GGUFHeader: Sendable, Equatable {
    /// The format version (2 or 3).
    public var version: UInt32
    /// Metadata key/value pairs; arrays over `GGUFLimits.maxRetainedArray` elements keep only their count.
    public var metadata: [String: GGUFValue]
    /// Metadata keys in file order.
    public var keys: [String]
    /// The tensor info table in file order.
    public var tensors: [GGUFTensorInfo]
    /// The data alignment (`general.alignment`, default 32).
    public var alignment: UInt64
    /// Where the tensor data starts (end of header, padded to the alignment).
    public var dataOffset: UInt64
    /// Size of the file (or buffer) that was read.
    public var fileSize: UInt64

    /// Reads the header of the GGUF file at `path`, touching only the header's bytes.
    public static func read(path: String) throws -> GGUFHeader {
        var parser = GGUFHeaderParser(ByteReader(try FileSource(path: path)))
        return try parser.parse()
    }

    /// Parses a whole GGUF file held in memory.
    public static func parse(_ bytes: [UInt8]) throws -> GGUFHeader {
        var parser = GGUFHeaderParser(ByteReader(MemorySource(bytes: bytes)))
        return try parser.parse()
    }

    /// Sum of the tensors' data bytes.
    public var tensorBytes: Int64 { tensors.reduce(0) { $0 + $1.byteSize } }
}

/// The reader's sanity limits: far above any real model, far below anything that could exhaust memory.
public enum GGUFLimits {
    /// Most tensors in one file (a 671B MoE has ~1,100 per file).
    public static let maxTensors: UInt64 = 1_000_000
    /// Most metadata pairs in one file.
    public static let maxKeyValues: UInt64 = 1_000_000
    /// Longest key; gguf.md caps keys at 65535 bytes.
    public static let maxKeyBytes: UInt64 = 65_535
    /// Longest string value kept (chat templates are tens of KB).
    public static let maxStringBytes: UInt64 = 16 << 20
    /// Longest tensor name (ggml's GGML_MAX_NAME is 64; allow more for other writers).
    public static let maxTensorNameBytes: UInt64 = 4096
    /// Most dimensions per tensor (ggml's GGML_MAX_DIMS is 4).
    public static let maxDimensions: UInt32 = 8
    /// Most elements in one array (the largest vocabularies have ~260k tokens).
    public static let maxArrayElements: UInt64 = 1 << 28
    /// Arrays up to this many elements keep their values; longer ones keep only the count.
    public static let maxRetainedArray = 4096
    /// Deepest array nesting accepted.
    public static let maxNesting = 8
}
