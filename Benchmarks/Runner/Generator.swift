import PlacePlanCore

/// Seeded random clusters in YAML text, so every benchmark goes through the real decoder.
///
/// Models: Ollama-style families from 1B to 70B parameters; each model allows `quants` of
/// f16/q8_0/q6_K/q5_K_M/q4_K_M and states its `footprints:` explicitly, in MB:
/// params × bits-per-weight ÷ 8 (SPEC §2's table) plus the family's KV cache and compute at
/// ctx 4096 (llama.cpp's figures, rounded), times a ±3% jitter per model (fine-tunes, GGUF
/// metadata). Priorities 1–10, ~5% with 2 replicas (half of those `spread: host`), ~10% with an
/// `on:` or `avoid:` label, and max(1, M/50) small models required.
/// Hosts: ~40% Mac Studios (128 or 192 GiB unified memory, default wired limit 96 or 144 GiB,
/// split into 1–4 explicit instances of equal capacity), ~60% GPU boxes (1–8 cards of 8, 12, 16,
/// 24 or 48 GiB; one instance per card, capacity = VRAM − the profile's 512 MiB gpu_reserve).
enum Generator {
    /// (name, quality-ordered bits per weight) of the quants a model may allow, best first.
    static let quants: [(name: String, bits: Double)] = [
        ("f16", 16), ("q8_0", 8.5), ("q6_K", 6.5625), ("q5_K_M", 5.69), ("q4_K_M", 4.85),
    ]

    /// family, tag, parameters (billions), KV cache + compute at ctx 4096 (GB).
    static let families: [(family: String, tag: String, params: Double, overhead: Double)] = [
        ("llama3.2", "1b", 1.24, 0.30), ("qwen2.5", "1.5b", 1.54, 0.25), ("gemma2", "2b", 2.61, 0.45),
        ("llama3.2", "3b", 3.21, 0.60), ("phi3", "3.8b", 3.82, 1.75), ("mistral", "7b", 7.25, 0.80),
        ("llama3.1", "8b", 8.03, 0.85), ("gemma2", "9b", 9.24, 1.60), ("llama2", "13b", 13.0, 3.50),
        ("qwen2.5", "14b", 14.8, 1.05), ("mistral-small", "22b", 22.2, 1.05), ("gemma2", "27b", 27.2, 1.85),
        ("qwen2.5", "32b", 32.8, 1.30), ("codellama", "34b", 33.7, 1.05), ("mixtral", "8x7b", 46.7, 0.85),
        ("llama3.1", "70b", 70.6, 1.65),
    ]

    struct Host { var yaml: String; var labels: [String]; var instances: Int }

    static func cluster(_ size: BenchSize, seed: UInt64) -> String {
        var rng = SplitMix64(seed: seed &* 0x1000_0001 &+ UInt64(size.models * 1_000_003 + size.instances * 101 + size.quants))
        // Hosts until the instance count is reached.
        var hosts: [Host] = []
        var left = size.instances
        while left > 0 {
            let h = hosts.count
            if rng.chance(0.4) {
                let (mem, usable) = rng.chance(0.5) ? (128, 96) : (192, 144)
                let k = min(left, 1 + rng.below(4))
                let cap = usable / k
                let caps = Array(repeating: "{capacity: \(cap) GiB}", count: k).joined(separator: ", ")
                var labels = ["mac"]
                if mem == 192 { labels.append("big") }
                hosts.append(Host(yaml: "  - {name: studio\(h), address: 10.0.\(h / 250).\(h % 250 + 1), unified_memory: \(mem) GiB, bandwidth: 800 GB/s, labels: [\(labels.joined(separator: ", "))], instances: [\(caps)]}\n",
                                  labels: labels, instances: k))
                left -= k
            } else {
                let vram = rng.pick([8, 12, 16, 24, 48])
                let n = min(left, 1 + rng.below(8))
                var labels = ["gpu"]
                if vram >= 24 { labels.append("fast") }
                hosts.append(Host(yaml: "  - {name: gpubox\(h), address: 10.1.\(h / 250).\(h % 250 + 1), labels: [\(labels.joined(separator: ", "))], gpus: [{name: card\(vram)g, vram: \(vram) GiB, bandwidth: 900 GB/s, count: \(n)}]}\n",
                                  labels: labels, instances: n))
                left -= n
            }
        }
        let allLabels = Array(Set(hosts.flatMap(\.labels))).sorted()

        var y = "name: bench-\(size)-s\(seed)\nhosts:\n"
        for h in hosts { y += h.yaml }
        y += "models:\n"
        struct M { var text: String; var small: Bool; var plain: Bool }
        var models: [M] = []
        for m in 0..<size.models {
            let f = rng.pick(families)
            let jitter = 0.97 + 0.06 * rng.unit()
            var idx = Array(quants.indices)
            while idx.count > size.quants { idx.remove(at: rng.below(idx.count)) }
            let fps = idx.map { q -> String in
                let gb = (f.params * quants[q].bits / 8 + f.overhead) * jitter
                return "\(quants[q].name): \(Int((gb * 1000).rounded())) MB"
            }
            var line = "  - {name: \"m\(pad4(m))-\(f.family):\(f.tag)\", quants: [\(idx.map { quants[$0].name }.joined(separator: ", "))], footprints: {\(fps.joined(separator: ", "))}, priority: \(1 + rng.below(10))"
            var plain = true
            if rng.chance(0.05) {
                line += ", replicas: 2"; plain = false
                if hosts.count > 1 && rng.chance(0.5) { line += ", spread: host" }
            }
            if rng.chance(0.10) {
                line += rng.chance(0.5) ? ", on: [\(rng.pick(allLabels))]" : ", avoid: [\(rng.pick(allLabels))]"
                plain = false
            }
            models.append(M(text: line, small: f.params < 10, plain: plain))
        }
        // A few required: small, unconstrained, single-copy models.
        let want = max(1, size.models / 50)
        var pool = models.indices.filter { models[$0].small && models[$0].plain }
        for _ in 0..<min(want, pool.count) {
            let k = pool.remove(at: rng.below(pool.count))
            models[k].text += ", required: true"
        }
        for m in models { y += m.text + "}\n" }
        return y
    }
}

extension Generator {
    /// A model library (issue 15's shape): `models` 7B–14B models, all of priority 1, each allowing
    /// q8_0 and up to `quants` − 1 more of q6_K/q5_K_M/q4_K_M/f16, with the catalog's
    /// architectures (footprints computed by placeplan, not stated); one 192 GB Mac Studio split into
    /// min(3, instances) instances, the rest on GPU hosts of up to five 8 GiB cards.
    static func library(_ size: BenchSize, seed: UInt64) -> String {
        var rng = SplitMix64(seed: seed &* 0x2000_0003 &+ UInt64(size.models * 1_000_003 + size.instances * 101 + size.quants))
        let archs = [("mistral", "mistral-7b", "7.2B"), ("llama2", "llama2-7b", "6.7B"), ("llama2-13b", "llama2-13b", "13B")]
        let extra = ["q6_K", "q5_K_M", "q4_K_M", "f16"]
        let mac = min(3, size.instances)
        var y = "name: library-\(size)-s\(seed)\nhosts:\n"
        y += "  - {name: studio, address: 10.0.0.1, preset: mac-studio-m2-ultra-192, labels: [mac], instances: ["
        y += (0..<mac).map { "{port: \(11434 + $0), capacity: \(144 / mac) GiB}" }.joined(separator: ", ") + "]}\n"
        var left = size.instances - mac, h = 0
        while left > 0 {
            if size.multiGPU {
                // Four 8 GiB cards per box, two per instance: a 13B at q8_0 is split over a pair.
                let n = min(2, left)
                let inst = (0..<n).map { "{port: \(11434 + $0), gpus: [\($0 * 2), \($0 * 2 + 1)]}" }.joined(separator: ", ")
                y += "  - {name: gpubox\(h), address: 10.1.0.\(h + 1), labels: [gpu], gpus: [{name: Quadro M4000, vram: 8 GiB, count: \(n * 2)}], instances: [\(inst)]}\n"
                left -= n; h += 1
                continue
            }
            let n = min(5, left)
            y += "  - {name: gpubox\(h), address: 10.1.0.\(h + 1), labels: [gpu], gpus: [{name: Quadro M4000, vram: 8 GiB, count: \(n)}]}\n"
            left -= n; h += 1
        }
        y += "models:\n"
        for m in 0..<size.models {
            let a = rng.pick(archs)
            var quants = ["q8_0"]
            var pool = extra
            for _ in 0..<rng.below(size.quants) where !pool.isEmpty { quants.append(pool.remove(at: rng.below(pool.count))) }
            let priority = size.multiGPU ? ", priority: \(1 + rng.below(10))" : ""
            y += "  - {name: \"entity-\(pad4(m))-\(a.0)\", arch: \(a.1), params: \(a.2), quants: [\(quants.joined(separator: ", "))]\(priority)}\n"
        }
        return y
    }

    /// The cluster text of a size: a library or a random cluster.
    static func text(_ size: BenchSize, seed: UInt64) -> String { size.library ? library(size, seed: seed) : cluster(size, seed: seed) }
}

/// Zero-padded to four digits (or more).
func pad4(_ n: Int) -> String {
    let digits = String(n)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}
