import PlacePlanCore

/// `H/H_load_models.sh`: makes every model placed on a host present on its instance and
/// preloads it there; `--unload` unloads the same copies.
enum LoadScript {
    static func render(_ view: PlanView, _ host: Plan.Host, _ context: EmitContext) -> String {
        var w = ShellScript.begin(context, [
            "Loads the models planned for host \(host.name): pull (when the plan names a tag), then",
            "`ollama create NAME -f Modelfile` so num_ctx is pinned, then preload with keep_alive -1.",
            "--unload sends keep_alive 0 instead (never /api/delete: that removes the model from disk).",
            "Env: OLLAMA_BIN (default ollama), PLACEPLAN_PROBE_HOST (default 127.0.0.1).",
        ])
        w.line(#"""
        OLLAMA_BIN="${OLLAMA_BIN:-ollama}"
        PROBE_HOST="${PLACEPLAN_PROBE_HOST:-127.0.0.1}"
        SCRIPT_DIR="$(cd "$(dirname "$0")" && pwd)"
        MODE=load
        case "${1:-}" in
          "") ;;
          --unload) MODE=unload ;;
          *) echo "usage: $0 [--unload]" >&2; exit 64 ;;
        esac

        # POST /api/generate without a prompt loads a model (keep_alive -1: keep it loaded) or
        # unloads it (keep_alive 0): docs/api.md "Load a model" / "Unload a model".
        generate() {
          curl -fsS -o /dev/null -X POST -H 'Content-Type: application/json' \
            --data-binary "$2" "http://$PROBE_HOST:$1/api/generate"
        }

        # model PORT INSTANCE NAME PULL GGUF MODELFILE LOAD_JSON UNLOAD_JSON
        # The CLI talks to the server named by OLLAMA_HOST (envconfig.Host, api.ClientFromEnvironment),
        # so pull and create go through the instance that will serve the model. Every step is checked
        # here (a function called under `||` runs without set -e), and a failure never stops the rest.
        model() {
          local port="$1" id="$2" name="$3" pull="$4" gguf="$5" modelfile="$SCRIPT_DIR/Modelfiles/$6"
          if [[ "$MODE" == unload ]]; then
            generate "$port" "$8" || { printf 'error: could not unload %s on %s (port %s)\n' "$name" "$id" "$port" >&2; return 1; }
            printf 'unloaded %s on %s (port %s)\n' "$name" "$id" "$port"
            return 0
          fi
          if [[ -n "$pull" ]]; then
            OLLAMA_HOST="$PROBE_HOST:$port" "$OLLAMA_BIN" pull "$pull" \
              || { printf 'error: could not pull %s for %s on %s (port %s)\n' "$pull" "$name" "$id" "$port" >&2; return 1; }
          fi
          if [[ -n "$gguf" && "$gguf" == /* && ! -f "$gguf" ]]; then
            printf 'error: GGUF file for %s not found: %s\n' "$name" "$gguf" >&2
            return 1
          fi
          OLLAMA_HOST="$PROBE_HOST:$port" "$OLLAMA_BIN" create "$name" -f "$modelfile" \
            || { printf 'error: could not create %s on %s (port %s)\n' "$name" "$id" "$port" >&2; return 1; }
          generate "$port" "$7" || { printf 'error: could not load %s on %s (port %s)\n' "$name" "$id" "$port" >&2; return 1; }
          printf 'loaded %s on %s (port %s)\n' "$name" "$id" "$port"
        }

        DONE=0
        FAILED=()
        # run INSTANCE NAME ARGS...: one model; a failure is recorded and the next model is tried.
        run() {
          local label="$1 on $3"
          shift
          if model "$@"; then DONE=$((DONE + 1)); else FAILED+=("$label"); fi
        }

        """#)
        let placements = view.placements(on: host)
        if placements.isEmpty { w.line("echo 'no models are planned on this host'") }
        for (inst, m) in placements {
            let info = view.info(m.name)
            let pull = m.pull ?? ""
            let gguf = info?.gguf != nil ? (m.from ?? "") : ""
            let load = "{\"model\":\(JSONString.quote(m.name)),\"keep_alive\":-1}"
            let unload = "{\"model\":\(JSONString.quote(m.name)),\"keep_alive\":0}"
            w.comment("\(m.name) on \(inst.id) at \(m.quant)")
            w.line("run \(ShellQuoting.quote(m.name)) \(inst.port) \(ShellQuoting.quote(inst.id)) \(ShellQuoting.quote(m.name)) \(ShellQuoting.quote(pull)) \\")
            w.line("  \(ShellQuoting.quote(gguf)) \(ShellQuoting.quote(ModelfilesEmitter.fileName(view, m.name))) \\")
            w.line("  \(ShellQuoting.quote(load)) \(ShellQuoting.quote(unload))")
        }
        w.line(#"""

        if (( ${#FAILED[@]} > 0 )); then
          printf '%s: %d done, %d failed:\n' "$MODE" "$DONE" "${#FAILED[@]}" >&2
          printf '  - %s\n' "${FAILED[@]}" >&2
          exit 1
        fi
        printf '%s: %d done, 0 failed\n' "$MODE" "$DONE"
        """#)
        return w.text
    }
}
