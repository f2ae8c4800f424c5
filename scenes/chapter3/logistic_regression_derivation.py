"""``logistic-regression-derivation``: from a probability model to the binary cross-entropy (maximum
likelihood), and its gradient, an average over the samples."""
from __future__ import annotations

from manim import DOWN, LEFT, RIGHT, Create, FadeIn, FadeOut, MathTex, VGroup, VMobject, Write

from mlv.algorithms.lessons_linear import activation_curves
from mlv.derivations.logistic_regression import gradient_b, gradient_w1, likelihood
from mlv.scenes import style
from mlv.scenes.components.derivation import DerivationPanel
from mlv.scenes.components.panels import make_axes, points_on
from mlv.scenes.lesson import LessonScene
from mlv.scenes.narration import Beat, Narration

CURVES = activation_curves()

# display shorthands (the proven steps are unchanged; z_i is written out on the board)
BOARD = {
    r"\sigma{\left(w_{1} {x}_{i,1} + w_{2} {x}_{i,2} + b \right)}": r"\sigma(z_i)",
    r"\log{\left(": r"\log\left(",
    r" \right)}": r"\right)",
    r"{x}_{i,1}": r"x_{i1}", r"{x}_{i,2}": r"x_{i2}", r"{y}_{i}": r"y_i", r"{p}_{i}": r"p_i",
}

NARRATION = Narration(
    Beat("model", "Logistic regression turns a linear score z into a probability: the sigmoid "
                  "squashes z into p, the probability that the label is one."),
    Beat("bernoulli", "Each label is zero or one, with probability p for a one and one minus p "
                      "for a zero. In one formula: p to the y, times one minus p to the one "
                      "minus y."),
    Beat("likelihood", "The likelihood of all n labels is the product of these. Maximising it is "
                       "the same as minimising minus one over n times its log."),
    Beat("log-sum", "The log of a product is the sum of the logs."),
    Beat("bce", "Bring each exponent down in front of its log. This is the binary cross-entropy, "
                "the loss of logistic regression."),
    Beat("per-point", "A point labelled one costs minus log p: nearly nothing when p is near "
                      "one, more and more as p falls towards zero."),
    Beat("gradient", "Now its gradient in the weight w one, with p i equal to sigma of z i."),
    Beat("log-rule", "The derivative of a sum is the sum of the derivatives, and the derivative "
                     "of log u is u prime over u."),
    Beat("sigma-prime", "The sigmoid's derivative is sigma times one minus sigma, from the last "
                        "lesson, and the chain rule adds x i one, the derivative of z i."),
    Beat("cancel", "Sigma times one minus sigma cancels both denominators."),
    Beat("error", "What is left is the error, p i minus y i, times x i one, averaged over the n "
                  "samples."),
    Beat("bias", "For b the inner derivative is one, so its gradient is the average error "
                 "itself."),
    Beat("matrix", "All weights at once: one over n, X transpose, times the errors. The sum runs "
                   "over the samples, the rows of X, so each weight gets its own entry."),
    Beat("mistake", "Averaging over the features instead would give every weight the same "
                    "update. That mistake is easy to make, and the shapes catch it."),
    Beat("recap", "So the loss is the binary cross-entropy, and its gradient is error times "
                  "input, averaged over the samples. Next, we train it."),
)


class LogisticRegressionDerivation(LessonScene):
    narration = NARRATION
    heading = "Logistic regression: from likelihood to loss"
    numbers = {}                    # a derivation only: no run, so no numbers

    def construct(self):
        n = style.NOTATION
        width = style.FRAME_WIDTH - 2 * style.SAFE_MARGIN - 0.4

        # --- the model: a score squashed into a probability
        plot = make_axes([-5, 5, 5], [0, 1, 1], width=4.6, height=2.6, x_label="z",
                         y_label="p")
        plot.move_to([-3.6, 0.6, 0])
        curve = VMobject(stroke_color=n.activation, stroke_width=style.STROKE_THICK)
        curve.set_points_as_corners(points_on(plot.axes, CURVES.z, CURVES.values["sigmoid"]))
        model = VGroup(
            MathTex("z", "=", "w", r"^\top x", "+", "b", font_size=style.FONT_SIZE_MATH),
            MathTex(r"p = \sigma(z) = \frac{1}{1 + e^{-z}}", font_size=style.FONT_SIZE_MATH),
            MathTex(r"p = P(y = 1 \mid x)", font_size=style.FONT_SIZE_MATH),
        ).arrange(DOWN, aligned_edge=LEFT, buff=style.GAP)
        model[0][2].set_color(n.w); model[0][5].set_color(n.b)
        model.move_to([3.2, 1.0, 0])
        with self.beat("model") as beat:
            self.play(Create(plot), Write(model[0]), run_time=beat.part(0.3))
            self.play(Create(curve), Write(model[1]), run_time=beat.part(0.3))
            self.play(FadeIn(model[2]), run_time=beat.part(0.15))

        bern = MathTex(r"P(y \mid x) = p^{\,y}\,(1 - p)^{1 - y}", font_size=style.FONT_SIZE_MATH)
        cases = MathTex(r"y = 1:\ p \qquad y = 0:\ 1 - p", font_size=style.FONT_SIZE_MATH)
        VGroup(bern, cases).arrange(DOWN, buff=style.GAP).move_to([0, -1.65, 0])
        with self.beat("bernoulli") as beat:
            self.play(Write(bern), run_time=beat.part(0.35))
            self.play(FadeIn(cases), run_time=beat.part(0.2))

        lik = DerivationPanel(likelihood(), centre=[0, 1.0, 0], max_width=width,
                              font_size=style.FONT_SIZE_BOARD, display=BOARD)
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
                        font_size=style.FONT_SIZE_MATH).move_to([0, 2.6, 0])
        grad = DerivationPanel(gradient_w1(), centre=[0, 0.9, 0], max_width=width,
                               font_size=style.FONT_SIZE_BOARD, lhs_color=n.gradient,
                               display=BOARD)
        with self.beat("gradient") as beat:
            self.play(lik.make_clear_animation(run_time=beat.part(0.2)),
                      FadeOut(VGroup(bce_name, per_point)))
            self.play(FadeIn(z_def), grad.make_step_animation(0, run_time=beat.part(0.4)))
        for k, key in enumerate(("log-rule", "sigma-prime", "cancel", "error"), start=1):
            with self.beat(key) as beat:
                self.play(grad.make_step_animation(k, run_time=beat.part(0.5)))

        grad_b = DerivationPanel(gradient_b(), centre=[0, -0.8, 0], max_width=width,
                                 font_size=style.FONT_SIZE_BOARD, lhs_color=n.gradient,
                                 display=BOARD)
        with self.beat("bias") as beat:
            w_result = grad.equation
            self.play(FadeOut(grad.reason), w_result.animate.move_to([0, 1.2, 0]),
                      run_time=beat.part(0.25))
            b_result = grad_b.equation_for(len(grad_b.derivation.steps) - 1)
            b_result.next_to(w_result, DOWN, buff=style.GAP_LARGE)
            b_result.shift((w_result[1].get_x() - b_result[1].get_x()) * RIGHT)   # '=' under '='

            self.play(Write(b_result), run_time=beat.part(0.35))

        matrix = MathTex(r"\nabla_{w}\,\mathrm{BCE}", "=", r"\frac{1}{n}", r"X^\top",
                         r"\left(\sigma(Xw + b) - y\right)", font_size=style.FONT_SIZE_BOARD)
        matrix[0].set_color(n.gradient)
        matrix.move_to([0, 0.6, 0])
        shapes = MathTex(r"(d \times 1)", r"\quad", r"(d \times n)", r"(n \times 1)",
                         font_size=style.FONT_SIZE_MATH, color=style.MUTED)
        below = matrix.get_bottom()[1] - style.GAP - shapes.height / 2
        for j, part in ((0, 0), (2, 3), (3, 4)):      # one row under the whole formula
            shapes[j].move_to([matrix[part].get_x(), below, 0])
        with self.beat("matrix") as beat:
            self.play(FadeOut(VGroup(w_result, b_result, z_def)), run_time=beat.part(0.2))
            self.play(Write(matrix), run_time=beat.part(0.35))
            self.play(FadeIn(shapes[0]), FadeIn(shapes[2]), FadeIn(shapes[3]),
                      run_time=beat.part(0.2))

        wrong = MathTex(r"\text{wrong: a mean over the } d \text{ features}",
                        r"\;\Rightarrow\;", r"\text{the same number for every } w_j",
                        font_size=style.FONT_SIZE_MATH, color=n.residual)
        wrong.move_to([0, -1.6, 0])
        if wrong.width > width:
            wrong.scale_to_fit_width(width)
        with self.beat("mistake") as beat:
            self.play(FadeIn(wrong), run_time=beat.part(0.3))

        with self.beat("recap") as beat:
            self.play(FadeOut(wrong), FadeOut(shapes[0]), FadeOut(shapes[2]),
                      FadeOut(shapes[3]), run_time=beat.part(0.2))
            self.play(matrix.animate.scale(1.15), run_time=beat.part(0.2))
        self.matrix = matrix
