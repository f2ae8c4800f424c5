"""``gradient-descent-intuition``: a ball walking down a 1-D loss curve, the slope, the update rule,
and three learning rates side by side."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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

from mlv.algorithms.lessons import GradientDescentLesson, gradient_descent_lesson
from mlv.algorithms.trajectory import Trajectory
from mlv.scenes import speech, style
from mlv.scenes.components.panels import make_axes, nice_range, points_on
from mlv.scenes.components.readout import Readout
from mlv.scenes.lesson import LessonScene
from mlv.scenes.narration import Beat, Narration
from mlv.scenes.script import Script

# what the walk's narration says for each regime of its learning rate
# (GradientDescentLesson.walk_regime)
WALK_SAYS = {
    "crawls": "the ball steps downhill, but timidly: each step keeps most of the distance.",
    "converges": r"the ball steps downhill. Steps are $\eta$ times the slope, so they shrink as "
                 "the ground flattens.",
    "one-step": "one step lands exactly on the bottom: on this parabola, a half is the perfect "
                "step.",
    "oscillates": "each step overshoots the bottom and lands on the other side, but closer each "
                  "time.",
    "bounces": "each step lands exactly as far on the other side: the ball bounces between two "
               "points for ever.",
    "diverges": "each step overshoots the bottom and lands farther out on the other side. The "
                "learning rate is too large: gradient descent diverges.",
}
# how the walk's result ends, by regime; a diverging walk by whether it was stopped
# (GradientDescentLesson.walk_stopped)
RESULT_SAYS = {
    "crawls": ", still far: too small a learning rate crawls.",
    "converges": ".",
    "one-step": ": it has stayed at the minimum since the first step.",
    "oscillates": ".",
    "bounces": ", just where it started: it never gets closer.",
}
DIVERGED_SAYS = {
    True: " and growing, so we stop the run: this learning rate diverges.",
    False: " and growing: this learning rate diverges.",
}
# the decimals each rate's final distance is shown and spoken with (small, good, large)
DISTANCE_DECIMALS = (2, 4, 1)


def distance_texts(lesson: GradientDescentLesson) -> list[str]:
    """Each rate's final distance to the minimum, as shown and spoken."""
    return [f"{float(lesson.distance(t)[-1]):.{d}f}"
            for t, d in zip(lesson.rates, DISTANCE_DECIMALS, strict=True)]


def script(params: Mapping[str, Any]) -> Script:
    """The lesson's runs for ``params`` (``lr``, ``theta0``, ``steps``), its narration and
    numbers."""
    lesson = gradient_descent_lesson(theta0=params["theta0"], walk_rate=params["lr"],
                                     walk_steps=params["steps"])
    walk = lesson.walk
    theta0, eta_walk = walk.meta["theta0"], walk.meta["learning_rate"]
    slope0 = float(walk.grads[0, 0])
    n_walk = int(walk.steps[-1])
    regime = lesson.walk_regime
    result = (DIVERGED_SAYS[lesson.walk_stopped] if regime == "diverges"
              else RESULT_SAYS[regime])
    n_rates = int(lesson.small.steps[-1])
    etas = [t.meta["learning_rate"] for t in lesson.rates]
    factors = [lesson.factor(t) for t in lesson.rates]
    dist = [float(lesson.distance(t)[-1]) for t in lesson.rates]
    dist_text = distance_texts(lesson)
    narration = Narration(
        Beat("question", r"To train a model, we look for the parameter $\theta$ with the "
                         "smallest loss $L$. Here is a simple loss, a parabola."),
        Beat("start", rf"We start at $\theta = {theta0 + 0.0:g}$. Like a ball on a hillside, we "
                      "feel only the slope underfoot."),
        Beat("slope", f"The slope is the derivative, the tangent's steepness: here "
                      f"{speech.signed(slope0)}. Negative, so downhill is to the right."),
        Beat("derive", "Let us derive it: the derivative of a sum is the sum of the "
                       "derivatives."),
        Beat("power", r"The power rule gives $2\theta - 4$; the constant drops out."),
        Beat("factor", rf"Factor out 2: the slope is zero only at $\theta^* = "
                       rf"{lesson.theta_star:g}$, the bottom."),
        Beat("rule", r"Gradient descent steps against the slope: $\theta$ minus $\eta$ times the "
                     r"slope, where $\eta$ is the learning rate."),
        Beat("distance", "With our slope, each step multiplies the distance to the minimum by "
                         r"$1 - 2\eta$."),
        Beat("walk", rf"With $\eta = {eta_walk:g}$, " + WALK_SAYS[regime]),
        Beat("walk-result", rf"After {n_walk} steps, $\theta = {walk.final['theta']:.3f}$, "
                            f"{float(lesson.distance(walk)[-1]):.3f} from the minimum"
                            + result),
        Beat("rates", f"Now three learning rates, {n_rates} steps each, from the same start."),
        Beat("small", rf"A rate of $\eta = {etas[0]:g}$ is too small: each step keeps "
                      f"{factors[0]:g} of the distance, and after {n_rates} steps we are still "
                      f"{dist_text[0]} away."),
        Beat("good", rf"A rate of $\eta = {etas[1]:g}$ keeps only {factors[1]:g} of it: after "
                     f"{n_rates} steps, {dist_text[1]} away."),
        Beat("large", rf"A rate of $\eta = {etas[2]:g}$ is too large. The factor is "
                      f"{speech.signed(factors[2])}: each step jumps across the valley and lands "
                      f"farther out, {dist_text[2]} away after {n_rates} steps."),
        Beat("lesson", "The learning rate sets the pace: too small crawls, too large "
                       "overshoots."),
    )
    numbers = {"start theta": theta0, "minimiser theta*": lesson.theta_star,
               "walk learning rate": eta_walk, "walk steps": n_walk,
               "theta after the walk": float(walk.final["theta"]),
               **{f"distance after {n_rates} steps, eta {e:g}": d
                  for e, d in zip(etas, dist, strict=True)}}
    return Script(narration, lesson, numbers)


# the layout, by region (offsets from the stage's centre): the walk's curve on the left, its
# formulas, boards and readout in a column on the right; then the three rates across the stage
WALK_AT = style.STAGE.at(-3.4, 0.3625)
COLUMN_AT = style.STAGE.at(3.6, 0.9125)
RATES_AT = style.STAGE.at(0.0, 0.1625)
WALK_W, WALK_H = 6.0, 4.3
RATE_W, RATE_H = 3.6, 2.7
RATES_GAP = 0.95
BOARD_W = 6.2
BALL_RADIUS = 0.11


class LossCurve(VGroup):
    """Axes, the loss curve over ``[lo, hi]`` and helpers to place a ball and a tangent on it."""

    def __init__(self, lesson: GradientDescentLesson, lo: float, hi: float, *, width: float,
                 height: float):
        super().__init__()
        theta, loss = lesson.curve(lo, hi)
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

    def path(self, traj: Trajectory) -> VGroup:
        """The trajectory's steps as hops between dots on the curve."""
        pts = points_on(self.axes, traj.param("theta"), traj.loss)
        hops = VMobject(stroke_color=style.NOTATION.theta, stroke_width=style.STROKE_THIN)
        hops.set_points_as_corners(pts)
        dots = VGroup(*[Dot(p, radius=style.DOT_RADIUS, color=style.NOTATION.theta) for p in pts])
        return VGroup(hops, dots)


def rates_range(lesson: GradientDescentLesson, traj: Trajectory) -> tuple[float, float]:
    """A theta window that holds the whole run and the minimum, centred on the minimum."""
    reach = max(1.2, float(lesson.distance(traj).max()) * 1.1)
    return lesson.theta_star - reach, lesson.theta_star + reach


class GradientDescentIntuition(LessonScene):
    script = staticmethod(script)
    lesson: GradientDescentLesson

    def construct(self) -> None:
        # imported here: the derivations (SymPy) load only when the scene is drawn, so
        # importing this module does no work
        from mlv.derivations.gradient_descent import parabola_derivative, update_rule
        from mlv.scenes.components.derivation import DerivationPanel
        n = style.NOTATION
        lesson = self.lesson
        walk, theta_star = lesson.walk, lesson.theta_star
        theta0, slope0 = walk.meta["theta0"], float(walk.grads[0, 0])
        reach = max(4.0, 1.1 * float(lesson.distance(walk).max()))   # the whole walk in view
        lo, hi = theta_star - reach, theta_star + reach
        panel = LossCurve(lesson, lo, hi, width=WALK_W, height=WALK_H)
        panel.move_to(WALK_AT)
        right = COLUMN_AT

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

        ball = panel.ball(theta0, walk.loss[0])
        with self.beat("start") as beat:
            self.play(FadeIn(ball, scale=2.0), run_time=beat.part(0.3))

        tangent = panel.tangent(theta0, walk.loss[0], slope0)
        with self.beat("slope") as beat:
            slope_tex = MathTex(r"L'(\theta_0)", "=", f"{slope0:g}",
                                font_size=style.FONT_SIZE_MATH)
            slope_tex[0].set_color(n.gradient)
            slope_tex.move_to(right + 0.2 * UP)
            self.play(Create(tangent), Write(slope_tex), run_time=beat.part(0.45))

        board = DerivationPanel(parabola_derivative(), centre=right + 0.3 * DOWN,
                                max_width=BOARD_W, font_size=style.FONT_SIZE_BOARD,
                                lhs_color=n.gradient, reason_chars=48)
        with self.beat("derive") as beat:
            self.play(FadeOut(slope_tex), formula.animate.move_to(right + 2.0 * UP),
                      run_time=beat.part(0.2))
            self.play(board.make_step_animation(0, run_time=beat.part(0.3)))
            self.play(board.make_step_animation(1, run_time=beat.part(0.3)))
        with self.beat("power") as beat:
            self.play(board.make_step_animation(2, run_time=beat.part(0.4)))
        with self.beat("factor") as beat:
            self.play(board.make_step_animation(3, run_time=beat.part(0.4)))
            star = Dot(panel.at(theta_star, lesson.loss_at(theta_star)),
                       radius=BALL_RADIUS * 0.8, color=n.optimum)
            self.play(FadeIn(star, scale=2.0), run_time=beat.part(0.2))

        slope_result, slope_reason = board.equation, board.reason
        assert slope_result is not None and slope_reason is not None     # the board is written
        rule = DerivationPanel(update_rule(), centre=right + 0.5 * DOWN, max_width=BOARD_W,
                               font_size=style.FONT_SIZE_BOARD, lhs_color=n.theta,
                               reason_chars=48)
        with self.beat("rule") as beat:
            self.play(FadeOut(slope_reason), FadeOut(formula),
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
            row = walk.at(k)
            readout.show({"t": float(walk.steps[k]), "theta": row["theta"],
                          "loss": row["loss"], "slope": float(walk.grads[k, 0])})

        with self.beat("walk") as beat:
            eta_tex = MathTex(r"\eta", "=", f"{walk.meta['learning_rate']:g}",
                              font_size=style.FONT_SIZE_MATH)
            eta_tex[0].set_color(n.eta)
            eta_tex.move_to(right + 1.4 * UP)
            show(0)
            self.play(FadeOut(slope_result), FadeOut(rule.equation), FadeOut(rule.reason),
                      FadeIn(eta_tex), FadeIn(readout), run_time=beat.part(0.15))
            per = beat.part(0.75) / int(walk.steps[-1])
            trail = VGroup()
            self.add(trail)
            for k in range(1, len(walk)):
                a = panel.at(walk.params[k - 1, 0], walk.loss[k - 1])
                b = panel.at(walk.params[k, 0], walk.loss[k])
                hop = Line(a, b, color=n.theta, stroke_width=style.STROKE_THIN)
                new_tangent = panel.tangent(walk.params[k, 0], walk.loss[k], walk.grads[k, 0])
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
        n_rates = int(lesson.small.steps[-1])
        panels = [LossCurve(lesson, *rates_range(lesson, traj), width=RATE_W, height=RATE_H)
                  for traj in lesson.rates]
        VGroup(*panels).arrange(RIGHT, buff=RATES_GAP).move_to(RATES_AT)
        labels, results = [], []
        for p, traj, dist in zip(panels, lesson.rates, distance_texts(lesson), strict=True):
            label = MathTex(r"\eta", "=", f"{traj.meta['learning_rate']:g}",
                            font_size=style.FONT_SIZE_MATH)
            label[0].set_color(n.eta)
            label.next_to(p, UP, buff=style.GAP)
            res = MathTex(r"|\theta_{" + str(n_rates) + r"} - \theta^*|", "=", dist,
                          font_size=style.FONT_SIZE_LABEL + 4)
            res[0].set_color(n.theta)
            res.next_to(p, DOWN, buff=style.GAP)
            labels.append(label)
            results.append(res)
        paths = [p.path(t) for p, t in zip(panels, lesson.rates, strict=True)]

        with self.beat("rates") as beat:
            self.play(FadeOut(VGroup(panel, ball, tangent, trail, star, eta_tex, readout)),
                      run_time=beat.part(0.2))
            self.play(*[FadeIn(VGroup(p, lab)) for p, lab in zip(panels, labels, strict=True)],
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
