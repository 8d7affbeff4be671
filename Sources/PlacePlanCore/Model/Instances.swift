/// Instances: the bins of the placement (SPEC §3).
public struct Bin: Equatable, Sendable {
    public var id: String
    public var host: Int
    public var index: Int
    public var port: Int
    public var ololPort: Int
    public var gpu: Int?
    public var gpuName: String?
    public var capacity: Int64
    public var bandwidthGBps: Double?
}

/// One host's memory budget and its instances.
public struct HostLayout: Equatable, Sendable {
    public var host: Cluster.Host
    public var capacity: Int64
    public var memory: Int64?
    public var reserve: Int64?
    public var wiredLimit: Int64?
    /// macOS's default GPU working set for this memory size.
    public var defaultWiredLimit: Int64?
    public var bins: [Bin]
    public var isUnified: Bool { memory != nil }
    /// MiB to set with `sudo sysctl iogpu.wired_limit_mb=N` (the host's whole budget) when the copies
    /// placed on it (`used` bytes) need more than macOS's default working set; nil when they fit within
    /// the default, even if the profile allowed more.
    public func requiredWiredLimitMB(used: Int64) -> Int64? {
        guard let d = defaultWiredLimit, capacity > d, used > d else { return nil }
        return (capacity + Units.MiB - 1) / Units.MiB
    }
}

public enum InstanceBuilder {
    /// What every Ollama server on a Mac keeps back before fitting a model: Ollama's
    /// `MinimumMemory()` for Metal, 512 MiB (`ml/device.go`), subtracted from free memory in
    /// `server/sched.go`. Each instance of a profile's split pays it once, out of its slice (an
    /// explicit `instances:` capacity is used exactly as given). GPU instances pay `gpu_reserve`,
    /// which covers CUDA's own 457 MiB minimum.
    public static let metalMinimum: Int64 = 512 * Units.MiB

    /// macOS's default GPU working set: 2/3 of memory below 36 GiB, 3/4 from 36 GiB up (SPEC §3;
    /// Ollama v0.1.27 gpu/gpu_darwin.go used the same rule before querying recommendedMaxWorkingSetSize).
    public static func defaultWiredLimit(_ memory: Int64) -> Int64 {
        memory < 36 * Units.GiB ? memory * 2 / 3 : memory * 3 / 4
    }

    /// Lays out every host (hosts sorted by name). Throws InvalidInput for impossible budgets or port clashes.
    public static func build(_ cluster: Cluster, profile: Profile, file: String) throws -> [HostLayout] {
        var diags: [Diagnostic] = []
        let indexed = cluster.hosts.enumerated().map { ($0.offset, $0.element) }
        var layouts: [HostLayout] = []
        for (hi, (origIndex, h)) in indexed.sorted(by: { $0.1.name < $1.1.name }).enumerated() {
            let p = "hosts[\(origIndex)]"
            var layout = HostLayout(host: h, capacity: 0, memory: nil, reserve: nil, wiredLimit: nil, defaultWiredLimit: nil, bins: [])
            var specs: [(cap: Int64, port: Int?, gpu: Int?, gpuName: String?, bw: Double?)] = []
            switch h.memory {
            case .unified(let mem):
                let reserve = h.reserve ?? profile.reserve
                let dflt = defaultWiredLimit(mem)
                let wired = h.gpuWiredLimit ?? (profile.raiseWiredLimit ? mem - reserve : dflt)
                let usable = min(mem - reserve, wired)
                layout.memory = mem; layout.reserve = reserve; layout.wiredLimit = wired; layout.defaultWiredLimit = dflt
                if usable <= 0 {
                    diags.append(cluster.diagnostic(file: file, field: "\(p).reserve", message: "leaves no memory for models (\(Units.gb(mem)) installed, \(Units.gb(reserve)) reserved)", fix: "lower the reserve"))
                    continue
                }
                if let explicit = h.instances {
                    specs = explicit.map { ($0.capacity, $0.port, nil, nil, h.bandwidthGBps) }
                } else if let cap = profile.instanceCapacity {
                    let n = max(1, Int(usable / cap))
                    specs = Array(repeating: (max(0, min(cap, usable) - metalMinimum), nil, nil, nil, h.bandwidthGBps), count: n)
                } else {
                    let n = profile.instancesPerHost
                    specs = Array(repeating: (max(0, usable / Int64(n) - metalMinimum), nil, nil, nil, h.bandwidthGBps), count: n)
                }
                layout.capacity = h.instances == nil ? usable : specs.reduce(0) { $0 + $1.cap }
            case .gpus(let gpus):
                if let explicit = h.instances {
                    specs = explicit.enumerated().map { k, s in
                        let g = s.gpu ?? (explicit.count == gpus.count ? k : nil)
                        return (s.capacity, s.port, g, g.map { gpus[$0].name }, g.map { gpus[$0].bandwidthGBps } ?? gpus.first?.bandwidthGBps)
                    }
                } else {
                    for (k, g) in gpus.enumerated() {
                        let cap = g.vram - profile.gpuReserve
                        if cap <= 0 {
                            diags.append(cluster.diagnostic(file: file, field: "\(p).gpus[\(k)].vram", message: "is smaller than the profile's gpu_reserve (\(Units.gb(profile.gpuReserve)))", fix: "lower gpu_reserve in the profile"))
                        }
                        specs.append((max(cap, 0), nil, k, g.name, g.bandwidthGBps))
                    }
                }
                layout.capacity = specs.reduce(0) { $0 + $1.cap }
            }
            var ports: [Int: String] = [:]
            for (k, s) in specs.enumerated() {
                let port = s.port ?? h.basePort + k
                let olol = h.ololBasePort + k
                let field = h.instances != nil ? "\(p).instances[\(k)].port" : "\(p).base_port"
                if port > 65535 || olol > 65535 {
                    diags.append(cluster.diagnostic(file: file, field: field, message: "gives instance \(k) port \(max(port, olol)), above 65535", fix: "lower base_port / olol_base_port"))
                }
                if let other = ports[port] {
                    diags.append(cluster.diagnostic(file: file, field: field, message: "gives port \(port) twice on host \(h.name) (also \(other))", fix: "give every instance of a host its own port"))
                }
                ports[port] = "instance \(k)"
                if let other = ports[olol], cluster.olol {
                    diags.append(cluster.diagnostic(file: file, field: "\(p).olol_base_port", message: "gives OLOL port \(olol) that clashes with \(other)", fix: "move olol_base_port away from the Ollama ports"))
                }
                if cluster.olol { ports[olol] = "OLOL server \(k)" }
                layout.bins.append(Bin(id: "\(h.name)/\(k)", host: hi, index: k, port: port, ololPort: olol, gpu: s.gpu, gpuName: s.gpuName, capacity: s.cap, bandwidthGBps: s.bw))
            }
            layouts.append(layout)
        }
        if !diags.isEmpty { throw InvalidInput(diags) }
        return layouts
    }
}
