import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds GGUF models in files, directories and Ollama stores (the engine of `placeplan scan`).
public enum ModelScanner {
    /// Scans every path (files, directories, Ollama stores), following symlinks without looping;
    /// a file that cannot be read becomes an error entry and the scan goes on. Sorted by path, then name.
    public static func scan(_ paths: [String]) -> [ScanEntry] {
        var walker = Walker()
        for p in paths { walker.visit(p, explicit: true) }
        return walker.entries.sorted { ($0.path, $0.name) < ($1.path, $1.name) }
    }

    /// The name of a plain GGUF file: its file name without ".gguf" and without "-00001-of-00003".
    /// (`general.name` is not used: it is often missing or shared by every quant of a model.)
    public static func modelName(path: String) -> String {
        var base = String(path.split(separator: "/").last ?? Substring(path))
        if let split = GGUFSplitName(path: base) { base = split.prefix }
        if base.lowercased().hasSuffix(".gguf") { base = String(base.dropLast(5)) }
        return base
    }

    /// The scan as JSON: an array of SPEC §6 objects, keys sorted, slashes unescaped.
    public static func json(_ entries: [ScanEntry]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        // Encoding strings and integers cannot fail.
        let data = (try? encoder.encode(entries)) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// Walks the file tree once, remembering what it has seen by device and inode.
private struct Walker {
    var entries: [ScanEntry] = []
    private var seenDirectories = Set<FileID>()
    private var seenFiles = Set<FileID>()
    private var orphanedSplits = Set<String>()

    mutating func visit(_ path: String, explicit: Bool) {
        let isGGUFName = path.lowercased().hasSuffix(".gguf")
        guard let st = FileID.lookup(path) else {
            // A dangling symlink or vanished file matters only where a model was expected.
            if explicit || isGGUFName {
                entries.append(ScanEntry(name: ModelScanner.modelName(path: path), path: path,
                                         error: "cannot read \(path): \(String(cString: strerror(errno)))"))
            }
            return
        }
        if st.isDirectory {
            visitDirectory(path, id: st.id)
        } else if st.isRegular, explicit || isGGUFName {
            visitFile(path, id: st.id, explicit: explicit)
        } else if explicit {
            // A FIFO or device named on the command line: say so rather than block on it or skip it silently.
            entries.append(ScanEntry(name: ModelScanner.modelName(path: path), path: path,
                                     error: "cannot read \(path): not a regular file or directory"))
        }
    }

    private mutating func visitDirectory(_ path: String, id: FileID) {
        // A directory reached twice (a symlink cycle or two routes to it) is walked once.
        guard seenDirectories.insert(id).inserted else { return }
        if OllamaStore.isStore(path) {
            visitStore(path)
            return
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            entries.append(ScanEntry(name: ModelScanner.modelName(path: path), path: path,
                                     error: "cannot read \(path): \(FileSource.reason(error))"))
            return
        }
        for n in names.sorted() where !n.hasPrefix(".") {
            visit(join(path, n), explicit: false)
        }
    }

    private mutating func visitFile(_ path: String, id: FileID, explicit: Bool) {
        var path = path
        var id = id
        if let split = GGUFSplitName(path: path), split.number != 1 {
            // Split models count once, by their first part: a later part met in a directory is
            // skipped, one named on the command line stands for the whole model.
            let first = split.path(part: 1)
            guard let st = FileID.lookup(first) else {
                // One error per orphaned set, not one per part.
                if orphanedSplits.insert(split.prefix).inserted {
                    entries.append(ScanEntry(name: ModelScanner.modelName(path: path), path: path,
                                             error: "part \(split.number) of \(split.count) of a split model; the first part \(first) cannot be read"))
                }
                return
            }
            guard explicit else { return }
            path = first
            id = st.id
        }
        guard seenFiles.insert(id).inserted else { return }
        let name = ModelScanner.modelName(path: path)
        do {
            entries.append(ScanEntry(name: name, path: path, info: try GGUFInfo.read(path: path)))
        } catch {
            entries.append(ScanEntry(name: name, path: path, error: "\(error)"))
        }
    }

    private mutating func visitStore(_ store: String) {
        let manifests: [String]
        do {
            manifests = try OllamaStore.manifestPaths(in: store)
        } catch {
            entries.append(ScanEntry(name: ModelScanner.modelName(path: store), path: store, error: "\(error)"))
            return
        }
        for m in manifests {
            let fallbackName = m.split(separator: "/").suffix(2).joined(separator: ":")
            let model: OllamaModel
            do {
                model = try OllamaStore.model(store: store, manifestPath: m)
            } catch {
                entries.append(ScanEntry(name: fallbackName, path: m, error: "\(error)"))
                continue
            }
            do {
                let info = try GGUFInfo(parts: [GGUFHeader.read(path: model.modelBlobPath)], paths: [model.modelBlobPath])
                entries.append(ScanEntry(name: model.name, path: model.modelBlobPath, info: info,
                                         projectorBytes: model.projectorBytes))
            } catch {
                entries.append(ScanEntry(name: model.name, path: model.modelBlobPath, error: "\(error)"))
            }
        }
    }
}

/// A file's identity (device and inode) and kind, after following symlinks.
private struct FileID: Hashable {
    let device: UInt64
    let inode: UInt64

    struct Status {
        let id: FileID
        let isDirectory: Bool
        let isRegular: Bool
    }

    static func lookup(_ path: String) -> Status? {
        var s = stat()
        guard stat(path, &s) == 0 else { return nil }
        let kind = s.st_mode & S_IFMT
        return Status(id: FileID(device: UInt64(s.st_dev), inode: UInt64(s.st_ino)),
                      isDirectory: kind == S_IFDIR, isRegular: kind == S_IFREG)
    }
}
