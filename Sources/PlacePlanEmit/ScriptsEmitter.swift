import PlacePlanCore

/// Per host `H`: `H/H_ollama_multi_start.sh`, `H/H_ollama_multi_stop.sh`, `H/H_load_models.sh`
/// (SPEC §7). Host directory and file stems are the host name made safe (`SafeName`).
public struct ScriptsEmitter: Emitter {
    public static let id = "scripts"
    public init() {}

    public func render(_ plan: Plan, context: EmitContext) -> [RenderedFile] {
        let view = PlanView(plan)
        return view.hosts.flatMap { host -> [RenderedFile] in
            let d = view.dir(host)
            return [
                RenderedFile(path: "\(d)/\(d)_ollama_multi_start.sh", contents: startScript(view, host, context), executable: true),
                RenderedFile(path: "\(d)/\(d)_ollama_multi_stop.sh", contents: stopScript(view, host, context), executable: true),
                RenderedFile(path: "\(d)/\(d)_load_models.sh", contents: LoadScript.render(view, host, context), executable: true),
            ]
        }
    }

    // MARK: - start

    func startScript(_ view: PlanView, _ host: Plan.Host, _ context: EmitContext) -> String {
        let instances = view.instances(host)
        let tags = view.instanceTags(host)
        var w = ShellScript.begin(context, [
            "Starts the \(instances.count) Ollama instance(s) of host \(host.name) and waits until each answers.",
            "Idempotent: an instance whose recorded pid is alive and answers is left alone.",
            "Refuses to start anything while a planned port is taken by another process.",
            "Env: OLLAMA_BIN (default ollama), PLACEPLAN_STATE_DIR (default $HOME/.placeplan/\(view.dir(host))),",
            "     PLACEPLAN_PROBE_HOST (default 127.0.0.1), PLACEPLAN_WAIT_SECONDS (default 60).",
        ] + (view.idle(host).isEmpty ? [] : ["Not started (the plan puts no model there): \(view.idle(host).joined(separator: ", "))."]))
        w.line(#"OLLAMA_BIN="${OLLAMA_BIN:-ollama}""#)
        w.line(#"PROBE_HOST="${PLACEPLAN_PROBE_HOST:-127.0.0.1}""#)
        w.line(#"WAIT_SECONDS="${PLACEPLAN_WAIT_SECONDS:-60}""#)
        w.line(ShellScript.stateDir(view.dir(host)))
        w.line()
        if host.kind == "unified", let mb = host.required_wired_limit_mb {
            wiredLimitCheck(&w, mb)
        }
        w.line(ShellScript.processHelpers)
        w.line(#"""
        # ollama serve answers GET /api/version once it listens (server/routes.go; docs/api.md).
        answers() {
          curl -fsS --max-time 2 -o /dev/null "http://$PROBE_HOST:$1/api/version" 2>/dev/null
        }

        # port_taken PORT: something accepts connections there (curl exit 7 = could not connect).
        port_taken() {
          local rc=0
          curl -s --max-time 2 -o /dev/null "http://$PROBE_HOST:$1/" 2>/dev/null || rc=$?
          [[ "$rc" -ne 7 ]]
        }
        """#)
        w.line()
        w.comment("ollama serve takes its address and settings from the environment only: serveCmd in")
        w.comment("cmd/cmd.go registers no flags (no --host/--port); envconfig/config.go reads OLLAMA_*.")
        w.comment("exec keeps the recorded pid equal to the server's pid.")
        w.line("launch() {")
        w.line("  case \"$1\" in")
        for (k, inst) in instances.enumerated() {
            w.line("    \(k))")
            w.comment("      instance \(inst.id), port \(inst.port)")
            w.line("      exec env \\")
            for (key, value) in view.env(inst) where ShellQuoting.isIdentifier(key) {
                w.line("        \(ShellQuoting.assignment(key, value)) \\")
            }
            w.line("        nohup \"$OLLAMA_BIN\" serve")
            w.line("      ;;")
        }
        w.line("  esac")
        w.line("}")
        w.line()
        w.line("IDS=(\(instances.map { ShellQuoting.quote($0.id) }.joined(separator: " ")))")
        w.line("PORTS=(\(instances.map { String($0.port) }.joined(separator: " ")))")
        w.line("TAGS=(\(instances.map { ShellQuoting.quote(tags[$0.id] ?? SafeName.base($0.id)) }.joined(separator: " ")))")
        w.line(startBody)
        return w.text
    }

    /// macOS caps GPU-wired memory; the plan's budget needs `iogpu.wired_limit_mb` raised. The
    /// script never runs sudo itself: it prints the exact command.
    func wiredLimitCheck(_ w: inout TextWriter, _ mb: Int64) {
        w.comment("The plan budgets more GPU memory than macOS wires by default (iogpu.wired_limit_mb).")
        w.line("REQUIRED_WIRED_MB=\(mb)")
        w.line(#"""
        if current="$("${PLACEPLAN_SYSCTL:-sysctl}" -n iogpu.wired_limit_mb 2>/dev/null)" && [[ "$current" =~ ^[0-9]+$ ]]; then
          if (( current < REQUIRED_WIRED_MB )); then
            echo "error: this plan needs iogpu.wired_limit_mb >= $REQUIRED_WIRED_MB (now $current). Run:" >&2
            echo "  sudo sysctl iogpu.wired_limit_mb=$REQUIRED_WIRED_MB" >&2
            exit 1
          fi
        else
          echo "warning: cannot read iogpu.wired_limit_mb (not macOS?); the plan needs it >= $REQUIRED_WIRED_MB" >&2
        fi

        """#)
    }

    let startBody = #"""
    mkdir -p "$STATE_DIR"

    STARTED=()   # indexes started by this run: the only ones a failure stops
    WAITING=()   # indexes to wait for
    TAKEN=()
    for i in "${!IDS[@]}"; do
      pidfile="$STATE_DIR/${TAGS[$i]}.pid"
      startfile="$STATE_DIR/${TAGS[$i]}.started"
      if [[ -f "$pidfile" ]] && is_ours "$(cat "$pidfile")" serve "$startfile"; then
        if answers "${PORTS[$i]}"; then
          printf '%s: already running (pid %s) on port %s; left alone\n' "${IDS[$i]}" "$(cat "$pidfile")" "${PORTS[$i]}"
        else
          WAITING+=("$i")
        fi
        continue
      fi
      rm -f "$pidfile" "$startfile"
      if port_taken "${PORTS[$i]}"; then TAKEN+=("$i"); fi
    done
    if (( ${#TAKEN[@]} > 0 )); then
      for i in "${TAKEN[@]}"; do
        printf 'error: port %s is already taken by another process; not starting %s\n' "${PORTS[$i]}" "${IDS[$i]}" >&2
      done
      echo "Nothing was started. Stop what listens there (e.g. the Ollama app or service on 11434) or change the port." >&2
      exit 1
    fi

    stop_started() {
      local i
      for i in ${STARTED[@]+"${STARTED[@]}"}; do
        stop_pid "$(cat "$STATE_DIR/${TAGS[$i]}.pid")" "${IDS[$i]}"
        rm -f "$STATE_DIR/${TAGS[$i]}.pid" "$STATE_DIR/${TAGS[$i]}.started"
      done
    }
    trap 'stop_started; exit 130' INT TERM

    for i in "${!IDS[@]}"; do
      [[ -f "$STATE_DIR/${TAGS[$i]}.pid" ]] && continue
      launch "$i" >>"$STATE_DIR/${TAGS[$i]}.log" 2>&1 </dev/null &
      record_pid "$!" "$STATE_DIR/${TAGS[$i]}.pid" "$STATE_DIR/${TAGS[$i]}.started"
      STARTED+=("$i")
      WAITING+=("$i")
      printf '%s: starting on port %s (pid %s, log %s)\n' "${IDS[$i]}" "${PORTS[$i]}" "$!" "$STATE_DIR/${TAGS[$i]}.log"
    done

    deadline=$((SECONDS + WAIT_SECONDS))
    for i in ${WAITING[@]+"${WAITING[@]}"}; do
      pid="$(cat "$STATE_DIR/${TAGS[$i]}.pid")"
      until answers "${PORTS[$i]}"; do
        if ! kill -0 "$pid" 2>/dev/null; then
          printf 'error: %s (pid %s) exited before answering on port %s; see %s\n' "${IDS[$i]}" "$pid" "${PORTS[$i]}" "$STATE_DIR/${TAGS[$i]}.log" >&2
          stop_started
          exit 1
        fi
        if (( SECONDS >= deadline )); then
          printf 'error: %s did not answer GET /api/version on port %s within %s s; see %s\n' "${IDS[$i]}" "${PORTS[$i]}" "$WAIT_SECONDS" "$STATE_DIR/${TAGS[$i]}.log" >&2
          stop_started
          exit 1
        fi
        sleep 0.2
      done
      printf '%s: up on port %s (pid %s)\n' "${IDS[$i]}" "${PORTS[$i]}" "$pid"
    done
    """#

    // MARK: - stop

    func stopScript(_ view: PlanView, _ host: Plan.Host, _ context: EmitContext) -> String {
        let instances = view.instances(host)
        let tags = view.instanceTags(host)
        var w = ShellScript.begin(context, [
            "Stops the Ollama instances of host \(host.name) that \(view.dir(host))_ollama_multi_start.sh recorded.",
            "Only recorded pids are signalled (never pkill/killall), and only while they still are the",
            "ollama serve process started then (command line and start time checked).",
        ])
        w.line(ShellScript.stateDir(view.dir(host)))
        w.line()
        w.line(ShellScript.processHelpers)
        w.line()
        w.line("IDS=(\(instances.map { ShellQuoting.quote($0.id) }.joined(separator: " ")))")
        w.line("TAGS=(\(instances.map { ShellQuoting.quote(tags[$0.id] ?? SafeName.base($0.id)) }.joined(separator: " ")))")
        w.line(#"""

        for i in "${!IDS[@]}"; do
          pidfile="$STATE_DIR/${TAGS[$i]}.pid"
          startfile="$STATE_DIR/${TAGS[$i]}.started"
          if [[ ! -f "$pidfile" ]]; then
            printf '%s: no pid file; nothing to stop\n' "${IDS[$i]}"
            continue
          fi
          pid="$(cat "$pidfile")"
          if is_ours "$pid" serve "$startfile"; then
            stop_pid "$pid" "${IDS[$i]}"
            printf '%s: stopped (pid %s)\n' "${IDS[$i]}" "$pid"
          else
            printf '%s: pid %s is no longer the ollama serve we started; removing the stale pid file\n' "${IDS[$i]}" "$pid"
          fi
          rm -f "$pidfile" "$startfile"
        done
        """#)
        return w.text
    }
}
