/// What one instance answered (or why it did not): the input of the drift check.
public struct Observation: Equatable, Sendable {
    public var instance: String
    public var outcome: Outcome

    public enum Outcome: Equatable, Sendable {
        /// All three endpoints answered 2xx with JSON.
        case answered(version: String?, running: [OllamaAPI.Running], available: [String])
        /// No usable answer; `reason` says which request failed and how.
        case down(reason: String)
    }

    public init(instance: String, outcome: Outcome) { self.instance = instance; self.outcome = outcome }
}
