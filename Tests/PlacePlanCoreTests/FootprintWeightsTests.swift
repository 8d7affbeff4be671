import Foundation
import Testing
@testable import PlacePlanCore

/// The catalog's tensor-by-tensor weights against published GGUF file sizes
/// (Benchmarks/footprint-vs-llamacpp/published-sizes.csv: model, quant, GB as the page shows it, file, URL).
@Suite struct FootprintWeightsTests {
    struct Row { var model: String; var quant: Quant; var bytes: Int64; var file: String; var url: String }

    static func published() throws -> [Row] {
        let here = URL(fileURLWithPath: #filePath)
        let csv = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Benchmarks/footprint-vs-llamacpp/published-sizes.csv")
        let text = try String(contentsOf: csv, encoding: .utf8)
        return text.split(separator: "\n").dropFirst().compactMap { line -> Row? in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 5, let q = Quant(parsing: f[1]), let gb = Double(f[2]) else { return nil }
            return Row(model: f[0], quant: q, bytes: Int64(gb * 1e9), file: f[3], url: f.last!)
        }
    }

    @Test func everyPublishedSizeIsWithinThreePercent() throws {
        let rows = try Self.published()
        #expect(rows.count >= 60)
        var worst = (0.0, "")
        for r in rows {
            let shape = try #require(Catalog.lookup(r.model)?.shape, "\(r.model)")
            let ours = FootprintModel.weights(shape: shape, quant: r.quant)
            let err = Double(ours - r.bytes) / Double(r.bytes)
            if abs(err) > abs(worst.0) { worst = (err, "\(r.model) \(r.quant.rawValue)") }
            #expect(abs(err) <= 0.03, "\(r.model) \(r.quant.rawValue): ours \(Double(ours) / 1e9) GB, published \(Double(r.bytes) / 1e9) GB (\(r.url))")
        }
        print("published sizes: \(rows.count) rows, worst \(worst.1) \(String(format: "%+.2f%%", worst.0 * 100))")
    }

    @Test func everyUrlIsRecordedAndEveryListedModelHasThreeQuants() throws {
        let rows = try Self.published()
        for r in rows { #expect(r.url.hasPrefix("https://"), "\(r.model) \(r.quant)") }
        let byModel = Dictionary(grouping: rows, by: \.model)
        for (m, rs) in byModel { #expect(Set(rs.map(\.quant)).count >= 3, "\(m)") }
    }

    @Test func tensorsAddUpToTheCatalogParameterCount() {
        for e in Catalog.entries {
            let counted = TensorLayout.parameterCount(e.shape)
            let err = abs(Double(counted - e.shape.params)) / Double(e.shape.params)
            #expect(err < 0.01, "\(e.shape.id): tensors \(counted) vs catalog \(e.shape.params)")
        }
    }

    @Test func qwen72BFeedForwardFallsBackFromKQuants() throws {
        // 29568 = 115.5 × 256: ffn_down rows cannot hold Q4_K/Q6_K blocks, so they are Q5_0 (layer 20) or Q8_0 (layer 1).
        let s = try #require(Catalog.lookup("qwen2.5:72b")?.shape)
        let down = try #require(TensorLayout.tensors(s).first { $0.name == "blk.20.ffn_down.weight" })
        #expect(TensorLayout.type(of: down, quant: .q4_K_M, in: s) == .q5_0)
        #expect(TensorLayout.type(of: TensorLayout.tensors(s).first { $0.name == "blk.1.ffn_down.weight" }!, quant: .q4_K_M, in: s) == .q8_0)
        let w = FootprintModel.weights(shape: s, quant: .q4_K_M)
        #expect(w > 46_500_000_000 && w < 48_000_000_000)
        #expect(FootprintModel.weights(params: s.params, bitsPerWeight: 4.85) < 44_200_000_000)
    }

    @Test func mixTypesFollowTheQuantizer() throws {
        let s = try #require(Catalog.lookup("llama3:8b")?.shape)
        let ts = TensorLayout.tensors(s)
        func ty(_ name: String, _ q: Quant) -> GGMLType { TensorLayout.type(of: ts.first { $0.name == name }!, quant: q, in: s) }
        #expect(ty("output.weight", .q4_K_M) == .q6_K)
        #expect(ty("token_embd.weight", .q4_K_M) == .q4_K)
        #expect(ty("blk.0.attn_v.weight", .q4_K_M) == .q6_K)      // first n/8 layers
        #expect(ty("blk.5.attn_v.weight", .q4_K_M) == .q4_K)
        #expect(ty("blk.6.ffn_down.weight", .q4_K_M) == .q6_K)    // (6 - 4) % 3 == 2
        #expect(ty("blk.0.attn_norm.weight", .q4_K_M) == .f32)
        #expect(ty("output.weight", .q8_0) == .q8_0)
        #expect(ty("output.weight", .f16) == .f16)
    }
}
