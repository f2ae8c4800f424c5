import os

import numpy as np
import pytest
from manim import tempconfig

_RUNS: dict = {}


def run_scene(cls, media_dir):
    """Run a scene's construct() skipping animations (each ends in its final state) and return
    the scene and its last frame as an RGB array. Manim's config and the environment are
    restored afterwards. Each scene class is run once per test session."""
    if cls in _RUNS:
        return _RUNS[cls]
    saved = {k: os.environ.get(k) for k in ("MLV_VOICE", "MLV_AUDIO_DIR")}
    os.environ["MLV_VOICE"] = "none"
    os.environ["MLV_AUDIO_DIR"] = str(media_dir / "audio")
    try:
        with tempconfig({"quality": "low_quality", "media_dir": str(media_dir),
                         "disable_caching": True, "save_last_frame": True,
                         "write_to_movie": False, "progress_bar": "none",
                         "verbosity": "ERROR"}):
            scene = cls()
            scene.render()
            frame = np.asarray(scene.renderer.get_frame())[..., :3]
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    _RUNS[cls] = (scene, frame)
    return _RUNS[cls]


@pytest.fixture(scope="session")
def last_frame(tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    return lambda cls: run_scene(cls, media)
