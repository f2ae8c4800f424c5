#!/bin/bash
# Pull one PNG per narration beat (0.25 s before each subtitle cue ends) out of a rendered scene,
# so you can look at every beat's final layout.
#   usage: bash tools/beatframes.sh SCENE-ID OUTPREFIX [QUALITY]     (QUALITY: low, medium, high)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
V="${MLV_RENDERS:-$ROOT/renders}/${3:-low}/scenes/$1.mp4"
python3 - "$V" "$2" <<'PY'
import re, subprocess, sys
v, pre = sys.argv[1], sys.argv[2]
srt = open(v[:-4] + ".srt").read()
ends = re.findall(r"--> (\d\d):(\d\d):(\d\d),(\d\d\d)", srt)
for k, (h, m, s, ms) in enumerate(ends):
    t = int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000 - 0.25
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-ss", f"{t:.3f}", "-i", v, "-frames:v", "1",
                    f"{pre}_{k:02d}.png"], check=True)
print(f"{len(ends)} frames: {pre}_NN.png")
PY
