#!/usr/bin/env bash
# Set up from scratch (scripts/setup.sh) and run the whole test suite plus the linter.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
.venv/bin/ruff check src tests bench
exec .venv/bin/pytest -p no:cacheprovider "$@"
