"""Slides for live teaching: every narration beat of a chapter becomes one slide.

The scenes are not rendered again. Each rendered scene is cut at its beat boundaries (the beat
timeline in its record, exact to the frame), the clips are described in manim-slides'
presentation format (its pydantic models, so the file is what manim-slides itself would write)
and manim-slides' RevealJS converter writes the HTML presentation. The narration of each beat
becomes the slide's speaker notes (press ``s`` in the browser), so a lecturer can speak it live.

We use manim-slides' converter only, not its ``Slide`` scene class: manim-slides 5.7.0's
``Slide`` sets ``write_to_movie``, ``flush_cache`` and an infinite ``max_files_cached`` on manim's
config, none of which manim 0.22 accepts. Cutting our own rendered beats needs none of that, keeps
one render per scene for videos and slides alike, and serves the slides from the same cache.
"""
from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeVar

from mlv.scripts import tools
from mlv.scripts.errors import ToolError
from mlv.scripts.media import probe
from mlv.scripts.renders import Renders

T = TypeVar("T")
R = TypeVar("R")

#: libx264's threads for the clips: one, so a deck cut on any machine, any time, has the same
#: frames (see :data:`mlv.scripts.worker.ENCODER_THREADS`)
CUT_THREADS = 1


@dataclass(frozen=True)
class BeatClip:
    """One slide: frames ``[first, first + count)`` of ``video``, with the beat's narration."""

    video: Path
    first: int
    count: int
    notes: str
    scene: str
    key: str


def beat_clips(video: Path, record: dict[str, Any]) -> list[BeatClip]:
    """Split a rendered scene into its beats, in frames: each beat runs from its start to the next
    beat's start (the last one to the end of the video), so the clips tile the scene exactly."""
    info = probe(video)
    fps = Fraction(info.fps)
    beats = record["timeline"]["beats"]
    starts = [min(info.frames, int(round(b["start"] * fps))) for b in beats] + [info.frames]
    return [BeatClip(video, a, b - a, beat["text"], record["id"], beat["key"])
            for beat, a, b in zip(beats, starts[:-1], starts[1:]) if b > a]


def cut(clip: BeatClip, out: Path, fps: Fraction) -> Path:
    """Write the clip's frames to ``out`` (H.264, no audio: the lecturer speaks)."""
    seek = max(0.0, float((clip.first - Fraction(1, 2)) / fps))     # lands on frame `first`
    cmd = ["ffmpeg", "-v", "error", "-y", "-ss", f"{seek:.6f}", "-i", str(clip.video),
           "-frames:v", str(clip.count), "-an", "-c:v", "libx264", "-preset", "veryfast",
           "-threads", str(CUT_THREADS), "-pix_fmt", "yuv420p", str(out)]
    done = tools.run(cmd)
    if done.returncode != 0:
        last = done.stderr.decode(errors="replace").strip().splitlines()[-1:]
        raise ToolError(f"ffmpeg could not cut {clip.scene}/{clip.key}: {last}")
    return out


def parallel(fn: Callable[[T], R], items: Iterable[T], workers: int) -> list[R]:
    """``[fn(x) for x in items]`` on ``workers`` threads, in order. If this is interrupted
    (Ctrl-C, SIGTERM: the run is stopped) the external processes the calls started are ended
    and no call that had not started yet starts."""
    pool = ThreadPoolExecutor(max_workers=max(1, workers))
    try:
        futures = [pool.submit(fn, x) for x in items]
        return [f.result() for f in futures]
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):      # stopped: end the cuts that run
            tools.stop_children()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        pool.shutdown(wait=True)


def build(segments: Sequence[tuple[Path, dict[str, Any]]], out_dir: Path, *, title: str,
          background: str, workers: int = 2) -> dict[str, Any]:
    """Write a RevealJS presentation of every beat of ``segments`` (rendered scene video and its
    record, in order) to ``out_dir/index.html`` with its clips in ``out_dir/index_assets``.

    The folder is built beside ``out_dir`` (:meth:`Renders.building`) and renamed into place,
    the old one moved :meth:`Renders.aside` meanwhile, so an existing presentation is replaced
    whole or not at all. Returns a summary (slides, frames, per-slide scene and key).
    """
    from manim_slides.config import PresentationConfig, SlideConfig
    from manim_slides.convert import RevealJS

    clips = [c for video, rec in segments for c in beat_clips(video, rec)]
    if not clips:
        raise ValueError("nothing to put on slides")
    first = probe(segments[0][0])
    fps = Fraction(first.fps)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Renders.building(out_dir)
    tmp.mkdir()
    try:
        files = tmp / "clips"
        files.mkdir()
        names = [files / f"{k:03d}-{c.scene}-{c.key}.mp4" for k, c in enumerate(clips)]
        parallel(lambda a: cut(a[0], a[1], fps), list(zip(clips, names)), workers)
        # pydantic models: validated from plain data (the colour as its hex string)
        config = PresentationConfig.model_validate({
            "slides": [SlideConfig(file=p, rev_file=p, notes=c.notes)
                       for c, p in zip(clips, names)],
            "resolution": (first.width, first.height), "background_color": background})
        site = tmp / "site"
        converter = RevealJS.model_validate({"presentation_configs": [config], "title": title})
        converter.convert_to(site / "index.html")
        shutil.rmtree(files)
        old = None
        if out_dir.exists():
            old = Renders.aside(out_dir)
            shutil.rmtree(old, ignore_errors=True)
            out_dir.rename(old)
        site.rename(out_dir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {"slides": len(clips), "frames": sum(c.count for c in clips),
            "beats": [(c.scene, c.key) for c in clips]}
