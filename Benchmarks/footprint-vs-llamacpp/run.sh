#!/usr/bin/env bash
# One command: pinned llama-cpp-python + gguf in a virtual environment (llama.cpp compiles: ~5-40 min on
# two cores), zero-weight GGUFs of every catalog architecture, the sweep (measured.json), then placeplan's
# estimate against every row (the FootprintBuffersTests suite) written into README.md's table.
# Usage: Benchmarks/footprint-vs-llamacpp/run.sh [shape-id ...]   (no ids: all shapes + layer-check)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$here/.venv"
if [ ! -x "$venv/bin/python" ]; then python3 -m venv "$venv"; fi
if ! "$venv/bin/python" -c "import llama_cpp, gguf" 2>/dev/null; then
  CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-2}" \
  CMAKE_ARGS="${CMAKE_ARGS:--DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_CURL=OFF}" \
    "$venv/bin/pip" install -r "$here/requirements.txt"
fi
if [ "$#" -gt 0 ]; then "$venv/bin/python" "$here/measure.py" --only "$@"; else "$venv/bin/python" "$here/measure.py"; fi
cd "$root"
scratch="${SCRATCH:-.build-footprint}"
swift build --scratch-path "$scratch" --build-tests
FOOTPRINT_TABLE="$here/.work/table.md" swift test --scratch-path "$scratch" --skip-build --filter FootprintBuffersTests || true
python3 - "$here/README.md" "$here/.work/table.md" <<'PY'
import sys, re
readme, table = sys.argv[1], open(sys.argv[2]).read()
text = open(readme).read()
text = re.sub(r"<!-- table -->.*<!-- /table -->", "<!-- table -->\n" + table + "<!-- /table -->", text, flags=re.S)
open(readme, "w").write(text)
PY
echo "README.md table updated from measured.json"
