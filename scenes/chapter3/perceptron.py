"""``perceptron``: the boundary w.x + b = 0 pulled by each mistake; the perceptron criterion and its
subgradient (not the hinge loss, which is shown beside it)."""
from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    Arrow,
    Circle,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    Line,
    MathTex,
    ReplacementTransform,
    Transform,
    VGroup,
    VMobject,
    Write,
)

from mlv.algorithms.lessons_linear import perceptron_lesson
from mlv.derivations.perceptron import criterion_cases, hinge_cases, subgradient_b, subgradient_w1
from mlv.scenes import style
from mlv.scenes.components.derivation import DerivationPanel
from mlv.scenes.components.panels import make_axes, points_on
from mlv.scenes.components.readout import Readout
from mlv.scenes.lesson import LessonScene
from mlv.scenes.narration import Beat, Narration

LESSON = perceptron_lesson()
X, Y = LESSON.X, LESSON.y
K = LESSON.n_updates
EPOCHS = LESSON.epochs
ETA = LESSON.run.meta["learning_rate"]
UPDATE_EPOCH = LESSON.run.extras["epoch"]
LAST_UPDATE_EPOCH = int(UPDATE_EPOCH[-1])
HINGE_FINAL = float(LESSON.hinge[-1])
CRITERION_FINAL = float(LESSON.run.loss[-1])
FIRST_PULL, LAST_PULL = 2, 3              # the updates shown one by one in the "pull" beat

# the boards show f for w1 x1 + w2 x2 + b (the derivation's own steps, only abbreviated)
BOARD = {r"\left(w_{1} x_{1} + w_{2} x_{2} + b\right)": "f", r"\text{for}\:": r"\text{if }",
         r"\text{otherwise}": r"\text{else}"}

NARRATION = Narration(
    Beat("data", f"{len(Y)} points in two classes: plus one in pink, minus one in blue. A "
                 "straight line can separate them."),
    Beat("model", "The perceptron predicts the sign of f equals w dot x plus b. The boundary "
                  "is the line f equals zero, with w as its normal."),
    Beat("start", f"It starts at w and b equal to zero, so all {LESSON.mistakes[0]} points "
                  "count as mistakes."),
    Beat("rule", f"The rule: visit the points in order. Whenever y f is at most zero, add eta y "
                 f"x to w, and eta y to b. Here eta is {ETA:g}."),
    Beat("first", "The first mistake gives the first boundary. The ring marks the point that "
                  "caused it."),
    Beat("pull", "Each mistake turns the normal towards that point's side."),
    Beat("updates", f"The number of misclassified points falls from {LESSON.mistakes[1]} to "
                    f"{LESSON.mistakes[-1]}."),
    Beat("converged", f"After {K} updates, pass {EPOCHS} makes no mistake and the run stops, "
                      "with exactly the weights of scikit-learn's Perceptron."),
    Beat("criterion", "Which loss does this descend? The perceptron criterion: the maximum of "
                      "zero and minus y f."),
    Beat("cases", "A mistake costs minus y f, which is positive; a correct point costs "
                  "nothing."),
    Beat("derivative", "Its derivative in w one: away from the kink, minus y x one for a "
                       "mistake, and zero otherwise."),
    Beat("kink", "At y f equal to zero, any value in between is a subgradient. The perceptron "
                 "takes minus y x one."),
    Beat("bias", "For b the same steps give minus y. A step of eta against this subgradient is "
                 "exactly the update rule."),
    Beat("hinge", "This is not the hinge loss, drawn in purple: the maximum of zero and one "
                  "minus y f."),
    Beat("hinge-cases", "Its one adds a margin: correct points with y f below one still cost "
                        "something."),
    Beat("hinge-final", f"On the final boundary the criterion is {CRITERION_FINAL:g}, but the "
                        f"hinge loss is {HINGE_FINAL:.3f}: {LESSON.inside_margin} correct points "
                        "sit inside the margin."),
    Beat("lesson", "The perceptron stops at the first separating line, however close it "
                   "passes. Asking for a margin leads to support vector machines."),
)

UNIT = 0.68                      # scene units per data unit on both axes (a true normal)


def update_rule() -> MathTex:
    n = style.NOTATION
    cond = MathTex(r"\text{if } y_i f(x_i) \le 0:", font_size=style.FONT_SIZE_MATH)
    step = MathTex("w", r"\leftarrow w + \eta\, y_i x_i,", r"\quad b", r"\leftarrow b + \eta\, y_i",
                   font_size=style.FONT_SIZE_MATH)
    step[0].set_color(n.w); step[2].set_color(n.b)
    return VGroup(cond, step).arrange(DOWN, aligned_edge=LEFT, buff=style.GAP_SMALL)


def model_tex() -> VGroup:
    n = style.NOTATION
    f = MathTex("f(x)", "=", "w", r"^\top x", "+", "b", font_size=style.FONT_SIZE_MATH)
    f[0].set_color(n.prediction); f[2].set_color(n.w); f[5].set_color(n.b)
    pred = MathTex(r"\hat y = \operatorname{sign} f(x)", font_size=style.FONT_SIZE_MATH)
    boundary = MathTex(r"\text{boundary: } f(x) = 0", font_size=style.FONT_SIZE_BODY,
                       color=n.prediction)
    return VGroup(f, pred, boundary).arrange(DOWN, aligned_edge=LEFT, buff=style.GAP)


class Perceptron(LessonScene):
    narration = NARRATION
    heading = "The perceptron"
    numbers = {"points": len(Y), "learning rate": ETA, "updates": K, "passes": EPOCHS,
               "mistakes at the start": int(LESSON.mistakes[0]),
               "final mistakes": int(LESSON.mistakes[-1]),
               "final perceptron criterion": CRITERION_FINAL, "final hinge loss": HINGE_FINAL}

    def construct(self):
        n = style.NOTATION
        x0, x1, y0, y1 = LESSON.box
        frame = make_axes([x0, x1, 1], [y0, y1, 1], width=(x1 - x0) * UNIT,
                          height=(y1 - y0) * UNIT, x_label="x_1", y_label="x_2",
                          label_every=2)
        ax = frame.axes
        frame.to_edge(LEFT, buff=style.SAFE_MARGIN + 0.2).shift(0.2 * DOWN)
        colours = {1.0: n.positive, -1.0: n.negative}
        dots = VGroup(*[Dot(p, radius=style.DOT_RADIUS * 1.3, color=colours[float(c)])
                        for p, c in zip(points_on(ax, X[:, 0], X[:, 1]), Y)])

        def boundary(k) -> VGroup:
            seg = LESSON.segments[k]
            line = Line(ax.c2p(*seg[0]), ax.c2p(*seg[1]), color=n.prediction,
                        stroke_width=style.STROKE)
            w = LESSON.w[k]
            foot = LESSON.feet[k]
            tip = foot + w / np.linalg.norm(w)             # a unit normal, drawn from the line
            arrow = Arrow(ax.c2p(*foot), ax.c2p(*tip), buff=0, color=n.w,
                          stroke_width=style.STROKE_THICK, max_tip_length_to_length_ratio=0.3)
            return VGroup(line, arrow)

        def ring(k) -> Circle:
            i = LESSON.cause[k]
            return Circle(radius=0.17, color=style.FOREGROUND, stroke_width=style.STROKE).move_to(
                ax.c2p(*X[i]))

        right_x = 3.7
        readout = Readout([("k", r"\text{update}", style.FOREGROUND, 0),
                           ("w1", "w_1", n.w), ("w2", "w_2", n.w), ("b", "b", n.b),
                           ("mistakes", r"\text{mistakes}", style.FOREGROUND, 0)],
                          decimals=2, font_size=style.FONT_SIZE_BODY)

        def state(k):
            return {"k": float(k), "w1": float(LESSON.w[k, 0]), "w2": float(LESSON.w[k, 1]),
                    "b": float(LESSON.b[k]), "mistakes": float(LESSON.mistakes[k])}

        with self.beat("data") as beat:
            self.play(Create(frame), run_time=beat.part(0.3))
            self.play(FadeIn(dots, lag_ratio=0.03), run_time=beat.part(0.4))

        model = model_tex().move_to([right_x, 2.15, 0])
        with self.beat("model") as beat:
            self.play(Write(model), run_time=beat.part(0.6))

        readout.show(state(0)).move_to([right_x - 0.4, -1.3, 0])
        with self.beat("start") as beat:
            self.play(FadeIn(readout), run_time=beat.part(0.3))
            self.pulse(*dots, beat=beat)

        rule = update_rule().move_to([right_x, 0.55, 0])
        if rule.width > 6.6:
            rule.scale_to_fit_width(6.6)
        with self.beat("rule") as beat:
            self.play(Write(rule), run_time=beat.part(0.5))

        drawn = boundary(1)
        marker = ring(1)
        with self.beat("first") as beat:
            self.play(Create(marker), run_time=beat.part(0.2))
            self.play(Create(drawn), run_time=beat.part(0.35))
            readout.show(state(1))

        def step_to(k, run_time):
            new_marker = ring(k)
            self.play(ReplacementTransform(marker, new_marker), run_time=run_time * 0.35)
            self.play(Transform(drawn, boundary(k)), run_time=run_time * 0.65)
            readout.show(state(k))
            return new_marker

        with self.beat("pull") as beat:
            per = beat.duration * 0.8 / (LAST_PULL - FIRST_PULL + 1)
            for k in range(FIRST_PULL, LAST_PULL + 1):
                marker = step_to(k, per)

        with self.beat("updates") as beat:
            per = beat.duration * 0.8 / max(1, K - LAST_PULL)
            for k in range(LAST_PULL + 1, K + 1):
                marker = step_to(k, per)
            self.play(FadeOut(marker), run_time=beat.part(0.1))

        with self.beat("converged") as beat:
            self.flash_stroke(drawn, beat=beat, width=style.STROKE_THICK * 1.4)
        self.final_shown = readout.displayed()

        # --- the loss behind the rule, on the board
        width = style.FRAME_WIDTH - 2 * style.SAFE_MARGIN - 0.4
        f_def = MathTex(r"f = w_1 x_1 + w_2 x_2 + b", font_size=style.FONT_SIZE_MATH,
                        color=n.prediction).move_to([0, 2.55, 0])
        crit = DerivationPanel(criterion_cases(), centre=[0, 1.2, 0], max_width=width,
                               font_size=style.FONT_SIZE_BOARD, display=BOARD)
        with self.beat("criterion") as beat:
            self.play(FadeOut(VGroup(frame, dots, drawn, model, rule, readout)),
                      run_time=beat.part(0.25))
            self.play(FadeIn(f_def), crit.make_step_animation(0, run_time=beat.part(0.4)))
        with self.beat("cases") as beat:
            self.play(crit.make_step_animation(1, run_time=beat.part(0.5)))

        sub = DerivationPanel(subgradient_w1(), centre=[0, 0.9, 0], max_width=width,
                              font_size=style.FONT_SIZE_BOARD, display=BOARD)
        with self.beat("derivative") as beat:
            self.play(crit.make_clear_animation(run_time=beat.part(0.1)))
            for k in range(3):
                self.play(sub.make_step_animation(k, run_time=beat.part(0.25)))
        with self.beat("kink") as beat:
            self.play(sub.make_step_animation(3, run_time=beat.part(0.5)))

        sub_b = DerivationPanel(subgradient_b(), centre=[0, -0.7, 0], max_width=width / 2 - 0.2,
                                font_size=style.FONT_SIZE_MATH, display=BOARD)
        with self.beat("bias") as beat:
            w_result = sub.equation
            self.play(FadeOut(sub.reason), w_result.animate.scale(0.8).move_to([-3.2, 0.9, 0]),
                      run_time=beat.part(0.25))
            b_result = sub_b.equation_for(len(sub_b.derivation.steps) - 1).move_to([3.2, 0.9, 0])
            self.play(Write(b_result), run_time=beat.part(0.25))
            descent = MathTex(r"w \leftarrow w - \eta\,\frac{\partial \ell}{\partial w}",
                              r"= w + \eta\, y\, x", r"\qquad b \leftarrow b + \eta\, y",
                              font_size=style.FONT_SIZE_MATH).move_to([0, -1.0, 0])
            descent.set_color_by_tex(r"\eta", style.FOREGROUND)
            self.play(Write(descent), run_time=beat.part(0.35))

        # --- the hinge loss beside the criterion
        plot = make_axes([-2, 2, 1], [0, 3, 1], width=4.6, height=3.2, x_label="y f",
                         y_label=r"\ell")
        pax = plot.axes
        plot.move_to([-3.9, 0.55, 0])
        crit_curve = VMobject(stroke_color=n.loss, stroke_width=style.STROKE_THICK)
        crit_curve.set_points_as_corners(points_on(pax, LESSON.margins, LESSON.criterion_curve))
        hinge_curve = VMobject(stroke_color=n.hinge, stroke_width=style.STROKE_THICK)
        hinge_curve.set_points_as_corners(points_on(pax, LESSON.margins, LESSON.hinge_curve))
        legend = VGroup(
            MathTex(r"\max(0, -y f)", r"\ \text{criterion}", font_size=style.FONT_SIZE_LABEL,
                    color=n.loss),
            MathTex(r"\max(0, 1 - y f)", r"\ \text{hinge}", font_size=style.FONT_SIZE_LABEL,
                    color=n.hinge),
        ).arrange(DOWN, aligned_edge=LEFT, buff=style.GAP_SMALL)
        legend.next_to(plot, DOWN, buff=style.GAP)
        hinge = DerivationPanel(hinge_cases(), centre=[3.2, 0.9, 0], max_width=6.4,
                                font_size=style.FONT_SIZE_MATH, lhs_color=n.hinge,
                                display={**BOARD, r"\ell(w, b)": r"\ell_{\mathrm{hinge}}"})
        with self.beat("hinge") as beat:
            self.play(FadeOut(VGroup(w_result, b_result, descent, f_def)),
                      run_time=beat.part(0.2))
            self.play(Create(plot), Create(crit_curve), run_time=beat.part(0.25))
            self.play(Create(hinge_curve), FadeIn(legend), run_time=beat.part(0.25))
            self.play(hinge.make_step_animation(0, run_time=beat.part(0.2)))
        with self.beat("hinge-cases") as beat:
            self.play(hinge.make_step_animation(1, run_time=beat.part(0.4)))

        final = Readout([("criterion", r"\text{criterion}", n.loss),
                         ("hinge", r"\text{hinge}", n.hinge)], decimals=3, signed=False,
                        font_size=style.FONT_SIZE_BODY)
        final.show({"criterion": CRITERION_FINAL, "hinge": HINGE_FINAL})
        final.move_to([3.2, -1.7, 0])
        with self.beat("hinge-final") as beat:
            self.play(FadeIn(final), run_time=beat.part(0.3))
        with self.beat("lesson") as beat:
            pass
        self.final_losses = final
