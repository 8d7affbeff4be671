import ArgumentParser
import Foundation
import PlacePlanCore

/// Shell completion of profile names and catalog model names (`placeplan --generate-completion-script`).
enum Completions {
    /// Profiles found as `--profile NAME` would find them: beside a cluster file already on the
    /// command line, in the working directory, `$PLACEPLAN_PROFILES`, or beside the executable.
    static let profiles = CompletionKind.custom { words, _, prefix in
        let cluster = words.first { w in [".yaml", ".yml", ".json"].contains { w.hasSuffix($0) } && FileManager.default.fileExists(atPath: w) }
        return Env.locator(cluster: cluster).available().filter { $0.hasPrefix(prefix) }
    }

    /// The built-in catalog's Ollama names (`llama3:70b`, `qwen2.5:32b`, …).
    static let models = CompletionKind.custom { _, _, prefix in
        Array(Set(Catalog.entries.flatMap(\.names).filter { $0.contains(":") })).sorted().filter { $0.hasPrefix(prefix) }
    }
}
