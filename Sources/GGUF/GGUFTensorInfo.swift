/// One entry of a GGUF tensor info table.
public struct GGUFTensorInfo: Sendable, Equatable {
    /// The tensor name, e.g. "blk.0.attn_q.weight".
    public var name: String
    /// Dimensions as stored, fastest-varying first (ggml's ne[0], ne[1], ...).
    public var dimensions: [Int64]
    /// The ggml type of the data.
    public var type: GGMLType
    /// Offset of the data from the start of the data section.
    public var offset: UInt64
    /// Number of elements (product of the dimensions).
    public var elementCount: Int64
    /// Bytes of data: elements ÷ block size × bytes per block.
    public var byteSize: Int64

    public init(name: String, dimensions: [Int64], type: GGMLType, offset: UInt64, elementCount: Int64, byteSize: Int64) {
        self.name = name
        self.dimensions = dimensions
        self.type = type
        self.offset = offset
        self.elementCount = elementCount
        self.byteSize = byteSize
    }
}
