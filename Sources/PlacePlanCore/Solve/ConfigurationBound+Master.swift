import GLPKSolver

extension ConfigurationBound {
    /// The classes with their models and options, and the rows of the master LP: items 0..<M,
    /// classes M..<M+K, then spread rows, then (level 2) the coverage row. Built once per solve;
    /// the master (this file) and the pricing (`ConfigurationBound+Pricing.swift`) read it.
    struct Model {
        typealias Config = ConfigurationBound.Config
        typealias Pick = ConfigurationBound.Pick
        let p: PlacementProblem
        let cls: AggregatedBound.Classes
        let M: Int, K: Int
        var classes: [Class] = []
        /// Per class: a model's position in its `items`.
        var position: [[Int: Int]]
        var rowCount: Int
        /// H_c of each spread row, in order from row M+K.
        var spreadBound: [Double] = []
        var coverageRow: Int { rowCount }

        /// `byHost`: classes within one host (enumeration needs spread: host as a row of the master).
        init(_ p: PlacementProblem, byHost: Bool) {
            self.p = p
            cls = AggregatedBound.classes(p, byHost: byHost)
            M = p.items.count; K = cls.members.count
            position = Array(repeating: [:], count: K)
            rowCount = M + K
            // Classes, their models and options.
            for c in 0..<K {
                let b0 = cls.members[c][0]
                classes.append(Class(n: cls.members[c].count, capacity: p.bins[b0].capacity, hosts: cls.hosts[c], items: [], options: [], smallest: [], spreadRow: []))
            }
            for cand in p.candidates {
                let c = cls.classOfBin[cand.bin]
                guard cand.bin == cls.members[c][0] else { continue }
                let j: Int
                if let k = position[c][cand.item] { j = k } else {
                    j = classes[c].items.count; position[c][cand.item] = j
                    classes[c].items.append(cand.item); classes[c].options.append([]); classes[c].smallest.append(0); classes[c].spreadRow.append(nil)
                }
                classes[c].options[j].append(Option(quant: cand.quant, footprint: cand.footprint, weight: cand.weight))
            }
            for c in 0..<K {
                for j in classes[c].items.indices {
                    let opts = classes[c].options[j]
                    classes[c].smallest[j] = opts.indices.min { opts[$0].footprint < opts[$1].footprint }!
                    let it = p.items[classes[c].items[j]].spec
                    if it.spreadHost && classes[c].hosts < min(classes[c].n, it.replicas) {
                        classes[c].spreadRow[j] = rowCount; rowCount += 1; spreadBound.append(Double(classes[c].hosts))
                    }
                }
            }
        }

        /// The instances of a placement as configurations (in bin order).
        func instances(of a: Assignment) -> [Config] {
            var onBin = [[Pick]](repeating: [], count: p.bins.count)
            for (m, copies) in a.copies.enumerated() {
                for copy in copies {
                    let c = cls.classOfBin[copy.bin]
                    guard let j = position[c][m], let o = classes[c].options[j].firstIndex(where: { $0.quant == copy.quant }) else {
                        preconditionFailure("ConfigurationBound: the incumbent places \(p.items[m].spec.name) where it has no candidate")
                    }
                    onBin[copy.bin].append(Pick(position: j, option: o))
                }
            }
            return onBin.indices.filter { !onBin[$0].isEmpty }.map { Config(cls: cls.classOfBin[$0], picks: onBin[$0].sorted()) }
        }

        func weight(_ cfg: Config) -> Double {
            cfg.picks.reduce(0) { $0 + classes[cfg.cls].options[$1.position][$1.option].weight }
        }

        func column(_ cfg: Config, level: Int) -> ColumnGeneration.Column {
            var terms: [(row: Int, coefficient: Double)] = [(M + cfg.cls, 1)]
            for pk in cfg.picks {
                let j = pk.position
                terms.append((classes[cfg.cls].items[j], 1))
                if let r = classes[cfg.cls].spreadRow[j] { terms.append((r, 1)) }
            }
            return .init(lower: 0, upper: Double(classes[cfg.cls].n), objective: level == 2 ? weight(cfg) : 0, terms: terms)
        }

        /// The restricted master over `configs`; level 2 holds coverage ≥ `floor`.
        func master(level: Int, configs: [Config], floor: Int) -> LinearProgram {
            var lp = LinearProgram(direction: .maximize)
            var rows = [[LinearProgram.Term]](repeating: [], count: rowCount + (level == 2 ? 1 : 0))
            for (m, it) in p.items.enumerated() {
                let j = lp.addColumn(.init(lower: it.spec.required ? 1 : 0, upper: 1, kind: .continuous, objective: level == 1 ? Double(it.spec.priority) : 0))
                rows[m].append(.init(j, -Double(it.spec.replicas)))
                if level == 2 { rows[coverageRow].append(.init(j, Double(it.spec.priority))) }
            }
            for cfg in configs {
                let col = column(cfg, level: level)
                let j = lp.addColumn(.init(lower: col.lower, upper: col.upper, kind: .continuous, objective: col.objective))
                for t in col.terms { rows[t.row].append(.init(j, t.coefficient)) }
            }
            for m in 0..<M { lp.addRow(.init(terms: rows[m], lower: 0, upper: 0)) }
            for c in 0..<K { lp.addRow(.init(terms: rows[M + c], upper: Double(classes[c].n))) }
            for (s, h) in spreadBound.enumerated() { lp.addRow(.init(terms: rows[M + K + s], upper: h)) }
            if level == 2 { lp.addRow(.init(terms: rows[coverageRow], lower: Double(floor))) }
            return lp
        }

        /// The master over `columns` as an integer program (λ integer, y binary), with spread: host
        /// across the classes of one host; level 1 maximises coverage, level 2 quality at coverage ≥ floor.
        func integerMaster(_ columns: [Config], level: Int, floor: Int, atLeast target: Int? = nil, deadline: Deadline) -> SolveResult? {
            var lp = LinearProgram(direction: .maximize)
            var rows = [[LinearProgram.Term]](repeating: [], count: rowCount + 1)
            for (m, it) in p.items.enumerated() {
                let j = lp.addColumn(.init(lower: it.spec.required ? 1 : 0, upper: 1, kind: .binary, objective: level == 1 ? Double(it.spec.priority) : 0))
                rows[m].append(.init(j, -Double(it.spec.replicas)))
                rows[coverageRow].append(.init(j, Double(it.spec.priority)))
            }
            for cfg in columns {
                let col = column(cfg, level: level)
                let j = lp.addColumn(.init(lower: 0, upper: col.upper, kind: .integer, objective: col.objective))
                for t in col.terms { rows[t.row].append(.init(j, t.coefficient)) }
            }
            for m in 0..<M { lp.addRow(.init(terms: rows[m], lower: 0, upper: 0)) }
            for c in 0..<K where !rows[M + c].isEmpty { lp.addRow(.init(terms: rows[M + c], upper: Double(classes[c].n))) }
            for (s, h) in spreadBound.enumerated() where !rows[M + K + s].isEmpty { lp.addRow(.init(terms: rows[M + K + s], upper: h)) }
            if level == 2 { lp.addRow(.init(terms: rows[coverageRow], lower: Double(floor))) }
            if level == 1, let target { lp.addRow(.init(terms: rows[coverageRow], lower: Double(target) - 0.5)) }
            var perHost: [[Int]: [LinearProgram.Term]] = [:]
            for (offset, cfg) in columns.enumerated() {
                let host = p.bins[cls.members[cfg.cls][0]].host
                for pk in cfg.picks {
                    let m = classes[cfg.cls].items[pk.position]
                    if p.items[m].spec.spreadHost && p.items[m].spec.replicas > 1 { perHost[[m, host], default: []].append(.init(M + offset, 1)) }
                }
            }
            for key in perHost.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) { lp.addRow(.init(terms: perHost[key]!, upper: 1)) }
            if deadline.expired { return nil }
            return GLPK.solve(lp, options: .init(budget: deadline.budget))
        }

        /// λ copies of each configuration on the next free instances of its class (y columns first).
        func disaggregate(_ columns: [Config], _ values: [Double]) -> Assignment? {
            var copies = [[Assignment.Copy]](repeating: [], count: M)
            var nextBin = [Int](repeating: 0, count: K)
            for (offset, cfg) in columns.enumerated() {
                for _ in 0..<Int(values[M + offset].rounded()) {
                    guard nextBin[cfg.cls] < cls.members[cfg.cls].count else { return nil }
                    let bin = cls.members[cfg.cls][nextBin[cfg.cls]]; nextBin[cfg.cls] += 1
                    for pk in cfg.picks {
                        let j = pk.position
                        copies[classes[cfg.cls].items[j]].append(.init(bin: bin, quant: classes[cfg.cls].options[j][pk.option].quant))
                    }
                }
            }
            for m in copies.indices { copies[m].sort { $0.bin < $1.bin } }
            return Assignment(copies: copies)
        }
    }
}
