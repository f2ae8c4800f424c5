"""``gradient-descent-intuition``: a ball walking down a 1-D loss curve, the slope, the update rule,
and three learning rates side by side."""
from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    RIGHT,
    UP,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    Line,
    MathTex,
    VGroup,
    VMobject,
    Write,
)

from mlv.algorithms.lessons import gradient_descent_lesson
from mlv.derivations.gradient_descent import parabola_derivative, update_rule
from mlv.scenes import params, style
from mlv.scenes.components.derivation import DerivationPanel
from mlv.scenes.components.panels import make_axes, nice_range, points_on
from mlv.scenes.components.readout import Readout
from mlv.scenes.lesson import LessonScene
from mlv.scenes.narration import Beat, Narration

PARAMS = params.current("gradient-descent-intuition")
LESSON = gradient_descent_lesson(theta0=PARAMS["theta0"], walk_rate=PARAMS["lr"],
                                 walk_steps=PARAMS["steps"])
WALK = LESSON.walk
SMALL, GOOD, LARGE = LESSON.rates
THETA0 = WALK.meta["theta0"]
SLOPE0 = float(WALK.grads[0, 0])
THETA_STAR = LESSON.theta_star
ETA_WALK = WALK.meta["learning_rate"]
N_WALK = int(WALK.steps[-1])
REGIME = LESSON.regime(WALK)
DIST_WALK = float(LESSON.distance(WALK)[-1])
N_RATES = int(SMALL.steps[-1])
ETAS = [t.meta["learning_rate"] for t in LESSON.rates]
FACTORS = [LESSON.factor(t) for t in LESSON.rates]
DIST = [float(LESSON.distance(t)[-1]) for t in LESSON.rates]
DIST_TEXT = [f"{DIST[0]:.2f}", f"{DIST[1]:.4f}", f"{DIST[2]:.1f}"]   # as spoken and shown


def spoken(v: float) -> str:
    """A number as the narrator reads it (``minus 6``)."""
    return f"minus {abs(v):g}" if v < 0 else f"{v:g}"


# what the walk's narration says for each regime of its learning rate (LESSON.regime)
WALK_SAYS = {
    "crawls": "the ball steps downhill, but timidly: each step keeps most of the distance.",
    "converges": "the ball steps downhill. Steps are eta times the slope, so they shrink as the "
                 "ground flattens.",
    "one-step": "one step lands exactly on the bottom: on this parabola, a half is the perfect "
                "step.",
    "oscillates": "each step overshoots the bottom and lands on the other side, but closer each "
                  "time.",
    "bounces": "each step lands exactly as far on the other side: the ball bounces between two "
               "points for ever.",
    "diverges": "each step overshoots the bottom and lands farther out on the other side. The "
                "learning rate is too large: gradient descent diverges.",
}
RESULT_SAYS = {
    "crawls": ", still far: too small a learning rate crawls.",
    "converges": ".",
    "one-step": ": it has stayed at the minimum since the first step.",
    "oscillates": ".",
    "bounces": ", just where it started: it never gets closer.",
    "diverges": (" and growing, so we stop the run: this learning rate diverges."
                 if WALK.meta["diverged"] else " and growing: this learning rate diverges."),
}

NARRATION = Narration(
    Beat("question", "To train a model, we look for the parameter theta with the smallest loss "
                     "L. Here is a simple loss, a parabola."),
    Beat("start", f"We start at theta equal to {spoken(THETA0)}. Like a ball on a hillside, we "
                  "feel only the slope underfoot."),
    Beat("slope", f"The slope is the derivative, the tangent's steepness: here "
                  f"{spoken(SLOPE0)}. Negative, so downhill is to the right."),
    Beat("derive", "Let us derive it: the derivative of a sum is the sum of the derivatives."),
    Beat("power", "The power rule gives two theta minus four; the constant drops out."),
    Beat("factor", f"Factor out two: the slope is zero only at theta star equals "
                   f"{THETA_STAR:g}, the bottom."),
    Beat("rule", "Gradient descent steps against the slope: theta minus eta times the slope, "
                 "where eta is the learning rate."),
    Beat("distance", "With our slope, each step multiplies the distance to the minimum by one "
                     "minus two eta."),
    Beat("walk", f"With eta equal to {ETA_WALK:g}, " + WALK_SAYS[REGIME]),
    Beat("walk-result", f"After {N_WALK} steps, theta is {WALK.final['theta']:.3f}, "
                        f"{DIST_WALK:.3f} from the minimum" + RESULT_SAYS[REGIME]),
    Beat("rates", f"Now three learning rates, {N_RATES} steps each, from the same start."),
    Beat("small", f"Eta equal to {ETAS[0]:g} is too small: each step keeps {FACTORS[0]:g} of the "
                  f"distance, and after {N_RATES} steps we are still {DIST_TEXT[0]} away."),
    Beat("good", f"Eta equal to {ETAS[1]:g} keeps only {FACTORS[1]:g} of it: after {N_RATES} "
                 f"steps, {DIST_TEXT[1]} away."),
    Beat("large", f"Eta equal to {ETAS[2]:g} is too large. The factor is {spoken(FACTORS[2])}: "
                  f"each step jumps across the valley and lands farther out, {DIST_TEXT[2]} "
                  f"away after {N_RATES} steps."),
    Beat("lesson", "The learning rate sets the pace: too small crawls, too large overshoots."),
)

BALL_RADIUS = 0.11


class LossCurve(VGroup):
    """Axes, the loss curve over ``[lo, hi]`` and helpers to place a ball and a tangent on it."""

    def __init__(self, lo: float, hi: float, *, width: float, height: float,
                 font_size: float = style.FONT_SIZE_LABEL):
        super().__init__()
        theta, loss = LESSON.curve(lo, hi)
        yr = nice_range(0.0, float(loss.max()), ticks=4)
        xr = nice_range(lo, hi, ticks=8)
        self.frame = make_axes([lo, hi, xr[2]], [0, yr[1], yr[2]], width=width, height=height,
                               x_label=r"\theta", y_label="L", label_color=style.FOREGROUND)
        self.frame[1][0].set_color(style.NOTATION.theta)
        self.frame[1][1].set_color(style.NOTATION.loss)
        self.axes = self.frame.axes
        self.curve = VMobject(stroke_color=style.NOTATION.loss, stroke_width=style.STROKE)
        self.curve.set_points_smoothly(points_on(self.axes, theta, loss))
        self.add(self.frame, self.curve)

    def at(self, theta: float, loss: float):
        return self.axes.c2p(theta, loss)

    def ball(self, theta: float, loss: float) -> Dot:
        return Dot(self.at(theta, loss), radius=BALL_RADIUS, color=style.NOTATION.theta)

    def tangent(self, theta: float, loss: float, slope: float, half: float = 1.0) -> Line:
        """The tangent at ``(theta, loss)``, ``half`` either side, kept inside the axes."""
        top = self.axes.y_range[1]
        if slope:
            half = min(half, 0.9 * (top - loss) / abs(slope), 0.9 * loss / abs(slope))
        a = (theta - half, loss - slope * half)
        b = (theta + half, loss + slope * half)
        return Line(self.at(*a), self.at(*b), color=style.NOTATION.gradient,
                    stroke_width=style.STROKE)

    def path(self, traj) -> VGroup:
        """The trajectory's steps as hops between dots on the curve."""
        pts = points_on(self.axes, traj.param("theta"), traj.loss)
        hops = VMobject(stroke_color=style.NOTATION.theta, stroke_width=style.STROKE_THIN)
        hops.set_points_as_corners(pts)
        dots = VGroup(*[Dot(p, radius=style.DOT_RADIUS, color=style.NOTATION.theta) for p in pts])
        return VGroup(hops, dots)


def rates_range(traj) -> tuple[float, float]:
    """A theta window that holds the whole run and the minimum, centred on the minimum."""
    reach = max(1.2, float(LESSON.distance(traj).max()) * 1.1)
    return THETA_STAR - reach, THETA_STAR + reach


class GradientDescentIntuition(LessonScene):
    narration = NARRATION
    heading = "Gradient descent: walking downhill"
    numbers = {"start theta": THETA0, "minimiser theta*": THETA_STAR, "walk learning rate": ETA_WALK,
               "walk steps": N_WALK, "theta after the walk": float(WALK.final["theta"]),
               **{f"distance after {N_RATES} steps, eta {e:g}": d for e, d in zip(ETAS, DIST)}}

    def construct(self):
        n = style.NOTATION
        reach = max(4.0, 1.1 * float(LESSON.distance(WALK).max()))   # the whole walk in view
        lo, hi = THETA_STAR - reach, THETA_STAR + reach
        panel = LossCurve(lo, hi, width=6.0, height=4.3)
        panel.move_to([-3.4, 0.35, 0])
        right = np.array([3.6, 0.9, 0])

        with self.beat("question") as beat:
            self.play(Create(panel.frame), run_time=beat.part(0.25))
            self.play(Create(panel.curve), run_time=beat.part(0.35))
            formula = MathTex("L", "(", r"\theta", ")", "=", r"\theta", "^2 - 4", r"\theta",
                              "+ 5", font_size=style.FONT_SIZE_MATH)
            formula[0].set_color(n.loss)
            for i in (2, 5, 7):
                formula[i].set_color(n.theta)
            formula.move_to(right + 1.4 * UP)
            self.play(Write(formula), run_time=beat.part(0.25))

        ball = panel.ball(THETA0, WALK.loss[0])
        with self.beat("start") as beat:
            self.play(FadeIn(ball, scale=2.0), run_time=beat.part(0.3))

        tangent = panel.tangent(THETA0, WALK.loss[0], SLOPE0)
        with self.beat("slope") as beat:
            slope_tex = MathTex(r"L'(\theta_0)", "=", f"{SLOPE0:g}",
                                font_size=style.FONT_SIZE_MATH)
            slope_tex[0].set_color(n.gradient)
            slope_tex.move_to(right + 0.2 * UP)
            self.play(Create(tangent), Write(slope_tex), run_time=beat.part(0.45))

        board = DerivationPanel(parabola_derivative(), centre=right + 0.3 * DOWN, max_width=6.2,
                                font_size=style.FONT_SIZE_BOARD, lhs_color=n.gradient,
                                reason_chars=48)
        with self.beat("derive") as beat:
            self.play(FadeOut(slope_tex), formula.animate.move_to(right + 2.0 * UP),
                      run_time=beat.part(0.2))
            self.play(board.make_step_animation(0, run_time=beat.part(0.3)))
            self.play(board.make_step_animation(1, run_time=beat.part(0.3)))
        with self.beat("power") as beat:
            self.play(board.make_step_animation(2, run_time=beat.part(0.4)))
        with self.beat("factor") as beat:
            self.play(board.make_step_animation(3, run_time=beat.part(0.4)))
            star = Dot(panel.at(THETA_STAR, LESSON.loss_at(THETA_STAR)),
                       radius=BALL_RADIUS * 0.8, color=n.optimum)
            self.play(FadeIn(star, scale=2.0), run_time=beat.part(0.2))

        slope_result = board.equation
        rule = DerivationPanel(update_rule(), centre=right + 0.5 * DOWN, max_width=6.2,
                               font_size=style.FONT_SIZE_BOARD, lhs_color=n.theta,
                               reason_chars=48)
        with self.beat("rule") as beat:
            self.play(FadeOut(board.reason), FadeOut(formula),
                      slope_result.animate.scale(0.8).move_to(right + 2.0 * UP),
                      run_time=beat.part(0.25))
            self.play(rule.make_step_animation(0, run_time=beat.part(0.4)))
        with self.beat("distance") as beat:
            for k in (1, 2, 3):
                self.play(rule.make_step_animation(k, run_time=beat.part(0.25)))

        readout = Readout([("t", r"\text{step } t", style.FOREGROUND, 0),
                           ("theta", r"\theta", n.theta), ("loss", "L", n.loss),
                           ("slope", r"L'(\theta)", n.gradient)], decimals=3, signed=False)
        readout.move_to(right + 0.2 * DOWN)

        def show(k: int) -> None:
            row = WALK.at(k)
            readout.show({"t": float(WALK.steps[k]), "theta": row["theta"],
                          "loss": row["loss"], "slope": float(WALK.grads[k, 0])})

        with self.beat("walk") as beat:
            eta_tex = MathTex(r"\eta", "=", f"{ETA_WALK:g}", font_size=style.FONT_SIZE_MATH)
            eta_tex[0].set_color(n.eta)
            eta_tex.move_to(right + 1.4 * UP)
            show(0)
            self.play(FadeOut(slope_result), FadeOut(rule.equation), FadeOut(rule.reason),
                      FadeIn(eta_tex), FadeIn(readout), run_time=beat.part(0.15))
            per = beat.part(0.75) / N_WALK
            trail = VGroup()
            self.add(trail)
            for k in range(1, len(WALK)):
                a = panel.at(WALK.params[k - 1, 0], WALK.loss[k - 1])
                b = panel.at(WALK.params[k, 0], WALK.loss[k])
                hop = Line(a, b, color=n.theta, stroke_width=style.STROKE_THIN)
                new_tangent = panel.tangent(WALK.params[k, 0], WALK.loss[k], WALK.grads[k, 0])
                self.play(ball.animate.move_to(b), Create(hop),
                          tangent.animate.become(new_tangent), run_time=max(0.2, per))
                trail.add(hop, Dot(b, radius=style.DOT_RADIUS, color=n.theta))
                self.bring_to_front(ball)
                show(k)

        with self.beat("walk-result") as beat:
            self.pulse(ball, beat=beat, part=0.15)
        self.walk_ball = ball
        self.walk_axes = panel.axes

        # three learning rates side by side
        panels, labels, results = [], [], []
        for traj, eta, dist in zip(LESSON.rates, ETAS, DIST_TEXT):
            p = LossCurve(*rates_range(traj), width=3.6, height=2.7,
                          font_size=style.FONT_SIZE_SMALL)
            panels.append(p)
        row = VGroup(*panels).arrange(RIGHT, buff=0.95).move_to([0, 0.15, 0])
        for p, traj, eta, dist in zip(panels, LESSON.rates, ETAS, DIST_TEXT):
            label = MathTex(r"\eta", "=", f"{eta:g}", font_size=style.FONT_SIZE_MATH)
            label[0].set_color(n.eta)
            label.next_to(p, UP, buff=style.GAP)
            res = MathTex(r"|\theta_{" + str(N_RATES) + r"} - \theta^*|", "=", dist,
                          font_size=style.FONT_SIZE_LABEL + 4)
            res[0].set_color(n.theta)
            res.next_to(p, DOWN, buff=style.GAP)
            labels.append(label)
            results.append(res)
        paths = [p.path(t) for p, t in zip(panels, LESSON.rates)]

        with self.beat("rates") as beat:
            self.play(FadeOut(VGroup(panel, ball, tangent, trail, star, eta_tex, readout)),
                      run_time=beat.part(0.2))
            self.play(*[FadeIn(VGroup(p, lab)) for p, lab in zip(panels, labels)],
                      run_time=beat.part(0.4))

        for j, key in enumerate(("small", "good", "large")):
            with self.beat(key) as beat:
                self.play(Create(paths[j], lag_ratio=0.0), run_time=beat.part(0.5))
                self.play(FadeIn(results[j]), run_time=beat.part(0.15))

        with self.beat("lesson") as beat:
            pass
        self.rate_panels = panels
        self.rate_paths = paths
        self.rate_results = results
