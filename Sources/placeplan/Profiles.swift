import ArgumentParser
import Foundation
import PlacePlanCore

extension PlacePlan {
    struct Profiles: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the allocation profiles, one line each.")
        func run() throws {
            try Failure.run {
                let loc = Env.locator(cluster: nil)
                let names = loc.available()
                guard !names.isEmpty else { throw MissingInput(path: "Profiles/", reason: "no profiles found (searched \(loc.searchDirs.prefix(3).joined(separator: ", ")), …); set PLACEPLAN_PROFILES") }
                let width = names.map(\.count).max() ?? 10
                var lines: [String] = []
                for n in names {
                    let p = try loc.load(n)
                    let split = p.instanceCapacity.map { "instances of \(Units.gb($0))" } ?? "\(p.instancesPerHost) instance\(p.instancesPerHost == 1 ? "" : "s")/host"
                    let q = p.quants.count == Quant.allCases.count ? "any quant" : p.quants.map(\.rawValue).joined(separator: ",")
                    lines.append(n.padding(toLength: width + 2, withPad: " ", startingAt: 0) + "\(p.description) [\(split), reserve \(Units.gb(p.reserve))\(p.raiseWiredLimit ? " (raised wired limit)" : ""), \(q), ctx \(p.ctx)×\(p.parallel), KV \(p.kvType.rawValue)]")
                }
                writeStdout(lines.joined(separator: "\n") + "\n")
            }
        }
    }
}
