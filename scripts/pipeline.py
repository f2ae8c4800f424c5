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
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from mlv.scenes import catalog
from mlv.scenes.catalog import SceneEntry
from mlv.scripts.errors import MlvError, RenderError
from mlv.scripts.lock import UNFINISHED
from mlv.scripts.media import write_json_atomic
from mlv.scripts.worker import PROJECT_ROOT

CACHE_VERSION = "2"


def tool_versions(voice: str) -> dict[str, str]:
    from importlib.metadata import version as pkg_version

    from mlv.scripts.tools import version

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


def source_state(deps: Iterable[str]) -> dict:
    """What produced a render, for the record beside it (never part of the cache key): the git
    commit of the checkout, which of the scene's source files differ from it, and the SHA-256 of
    every file the scene read (its code and, through the seeds in that code, its data)."""
    files = sorted(set(deps) | {"manim.cfg"})
    state = {"commit": None, "modified": [],
             "files": {rel: _file_digest(rel)[:16] for rel in files}}
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=PROJECT_ROOT, capture_output=True,
                              text=True, timeout=10)
        if head.returncode == 0:
            state["commit"] = head.stdout.strip()
            dirty = subprocess.run(["git", "status", "--porcelain", "--", *files],
                                   cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=10)
            state["modified"] = sorted(ln[3:] for ln in dirty.stdout.splitlines() if ln.strip())
    except (OSError, subprocess.SubprocessError):
        pass
    return state


def cache_key(entry: SceneEntry, quality: str, voice: str, deps: Iterable[str],
              versions: dict[str, str]) -> str:
    """SHA-256 over everything the scene reads (see the module docstring)."""
    h = hashlib.sha256()
    # the entry's title is not drawn by the scene (a manifest may rename it freely): not hashed
    what = (entry.id, entry.module, entry.cls, entry.kind, entry.params)
    h.update(f"v{CACHE_VERSION}\x00{what}\x00{quality}\x00{voice}\x00".encode())
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


def scene_paths(renders: Path, quality: str, key: str) -> tuple[Path, Path]:
    """The video and record of the render named ``key`` (:attr:`SceneEntry.key`: the id plus
    any parameter overrides)."""
    d = renders / quality / "scenes"
    return d / f"{key}.mp4", d / f"{key}.json"


def cached_result(entry: SceneEntry, quality: str, voice: str, renders: Path,
                  versions: dict[str, str]) -> SceneResult | None:
    video, rec_path = scene_paths(renders, quality, entry.key)
    if not (video.exists() and rec_path.exists()):
        return None
    try:
        rec = json.loads(rec_path.read_text())
    except (OSError, ValueError):
        return None
    if rec.get("cache_key") != cache_key(entry, quality, voice, rec.get("deps", []), versions):
        return None
    # a run killed after the worker replaced the video but before the record: they do not pair
    if rec.get("video_bytes", video.stat().st_size) != video.stat().st_size:
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
    log = work / f"{entry.key}.log"
    rec_tmp = work / f"{entry.key}.record.json"
    rec_tmp.unlink(missing_ok=True)
    # while the worker runs, its scratch folder holds a marker: if this run is killed, the next
    # run's sweep (scripts/lock.py) removes the folder, half-written LaTeX cache and all
    scratch = work / entry.key
    scratch.mkdir(exist_ok=True)
    (scratch / UNFINISHED).touch()
    t0 = time.perf_counter()
    cmd = [sys.executable, "-m", "mlv.scripts.worker", json.dumps(asdict(entry)),
           "--quality", quality, "--voice", voice, "--renders", str(renders.resolve()),
           "--record", str(rec_tmp.resolve())]
    # a fixed hash seed: set and dict orders (TransformMatchingTex matches through them) are the
    # same in every worker, so a scene renders to the same frames wherever it runs
    env = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONHASHSEED="0")
    with open(log, "w") as logf:
        proc = subprocess.run(cmd, stdout=logf, stderr=subprocess.STDOUT, cwd=PROJECT_ROOT,
                              env=env)
    if proc.returncode != 0 or not rec_tmp.exists():
        raise RenderError(f"scene {entry.key} failed (exit {proc.returncode}); log {log}:\n"
                          f"{_log_tail(log)}")
    rec = json.loads(rec_tmp.read_text())
    for beat in rec["timeline"]["beats"]:      # relative to renders/, so the folder can move
        if beat.get("audio"):
            beat["audio"] = os.path.relpath(beat["audio"], renders.resolve())
    rec["cache_key"] = cache_key(entry, quality, voice, rec["deps"], versions)
    rec["versions"] = versions
    rec["source"] = source_state(rec["deps"] + [entry.path])
    video, rec_path = scene_paths(renders, quality, entry.key)
    rec["video_bytes"] = video.stat().st_size       # pairs the record with this very video
    write_json_atomic(rec_path, rec)
    rec_tmp.unlink(missing_ok=True)
    shutil.rmtree(scratch / "videos", ignore_errors=True)   # manim's partial movies: done with
    (scratch / UNFINISHED).unlink(missing_ok=True)
    return SceneResult(entry, video, rec, False, time.perf_counter() - t0)


# ----------------------------------------------------------------------------- distributed jobs


def remote_render(entry_fields: dict, quality: str, voice: str) -> dict:
    """A render job for a Dask worker: render into a private folder there and send the files
    back as bytes (video, subtitles, and every narration WAV the timeline names)."""
    import tempfile

    entry = SceneEntry(**entry_fields)
    with tempfile.TemporaryDirectory(prefix="mlv-dask-") as tmp:
        renders = Path(tmp)
        res = render_one(entry, quality, voice, renders, tool_versions(voice), force=True)
        files = {ext: res.video.with_suffix(ext).read_bytes() for ext in (".mp4", ".srt", ".vtt")}
        audio = {}
        for beat in res.record["timeline"]["beats"]:
            if beat.get("audio"):
                audio[Path(beat["audio"]).name] = (renders / beat["audio"]).read_bytes()
        return {"record": res.record, "files": files, "audio": audio, "seconds": res.seconds}


def materialize(entry: SceneEntry, payload: dict, quality: str, voice: str, renders: Path,
                versions: dict[str, str]) -> SceneResult:
    """Write a remote render's files under ``renders`` (audio first, the video last, each by
    rename) and its record with local audio paths and a local cache key."""
    from mlv.scenes.narration import atomic_path

    audio_dir = renders / ".audio"
    for name, data in payload["audio"].items():
        if not (audio_dir / name).exists():
            with atomic_path(audio_dir / name) as tmp:
                Path(tmp).write_bytes(data)
    rec = payload["record"]
    for beat in rec["timeline"]["beats"]:
        if beat.get("audio"):
            beat["audio"] = (Path(".audio") / Path(beat["audio"]).name).as_posix()
    video, rec_path = scene_paths(renders, quality, entry.key)
    for ext in (".srt", ".vtt", ".mp4"):
        with atomic_path(video.with_suffix(ext)) as tmp:
            Path(tmp).write_bytes(payload["files"][ext])
    rec["cache_key"] = cache_key(entry, quality, voice, rec["deps"], versions)
    rec["versions"] = versions
    rec["video_bytes"] = len(payload["files"][".mp4"])
    write_json_atomic(rec_path, rec)
    return SceneResult(entry, video, rec, False, payload["seconds"])


def connect(address: str, timeout: float = 3.0):
    """A Dask client for ``address``; :class:`MlvError` in one line if it cannot be reached."""
    try:
        from distributed import Client
    except ImportError:                                   # pragma: no cover - a dependency
        raise MlvError("--scheduler needs dask.distributed: pip install distributed") from None
    try:
        return Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise MlvError(f"cannot reach the Dask scheduler at {address}: {reason}") from None


# ----------------------------------------------------------------------------------- many jobs


class Progress:
    """What the pipeline reports while it works. The default reports nothing."""

    def planned(self, entries: list[SceneEntry], expected: dict[str, float]) -> None: ...
    def started(self, entry: SceneEntry) -> None: ...
    def finished(self, result: SceneResult) -> None: ...
    def failed(self, entry: SceneEntry) -> None: ...
    def close(self) -> None: ...


def render_many(entries: list[SceneEntry], quality: str, voice: str, renders: Path, *,
                workers: int | None = None, force: bool = False, scheduler: str | None = None,
                progress: Progress | None = None) -> list[SceneResult]:
    """Render ``entries`` (cached ones are skipped), longest first, with up to ``workers`` local
    processes or on the Dask cluster at ``scheduler``; results keep the order of ``entries``
    (an entry listed twice, e.g. under two titles, is rendered once and returned with each).
    If scenes fail, the others still finish, then :class:`RenderError` names every failure."""
    renders = Path(renders)
    versions = tool_versions(voice)
    progress = progress or Progress()
    results: dict[str, SceneResult] = {}
    todo = []
    for e in dict((e.key, e) for e in entries).values():
        hit = None if force else cached_result(e, quality, voice, renders, versions)
        if hit is not None:
            results[e.key] = hit
        else:
            todo.append(e)
    expected = {e.key: _expected_seconds(renders, quality, e) for e in todo}
    todo.sort(key=lambda e: expected[e.key], reverse=True)       # longest first
    progress.planned(todo, expected)
    for e in dict((e.key, e) for e in entries).values():
        if e.key in results:
            progress.finished(results[e.key])
    errors: list[str] = []
    try:
        if scheduler:
            _run_dask(todo, quality, voice, renders, versions, scheduler, progress, results,
                      errors)
        else:
            _run_local(todo, quality, voice, renders, versions,
                       max(1, workers or os.cpu_count() or 1), progress, results, errors)
    finally:
        progress.close()
    if errors:
        raise RenderError("\n".join(errors))
    return [replace(results[e.key], entry=e) for e in entries]


def _expected_seconds(renders: Path, quality: str, e: SceneEntry) -> float:
    _, rec_path = scene_paths(renders, quality, e.key)
    try:
        return float(json.loads(rec_path.read_text()).get("render_seconds", 0))
    except (OSError, ValueError):
        return 0.0


def _run_local(todo, quality, voice, renders, versions, workers, progress, results, errors):
    def job(e):
        progress.started(e)
        return render_one(e, quality, voice, renders, versions, force=True)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(job, e): e for e in todo}
        try:
            for fut in as_completed(futures):
                e = futures[fut]
                try:
                    results[e.key] = fut.result()
                    progress.finished(results[e.key])
                except RenderError as exc:
                    errors.append(str(exc))
                    progress.failed(e)
        except BaseException:           # Ctrl-C: start no queued scene (the running ones got
            pool.shutdown(wait=True, cancel_futures=True)       # the signal too), then stop
            raise


def _run_dask(todo, quality, voice, renders, versions, scheduler, progress, results, errors):
    from distributed import as_completed as dask_completed

    client = connect(scheduler)
    try:
        futures = {}
        for e in todo:
            fut = client.submit(remote_render, asdict(e), quality, voice, key=f"mlv-{e.key}-"
                                f"{quality}-{voice}-{time.time_ns()}", pure=False)
            futures[fut] = e
            progress.started(e)
        with client.as_current():
            for fut in dask_completed(list(futures)):
                e = futures[fut]
                try:
                    results[e.key] = materialize(e, fut.result(), quality, voice, renders,
                                                 versions)
                    progress.finished(results[e.key])
                except RenderError as exc:
                    errors.append(str(exc))
                    progress.failed(e)
    finally:
        client.close()


def chapter_video_path(renders: Path, quality: str, n: int) -> Path:
    return renders / quality / f"chapter{n}.mp4"


def stitch_results(results: list[SceneResult], out: Path, title: str, renders: Path) -> dict:
    """Stitch rendered scenes into ``out`` unless ``out`` already holds exactly these scenes
    (same cache keys, titles and order), in which case nothing is done."""
    from mlv.scripts.stitch import Segment, stitch

    segments = [Segment(r.video, r.record, r.entry.title)
                for r in results]
    key = hashlib.sha256(json.dumps(
        [title] + [[s.title, r.record.get("cache_key")] for s, r in zip(segments, results)]
    ).encode()).hexdigest()
    try:
        old = json.loads(out.with_suffix(".json").read_text())
        if old.get("stitch_key") == key and old.get("video_bytes") == out.stat().st_size:
            return old
    except (OSError, ValueError):
        pass
    record = stitch(segments, out, title=title, work_dir=renders / ".work", write_record=False,
                    audio_root=renders)
    record["stitch_key"] = key
    record["video_bytes"] = out.stat().st_size      # a run killed between the two renames
    write_json_atomic(out.with_suffix(".json"), record)    # leaves a pair that does not match
    return record


def course_chapters(manifest: Path | None) -> tuple[str, list[tuple[int, str, list[SceneEntry]]]]:
    """The course's title and chapters ``(number, title, scenes)``: the manifest's, or by
    default every chapter of the catalog that has scenes."""
    if manifest is None:
        return ("Machine learning from first principles",
                [(n, catalog.CHAPTERS[n], catalog.chapter(n))
                 for n in catalog.chapters_with_scenes()])
    from mlv.scripts.manifest import load_manifest

    return load_manifest(manifest)
