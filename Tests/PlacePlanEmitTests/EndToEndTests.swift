import Foundation
import Testing
@testable import PlacePlanCore
@testable import PlacePlanEmit

/// Runs the emitted host scripts against the stand-in Ollama (Tests/Support/fake_ollama.py)
/// on loopback: start, idempotent restart, load on exactly the planned instance, unload, stop —
/// and a decoy "ollama serve" process that must survive.
@Suite(.serialized) struct EndToEndTests {
    /// A sandbox: temp dir, `ollama` wrapper on PATH, state dir, a fake sysctl.
    struct Sandbox {
        let root: URL
        let out: URL
        let env: [String: String]

        init(_ label: String, wiredMB: Int = 500_000) throws {
            root = try TempDir.make(label)
            out = root.appendingPathComponent("out dir")
            let bin = root.appendingPathComponent("bin")
            try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
            let wrapper = bin.appendingPathComponent("ollama")
            try "#!/bin/sh\nexec python3 \(ShellQuoting.quote(Repo.fakeOllama.path)) \"$@\"\n".write(to: wrapper, atomically: true, encoding: .utf8)
            let sysctl = bin.appendingPathComponent("fake-sysctl")
            try "#!/bin/sh\necho \(wiredMB)\n".write(to: sysctl, atomically: true, encoding: .utf8)
            for f in [wrapper, sysctl] { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: f.path) }
            EndToEndTests.waitExecutable(sysctl.path)
            env = [
                "OLLAMA_BIN": wrapper.path,
                "PATH": bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
                "PLACEPLAN_STATE_DIR": root.appendingPathComponent("state dir").path,
                "PLACEPLAN_WAIT_SECONDS": "30",
                "PLACEPLAN_SYSCTL": sysctl.path,
            ]
        }

        func emit(_ plan: Plan) throws {
            _ = try OutputWriter.write(try Emit.render(plan, context: .init(planName: "e2e.json")), to: out, force: false)
        }

        func run(_ script: String, _ args: [String] = [], extraEnv: [String: String] = [:]) throws -> Tools.Result {
            try Tools.run("/bin/bash", [out.appendingPathComponent(script).path] + args, env: env.merging(extraEnv) { $1 })
        }

        /// Last resort: signal only the pids the scripts recorded here.
        func killRecorded() {
            let state = URL(fileURLWithPath: env["PLACEPLAN_STATE_DIR"]!)
            for f in (try? FileManager.default.contentsOfDirectory(atPath: state.path)) ?? [] where f.hasSuffix(".pid") {
                if let s = try? String(contentsOf: state.appendingPathComponent(f), encoding: .utf8), let pid = Int32(s.trimmingCharacters(in: .whitespacesAndNewlines)) {
                    kill(pid, SIGKILL)
                }
            }
        }
    }

    /// Below Linux's ephemeral range (32768–60999), where other suites' stand-ins bind port 0:
    /// a planned port is then never taken by a neighbour's server.
    /// A script written a moment ago can fail to execute (ETXTBSY) while a process another test
    /// spawned at that moment still holds the write descriptor it inherited: wait until it runs.
    static func waitExecutable(_ path: String) {
        for _ in 0..<50 {
            if (try? Tools.run(path, []))?.status == 0 { return }
            usleep(20_000)
        }
    }

    static func randomBase() -> Int { Int.random(in: 20000...32000) }

    static func get(_ port: Int, _ path: String) -> String? {
        let r = try? Tools.run("/usr/bin/curl", ["-fsS", "--max-time", "3", "http://127.0.0.1:\(port)\(path)"])
        return r?.status == 0 ? r?.stdout : nil
    }

    /// Model names loaded on a port, from GET /api/ps.
    static func loaded(_ port: Int) -> Set<String>? {
        guard let body = get(port, "/api/ps"),
              let obj = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else { return nil }
        return Set((obj["models"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String })
    }

    static func showSystem(_ port: Int, _ model: String) -> String? {
        let body = "{\"model\":\(JSONString.quote(model))}"
        guard let r = try? Tools.run("/usr/bin/curl", ["-sS", "-X", "POST", "--data-binary", body, "http://127.0.0.1:\(port)/api/show"]) else { return nil }
        guard r.status == 0, let obj = try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] else { return nil }
        guard let system = obj["system"] as? String else { Issue.record("show \(model): \(r.stdout)"); return nil }
        return system
    }

    /// The fake appends ":latest" to untagged names, as Ollama's name parser does.
    static func tagged(_ name: String) -> String {
        name.split(separator: "/").last.map { $0.contains(":") } == true ? name : name + ":latest"
    }

    @Test(.requires("curl", "python3")) func macHostLifecycle() throws {
        guard Tools.available("curl") != nil, Tools.available("python3") != nil else { return }
        let box = try Sandbox("e2e-mac")
        defer { box.killRecorded(); try? FileManager.default.removeItem(at: box.root) }
        let base = Self.randomBase()
        let ggufDir = box.root.appendingPathComponent("HIGHERMIND models ready to use")
        try FileManager.default.createDirectory(at: ggufDir, withIntermediateDirectories: true)
        let gguf = ggufDir.appendingPathComponent("ulysses f16.gguf")
        try Data("GGUF fake".utf8).write(to: gguf)
        let plan = Fixtures.mac(base: base, address: "127.0.0.1", modelsDir: box.root.appendingPathComponent("models store").path, gguf: gguf.path)
        try box.emit(plan)
        let ports = plan.hosts[0].instances.map(\.port)

        // A decoy whose command line says "ollama serve": the stop script must leave it alone.
        let decoy = try Tools.spawn("/bin/bash", ["-c", "exec -a 'ollama serve decoy' sleep 300"])
        defer { kill(decoy, SIGKILL); var st: Int32 = 0; waitpid(decoy, &st, 0) }

        // The wired-limit check stops before starting anything and prints the exact command.
        let lowSysctl = box.root.appendingPathComponent("bin/low-sysctl")
        try "#!/bin/sh\necho 1024\n".write(to: lowSysctl, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: lowSysctl.path)
        Self.waitExecutable(lowSysctl.path)
        let refused = try box.run("mac/mac_ollama_multi_start.sh", extraEnv: ["PLACEPLAN_SYSCTL": lowSysctl.path])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("sudo sysctl iogpu.wired_limit_mb=110000"), "\(refused.stderr)")
        #expect(ports.allSatisfy { Self.get($0, "/api/version") == nil })

        let first = try box.run("mac/mac_ollama_multi_start.sh")
        #expect(first.status == 0, "start: \(first.stdout)\(first.stderr)")
        for p in ports { #expect(Self.get(p, "/api/version") != nil, "port \(p) does not answer") }

        let second = try box.run("mac/mac_ollama_multi_start.sh")
        #expect(second.status == 0, "second start: \(second.stderr)")
        #expect(!second.stdout.contains("starting"), "second run started something: \(second.stdout)")
        #expect(second.stdout.components(separatedBy: "already running").count - 1 == ports.count)

        let load = try box.run("mac/mac_load_models.sh")
        #expect(load.status == 0, "load: \(load.stdout)\(load.stderr)")
        for inst in plan.hosts[0].instances {
            #expect(Self.loaded(inst.port) == Set(inst.models.map { Self.tagged($0.name) }), "models on \(inst.id)")
        }
        #expect(load.stdout.components(separatedBy: "\nloaded ").count - 1 + (load.stdout.hasPrefix("loaded ") ? 1 : 0) >= 1)
        // The Modelfile carried the system prompt exactly (FROM a GGUF path with spaces).
        #expect(Self.showSystem(base + 1, "ulysses") == plan.modelInfo("ulysses")?.system)

        let unload = try box.run("mac/mac_load_models.sh", ["--unload"])
        #expect(unload.status == 0, "unload: \(unload.stderr)")
        for p in ports { #expect(Self.loaded(p) == [], "port \(p) still has models") }

        // Another host planned on a port that is taken: refuses, names the port, starts nothing.
        let clash = Fixtures.plan([.init(name: "clash", address: "127.0.0.1", instances: [(base + 10, nil, []), (base, nil, [])])], models: [])
        try box.emit(clash)
        let taken = try box.run("clash/clash_ollama_multi_start.sh")
        #expect(taken.status != 0)
        #expect(taken.stderr.contains("port \(base) is already taken"), "\(taken.stderr)")
        #expect(Self.get(base + 10, "/api/version") == nil)

        let stop = try box.run("mac/mac_ollama_multi_stop.sh")
        #expect(stop.status == 0, "stop: \(stop.stderr)")
        for p in ports { #expect(Self.get(p, "/api/version") == nil, "port \(p) still answers") }
        var st: Int32 = 0
        #expect(waitpid(decoy, &st, WNOHANG) == 0 && kill(decoy, 0) == 0, "the decoy 'ollama serve' process was killed")
        let leftover = try FileManager.default.contentsOfDirectory(atPath: box.env["PLACEPLAN_STATE_DIR"]!).filter { $0.hasSuffix(".pid") }
        #expect(leftover.isEmpty, "pid files left: \(leftover)")
    }

    static func show(_ port: Int, _ model: String) -> [String: Any]? {
        let body = "{\"model\":\(JSONString.quote(model))}"
        guard let r = try? Tools.run("/usr/bin/curl", ["-sS", "-X", "POST", "--data-binary", body, "http://127.0.0.1:\(port)/api/show"]),
              r.status == 0 else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
    }

    /// Issue 14: two copies of one model at different quants on two hosts each load their own
    /// planned tag, and a copy that cannot be made present does not stop the others.
    @Test(.requires("curl", "python3")) func everyCopyLoadsItsPlannedBytesAndFailuresDoNotStopTheRest() throws {
        guard Tools.available("curl") != nil, Tools.available("python3") != nil else { return }
        let box = try Sandbox("e2e-fidelity")
        defer { box.killRecorded(); try? FileManager.default.removeItem(at: box.root) }
        let base = Self.randomBase()
        let yaml = """
        name: fidelity
        hosts:
          - {name: a, address: 127.0.0.1, unified_memory: 64 GiB, models_dir: "\(box.root.path)/store a", instances: [{port: \(base), capacity: 12 GB}]}
          - {name: b, address: 127.0.0.1, unified_memory: 64 GiB, models_dir: "\(box.root.path)/store b", instances: [{port: \(base + 1), capacity: 8 GB}]}
        models:
          - {name: "llama3:8b", replicas: 2, spread: host, footprints: {q8_0: 9 GB, q4_K_M: 6 GB}, quants: [q8_0, q4_K_M], priority: 5}
          - {name: "ghost", gguf: "/nonexistent dir/ghost.gguf", footprints: {q4_K_M: 0.5 GB}, quants: [q4_K_M]}
          - {name: "mistral:7b", footprints: {q4_K_M: 0.4 GB}, quants: [q4_K_M]}
        """
        let plan = try Planner.plan(try ClusterDecoder.decode(yaml, file: "f.yaml"), profile: .standard, file: "f.yaml").plan
        let copies = plan.placements.filter { $0.model.name == "llama3:8b" }
        #expect(Set(copies.map(\.model.quant)) == ["q8_0", "q4_K_M"], "the test needs copies at two quants")
        try box.emit(plan)
        for h in ["a", "b"] {
            let r = try box.run("\(h)/\(h)_ollama_multi_start.sh")
            #expect(r.status == 0, "start \(h): \(r.stderr)")
        }
        var failures = 0
        for h in ["a", "b"] {
            let r = try box.run("\(h)/\(h)_load_models.sh")
            if r.stderr.contains("ghost on") { failures += 1; #expect(r.status == 1, "a failed copy must make the script fail") }
            #expect(r.stdout.contains("loaded mistral:7b") || !plan.hosts.first { $0.name == h }!.instances.flatMap(\.models).contains { $0.name == "mistral:7b" },
                    "mistral:7b was not loaded after ghost failed: \(r.stdout)\(r.stderr)")
        }
        #expect(failures == 1)
        for c in copies {
            // The store of the copy's host holds the tag planned for that copy's quant.
            let rec = Self.show(c.instance.port, "llama3:8b")
            #expect(rec?["from"] as? String == c.model.pull, "\(c.instance.id): created from \(rec?["from"] ?? "nothing"), planned \(c.model.pull ?? "-")")
            #expect(c.model.pull == "llama3:8b-instruct-\(c.model.quant)")
            #expect(Self.loaded(c.instance.port)?.contains("llama3:8b") == true)
        }
        for h in ["a", "b"] { _ = try box.run("\(h)/\(h)_ollama_multi_stop.sh") }
    }

    /// SPEC §8: the load script makes on-demand models present in the store but preloads only
    /// resident ones; a request then loads an on-demand model where the plan routes it.
    @Test(.requires("curl", "python3")) func onDemandModelsAreCreatedButNotPreloaded() throws {
        guard Tools.available("curl") != nil, Tools.available("python3") != nil else { return }
        let box = try Sandbox("e2e-on-demand")
        defer { box.killRecorded(); try? FileManager.default.removeItem(at: box.root) }
        let base = Self.randomBase()
        let models = (1...6).map { "  - {name: \"e\($0)\", footprints: {q8_0: 10 GB}, quants: [q8_0]}" }.joined(separator: "\n")
        let yaml = """
        name: od
        hosts:
          - {name: mac, address: 127.0.0.1, unified_memory: 64 GiB, models_dir: "\(box.root.path)/store", instances: [{port: \(base), capacity: 31 GB}, {port: \(base + 1), capacity: 12 GB}]}
        models:
        \(models)
        """
        let plan = try Planner.plan(try ClusterDecoder.decode(yaml, file: "od.yaml"), profile: .standard, file: "od.yaml").plan
        let od = try #require(plan.hosts[0].instances.first { $0.on_demand != nil }, "\(plan.unplaced)")
        let lazy = Set((od.on_demand ?? []).map(\.name))
        #expect(!lazy.isEmpty)
        try box.emit(plan)
        #expect(try box.run("mac/mac_ollama_multi_start.sh").status == 0)
        let load = try box.run("mac/mac_load_models.sh")
        #expect(load.status == 0, "\(load.stdout)\(load.stderr)")
        #expect(Self.loaded(od.port) == [], "on-demand models must not be preloaded")
        for m in lazy { #expect(load.stdout.contains("ready \(m) on \(od.id)"), "\(load.stdout)") }
        for i in plan.hosts[0].instances where i.on_demand == nil {
            #expect(Self.loaded(i.port) == Set(i.models.map { Self.tagged($0.name) }))
        }
        // A request loads it where the plan routes it.
        let first = try #require(lazy.sorted().first)
        let r = try Tools.run("/usr/bin/curl", ["-fsS", "-X", "POST", "--data-binary", "{\"model\":\"\(first)\",\"prompt\":\"hi\"}", "http://127.0.0.1:\(od.port)/api/generate"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Self.loaded(od.port)?.contains(Self.tagged(first)) == true)
        _ = try box.run("mac/mac_ollama_multi_stop.sh")
    }

    /// SPEC §9: H_migrate.sh performs replan's moves in order against live stand-ins, is
    /// shellcheck-clean, idempotent on a second run, and stops cleanly when a step fails.
    @Test(.requires("curl", "python3")) func migrateScriptMovesCopiesInOrder() throws {
        guard Tools.available("curl") != nil, Tools.available("python3") != nil else { return }
        let box = try Sandbox("e2e-migrate")
        defer { box.killRecorded(); try? FileManager.default.removeItem(at: box.root) }
        let base = Self.randomBase()
        func cluster(_ instances: String) -> String {
            """
            name: mig
            hosts:
              - {name: mac, address: 127.0.0.1, unified_memory: 64 GiB, models_dir: "\(box.root.path)/store", instances: [\(instances)]}
            models:
              - {name: "a", footprints: {q8_0: 8 GB}, quants: [q8_0], priority: 2}
              - {name: "b", footprints: {q8_0: 8 GB}, quants: [q8_0]}
            """
        }
        let old = try Planner.plan(try ClusterDecoder.decode(cluster("{port: \(base), capacity: 12 GB}, {port: \(base + 1), capacity: 12 GB}"), file: "o.yaml"),
                                   profile: .standard, file: "o.yaml").plan
        // Instance 1 shrinks to 6 GB and a third appears: b has to move.
        let newCluster = cluster("{port: \(base), capacity: 12 GB}, {port: \(base + 1), capacity: 6 GB}, {port: \(base + 2), capacity: 12 GB}")
        let new = try Planner.plan(try ClusterDecoder.decode(newCluster, file: "n.yaml"), profile: .standard, file: "n.yaml", replanning: old).plan
        let moves = try #require(new.moves)
        #expect(moves.count == 1 && moves[0].model == "b" && moves[0].from == "mac/1" && moves[0].drain_first == nil, "\(moves)")
        try box.emit(old)
        #expect(try box.run("mac/mac_ollama_multi_start.sh").status == 0)
        #expect(try box.run("mac/mac_load_models.sh").status == 0)
        // Emit the new plan into the same directory (it replaces the files placeplan wrote).
        try box.emit(new)
        let script = box.out.appendingPathComponent("mac/mac_migrate.sh")
        #expect(FileManager.default.fileExists(atPath: script.path))
        if let sc = Tools.available("shellcheck") {
            let r = try Tools.run(sc, ["-x", script.path])
            #expect(r.status == 0, "shellcheck: \(r.stdout)")
        }
        #expect(try box.run("mac/mac_ollama_multi_start.sh").status == 0, "starts the new instance")
        let run1 = try box.run("mac/mac_migrate.sh")
        #expect(run1.status == 0, "\(run1.stdout)\(run1.stderr)")
        let target = try #require(moves[0].to.flatMap { id in new.hosts[0].instances.first { $0.id == id } })
        #expect(Self.loaded(target.port)?.contains("b:latest") == true)
        #expect(Self.loaded(base + 1)?.contains("b:latest") == false)
        let run2 = try box.run("mac/mac_migrate.sh")
        #expect(run2.status == 0 && run2.stdout.contains("already loaded") && run2.stdout.contains("already gone"), "\(run2.stdout)")
        // A failing step: the target instance is down, so the load fails and nothing after it runs.
        _ = try Tools.run("/usr/bin/curl", ["-fsS", "-X", "POST", "--data-binary", "{\"model\":\"b\",\"keep_alive\":-1}", "http://127.0.0.1:\(base + 1)/api/generate"])
        _ = try Tools.run("/usr/bin/curl", ["-fsS", "-X", "POST", "--data-binary", "{\"model\":\"b\",\"keep_alive\":0}", "http://127.0.0.1:\(target.port)/api/generate"])
        _ = try box.run("mac/mac_ollama_multi_stop.sh")
        let run3 = try box.run("mac/mac_migrate.sh")
        #expect(run3.status == 1)
        #expect(run3.stderr.contains("error: step 1 failed") && run3.stderr.contains("left (from step 1)"), "\(run3.stderr)")
    }

    @Test(.requires("python3")) func serveRejectsPortFlagLikeOllama() throws {
        guard Tools.available("python3") != nil else { return }
        let r = try Tools.run(Tools.which("python3")!, [Repo.fakeOllama.path, "serve", "--port", "11435"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("Error: unknown flag: --port"))
    }

    @Test(.requires("curl", "python3")) func hostilePlanRunsWithoutInjection() throws {
        guard Tools.available("curl") != nil, Tools.available("python3") != nil else { return }
        let box = try Sandbox("e2e-hostile")
        defer { box.killRecorded(); try? FileManager.default.removeItem(at: box.root) }
        let marker = box.root.appendingPathComponent("pwned-marker")
        let base = Self.randomBase()
        let plan = Fixtures.hostile(marker: marker.path, base: base, address: "127.0.0.1",
                                    modelsDir: box.root.appendingPathComponent("store `x` $(y)").path, ggufDir: box.root.path)
        // The GGUF file at its hostile path must exist for `ollama create`.
        let gguf = plan.models.compactMap(\.gguf).first!
        try FileManager.default.createDirectory(at: URL(fileURLWithPath: gguf).deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("GGUF".utf8).write(to: URL(fileURLWithPath: gguf))
        try box.emit(plan)
        let host = plan.hosts[0]
        let dir = PlanView(plan).dir(host)

        let start = try box.run("\(dir)/\(dir)_ollama_multi_start.sh")
        #expect(start.status == 0, "start: \(start.stdout)\(start.stderr)")
        let load = try box.run("\(dir)/\(dir)_load_models.sh")
        #expect(load.status == 0, "load: \(load.stdout)\(load.stderr)")
        for inst in host.instances {
            #expect(Self.loaded(inst.port) == Set(inst.models.map { Self.tagged($0.name) }), "models on \(inst.id)")
        }
        #expect(Self.showSystem(base, "it's \"x\"") == plan.modelInfo("it's \"x\"")?.system)
        #expect(Self.showSystem(base + 1, "multi\nline") == plan.modelInfo("multi\nline")?.system)
        let unload = try box.run("\(dir)/\(dir)_load_models.sh", ["--unload"])
        #expect(unload.status == 0, "unload: \(unload.stderr)")
        let stop = try box.run("\(dir)/\(dir)_ollama_multi_stop.sh")
        #expect(stop.status == 0, "stop: \(stop.stderr)")
        for inst in host.instances { #expect(Self.get(inst.port, "/") == nil) }
        #expect(!FileManager.default.fileExists(atPath: marker.path), "an injected command ran")
    }
}
