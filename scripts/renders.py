"""The renders folder: every path mlv writes, and nothing else, is named here.

One :class:`Renders` object owns the layout of a renders folder (``./renders`` by default,
``MLV_RENDERS`` or the CLI's choice otherwise)::

    renders/
      .lock                         one writer at a time (mlv.scripts.lock)
      .audio/<digest>.wav           narration audio per beat (the voices' cache)
      .cache/proofs.json            mlv check's proof cache
      .work/<quality>/<name>/       a scene's scratch folder while its worker runs (manim's media
                                    folder: Tex and text caches, partial movies); it holds
                                    .unfinished until the parent has published the scene
      .work/<quality>/<name>/out/   what the worker leaves for its parent to publish: the video,
                                    its subtitles and its record
      .work/<quality>/<name>.log    the worker's log
      .work/notes/<quality>/        pdflatex's folders
      <quality>/scenes/<name>.mp4   a scene (+ .srt, .vtt, and its record .json)
      <quality>/chapter<N>.mp4      the default course's chapters (+ .srt, .vtt, .json)
      <quality>/course.mp4          the default course
      <quality>/<manifest>/...      a manifest's course: chapter<N>.mp4, course.mp4, notes/
      <quality>/notes/chapter<N>.pdf, course.pdf
      <quality>/slides/chapter<N>/index.html
      <quality>/site/index.html     the course website (mlv site); a manifest's in
                                    <quality>/<manifest>/site/
      notebooks/<id>.ipynb          the lessons' notebooks (mlv notebooks)

A scene's *name* is its id plus its parameter overrides (``optimizers--lr=0.1``; see
:attr:`mlv.scripts.request.RenderRequest.name`).

Everything is published by rename from a temporary name in the same folder
(:meth:`Renders.temporary`), so a reader never sees a half-written file; a set of files that
belong together (a video, its subtitles and its record) is published sidecars first and the
record last, and the record names the SHA-256 of each file, so a set split by a kill is told
from a whole one (:func:`mlv.scripts.media.file_digest`). The lock's sweep
(:func:`mlv.scripts.lock.sweep`) removes what killed runs left, and asks :meth:`Renders.litter`
which files and folders those are.

This module imports only the standard library.
"""
from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

#: quality name -> manim's quality setting; the one list of qualities
QUALITIES: dict[str, str] = {"low": "low_quality", "medium": "medium_quality",
                             "high": "high_quality", "4k": "fourk_quality"}

LOCK_NAME = ".lock"
#: marker a scene's scratch folder holds from before its worker starts until the parent has
#: published the scene: a scratch folder that holds it was left by a run that did not finish
UNFINISHED = ".unfinished"
#: the top-level folders of a renders folder that are not outputs
PRIVATE = (".audio", ".cache", ".work")
#: the files of a rendered scene or stitched video besides its record, in publishing order
#: (the video after its subtitles; the record, which names all three, after them all)
MEDIA_FILES = (".srt", ".vtt", ".mp4")
#: the folder in a scene's scratch folder where its worker leaves the files to publish
STAGING = "out"
#: ``.<name>.<8 random characters>.part``: a file being written (see :meth:`Renders.temporary`)
_TEMP = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.part$")
#: the folder beside an output folder that holds the old one while it is replaced
_ASIDE = "-old"


def is_temporary(name: str) -> bool:
    """Whether a file name is one only ever written as a temporary: :meth:`Renders.temporary`'s
    (and :func:`mlv.scenes.narration.atomic_path`'s) ``.<name>.XXXXXXXX.part``, ``mkstemp``
    names ending in ``.tmp`` (the proof cache) and anything else named ``*.tmp*``."""
    return bool(_TEMP.match(name)) or name.endswith((".part", ".tmp")) or ".tmp." in name


def default_root() -> Path:
    """``$MLV_RENDERS`` or ``./renders``."""
    return Path(os.environ.get("MLV_RENDERS", "renders"))


def sidecar(video: Path, ext: str) -> Path:
    """A file that belongs to ``video``: its ``.srt``, ``.vtt`` or ``.json`` record."""
    return video.with_suffix(ext)


@dataclass(frozen=True)
class Renders:
    """The layout of the renders folder at :attr:`root` (see the module docstring)."""

    root: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root))

    @classmethod
    def default(cls) -> Renders:
        """The renders folder of this run: ``$MLV_RENDERS`` or ``./renders``."""
        return cls(default_root())

    # ------------------------------------------------------------------------- private folders
    @property
    def lock(self) -> Path:
        return self.root / LOCK_NAME

    @property
    def audio(self) -> Path:
        """The voices' cache of narration audio, one file per beat."""
        return self.root / ".audio"

    def audio_ref(self, name: str) -> str:
        """How a record names the cached audio file ``name``: relative to the renders folder,
        so the folder can move."""
        return (self.audio / name).relative_to(self.root).as_posix()

    @property
    def cache(self) -> Path:
        return self.root / ".cache"

    @property
    def proofs(self) -> Path:
        """``mlv check``'s proof cache."""
        return self.cache / "proofs.json"

    @property
    def work(self) -> Path:
        """Private working space; stitching makes its temporary folders here."""
        return self.root / ".work"

    def work_for(self, quality: str) -> Path:
        """Where the workers of ``quality`` keep their logs and scratch folders."""
        return self.work / quality

    def scratch(self, quality: str, name: str) -> Path:
        """The scratch folder of the scene render ``name`` (manim's media folder for it)."""
        return self.work_for(quality) / name

    def unfinished(self, quality: str, name: str) -> Path:
        """The marker of a scratch folder whose scene is not published yet."""
        return self.scratch(quality, name) / UNFINISHED

    def staging(self, quality: str, name: str) -> Path:
        """Where the worker of ``name`` leaves its video, subtitles and record for its parent
        to publish (:meth:`staged`)."""
        return self.scratch(quality, name) / STAGING

    def staged(self, quality: str, name: str, ext: str) -> Path:
        """One of the files the worker of ``name`` leaves: ``ext`` is one of
        :data:`MEDIA_FILES` or ``.json`` (the worker's part of the record)."""
        return self.staging(quality, name) / f"{name}{ext}"

    def log(self, quality: str, name: str) -> Path:
        return self.work_for(quality) / f"{name}.log"

    def notes_work(self, quality: str) -> Path:
        """Where pdflatex runs for the notes of ``quality``."""
        return self.work / "notes" / quality

    # --------------------------------------------------------------------------------- outputs
    def quality_dir(self, quality: str) -> Path:
        return self.root / quality

    def scenes(self, quality: str) -> Path:
        return self.quality_dir(quality) / "scenes"

    def scene_video(self, quality: str, name: str) -> Path:
        """The video of the scene render ``name``; its subtitles and record sit beside it
        (:meth:`scene_file`)."""
        return self.scene_file(quality, name, ".mp4")

    def scene_record(self, quality: str, name: str) -> Path:
        return self.scene_file(quality, name, ".json")

    def scene_file(self, quality: str, name: str, ext: str) -> Path:
        """A published file of the scene render ``name``: ``.mp4``, ``.srt``, ``.vtt`` or its
        record ``.json``."""
        return self.scenes(quality) / f"{name}{ext}"

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

    def site_dir(self, quality: str, manifest: str | os.PathLike | None = None) -> Path:
        """The course website (``mlv site``): the default course's or a manifest's."""
        return self.course_dir(quality, manifest) / "site"

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

    @staticmethod
    def building(dest: Path) -> Path:
        """A fresh hidden folder beside the output folder ``dest`` to build its replacement in
        (``.<name>-<random>``), renamed onto ``dest`` when complete."""
        return dest.with_name(f".{dest.name}-{secrets.token_hex(4)}")

    @staticmethod
    def aside(dest: Path) -> Path:
        """Where the output folder ``dest`` waits while its replacement is renamed into place
        (``.<name>-old``); the sweep puts it back if the replacement never arrived."""
        return dest.with_name(f".{dest.name}{_ASIDE}")

    # ---------------------------------------------------------------------------------- litter
    def litter(self) -> tuple[list[Path], list[tuple[Path, Path]]]:
        """What killed runs left here: the files and folders to remove, and the output folders
        to put back (``(aside, final)`` pairs). Only meaningful while holding the lock (no run
        is writing then). Finished outputs, logs, the audio cache and manim's caches of
        finished scenes are kept; only mlv's own folders are looked at (``MLV_RENDERS`` may
        name a folder that holds other things).

        * temporary files of atomic publishing anywhere (:func:`is_temporary`);
        * espeak-ng's temporary WAVs in ``.audio`` (``tmp*.wav``: cached WAVs are named by hex
          digest);
        * in ``.work``: stitching folders (``stitch-*``), workers' records of older versions
          (``<name>.record.json``), the notes' pdflatex folders (``notes/<quality>/*`` but
          ``frames``), manim's partial movies (``<name>/videos``), a worker's staged files
          (``<name>/out``) and the whole scratch folder of a scene that was not published (it
          holds :data:`UNFINISHED`; its LaTeX cache may be half-written);
        * hidden folders beside outputs (a slide deck being built, :meth:`building`); a folder
          moved :meth:`aside` is put back if its replacement never arrived.
        """
        remove: list[Path] = []
        restore: list[tuple[Path, Path]] = []
        roots = [self.quality_dir(q) for q in QUALITIES] + [self.root / d for d in PRIVATE] + [
            self.notebooks]
        for root in roots:
            if root.is_dir() and not root.is_symlink():
                for kind, path in self._walk(root):
                    if kind == "restore":
                        restore.append((path, path.with_name(path.name[1:-len(_ASIDE)])))
                    else:
                        remove.append(path)
        return remove, restore

    def _walk(self, root: Path) -> Iterator[tuple[str, Path]]:
        work = self.work
        for dirpath, dirnames, filenames in os.walk(root):
            here = Path(dirpath)
            for name in filenames:
                if is_temporary(name) or (here == self.audio and name.startswith("tmp")
                                          and name.endswith(".wav")):
                    yield "remove", here / name
            keep = []
            if here == work or work in here.parents:
                in_quality = here.parent == work and here.name in QUALITIES
                for d in dirnames:
                    p = here / d
                    if d.startswith("stitch-") or (p / UNFINISHED).exists() or (
                            d in ("videos", STAGING) and here.parent.parent == work) or (
                            here.parent == work / "notes" and d != "frames"):
                        yield "remove", p
                    else:
                        keep.append(d)
                if in_quality:
                    for name in filenames:
                        if name.endswith(".record.json"):
                            yield "remove", here / name
            else:
                for d in dirnames:
                    if not d.startswith("."):
                        keep.append(d)
                    elif d.endswith(_ASIDE) and not (here / d[1:-len(_ASIDE)]).exists():
                        yield "restore", here / d
                    else:
                        yield "remove", here / d
            dirnames[:] = keep
