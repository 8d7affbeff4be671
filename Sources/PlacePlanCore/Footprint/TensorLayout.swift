/// Weights tensor by tensor, as llama.cpp's quantizer lays a GGUF out.
///
/// A quantization named "Q4_K_M" is a mix: llama.cpp's `llama_tensor_get_type` (src/llama-quant.cpp)
/// picks a type per tensor from the file type, the tensor's role and its layer:
/// - `output.weight` (and `token_embd.weight` when the output is tied to it) goes to Q6_K for every
///   quantized file type except Q8_0, or to Q8_0 when its row is not a multiple of the block size;
///   1-D tensors (norms, biases) and the MoE router stay F32.
/// - Q4_K_M / Q5_K_M bump `attn_v` and `ffn_down` to Q6_K on "more bits" layers
///   (`i < n/8 || i >= 7n/8 || (i - n/8) % 3 == 2`); an 80-layer model ("70B" type) keeps its other
///   `attn_v` at Q5_K instead of Q4_K; a fused `attn_qkv` (phi3) is Q5_K (Q4_K_M) or Q6_K (Q5_K_M).
/// - 8-expert models (Mixtral) keep `attn_v`/`attn_k` at Q8_0 and `attn_output` at Q5_K (K-quants ≤ Q4_K_M).
/// - Q3_K_M: `attn_v` Q5_K on the first two layers then Q4_K, `ffn_down` Q5_K on the first n/16 layers
///   then Q4_K, `attn_output` Q4_K. Q2_K: `attn_v` Q4_K (GQA ≥ 4) or Q3_K, `ffn_down` and `attn_output` Q3_K.
///   Q4_K_S: `attn_v` Q5_K on the first 4 layers, `ffn_down` Q5_K on the first n/8.
/// - A K-quant needs rows that are a multiple of 256: otherwise Q4_K falls back to Q5_0, Q5_K to Q5_1,
///   Q6_K to Q8_0 and Q2_K/Q3_K to Q4_0. Qwen2.5-72B's feed-forward is 29568 wide (115.5 × 256), so every
///   `ffn_down` of its Q4_K_M file is Q5_0 or Q8_0: 47.4 GB, where 72.7B × 4.85 bits predicts 44.1 GB.
/// Bytes per block (ggml `type_traits`): F32 4/1, F16 2/1, Q4_0 18/32, Q4_1 20/32, Q5_0 22/32, Q5_1 24/32,
/// Q8_0 34/32, Q2_K 84/256, Q3_K 110/256, Q4_K 144/256, Q5_K 176/256, Q6_K 210/256.
/// The file adds its header: metadata and the tokenizer (about 64 bytes per vocabulary entry, approximate)
/// and 32-byte alignment per tensor. Checked against published file sizes in
/// Benchmarks/footprint-vs-llamacpp/published-sizes.csv (FootprintWeightsTests).
public enum GGMLType: String, Sendable, CaseIterable {
    case f32, f16, q4_0, q4_1, q5_0, q5_1, q8_0, q2_K, q3_K, q4_K, q5_K, q6_K

    public var blockSize: Int64 {
        switch self {
        case .f32, .f16: return 1
        case .q4_0, .q4_1, .q5_0, .q5_1, .q8_0: return 32
        case .q2_K, .q3_K, .q4_K, .q5_K, .q6_K: return 256
        }
    }
    public var bytesPerBlock: Int64 {
        switch self {
        case .f32: return 4
        case .f16: return 2
        case .q4_0: return 18
        case .q4_1: return 20
        case .q5_0: return 22
        case .q5_1: return 24
        case .q8_0: return 34
        case .q2_K: return 84
        case .q3_K: return 110
        case .q4_K: return 144
        case .q5_K: return 176
        case .q6_K: return 210
        }
    }
    var isKQuant: Bool { blockSize == 256 }
    /// llama.cpp `tensor_type_fallback`: the type used when a row does not fit this type's blocks.
    var fallback: GGMLType {
        switch self {
        case .q4_K: return .q5_0
        case .q5_K: return .q5_1
        case .q6_K: return .q8_0
        case .q2_K, .q3_K: return .q4_0
        default: return .f16
        }
    }
}

/// One tensor of a GGUF: ggml shape `[ne0, ne1, ne2]` (ne0 is the row length), its role and layer.
public struct TensorShape: Equatable, Sendable {
    public enum Role: Sendable, Equatable { case tokenEmbedding, output, attnQ, attnK, attnV, attnQKV, attnOutput, ffnGate, ffnUp, ffnDown, router, vector }
    public var name: String
    public var role: Role
    public var layer: Int?
    public var ne0: Int64
    public var ne1: Int64
    public var ne2: Int64
    public var elements: Int64 { ne0 * ne1 * ne2 }
}

public enum TensorLayout {
    /// The model family that decides which tensors a shape has, from the architecture id
    /// (catalog id such as "qwen2.5-72b", or a GGUF `general.architecture`).
    public enum Family: String, Sendable { case llama, qwen2, gemma2, phi3 }

    public static func family(of a: Architecture) -> Family {
        let id = a.id.lowercased()
        if id.hasPrefix("qwen") { return .qwen2 }
        if id.hasPrefix("gemma") { return .gemma2 }
        if id.hasPrefix("phi") { return .phi3 }
        return .llama
    }

    /// Output projection shared with the token embedding (no `output.weight`): Gemma 2 and Llama 3.2 1B/3B
    /// (`tie_word_embeddings: true` in their config.json).
    public static func tiedEmbeddings(_ a: Architecture) -> Bool {
        family(of: a) == .gemma2 || a.id.lowercased().hasPrefix("llama3.2")
    }

    /// Every tensor of the shape, in GGUF order.
    public static func tensors(_ a: Architecture) -> [TensorShape] {
        let fam = family(of: a)
        let emb = Int64(a.embedding), vocab = Int64(a.vocab), ff = Int64(a.feedForward)
        let hq = Int64(a.heads * a.headDim), hkv = Int64(a.kvHeads * a.headDim)
        let experts = Int64(max(1, a.experts))
        func t(_ n: String, _ r: TensorShape.Role, _ l: Int?, _ ne0: Int64, _ ne1: Int64 = 1, _ ne2: Int64 = 1) -> TensorShape {
            TensorShape(name: n, role: r, layer: l, ne0: ne0, ne1: ne1, ne2: ne2)
        }
        var out: [TensorShape] = [t("token_embd.weight", .tokenEmbedding, nil, emb, vocab), t("output_norm.weight", .vector, nil, emb)]
        if !tiedEmbeddings(a) { out.append(t("output.weight", .output, nil, emb, vocab)) }
        for i in 0..<a.layers {
            let b = "blk.\(i)."
            out.append(t(b + "attn_norm.weight", .vector, i, emb))
            if fam == .phi3 {
                out.append(t(b + "attn_qkv.weight", .attnQKV, i, emb, hq + 2 * hkv))
            } else {
                out.append(t(b + "attn_q.weight", .attnQ, i, emb, hq))
                out.append(t(b + "attn_k.weight", .attnK, i, emb, hkv))
                out.append(t(b + "attn_v.weight", .attnV, i, emb, hkv))
            }
            if fam == .qwen2 {
                out += [t(b + "attn_q.bias", .vector, i, hq), t(b + "attn_k.bias", .vector, i, hkv), t(b + "attn_v.bias", .vector, i, hkv)]
            }
            out.append(t(b + "attn_output.weight", .attnOutput, i, hq, emb))
            if fam == .gemma2 {
                out += [t(b + "post_attention_norm.weight", .vector, i, emb), t(b + "post_ffw_norm.weight", .vector, i, emb)]
            }
            out.append(t(b + "ffn_norm.weight", .vector, i, emb))
            if a.experts > 1 {
                out.append(t(b + "ffn_gate_inp.weight", .router, i, emb, experts))
                out.append(t(b + "ffn_gate_exps.weight", .ffnGate, i, emb, ff, experts))
                out.append(t(b + "ffn_up_exps.weight", .ffnUp, i, emb, ff, experts))
                out.append(t(b + "ffn_down_exps.weight", .ffnDown, i, ff, emb, experts))
            } else if fam == .phi3 {
                out.append(t(b + "ffn_up.weight", .ffnUp, i, emb, 2 * ff))
                out.append(t(b + "ffn_down.weight", .ffnDown, i, ff, emb))
            } else {
                out.append(t(b + "ffn_gate.weight", .ffnGate, i, emb, ff))
                out.append(t(b + "ffn_up.weight", .ffnUp, i, emb, ff))
                out.append(t(b + "ffn_down.weight", .ffnDown, i, ff, emb))
            }
        }
        return out
    }

    /// Parameters counted from the tensors (the catalog's `params` should agree within a fraction of a percent).
    public static func parameterCount(_ a: Architecture) -> Int64 { tensors(a).reduce(0) { $0 + $1.elements } }

    /// The type llama.cpp's quantizer gives `t` in a file of type `quant`.
    public static func type(of t: TensorShape, quant: Quant, in a: Architecture) -> GGMLType {
        if t.role == .vector || t.role == .router { return .f32 }
        let base: GGMLType
        switch quant {
        case .f16, .bf16: return .f16
        case .q8_0: base = .q8_0
        case .q6_K: base = .q6_K
        case .q5_K_M: base = .q5_K
        case .q5_0: base = .q5_0
        case .q4_K_M, .q4_K_S: base = .q4_K
        case .q4_0: base = .q4_0
        case .q3_K_M: base = .q3_K
        case .q2_K: base = .q2_K
        }
        var ty = base
        let n = a.layers, i = t.layer ?? 0
        let moreBits = i < n / 8 || i >= 7 * n / 8 || (i - n / 8) % 3 == 2
        let eightExperts = a.experts == 8
        let tiedEmbedding = t.role == .tokenEmbedding && tiedEmbeddings(a)
        switch t.role {
        case .output:
            ty = t.ne0 % base.blockSize != 0 ? .q8_0 : (base == .q8_0 ? .q8_0 : .q6_K)
        case .tokenEmbedding where tiedEmbedding:
            ty = t.ne0 % base.blockSize != 0 ? .q8_0 : (base == .q8_0 ? .q8_0 : .q6_K)
        case .tokenEmbedding:
            break
        case .attnV:
            switch quant {
            case .q2_K: ty = a.heads / max(1, a.kvHeads) >= 4 ? .q4_K : .q3_K
            case .q3_K_M: ty = i < 2 ? .q5_K : .q4_K
            case .q4_K_M, .q5_K_M: if moreBits { ty = .q6_K }
            case .q4_K_S: if i < 4 { ty = .q5_K }
            default: break
            }
            if n == 80 && (ty == .q3_K || ty == .q4_K) { ty = .q5_K }  // LLM_TYPE_70B
            if eightExperts { ty = .q8_0 }
        case .attnK:
            if eightExperts { ty = .q8_0 }
        case .attnQKV:
            switch quant {
            case .q3_K_M: ty = .q4_K
            case .q4_K_M: ty = .q5_K
            case .q5_K_M: ty = .q6_K
            default: break
            }
        case .ffnDown:
            switch quant {
            case .q2_K: ty = .q3_K
            case .q3_K_M: ty = i < n / 16 ? .q5_K : .q4_K
            case .q4_K_M, .q5_K_M: if moreBits { ty = .q6_K }
            case .q4_K_S: if i < n / 8 { ty = .q5_K }
            default: break
            }
        case .attnOutput:
            if eightExperts {
                if [.q2_K, .q3_K_M, .q4_K_S, .q4_K_M].contains(quant) { ty = .q5_K }
            } else if quant == .q2_K { ty = .q3_K } else if quant == .q3_K_M { ty = .q4_K }
        default:
            break
        }
        // Rows that do not fill whole blocks fall back (llama.cpp tensor_type_fallback).
        if t.ne0 % ty.blockSize != 0 {
            ty = ty.fallback
            if t.ne0 % ty.blockSize != 0 { ty = .f16 }
        }
        return ty
    }

    /// Bytes of one tensor at the type the quantizer gives it.
    public static func bytes(of t: TensorShape, quant: Quant, in a: Architecture) -> Int64 {
        let ty = type(of: t, quant: quant, in: a)
        return t.elements / ty.blockSize * ty.bytesPerBlock
    }

    /// Approximate GGUF header: fixed metadata plus the tokenizer's vocabulary (tokens, scores, types, merges).
    public static func headerBytes(_ a: Architecture) -> Int64 { 65_536 + Int64(a.vocab) * 64 }
}

extension FootprintModel {
    /// The GGUF file size of `shape` quantized as `quant`, tensor by tensor (see `TensorLayout`):
    /// what the planner should charge for a catalog model's weights when no file or size is given.
    public static func weights(shape: Architecture, quant: Quant) -> Int64 {
        let ts = TensorLayout.tensors(shape)
        let data = ts.reduce(Int64(0)) { $0 + pad(TensorLayout.bytes(of: $1, quant: quant, in: shape), 32) }
        return data + TensorLayout.headerBytes(shape)
    }
}
