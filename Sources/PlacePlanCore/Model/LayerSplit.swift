/// Multi-GPU instances (SPEC §3): how llama.cpp's layer split puts one copy on several cards, the
/// capacity the solver sees for such an instance, and the dealing plan building verifies it with.
///
/// **The split.** With `--split-mode layer` each card holds a run of consecutive repeating layers
/// (their weights and their share of the KV cache), every card that holds any layer of a model
/// reserves that model's own compute buffer, and the output layer sits on the last card of the run.
/// A copy that fits one card whole goes on one card, the one with most free memory (Ollama's
/// scheduler tries a single GPU first unless `OLLAMA_SCHED_SPREAD`; ollama.md §1).
///
/// **The dealing** (`deal`): copies in decreasing size; a copy that fits a card whole goes there;
/// otherwise its items (layer 0 … layer n−1, output) are dealt in order from a pointer that only
/// moves forward over the cards ("next fit"), paying the copy's compute buffer on each card it uses.
///
/// **The capacity rule** (`capacity`): Σ over cards (vram − gpu_reserve) − (cards − 1) × W, where W
/// is the largest `overhead` (compute buffer + largest item) of any copy allowed there. Why it is
/// enough: the pointer crosses at most cards − 1 boundaries; at each, what is lost is the gap left
/// on the card (smaller than the item that did not fit, plus the copy's compute buffer when it had
/// not started there) or the extra compute buffer paid on the next card — together at most W. So if
/// the copies' footprints sum to at most the capacity, the last card still has room for whatever
/// is left, and the dealing never fails. A whole-card placement only fills a card, never moves the
/// pointer. `LayerSplitTests` checks this on random cases; plan building still verifies every
/// instance and drops a copy that could not be dealt (it never happens with this rule).
///
/// Approximations: the KV cache is shared evenly over the repeating layers (Gemma 2's alternating
/// window layers hold less than their share), a vision projector travels with layer 0, and the token
/// embedding and output tensors form the output item (llama.cpp keeps the input embedding on the CPU:
/// counting it on the last card is conservative). A copy whose footprint was given whole
/// (`footprints:`) has no layers to deal: it is not placed on multi-GPU instances.
public enum LayerSplit {
    /// One copy as the split sees it.
    public struct Copy: Equatable, Sendable {
        /// Dealt in order: each repeating layer's weights + KV share (the projector with layer 0), then the output item.
        public var items: [Int64]
        /// The compute buffer, reserved on every card that holds part of the copy.
        public var compute: Int64
        public var total: Int64 { items.reduce(0, +) + compute }
        /// The most one card boundary can cost this copy.
        public var overhead: Int64 { compute + (items.max() ?? 0) }
    }

    /// The copy's layers; nil when its footprint was given whole (or there is no shape to split by).
    public static func copy(_ f: Footprint, shape: Architecture?, quant: Quant) -> Copy? {
        guard f.source != "footprints", let shape, shape.layers >= 1 else { return nil }
        let n = shape.layers
        var layerBytes = [Int64](repeating: 0, count: n)
        var all: Int64 = 0
        for t in TensorLayout.tensors(shape) {
            let b = TensorLayout.bytes(of: t, quant: quant, in: shape)
            all += b
            if let l = t.layer, l >= 0, l < n { layerBytes[l] += b }
        }
        // The real weights (GGUF size, sizes[q], or the catalog's) in the layout's proportions; the
        // remainder (output, embeddings, header) is the output item, so the items sum exactly.
        var items = [Int64](repeating: 0, count: n + 1)
        var dealt: Int64 = 0
        for l in 0..<n {
            let w = all > 0 ? scaled(f.weights, layerBytes[l], all) : f.weights / Int64(n + 1)
            let kv = f.kvCache / Int64(n) + (l == n - 1 ? f.kvCache % Int64(n) : 0)
            items[l] = w + kv
            dealt += w
        }
        items[n] = f.weights - dealt
        items[0] += f.projector
        return Copy(items: items, compute: f.compute)
    }

    /// a × b ÷ c without overflow (b ≤ c).
    static func scaled(_ a: Int64, _ b: Int64, _ c: Int64) -> Int64 {
        let p = a.multipliedFullWidth(by: b)
        return c.dividingFullWidth((p.high, p.low)).quotient
    }

    /// What the solver may put on cards with `free` bytes each, when no copy allowed there has an
    /// overhead above `overhead` (see the type's comment for why the dealing then always succeeds).
    public static func capacity(free: [Int64], overhead: Int64) -> Int64 {
        max(0, free.reduce(0, +) - Int64(max(0, free.count - 1)) * overhead)
    }

    /// Deals copies (`nil`: given whole, one card only) to cards with `free` bytes each. Returns each
    /// copy's bytes per card in the caller's order, or nil for a copy that could not be dealt (the
    /// others stay dealt).
    public static func deal(_ copies: [(total: Int64, layers: Copy?)], free: [Int64]) -> [[Int64]?] {
        var rem = free
        var out = [[Int64]?](repeating: nil, count: copies.count)
        let order = copies.indices.sorted { (copies[$0].total, -$0) > (copies[$1].total, -$1) }
        var ptr = 0
        for k in order {
            let c = copies[k]
            var per = [Int64](repeating: 0, count: free.count)
            // Whole on one card: the one with most free memory (lowest index on ties).
            if let g = rem.indices.filter({ rem[$0] >= c.total }).max(by: { (rem[$0], -$0) < (rem[$1], -$1) }) {
                rem[g] -= c.total; per[g] = c.total; out[k] = per
                continue
            }
            guard let layers = c.layers, ptr < free.count else { continue }
            var saved = rem, savedPtr = ptr, ok = true
            var paid = [Bool](repeating: false, count: free.count)
            for item in layers.items {
                while true {
                    let need = item + (paid[ptr] ? 0 : layers.compute)
                    if rem[ptr] >= need { rem[ptr] -= need; per[ptr] += need; paid[ptr] = true; break }
                    ptr += 1
                    if ptr == free.count { ok = false; break }
                }
                if !ok { break }
            }
            if ok { out[k] = per } else { swap(&saved, &rem); ptr = savedPtr }
        }
        return out
    }
}
