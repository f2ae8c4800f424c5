"""Probing videos, and publishing files atomically: one by one, or a video with its subtitles
and its record as a set whose record names the digest of each file."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from mlv.scenes.narration import atomic_path, write_atomic
from mlv.scripts.tools import run


@dataclass(frozen=True)
class VideoInfo:
    width: int
    height: int
    fps: Fraction
    frames: int
    codec: str
    has_audio: bool

    @property
    def duration(self) -> float:
        return float(self.frames / self.fps)


def probe(path: str | os.PathLike[str]) -> VideoInfo:
    """Stream facts of a video file (via ffprobe, counting packets for an exact frame count)."""
    cmd = ["ffprobe", "-v", "error", "-count_packets", "-show_entries",
           "stream=codec_type,codec_name,width,height,r_frame_rate,nb_read_packets",
           "-of", "json", str(path)]
    out = run(cmd)
    if out.returncode != 0:
        last = out.stderr.decode(errors="replace").strip().splitlines()[-1:]
        raise ValueError(f"cannot read video {path}: {last}")
    streams = json.loads(out.stdout)["streams"]
    video = next((s for s in streams if s["codec_type"] == "video"), None)
    if video is None:
        raise ValueError(f"{path} has no video stream")
    return VideoInfo(int(video["width"]), int(video["height"]), Fraction(video["r_frame_rate"]),
                     int(video["nb_read_packets"]), video["codec_name"],
                     any(s["codec_type"] == "audio" for s in streams))


def publish(src: str | os.PathLike[str], dest: str | os.PathLike[str], *,
            move: bool = False) -> Path:
    """Copy (or move) ``src`` to ``dest`` through a temporary name in ``dest``'s folder and a
    rename, so a reader never sees a half-written ``dest``."""
    with atomic_path(dest) as tmp:
        (shutil.move if move else shutil.copyfile)(str(src), tmp)
    return Path(dest)


def write_json_atomic(path: str | os.PathLike[str], data: Any) -> None:
    """Write ``data`` as JSON through a temporary file and a rename."""
    write_atomic(path, json.dumps(data, indent=1))


def file_digest(path: str | os.PathLike[str]) -> str:
    """SHA-256 of a file's bytes (hex)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def digests(files: Mapping[str, Path]) -> dict[str, str]:
    """``{ext: SHA-256}`` of a set of files (for a record's ``files``)."""
    return {ext: file_digest(p) for ext, p in files.items()}


def publish_set(files: Sequence[tuple[Path, Path]], record_path: Path,
                record: Mapping[str, Any]) -> None:
    """Move each ``(src, dest)`` of ``files`` into place in order (each by rename), then write
    ``record`` (which names the files' digests, :func:`digests`) last. A run killed part way
    leaves a record that does not match its files (:func:`matches`), never a half-written
    file."""
    for src, dest in files:
        publish(src, dest, move=True)
    write_json_atomic(record_path, record)


def matches(record: Mapping[str, Any], files: Mapping[str, Path]) -> bool:
    """Whether the published ``files`` (``{ext: path}``) are the very ones ``record`` names:
    each exists and has the SHA-256 the record gives for it."""
    named = record.get("files")
    if not isinstance(named, Mapping):
        return False
    try:
        return all(named.get(ext) == file_digest(p) for ext, p in files.items())
    except OSError:
        return False
