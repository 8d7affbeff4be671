import Foundation

/// One tag of an Ollama store: its manifest and the blobs it names.
public struct OllamaModel: Sendable, Equatable {
    /// The Ollama name, e.g. "llama3:8b" (default registry and `library/` dropped).
    public var name: String
    /// The manifest file.
    public var manifestPath: String
    /// The GGUF blob of the `application/vnd.ollama.image.model` layer.
    public var modelBlobPath: String
    /// The projector (vision mmproj) blobs.
    public var projectorBlobPaths: [String]
    /// Σ sizes of the projector layers as the manifest states them.
    public var projectorBytes: Int64
}

/// Reads an Ollama model store (`$OLLAMA_MODELS`: `manifests/<registry>/<namespace>/<model>/<tag>`
/// and `blobs/sha256-<hex>`; ollama `manifest/paths.go`).
public enum OllamaStore {
    static let modelMediaType = "application/vnd.ollama.image.model"
    static let projectorMediaType = "application/vnd.ollama.image.projector"
    static let defaultRegistry = "registry.ollama.ai"
    static let defaultNamespace = "library"

    /// True when `directory` holds both `manifests/` and `blobs/`.
    public static func isStore(_ directory: String) -> Bool {
        isDirectory(join(directory, "manifests")) && isDirectory(join(directory, "blobs"))
    }

    /// The manifest files of a store, sorted: exactly four levels below `manifests/`.
    public static func manifestPaths(in store: String) throws -> [String] {
        var found: [String] = []
        func walk(_ dir: String, depth: Int) throws {
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: dir)
            } catch {
                throw GGUFError.unreadable(path: dir, reason: FileSource.reason(error))
            }
            for n in names.sorted() where !n.hasPrefix(".") {
                let p = join(dir, n)
                // The depth limit also stops any symlink cycle inside manifests/.
                if depth < 4, isDirectory(p) {
                    try walk(p, depth: depth + 1)
                } else if depth == 4, !isDirectory(p) {
                    found.append(p)
                }
            }
        }
        try walk(join(store, "manifests"), depth: 1)
        return found
    }

    /// The Ollama name for a manifest path's last four components.
    public static func name(registry: String, namespace: String, model: String, tag: String) -> String {
        if registry == defaultRegistry {
            return namespace == defaultNamespace ? "\(model):\(tag)" : "\(namespace)/\(model):\(tag)"
        }
        return "\(registry)/\(namespace)/\(model):\(tag)"
    }

    /// Parses one manifest of `store` and locates its model and projector blobs.
    public static func model(store: String, manifestPath: String) throws -> OllamaModel {
        let parts = manifestPath.split(separator: "/", omittingEmptySubsequences: true).suffix(4).map(String.init)
        guard parts.count == 4 else {
            throw GGUFError.invalidManifest(path: manifestPath, reason: "expected manifests/<registry>/<namespace>/<model>/<tag>")
        }
        let name = name(registry: parts[0], namespace: parts[1], model: parts[2], tag: parts[3])
        let data: Data
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: manifestPath)
            // Real manifests are a few hundred bytes; refuse to slurp anything huge.
            if let size = attributes[.size] as? NSNumber, size.int64Value > 16 << 20 {
                throw GGUFError.invalidManifest(path: manifestPath, reason: "\(size) bytes is too large for a manifest")
            }
            data = try Data(contentsOf: URL(fileURLWithPath: manifestPath))
        } catch let e as GGUFError {
            throw e
        } catch {
            throw GGUFError.unreadable(path: manifestPath, reason: FileSource.reason(error))
        }
        let manifest: Manifest
        do {
            manifest = try JSONDecoder().decode(Manifest.self, from: data)
        } catch {
            throw GGUFError.invalidManifest(path: manifestPath, reason: "not a manifest JSON (\(error.localizedDescription))")
        }
        guard let layer = manifest.layers.first(where: { $0.mediaType == modelMediaType }) else {
            throw GGUFError.invalidManifest(path: manifestPath, reason: "no \(modelMediaType) layer (not a GGUF model)")
        }
        let projectors = manifest.layers.filter { $0.mediaType == projectorMediaType }
        return OllamaModel(
            name: name, manifestPath: manifestPath,
            modelBlobPath: try blobPath(store: store, digest: layer.digest, manifest: manifestPath),
            projectorBlobPaths: try projectors.map { try blobPath(store: store, digest: $0.digest, manifest: manifestPath) },
            projectorBytes: projectors.reduce(0) { $0 + max(0, $1.size ?? 0) })
    }

    /// `blobs/sha256-<hex>` for "sha256:<hex>"; anything else is refused so a digest cannot name a path outside the store.
    static func blobPath(store: String, digest: String, manifest: String) throws -> String {
        let hex = digest.dropFirst(7)
        guard digest.hasPrefix("sha256:") || digest.hasPrefix("sha256-"), hex.count == 64,
              hex.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            throw GGUFError.invalidManifest(path: manifest, reason: "bad digest \"\(digest)\"")
        }
        return join(join(store, "blobs"), "sha256-" + hex)
    }

    private struct Manifest: Decodable {
        var layers: [Layer]
    }

    private struct Layer: Decodable {
        var mediaType: String
        var digest: String
        var size: Int64?
    }
}

/// Joins a directory and a name without doubling the slash.
func join(_ directory: String, _ name: String) -> String {
    directory.hasSuffix("/") ? directory + name : directory + "/" + name
}

/// True when `path` is (or links to) a directory.
func isDirectory(_ path: String) -> Bool {
    var dir: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &dir) && dir.boolValue
}
