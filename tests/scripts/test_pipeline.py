"""The pipeline under failure: a crashing worker, an unreachable scheduler."""
import os
import subprocess
import sys

import pytest

from mlv.scenes import catalog
from mlv.scenes.catalog import SceneEntry
from mlv.scripts import pipeline
from mlv.scripts.errors import RenderError

CRASH = SceneEntry("crashing-scene", 1, 50, "A crashing scene",
                   "tests.scripts.fixtures.crash_scene", "CrashingScene")


@pytest.mark.render
def test_a_crashing_worker_fails_alone(tmp_path):
    renders = tmp_path / "renders"
    good = catalog.by_id("chapter-1-title")
    with pytest.raises(RenderError) as info:
        pipeline.render_many([CRASH, good], "low", "none", renders, workers=2)
    message = str(info.value)
    assert "crashing-scene failed" in message
    assert "boom: the scene crashed on purpose" in message        # the tail of its log
    assert "chapter-1-title" not in message
    scenes = renders / "low" / "scenes"
    assert (scenes / "chapter-1-title.mp4").exists()              # the other scene finished
    assert not list(scenes.glob("crashing-scene*"))               # nothing published for it
    assert not [p for p in renders.rglob("*") if p.suffix in (".part", ".tmp")]


def test_unreachable_scheduler_is_one_line_and_exit_2(tmp_path):
    env = dict(os.environ, MLV_RENDERS=str(tmp_path / "renders"))
    out = subprocess.run([sys.executable, "-m", "mlv.scripts.cli", "chapter", "1", "--voice",
                          "none", "--scheduler", "tcp://127.0.0.1:9"], capture_output=True,
                         text=True, env=env, timeout=60)
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in lines[0]
    assert not (tmp_path / "renders" / "low" / "scenes").exists()
