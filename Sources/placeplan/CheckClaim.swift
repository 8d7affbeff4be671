import ArgumentParser
import Foundation
import PlacePlanCore

extension PlacePlan {
    struct CheckClaim: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check-claim",
            abstract: "Check a claimed speed or fit against memory size and bandwidth.",
            discussion: """
            Says (a) whether the model's weights + KV cache + compute fit the device's memory and (b) the \
            ceiling tokens/s = bandwidth ÷ bytes read per token (all dense weights once per token; all of \
            the bandwidth, no fixed cost), flagging a claimed speed above it. The planner's roofline \
            estimate is shown beside the ceiling.

            Examples (seed 000's latency table):
              placeplan check-claim --device "RTX A4000" --model 30B --quant f16 --tokens-per-s 20
              placeplan check-claim --device rtx-a4000 --model mistral:7b --quant f16 --tokens-per-s 60
              placeplan check-claim --device mac-studio-m2-ultra-128 --model llama3:70b --quant q8_0 --tokens-per-s 5
              placeplan check-claim --device "RTX A4000" --model llama3:70b --quant q8_0 --fits no
              placeplan check-claim --vram 16GiB --bandwidth 448GB/s --params 13B --quant f16 --tokens-per-s 40

            Exit codes:
              0   the claim is physically possible (it may still be optimistic)
              1   the claim is impossible: the model does not fit, or the speed is above the ceiling
              64  usage error
              65  unknown device or model (the known ones are listed)
            """)

        @Option(help: "A GPU preset (\"RTX A4000\", rtx-3090, …) or an Apple preset id (mac-studio-m2-ultra-128).") var device: String?
        @Option(help: "Device memory instead of --device (e.g. 16GiB).") var vram: String?
        @Option(help: "Device bandwidth instead of --device (e.g. 448GB/s).") var bandwidth: String?
        @Flag(help: "With --vram: the device is unified memory (Apple Silicon).") var unified = false
        @Option(help: "A catalog model (llama3:8b) or a parameter count (30B).", completion: Completions.models) var model: String?
        @Option(help: "A parameter count (30B) instead of --model.") var params: String?
        @Option(help: "Quantization (f16, q8_0, q4_K_M, …).") var quant: String = "f16"
        @Option(help: "The claimed decode speed.") var tokensPerS: Double?
        @Option(help: "The claim about fitting: yes (default: it runs) or no (\"won't fit\").") var fits: String?
        @Option(help: "Context length for the KV cache.") var ctx: Int = 2048
        @Option(help: "Concurrent streams (slots): --tokens-per-s is then their aggregate; shows N instances vs one instance with N slots.") var parallel: Int = 1

        func validate() throws {
            if (device == nil) == (vram == nil && bandwidth == nil) { throw ValidationError("give --device, or --vram and --bandwidth") }
            if device == nil, vram == nil || bandwidth == nil { throw ValidationError("--vram and --bandwidth go together") }
            if (model == nil) == (params == nil) { throw ValidationError("give --model or --params") }
            if Quant(parsing: quant) == nil { throw ValidationError("--quant must be one of \(Quant.allCases.map(\.rawValue).joined(separator: ", ")) (got \(quant))") }
            if let t = tokensPerS, !(t > 0 && t.isFinite) { throw ValidationError("--tokens-per-s must be positive (got \(t))") }
            if let f = fits, !["yes", "no"].contains(f) { throw ValidationError("--fits must be yes or no (got \(f))") }
            guard (1...10_485_760).contains(ctx) else { throw ValidationError("--ctx must be between 1 and 10485760 (got \(ctx))") }
            guard (1...256).contains(parallel) else { throw ValidationError("--parallel must be between 1 and 256 (got \(parallel))") }
            if let v = vram, Units.parseSize(v).map({ $0 > 0 }) != true { throw ValidationError("--vram must be a size such as 16GiB (got \(v))") }
            if let b = bandwidth, Units.parseBandwidth(b) == nil { throw ValidationError("--bandwidth must be like 448GB/s (got \(b))") }
        }

        func run() throws {
            try Failure.run {
                let dev: ClaimCheck.Device
                if let device {
                    guard let d = ClaimCheck.device(named: device) else {
                        throw InvalidInput([Diagnostic(file: "<command line>", field: "--device", message: "\"\(device)\" is not a known device",
                            fix: "give one of \(Presets.cards.map(\.id).joined(separator: ", ")), an Apple preset such as mac-studio-m2-ultra-128, or --vram and --bandwidth")])
                    }
                    dev = d
                } else {
                    let mem = Units.parseSize(vram!)!, bw = Units.parseBandwidth(bandwidth!)!
                    dev = ClaimCheck.Device(name: "\(vram!) at \(bandwidth!)", memory: mem, bandwidthGBps: bw, unified: unified)
                }
                let text = model ?? params!
                guard let m = ClaimCheck.model(text) else {
                    throw InvalidInput([Diagnostic(file: "<command line>", field: model != nil ? "--model" : "--params", message: "\"\(text)\" is neither a catalog model nor a parameter count",
                        fix: "give a name such as llama3:8b, or a count such as 30B")])
                }
                let v = ClaimCheck.check(device: dev, model: m, quant: Quant(parsing: quant)!, options: RuntimeOptions(ctx: ctx, parallel: parallel),
                                         claimedTokensPerSecond: tokensPerS, claimedFits: fits.map { $0 == "yes" })
                writeStdout(v.lines.joined(separator: "\n") + "\n")
                if !v.plausible { throw ExitCode(1) }
            }
        }
    }
}
