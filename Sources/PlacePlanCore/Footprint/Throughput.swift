/// Single-stream decode speed, from a roofline with a fixed cost per token:
/// `seconds per token = bytes read per token ÷ (η × bandwidth) + c`.
///
/// Decode is memory-bound: every dense weight is read once per token (the token-embedding table is
/// not: one row is read, so it is left out; a mixture of experts reads only its active experts).
/// η and c are fitted per device class on published llama.cpp measurements:
/// - Apple: llama.cpp discussion #4167 ("Performance of llama.cpp on Apple Silicon M-series"),
///   M2 Ultra 76-core (800 GB/s), LLaMA 2 7B tg128: F16 41.02 t/s, Q4_0 94.27 t/s → η 0.88, c 5.1 ms
///   (the Q8_0 row, 66.64 t/s, is predicted at 65 t/s).
/// - NVIDIA: XiongjieDai/GPU-Benchmarks-on-LLM-Inference, Llama 3 8B tg: RTX 4090 (1008 GB/s)
///   Q4_K_M 127.74 / F16 54.34 t/s, RTX 3090 (936 GB/s) 111.74 / 46.51 t/s → η 0.93, c 3.3 ms.
/// Approximate: builds differ by ~25%, and models sharing a device share its bandwidth when busy together.
public enum Throughput {
    public struct Fit: Sendable { public var efficiency: Double; public var fixedSeconds: Double }
    public static let apple = Fit(efficiency: 0.88, fixedSeconds: 0.0051)
    public static let nvidia = Fit(efficiency: 0.93, fixedSeconds: 0.0033)

    /// Bytes read per decoded token: the weights minus the token-embedding table, scaled to active experts.
    public static func bytesPerToken(weights: Int64, shape: Architecture?, bitsPerWeight: Double) -> Int64 {
        guard let s = shape, s.params > 0 else { return weights }
        // A tied embedding is also the output head, read in full every token (Gemma 2, Llama 3.2).
        let embedding = TensorLayout.tiedEmbeddings(s) ? 0 : Int64(Double(s.vocab) * Double(s.embedding) * bitsPerWeight / 8)
        let dense = max(weights - embedding, weights / 2)
        if s.experts > 1 { return Int64(Double(dense) * Double(s.activeParams) / Double(s.params)) }
        return dense
    }

    /// Tokens per second for one stream alone on a device of `bandwidthGBps`.
    public static func decodeTokensPerSecond(bytesPerToken: Int64, bandwidthGBps: Double, unified: Bool) -> Double {
        let fit = unified ? apple : nvidia
        let t = Double(bytesPerToken) / (fit.efficiency * bandwidthGBps * 1e9) + fit.fixedSeconds
        return (1 / t * 10).rounded() / 10
    }
}

/// Prompt processing (prefill) and cold loads (SPEC §8).
extension Throughput {
    /// Prefill is compute-bound: about 2 × active parameters FLOPs per prompt token, at a fitted
    /// fraction of the device's FP32 TFLOPS:
    /// `prefill tokens/s = η × TFLOPS × 10¹² ÷ (2 × active params)`.
    /// η fitted on llama.cpp's published pp512 rows:
    /// - Apple: discussion #4167, M2 Ultra 76-core, LLaMA 2 7B (6.74 B) Q4_0 pp512 1238.48 t/s; the
    ///   76 cores give 76 × 128 ALUs × 2 × 1.398 GHz = 27.2 TFLOPS → η = 0.61.
    /// - NVIDIA: XiongjieDai/GPU-Benchmarks-on-LLM-Inference, Llama 3 8B (8.03 B) Q4_K_M pp512 on an
    ///   RTX 3090 (35.58 TFLOPS FP32) 3865.39 t/s → η = 1.74 (tensor cores run the matrix products
    ///   faster than the FP32 rate; the RTX 4090 row, 6898.71 t/s, is predicted at 8,960: +30%).
    /// Approximate: quantization type, context length and build change it by tens of percent.
    public static let applePrefillEfficiency = 0.61
    public static let nvidiaPrefillEfficiency = 1.74

    /// FP32 TFLOPS of one Apple GPU core by generation: 128 ALUs × 2 FLOPs × clock
    /// (M1 1.278 GHz, M2 1.398, M3 1.38, M4 1.58).
    public static func appleCoreTFLOPS(chip: String) -> Double? {
        let c = chip.lowercased().replacingOccurrences(of: "apple ", with: "").replacingOccurrences(of: "-", with: " ")
        let clock: Double
        if c.hasPrefix("m1") { clock = 1.278 } else if c.hasPrefix("m2") { clock = 1.398 }
        else if c.hasPrefix("m3") { clock = 1.38 } else if c.hasPrefix("m4") { clock = 1.58 } else { return nil }
        return 128 * 2 * clock / 1000
    }

    public static func prefillTokensPerSecond(activeParams: Int64, tflops: Double, unified: Bool) -> Double? {
        guard activeParams > 0, tflops > 0 else { return nil }
        let eta = unified ? applePrefillEfficiency : nvidiaPrefillEfficiency
        return (eta * tflops * 1e12 / (2 * Double(activeParams))).rounded()
    }

    /// Seconds the runtime needs besides reading the weights: starting the runner process,
    /// allocating the KV cache and reserving the compute graph (about 1–2 s on llama.cpp-based
    /// servers; this is an assumption placeplan states, not a measurement of Ollama).
    public static let loadOverheadSeconds = 1.5

    /// `cold_start_s = weights ÷ store_read + load overhead`, rounded to 0.1 s.
    public static func coldStartSeconds(weights: Int64, storeReadGBps: Double) -> Double {
        ((Double(weights) / (storeReadGBps * 1e9) + loadOverheadSeconds) * 10).rounded() / 10
    }
}
