import Foundation
import GGUF
import PlacePlanCore

/// Reads GGUF headers for the core (filled in with the GGUF module).
enum GGUFBridge {
    static func read(_ path: String) throws -> GGUFFacts {
        do { return GGUFFacts(info: try GGUFInfo.read(path: path)) } catch {
            throw InvalidInput([Diagnostic(file: path, field: "", message: "is not a readable GGUF file: \(error)", fix: "check the path, or give a catalog model name such as llama3:8b")])
        }
    }
}

