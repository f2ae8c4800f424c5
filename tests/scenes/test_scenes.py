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
    ends = [snap for snap in scene.layout_snapshots if not snap.during]
    assert [snap.beat for snap in ends] == list(scene.narration.keys)
    # and inside every animation (tests/scenes/conftest.py asks for LAYOUT_SAMPLES of each)
    assert len(scene.layout_snapshots) > len(ends) or entry.kind != "lesson"
    found = list(dict.fromkeys(p for snap in scene.layout_snapshots for p in problems(snap)))
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


def test_layout_check_sees_shapes_in_the_caption_band_or_off_the_frame():
    from manim import Dot, Text

    from mlv.scenes import style
    from mlv.scenes.layout import Snapshot, problems, shape_boxes, text_boxes

    inside = Dot([0, 0, 0])
    in_band = Dot([0, style.CAPTION.center[1], 0])
    off = Dot([style.FRAME_WIDTH / 2 + 0.3, 0, 0])
    faded = Dot([0, style.CAPTION.center[1], 0]).set_opacity(0)
    found = problems(Snapshot("x", (), tuple(shape_boxes([inside, in_band, off, faded]))))
    assert found == ["[x] a Dot enters the caption band", "[x] a Dot leaves the frame"]
    # text in the caption band is a problem too, but not the caption itself
    caption = Text("the caption", font_size=20).move_to(style.CAPTION.center)
    label = Text("label", font_size=20).move_to(style.CAPTION.center + [4, 0, 0])
    found = problems(Snapshot("x", tuple(text_boxes([label])), (),
                              tuple(text_boxes([caption]))))
    assert found == ["[x] Text('label') enters the caption band"]


def test_layout_check_inside_an_animation_ignores_a_cross_fade_not_a_collision():
    from manim import Text

    from mlv.scenes.layout import Snapshot, problems, text_boxes

    old = Text("1.0", font_size=30)
    new = Text("2.0", font_size=30).move_to(old.get_center() + [0.05, 0, 0])
    old.set_opacity(0.5)
    new.set_opacity(0.5)
    boxes = tuple(text_boxes([old, new]))
    assert problems(Snapshot("x", boxes, during="FadeIn at 50%")) == []
    new.set_opacity(1.0)
    old.set_opacity(0.9)
    boxes = tuple(text_boxes([old, new]))
    assert problems(Snapshot("x", boxes, during="Transform at 50%")) == [
        "[x, Transform at 50%] Text('1.0') overlaps Text('2.0')"]


@pytest.mark.render
def test_layout_check_catches_a_defect_seen_only_inside_an_animation(monkeypatch, tmp_path):
    """space-transformation once pulsed each class with ``group.scale``, which spreads the dots
    about the group's centre: half-way through, pink dots flew through the caption and off the
    frame, and at the end of every beat all was well again. Put that back: the check inside
    animations must catch it, the check at the ends of beats alone must not."""
    from manim import VGroup, tempconfig

    from mlv.scenes.chapter4 import space_transformation as mod
    from mlv.scenes.layout import problems
    from mlv.scenes.params import resolve
    from mlv.scenes.script import SceneInputs

    monkeypatch.setattr(mod, "grow", lambda dots, f: [VGroup(*dots).animate.scale(f)])
    inputs = SceneInputs(params=resolve("space-transformation"), voice="none",
                         audio_dir=tmp_path / "audio", layout_samples=(0.25, 0.5, 0.75))
    with tempconfig({"quality": "low_quality", "media_dir": str(tmp_path),
                     "disable_caching": True, "save_last_frame": True, "write_to_movie": False,
                     "progress_bar": "none", "verbosity": "ERROR"}):
        scene = mod.SpaceTransformation(inputs=inputs)
        scene.render()
    ends = [p for snap in scene.layout_snapshots if not snap.during for p in problems(snap)]
    inside = [p for snap in scene.layout_snapshots if snap.during for p in problems(snap)]
    assert ends == []
    assert any(p.startswith("[corners, animate at") and "Dot enters the caption band" in p
               for p in inside), inside
    assert any("Dot leaves the frame" in p for p in inside), inside


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


def test_loss_panel_refuses_a_curve_it_was_not_made_to_hold():
    """kmeans-training once drew its second start's longer run past the panel's last update and
    off the frame: ``curve_of`` now refuses a curve outside the axes it was given."""
    from mlv.scenes.components.panels import LossCurvePanel

    steps, loss = np.arange(6), np.geomspace(10.0, 1.0, 6)
    longer, lower = np.arange(12), np.geomspace(10.0, 0.01, 12)
    small = LossCurvePanel(steps, loss, width=4, height=3)
    with pytest.raises(ValueError, match="leaves the panel"):
        small.curve_of(longer, np.geomspace(10.0, 1.0, 12), style.MUTED)
    with pytest.raises(ValueError, match="leaves the panel"):
        small.curve_of(steps, lower[:6] / 1e3, style.MUTED)
    wide = LossCurvePanel(steps, loss, width=4, height=3, others=[lower], x_max=11)
    curve = wide.curve_of(longer, lower, style.MUTED)
    lo, hi = wide.axes.get_corner([-1, -1, 0]), wide.axes.get_corner([1, 1, 0])
    assert np.all(curve.points[:, :2] >= lo[:2] - 1e-6)
    assert np.all(curve.points[:, :2] <= hi[:2] + 1e-6)
