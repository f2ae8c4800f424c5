"""A scene rendered with parameters: its own file name and record, narration that follows the
parameters, and a cache that keeps the default render and the parameterised one apart."""
import json
import os
import subprocess
import sys
from pathlib import Path

import av
import numpy as np
import pytest

from mlv.algorithms.lessons import gradient_descent_lesson

pytestmark = pytest.mark.render

ROOT = Path(__file__).resolve().parents[2]


def mlv(*args, renders):
    env = dict(os.environ, MLV_RENDERS=str(renders))
    return subprocess.run([sys.executable, "-m", "mlv.scripts.cli", *args], capture_output=True,
                          text=True, env=env, cwd=ROOT)


def test_a_diverging_learning_rate_is_rendered_said_and_shown(tmp_path):
    renders = tmp_path / "renders"
    out = mlv("render", "gradient-descent-intuition", "--set", "lr=1.1", "--voice", "none",
              renders=renders)
    assert out.returncode == 0, out.stderr[-2000:]
    video = Path(out.stdout.strip().splitlines()[-1])
    assert video == renders / "low" / "scenes" / "gradient-descent-intuition--lr=1.1.mp4"
    rec = json.loads(video.with_suffix(".json").read_text())
    assert rec["params"] == {"lr": 1.1, "theta0": -1.0, "steps": 12}
    assert rec["key"] == "gradient-descent-intuition--lr=1.1"
    walk = gradient_descent_lesson(walk_rate=1.1).walk
    assert rec["numbers"]["walk learning rate"] == 1.1
    assert rec["numbers"]["theta after the walk"] == float(walk.final["theta"])
    beats = {b["key"]: b["text"] for b in rec["timeline"]["beats"]}
    assert "diverges" in beats["walk"] and "diverges" in beats["walk-result"]
    srt = video.with_suffix(".srt").read_text()
    assert "gradient descent diverges" in srt.replace("\n", " ")
    with av.open(str(video)) as c:
        frames = [f.to_ndarray(format="gray") for f in c.decode(video=0)]
    assert len(frames) == rec["frames"] > 0
    assert np.mean([f.std() > 5 for f in frames]) > 0.9          # drawn, not blank
    assert not (renders / "low" / "scenes" / "gradient-descent-intuition.mp4").exists()
    # the same command again is a cache hit: nothing is rewritten
    before = video.stat().st_mtime_ns
    again = mlv("render", "gradient-descent-intuition", "--set", "lr=1.1", "--voice", "none",
                renders=renders)
    assert again.returncode == 0 and video.stat().st_mtime_ns == before
