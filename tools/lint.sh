#!/usr/bin/env bash
# ruff (lint and import order) over the repository and mypy over all non-test code.
# CI runs this before the tests (tools/test.sh); run it alone after tools/setup.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
status=0
.venv/bin/ruff check --quiet . || status=1
# mypy cannot follow setuptools' package-dir mapping of the four top-level folders into the
# `mlv` namespace (the editable install's import hook), so it checks `mlv` through a tree of
# links that has the installed layout.
TREE="$ROOT/.venv/typecheck"
rm -rf "$TREE"
mkdir -p "$TREE/mlv"
ln -s "$ROOT/mlv/__init__.py" "$TREE/mlv/__init__.py"
for d in algorithms derivations scenes scripts; do ln -s "$ROOT/$d" "$TREE/mlv/$d"; done
cd "$TREE"
"$ROOT/.venv/bin/mypy" --config-file "$ROOT/pyproject.toml" --cache-dir "$ROOT/.venv/mypy-cache" \
  -p mlv || status=1
exit $status
