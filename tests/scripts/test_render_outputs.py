"""Render chapter 1 once (low quality, espeak voice) and check the files by decoding them."""
import json
import os
import re
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from mlv.scenes import catalog, style

pytestmark = pytest.mark.render


def mlv(*args, renders):
    env = dict(os.environ, MLV_RENDERS=str(renders))
    return subprocess.run([sys.executable, "-m", "mlv.scripts.cli", *args], capture_output=True,
                          text=True, env=env)


@pytest.fixture(scope="module")
def chapter1(tmp_path_factory):
    renders = tmp_path_factory.mktemp("renders")
    out = mlv("chapter", "1", "--voice", "espeak", "--workers", "2", renders=renders)
    assert out.returncode == 0, out.stderr[-3000:]
    path = Path(out.stdout.strip().splitlines()[-1])
    assert path == renders / "low" / "chapter1.mp4"
    return renders, path


def parse_cues(path):
    """``(start, end, text)`` of every cue of an .srt file."""
    def seconds(stamp):
        h, m, sec = stamp.replace(",", ".").split(":")
        return int(h) * 3600 + int(m) * 60 + float(sec)

    out = []
    for block in Path(path).read_text(encoding="utf-8").strip().split("\n\n"):
        lines = block.split("\n")
        assert lines[0] == str(len(out) + 1)
        a, b = lines[1].split(" --> ")
        out.append((seconds(a), seconds(b), "\n".join(lines[2:])))
    return out


def assert_cues_split_the_beats(cues, beats):
    """Short cues (two lines of at most 42 characters, at most 20 characters a second), in
    order, none overlapping, each inside its beat ``(start, end, text)``, the beats' text whole
    and in order."""
    for (a, b, _), (c, _, _) in zip(cues, cues[1:]):
        assert a < b <= c
    it = iter(cues)
    for start, end, text in beats:
        words = []
        while words != text.split():
            a, b, cue = next(it)
            assert start - 2e-3 <= a < b <= end + 2e-3, (cue, start, end)
            lines = cue.split("\n")
            assert len(lines) <= 2 and all(len(ln) <= 42 for ln in lines), cue
            assert len(cue) / (b - a) <= 20.5, cue
            words += cue.split()
            assert text.split()[: len(words)] == words, cue
    assert next(it, None) is None


def scene_beats(record, offset=0.0):
    return [(b["start"] + offset, b["end"] + offset, b["text"])
            for b in record["timeline"]["beats"]]


def video_facts(path):
    with av.open(str(path)) as c:
        v = c.streams.video[0]
        frames = sum(1 for _ in c.demux(v) if _.size)   # packets of the video stream
        fps = Fraction(v.average_rate)
        audio = [float(a.duration * a.time_base) for a in c.streams.audio if a.duration]
        return {"width": v.codec_context.width, "height": v.codec_context.height,
                "frames": frames, "fps": fps, "duration": float(frames / fps), "audio": audio,
                "subtitles": len(c.streams.subtitles)}


def sample_frames(path, k=8):
    with av.open(str(path)) as c:
        frames = [f.to_ndarray(format="rgb24") for f in c.decode(video=0)]
    idx = np.linspace(0, len(frames) - 1, k).astype(int)
    return [frames[i] for i in idx]


def drawn_fraction(frame):
    bg = np.array(style.BACKGROUND.to_rgb()) * 255
    return np.any(np.abs(frame.astype(float) - bg) > 40, axis=-1).mean()


def test_training_scene_video(chapter1):
    renders, _ = chapter1
    video = renders / "low" / "scenes" / "linear-regression-training.mp4"
    facts = video_facts(video)
    assert (facts["width"], facts["height"]) == (854, 480)
    assert facts["fps"] == 15
    assert facts["duration"] > 20
    for frame in sample_frames(video):
        assert drawn_fraction(frame) > 0.01           # not blank
    # the narration track lasts as long as the picture
    assert facts["audio"] and abs(facts["audio"][0] - facts["duration"]) < 0.05


def test_every_scene_of_the_chapter_decodes_is_not_blank_and_lasts_its_range(chapter1):
    renders, _ = chapter1
    for e in catalog.chapter(1):
        video = renders / "low" / "scenes" / f"{e.id}.mp4"
        facts = video_facts(video)
        lo, hi = catalog.EXPECTED_SECONDS[e.kind]
        assert lo <= facts["duration"] <= hi, (e.id, facts["duration"])
        frames = sample_frames(video, k=5)
        assert sum(drawn_fraction(f) > 0.01 for f in frames) >= 4, e.id     # not blank


def test_subtitles_are_short_cues_inside_their_beats_in_order(chapter1):
    renders, _ = chapter1
    scene = renders / "low" / "scenes" / "linear-regression-training"
    for ext in ("srt", "vtt"):
        assert scene.with_suffix(f".{ext}").exists()
    record = json.loads(scene.with_suffix(".json").read_text())
    beats = scene_beats(record)
    assert [t for _, _, t in beats] == \
        [b.written for b in catalog.script("linear-regression-training").narration]
    cues = parse_cues(scene.with_suffix(".srt"))
    assert len(cues) > len(beats)                       # long beats are cut into several cues
    assert_cues_split_the_beats(cues, beats)
    vtt = scene.with_suffix(".vtt").read_text()
    assert vtt.count(" --> ") == len(cues) and all(t in vtt for _, _, t in cues)


def test_chapter_is_the_sum_of_its_scenes(chapter1):
    renders, path = chapter1
    entries = catalog.chapter(1)
    scenes = [video_facts(renders / "low" / "scenes" / f"{e.id}.mp4") for e in entries]
    chapter = video_facts(path)
    one_frame = 1 / 15
    assert abs(chapter["duration"] - sum(s["duration"] for s in scenes)) < one_frame
    assert chapter["frames"] == sum(s["frames"] for s in scenes)   # stream copy: no frame lost
    assert chapter["subtitles"] == 1
    assert chapter["audio"] and abs(chapter["audio"][0] - chapter["duration"]) < 0.05


def test_chapter_markers_one_per_scene(chapter1):
    _, path = chapter1
    out = subprocess.run(["ffprobe", "-v", "error", "-show_chapters", "-of", "json", str(path)],
                         capture_output=True, text=True, check=True)
    chapters = json.loads(out.stdout)["chapters"]
    entries = catalog.chapter(1)
    assert [c["tags"]["title"] for c in chapters] == [e.title for e in entries]
    starts = [float(c["start_time"]) for c in chapters]
    assert starts[0] == 0 and starts == sorted(starts)


def test_chapter_subtitles_cover_every_beat(chapter1):
    renders, path = chapter1
    record = json.loads(path.with_suffix(".json").read_text())
    beats = []
    for e, marker in zip(catalog.chapter(1), record["chapters"], strict=True):
        scene = json.loads((renders / "low" / "scenes" / f"{e.id}.json").read_text())
        beats += scene_beats(scene, marker["start"])
    assert len(beats) == sum(len(catalog.script(e).narration) for e in catalog.chapter(1))
    cues = parse_cues(path.with_suffix(".srt"))
    assert_cues_split_the_beats(cues, beats)
    assert record["cues"] == len(cues)
    assert path.with_suffix(".vtt").read_text().startswith("WEBVTT")


def test_chapter_narration_is_mastered(chapter1):
    """-16 LUFS integrated (+-1), true peak at most -1 dBTP, as ffmpeg's ebur128 measures the
    decoded chapter, and no clipped sample."""
    _, path = chapter1
    out = subprocess.run(["ffmpeg", "-nostats", "-hide_banner", "-i", str(path), "-map", "0:a",
                          "-af", "ebur128=peak=true:framelog=verbose", "-f", "null", "-"],
                         capture_output=True, text=True, check=True).stderr
    summary = out[out.rindex("Summary:"):]
    loudness = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary)[1])
    peak = float(re.search(r"True peak:\s+Peak:\s+(-?[\d.]+) dBFS", summary)[1])
    assert abs(loudness + 16) <= 1 and peak <= -1, (loudness, peak)
    with av.open(str(path)) as c:
        samples = np.concatenate([f.to_ndarray().ravel() for f in c.decode(audio=0)])
    assert np.count_nonzero(np.abs(samples) >= 1.0) == 0


def test_no_partial_files_left(chapter1):
    renders, _ = chapter1
    leftovers = [p for p in renders.rglob("*") if p.suffix in (".part", ".tmp")]
    assert leftovers == []


def test_second_run_is_served_from_the_cache(chapter1):
    renders, path = chapter1
    scene = renders / "low" / "scenes" / "linear-regression-mse.mp4"
    before = scene.stat().st_mtime_ns
    out = mlv("render", "linear-regression-mse", "--voice", "espeak", renders=renders)
    assert out.returncode == 0, out.stderr
    assert scene.stat().st_mtime_ns == before


def test_silent_voice_render_has_no_audio_but_has_subtitles(chapter1):
    renders, _ = chapter1
    out = mlv("render", "chapter-1-title", "--voice", "none", renders=renders)
    assert out.returncode == 0, out.stderr
    video = Path(out.stdout.strip())
    facts = video_facts(video)
    assert facts["audio"] == []
    record = json.loads(video.with_suffix(".json").read_text())
    assert record["voice"] == "none"
    beats = scene_beats(record)
    assert len(beats) == len(catalog.script("chapter-1-title").narration)
    assert_cues_split_the_beats(parse_cues(video.with_suffix(".srt")), beats)


def test_cache_key_covers_every_project_module_the_scene_imports(chapter1):
    renders, _ = chapter1
    rec = json.loads((renders / "low" / "scenes" / "linear-regression-mse.json").read_text())
    for dep in ("scenes/chapter1/linear_regression_mse.py", "scenes/lesson.py", "scenes/style.py",
                "scenes/components/derivation.py", "algorithms/linear_regression.py",
                "algorithms/lessons.py", "derivations/mse.py", "derivations/steps.py"):
        assert dep in rec["deps"]
    from mlv.scripts import pipeline

    entry = catalog.by_id("linear-regression-mse")
    versions = rec["versions"]
    key = pipeline.cache_key(entry, "low", "espeak", rec["deps"], versions)
    assert key == rec["cache_key"]
    assert pipeline.cache_key(entry, "low", "none", rec["deps"], versions) != key
    assert pipeline.cache_key(entry, "medium", "espeak", rec["deps"], versions) != key
    assert pipeline.cache_key(entry, "low", "espeak", rec["deps"],
                              dict(versions, manim="0.0.0")) != key


MINI_COURSE = """
title = "A short course"
[[chapters]]
title = "Optimization"
scenes = ["chapter-1-title", "linear-regression-mse"]
[[chapters]]
title = "Unsupervised learning"
scenes = ["chapter-2-title", "chapter-2-recap"]
"""


@pytest.fixture(scope="module")
def mini_course(chapter1, tmp_path_factory):
    """A two-chapter course rendered locally into chapter 1's renders (its chapter-1 scenes come
    from the cache; the course machinery is the same for the four-chapter course, which
    tools/course.sh renders)."""
    renders, _ = chapter1
    manifest = tmp_path_factory.mktemp("manifest") / "mini.toml"
    manifest.write_text(MINI_COURSE)
    out = mlv("course", str(manifest), "--voice", "espeak", renders=renders)
    assert out.returncode == 0, out.stderr[-2000:]
    course = Path(out.stdout.strip().splitlines()[-1])
    assert course == renders / "low" / "mini" / "course.mp4"
    return manifest, course


def test_course_stitches_every_chapter(mini_course):
    manifest, course = mini_course
    from mlv.scripts.pipeline import course_chapters

    _, chapters = course_chapters(manifest)
    chapter_videos = [course.parent / f"chapter{n}.mp4" for n, _, _ in chapters]
    facts = video_facts(course)
    assert facts["frames"] == sum(video_facts(v)["frames"] for v in chapter_videos)
    assert facts["audio"] and abs(facts["audio"][0] - facts["duration"]) < 0.05
    assert course.with_suffix(".srt").exists()
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_chapters", "-of", "json",
                            str(course)], capture_output=True, text=True, check=True)
    markers = json.loads(probe.stdout)["chapters"]
    assert [m["tags"]["title"] for m in markers] == [
        f"{n}. {e.title}" for n, _, es in chapters for e in es]


def test_a_title_card_shows_the_manifests_chapter(mini_course):
    manifest, course = mini_course
    renders = course.parents[2]
    card = renders / "low" / "scenes"
    (srt,) = list(card.glob("chapter-2-title--*.srt"))
    assert srt.read_text().split("\n\n")[0].splitlines()[2].startswith(
        "Chapter 2: Unsupervised learning.")
    rec = json.loads(srt.with_suffix(".json").read_text())
    assert rec["params"] == {"number": 2, "title": "Unsupervised learning"}
    assert rec["title"] == "Chapter 2: Unsupervised learning"


def test_the_default_course_is_every_chapter_of_the_catalog():
    from mlv.scripts.pipeline import course_chapters

    _, chapters = course_chapters(None)
    assert [[e.id for e in es] for _, _, es in chapters] == [
        [e.id for e in catalog.chapter(n)] for n in catalog.chapters_with_scenes()]


def frames_digest(path):
    import hashlib

    h = hashlib.sha256()
    with av.open(str(path)) as c:
        for f in c.decode(video=0):
            h.update(f.to_ndarray(format="rgb24").tobytes())
    return h.hexdigest()


def test_dask_cluster_renders_the_same_frames(mini_course, tmp_path):
    from distributed import LocalCluster

    manifest, local = mini_course
    remote_renders = tmp_path / "dask-renders"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        out = mlv("course", str(manifest), "--voice", "espeak", "--scheduler",
                  cluster.scheduler_address, renders=remote_renders)
    assert out.returncode == 0, out.stderr[-3000:]
    remote = Path(out.stdout.strip().splitlines()[-1])
    assert remote == remote_renders / "low" / "mini" / "course.mp4"
    here = local.parents[1] / "scenes"
    for video in sorted((remote_renders / "low" / "scenes").glob("*.mp4")):   # scene by scene
        assert frames_digest(video) == frames_digest(here / video.name), video.name
        assert json.loads(video.with_suffix(".json").read_text())["timeline"] == \
            json.loads((here / video.name).with_suffix(".json").read_text())["timeline"]
    assert frames_digest(remote) == frames_digest(local)
    assert video_facts(remote)["audio"]                 # narration WAVs came back with the files


def test_a_moved_renders_folder_still_stitches_from_its_cache(chapter1, tmp_path):
    import shutil

    renders, _ = chapter1
    moved = tmp_path / "moved"
    shutil.copytree(renders, moved)
    (moved / "low" / "chapter1.json").unlink()          # force a new stitch from cached scenes
    out = mlv("chapter", "1", "--voice", "espeak", renders=moved)
    assert out.returncode == 0, out.stderr[-2000:]
    facts = video_facts(moved / "low" / "chapter1.mp4")
    assert facts["audio"] and abs(facts["audio"][0] - facts["duration"]) < 0.05


def test_slides_one_per_beat_cut_exactly_from_the_cached_scenes(chapter1):
    import html

    renders, chapter = chapter1
    before = {p: p.stat().st_mtime_ns for p in (renders / "low" / "scenes").glob("*.mp4")}
    out = mlv("slides", "1", "--voice", "espeak", renders=renders)
    assert out.returncode == 0, out.stderr[-2000:]
    index = Path(out.stdout.strip().splitlines()[-1])
    assert index == renders / "low" / "slides" / "chapter1" / "index.html"
    after = {p: p.stat().st_mtime_ns for p in (renders / "low" / "scenes").glob("*.mp4")}
    assert after == before                                  # served from the render cache
    page = index.read_text()
    videos = re.findall(r'data-background-video="([^"]+)"', page)
    notes = [html.unescape(n).strip() for n in
             re.findall(r'<aside class="notes" data-markdown>(.*?)</aside>', page, re.S)]
    beats = [b for e in catalog.chapter(1) for b in catalog.script(e).narration]
    assert len(videos) == len(beats) == len(notes)
    assert notes == [b.written for b in beats]              # the narration is the speaker notes
    clips = [index.parent / v for v in videos]
    counts = [video_facts(c)["frames"] for c in clips]
    assert sum(counts) == video_facts(chapter)["frames"]    # the clips tile the chapter exactly
    assert all(n > 0 for n in counts)
    # each clip starts on its beat's first frame: wherever the picture changes across a beat
    # boundary, the clip's first frame is the chapter's frame there, not the one before
    starts = np.cumsum([0] + counts[:-1])
    wanted = {int(i) for a in starts[1:] for i in (a - 1, a)}
    with av.open(str(chapter)) as c:
        src = {i: f.to_ndarray(format="rgb24").astype(int)
               for i, f in enumerate(c.decode(video=0)) if i in wanted}
    checked = 0
    for clip, a in zip(clips[1:], starts[1:]):
        if np.abs(src[a] - src[a - 1]).mean() < 1.0:
            continue                                        # no change there to tell them apart
        with av.open(str(clip)) as c:
            first = next(c.decode(video=0)).to_ndarray(format="rgb24").astype(int)
        assert np.abs(first - src[a]).mean() < np.abs(first - src[a - 1]).mean(), clip.name
        checked += 1
    assert checked >= 3


def test_every_scene_has_a_record_to_reproduce_it(chapter1):
    import hashlib

    from mlv.scripts.worker import PROJECT_ROOT

    renders, _ = chapter1
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=PROJECT_ROOT, capture_output=True,
                          text=True).stdout.strip()
    for e in catalog.chapter(1):
        rec = json.loads((renders / "low" / "scenes" / f"{e.id}.json").read_text())
        assert rec["quality"] == "low" and rec["voice"] == "espeak"
        assert set(rec["versions"]) >= {"manim", "numpy", "sympy", "ffmpeg", "espeak-ng"}
        src = rec["source"]
        assert src["commit"] == (head or None)
        assert e.path in src["files"] and "algorithms/trajectory.py" in src["files"] or \
            e.kind != "lesson"
        for rel, digest in src["files"].items():
            assert hashlib.sha256((PROJECT_ROOT / rel).read_bytes()).hexdigest()[:16] == digest


def pdf_words(path):
    """The PDF's text with ligatures and typographic quotes undone and every space removed
    (lines may break anywhere), for ``in`` tests against :func:`squash` ed strings."""
    import pypdf

    return squash("".join(page.extract_text() for page in pypdf.PdfReader(str(path)).pages))


def squash(text):
    import unicodedata

    text = unicodedata.normalize("NFKC", text)
    for a, b in (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"')):
        text = text.replace(a, b)
    return re.sub(r"\s+", "", text)


def test_notes_pdf_has_every_title_derivation_beat_number_and_frames(chapter1):
    import pypdf

    from mlv.scenes import mathtext
    from mlv.scripts import notes

    renders, _ = chapter1
    scenes = renders / "low" / "scenes"
    before = {p: p.stat().st_mtime_ns for p in scenes.glob("*.mp4")}
    out = mlv("notes", "1", "--voice", "espeak", renders=renders)
    assert out.returncode == 0, out.stderr[-2000:]
    pdf = Path(out.stdout.strip().splitlines()[-1])
    assert pdf == renders / "low" / "notes" / "chapter1.pdf"
    assert {p: p.stat().st_mtime_ns for p in scenes.glob("*.mp4")} == before   # from the cache
    text = pdf_words(pdf)
    assert squash("Chapter 1: Optimization") in text
    lessons = results = numbers = 0
    for e in catalog.chapter(1):
        rec = json.loads((scenes / f"{e.id}.json").read_text())
        if e.kind != "title":
            assert squash(e.title) in text, e.title
        for beat in rec["timeline"]["beats"]:                  # the narration, all of it:
            for is_math, piece in mathtext.segments(beat["source"]):   # its prose read back
                if not is_math and len(piece.strip(" ,.:;")) > 3:   # (its math is typeset)
                    assert squash(piece.strip()) in text, (e.id, beat["key"], piece)
        for label, value in rec.get("numbers", {}).items():    # the table of final numbers
            assert squash(f"{label} {notes.format_number(value)}") in text, (e.id, label)
            numbers += 1
        if e.kind == "lesson":
            lessons += 1
            for d in notes.lesson_derivations(e):
                assert squash(f"Result ({d.id}):") in text, d.id
                results += 1
    assert lessons == 4 and numbers >= 3 * lessons
    assert "Piecewise(" not in text and "**" not in text      # typeset, never SymPy's str
    assert results == 14          # gradient descent 3, MSE 2, optimizers 9; training shows none
    reader = pypdf.PdfReader(str(pdf))
    frames = sum(len(page.images) for page in reader.pages)
    assert 2 * lessons <= frames <= 3 * lessons                # 2-3 key frames per lesson
    assert not list((renders / ".work" / "notes" / "low").glob("chapter1-*"))   # cleaned up
    # a second run renders nothing and writes the same bytes (no dates in the PDF)
    first = pdf.read_bytes()
    again = mlv("notes", "1", "--voice", "espeak", renders=renders)
    assert again.returncode == 0, again.stderr[-2000:]
    assert {p: p.stat().st_mtime_ns for p in scenes.glob("*.mp4")} == before
    assert pdf.read_bytes() == first


def test_course_notes_for_a_manifest(mini_course):
    from mlv.scripts.pipeline import course_chapters

    manifest, course = mini_course
    renders = course.parents[2]
    out = mlv("notes", "--manifest", str(manifest), "--voice", "espeak", renders=renders)
    assert out.returncode == 0, out.stderr[-2000:]
    notes_dir = renders / "low" / "mini" / "notes"
    _, chapters = course_chapters(manifest)
    assert [Path(p) for p in out.stdout.strip().splitlines()] == [
        notes_dir / f"chapter{n}.pdf" for n, _, _ in chapters] + [notes_dir / "course.pdf"]
    text = pdf_words(notes_dir / "course.pdf")
    assert squash("A short course") in text
    for n, ctitle, entries in chapters:
        assert squash(ctitle) in text
        chapter_text = pdf_words(notes_dir / f"chapter{n}.pdf")
        for e in entries:
            if e.kind != "title":
                assert squash(e.title) in text and squash(e.title) in chapter_text, e.title
