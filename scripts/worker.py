"""Render one scene in this process: ``python -m scripts.worker ENTRY_JSON --quality Q --voice V
--renders DIR --record FILE``.

The pipeline starts one such process per scene, each with its own manim media folder, so workers
never share manim's Tex and text caches. The worker publishes ``<id>.mp4`` with its subtitles and
a JSON record (timeline of beats, frames, the files the scene read) by rename.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

QUALITIES = {"low": "low_quality", "medium": "medium_quality", "high": "high_quality",
             "4k": "fourk_quality"}

PROJECT_ROOT = Path(__file__).resolve().parent.parent


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


def render_scene(entry, quality: str, voice: str, renders: Path) -> dict:
    """Render the scene of catalog ``entry`` and publish it under ``renders/<quality>/scenes/``;
    returns the record."""
    from manim import tempconfig

    from mlv.scenes import catalog, style
    from mlv.scripts.media import probe
    from mlv.scripts.stitch import Segment, stitch

    scene_id = entry.key                    # the id plus any parameter overrides
    work = renders / ".work" / quality / scene_id
    from mlv.scenes.params import resolve
    from mlv.scenes.script import SceneInputs

    params = resolve(entry.id, entry.params)
    inputs = SceneInputs(params=params, voice=voice, audio_dir=(renders / ".audio").resolve(),
                         mux_audio=False)      # the audio track is built below, exactly
    t0 = time.perf_counter()
    cls = catalog.load(entry)
    overrides = {"quality": QUALITIES[quality], "media_dir": str(work.resolve()),
                 "disable_caching": True, "progress_bar": "none", "verbosity": "WARNING",
                 "output_file": scene_id, "background_color": style.BACKGROUND,
                 "write_to_movie": True, "save_last_frame": False, "preview": False}
    with tempconfig(overrides):
        scene = cls(inputs=inputs)
        scene.render()
        movie = Path(scene.renderer.file_writer.movie_file_path)
    seconds = time.perf_counter() - t0
    info = probe(movie)
    out_dir = renders / quality / "scenes"
    record = {
        "id": entry.id, "key": entry.key, "title": entry.title, "chapter": entry.chapter,
        "params": params, "quality": quality,
        "voice": voice, "width": info.width, "height": info.height,
        "fps": str(info.fps), "frames": info.frames, "duration": info.duration,
        "render_seconds": round(seconds, 3), "timeline": scene.timeline(),
        "numbers": {str(k): (v.item() if hasattr(v, "item") else v)     # numpy -> plain
                    for k, v in getattr(scene, "numbers", {}).items()},
        "deps": project_files(),
    }
    # one segment through the stitcher: exact narration track, soft subtitles, sidecar .srt/.vtt
    stitch([Segment(movie, record, entry.title)], out_dir / f"{scene_id}.mp4", title=entry.title,
           work_dir=work, write_record=False)
    movie.unlink(missing_ok=True)
    return record


@click.command()
@click.argument("entry_json")
@click.option("--quality", type=click.Choice(list(QUALITIES)), default="low")
@click.option("--voice", type=click.Choice(["none", "espeak"]), default="none")
@click.option("--renders", type=click.Path(file_okay=False, path_type=Path), default="renders")
@click.option("--record", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write the JSON record.")
def main(entry_json: str, quality: str, voice: str, renders: Path, record: Path) -> None:
    """ENTRY_JSON is the scene's catalog entry as JSON (id, chapter, order, title, module, cls,
    kind), so a worker renders exactly the scene its caller meant."""
    from mlv.scenes.catalog import SceneEntry

    rec = render_scene(SceneEntry(**json.loads(entry_json)), quality, voice, renders)
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(json.dumps(rec, indent=1))


if __name__ == "__main__":
    main()
