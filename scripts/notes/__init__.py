"""Lecture notes: a PDF per chapter (and one for a course) from the same sources as the videos.

Each lesson becomes a section: its narration as prose, two or three key frames cut from the
rendered scene (a frame 0.1 s before the end of chosen beats), every derivation its catalog
entry declares, step by step with each step's reason, and a table of the run's final numbers
(the scene's ``numbers``). Title cards open their chapter with their narration as a short
italic paragraph; recap cards become an unnumbered "Recap" section.

Scenes come from the render cache (rendered first if needed), exactly like ``mlv slides``. The
LaTeX is compiled with ``pdflatex`` in a work folder under ``renders/.work/notes/`` and the PDF is
published by rename, so a reader never sees a half-written file. The output is deterministic
(no dates or trailer id in the PDF): the same scenes give the same bytes.

The modules, in the order the notes are made:

* :mod:`.contents`: what a scene's part holds, from its render record and catalog entry;
* :mod:`.frames`: the key frames cut from the rendered videos;
* :mod:`.latex`: text as LaTeX (escaping, sub- and superscripts, typewriter text);
* :mod:`.document`: the LaTeX document (prose, derivations, tables of numbers);
* :mod:`.build`: pdflatex and publishing by rename;
* :mod:`.command`: the ``mlv notes`` command.

The package imports only the standard library and click at import time.
"""
from __future__ import annotations

from mlv.scripts.notes.build import build_notes
from mlv.scripts.notes.command import notes_command
from mlv.scripts.notes.contents import lesson_derivations
from mlv.scripts.notes.document import format_number, result_latex

__all__ = ["build_notes", "format_number", "lesson_derivations", "notes_command",
           "result_latex"]
