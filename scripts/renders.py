"""The renders folder: every path mlv writes, and nothing else, is named here.

One :class:`Renders` object owns the layout of a renders folder (``./renders`` by default,
``MLV_RENDERS`` or the CLI's choice otherwise)::

    renders/
      .lock                         one writer at a time (mlv.scripts.lock)
      .audio/<digest>.wav           narration audio per beat (the voices' cache)
      .cache/proofs.json            mlv check's proof cache
      .work/<quality>/<key>/        a scene's scratch folder while its worker runs
      .work/<quality>/<key>.log     the worker's log
      .work/notes/<quality>/        pdflatex's folders
      <quality>/scenes/<key>.mp4    a scene (+ .srt, .vtt, and its record .json)
      <quality>/chapter<N>.mp4      the default course's chapters (+ .srt, .vtt, .json)
      <quality>/course.mp4          the default course
      <quality>/<manifest>/...      a manifest's course: chapter<N>.mp4, course.mp4, notes/
      <quality>/notes/chapter<N>.pdf, course.pdf
      <quality>/slides/chapter<N>/index.html
      notebooks/<id>.ipynb          the lessons' notebooks (mlv notebooks)

Everything is published by rename from a temporary name in the same folder
(:meth:`Renders.temporary`), so a reader never sees a half-written file; the lock's sweep
(:func:`mlv.scripts.lock.sweep`) removes the temporary names and scratch folders a killed run
left, and asks this module which they are.
"""
from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

#: quality name -> manim's quality setting; the one list of qualities
QUALITIES: dict[str, str] = {"low": "low_quality", "medium": "medium_quality",
                             "high": "high_quality", "4k": "fourk_quality"}

LOCK_NAME = ".lock"
#: marker a scene's scratch folder holds while its worker runs
UNFINISHED = ".unfinished"
#: the top-level folders of a renders folder that are not outputs
PRIVATE = (".audio", ".cache", ".work")
#: ``.<name>.<8 random characters>.part``: a file being written (see :meth:`Renders.temporary`)
_TEMP = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.part$")


def is_temporary(name: str) -> bool:
    """Whether a file name is one of :meth:`Renders.temporary`'s names."""
    return bool(_TEMP.match(name))


def default_root() -> Path:
    """``$MLV_RENDERS`` or ``./renders``."""
    return Path(os.environ.get("MLV_RENDERS", "renders"))


@dataclass(frozen=True)
class Renders:
    """The layout of the renders folder at :attr:`root` (see the module docstring)."""

    root: Path

    @classmethod
    def default(cls) -> Renders:
        return cls(default_root())

    # ------------------------------------------------------------------------- private folders
    @property
    def lock(self) -> Path:
        return self.root / LOCK_NAME

    @property
    def audio(self) -> Path:
        """The voices' cache of narration audio, one file per beat."""
        return self.root / ".audio"

    @property
    def cache(self) -> Path:
        return self.root / ".cache"

    @property
    def proofs(self) -> Path:
        """``mlv check``'s proof cache."""
        return self.cache / "proofs.json"

    @property
    def work(self) -> Path:
        return self.root / ".work"

    def work_for(self, quality: str) -> Path:
        """Where the workers of ``quality`` keep their logs and scratch folders."""
        return self.work / quality

    def scratch(self, quality: str, key: str) -> Path:
        """The scratch folder of the render named ``key`` (manim's media dir for it)."""
        return self.work_for(quality) / key

    def log(self, quality: str, key: str) -> Path:
        return self.work_for(quality) / f"{key}.log"

    def notes_work(self, quality: str) -> Path:
        """Where pdflatex runs for the notes of ``quality``."""
        return self.work / "notes" / quality

    # --------------------------------------------------------------------------------- outputs
    def quality_dir(self, quality: str) -> Path:
        return self.root / quality

    def scenes(self, quality: str) -> Path:
        return self.quality_dir(quality) / "scenes"

    def scene_video(self, quality: str, key: str) -> Path:
        """The video of the render named ``key`` (the scene id plus any parameter overrides);
        its subtitles and record sit beside it (:func:`sidecar`)."""
        return self.scenes(quality) / f"{key}.mp4"

    def scene_record(self, quality: str, key: str) -> Path:
        return self.scenes(quality) / f"{key}.json"

    def course_dir(self, quality: str, manifest: str | os.PathLike | None = None) -> Path:
        """The default course's folder, or a manifest's (named after the manifest's file)."""
        q = self.quality_dir(quality)
        return q if manifest is None else q / Path(manifest).stem

    def chapter_video(self, quality: str, n: int,
                      manifest: str | os.PathLike | None = None) -> Path:
        return self.course_dir(quality, manifest) / f"chapter{n}.mp4"

    def course_video(self, quality: str, manifest: str | os.PathLike | None = None) -> Path:
        return self.course_dir(quality, manifest) / "course.mp4"

    def notes_dir(self, quality: str, manifest: str | os.PathLike | None = None) -> Path:
        return self.course_dir(quality, manifest) / "notes"

    def slides_dir(self, quality: str, n: int) -> Path:
        return self.quality_dir(quality) / "slides" / f"chapter{n}"

    @property
    def notebooks(self) -> Path:
        """The lessons' built notebooks (``mlv notebooks``): ``<id>.ipynb``, one per lesson, the
        same for every quality."""
        return self.root / "notebooks"

    # ------------------------------------------------------------------------------ publishing
    @staticmethod
    def temporary(dest: Path) -> Path:
        """A fresh temporary name beside ``dest`` (``.<name>.<random>.part``), to write to and
        then rename onto ``dest``."""
        return dest.with_name(f".{dest.name}.{secrets.token_hex(4)}.part")


def sidecar(video: Path, ext: str) -> Path:
    """A file that belongs to ``video``: its ``.srt``, ``.vtt`` or ``.json`` record."""
    return video.with_suffix(ext)
