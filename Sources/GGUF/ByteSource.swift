import Foundation

/// Random access to the bytes of a file or buffer, so the header parser never sees how they are stored.
protocol ByteSource {
    /// Total size in bytes.
    var size: UInt64 { get }
    /// Up to `count` bytes from `offset` (fewer only at the end).
    func read(offset: UInt64, count: Int) throws -> [UInt8]
    /// How much to read ahead at once: large for files (few syscalls), small for memory (little copying).
    var chunkSize: Int { get }
}

/// Bytes held in memory (tests and fuzzing).
struct MemorySource: ByteSource {
    let bytes: [UInt8]
    var size: UInt64 { UInt64(bytes.count) }
    var chunkSize: Int { 4096 }
    func read(offset: UInt64, count: Int) throws -> [UInt8] {
        let start = Int(min(offset, size))
        let end = min(bytes.count, start + count)
        return Array(bytes[start..<end])
    }
}

/// A file read through FileHandle in chunks; only the header's chunks are ever read, never the weights.
final class FileSource: ByteSource {
    let path: String
    let size: UInt64
    /// Big enough that a 150k-token vocabulary takes a few dozen reads.
    var chunkSize: Int { 1 << 20 }
    private let handle: FileHandle

    init(path: String) throws {
        self.path = path
        do {
            handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            size = try handle.seekToEnd()
        } catch {
            throw GGUFError.unreadable(path: path, reason: FileSource.reason(error))
        }
    }

    deinit { try? handle.close() }

    func read(offset: UInt64, count: Int) throws -> [UInt8] {
        do {
            try handle.seek(toOffset: offset)
            return [UInt8](try handle.read(upToCount: count) ?? Data())
        } catch {
            throw GGUFError.unreadable(path: path, reason: FileSource.reason(error))
        }
    }

    /// The POSIX message when there is one ("Permission denied"), not Foundation's long wrapper.
    static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        return ns.localizedDescription
    }
}
