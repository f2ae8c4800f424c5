"""``vanishing-gradients`` and ``autoencoder``: what the last frame shows is the lesson data's own
final state, and the bar component draws the numbers it is given."""
import math

import numpy as np
import pytest

from mlv.algorithms.lessons_deep import ACTIVATIONS
from mlv.scenes import mathtext, speech


def test_log_bar_panel_heights_and_clamping():
    from mlv.scenes.components.bars import LogBarPanel

    panel = LogBarPanel(3, [("a", "#ffffff"), ("b", "#ff0000")], exponents=(-9, 0), width=4,
                        height=3)
    assert panel.height_of(1e-3) == pytest.approx(6.0)
    assert panel.height_of(1e-12) == 0.0 and panel.height_of(0.0) == 0.0
    assert panel.height_of(50.0) == 9.0
    bars = panel.bars(1, [1e-9, 1e-4, 1.0])
    assert [b.value for b in bars] == [1e-9, 1e-4, 1.0]
    # a bar's top sits at log10(value) on the axis, its bottom on the floor
    top = panel.axes.p2c(bars[1].get_top())[1]
    bottom = panel.axes.p2c(bars[1].get_bottom())[1]
    assert top == pytest.approx(5.0, abs=1e-6) and bottom == pytest.approx(0.0, abs=1e-6)
    # series sit side by side inside their group
    left = panel.bars(0, [1.0, 1.0, 1.0])
    assert left[0].get_x() < bars[0].get_x()
    with pytest.raises(ValueError, match="need 3 values"):
        panel.bars(0, [1.0, 2.0])


def test_vanishing_scene_ends_on_the_trained_runs(last_frame):
    from mlv.scenes.chapter4 import vanishing_gradients as mod

    scene, _ = last_frame(mod.VanishingGradients)
    lesson = scene.lesson
    # the bars left on screen are the final epoch's gradient norms of each run
    for a in ACTIVATIONS:
        shown = [b.value for b in scene.final_bars[a]]
        assert shown == list(lesson.norms(a, -1))
    # the loss readout shows each run's final loss, as the narration reads it
    assert scene.losses.displayed() == {a: float(lesson.runs[a].loss[-1]) for a in ACTIVATIONS}
    assert scene.losses.displayed_text()["sigmoid"] == f"{math.log(2):.3f}"
    # the narration's numbers are the lesson's, as a viewer reads them ("2.6 × 10⁻⁸") and as the
    # voice says them ("2.6 times 10 to the minus 8")
    text = {b.key: b.written for b in scene.narration}
    said = {b.key: b.spoken for b in scene.narration}
    assert f"{lesson.norms('sigmoid')[-1]:.2f}" in text["sigmoid"]
    first = speech.scientific_tex(lesson.norms("sigmoid")[0])
    assert mathtext.written_math(first) in text["sigmoid"]
    assert mathtext.spoken_math(first) in said["sigmoid"]
    m, e = speech.mantissa_exponent(lesson.norms("sigmoid")[0])
    assert f"{m:g} times 10 to the minus {-e} at the first" in said["sigmoid"]
    spread = max(g.max() / g.min() for g in (lesson.norms("tanh"), lesson.norms("relu")))
    assert f"factor of {math.ceil(spread)}" in text["others"]
    assert f"{lesson.per_layer_factor('sigmoid'):.2f} per layer" in text["eleven"]
    assert f"{100 * lesson.weight_change['tanh'][0]:.0f} percent" in text["moved"]
    sigmoid_change = lesson.first_layer_change("sigmoid")
    assert sigmoid_change < 0.01
    assert (mathtext.written_math(speech.scientific_tex(sigmoid_change)) + " percent with the "
            "sigmoid") in text["moved"]


def test_autoencoder_scene_ends_on_the_lessons_final_numbers(last_frame):
    from mlv.scenes.chapter4 import autoencoder as mod

    scene, _ = last_frame(mod.Autoencoder)
    L = scene.lesson
    # the code scatter shows the codes of the last shown epoch (the run's final one)
    assert L.shown[-1] == len(L.run) - 1
    where = np.array([scene.code_axes.p2c(d.get_center()) for d in scene.code_dots])
    np.testing.assert_allclose(where, L.codes(L.shown[-1]), atol=1e-6)
    assert scene.readout.displayed() == {"epoch": float(L.run.steps[-1]),
                                         "loss": float(L.run.loss[-1])}
    # the angle readout ends on the linear run's final angles and loss
    shown = scene.angles.displayed()
    assert shown == {"t1": float(L.angles[-1][0]), "t2": float(L.angles[-1][1]),
                     "loss": float(L.linear.loss[-1]), "pca": L.pca_loss}
    assert scene.angles.displayed_text()["t1"] == "0.000"
    assert scene.lin_epoch.displayed() == {"epoch": float(L.linear.steps[-1])}
    text = {b.key: b.written for b in scene.narration}
    assert f"{L.pca_loss:.3f}" in text["same"]
    assert f"{L.run.loss[-1]:.2f}" in text["lesson"]
