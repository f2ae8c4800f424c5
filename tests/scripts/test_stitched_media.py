"""A small chapter (two title cards) rendered with each installed voice, and what a viewer gets
from it, checked by decoding the files: the narration mastered to -16 LUFS (true peak at most
-1 dBTP, no clipped sample, no long silence inside a beat), and subtitles of at most two short
lines, each inside its beat, in order, in the .srt, the .vtt and the soft mov_text track."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import av
import numpy as np
import pytest

from mlv.scenes.narration import (
    SUBTITLE_CHARS_PER_LINE,
    SUBTITLE_LINES,
    SUBTITLE_MAX_CPS,
    piper_model,
)

pytestmark = pytest.mark.render

MINI = """
title = "A mastered course"
[[chapters]]
title = "Optimization"
scenes = ["chapter-1-title", "chapter-2-title"]
"""
SCENES = ["chapter-1-title", "chapter-2-title"]
VOICES = ["espeak"] + (["piper"] if piper_model() is not None else [])


@pytest.fixture(scope="module", params=VOICES)
def rendered(request, tmp_path_factory):
    """(voice, renders folder, chapter video, course video) of the one-chapter course."""
    tmp = tmp_path_factory.mktemp(f"mastered-{request.param}")
    manifest = tmp / "mini.toml"
    manifest.write_text(MINI)
    renders = tmp / "renders"
    out = subprocess.run([sys.executable, "-m", "mlv.scripts.cli", "course", str(manifest),
                          "--voice", request.param, "--workers", "2"], capture_output=True,
                         text=True, env=dict(os.environ, MLV_RENDERS=str(renders)))
    assert out.returncode == 0, out.stderr[-3000:]
    course = Path(out.stdout.strip().splitlines()[-1])
    return request.param, renders, course.with_name("chapter1.mp4"), course


def scene_videos(renders):
    return sorted((renders / "low" / "scenes").glob("*.mp4"))


# ------------------------------------------------------------------------------------- audio


def ebur128(video):
    """Integrated loudness (LUFS) and true peak (dBTP) of ``video``'s audio, as ffmpeg's
    ``ebur128=peak=true`` filter reports them in its summary."""
    out = subprocess.run(["ffmpeg", "-nostats", "-hide_banner", "-i", str(video), "-map", "0:a",
                          "-af", "ebur128=peak=true:framelog=verbose", "-f", "null", "-"],
                         capture_output=True, text=True, check=True).stderr
    summary = out[out.rindex("Summary:"):]
    loudness = float(re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary)[1])
    peak = float(re.search(r"True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS", summary)[1])
    return loudness, peak


def decoded_audio(video):
    """The audio of ``video`` decoded to float samples (mono), and its sample rate."""
    with av.open(str(video)) as c:
        stream = c.streams.audio[0]
        chunks = [f.to_ndarray().mean(axis=0) for f in c.decode(stream)]
        return np.concatenate(chunks).astype(np.float64), stream.codec_context.sample_rate


def test_chapter_course_and_scene_narration_is_mastered(rendered):
    voice, renders, chapter, course = rendered
    for video in [chapter, course, *scene_videos(renders)]:
        loudness, peak = ebur128(video)
        samples, _ = decoded_audio(video)
        clipped = int(np.count_nonzero(np.abs(samples) >= 1.0))
        print(f"{voice} {video.name}: {loudness:.1f} LUFS, true peak {peak:.1f} dBTP, "
              f"{clipped} clipped of {samples.size}")
        assert abs(loudness - (-16.0)) <= 1.0, (video.name, loudness)
        assert peak <= -1.0, (video.name, peak)
        assert clipped == 0, video.name
    record = json.loads(chapter.with_suffix(".json").read_text())
    assert record["loudness"]["output_i"] == pytest.approx(-16.0, abs=0.5)


def test_the_picture_is_copied_and_the_track_lasts_as_long_as_it(rendered):
    _, renders, chapter, _ = rendered
    with av.open(str(chapter)) as c:
        video_packets = sum(1 for p in c.demux(c.streams.video[0]) if p.size)
    scene_packets = 0
    for v in scene_videos(renders):
        with av.open(str(v)) as c:
            scene_packets += sum(1 for p in c.demux(c.streams.video[0]) if p.size)
    assert video_packets == scene_packets                    # stream copy: no frame lost
    samples, rate = decoded_audio(chapter)
    with av.open(str(chapter)) as c:
        v = c.streams.video[0]
        seconds = float(v.frames / v.average_rate)
    assert abs(samples.size / rate - seconds) < 0.05


def beats_of(video, renders):
    """The beats of a scene (its record) or of a stitched video (its scenes' beats, in the
    manifest's order, shifted by each chapter marker's start): ``(start, end, text)``."""
    record = json.loads(video.with_suffix(".json").read_text())
    if "timeline" in record:
        return [(b["start"], b["end"], b["text"]) for b in record["timeline"]["beats"]]
    scenes = renders / "low" / "scenes"
    out = []
    for sid, chapter in zip(SCENES, record["chapters"], strict=True):
        (path,) = [p for p in scenes.glob("*.json") if p.stem.split("--")[0] == sid]
        beats = json.loads(path.read_text())["timeline"]["beats"]
        out += [(b["start"] + chapter["start"], b["end"] + chapter["start"], b["text"])
                for b in beats]
    return out


def test_no_silence_inside_a_beat_is_longer_than_2_5_seconds(rendered):
    _, renders, chapter, _ = rendered
    samples, rate = decoded_audio(chapter)
    hop = rate // 20                                          # 50 ms windows
    n = samples.size // hop
    rms = np.sqrt((samples[: n * hop].reshape(n, hop) ** 2).mean(axis=1))
    quiet = rms < 10 ** (-50 / 20)
    for start, end, text in beats_of(chapter, renders):
        run = longest = 0
        for q in quiet[int(start * 20): int(end * 20)]:
            run = run + 1 if q else 0
            longest = max(longest, run)
        assert longest * 0.05 <= 2.5, (text[:40], longest * 0.05)


# ---------------------------------------------------------------------------------- subtitles


def stamp(t):
    h, m, s = t.replace(",", ".").split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def parse_cues(path):
    """``(start, end, text)`` of every cue of an .srt or .vtt file."""
    text = Path(path).read_text(encoding="utf-8")
    if path.suffix == ".vtt":
        assert text.startswith("WEBVTT\n\n")
        text = text[len("WEBVTT\n\n"):]
    out = []
    for block in text.strip().split("\n\n"):
        lines = block.split("\n")
        if path.suffix == ".srt":
            assert lines[0] == str(len(out) + 1)
            lines = lines[1:]
        a, b = lines[0].split(" --> ")
        out.append((stamp(a), stamp(b), "\n".join(lines[1:])))
    return out


def mov_text_cues(video):
    """``(start, end, text)`` of every non-empty sample of ``video``'s soft subtitle track."""
    out = []
    with av.open(str(video)) as c:
        stream = c.streams.subtitles[0]
        assert stream.codec_context.name == "mov_text"
        for p in c.demux(stream):
            data = bytes(p)
            if len(data) < 2 or int.from_bytes(data[:2], "big") == 0:
                continue                                      # an empty sample: a gap
            n = int.from_bytes(data[:2], "big")
            start = float(p.pts * stream.time_base)
            out.append((start, start + float(p.duration * stream.time_base),
                        data[2:2 + n].decode("utf-8")))
    return out


def check_cues(cues, beats, where):
    """Short cues, in order, none overlapping, each inside its beat, the beats' text whole."""
    assert len(cues) >= len(beats), where
    for (a, b, _), (c, _, _) in zip(cues, cues[1:]):
        assert a < b <= c + 1e-3, where
    it = iter(cues)
    for start, end, text in beats:
        words: list[str] = []
        while words != text.split():
            a, b, cue = next(it)
            assert start - 2e-3 <= a < b <= end + 2e-3, (where, cue, start, end)
            lines = cue.split("\n")
            assert len(lines) <= SUBTITLE_LINES, (where, cue)
            assert all(len(ln) <= SUBTITLE_CHARS_PER_LINE for ln in lines), (where, cue)
            assert len(cue.replace("\n", " ")) / (b - a) <= SUBTITLE_MAX_CPS + 0.5, (where, cue)
            words += cue.split()
            assert text.split()[: len(words)] == words, (where, cue)
    assert next(it, None) is None, where


def test_subtitles_are_short_timed_cues_inside_their_beats(rendered):
    _, renders, chapter, course = rendered
    videos = [chapter, course, *scene_videos(renders)]
    split = False
    for video in videos:
        beats = beats_of(video, renders)
        srt, vtt = parse_cues(video.with_suffix(".srt")), parse_cues(video.with_suffix(".vtt"))
        check_cues(srt, beats, video.with_suffix(".srt").name)
        assert vtt == srt
        soft = mov_text_cues(video)
        assert [t for _, _, t in soft] == [t for _, _, t in srt], video.name
        for (a, b, _), (c, d, _) in zip(soft, srt):
            assert abs(a - c) < 2e-3 and abs(b - d) < 2e-3, video.name
        split = split or len(srt) > len(beats)
    assert split                                  # some beat is longer than one cue
