/// Hardware presets: memory and bandwidth from the vendors' published specifications.
public enum Presets {
    public struct Unified: Sendable { public var id: String; public var memory: Int64; public var bandwidthGBps: Double; public var chip: String }
    public struct Card: Sendable {
        public var id: String; public var names: [String]; public var vram: Int64; public var bandwidthGBps: Double
        /// FP32 TFLOPS (NVIDIA's product specifications, boost clock), for the prefill estimate.
        public var tflops: Double? = nil
    }

    /// Apple chips and their unified-memory bandwidth (apple.com/mac-studio/specs,
    /// apple.com/macbook-pro/specs; M1 Ultra 800 GB/s, M2 Ultra 800, M3 Ultra 819, M4 Max 546 (410 on the binned 14-core),
    /// M1/M2/M3 Max 400 (M3 Max 30-core 300), M4 Pro 273) with their memory options in GiB.
    static let chips: [(chip: String, bw: Double, memories: [Int64], kinds: [String])] = [
        ("m1-max", 400, [32, 64], ["mac-studio", "macbook-pro"]),
        ("m1-ultra", 800, [64, 128], ["mac-studio"]),
        ("m2-max", 400, [32, 64, 96], ["mac-studio", "macbook-pro"]),
        ("m2-ultra", 800, [64, 128, 192], ["mac-studio", "mac-pro"]),
        ("m3-max", 400, [36, 48, 64, 96, 128], ["macbook-pro"]),
        ("m3-ultra", 819, [96, 256, 512], ["mac-studio"]),
        ("m4-pro", 273, [24, 48, 64], ["mac-mini", "macbook-pro"]),
        ("m4-max", 546, [36, 48, 64, 128], ["mac-studio", "macbook-pro"]),
    ]

    public static let unified: [Unified] = chips.flatMap { c in
        c.kinds.flatMap { k in c.memories.map { Unified(id: "\(k)-\(c.chip)-\($0)", memory: $0 * Units.GiB, bandwidthGBps: c.bw, chip: c.chip) } }
    }

    /// NVIDIA cards (nvidia.com product specifications).
    public static let cards: [Card] = [
        Card(id: "quadro-m4000", names: ["quadro m4000", "m4000"], vram: 8 * Units.GiB, bandwidthGBps: 192, tflops: 2.57),
        Card(id: "rtx-a4000", names: ["rtx a4000", "a4000"], vram: 16 * Units.GiB, bandwidthGBps: 448, tflops: 19.17),
        Card(id: "rtx-3090", names: ["rtx 3090", "geforce rtx 3090", "3090"], vram: 24 * Units.GiB, bandwidthGBps: 936, tflops: 35.58),
        Card(id: "rtx-4090", names: ["rtx 4090", "geforce rtx 4090", "4090"], vram: 24 * Units.GiB, bandwidthGBps: 1008, tflops: 82.58),
        Card(id: "rtx-a6000", names: ["rtx a6000", "a6000"], vram: 48 * Units.GiB, bandwidthGBps: 768, tflops: 38.71),
        Card(id: "l40s", names: ["l40s"], vram: 48 * Units.GiB, bandwidthGBps: 864, tflops: 91.61),
        Card(id: "a100-40gb", names: ["a100 40gb", "a100-40gb"], vram: 40 * Units.GiB, bandwidthGBps: 1555, tflops: 19.5),
        Card(id: "a100-80gb", names: ["a100", "a100 80gb", "a100-80gb"], vram: 80 * Units.GiB, bandwidthGBps: 2039, tflops: 19.5),
        Card(id: "h100", names: ["h100", "h100 sxm"], vram: 80 * Units.GiB, bandwidthGBps: 3350, tflops: 66.9),
        Card(id: "rtx-3060", names: ["rtx 3060", "3060"], vram: 12 * Units.GiB, bandwidthGBps: 360, tflops: 12.74),
        Card(id: "tesla-p40", names: ["tesla p40", "p40"], vram: 24 * Units.GiB, bandwidthGBps: 347, tflops: 11.76),
    ]

    /// GPU cores of each chip's largest configuration (apple.com specs), for the prefill estimate.
    public static func gpuCores(chip: String) -> Int? {
        ["m1-max": 32, "m1-ultra": 64, "m2-max": 38, "m2-ultra": 76, "m3-max": 40, "m3-ultra": 80, "m4-pro": 20, "m4-max": 40][chip.lowercased().replacingOccurrences(of: " ", with: "-")]
    }

    /// Default model-store read speed when a host gives no `store_read` (GB/s). Apple's internal
    /// SSDs read about 5–7 GB/s (Mac Studio M2 Ultra measured ~6 GB/s sequential); a PCIe 3 NVMe
    /// drive 2–3.5 GB/s. Deliberately on the low side, since Ollama reads a GGUF in pieces; an
    /// external USB/Thunderbolt drive is slower (USB 3.2 Gen 2 ≈ 1 GB/s, a spinning disk ≈ 0.15):
    /// give `store_read:` for it.
    public static let defaultStoreReadUnified = 5.0
    public static let defaultStoreReadGPUHost = 2.0

    public static func unified(_ id: String) -> Unified? { unified.first { $0.id == id.lowercased() } }
    public static func card(_ name: String) -> Card? {
        let n = name.lowercased().replacingOccurrences(of: "nvidia ", with: "")
        return cards.first { $0.id == n || $0.names.contains(n) }
    }
}

import Foundation
