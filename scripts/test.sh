#!/usr/bin/env bash
# Installs GLPK and the checking tools when missing, then runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --checkers
export PLACEPLAN_REQUIRE_TOOLS=1   # a missing checker fails the tests instead of skipping them
swift build --build-tests
swift test --skip-build "$@"
