/// Built-in architectures, read from each model's published `config.json` on Hugging Face
/// (`num_hidden_layers`, `hidden_size`, `num_attention_heads`, `num_key_value_heads`,
/// `head_dim` or hidden_size ÷ heads, `intermediate_size`, `vocab_size`,
/// `max_position_embeddings`, `sliding_window`, `num_local_experts`, `num_experts_per_tok`).
/// Parameter counts are the totals the model cards and GGUF headers give.
public enum Catalog {
    public struct Entry: Sendable {
        public var shape: Architecture
        /// Ollama library names that mean this model ("llama3:70b").
        public var names: [String]
        /// The tag variant Ollama's library publishes quantized builds under ("instruct", "chat").
        public var variant: String
        /// Where the figures were read.
        public var source: String
    }

    public static let entries: [Entry] = [
        // https://huggingface.co/meta-llama/Meta-Llama-3-8B-Instruct/blob/main/config.json
        Entry(shape: .init(id: "llama3-8b", params: 8_030_261_248, layers: 32, embedding: 4096, heads: 32, kvHeads: 8, headDim: 128,
                           feedForward: 14336, vocab: 128256, ctxTrain: 8192),
              names: ["llama3:8b", "llama3:latest", "llama3"], variant: "instruct",
              source: "https://huggingface.co/meta-llama/Meta-Llama-3-8B-Instruct/blob/main/config.json"),
        // https://huggingface.co/meta-llama/Meta-Llama-3-70B-Instruct/blob/main/config.json
        Entry(shape: .init(id: "llama3-70b", params: 70_553_706_496, layers: 80, embedding: 8192, heads: 64, kvHeads: 8, headDim: 128,
                           feedForward: 28672, vocab: 128256, ctxTrain: 8192),
              names: ["llama3:70b"], variant: "instruct",
              source: "https://huggingface.co/meta-llama/Meta-Llama-3-70B-Instruct/blob/main/config.json"),
        // https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct/blob/main/config.json
        Entry(shape: .init(id: "llama3.1-8b", params: 8_030_261_248, layers: 32, embedding: 4096, heads: 32, kvHeads: 8, headDim: 128,
                           feedForward: 14336, vocab: 128256, ctxTrain: 131072),
              names: ["llama3.1:8b", "llama3.1:latest", "llama3.1"], variant: "instruct",
              source: "https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct/blob/main/config.json"),
        // https://huggingface.co/meta-llama/Llama-3.1-70B-Instruct/blob/main/config.json
        Entry(shape: .init(id: "llama3.1-70b", params: 70_553_706_496, layers: 80, embedding: 8192, heads: 64, kvHeads: 8, headDim: 128,
                           feedForward: 28672, vocab: 128256, ctxTrain: 131072),
              names: ["llama3.1:70b", "llama3.3:70b", "llama3.3"], variant: "instruct",
              source: "https://huggingface.co/meta-llama/Llama-3.1-70B-Instruct/blob/main/config.json"),
        // https://huggingface.co/meta-llama/Llama-3.2-3B-Instruct/blob/main/config.json
        Entry(shape: .init(id: "llama3.2-3b", params: 3_212_749_824, layers: 28, embedding: 3072, heads: 24, kvHeads: 8, headDim: 128,
                           feedForward: 8192, vocab: 128256, ctxTrain: 131072),
              names: ["llama3.2:3b", "llama3.2:latest", "llama3.2"], variant: "instruct",
              source: "https://huggingface.co/meta-llama/Llama-3.2-3B-Instruct/blob/main/config.json"),
        // https://huggingface.co/meta-llama/Llama-3.2-1B-Instruct/blob/main/config.json
        Entry(shape: .init(id: "llama3.2-1b", params: 1_235_814_400, layers: 16, embedding: 2048, heads: 32, kvHeads: 8, headDim: 64,
                           feedForward: 8192, vocab: 128256, ctxTrain: 131072),
              names: ["llama3.2:1b"], variant: "instruct",
              source: "https://huggingface.co/meta-llama/Llama-3.2-1B-Instruct/blob/main/config.json"),
        // https://huggingface.co/meta-llama/Llama-2-7b-chat-hf/blob/main/config.json
        Entry(shape: .init(id: "llama2-7b", params: 6_738_415_616, layers: 32, embedding: 4096, heads: 32, kvHeads: 32, headDim: 128,
                           feedForward: 11008, vocab: 32000, ctxTrain: 4096),
              names: ["llama2:7b", "llama2:latest", "llama2"], variant: "chat",
              source: "https://huggingface.co/meta-llama/Llama-2-7b-chat-hf/blob/main/config.json"),
        // https://huggingface.co/meta-llama/Llama-2-13b-chat-hf/blob/main/config.json
        Entry(shape: .init(id: "llama2-13b", params: 13_015_864_320, layers: 40, embedding: 5120, heads: 40, kvHeads: 40, headDim: 128,
                           feedForward: 13824, vocab: 32000, ctxTrain: 4096),
              names: ["llama2:13b"], variant: "chat",
              source: "https://huggingface.co/meta-llama/Llama-2-13b-chat-hf/blob/main/config.json"),
        // https://huggingface.co/meta-llama/Llama-2-70b-chat-hf/blob/main/config.json
        Entry(shape: .init(id: "llama2-70b", params: 68_976_648_192, layers: 80, embedding: 8192, heads: 64, kvHeads: 8, headDim: 128,
                           feedForward: 28672, vocab: 32000, ctxTrain: 4096),
              names: ["llama2:70b"], variant: "chat",
              source: "https://huggingface.co/meta-llama/Llama-2-70b-chat-hf/blob/main/config.json"),
        // https://huggingface.co/mistralai/Mistral-7B-Instruct-v0.3/blob/main/config.json
        Entry(shape: .init(id: "mistral-7b", params: 7_248_023_552, layers: 32, embedding: 4096, heads: 32, kvHeads: 8, headDim: 128,
                           feedForward: 14336, vocab: 32768, ctxTrain: 32768),
              names: ["mistral:7b", "mistral:latest", "mistral"], variant: "instruct",
              source: "https://huggingface.co/mistralai/Mistral-7B-Instruct-v0.3/blob/main/config.json"),
        // https://huggingface.co/mistralai/Mistral-Small-Instruct-2409/blob/main/config.json
        Entry(shape: .init(id: "mistral-small-22b", params: 22_247_282_688, layers: 56, embedding: 6144, heads: 48, kvHeads: 8, headDim: 128,
                           feedForward: 16384, vocab: 32768, ctxTrain: 32768),
              names: ["mistral-small:22b", "mistral:22b", "mistral-small"], variant: "instruct-2409",
              source: "https://huggingface.co/mistralai/Mistral-Small-Instruct-2409/blob/main/config.json"),
        // https://huggingface.co/codellama/CodeLlama-7b-Instruct-hf/blob/main/config.json
        Entry(shape: .init(id: "codellama-7b", params: 6_738_546_688, layers: 32, embedding: 4096, heads: 32, kvHeads: 32, headDim: 128,
                           feedForward: 11008, vocab: 32016, ctxTrain: 16384),
              names: ["codellama:7b", "codellama:latest", "codellama"], variant: "instruct",
              source: "https://huggingface.co/codellama/CodeLlama-7b-Instruct-hf/blob/main/config.json"),
        // https://huggingface.co/codellama/CodeLlama-13b-Instruct-hf/blob/main/config.json
        Entry(shape: .init(id: "codellama-13b", params: 13_016_028_160, layers: 40, embedding: 5120, heads: 40, kvHeads: 40, headDim: 128,
                           feedForward: 13824, vocab: 32016, ctxTrain: 16384),
              names: ["codellama:13b"], variant: "instruct",
              source: "https://huggingface.co/codellama/CodeLlama-13b-Instruct-hf/blob/main/config.json"),
        // https://huggingface.co/codellama/CodeLlama-34b-Instruct-hf/blob/main/config.json
        Entry(shape: .init(id: "codellama-34b", params: 33_743_970_304, layers: 48, embedding: 8192, heads: 64, kvHeads: 8, headDim: 128,
                           feedForward: 22016, vocab: 32000, ctxTrain: 16384),
              names: ["codellama:34b"], variant: "instruct",
              source: "https://huggingface.co/codellama/CodeLlama-34b-Instruct-hf/blob/main/config.json"),
        // https://huggingface.co/codellama/CodeLlama-70b-Instruct-hf/blob/main/config.json
        Entry(shape: .init(id: "codellama-70b", params: 68_977_704_960, layers: 80, embedding: 8192, heads: 64, kvHeads: 8, headDim: 128,
                           feedForward: 28672, vocab: 32016, ctxTrain: 4096),
              names: ["codellama:70b"], variant: "instruct",
              source: "https://huggingface.co/codellama/CodeLlama-70b-Instruct-hf/blob/main/config.json"),
        // https://huggingface.co/Qwen/Qwen2.5-7B-Instruct/blob/main/config.json
        Entry(shape: .init(id: "qwen2.5-7b", params: 7_615_616_512, layers: 28, embedding: 3584, heads: 28, kvHeads: 4, headDim: 128,
                           feedForward: 18944, vocab: 152064, ctxTrain: 32768),
              names: ["qwen2.5:7b", "qwen2.5:latest", "qwen2.5"], variant: "instruct",
              source: "https://huggingface.co/Qwen/Qwen2.5-7B-Instruct/blob/main/config.json"),
        // https://huggingface.co/Qwen/Qwen2.5-14B-Instruct/blob/main/config.json
        Entry(shape: .init(id: "qwen2.5-14b", params: 14_770_033_664, layers: 48, embedding: 5120, heads: 40, kvHeads: 8, headDim: 128,
                           feedForward: 13824, vocab: 152064, ctxTrain: 32768),
              names: ["qwen2.5:14b"], variant: "instruct",
              source: "https://huggingface.co/Qwen/Qwen2.5-14B-Instruct/blob/main/config.json"),
        // https://huggingface.co/Qwen/Qwen2.5-32B-Instruct/blob/main/config.json
        Entry(shape: .init(id: "qwen2.5-32b", params: 32_763_876_352, layers: 64, embedding: 5120, heads: 40, kvHeads: 8, headDim: 128,
                           feedForward: 27648, vocab: 152064, ctxTrain: 32768),
              names: ["qwen2.5:32b"], variant: "instruct",
              source: "https://huggingface.co/Qwen/Qwen2.5-32B-Instruct/blob/main/config.json"),
        // https://huggingface.co/Qwen/Qwen2.5-72B-Instruct/blob/main/config.json
        Entry(shape: .init(id: "qwen2.5-72b", params: 72_706_203_648, layers: 80, embedding: 8192, heads: 64, kvHeads: 8, headDim: 128,
                           feedForward: 29568, vocab: 152064, ctxTrain: 32768),
              names: ["qwen2.5:72b"], variant: "instruct",
              source: "https://huggingface.co/Qwen/Qwen2.5-72B-Instruct/blob/main/config.json"),
        // https://huggingface.co/mistralai/Mixtral-8x7B-Instruct-v0.1/blob/main/config.json
        Entry(shape: .init(id: "mixtral-8x7b", params: 46_702_792_704, layers: 32, embedding: 4096, heads: 32, kvHeads: 8, headDim: 128,
                           feedForward: 14336, vocab: 32000, ctxTrain: 32768, experts: 8, expertsUsed: 2),
              names: ["mixtral:8x7b", "mixtral:latest", "mixtral"], variant: "instruct-v0.1",
              source: "https://huggingface.co/mistralai/Mixtral-8x7B-Instruct-v0.1/blob/main/config.json"),
        // https://huggingface.co/mistralai/Mixtral-8x22B-Instruct-v0.1/blob/main/config.json
        Entry(shape: .init(id: "mixtral-8x22b", params: 140_620_634_112, layers: 56, embedding: 6144, heads: 48, kvHeads: 8, headDim: 128,
                           feedForward: 16384, vocab: 32768, ctxTrain: 65536, experts: 8, expertsUsed: 2),
              names: ["mixtral:8x22b"], variant: "instruct-v0.1",
              source: "https://huggingface.co/mistralai/Mixtral-8x22B-Instruct-v0.1/blob/main/config.json"),
        // https://huggingface.co/google/gemma-2-2b-it/blob/main/config.json
        Entry(shape: .init(id: "gemma2-2b", params: 2_614_341_888, layers: 26, embedding: 2304, heads: 8, kvHeads: 4, headDim: 256,
                           feedForward: 9216, vocab: 256000, ctxTrain: 8192, slidingWindow: 4096, slidingLayers: 13),
              names: ["gemma2:2b"], variant: "instruct",
              source: "https://huggingface.co/google/gemma-2-2b-it/blob/main/config.json"),
        // https://huggingface.co/google/gemma-2-9b-it/blob/main/config.json
        Entry(shape: .init(id: "gemma2-9b", params: 9_241_705_984, layers: 42, embedding: 3584, heads: 16, kvHeads: 8, headDim: 256,
                           feedForward: 14336, vocab: 256000, ctxTrain: 8192, slidingWindow: 4096, slidingLayers: 21),
              names: ["gemma2:9b", "gemma2:latest", "gemma2"], variant: "instruct",
              source: "https://huggingface.co/google/gemma-2-9b-it/blob/main/config.json"),
        // https://huggingface.co/google/gemma-2-27b-it/blob/main/config.json
        Entry(shape: .init(id: "gemma2-27b", params: 27_227_128_320, layers: 46, embedding: 4608, heads: 32, kvHeads: 16, headDim: 128,
                           feedForward: 36864, vocab: 256000, ctxTrain: 8192, slidingWindow: 4096, slidingLayers: 23),
              names: ["gemma2:27b"], variant: "instruct",
              source: "https://huggingface.co/google/gemma-2-27b-it/blob/main/config.json"),
        // https://huggingface.co/microsoft/Phi-3-mini-4k-instruct/blob/main/config.json
        Entry(shape: .init(id: "phi3-3.8b", params: 3_821_079_552, layers: 32, embedding: 3072, heads: 32, kvHeads: 32, headDim: 96,
                           feedForward: 8192, vocab: 32064, ctxTrain: 4096),
              names: ["phi3:3.8b", "phi3:mini", "phi3:latest", "phi3"], variant: "mini-4k-instruct",
              source: "https://huggingface.co/microsoft/Phi-3-mini-4k-instruct/blob/main/config.json"),
        // https://huggingface.co/microsoft/Phi-3-medium-4k-instruct/blob/main/config.json
        Entry(shape: .init(id: "phi3-14b", params: 13_960_238_080, layers: 40, embedding: 5120, heads: 40, kvHeads: 10, headDim: 128,
                           feedForward: 17920, vocab: 32064, ctxTrain: 4096),
              names: ["phi3:14b", "phi3:medium"], variant: "medium-4k-instruct",
              source: "https://huggingface.co/microsoft/Phi-3-medium-4k-instruct/blob/main/config.json"),
    ]

    /// Looks up an architecture id ("llama3-70b") or an Ollama name ("llama3:70b",
    /// "llama3:70b-instruct-q8_0": variant and quant suffixes after the size are ignored).
    public static func lookup(_ name: String) -> Entry? {
        let n = name.trimmingCharacters(in: .whitespaces).lowercased()
        if let e = entries.first(where: { $0.shape.id == n }) { return e }
        let base = baseName(n)
        return entries.first { $0.names.contains(base) || $0.names.contains(n) }
    }

    /// "llama3:70b-instruct-q8_0" → "llama3:70b"; "registry.ollama.ai/library/llama3:8b" → "llama3:8b".
    public static func baseName(_ name: String) -> String {
        var n = name.lowercased()
        if let slash = n.lastIndex(of: "/") { n = String(n[n.index(after: slash)...]) }
        guard let colon = n.firstIndex(of: ":") else { return n }
        let family = n[..<colon]
        let tag = n[n.index(after: colon)...]
        let size = tag.split(separator: "-").first.map(String.init) ?? ""
        return size.isEmpty ? String(family) : "\(family):\(size)"
    }

    /// A quant named in a tag suffix ("llama3:70b-instruct-q4_K_M" → q4_K_M, "-fp16" → f16).
    public static func quantSuffix(_ name: String) -> Quant? {
        guard let colon = name.firstIndex(of: ":") else { return nil }
        for part in name[name.index(after: colon)...].split(separator: "-").reversed() {
            if let q = Quant(parsing: String(part)) { return q }
        }
        return nil
    }

    /// The registry tag to pull for `name` at `quant`, following the library's naming
    /// (`llama3:70b-instruct-q4_K_M`, `llama2:7b-chat-fp16`).
    public static func pullTag(name: String, quant: Quant) -> String {
        let lower = name.lowercased()
        if let colon = lower.firstIndex(of: ":") {
            let tagParts = lower[lower.index(after: colon)...].split(separator: "-")
            if tagParts.count > 1 {
                // The name carries its own variant (and maybe a quant): replace or append the quant.
                let keep = name.split(separator: "-").filter { Quant(parsing: String($0)) == nil }
                return keep.joined(separator: "-") + "-" + quant.ollamaTag
            }
        }
        // A catalog model is pulled under its library name ("mistral:22b" is "mistral-small:22b").
        if let e = lookup(name), let canonical = e.names.first {
            return "\(canonical)-\(e.variant)-\(quant.ollamaTag)"
        }
        let base = name.contains(":") ? name : name + ":latest"
        return "\(base)-instruct-\(quant.ollamaTag)"
    }
}

import Foundation
