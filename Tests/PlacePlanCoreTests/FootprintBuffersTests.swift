import Foundation
import Testing
@testable import PlacePlanCore

/// placeplan's KV cache and compute buffer against llama.cpp's own report
/// (Benchmarks/footprint-vs-llamacpp/measured.json, written by measure.py; no llama.cpp needed here).
/// For every row: the KV cache equals llama.cpp's (to the 0.01 MiB it prints), and KV + compute is
/// within 5% or 64 MiB of llama.cpp's KV + compute + output.
@Suite struct FootprintBuffersTests {
    struct Row: Decodable {
        var shape: String, layers_loaded: Int, ctx: Int, parallel: Int, flash_attn: Bool, kv_type: String, ubatch: Int
        var kv_mib: Double, compute_mib: Double, output_mib: Double, error: String?
    }
    struct File: Decodable { var rows: [Row] }

    static func rows() throws -> [Row] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Benchmarks/footprint-vs-llamacpp/measured.json")
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).rows
    }

    /// The catalog shape at the depth llama.cpp loaded (large models are measured with fewer layers).
    static func shape(_ r: Row) throws -> Architecture {
        var s = try #require(Catalog.lookup(r.shape)?.shape, "\(r.shape)")
        if s.slidingLayers > 0 { s.slidingLayers = s.slidingLayers * r.layers_loaded / s.layers }
        s.layers = r.layers_loaded
        return s
    }

    static func options(_ r: Row) -> RuntimeOptions {
        RuntimeOptions(ctx: r.ctx / r.parallel, parallel: r.parallel, kvType: KVType(rawValue: r.kv_type)!, flashAttention: r.flash_attn, ubatch: r.ubatch)
    }

    @Test func kvCacheEqualsLlamaCpp() throws {
        let rows = try Self.rows().filter { $0.error == nil }
        #expect(rows.count >= 200)
        for r in rows {
            let kv = Double(FootprintModel.kvCache(try Self.shape(r), Self.options(r))) / Double(Units.MiB)
            #expect(abs(kv - r.kv_mib) < 0.006, "\(r.shape) L\(r.layers_loaded) ctx \(r.ctx) np \(r.parallel) \(r.kv_type): ours \(kv) MiB, llama.cpp \(r.kv_mib)")
        }
    }

    @Test func kvPlusComputeWithinFivePercentOr64MiB() throws {
        var worst = (0.0, "")
        var table = ["| shape | layers loaded | ctx total | parallel | flash attn | KV type | ubatch | llama.cpp KV | llama.cpp compute | llama.cpp output | placeplan KV | placeplan compute | error |",
                     "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for r in try Self.rows() where r.error == nil {
            let s = try Self.shape(r), o = Self.options(r)
            let ours = Double(FootprintModel.kvCache(s, o) + FootprintModel.compute(s, o)) / Double(Units.MiB)
            let theirs = r.kv_mib + r.compute_mib + r.output_mib
            let err = ours - theirs
            let label = "\(r.shape) L\(r.layers_loaded) ctx \(r.ctx) np \(r.parallel) fa \(r.flash_attn) \(r.kv_type) ub \(r.ubatch)"
            if abs(err) / theirs > abs(worst.0) { worst = (err / theirs, label) }
            let full = Catalog.lookup(r.shape)!.shape.layers
            let mib = { (b: Int64) in String(format: "%.2f", Double(b) / Double(Units.MiB)) }
            table.append("| \(r.shape) | \(r.layers_loaded)\(r.layers_loaded < full ? " of \(full)" : "") | \(r.ctx) | \(r.parallel) | \(r.flash_attn ? "on" : "off") | \(r.kv_type) | \(r.ubatch) | \(r.kv_mib) | \(r.compute_mib) | \(r.output_mib) | \(mib(FootprintModel.kvCache(s, o))) | \(mib(FootprintModel.compute(s, o))) | \(String(format: "%+.1f%%", err / theirs * 100)) |")
            #expect(abs(err) <= max(0.05 * theirs, 64), "\(label): ours \(ours) MiB vs llama.cpp \(theirs) MiB")
        }
        let summary = "KV+compute vs llama.cpp: \(table.count - 2) rows, worst \(worst.1) \(String(format: "%+.2f%%", worst.0 * 100))"
        print(summary)
        // run.sh sets FOOTPRINT_TABLE to regenerate the README's table from this very comparison.
        if let out = ProcessInfo.processInfo.environment["FOOTPRINT_TABLE"] {
            try (table + ["", "Worst row: " + summary.replacingOccurrences(of: "KV+compute vs llama.cpp: ", with: ""), ""]).joined(separator: "\n")
                .write(toFile: out, atomically: true, encoding: .utf8)
        }
    }

    @Test func everyCatalogArchitectureIsMeasured() throws {
        let measured = Set(try Self.rows().map { TensorLayout.family(of: Catalog.lookup($0.shape)!.shape) })
        #expect(measured == [.llama, .qwen2, .gemma2, .phi3])
        #expect(try Self.rows().contains { Catalog.lookup($0.shape)!.shape.experts > 1 })
    }

    @Test func unknownArchitectureFallsBack() {
        let odd = Architecture(id: "rwkv7", params: 1_000_000_000, layers: 24, embedding: 2048, heads: 32, kvHeads: 8, headDim: 64,
                               feedForward: 8192, vocab: 65536, ctxTrain: 4096)
        let e = FootprintModel.computeEstimate(odd, RuntimeOptions(ctx: 4096, parallel: 1))
        #expect(e.fallback)
        #expect(e.bytes >= FootprintModel.compute(odd, RuntimeOptions(ctx: 4096, parallel: 1)))
        #expect(!FootprintModel.computeEstimate(Catalog.lookup("llama3:8b")!.shape, RuntimeOptions(ctx: 4096, parallel: 1)).fallback)
    }
}
