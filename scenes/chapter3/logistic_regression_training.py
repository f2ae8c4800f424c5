"""``logistic-regression-training``: the probability field and its 0.5 contour as gradient descent
runs; the cross-entropy above its minimum; accuracy."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Animation,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    ImageMobject,
    Transform,
    VGroup,
)

from mlv.algorithms.lessons_linear import LogisticLesson, logistic_lesson
from mlv.scenes import speech, style
from mlv.scenes.components.panels import LossCurvePanel, make_axes, points_on
from mlv.scenes.components.probability_field import contour_lines, field_image
from mlv.scenes.components.readout import Readout
from mlv.scenes.lesson import LessonScene
from mlv.scenes.narration import Beat, Narration
from mlv.scenes.script import Script


def script(params: Mapping[str, Any]) -> Script:
    """The logistic-regression run (the scene takes no parameters), its narration and numbers."""
    lesson = logistic_lesson()
    acc = lesson.accuracy
    narration = Narration(
        Beat("data", f"{len(lesson.y)} points in two classes: label $1$ in pink, label $0$ in "
                     "blue. The classes overlap, so no line separates them all."),
        Beat("start", "Training starts with $w$ and $b$ at zero, where every probability is one "
                      "half. Ties count as class $1$, so accuracy is "
                      f"{speech.decimals(100 * acc[0], 0)} percent."),
        Beat("field", "The colour shows the model's probability of class $1$: pink where it is "
                      "high, blue where it is low. The yellow line, where it equals one half, is "
                      "the decision boundary."),
        Beat("train", "Each epoch is one gradient step on the cross-entropy, with "
                      rf"$\eta = {lesson.learning_rate:g}$. After the first step the boundary "
                      "already points the right way; later steps only shift it."),
        Beat("sharpen", "What keeps changing is the sharpness: the weights grow, so the "
                        "probability changes faster across the line."),
        Beat("loss", "The curve is the cross-entropy above its minimum, on a log scale. It falls "
                     f"from {speech.decimals(lesson.excess[0], 2)} to about "
                     f"$10^{{{lesson.final_excess_exponent}}}$."),
        Beat("accuracy", f"Accuracy rises to {speech.decimals(100 * acc[-1], 1)} percent. The "
                         f"other {lesson.n_wrong} points stay on the wrong side: the classes "
                         "overlap."),
        Beat("optimum", f"After {lesson.epochs} epochs, $w$ and $b$ agree with the "
                        "maximum-likelihood fit, scikit-learn's unregularised logistic "
                        "regression, to "
                        f"{lesson.agreeing_decimals} decimal places."),
        Beat("lesson", "So logistic regression gives a probability everywhere, and its boundary "
                       "is the line where that probability is one half."),
    )
    numbers = {"points": len(lesson.y), "learning rate": lesson.learning_rate,
               "epochs": lesson.epochs, "accuracy at the start": float(acc[0]),
               "final accuracy": float(acc[-1]), "final cross-entropy": float(lesson.run.loss[-1]),
               "largest gap to the maximum-likelihood fit": lesson.optimum_gap}
    return Script(narration, lesson, numbers)


UNIT = 0.6                       # scene units per data unit on both axes
DOT_RADIUS = style.DOT_RADIUS * 1.2
DOT_OUTLINE = 2                  # a dark ring around each point, to read it on the field
FIELD_STRENGTH = 0.42
CURVE_W, CURVE_H = 4.6, 2.3
EXCESS_FLOOR = 1e-15             # the excess loss drawn no lower than this
READOUT_GAP = style.GAP_LARGE * 1.2      # between the parameters and the statistics

# The layout, by region (offsets from the region's centre): the data and the probability field
# at the left edge, their axes centred PLOT_DY from the stage's centre; the loss curve on the
# right half with the readout beneath it.
_SY = style.STAGE.center[1]
_RX, _RY = style.RIGHT.center[0], style.RIGHT.center[1]
PLOT_EDGE = style.SAFE_MARGIN + 0.2           # the plot's left edge from the frame's
PLOT_DY = -0.25 - _SY
CURVE = (3.6 - _RX, 1.3 - _RY)
READOUT_DX = 3.5 - _RX


class LogisticRegressionTraining(LessonScene):
    script = staticmethod(script)
    lesson: LogisticLesson

    def construct(self) -> None:
        n = style.NOTATION
        lesson = self.lesson
        run, acc = lesson.run, lesson.accuracy
        X, Y = lesson.X, lesson.y
        x0, x1, y0, y1 = lesson.box
        frame = make_axes([x0, x1, 2], [y0, y1, 2], width=(x1 - x0) * UNIT,
                          height=(y1 - y0) * UNIT, x_label="x_1", y_label="x_2")
        ax = frame.axes
        frame.to_edge(LEFT, buff=PLOT_EDGE)
        frame.shift((style.STAGE.at(dy=PLOT_DY)[1] - ax.get_y()) * UP)   # the axes, not labels
        colours = {1.0: n.positive, 0.0: n.negative}
        dots = VGroup(*[Dot(p, radius=DOT_RADIUS, color=colours[float(c)])
                        .set_stroke(style.BACKGROUND, width=DOT_OUTLINE)
                        for p, c in zip(points_on(ax, X[:, 0], X[:, 1]), Y)])
        gx, gy = lesson.grid_x1, lesson.grid_x2

        def field(epoch: int) -> ImageMobject:
            return field_image(ax, gx, gy, lesson.grid_at(epoch), strength=FIELD_STRENGTH)

        def boundary(epoch: int) -> VGroup:
            return contour_lines(ax, gx, gy, lesson.grid_at(epoch), 0.5)

        curve = LossCurvePanel(run.steps, lesson.excess, width=CURVE_W, height=CURVE_H,
                               y_label=r"\mathrm{BCE}-\mathrm{BCE}^{*}", floor=EXCESS_FLOOR)
        curve.move_to(style.RIGHT.at(*CURVE))
        params = Readout([("w1", "w_1", n.w), ("w2", "w_2", n.w), ("b", "b", n.b)],
                         decimals=3, font_size=style.FONT_SIZE_BODY)
        stats = Readout([("epoch", r"\text{epoch}", style.FOREGROUND, 0),
                         ("loss", r"\mathrm{BCE}", n.loss, 4),
                         ("acc", r"\text{accuracy}\,(\%)", style.FOREGROUND, 1)],
                        font_size=style.FONT_SIZE_BODY, signed=False)
        readout = VGroup(params, stats).arrange(RIGHT, buff=READOUT_GAP, aligned_edge=UP)
        readout.next_to(curve, DOWN, buff=style.GAP_LARGE).set_x(style.RIGHT.at(READOUT_DX)[0])

        def show(epoch: int) -> None:
            row = run.at(epoch)
            params.show({"w1": row["w1"], "w2": row["w2"], "b": row["b"]})
            stats.show({"epoch": float(run.steps[epoch]), "loss": row["loss"],
                        "acc": 100 * float(acc[epoch])})

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

        def go_to(epoch: int, run_time: float, first: bool = False) -> None:
            nonlocal image, drawn_curve, line
            new_image, new_curve = field(epoch), curve.curve_upto(epoch)
            anims: list[Animation] = [FadeIn(new_image), FadeOut(image)]
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
            per = beat.duration * 0.85 / len(lesson.shifting)
            for e in lesson.shifting:
                go_to(e, per)
        with self.beat("sharpen") as beat:
            per = beat.duration * 0.85 / len(lesson.sharpening)
            for e in lesson.sharpening:
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
