#!/usr/bin/env bash
# Set up (system packages, virtualenv) and run the whole test suite.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash tools/setup.sh
exec .venv/bin/python -m pytest "$@"
