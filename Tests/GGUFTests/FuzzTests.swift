import Foundation
import Testing
@testable import GGUF

/// Seeded random mutations of the fixtures: the reader must return a header or a GGUFError, nothing else.
/// 10,000 inputs in a normal run (~5 s in a debug build); `PLACEPLAN_FUZZ_ITERATIONS=N` runs N (e.g. 1000000).
@Suite struct FuzzTests {
    static let iterations = Int(ProcessInfo.processInfo.environment["PLACEPLAN_FUZZ_ITERATIONS"] ?? "") ?? 10_000
    static let seed: UInt64 = 0x91AC_E9A4

    /// Values that hit boundaries of length and count checks.
    static let interesting: [UInt64] = [0, 1, 2, 3, 4, 7, 8, 12, 13, 24, 31, 32, 255, 256, 4096, 4097, 65535,
                                        1 << 20, 1 << 31, 1 << 32, 1 << 60, 1 << 62, 1 << 63, .max - 1, .max]

    @Test func randomMutationsNeverCrash() throws {
        // Whole files (the tensor bounds check needs the real size); mutations aim at the header.
        let seeds: [(bytes: [UInt8], headerEnd: Int)] = Fixtures.allFiles.map { f in
            let bytes = Fixtures.bytes(f)
            return (bytes, Int(try! GGUFHeader.parse(bytes).dataOffset))
        }
        var rng = SplitMix64(seed: Self.seed)
        var accepted = 0
        var errors = 0
        let start = ContinuousClock.now
        for i in 0..<Self.iterations {
            var input = seeds[i % seeds.count].bytes
            let headerEnd = seeds[i % seeds.count].headerEnd
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                Self.mutate(&input, headerEnd: headerEnd, using: &rng)
            }
            do {
                let h = try GGUFHeader.parse(input)
                _ = GGUFInfo(parts: [h])  // the derived facts must not trap either
                accepted += 1
            } catch is GGUFError {
                errors += 1
            } catch {
                Issue.record("iteration \(i): unexpected error type \(error)")
            }
        }
        let elapsed = ContinuousClock.now - start
        print("fuzz: \(Self.iterations) inputs (seed \(Self.seed)), \(accepted) accepted, \(errors) errors, \(elapsed)")
        #expect(accepted + errors == Self.iterations)
        #expect(errors > 0 && accepted > 0)
    }

    static func mutate(_ b: inout [UInt8], headerEnd: Int, using rng: inout SplitMix64) {
        guard !b.isEmpty else { b = [0x47, 0x47, 0x55, 0x46]; return }
        // Mostly inside the header, where the parser looks.
        let at = Int.random(in: 0..<max(1, min(b.count, headerEnd)), using: &rng)
        switch Int.random(in: 0..<10, using: &rng) {
        case 0, 1:
            b[at] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
        case 2:
            b[at] = UInt8.random(in: 0...255, using: &rng)
        case 3, 4:
            // An interesting 64-bit (or 32-bit) little-endian value over a length or count.
            let v = interesting.randomElement(using: &rng)! &+ (Bool.random(using: &rng) ? 0 : UInt64.random(in: 0...2, using: &rng))
            let width = Bool.random(using: &rng) ? 8 : 4
            for k in 0..<width where at + k < b.count { b[at + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(k))) }
        case 5:
            let n = Int.random(in: 1...16, using: &rng)
            b.insert(contentsOf: (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }, at: at)
        case 6:
            let n = min(b.count - at, Int.random(in: 1...16, using: &rng))
            b.removeSubrange(at..<at + n)
        case 7:
            b.removeSubrange(Int.random(in: 0..<b.count, using: &rng)...)
        case 8:
            // Copy a slice elsewhere: duplicates keys, strings and tensor infos.
            let n = min(b.count - at, Int.random(in: 1...64, using: &rng))
            let slice = Array(b[at..<at + n])
            b.insert(contentsOf: slice, at: Int.random(in: 0...b.count, using: &rng))
        default:
            // A small value type or ggml type id: exercises the type switches.
            b[at] = UInt8.random(in: 0...42, using: &rng)
        }
    }
}
