import PlacePlanCore

/// OLOL files when `settings.olol`: `H/H_olol_start.sh` per host (with `--stop`),
/// `olol_servers.txt` and `olol_proxy.sh`. OLOL's command line is read from its
/// `src/olol/__main__.py`: `olol server --host --port --ollama-host`, `olol proxy --servers`.
///
/// What OLOL itself breaks (K2/olol HEAD 209bd2a, not on PyPI): `olol server` ignores `--host` and
/// `--port` (its `sync_main` calls `serve()` without them) and binds `[::]:50051`, so per host only
/// the instance planned at OLOL port 50051 is reachable and a second `olol server` on that host
/// fails to bind. The scripts still pass the planned ports, so they work once OLOL honours them.
/// The proxy listens on the plan's `settings.olol_proxy_port`, which plan building keeps apart
/// from `proxy_port` (nginx and HAProxy); `--no-ui` turns off its curses dashboard (`run_proxy`'s
/// `enable_ui` in `src/olol/proxy.py`), which needs a terminal.
public struct OlolEmitter: Emitter {
    public static let id = "olol"
    public init() {}

    public func render(_ plan: Plan, context: EmitContext) -> [RenderedFile] {
        guard plan.settings.olol else { return [] }
        let view = PlanView(plan)
        var files = view.hosts.filter { !$0.instances.isEmpty }.map { host in
            RenderedFile(path: "\(view.dir(host))/\(view.dir(host))_olol_start.sh", contents: startScript(view, host, context), executable: true)
        }
        let list = Self.serverList(view)
        files.append(RenderedFile(path: "olol_servers.txt", contents: list + "\n"))
        files.append(RenderedFile(path: "olol_proxy.sh", contents: proxyScript(plan, list, context), executable: true))
        return files
    }

    /// `addr:olol_port,...` over every instance, hosts by name, instances by port.
    static func serverList(_ view: PlanView) -> String {
        view.hosts.flatMap { h in view.instances(h).map { "\(h.address):\($0.olol_port)" } }.joined(separator: ",")
    }

    func proxyScript(_ plan: Plan, _ list: String, _ context: EmitContext) -> String {
        var w = ShellScript.begin(context, [
            "Runs the OLOL proxy in the foreground on port \(plan.settings.olol_proxy_port) over the planned servers.",
            "--no-discovery keeps the planned server list authoritative; --no-ui turns off the terminal dashboard.",
            "OLOL (K2/olol HEAD 209bd2a) binds every `olol server` to port 50051 whatever --port says:",
            "of the servers listed here only those at port 50051 answer, one per host.",
            "Env: OLOL_BIN (default olol).",
        ] + (plan.settings.olol_proxy_port == plan.settings.proxy_port
            ? ["This plan gives OLOL's proxy the port nginx and HAProxy listen on (\(plan.settings.proxy_port)): run it on another host."] : []))
        w.line(#"OLOL_BIN="${OLOL_BIN:-olol}""#)
        w.line("exec \"$OLOL_BIN\" proxy --host 0.0.0.0 --port \(plan.settings.olol_proxy_port) \\")
        w.line("  --servers \(ShellQuoting.quote(list)) --no-discovery --no-ui")
        return w.text
    }

    func startScript(_ view: PlanView, _ host: Plan.Host, _ context: EmitContext) -> String {
        let instances = view.instances(host)
        let tags = view.instanceTags(host)
        var w = ShellScript.begin(context, [
            "Starts one OLOL server per Ollama instance of host \(host.name); --stop stops what it recorded.",
            "OLOL (K2/olol HEAD 209bd2a) ignores --port and binds 50051: only one server per host starts.",
            "Env: OLOL_BIN (default olol), PLACEPLAN_STATE_DIR (default $HOME/.placeplan/\(view.dir(host))).",
        ])
        w.line(#"OLOL_BIN="${OLOL_BIN:-olol}""#)
        w.line(ShellScript.stateDir(view.dir(host)))
        w.line()
        w.line(ShellScript.processHelpers)
        w.line()
        w.line("IDS=(\(instances.map { ShellQuoting.quote($0.id) }.joined(separator: " ")))")
        w.line("TAGS=(\(instances.map { ShellQuoting.quote("olol_" + (tags[$0.id] ?? SafeName.base($0.id))) }.joined(separator: " ")))")
        w.line("OLOL_PORTS=(\(instances.map { String($0.olol_port) }.joined(separator: " ")))")
        w.line("OLLAMA_PORTS=(\(instances.map { String($0.port) }.joined(separator: " ")))")
        w.line(#"""
        mkdir -p "$STATE_DIR"

        for i in "${!IDS[@]}"; do
          pidfile="$STATE_DIR/${TAGS[$i]}.pid"
          startfile="$STATE_DIR/${TAGS[$i]}.started"
          if [[ "${1:-}" == --stop ]]; then
            if [[ -f "$pidfile" ]] && is_ours "$(cat "$pidfile")" olol "$startfile"; then
              stop_pid "$(cat "$pidfile")" "${IDS[$i]} olol"
              printf '%s: olol server stopped\n' "${IDS[$i]}"
            fi
            rm -f "$pidfile" "$startfile"
            continue
          fi
          if [[ -f "$pidfile" ]] && is_ours "$(cat "$pidfile")" olol "$startfile"; then
            printf '%s: olol server already running (pid %s)\n' "${IDS[$i]}" "$(cat "$pidfile")"
            continue
          fi
          nohup "$OLOL_BIN" server --host 0.0.0.0 --port "${OLOL_PORTS[$i]}" \
            --ollama-host "http://127.0.0.1:${OLLAMA_PORTS[$i]}" >>"$STATE_DIR/${TAGS[$i]}.log" 2>&1 </dev/null &
          record_pid "$!" "$pidfile" "$startfile"
          printf '%s: olol server on port %s -> ollama port %s (pid %s)\n' "${IDS[$i]}" "${OLOL_PORTS[$i]}" "${OLLAMA_PORTS[$i]}" "$!"
        done
        """#)
        return w.text
    }
}
