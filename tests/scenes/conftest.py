import numpy as np
import pytest
from manim import tempconfig


@pytest.fixture
def last_frame(tmp_path, monkeypatch):
    """Run a scene's construct() skipping animations (each ends in its final state) and return
    the scene and its last frame as an RGB array. Manim's config is restored afterwards."""
    def run(cls):
        monkeypatch.setenv("MLV_VOICE", "none")
        monkeypatch.setenv("MLV_AUDIO_DIR", str(tmp_path / "audio"))
        with tempconfig({"quality": "low_quality", "media_dir": str(tmp_path / "media"),
                         "disable_caching": True, "save_last_frame": True,
                         "write_to_movie": False, "progress_bar": "none",
                         "verbosity": "ERROR"}):
            scene = cls()
            scene.render()
            frame = np.asarray(scene.renderer.get_frame())[..., :3]
        return scene, frame
    return run
