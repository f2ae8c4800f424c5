"""``logistic-regression-training``: the probability field and its 0.5 contour as gradient descent
runs; the cross-entropy above its minimum; accuracy."""
from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    Transform,
    VGroup,
)

from mlv.algorithms.lessons_linear import logistic_lesson
from mlv.scenes import style
from mlv.scenes.components.panels import LossCurvePanel, make_axes, points_on
from mlv.scenes.components.probability_field import contour_lines, field_image
from mlv.scenes.components.readout import Readout
from mlv.scenes.lesson import LessonScene
from mlv.scenes.narration import Beat, Narration

LESSON = logistic_lesson()
RUN = LESSON.run
X, Y = LESSON.X, LESSON.y
SHOWN = LESSON.shown
ETA = RUN.meta["learning_rate"]
EPOCHS = int(RUN.steps[-1])
ACC = LESSON.accuracy
N_WRONG = int(round(len(Y) * (1 - ACC[-1])))
GAP = float(np.max(np.abs(RUN.params[-1] - LESSON.optimum)))
GAP_DIGITS = int(np.floor(-np.log10(GAP)))          # agrees to this many decimal places
EXCESS = LESSON.excess
EXCESS_EXP = int(np.floor(np.log10(EXCESS[-1])))
TRAIN_SHOWN = tuple(s for s in SHOWN if 1 < s <= 20)
SETTLE_SHOWN = tuple(s for s in SHOWN if s > 20)

NARRATION = Narration(
    Beat("data", f"{len(Y)} points in two classes: label one in pink, label zero in blue. The "
                 "classes overlap, so no line separates them all."),
    Beat("start", f"Training starts at w and b equal to zero, where every probability is one "
                  f"half. Ties count as class one, so accuracy is {100 * ACC[0]:.0f} percent."),
    Beat("field", "The colour shows the model's probability of class one: pink where it is "
                  "high, blue where it is low. The yellow line, where it equals one half, is "
                  "the decision boundary."),
    Beat("train", f"Each epoch is one gradient step on the cross-entropy, eta {ETA:g}. After "
                  "the first step the boundary already points the right way; later steps only "
                  "shift it."),
    Beat("sharpen", "What keeps changing is the sharpness: the weights grow, so the probability "
                    "changes faster across the line."),
    Beat("loss", f"The curve is the cross-entropy above its minimum, on a log scale. It falls "
                 f"from {EXCESS[0]:.2f} to about ten to the minus {-EXCESS_EXP}."),
    Beat("accuracy", f"Accuracy rises to {100 * ACC[-1]:.1f} percent. The other {N_WRONG} "
                     "points stay on the wrong side: the classes overlap."),
    Beat("optimum", f"After {EPOCHS} epochs, w and b agree with the maximum-likelihood fit, "
                    f"scikit-learn's unregularised logistic regression, to {GAP_DIGITS} decimal "
                    "places."),
    Beat("lesson", "So logistic regression gives a probability everywhere, and its boundary is "
                   "the line where that probability is one half."),
)

UNIT = 0.6


class LogisticRegressionTraining(LessonScene):
    narration = NARRATION
    heading = "Training logistic regression"
    numbers = {"points": len(Y), "learning rate": ETA, "epochs": EPOCHS,
               "accuracy at the start": float(ACC[0]), "final accuracy": float(ACC[-1]),
               "final cross-entropy": float(RUN.loss[-1]),
               "largest gap to the maximum-likelihood fit": GAP}

    def construct(self):
        n = style.NOTATION
        x0, x1, y0, y1 = LESSON.box
        frame = make_axes([x0, x1, 2], [y0, y1, 2], width=(x1 - x0) * UNIT,
                          height=(y1 - y0) * UNIT, x_label="x_1", y_label="x_2")
        ax = frame.axes
        frame.to_edge(LEFT, buff=style.SAFE_MARGIN + 0.2).shift(0.25 * DOWN)
        colours = {1.0: n.positive, 0.0: n.negative}
        dots = VGroup(*[Dot(p, radius=style.DOT_RADIUS * 1.2, color=colours[float(c)])
                        .set_stroke(style.BACKGROUND, width=2)
                        for p, c in zip(points_on(ax, X[:, 0], X[:, 1]), Y)])
        gx, gy = LESSON.grid_x1, LESSON.grid_x2

        def field(epoch):
            return field_image(ax, gx, gy, LESSON.grid_at(epoch), strength=0.42)

        def boundary(epoch):
            return contour_lines(ax, gx, gy, LESSON.grid_at(epoch), 0.5)

        curve = LossCurvePanel(RUN.steps, EXCESS, width=4.6, height=2.3,
                               y_label=r"\mathrm{BCE}-\mathrm{BCE}^{*}", floor=1e-15)
        curve.move_to([3.6, 1.3, 0])
        params = Readout([("w1", "w_1", n.w), ("w2", "w_2", n.w), ("b", "b", n.b)],
                         decimals=3, font_size=style.FONT_SIZE_BODY)
        stats = Readout([("epoch", r"\text{epoch}", style.FOREGROUND, 0),
                         ("loss", r"\mathrm{BCE}", n.loss, 4),
                         ("acc", r"\text{accuracy}\,(\%)", style.FOREGROUND, 1)],
                        font_size=style.FONT_SIZE_BODY, signed=False)
        readout = VGroup(params, stats).arrange(RIGHT, buff=style.GAP_LARGE * 1.2,
                                                aligned_edge=UP)
        readout.next_to(curve, DOWN, buff=style.GAP_LARGE).set_x(3.5)

        def show(epoch):
            row = RUN.at(epoch)
            params.show({"w1": row["w1"], "w2": row["w2"], "b": row["b"]})
            stats.show({"epoch": float(RUN.steps[epoch]), "loss": row["loss"],
                        "acc": 100 * float(ACC[epoch])})

        with self.beat("data") as beat:
            self.play(Create(frame), run_time=beat.part(0.3))
            self.play(FadeIn(dots, lag_ratio=0.02), run_time=beat.part(0.4))

        image = field(0)
        with self.beat("start") as beat:
            show(0)
            self.add(image)
            self.bring_to_back(image)
            self.play(FadeIn(readout), FadeIn(curve), run_time=beat.part(0.4))

        drawn_curve = curve.curve_upto(0)
        line = boundary(1)

        def go_to(epoch, run_time, first=False):
            nonlocal image, drawn_curve, line
            new_image, new_curve = field(epoch), curve.curve_upto(epoch)
            anims = [FadeIn(new_image), FadeOut(image)]
            if first:
                anims += [Create(line), Create(new_curve)]
            else:
                anims += [Transform(line, boundary(epoch)), Transform(drawn_curve, new_curve)]
            self.add(new_image)
            self.bring_to_back(new_image)
            self.play(*anims, run_time=run_time)
            self.remove(image)
            image = new_image
            if first:
                drawn_curve = new_curve
            show(epoch)

        with self.beat("field") as beat:
            go_to(1, beat.part(0.5), first=True)

        with self.beat("train") as beat:
            per = beat.duration * 0.85 / len(TRAIN_SHOWN)
            for e in TRAIN_SHOWN:
                go_to(e, per)
        with self.beat("sharpen") as beat:
            per = beat.duration * 0.85 / len(SETTLE_SHOWN)
            for e in SETTLE_SHOWN:
                go_to(e, per)

        with self.beat("loss") as beat:
            self.flash_stroke(drawn_curve, beat=beat)

        acc_row = stats.rows[-1]
        with self.beat("accuracy") as beat:
            self.pulse(acc_row, beat=beat, scale=1.2)
        with self.beat("optimum") as beat:
            self.flash_stroke(line, beat=beat)
        with self.beat("lesson") as beat:
            pass
        self.params, self.stats = params, stats
        self.boundary = line
        self.axes = ax
