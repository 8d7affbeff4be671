#!/usr/bin/env bash
# Builds placeplan (release) and plans the seed-000 Mac Studio scenario, writing the plan and
# everything that runs it into ./out/seed000-mac-studio/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product placeplan >&2
mkdir -p out
.build/release/placeplan solve Plans/seed000-mac-studio/cluster.yaml \
  -o out/seed000-mac-studio.plan.json --emit out/seed000-mac-studio --force
