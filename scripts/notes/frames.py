"""Key frames cut from the rendered scenes: two or three per lesson, each the picture
:data:`FRAME_BEFORE_END` seconds before the end of a chosen beat.

Frames are PNGs named after the render (its cache key) and kept between runs in a folder the
caller gives (``renders/.work/notes/<quality>/frames/``): a rebuild from the same renders takes
no frame again, and the frames of an older render of a scene are removed.

This module imports only the standard library at import time.
"""
from __future__ import annotations

import glob
import hashlib
from pathlib import Path

from mlv.scripts.errors import RenderError
from mlv.scripts.notes.contents import Beat, Frame, NotesScene, Record

FRAME_BEFORE_END = 0.1          # seconds before a beat's end at which its key frame is taken
FRAME_MAX_WIDTH = 1280          # key frames are scaled down to at most this many pixels wide
FRAMES_PER_LESSON = 3


def key_beats(beats: list[Beat], k: int = FRAMES_PER_LESSON) -> list[int]:
    """Indices of the beats whose end is a key frame, one per third of the lesson: the last
    beat of the third whose key names a result (``walk-result``: the run is drawn in full
    there), else the third's last beat."""
    n = len(beats)
    out = []
    for j in range(1, k + 1):
        lo, hi = round(n * (j - 1) / k), round(n * j / k) - 1
        if hi < lo:
            continue
        results = [i for i in range(lo, hi + 1) if "result" in str(beats[i].get("key", ""))]
        out.append(results[-1] if results else hi)
    return sorted(set(out))


def frame_time(beat: Beat, duration: float | None = None) -> float:
    """When the key frame of ``beat`` is taken: :data:`FRAME_BEFORE_END` before its end, never
    before its start nor after the video's ``duration``."""
    t = float(beat["end"]) - FRAME_BEFORE_END
    t = max(float(beat["start"]), t, 0.0)
    if duration:
        t = min(t, max(0.0, float(duration) - FRAME_BEFORE_END))
    return t


def extract_frame(video: Path, t: float, out: Path) -> Path:
    """Write the frame of ``video`` at ``t`` seconds to ``out`` (PNG, at most
    :data:`FRAME_MAX_WIDTH` wide), by rename."""
    import subprocess

    from mlv.scenes.narration import atomic_path

    with atomic_path(out) as tmp:
        cmd = ["ffmpeg", "-v", "error", "-y", "-ss", f"{t:.3f}", "-i", str(video),
               "-frames:v", "1", "-vf", f"scale='min({FRAME_MAX_WIDTH},iw)':-2",
               "-f", "image2", "-c:v", "png", str(tmp)]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0 or Path(tmp).stat().st_size == 0:
            tail = (done.stderr.strip().splitlines() or ["no frame written"])[-1]
            raise RenderError(f"ffmpeg could not take a frame of {video} at {t:.2f}s: {tail}")
    return out


def attach_frames(items: list[tuple[NotesScene, Path, Record]], frames_dir: Path,
                  workers: int = 1) -> None:
    """Give each lesson of ``items`` (a scene, its video and its record) its key frames in
    ``frames_dir``, taking only those not already taken from the same render."""
    from concurrent.futures import ThreadPoolExecutor

    jobs: list[tuple[Path, float, Path]] = []
    for item, video, record in items:
        if item.kind != "lesson":
            continue
        tag = (record.get("cache_key") or hashlib.sha256(
            str(video.stat().st_mtime_ns).encode()).hexdigest())[:12]
        for k in key_beats(item.beats):
            beat = item.beats[k]
            t = frame_time(beat, record.get("duration"))
            path = frames_dir / f"{item.id}-{k:02d}-{tag}.png"
            item.frames.append(Frame(beat["key"], t, path))
            if not path.exists():
                jobs.append((video, t, path))
        for old in frames_dir.glob(f"{glob.escape(item.id)}-[0-9][0-9]-*.png"):
            if not old.name.endswith(f"-{tag}.png"):        # frames of an older render
                old.unlink(missing_ok=True)
    if jobs:
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            list(pool.map(lambda j: extract_frame(*j), jobs))
