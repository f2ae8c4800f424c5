"""``mlv notebooks``: every lesson as a runnable Jupyter notebook.

Each of the course's lessons has a notebook whose source is ``notebooks/<scene-id>.py`` in
jupytext's *percent* format: plain Python, ``# %%`` between cells and the Markdown cells as
comments. That source is what git keeps, because it diffs and reviews like code, ruff checks it,
and it holds no outputs, execution counts or cell ids to churn. ``mlv notebooks`` builds each into
a ``.ipynb`` (Jupyter's JSON format) under ``renders/notebooks/`` by default (``--out DIR``
elsewhere): like the videos and the notes, a ``.ipynb`` is a generated output, so it lives in the
renders folder, which git ignores. ``--execute`` also runs each notebook top to bottom in a fresh
kernel and keeps its outputs (figures, numbers, proofs), for reading without running.

The notebooks import ``mlv.*`` only and read no file by path, so a built notebook runs anywhere
mlv is installed with its ``notebooks`` extra (``pip install "mlv[notebooks]"``; ``mlv[widgets]``
adds sliders). The sources ship inside the package (``mlv.notebooks``), so an installed mlv builds
them without the repository.

Every file is written to a temporary name beside its destination and renamed onto it, so a
reader never sees a half-written notebook; bad input (an unknown lesson, a card, an output path
that is a file) is one line on stderr and exit status 2, before anything is written.
"""
from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import click

from mlv.scripts.errors import MlvError, RenderError

if TYPE_CHECKING:
    from nbformat import NotebookNode

#: the package that holds the sources (``notebooks/`` in the repository)
SOURCE_PACKAGE = "mlv.notebooks"
#: seconds one cell may run when a notebook is executed
CELL_TIMEOUT = 120
KERNEL = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
_ANSI = re.compile(r"\x1b\[[0-9;]*m")         # the colours of an IPython traceback


def lesson_ids() -> list[str]:
    """The ids of the course's lessons, in course order (every one has a notebook; the title
    and recap cards have none)."""
    from mlv.scenes import catalog

    return [s.id for n in catalog.chapters_with_scenes() for s in catalog.chapter(n)
            if s.kind == "lesson"]


def source_text(scene_id: str) -> str:
    """The percent-format source of ``scene_id``'s notebook; ``MlvError`` if there is none."""
    try:
        return (resources.files(SOURCE_PACKAGE) / f"{scene_id}.py").read_text(encoding="utf-8")
    except FileNotFoundError:
        raise MlvError(f"lesson {scene_id!r} has no notebook source "
                       f"(notebooks/{scene_id}.py)") from None


def source_ids() -> list[str]:
    """The ids of every notebook source there is (``<id>.py`` in the package)."""
    return sorted(p.name.removesuffix(".py") for p in resources.files(SOURCE_PACKAGE).iterdir()
                  if p.name.endswith(".py") and not p.name.startswith("_"))


def read(scene_id: str) -> NotebookNode:
    """``scene_id``'s notebook as an nbformat notebook (no outputs), with its kernel and the
    lesson it belongs to in the metadata."""
    import jupytext

    nb = jupytext.reads(source_text(scene_id), fmt="py:percent")
    nb.metadata["kernelspec"] = dict(KERNEL)
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["mlv"] = {"lesson": scene_id}
    nb.metadata.pop("jupytext", None)
    return nb


def execute(nb: NotebookNode, *, timeout: int = CELL_TIMEOUT, cwd: str | os.PathLike | None = None,
            allow_errors: bool = False) -> NotebookNode:
    """Run ``nb`` top to bottom in a fresh kernel (in ``cwd``, a fresh empty folder by default:
    a notebook may not depend on the folder it runs in) and return it with its outputs.
    Raises nbclient's ``CellExecutionError`` on the first failing cell unless
    ``allow_errors``."""
    from nbclient import NotebookClient

    with tempfile.TemporaryDirectory(prefix="mlv-notebook-") as tmp:
        where = str(cwd if cwd is not None else tmp)
        client = NotebookClient(nb, timeout=timeout, kernel_name=KERNEL["name"],
                                allow_errors=allow_errors, resources={"metadata": {"path": where}})
        client.execute()
    return nb


def _write(nb: NotebookNode, dest: Path) -> None:
    """Write ``nb`` to ``dest`` by rename from a temporary name in the same folder."""
    import nbformat

    from mlv.scripts.renders import Renders

    tmp = Renders.temporary(dest)
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            nbformat.write(nb, fh)
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


@dataclass(frozen=True)
class Built:
    """One built notebook: where it went and how long executing it took (None: not run)."""

    scene_id: str
    path: Path
    seconds: float | None = None


def _check_ids(ids: Sequence[str]) -> list[str]:
    from mlv.scenes import catalog

    known = lesson_ids()
    chosen = list(dict.fromkeys(ids)) or known
    for scene_id in chosen:
        if scene_id in known:
            continue
        try:
            entry = catalog.by_id(scene_id)
        except KeyError:
            raise MlvError(f"unknown lesson {scene_id!r} ('mlv list' shows the ids)") from None
        raise MlvError(f"{scene_id!r} is a {entry.kind} card and has no notebook; "
                       "the lessons have one each")
    return chosen


def _out_dir(out: Path) -> Path:
    if out.exists() and not out.is_dir():
        raise MlvError(f"cannot write notebooks to {out}: it is a file")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MlvError(f"cannot create the folder {out}: {exc.strerror or exc}") from None
    return out


def build(ids: Sequence[str], out: Path, *, run: bool = False,
          timeout: int = CELL_TIMEOUT) -> list[Built]:
    """Build the notebooks of ``ids`` (every lesson when empty) into ``out``: all sources are read
    first (a broken one stops the build before anything is written), then each is written by
    rename. With ``run``, each is executed first; one that fails is not written, the others
    are, and :class:`RenderError` names the failures."""
    chosen = _check_ids(ids)
    books = {scene_id: read(scene_id) for scene_id in chosen}
    out = _out_dir(out)
    built, failed = [], []
    for scene_id, nb in books.items():
        seconds = None
        if run:
            from nbclient.exceptions import CellExecutionError

            t0 = time.perf_counter()
            try:
                execute(nb, timeout=timeout)
            except CellExecutionError as exc:
                last = _ANSI.sub("", str(exc)).strip().splitlines()[-1]    # "ValueError: ..."
                failed.append(f"{scene_id}: {last}")
                continue
            seconds = time.perf_counter() - t0
        dest = out / f"{scene_id}.ipynb"
        _write(nb, dest)
        built.append(Built(scene_id, dest, seconds))
    if failed:
        raise RenderError(f"{len(failed)} notebook(s) failed to run: " + "; ".join(failed))
    return built


def default_out() -> Path:
    """``renders/notebooks`` (``$MLV_RENDERS/notebooks``)."""
    from mlv.scripts.renders import Renders

    return Renders.default().notebooks


@click.command("notebooks")
@click.argument("ids", nargs=-1, metavar="[LESSON]...")
@click.option("--out", type=click.Path(path_type=Path), default=None, metavar="DIR",
              help="Where to write the .ipynb files [default: renders/notebooks].")
@click.option("--execute", "run", is_flag=True,
              help="Run each notebook in a fresh kernel and keep its outputs.")
def notebooks_command(ids: tuple[str, ...], out: Path | None, run: bool) -> None:
    """Every lesson (or each LESSON given) as a Jupyter notebook: notebooks/<id>.py, kept in
    git in jupytext's percent format, built into renders/notebooks/<id>.ipynb (generated
    outputs live in renders/, which git ignores). Each notebook explains the lesson, runs its
    exact training run and plots it, typesets and proves its derivations, and has exercises
    that check the learner's answers. --execute runs them and keeps the outputs."""
    _check_ids(ids)                            # bad input: one line, before any folder is made
    built: list[Built]
    if out is None:
        from mlv.scripts.lock import renders_lock
        from mlv.scripts.renders import default_root

        with renders_lock(default_root()):
            built = build(ids, default_out(), run=run)
    else:
        built = build(ids, out, run=run)
    for b in built:
        click.echo(str(b.path) if b.seconds is None else f"{b.path}  ({b.seconds:.1f} s)")
