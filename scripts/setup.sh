#!/usr/bin/env bash
# Installs what placeplan needs on Debian/Ubuntu when it is missing: GLPK (always), and with
# --checkers the tools the test suite runs on emitted files (shellcheck, nginx, haproxy, xmllint, node,
# curl) plus the pinned Python packages of scripts/requirements-test.txt (PyYAML, gguf, and the
# LiteLLM proxy the live proxy tests run). Safe to run again: it installs only what is absent.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
# macOS: Homebrew's GLPK (Package.swift looks in /opt/homebrew and /usr/local); the checkers too when asked.
if [[ "$(uname -s)" == Darwin ]]; then
  command -v brew >/dev/null 2>&1 || { echo "placeplan setup: install Homebrew (https://brew.sh), then run: brew install glpk" >&2; exit 1; }
  want=(glpk)
  if [[ "${1:-}" == "--checkers" ]]; then want+=(shellcheck nginx haproxy libxml2 node); fi
  for p in "${want[@]}"; do brew list --versions "$p" >/dev/null 2>&1 || brew install "$p"; done
  if [[ "${1:-}" == "--checkers" ]]; then python3 -m pip install -q -r "$here/scripts/requirements-test.txt"; fi
  exit 0
fi
want=(libglpk-dev)
if [[ "${1:-}" == "--checkers" ]]; then want+=(shellcheck nginx haproxy libxml2-utils nodejs python3-pip curl); fi
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# nodejs may come from elsewhere (nvm, NodeSource): a working `node` is enough.
if command -v node >/dev/null 2>&1; then
  kept=(); for p in "${missing[@]}"; do [[ "$p" == nodejs ]] || kept+=("$p"); done; missing=("${kept[@]}")
fi
if command -v pip3 >/dev/null 2>&1 || command -v pip >/dev/null 2>&1; then
  kept=(); for p in "${missing[@]}"; do [[ "$p" == python3-pip ]] || kept+=("$p"); done; missing=("${kept[@]}")
fi
if (( ${#missing[@]} > 0 )); then
  sudo=""; [[ "$(id -u)" -eq 0 ]] || sudo="sudo"
  echo "placeplan setup: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [[ "${1:-}" == "--checkers" ]]; then
  pip_cmd=(python3 -m pip)
  "${pip_cmd[@]}" install -q -r "$here/scripts/requirements-test.txt" 2>/dev/null \
    || "${pip_cmd[@]}" install -q --break-system-packages -r "$here/scripts/requirements-test.txt"
fi
