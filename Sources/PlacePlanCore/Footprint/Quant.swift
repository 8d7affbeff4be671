/// A weight quantization (SPEC §2 table). Raw values are Ollama/llama.cpp spellings.
public enum Quant: String, CaseIterable, Sendable, Comparable, Codable {
    case f16, bf16, q8_0, q6_K, q5_K_M, q5_0, q4_K_M, q4_K_S, q4_0, q3_K_M, q2_K

    /// Default bits per weight (SPEC §2), as exact rationals ×10000 so byte sums stay integral.
    public var bitsPerWeight: Double {
        switch self {
        case .f16, .bf16: return 16
        case .q8_0: return 8.5
        case .q6_K: return 6.5625
        case .q5_K_M: return 5.69
        case .q5_0: return 5.5
        case .q4_K_M: return 4.85
        case .q4_K_S: return 4.58
        case .q4_0: return 4.5
        case .q3_K_M: return 3.91
        case .q2_K: return 3.35
        }
    }

    /// Default quality in [0, 1] (SPEC §2).
    public var quality: Double {
        switch self {
        case .f16, .bf16: return 1.0
        case .q8_0: return 0.999
        case .q6_K: return 0.997
        case .q5_K_M: return 0.993
        case .q5_0: return 0.990
        case .q4_K_M: return 0.985
        case .q4_K_S: return 0.980
        case .q4_0: return 0.970
        case .q3_K_M: return 0.950
        case .q2_K: return 0.880
        }
    }

    /// Parses a quant, accepting common spellings ("fp16", "Q4_K_M", "q4_k_m").
    public init?(parsing text: String) {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t == "fp16" || t == "f16" { self = .f16; return }
        if t == "bf16" { self = .bf16; return }
        for q in Quant.allCases where q.rawValue.lowercased() == t { self = q; return }
        return nil
    }

    /// Sort order: highest bits first (f16 … q2_K), the order of `allCases`.
    public static func < (a: Quant, b: Quant) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// The tag suffix Ollama's library uses ("fp16" for f16).
    public var ollamaTag: String { self == .f16 ? "fp16" : rawValue }
}

/// KV cache element type (SPEC §2: f16 2, q8_0 1.0625, q4_0 0.5625 bytes per element).
public enum KVType: String, CaseIterable, Sendable, Codable {
    case f16, q8_0, q4_0
    /// Bytes per element as numerator/16: q8_0 stores 32 values in 34 bytes, q4_0 in 18 (ggml type_traits).
    var sixteenths: Int64 {
        switch self { case .f16: return 32; case .q8_0: return 17; case .q4_0: return 9 }
    }
    public var bytesPerElement: Double { Double(sixteenths) / 16 }
}

import Foundation
