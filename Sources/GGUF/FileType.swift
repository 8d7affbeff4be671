/// `general.file_type` values (llama.h `enum llama_ftype`) and their quant names.
enum FileType {
    /// Ollama's names for the ftypes, lowercased the way its tags spell them ("q4_K_M", "iq2_xxs").
    static let names: [Int64: String] = [
        0: "f32", 1: "f16", 2: "q4_0", 3: "q4_1", 7: "q8_0", 8: "q5_0", 9: "q5_1",
        10: "q2_K", 11: "q3_K_S", 12: "q3_K_M", 13: "q3_K_L", 14: "q4_K_S", 15: "q4_K_M",
        16: "q5_K_S", 17: "q5_K_M", 18: "q6_K", 19: "iq2_xxs", 20: "iq2_xs", 21: "q2_K_S",
        22: "iq3_xs", 23: "iq3_xxs", 24: "iq1_s", 25: "iq4_nl", 26: "iq3_s", 27: "iq3_m",
        28: "iq2_s", 29: "iq2_m", 30: "iq4_xs", 31: "iq1_m", 32: "bf16", 36: "tq1_0",
        37: "tq2_0", 38: "mxfp4", 39: "nvfp4", 40: "q1_0",
    ]

    /// The quant of a file: its `general.file_type` when known, else the type holding most
    /// bytes among tensors of 2+ dimensions (1-D norms and biases stay F32 in every quant).
    static func quantName(fileType: Int64?, tensors: [GGUFTensorInfo]) -> String? {
        if let ft = fileType, let name = names[ft] { return name }
        var bytes: [GGMLType: Int64] = [:]
        for t in tensors where t.dimensions.count >= 2 { bytes[t.type, default: 0] += t.byteSize }
        if bytes.isEmpty { for t in tensors { bytes[t.type, default: 0] += t.byteSize } }
        // Ties broken by id so the answer never depends on dictionary order.
        let best = bytes.max { a, b in a.value != b.value ? a.value < b.value : a.key.id > b.key.id }
        return best?.key.quantName
    }
}
