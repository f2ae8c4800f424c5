"""Imports run one way: algorithms and derivations never import manim."""
import subprocess
import sys

import pytest


@pytest.mark.parametrize("package, banned", [
    ("mlv.algorithms", ("manim", "mlv.scenes", "mlv.scripts", "sympy", "sklearn", "torch", "scipy")),
    ("mlv.derivations", ("manim", "mlv.scenes", "mlv.scripts")),
])
def test_core_layers_import_only_what_they_may(package, banned):
    code = (f"import importlib, pkgutil, sys, {package}\n"
            f"for m in pkgutil.walk_packages({package}.__path__, '{package}.'):\n"
            f"    importlib.import_module(m.name)\n"
            f"bad = sorted(m for m in sys.modules\n"
            f"             if any(m == b or m.startswith(b + '.') for b in {banned!r}))\n"
            "print(bad); sys.exit(1 if bad else 0)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_catalog_and_cli_start_without_manim():
    code = ("import sys, scenes.catalog, scripts.cli\n"
            "sys.exit(1 if 'manim' in sys.modules else 0)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
