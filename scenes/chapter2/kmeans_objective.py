"""``kmeans-objective``: the within-cluster sum of squares, and why the best centre is the mean."""
from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    RIGHT,
    UP,
    AnimationGroup,
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

from mlv.algorithms.lessons import kmeans_objective_lesson
from mlv.derivations.kmeans import gradient_mu1, gradient_mu2
from mlv.scenes import style
from mlv.scenes.components.derivation import DerivationPanel
from mlv.scenes.components.panels import DataPanel, make_axes, points_on
from mlv.scenes.components.readout import Readout
from mlv.scenes.lesson import LessonScene
from mlv.scenes.narration import Beat, Narration

LESSON = kmeans_objective_lesson()
X, LABELS, CENTRES = LESSON.X, LESSON.labels, LESSON.centres
K = len(CENTRES)
MOVED = LESSON.moved
N_MOVED = int(LESSON.cluster_sizes[MOVED])
MID, LAST = len(LESSON.offsets) // 2, len(LESSON.offsets) - 1
SHIFT = float(LESSON.offsets[LAST])
J_SHIFTED = float(LESSON.J_candidates[LAST])
MU1 = LESSON.candidates[:, MOVED, 0]          # the moved centre's first coordinate, by candidate

NARRATION = Narration(
    Beat("question", f"Here are {len(X)} points in {K} clusters, each with a centre. How good "
                     "is this clustering? We want one number."),
    Beat("segments", "Join every point to the centre of its own cluster. Short segments mean a "
                     "tight cluster."),
    Beat("objective", f"Square the length of every segment and add them all up: the "
                      f"within-cluster sum of squares, J. For these clusters J is {LESSON.J:.1f}."),
    Beat("where", "k-means wants J small. So, for the points of one cluster, where should its "
                  "centre go?"),
    Beat("derive", "Take one cluster: n points x i, y i, and its centre mu, at mu one, mu two. "
                   "Only this cluster's terms of J depend on mu."),
    Beat("linearity", "The derivative of a sum is the sum of the derivatives, and the y terms "
                      "do not contain mu one, so they drop out."),
    Beat("chain", "Chain rule: two times the inside, times the derivative of the inside, which "
                  "is minus one."),
    Beat("constant", "The constant minus two moves out of the sum."),
    Beat("count", "Adding mu one n times gives n times mu one."),
    Beat("mean", "With the mean, x bar, the gradient is two n times mu one minus x bar. It is "
                 "zero exactly when mu one is x bar."),
    Beat("result", "The same steps for mu two give y bar. So the best centre of a cluster is "
                   "the mean of its points."),
    Beat("check", "Now check on the data: slide one centre left and right through its mean, "
                  "keeping every point in its cluster, and watch J."),
    Beat("grows", f"J grows on both sides. {SHIFT:g} units right of the mean it is "
                  f"{J_SHIFTED:.1f}, up {J_SHIFTED - LESSON.J:.1f}: the cluster's {N_MOVED} "
                  f"points times {SHIFT:g} squared."),
    Beat("lesson", "With the clusters fixed, the mean is the best centre. That is the update "
                   "step of Lloyd's algorithm, which comes next."),
)

# board beats after "derive": one derivation step each
STEP_BEATS = ("linearity", "chain", "constant", "count", "mean")


def centre_dot(point, colour) -> Dot:
    """A cluster centre: a large dot in the cluster's colour with a white ring (as in
    ``kmeans-training``)."""
    return Dot(point, radius=0.13, color=colour).set_stroke(style.FOREGROUND, width=2.5)


def segments_to(ax, points, centre, colour) -> VGroup:
    """Segments from each of ``points`` (data coordinates) to ``centre``."""
    c = ax.c2p(*centre)
    return VGroup(*[Line(p, c, color=colour, stroke_width=style.STROKE_THIN, stroke_opacity=0.7)
                    for p in points_on(ax, points[:, 0], points[:, 1])])


class KMeansObjective(LessonScene):
    narration = NARRATION
    heading = "k-means: the within-cluster sum of squares"
    numbers = {"points": len(X), "clusters k": K, "J, every centre at its mean": float(LESSON.J),
               "shift of one centre": SHIFT, "J after the shift": J_SHIFTED,
               "points in the moved centre's cluster": N_MOVED}

    def construct(self):
        colours = style.NOTATION.clusters
        loss = style.NOTATION.loss
        panel = DataPanel(X[:, 0], X[:, 1], width=6.4, height=4.7, x_label="x", y_label="y")
        panel.move_to([-3.3, 0.2, 0])
        ax = panel.axes
        for dot, label in zip(panel.dots, LABELS):
            dot.set_color(colours[label])
        centres = VGroup(*[centre_dot(ax.c2p(*c), colours[k]) for k, c in enumerate(CENTRES)])
        right_x = 3.7

        with self.beat("question") as beat:
            self.play(Create(panel.frame), run_time=beat.part(0.25))
            self.play(FadeIn(panel.dots, lag_ratio=0.01), run_time=beat.part(0.3))
            self.play(FadeIn(centres, scale=1.5), run_time=beat.part(0.2))

        segments = VGroup(*[segments_to(ax, X[k == LABELS], CENTRES[k], colours[k])
                            for k in range(K)])
        with self.beat("segments") as beat:
            self.play(Create(segments, lag_ratio=0.01), run_time=beat.part(0.6))
            self.bring_to_front(centres)

        formula = MathTex("J", "=", r"\sum_{k=1}^{" + str(K) + "}", r"\sum_{i \in C_k}",
                          r"\lVert \mathbf{x}_i - \boldsymbol{\mu}_k \rVert^2",
                          font_size=style.FONT_SIZE_MATH)
        formula[0].set_color(loss)
        formula.move_to([right_x, 1.6, 0])
        value = MathTex("J", "=", f"{LESSON.J:.1f}", font_size=style.FONT_SIZE_MATH)
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

        width = style.FRAME_WIDTH - 2 * style.SAFE_MARGIN - 0.4
        board = DerivationPanel(gradient_mu1(), centre=[0, 0.9, 0], font_size=style.FONT_SIZE_BOARD,
                                max_width=width)
        picture = VGroup(panel, segments, centres, formula, value, question)
        with self.beat("derive") as beat:
            self.play(FadeOut(picture), run_time=beat.part(0.2))
            self.play(board.make_step_animation(0, run_time=beat.part(0.4)))

        for k, key in enumerate(STEP_BEATS, start=1):
            with self.beat(key) as beat:
                self.play(board.make_step_animation(k, run_time=beat.part(0.45)))

        board_2 = DerivationPanel(gradient_mu2(), centre=[0, -0.3, 0],
                                  font_size=style.FONT_SIZE_BOARD, max_width=width)
        eq_2 = board_2.equation_for(len(board_2.derivation.steps) - 1)
        mean_rule = MathTex(r"\boldsymbol{\mu}_k", "=", r"\frac{1}{\lvert C_k \rvert}",
                            r"\sum_{i \in C_k}", r"\mathbf{x}_i", font_size=style.FONT_SIZE_BOARD)
        mean_rule.next_to(eq_2, DOWN, buff=style.GAP_LARGE)
        box = SurroundingRectangle(mean_rule, color=style.FOREGROUND, buff=0.15,
                                   stroke_width=style.STROKE_THIN)
        with self.beat("result") as beat:
            self.play(FadeOut(board.reason), board.equation.animate.move_to([0, 1.9, 0]),
                      run_time=beat.part(0.2))
            eq_2.next_to(board.equation, DOWN, buff=style.GAP_LARGE)
            mean_rule.next_to(eq_2, DOWN, buff=style.GAP_LARGE * 1.2)
            box.move_to(mean_rule)
            self.play(Write(eq_2), run_time=beat.part(0.3))
            self.play(Write(mean_rule), Create(box), run_time=beat.part(0.3))

        # ------------------------------------------------------------------ the visual check
        colour = colours[MOVED]
        lo_mu, hi_mu = float(np.floor(MU1.min())), float(np.ceil(MU1.max()))
        j_lo = float(np.floor(LESSON.J / 100) * 100)
        j_hi = float(np.ceil(LESSON.J_candidates.max() / 100) * 100)
        curve_frame = make_axes([lo_mu, hi_mu, 1], [j_lo, j_hi, 100], width=4.6, height=2.9,
                                x_label=r"\mu_1", y_label="J")
        curve_frame[1][1].set_color(loss)
        cax = curve_frame.axes
        curve_frame.move_to([right_x, 0.95, 0])
        xbar = CENTRES[MOVED, 0]
        xbar_line = DashedLine(cax.c2p(xbar, j_lo), cax.c2p(xbar, LESSON.J), color=style.MUTED,
                               stroke_width=style.STROKE_THIN)
        xbar_label = MathTex(r"\bar x", font_size=style.FONT_SIZE_LABEL, color=style.MUTED)
        xbar_label.next_to(cax.c2p(xbar, j_lo), UP, buff=0.12).shift(0.25 * RIGHT)

        t = ValueTracker(MID)
        lo_t, hi_t = ValueTracker(MID), ValueTracker(MID)

        def index(tracker) -> int:
            return int(np.clip(round(tracker.get_value()), 0, LAST))

        def traced():
            a, b = index(lo_t), index(hi_t)
            line = VMobject(stroke_color=loss, stroke_width=style.STROKE)
            if b > a:
                line.set_points_as_corners(points_on(cax, MU1[a:b + 1],
                                                     LESSON.J_candidates[a:b + 1]))
            return line

        curve = always_redraw(traced)
        curve_dot = always_redraw(lambda: Dot(cax.c2p(MU1[index(t)], LESSON.J_candidates[index(t)]),
                                              radius=style.DOT_RADIUS * 1.5, color=colour))
        moving_centre = always_redraw(lambda: centre_dot(
            ax.c2p(*LESSON.candidates[index(t), MOVED]), colour))
        members = X[LABELS == MOVED]
        moving_segments = always_redraw(lambda: segments_to(
            ax, members, LESSON.candidates[index(t), MOVED], colour))
        mean_ring = Circle(radius=0.17, color=style.FOREGROUND, stroke_width=style.STROKE_THIN)
        mean_ring.move_to(ax.c2p(*CENTRES[MOVED]))

        readout = Readout([("mu", r"\mu_1", colour, 2)], font_size=style.FONT_SIZE_BODY,
                          signed=False)
        j_readout = Readout([("J", "J", loss, 1)], font_size=style.FONT_SIZE_BODY, signed=False)
        rows = VGroup(readout, j_readout).arrange(RIGHT, buff=style.GAP_LARGE * 1.5)
        rows.next_to(curve_frame, DOWN, buff=style.GAP_LARGE)

        def show(_):
            k = index(t)
            readout.show({"mu": float(MU1[k])})
            j_readout.show({"J": float(LESSON.J_candidates[k])})

        show(None)
        others = VGroup(*[segments[k] for k in range(K) if k != MOVED],
                        *[centres[k] for k in range(K) if k != MOVED])
        with self.beat("check") as beat:
            self.play(FadeOut(VGroup(board.equation, eq_2, mean_rule, box)),
                      run_time=beat.part(0.12))
            self.play(FadeIn(VGroup(panel, others)), FadeIn(moving_segments),
                      FadeIn(moving_centre), Create(curve_frame), FadeIn(rows),
                      run_time=beat.part(0.15))
            self.add(mean_ring, curve, curve_dot, xbar_line, xbar_label)
            rows.add_updater(show)
            self.play(AnimationGroup(t.animate.set_value(LAST), hi_t.animate.set_value(LAST)),
                      run_time=beat.part(0.2), rate_func=linear)
            self.play(AnimationGroup(t.animate.set_value(0), lo_t.animate.set_value(0)),
                      run_time=beat.part(0.3), rate_func=linear)
            self.play(t.animate.set_value(MID), run_time=beat.part(0.15), rate_func=linear)

        with self.beat("grows") as beat:
            self.play(t.animate.set_value(LAST), run_time=beat.part(0.3))
        rows.remove_updater(show)
        self.grows_shown = {**readout.displayed_text(), **j_readout.displayed_text()}

        with self.beat("lesson") as beat:
            self.play(t.animate.set_value(MID), run_time=beat.part(0.3))
            show(None)
            self.pulse(mean_ring, beat=beat, part=0.1)
        self.readout, self.j_readout, self.tracker_index = readout, j_readout, index(t)
