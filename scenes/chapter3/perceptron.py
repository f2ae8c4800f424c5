"""``perceptron``: the boundary w.x + b = 0 pulled by each mistake; the perceptron criterion and its
subgradient (not the hinge loss, which is shown beside it)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from manim import (
    DOWN,
    LEFT,
    UP,
    Arrow,
    Circle,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    Line,
    MathTex,
    ReplacementTransform,
    Transform,
    VGroup,
    VMobject,
    Write,
)

from mlv.algorithms.lessons_linear import PerceptronLesson, perceptron_lesson
from mlv.scenes import speech, style
from mlv.scenes.components.panels import make_axes, points_on
from mlv.scenes.components.readout import Readout
from mlv.scenes.lesson import LessonScene
from mlv.scenes.narration import Beat, Narration
from mlv.scenes.script import Script

FIRST_PULL, LAST_PULL = 2, 3              # the updates shown one by one in the "pull" beat

# the boards show f for w1 x1 + w2 x2 + b (the derivation's own steps, only abbreviated)
BOARD = {r"\left(w_{1} x_{1} + w_{2} x_{2} + b\right)": "f", r"\text{for}\:": r"\text{if }",
         r"\text{otherwise}": r"\text{else}"}


def script(params: Mapping[str, Any]) -> Script:
    """The perceptron's run (the scene takes no parameters), its narration and numbers."""
    lesson = perceptron_lesson()
    narration = Narration(
        Beat("data", f"{len(lesson.y)} points in two classes: $+1$ in pink, $-1$ in blue. A "
                     "straight line can separate them."),
        Beat("model", r"The perceptron predicts the sign of $f$, where $f = w \cdot x + b$. The "
                      r"boundary is the line $f = 0$, with $w$ as its normal."),
        Beat("start", f"It starts with $w$ and $b$ at zero, so all {lesson.mistakes[0]} points "
                      "count as mistakes."),
        Beat("rule", r"The rule: visit the points in order. Whenever $yf \le 0$, add $\eta\, y x$ "
                     r"to $w$, and $\eta\, y$ to $b$. Here "
                     rf"$\eta = {lesson.learning_rate:g}$."),
        Beat("first", "The first mistake gives the first boundary. The ring marks the point "
                      "that caused it."),
        Beat("pull", "Each mistake turns the normal towards that point's side."),
        Beat("updates", f"The number of misclassified points falls from {lesson.mistakes[1]} "
                        f"to {lesson.mistakes[-1]}."),
        Beat("converged", f"After {lesson.n_updates} updates, pass {lesson.epochs} makes no "
                          "mistake and the run stops, with exactly the weights of "
                          "scikit-learn's Perceptron."),
        Beat("criterion", "Which loss does this descend? The perceptron criterion: the maximum "
                          "of zero and $-yf$."),
        Beat("cases", "A mistake costs $-yf$, which is positive; a correct point costs "
                      "nothing."),
        Beat("derivative", "Its derivative in $w_1$: away from the kink, $-y x_1$ for a "
                           "mistake, and zero otherwise."),
        Beat("kink", "At $yf = 0$, any value in between is a subgradient. The "
                     "perceptron takes $-y x_1$."),
        Beat("bias", r"For $b$ the same steps give $-y$. A step of $\eta$ against this "
                     "subgradient is exactly the update rule."),
        Beat("hinge", "This is not the hinge loss, drawn in purple: the maximum of zero and "
                      "$1 - yf$."),
        Beat("hinge-cases", "Its $1$ adds a margin: correct points with $yf$ below $1$ still "
                            "cost something."),
        Beat("hinge-final", "On the final boundary the criterion is "
                            f"{speech.signed(lesson.final_criterion)}, but the hinge loss is "
                            f"{speech.decimals(lesson.final_hinge, 3)}: {lesson.inside_margin} "
                            "correct points sit inside the margin."),
        Beat("lesson", "The perceptron stops at the first separating line, however close it "
                       "passes. Asking for a margin leads to support vector machines."),
    )
    numbers = {"points": len(lesson.y), "learning rate": lesson.learning_rate,
               "updates": lesson.n_updates, "passes": lesson.epochs,
               "mistakes at the start": int(lesson.mistakes[0]),
               "final mistakes": int(lesson.mistakes[-1]),
               "final perceptron criterion": lesson.final_criterion,
               "final hinge loss": lesson.final_hinge}
    return Script(narration, lesson, numbers)


UNIT = 0.68                      # scene units per data unit on both axes (a true normal)
DOT_RADIUS = style.DOT_RADIUS * 1.3
RING_RADIUS = 0.17               # the ring around the point that caused an update
NORMAL_TIP = 0.3                 # the normal's arrow tip, as a fraction of its length
RULE_MAX_WIDTH = 6.6
CONVERGED_STROKE = style.STROKE_THICK * 1.4
BOARD_WIDTH = style.FRAME_WIDTH - 2 * style.SAFE_MARGIN - 0.4
RESULT_SCALE = 0.8               # the w result, made room for beside the b result
HINGE_PLOT_W, HINGE_PLOT_H = 4.6, 3.2
SUBGRADIENT_B_MAX_WIDTH = BOARD_WIDTH / 2 - 0.2
HINGE_MAX_WIDTH = 6.4

# The layout, by region (offsets from the region's centre). The run: the data plot at the left
# edge, its axes centred PLOT_DY from the stage's centre; the model, the rule and the readout in
# a column on the right half. The board: the derivations centred on the stage, then the hinge
# plot on the left half beside its cases and the final losses on the right half.
_SY = style.STAGE.center[1]
_LX, _LY = style.LEFT.center[0], style.LEFT.center[1]
_RX, _RY = style.RIGHT.center[0], style.RIGHT.center[1]
PLOT_EDGE = style.SAFE_MARGIN + 0.2           # the plot's left edge from the frame's
PLOT_DY = -0.2 - _SY
COLUMN_DX = 3.7 - _RX
MODEL = (COLUMN_DX, 2.15 - _RY)
RULE = (COLUMN_DX, 0.55 - _RY)
READOUT = (COLUMN_DX - 0.4, -1.3 - _RY)        # a little left of the column's centre line
F_DEF_DY = 2.55 - _SY
CRITERION_DY = 1.2 - _SY
SUBGRADIENT_DY = 0.9 - _SY
SUBGRADIENT_B_DY = -0.7 - _SY
DESCENT_DY = -1.0 - _SY
W_RESULT = (-3.2 - _LX, 0.9 - _LY)
B_RESULT = (3.2 - _RX, 0.9 - _RY)
HINGE_PLOT = (-3.9 - _LX, 0.55 - _LY)
HINGE_CASES = (3.2 - _RX, 0.9 - _RY)
FINAL_LOSSES = (3.2 - _RX, -1.7 - _RY)


def update_rule() -> VGroup:
    n = style.NOTATION
    cond = MathTex(r"\text{if } y_i f(x_i) \le 0:", font_size=style.FONT_SIZE_MATH)
    step = MathTex("w", r"\leftarrow w + \eta\, y_i x_i,", r"\quad b", r"\leftarrow b + \eta\, y_i",
                   font_size=style.FONT_SIZE_MATH)
    step[0].set_color(n.w)
    step[2].set_color(n.b)
    return VGroup(cond, step).arrange(DOWN, aligned_edge=LEFT, buff=style.GAP_SMALL)


def model_tex() -> VGroup:
    n = style.NOTATION
    f = MathTex("f(x)", "=", "w", r"^\top x", "+", "b", font_size=style.FONT_SIZE_MATH)
    f[0].set_color(n.prediction)
    f[2].set_color(n.w)
    f[5].set_color(n.b)
    pred = MathTex(r"\hat y = \operatorname{sign} f(x)", font_size=style.FONT_SIZE_MATH)
    boundary = MathTex(r"\text{boundary: } f(x) = 0", font_size=style.FONT_SIZE_BODY,
                       color=n.prediction)
    return VGroup(f, pred, boundary).arrange(DOWN, aligned_edge=LEFT, buff=style.GAP)


class Perceptron(LessonScene):
    script = staticmethod(script)
    lesson: PerceptronLesson

    def construct(self) -> None:
        # imported here: the derivations (SymPy) load only when the scene is drawn, so
        # importing this module does no work
        from mlv.derivations.perceptron import (
            criterion_cases,
            hinge_cases,
            subgradient_b,
            subgradient_w1,
        )
        from mlv.scenes.components.derivation import DerivationPanel
        n = style.NOTATION
        lesson = self.lesson
        X, Y = lesson.X, lesson.y
        x0, x1, y0, y1 = lesson.box
        frame = make_axes([x0, x1, 1], [y0, y1, 1], width=(x1 - x0) * UNIT,
                          height=(y1 - y0) * UNIT, x_label="x_1", y_label="x_2",
                          label_every=2)
        ax = frame.axes
        frame.to_edge(LEFT, buff=PLOT_EDGE)
        frame.shift((style.STAGE.at(dy=PLOT_DY)[1] - ax.get_y()) * UP)   # the axes, not labels
        colours = {1.0: n.positive, -1.0: n.negative}
        dots = VGroup(*[Dot(p, radius=DOT_RADIUS, color=colours[float(c)])
                        for p, c in zip(points_on(ax, X[:, 0], X[:, 1]), Y)])

        def boundary(k: int) -> VGroup:
            seg = lesson.segments[k]
            assert seg is not None                     # every update leaves w != 0
            line = Line(ax.c2p(*seg[0]), ax.c2p(*seg[1]), color=n.prediction,
                        stroke_width=style.STROKE)
            w = lesson.w[k]
            foot = lesson.feet[k]
            tip = foot + w / np.linalg.norm(w)             # a unit normal, drawn from the line
            arrow = Arrow(ax.c2p(*foot), ax.c2p(*tip), buff=0, color=n.w,
                          stroke_width=style.STROKE_THICK,
                          max_tip_length_to_length_ratio=NORMAL_TIP)
            return VGroup(line, arrow)

        def ring(k: int) -> Circle:
            i = lesson.cause[k]
            return Circle(radius=RING_RADIUS, color=style.FOREGROUND,
                          stroke_width=style.STROKE).move_to(ax.c2p(*X[i]))

        readout = Readout([("k", r"\text{update}", style.FOREGROUND, 0),
                           ("w1", "w_1", n.w), ("w2", "w_2", n.w), ("b", "b", n.b),
                           ("mistakes", r"\text{mistakes}", style.FOREGROUND, 0)],
                          decimals=2, font_size=style.FONT_SIZE_BODY)

        def state(k: int) -> dict[str, float]:
            return {"k": float(k), "w1": float(lesson.w[k, 0]), "w2": float(lesson.w[k, 1]),
                    "b": float(lesson.b[k]), "mistakes": float(lesson.mistakes[k])}

        with self.beat("data") as beat:
            self.play(Create(frame), run_time=beat.part(0.3))
            self.play(FadeIn(dots, lag_ratio=0.03), run_time=beat.part(0.4))

        model = model_tex().move_to(style.RIGHT.at(*MODEL))
        with self.beat("model") as beat:
            self.play(Write(model), run_time=beat.part(0.6))

        readout.show(state(0)).move_to(style.RIGHT.at(*READOUT))
        with self.beat("start") as beat:
            self.play(FadeIn(readout), run_time=beat.part(0.3))
            self.pulse(*dots, beat=beat)

        rule = update_rule().move_to(style.RIGHT.at(*RULE))
        if rule.width > RULE_MAX_WIDTH:
            rule.scale_to_fit_width(RULE_MAX_WIDTH)
        with self.beat("rule") as beat:
            self.play(Write(rule), run_time=beat.part(0.5))

        drawn = boundary(1)
        marker = ring(1)
        with self.beat("first") as beat:
            self.play(Create(marker), run_time=beat.part(0.2))
            self.play(Create(drawn), run_time=beat.part(0.35))
            readout.show(state(1))

        def step_to(k: int, run_time: float) -> Circle:
            new_marker = ring(k)
            self.play(ReplacementTransform(marker, new_marker), run_time=run_time * 0.35)
            self.play(Transform(drawn, boundary(k)), run_time=run_time * 0.65)
            readout.show(state(k))
            return new_marker

        with self.beat("pull") as beat:
            per = beat.duration * 0.8 / (LAST_PULL - FIRST_PULL + 1)
            for k in range(FIRST_PULL, LAST_PULL + 1):
                marker = step_to(k, per)

        with self.beat("updates") as beat:
            per = beat.duration * 0.8 / max(1, lesson.n_updates - LAST_PULL)
            for k in range(LAST_PULL + 1, lesson.n_updates + 1):
                marker = step_to(k, per)
            self.play(FadeOut(marker), run_time=beat.part(0.1))

        with self.beat("converged") as beat:
            self.flash_stroke(drawn, beat=beat, width=CONVERGED_STROKE)
        self.final_shown = readout.displayed()

        # --- the loss behind the rule, on the board
        f_def = MathTex(r"f = w_1 x_1 + w_2 x_2 + b", font_size=style.FONT_SIZE_MATH,
                        color=n.prediction).move_to(style.STAGE.at(dy=F_DEF_DY))
        crit = DerivationPanel(criterion_cases(), centre=style.STAGE.at(dy=CRITERION_DY),
                               max_width=BOARD_WIDTH, font_size=style.FONT_SIZE_BOARD,
                               display=BOARD)
        with self.beat("criterion") as beat:
            self.play(FadeOut(VGroup(frame, dots, drawn, model, rule, readout)),
                      run_time=beat.part(0.25))
            self.play(FadeIn(f_def), crit.make_step_animation(0, run_time=beat.part(0.4)))
        with self.beat("cases") as beat:
            self.play(crit.make_step_animation(1, run_time=beat.part(0.5)))

        sub = DerivationPanel(subgradient_w1(), centre=style.STAGE.at(dy=SUBGRADIENT_DY),
                              max_width=BOARD_WIDTH, font_size=style.FONT_SIZE_BOARD,
                              display=BOARD)
        with self.beat("derivative") as beat:
            self.play(crit.make_clear_animation(run_time=beat.part(0.1)))
            for k in range(3):
                self.play(sub.make_step_animation(k, run_time=beat.part(0.25)))
        with self.beat("kink") as beat:
            self.play(sub.make_step_animation(3, run_time=beat.part(0.5)))

        sub_b = DerivationPanel(subgradient_b(), centre=style.STAGE.at(dy=SUBGRADIENT_B_DY),
                                max_width=SUBGRADIENT_B_MAX_WIDTH,
                                font_size=style.FONT_SIZE_MATH, display=BOARD)
        with self.beat("bias") as beat:
            w_result = sub.equation
            self.play(FadeOut(sub.reason),
                      w_result.animate.scale(RESULT_SCALE).move_to(style.LEFT.at(*W_RESULT)),
                      run_time=beat.part(0.25))
            b_result = sub_b.equation_for(len(sub_b.derivation.steps) - 1)
            b_result.move_to(style.RIGHT.at(*B_RESULT))
            self.play(Write(b_result), run_time=beat.part(0.25))
            descent = MathTex(r"w \leftarrow w - \eta\,\frac{\partial \ell}{\partial w}",
                              r"= w + \eta\, y\, x", r"\qquad b \leftarrow b + \eta\, y",
                              font_size=style.FONT_SIZE_MATH)
            descent.move_to(style.STAGE.at(dy=DESCENT_DY))
            descent.set_color_by_tex(r"\eta", style.FOREGROUND)
            self.play(Write(descent), run_time=beat.part(0.35))

        # --- the hinge loss beside the criterion
        plot = make_axes([-2, 2, 1], [0, 3, 1], width=HINGE_PLOT_W, height=HINGE_PLOT_H,
                         x_label="y f", y_label=r"\ell")
        pax = plot.axes
        plot.move_to(style.LEFT.at(*HINGE_PLOT))
        crit_curve = VMobject(stroke_color=n.loss, stroke_width=style.STROKE_THICK)
        crit_curve.set_points_as_corners(points_on(pax, lesson.margins, lesson.criterion_curve))
        hinge_curve = VMobject(stroke_color=n.hinge, stroke_width=style.STROKE_THICK)
        hinge_curve.set_points_as_corners(points_on(pax, lesson.margins, lesson.hinge_curve))
        legend = VGroup(
            MathTex(r"\max(0, -y f)", r"\ \text{criterion}", font_size=style.FONT_SIZE_LABEL,
                    color=n.loss),
            MathTex(r"\max(0, 1 - y f)", r"\ \text{hinge}", font_size=style.FONT_SIZE_LABEL,
                    color=n.hinge),
        ).arrange(DOWN, aligned_edge=LEFT, buff=style.GAP_SMALL)
        legend.next_to(plot, DOWN, buff=style.GAP)
        hinge = DerivationPanel(hinge_cases(), centre=style.RIGHT.at(*HINGE_CASES),
                                max_width=HINGE_MAX_WIDTH,
                                font_size=style.FONT_SIZE_MATH, lhs_color=n.hinge,
                                display={**BOARD, r"\ell(w, b)": r"\ell_{\mathrm{hinge}}"})
        with self.beat("hinge") as beat:
            self.play(FadeOut(VGroup(w_result, b_result, descent, f_def)),
                      run_time=beat.part(0.2))
            self.play(Create(plot), Create(crit_curve), run_time=beat.part(0.25))
            self.play(Create(hinge_curve), FadeIn(legend), run_time=beat.part(0.25))
            self.play(hinge.make_step_animation(0, run_time=beat.part(0.2)))
        with self.beat("hinge-cases") as beat:
            self.play(hinge.make_step_animation(1, run_time=beat.part(0.4)))

        final = Readout([("criterion", r"\text{criterion}", n.loss),
                         ("hinge", r"\text{hinge}", n.hinge)], decimals=3, signed=False,
                        font_size=style.FONT_SIZE_BODY)
        final.show({"criterion": lesson.final_criterion, "hinge": lesson.final_hinge})
        final.move_to(style.RIGHT.at(*FINAL_LOSSES))
        with self.beat("hinge-final") as beat:
            self.play(FadeIn(final), run_time=beat.part(0.3))
        with self.beat("lesson") as beat:
            pass
        self.final_losses = final
