import Foundation

/// The parts of Ollama's read-only API that `verify` reads. Unknown fields are ignored and every
/// field is optional, so an older or newer server still decodes.
///
/// Shapes follow docs.ollama.com/api/ps (OpenAPI `PsResponse`: `name`, `model`, `size`, `digest`,
/// `details`, `expires_at`, `size_vram`, `context_length`) and Ollama's `server/routes.go`
/// `PsHandler`, which fills `context_length` from the runner (`llama.ContextLength()`) and
/// `size`/`size_vram` from the runner's measured memory; `/api/version` answers
/// `{"version": "0.5.1"}` and `/api/tags` `{"models": [{"name", "model", "size", "digest", …}]}`.
public enum OllamaAPI {
    public struct Version: Codable, Equatable, Sendable {
        public var version: String?
    }

    public struct Running: Codable, Equatable, Sendable {
        public var name: String?
        public var model: String?
        public var size: Int64?
        public var size_vram: Int64?
        public var digest: String?
        public var expires_at: String?
        public var context_length: Int?
        public init(name: String?, model: String? = nil, size: Int64? = nil, size_vram: Int64? = nil, digest: String? = nil, expires_at: String? = nil, context_length: Int? = nil) {
            self.name = name; self.model = model; self.size = size; self.size_vram = size_vram
            self.digest = digest; self.expires_at = expires_at; self.context_length = context_length
        }
        /// `name`, else `model` (both hold the short name in current Ollama).
        public var displayName: String { name ?? model ?? "" }
    }

    public struct PS: Codable, Equatable, Sendable {
        public var models: [Running]?
    }

    public struct Tag: Codable, Equatable, Sendable {
        public var name: String?
        public var model: String?
    }

    public struct Tags: Codable, Equatable, Sendable {
        public var models: [Tag]?
    }
}
