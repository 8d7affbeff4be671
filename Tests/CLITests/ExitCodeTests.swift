import Foundation
import Testing

/// The binary end to end: exit codes of SPEC §6, messages naming file and field, and no crash on
/// hostile input.
@Suite struct ExitCodeTests {
    static let validHost = "hosts: [{name: mac, unified_memory: 64 GiB}]\n"

    /// (name, file contents, extension, expected exit code, text stderr must contain)
    static let hostile: [(String, String, String, Int32, String)] = {
        var c: [(String, String, String, Int32, String)] = [
            ("empty", "", "yaml", 65, "empty"),
            ("only-comment", "# nothing\n", "yaml", 65, "empty"),
            ("json-syntax", "{\"name\": \"x\", \"hosts\": [}", "json", 65, "JSON"),
            ("json-trailing-comma", "{\"name\": \"x\", \"hosts\": [],}", "json", 65, "hosts"),
            ("yaml-syntax", "name: x\nhosts:\n  - name: [a\n", "yaml", 65, "YAML"),
            ("yaml-bad-indent", "name: x\n hosts:\n- a\n", "yaml", 65, "YAML"),
            ("tab-indent", "name: x\nhosts:\n\t- name: a\n", "yaml", 65, "YAML"),
            ("top-is-list", "- a\n- b\n", "yaml", 65, "mapping"),
            ("top-is-scalar", "hello\n", "yaml", 65, "mapping"),
            ("hosts-scalar", "name: x\nhosts: lots\nmodels: []\n", "yaml", 65, "hosts"),
            ("models-mapping", "name: x\n" + validHost + "models: {a: 1}\n", "yaml", 65, "models"),
            ("unknown-top", "name: x\nhostz: []\n" + validHost + "models: []\n", "yaml", 65, "hosts"),
            ("missing-hosts", "name: x\nmodels: []\n", "yaml", 65, "hosts"),
            ("missing-models", "name: x\n" + validHost, "yaml", 65, "models"),
            ("bad-cluster-name", "name: \"a b\"\n" + validHost + "models: []\n", "yaml", 65, "name"),
            ("host-name-shell", "name: x\nhosts: [{name: \"$(reboot)\", unified_memory: 64 GiB}]\nmodels: []\n", "yaml", 65, "hosts[0].name"),
            ("dup-host", "name: x\nhosts: [{name: a, unified_memory: 64 GiB}, {name: a, unified_memory: 64 GiB}]\nmodels: []\n", "yaml", 65, "hosts[1].name"),
            ("negative-memory", "name: x\nhosts: [{name: a, unified_memory: -64 GiB}]\nmodels: []\n", "yaml", 65, "unified_memory"),
            ("unitless-nonsense", "name: x\nhosts: [{name: a, unified_memory: lots}]\nmodels: []\n", "yaml", 65, "unified_memory"),
            ("zero-memory", "name: x\nhosts: [{name: a, unified_memory: 0 GB}]\nmodels: []\n", "yaml", 65, "unified_memory"),
            ("huge-memory", "name: x\nhosts: [{name: a, unified_memory: 99999999999999 TB}]\nmodels: []\n", "yaml", 65, "unified_memory"),
            ("both-kinds", "name: x\nhosts: [{name: a, unified_memory: 64 GiB, gpus: [{name: g, vram: 8 GiB}]}]\nmodels: []\n", "yaml", 65, "both"),
            ("no-memory", "name: x\nhosts: [{name: a}]\nmodels: []\n", "yaml", 65, "unified_memory"),
            ("gpu-no-vram", "name: x\nhosts: [{name: a, gpus: [{name: mystery card}]}]\nmodels: []\n", "yaml", 65, "vram"),
            ("gpu-count-0", "name: x\nhosts: [{name: a, gpus: [{name: g, vram: 8 GiB, count: 0}]}]\nmodels: []\n", "yaml", 65, "count"),
            ("gpus-empty", "name: x\nhosts: [{name: a, gpus: []}]\nmodels: []\n", "yaml", 65, "gpus"),
            ("bad-preset", "name: x\nhosts: [{name: a, preset: mac-studio-m9-ultra}]\nmodels: []\n", "yaml", 65, "preset"),
            ("port-0", "name: x\nhosts: [{name: a, unified_memory: 64 GiB, base_port: 0}]\nmodels: []\n", "yaml", 65, "base_port"),
            ("port-70000", "name: x\nhosts: [{name: a, unified_memory: 64 GiB, base_port: 70000}]\nmodels: []\n", "yaml", 65, "base_port"),
            ("port-overflow", "name: x\nhosts: [{name: a, unified_memory: 64 GiB, base_port: 65535, instances: [{capacity: 8 GB}, {capacity: 8 GB}]}]\nmodels: []\n", "yaml", 65, "65535"),
            ("dup-ports", "name: x\nhosts: [{name: a, unified_memory: 64 GiB, instances: [{port: 1, capacity: 8 GB}, {port: 1, capacity: 8 GB}]}]\nmodels: []\n", "yaml", 65, "port"),
            ("instance-no-capacity", "name: x\nhosts: [{name: a, unified_memory: 64 GiB, instances: [{port: 11434}]}]\nmodels: []\n", "yaml", 65, "capacity"),
            ("instance-gpu-oob", "name: x\nhosts: [{name: a, gpus: [{name: g, vram: 8 GiB}], instances: [{capacity: 7 GB, gpu: 3}]}]\nmodels: []\n", "yaml", 65, "gpu"),
            ("reserve-too-big", "name: x\nhosts: [{name: a, unified_memory: 64 GiB, reserve: 80 GiB}]\nmodels: []\n", "yaml", 65, "reserve"),
            ("empty-model-name", "name: x\n" + validHost + "models: [{name: \"\"}]\n", "yaml", 65, "models[0].name"),
            ("model-name-space", "name: x\n" + validHost + "models: [{name: \"llama 3\"}]\n", "yaml", 65, "models[0].name"),
            ("model-name-inject", "name: x\n" + validHost + "models: [{name: \"x;rm -rf ~\"}]\n", "yaml", 65, "models[0].name"),
            ("model-name-newline", "name: x\n" + validHost + "models: [{name: \"a\\nb\"}]\n", "yaml", 65, "models[0].name"),
            ("dup-model", "name: x\n" + validHost + "models: [{name: \"llama3:8b\"}, {name: \"llama3:8b\"}]\n", "yaml", 65, "models[1].name"),
            ("unknown-quant", "name: x\n" + validHost + "models: [{name: \"llama3:8b\", quants: [q4_K_X]}]\n", "yaml", 65, "q4_K_M"),
            ("unknown-model-field", "name: x\n" + validHost + "models: [{name: \"llama3:8b\", priorty: 3}]\n", "yaml", 65, "priority"),
            ("priority-0", "name: x\n" + validHost + "models: [{name: \"llama3:8b\", priority: 0}]\n", "yaml", 65, "priority"),
            ("priority-text", "name: x\n" + validHost + "models: [{name: \"llama3:8b\", priority: high}]\n", "yaml", 65, "priority"),
            ("replicas-0", "name: x\n" + validHost + "models: [{name: \"llama3:8b\", replicas: 0}]\n", "yaml", 65, "replicas"),
            ("ctx-negative", "name: x\n" + validHost + "models: [{name: \"llama3:8b\", ctx: -1}]\n", "yaml", 65, "ctx"),
            ("ctx-huge", "name: x\n" + validHost + "models: [{name: \"llama3:8b\", ctx: 99999999999999999999}]\n", "yaml", 65, "ctx"),
            ("parallel-nan", "name: x\n" + validHost + "models: [{name: \"llama3:8b\", parallel: .nan}]\n", "yaml", 65, "parallel"),
            ("required-maybe", "name: x\n" + validHost + "models: [{name: \"llama3:8b\", required: maybe}]\n", "yaml", 65, "required"),
            ("spread-rack", "name: x\n" + validHost + "models: [{name: \"llama3:8b\", spread: rack}]\n", "yaml", 65, "spread"),
            ("unknown-arch", "name: x\n" + validHost + "models: [{name: \"my-model\", arch: llama9-1t}]\n", "yaml", 65, "arch"),
            ("unsizable", "name: x\n" + validHost + "models: [{name: \"my-model\"}]\n", "yaml", 65, "cannot size"),
            ("bad-footprint", "name: x\n" + validHost + "models: [{name: \"m\", footprints: {q4_K_M: huge}}]\n", "yaml", 65, "footprints"),
            ("footprint-bad-quant", "name: x\n" + validHost + "models: [{name: \"m\", footprints: {q9: 4 GB}}]\n", "yaml", 65, "footprints"),
            ("gguf-newline", "name: x\n" + validHost + "models: [{name: \"m\", gguf: \"/a\\nb.gguf\"}]\n", "yaml", 65, "gguf"),
            ("num-ctx-param", "name: x\n" + validHost + "models: [{name: \"llama3:8b\", parameters: {num_ctx: 8}}]\n", "yaml", 65, "num_ctx"),
            ("param-name-inject", "name: x\n" + validHost + "models: [{name: \"llama3:8b\", parameters: {\"a;b\": 1}}]\n", "yaml", 65, "parameters"),
            ("alias-bomb", "name: x\na: &a [1,1,1,1,1,1,1,1,1]\n" + validHost + "models: *a\n", "yaml", 65, "a"),
            ("binary", String(decoding: [0xff, 0xfe, 0x00, 0x01, 0x02], as: UTF8.self), "yaml", 65, ""),
            ("bad-extension", "name: x\n", "txt", 65, "extension"),
            ("unknown-profile", "name: x\nprofile: turbo\n" + validHost + "models: []\n", "yaml", 65, "conservative"),
            ("profile-missing-file", "name: x\nprofile: ./nope/p.yaml\n" + validHost + "models: []\n", "yaml", 66, "profile"),
            ("label-shell", "name: x\nhosts: [{name: a, unified_memory: 64 GiB, labels: [\"a b\"]}]\nmodels: []\n", "yaml", 65, "labels"),
            ("address-shell", "name: x\nhosts: [{name: a, unified_memory: 64 GiB, address: \"1.2.3.4;id\"}]\nmodels: []\n", "yaml", 65, "address"),
            ("deep-nesting", "name: x\nhosts: " + String(repeating: "[", count: 500) + String(repeating: "]", count: 500) + "\nmodels: []\n", "yaml", 65, "hosts"),
            ("infeasible", "name: x\nhosts: [{name: a, gpus: [{name: g, vram: 8 GiB}]}]\nmodels: [{name: \"llama3:70b\", required: true}]\n", "yaml", 1, "needs"),
            ("ok-with-unplaced", "name: x\nhosts: [{name: a, gpus: [{name: g, vram: 8 GiB}]}]\nmodels: [{name: \"llama3:70b\"}, {name: \"llama3:8b\"}]\n", "yaml", 0, ""),
            ("ok-empty-models", "name: x\n" + validHost + "models: []\n", "yaml", 0, ""),
            ("ok-json", "{\"name\": \"x\", \"hosts\": [{\"name\": \"a\", \"unified_memory\": \"64 GiB\"}], \"models\": [{\"name\": \"mistral:7b\"}]}", "json", 0, ""),
        ]
        // Every top-level field given the wrong shape.
        for f in ["name", "profile", "olol", "proxy_port"] { c.append(("wrong-\(f)", "name: x\n\(f): [1, 2]\n" + validHost + "models: []\n", "yaml", 65, f)) }
        return c
    }()

    @Test func thereAreAtLeastFiftyHostileInputs() { #expect(Self.hostile.count >= 50) }

    @Test(arguments: hostile.map { $0.0 })
    func hostileInputGetsItsExitCode(name: String) throws {
        let (_, text, ext, code, needle) = Self.hostile.first { $0.0 == name }!
        let dir = CLI.tempDir()
        let file = dir.appendingPathComponent("cluster.\(ext)")
        try Data(text.utf8).write(to: file)
        let out = dir.appendingPathComponent("plan.json")
        let r = try CLI.run(["solve", file.path, "-o", out.path])
        #expect(!r.crashed, "\(name) crashed: \(r.stderr)")
        #expect(r.status == code, "\(name): exit \(r.status), expected \(code)\n\(r.stderr)")
        if code != 0 {
            #expect(r.stderr.contains("cluster.\(ext)") || code == 66 || code == 1, "\(name): message does not name the file:\n\(r.stderr)")
            #expect(needle.isEmpty || r.stderr.contains(needle), "\(name): stderr lacks \"\(needle)\":\n\(r.stderr)")
        }
        // Nothing partial: a plan file exists only for exit 0 or 1 (infeasible plans are still written whole).
        if code == 65 || code == 66 { #expect(!FileManager.default.fileExists(atPath: out.path), "\(name) left a plan behind") }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test func missingFileIs66() throws {
        let r = try CLI.run(["solve", "/nonexistent/cluster.yaml"])
        #expect(r.status == 66)
        #expect(r.stderr.contains("/nonexistent/cluster.yaml"))
        let d = try CLI.run(["solve", CLI.tempDir().path + "/"])
        #expect(d.status == 66 || d.status == 65)
    }

    @Test func usageErrorsAre64() throws {
        #expect(try CLI.run(["solve"]).status == 64)
        #expect(try CLI.run(["solve", "x.yaml", "--format", "xml"]).status == 64)
        #expect(try CLI.run(["solve", "x.yaml", "--time-limit", "-3"]).status == 64)
        #expect(try CLI.run(["footprint", "llama3:8b", "--ubatch", "0"]).status == 64)
        #expect(try CLI.run(["footprint", "llama3:8b", "--ctx", "-1"]).status == 64)
        #expect(try CLI.run(["nosuchcommand"]).status == 64)
    }

    /// `-o FILE` replaces the file as every Unix tool does (atomically); `--emit DIR` keeps files it did not write.
    @Test func dashOOverwritesButEmitKeepsForeignFiles() throws {
        let dir = CLI.tempDir()
        let cluster = dir.appendingPathComponent("c.yaml")
        try Data("name: x\n\(Self.validHost)models: [{name: \"mistral:7b\"}]\n".utf8).write(to: cluster)
        let old = dir.appendingPathComponent("notes.json")
        try Data("my notes".utf8).write(to: old)
        let r = try CLI.run(["solve", cluster.path, "-o", old.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try String(contentsOf: old, encoding: .utf8).contains("placeplan-plan/1"))
        // An empty file, and a file `placeplan scan` wrote, are replaced too.
        let empty = dir.appendingPathComponent("empty.json")
        try Data().write(to: empty)
        #expect(try CLI.run(["solve", cluster.path, "-o", empty.path]).status == 0)
        #expect(try String(contentsOf: empty, encoding: .utf8).contains("placeplan-plan/1"))
        let cmp = dir.appendingPathComponent("cmp.md")
        try Data("hand-written".utf8).write(to: cmp)
        #expect(try CLI.run(["compare", cluster.path, "--profile", "conservative", "--format", "markdown", "-o", cmp.path]).status == 0)
        #expect(try String(contentsOf: cmp, encoding: .utf8).contains("conservative"))
        // No temporary file is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).allSatisfy { !$0.contains(".tmp") })
        let unwritable = try CLI.run(["solve", cluster.path, "-o", "/nonexistent-dir/plan.json"])
        #expect(unwritable.status == 73)

        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let precious = out.appendingPathComponent("nginx.conf")
        try Data("my own nginx".utf8).write(to: precious)
        let refused = try CLI.run(["solve", cluster.path, "--emit", out.path])
        #expect(refused.status == 73)
        #expect(refused.stderr.contains("nginx.conf"))
        #expect(try String(contentsOf: precious, encoding: .utf8) == "my own nginx")
        #expect(try CLI.run(["solve", cluster.path, "--emit", out.path, "--force"]).status == 0)
        #expect(try String(contentsOf: precious, encoding: .utf8) != "my own nginx")
    }

    @Test func footprintJSONHasTheSpecFields() throws {
        let r = try CLI.run(["footprint", "llama3:70b", "--quant", "q4_K_M", "--ctx", "8192", "--format", "json"])
        #expect(r.status == 0)
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        for k in ["model", "quant", "ctx", "parallel", "kv_type", "flash_attention", "ubatch", "params", "layers", "kv_heads", "head_dim",
                  "weights_bytes", "kv_cache_bytes", "compute_bytes", "footprint_bytes"] { #expect(obj[k] != nil, "\(k)") }
        #expect(obj["kv_cache_bytes"] as? Int == 2_684_354_560)
        let w = obj["weights_bytes"] as! Int, kv = obj["kv_cache_bytes"] as! Int, c = obj["compute_bytes"] as! Int
        #expect(obj["footprint_bytes"] as? Int == w + kv + c)
        let unknown = try CLI.run(["footprint", "llama9:1t"])
        #expect(unknown.status == 65)
    }

    @Test func solveDrawsAValidSVGMemoryMap() throws {
        let cluster = CLI.packageRoot.appendingPathComponent("Plans/seed000-mac-studio/cluster.yaml").path
        let r = try CLI.run(["solve", cluster, "--format", "svg"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("<svg") || r.stdout.hasPrefix("<?xml"))
        #expect(r.stdout.components(separatedBy: "class=\"instance\"").count - 1 == 4)
        let file = CLI.tempDir().appendingPathComponent("map.svg")
        try Data(r.stdout.utf8).write(to: file)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["xmllint", "--noout", file.path]
        if (try? p.run()) != nil {
            p.waitUntilExit()
            #expect(p.terminationStatus == 0, "xmllint rejected the SVG")
        } else if ProcessInfo.processInfo.environment["PLACEPLAN_REQUIRE_TOOLS"] != nil {
            Issue.record("xmllint is required")
        }
    }

    @Test func emitRefusesAnInfeasiblePlanAndBadPlanFiles() throws {
        let dir = CLI.tempDir()
        let cluster = dir.appendingPathComponent("c.yaml")
        try Data("name: x\nhosts: [{name: a, gpus: [{name: g, vram: 8 GiB}]}]\nmodels: [{name: \"llama3:70b\", required: true}]\n".utf8).write(to: cluster)
        let plan = dir.appendingPathComponent("p.json")
        #expect(try CLI.run(["solve", cluster.path, "-o", plan.path]).status == 1)
        let r = try CLI.run(["emit", plan.path, "--out", dir.appendingPathComponent("out").path])
        #expect(r.status == 1)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
        let junk = dir.appendingPathComponent("junk.json")
        try Data("{\"format\": \"placeplan-plan/1\"}".utf8).write(to: junk)
        let j = try CLI.run(["emit", junk.path, "--out", dir.appendingPathComponent("out2").path])
        #expect(j.status == 65 && j.stderr.contains("junk.json"))
        #expect(try CLI.run(["emit", dir.appendingPathComponent("none.json").path, "--out", dir.path]).status == 66)
        let good = CLI.packageRoot.appendingPathComponent("Plans/seed000-mac-studio/plan.json").path
        #expect(try CLI.run(["emit", good, "--out", dir.appendingPathComponent("out3").path, "--target", "bogus"]).status == 64)
    }

    @Test func profilesAreListed() throws {
        let r = try CLI.run(["profiles"])
        #expect(r.status == 0)
        for p in ["conservative", "aggressive", "quality-first", "quantity-first", "mixed", "shared"] { #expect(r.stdout.contains(p)) }
        #expect(r.stdout.split(separator: "\n").count >= 6)
    }

    @Test func jsonOutputIsThePlanFileAndIsDeterministic() throws {
        let cluster = CLI.packageRoot.appendingPathComponent("Plans/seed000-mac-studio/cluster.yaml").path
        let a = try CLI.run(["solve", cluster, "--format", "json"]), b = try CLI.run(["solve", cluster, "--format", "json"])
        #expect(a.status == 0 && a.stdout == b.stdout)
        let obj = try JSONSerialization.jsonObject(with: Data(a.stdout.utf8)) as! [String: Any]
        #expect(obj["format"] as? String == "placeplan-plan/1")
        for k in ["cluster", "profile", "status", "objective", "solver", "hosts", "unplaced", "routes"] { #expect(obj[k] != nil, "\(k)") }
        let md = try CLI.run(["solve", cluster, "--format", "markdown"])
        #expect(md.stdout.contains("| instance |"))
        let table = try CLI.run(["solve", cluster])
        #expect(table.stdout.contains("mac/0") && table.stdout.contains("unplaced:"))
    }
}
