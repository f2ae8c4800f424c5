"""``activation-functions``: step, sigmoid, tanh, ReLU and leaky ReLU with their slopes beneath;
saturation bands; the derivatives of sigmoid, tanh and ReLU on the board."""
from __future__ import annotations

import numpy as np
from manim import (
    Create,
    FadeIn,
    FadeOut,
    MathTex,
    Rectangle,
    VGroup,
    VMobject,
)

from mlv.algorithms.lessons_linear import activation_curves
from mlv.derivations.activations import relu_derivative, sigmoid_derivative, tanh_derivative
from mlv.scenes import style
from mlv.scenes.components.derivation import DerivationPanel
from mlv.scenes.components.panels import make_axes, points_on
from mlv.scenes.lesson import LessonScene
from mlv.scenes.narration import Beat, Narration

CURVES = activation_curves()
Z = CURVES.z
SAT = CURVES.saturation
EDGE_SIGMOID = CURVES.saturated["sigmoid"][1][0]       # first saturated z on the right
EDGE_TANH = CURVES.saturated["tanh"][1][0]
MAX_SIGMOID = CURVES.max_slope("sigmoid")
MAX_TANH = CURVES.max_slope("tanh")

BOARD = {r"\sigma{\left(z \right)}": r"\sigma(z)", r"\tanh^{2}{\left(z \right)}": r"\tanh^2 z",
         r"\tanh{\left(z \right)}": r"\tanh z", r"\text{for}\:": r"\text{if }",
         r"\text{otherwise}": r"\text{else}"}

NARRATION = Narration(
    Beat("neuron", "A unit computes a score z and passes it through an activation function f. "
                   "Here are five of them, each with its slope, f prime, beneath."),
    Beat("step", "The perceptron's step jumps from zero to one at z equals zero. Everywhere "
                 "else its slope is zero, so no gradient passes through it."),
    Beat("sigmoid", f"The sigmoid is a smooth step from zero to one. Its slope is largest at "
                    f"zero, where it is {MAX_SIGMOID:g}, one quarter."),
    Beat("saturate", f"Far from zero it flattens: beyond about plus or minus "
                     f"{EDGE_SIGMOID:.1f}, its slope is below {SAT:g}. In these grey bands the "
                     "unit saturates, and almost no gradient gets through."),
    Beat("tanh", f"tanh has the same S shape, from minus one to one and centred on zero, with a "
                 f"slope of up to {MAX_TANH:g}. It saturates sooner, beyond about "
                 f"{EDGE_TANH:.1f}."),
    Beat("relu", "ReLU is zero for negative z, and z itself for positive z. Its slope is one "
                 "on the whole positive side, and zero on the negative side."),
    Beat("leaky", f"Leaky ReLU keeps a small slope, {CURVES.leaky_slope:g}, on the negative "
                  "side, so a unit is never completely silent."),
    Beat("derive-sigma", "Where does the sigmoid's slope come from? Write sigma as a power of "
                         "one plus e to the minus z, and apply the chain rule."),
    Beat("sigma-cancel", "The two minus signs cancel, and the square splits into two factors."),
    Beat("sigma-result", "The second factor is one minus sigma. So sigma prime is sigma times "
                         "one minus sigma: at most a quarter."),
    Beat("derive-tanh", "For tanh, write it with exponentials and use the quotient rule."),
    Beat("tanh-result", "Split the fraction and recognise tanh squared: the slope is one minus "
                        "tanh squared, at most one."),
    Beat("relu-derivative", "ReLU is a maximum: slope zero below zero, one above. At the kink "
                            "the code takes zero, a subgradient."),
    Beat("lesson", "In backpropagation these slopes multiply, layer after layer, so saturated "
                   "units pass almost nothing back: one reason deep networks prefer ReLU."),
)

TITLES = {"step": r"\text{step}", "sigmoid": r"\sigma(z)", "tanh": r"\tanh z",
          "relu": r"\mathrm{ReLU}(z)", "leaky_relu": r"\text{leaky ReLU}"}
F_RANGES = {"step": [0, 1, 1], "sigmoid": [0, 1, 1], "tanh": [-1, 1, 1], "relu": [0, 5, 5],
            "leaky_relu": [-1, 5, 5]}
COL_W, ROW_H = 2.15, 1.55
COL_X = (-4.95, -2.4, 0.15, 2.7, 5.25)
TOP_Y, BOTTOM_Y = 1.15, -1.1


class ActivationFunctions(LessonScene):
    narration = NARRATION
    heading = "Activation functions and their slopes"
    numbers = {"largest sigmoid slope": float(MAX_SIGMOID), "largest tanh slope": float(MAX_TANH),
               "saturated: slope below": SAT, "sigmoid saturated beyond z": float(EDGE_SIGMOID),
               "tanh saturated beyond z": float(EDGE_TANH),
               "leaky ReLU negative slope": CURVES.leaky_slope}

    def _column(self, name: str, x: float):
        n = style.NOTATION
        zr = [float(Z[0]), float(Z[-1]), 5]
        top = make_axes(zr, F_RANGES[name], width=COL_W, height=ROW_H)
        bottom = make_axes(zr, [0, 1, 1], width=COL_W, height=ROW_H)
        for frame, y in ((top, TOP_Y), (bottom, BOTTOM_Y)):      # centre the plot boxes, not
            ax = frame.axes                                       # the tick labels around them
            box = (ax.c2p(ax.x_range[0], ax.y_range[0]) + ax.c2p(ax.x_range[1], ax.y_range[1])) / 2
            frame.shift(np.array([x, y, 0]) - box)
        title = MathTex(TITLES[name], font_size=style.FONT_SIZE_BODY, color=n.activation)
        title.move_to([x, TOP_Y + ROW_H / 2 + 0.55, 0])      # one baseline row of titles
        f = self._curve(top.axes, CURVES.values[name], n.activation)
        d = self._curve(bottom.axes, CURVES.slopes[name], n.gradient)
        bands = VGroup()
        for lo, hi in CURVES.saturated.get(name, ()):
            for frame in (top, bottom):
                ax = frame.axes
                y0, y1 = ax.y_range[0], ax.y_range[1]
                corner_lo, corner_hi = ax.c2p(lo, y0), ax.c2p(hi, y1)
                band = Rectangle(width=corner_hi[0] - corner_lo[0],
                                 height=corner_hi[1] - corner_lo[1], stroke_width=0,
                                 fill_color=n.saturated, fill_opacity=0.3)
                band.move_to((corner_lo + corner_hi) / 2)
                bands.add(band)
        return VGroup(top, bottom, title), f, d, bands

    @staticmethod
    def _curve(ax, values, colour) -> VGroup:
        """The curve of ``values`` over ``Z``, broken where it jumps (the step)."""
        pts = points_on(ax, Z, values)
        jumps = np.flatnonzero(np.abs(np.diff(values)) > 0.5) + 1
        pieces = VGroup()
        for part in np.split(pts, jumps):
            if len(part) > 1:
                piece = VMobject(stroke_color=colour, stroke_width=style.STROKE)
                piece.set_points_as_corners(part)
                pieces.add(piece)
        return pieces

    def construct(self):
        n = style.NOTATION
        cols = {name: self._column(name, x) for name, x in zip(CURVES.names, COL_X)}
        rows = VGroup(
            MathTex("f", font_size=style.FONT_SIZE_MATH, color=n.activation).move_to(
                [-6.5, TOP_Y, 0]),
            MathTex("f'", font_size=style.FONT_SIZE_MATH, color=n.gradient).move_to(
                [-6.5, BOTTOM_Y, 0]),
        )
        frames = VGroup(*[c[0] for c in cols.values()])

        with self.beat("neuron") as beat:
            self.play(FadeIn(rows), Create(frames), run_time=beat.part(0.5))

        def show(name, beat, share=0.6):
            _, f, d, _ = cols[name]
            self.play(Create(f), run_time=beat.part(share / 2))
            self.play(Create(d), run_time=beat.part(share / 2))

        with self.beat("step") as beat:
            show("step", beat)
        with self.beat("sigmoid") as beat:
            show("sigmoid", beat)
        with self.beat("saturate") as beat:
            self.play(FadeIn(cols["sigmoid"][3]), run_time=beat.part(0.4))
        with self.beat("tanh") as beat:
            show("tanh", beat, 0.5)
            self.play(FadeIn(cols["tanh"][3]), run_time=beat.part(0.2))
        with self.beat("relu") as beat:
            show("relu", beat)
        with self.beat("leaky") as beat:
            show("leaky_relu", beat)

        grid = VGroup(rows, *[VGroup(*c) for c in cols.values()])
        width = style.FRAME_WIDTH - 2 * style.SAFE_MARGIN - 0.4
        board = DerivationPanel(sigmoid_derivative(), centre=[0, 0.8, 0], max_width=width,
                                font_size=style.FONT_SIZE_BOARD, lhs_color=n.gradient,
                                display=BOARD)
        with self.beat("derive-sigma") as beat:
            self.play(FadeOut(grid), run_time=beat.part(0.2))
            for k in range(3):
                self.play(board.make_step_animation(k, run_time=beat.part(0.22)))
        with self.beat("sigma-cancel") as beat:
            for k in (3, 4):
                self.play(board.make_step_animation(k, run_time=beat.part(0.4)))
        with self.beat("sigma-result") as beat:
            for k in (5, 6):
                self.play(board.make_step_animation(k, run_time=beat.part(0.35)))

        tanh_board = DerivationPanel(tanh_derivative(), centre=[0, 0.8, 0], max_width=width,
                                     font_size=style.FONT_SIZE_BOARD, lhs_color=n.gradient,
                                     display=BOARD)
        with self.beat("derive-tanh") as beat:
            self.play(board.make_clear_animation(run_time=beat.part(0.15)))
            for k in range(3):
                self.play(tanh_board.make_step_animation(k, run_time=beat.part(0.25)))
        with self.beat("tanh-result") as beat:
            for k in (3, 4):
                self.play(tanh_board.make_step_animation(k, run_time=beat.part(0.4)))

        relu_board = DerivationPanel(relu_derivative(), centre=[0, 0.8, 0], max_width=width,
                                     font_size=style.FONT_SIZE_BOARD, lhs_color=n.gradient,
                                     display=BOARD)
        with self.beat("relu-derivative") as beat:
            self.play(tanh_board.make_clear_animation(run_time=beat.part(0.1)))
            for k in range(4):
                self.play(relu_board.make_step_animation(k, run_time=beat.part(0.2)))

        with self.beat("lesson") as beat:
            self.play(relu_board.make_clear_animation(run_time=beat.part(0.15)))
            self.play(FadeIn(grid), run_time=beat.part(0.3))
