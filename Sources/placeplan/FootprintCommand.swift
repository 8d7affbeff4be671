import ArgumentParser
import Foundation
import PlacePlanCore

extension PlacePlan {
    struct FootprintCommand: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "footprint", abstract: "Show one model copy's memory: weights + KV cache + compute.")

        @Argument(help: "A catalog model (llama3:70b) or a GGUF file.", completion: Completions.models) var model: String
        @Option(help: "Quantization (default: the GGUF's, else q4_K_M).") var quant: String?
        @Option(help: "Context length (num_ctx).") var ctx: Int = 4096
        @Option(help: "Parallel slots (OLLAMA_NUM_PARALLEL).") var parallel: Int = 1
        @Option(help: "KV cache type: f16, q8_0 or q4_0.") var kvType: String = "f16"
        @Option(help: "Flash attention: on or off.") var flashAttention: String = "on"
        @Option(help: "Micro-batch size (n_ubatch).") var ubatch: Int = 512
        @Option(help: "What to print: table or json.") var format: TableOrJSON = .table

        func validate() throws {
            guard (1...10_485_760).contains(ctx) else { throw ValidationError("--ctx must be between 1 and 10485760 (got \(ctx))") }
            guard (1...256).contains(parallel) else { throw ValidationError("--parallel must be between 1 and 256 (got \(parallel))") }
            guard (1...65536).contains(ubatch) else { throw ValidationError("--ubatch must be between 1 and 65536 (got \(ubatch))") }
            guard KVType(rawValue: kvType) != nil else { throw ValidationError("--kv-type must be f16, q8_0 or q4_0 (got \(kvType))") }
            guard ["on", "off"].contains(flashAttention) else { throw ValidationError("--flash-attention must be on or off (got \(flashAttention))") }
            if let quant, Quant(parsing: quant) == nil { throw ValidationError("--quant must be one of \(Quant.allCases.map(\.rawValue).joined(separator: ", ")) (got \(quant))") }
        }

        func run() throws {
            try Failure.run {
                let options = RuntimeOptions(ctx: ctx, parallel: parallel, kvType: KVType(rawValue: kvType)!, flashAttention: flashAttention == "on", ubatch: ubatch)
                var shape: Architecture
                var weights: Int64
                var q: Quant
                var fallbackNote: String?
                let isFile = model.hasSuffix(".gguf") || model.contains("/")
                if isFile {
                    guard FileManager.default.fileExists(atPath: model) else { throw MissingInput(path: model, reason: "no such file") }
                    let facts = try GGUFBridge.read(model)
                    shape = facts.shape
                    q = quant.flatMap { Quant(parsing: $0) } ?? facts.quant ?? .f16
                    weights = facts.fileBytes

                } else {
                    guard let e = Catalog.lookup(model) else {
                        let names = Catalog.entries.flatMap(\.names).filter { $0.contains(":") }
                        let near = suggestion(forModel: model, among: names)
                        throw InvalidInput([Diagnostic(file: "<command line>", field: "MODEL", message: "\"\(model)\" is not in the built-in catalog",
                                                       fix: (near.map { "did you mean \($0)? " } ?? "") + "known: \(names.joined(separator: ", "))")])
                    }
                    shape = e.shape
                    q = quant.flatMap { Quant(parsing: $0) } ?? Catalog.quantSuffix(model) ?? .q4_K_M
                    weights = FootprintModel.weights(shape: shape, quant: q)
                }
                let kv = FootprintModel.kvCache(shape, options)
                let estimate = FootprintModel.computeEstimate(shape, options)
                let compute = estimate.bytes
                if estimate.fallback { fallbackNote = "architecture \"\(shape.id)\" is not modelled: compute is a fallback estimate (the generic stages + 25%, at least 512 MiB)" }
                let result = FootprintJSON(model: model, quant: q.rawValue, ctx: ctx, parallel: parallel, kv_type: kvType,
                                           flash_attention: flashAttention == "on", ubatch: ubatch, params: shape.params, layers: shape.layers,
                                           kv_heads: shape.kvHeads, head_dim: shape.headDim, weights_bytes: weights, kv_cache_bytes: kv,
                                           compute_bytes: compute, footprint_bytes: weights + kv + compute)
                if let fallbackNote { printErr("warning: \(fallbackNote)") }
                if format == .json { writeStdout(PlanCodec.encode(result)); return }
                let gib = { (b: Int64) in Units.format(Double(b) / 1e9, digits: 2) + " GB" }
                writeStdout("""
                \(model) at \(q.rawValue), ctx \(ctx) × \(parallel) parallel, KV \(kvType), flash attention \(flashAttention), ubatch \(ubatch)
                  weights   \(gib(weights))   (\(isFile ? "GGUF file size" : "tensor by tensor, llama.cpp's \(q.rawValue) mix for \(shape.params) params"))
                  KV cache  \(gib(kv))   (2 × \(shape.layers) layers × \(shape.kvHeads) KV heads × \(shape.headDim) head dim × \(ctx * parallel) cells × \(KVType(rawValue: kvType)!.bytesPerElement) B)
                  compute   \(gib(compute))   (largest ubatch stage + output buffer)
                  total     \(gib(weights + kv + compute))

                """)
            }
        }
    }
}

struct FootprintJSON: Encodable {
    var model: String, quant: String, ctx: Int, parallel: Int, kv_type: String, flash_attention: Bool, ubatch: Int
    var params: Int64, layers: Int, kv_heads: Int, head_dim: Int
    var weights_bytes: Int64, kv_cache_bytes: Int64, compute_bytes: Int64, footprint_bytes: Int64
}

func suggestion(forModel word: String, among names: [String]) -> String? {
    suggestion(for: Catalog.baseName(word), among: names)
}
