"""The render pipeline: a project cache, one worker process per scene, and stitching.

A scene's cache key hashes everything it reads: the source of every project module it imported
(recorded by its worker; the trajectory and derivation data are computed by that code from fixed
seeds, and the narration text lives in it), manim.cfg, the quality and voice, and the versions of
manim, numpy, sympy, ffmpeg and espeak-ng. An unchanged scene is not re-rendered (no manim
start-up at all); a changed one always is.
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from scenes import catalog
from scenes.catalog import SceneEntry
from scripts.errors import RenderError
from scripts.media import write_json_atomic
from scripts.worker import PROJECT_ROOT

CACHE_VERSION = "1"


def tool_versions(voice: str) -> dict[str, str]:
    from importlib.metadata import version as pkg_version

    from scripts.tools import version

    out = {p: pkg_version(p) for p in ("manim", "numpy", "sympy")}
    out["ffmpeg"] = version("ffmpeg")
    if voice == "espeak":
        out["espeak-ng"] = version("espeak-ng")
    return out


def _file_digest(rel: str) -> str:
    p = PROJECT_ROOT / rel
    try:
        return hashlib.sha256(p.read_bytes()).hexdigest()
    except FileNotFoundError:
        return "missing"


def cache_key(entry: SceneEntry, quality: str, voice: str, deps: Iterable[str],
              versions: dict[str, str]) -> str:
    """SHA-256 over everything the scene reads (see the module docstring)."""
    h = hashlib.sha256()
    h.update(f"v{CACHE_VERSION}\x00{entry}\x00{quality}\x00{voice}\x00".encode())
    h.update(json.dumps(versions, sort_keys=True).encode())
    for rel in sorted(set(deps) | {"manim.cfg", entry.path}):
        h.update(f"{rel}\x00{_file_digest(rel)}\x00".encode())
    return h.hexdigest()


@dataclass
class SceneResult:
    entry: SceneEntry
    video: Path
    record: dict
    cached: bool
    seconds: float


def scene_paths(renders: Path, quality: str, scene_id: str) -> tuple[Path, Path]:
    d = renders / quality / "scenes"
    return d / f"{scene_id}.mp4", d / f"{scene_id}.json"


def cached_result(entry: SceneEntry, quality: str, voice: str, renders: Path,
                  versions: dict[str, str]) -> SceneResult | None:
    video, rec_path = scene_paths(renders, quality, entry.id)
    if not (video.exists() and rec_path.exists()):
        return None
    try:
        rec = json.loads(rec_path.read_text())
    except (OSError, ValueError):
        return None
    if rec.get("cache_key") != cache_key(entry, quality, voice, rec.get("deps", []), versions):
        return None
    return SceneResult(entry, video, rec, True, 0.0)


def _log_tail(path: Path, n: int = 15) -> str:
    try:
        lines = path.read_text(errors="replace").strip().splitlines()
    except OSError:
        return "(no log)"
    return "\n".join(lines[-n:])


def render_one(entry: SceneEntry, quality: str, voice: str, renders: Path,
               versions: dict[str, str], *, force: bool = False) -> SceneResult:
    """Render ``entry`` in its own process unless the cache has it."""
    if not force:
        hit = cached_result(entry, quality, voice, renders, versions)
        if hit is not None:
            return hit
    work = renders / ".work" / quality
    work.mkdir(parents=True, exist_ok=True)
    log = work / f"{entry.id}.log"
    rec_tmp = work / f"{entry.id}.record.json"
    rec_tmp.unlink(missing_ok=True)
    t0 = time.perf_counter()
    cmd = [sys.executable, "-m", "scripts.worker", entry.id, "--quality", quality,
           "--voice", voice, "--renders", str(renders), "--record", str(rec_tmp)]
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    with open(log, "w") as logf:
        proc = subprocess.run(cmd, stdout=logf, stderr=subprocess.STDOUT, cwd=PROJECT_ROOT,
                              env=env)
    if proc.returncode != 0 or not rec_tmp.exists():
        raise RenderError(f"scene {entry.id} failed (exit {proc.returncode}); log {log}:\n"
                          f"{_log_tail(log)}")
    rec = json.loads(rec_tmp.read_text())
    rec["cache_key"] = cache_key(entry, quality, voice, rec["deps"], versions)
    rec["versions"] = versions
    video, rec_path = scene_paths(renders, quality, entry.id)
    write_json_atomic(rec_path, rec)
    rec_tmp.unlink(missing_ok=True)
    return SceneResult(entry, video, rec, False, time.perf_counter() - t0)


def render_many(entries: list[SceneEntry], quality: str, voice: str, renders: Path, *,
                workers: int | None = None, force: bool = False,
                on_done: Callable[[SceneResult], None] | None = None) -> list[SceneResult]:
    """Render ``entries`` with up to ``workers`` processes, longest first; results keep the
    order of ``entries``. If scenes fail, the others still finish, then :class:`RenderError`
    names every failure."""
    renders = Path(renders)
    versions = tool_versions(voice)
    workers = max(1, workers or os.cpu_count() or 1)

    def expected_seconds(e: SceneEntry) -> float:
        _, rec_path = scene_paths(renders, quality, e.id)
        try:
            return float(json.loads(rec_path.read_text()).get("render_seconds", 0))
        except (OSError, ValueError):
            return 0.0

    order = sorted(entries, key=expected_seconds, reverse=True)
    results: dict[str, SceneResult] = {}
    errors: list[str] = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(render_one, e, quality, voice, renders, versions, force=force): e
                   for e in order}
        for fut in as_completed(futures):
            e = futures[fut]
            try:
                res = fut.result()
            except RenderError as exc:
                errors.append(str(exc))
                continue
            results[e.id] = res
            if on_done:
                on_done(res)
    if errors:
        raise RenderError("\n".join(errors))
    return [results[e.id] for e in entries]


def chapter_video_path(renders: Path, quality: str, n: int) -> Path:
    return renders / quality / f"chapter{n}.mp4"


def stitch_results(results: list[SceneResult], out: Path, title: str, renders: Path,
                   *, marker_prefix: Callable[[SceneEntry], str] = lambda e: "") -> dict:
    from scripts.stitch import Segment, stitch

    segments = [Segment(r.video, r.record, marker_prefix(r.entry) + r.entry.title)
                for r in results]
    return stitch(segments, out, title=title, work_dir=renders / ".work")


def course_chapters(manifest: Path | None) -> tuple[str, list[tuple[int, str, list[SceneEntry]]]]:
    """The course's title and chapters ``(number, title, scenes)``: the manifest's, or by
    default every chapter of the catalog that has scenes."""
    if manifest is None:
        return ("Machine learning from first principles",
                [(n, catalog.CHAPTERS[n], catalog.chapter(n))
                 for n in catalog.chapters_with_scenes()])
    from scripts.manifest import load_manifest

    return load_manifest(manifest)
