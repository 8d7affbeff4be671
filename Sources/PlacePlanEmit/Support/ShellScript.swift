/// The parts every emitted bash script shares: shebang, header, strict mode, process helpers.
enum ShellScript {
    /// `#!/usr/bin/env bash`, the generated-by line, a description, `set -euo pipefail`.
    static func begin(_ context: EmitContext, _ description: [String]) -> TextWriter {
        var w = TextWriter()
        w.line("#!/usr/bin/env bash")
        w.header(context)
        for d in description { w.comment(d) }
        w.comment("Plan values are single-quoted on purpose, so `$(...)` in them must not expand:")
        w.line("# shellcheck disable=SC2016")
        w.line("set -euo pipefail")
        w.line()
        return w
    }

    /// `STATE_DIR=…` defaulting to `$HOME/.placeplan/<dir>`; `dir` is a `SafeName`, so it
    /// needs no quoting inside the double quotes.
    static func stateDir(_ dir: String) -> String {
        "STATE_DIR=\"${PLACEPLAN_STATE_DIR:-$HOME/.placeplan/\(dir)}\""
    }

    /// Helpers to tell whether a recorded pid is still the process this tool started: alive,
    /// its command line holds a word we expect, and (when recorded) its start time is unchanged,
    /// so a recycled pid is never signalled. `ps -o args=`/`-o lstart=` work on Linux and macOS.
    static let processHelpers = #"""
    # is_ours PID NEEDLE STARTFILE: PID is alive, runs NEEDLE and started when we recorded it.
    is_ours() {
      local pid="$1" needle="$2" startfile="$3" args started
      [[ "$pid" =~ ^[0-9]+$ ]] || return 1
      kill -0 "$pid" 2>/dev/null || return 1
      args="$(ps -p "$pid" -o args= 2>/dev/null)" || return 1
      [[ "$args" == *"$needle"* ]] || return 1
      if [[ -f "$startfile" ]]; then
        started="$(ps -p "$pid" -o lstart= 2>/dev/null)" || return 1
        [[ "$started" == "$(cat "$startfile")" ]] || return 1
      fi
    }

    # stop_pid PID LABEL: SIGTERM, wait up to PLACEPLAN_STOP_SECONDS (default 20), then SIGKILL.
    stop_pid() {
      local pid="$1" label="$2" n=0 limit
      limit=$(( ${PLACEPLAN_STOP_SECONDS:-20} * 5 ))
      kill -TERM "$pid" 2>/dev/null || return 0
      while kill -0 "$pid" 2>/dev/null && (( n < limit )); do
        sleep 0.2
        n=$((n + 1))
      done
      if kill -0 "$pid" 2>/dev/null; then
        printf '%s: still running after SIGTERM; sending SIGKILL to pid %s\n' "$label" "$pid" >&2
        kill -KILL "$pid" 2>/dev/null || true
      fi
    }

    # record_pid PID PIDFILE STARTFILE: pid and start time, so stop scripts signal only this process.
    record_pid() {
      printf '%s\n' "$1" >"$2"
      ps -p "$1" -o lstart= >"$3" 2>/dev/null || rm -f "$3"
    }
    """#
}
