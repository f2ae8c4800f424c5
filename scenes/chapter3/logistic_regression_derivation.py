"""``logistic-regression-derivation``: from a probability model to the binary cross-entropy (maximum
likelihood), and its gradient, an average over the samples."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from manim import DOWN, LEFT, RIGHT, Create, FadeIn, FadeOut, MathTex, VGroup, VMobject, Write

from mlv.algorithms.lessons_linear import ActivationCurves, activation_curves
from mlv.scenes import style
from mlv.scenes.components.panels import make_axes, points_on
from mlv.scenes.lesson import LessonScene
from mlv.scenes.narration import Beat, Narration
from mlv.scenes.script import Script

# display shorthands (the proven steps are unchanged; z_i is written out on the board)
BOARD = {
    r"\sigma{\left(w_{1} {x}_{i,1} + w_{2} {x}_{i,2} + b \right)}": r"\sigma(z_i)",
    r"\log{\left(": r"\log\left(",
    r" \right)}": r"\right)",
    r"{x}_{i,1}": r"x_{i1}", r"{x}_{i,2}": r"x_{i2}", r"{y}_{i}": r"y_i", r"{p}_{i}": r"p_i",
}


def script(params: Mapping[str, Any]) -> Script:
    """The narration; the lesson data is the sigmoid the model beat draws (the scene takes no
    parameters; a derivation only: no run, so no numbers)."""
    narration = Narration(
        Beat("model", "Logistic regression turns a linear score $z$ into a probability: the "
                      "sigmoid squashes $z$ into $p$, the probability that the label is $1$."),
        Beat("bernoulli", "Each label is $0$ or $1$, with probability $p$ for a $1$ and $1 - p$ "
                          "for a $0$. In one formula: $p^y (1 - p)^{1 - y}$."),
        Beat("likelihood", "The likelihood of all $n$ labels is the product of these. Maximising "
                           r"it is the same as minimising $-\frac{1}{n}$ times its log."),
        Beat("log-sum", "The log of a product is the sum of the logs."),
        Beat("bce", "Bring each exponent down in front of its log. This is the binary "
                    "cross-entropy, the loss of logistic regression."),
        Beat("per-point", r"A point labelled $1$ costs $-\log p$: nearly nothing when $p$ is "
                          "near $1$, more and more as $p$ falls towards $0$."),
        Beat("gradient", r"Now its gradient in the weight $w_1$, with $p_i = \sigma(z_i)$."),
        Beat("log-rule", "The derivative of a sum is the sum of the derivatives, and the "
                         r"derivative of $\log u$ is $\frac{u'}{u}$."),
        Beat("sigma-prime", r"The sigmoid's derivative is $\sigma(1 - \sigma)$, from the last "
                            "lesson, and the chain rule adds $x_{i1}$, the derivative of $z_i$."),
        Beat("cancel", r"The factor $\sigma(1 - \sigma)$ cancels both denominators."),
        Beat("error", "What is left is the error, $p_i - y_i$, times $x_{i1}$, averaged over the "
                      "$n$ samples."),
        Beat("bias", "For $b$ the inner derivative is $1$, so its gradient is the average error "
                     "itself."),
        Beat("matrix", r"All weights at once: $\frac{1}{n} X^\top$ times the errors. The sum "
                       "runs over the samples, the rows of $X$, so each weight gets its own "
                       "entry."),
        Beat("mistake", "Averaging over the features instead would give every weight the same "
                        "update. That mistake is easy to make, and the shapes catch it."),
        Beat("recap", "So the loss is the binary cross-entropy, and its gradient is error times "
                      "input, averaged over the samples. Next, we train it."),
    )
    return Script(narration, activation_curves(), {})


BOARD_WIDTH = style.FRAME_WIDTH - 2 * style.SAFE_MARGIN - 0.4
PLOT_W, PLOT_H = 4.6, 2.6
MATRIX_SCALE = 1.15              # the matrix form, grown in the recap

# The layout, by region (offsets from the region's centre): the sigmoid plot on the left half
# beside the model on the right half, the Bernoulli formulas beneath them; then the board.
_SY = style.STAGE.center[1]
_LX, _LY = style.LEFT.center[0], style.LEFT.center[1]
_RX, _RY = style.RIGHT.center[0], style.RIGHT.center[1]
PLOT = (-3.6 - _LX, 0.6 - _LY)
MODEL = (3.2 - _RX, 1.0 - _RY)
BERNOULLI_DY = -1.65 - _SY
LIKELIHOOD_DY = 1.0 - _SY
Z_DEF_DY = 2.6 - _SY
GRADIENT_DY = 0.9 - _SY
GRADIENT_B_DY = -0.8 - _SY
W_RESULT_DY = 1.2 - _SY
MATRIX_DY = 0.6 - _SY
WRONG_DY = -1.6 - _SY


class LogisticRegressionDerivation(LessonScene):
    script = staticmethod(script)
    lesson: ActivationCurves

    def construct(self) -> None:
        # imported here: the derivations (SymPy) load only when the scene is drawn, so
        # importing this module does no work
        from mlv.derivations.logistic_regression import gradient_b, gradient_w1, likelihood
        from mlv.scenes.components.derivation import DerivationPanel
        n = style.NOTATION
        curves = self.lesson

        # --- the model: a score squashed into a probability
        plot = make_axes([-5, 5, 5], [0, 1, 1], width=PLOT_W, height=PLOT_H, x_label="z",
                         y_label="p")
        plot.move_to(style.LEFT.at(*PLOT))
        curve = VMobject(stroke_color=n.activation, stroke_width=style.STROKE_THICK)
        curve.set_points_as_corners(points_on(plot.axes, curves.z, curves.values["sigmoid"]))
        model = VGroup(
            MathTex("z", "=", "w", r"^\top x", "+", "b", font_size=style.FONT_SIZE_MATH),
            MathTex(r"p = \sigma(z) = \frac{1}{1 + e^{-z}}", font_size=style.FONT_SIZE_MATH),
            MathTex(r"p = P(y = 1 \mid x)", font_size=style.FONT_SIZE_MATH),
        ).arrange(DOWN, aligned_edge=LEFT, buff=style.GAP)
        model[0][2].set_color(n.w)
        model[0][5].set_color(n.b)
        model.move_to(style.RIGHT.at(*MODEL))
        with self.beat("model") as beat:
            self.play(Create(plot), Write(model[0]), run_time=beat.part(0.3))
            self.play(Create(curve), Write(model[1]), run_time=beat.part(0.3))
            self.play(FadeIn(model[2]), run_time=beat.part(0.15))

        bern = MathTex(r"P(y \mid x) = p^{\,y}\,(1 - p)^{1 - y}", font_size=style.FONT_SIZE_MATH)
        cases = MathTex(r"y = 1:\ p \qquad y = 0:\ 1 - p", font_size=style.FONT_SIZE_MATH)
        VGroup(bern, cases).arrange(DOWN, buff=style.GAP).move_to(
            style.STAGE.at(dy=BERNOULLI_DY))
        with self.beat("bernoulli") as beat:
            self.play(Write(bern), run_time=beat.part(0.35))
            self.play(FadeIn(cases), run_time=beat.part(0.2))

        lik = DerivationPanel(likelihood(), centre=style.STAGE.at(dy=LIKELIHOOD_DY),
                              max_width=BOARD_WIDTH, font_size=style.FONT_SIZE_BOARD,
                              display=BOARD)
        with self.beat("likelihood") as beat:
            self.play(FadeOut(VGroup(plot, curve, model, bern, cases)), run_time=beat.part(0.2))
            self.play(lik.make_step_animation(0, run_time=beat.part(0.4)))
        with self.beat("log-sum") as beat:
            self.play(lik.make_step_animation(1, run_time=beat.part(0.5)))
        with self.beat("bce") as beat:
            self.play(lik.make_step_animation(2, run_time=beat.part(0.5)))
            bce_name = MathTex(r"= \mathrm{BCE}(w, b)", font_size=style.FONT_SIZE_BOARD,
                               color=n.loss)
            bce_name.next_to(lik.reason, DOWN, buff=style.GAP_LARGE)
            self.play(FadeIn(bce_name), run_time=beat.part(0.2))

        per_point = MathTex(r"y_i = 1:\ -\log p_i", r"\qquad y_i = 0:\ -\log(1 - p_i)",
                            font_size=style.FONT_SIZE_MATH, color=n.loss)
        per_point.next_to(bce_name, DOWN, buff=style.GAP_LARGE)
        with self.beat("per-point") as beat:
            self.play(FadeIn(per_point), run_time=beat.part(0.3))

        z_def = MathTex(r"z_i = w_1 x_{i1} + w_2 x_{i2} + b", r",\quad p_i = \sigma(z_i)",
                        font_size=style.FONT_SIZE_MATH).move_to(style.STAGE.at(dy=Z_DEF_DY))
        grad = DerivationPanel(gradient_w1(), centre=style.STAGE.at(dy=GRADIENT_DY),
                               max_width=BOARD_WIDTH, font_size=style.FONT_SIZE_BOARD,
                               lhs_color=n.gradient, display=BOARD)
        with self.beat("gradient") as beat:
            self.play(lik.make_clear_animation(run_time=beat.part(0.2)),
                      FadeOut(VGroup(bce_name, per_point)))
            self.play(FadeIn(z_def), grad.make_step_animation(0, run_time=beat.part(0.4)))
        for k, key in enumerate(("log-rule", "sigma-prime", "cancel", "error"), start=1):
            with self.beat(key) as beat:
                self.play(grad.make_step_animation(k, run_time=beat.part(0.5)))

        grad_b = DerivationPanel(gradient_b(), centre=style.STAGE.at(dy=GRADIENT_B_DY),
                                 max_width=BOARD_WIDTH, font_size=style.FONT_SIZE_BOARD,
                                 lhs_color=n.gradient, display=BOARD)
        with self.beat("bias") as beat:
            w_result = grad.equation
            self.play(FadeOut(grad.reason),
                      w_result.animate.move_to(style.STAGE.at(dy=W_RESULT_DY)),
                      run_time=beat.part(0.25))
            b_result = grad_b.equation_for(len(grad_b.derivation.steps) - 1)
            b_result.next_to(w_result, DOWN, buff=style.GAP_LARGE)
            b_result.shift((w_result[1].get_x() - b_result[1].get_x()) * RIGHT)   # '=' under '='
            self.play(Write(b_result), run_time=beat.part(0.35))

        matrix = MathTex(r"\nabla_{w}\,\mathrm{BCE}", "=", r"\frac{1}{n}", r"X^\top",
                         r"\left(\sigma(Xw + b) - y\right)", font_size=style.FONT_SIZE_BOARD)
        matrix[0].set_color(n.gradient)
        matrix.move_to(style.STAGE.at(dy=MATRIX_DY))
        shapes = MathTex(r"(d \times 1)", r"\quad", r"(d \times n)", r"(n \times 1)",
                         font_size=style.FONT_SIZE_MATH, color=style.MUTED)
        below = matrix.get_bottom()[1] - style.GAP - shapes.height / 2
        for j, part in ((0, 0), (2, 3), (3, 4)):      # one row under the whole formula
            shapes[j].move_to(np.array([matrix[part].get_x(), below, 0]))
        with self.beat("matrix") as beat:
            self.play(FadeOut(VGroup(w_result, b_result, z_def)), run_time=beat.part(0.2))
            self.play(Write(matrix), run_time=beat.part(0.35))
            self.play(FadeIn(shapes[0]), FadeIn(shapes[2]), FadeIn(shapes[3]),
                      run_time=beat.part(0.2))

        wrong = MathTex(r"\text{wrong: a mean over the } d \text{ features}",
                        r"\;\Rightarrow\;", r"\text{the same number for every } w_j",
                        font_size=style.FONT_SIZE_MATH, color=n.residual)
        wrong.move_to(style.STAGE.at(dy=WRONG_DY))
        if wrong.width > BOARD_WIDTH:
            wrong.scale_to_fit_width(BOARD_WIDTH)
        with self.beat("mistake") as beat:
            self.play(FadeIn(wrong), run_time=beat.part(0.3))

        with self.beat("recap") as beat:
            self.play(FadeOut(wrong), FadeOut(shapes[0]), FadeOut(shapes[2]),
                      FadeOut(shapes[3]), run_time=beat.part(0.2))
            self.play(matrix.animate.scale(MATRIX_SCALE), run_time=beat.part(0.2))
        self.matrix = matrix
