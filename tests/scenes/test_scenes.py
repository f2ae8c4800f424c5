"""Every scene constructs; the training scene shows the trajectory's own numbers."""
import numpy as np
import pytest

from mlv.scenes import catalog, style


@pytest.mark.parametrize("entry", catalog.SCENES, ids=lambda e: e.id)
def test_scene_constructs_and_plays_every_beat(entry, last_frame):
    cls = catalog.load(entry)
    scene, frame = last_frame(cls)
    assert [c.key for c in scene.cues] == list(catalog.script(entry).narration.keys)
    starts = [c.start for c in scene.cues]
    assert starts == sorted(starts)
    assert all(c.end > c.start for c in scene.cues)
    bg = np.array(style.BACKGROUND.to_rgb()) * 255
    drawn = np.any(np.abs(frame.astype(float) - bg) > 40, axis=-1).mean()
    assert drawn > 0.01, "the last frame is blank"


@pytest.mark.parametrize("entry", catalog.SCENES, ids=lambda e: e.id)
def test_scene_lasts_within_its_expected_range(entry, last_frame):
    """With the silent voice (150 words a minute) the narration sets the length; the rendered
    espeak videos of chapter 1 are checked against the same ranges in test_render_outputs."""
    scene, _ = last_frame(catalog.load(entry))
    lo, hi = catalog.EXPECTED_SECONDS[entry.kind]
    assert lo <= scene.cues[-1].end <= hi


def test_training_scene_shows_the_trajectorys_final_numbers(last_frame):
    from mlv.scenes.chapter1 import linear_regression_training as mod

    scene, _ = last_frame(mod.LinearRegressionTraining)
    shown = scene.readout.displayed()
    final = scene.lesson.standardized.final
    assert set(shown) == {"w", "b", "loss"}
    for name, value in shown.items():
        assert value == final[name]                      # the number itself, not recomputed
        num = scene.readout.numbers[name]
        assert num in scene.mobjects or any(num in m.get_family() for m in scene.mobjects)
        assert num.text == f"{final[name]:+.{num.decimals}f}"      # what the viewer reads


def test_scene_module_uses_no_random_numbers():
    """Scenes draw trajectories; they never draw random numbers (or fit anything) themselves."""
    import inspect
    import re

    banned = [r"np\.random", r"default_rng", r"\brandom\.\w+\(", r"import random",
              r"gradient_descent\(", r"lstsq", r"\blloyd\(", r"\.fit\("]
    for entry in catalog.SCENES:
        src = inspect.getsource(__import__(entry.module, fromlist=["x"]))
        for pattern in banned:
            assert not re.search(pattern, src), f"{entry.id} matches {pattern}"


@pytest.mark.parametrize("entry", catalog.SCENES, ids=lambda e: e.id)
def test_layout_no_overlap_and_inside_safe_area_at_every_beat(entry, last_frame):
    from mlv.scenes.layout import problems

    scene, _ = last_frame(catalog.load(entry))
    assert len(scene.layout_snapshots) == len(scene.narration)
    found = [p for snap in scene.layout_snapshots for p in problems(snap)]
    assert found == [], "\n".join(found)


def test_layout_check_catches_overlap_and_overflow():
    from manim import Text

    from mlv.scenes.layout import Snapshot, problems, text_boxes

    a = Text("gradient", font_size=30)
    b = Text("descent", font_size=30).move_to(a.get_center() + [0.2, 0.05, 0])
    c = Text("far away", font_size=30).move_to([7.0, 0, 0])
    found = problems(Snapshot("x", tuple(text_boxes([a, b, c]))))
    assert any("overlaps" in p and "gradient" in p for p in found)
    assert any("faraway" in p and "safe area" in p for p in found)
    b.next_to(a, direction=[0, -1, 0])
    c.move_to([0, 2, 0])
    assert problems(Snapshot("x", tuple(text_boxes([a, b, c])))) == []


def test_kmeans_scene_shows_the_final_objective_of_each_run(last_frame):
    from mlv.scenes.chapter2 import kmeans_training as mod

    scene, _ = last_frame(mod.KMeansTraining)
    run, other = scene.lesson.run, scene.lesson.other
    shown = scene.readout.displayed()
    # the last beat shows the other start's final state, straight from its trajectory
    assert shown == {"t": float(other.steps[-1]), "J": float(other.loss[-1])}
    assert scene.readout.displayed_text()["J"] == f"{other.loss[-1]:.1f}"
    assert other.loss[-1] > run.loss[-1]             # the narration's claim: a worse minimum
    assert "a worse local minimum" in scene.narration["other-start"].text


def test_pca_scene_shows_the_fits_numbers(last_frame):
    from mlv.scenes.chapter2 import pca_projection as mod

    scene, _ = last_frame(mod.PCAProjection)
    fit = scene.lesson.fit.extras
    ratios = fit["explained_variance_ratio"]
    assert scene.shown_ratios == [round(100 * r, 1) for r in ratios]
    # the dots end on the first axis, each at its own projection from the fit
    u1 = fit["components"][0]
    where = np.array([scene.axes.p2c(d.get_center()) for d in scene.dots])
    np.testing.assert_allclose(where, np.outer(fit["projections"][:, 0], u1), atol=1e-6)
