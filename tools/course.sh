#!/usr/bin/env bash
# Set up (system packages, virtualenv) and render the default course at low quality into renders/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash tools/setup.sh
exec .venv/bin/mlv course --quality low "$@"
