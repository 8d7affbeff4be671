import Foundation
import Testing
@testable import PlacePlanCore
@testable import PlacePlanEmit

/// Modelfiles read back exactly as planned by a port of Ollama's own parser
/// (Tests/Support/fake_ollama.py: `parse_modelfile` ports parser/parser.go `ParseFile` —
/// the strconv.IsPrint filter, `"""` and `"` unquoting at line ends; `create_request` types
/// PARAMETERs as api/types.go `FormatParams` does).
@Suite struct ModelfileFidelityTests {
    /// Parses every file with the port; one Python process for all of them.
    struct ParseError: Error { var message: String }

    static func parse(_ files: [URL]) throws -> [Result<[[String]], ParseError>] {
        guard let py = Tools.available("python3") else { return [] }
        let script = """
        import json, sys
        sys.path.insert(0, sys.argv[1])
        import fake_ollama as f
        out = []
        for p in sys.argv[2:]:
            try:
                cmds = f.parse_modelfile(open(p, encoding="utf-8", newline="").read())
                f.create_request(cmds, "/")
                out.append({"ok": [[n, v] for n, v in cmds]})
            except Exception as e:
                out.append({"error": str(e)})
        print(json.dumps(out))
        """
        let r = try Tools.run(py, ["-c", script, Repo.fakeOllama.deletingLastPathComponent().path] + files.map(\.path))
        guard r.status == 0, let arr = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]] else {
            Issue.record("parser port failed: \(r.stderr)"); return []
        }
        return arr.map { o -> Result<[[String]], ParseError> in
            if let ok = o["ok"] as? [[String]] { return .success(ok) }
            return .failure(ParseError(message: o["error"] as? String ?? "?"))
        }
    }

    /// Random system prompts (quotes, `"""`, newlines, CR, tabs, spaces at the ends, `#`, runes
    /// Ollama drops): after plan-time normalisation, every one reads back exactly.
    @Test func randomValuesRoundTripExactlyAfterNormalisation() throws {
        let alphabet = ["a", "b", " ", "  ", "\t", "\n", "\r\n", "\"", "\"\"\"", "#", "é", "中", "\u{200B}", "\u{00A0}", "PARAMETER", "{{ .System }}"]
        var rng = SplitMix64(seed: 14)
        let dir = try TempDir.make("modelfile-roundtrip")
        defer { try? FileManager.default.removeItem(at: dir) }
        var expected: [String] = [], files: [URL] = []
        for k in 0..<400 {
            let n = Int.random(in: 0...12, using: &rng)
            let raw = (0..<n).map { _ in alphabet.randomElement(using: &rng)! }.joined()
            // What ClusterDecoder does to a system prompt before it enters the plan.
            let (printable, _) = ModelfileText.printable(raw)
            let (value, _) = ModelfileText.representable(printable)
            let text = try #require(ModelfileText.quote(value), "\(value.debugDescription) not quotable after normalisation")
            let url = dir.appendingPathComponent("\(k).Modelfile")
            try "FROM base\nSYSTEM \(text)\n".write(to: url, atomically: true, encoding: .utf8)
            files.append(url); expected.append(value)
        }
        let parsed = try Self.parse(files)
        guard !parsed.isEmpty else { return }
        var exact = 0
        for (k, r) in parsed.enumerated() {
            switch r {
            case .success(let cmds):
                #expect(cmds == [["model", "base"], ["system", expected[k]]], "\(expected[k].debugDescription) read back as \(cmds)")
                if cmds.last == ["system", expected[k]] { exact += 1 }
            case .failure(let e):
                Issue.record("\(expected[k].debugDescription): \(e)")
            }
        }
        #expect(exact == 400)
    }

    /// The emitted Modelfile of a plan: num_ctx and num_batch pinned, parameters typed as Ollama
    /// types them, and the whole file accepted by the port of `ollama create`.
    @Test func emittedModelfilesParseAndPinTheBatch() throws {
        let cluster = try ClusterDecoder.decode("""
        name: t
        hosts: [{name: mac, unified_memory: 64 GiB}]
        models:
          - name: "mistral:7b"
            system: "Line one\\n  \\"quoted\\" \\u200B end\\"\\nlast \\"\\"\\" here"
            parameters: {top_k: 40.0, temperature: 0.7, stop: ["<|im_end|>", "a b"], num_batch: 256, use_mmap: false, seed: -1}
        """, file: "t.yaml")
        let plan = try Planner.plan(cluster, profile: .standard, file: "t.yaml").plan
        let files = ModelfilesEmitter().render(plan, context: .init(planName: "p.json"))
        let dir = try TempDir.make("modelfile-emit")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("m.Modelfile")
        let text = try #require(files.first?.contents)
        try text.write(to: url, atomically: true, encoding: .utf8)
        #expect(text.contains("PARAMETER num_batch 256\n"))
        #expect(text.contains("PARAMETER num_ctx \(plan.models[0].ctx)\n"))
        #expect(text.contains("PARAMETER top_k 40\n"))
        #expect(!text.contains("40.0"))
        let parsed = try Self.parse([url])
        guard let first = parsed.first else { return }
        let cmds = try first.get()
        #expect(cmds.contains(["system", plan.models[0].system ?? "?"]))
        #expect(cmds.contains(["model", plan.placements[0].model.from ?? "?"]))
        #expect(cmds.filter { $0[0] == "stop" }.map { $0[1] } == ["<|im_end|>", "a b"])
    }

    /// The port rejects what Ollama rejects, so the tests above could fail.
    @Test func thePortRejectsWhatOllamaRejects() throws {
        let dir = try TempDir.make("modelfile-reject")
        defer { try? FileManager.default.removeItem(at: dir) }
        var bad: [String] = ["FROM x\nPARAMETER top_k 40.0\n", "FROM x\nPARAMETER foo_bar 1\n"]
        bad.append("FROM x\nSYSTEM \"a\"\u{200B}\nb\"\n")
        bad.append("FROM x\nPARAMETER use_mmap maybe\n")
        var files: [URL] = []
        for (k, b) in bad.enumerated() {
            let u = dir.appendingPathComponent("\(k)"); try b.write(to: u, atomically: true, encoding: .utf8); files.append(u)
        }
        let parsed = try Self.parse(files)
        guard !parsed.isEmpty else { return }
        for (k, r) in parsed.enumerated() {
            if case .success(let c) = r { Issue.record("accepted \(bad[k].debugDescription) as \(c)") }
        }
    }
}
