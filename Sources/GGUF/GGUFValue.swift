/// One metadata value of a GGUF header.
public indirect enum GGUFValue: Sendable, Equatable {
    case uint8(UInt8), int8(Int8), uint16(UInt16), int16(Int16), uint32(UInt32), int32(Int32)
    case uint64(UInt64), int64(Int64), float32(Float), float64(Double), bool(Bool), string(String)
    case array(GGUFArray)

    /// The value as an integer when it is one of the integer types (and fits in Int64).
    public var intValue: Int64? {
        switch self {
        case let .uint8(v): return Int64(v)
        case let .int8(v): return Int64(v)
        case let .uint16(v): return Int64(v)
        case let .int16(v): return Int64(v)
        case let .uint32(v): return Int64(v)
        case let .int32(v): return Int64(v)
        case let .uint64(v): return v <= UInt64(Int64.max) ? Int64(v) : nil
        case let .int64(v): return v
        default: return nil
        }
    }

    /// An integer, or the largest integer of a per-layer array (e.g. `head_count_kv` in OpenELM or LFM2).
    public var maxIntValue: Int64? {
        if let v = intValue { return v }
        if case let .array(a) = self { return a.values.compactMap(\.intValue).max() }
        return nil
    }

    /// The value as a string when it is one.
    public var stringValue: String? {
        if case let .string(s) = self { return s }
        return nil
    }

    /// The value as an array when it is one.
    public var arrayValue: GGUFArray? {
        if case let .array(a) = self { return a }
        return nil
    }
}

/// A metadata array; big arrays (token lists, merges) keep only their count.
public struct GGUFArray: Sendable, Equatable {
    /// The type of every element.
    public var elementType: GGUFValueType
    /// The number of elements the file holds.
    public var count: Int
    /// The elements, or empty when the array was larger than the retention limit.
    public var values: [GGUFValue]

    /// True when the elements were skipped and only `count` is known.
    public var isElided: Bool { values.count != count }

    public init(elementType: GGUFValueType, count: Int, values: [GGUFValue]) {
        self.elementType = elementType
        self.count = count
        self.values = values
    }
}
