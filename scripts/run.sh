#!/usr/bin/env bash
# Set up, load the bundled data into the embedded store (validated) and serve the endpoint.
# Usage: scripts/run.sh [ecograph serve options]   e.g. --port 8000
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh none
.venv/bin/ecograph load
exec .venv/bin/ecograph serve "$@"
