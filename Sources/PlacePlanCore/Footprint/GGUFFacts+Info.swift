import Foundation
import GGUF

extension GGUFFacts {
    /// Footprint facts from a GGUF header: exact weight bytes (every part of a split model), the
    /// quantization (`general.file_type`), and the architecture's shape.
    public init(info: GGUFInfo) {
        let heads = info.heads ?? 1
        let layers = info.layers ?? 0
        let arch = info.architecture ?? "unknown"
        // gemma2/gemma3 alternate sliding-window and global layers (llama.cpp llama-model.cpp: swa pattern 2 for gemma2).
        let slidingLayers = info.slidingWindow == nil ? 0 : (arch == "gemma2" ? layers / 2 : (arch.hasPrefix("gemma3") ? layers * 5 / 6 : 0))
        self.init(quant: info.fileType.flatMap { Quant(parsing: $0) }, fileBytes: info.fileBytes,
                  shape: Architecture(id: arch, params: info.params, layers: layers, embedding: info.embedding ?? 0, heads: heads,
                                      kvHeads: info.kvHeads ?? heads, headDim: info.headDim ?? 0, feedForward: info.feedForward ?? 0,
                                      vocab: info.vocab ?? 0, ctxTrain: info.ctxTrain ?? 0, slidingWindow: slidingLayers > 0 ? info.slidingWindow : nil,
                                      slidingLayers: slidingLayers, experts: info.expertCount ?? 0, expertsUsed: info.expertUsedCount ?? 0))
    }

    /// Reads a local GGUF, or nil when the file is not on this machine (a path on the host to be
    /// planned). A file that is here but is not a readable GGUF throws, saying why.
    public static func readIfPresent(_ path: String) throws -> GGUFFacts? {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { return nil }
        if isDir.boolValue { throw UnreadableGGUF(reason: "is a directory, not a .gguf file") }
        do { return GGUFFacts(info: try GGUFInfo.read(path: path)) } catch {
            throw UnreadableGGUF(reason: "is not a readable GGUF file (\(error))")
        }
    }
}

/// A `gguf:` path that exists here but cannot be read as a GGUF model.
public struct UnreadableGGUF: Error, Equatable, Sendable {
    public var reason: String
}
