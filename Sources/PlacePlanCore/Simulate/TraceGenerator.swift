import Foundation

/// Writes a seeded, deterministic request trace (`placeplan trace`, SPEC §8).
///
/// - Arrivals: a Poisson process at `ratePerHour` (exponential gaps), from 0 to `duration`.
/// - Models: drawn in proportion to `demand_per_hour` when any model has one (a model without
///   one counts 1/h, the cluster default); otherwise by Zipf rank with exponent `zipf` over the
///   models in the order given (rank 1 first): weight(r) = 1 / r^s.
/// - Tokens: a (ContextTokens, GeneratedTokens) pair drawn uniformly from `tokens` when given (the
///   columns of the public Azure LLM inference traces); otherwise `defaultTokens`.
/// Every draw comes from one `SplitMix64(seed:)`: the same seed and inputs give the same bytes (times
/// are written to the millisecond, so libm's last-bit differences between platforms do not show).
public enum TraceGenerator {
    public struct Options: Sendable {
        public var duration: Double
        public var ratePerHour: Double
        public var zipf: Double
        public var seed: UInt64
        public var tokens: [TokenPair]?
        public init(duration: Double, ratePerHour: Double, zipf: Double = 1.1, seed: UInt64, tokens: [TokenPair]? = nil) {
            self.duration = duration; self.ratePerHour = ratePerHour; self.zipf = zipf; self.seed = seed; self.tokens = tokens
        }
    }

    public struct TokenPair: Equatable, Sendable {
        public var prompt: Int
        public var output: Int
        public init(prompt: Int, output: Int) { self.prompt = prompt; self.output = output }
    }

    public struct Model: Equatable, Sendable {
        public var name: String
        public var demandPerHour: Double?
        public init(name: String, demandPerHour: Double? = nil) { self.name = name; self.demandPerHour = demandPerHour }
    }

    /// The default token counts when no `--tokens` CSV is given: log-normal, prompt median 600
    /// (σ 1.0, 1…8192 tokens), output median 150 (σ 0.8, 1…2048) — about the medians of Azure's
    /// 2023 conversation trace (context ~1k, generated ~130), a little shorter in the prompt.
    public static let defaultTokens = "log-normal: prompt median 600 tokens (σ 1.0, 1…8192), output median 150 (σ 0.8, 1…2048)"

    /// The models' selection weights (demand when any model has one, else Zipf by position).
    public static func weights(_ models: [Model], zipf: Double) -> (weights: [Double], byDemand: Bool) {
        if models.contains(where: { $0.demandPerHour != nil }) {
            return (models.map { max($0.demandPerHour ?? 1, 0) }, true)
        }
        return (models.indices.map { 1 / pow(Double($0 + 1), zipf) }, false)
    }

    public static func generate(models: [Model], options o: Options) -> Trace {
        precondition(!models.isEmpty, "a trace needs at least one model")
        var rng = SplitMix64(seed: o.seed)
        let w = weights(models, zipf: o.zipf).weights
        var cumulative: [Double] = []
        cumulative.reserveCapacity(w.count)
        var sum = 0.0
        for x in w { sum += x; cumulative.append(sum) }
        let mean = 3600 / o.ratePerHour
        var t = 0.0
        var out: [Trace.Request] = []
        out.reserveCapacity(Int(o.duration / mean * 1.1) + 16)
        while true {
            t += -mean * log(1 - uniform(&rng))  // 1 − u ∈ (0, 1]: never log(0)
            let ms = (t * 1000).rounded() / 1000  // what the CSV holds
            guard ms < o.duration else { break }
            let u = uniform(&rng) * sum
            var lo = 0, hi = cumulative.count - 1
            while lo < hi { let mid = (lo + hi) / 2; if cumulative[mid] > u { hi = mid } else { lo = mid + 1 } }
            let pair: TokenPair
            if let tk = o.tokens, !tk.isEmpty {
                pair = tk[min(Int(uniform(&rng) * Double(tk.count)), tk.count - 1)]
            } else {
                let p = logNormal(&rng, median: 600, sigma: 1.0)
                let q = logNormal(&rng, median: 150, sigma: 0.8)
                pair = TokenPair(prompt: min(max(Int(p.rounded()), 1), 8192), output: min(max(Int(q.rounded()), 1), 2048))
            }
            out.append(Trace.Request(time: ms, model: models[lo].name, prompt: pair.prompt, output: pair.output))
        }
        return Trace(requests: out)
    }

    /// Reads token counts from a CSV with `ContextTokens` and `GeneratedTokens` columns (Azure's
    /// public LLM inference traces: `TIMESTAMP,ContextTokens,GeneratedTokens`); other columns are ignored.
    public static func tokenPairs(_ text: String, file: String) throws -> [TokenPair] {
        let lines = CSV.lines(text)
        guard let head = lines.first(where: { !$0.text.allSatisfy(\.isWhitespace) }) else {
            throw InvalidInput([Diagnostic(file: file, line: 1, field: "", message: "is empty", fix: "give a CSV with ContextTokens and GeneratedTokens columns (e.g. Azure's AzureLLMInferenceTrace_conv.csv)")])
        }
        let names = CSV.split(head.text).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let ci = names.firstIndex(of: "contexttokens"), let gi = names.firstIndex(of: "generatedtokens") else {
            throw InvalidInput([Diagnostic(file: file, line: head.number, field: "", message: "header lacks ContextTokens and GeneratedTokens (got \"\(head.text)\")",
                                           fix: "give a CSV with those columns, as Azure's LLM inference traces have (TIMESTAMP,ContextTokens,GeneratedTokens)")])
        }
        var out: [TokenPair] = []
        var diags: [Diagnostic] = []
        for l in lines where l.number > head.number && !l.text.allSatisfy(\.isWhitespace) {
            let f = CSV.split(l.text)
            guard f.count > max(ci, gi), let p = Int(f[ci].trimmingCharacters(in: .whitespaces)), let g = Int(f[gi].trimmingCharacters(in: .whitespaces)), p >= 0, g >= 0 else {
                if diags.count < 20 {
                    diags.append(Diagnostic(file: file, line: l.number, field: "", message: "needs whole token counts of 0 or more in ContextTokens and GeneratedTokens (got \"\(l.text)\")", fix: "fix or delete this line"))
                }
                continue
            }
            out.append(TokenPair(prompt: p, output: g))
        }
        if diags.isEmpty && out.isEmpty {
            diags.append(Diagnostic(file: file, line: head.number, field: "", message: "has a header but no rows", fix: "give at least one row of token counts"))
        }
        if !diags.isEmpty { throw InvalidInput(diags) }
        return out
    }

    /// A uniform double in [0, 1) from the top 53 bits.
    static func uniform(_ rng: inout SplitMix64) -> Double { Double(rng.next() >> 11) * 0x1p-53 }

    /// Box–Muller: one normal draw per two uniforms (the second is dropped to keep the stream simple).
    static func logNormal(_ rng: inout SplitMix64, median: Double, sigma: Double) -> Double {
        let u1 = 1 - uniform(&rng), u2 = uniform(&rng)
        let z = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
        return median * exp(sigma * z)
    }
}
