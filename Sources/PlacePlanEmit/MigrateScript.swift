import PlacePlanCore

/// `H/H_migrate.sh` (SPEC §9) for every host that `replan`'s moves touch: performs that host's
/// steps in plan order — load a copy (pull when planned, `ollama create` from its Modelfile,
/// preload with keep_alive -1), unload a copy (keep_alive 0, never /api/delete) — and stops at
/// the first failure, saying what is done and what is left. Idempotent: a copy already loaded is
/// not loaded again, one already gone is not unloaded. A copy whose replacement runs on another
/// host is unloaded only once that replacement answers there (run the other host's script first).
public struct MigrateEmitter: Emitter {
    public static let id = "migrate"
    public init() {}

    public func render(_ plan: Plan, context: EmitContext) -> [RenderedFile] {
        guard let moves = plan.moves, !moves.isEmpty else { return [] }
        let view = PlanView(plan)
        func hostOf(_ instance: String?) -> String? { instance.map { String($0[..<($0.lastIndex(of: "/") ?? $0.endIndex)]) } }
        return view.hosts.compactMap { host -> RenderedFile? in
            let mine = moves.filter { hostOf($0.from) == host.name || hostOf($0.to) == host.name }
            guard !mine.isEmpty else { return nil }
            let d = view.dir(host)
            return RenderedFile(path: "\(d)/\(d)_migrate.sh", contents: Self.script(view, host, mine, context), executable: true)
        }
    }

    static func script(_ view: PlanView, _ host: Plan.Host, _ moves: [Plan.Move], _ context: EmitContext) -> String {
        var w = ShellScript.begin(context, [
            "Performs host \(host.name)'s steps of the migration planned by `placeplan replan`, in order,",
            "and stops at the first failure saying what is done and what is left. Safe to run again.",
            "Env: OLLAMA_BIN (default ollama), PLACEPLAN_PROBE_HOST (default 127.0.0.1).",
        ])
        w.line(#"""
        OLLAMA_BIN="${OLLAMA_BIN:-ollama}"
        PROBE_HOST="${PLACEPLAN_PROBE_HOST:-127.0.0.1}"
        SCRIPT_DIR="$(cd "$(dirname "$0")" && pwd)"
        DONE=()
        STEPS=()

        # loaded URL NAME: whether /api/ps of the server at URL lists NAME (`ollama ps`, NAME column;
        # an untagged name is NAME:latest, as Ollama's name parser completes it).
        loaded() {
          local want="$2"
          [[ "$want" == *:* ]] || want="$want:latest"
          OLLAMA_HOST="$1" "$OLLAMA_BIN" ps 2>/dev/null | awk 'NR > 1 { print $1 }' | grep -Fxq -- "$want"
        }

        generate() {
          curl -fsS -o /dev/null -X POST -H 'Content-Type: application/json' \
            --data-binary "$2" "http://$PROBE_HOST:$1/api/generate"
        }

        # fail STEP: stop here, listing what is done and what is left.
        fail() {
          printf 'error: step %s failed: %s\n' "$1" "$2" >&2
          printf 'done:\n' >&2; printf '  - %s\n' "${DONE[@]+"${DONE[@]}"}" >&2
          printf 'left (from step %s):\n' "$1" >&2
          local s; for s in "${STEPS[@]}"; do [[ "${s%%.*}" -ge "$1" ]] && printf '  - %s\n' "$s" >&2; done
          exit 1
        }

        # load STEP PORT INSTANCE NAME PULL MODELFILE
        load() {
          if loaded "$PROBE_HOST:$2" "$4"; then DONE+=("$1. $4 already loaded on $3"); return 0; fi
          if [[ -n "$5" ]]; then OLLAMA_HOST="$PROBE_HOST:$2" "$OLLAMA_BIN" pull "$5" >/dev/null || fail "$1" "could not pull $5 on $3"; fi
          OLLAMA_HOST="$PROBE_HOST:$2" "$OLLAMA_BIN" create "$4" -f "$SCRIPT_DIR/Modelfiles/$6" >/dev/null || fail "$1" "could not create $4 on $3"
          generate "$2" "{\"model\":$(json "$4"),\"keep_alive\":-1}" || fail "$1" "could not load $4 on $3"
          DONE+=("$1. loaded $4 on $3")
        }

        # unload STEP PORT INSTANCE NAME [REPLACEMENT_URL REPLACEMENT_INSTANCE]
        unload() {
          if [[ -n "${5:-}" ]] && ! loaded "$5" "$4"; then
            fail "$1" "$4 is not running on $6 yet: run that host's migrate script first, then this one again"
          fi
          if ! loaded "$PROBE_HOST:$2" "$4"; then DONE+=("$1. $4 already gone from $3"); return 0; fi
          generate "$2" "{\"model\":$(json "$4"),\"keep_alive\":0}" || fail "$1" "could not unload $4 from $3"
          DONE+=("$1. unloaded $4 from $3")
        }

        # json STRING: a JSON string literal (names hold no control characters; quote and backslash escaped).
        json() { local s="${1//\\/\\\\}"; printf '"%s"' "${s//\"/\\\"}"; }

        """#)
        var calls: [String] = []
        for m in moves {
            let to = m.to.flatMap { view.locate($0) }, from = m.from.flatMap { view.locate($0) }
            let label = "\(m.step). \(m.model) \(m.quant): " + [m.from.map { "from \($0)" }, m.to.map { "to \($0)" }].compactMap { $0 }.joined(separator: " ")
            w.line("STEPS+=(\(ShellQuoting.quote(label)))")
            var lines: [String] = []
            if let (th, ti) = to, th.name == host.name {
                let copy = ti.models.first { $0.name == m.model }
                lines.append("load \(m.step) \(ti.port) \(ShellQuoting.quote(ti.id)) \(ShellQuoting.quote(m.model)) \(ShellQuoting.quote(copy?.pull ?? "")) \(ShellQuoting.quote(ModelfilesEmitter.fileName(view, m.model)))")
            }
            if let (fh, fi) = from, fh.name == host.name {
                var args = "unload \(m.step) \(fi.port) \(ShellQuoting.quote(fi.id)) \(ShellQuoting.quote(m.model))"
                // The replacement elsewhere must answer before this copy goes (unless draining first).
                if m.drain_first != true, let (th, ti) = to, th.name != host.name {
                    args += " \(ShellQuoting.quote("\(th.address):\(ti.port)")) \(ShellQuoting.quote(ti.id))"
                }
                lines.append(args)
            }
            // A `from` on a host that is gone needs no unload: nothing runs there any more.
            if m.drain_first == true { lines.reverse() }
            calls += lines
        }
        w.line()
        for c in calls { w.line(c) }
        w.line(#"printf '%s\n' "${DONE[@]+"${DONE[@]}"}""#)
        w.line("echo \"migrate: \(host.name) done (${#DONE[@]} step(s))\"")
        return w.text
    }
}
