/// `split: pooled` (SPEC §3): the instances of one Mac are one bin for the solver — usable memory
/// less each instance's Metal minimum — because what the solver must respect is exactly that: the
/// instances share one unified memory, and any division of the placed copies among them is as good
/// for coverage and quality. The walls are then placeplan's choice, made here.
public enum PoolSplit {
    /// Which slot each copy goes to, and each slot's budget.
    public struct Division: Equatable, Sendable {
        /// Slot of each copy, in the caller's order.
        public var slot: [Int]
        /// Bytes of each slot's copies.
        public var used: [Int64]
        /// What each slot may hold: its copies' bytes plus an equal share of the pool's spare
        /// bytes among the slots that hold anything (the remainder to the first of them), so that an
        /// estimate a little short of what Ollama allocates does not stop a load. Σ budgets = pool
        /// capacity when anything is placed; 0 for an empty slot.
        public var budget: [Int64]
    }

    /// Deterministic: copies by decreasing bytes (then the caller's order), each to the slot holding
    /// the fewest bytes so far (lowest index on ties). The solver allows one copy of a model per bin,
    /// so a slot never holds two copies of one model.
    public static func divide(bytes: [Int64], slots: Int, capacity: Int64) -> Division {
        var slot = [Int](repeating: 0, count: bytes.count)
        var used = [Int64](repeating: 0, count: slots)
        var count = [Int](repeating: 0, count: slots)
        for k in bytes.indices.sorted(by: { (bytes[$0], -$0) > (bytes[$1], -$1) }) {
            let s = used.indices.min { (used[$0], count[$0], $0) < (used[$1], count[$1], $1) }!
            slot[k] = s; used[s] += bytes[k]; count[s] += 1
        }
        let busy = used.indices.filter { count[$0] > 0 }
        var budget = [Int64](repeating: 0, count: slots)
        let spare = max(0, capacity - used.reduce(0, +))
        for (n, s) in busy.enumerated() {
            budget[s] = used[s] + spare / Int64(busy.count) + (n == 0 ? spare % Int64(busy.count) : 0)
        }
        return Division(slot: slot, used: used, budget: budget)
    }

    /// `OLLAMA_GPU_OVERHEAD` for a budget: Ollama's scheduler sees `free − GPU_OVERHEAD −
    /// MinimumMemory()` (server/sched.go; ollama.md §5), and Metal's free memory is the working set
    /// (`recommendedMaxWorkingSetSize`, which follows iogpu.wired_limit_mb). So working set − 512 MiB −
    /// budget leaves the instance exactly its budget.
    public static func gpuOverhead(workingSet: Int64, budget: Int64) -> Int64 {
        max(0, workingSet - InstanceBuilder.metalMinimum - budget)
    }
}
