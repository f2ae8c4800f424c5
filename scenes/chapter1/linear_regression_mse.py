"""``linear-regression-mse``: from residuals to the mean squared error and its gradient."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from manim import (
    DOWN,
    LEFT,
    UP,
    Create,
    FadeIn,
    FadeOut,
    MathTex,
    ReplacementTransform,
    VGroup,
    Write,
)

from mlv.algorithms.lessons import MSELesson, mse_lesson
from mlv.scenes import style
from mlv.scenes.components.panels import DataPanel
from mlv.scenes.lesson import LessonScene
from mlv.scenes.narration import Beat, Narration
from mlv.scenes.script import Script


def script(params: Mapping[str, Any]) -> Script:
    """The lesson's data, guess and best line (it takes no parameters), its narration and
    numbers."""
    lesson = mse_lesson()
    narration = Narration(
        Beat("question", f"Here are {len(lesson.x)} points, each an input $x$ and a target $y$. "
                         "Which straight line describes them best?"),
        Beat("model", r"Our model is a line: the prediction $\hat y = wx + b$. The slope $w$ "
                      "and the intercept $b$ are the two numbers we get to choose."),
        Beat("residuals", "For any line, each point misses by a residual: the vertical distance "
                          r"from the point to the line, $y - \hat y$."),
        Beat("mse", "Square each residual, so misses above and below both count and big misses "
                    "count more, then average over all $n$ points. That is the mean squared "
                    "error."),
        Beat("better", f"This guess has a mean squared error of {lesson.mse_guess:.1f}. The best "
                       f"line has {lesson.mse_best:.2f}. Smaller residuals, smaller error."),
        Beat("derive", "To improve a line step by step we need the slope of the error in each "
                       "parameter. Let us derive the derivative in $w$."),
        Beat("linearity", "The derivative of an average is the average of the derivatives, so "
                          "it moves inside the sum."),
        Beat("chain", "The chain rule: the derivative of a square is two times the inside, "
                      "times the derivative of the inside."),
        Beat("inner", "The inside, $y - (wx + b)$, changes at rate $-x$ when $w$ changes."),
        Beat("collect", r"Collect the constants in front: $-\frac{2}{n}$, times the sum of $x$ "
                        "times the residual."),
        Beat("b-result", r"The same steps for $b$ give $-\frac{2}{n}$ times the sum of the "
                         "residuals, because the inside changes at rate $-1$."),
        Beat("recap", "Both gradients are averages of residuals. Where both are zero the line "
                      "is the least-squares fit. Next, gradient descent walks there."),
    )
    numbers = {"points n": len(lesson.x), "guess w": lesson.guess[0],
               "guess b": lesson.guess[1], "MSE of the guess": lesson.mse_guess,
               "least-squares w": float(lesson.best[0]), "least-squares b": float(lesson.best[1]),
               "least-squares MSE": lesson.mse_best}
    return Script(narration, lesson, numbers)


# the layout, by region: the data on the left (beyond the safe margin, raised), the formulas in
# a column on the right; then the two derivations across the stage (offsets from its centre)
DATA_W, DATA_H = 6.2, 4.4
DATA_MARGIN = 0.3                 # between the safe margin and the data panel
DATA_RAISE = 0.35
MODEL_AT = style.STAGE.at(3.6, 2.0125)
BOARD_AT = style.STAGE.at(0.0, 0.6125)
BOARD_B_AT = style.STAGE.at(0.0, -0.5875)
RESULT_RAISE = 1.0                # the w result moves up to make room for b's
BOARD_W = style.STAGE.width - 0.4


class LinearRegressionMSE(LessonScene):
    script = staticmethod(script)
    lesson: MSELesson

    def construct(self) -> None:
        # imported here: the derivations (SymPy) load only when the scene is drawn, so
        # importing this module does no work
        from mlv.derivations.mse import gradient_b, gradient_w
        from mlv.scenes.components.derivation import DerivationPanel
        n = style.NOTATION
        lesson = self.lesson
        panel = DataPanel(lesson.x, lesson.y, width=DATA_W, height=DATA_H)
        panel.to_edge(LEFT, buff=style.SAFE_MARGIN + DATA_MARGIN).shift(DATA_RAISE * UP)

        with self.beat("question") as beat:
            self.play(Create(panel.frame), run_time=beat.part(0.3))
            self.play(FadeIn(panel.dots, lag_ratio=0.05), run_time=beat.part(0.4))

        with self.beat("model") as beat:
            model = MathTex(r"\hat y", "=", "w", "x", "+", "b",
                            font_size=style.FONT_SIZE_MATH + 6)
            model[0].set_color(n.prediction)
            model[2].set_color(n.w)
            model[5].set_color(n.b)
            model.move_to(MODEL_AT)
            line = panel.line(*lesson.guess)
            self.play(Write(model), run_time=beat.part(0.35))
            self.play(Create(line), run_time=beat.part(0.35))

        with self.beat("residuals") as beat:
            res = panel.residuals(*lesson.guess)
            resid_tex = MathTex(r"r_i", "=", r"y_i", "-", r"\hat y_i",
                                font_size=style.FONT_SIZE_MATH)
            resid_tex[0].set_color(n.residual)
            resid_tex[2].set_color(n.data)
            resid_tex[4].set_color(n.prediction)
            resid_tex.next_to(model, DOWN, buff=style.GAP_LARGE)
            self.play(Create(res, lag_ratio=0.05), Write(resid_tex), run_time=beat.part(0.5))

        with self.beat("mse") as beat:
            mse_tex = MathTex(r"\mathrm{MSE}", "=", r"\frac{1}{n}", r"\sum_{i=1}^{n}",
                              r"\left(y_i - \hat y_i\right)^2", font_size=style.FONT_SIZE_MATH)
            mse_tex[0].set_color(n.loss)
            mse_tex.next_to(resid_tex, DOWN, buff=style.GAP_LARGE)
            self.play(Write(mse_tex), run_time=beat.part(0.5))

        with self.beat("better") as beat:
            value = MathTex(r"\mathrm{MSE}", "=", f"{lesson.mse_guess:.1f}",
                            font_size=style.FONT_SIZE_MATH)
            value[0].set_color(n.loss)
            value.next_to(mse_tex, DOWN, buff=style.GAP_LARGE)
            self.play(FadeIn(value), run_time=beat.part(0.2))
            best_line, best_res = panel.line(*lesson.best), panel.residuals(*lesson.best)
            best_value = MathTex(r"\mathrm{MSE}", "=", f"{lesson.mse_best:.2f}",
                                 font_size=style.FONT_SIZE_MATH).move_to(value)
            best_value[0].set_color(n.loss)
            self.play(ReplacementTransform(line, best_line), ReplacementTransform(res, best_res),
                      ReplacementTransform(value, best_value), run_time=beat.part(0.5))

        board = DerivationPanel(gradient_w(), centre=BOARD_AT, font_size=style.FONT_SIZE_BOARD,
                                max_width=BOARD_W)
        with self.beat("derive") as beat:
            self.play(FadeOut(VGroup(panel, best_line, best_res, model, resid_tex, mse_tex,
                                     best_value)), run_time=beat.part(0.25))
            self.play(board.make_step_animation(0, run_time=beat.part(0.45)))

        for k, key in enumerate(("linearity", "chain", "inner", "collect"), start=1):
            with self.beat(key) as beat:
                self.play(board.make_step_animation(k, run_time=beat.part(0.5)))

        result_w, reason = board.equation, board.reason
        assert result_w is not None and reason is not None       # the board is written
        with self.beat("b-result") as beat:
            self.play(FadeOut(reason), result_w.animate.shift(RESULT_RAISE * UP),
                      run_time=beat.part(0.25))
            board_b = DerivationPanel(gradient_b(), centre=BOARD_B_AT,
                                      font_size=style.FONT_SIZE_BOARD, max_width=BOARD_W)
            eq_b = board_b.equation_for(len(board_b.derivation.steps) - 1)
            self.play(Write(eq_b), run_time=beat.part(0.45))

        with self.beat("recap") as beat:
            zero = MathTex(r"\frac{\partial\,\mathrm{MSE}}{\partial w} = "
                           r"\frac{\partial\,\mathrm{MSE}}{\partial b} = 0",
                           r"\;\Longrightarrow\;", r"\text{least-squares line}",
                           font_size=style.FONT_SIZE_MATH)
            zero.next_to(eq_b, DOWN, buff=style.GAP_LARGE)
            self.play(FadeIn(zero), run_time=beat.part(0.3))
