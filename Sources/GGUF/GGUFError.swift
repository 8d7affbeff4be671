import Foundation

/// Why a GGUF header, a split set or an Ollama store could not be read.
public enum GGUFError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// The data ends before a field that the header says is there.
    case truncated(offset: UInt64, needed: UInt64, fileSize: UInt64)
    /// The first four bytes are not "GGUF".
    case badMagic([UInt8])
    /// A GGUF version other than 2 or 3 (v1 used 32-bit counts; later versions are unknown).
    case unsupportedVersion(UInt32)
    /// A byte-swapped (big-endian) GGUF, which llama.cpp on every placeplan host cannot load either.
    case bigEndian(version: UInt32)
    /// A count or length larger than the bytes left in the file or a sane maximum.
    case absurdCount(what: String, count: UInt64, offset: UInt64, limit: UInt64)
    /// A metadata value type outside 0...12 (gguf.md `gguf_metadata_value_type`).
    case unknownValueType(UInt32, offset: UInt64)
    /// Arrays nested deeper than the reader allows.
    case nestingTooDeep(offset: UInt64, limit: Int)
    /// The same metadata key appears twice (gguf.cpp rejects this too).
    case duplicateKey(String)
    /// A metadata value that llama.cpp would refuse, such as a non power-of-two alignment.
    case invalidMetadata(key: String, reason: String)
    /// A tensor type id that is not in ggml's type_traits table (or was removed from it).
    case unknownTensorType(UInt32, tensor: String)
    /// A tensor whose shape cannot be stored (overflow, row not a multiple of the block size, duplicate name).
    case invalidTensor(name: String, reason: String)
    /// A tensor's data would end past the end of the file: the file is cut short.
    case tensorDataOutOfBounds(name: String, end: UInt64, fileSize: UInt64)
    /// The file could not be opened or read.
    case unreadable(path: String, reason: String)
    /// A split model whose parts are missing or disagree.
    case invalidSplit(path: String, reason: String)
    /// An Ollama manifest that cannot be used.
    case invalidManifest(path: String, reason: String)

    public var description: String {
        switch self {
        case let .truncated(offset, needed, fileSize):
            return "truncated at byte \(fileSize): needed \(needed) byte(s) at offset \(offset)"
        case let .badMagic(bytes):
            let hex = bytes.map { String(format: "%02x", $0) }.joined(separator: " ")
            let text = String(decoding: bytes.map { (32..<127).contains($0) ? $0 : UInt8(ascii: ".") }, as: UTF8.self)
            return "not a GGUF file: magic is \(hex) (\"\(text)\"), expected 47 47 55 46 (\"GGUF\")"
        case let .unsupportedVersion(v):
            if v == 1 { return "GGUF version 1 is not supported (32-bit counts); re-convert the model with a current llama.cpp" }
            return "unsupported GGUF version \(v) (this reader knows versions 2 and 3)"
        case let .bigEndian(v):
            return "big-endian GGUF (version \(v) byte-swapped) is not supported; use the little-endian file"
        case let .absurdCount(what, count, offset, limit):
            return "absurd \(what) \(count) at offset \(offset) (at most \(limit) possible here)"
        case let .unknownValueType(t, offset):
            return "unknown metadata value type \(t) at offset \(offset)"
        case let .nestingTooDeep(offset, limit):
            return "arrays nested deeper than \(limit) levels at offset \(offset)"
        case let .duplicateKey(key):
            return "duplicate metadata key \"\(key)\""
        case let .invalidMetadata(key, reason):
            return "invalid metadata \"\(key)\": \(reason)"
        case let .unknownTensorType(t, name):
            return "tensor \"\(name)\" has unknown ggml type \(t)"
        case let .invalidTensor(name, reason):
            return "invalid tensor \"\(name)\": \(reason)"
        case let .tensorDataOutOfBounds(name, end, fileSize):
            return "truncated at byte \(fileSize): tensor \"\(name)\" data ends at byte \(end)"
        case let .unreadable(path, reason):
            return "cannot read \(path): \(reason)"
        case let .invalidSplit(path, reason):
            return "split model \(path): \(reason)"
        case let .invalidManifest(path, reason):
            return "Ollama manifest \(path): \(reason)"
        }
    }

    public var errorDescription: String? { description }
}
