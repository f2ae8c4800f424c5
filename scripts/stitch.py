"""Stitch scene videos into one video with chapter markers, narration audio and subtitles.

The picture is concatenated by stream copy (ffmpeg's concat demuxer, no re-encode). The audio is
not concatenated: every beat's WAV is placed at its exact time on one PCM track built for the whole
video, encoded once and muxed, so there is no drift at the joins. Subtitles are muxed as a soft
``mov_text`` track and written beside the video as ``.srt`` and ``.vtt``; each segment gets one
titled chapter marker.
"""
from __future__ import annotations

import shutil
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from mlv.scenes.narration import Cue, to_srt, to_vtt
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


def _run(cmd: list[str]) -> None:
    out = run(cmd)
    if out.returncode != 0:
        err = out.stderr.decode(errors="replace").strip().splitlines()
        tail = "; ".join(err[-5:]) or f"exit status {out.returncode}"
        raise ToolError(f"{cmd[0]} failed: {tail}")


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
                cues.append(Cue(b["start"] + offset, b["end"] + offset, b["text"], b["key"]))
                if b.get("audio"):
                    audio = Path(b["audio"])
                    if not audio.is_absolute() and audio_root is not None:
                        audio = Path(audio_root) / audio
                    placements.append((b["start"] + offset, str(audio)))
        srt = tmp / "subs.srt"
        srt.write_text(to_srt(cues), encoding="utf-8")
        meta = tmp / "meta.txt"
        meta.write_text(chapter_metadata([s.title for s in segments], starts, ends, title),
                        encoding="utf-8")

        cmd = ["ffmpeg", "-v", "error", "-y", "-i", str(silent)]
        maps = ["-map", "0:v"]
        codecs = ["-c:v", "copy"]
        idx = 1
        if placements:
            wav = build_audio(placements, total, tmp / "narration.wav")
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
            "audio": bool(placements), "cues": len(cues), "files": files}
