"""Last-frame pixel tests of the components with manim's ``frames_comparison``.

Control frames live in ``tests/scenes/control_data/components/``. After a deliberate change to how a
component looks, render it, look at it, then rewrite its control frame with
``pytest tests/scenes/test_component_frames.py --set_test``.

The inputs are small fixed arrays written here (not lesson data), so a change to a lesson's data
never moves these frames; only a change to the components (or to the style) does.
"""
from __future__ import annotations

import numpy as np
import pytest
from manim import DOWN, LEFT, RIGHT, UP, ValueTracker
from manim.utils.testing import frames_comparison as _fc
from manim.utils.testing.frames_comparison import frames_comparison

from mlv.scenes import style
from mlv.scenes.components.panels import ContourPanel, DataPanel, LossCurvePanel
from mlv.scenes.components.readout import Readout

pytestmark = pytest.mark.render

__module_test__ = "components"

# manim skips pixel tests below cairo 1.18 because *its own* control frames were drawn with 1.18.
# Ours are drawn here, with the cairo this project installs (Debian 12: 1.16), so the comparison is
# like for like; a different cairo that draws differently fails the test, as it should.
_fc.MIN_CAIRO_VERSION = 0

X = np.linspace(-2.0, 3.0, 12)
Y = 1.5 * X + 0.5 + 0.4 * np.sin(3.0 * X)            # fixed, not random: frames must not move
W = np.linspace(-1.0, 3.0, 41)
B = np.linspace(-2.0, 2.0, 41)
SURFACE = (W[None, :] - 1.4) ** 2 * 4.0 + (B[:, None] - 0.3) ** 2 + 0.1
PATH = np.column_stack([np.linspace(-0.5, 1.4, 15) + 0.2 * np.cos(np.arange(15)),
                        np.linspace(1.6, 0.3, 15)])
LOSS = 10.0 * 0.7 ** np.arange(40) + 1e-3


def data_panel_scene(scene, shift=0.0):
    scene.camera.background_color = style.BACKGROUND
    panel = DataPanel(X, Y + shift, width=6.0, height=4.0).shift(LEFT * 2.5)
    scene.add(panel, panel.line(1.5, 0.5), panel.residuals(1.5, 0.5))
    readout = Readout([("w", "w", style.NOTATION.w), ("b", "b", style.NOTATION.b),
                       ("loss", r"\mathrm{MSE}", style.NOTATION.loss)], decimals=3)
    readout.show({"w": 1.5, "b": 0.5, "loss": 0.0801}).to_edge(RIGHT, buff=1.0)
    scene.add(readout)


@frames_comparison
def test_data_panel_with_line_residuals_and_readout(scene):
    data_panel_scene(scene)


@frames_comparison
def test_contour_panel_with_path_and_optimum(scene):
    scene.camera.background_color = style.BACKGROUND
    panel = ContourPanel(W, B, SURFACE, width=6.0, height=5.0).shift(LEFT * 2.8)
    tracker = ValueTracker(len(PATH) - 1)
    scene.add(panel, panel.optimum(1.4, 0.3),
              panel.tracked_path(PATH, tracker, style.NOTATION.path))
    curve = LossCurvePanel(np.arange(len(LOSS)), LOSS, width=4.5, height=3.0)
    curve.to_edge(RIGHT, buff=0.8).shift(DOWN * 0.5)
    scene.add(curve, curve.curve_upto(len(LOSS) - 1))


@frames_comparison
def test_derivation_panel_shows_the_last_step_and_its_reason(scene):
    from mlv.derivations.mse import gradient_w
    from mlv.scenes.components.derivation import DerivationPanel

    scene.camera.background_color = style.BACKGROUND
    board = DerivationPanel(gradient_w(), centre=UP * 0.5, max_width=11.0)
    last = len(board.derivation.steps) - 1
    for k in range(last + 1):
        scene.play(board.make_step_animation(k))
    assert board.k == last


def test_the_pixel_check_catches_a_small_change(tmp_path):
    """The control frame is sensitive: moving the data up by a tenth of a unit fails it."""
    from manim import Scene, tempconfig
    from manim.utils.testing._frames_testers import _FramesTester

    control = (__import__("pathlib").Path(__file__).parent / "control_data" / "components" /
               "data_panel_with_line_residuals_and_readout.npz")

    class Moved(Scene):
        def construct(self):
            data_panel_scene(self, shift=0.1)

    with tempconfig({"pixel_height": 480, "pixel_width": 854, "frame_rate": 1, "dry_run": True,
                     "disable_caching": True, "media_dir": str(tmp_path), "verbosity": "ERROR"}):
        scene = Moved()
        scene.render()
        frame = scene.renderer.get_frame()
    tester = _FramesTester(control)
    with pytest.raises(AssertionError), tester.testing():
        tester.check_frame(-1, frame)


# fixed weights of a 2-3-1 network and one forward/backward pass through it (no randomness)
NET = [(np.array([[1.2, -0.7], [0.3, 0.9], [-1.5, 0.4]]), np.array([0.1, -0.2, 0.3])),
       (np.array([[0.8, -1.1, 0.5]]), np.array([-0.3]))]


@frames_comparison
def test_network_diagram_after_a_forward_and_a_backward_pass(scene):
    from mlv.algorithms import network as nw
    from mlv.scenes.components.network import NetworkDiagram

    scene.camera.background_color = style.BACKGROUND
    d = NetworkDiagram(NET, width=7.0, height=4.0, layer_labels=["x", "a^{(1)}", r"\hat y"])
    scene.add(d)
    record = nw.forward_backward(NET, np.array([0.5, -1.0]), 1.0, ("sigmoid", "sigmoid"), "bce")
    for anim in d.make_forward_animations(record) + d.make_backward_animations(record):
        scene.play(anim)
    # manim's harness redraws only the last animation's moving mobjects over a static image it
    # never refreshed while skipping; ending on a still wait makes it draw every mobject, so the
    # control frame is the one a full render ends on
    scene.wait(0.1)


@frames_comparison
def test_log_bars_and_probability_field(scene):
    from manim import Axes

    from mlv.scenes.components.bars import LogBarPanel
    from mlv.scenes.components.probability_field import contour_lines, field_image

    scene.camera.background_color = style.BACKGROUND
    bars = LogBarPanel(6, [("a", style.NOTATION.w), ("b", style.NOTATION.b)], exponents=(-6, 0),
                       width=5.0, height=3.5, x_label=r"\text{layer}")
    bars.to_edge(LEFT, buff=0.6)
    table = np.array([[10.0 ** -(6 - g) for g in range(6)], [10.0 ** -(g / 2) for g in range(6)]])
    scene.add(bars, bars.bars(0, table[0]), bars.bars(1, table[1]))
    axes = Axes(x_range=[-2, 2, 1], y_range=[-2, 2, 1], x_length=4.0, y_length=4.0, tips=False)
    axes.to_edge(RIGHT, buff=0.8)
    g = np.linspace(-2, 2, 61)
    prob = 1 / (1 + np.exp(-(2.0 * g[None, :] - 1.5 * g[:, None] + 0.3)))
    scene.add(field_image(axes, g, g, prob), axes, contour_lines(axes, g, g, prob))
