import Foundation
import Testing

/// `placeplan trace` and `placeplan simulate` end to end: files written whole, exit codes, same bytes.
@Suite struct SimulateCLITests {
    let plan = "Plans/seed000-mixed-cluster/plan.json"

    @Test func traceThenSimulateIsDeterministic() throws {
        let d = CLI.tempDir()
        let t1 = d.appendingPathComponent("t1.csv").path, t2 = d.appendingPathComponent("t2.csv").path
        for t in [t1, t2] {
            let r = try CLI.run(["trace", "--plan", plan, "--duration", "30m", "--rate", "20/min", "--seed", "9", "-o", t])
            #expect(r.status == 0, "\(r.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: t1)) == Data(contentsOf: URL(fileURLWithPath: t2)))
        let a = try CLI.run(["simulate", plan, "--trace", t1, "--baseline", "ollama", "--format", "json"])
        let b = try CLI.run(["simulate", plan, "--trace", t2, "--baseline", "ollama", "--format", "json"])
        #expect(a.status == 0 && a.stdout == b.stdout)
        let j = try #require(try JSONSerialization.jsonObject(with: Data(a.stdout.utf8)) as? [String: Any])
        #expect(j["format"] as? String == "placeplan-sim/1")
        let p = try #require(j["plan"] as? [String: Any]), total = try #require(p["total"] as? [String: Any])
        for k in ["requests", "resident_hits", "loads", "evictions", "bytes_read", "ttft_p50_s", "ttft_p95_s", "ttft_p99_s", "e2e_p50_s", "e2e_p95_s", "slo_misses"] {
            #expect(total[k] != nil, "total lacks \(k)")
        }
        #expect(j["baseline"] != nil)
        let table = try CLI.run(["simulate", plan, "--trace", t1, "--baseline", "ollama"])
        #expect(table.status == 0 && table.stdout.contains("ollama baseline") && table.stdout.contains("resident hits"))
        let html = d.appendingPathComponent("s.html").path
        #expect(try CLI.run(["simulate", plan, "--trace", t1, "--format", "html", "-o", html]).status == 0)
        #expect(try String(contentsOfFile: html, encoding: .utf8).contains("<svg"))
    }

    @Test func aBadTraceExits65NamingLinesAndWritesNothing() throws {
        let d = CLI.tempDir()
        let bad = d.appendingPathComponent("bad.csv")
        try "timestamp,model,prompt_tokens,output_tokens\n0,llama2:7b,10,5\n2,nosuch,10,5\n1,llama2:7b,-1,5\n".write(to: bad, atomically: true, encoding: .utf8)
        let out = d.appendingPathComponent("out.json").path
        let r = try CLI.run(["simulate", plan, "--trace", bad.path, "-o", out])
        #expect(r.status == 65)
        #expect(r.stderr.contains("bad.csv:3: error: model \"nosuch\" is not in the plan"))
        #expect(r.stderr.contains("bad.csv:4: error: prompt_tokens is negative"))
        #expect(r.stderr.contains("bad.csv:4: error: timestamp 1 is earlier"))
        #expect(r.stderr.contains("fix:"))
        #expect(!FileManager.default.fileExists(atPath: out))
        let cols = d.appendingPathComponent("cols.csv")
        try "time,model\n0,llama2:7b\n".write(to: cols, atomically: true, encoding: .utf8)
        let c = try CLI.run(["simulate", plan, "--trace", cols.path])
        #expect(c.status == 65 && c.stderr.contains("cols.csv:1: error: header lacks the columns timestamp, prompt_tokens, output_tokens"))
        #expect(try CLI.run(["simulate", plan, "--trace", d.appendingPathComponent("none.csv").path]).status == 66)
        #expect(try CLI.run(["trace", "--duration", "1h", "--rate", "1/h"]).status == 64)
        #expect(try CLI.run(["trace", "--plan", plan, "--duration", "soon", "--rate", "1/h"]).status == 64)
    }

    @Test func traceFromAClusterAndAzureTokens() throws {
        let d = CLI.tempDir()
        let tokens = d.appendingPathComponent("az.csv")
        try "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.6805900,374,44\n2023-11-16 18:15:50.9951690,396,109\n".write(to: tokens, atomically: true, encoding: .utf8)
        let cluster = try #require(try FileManager.default.contentsOfDirectory(atPath: CLI.packageRoot.appendingPathComponent("Plans/seed000-mixed-cluster").path)
            .first { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") })
        let r = try CLI.run(["trace", "--cluster", "Plans/seed000-mixed-cluster/\(cluster)", "--duration", "10m", "--rate", "600/h", "--tokens", tokens.path])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = r.stdout.split(separator: "\n").dropFirst()
        #expect(rows.count > 50 && rows.allSatisfy { $0.hasSuffix(",374,44") || $0.hasSuffix(",396,109") })
    }
}
