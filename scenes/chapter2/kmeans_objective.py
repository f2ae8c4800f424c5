"""``kmeans-objective``: the within-cluster sum of squares, and why the best centre is the mean."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from manim import (
    DOWN,
    RIGHT,
    UP,
    AnimationGroup,
    Axes,
    Circle,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    Line,
    MathTex,
    SurroundingRectangle,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    always_redraw,
    linear,
)
from manim.utils.color import ParsableManimColor

from mlv.algorithms.lessons import KMeansObjectiveLesson, kmeans_objective_lesson
from mlv.scenes import style
from mlv.scenes.chapter2.kmeans_training import centre_dot
from mlv.scenes.components.panels import DataPanel, make_axes, points_on
from mlv.scenes.components.readout import Readout
from mlv.scenes.lesson import LessonScene
from mlv.scenes.narration import Beat, Narration
from mlv.scenes.script import Script


def script(params: Mapping[str, Any]) -> Script:
    """The lesson's clustering and its check (it takes no parameters), its narration and
    numbers."""
    lesson = kmeans_objective_lesson()
    k = len(lesson.centres)
    n_moved = int(lesson.cluster_sizes[lesson.moved])
    shift = float(lesson.offsets[-1])
    j_shifted = float(lesson.J_candidates[-1])
    narration = Narration(
        Beat("question", f"Here are {len(lesson.X)} points in {k} clusters, each with a centre. "
                         "How good is this clustering? We want one number."),
        Beat("segments", "Join every point to the centre of its own cluster. Short segments mean "
                         "a tight cluster."),
        Beat("objective", f"Square the length of every segment and add them all up: the "
                          f"within-cluster sum of squares, $J$. For these clusters $J$ is "
                          f"{lesson.J:.1f}."),
        Beat("where", "k-means wants $J$ small. So, for the points of one cluster, where should "
                      "its centre go?"),
        Beat("derive", r"Take one cluster: $n$ points $(x_i, y_i)$, and its centre $\mu$, at "
                       r"$(\mu_1, \mu_2)$. Only this cluster's terms of $J$ depend on $\mu$."),
        Beat("linearity", r"The derivative of a sum is the sum of the derivatives, and the $y$ "
                          r"terms do not contain $\mu_1$, so they drop out."),
        Beat("chain", "Chain rule: two times the inside, times the derivative of the inside, "
                      "which is $-1$."),
        Beat("constant", "The constant $-2$ moves out of the sum."),
        Beat("count", r"Adding $\mu_1$ $n$ times gives $n \mu_1$."),
        Beat("mean", r"With the mean, $\bar x$, the gradient is $2n(\mu_1 - \bar x)$. It "
                     r"is zero exactly when $\mu_1 = \bar x$."),
        Beat("result", r"The same steps for $\mu_2$ give $\bar y$. So the best centre of a "
                       r"cluster is the mean of its points."),
        Beat("check", "Now check on the data: slide one centre left and right through its "
                      "mean, keeping every point in its cluster, and watch $J$."),
        Beat("grows", f"$J$ grows on both sides. {shift:g} units right of the mean it is "
                      f"{j_shifted:.1f}, up {j_shifted - lesson.J:.1f}: the cluster's "
                      f"{n_moved} points times ${shift:g}^2$."),
        Beat("lesson", "With the clusters fixed, the mean is the best centre. That is the "
                       "update step of Lloyd's algorithm, which comes next."),
    )
    numbers = {"points": len(lesson.X), "clusters k": k, "J, every centre at its mean": lesson.J,
               "shift of one centre": shift, "J after the shift": j_shifted,
               "points in the moved centre's cluster": n_moved}
    return Script(narration, lesson, numbers)


# board beats after "derive": one derivation step each
STEP_BEATS = ("linearity", "chain", "constant", "count", "mean")

# the layout, by region (offsets from the stage's centre): the clusters on the left, the
# objective and the curve of J in a column on the right, the derivations across the stage
DATA_AT = style.STAGE.at(-3.3, 0.2125)
DATA_W, DATA_H = 6.4, 4.7
FORMULA_AT = style.STAGE.at(3.7, 1.6125)
BOARD_AT = style.STAGE.at(0.0, 0.9125)
BOARD_2_AT = style.STAGE.at(0.0, -0.2875)
RESULT_AT = style.STAGE.at(0.0, 1.9125)       # the mu_1 result, moved up beside mu_2's
BOARD_W = style.STAGE.width - 0.4
CURVE_AT = style.STAGE.at(3.7, 0.9625)
CURVE_W, CURVE_H = 4.6, 2.9
MEAN_RING_RADIUS = 0.17


def segments_to(ax: Axes, points: np.ndarray, centre: np.ndarray,
                colour: ParsableManimColor) -> VGroup:
    """Segments from each of ``points`` (data coordinates) to ``centre``."""
    c = ax.c2p(*centre)
    return VGroup(*[Line(p, c, color=colour, stroke_width=style.STROKE_THIN, stroke_opacity=0.7)
                    for p in points_on(ax, points[:, 0], points[:, 1])])


class KMeansObjective(LessonScene):
    script = staticmethod(script)
    lesson: KMeansObjectiveLesson

    def construct(self) -> None:
        # imported here: the derivations (SymPy) load only when the scene is drawn, so
        # importing this module does no work
        from mlv.derivations.kmeans import gradient_mu1, gradient_mu2
        from mlv.scenes.components.derivation import DerivationPanel
        colours = style.NOTATION.clusters
        loss = style.NOTATION.loss
        lesson = self.lesson
        X, labels, means = lesson.X, lesson.labels, lesson.centres
        k_count, moved = len(means), lesson.moved
        mid, last = lesson.mean_index, len(lesson.offsets) - 1
        mu1, j_of = lesson.moved_mu1, lesson.J_candidates
        panel = DataPanel(X[:, 0], X[:, 1], width=DATA_W, height=DATA_H, x_label="x",
                          y_label="y")
        panel.move_to(DATA_AT)
        ax = panel.axes
        for dot, label in zip(panel.dots, labels, strict=True):
            dot.set_color(colours[label])
        centres = VGroup(*[centre_dot(ax.c2p(*c), colours[k]) for k, c in enumerate(means)])

        with self.beat("question") as beat:
            self.play(Create(panel.frame), run_time=beat.part(0.25))
            self.play(FadeIn(panel.dots, lag_ratio=0.01), run_time=beat.part(0.3))
            self.play(FadeIn(centres, scale=1.5), run_time=beat.part(0.2))

        segments = VGroup(*[segments_to(ax, X[k == labels], means[k], colours[k])
                            for k in range(k_count)])
        with self.beat("segments") as beat:
            self.play(Create(segments, lag_ratio=0.01), run_time=beat.part(0.6))
            self.bring_to_front(centres)

        formula = MathTex("J", "=", r"\sum_{k=1}^{" + str(k_count) + "}", r"\sum_{i \in C_k}",
                          r"\lVert \mathbf{x}_i - \boldsymbol{\mu}_k \rVert^2",
                          font_size=style.FONT_SIZE_MATH)
        formula[0].set_color(loss)
        formula.move_to(FORMULA_AT)
        value = MathTex("J", "=", f"{lesson.J:.1f}", font_size=style.FONT_SIZE_MATH)
        value[0].set_color(loss)
        value.next_to(formula, DOWN, buff=style.GAP_LARGE)
        with self.beat("objective") as beat:
            self.play(Write(formula), run_time=beat.part(0.35))
            self.play(FadeIn(value), run_time=beat.part(0.2))
        self.shown_J = value

        question = MathTex(r"\boldsymbol{\mu}_k", "=", r"\;?", font_size=style.FONT_SIZE_MATH)
        question.next_to(value, DOWN, buff=style.GAP_LARGE)
        with self.beat("where") as beat:
            self.play(FadeIn(question), run_time=beat.part(0.2))
            self.pulse(centres, beat=beat, scale=1.4, part=0.15)

        board = DerivationPanel(gradient_mu1(), centre=BOARD_AT, font_size=style.FONT_SIZE_BOARD,
                                max_width=BOARD_W)
        picture = VGroup(panel, segments, centres, formula, value, question)
        with self.beat("derive") as beat:
            self.play(FadeOut(picture), run_time=beat.part(0.2))
            self.play(board.make_step_animation(0, run_time=beat.part(0.4)))

        for k, key in enumerate(STEP_BEATS, start=1):
            with self.beat(key) as beat:
                self.play(board.make_step_animation(k, run_time=beat.part(0.45)))

        board_2 = DerivationPanel(gradient_mu2(), centre=BOARD_2_AT,
                                  font_size=style.FONT_SIZE_BOARD, max_width=BOARD_W)
        eq_2 = board_2.equation_for(len(board_2.derivation.steps) - 1)
        mean_rule = MathTex(r"\boldsymbol{\mu}_k", "=", r"\frac{1}{\lvert C_k \rvert}",
                            r"\sum_{i \in C_k}", r"\mathbf{x}_i", font_size=style.FONT_SIZE_BOARD)
        mean_rule.next_to(eq_2, DOWN, buff=style.GAP_LARGE)
        box = SurroundingRectangle(mean_rule, color=style.FOREGROUND, buff=0.15,
                                   stroke_width=style.STROKE_THIN)
        result_1, reason = board.equation, board.reason
        assert result_1 is not None and reason is not None       # the board is written
        with self.beat("result") as beat:
            self.play(FadeOut(reason), result_1.animate.move_to(RESULT_AT),
                      run_time=beat.part(0.2))
            eq_2.next_to(result_1, DOWN, buff=style.GAP_LARGE)
            mean_rule.next_to(eq_2, DOWN, buff=style.GAP_LARGE * 1.2)
            box.move_to(mean_rule)
            self.play(Write(eq_2), run_time=beat.part(0.3))
            self.play(Write(mean_rule), Create(box), run_time=beat.part(0.3))

        # ------------------------------------------------------------------ the visual check
        colour = colours[moved]
        lo_mu, hi_mu = float(np.floor(mu1.min())), float(np.ceil(mu1.max()))
        j_lo = float(np.floor(lesson.J / 100) * 100)
        j_hi = float(np.ceil(j_of.max() / 100) * 100)
        curve_frame = make_axes([lo_mu, hi_mu, 1], [j_lo, j_hi, 100], width=CURVE_W,
                                height=CURVE_H, x_label=r"\mu_1", y_label="J")
        curve_frame[1][1].set_color(loss)
        cax = curve_frame.axes
        curve_frame.move_to(CURVE_AT)
        xbar = means[moved, 0]
        xbar_line = DashedLine(cax.c2p(xbar, j_lo), cax.c2p(xbar, lesson.J), color=style.MUTED,
                               stroke_width=style.STROKE_THIN)
        xbar_label = MathTex(r"\bar x", font_size=style.FONT_SIZE_LABEL, color=style.MUTED)
        xbar_label.next_to(cax.c2p(xbar, j_lo), UP, buff=0.12).shift(0.25 * RIGHT)

        t = ValueTracker(mid)
        lo_t, hi_t = ValueTracker(mid), ValueTracker(mid)

        def index(tracker: ValueTracker) -> int:
            return int(np.clip(round(tracker.get_value()), 0, last))

        def traced() -> VMobject:
            a, b = index(lo_t), index(hi_t)
            line = VMobject(stroke_color=loss, stroke_width=style.STROKE)
            if b > a:
                line.set_points_as_corners(points_on(cax, mu1[a:b + 1], j_of[a:b + 1]))
            return line

        curve = always_redraw(traced)
        curve_dot = always_redraw(lambda: Dot(cax.c2p(mu1[index(t)], j_of[index(t)]),
                                              radius=style.DOT_RADIUS * 1.5, color=colour))
        moving_centre = always_redraw(lambda: centre_dot(
            ax.c2p(*lesson.candidates[index(t), moved]), colour))
        members = X[labels == moved]
        moving_segments = always_redraw(lambda: segments_to(
            ax, members, lesson.candidates[index(t), moved], colour))
        mean_ring = Circle(radius=MEAN_RING_RADIUS, color=style.FOREGROUND,
                           stroke_width=style.STROKE_THIN)
        mean_ring.move_to(ax.c2p(*means[moved]))

        readout = Readout([("mu", r"\mu_1", colour, 2)], font_size=style.FONT_SIZE_BODY,
                          signed=False)
        j_readout = Readout([("J", "J", loss, 1)], font_size=style.FONT_SIZE_BODY, signed=False)
        rows = VGroup(readout, j_readout).arrange(RIGHT, buff=style.GAP_LARGE * 1.5)
        rows.next_to(curve_frame, DOWN, buff=style.GAP_LARGE)

        def show(_: object) -> None:
            k = index(t)
            readout.show({"mu": float(mu1[k])})
            j_readout.show({"J": float(j_of[k])})

        show(None)
        others = VGroup(*[segments[k] for k in range(k_count) if k != moved],
                        *[centres[k] for k in range(k_count) if k != moved])
        with self.beat("check") as beat:
            self.play(FadeOut(VGroup(result_1, eq_2, mean_rule, box)),
                      run_time=beat.part(0.12))
            self.play(FadeIn(VGroup(panel, others)), FadeIn(moving_segments),
                      FadeIn(moving_centre), Create(curve_frame), FadeIn(rows),
                      run_time=beat.part(0.15))
            self.add(mean_ring, curve, curve_dot, xbar_line, xbar_label)
            rows.add_updater(show)
            # manim's AnimationGroup takes .animate builders (it prepares each one), though its
            # annotation names only Animation
            out = (t.animate.set_value(last), hi_t.animate.set_value(last))
            self.play(AnimationGroup(*out),  # type: ignore[arg-type]
                      run_time=beat.part(0.2), rate_func=linear)
            back = (t.animate.set_value(0), lo_t.animate.set_value(0))
            self.play(AnimationGroup(*back),  # type: ignore[arg-type]
                      run_time=beat.part(0.3), rate_func=linear)
            self.play(t.animate.set_value(mid), run_time=beat.part(0.15), rate_func=linear)

        with self.beat("grows") as beat:
            self.play(t.animate.set_value(last), run_time=beat.part(0.3))
        rows.remove_updater(show)
        self.grows_shown = {**readout.displayed_text(), **j_readout.displayed_text()}

        with self.beat("lesson") as beat:
            self.play(t.animate.set_value(mid), run_time=beat.part(0.3))
            show(None)
            self.pulse(mean_ring, beat=beat, part=0.1)
        self.readout, self.j_readout, self.tracker_index = readout, j_readout, index(t)
