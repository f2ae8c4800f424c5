"""Slides for live teaching: every narration beat of a chapter becomes one slide.

The scenes are not rendered again. Each rendered scene is cut at its beat boundaries (the beat
timeline in its record, exact to the frame), the clips are described in manim-slides'
presentation format (its pydantic models, so the file is what manim-slides itself would write)
and manim-slides' RevealJS converter writes the HTML presentation. The narration of each beat
becomes the slide's speaker notes (press ``s`` in the browser), so a lecturer can speak it live.

The deck works offline: reveal.js comes from npm (``package.json`` at the repository root, which
``tools/setup.sh`` installs into ``node_modules/``), and the files of it that the page loads are
copied into the deck's folder (``reveal.js/``), the page pointing at them by relative path
(manim-slides' ``cdn_url`` option), so nothing is fetched from the network when it is opened.

We use manim-slides' converter only, not its ``Slide`` scene class: manim-slides 5.7.0's
``Slide`` sets ``write_to_movie``, ``flush_cache`` and an infinite ``max_files_cached`` on manim's
config, none of which manim 0.22 accepts. Cutting our own rendered beats needs none of that, keeps
one render per scene for videos and slides alike, and serves the slides from the same cache.
"""
from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeVar

from mlv.scripts import tools
from mlv.scripts.errors import MlvError, ToolError
from mlv.scripts.media import probe
from mlv.scripts.renders import Renders

T = TypeVar("T")
R = TypeVar("R")

#: the npm packages tools/setup.sh installs from package.json (``MLV_NODE_MODULES`` overrides)
NODE_MODULES = Path(__file__).resolve().parent.parent / "node_modules"
#: the deck's folder of vendored reveal.js files, relative to its index.html
REVEAL_DIR = "reveal.js"
SETUP_HINT = "bash tools/setup.sh"


def reveal_root() -> Path:
    """The npm package of reveal.js (``node_modules/reveal.js``); :class:`MlvError` (one line,
    exit 2) naming the set-up when it is not installed."""
    root = Path(os.environ.get("MLV_NODE_MODULES") or NODE_MODULES) / "reveal.js"
    if not (root / "package.json").is_file() or not (root / "dist" / "reveal.js").is_file():
        raise MlvError(f"reveal.js (the slide deck's player) is not installed in {root.parent}; "
                       f"install it with: {SETUP_HINT}")
    return root


def reveal_version(root: Path) -> str:
    """The installed reveal.js version (its package.json)."""
    return str(json.loads((root / "package.json").read_text())["version"])


#: the attributes that name a file the page loads (reveal.js' ``data-background-*`` sources too)
URL_ATTRIBUTES = frozenset({"href", "src", "poster", "data-src", "data-background-video",
                            "data-background-image", "data-background-iframe"})


def deck_urls(page: str) -> list[str]:
    """Every URL the page's tags name (:data:`URL_ATTRIBUTES`), in order."""
    from html.parser import HTMLParser

    urls: list[str] = []

    class Links(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            urls.extend(v for k, v in attrs if v and k in URL_ATTRIBUTES)

    Links().feed(page)
    return urls


def vendor_reveal(index: Path, root: Path) -> list[Path]:
    """Copy the reveal.js files ``index`` loads (those under :data:`REVEAL_DIR`) from the npm
    package ``root`` beside it, with reveal.js' licence; the copied files, sorted. A URL that
    leaves the deck (``http:``, ``//host``) or a file the package lacks is an error."""
    prefix = REVEAL_DIR + "/"
    wanted: set[str] = set()
    for url in deck_urls(index.read_text(encoding="utf-8")):
        if url.startswith(("http:", "https:", "//")):
            raise RuntimeError(f"the slide deck would load {url} from the network")
        if url.startswith(prefix):
            wanted.add(url[len(prefix):])
    wanted.add("LICENSE")
    copied = []
    for rel in sorted(wanted):
        src = root / rel
        if not src.is_file():
            raise MlvError(f"reveal.js {reveal_version(root)} in {root} has no {rel}, which "
                           f"manim-slides' deck loads; reinstall it with: {SETUP_HINT}")
        dest = index.parent / REVEAL_DIR / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
        copied.append(dest)
    return copied


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
    record, in order) to ``out_dir/index.html`` with its clips in ``out_dir/index_assets`` and
    the reveal.js files it loads in ``out_dir/reveal.js`` (from :func:`reveal_root`; checked
    before anything is written).

    The folder is built beside ``out_dir`` (:meth:`Renders.building`) and renamed into place,
    the old one moved :meth:`Renders.aside` meanwhile, so an existing presentation is replaced
    whole or not at all. Returns a summary (slides, frames, per-slide scene and key).
    """
    from manim_slides.config import PresentationConfig, SlideConfig
    from manim_slides.convert import RevealJS

    reveal = reveal_root()
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
        # reveal.js from the deck's own folder, by relative path: no CDN
        converter = RevealJS.model_validate({"presentation_configs": [config], "title": title,
                                             "cdn_url": REVEAL_DIR,
                                             "reveal_version": reveal_version(reveal)})
        converter.convert_to(site / "index.html")
        vendor_reveal(site / "index.html", reveal)
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
