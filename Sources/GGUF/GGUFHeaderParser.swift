/// Reads a GGUF header from a ByteReader, validating every count against the bytes left.
struct GGUFHeaderParser {
    private var r: ByteReader

    init(_ reader: ByteReader) { r = reader }

    mutating func parse() throws -> GGUFHeader {
        let magic = Array(try r.bytes(4))
        guard magic == [0x47, 0x47, 0x55, 0x46] else { throw GGUFError.badMagic(magic) }
        let version = try r.u32()
        guard version == 2 || version == 3 else {
            // A big-endian writer stores 3 as 00 00 00 03, which reads as 0x03000000 here.
            if version.byteSwapped == 2 || version.byteSwapped == 3 {
                throw GGUFError.bigEndian(version: version.byteSwapped)
            }
            throw GGUFError.unsupportedVersion(version)
        }
        let tensorCount = try count("tensor count", limit: GGUFLimits.maxTensors, minimumSize: 24)
        let kvCount = try count("metadata key/value count", limit: GGUFLimits.maxKeyValues, minimumSize: 13)

        var metadata: [String: GGUFValue] = [:]
        var keys: [String] = []
        keys.reserveCapacity(Int(min(kvCount, 4096)))  // a lying count must not reserve memory
        for _ in 0..<kvCount {
            let key = try string(limit: GGUFLimits.maxKeyBytes, what: "key length")
            let type = try valueType()
            let value = try self.value(type, depth: 0)
            guard metadata.updateValue(value, forKey: key) == nil else { throw GGUFError.duplicateKey(key) }
            keys.append(key)
        }

        let alignment = try Self.alignment(metadata)
        var names = Set<String>()
        var tensors: [GGUFTensorInfo] = []
        tensors.reserveCapacity(Int(min(tensorCount, 4096)))
        for _ in 0..<tensorCount {
            let t = try tensorInfo()
            guard names.insert(t.name).inserted else {
                throw GGUFError.invalidTensor(name: t.name, reason: "duplicate tensor name")
            }
            tensors.append(t)
        }

        let headerEnd = r.offset
        let dataOffset = (headerEnd + alignment - 1) / alignment * alignment
        for t in tensors {
            // Checked arithmetic: a lying offset must not wrap around and look in bounds.
            let (a, o1) = dataOffset.addingReportingOverflow(t.offset)
            let (end, o2) = a.addingReportingOverflow(UInt64(t.byteSize))
            if o1 || o2 || end > r.size {
                throw GGUFError.tensorDataOutOfBounds(name: t.name, end: o1 || o2 ? UInt64.max : end, fileSize: r.size)
            }
        }
        return GGUFHeader(version: version, metadata: metadata, keys: keys, tensors: tensors,
                          alignment: alignment, dataOffset: dataOffset, fileSize: r.size)
    }

    // MARK: - Counts and strings

    /// A uint64 count: above `limit` it is absurd; if `count × minimumSize` exceeds the bytes left
    /// the file is cut short (or the count lies), reported as truncation either way.
    private mutating func count(_ what: String, limit: UInt64, minimumSize: UInt64) throws -> UInt64 {
        let at = r.offset
        let n = try r.u64()
        guard n <= limit else { throw GGUFError.absurdCount(what: what, count: n, offset: at, limit: limit) }
        let (needed, overflow) = n.multipliedReportingOverflow(by: minimumSize)
        guard !overflow, needed <= r.remaining else {
            throw GGUFError.truncated(offset: r.offset, needed: overflow ? .max : needed, fileSize: r.size)
        }
        return n
    }

    private mutating func stringLength(limit: UInt64, what: String) throws -> Int {
        let at = r.offset
        let n = try r.u64()
        guard n <= limit else { throw GGUFError.absurdCount(what: what, count: n, offset: at, limit: limit) }
        guard n <= r.remaining else { throw GGUFError.truncated(offset: r.offset, needed: n, fileSize: r.size) }
        return Int(n)
    }

    private mutating func string(limit: UInt64, what: String) throws -> String {
        let n = try stringLength(limit: limit, what: what)
        // gguf.md requires UTF-8; invalid bytes become U+FFFD rather than failing a scan.
        return String(decoding: try r.bytes(n), as: UTF8.self)
    }

    private mutating func valueType() throws -> GGUFValueType {
        let at = r.offset
        let raw = try r.u32()
        guard let t = GGUFValueType(rawValue: raw) else { throw GGUFError.unknownValueType(raw, offset: at) }
        return t
    }

    // MARK: - Values

    private mutating func value(_ type: GGUFValueType, depth: Int) throws -> GGUFValue {
        switch type {
        case .uint8: return .uint8(try r.u8())
        case .int8: return .int8(Int8(bitPattern: try r.u8()))
        case .uint16: return .uint16(try r.u16())
        case .int16: return .int16(Int16(bitPattern: try r.u16()))
        case .uint32: return .uint32(try r.u32())
        case .int32: return .int32(Int32(bitPattern: try r.u32()))
        case .uint64: return .uint64(try r.u64())
        case .int64: return .int64(Int64(bitPattern: try r.u64()))
        case .float32: return .float32(Float(bitPattern: try r.u32()))
        case .float64: return .float64(Double(bitPattern: try r.u64()))
        case .bool: return .bool(try r.u8() != 0)
        case .string: return .string(try string(limit: GGUFLimits.maxStringBytes, what: "string length"))
        case .array: return .array(try array(depth: depth + 1))
        }
    }

    private mutating func array(depth: Int) throws -> GGUFArray {
        guard depth <= GGUFLimits.maxNesting else {
            throw GGUFError.nestingTooDeep(offset: r.offset, limit: GGUFLimits.maxNesting)
        }
        let elementType = try valueType()
        let n = try count("array length", limit: GGUFLimits.maxArrayElements, minimumSize: elementType.minimumSize)
        guard n <= UInt64(GGUFLimits.maxRetainedArray) else {
            try skipElements(elementType, count: n, depth: depth)
            return GGUFArray(elementType: elementType, count: Int(n), values: [])
        }
        var values: [GGUFValue] = []
        values.reserveCapacity(Int(n))
        for _ in 0..<n { values.append(try value(elementType, depth: depth)) }
        return GGUFArray(elementType: elementType, count: Int(n), values: values)
    }

    /// Walks past a big array without keeping it: fixed-size elements in one jump, strings by their lengths.
    private mutating func skipElements(_ type: GGUFValueType, count n: UInt64, depth: Int) throws {
        if let size = type.fixedSize {
            try r.skip(n * UInt64(size))  // n × size ≤ remaining was checked by count()
            return
        }
        for _ in 0..<n {
            switch type {
            case .string:
                let len = try stringLength(limit: GGUFLimits.maxStringBytes, what: "string length")
                try r.skip(UInt64(len))
            default:
                guard depth + 1 <= GGUFLimits.maxNesting else {
                    throw GGUFError.nestingTooDeep(offset: r.offset, limit: GGUFLimits.maxNesting)
                }
                let inner = try valueType()
                let m = try count("array length", limit: GGUFLimits.maxArrayElements, minimumSize: inner.minimumSize)
                try skipElements(inner, count: m, depth: depth + 1)
            }
        }
    }

    // MARK: - Tensor infos

    private mutating func tensorInfo() throws -> GGUFTensorInfo {
        let name = try string(limit: GGUFLimits.maxTensorNameBytes, what: "tensor name length")
        let dimsAt = r.offset
        let nDims = try r.u32()
        guard nDims <= GGUFLimits.maxDimensions else {
            throw GGUFError.absurdCount(what: "dimension count of tensor \"\(name)\"", count: UInt64(nDims),
                                        offset: dimsAt, limit: UInt64(GGUFLimits.maxDimensions))
        }
        var dims: [Int64] = []
        var elements: Int64 = 1
        for _ in 0..<nDims {
            let d = try r.u64()
            guard d <= UInt64(Int64.max) else {
                throw GGUFError.invalidTensor(name: name, reason: "dimension \(d) is negative as int64")
            }
            let (p, overflow) = elements.multipliedReportingOverflow(by: Int64(d))
            guard !overflow else { throw GGUFError.invalidTensor(name: name, reason: "element count overflows int64") }
            elements = p
            dims.append(Int64(d))
        }
        let rawType = try r.u32()
        guard let type = GGMLType.type(id: rawType) else { throw GGUFError.unknownTensorType(rawType, tensor: name) }
        let offset = try r.u64()
        let size = try Self.byteSize(name: name, dims: dims, elements: elements, type: type)
        return GGUFTensorInfo(name: name, dimensions: dims, type: type, offset: offset,
                              elementCount: elements, byteSize: size)
    }

    /// Bytes of a tensor: rows of ne[0] elements, each ne[0] / block size blocks (ggml_row_size).
    static func byteSize(name: String, dims: [Int64], elements: Int64, type: GGMLType) throws -> Int64 {
        let ne0 = dims.first ?? 1
        guard ne0 % Int64(type.blockSize) == 0 else {
            throw GGUFError.invalidTensor(name: name, reason: "row of \(ne0) elements is not a multiple of \(type.name)'s block size \(type.blockSize)")
        }
        let blocks = elements / Int64(type.blockSize)
        let (size, overflow) = blocks.multipliedReportingOverflow(by: Int64(type.typeSize))
        guard !overflow else { throw GGUFError.invalidTensor(name: name, reason: "byte size overflows int64") }
        return size
    }

    /// `general.alignment`: a power of two when present (gguf.cpp rejects anything else).
    static func alignment(_ metadata: [String: GGUFValue]) throws -> UInt64 {
        guard let v = metadata["general.alignment"] else { return 32 }
        guard let a = v.intValue, a > 0, a <= 1 << 30, a & (a - 1) == 0 else {
            throw GGUFError.invalidMetadata(key: "general.alignment", reason: "must be a power of two, got \(v)")
        }
        return UInt64(a)
    }
}
