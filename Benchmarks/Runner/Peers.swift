import Foundation

/// One peer's answer (a JSON line printed by Benchmarks/peers/solve_peer.py).
struct PeerResult: Codable {
    var peer: String
    var status: String
    var coverage: Int?
    var quality: Double?
    var seconds: Double?
    var peak_mb: Double?
    var error: String?
    /// Set when the second (quality) phase found nothing and phase 1's solution stands.
    var phase2: String?
}

enum Peers {
    /// Solves `problem` (an exported JSON file) with each peer, one subprocess per peer (importing
    /// ortools and highspy in one process breaks highspy), each with the same time limit.
    static func run(problem: String, names: [String], timeLimit: Double, dir: String) -> [PeerResult] {
        let python = (dir as NSString).appendingPathComponent(".venv/bin/python")
        let script = (dir as NSString).appendingPathComponent("solve_peer.py")
        guard FileManager.default.isExecutableFile(atPath: python) else {
            return names.map { PeerResult(peer: $0, status: "error", error: "no \(python): run Benchmarks/peers/setup.sh") }
        }
        // Model building in Python is not covered by the solvers' own limits: allow it, then kill.
        let wall = max(300, timeLimit * 20)
        return names.map { name in
            FileHandle.standardError.write(Data("  peer \(name)…\n".utf8))
            let r = runProcess(python, [script, name, problem, String(timeLimit)], timeout: wall)
            if r.status == nil { return PeerResult(peer: name, status: "killed", seconds: r.seconds, error: "no answer within \(Int(wall)) s") }
            if let p = lastJSONLine(r.out, as: PeerResult.self) { return p }
            let tail = r.err.split(separator: "\n").suffix(3).joined(separator: " | ")
            return PeerResult(peer: name, status: "error", seconds: r.seconds, error: "exit \(r.status!): \(tail)")
        }
    }
}
