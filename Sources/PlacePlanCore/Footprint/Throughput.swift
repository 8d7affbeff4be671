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
