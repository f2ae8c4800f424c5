"""Render one scene in this process: ``python -m mlv.scripts.worker REQUEST_JSON [--parent PID]``.

REQUEST_JSON is a :class:`~mlv.scripts.request.RenderRequest` (:meth:`to_json`): the scene, its
parameter overrides, quality, voice and renders folder. The worker builds the scene's
:class:`~mlv.scenes.script.SceneInputs` from it and the scene as ``Scene(inputs=...)``, renders it
in the scene's own scratch folder (its own manim media folder, so workers never share manim's Tex
and text caches) and leaves there, in ``out/`` (:meth:`Renders.staging`), the video with its
narration track and soft subtitles, the ``.srt`` and ``.vtt``, and its part of the record
(timeline of beats, frames, numbers, the project files the scene read). It publishes nothing: its
parent (:mod:`mlv.scripts.pipeline`) moves the files into place, the record last.

The pipeline starts each worker in a process group of its own and ends the group to stop it. A
worker whose parent dies (even by SIGKILL) is sent SIGTERM by the kernel (Linux), and a worker
told to stop ends its whole group, LaTeX and ffmpeg included: no worker outlives its run.
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mlv.scripts.request import RenderRequest

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: libx264's threads: one. The decoded picture of a multi-threaded x264 depends on how frames
#: are sliced (so on the machine's CPU count, unless fixed) and, measured here, even on thread
#: timing: 45 frames encoded with 2 slice threads gave 1 result in 8 runs alone but 2 results in
#: 12 runs when encodes overlapped; with frame threads (libavcodec's default) 2 results in 6 runs
#: alone; perceptron's video differed in 14-35 of 1939 frames from run to run. One thread gave one
#: result in every case, on every machine, and costs little: the encoder runs on its own thread
#: beside manim's drawing, which takes most of a render's time.
ENCODER_THREADS = 1


def project_files() -> list[str]:
    """Source files of project modules imported so far, relative to the project root."""
    out = set()
    for mod in list(sys.modules.values()):
        f = getattr(mod, "__file__", None)
        if not f:
            continue
        p = Path(f).resolve()
        if p.suffix == ".py" and PROJECT_ROOT in p.parents and ".venv" not in p.parts:
            out.add(p.relative_to(PROJECT_ROOT).as_posix())
    return sorted(out)


def manim_config(request: RenderRequest) -> dict[str, Any]:
    """The manim settings of a worker's render (everything that affects the picture, so that
    ``manim.cfg``, manim's defaults and the machine change nothing)."""
    from mlv.scenes import style
    from mlv.scripts.renders import QUALITIES

    return {"quality": QUALITIES[request.quality], "media_dir": str(request.scratch.resolve()),
            "disable_caching": True, "progress_bar": "none", "verbosity": "WARNING",
            "output_file": request.name, "background_color": style.BACKGROUND,
            "write_to_movie": True, "save_last_frame": False, "preview": False,
            "video_encoder_options": {"threads": str(ENCODER_THREADS)}}


def render(request: RenderRequest) -> dict[str, Any]:
    """Render ``request``'s scene into its scratch folder and leave the video, subtitles and
    record in :meth:`Renders.staging`; returns the record (the worker's part of it)."""
    from manim import tempconfig

    from mlv.scenes import catalog
    from mlv.scripts.media import probe, write_json_atomic
    from mlv.scripts.stitch import Segment, stitch

    renders = request.renders.resolve()
    inputs = request.inputs()
    t0 = time.perf_counter()
    cls = catalog.load(request.entry)
    with tempconfig(manim_config(request)):
        scene = cls(inputs=inputs)
        scene.render()
        movie = Path(scene.renderer.file_writer.movie_file_path)
    seconds = time.perf_counter() - t0
    info = probe(movie)
    timeline = scene.timeline()
    for beat in timeline["beats"]:          # relative to renders/, so the folder can move
        if beat.get("audio"):
            beat["audio"] = os.path.relpath(beat["audio"], renders)
    entry = request.entry
    record = {
        "id": entry.id, "key": request.name, "title": entry.title, "chapter": entry.chapter,
        "params": request.full_params, "quality": request.quality,
        "voice": request.voice, "width": info.width, "height": info.height,
        "fps": str(info.fps), "frames": info.frames, "duration": info.duration,
        "render_seconds": round(seconds, 3), "timeline": timeline,
        "numbers": {str(k): (v.item() if hasattr(v, "item") else v)     # numpy -> plain
                    for k, v in getattr(scene, "numbers", {}).items()},
        "deps": project_files(),
    }
    # one segment through the stitcher: exact narration track, soft subtitles, sidecar .srt/.vtt
    stitch([Segment(movie, record, entry.title)], request.staged(".mp4"), title=entry.title,
           work_dir=request.scratch, audio_root=renders)
    movie.unlink(missing_ok=True)
    write_json_atomic(request.staged(".json"), record)
    return record


def _end_with(parent: int | None) -> None:
    """Never outlive the run: on SIGTERM end this worker's whole process group (when it leads
    one: the pipeline starts it so), and have the kernel send SIGTERM when the parent dies."""
    if os.getpgrp() == os.getpid():
        signal.signal(signal.SIGTERM, lambda *_: os.killpg(os.getpgrp(), signal.SIGKILL))
    if parent is None:
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)              # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):              # pragma: no cover - not Linux
        pass
    if os.getppid() != parent:                     # the parent died before that: stop now
        os.kill(os.getpid(), signal.SIGTERM)


def main(argv: list[str] | None = None) -> None:
    from mlv.scripts import tools
    from mlv.scripts.request import RenderRequest

    parser = argparse.ArgumentParser(prog="python -m mlv.scripts.worker",
                                     description="Render one scene (see the module docstring).")
    parser.add_argument("request", help="the render request as JSON")
    parser.add_argument("--parent", type=int, default=None,
                        help="pid of the process that waits for this one")
    args = parser.parse_args(argv)
    _end_with(args.parent)
    tools.children_in_my_group()             # ending this worker's group ends them too
    render(RenderRequest.from_json(args.request))


if __name__ == "__main__":
    main()
