/// XML/HTML text escaping for the SVG and HTML reports.
public enum XMLText {
    /// Escapes `& < > " '` and drops characters XML 1.0 forbids (C0 controls other than tab, newline
    /// and carriage return; U+FFFE, U+FFFF), so any name can go into text or an attribute value.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out += " "
            default:
                let v = u.value
                if v < 0x20 || v == 0x7F || v == 0xFFFE || v == 0xFFFF || (0x80...0x9F).contains(v) { out += "\u{FFFD}" } else { out.unicodeScalars.append(u) }
            }
        }
        return out
    }
}

/// Deterministic colours: a model's name picks its hue (FNV-1a), and its three parts (weights,
/// KV cache, compute) are three shades of it.
public enum ModelColour {
    static func fnv1a(_ s: String) -> UInt32 {
        var h: UInt32 = 2_166_136_261
        for b in s.utf8 { h ^= UInt32(b); h = h &* 16_777_619 }
        // murmur3's finalizer: names that differ only in their last characters land far apart.
        h ^= h >> 16; h = h &* 0x85eb_ca6b; h ^= h >> 13; h = h &* 0xc2b2_ae35; h ^= h >> 16
        return h
    }

    /// `#rrggbb` for the model's weights, KV cache and compute segments (dark → light).
    public static func shades(_ name: String) -> (weights: String, kv: String, compute: String) {
        let h = fnv1a(name)
        let hue = Double(h % 360)
        let sat = 0.50 + Double((h >> 9) % 20) / 100  // 0.50 … 0.69
        return (hex(hue, sat, 0.36), hex(hue, sat, 0.56), hex(hue, sat, 0.76))
    }

    static func hex(_ h: Double, _ s: Double, _ l: Double) -> String {
        let c = (1 - abs(2 * l - 1)) * s
        let hp = h / 60
        let x = c * (1 - abs(hp.truncatingRemainder(dividingBy: 2) - 1))
        let (r1, g1, b1): (Double, Double, Double)
        switch Int(hp) {
        case 0: (r1, g1, b1) = (c, x, 0)
        case 1: (r1, g1, b1) = (x, c, 0)
        case 2: (r1, g1, b1) = (0, c, x)
        case 3: (r1, g1, b1) = (0, x, c)
        case 4: (r1, g1, b1) = (x, 0, c)
        default: (r1, g1, b1) = (c, 0, x)
        }
        let m = l - c / 2
        func byte(_ v: Double) -> String {
            let n = max(0, min(255, Int(((v + m) * 255).rounded())))
            let digits = Array("0123456789abcdef")
            return String([digits[n / 16], digits[n % 16]])
        }
        return "#" + byte(r1) + byte(g1) + byte(b1)
    }
}
