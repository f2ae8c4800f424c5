import numpy as np
import pytest
from manim import tempconfig

from mlv.scenes.params import resolve
from mlv.scenes.script import SceneInputs

_RUNS: dict = {}
#: the fractions of every animation at which the layout check also looks (scenes/layout.py)
LAYOUT_SAMPLES = (0.25, 0.5, 0.75)


def run_scene(cls, media_dir, params=None):
    """Run a scene's construct() skipping animations (each ends in its final state, after
    layout snapshots at :data:`LAYOUT_SAMPLES` of it), silent,
    with its default parameters updated with ``params``, and return the scene and its last frame
    as an RGB array. Manim's config is restored afterwards. Each scene class and parameter set
    is run once per test session."""
    from mlv.scenes import catalog

    entry = catalog.by_class(cls.__name__)
    key = (cls, tuple(sorted((params or {}).items())))
    if key in _RUNS:
        return _RUNS[key]
    inputs = SceneInputs(params=resolve(entry.id, dict(params or {})), voice="none",
                         audio_dir=media_dir / "audio", layout_samples=LAYOUT_SAMPLES)
    with tempconfig({"quality": "low_quality", "media_dir": str(media_dir),
                     "disable_caching": True, "save_last_frame": True,
                     "write_to_movie": False, "progress_bar": "none",
                     "verbosity": "ERROR"}):
        scene = cls(inputs=inputs)
        scene.render()
        frame = np.asarray(scene.renderer.get_frame())[..., :3]
    _RUNS[key] = (scene, frame)
    return _RUNS[key]


@pytest.fixture(scope="session")
def last_frame(tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    return lambda cls, params=None: run_scene(cls, media, params)
