/// A ggml tensor type with its block geometry.
///
/// Block size and bytes per block are those of ggml.c's `type_traits` table (ggml/src/ggml.c,
/// `.blck_size` and `.type_size`, where QK_K = 256); ids are `enum ggml_type` in ggml.h.
/// Removed types (Q4_2, Q4_3, Q4_0_4_4, Q4_0_4_8, Q4_0_8_8, IQ4_NL_4_4, ...) are absent,
/// as llama.cpp no longer loads them.
public struct GGMLType: Sendable, Equatable, Hashable {
    /// The `ggml_type` id stored in a tensor info.
    public let id: UInt32
    /// ggml's name, e.g. "Q4_K".
    public let name: String
    /// Elements per block.
    public let blockSize: Int
    /// Bytes per block.
    public let typeSize: Int

    /// The type with this id, or nil when ggml has no such type.
    public static func type(id: UInt32) -> GGMLType? { byID[id] }

    /// Every type this reader knows, by id.
    public static let all: [GGMLType] = [
        .init(id: 0, name: "F32", blockSize: 1, typeSize: 4),
        .init(id: 1, name: "F16", blockSize: 1, typeSize: 2),
        .init(id: 2, name: "Q4_0", blockSize: 32, typeSize: 2 + 16),
        .init(id: 3, name: "Q4_1", blockSize: 32, typeSize: 2 + 2 + 16),
        .init(id: 6, name: "Q5_0", blockSize: 32, typeSize: 2 + 4 + 16),
        .init(id: 7, name: "Q5_1", blockSize: 32, typeSize: 2 + 2 + 4 + 16),
        .init(id: 8, name: "Q8_0", blockSize: 32, typeSize: 2 + 32),
        .init(id: 9, name: "Q8_1", blockSize: 32, typeSize: 4 + 4 + 32),
        .init(id: 10, name: "Q2_K", blockSize: 256, typeSize: 2 + 2 + 256 / 16 + 256 / 4),
        .init(id: 11, name: "Q3_K", blockSize: 256, typeSize: 2 + 256 / 4 + 256 / 8 + 12),
        .init(id: 12, name: "Q4_K", blockSize: 256, typeSize: 2 + 2 + 256 / 2 + 12),
        .init(id: 13, name: "Q5_K", blockSize: 256, typeSize: 2 + 2 + 256 / 2 + 256 / 8 + 12),
        .init(id: 14, name: "Q6_K", blockSize: 256, typeSize: 2 + 256 / 2 + 256 / 4 + 256 / 16),
        .init(id: 15, name: "Q8_K", blockSize: 256, typeSize: 4 + 256 + 256 / 8),
        .init(id: 16, name: "IQ2_XXS", blockSize: 256, typeSize: 2 + 256 / 4),
        .init(id: 17, name: "IQ2_XS", blockSize: 256, typeSize: 2 + 256 / 4 + 256 / 32),
        .init(id: 18, name: "IQ3_XXS", blockSize: 256, typeSize: 2 + 256 / 4 + 256 / 8),
        .init(id: 19, name: "IQ1_S", blockSize: 256, typeSize: 2 + 256 / 8 + 256 / 16),
        .init(id: 20, name: "IQ4_NL", blockSize: 32, typeSize: 2 + 16),
        .init(id: 21, name: "IQ3_S", blockSize: 256, typeSize: 2 + 256 / 4 + 256 / 8 + 256 / 32 + 4),
        .init(id: 22, name: "IQ2_S", blockSize: 256, typeSize: 2 + 256 / 4 + 256 / 16),
        .init(id: 23, name: "IQ4_XS", blockSize: 256, typeSize: 2 + 2 + 256 / 2 + 256 / 64),
        .init(id: 24, name: "I8", blockSize: 1, typeSize: 1),
        .init(id: 25, name: "I16", blockSize: 1, typeSize: 2),
        .init(id: 26, name: "I32", blockSize: 1, typeSize: 4),
        .init(id: 27, name: "I64", blockSize: 1, typeSize: 8),
        .init(id: 28, name: "F64", blockSize: 1, typeSize: 8),
        .init(id: 29, name: "IQ1_M", blockSize: 256, typeSize: 256 / 8 + 256 / 16 + 256 / 32),
        .init(id: 30, name: "BF16", blockSize: 1, typeSize: 2),
        .init(id: 34, name: "TQ1_0", blockSize: 256, typeSize: 2 + 4 * 13),
        .init(id: 35, name: "TQ2_0", blockSize: 256, typeSize: 2 + 64),
        .init(id: 39, name: "MXFP4", blockSize: 32, typeSize: 1 + 16),
        .init(id: 40, name: "NVFP4", blockSize: 64, typeSize: 4 + 32),
        .init(id: 41, name: "Q1_0", blockSize: 128, typeSize: 2 + 16),
    ]

    private static let byID: [UInt32: GGMLType] = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })

    /// The quant name placeplan uses (Ollama's spelling) for a file dominated by this type.
    /// K-quants map to their usual "_M" mix because a file without `general.file_type` gives no better hint.
    public var quantName: String {
        switch name {
        case "Q2_K": return "q2_K"
        case "Q3_K": return "q3_K_M"
        case "Q4_K": return "q4_K_M"
        case "Q5_K": return "q5_K_M"
        case "Q6_K": return "q6_K"
        case "Q8_K": return "q8_K"
        default: return name.lowercased()
        }
    }
}
