import Testing
@testable import PlacePlanCore

@Suite struct UnitsTests {
    @Test(arguments: [
        ("75 GB", Int64(75_000_000_000)), ("128 GiB", Int64(137_438_953_472)), ("8GiB", Int64(8_589_934_592)),
        ("4.85 GB", Int64(4_850_000_000)), ("43", Int64(43_000_000_000)), ("512 MiB", Int64(536_870_912)),
        ("1.5 TB", Int64(1_500_000_000_000)), ("0.1 KB", Int64(100)), ("100 B", Int64(100)), ("2.5 KiB", Int64(2560)),
    ])
    func sizesParseExactly(text: String, bytes: Int64) { #expect(Units.parseSize(text) == bytes) }

    @Test(arguments: ["lots", "-5 GB", "5 GX", "", "1.2.3 GB", "GB", "99999999999999999999 GB", "1e9"])
    func nonsenseIsRejected(text: String) { #expect(Units.parseSize(text) == nil) }

    @Test func bandwidthAndParams() {
        #expect(Units.parseBandwidth("800 GB/s") == 800)
        #expect(Units.parseBandwidth("1.2 TB/s") == 1200)
        #expect(Units.parseParams("70.6B") == 70_600_000_000)
        #expect(Units.parseParams("350M") == 350_000_000)
        #expect(Units.parseParams("lots") == nil)
    }
}

@Suite struct FootprintTests {
    /// Rows of llama.cpp's own buffer report (llama-cpp-python 0.3.36, CPU, ubatch 512, f16 KV):
    /// ../shared/reference/llamacpp-buffers.md. KV must match exactly; KV + compute must be within
    /// 5% or 64 MiB of llama.cpp's KV + compute + output.
    static let measured: [(shape: String, ctx: Int, par: Int, fa: Bool, kvMiB: Double, computeMiB: Double, outMiB: Double)] = [
        ("llama3.2-1b", 2048, 1, false, 64, 258.5, 0.49), ("llama3.2-1b", 8192, 4, false, 256, 550.01, 0.49),
        ("llama3.2-1b", 8192, 4, true, 256, 258.5, 0.49), ("llama3.2-1b", 32768, 1, false, 1024, 2134.01, 0.49),
        ("llama3.2-1b", 131072, 4, false, 4096, 8470.01, 0.49), ("llama3.2-1b", 131072, 4, true, 4096, 258.5, 0.49),
        ("llama3-8b", 2048, 1, false, 256, 266.5, 0.49), ("llama3-8b", 8192, 4, false, 1024, 572.01, 0.49),
        ("llama3-8b", 8192, 1, true, 1024, 266.5, 0.49), ("llama3-8b", 32768, 4, false, 4096, 2156.01, 0.49),
        ("llama3-8b", 32768, 1, true, 4096, 266.5, 0.49), ("llama3-8b", 131072, 4, false, 16384, 8492.01, 0.49),
        ("llama3-8b", 131072, 4, true, 16384, 266.5, 0.49), ("mistral-7b", 2048, 1, false, 256, 176.01, 0.12),
        ("mistral-7b", 2048, 1, true, 256, 118.01, 0.12), ("mistral-7b", 8192, 4, false, 1024, 572.01, 0.12),
        ("mistral-7b", 8192, 1, true, 1024, 124.01, 0.12), ("mistral-7b", 32768, 4, true, 4096, 148.01, 0.12),
        ("mistral-7b", 32768, 1, false, 4096, 2156.01, 0.12), ("mistral-7b", 131072, 4, true, 16384, 244.01, 0.12),
        ("mistral-7b", 131072, 4, false, 16384, 8492.01, 0.12),
    ]

    @Test func matchesLlamaCppBuffers() throws {
        var worst = 0.0
        for row in Self.measured {
            let shape = try #require(Catalog.lookup(row.shape)?.shape)
            // `ctx total` in the table is num_ctx × parallel.
            let o = RuntimeOptions(ctx: row.ctx / row.par, parallel: row.par, kvType: .f16, flashAttention: row.fa, ubatch: 512)
            let kv = FootprintModel.kvCache(shape, o), compute = FootprintModel.compute(shape, o)
            #expect(Double(kv) / Double(Units.MiB) == row.kvMiB, "\(row)")
            let ours = Double(kv + compute) / Double(Units.MiB)
            let theirs = row.kvMiB + row.computeMiB + row.outMiB
            let err = abs(ours - theirs)
            worst = max(worst, err / theirs)
            #expect(err <= max(0.05 * theirs, 64), "\(row): ours \(ours) MiB vs llama.cpp \(theirs) MiB")
        }
        #expect(worst < 0.05)
    }

    @Test func kvCacheFollowsSpecFormula() throws {
        let s = try #require(Catalog.lookup("llama3:70b")?.shape)
        // 2 × 80 layers × 8 KV heads × 128 × 8192 cells × 2 bytes = 2.5 GiB (ollama.md: 320 KiB/token)
        #expect(FootprintModel.kvCache(s, RuntimeOptions(ctx: 8192, parallel: 1)) == 2_684_354_560)
        #expect(FootprintModel.kvCache(s, RuntimeOptions(ctx: 4096, parallel: 2)) == 2_684_354_560)
        #expect(FootprintModel.kvCache(s, RuntimeOptions(ctx: 8192, parallel: 1, kvType: .q8_0)) == 2_684_354_560 * 17 / 32)
        #expect(FootprintModel.kvCache(s, RuntimeOptions(ctx: 8192, parallel: 1, kvType: .q4_0)) == 2_684_354_560 * 9 / 32)
    }

    @Test func slidingWindowLayersHoldOnlyTheWindow() throws {
        let g = try #require(Catalog.lookup("gemma2:27b")?.shape)
        let o = RuntimeOptions(ctx: 8192, parallel: 1)
        let full = 2 * Int64(g.layers) * Int64(g.kvHeads) * Int64(g.headDim) * 8192 * 2
        let kv = FootprintModel.kvCache(g, o)
        #expect(kv < full)
        // half the layers at 8192 cells, half at pad256(4096 + 512) = 4608 cells
        #expect(kv == 2 * Int64(g.kvHeads) * Int64(g.headDim) * 2 * (23 * 8192 + 23 * 4608))
    }

    @Test func catalogCoversTheSeedsModels() {
        for name in ["llama3:8b", "llama3:70b", "llama2:7b", "llama2:13b", "mistral:7b", "mistral-small:22b", "mistral:22b",
                     "codellama:34b", "codellama:70b", "qwen2.5:7b", "qwen2.5:14b", "qwen2.5:32b", "qwen2.5:72b",
                     "mixtral:8x7b", "mixtral:8x22b", "gemma2:9b", "gemma2:27b", "phi3:14b", "phi3:3.8b",
                     "llama3:70b-instruct-q8_0", "codellama:34b-instruct-fp16"] {
            #expect(Catalog.lookup(name) != nil, "\(name)")
        }
        #expect(Catalog.quantSuffix("llama3:70b-instruct-q8_0") == .q8_0)
        #expect(Catalog.quantSuffix("codellama:34b-instruct-fp16") == .f16)
        #expect(Catalog.pullTag(name: "llama3:70b", quant: .q4_K_M) == "llama3:70b-instruct-q4_K_M")
        #expect(Catalog.pullTag(name: "llama2:7b", quant: .f16) == "llama2:7b-chat-fp16")
    }

    @Test func seventyBAtQ8IsNotFortyGB() throws {
        // Seed 000 claims llama3:70b q8_0 ≈ 40 GB; 70.55B × 8.5 bits ÷ 8 = 75.0 GB.
        let s = try #require(Catalog.lookup("llama3:70b")?.shape)
        let w = FootprintModel.weights(params: s.params, bitsPerWeight: Quant.q8_0.bitsPerWeight)
        #expect(w > 74_000_000_000 && w < 76_000_000_000)
    }
}

@Suite struct InstanceTests {
    @Test(arguments: [(16, 11_453_246_122), (36, 28_991_029_248), (128, 103_079_215_104)] as [(Int64, Int64)])
    func defaultWiredLimit(gib: Int64, bytes: Int64) {
        #expect(InstanceBuilder.defaultWiredLimit(gib * Units.GiB) == bytes)
    }

    @Test func conservativeSplitsA128GiBMacIntoFourQuarterSlots() throws {
        var profile = Profile.standard
        profile.reserve = 28 * Units.GiB
        profile.instancesPerHost = 4
        let c = try ClusterDecoder.decode("name: t\nhosts: [{name: mac, unified_memory: 128 GiB}]\nmodels: []\n", file: "t.yaml")
        let l = try InstanceBuilder.build(c, profile: profile, file: "t.yaml")
        #expect(l[0].bins.count == 4)
        // A quarter each, less the 512 MiB Metal minimum every Ollama server keeps back (ml/device.go).
        #expect(l[0].bins.allSatisfy { $0.capacity == 96 * Units.GiB / 4 - 512 * Units.MiB })
        #expect(l[0].bins.map(\.port) == [11434, 11435, 11436, 11437])
        #expect(l[0].requiredWiredLimitMB(used: l[0].capacity) == nil)
        profile.raiseWiredLimit = true
        profile.reserve = 8 * Units.GiB
        let r = try InstanceBuilder.build(c, profile: profile, file: "t.yaml")
        #expect(r[0].capacity == 120 * Units.GiB)
        #expect(r[0].requiredWiredLimitMB(used: r[0].capacity) == Int64(120 * 1024))
        #expect(r[0].requiredWiredLimitMB(used: 96 * Units.GiB) == nil)  // within the default working set
    }

    @Test func gpuHostsGetOneInstancePerCard() throws {
        let c = try ClusterDecoder.decode("name: t\nhosts: [{name: vm1, gpus: [{name: Quadro M4000, vram: 8 GiB, count: 5}]}]\nmodels: []\n", file: "t.yaml")
        let l = try InstanceBuilder.build(c, profile: .standard, file: "t.yaml")
        #expect(l[0].bins.map(\.gpu) == [0, 1, 2, 3, 4])
        #expect(l[0].bins.allSatisfy { $0.capacity == 8 * Units.GiB - 512 * Units.MiB })
    }
}
