"""Building the PDFs: the notes of rendered scenes typeset by ``pdflatex`` in a fresh folder
under the renders folder's notes work place (:meth:`Renders.notes_work`), and published by
rename into its notes folder (:meth:`Renders.notes_dir`), so a reader never sees a half-written
file. A failed build leaves the published PDF as it was.

This module imports only the standard library at import time.
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from mlv.scripts.errors import RenderError
from mlv.scripts.notes.contents import Chapter, NotesScene, Record, notes_scene
from mlv.scripts.notes.document import document_tex
from mlv.scripts.notes.frames import attach_frames

if TYPE_CHECKING:
    from mlv.scenes.catalog import SceneEntry
    from mlv.scripts.renders import Renders

#: pdflatex's passes: the second resolves the contents and the cross-references
LATEX_RUNS = 2
LATEX_TIMEOUT_S = 600


class RenderedScene(Protocol):
    """A scene the notes are built from (:class:`mlv.scripts.pipeline.SceneResult`)."""

    @property
    def entry(self) -> SceneEntry: ...

    @property
    def video(self) -> Path: ...

    @property
    def record(self) -> Record: ...


def first_latex_error(log: str) -> str:
    """The first error line (``! ...``) of a pdflatex log."""
    for line in log.splitlines():
        if line.startswith("! "):
            return line
    return "(no error line in the log)"


def compile_pdf(tex: str, images: dict[str, Path], out: Path, work_root: Path, label: str,
                *, runs: int = LATEX_RUNS) -> Path:
    """Compile ``tex`` (its images named as in ``images``) in a fresh folder under
    ``work_root`` and publish the PDF to ``out`` by rename. :class:`RenderError` names
    ``label`` and the first LaTeX error if pdflatex fails (the work folder is kept)."""
    import shutil
    import subprocess
    import tempfile

    from mlv.scripts.media import publish

    work_root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=work_root, prefix=f"{out.stem}-"))
    (work / "notes.tex").write_text(tex, encoding="utf-8")
    for name, src in images.items():
        shutil.copyfile(src, work / name)
    env = dict(os.environ, SOURCE_DATE_EPOCH="0", FORCE_SOURCE_DATE="1")
    cmd = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape",
           "notes.tex"]
    for _ in range(runs):
        try:
            done = subprocess.run(cmd, cwd=work, capture_output=True, text=True, env=env,
                                  timeout=LATEX_TIMEOUT_S, errors="replace")
        except subprocess.TimeoutExpired:
            raise RenderError(f"notes for {label}: pdflatex took over "
                              f"{LATEX_TIMEOUT_S // 60} minutes (work folder {work})") from None
        if done.returncode != 0 or not (work / "notes.pdf").exists():
            try:
                log = (work / "notes.log").read_text(errors="replace")
            except OSError:
                log = done.stdout
            raise RenderError(f"notes for {label}: pdflatex failed: {first_latex_error(log)} "
                              f"(log {work / 'notes.log'})")
    publish(work / "notes.pdf", out)
    shutil.rmtree(work, ignore_errors=True)
    return out


def build_pdf(title: str, chapters: list[Chapter], out: Path, work_root: Path, *,
              course: bool, subtitle: str = "", label: str = "") -> Path:
    """Typeset ``chapters`` as one document titled ``title`` (see
    :func:`~mlv.scripts.notes.document.document_tex`) and publish it to ``out``; its key
    frames become ``frame-000.png``, ``frame-001.png``, ... in the order they appear."""
    images: dict[str, Path] = {}
    names: dict[tuple[str, int], str] = {}
    for _, _, items in chapters:
        for item in items:
            for k, f in enumerate(item.frames):
                if (item.id, k) in names:
                    continue
                name = f"frame-{len(images):03d}.png"
                images[name] = f.path
                names[(item.id, k)] = name
    tex = document_tex(title, chapters, course=course, subtitle=subtitle, frame_names=names)
    return compile_pdf(tex, images, out, work_root, label or out.stem)


def build_notes(chapters: Sequence[tuple[int, str, Sequence[RenderedScene]]], layout: Renders,
                quality: str, *, course_title: str, course: bool,
                manifest: str | os.PathLike[str] | None = None, workers: int = 1) -> list[Path]:
    """Write ``chapter<N>.pdf`` for every chapter of ``chapters`` (``(n, title, scenes)``: the
    chapter's rendered scenes in order) and, when ``course``, ``course.pdf``, into the notes
    folder of ``quality`` (a ``manifest``'s own when one is given). Returns the paths written."""
    work_root = layout.notes_work(quality)
    out_dir = layout.notes_dir(quality, manifest)
    items: dict[str, NotesScene] = {}
    framing: list[tuple[NotesScene, Path, Record]] = []
    shaped: list[Chapter] = []
    for n, ctitle, results in chapters:
        its = []
        for r in results:
            key = r.entry.key
            if key not in items:
                items[key] = notes_scene(r.entry, r.record)
                framing.append((items[key], Path(r.video), r.record))
            item = items[key]
            if item.title != r.entry.title:           # a manifest may retitle a scene
                item = replace(item, title=r.entry.title)
            its.append(item)
        shaped.append((n, ctitle, its))
    attach_frames(framing, work_root / "frames", workers)
    written = []
    for n, ctitle, its in shaped:
        out = out_dir / f"chapter{n}.pdf"
        written.append(build_pdf(f"Chapter {n}: {ctitle}", [(n, ctitle, its)], out, work_root,
                                 course=False, subtitle=f"Lecture notes of {course_title}",
                                 label=f"chapter {n}"))
    if course:
        written.append(build_pdf(course_title, shaped, out_dir / "course.pdf", work_root,
                                 course=True, subtitle="Lecture notes", label="the course"))
    return written
