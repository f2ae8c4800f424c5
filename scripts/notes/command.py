"""``mlv notes``: render what the cache lacks, then build the notes of a chapter, of the
default course or of a course manifest.

This module imports only the standard library and click at import time (``mlv``'s start-up
imports it).
"""
from __future__ import annotations

import os
from pathlib import Path

import click

from mlv.scenes.narration import VOICES
from mlv.scripts.errors import MlvError
from mlv.scripts.renders import QUALITIES


@click.command("notes")
@click.argument("number", type=int, required=False)
@click.option("--quality", "-q", type=click.Choice(list(QUALITIES)), default="low",
              show_default=True, help="Quality of the renders the key frames come from.")
@click.option("--voice", type=click.Choice(VOICES), default=None,
              help="Narration voice of the renders [default: piper, else espeak, else "
                   "none, as installed].")
@click.option("--workers", "-j", type=click.IntRange(min=1), default=None,
              help="Scenes rendered at once [default: the number of cores].")
@click.option("--manifest", type=click.Path(path_type=Path), default=None, metavar="FILE",
              help="Notes for this course manifest (every chapter and course.pdf).")
def notes_command(number: int | None, quality: str, voice: str | None, workers: int | None,
                  manifest: Path | None) -> None:
    """Lecture notes as PDF: chapter NUMBER to renders/<quality>/notes/chapter<N>.pdf, or with
    no NUMBER every chapter of the course and course.pdf (a --manifest course's go to
    renders/<quality>/<manifest name>/notes/).

    Each lesson's narration as prose, key frames from its rendered scene, every derivation
    step with its reason, and a table of the run's final numbers. Scenes come from the render
    cache (rendered first if needed); pdflatex typesets the notes.
    """
    from mlv.scenes import catalog
    from mlv.scenes.narration import default_voice
    from mlv.scripts import pipeline, tools
    from mlv.scripts.common import hold_renders, known_chapter, progress
    from mlv.scripts.notes.build import build_notes
    from mlv.scripts.renders import Renders

    if number is not None and manifest is not None:
        raise MlvError("give a chapter NUMBER or --manifest, not both")
    if number is not None:
        known_chapter(number)
        course_title, _ = pipeline.course_chapters(None)
        chapters = [(number, catalog.CHAPTERS[number], catalog.chapter(number))]
    else:
        course_title, chapters = pipeline.course_chapters(manifest)
    voice = voice or default_voice()
    tools.require_for_render(voice)
    tools.require("pdflatex")
    layout = Renders.default()
    hold_renders(layout)
    results = iter(pipeline.render_many([e for _, _, es in chapters for e in es], quality,
                                         voice, layout.root, workers=workers,
                                         progress=progress(workers)))
    rendered = [(n, ctitle, [next(results) for _ in es]) for n, ctitle, es in chapters]
    written = build_notes(rendered, layout, quality, manifest=manifest,
                          course_title=course_title, course=number is None,
                          workers=workers or os.cpu_count() or 1)
    for path in written:
        click.echo(str(path))
