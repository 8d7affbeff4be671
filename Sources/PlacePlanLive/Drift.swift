/// One way a running instance differs from its plan.
public struct Drift: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, CaseIterable, Sendable {
        /// No usable answer: connection refused, timeout, a non-2xx status or a body that is not JSON.
        case down
        /// A copy planned here is not in `/api/ps`.
        case missing
        /// `/api/ps` shows a model the plan puts on no instance.
        case extra
        /// `/api/ps` shows a model the plan puts on other instances, not this one.
        case wrong_instance
        /// `size_vram` is more than 10% away from the planned footprint.
        case size
        /// `context_length` is neither the planned ctx nor ctx × parallel.
        case context
    }

    public var instance: String
    public var kind: Kind
    /// The model as the plan names it (as `/api/ps` names it for `extra`); nil for `down`.
    public var model: String?
    /// One line for a person.
    public var message: String
    /// `missing`: whether `/api/tags` lists the model (pulled but not loaded).
    public var pulled: Bool?
    /// `wrong_instance`: the instances the plan puts the model on.
    public var planned_on: [String]?
    /// `size`: the plan's footprint, what Ollama reports and the relative difference.
    public var planned_bytes: Int64?
    public var size_vram: Int64?
    public var deviation: Double?
    /// `context`: the plan's ctx and what Ollama reports.
    public var planned_ctx: Int?
    public var context_length: Int?

    public init(instance: String, kind: Kind, model: String?, message: String, pulled: Bool? = nil, planned_on: [String]? = nil,
                planned_bytes: Int64? = nil, size_vram: Int64? = nil, deviation: Double? = nil, planned_ctx: Int? = nil, context_length: Int? = nil) {
        self.instance = instance; self.kind = kind; self.model = model; self.message = message; self.pulled = pulled
        self.planned_on = planned_on; self.planned_bytes = planned_bytes; self.size_vram = size_vram; self.deviation = deviation
        self.planned_ctx = planned_ctx; self.context_length = context_length
    }
}
