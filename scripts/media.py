"""Probing videos and publishing files atomically."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from mlv.scenes.narration import atomic_path


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


def probe(path: str | os.PathLike) -> VideoInfo:
    """Stream facts of a video file (via ffprobe, counting packets for an exact frame count)."""
    cmd = ["ffprobe", "-v", "error", "-count_packets", "-show_entries",
           "stream=codec_type,codec_name,width,height,r_frame_rate,nb_read_packets",
           "-of", "json", str(path)]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        raise ValueError(f"cannot read video {path}: {out.stderr.strip().splitlines()[-1:]}")
    streams = json.loads(out.stdout)["streams"]
    video = next((s for s in streams if s["codec_type"] == "video"), None)
    if video is None:
        raise ValueError(f"{path} has no video stream")
    return VideoInfo(int(video["width"]), int(video["height"]), Fraction(video["r_frame_rate"]),
                     int(video["nb_read_packets"]), video["codec_name"],
                     any(s["codec_type"] == "audio" for s in streams))


def publish(src: str | os.PathLike, dest: str | os.PathLike, *, move: bool = False) -> Path:
    """Copy (or move) ``src`` to ``dest`` through a temporary name in ``dest``'s folder and a
    rename, so a reader never sees a half-written ``dest``."""
    with atomic_path(dest) as tmp:
        (shutil.move if move else shutil.copyfile)(str(src), tmp)
    return Path(dest)


def write_json_atomic(path: str | os.PathLike, data) -> None:
    """Write ``data`` as JSON through a temporary file and a rename."""
    from mlv.scenes.narration import write_atomic

    write_atomic(path, json.dumps(data, indent=1))
