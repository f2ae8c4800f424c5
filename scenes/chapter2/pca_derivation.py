"""``pca-derivation``: centre first, the variance of a projection, a constraint, an eigenvalue
problem, and the variance along u as u turns once around the circle."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from manim import (
    DOWN,
    RIGHT,
    UP,
    Arrow,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    Line,
    MathTex,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    always_redraw,
    linear,
)

from mlv.algorithms.lessons import PCADerivationLesson, pca_derivation_lesson
from mlv.scenes import style
from mlv.scenes.components.panels import make_axes, points_on
from mlv.scenes.components.readout import Readout
from mlv.scenes.lesson import LessonScene
from mlv.scenes.narration import Beat, Narration
from mlv.scenes.script import Script


def f2(v: float) -> str:
    """A number as the lesson shows and says it: two decimals."""
    return f"{v:.2f}"


def script(params: Mapping[str, Any]) -> Script:
    """The lesson's data, covariance and variance sweep (it takes no parameters), its narration
    and numbers."""
    lesson = pca_derivation_lesson()
    sigma, raw, lam = lesson.covariance, lesson.raw_moment, lesson.eigenvalues
    shift_11 = lesson.centring_shift[0, 0]
    top_deg = float(lesson.degrees[lesson.top_index])
    narration = Narration(
        Beat("question", f"PCA finds the direction in which data vary the most. Here are "
                         f"{lesson.n} points in two dimensions."),
        Beat("centre", "First, centre them: subtract the mean, so the cloud sits at the "
                       "origin."),
        Beat("why", rf"Why? Without centring, $X^\top X / (n - 1)$ is not the "
                    rf"covariance: {f2(raw[0, 0])} here, where the variance of $x_1$ is "
                    rf"{f2(sigma[0, 0])}."),
        Beat("why-moment", "Along any direction it sums the squared projections, not their "
                           "squared deviations. Add and subtract their mean, and expand."),
        Beat("why-result", f"The middle term vanishes, leaving the variance plus a term in the "
                           f"squared mean: ${f2(sigma[0, 0])} + {f2(shift_11)}$."),
        Beat("projection", "With centred data, the variance of the projections on a unit "
                           "vector $u$ is this sum of squares."),
        Beat("expand", "Expand the square and split the sum: the sums are the entries of the "
                       "covariance matrix."),
        Beat("matrix", r"In matrix form, the variance along $u$ is $u^\top \Sigma u$."),
        Beat("constraint", r"We maximise it over unit vectors, $u^\top u = 1$, with a "
                           r"Lagrange multiplier $\lambda$."),
        Beat("gradient", r"The gradient in $u$ is $2\Sigma u - 2\lambda u$. It is zero "
                         r"exactly when $\Sigma u = \lambda u$: $u$ is an eigenvector of "
                         r"$\Sigma$."),
        Beat("eigen", r"And the variance along an eigenvector? Replace $\Sigma u$ by "
                      r"$\lambda u$."),
        Beat("eigenvalue", r"$\lambda$ moves out, and $u^\top u$ is $1$: the variance along "
                           r"$u$ is its eigenvalue. The best $u$ has the largest one."),
        Beat("sweep", "Now check on our data: turn $u$ once around the circle and plot the "
                      "variance of the projections."),
        Beat("peak", f"The curve peaks at {top_deg:.1f} degrees, the top eigenvector, with "
                     f"value {f2(lam[0])}, the largest eigenvalue."),
        Beat("lesson", f"At right angles it is smallest: {f2(lam[1])}, the other eigenvalue. "
                       "PCA is an eigenvalue problem of the centred data's covariance."),
    )
    numbers = {"points n": lesson.n, "variance of x1": float(sigma[0, 0]),
               "uncentred second moment of x1": float(raw[0, 0]),
               "largest eigenvalue": float(lam[0]), "smallest eigenvalue": float(lam[1]),
               "top direction (degrees)": top_deg}
    return Script(narration, lesson, numbers)


# the layout, by region (offsets from the stage's centre): the points on the left, the
# formulas and the sweep's curve in a column on the right, the derivations across the stage
UNIT = 0.4            # scene units per data unit on both axes (equal aspect)
ARROW = 3.5           # length of the drawn u, in data units
U_LINE = 6.5          # half the length of the line through u, in data units
DATA_AT = style.STAGE.at(-3.4, 0.2625)
COLUMN_X = style.STAGE.at(3.6)[0]
CENTRING_AT = style.STAGE.at(3.6, 2.2125)
BOARD_AT = style.STAGE.at(0.0, 1.2125)       # where the derivations are written
GOAL_AT = BOARD_AT + 1.1 * UP                # the constrained problem, above its Lagrangian
LAGRANGE_AT = BOARD_AT + 0.9 * DOWN          # its gradient, beneath the Lagrangian
BOARD_W = style.STAGE.width - 0.4
SWEEP_AT = style.STAGE.at(3.6, 1.0125)
SWEEP_W, SWEEP_H = 5.0, 2.8
MEAN_RADIUS = 0.1


def matrix_tex(name: str, M: np.ndarray) -> MathTex:
    """``name = [[a, b], [c, d]]`` with two decimals."""
    body = r" \\ ".join(" & ".join(f2(v) for v in row) for row in M)
    return MathTex(name, "=", r"\begin{bmatrix}" + body + r"\end{bmatrix}",
                   font_size=style.FONT_SIZE_MATH)


class PCADerivation(LessonScene):
    script = staticmethod(script)
    lesson: PCADerivationLesson

    def construct(self) -> None:
        # imported here: the derivations (SymPy) load only when the scene is drawn, so
        # importing this module does no work
        from mlv.derivations.pca import (
            lagrangian_gradient,
            projection_variance,
            uncentred_moment,
            variance_is_eigenvalue,
)
        from mlv.scenes.components.derivation import DerivationPanel
        n = style.NOTATION
        lesson = self.lesson
        mean, lam, deg = lesson.mean, lesson.eigenvalues, lesson.degrees
        last = len(lesson.angles) - 1
        frame = make_axes([-7, 7, 1], [-6, 6, 1], width=14 * UNIT, height=12 * UNIT,
                          x_label="x_1", y_label="x_2", label_every=3)
        ax = frame.axes
        frame.move_to(DATA_AT)

        dots = VGroup(*[Dot(ax.c2p(*v), radius=style.DOT_RADIUS, color=n.data) for v in lesson.X])
        with self.beat("question") as beat:
            self.play(Create(frame), run_time=beat.part(0.3))
            self.play(FadeIn(dots, lag_ratio=0.01), run_time=beat.part(0.4))

        mean_dot = Dot(ax.c2p(*mean), radius=MEAN_RADIUS, color=style.FOREGROUND)
        centring = MathTex(r"X_c = X - \bar x", font_size=style.FONT_SIZE_MATH)
        centring.move_to(CENTRING_AT)
        mean_tex = MathTex(r"\bar x", "=", rf"({f2(mean[0])},\ {f2(mean[1])})",
                           font_size=style.FONT_SIZE_MATH)
        mean_tex.next_to(centring, DOWN, buff=style.GAP)
        with self.beat("centre") as beat:
            self.play(FadeIn(mean_dot), Write(centring), FadeIn(mean_tex), run_time=beat.part(0.3))
            self.play(*[d.animate.move_to(ax.c2p(*v))
                        for d, v in zip(dots, lesson.X_centered, strict=True)],
                      mean_dot.animate.move_to(ax.c2p(0, 0)), run_time=beat.part(0.4))
            self.play(FadeOut(mean_dot), run_time=beat.part(0.1))

        raw = matrix_tex(r"\frac{X^{\top} X}{n-1}", lesson.raw_moment)
        cov = matrix_tex(r"\Sigma = \frac{X_c^{\top} X_c}{n-1}", lesson.covariance)
        mats = VGroup(raw, cov).arrange(DOWN, buff=style.GAP_LARGE, aligned_edge=RIGHT)
        mats.next_to(mean_tex, DOWN, buff=style.GAP_LARGE)
        mats.set_x(COLUMN_X)
        with self.beat("why") as beat:
            self.play(FadeIn(raw), run_time=beat.part(0.25))
            self.play(FadeIn(cov), run_time=beat.part(0.25))
        self.shown_matrices = (raw, cov)

        # --------------------------------------------------------------- why centre: the board
        picture = VGroup(frame, dots, centring, mean_tex, mats)
        why = DerivationPanel(uncentred_moment(), centre=BOARD_AT,
                              font_size=style.FONT_SIZE_BOARD, max_width=BOARD_W)
        with self.beat("why-moment") as beat:
            self.play(FadeOut(picture), run_time=beat.part(0.1))
            self.play(why.make_step_animation(0, run_time=beat.part(0.3)))
            self.play(why.make_step_animation(1, run_time=beat.part(0.25)))
            self.play(why.make_step_animation(2, run_time=beat.part(0.25)))

        raw_11, var_11 = lesson.raw_moment[0, 0], lesson.covariance[0, 0]
        check = MathTex(r"\underbrace{" + f2(raw_11) + r"}_{\frac{1}{n-1}\sum_i x_{i1}^2}",
                        "=", r"\underbrace{" + f2(var_11) + r"}_{\Sigma_{11}}", "+",
                        r"\underbrace{" + f2(lesson.centring_shift[0, 0])
                        + r"}_{\frac{n}{n-1}\bar x_1^{2}}",
                        font_size=style.FONT_SIZE_MATH)
        with self.beat("why-result") as beat:
            self.play(why.make_step_animation(3, run_time=beat.part(0.35)))
            assert why.reason is not None                # the board is written
            check.next_to(why.reason, DOWN, buff=style.GAP_LARGE)
            self.play(FadeIn(check), run_time=beat.part(0.25))
        self.shown_check = check

        # ------------------------------------------------------------ variance of a projection
        proj = DerivationPanel(projection_variance(), centre=BOARD_AT,
                               font_size=style.FONT_SIZE_BOARD, max_width=BOARD_W)
        with self.beat("projection") as beat:
            self.play(why.make_clear_animation(run_time=beat.part(0.15)), FadeOut(check),
                      run_time=beat.part(0.15))
            self.play(proj.make_step_animation(0, run_time=beat.part(0.4)))

        with self.beat("expand") as beat:
            self.play(proj.make_step_animation(1, run_time=beat.part(0.35)))
            self.play(proj.make_step_animation(2, run_time=beat.part(0.35)))

        with self.beat("matrix") as beat:
            self.play(proj.make_step_animation(3, run_time=beat.part(0.5)))

        # -------------------------------------------------------------- constraint, Lagrangian
        lag = DerivationPanel(lagrangian_gradient(2), centre=BOARD_AT,
                              font_size=style.FONT_SIZE_BOARD, max_width=BOARD_W)
        goal = MathTex(r"\max_u\ u^{T} \Sigma u", r"\quad\text{subject to}\quad", r"u^{T} u = 1",
                       font_size=style.FONT_SIZE_MATH)
        lagrangian = MathTex(r"\mathcal{L}", "=", r"u^{T} \Sigma u", "-",
                             r"\lambda \left(u^{T} u - 1\right)", font_size=style.FONT_SIZE_MATH)
        lagrangian[0].set_color(n.loss)
        with self.beat("constraint") as beat:
            self.play(proj.make_clear_animation(run_time=beat.part(0.15)))
            goal.move_to(GOAL_AT)
            lagrangian.next_to(goal, DOWN, buff=style.GAP)
            self.play(Write(goal), run_time=beat.part(0.25))
            self.play(Write(lagrangian), run_time=beat.part(0.25))

        with self.beat("gradient") as beat:
            lag.centre = LAGRANGE_AT
            self.play(lag.make_step_animation(0, run_time=beat.part(0.2)))
            self.play(lag.make_step_animation(1, run_time=beat.part(0.25)))
            self.play(lag.make_step_animation(2, run_time=beat.part(0.25)))

        # ------------------------------------------------------------ variance is the eigenvalue
        eig = DerivationPanel(variance_is_eigenvalue(), centre=BOARD_AT,
                              font_size=style.FONT_SIZE_BOARD, max_width=BOARD_W)
        with self.beat("eigen") as beat:
            self.play(lag.make_clear_animation(run_time=beat.part(0.15)),
                      FadeOut(VGroup(goal, lagrangian)), run_time=beat.part(0.15))
            self.play(eig.make_step_animation(0, run_time=beat.part(0.3)))
            self.play(eig.make_step_animation(1, run_time=beat.part(0.3)))

        with self.beat("eigenvalue") as beat:
            self.play(eig.make_step_animation(2, run_time=beat.part(0.3)))
            self.play(eig.make_step_animation(3, run_time=beat.part(0.3)))

        # ------------------------------------------------------------ the sweep around the circle
        cframe = make_axes([0, 360, 90], [0, np.ceil(lam[0]), 1], width=SWEEP_W,
                           height=SWEEP_H,
                           x_label=r"\theta\ (^\circ)", y_label=r"u^{T} \Sigma u")
        cframe[1][1].set_color(n.loss)
        cax = cframe.axes
        cframe.move_to(SWEEP_AT)
        t = ValueTracker(0)
        traced_to = ValueTracker(0)          # the curve stays drawn where u has been

        def index(tracker=t) -> int:
            return int(np.clip(round(tracker.get_value()), 0, last))

        def traced():
            k = index(traced_to)
            line = VMobject(stroke_color=n.loss, stroke_width=style.STROKE)
            if k > 0:
                line.set_points_as_corners(points_on(cax, deg[: k + 1], lesson.variance[: k + 1]))
            return line

        curve = always_redraw(traced)
        curve_dot = always_redraw(lambda: Dot(cax.c2p(deg[index()], lesson.variance[index()]),
                                              radius=style.DOT_RADIUS * 1.5, color=n.pc1))
        u_line = always_redraw(lambda: Line(ax.c2p(*(-U_LINE * lesson.directions[index()])),
                                            ax.c2p(*(U_LINE * lesson.directions[index()])),
                                            color=n.pc1, stroke_width=style.STROKE_THIN,
                                            stroke_opacity=0.6))
        u_arrow = always_redraw(lambda: Arrow(
            ax.c2p(0, 0), ax.c2p(*(ARROW * lesson.directions[index()])), buff=0,
            color=style.FOREGROUND, stroke_width=style.STROKE_THICK,
            max_tip_length_to_length_ratio=0.2))

        def u_name():
            u = lesson.directions[index()]
            tip = ax.c2p(*((ARROW + 0.4) * u + 0.7 * np.array([-u[1], u[0]])))
            return MathTex("u", font_size=style.FONT_SIZE_MATH,
                           color=style.FOREGROUND).move_to(tip)

        u_label = always_redraw(u_name)
        feet = VGroup(*[Dot(ax.c2p(0, 0), radius=style.DOT_RADIUS * 0.8, color=n.pc1)
                        for _ in range(lesson.n)])

        def move_feet(group):
            k = index()
            where = points_on(ax, lesson.projections[k] * lesson.directions[k, 0],
                              lesson.projections[k] * lesson.directions[k, 1])
            for d, p in zip(group, where):
                d.move_to(p)

        move_feet(feet)
        readout = Readout([("theta", r"\theta", style.FOREGROUND, 1),
                           ("var", r"u^{T} \Sigma u", n.loss, 2)], font_size=style.FONT_SIZE_BODY,
                          signed=False, horizontal=True)
        readout.next_to(cframe, DOWN, buff=style.GAP_LARGE)

        def show(_=None):
            k = index()
            readout.show({"theta": float(deg[k]), "var": float(lesson.variance[k])})

        show()
        with self.beat("sweep") as beat:
            self.play(eig.make_clear_animation(run_time=beat.part(0.1)))
            self.play(FadeIn(frame), FadeIn(dots), Create(cframe), FadeIn(readout),
                      run_time=beat.part(0.15))
            self.add(u_line, feet, u_arrow, u_label, curve, curve_dot)
            feet.add_updater(move_feet)
            readout.add_updater(show)
            self.play(t.animate.set_value(last), traced_to.animate.set_value(last),
                      run_time=beat.part(0.65), rate_func=linear)

        peak_line = DashedLine(cax.c2p(0, lam[0]), cax.c2p(360, lam[0]), color=n.pc1,
                               stroke_width=style.STROKE_THIN)
        peak_label = MathTex(r"\lambda_1 = " + f2(lam[0]), color=n.pc1,
                             font_size=style.FONT_SIZE_LABEL)
        peak_label.next_to(cax.c2p(120, lam[0]), UP, buff=0.08)  # between the peaks
        with self.beat("peak") as beat:
            self.play(t.animate.set_value(lesson.top_index), run_time=beat.part(0.35))
            self.play(Create(peak_line), FadeIn(peak_label), run_time=beat.part(0.2))
        feet.remove_updater(move_feet)
        readout.remove_updater(show)
        self.peak_shown = readout.displayed_text()

        low_line = DashedLine(cax.c2p(0, lam[1]), cax.c2p(360, lam[1]), color=n.pc2,
                              stroke_width=style.STROKE_THIN)
        low_label = MathTex(r"\lambda_2 = " + f2(lam[1]), color=n.pc2,
                            font_size=style.FONT_SIZE_LABEL)
        low_label.next_to(cax.c2p(210, lam[1]), UP, buff=0.08)   # where the curve is high
        with self.beat("lesson") as beat:
            feet.add_updater(move_feet)
            readout.add_updater(show)
            self.play(t.animate.set_value(lesson.minor_index), run_time=beat.part(0.3))
            feet.remove_updater(move_feet)
            readout.remove_updater(show)
            self.play(Create(low_line), FadeIn(low_label), run_time=beat.part(0.2))
        self.readout, self.tracker_index = readout, index()
        self.labels = (peak_label, low_label)
