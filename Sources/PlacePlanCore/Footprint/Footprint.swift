/// The memory one copy of a model holds while loaded (SPEC §2): weights + KV cache + compute.
public struct Footprint: Equatable, Sendable {
    public var weights: Int64
    public var kvCache: Int64
    public var compute: Int64
    /// "footprints" (given whole), "gguf", "sizes" or "catalog": where `weights` came from.
    public var source: String
    /// Vision projector (mmproj) bytes a model loads beside its weights (Ollama loads every
    /// projector layer of the manifest; `llm/server.go` passes them to the runner).
    public var projector: Int64 = 0
    public var total: Int64 { source == "footprints" ? weights : weights + kvCache + compute + projector }
    /// Given whole by `footprints[quant]`: the parts are unknown and reported as total/0/0.
    public static func given(_ total: Int64) -> Footprint { Footprint(weights: total, kvCache: 0, compute: 0, source: "footprints") }
}

/// Run-time settings that change the footprint.
public struct RuntimeOptions: Equatable, Sendable {
    public var ctx: Int
    public var parallel: Int
    public var kvType: KVType
    public var flashAttention: Bool
    public var ubatch: Int
    public init(ctx: Int, parallel: Int, kvType: KVType = .f16, flashAttention: Bool = true, ubatch: Int = 512) {
        self.ctx = ctx; self.parallel = parallel; self.kvType = kvType; self.flashAttention = flashAttention; self.ubatch = ubatch
    }
}

public enum FootprintModel {
    /// Weights estimated from a parameter count: `params × bits_per_weight / 8` (SPEC §2), rounded up.
    public static func weights(params: Int64, bitsPerWeight: Double) -> Int64 {
        Int64((Double(params) * bitsPerWeight / 8).rounded(.up))
    }

    /// KV cache: `2 × layers × kv_heads × head_dim × cells × kv_bytes` (SPEC §2; llama.cpp
    /// `llama_kv_cache` allocates one K and one V row per layer and cell).
    /// Full-attention layers hold `ctx × parallel` cells. Sliding-window layers (gemma2) hold what
    /// llama.cpp's SWA cache holds (llama-server's default, `swa_full` off): `min(ctx × parallel,
    /// pad256(window + ubatch))` cells, whatever `parallel` is — measured with llama-cpp-python 0.3.36:
    /// Gemma 2 9B at 32k × 4 parallel keeps 4608 window cells per SWA layer
    /// (Benchmarks/footprint-vs-llamacpp/measured.json; the test checks every row exactly).
    public static func kvCache(_ a: Architecture, _ o: RuntimeOptions) -> Int64 {
        let cellsFull = Int64(o.ctx) * Int64(o.parallel)
        var cellsSWA = cellsFull
        if let w = a.slidingWindow, a.slidingLayers > 0 {
            cellsSWA = min(cellsFull, pad(Int64(w) + Int64(o.ubatch), 256))
        }
        let perCell = 2 * Int64(a.kvHeads) * Int64(a.headDim)
        let elements = perCell * (Int64(a.layers - a.slidingLayers) * cellsFull + Int64(a.slidingLayers) * cellsSWA)
        // kv_bytes as sixteenths: f16 32/16, q8_0 17/16 (34 B per 32), q4_0 9/16 (18 B per 32).
        return (elements * o.kvType.sixteenths + 15) / 16
    }

    /// The compute (graph) buffer llama.cpp reserves for one ubatch, plus its output buffer.
    ///
    /// llama.cpp reserves the graph of one worst-case ubatch (`ub = min(ubatch, ctx × parallel)` tokens, all
    /// of them outputs) and its graph allocator reuses memory between stages, so the buffer is the largest
    /// live set of one stage. The model, driven by the architecture, is the largest of:
    /// - **logits**: `vocab × ub × 4` beside two embedding-sized f32 activations `2 × emb × ub × 4`
    ///   (Llama 3 8B: 250.5 + 16 = 266.5 MiB at every context with flash attention; Gemma 2's 256k vocabulary
    ///   makes it 500 MiB + activations, soft-capping included: the scale/tanh/scale run in place);
    /// - **feed-forward**: four `ffEff × ub × 4` activations (gate, up, activation, product) plus
    ///   `emb × ub × 2`, where `ffEff` is the feed-forward width × experts used for a mixture of experts
    ///   (Mixtral routes each token through 2 experts), beside the attention mask: f16 `ctx × ub × 2` with
    ///   flash attention, f32 `ctx × ub × 4` without (Mistral 7B with flash attention: 116 MiB + mask,
    ///   measured 118 MiB at 2k, 244 at 128k);
    /// - **attention scores**, without flash attention only: `heads × ctx × ub × 4` beside the f32 mask and
    ///   about `22 × emb × ub` bytes of activations (Llama 3 8B at 32k: 2048 + 64 + 44 = 2156 MiB, measured
    ///   2156.01).
    /// Sliding-window models (Gemma 2) add a second mask over the window cache's cells.
    /// `ctx` is `ctx × parallel`: llama.cpp's reserve does not depend on `parallel` for the same total, the
    /// KV type (quantized K/V change it by < 10 MiB) or the layer count (the allocator reuses one set of
    /// buffers for every layer: 4 and 32 layers of Llama 3.1 8B reserve the same).
    /// Measured: Benchmarks/footprint-vs-llamacpp (llama-cpp-python 0.3.36, CPU backend, every catalog
    /// architecture over ctx 2k–128k, parallel 1/4, flash attention on/off, KV f16/q8_0/q4_0, ubatch
    /// 512/1024), where every row is within 5% or 64 MiB of llama.cpp's KV + compute + output.
    /// Approximate: the fused QKV of phi3 (its flash-attention buffer is ~15 MiB above this model at 2k),
    /// the `22 × emb` activation term (±20 MiB), and other backends: CUDA and Metal reserve the same graph,
    /// their allocators differ by a few MiB, and CUDA may add a small host-side buffer.
    public static func compute(_ a: Architecture, _ o: RuntimeOptions) -> Int64 {
        let ctx = Int64(o.ctx) * Int64(o.parallel)
        let ub = min(Int64(o.ubatch), max(ctx, 1))
        let emb = Int64(a.embedding), vocab = Int64(a.vocab)
        let ffEff = Int64(a.feedForward) * Int64(max(1, a.expertsUsed))
        let maskBytes: Int64 = o.flashAttention ? 2 : 4
        var mask = ctx * ub * maskBytes
        if let w = a.slidingWindow, a.slidingLayers > 0 {
            mask += min(ctx, pad(Int64(w) + Int64(o.ubatch), 256)) * ub * maskBytes
        }
        let logits = vocab * ub * 4 + 2 * emb * ub * 4
        let ffn = 4 * ffEff * ub * 4 + emb * ub * 2 + mask
        var stage = max(logits, ffn)
        if !o.flashAttention {
            stage = max(stage, Int64(a.heads) * ctx * ub * 4 + mask + 22 * emb * ub)
        }
        let output = vocab * 4
        return stage + output
    }

    /// Architectures whose graphs `compute` was measured on (Benchmarks/footprint-vs-llamacpp): the catalog's
    /// shapes and the GGUF `general.architecture` names they load as.
    public static let modelledArchitectures: Set<String> = ["llama", "qwen2", "gemma2", "phi3"]

    public static func isModelled(_ a: Architecture) -> Bool {
        modelledArchitectures.contains(a.id.lowercased()) || Catalog.lookup(a.id) != nil
    }

    /// The compute buffer, and whether it is a fallback: for an architecture the model was not measured on
    /// (a GGUF whose `general.architecture` is unknown: its weights are still the file size and its KV cache
    /// still comes from the header), the same llama-like graph is assumed, plus 25% and at least 512 MiB,
    /// because other graphs (recurrent state, MLA, vision towers) add buffers this model does not know.
    public static func computeEstimate(_ a: Architecture, _ o: RuntimeOptions) -> (bytes: Int64, fallback: Bool) {
        let c = compute(a, o)
        if isModelled(a) { return (c, false) }
        return (max(c + c / 4, 512 * 1_048_576), true)
    }

    static func pad(_ x: Int64, _ n: Int64) -> Int64 { (x + n - 1) / n * n }
}
