import Foundation

/// Ollama model names as the server compares them.
///
/// Ollama's name parser (`types/model/name.go`) fills a missing host with `registry.ollama.ai`,
/// a missing namespace with `library` and a missing tag with `latest`, and compares names
/// case-insensitively; `/api/ps` then shows the shortest form (`llama3:latest`). So `llama3`,
/// `llama3:latest` and `registry.ollama.ai/library/llama3:latest` are one model here.
public enum OllamaName {
    /// The shortest lower-cased form with an explicit tag: `llama3` → `llama3:latest`.
    public static func canonical(_ name: String) -> String {
        var n = name.trimmingCharacters(in: .whitespaces).lowercased()
        for prefix in ["registry.ollama.ai/", "library/"] where n.hasPrefix(prefix) {
            n.removeFirst(prefix.count)
        }
        let last = n.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        if !last.contains(":") { n += ":latest" }
        return n
    }

    public static func same(_ a: String, _ b: String) -> Bool { canonical(a) == canonical(b) }
}
