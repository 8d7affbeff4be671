import Foundation

/// Finds profile files: a path, or a name looked up in `$PLACEPLAN_PROFILES`, then in a `Profiles/`
/// folder beside the cluster file or any of its parents, the working directory, or the executable's
/// parents (so a built binary inside the repository finds the repository's `Profiles/`).
public struct ProfileLocator: Sendable {
    public var searchDirs: [String]

    public init(clusterPath: String?, executablePath: String?, environment: [String: String], cwd: String) {
        var dirs: [String] = []
        if let env = environment["PLACEPLAN_PROFILES"], !env.isEmpty { dirs.append(env) }
        func ancestors(_ path: String) -> [String] {
            var out: [String] = []
            var url = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent()
            for _ in 0..<12 {
                out.append(url.appendingPathComponent("Profiles").path)
                let parent = url.deletingLastPathComponent()
                if parent.path == url.path { break }
                url = parent
            }
            return out
        }
        if let c = clusterPath { dirs += ancestors(URL(fileURLWithPath: c, relativeTo: URL(fileURLWithPath: cwd, isDirectory: true)).path) }
        dirs.append(URL(fileURLWithPath: cwd).appendingPathComponent("Profiles").path)
        if let e = executablePath {
            let resolved = URL(fileURLWithPath: e).resolvingSymlinksInPath().path
            dirs += ancestors(resolved)
        }
        var seen = Set<String>()
        searchDirs = dirs.filter { seen.insert($0).inserted }
    }

    /// The first directory that exists.
    public var profilesDir: String? {
        searchDirs.first { var d: ObjCBool = false; return FileManager.default.fileExists(atPath: $0, isDirectory: &d) && d.boolValue }
    }

    /// Names of the available profiles, sorted.
    public func available() -> [String] {
        guard let dir = profilesDir, let items = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [] }
        return items.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
            .map { String($0.prefix(upTo: $0.lastIndex(of: ".")!)) }.sorted()
    }

    /// Loads a profile by name or path. Throws MissingInput / InvalidInput.
    public func load(_ nameOrPath: String) throws -> Profile {
        let looksLikePath = nameOrPath.contains("/") || nameOrPath.hasSuffix(".yaml") || nameOrPath.hasSuffix(".yml") || nameOrPath.hasSuffix(".json")
        var path: String?
        if looksLikePath {
            path = nameOrPath
            guard FileManager.default.fileExists(atPath: nameOrPath) else {
                throw MissingInput(path: nameOrPath, reason: "profile file does not exist")
            }
        } else if let dir = profilesDir {
            for ext in ["yaml", "yml", "json"] {
                let p = (dir as NSString).appendingPathComponent("\(nameOrPath).\(ext)")
                if FileManager.default.fileExists(atPath: p) { path = p; break }
            }
        }
        guard let path else {
            let avail = available()
            let near = suggestion(for: nameOrPath, among: avail)
            throw InvalidInput([Diagnostic(file: profilesDir ?? "Profiles/", field: "profile",
                message: "\"\(nameOrPath)\" is not a known profile",
                fix: (near.map { "did you mean `\($0)`? " } ?? "") + (avail.isEmpty ? "no Profiles/ folder was found; give a path, or set PLACEPLAN_PROFILES" : "available: \(avail.joined(separator: ", "))"))])
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw MissingInput(path: path, reason: "cannot be read")
        }
        let base = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        var p = try Profile.decode(text, file: path, name: base)
        if p.name.isEmpty { p.name = base }
        return p
    }
}
