/// The metadata value types of the GGUF spec (ggml docs/gguf.md, `gguf_metadata_value_type`).
public enum GGUFValueType: UInt32, Sendable, Equatable, CaseIterable {
    case uint8 = 0, int8 = 1, uint16 = 2, int16 = 3, uint32 = 4, int32 = 5, float32 = 6
    case bool = 7, string = 8, array = 9, uint64 = 10, int64 = 11, float64 = 12

    /// Bytes of one value of a fixed-size type; nil for string and array.
    public var fixedSize: Int? {
        switch self {
        case .uint8, .int8, .bool: return 1
        case .uint16, .int16: return 2
        case .uint32, .int32, .float32: return 4
        case .uint64, .int64, .float64: return 8
        case .string, .array: return nil
        }
    }

    /// The fewest bytes one value can take: a string is at least its 8-byte length,
    /// an array at least its 4-byte type and 8-byte count.
    var minimumSize: UInt64 {
        switch self {
        case .string: return 8
        case .array: return 12
        default: return UInt64(fixedSize!)
        }
    }
}
