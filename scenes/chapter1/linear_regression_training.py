"""``linear-regression-training``: gradient descent on (w, b), raw inputs then standardised."""
from __future__ import annotations

import numpy as np
from manim import (
    RIGHT,
    FadeIn,
    FadeOut,
    MathTex,
    ReplacementTransform,
    ValueTracker,
    VGroup,
    Write,
    linear,
)

from mlv.algorithms.lessons import linear_regression_lesson
from mlv.scenes import params, style
from mlv.scenes.components.panels import ContourPanel, DataPanel, LossCurvePanel, fit_width
from mlv.scenes.components.readout import Readout
from mlv.scenes.lesson import LessonScene
from mlv.scenes.narration import Beat, Narration

PARAMS = params.current("linear-regression-training")
LESSON = linear_regression_lesson(PARAMS["seed"], raw_epochs=PARAMS["epochs"],
                                  std_learning_rate=PARAMS["lr"], std_epochs=PARAMS["epochs"])
RAW, STD = LESSON.raw, LESSON.standardized
ETA_RAW, ETA_STD = RAW.meta["learning_rate"], STD.meta["learning_rate"]
N_RAW, N_STD = int(RAW.steps[-1]), int(STD.steps[-1])
GAP_B = LESSON.optimum_raw[1] - RAW.final["b"]
ERR_STD = float(np.max(np.abs(STD.params[-1] - np.array(LESSON.optimum_std))))
REGIME = LESSON.std_regime


def raw_result() -> str:
    if abs(GAP_B) < 0.005:
        return (f"After {N_RAW} epochs the raw run has reached the best fit, marked by the star, "
                f"to two decimals; but it needed all {N_RAW} epochs to crawl there.")
    return (f"After {N_RAW} epochs b is still {abs(GAP_B):.2f} {'below' if GAP_B > 0 else 'above'}"
            " the best fit, marked by the star. This line is not the least-squares answer.")


def closeness(err: float) -> str:
    return "within one millionth" if err < 1e-6 else f"within {err:.2g}"


# the standardised run's narration for each regime of its learning rate (LESSON.std_regime)
STD_RUN = {
    "crawls": "the valley is round, but the steps are timid: the path creeps towards the "
              "minimum.",
    "converges": "the valley is round and the path heads straight for the minimum.",
    "one-step": "the valley is round and a single step lands on the minimum: on standardised "
                "inputs, a half is the perfect step.",
    "oscillates": "the valley is round, but each step overshoots the minimum and lands on the "
                  "other side, a little closer each time.",
    "bounces": "each step overshoots the minimum by exactly as much as it was away: the path "
               "jumps back and forth for ever.",
    "diverges": "each step overshoots the minimum and lands farther out than it started: the "
                "learning rate is too large.",
}
STD_RESULT = {
    "bounces": f"After {N_STD} epochs it is still jumping between the same two points: it never "
               "reaches the minimum.",
    "diverges": f"After {N_STD} epochs the error has grown far above where it started, so we "
                "stop the run: with this learning rate gradient descent diverges.",
}
CONVERGED = (f"After {N_STD} epochs, w and b agree with the closed-form least-squares solution "
             f"to {closeness(ERR_STD)}.")

NARRATION = Narration(
    Beat("intro", "Now we train the line by gradient descent, with three views: the data and the "
                  "current line, the error over w and b, and how far the error is above its "
                  "minimum."),
    Beat("rule", "Each epoch moves both parameters against their gradient, scaled by the "
                 "learning rate eta."),
    Beat("raw-run", f"First on the raw inputs, which lie between 0 and 10, with eta equal to "
                    f"{ETA_RAW:g}, for {N_RAW} epochs."),
    Beat("raw-valley", "The error surface is a long, narrow valley. The path zig-zags down to the "
                       "valley floor quickly, then b crawls along it."),
    Beat("raw-result", raw_result()),
    Beat("why", "Because x is far from zero, changing w moves the predictions much more than "
                "changing b, and one learning rate cannot suit both directions."),
    Beat("standardise", "So we standardise the input: subtract its mean and divide by its "
                        "standard deviation. Same data, shifted and rescaled axis."),
    Beat("std-run", f"On standardised inputs, with eta equal to {ETA_STD:g}, {STD_RUN[REGIME]}"),
    Beat("std-result", STD_RESULT.get(REGIME, CONVERGED)),
    Beat("lesson", "The lesson: standardise your inputs, and check the result against the "
                   "optimum before calling it the fit."),
)

PANEL_W, PANEL_H = 3.5, 3.0


def update_rule(symbol: str, colour) -> MathTex:
    """``theta <- theta - eta dMSE/dtheta`` with the notation colours."""
    n = style.NOTATION
    tex = MathTex(symbol, r"\leftarrow", symbol, "-", r"\eta",
                  r"\frac{\partial\,\mathrm{MSE}}{\partial " + symbol + "}",
                  font_size=style.FONT_SIZE_MATH)
    tex[0].set_color(colour); tex[2].set_color(colour); tex[4].set_color(n.eta)
    return tex


class LinearRegressionTraining(LessonScene):
    narration = NARRATION
    heading = "Training a line by gradient descent"
    numbers = {"raw: learning rate": ETA_RAW, "raw: epochs": N_RAW,
               "raw: final w": float(RAW.final["w"]), "raw: final b": float(RAW.final["b"]),
               "raw: final MSE": float(RAW.loss[-1]), "standardised: learning rate": ETA_STD,
               "standardised: final MSE": float(STD.loss[-1]),
               "least-squares MSE": float(LESSON.min_mse)}

    def _panels(self, traj, grid, optimum, x_label):
        n = style.NOTATION
        data = DataPanel(traj.extras["x"], traj.extras["y"], width=PANEL_W, height=PANEL_H,
                         x_label=x_label)
        contour = ContourPanel(*grid, width=PANEL_W, height=PANEL_H, p_color=n.w, q_color=n.b)
        curve = LossCurvePanel(traj.steps, LESSON.excess(traj), width=PANEL_W, height=PANEL_H,
                               y_label=r"\mathrm{MSE}-\mathrm{MSE}^{*}")
        row = VGroup(data, contour, curve).arrange(RIGHT, buff=0.8)
        fit_width(row)
        row.move_to([0, 0.55, 0])
        star = contour.optimum(*optimum)
        return data, contour, curve, star

    def _readout(self):
        n = style.NOTATION
        r = Readout([("w", "w", n.w), ("b", "b", n.b), ("loss", r"\mathrm{MSE}", n.loss)],
                    decimals=4, font_size=style.FONT_SIZE_BODY, horizontal=True)
        r.move_to([0, -2.35, 0])
        return r

    def _train(self, traj, data, contour, curve, readout, colour, run_time):
        k = ValueTracker(0)
        last = len(traj) - 1
        line = data.tracked_line(traj.params, k)
        path = contour.tracked_path(traj.params, k, colour)
        loss = curve.tracked_curve(k)
        step = lambda: min(last, int(round(k.get_value())))
        numbers = list(readout.numbers.items())
        for name, num in numbers:
            num.add_updater(lambda m, name=name: m.set_value(traj.at(step())[name]))
        # what changes every frame goes on top, so manim redraws only that (everything after a
        # moving mobject in the scene's list is redrawn each frame)
        self.add(line, path, loss)
        self.bring_to_front(*[num for _, num in numbers], line, path, loss)
        self.play(k.animate.set_value(last), run_time=run_time, rate_func=linear)
        for _, num in numbers:
            num.clear_updaters()
        readout.show(traj.at(last))
        return VGroup(line, path, loss)

    def construct(self):
        n = style.NOTATION
        data, contour, curve, star = self._panels(RAW, LESSON.grid_raw, LESSON.optimum_raw, "x")
        readout = self._readout().show(RAW.at(0))

        with self.beat("intro") as beat:
            self.play(FadeIn(data), run_time=beat.part(0.2))
            self.play(FadeIn(contour), FadeIn(star), run_time=beat.part(0.2))
            self.play(FadeIn(curve), FadeIn(readout), run_time=beat.part(0.2))

        with self.beat("rule") as beat:
            rule = VGroup(update_rule("w", n.w), update_rule("b", n.b)).arrange(RIGHT, buff=1.2)
            rule.move_to([0, -1.55, 0])
            self.play(Write(rule), run_time=beat.part(0.5))

        with self.beat("raw-run") as beat:
            raw_drawn = self._train(RAW, data, contour, curve, readout, n.path, beat.part(0.85))
        with self.beat("raw-valley") as beat:
            self.flash_stroke(contour.contours, beat=beat, width=style.STROKE,
                              back=style.STROKE_THIN, part=0.3)
        with self.beat("raw-result") as beat:
            self.pulse(star, beat=beat, scale=1.8, part=0.25)
        with self.beat("why") as beat:
            pass

        data2, contour2, curve2, star2 = self._panels(STD, LESSON.grid_std, LESSON.optimum_std,
                                                      "z")
        with self.beat("standardise") as beat:
            z_def = MathTex(r"z_i = \frac{x_i - \bar x}{s_x}", font_size=style.FONT_SIZE_MATH,
                            color=n.data).move_to(rule)
            self.play(FadeOut(VGroup(raw_drawn, contour, star, curve)), ReplacementTransform(rule, z_def),
                      ReplacementTransform(data, data2), run_time=beat.part(0.5))
            self.play(FadeIn(contour2), FadeIn(star2), FadeIn(curve2), run_time=beat.part(0.3))
            readout.show(STD.at(0))

        with self.beat("std-run") as beat:
            self._train(STD, data2, contour2, curve2, readout, n.path, beat.part(0.85))
        with self.beat("std-result") as beat:
            self.pulse(star2, beat=beat, scale=1.8, part=0.25)
        with self.beat("lesson") as beat:
            pass
        self.readout = readout
