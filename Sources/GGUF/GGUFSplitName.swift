/// The file name of one part of a split model, `<prefix>-00001-of-00003.gguf`
/// (llama.cpp `llama_split_path`: "%s-%05d-of-%05d.gguf"; part numbers are 1-based).
public struct GGUFSplitName: Sendable, Equatable {
    /// The path up to, not including, "-00001-of-00003.gguf".
    public var prefix: String
    /// This part's number, from 1.
    public var number: Int
    /// How many parts the name says there are.
    public var count: Int

    /// Recognises a split part's path; nil for any other name.
    public init?(path: String) {
        let suffix = ".gguf"
        guard path.hasSuffix(suffix) else { return nil }
        let stem = Array(path.utf8.dropLast(suffix.utf8.count))
        // "-NNNNN-of-NNNNN" is 15 bytes.
        guard stem.count > 15 else { return nil }
        let tail = Array(stem.suffix(15))
        let digits = { (r: Range<Int>) -> Int? in
            let s = tail[r]
            guard s.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
            return Int(String(decoding: s, as: UTF8.self))
        }
        guard tail[0] == UInt8(ascii: "-"), Array(tail[6..<10]) == Array("-of-".utf8),
              let n = digits(1..<6), let c = digits(10..<15), n >= 1, c >= 1, n <= c else { return nil }
        prefix = String(decoding: stem.dropLast(15), as: UTF8.self)
        number = n
        count = c
    }

    /// The path of part `n` of the same model.
    public func path(part n: Int) -> String {
        prefix + "-" + Self.padded(n) + "-of-" + Self.padded(count) + ".gguf"
    }

    /// A part number as llama.cpp writes it, zero-padded to five digits.
    static func padded(_ n: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, 5 - s.count)) + s
    }
}
