"""The render pipeline: a project cache, one worker process per scene, publishing, stitching.

The path from a scene id to a published video::

    RenderRequest (mlv.scripts.request, built once by the CLI)
      -> render_requests(): cached?  the record beside the video has this request's cache key
                                     and names the SHA-256 of the video and its subtitles
      -> run_worker(): python -m mlv.scripts.worker REQUEST_JSON, in its own process group;
                       it renders into the scene's scratch folder and leaves the video,
                       subtitles and its record in the scratch folder's out/
         (or remote_render() on a Dask worker, whose files materialize() writes here)
      -> finish(): the parent completes the record (cache key, versions, source, digests) and
                   publishes the set: subtitles, then the video, then the record

A scene's cache key hashes everything it reads: the source of every project module it imported
(recorded by its worker; the trajectory and derivation data are computed by that code from fixed
seeds, and the narration text lives in it), manim.cfg, the quality and voice, the parameter
overrides and the versions of manim, numpy, sympy, ffmpeg and espeak-ng. An unchanged scene is
not re-rendered (no manim start-up at all); a changed one always is. A record whose files do
not have the digests it names (a run killed between two renames) is not a cache hit.

A run that is stopped (Ctrl-C, SIGTERM, SIGHUP: :class:`~mlv.scripts.errors.Stopped`) kills
the process group of every running worker, starts no queued scene and publishes nothing more.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlv.scenes import catalog
from mlv.scenes.catalog import SceneEntry
from mlv.scripts import tools
from mlv.scripts.errors import MlvError, RenderError
from mlv.scripts.media import digests, matches, publish_set, write_json_atomic
from mlv.scripts.renders import MEDIA_FILES, UNFINISHED, Renders
from mlv.scripts.request import RenderRequest
from mlv.scripts.worker import PROJECT_ROOT

if TYPE_CHECKING:
    from distributed import Client

CACHE_VERSION = "2"

#: the environment of every worker, wherever it runs: a fixed hash seed (set and dict orders,
#: which TransformMatchingTex matches through, are the same in every worker) and single-threaded
#: BLAS, as Dask's workers have it (its nanny sets these), so that a scene's numbers cannot
#: depend on how many threads the machine's BLAS would otherwise start
WORKER_ENV = {"PYTHONUNBUFFERED": "1", "PYTHONHASHSEED": "0", "OMP_NUM_THREADS": "1",
              "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def tool_versions(voice: str) -> dict[str, str]:
    from importlib.metadata import version as pkg_version

    from mlv.scripts.tools import version

    out = {p: pkg_version(p) for p in ("manim", "numpy", "sympy")}
    out["ffmpeg"] = version("ffmpeg")
    if voice == "espeak":
        out["espeak-ng"] = version("espeak-ng")
    if voice == "piper":
        from mlv.scenes.narration import model_digest, piper_model

        out["piper-tts"] = pkg_version("piper-tts")
        found = piper_model()
        out["piper-model"] = model_digest(found[0]) if found else "missing"
        out["piper-server"] = _file_digest("scripts/piper_server.py")     # not imported here
    if voice in ("espeak", "piper"):
        # what the voice says is the narration (in the scene's code) rewritten by the lexicon,
        # a data file the worker reads, not imports: an edit re-renders the voiced scenes
        out["lexicon"] = _file_digest("scenes/lexicon.toml")
    return out


def _file_digest(rel: str) -> str:
    p = PROJECT_ROOT / rel
    try:
        return hashlib.sha256(p.read_bytes()).hexdigest()
    except FileNotFoundError:
        return "missing"


def source_state(deps: Iterable[str]) -> dict[str, Any]:
    """What produced a render, for the record beside it (never part of the cache key): the git
    commit of the checkout, which of the scene's source files differ from it, and the SHA-256 of
    every file the scene read (its code and, through the seeds in that code, its data)."""
    files = sorted(set(deps) | {"manim.cfg"})
    state: dict[str, Any] = {"commit": None, "modified": [],
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


def request_key(request: RenderRequest, deps: Iterable[str], versions: dict[str, str]) -> str:
    """The cache key of ``request`` (:func:`cache_key`)."""
    return cache_key(request.entry, request.quality, request.voice, deps, versions)


@dataclass
class SceneResult:
    """A rendered scene: ``entry`` as it was asked for (its title is the chapter marker's),
    its published video and record, whether it came from the cache, and its request."""

    entry: SceneEntry
    video: Path
    record: dict[str, Any]
    cached: bool
    seconds: float
    request: RenderRequest


def _published(request: RenderRequest) -> dict[str, Path]:
    layout = request.layout
    return {ext: layout.scene_file(request.quality, request.name, ext) for ext in MEDIA_FILES}


def cached_result(request: RenderRequest, versions: dict[str, str]) -> SceneResult | None:
    """The published render of ``request`` if it is current: its record has the request's
    cache key and names the digests of the video and subtitles there (a run killed between
    publishing the video and its record leaves a pair that does not match)."""
    video, rec_path = request.video, request.record
    if not (video.exists() and rec_path.exists()):
        return None
    try:
        rec = json.loads(rec_path.read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(rec, dict) or \
            rec.get("cache_key") != request_key(request, rec.get("deps", []), versions):
        return None
    if not matches(rec, _published(request)):
        return None
    return SceneResult(request.entry, video, rec, True, 0.0, request)


def _log_tail(path: Path, n: int = 15) -> str:
    try:
        lines = path.read_text(errors="replace").strip().splitlines()
    except OSError:
        return "(no log)"
    return "\n".join(lines[-n:])


def run_worker(request: RenderRequest) -> tuple[dict[str, Any], float]:
    """Render ``request`` in a worker process (in its own process group, ended if the run is
    stopped) and return the worker's record and the seconds it took. The files it made wait in
    the scratch folder's ``out/`` (:meth:`RenderRequest.staged`), and the scratch folder holds
    :data:`UNFINISHED` until :func:`finish` has published them: if this run is killed, the next
    run's sweep (:mod:`mlv.scripts.lock`) removes the folder, half-written LaTeX cache and all."""
    tools.refuse_if_stopping()                 # a queued scene does not begin once stopped
    request = request.elsewhere(request.renders.resolve())    # the worker runs elsewhere
    scratch = request.scratch
    scratch.mkdir(parents=True, exist_ok=True)
    (scratch / UNFINISHED).touch()
    shutil.rmtree(request.staged(".json").parent, ignore_errors=True)
    log = request.log
    t0 = time.perf_counter()
    cmd = [sys.executable, "-m", "mlv.scripts.worker", request.to_json(),
           "--parent", str(os.getpid())]
    with open(log, "wb") as logf:
        done = tools.run(cmd, stdout=logf, stderr=subprocess.STDOUT, cwd=PROJECT_ROOT,
                         env={**os.environ, **WORKER_ENV})
    staged = request.staged(".json")
    if done.returncode != 0 or not staged.exists():
        raise RenderError(f"scene {request.name} failed (exit {done.returncode}); log {log}:\n"
                          f"{_log_tail(log)}")
    record: dict[str, Any] = json.loads(staged.read_text())
    return record, time.perf_counter() - t0


def finish(request: RenderRequest, record: dict[str, Any], versions: dict[str, str],
           seconds: float) -> SceneResult:
    """Complete the worker's ``record`` (cache key, tool versions, source state, the digest of
    each file) and publish the staged files: the subtitles, the video, and the record last."""
    rec = dict(record)
    rec["cache_key"] = request_key(request, rec["deps"], versions)
    rec["versions"] = versions
    rec["source"] = source_state([*rec["deps"], request.entry.path])
    staged = {ext: request.staged(ext) for ext in MEDIA_FILES}
    rec["files"] = digests(staged)
    published = _published(request)
    publish_set([(staged[ext], published[ext]) for ext in MEDIA_FILES], request.record, rec)
    scratch = request.scratch
    shutil.rmtree(scratch / "videos", ignore_errors=True)     # manim's partial movies: done with
    shutil.rmtree(staged[".mp4"].parent, ignore_errors=True)
    (scratch / UNFINISHED).unlink(missing_ok=True)
    return SceneResult(request.entry, request.video, rec, False, seconds, request)


def render_one(request: RenderRequest, versions: dict[str, str], *,
               force: bool = False) -> SceneResult:
    """Render ``request`` in its own process unless the cache has it, and publish it."""
    if not force:
        hit = cached_result(request, versions)
        if hit is not None:
            return hit
    record, seconds = run_worker(request)
    return finish(request, record, versions, seconds)


# ----------------------------------------------------------------------------- distributed jobs


def remote_render(request_json: str) -> dict[str, Any]:
    """A render job for a Dask worker: render the request into a private renders folder there
    and send the files back as bytes (video, subtitles, and every narration WAV the timeline
    names, with the sentence timing its voice left beside it, which subtitles are cut by) with
    the worker's record."""
    request = RenderRequest.from_json(request_json)
    with tempfile.TemporaryDirectory(prefix="mlv-dask-") as tmp:
        here = request.elsewhere(tmp)
        record, seconds = run_worker(here)
        files = {ext: here.staged(ext).read_bytes() for ext in MEDIA_FILES}
        audio = {}
        for beat in record["timeline"]["beats"]:
            if beat.get("audio"):
                wav = Path(tmp) / beat["audio"]
                audio[wav.name] = wav.read_bytes()
                if wav.with_suffix(".json").is_file():
                    audio[wav.with_suffix(".json").name] = wav.with_suffix(".json").read_bytes()
        return {"record": record, "files": files, "audio": audio, "seconds": seconds}


def materialize(request: RenderRequest, payload: dict[str, Any],
                versions: dict[str, str]) -> SceneResult:
    """Write a remote render's files here (the narration audio into the audio cache, the video
    and subtitles into the scene's scratch folder) and publish them as a local render is."""
    from mlv.scenes.narration import atomic_path

    layout = request.layout
    for name, data in payload["audio"].items():
        if not (layout.audio / name).exists():
            with atomic_path(layout.audio / name) as tmp:
                Path(tmp).write_bytes(data)
    scratch = request.scratch
    scratch.mkdir(parents=True, exist_ok=True)
    (scratch / UNFINISHED).touch()
    for ext in MEDIA_FILES:
        staged = request.staged(ext)
        staged.parent.mkdir(parents=True, exist_ok=True)
        staged.write_bytes(payload["files"][ext])
    rec = dict(payload["record"])
    for beat in rec["timeline"]["beats"]:          # relative to the renders folder, as here
        if beat.get("audio"):
            beat["audio"] = layout.audio_ref(Path(beat["audio"]).name)
    return finish(request, rec, versions, payload["seconds"])


def connect(address: str, timeout: float = 3.0) -> Client:
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

    def planned(self, requests: Sequence[RenderRequest], expected: dict[str, float]) -> None: ...
    def started(self, request: RenderRequest) -> None: ...
    def finished(self, result: SceneResult) -> None: ...
    def failed(self, request: RenderRequest) -> None: ...
    def close(self) -> None: ...


def render_requests(requests: Sequence[RenderRequest], *, workers: int | None = None,
                    force: bool = False, scheduler: str | None = None,
                    progress: Progress | None = None) -> list[SceneResult]:
    """Render ``requests`` (cached ones are skipped), longest first, with up to ``workers``
    local processes or on the Dask cluster at ``scheduler``; results keep the order of
    ``requests`` (a scene asked for twice, e.g. under two titles, is rendered once and returned
    with each). If scenes fail, the others still finish, then :class:`RenderError` names every
    failure. If the run is stopped, running workers are killed and no queued scene starts."""
    progress = progress or Progress()
    unique: dict[tuple[str, str], RenderRequest] = {}
    for r in requests:
        other = unique.setdefault((r.quality, r.name), r)
        if other.voice != r.voice:
            raise ValueError(f"{r.name} is asked for with two voices ({other.voice}, {r.voice})")
    versions = {v: tool_versions(v) for v in sorted({r.voice for r in unique.values()})}
    results: dict[tuple[str, str], SceneResult] = {}
    todo = []
    for k, r in unique.items():
        hit = None if force else cached_result(r, versions[r.voice])
        if hit is not None:
            results[k] = hit
        else:
            todo.append(r)
    expected = {r.name: _expected_seconds(r) for r in todo}
    todo.sort(key=lambda r: expected[r.name], reverse=True)       # longest first
    progress.planned(todo, expected)
    for hit in results.values():
        progress.finished(hit)
    errors: list[str] = []
    try:
        if scheduler:
            _run_dask(todo, versions, scheduler, progress, results, errors)
        else:
            _run_local(todo, versions, max(1, workers or os.cpu_count() or 1), progress, results,
                       errors)
    finally:
        progress.close()
    if errors:
        raise RenderError("\n".join(errors))
    return [replace(results[(r.quality, r.name)], entry=r.entry, request=r) for r in requests]


def render_many(entries: Sequence[SceneEntry], quality: str, voice: str,
                renders: str | Path | Renders, **options: Any) -> list[SceneResult]:
    """:func:`render_requests` for catalog entries (their parameter overrides in
    ``entry.params``), all at one quality and voice, for the renders folder ``renders``."""
    return render_requests(RenderRequest.of(entries, quality, voice, renders), **options)


def _expected_seconds(request: RenderRequest) -> float:
    try:
        return float(json.loads(request.record.read_text()).get("render_seconds", 0))
    except (OSError, ValueError, AttributeError):
        return 0.0


def _run_local(todo: list[RenderRequest], versions: dict[str, dict[str, str]], workers: int,
               progress: Progress, results: dict[tuple[str, str], SceneResult],
               errors: list[str]) -> None:
    def job(r: RenderRequest) -> SceneResult:
        progress.started(r)
        return render_one(r, versions[r.voice], force=True)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(job, r): r for r in todo}
        try:
            for fut in as_completed(futures):
                r = futures[fut]
                try:
                    results[(r.quality, r.name)] = fut.result()
                    progress.finished(results[(r.quality, r.name)])
                except RenderError as exc:
                    errors.append(str(exc))
                    progress.failed(r)
        except BaseException:       # stopped: start no queued scene, kill the running workers
            pool.shutdown(wait=False, cancel_futures=True)
            tools.stop_children()
            pool.shutdown(wait=True)
            raise


def _run_dask(todo: list[RenderRequest], versions: dict[str, dict[str, str]], scheduler: str,
              progress: Progress, results: dict[tuple[str, str], SceneResult],
              errors: list[str]) -> None:
    from distributed import as_completed as dask_completed

    client = connect(scheduler)
    futures: dict[Any, RenderRequest] = {}         # distributed.Future -> its request
    try:
        for r in todo:
            fut = client.submit(remote_render, r.to_json(), key=f"mlv-{r.name}-{r.quality}-"
                                f"{r.voice}-{time.time_ns()}", pure=False)
            futures[fut] = r
            progress.started(r)
        with client.as_current():
            for fut in dask_completed(list(futures)):
                r = futures[fut]
                try:
                    results[(r.quality, r.name)] = materialize(r, fut.result(), versions[r.voice])
                    progress.finished(results[(r.quality, r.name)])
                except RenderError as exc:
                    errors.append(str(exc))
                    progress.failed(r)
    except BaseException:          # stopped (or failed): nothing more is to run on the cluster
        client.cancel(list(futures), force=True)
        raise
    finally:
        client.close()


# ------------------------------------------------------------------------------------ stitching


def stitch_results(results: Sequence[SceneResult], out: Path, title: str,
                   renders: str | Path | Renders) -> dict[str, Any]:
    """Stitch rendered scenes into ``out`` unless ``out`` already holds exactly these scenes
    (same cache keys, titles and order, and the files its record names), in which case nothing
    is done. The record is written beside ``out`` after the video and its subtitles."""
    from mlv.scripts.stitch import Segment, stitch

    layout = renders if isinstance(renders, Renders) else Renders(Path(renders))
    segments = [Segment(r.video, r.record, r.entry.title) for r in results]
    key = hashlib.sha256(json.dumps(
        [title] + [[s.title, r.record.get("cache_key")] for s, r in zip(segments, results)]
    ).encode()).hexdigest()
    files = {ext: out.with_suffix(ext) for ext in MEDIA_FILES}
    try:
        old = json.loads(out.with_suffix(".json").read_text())
        if old.get("stitch_key") == key and matches(old, files):
            return dict(old)
    except (OSError, ValueError, AttributeError):
        pass
    record = stitch(segments, out, title=title, work_dir=layout.work, audio_root=layout.root)
    record["stitch_key"] = key
    write_json_atomic(out.with_suffix(".json"), record)     # last: it names the files' digests
    return record


def course_chapters(manifest: Path | None) -> tuple[str, list[tuple[int, str, list[SceneEntry]]]]:
    """The course's title and chapters ``(number, title, scenes)``: the manifest's, or by
    default every chapter of the catalog that has scenes."""
    if manifest is None:
        from mlv.scenes.course import COURSE_TITLE

        return (COURSE_TITLE, [(n, catalog.CHAPTERS[n], catalog.chapter(n))
                               for n in catalog.chapters_with_scenes()])
    from mlv.scripts.manifest import load_manifest

    return load_manifest(manifest)


__all__ = ["CACHE_VERSION", "Progress", "SceneResult", "WORKER_ENV", "cache_key",
           "cached_result", "connect", "course_chapters", "finish", "materialize",
           "remote_render", "render_many", "render_one", "render_requests", "request_key",
           "run_worker", "source_state", "stitch_results", "tool_versions"]
