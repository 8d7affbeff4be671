/// The shape of a transformer, as far as memory is concerned.
public struct Architecture: Equatable, Sendable, Codable {
    /// Built-in id, e.g. "llama3-70b", or the GGUF `general.architecture`.
    public var id: String
    public var params: Int64
    public var layers: Int
    public var embedding: Int
    public var heads: Int
    public var kvHeads: Int
    public var headDim: Int
    public var feedForward: Int
    public var vocab: Int
    public var ctxTrain: Int
    /// Sliding-window size for the layers that use it (gemma2: every other layer).
    public var slidingWindow: Int?
    /// How many of `layers` use the sliding window.
    public var slidingLayers: Int
    public var experts: Int
    public var expertsUsed: Int

    public init(id: String, params: Int64, layers: Int, embedding: Int, heads: Int, kvHeads: Int, headDim: Int,
                feedForward: Int, vocab: Int, ctxTrain: Int, slidingWindow: Int? = nil, slidingLayers: Int = 0,
                experts: Int = 0, expertsUsed: Int = 0) {
        self.id = id; self.params = params; self.layers = layers; self.embedding = embedding; self.heads = heads
        self.kvHeads = kvHeads; self.headDim = headDim; self.feedForward = feedForward; self.vocab = vocab
        self.ctxTrain = ctxTrain; self.slidingWindow = slidingWindow; self.slidingLayers = slidingLayers
        self.experts = experts; self.expertsUsed = expertsUsed
    }

    /// Parameters read per decoded token: all of them for a dense model, the shared part plus the
    /// active experts for a mixture of experts (3 FFN matrices of embedding × feedForward per expert).
    public var activeParams: Int64 {
        guard experts > 1, expertsUsed > 0 else { return params }
        let perExpert = Int64(layers) * 3 * Int64(embedding) * Int64(feedForward)
        return params - Int64(experts - expertsUsed) * perExpert
    }
}
