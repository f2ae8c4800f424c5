"""``linear-regression-training``: gradient descent on (w, b), raw inputs then standardised."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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

from mlv.algorithms.lessons import LinearRegressionLesson, linear_regression_lesson
from mlv.scenes import speech, style
from mlv.scenes.components.panels import ContourPanel, DataPanel, LossCurvePanel, fit_width
from mlv.scenes.components.readout import Readout
from mlv.scenes.lesson import LessonScene
from mlv.scenes.narration import Beat, Narration
from mlv.scenes.script import Script

# the standardised run's narration for each regime of its learning rate (LinearRegressionLesson
# .std_regime)
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


def raw_result(lesson: LinearRegressionLesson) -> str:
    n_raw = int(lesson.raw.steps[-1])
    if lesson.raw_reached_optimum:
        return (f"After {n_raw} epochs the raw run has reached the best fit, marked by the star, "
                f"to two decimals; but it needed all {n_raw} epochs to crawl there.")
    gap = lesson.raw_gap_b
    return (f"After {n_raw} epochs $b$ is still {abs(gap):.2f} {'below' if gap > 0 else 'above'}"
            " the best fit, marked by the star. This line is not the least-squares answer.")


def std_result(lesson: LinearRegressionLesson) -> str:
    n_std = int(lesson.standardized.steps[-1])
    if lesson.std_regime == "bounces":
        return (f"After {n_std} epochs it is still jumping between the same two points: it "
                "never reaches the minimum.")
    if lesson.std_regime == "diverges":
        return (f"After {n_std} epochs the error has grown far above where it started, so we "
                "stop the run: with this learning rate gradient descent diverges.")
    return (f"After {n_std} epochs, $w$ and $b$ agree with the closed-form least-squares "
            f"solution to {speech.closeness(lesson.std_error)}.")


def script(params: Mapping[str, Any]) -> Script:
    """The lesson's runs for ``params`` (``lr``, ``epochs``, ``seed``), its narration and
    numbers."""
    lesson = linear_regression_lesson(params["seed"], raw_epochs=params["epochs"],
                                      std_learning_rate=params["lr"], std_epochs=params["epochs"])
    raw, std = lesson.raw, lesson.standardized
    eta_raw, eta_std = raw.meta["learning_rate"], std.meta["learning_rate"]
    narration = Narration(
        Beat("intro", "Now we train the line by gradient descent, with three views: the data and "
                      "the current line, the error over $w$ and $b$, and how far the error is "
                      "above its minimum."),
        Beat("rule", "Each epoch moves both parameters against their gradient, scaled by the "
                     r"learning rate $\eta$."),
        Beat("raw-run", rf"First on the raw inputs, which lie between 0 and 10, with $\eta = "
                        rf"{eta_raw:g}$, for {int(raw.steps[-1])} epochs."),
        Beat("raw-valley", "The error surface is a long, narrow valley. The path zig-zags down to "
                           "the valley floor quickly, then $b$ crawls along it."),
        Beat("raw-result", raw_result(lesson)),
        Beat("why", "Because $x$ is far from zero, changing $w$ moves the predictions much more "
                    "than changing $b$, and one learning rate cannot suit both directions."),
        Beat("standardise", "So we standardise the input: subtract its mean and divide by its "
                            "standard deviation. Same data, shifted and rescaled axis."),
        Beat("std-run", rf"On standardised inputs, with $\eta = {eta_std:g}$, "
                        f"{STD_RUN[lesson.std_regime]}"),
        Beat("std-result", std_result(lesson)),
        Beat("lesson", "The lesson: standardise your inputs, and check the result against the "
                       "optimum before calling it the fit."),
    )
    numbers = {"raw: learning rate": eta_raw, "raw: epochs": int(raw.steps[-1]),
               "raw: final w": float(raw.final["w"]), "raw: final b": float(raw.final["b"]),
               "raw: final MSE": float(raw.loss[-1]), "standardised: learning rate": eta_std,
               "standardised: final MSE": float(std.loss[-1]),
               "least-squares MSE": float(lesson.min_mse)}
    return Script(narration, lesson, numbers)


PANEL_W, PANEL_H = 3.5, 3.0
# the layout, by region: the three panels across the stage, the update rule beneath them and the
# readout above the caption band (offsets from the stage's centre)
PANELS_DY = 0.55 - style.STAGE.center[1]
RULE_DY = -1.55 - style.STAGE.center[1]
READOUT_DY = -2.35 - style.STAGE.center[1]


def update_rule(symbol: str, colour) -> MathTex:
    """``theta <- theta - eta dMSE/dtheta`` with the notation colours."""
    n = style.NOTATION
    tex = MathTex(symbol, r"\leftarrow", symbol, "-", r"\eta",
                  r"\frac{\partial\,\mathrm{MSE}}{\partial " + symbol + "}",
                  font_size=style.FONT_SIZE_MATH)
    tex[0].set_color(colour)
    tex[2].set_color(colour)
    tex[4].set_color(n.eta)
    return tex


class LinearRegressionTraining(LessonScene):
    script = staticmethod(script)
    lesson: LinearRegressionLesson

    def _panels(self, traj, grid, optimum, x_label):
        n = style.NOTATION
        data = DataPanel(traj.extras["x"], traj.extras["y"], width=PANEL_W, height=PANEL_H,
                         x_label=x_label)
        contour = ContourPanel(*grid, width=PANEL_W, height=PANEL_H, p_color=n.w, q_color=n.b)
        curve = LossCurvePanel(traj.steps, self.lesson.excess(traj), width=PANEL_W, height=PANEL_H,
                               y_label=r"\mathrm{MSE}-\mathrm{MSE}^{*}")
        row = VGroup(data, contour, curve).arrange(RIGHT, buff=0.8)
        fit_width(row)
        row.move_to(style.STAGE.at(dy=PANELS_DY))
        star = contour.optimum(*optimum)
        return data, contour, curve, star

    def _readout(self):
        n = style.NOTATION
        r = Readout([("w", "w", n.w), ("b", "b", n.b), ("loss", r"\mathrm{MSE}", n.loss)],
                    decimals=4, font_size=style.FONT_SIZE_BODY, horizontal=True)
        r.move_to(style.STAGE.at(dy=READOUT_DY))
        return r

    def _train(self, traj, data, contour, curve, readout, colour, run_time):
        k = ValueTracker(0)
        last = len(traj) - 1
        line = data.tracked_line(traj.params, k)
        path = contour.tracked_path(traj.params, k, colour)
        loss = curve.tracked_curve(k)

        def step() -> int:
            return min(last, int(round(k.get_value())))

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

    def construct(self) -> None:
        n = style.NOTATION
        lesson = self.lesson
        raw, std = lesson.raw, lesson.standardized
        data, contour, curve, star = self._panels(raw, lesson.grid_raw, lesson.optimum_raw, "x")
        readout = self._readout().show(raw.at(0))

        with self.beat("intro") as beat:
            self.play(FadeIn(data), run_time=beat.part(0.2))
            self.play(FadeIn(contour), FadeIn(star), run_time=beat.part(0.2))
            self.play(FadeIn(curve), FadeIn(readout), run_time=beat.part(0.2))

        with self.beat("rule") as beat:
            rule = VGroup(update_rule("w", n.w), update_rule("b", n.b)).arrange(RIGHT, buff=1.2)
            rule.move_to(style.STAGE.at(dy=RULE_DY))
            self.play(Write(rule), run_time=beat.part(0.5))

        with self.beat("raw-run") as beat:
            raw_drawn = self._train(raw, data, contour, curve, readout, n.path, beat.part(0.85))
        with self.beat("raw-valley") as beat:
            self.flash_stroke(contour.contours, beat=beat, width=style.STROKE,
                              back=style.STROKE_THIN, part=0.3)
        with self.beat("raw-result") as beat:
            self.pulse(star, beat=beat, scale=1.8, part=0.25)
        with self.beat("why") as beat:
            pass

        data2, contour2, curve2, star2 = self._panels(std, lesson.grid_std, lesson.optimum_std,
                                                      "z")
        with self.beat("standardise") as beat:
            z_def = MathTex(r"z_i = \frac{x_i - \bar x}{s_x}", font_size=style.FONT_SIZE_MATH,
                            color=n.data).move_to(rule)
            self.play(FadeOut(VGroup(raw_drawn, contour, star, curve)),
                      ReplacementTransform(rule, z_def), ReplacementTransform(data, data2),
                      run_time=beat.part(0.5))
            self.play(FadeIn(contour2), FadeIn(star2), FadeIn(curve2), run_time=beat.part(0.3))
            readout.show(std.at(0))

        with self.beat("std-run") as beat:
            self._train(std, data2, contour2, curve2, readout, n.path, beat.part(0.85))
        with self.beat("std-result") as beat:
            self.pulse(star2, beat=beat, scale=1.8, part=0.25)
        with self.beat("lesson") as beat:
            pass
        self.readout = readout
