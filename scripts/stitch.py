"""Stitch scene videos into one video with chapter markers, narration audio and subtitles.

The picture is concatenated by stream copy (ffmpeg's concat demuxer, no re-encode). The audio is
not concatenated: every beat's WAV is placed at its exact time on one PCM track built for the whole
video, mastered (:func:`master`: -16 LUFS integrated, true peak at most -1.5 dBTP), encoded once
and muxed, so there is no drift at the joins. Subtitles are muxed as a soft ``mov_text`` track and
written beside the video as ``.srt`` and ``.vtt``: each beat's cue cut by
:func:`~mlv.scenes.narration.subtitle_cues` into cues of at most two lines, each shown while it is
said (every cue inside its beat, in order). Each segment gets one titled chapter marker.
"""
from __future__ import annotations

import json
import math
import re
import shutil
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from mlv.scenes.narration import PAD_SECONDS, Cue, subtitle_cues, to_srt, to_vtt, wav_duration
from mlv.scripts.errors import ToolError
from mlv.scripts.media import digests, probe, publish
from mlv.scripts.tools import run


@dataclass(frozen=True)
class Segment:
    """A rendered scene: its video, its record (with the beat timeline) and its marker title."""

    video: Path
    record: dict[str, Any]
    title: str


def _ffmeta_escape(s: str) -> str:
    for ch in "\\=;#\n":
        s = s.replace(ch, "\\" + ch)
    return s


def chapter_metadata(titles: list[str], starts: list[float], ends: list[float], title: str) -> str:
    """An FFMETADATA1 text with one chapter per segment (times in milliseconds)."""
    lines = [";FFMETADATA1", f"title={_ffmeta_escape(title)}"]
    for t, a, b in zip(titles, starts, ends):
        lines += ["[CHAPTER]", "TIMEBASE=1/1000", f"START={int(round(a * 1000))}",
                  f"END={int(round(b * 1000))}", f"title={_ffmeta_escape(t)}"]
    return "\n".join(lines) + "\n"


def _read_wav(path: str) -> tuple[np.ndarray, int]:
    with wave.open(path, "rb") as f:
        rate, width, channels = f.getframerate(), f.getsampwidth(), f.getnchannels()
        raw = f.readframes(f.getnframes())
    if width != 2:
        raise ValueError(f"{path}: expected 16-bit PCM, got {8 * width}-bit")
    data = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    if channels > 1:
        data = data.reshape(-1, channels).mean(axis=1)
    return data, rate


def build_audio(placements: list[tuple[float, str]], total_seconds: float, out: Path,
                rate: int | None = None) -> Path:
    """One mono 16-bit WAV of ``total_seconds`` with each WAV of ``placements`` (start, path)
    placed at its start time (resampled to a common rate if needed)."""
    clips = [(start, *_read_wav(p)) for start, p in placements]
    rate = rate or (clips[0][2] if clips else 48000)
    n_total = int(round(total_seconds * rate))
    track = np.zeros(n_total, dtype=np.float32)
    for start, data, r in clips:
        if r != rate:
            t = np.arange(int(len(data) * rate / r)) / rate
            data = np.interp(t, np.arange(len(data)) / r, data).astype(np.float32)
        i0 = int(round(start * rate))
        i1 = min(n_total, i0 + len(data))
        if i1 > i0:
            track[i0:i1] += data[: i1 - i0]
    pcm = (np.clip(track, -1, 1) * 32767).astype("<i2")
    with wave.open(str(out), "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(rate)
        f.writeframes(pcm.tobytes())
    return out


def _run(cmd: list[str]) -> str:
    """Run ``cmd``; its stderr (where ffmpeg's filters report), or :class:`ToolError`."""
    out = run(cmd)
    if out.returncode != 0:
        err = out.stderr.decode(errors="replace").strip().splitlines()
        tail = "; ".join(err[-5:]) or f"exit status {out.returncode}"
        raise ToolError(f"{cmd[0]} failed: {tail}")
    return out.stderr.decode(errors="replace") if out.stderr else ""


# ------------------------------------------------------------------------------------ mastering

LOUDNESS_LUFS = -16.0      #: integrated loudness of every stitched narration track (EBU R128)
TRUE_PEAK_DBTP = -1.5      #: true-peak ceiling of the mastered PCM (-1 dBTP after AAC, measured)
LIMIT_DBFS = -4.0          #: sample-peak limit before the final linear gain (headroom for it)
LOUDNESS_RANGE = 20.0      #: loudnorm's LRA target: above speech's, so it never compresses


def _loudnorm_json(stderr: str) -> dict[str, str]:
    """The JSON block loudnorm prints (``print_format=json``) at the end of ``stderr``."""
    found = re.findall(r"\{[^{}]*\}", stderr)
    if not found:
        raise ToolError("ffmpeg loudnorm printed no measurement")
    return json.loads(found[-1])


def _measure(source: Path, chain: str = "", out: Path | None = None) -> dict[str, str]:
    """loudnorm's first-pass measurement of ``source`` after the filters ``chain``; with
    ``out``, the filtered audio is also written there (32-bit float WAV), in the same pass."""
    measure = (f"loudnorm=I={LOUDNESS_LUFS}:TP={TRUE_PEAK_DBTP}:LRA={LOUDNESS_RANGE}"
               ":print_format=json")
    cmd = ["ffmpeg", "-nostats", "-hide_banner", "-y", "-i", str(source)]
    if out is None:
        cmd += ["-af", ",".join(filter(None, [chain, measure])), "-f", "null", "-"]
    else:
        cmd += ["-filter_complex", f"[0:a]{chain or 'anull'},asplit[keep][m];[m]{measure}[n]",
                "-map", "[keep]", "-c:a", "pcm_f32le", str(out), "-map", "[n]", "-f", "null", "-"]
    return _loudnorm_json(_run(cmd))


def master(source: Path, out: Path, rate: int) -> dict[str, Any]:
    """Master the narration track ``source`` into ``out`` (16-bit mono WAV at ``rate``): at
    :data:`LOUDNESS_LUFS` integrated, true peak at most :data:`TRUE_PEAK_DBTP`, never clipped.

    Three passes of ffmpeg: (1) loudnorm measures the track; (2) it is brought to the target by
    a constant gain and its peaks are held under :data:`LIMIT_DBFS` by ``alimiter`` (speech
    synthesised by espeak-ng or piper peaks 19-20 dB above its loudness, more than the 15 dB
    between -16 LUFS and -1 dBTP allow, so a gain alone would clip), and loudnorm measures the
    result; (3) loudnorm applies that measurement (``linear=true``: one constant gain; where the
    true peak would not allow it, loudnorm's own true-peak limiter takes over). Returns what
    loudnorm reported: the input's and the output's loudness and true peak. A track without
    speech (silent below loudnorm's gate) is written unchanged."""
    first = _measure(source)
    loudness = float(first["input_i"])
    report: dict[str, Any] = {"input_i": loudness, "input_tp": float(first["input_tp"])}
    if not math.isfinite(loudness) or loudness < -60:
        shutil.copyfile(source, out)
        return {**report, "normalization_type": "none"}
    limited = out.with_name(out.stem + "-limited.wav")
    gain = LOUDNESS_LUFS - loudness
    second = _measure(source, f"volume={gain:.2f}dB,"
                              f"alimiter=limit={10 ** (LIMIT_DBFS / 20):.4f}:level=false"
                              ":attack=2:release=40:latency=true", out=limited)
    measured = ":".join(f"measured_{k}={second[v]}" for k, v in (
        ("I", "input_i"), ("TP", "input_tp"), ("LRA", "input_lra"),
        ("thresh", "input_thresh")))
    stderr = _run(["ffmpeg", "-nostats", "-hide_banner", "-y", "-i", str(limited), "-af",
                   f"loudnorm=I={LOUDNESS_LUFS}:TP={TRUE_PEAK_DBTP}:LRA={LOUDNESS_RANGE}:"
                   f"{measured}:offset={second['target_offset']}:linear=true:print_format=json",
                   "-ar", str(rate), "-ac", "1", "-c:a", "pcm_s16le", str(out)])
    third = _loudnorm_json(stderr)
    limited.unlink(missing_ok=True)
    return {**report, "output_i": float(third["output_i"]),
            "output_tp": float(third["output_tp"]),
            "normalization_type": third["normalization_type"]}


# ------------------------------------------------------------------------------------ subtitles


def _sentence_timing(audio: Path) -> list[float] | None:
    """The seconds of each sentence of a beat's WAV, where its voice reported them (piper:
    ``<wav>.json`` beside it), else ``None``."""
    try:
        got = json.loads(audio.with_suffix(".json").read_text(encoding="utf-8")).get("sentences")
        return [float(x) for x in got] if got else None
    except (OSError, ValueError, TypeError, AttributeError):
        return None


def beat_subtitles(beat: dict[str, Any], offset: float, audio: Path | None) -> list[Cue]:
    """The subtitle cues of one beat of a timeline placed at ``offset`` seconds: its text in
    cues of at most two lines of about 42 characters, each shown while it is said, from the
    beat's start to its end (:func:`~mlv.scenes.narration.subtitle_cues`). The speech lasts
    as long as the beat's WAV, and sentences as long as its voice reported; a beat without
    audio (the silent voice) speaks for all of it but the closing pause."""
    cue = Cue(beat["start"] + offset, beat["end"] + offset, beat["text"], beat["key"])
    length = cue.end - cue.start
    sentences = None
    if audio is not None and audio.is_file():
        speech = wav_duration(audio)
        sentences = _sentence_timing(audio)
    else:
        speech = max(length - PAD_SECONDS, 0.5 * length)
    return subtitle_cues(cue, min(speech, length), sentences)


def stitch(segments: list[Segment], out: Path, *, title: str, work_dir: Path,
           audio_root: Path | None = None) -> dict[str, Any]:
    """Concatenate ``segments`` into ``out`` (+ ``.srt``/``.vtt``) and return a summary
    record for the caller to write beside it (last: see :func:`mlv.scripts.media.publish_set`).
    The record's ``files`` names the SHA-256 of the three files. Each is built in a temporary
    folder under ``work_dir`` and renamed into place, the subtitles first. Relative narration
    paths in the segments' records are taken from ``audio_root``."""
    if not segments:
        raise ValueError("nothing to stitch")
    infos = [probe(s.video) for s in segments]
    first = infos[0]
    for s, i in zip(segments, infos):
        if (i.width, i.height, i.fps, i.codec) != (first.width, first.height, first.fps,
                                                   first.codec):
            raise ValueError(f"{s.video.name} is {i.width}x{i.height}@{i.fps} {i.codec}, unlike "
                             f"{segments[0].video.name}; render every scene at one quality")
    frames = np.cumsum([0] + [i.frames for i in infos])
    starts = [float(f / first.fps) for f in frames[:-1]]
    ends = [float(f / first.fps) for f in frames[1:]]
    total = ends[-1]

    work_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=work_dir, prefix="stitch-"))
    try:
        listing = tmp / "list.txt"
        listing.write_text("".join(f"file '{s.video.resolve().as_posix()}'\n" for s in segments))
        silent = tmp / "silent.mp4"
        _run(["ffmpeg", "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", str(listing),
              "-map", "0:v", "-c", "copy", str(silent)])

        cues: list[Cue] = []
        placements: list[tuple[float, str]] = []
        for s, offset in zip(segments, starts):
            for b in s.record["timeline"]["beats"]:
                audio = None
                if b.get("audio"):
                    audio = Path(b["audio"])
                    if not audio.is_absolute() and audio_root is not None:
                        audio = Path(audio_root) / audio
                    placements.append((b["start"] + offset, str(audio)))
                cues.extend(beat_subtitles(b, offset, audio))
        srt = tmp / "subs.srt"
        srt.write_text(to_srt(cues), encoding="utf-8")
        meta = tmp / "meta.txt"
        meta.write_text(chapter_metadata([s.title for s in segments], starts, ends, title),
                        encoding="utf-8")

        cmd = ["ffmpeg", "-v", "error", "-y", "-i", str(silent)]
        maps = ["-map", "0:v"]
        codecs = ["-c:v", "copy"]
        idx = 1
        loudness: dict[str, Any] | None = None
        if placements:
            raw = build_audio(placements, total, tmp / "narration-raw.wav")
            with wave.open(str(raw), "rb") as f:
                rate = f.getframerate()
            wav = tmp / "narration.wav"
            loudness = master(raw, wav, rate)
            cmd += ["-i", str(wav)]
            maps += ["-map", f"{idx}:a"]
            codecs += ["-c:a", "aac", "-b:a", "128k"]
            idx += 1
        cmd += ["-i", str(srt), "-i", str(meta)]
        maps += ["-map", f"{idx}:s", "-map_metadata", str(idx + 1), "-map_chapters", str(idx + 1)]
        codecs += ["-c:s", "mov_text", "-metadata:s:s:0", "language=eng"]
        muxed = tmp / "out.mp4"
        _run(cmd + maps + codecs + ["-movflags", "+faststart", str(muxed)])

        vtt = tmp / "subs.vtt"
        vtt.write_text(to_vtt(cues), encoding="utf-8")
        built = {".srt": srt, ".vtt": vtt, ".mp4": muxed}
        files = digests(built)
        for ext in (".srt", ".vtt", ".mp4"):       # the video after its subtitles
            publish(built[ext], out.with_suffix(ext), move=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {"title": title, "duration": total, "frames": int(frames[-1]),
            "chapters": [{"title": s.title, "start": a, "end": b}
                         for s, a, b in zip(segments, starts, ends)],
            "audio": bool(placements), "loudness": loudness, "cues": len(cues),
            "files": files}
