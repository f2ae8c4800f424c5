#!/usr/bin/env bash
# Set up (system packages, virtualenv) and run the tests. CI runs all of them:
#
#   bash tools/test.sh                  # the whole suite
#   bash tools/test.sh --fast           # the fast tier for development (a few minutes): no
#                                       # test that renders or typesets with manim, no notebook
#                                       # kernels: pytest -m "not render and not notebooks"
#
# Any other arguments go to pytest (bash tools/test.sh --fast tests/scripts -x).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash tools/setup.sh
if [[ "${1:-}" == "--fast" ]]; then
  shift
  set -- -m "not render and not notebooks" "$@"
fi
exec .venv/bin/python -m pytest "$@"
