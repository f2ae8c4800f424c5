"""Imports run one way: algorithms and derivations never import manim, the catalog and the CLI
start without manim, and no module of the ``mlv`` package imports itself round a circle."""
import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: the folders the installed ``mlv`` namespace maps (pyproject.toml's package-dir)
PACKAGES = ("algorithms", "derivations", "scenes", "scripts")


@pytest.mark.parametrize("package, banned", [
    ("mlv.algorithms", ("manim", "mlv.scenes", "mlv.scripts", "sympy", "sklearn", "torch",
                        "scipy")),
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
    code = ("import sys, mlv.scenes.catalog, mlv.scripts.cli\n"
            "sys.exit(1 if 'manim' in sys.modules else 0)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


# ------------------------------------------------------------------------------ import graph


def project_modules() -> dict[str, Path]:
    """Every module of the ``mlv`` namespace, by its dotted name, from the source tree."""
    mods = {"mlv": ROOT / "mlv" / "__init__.py"}
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            mods[".".join(("mlv", *parts))] = path
    return mods


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports_of(name: str, path: Path, mods: dict[str, Path]) -> set[str]:
    """The project modules ``name`` imports anywhere in its source (at the top, in functions,
    in try blocks), except under ``if TYPE_CHECKING:`` (never run). ``from pkg import x`` is an
    import of the module ``pkg.x`` when there is one, else of ``pkg``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in mods:
                    found.add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:
                sub = f"{module}.{alias.name}"
                if sub in mods:
                    found.add(sub)
                elif module in mods:
                    found.add(module)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    found.discard(name)
    return found


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def connect(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for v in sorted(graph):
        if v not in index:
            connect(v)
    return out


def test_the_cycle_finder_finds_a_circle_and_only_circles():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"f"}, "f": set()}
    assert import_cycles(graph) == [["a", "b", "c"]]
    assert import_cycles({"a": {"b"}, "b": set()}) == []


def test_imports_are_read_from_the_source(tmp_path):
    """The graph sees top-level, lazy and relative imports, and leaves out TYPE_CHECKING."""
    src = tmp_path / "x.py"
    src.write_text("from typing import TYPE_CHECKING\n"
                   "from mlv.scripts import errors\n"
                   "from . import renders\n"
                   "if TYPE_CHECKING:\n"
                   "    from mlv.scripts.pipeline import SceneResult\n"
                   "def f():\n"
                   "    import mlv.scenes.catalog\n"
                   "    from mlv.scenes.params import resolve\n")
    mods = project_modules()
    assert imports_of("mlv.scripts.x", src, mods) == {
        "mlv.scripts.errors", "mlv.scripts.renders", "mlv.scenes.catalog", "mlv.scenes.params"}


def test_no_module_imports_itself_round_a_circle():
    mods = project_modules()
    assert {"mlv.scripts.cli", "mlv.scripts.pipeline", "mlv.scenes.catalog",
            "mlv.derivations.steps"} <= set(mods)
    graph = {name: imports_of(name, path, mods) for name, path in mods.items()}
    assert graph["mlv.scripts.pipeline"] >= {"mlv.scripts.request", "mlv.scripts.renders"}
    cycles = import_cycles(graph)
    assert cycles == [], "import circles: " + "; ".join(" <-> ".join(c) for c in cycles)


def test_every_package_folder_is_installed():
    """pyproject.toml lists its packages by hand: a folder of modules left out (chapter 5 was)
    would be missing from a wheel, though an editable install hides it."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    for name, folder in config["package-dir"].items():
        for init in (ROOT / folder).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT / folder)
            sub = ".".join((name, *rel.parts))
            assert sub in listed, f"{sub} ({init.parent}) is not in pyproject's packages"
    for name in config["package-data"]:
        assert name in listed, name
