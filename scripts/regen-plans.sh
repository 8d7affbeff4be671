#!/usr/bin/env bash
# Regenerates every golden file under Plans/ with the debug build (CI runs this, then `git diff --exit-code Plans/`).
# The node limit makes hard scenarios stop at the same point on every machine.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=".build/debug/placeplan"
[[ -x "$bin" ]] || swift build --product placeplan
for dir in Plans/*/; do
  [[ -f "$dir/cluster.yaml" ]] || continue
  rc=0
  "$bin" solve "$dir/cluster.yaml" --format json --node-limit 3000 > "$dir/plan.json.new" || rc=$?
  [[ $rc -eq 0 || $rc -eq 1 ]] || { echo "solve failed ($rc) for $dir" >&2; rm -f "$dir/plan.json.new"; exit 1; }
  mv "$dir/plan.json.new" "$dir/plan.json"
  if [[ $rc -eq 0 ]]; then
    rm -rf "$dir/emit"
    "$bin" emit "$dir/plan.json" --out "$dir/emit" 2>/dev/null
  fi
done
"$bin" compare Plans/seed000-mac-studio/cluster.yaml --profile conservative --profile pooled --profile aggressive --profile quality-first --profile quantity-first --profile mixed --format markdown --node-limit 3000 -o Plans/seed000-mac-studio/compare.md
