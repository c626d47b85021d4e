#!/usr/bin/env bash
# Set up ecograph on a fresh machine: system packages the tests drive (a headless browser,
# rapper for linked-data checks), a virtual environment and the package with its extras.
# Usage: scripts/setup.sh [EXTRAS]   (EXTRAS default: test)
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-test}"
if [ "$extras" != "none" ] && command -v apt-get >/dev/null 2>&1; then
  missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v rapper >/dev/null 2>&1 || missing+=(raptor2-utils)
  if [ "${#missing[@]}" -gt 0 ]; then
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo_cmd apt-get update -qq
    $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [ "$extras" = "none" ]; then
  .venv/bin/python -m pip install -q -e .
else
  .venv/bin/python -m pip install -q -e ".[$extras]"
fi
