import Foundation
import Testing
@testable import PlacePlanCore
@testable import PlacePlanEmit

/// The emitted proxy configs run by the real proxies (LiteLLM, HAProxy, nginx) on loopback in
/// front of stand-in Ollama servers (Tests/Support/fake_ollama.py):
/// - `duo` has two primary copies: both get traffic;
/// - `solo` has a primary and a backup copy (the backup on an overflow host, role `backup` in
///   the plan's routes): the backup gets nothing while the primary lives;
/// - after 20 requests per model, one copy of each is killed; the next 20 must all succeed
///   (0 failed of 40 per model), and the backup then takes `solo`'s traffic.
@Suite(.serialized) struct LiveProxyTests {
    static let requests = 40

    /// Four stand-in Ollama servers, one copy each: duo@gpu/0, duo@gpu/1, solo@gpu/2 (primary),
    /// solo@mac/0 (backup).
    final class StandIns {
        let root: URL
        let ports: [Int]
        private(set) var pids: [pid_t] = []
        var logs: [String] { ports.map { root.appendingPathComponent("ollama-\($0).log").path } }

        init(_ label: String) throws {
            root = try TempDir.make(label)
            ports = (0..<4).map { _ in LiveProxyTests.freePort() }
            let py = Tools.which("python3")!
            for (k, p) in ports.enumerated() {
                let store = root.appendingPathComponent("store \(p)")
                try FileManager.default.createDirectory(at: store, withIntermediateDirectories: true)
                pids.append(try Tools.spawn(py, [Repo.fakeOllama.path, "serve"],
                                            env: ["OLLAMA_HOST": "127.0.0.1:\(p)", "OLLAMA_MODELS": store.path],
                                            stderr: logs[k]))
            }
            for p in ports {
                #expect(LiveProxyTests.waitUntil { LiveProxyTests.status("http://127.0.0.1:\(p)/api/version") == 200 }, "stand-in on \(p) did not start")
                for m in ["duo", "solo"] {
                    _ = LiveProxyTests.status("http://127.0.0.1:\(p)/api/pull", body: "{\"model\":\"\(m)\"}")
                }
            }
        }

        /// The plan: `duo` on gpu/0 and gpu/1, `solo` on gpu/2 with a backup on the overflow host.
        func plan(proxyPort: Int) -> Plan {
            Fixtures.plan([
                .init(name: "gpu", address: "127.0.0.1", kind: "gpu",
                      instances: [(ports[0], 0, ["duo"]), (ports[1], 1, ["duo"]), (ports[2], 2, ["solo"])]),
                .init(name: "mac", address: "127.0.0.1", overflow: true, instances: [(ports[3], nil, ["solo"])]),
            ], models: [Fixtures.model("duo"), Fixtures.model("solo")], olol: false, proxyPort: proxyPort)
        }

        /// Generation requests each stand-in answered.
        func served() -> [Int] {
            logs.map { ((try? String(contentsOfFile: $0, encoding: .utf8)) ?? "").components(separatedBy: "\"POST /api/chat ").count - 1 }
        }

        func kill(_ k: Int) { LiveProxyTests.stop(pids[k]) }

        deinit {
            for p in pids { LiveProxyTests.stop(p) }
            try? FileManager.default.removeItem(at: root)
        }
    }

    /// Sends 20 requests per model, kills duo@gpu/0 and solo@gpu/2, sends 20 more; checks who
    /// served what. `send(model)` returns the HTTP status.
    static func exercise(_ name: String, _ standIns: StandIns, send: (String) -> Int) {
        var failed = ["duo": 0, "solo": 0]
        for _ in 0..<requests / 2 { for m in ["duo", "solo"] where send(m) != 200 { failed[m]! += 1 } }
        let before = standIns.served()
        #expect(before[0] > 0 && before[1] > 0, "\(name): both primaries of duo get traffic: \(before)")
        #expect(before[2] == requests / 2 && before[3] == 0, "\(name): solo's backup idle while its primary lives: \(before)")
        standIns.kill(0)
        standIns.kill(2)
        for _ in 0..<requests / 2 { for m in ["duo", "solo"] where send(m) != 200 { failed[m]! += 1 } }
        let after = standIns.served()
        #expect(failed == ["duo": 0, "solo": 0], "\(name): failed requests of \(requests) per model with one copy killed: \(failed)")
        #expect(after[1] - before[1] == requests / 2 && after[3] == requests / 2,
                "\(name): the surviving copies serve everything after the kill: \(before) -> \(after)")
        print("\(name): served per stand-in before kill \(before), after \(after); failed \(failed)")
    }

    @Test(.requires("python3", "curl", "haproxy")) func haproxyFailsOverWithoutErrors() throws {
        guard Tools.available("python3") != nil, Tools.available("curl") != nil, let haproxy = Tools.available("haproxy") else { return }
        let standIns = try StandIns("live-haproxy")
        let port = Self.freePort()
        let out = try Self.emit(standIns.plan(proxyPort: port), in: standIns.root)
        let pid = try Tools.spawn(haproxy, ["-db", "-f", out.appendingPathComponent("haproxy.cfg").path],
                                  stderr: standIns.root.appendingPathComponent("haproxy.log").path)
        defer { Self.stop(pid, SIGTERM) }
        #expect(Self.waitUntil { Self.status("http://127.0.0.1:\(port)/m/duo/api/version") == 200 }, "haproxy did not start")
        Self.exercise("haproxy", standIns) { Self.ollamaChat(port: port, model: $0) }
    }

    @Test(.requires("python3", "curl", "nginx")) func nginxFailsOverWithoutErrors() throws {
        guard Tools.available("python3") != nil, Tools.available("curl") != nil, let nginx = Tools.available("nginx") else { return }
        let standIns = try StandIns("live-nginx")
        let port = Self.freePort()
        let out = try Self.emit(standIns.plan(proxyPort: port), in: standIns.root)
        let pid = try Tools.spawn(nginx, ["-p", out.path + "/", "-c", out.appendingPathComponent("nginx.conf").path,
                                          "-e", out.appendingPathComponent("startup-error.log").path, "-g", "daemon off;"],
                                  stderr: standIns.root.appendingPathComponent("nginx.log").path)
        defer { Self.stop(pid, SIGTERM) }
        #expect(Self.waitUntil { Self.status("http://127.0.0.1:\(port)/m/duo/api/version") == 200 }, "nginx did not start")
        Self.exercise("nginx", standIns) { Self.ollamaChat(port: port, model: $0) }
    }

    /// LiteLLM's proxy takes ~10–15 s to start; this is its only start in the suite.
    @Test(.requires("python3", "curl", "litellm")) func litellmBalancesPrimariesAndFailsOverWithoutErrors() throws {
        guard Tools.available("python3") != nil, Tools.available("curl") != nil, let litellm = Tools.available("litellm") else { return }
        let standIns = try StandIns("live-litellm")
        let port = Self.freePort()
        let out = try Self.emit(standIns.plan(proxyPort: Self.freePort()), in: standIns.root)
        let key = "sk-placeplan-test"
        let pid = try Tools.spawn(litellm, ["--config", out.appendingPathComponent("litellm.yaml").path, "--host", "127.0.0.1", "--port", "\(port)"],
                                  env: ["LITELLM_MASTER_KEY": key, "LITELLM_LOCAL_MODEL_COST_MAP": "True"],
                                  stdout: standIns.root.appendingPathComponent("litellm.out").path,
                                  stderr: standIns.root.appendingPathComponent("litellm.log").path)
        defer { Self.stop(pid, SIGTERM) }
        let up = Self.waitUntil(seconds: 90) { Self.status("http://127.0.0.1:\(port)/health/liveliness") == 200 }
        #expect(up, "litellm did not start: \((try? String(contentsOf: standIns.root.appendingPathComponent("litellm.log"), encoding: .utf8)) ?? "")")
        guard up else { return }
        let auth = ["-H", "Authorization: Bearer \(key)"]

        // /v1/models lists the plan's model names and nothing else (no internal groups).
        let models = try Tools.run("/usr/bin/curl", ["-sS", "--max-time", "10"] + auth + ["http://127.0.0.1:\(port)/v1/models"])
        let ids = ((try? JSONSerialization.jsonObject(with: Data(models.stdout.utf8)) as? [String: Any])?["data"] as? [[String: Any]] ?? [])
            .compactMap { $0["id"] as? String }
        #expect(ids.sorted() == ["duo", "solo"], "/v1/models: \(models.stdout)")

        Self.exercise("litellm", standIns) { model in
            let body = "{\"model\":\"\(model)\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
            return Self.status("http://127.0.0.1:\(port)/v1/chat/completions", body: body, headers: auth)
        }
        // The proxy warns about, then ignores, any router_settings key Router.__init__ does not take
        // (proxy_server.py load_config): every emitted setting must be a real one.
        let log = ["litellm.log", "litellm.out"].map { (try? String(contentsOf: standIns.root.appendingPathComponent($0), encoding: .utf8)) ?? "" }.joined()
        #expect(!log.contains("is not a valid argument"), "LiteLLM ignored a setting:\n\(log)")
    }

    // MARK: helpers

    static func emit(_ plan: Plan, in root: URL) throws -> URL {
        let out = root.appendingPathComponent("emit")
        _ = try OutputWriter.write(try Emit.render(plan, context: .init(planName: "live.json")), to: out, force: false)
        return out
    }

    /// POST /m/<model>/api/chat through a path-routing proxy.
    static func ollamaChat(port: Int, model: String) -> Int {
        status("http://127.0.0.1:\(port)/m/\(model)/api/chat",
               body: "{\"model\":\"\(model)\",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
    }

    /// HTTP status of a GET (or a POST with `body`); 0 when no answer.
    static func status(_ url: String, body: String? = nil, headers: [String] = []) -> Int {
        var args = ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "30"] + headers
        if let body { args += ["-H", "Content-Type: application/json", "--data-binary", body] }
        guard let r = try? Tools.run("/usr/bin/curl", args + [url]) else { return 0 }
        return Int(r.stdout) ?? 0
    }

    static func waitUntil(seconds: Double = 15, _ ready: () -> Bool) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if ready() { return true }
            usleep(200_000)
        }
        return ready()
    }

    /// A port nothing listens on now: bound to 0, read back, closed.
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    /// Stops one process this test started, and reaps it: `signal` (SIGKILL for a stand-in that
    /// must die at once; SIGTERM for a proxy, so nginx's master also stops its workers), then
    /// SIGKILL after 10 s.
    static func stop(_ pid: pid_t, _ signal: Int32 = SIGKILL) {
        var st: Int32 = 0
        guard waitpid(pid, &st, WNOHANG) == 0 else { return }
        kill(pid, signal)
        let end = Date().addingTimeInterval(10)
        while waitpid(pid, &st, WNOHANG) == 0 {
            if Date() > end { kill(pid, SIGKILL); waitpid(pid, &st, 0); return }
            usleep(50_000)
        }
    }
}
