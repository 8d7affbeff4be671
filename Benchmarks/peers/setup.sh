#!/usr/bin/env bash
# Creates Benchmarks/peers/.venv with the pinned peers (OR-Tools CP-SAT, HiGHS, PuLP's CBC).
set -euo pipefail
cd "$(dirname "$0")"
python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q -r requirements.txt
.venv/bin/python -c 'import ortools, highspy, pulp; print("peers ready: ortools", ortools.__version__, "pulp", pulp.__version__)'
