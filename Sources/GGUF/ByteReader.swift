/// A forward cursor over a ByteSource that buffers one chunk at a time and checks every
/// read against the bytes that remain, so a lying length field fails instead of allocating.
struct ByteReader {
    private let source: ByteSource
    private var buffer: [UInt8] = []
    private var bufferStart: UInt64 = 0
    private var index = 0

    init(_ source: ByteSource) { self.source = source }

    var size: UInt64 { source.size }
    var offset: UInt64 { bufferStart + UInt64(index) }
    var remaining: UInt64 { size - offset }

    /// Makes `n` bytes available in the buffer, or throws `truncated` naming where the data ends.
    private mutating func ensure(_ n: Int) throws {
        if buffer.count - index >= n { return }
        guard UInt64(n) <= remaining else {
            throw GGUFError.truncated(offset: offset, needed: UInt64(n), fileSize: size)
        }
        let start = offset
        let chunk = try source.read(offset: start, count: max(n, source.chunkSize))
        guard chunk.count >= n else {
            // The file shrank under us; report what was really there.
            throw GGUFError.truncated(offset: start, needed: UInt64(n), fileSize: start + UInt64(chunk.count))
        }
        buffer = chunk
        bufferStart = start
        index = 0
    }

    mutating func skip(_ n: UInt64) throws {
        guard n <= remaining else { throw GGUFError.truncated(offset: offset, needed: n, fileSize: size) }
        let inBuffer = UInt64(buffer.count - index)
        if n <= inBuffer {
            index += Int(n)
        } else {
            bufferStart = offset + n
            buffer = []
            index = 0
        }
    }

    mutating func bytes(_ n: Int) throws -> ArraySlice<UInt8> {
        try ensure(n)
        defer { index += n }
        return buffer[index..<index + n]
    }

    mutating func u8() throws -> UInt8 {
        try ensure(1)
        defer { index += 1 }
        return buffer[index]
    }

    /// Little-endian integers, as GGUF stores them (gguf.md: "little-endian by default").
    mutating func u16() throws -> UInt16 { try load(UInt16.self).littleEndian }
    mutating func u32() throws -> UInt32 { try load(UInt32.self).littleEndian }
    mutating func u64() throws -> UInt64 { try load(UInt64.self).littleEndian }

    private mutating func load<T: FixedWidthInteger>(_: T.Type) throws -> T {
        let n = MemoryLayout<T>.size
        try ensure(n)
        let v = buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: index, as: T.self) }
        index += n
        return v
    }
}
