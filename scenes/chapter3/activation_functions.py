"""``activation-functions``: step, sigmoid, tanh, ReLU and leaky ReLU with their slopes beneath;
saturation bands; the derivatives of sigmoid, tanh and ReLU on the board."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from manim import (
    Axes,
    Create,
    FadeIn,
    FadeOut,
    ManimColor,
    MathTex,
    Rectangle,
    VGroup,
    VMobject,
)

from mlv.algorithms.lessons_linear import ActivationCurves, activation_curves
from mlv.scenes import speech, style
from mlv.scenes.components.panels import make_axes, points_on
from mlv.scenes.lesson import BeatClock, LessonScene
from mlv.scenes.narration import Beat, Narration
from mlv.scenes.script import Script

BOARD = {r"\sigma{\left(z \right)}": r"\sigma(z)", r"\tanh^{2}{\left(z \right)}": r"\tanh^2 z",
         r"\tanh{\left(z \right)}": r"\tanh z", r"\text{for}\:": r"\text{if }",
         r"\text{otherwise}": r"\text{else}"}


def script(params: Mapping[str, Any]) -> Script:
    """The five activations and their slopes (the scene takes no parameters), the narration and
    numbers."""
    curves = activation_curves()
    max_sigmoid, max_tanh = curves.max_slope("sigmoid"), curves.max_slope("tanh")
    edge_sigmoid = curves.saturation_edge("sigmoid")
    edge_tanh = curves.saturation_edge("tanh")
    narration = Narration(
        Beat("neuron", "A unit computes a score $z$ and passes it through an activation "
                       "function $f$. Here are five of them, each with its slope, $f'$, beneath."),
        Beat("step", "The perceptron's step jumps from zero to one at $z = 0$. Everywhere "
                     "else its slope is zero, so no gradient passes through it."),
        Beat("sigmoid", "The sigmoid is a smooth step from zero to one. Its slope is largest at "
                        f"zero, where it is {speech.signed(max_sigmoid)}, one quarter."),
        Beat("saturate", "Far from zero it flattens: beyond about "
                         rf"$\pm {edge_sigmoid:.1f}$, its slope is below "
                         f"{speech.signed(curves.saturation)}. In these grey bands the unit "
                         "saturates, and almost no gradient gets through."),
        Beat("tanh", "tanh has the same S shape, from $-1$ to $1$ and centred on zero, "
                     f"with a slope of up to {speech.signed(max_tanh)}. It saturates sooner, "
                     f"beyond about {speech.decimals(edge_tanh, 1)}."),
        Beat("relu", "ReLU is zero for negative $z$, and $z$ itself for positive $z$. Its slope "
                     "is one on the whole positive side, and zero on the negative side."),
        Beat("leaky", f"Leaky ReLU keeps a small slope, {speech.signed(curves.leaky_slope)}, on "
                      "the negative side, so a unit is never completely silent."),
        Beat("derive-sigma", r"Where does the sigmoid's slope come from? Write $\sigma$ as a "
                             r"power of $1 + e^{-z}$, and apply the chain rule."),
        Beat("sigma-cancel", "Both minus signs cancel, and the square splits into two factors."),
        Beat("sigma-result", r"The second factor is $1 - \sigma$. So "
                             r"$\sigma' = \sigma(1 - \sigma)$: at most a quarter."),
        Beat("derive-tanh", "For tanh, write it with exponentials and use the quotient rule."),
        Beat("tanh-result", r"Split the fraction and recognise $\tanh^2$: the slope is "
                            r"$1 - \tanh^2$, at most one."),
        Beat("relu-derivative", "ReLU is a maximum: slope zero below zero, one above. At the kink "
                                "the code takes zero, a subgradient."),
        Beat("lesson", "In backpropagation these slopes multiply, layer after layer, so saturated "
                       "units pass almost nothing back: one reason deep networks prefer ReLU."),
    )
    numbers = {"largest sigmoid slope": max_sigmoid, "largest tanh slope": max_tanh,
               "saturated: slope below": curves.saturation,
               "sigmoid saturated beyond z": edge_sigmoid, "tanh saturated beyond z": edge_tanh,
               "leaky ReLU negative slope": curves.leaky_slope}
    return Script(narration, curves, numbers)


TITLES = {"step": r"\text{step}", "sigmoid": r"\sigma(z)", "tanh": r"\tanh z",
          "relu": r"\mathrm{ReLU}(z)", "leaky_relu": r"\text{leaky ReLU}"}
F_RANGES = {"step": [0, 1, 1], "sigmoid": [0, 1, 1], "tanh": [-1, 1, 1], "relu": [0, 5, 5],
            "leaky_relu": [-1, 5, 5]}
COL_W, ROW_H = 2.15, 1.55         # one plot's box
TITLE_GAP = 0.55                  # from the top plot box's edge to its title's centre
JUMP = 0.5                        # a curve is broken where it jumps by more (the step)
BOARD_WIDTH = style.FRAME_WIDTH - 2 * style.SAFE_MARGIN - 0.4

# The layout, by region (offsets from the stage's centre): five columns of two plots, f above f',
# each plot's box (not its tick labels) centred on its column and row; the rows named at the
# stage's left edge; the derivations on the board.
_SY = style.STAGE.center[1]
COLUMNS_DX = (-4.95, -2.4, 0.15, 2.7, 5.25)
TOP_DY, BOTTOM_DY = 1.15 - _SY, -1.1 - _SY
ROW_NAMES_DX = -6.5
BOARD_DY = 0.8 - _SY


class ActivationFunctions(LessonScene):
    script = staticmethod(script)
    lesson: ActivationCurves

    def _column(self, name: str, dx: float) -> tuple[VGroup, VGroup, VGroup, VGroup]:
        """The column of activation ``name``: its two plots with the title, the curve of f, the
        curve of f' and the saturation bands."""
        n = style.NOTATION
        curves = self.lesson
        z = curves.z
        zr = [float(z[0]), float(z[-1]), 5]
        top = make_axes(zr, F_RANGES[name], width=COL_W, height=ROW_H)
        bottom = make_axes(zr, [0, 1, 1], width=COL_W, height=ROW_H)
        top_at = style.STAGE.at(dx, TOP_DY)
        for frame, at in ((top, top_at), (bottom, style.STAGE.at(dx, BOTTOM_DY))):
            ax = frame.axes                  # centre the plot boxes, not the tick labels around
            box = (ax.c2p(ax.x_range[0], ax.y_range[0]) + ax.c2p(ax.x_range[1], ax.y_range[1])) / 2
            frame.shift(at - box)
        title = MathTex(TITLES[name], font_size=style.FONT_SIZE_BODY, color=n.activation)
        # one baseline row of titles
        title.move_to(np.array([top_at[0], top_at[1] + ROW_H / 2 + TITLE_GAP, 0]))
        f = self._curve(top.axes, z, curves.values[name], n.activation)
        d = self._curve(bottom.axes, z, curves.slopes[name], n.gradient)
        bands = VGroup()
        for lo, hi in curves.saturated.get(name, ()):
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
    def _curve(ax: Axes, z: np.ndarray, values: np.ndarray, colour: ManimColor) -> VGroup:
        """The curve of ``values`` over ``z``, broken where it jumps (the step)."""
        pts = points_on(ax, z, values)
        jumps = np.flatnonzero(np.abs(np.diff(values)) > JUMP) + 1
        pieces = VGroup()
        for part in np.split(pts, jumps):
            if len(part) > 1:
                piece = VMobject(stroke_color=colour, stroke_width=style.STROKE)
                piece.set_points_as_corners(part)
                pieces.add(piece)
        return pieces

    def construct(self) -> None:
        # imported here: the derivations (SymPy) load only when the scene is drawn, so
        # importing this module does no work
        from mlv.derivations.activations import relu_derivative, sigmoid_derivative, tanh_derivative
        from mlv.scenes.components.derivation import DerivationPanel
        n = style.NOTATION
        cols = {name: self._column(name, dx) for name, dx in zip(self.lesson.names, COLUMNS_DX)}
        rows = VGroup(
            MathTex("f", font_size=style.FONT_SIZE_MATH, color=n.activation).move_to(
                style.STAGE.at(ROW_NAMES_DX, TOP_DY)),
            MathTex("f'", font_size=style.FONT_SIZE_MATH, color=n.gradient).move_to(
                style.STAGE.at(ROW_NAMES_DX, BOTTOM_DY)),
        )
        frames = VGroup(*[c[0] for c in cols.values()])

        with self.beat("neuron") as beat:
            self.play(FadeIn(rows), Create(frames), run_time=beat.part(0.5))

        def show(name: str, beat: BeatClock, share: float = 0.6) -> None:
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
        board = DerivationPanel(sigmoid_derivative(), centre=style.STAGE.at(dy=BOARD_DY),
                                max_width=BOARD_WIDTH,
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

        tanh_board = DerivationPanel(tanh_derivative(), centre=style.STAGE.at(dy=BOARD_DY),
                                     max_width=BOARD_WIDTH,
                                     font_size=style.FONT_SIZE_BOARD, lhs_color=n.gradient,
                                     display=BOARD)
        with self.beat("derive-tanh") as beat:
            self.play(board.make_clear_animation(run_time=beat.part(0.15)))
            for k in range(3):
                self.play(tanh_board.make_step_animation(k, run_time=beat.part(0.25)))
        with self.beat("tanh-result") as beat:
            for k in (3, 4):
                self.play(tanh_board.make_step_animation(k, run_time=beat.part(0.4)))

        relu_board = DerivationPanel(relu_derivative(), centre=style.STAGE.at(dy=BOARD_DY),
                                     max_width=BOARD_WIDTH,
                                     font_size=style.FONT_SIZE_BOARD, lhs_color=n.gradient,
                                     display=BOARD)
        with self.beat("relu-derivative") as beat:
            self.play(tanh_board.make_clear_animation(run_time=beat.part(0.1)))
            for k in range(4):
                self.play(relu_board.make_step_animation(k, run_time=beat.part(0.2)))

        with self.beat("lesson") as beat:
            self.play(relu_board.make_clear_animation(run_time=beat.part(0.15)))
            self.play(FadeIn(grid), run_time=beat.part(0.3))
