"""Robustness of the real ``mlv`` command: runs at once, runs killed part way, full and read-only
output folders, and determinism. Every test renders title cards only (low quality, silent), into
folders of its own; the previous good outputs must survive whatever the next command does.

The numbers of cases these tests try are reported in README.md ("Reliability").
"""
import contextlib
import errno
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import av
import psutil
import pytest

pytestmark = pytest.mark.render

ROOT = Path(__file__).resolve().parents[2]
MLV_EXE = Path(sys.executable).with_name("mlv")
MLV = [str(MLV_EXE)] if MLV_EXE.exists() else [sys.executable, "-m", "mlv.scripts.cli"]

#: two chapters of one title card each (the cheapest scenes: seconds each at low quality; under
#: its catalog chapter's number and title a card renders with its default parameters)
MINI = """
title = "A robust course"
[[chapters]]
title = "Optimization"
scenes = ["chapter-1-title"]
[[chapters]]
title = "Clustering and dimensionality reduction"
scenes = ["chapter-2-title"]
"""
SCENES = ["chapter-1-title", "chapter-2-title"]

# ------------------------------------------------------------------------------------ helpers


def env_for(renders, **extra):
    return dict(os.environ, MLV_RENDERS=str(renders), **extra)


def mlv(*args, renders, timeout=300, **extra):
    return subprocess.run([*MLV, *map(str, args)], capture_output=True, text=True,
                          env=env_for(renders, **extra), timeout=timeout)


def _group_alive(pgid: int) -> bool:
    """Whether a process of group ``pgid`` still runs (zombies do not count)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def _descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def _alive(procs) -> list[psutil.Process]:
    """The processes of ``procs`` that still run (zombies and reused pids do not count)."""
    out = []
    for proc in procs:
        try:
            if proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE:
                out.append(proc)
        except psutil.NoSuchProcess:
            pass
    return out


def _workers(procs) -> list[psutil.Process]:
    """The scene workers among ``procs``."""
    out = []
    for proc in _alive(procs):
        try:
            if "mlv.scripts.worker" in proc.cmdline():
                out.append(proc)
        except psutil.NoSuchProcess:
            pass
    return out


def killed(args, renders, sig, *, after=None, when=None, extra_env=None, limit=120,
           group=True):
    """Start ``mlv ARGS`` in its own process group and send ``sig`` ``after`` seconds or once
    ``when(processes)`` is true: to the whole group (the CLI and its children, as a terminal's
    Ctrl-C does) or, with ``group=False``, to the main process alone (as ``kill PID``, a service
    manager or a CI timeout does). Every process the run started (its descendants, watched from
    the start: workers run in process groups of their own) must be gone soon after. Returns
    (returncode, stdout, stderr, when the signal was sent, in seconds from the start)."""
    p = subprocess.Popen([*MLV, *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, env=env_for(renders, **(extra_env or {})),
                         start_new_session=True)
    t0 = time.monotonic()
    run: dict[int, psutil.Process] = {}
    try:
        while p.poll() is None and time.monotonic() - t0 < limit:
            run.update((c.pid, c) for c in _descendants(p.pid))
            if (after is not None and time.monotonic() - t0 >= after) or \
                    (when and when(list(run.values()))):
                break
            time.sleep(0.02)
        assert p.poll() is None, f"mlv {args} ended before it could be killed: {p.stderr.read()}"
        run.update((c.pid, c) for c in _descendants(p.pid))
        sent = time.monotonic() - t0
        if group:
            os.killpg(p.pid, sig)
        else:
            os.kill(p.pid, sig)
        out, err = p.communicate(timeout=120)
        deadline = time.monotonic() + 60
        while (_group_alive(p.pid) or _alive(run.values())) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _group_alive(p.pid), "processes of the run's group outlived it"
        left = _alive(run.values())
        assert not left, f"processes outlived the killed run: {[q.cmdline()[:3] for q in left]}"
    finally:
        for proc in _alive(run.values()):
            with contextlib.suppress(psutil.NoSuchProcess):
                proc.kill()
        if p.poll() is None or _group_alive(p.pid):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, signal.SIGKILL)
            p.wait()
    return p.returncode, out, err, sent


def check_killed(rc, err, sig):
    if sig == signal.SIGINT:                         # Ctrl-C: one line, status 130
        assert rc == 130, err
        lines = [ln for ln in err.splitlines() if ln.strip()]
        assert lines[-1] == "mlv: aborted", err
        # before it, only what the run had reported ("chapter 1: PATH"): no traceback
        assert all(ln.startswith("chapter ") for ln in lines[:-1]), err
    else:
        assert rc == -signal.SIGKILL


def the_error(err: str) -> str:
    """The one error line of a failed run's stderr; the only other lines allowed are what the
    run reported before it failed ("chapter 1: PATH"), and never a traceback."""
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert "Traceback" not in err, err
    assert lines and lines[-1].startswith("mlv: "), err
    assert all(ln.startswith("chapter ") for ln in lines[:-1]), err
    return lines[-1]


def snapshot(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder`` (the published outputs)."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def decoded(path: Path) -> tuple[int, str]:
    """Decode every frame of ``path``: (frame count, SHA-256 of all the frames' pixels, as the
    decoder gives them: YUV planes without line padding)."""
    h = hashlib.sha256()
    n = 0
    with av.open(str(path)) as c:
        for f in c.decode(video=0):
            h.update(f.to_ndarray().tobytes())
            n += 1
    return n, h.hexdigest()


def leftovers(renders: Path) -> list[str]:
    """Temporary files and scratch a finished run must not leave: atomic_path's temps
    (``.*.part``), ``*.tmp*``, espeak's ``tmp*.wav``, lock files, stitching folders, workers'
    records, manim's partial movie files, unfinished markers, hidden folders beside outputs."""
    bad = []
    for p in renders.rglob("*"):
        n = p.name
        rel = p.relative_to(renders).as_posix()
        if (n.endswith(".part") or ".tmp" in n or n in (".lock", ".unfinished", "videos",
                                                        "partial_movie_files")
                or n.startswith("stitch-") or n.endswith(".record.json")
                or (p.parent.name == ".audio" and n.startswith("tmp"))
                or (not rel.startswith(".") and n.startswith(".") and p.is_dir())):
            bad.append(rel)
    return sorted(bad)


def assert_intact(folder: Path, before: dict[str, str], decode=()):
    """Every output of ``before`` is still there, byte for byte (so it decodes as it did when it
    was checked), and the videos ``decode`` (paths relative to ``folder``) decode again, with
    the frame count their records say."""
    after = snapshot(folder)
    changed = [k for k in before if after.get(k) != before[k]]
    assert not changed, f"outputs lost or changed: {changed}"
    for rel in decode:
        assert decoded(folder / rel)[0] == \
            json.loads((folder / rel).with_suffix(".json").read_text())["frames"], rel


def mtimes(folder: Path, names) -> dict[str, tuple[int, int]]:
    return {n: ((folder / n).stat().st_ino, (folder / n).stat().st_mtime_ns) for n in names}


# ------------------------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def manifest(tmp_path_factory):
    path = tmp_path_factory.mktemp("manifest") / "mini.toml"
    path.write_text(MINI)
    return path


@pytest.fixture(scope="module")
def course_a(tmp_path_factory, manifest):
    """The mini course rendered once, cold, with two workers: the good outputs every later
    test must keep."""
    renders = tmp_path_factory.mktemp("a") / "renders"
    out = mlv("course", manifest, "--voice", "none", "-j", "2", renders=renders)
    assert out.returncode == 0, out.stderr[-3000:]
    assert Path(out.stdout.strip().splitlines()[-1]) == renders / "low" / "mini" / "course.mp4"
    assert leftovers(renders) == []
    for video in (renders / "low").rglob("*.mp4"):          # every output decodes, whole
        assert decoded(video)[0] == json.loads(video.with_suffix(".json").read_text())["frames"]
    return renders


# --------------------------------------------------------------------------------- concurrency


def test_two_runs_at_once_wait_for_each_other(tmp_path):
    renders = tmp_path / "renders"
    args = [*MLV, "render", "chapter-1-title", "--voice", "none"]
    procs = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=env_for(renders)) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    waited = [(p, err) for p, (_, err) in zip(procs, outs) if "waiting for another" in err]
    assert len(waited) == 1, outs                     # one ran, the other waited for it
    waiter, err = waited[0]
    holder = next(p for p in procs if p is not waiter)
    assert err.strip().splitlines() == [f"mlv: waiting for another mlv run (pid {holder.pid}) "
                                        f"to finish with {renders}"]
    paths = {Path(out.strip()) for out, _ in outs}
    assert paths == {renders / "low" / "scenes" / "chapter-1-title.mp4"}
    video = paths.pop()
    record = json.loads(video.with_suffix(".json").read_text())      # parses
    assert decoded(video)[0] == record["frames"]
    assert record["files"][".mp4"] == hashlib.sha256(video.read_bytes()).hexdigest()
    assert leftovers(renders) == []


# ------------------------------------------------------------------------------- interruptions


@pytest.mark.parametrize("sig, after", [(signal.SIGINT, 1), (signal.SIGKILL, 3),
                                        (signal.SIGINT, 5)])
def test_a_killed_render_keeps_the_last_good_video(course_a, sig, after):
    before = snapshot(course_a / "low")
    rc, _, err, _ = killed(["render", "chapter-1-title", "--voice", "none", "--force"], course_a,
                           sig, after=after)
    check_killed(rc, err, sig)
    scene = "scenes/chapter-1-title"
    if snapshot(course_a / "low").get(f"{scene}.mp4") != before[f"{scene}.mp4"]:
        # published just before the kill: a complete new video, whose record may not be there
        before = {k: v for k, v in before.items() if not k.startswith(scene)}
    assert_intact(course_a / "low", before, decode=[f"{scene}.mp4"])
    # the next run resumes: from the cache when the kill came before the new video was published
    video = course_a / "low" / f"{scene}.mp4"
    old = mtimes(video.parent, [video.name])
    out = mlv("render", "chapter-1-title", "--voice", "none", renders=course_a)
    assert out.returncode == 0, out.stderr[-2000:]
    if scene + ".mp4" in before:
        assert mtimes(video.parent, [video.name]) == old          # not rendered again
    assert leftovers(course_a) == []


def test_a_killed_course_keeps_the_last_good_outputs(course_a, manifest):
    before = snapshot(course_a / "low")
    rc, _, err, _ = killed(["course", manifest, "--voice", "none", "--force", "-j", "2"],
                           course_a, signal.SIGINT, after=3)
    check_killed(rc, err, signal.SIGINT)
    assert_intact(course_a / "low", before, decode=["mini/course.mp4"])
    out = mlv("course", manifest, "--voice", "none", renders=course_a)
    assert out.returncode == 0, out.stderr[-2000:]
    assert snapshot(course_a / "low") == before                  # all from the cache
    assert leftovers(course_a) == []


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_a_chapter_render_stopped_by_kill_ends_every_process_and_changes_nothing(
        course_a, tmp_path, sig):
    """``kill PID`` (SIGTERM: a service manager, a container stop, a CI timeout) or a hang-up
    sent to the main ``mlv`` process alone, while two workers render: it stops as Ctrl-C does.
    No process of the run is left, no queued scene starts, nothing is published or half-written,
    no temporary file is left, and the exit status is 128 + the signal's number."""
    renders = tmp_path / "renders"
    shutil.copytree(course_a, renders)             # chapter-1-title is there: a cache hit
    before = snapshot(renders / "low")
    running: set[str] = set()

    def two_workers_rendering(procs) -> bool:
        ws = _workers(procs)
        if len(ws) < 2 or any(time.time() - w.create_time() < 3 for w in ws):
            return False
        with contextlib.suppress(psutil.NoSuchProcess):     # which scenes they render
            running.update(json.loads(next(a for a in w.cmdline() if a.startswith("{")))
                           ["entry"]["id"] for w in ws)
        return True

    rc, _, err, _ = killed(["chapter", "1", "--voice", "none", "-j", "2"], renders, sig,
                           when=two_workers_rendering, group=False)
    assert rc == 128 + sig, err
    assert the_error(err) == f"mlv: aborted ({sig.name})"
    assert len(running) == 2, running
    time.sleep(2)                                   # nothing goes on writing after the exit
    assert snapshot(renders / "low") == before      # nothing published, nothing changed
    assert leftovers(renders) == []                 # the run swept its scratch and temporaries
    assert not list((renders / ".work" / "low").glob("*/.unfinished"))
    started = {p.stem for p in (renders / ".work" / "low").glob("*.log")}
    assert started - {"chapter-1-title", "chapter-2-title"} == running   # no queued scene began


SLOW_FFMPEG = """#!/bin/sh
# ffmpeg, but a concatenation (a stitch) first marks that it started, then takes 5 s
case " $* " in *" concat "*) touch "$MLV_TEST_MARK"; sleep 5;; esac
exec {ffmpeg} "$@"
"""


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_a_run_killed_while_stitching_keeps_the_last_good_course(course_a, manifest, tmp_path,
                                                                  sig):
    """The scenes and chapters are cached; a new course title makes the next run stitch the
    course again, and it is killed in the middle of that stitch."""
    renamed = _renamed_manifest(tmp_path)
    wrap = tmp_path / "bin"
    wrap.mkdir()
    (wrap / "ffmpeg").write_text(SLOW_FFMPEG.format(ffmpeg=shutil.which("ffmpeg")))
    (wrap / "ffmpeg").chmod(0o755)
    mark = tmp_path / "stitching"
    scenes_before = mtimes(course_a / "low" / "scenes", [f"{s}.mp4" for s in SCENES])
    before = snapshot(course_a / "low")
    rc, _, err, _ = killed(["course", renamed, "--voice", "none"], course_a, sig,
                              when=lambda _: mark.exists(), extra_env={
                                  "PATH": f"{wrap}:{os.environ['PATH']}",
                                  "MLV_TEST_MARK": str(mark)})
    assert mark.exists()                                   # killed while ffmpeg was stitching
    check_killed(rc, err, sig)
    assert_intact(course_a / "low", before, decode=["mini/course.mp4"])
    out = mlv("course", renamed, "--voice", "none", renders=course_a)
    assert out.returncode == 0, out.stderr[-2000:]
    course = course_a / "low" / "mini" / "course.mp4"
    assert json.loads(course.with_suffix(".json").read_text())["title"] == "A sturdy course"
    assert decoded(course)[0] == sum(decoded(course_a / "low" / "scenes" / f"{s}.mp4")[0]
                                     for s in SCENES)
    assert mtimes(course_a / "low" / "scenes", [f"{s}.mp4" for s in SCENES]) == scenes_before
    assert leftovers(course_a) == []
    # and back to the original titles, for the other tests
    assert mlv("course", manifest, "--voice", "none", renders=course_a).returncode == 0


@pytest.fixture(scope="module")
def course_b(tmp_path_factory, manifest):
    """The same course rendered cold into a second folder, killed at several points on the way
    (Ctrl-C and SIGKILL, by time and once a first scene is done), then resumed. Returns the
    renders folder and what the test saw."""
    renders = tmp_path_factory.mktemp("b") / "renders"
    args = ["course", manifest, "--voice", "none", "-j", "1"]
    seen = {"kills": []}
    for sig, after in [(signal.SIGINT, 1), (signal.SIGKILL, 3), (signal.SIGINT, 6)]:
        rc, _, err, sent = killed(args, renders, sig, after=after)
        check_killed(rc, err, sig)
        seen["kills"].append((sig.name, round(sent, 2)))
    scenes = renders / "low" / "scenes"
    done = lambda: list(scenes.glob("*.json")) if scenes.exists() else []      # noqa: E731
    first_done = {p.name for p in done()}
    rc, _, err, sent = killed(args, renders, signal.SIGKILL,
                              when=lambda _: len(done()) > len(first_done))
    check_killed(rc, err, signal.SIGKILL)
    seen["kills"].append(("SIGKILL after a scene", round(sent, 2)))
    finished = sorted(p.with_suffix(".mp4").name for p in done())
    assert finished, "no scene was finished before the last kill"
    seen["finished"] = finished
    seen["finished_stat"] = mtimes(scenes, finished)
    seen["leftovers_after_kills"] = leftovers(renders)
    out = mlv("course", manifest, "--voice", "none", "-j", "2", renders=renders)
    seen["resume"] = out
    return renders, seen


def test_a_killed_course_resumes_from_the_cache(course_b):
    renders, seen = course_b
    assert seen["resume"].returncode == 0, seen["resume"].stderr[-3000:]
    assert seen["leftovers_after_kills"]                 # the kills did leave litter ...
    assert leftovers(renders) == []                      # ... which the next run swept
    scenes = renders / "low" / "scenes"
    # scenes finished before the kill were not rendered again
    assert mtimes(scenes, seen["finished"]) == seen["finished_stat"]
    for s in SCENES:
        rec = json.loads((scenes / f"{s}.json").read_text())
        assert decoded(scenes / f"{s}.mp4")[0] == rec["frames"]
    course = renders / "low" / "mini" / "course.mp4"
    assert decoded(course)[0] == sum(json.loads((scenes / f"{s}.json").read_text())["frames"]
                                     for s in SCENES)


# --------------------------------------------------------------------------------- determinism


def test_rendering_twice_gives_the_same_numbers_and_frames(course_a, course_b):
    """Two cold renders of every scene, in two renders folders (one of them interrupted four
    times on the way): the same timelines and numbers in the records, the same decoded frames."""
    renders_b, _ = course_b
    for s in SCENES:
        a = json.loads((course_a / "low" / "scenes" / f"{s}.json").read_text())
        b = json.loads((renders_b / "low" / "scenes" / f"{s}.json").read_text())
        for field in ("timeline", "numbers", "frames", "duration", "width", "height", "fps",
                      "cache_key", "deps"):
            assert a.get(field) == b.get(field), (s, field)
        assert decoded(course_a / "low" / "scenes" / f"{s}.mp4") == \
            decoded(renders_b / "low" / "scenes" / f"{s}.mp4"), s
    assert decoded(course_a / "low" / "mini" / "course.mp4") == \
        decoded(renders_b / "low" / "mini" / "course.mp4")


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="needs two CPUs to take one away")
def test_a_scene_encodes_to_the_same_frames_on_one_cpu_as_on_all(course_a, tmp_path):
    """What made the Dask test flaky: by default libx264 cuts every frame into one slice per
    CPU the encoding process may use, and the decoded picture depends on the slicing, so a
    worker that saw another number of CPUs (a cluster node, a container, a cgroup) rendered
    other frames. The same scene rendered on one CPU decodes to the frames of course_a's."""
    renders = tmp_path / "renders"
    one = min(os.sched_getaffinity(0))
    out = subprocess.run([*MLV, "render", "chapter-1-title", "--voice", "none"],
                         capture_output=True, text=True, env=env_for(renders), timeout=600,
                         preexec_fn=lambda: os.sched_setaffinity(0, {one}))
    assert out.returncode == 0, out.stderr[-2000:]
    scene = "scenes/chapter-1-title.mp4"
    assert decoded(renders / "low" / scene) == decoded(course_a / "low" / scene)


# ------------------------------------------------------------------- full or read-only folders


def _renamed_manifest(tmp_path):
    """The mini course under a new course title: the same file name (so the same output
    folder), the same scenes and chapters; only course.mp4 is to be stitched again."""
    path = tmp_path / "m" / "mini.toml"
    path.parent.mkdir()
    path.write_text(MINI.replace('title = "A robust course"', 'title = "A sturdy course"'))
    return path


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS])
def test_a_full_or_read_only_disk_at_publish_is_one_line_and_loses_nothing(
        course_a, tmp_path, monkeypatch, capsys, code):
    """Fault injection, in process: the real CLI, with the rename that publishes the re-stitched
    chapter failing as a full (or read-only) disk makes it fail."""
    from mlv.scripts import cli

    renders = tmp_path / "renders"
    shutil.copytree(course_a, renders)
    before = snapshot(renders / "low")
    target = renders / "low" / "mini" / "course.mp4"
    real_replace = os.replace

    def replace(src, dst, *a, **kw):
        if Path(dst) == target:
            raise OSError(code, os.strerror(code))
        return real_replace(src, dst, *a, **kw)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setenv("MLV_RENDERS", str(renders))
    with pytest.raises(SystemExit) as info:
        cli.main(["course", str(_renamed_manifest(tmp_path)), "--voice", "none"])
    err = capsys.readouterr().err
    assert info.value.code == 2
    assert the_error(err) == f"mlv: error: cannot write {target}: {os.strerror(code)}"
    assert_intact(renders / "low", before)
    assert leftovers(renders) == []


def _can_mount() -> bool:
    if shutil.which("unshare") is None or os.geteuid() != 0:
        return False
    probe = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c",
                            "mount -t tmpfs -o size=1m tmpfs /mnt"], capture_output=True)
    return probe.returncode == 0


REAL_FS = r"""
set -e
mount -t tmpfs -o size={size}k tmpfs "$MNT"
cp -a "$SRC" "$MNT/renders"
cd "$MNT/renders/low" && find . -type f | sort | xargs sha256sum > "$OUT/before"
{make_it_fail}
set +e
MLV_RENDERS="$MNT/renders" "$@" > "$OUT/stdout" 2> "$OUT/stderr"
echo $? > "$OUT/rc"
cd "$MNT/renders/low" && find . -type f | sort | xargs sha256sum > "$OUT/after"
cd "$MNT/renders" && find . -name '*.part' -o -name '*.tmp*' -o -name '.lock' \
    -o -name 'stitch-*' > "$OUT/litter"
"""


@pytest.mark.parametrize("condition", ["read-only", "full"])
def test_a_real_read_only_or_full_folder_is_one_line_and_loses_nothing(
        course_a, tmp_path, condition):
    """A real condition: a tmpfs mounted read-only, or filled up, in a private mount namespace
    (as root, where chmod stops nothing). Where mounting is not possible, the fault-injection
    test above is what runs; as a user, the folder is made read-only with chmod."""
    if os.geteuid() != 0:
        if condition == "full":
            pytest.skip("filling a disk needs a private tmpfs (root)")
        renders = tmp_path / "renders"
        shutil.copytree(course_a, renders)
        before = snapshot(renders / "low")
        for p in [renders, *renders.rglob("*")]:
            if p.is_dir():
                p.chmod(0o555)
        try:
            out = mlv("course", _renamed_manifest(tmp_path), "--voice", "none", renders=renders)
        finally:
            for p in [renders, *renders.rglob("*")]:
                if p.is_dir():
                    p.chmod(0o755)
        assert out.returncode in (1, 2), out.stderr
        assert "Permission denied" in the_error(out.stderr)
        assert_intact(renders / "low", before)
        return
    if not _can_mount():
        pytest.skip("cannot mount a tmpfs in a private mount namespace here")
    size_kb = sum(p.stat().st_size for p in course_a.rglob("*") if p.is_file()) // 1024 + 2048
    make_it_fail = ('mount -o remount,ro "$MNT"' if condition == "read-only" else
                    'dd if=/dev/zero of="$MNT/filler" bs=64k 2>/dev/null || true')
    mnt, out_dir = tmp_path / "mnt", tmp_path / "out"
    mnt.mkdir()
    out_dir.mkdir()
    script = REAL_FS.format(size=size_kb, make_it_fail=make_it_fail)
    done = subprocess.run(
        ["unshare", "-m", "--propagation", "private", "bash", "-c", script, "real-fs",
         *MLV, "course", str(_renamed_manifest(tmp_path)), "--voice", "none"],
        env=dict(os.environ, MNT=str(mnt), SRC=str(course_a), OUT=str(out_dir)),
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    rc = int((out_dir / "rc").read_text())
    err = (out_dir / "stderr").read_text()
    reason = "Read-only file system" if condition == "read-only" else "No space left on device"
    assert rc in (1, 2), err
    assert reason in the_error(err)
    assert (out_dir / "after").read_text() == (out_dir / "before").read_text()   # intact
    assert (out_dir / "litter").read_text() == ""
