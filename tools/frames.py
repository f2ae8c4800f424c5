"""Per-frame and audio digests of rendered videos, to prove a refactor changed nothing a viewer
sees or hears.

    python tools/frames.py digest RENDERS/low/scenes OUT.json   # every <id>.mp4 in the folder
    python tools/frames.py compare BEFORE.json AFTER.json       # exit 1 naming what differs

Each video is decoded with PyAV: the SHA-256 of every video frame's RGB pixels, and one SHA-256
over the decoded audio samples.
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import av


def digest(video: Path) -> dict:
    frames: list[str] = []
    audio = hashlib.sha256()
    with av.open(str(video)) as c:
        for frame in c.decode(video=0):
            frames.append(hashlib.sha256(frame.to_ndarray(format="rgb24").tobytes()).hexdigest())
    with av.open(str(video)) as c:
        if c.streams.audio:
            for frame in c.decode(audio=0):
                audio.update(frame.to_ndarray().tobytes())
    return {"frames": frames, "audio": audio.hexdigest()}


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[0] == "digest":
        folder, out = Path(argv[1]), Path(argv[2])
        data = {v.stem: digest(v) for v in sorted(folder.glob("*.mp4"))}
        out.write_text(json.dumps(data, indent=0))
        print(f"{len(data)} videos, {sum(len(d['frames']) for d in data.values())} frames -> {out}")
        return 0
    if len(argv) == 3 and argv[0] == "compare":
        a, b = (json.loads(Path(p).read_text()) for p in argv[1:])
        bad = 0
        for name in sorted(set(a) | set(b)):
            if name not in a or name not in b:
                print(f"{name}: only in {'after' if name in b else 'before'}")
                bad += 1
                continue
            fa, fb = a[name]["frames"], b[name]["frames"]
            diff = [i for i, (x, y) in enumerate(zip(fa, fb)) if x != y]
            if len(fa) != len(fb) or diff or a[name]["audio"] != b[name]["audio"]:
                bad += 1
                print(f"{name}: frames {len(fa)} vs {len(fb)}, {len(diff)} differ"
                      f"{f' (first {diff[0]})' if diff else ''}, audio "
                      f"{'same' if a[name]['audio'] == b[name]['audio'] else 'differs'}")
        print(f"{len(set(a) | set(b)) - bad} identical, {bad} differ")
        return 1 if bad else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
