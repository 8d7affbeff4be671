/// Checks a published speed or memory claim ("A4000 16 GB: 30B fp16 ~20 tok/s") against physics:
/// (a) do the model's weights + KV cache + compute fit the device's memory, and (b) is the claimed
/// decode speed below the ceiling `bandwidth ÷ bytes read per token`?
///
/// The ceiling is deliberately generous (all of the bandwidth, no fixed cost per token, the
/// token-embedding table not read — `Throughput.bytesPerToken`), so a claim above it is impossible,
/// not merely optimistic. The roofline estimate the planner uses (`Throughput.decodeTokensPerSecond`)
/// is shown beside it as what to expect.
public enum ClaimCheck {
    public struct Device: Sendable, Equatable {
        public var name: String
        /// Physical memory (VRAM, or a Mac's installed unified memory).
        public var memory: Int64
        /// What the GPU may use by default: VRAM, or macOS's default GPU working set (SPEC §3).
        public var gpuUsable: Int64
        public var bandwidthGBps: Double
        public var unified: Bool
        public init(name: String, memory: Int64, gpuUsable: Int64? = nil, bandwidthGBps: Double, unified: Bool) {
            self.name = name; self.memory = memory; self.bandwidthGBps = bandwidthGBps; self.unified = unified
            self.gpuUsable = gpuUsable ?? (unified ? ClaimCheck.defaultWiredLimit(memory) : memory)
        }
    }

    public struct Model: Sendable {
        public var name: String
        public var params: Int64
        /// Known for catalog models; nil for a bare parameter count (then KV cache and compute are not counted).
        public var shape: Architecture?
        public init(name: String, params: Int64, shape: Architecture?) { self.name = name; self.params = params; self.shape = shape }
    }

    public struct Verdict: Sendable {
        public var device: Device
        public var model: Model
        public var quant: Quant
        public var options: RuntimeOptions
        public var weights: Int64
        public var kvCache: Int64
        public var compute: Int64
        public var footprint: Int64 { weights + kvCache + compute }
        public var bytesPerToken: Int64
        /// bandwidth ÷ bytes per token: no device decodes faster.
        public var ceiling: Double
        /// The planner's roofline estimate for one stream alone.
        public var estimate: Double
        public var claimedTokensPerSecond: Double?
        /// What the claim says about fitting: nil (it implies the model runs), or false ("won't fit").
        public var claimedFits: Bool?

        /// The weights alone exceed the device's physical memory.
        public var weightsExceedMemory: Bool { weights > device.memory }
        /// The whole footprint fits what the GPU may use by default.
        public var fits: Bool { footprint <= device.gpuUsable }
        /// Fits only above macOS's default GPU working set (unified memory, raised `iogpu.wired_limit_mb`).
        public var fitsOnlyRaised: Bool { !fits && device.unified && footprint <= device.memory - 8 * Units.GiB }
        public var runs: Bool { fits || fitsOnlyRaised }
        /// Concurrent streams (`--parallel N`): a claimed speed is then their aggregate.
        public var streams: Int { max(1, options.parallel) }
        /// Aggregate ceiling of N streams: one instance with N slots batches them and reads the
        /// weights once per step for all of them (N × the single-stream ceiling); N instances each
        /// read their own copy and share the bandwidth (the single-stream ceiling in total).
        public var aggregateCeiling: Double { ceiling * Double(streams) }
        /// N instances (or copies) of the model on one device decoding at once, each stream at
        /// 1 ÷ (N × b + c) with b, c the roofline's bandwidth and fixed terms — the same sharing model
        /// as `compare`'s shared totals. For two instances of a 7B at q4_0 on an M2 Ultra it predicts
        /// 1.31× one stream; the seed measured 1.22× with two instances on one Mac (its model and
        /// quantization unstated): the fixed cost per token is what keeps it far below 2×.
        public var separateInstancesAggregate: Double {
            let c = (device.unified ? Throughput.apple : Throughput.nvidia).fixedSeconds
            let b = max(1 / estimate - c, 0)
            return Double(streams) / (Double(streams) * b + c)
        }
        public var speedImpossible: Bool { (claimedTokensPerSecond ?? 0) > aggregateCeiling }

        /// The claim is physically possible.
        public var plausible: Bool {
            if claimedFits == false { return !runs }
            return runs && !speedImpossible
        }

        public var lines: [String] {
            let g = { (b: Int64) in Units.format(Double(b) / 1e9, digits: 1) + " GB" }
            var out: [String] = []
            let what = "\(model.name) at \(quant.rawValue)"
            out.append("\(what) on \(device.name) (\(g(device.memory))\(device.unified ? " unified, \(g(device.gpuUsable)) GPU working set by default" : ""), \(Units.format(device.bandwidthGBps, digits: 0)) GB/s)")
            if model.shape != nil {
                out.append("  memory: \(g(footprint)) = \(g(weights)) weights + \(g(kvCache)) KV (ctx \(options.ctx) × \(options.parallel)) + \(g(compute)) compute")
            } else {
                out.append("  memory: \(g(weights)) of weights (\(Units.format(Double(model.params) / 1e9, digits: 1))B params × \(quant.bitsPerWeight) bits ÷ 8); KV cache and compute not counted (give a catalog model for them)")
            }
            if fits {
                out.append("  fits: yes, \(g(footprint)) of \(g(device.gpuUsable))")
            } else if fitsOnlyRaised {
                out.append("  fits: only with the GPU working set raised (`sudo sysctl iogpu.wired_limit_mb=…`): \(g(footprint)) > \(g(device.gpuUsable)) default")
            } else {
                out.append("  fits: NO, \(weightsExceedMemory ? "the weights alone need" : "it needs") \(g(weightsExceedMemory ? weights : footprint)), the device has \(g(device.unified ? device.memory : device.gpuUsable))")
            }
            out.append("  ceiling: \(Units.format(device.bandwidthGBps, digits: 0)) GB/s ÷ \(g(bytesPerToken)) read per token = \(Units.format(ceiling, digits: 1)) tok/s (no device does better); roofline estimate ~\(Units.format(estimate, digits: 1)) tok/s")
            if streams > 1 {
                let sep = separateInstancesAggregate
                out.append("  \(streams) concurrent streams, judged as their aggregate: \(streams) separate instances share the bandwidth, ~\(Units.format(sep, digits: 1)) tok/s in total (\(Units.format(sep / estimate, digits: 2))× one stream; the seed measured 1.22× for two instances on one Mac); one instance with \(streams) slots batches them, reading the weights once per step: at most \(Units.format(aggregateCeiling, digits: 1)) tok/s in total")
            }
            if claimedFits == false {
                out.append(runs ? "  verdict: IMPOSSIBLE claim — it says the model won't fit, but it does" : "  verdict: plausible — it indeed does not fit")
                return out
            }
            if let c = claimedTokensPerSecond {
                let speed = Units.format(c, digits: 1)
                if !runs && speedImpossible {
                    out.append("  verdict: IMPOSSIBLE — it does not fit, and \(speed) tok/s is above the \(Units.format(ceiling, digits: 1)) tok/s ceiling even if it did")
                } else if !runs {
                    out.append("  verdict: IMPOSSIBLE — it does not fit, so it cannot run at \(speed) tok/s on this device alone")
                } else if speedImpossible {
                    out.append("  verdict: IMPOSSIBLE — \(speed) tok/s is above the \(Units.format(aggregateCeiling, digits: 1)) tok/s ceiling (\(Units.format(c / aggregateCeiling, digits: 1))×)")
                } else if streams > 1, c > ceiling {
                    out.append("  verdict: plausible only as one instance with \(streams) slots (batched): \(speed) tok/s in total is above what \(streams) separate instances can reach (\(Units.format(ceiling, digits: 1)) tok/s ceiling, ~\(Units.format(separateInstancesAggregate, digits: 1)) estimated)")
                } else if streams > 1 {
                    out.append("  verdict: plausible — \(speed) tok/s in total; \(streams) separate instances reach ~\(Units.format(separateInstancesAggregate, digits: 1)), one instance with \(streams) slots more")
                } else if c > estimate * 1.15 {
                    out.append("  verdict: plausible but optimistic — \(speed) tok/s is below the ceiling, above the ~\(Units.format(estimate, digits: 1)) tok/s estimate")
                } else {
                    out.append("  verdict: plausible — \(speed) tok/s is below the \(Units.format(ceiling, digits: 1)) tok/s ceiling")
                }
            } else {
                out.append(runs ? "  verdict: plausible — it fits" : "  verdict: IMPOSSIBLE — it does not fit")
            }
            return out
        }
    }

    /// macOS's default GPU working set (SPEC §3): 2/3 of memory below 36 GiB, 3/4 from 36 GiB up.
    public static func defaultWiredLimit(_ memory: Int64) -> Int64 {
        memory < 36 * Units.GiB ? memory * 2 / 3 : memory * 3 / 4
    }

    /// A GPU preset name ("RTX A4000", "rtx-a4000") or an Apple preset id ("mac-studio-m2-ultra-128").
    public static func device(named name: String) -> Device? {
        if let c = Presets.card(name) {
            return Device(name: name, memory: c.vram, bandwidthGBps: c.bandwidthGBps, unified: false)
        }
        if let u = Presets.unified(name) {
            return Device(name: u.id, memory: u.memory, bandwidthGBps: u.bandwidthGBps, unified: true)
        }
        return nil
    }

    /// A catalog model ("llama3:8b") or a parameter count ("30B", "7b", "70.6B").
    public static func model(_ text: String) -> Model? {
        if let e = Catalog.lookup(text) { return Model(name: e.names.first ?? text, params: e.shape.params, shape: e.shape) }
        if let n = Units.parseParams(text), n >= 1_000_000 { return Model(name: "\(text.uppercased()) params", params: n, shape: nil) }
        return nil
    }

    public static func check(device: Device, model: Model, quant: Quant, options: RuntimeOptions,
                             claimedTokensPerSecond: Double?, claimedFits: Bool? = nil) -> Verdict {
        let weights = FootprintModel.weights(params: model.params, bitsPerWeight: quant.bitsPerWeight)
        let kv = model.shape.map { FootprintModel.kvCache($0, options) } ?? 0
        let compute = model.shape.map { FootprintModel.compute($0, options) } ?? 0
        let bpt = max(1, Throughput.bytesPerToken(weights: weights, shape: model.shape, bitsPerWeight: quant.bitsPerWeight))
        let ceiling = device.bandwidthGBps * 1e9 / Double(bpt)
        let estimate = Throughput.decodeTokensPerSecond(bytesPerToken: bpt, bandwidthGBps: device.bandwidthGBps, unified: device.unified)
        return Verdict(device: device, model: model, quant: quant, options: options, weights: weights, kvCache: kv, compute: compute,
                       bytesPerToken: bpt, ceiling: ceiling, estimate: estimate, claimedTokensPerSecond: claimedTokensPerSecond, claimedFits: claimedFits)
    }
}
