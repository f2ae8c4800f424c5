"""``pca-derivation``: centre first, the variance of a projection, a constraint, an eigenvalue
problem, and the variance along u as u turns once around the circle."""
from __future__ import annotations

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

from mlv.algorithms.lessons import pca_derivation_lesson
from mlv.derivations.pca import (
    lagrangian_gradient,
    projection_variance,
    uncentred_moment,
    variance_is_eigenvalue,
)
from mlv.scenes import style
from mlv.scenes.components.derivation import DerivationPanel
from mlv.scenes.components.panels import make_axes, points_on
from mlv.scenes.components.readout import Readout
from mlv.scenes.lesson import LessonScene
from mlv.scenes.narration import Beat, Narration

LESSON = pca_derivation_lesson()
N = LESSON.n
MEAN, SIGMA, RAW = LESSON.mean, LESSON.covariance, LESSON.raw_moment
LAMBDA = LESSON.eigenvalues
SHIFT_11 = N / (N - 1) * MEAN[0] ** 2          # what the raw moment adds to Sigma_11
DEG = np.degrees(LESSON.angles)
TOP = LESSON.top_index
TOP_DEG = float(DEG[TOP])
MINOR = int(np.flatnonzero(LESSON.angles == np.mod(LESSON.top_angle + np.pi / 2, 2 * np.pi))[0])
LAST = len(LESSON.angles) - 1


def f2(v: float) -> str:
    return f"{v:.2f}"


NARRATION = Narration(
    Beat("question", f"PCA finds the direction in which data vary the most. Here are {N} points "
                     "in two dimensions."),
    Beat("centre", "First, centre them: subtract the mean, so the cloud sits at the origin."),
    Beat("why", f"Why? Without centring, X transpose X over n minus 1 is not the covariance: "
                f"{f2(RAW[0, 0])} here, where the variance of x one is {f2(SIGMA[0, 0])}."),
    Beat("why-moment", "Along any direction it sums the squared projections, not their "
                       "squared deviations. Add and subtract their mean, and expand."),
    Beat("why-result", f"The middle term vanishes, leaving the variance plus a term in the "
                       f"squared mean: {f2(SIGMA[0, 0])} plus {f2(SHIFT_11)}."),
    Beat("projection", "With centred data, the variance of the projections on a unit vector u "
                       "is this sum of squares."),
    Beat("expand", "Expand the square and split the sum: the sums are the entries of the "
                   "covariance matrix."),
    Beat("matrix", "In matrix form, the variance along u is u transpose sigma u."),
    Beat("constraint", "We maximise it over unit vectors, u transpose u equals one, with a "
                       "Lagrange multiplier lambda."),
    Beat("gradient", "The gradient in u is two sigma u minus two lambda u. It is zero exactly "
                     "when sigma u equals lambda u: u is an eigenvector of sigma."),
    Beat("eigen", "And the variance along an eigenvector? Replace sigma u by lambda u."),
    Beat("eigenvalue", "Lambda moves out, and u transpose u is one: the variance along u is its "
                       "eigenvalue. The best u has the largest one."),
    Beat("sweep", "Now check on our data: turn u once around the circle and plot the variance "
                  "of the projections."),
    Beat("peak", f"The curve peaks at {TOP_DEG:.1f} degrees, the top eigenvector, with value "
                 f"{f2(LAMBDA[0])}, the largest eigenvalue."),
    Beat("lesson", f"At right angles it is smallest: {f2(LAMBDA[1])}, the other eigenvalue. "
                   "PCA is an eigenvalue problem of the centred data's covariance."),
)

UNIT = 0.4            # scene units per data unit on both axes (equal aspect)
ARROW = 3.5           # length of the drawn u, in data units
BOARD_Y = 1.2         # where the derivations are written
BOARD_W = style.FRAME_WIDTH - 2 * style.SAFE_MARGIN - 0.4


def matrix_tex(name: str, M: np.ndarray) -> MathTex:
    """``name = [[a, b], [c, d]]`` with two decimals."""
    body = r" \\ ".join(" & ".join(f2(v) for v in row) for row in M)
    return MathTex(name, "=", r"\begin{bmatrix}" + body + r"\end{bmatrix}",
                   font_size=style.FONT_SIZE_MATH)


class PCADerivation(LessonScene):
    narration = NARRATION
    heading = "PCA: variance, a constraint and an eigenvalue problem"
    numbers = {"points n": N, "variance of x1": float(SIGMA[0, 0]),
               "uncentred second moment of x1": float(RAW[0, 0]),
               "largest eigenvalue": float(LAMBDA[0]), "smallest eigenvalue": float(LAMBDA[1]),
               "top direction (degrees)": TOP_DEG}

    def construct(self):
        n = style.NOTATION
        frame = make_axes([-7, 7, 1], [-6, 6, 1], width=14 * UNIT, height=12 * UNIT,
                          x_label="x_1", y_label="x_2", label_every=3)
        ax = frame.axes
        frame.move_to([-3.4, 0.25, 0])

        dots = VGroup(*[Dot(ax.c2p(*v), radius=style.DOT_RADIUS, color=n.data) for v in LESSON.X])
        with self.beat("question") as beat:
            self.play(Create(frame), run_time=beat.part(0.3))
            self.play(FadeIn(dots, lag_ratio=0.01), run_time=beat.part(0.4))

        mean_dot = Dot(ax.c2p(*MEAN), radius=0.1, color=style.FOREGROUND)
        right_x = 3.6
        centring = MathTex(r"X_c = X - \bar x", font_size=style.FONT_SIZE_MATH)
        centring.move_to([right_x, 2.2, 0])
        mean_tex = MathTex(r"\bar x", "=", rf"({f2(MEAN[0])},\ {f2(MEAN[1])})",
                           font_size=style.FONT_SIZE_MATH)
        mean_tex.next_to(centring, DOWN, buff=style.GAP)
        with self.beat("centre") as beat:
            self.play(FadeIn(mean_dot), Write(centring), FadeIn(mean_tex), run_time=beat.part(0.3))
            self.play(*[d.animate.move_to(ax.c2p(*v)) for d, v in zip(dots, LESSON.X_centered)],
                      mean_dot.animate.move_to(ax.c2p(0, 0)), run_time=beat.part(0.4))
            self.play(FadeOut(mean_dot), run_time=beat.part(0.1))

        raw = matrix_tex(r"\frac{X^{\top} X}{n-1}", RAW)
        cov = matrix_tex(r"\Sigma = \frac{X_c^{\top} X_c}{n-1}", SIGMA)
        mats = VGroup(raw, cov).arrange(DOWN, buff=style.GAP_LARGE, aligned_edge=RIGHT)
        mats.next_to(mean_tex, DOWN, buff=style.GAP_LARGE)
        mats.set_x(right_x)
        with self.beat("why") as beat:
            self.play(FadeIn(raw), run_time=beat.part(0.25))
            self.play(FadeIn(cov), run_time=beat.part(0.25))
        self.shown_matrices = (raw, cov)

        # --------------------------------------------------------------- why centre: the board
        picture = VGroup(frame, dots, centring, mean_tex, mats)
        why = DerivationPanel(uncentred_moment(), centre=[0, BOARD_Y, 0],
                              font_size=style.FONT_SIZE_BOARD, max_width=BOARD_W)
        with self.beat("why-moment") as beat:
            self.play(FadeOut(picture), run_time=beat.part(0.1))
            self.play(why.make_step_animation(0, run_time=beat.part(0.3)))
            self.play(why.make_step_animation(1, run_time=beat.part(0.25)))
            self.play(why.make_step_animation(2, run_time=beat.part(0.25)))

        check = MathTex(r"\underbrace{" + f2(RAW[0, 0]) + r"}_{\frac{1}{n-1}\sum_i x_{i1}^2}",
                        "=", r"\underbrace{" + f2(SIGMA[0, 0]) + r"}_{\Sigma_{11}}", "+",
                        r"\underbrace{" + f2(SHIFT_11) + r"}_{\frac{n}{n-1}\bar x_1^{2}}",
                        font_size=style.FONT_SIZE_MATH)
        with self.beat("why-result") as beat:
            self.play(why.make_step_animation(3, run_time=beat.part(0.35)))
            check.next_to(why.reason, DOWN, buff=style.GAP_LARGE)
            self.play(FadeIn(check), run_time=beat.part(0.25))
        self.shown_check = check

        # ------------------------------------------------------------ variance of a projection
        proj = DerivationPanel(projection_variance(), centre=[0, BOARD_Y, 0],
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
        lag = DerivationPanel(lagrangian_gradient(2), centre=[0, BOARD_Y, 0],
                              font_size=style.FONT_SIZE_BOARD, max_width=BOARD_W)
        goal = MathTex(r"\max_u\ u^{T} \Sigma u", r"\quad\text{subject to}\quad", r"u^{T} u = 1",
                       font_size=style.FONT_SIZE_MATH)
        lagrangian = MathTex(r"\mathcal{L}", "=", r"u^{T} \Sigma u", "-",
                             r"\lambda \left(u^{T} u - 1\right)", font_size=style.FONT_SIZE_MATH)
        lagrangian[0].set_color(n.loss)
        with self.beat("constraint") as beat:
            self.play(proj.make_clear_animation(run_time=beat.part(0.15)))
            goal.move_to([0, BOARD_Y + 1.1, 0])
            lagrangian.next_to(goal, DOWN, buff=style.GAP)
            self.play(Write(goal), run_time=beat.part(0.25))
            self.play(Write(lagrangian), run_time=beat.part(0.25))

        with self.beat("gradient") as beat:
            lag.centre = [0, BOARD_Y - 0.9, 0]
            self.play(lag.make_step_animation(0, run_time=beat.part(0.2)))
            self.play(lag.make_step_animation(1, run_time=beat.part(0.25)))
            self.play(lag.make_step_animation(2, run_time=beat.part(0.25)))

        # ------------------------------------------------------------ variance is the eigenvalue
        eig = DerivationPanel(variance_is_eigenvalue(), centre=[0, BOARD_Y, 0],
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
        cframe = make_axes([0, 360, 90], [0, np.ceil(LAMBDA[0]), 1], width=5.0, height=2.8,
                           x_label=r"\theta\ (^\circ)", y_label=r"u^{T} \Sigma u")
        cframe[1][1].set_color(n.loss)
        cax = cframe.axes
        cframe.move_to([right_x, 1.0, 0])
        t = ValueTracker(0)
        traced_to = ValueTracker(0)          # the curve stays drawn where u has been

        def index(tracker=t) -> int:
            return int(np.clip(round(tracker.get_value()), 0, LAST))

        def traced():
            k = index(traced_to)
            line = VMobject(stroke_color=n.loss, stroke_width=style.STROKE)
            if k > 0:
                line.set_points_as_corners(points_on(cax, DEG[: k + 1], LESSON.variance[: k + 1]))
            return line

        reach = 6.5
        curve = always_redraw(traced)
        curve_dot = always_redraw(lambda: Dot(cax.c2p(DEG[index()], LESSON.variance[index()]),
                                              radius=style.DOT_RADIUS * 1.5, color=n.pc1))
        u_line = always_redraw(lambda: Line(ax.c2p(*(-reach * LESSON.directions[index()])),
                                            ax.c2p(*(reach * LESSON.directions[index()])),
                                            color=n.pc1, stroke_width=style.STROKE_THIN,
                                            stroke_opacity=0.6))
        u_arrow = always_redraw(lambda: Arrow(
            ax.c2p(0, 0), ax.c2p(*(ARROW * LESSON.directions[index()])), buff=0,
            color=style.FOREGROUND, stroke_width=style.STROKE_THICK,
            max_tip_length_to_length_ratio=0.2))

        def u_name():
            u = LESSON.directions[index()]
            tip = ax.c2p(*((ARROW + 0.4) * u + 0.7 * np.array([-u[1], u[0]])))
            return MathTex("u", font_size=style.FONT_SIZE_MATH,
                           color=style.FOREGROUND).move_to(tip)

        u_label = always_redraw(u_name)
        feet = VGroup(*[Dot(ax.c2p(0, 0), radius=style.DOT_RADIUS * 0.8, color=n.pc1)
                        for _ in range(N)])

        def move_feet(group):
            k = index()
            where = points_on(ax, LESSON.projections[k] * LESSON.directions[k, 0],
                              LESSON.projections[k] * LESSON.directions[k, 1])
            for d, p in zip(group, where):
                d.move_to(p)

        move_feet(feet)
        readout = Readout([("theta", r"\theta", style.FOREGROUND, 1),
                           ("var", r"u^{T} \Sigma u", n.loss, 2)], font_size=style.FONT_SIZE_BODY,
                          signed=False, horizontal=True)
        readout.next_to(cframe, DOWN, buff=style.GAP_LARGE)

        def show(_=None):
            k = index()
            readout.show({"theta": float(DEG[k]), "var": float(LESSON.variance[k])})

        show()
        with self.beat("sweep") as beat:
            self.play(eig.make_clear_animation(run_time=beat.part(0.1)))
            self.play(FadeIn(frame), FadeIn(dots), Create(cframe), FadeIn(readout),
                      run_time=beat.part(0.15))
            self.add(u_line, feet, u_arrow, u_label, curve, curve_dot)
            feet.add_updater(move_feet)
            readout.add_updater(show)
            self.play(t.animate.set_value(LAST), traced_to.animate.set_value(LAST),
                      run_time=beat.part(0.65), rate_func=linear)

        peak_line = DashedLine(cax.c2p(0, LAMBDA[0]), cax.c2p(360, LAMBDA[0]), color=n.pc1,
                               stroke_width=style.STROKE_THIN)
        peak_label = MathTex(r"\lambda_1 = " + f2(LAMBDA[0]), color=n.pc1,
                             font_size=style.FONT_SIZE_LABEL)
        peak_label.next_to(cax.c2p(120, LAMBDA[0]), UP, buff=0.08)  # between the peaks
        with self.beat("peak") as beat:
            self.play(t.animate.set_value(TOP), run_time=beat.part(0.35))
            self.play(Create(peak_line), FadeIn(peak_label), run_time=beat.part(0.2))
        feet.remove_updater(move_feet)
        readout.remove_updater(show)
        self.peak_shown = readout.displayed_text()

        low_line = DashedLine(cax.c2p(0, LAMBDA[1]), cax.c2p(360, LAMBDA[1]), color=n.pc2,
                              stroke_width=style.STROKE_THIN)
        low_label = MathTex(r"\lambda_2 = " + f2(LAMBDA[1]), color=n.pc2,
                            font_size=style.FONT_SIZE_LABEL)
        low_label.next_to(cax.c2p(210, LAMBDA[1]), UP, buff=0.08)   # where the curve is high
        with self.beat("lesson") as beat:
            feet.add_updater(move_feet)
            readout.add_updater(show)
            self.play(t.animate.set_value(MINOR), run_time=beat.part(0.3))
            feet.remove_updater(move_feet)
            readout.remove_updater(show)
            self.play(Create(low_line), FadeIn(low_label), run_time=beat.part(0.2))
        self.readout, self.tracker_index = readout, index()
        self.labels = (peak_label, low_label)
