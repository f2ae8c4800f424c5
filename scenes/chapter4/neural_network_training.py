"""``neural-network-training``: XOR defeats a linear model; the 2-2-1 network's decision boundary
bends as it trains (its probability field at the shown epochs), with the loss curve and accuracy."""
from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Axes, Create, Dot, FadeIn, MathTex, Scene, VGroup

from mlv.algorithms.lessons_networks import XorNetworkLesson, xor_network_lesson
from mlv.algorithms.trajectory import Trajectory
from mlv.scenes import style
from mlv.scenes.components.panels import LossCurvePanel, make_axes, points_on
from mlv.scenes.components.probability_field import contour_lines, field_image
from mlv.scenes.components.readout import Readout
from mlv.scenes.lesson import LessonScene
from mlv.scenes.narration import Beat, Narration
from mlv.scenes.params import defaults
from mlv.scenes.script import Script

#: how the narration names each hidden activation
HIDDEN = {"sigmoid": "the sigmoid", "tanh": "tanh"}


def network_says(lesson: XorNetworkLesson, params: Mapping[str, Any], default: bool) -> str:
    if default:
        return ("Now the network from the first two lessons, with its hidden layer of two "
                "neurons, starting from random weights.")
    return (f"Now a network like the one of the first two lessons: two hidden neurons using "
            f"{HIDDEN[lesson.activations[0]]}, random starting weights from seed "
            f"{params['init_seed']}, learning rate {params['lr']:g}.")


def plateau_says(lesson: XorNetworkLesson) -> str:
    loss, plateau, third = lesson.run.loss, lesson.plateau_epoch, int(lesson.shown_epochs[2])
    if lesson.has_plateau:
        return (f"For about {plateau} epochs the loss hardly moves, from {loss[0]:.2f} to "
                f"{loss[plateau]:.2f}.")
    return (f"The loss starts falling at once: from {loss[0]:.2f} to {loss[third]:.2f} by epoch "
            f"{third}.")


def bend_says(lesson: XorNetworkLesson, default: bool) -> str:
    if lesson.learned and default:
        return (f"Then the hidden neurons find their features. The boundary bends and splits in "
                f"two, fencing the blue clusters into a band; at epoch {lesson.all_right_epoch} "
                f"every point is right.")
    if lesson.learned:
        return (f"Then the hidden neurons find their features and the boundary bends around the "
                f"clusters; at epoch {lesson.all_right_epoch} every point is right.")
    return (f"The boundary bends, but not far enough: this run is stuck in a local minimum, "
            f"with {lesson.n_wrong} of the {len(lesson.y)} points on the wrong side.")


def script(params: Mapping[str, Any]) -> Script:
    """The linear model's and the network's runs for ``params`` (``lr``, ``epochs``,
    ``init_seed``, ``activation``), the narration (whether the run learned, its phases) and
    numbers."""
    lesson = xor_network_lesson(learning_rate=params["lr"], epochs=params["epochs"],
                                init_seed=params["init_seed"],
                                hidden_activation=params["activation"])
    run, lin = lesson.run, lesson.linear
    acc = run.extras["accuracy"]
    n = len(lesson.y)
    e_lin, e_net = int(np.asarray(lin.steps)[-1]), int(lesson.epochs[-1])
    lin_acc, lin_loss = float(lin.extras["accuracy"][-1]), float(lin.loss[-1])
    default = dict(params) == defaults("neural-network-training")
    if lesson.learned:
        sharpen = "The rest of training sharpens the boundary, and the loss keeps falling."
    else:
        sharpen = f"More epochs do not help: the loss levels off near {run.loss[-1]:.2f}."
    if lesson.learned and lesson.ends_all_right:
        final = (f"After {e_net} epochs the loss is {run.loss[-1]:.4f}, and all {n} points are "
                 f"classified correctly: a boundary no straight line could draw.")
    else:
        final = (f"After {e_net} epochs: loss {run.loss[-1]:.4f}, {100 * acc[-1]:.0f} percent "
                 f"right. A local minimum, not the best weights; another seed may escape it.")
    narration = Narration(
        Beat("data", f"This is the XOR problem: {n} points in four clusters. The pink points, "
                     f"class 1, are where the two coordinates have opposite signs."),
        Beat("linear", "First a linear model: logistic regression, trained by gradient descent. "
                       "Its decision boundary can only be a straight line."),
        Beat("linear-fails", f"After {e_lin} epochs it gets {100 * lin_acc:.0f} percent right, "
                             f"and its loss is {lin_loss:.3f}, the loss of a coin flip. No line "
                             f"separates these classes."),
        Beat("network", network_says(lesson, params, default)),
        Beat("plateau", plateau_says(lesson)),
        Beat("bend", bend_says(lesson, default)),
        Beat("sharpen", sharpen),
        Beat("final", final),
        Beat("next", "The hidden layer is what lets the boundary bend. The next lesson looks "
                     "inside it."),
    )
    numbers = {"points": n, "linear model: epochs": e_lin, "linear model: accuracy": lin_acc,
               "linear model: final loss": lin_loss, "network: epochs": e_net,
               "network: final loss": float(run.loss[-1]),
               "network: final accuracy": float(acc[-1]),
               **({"epoch every point is right": lesson.all_right_epoch}
                  if lesson.learned else {})}
    return Script(narration, lesson, numbers)


# the layout, by region (offsets from a region's centre): the field in the left half; the loss
# curve at the top of the right half, the readout beneath it
FIELD_SIZE = 4.7
FIELD_DX, FIELD_DY = -3.5 - style.LEFT.center[0], 0.25 - style.LEFT.center[1]
CURVE_W, CURVE_H = 4.4, 2.4
CURVE_DX, CURVE_DY = 3.6 - style.RIGHT.center[0], 1.25 - style.RIGHT.center[1]
READOUT_X = float(style.RIGHT.at(3.4 - style.RIGHT.center[0])[0])
READOUT_GAP = style.GAP_LARGE * 1.2
LABEL_ROOM = 0.6            # the ln 2 label goes right of the curve's end within this fraction
CLASS_DOT_RADIUS = style.DOT_RADIUS * 1.1
CLASS_DOT_OUTLINE = 1.0


def class_dots(axes: Axes, X: np.ndarray, y: np.ndarray) -> VGroup:
    """The points, each in its class's colour (class 1 ``positive``, class 0 ``negative``)."""
    n = style.NOTATION
    return VGroup(*[Dot(p, radius=CLASS_DOT_RADIUS,
                        color=n.positive if c == 1 else n.negative).set_stroke(
                            style.BACKGROUND, width=CLASS_DOT_OUTLINE)
                    for p, c in zip(points_on(axes, X[:, 0], X[:, 1]), y)])


class FieldView:
    """Axes over the lesson's grid, the points, and the field ``P(y = 1)`` with its 0.5 contour
    shown in place (:meth:`show`)."""

    def __init__(self, lesson: XorNetworkLesson, *, size: float, centre: np.ndarray) -> None:
        self.lesson = lesson
        self.frame = make_axes([lesson.field_x[0], lesson.field_x[-1], 1],
                               [lesson.field_y[0], lesson.field_y[-1], 1], width=size,
                               height=size, x_label="x_1", y_label="x_2")
        self.frame.move_to(centre)
        self.axes: Axes = self.frame.axes
        self.dots = class_dots(self.axes, lesson.X, lesson.y)
        self.image: Any = None
        self.boundary: Any = None
        self.shown: np.ndarray | None = None

    def show(self, scene: Scene, P: np.ndarray) -> None:
        """Replace the field and boundary on ``scene`` by those of ``P``."""
        lesson = self.lesson
        if self.image is not None:
            scene.remove(self.image, self.boundary)
        self.image = field_image(self.axes, lesson.field_x, lesson.field_y, P)
        self.boundary = contour_lines(self.axes, lesson.field_x, lesson.field_y, P)
        self.shown = P
        scene.add(self.image, self.boundary)
        scene.bring_to_front(self.frame, self.dots)


class NeuralNetworkTraining(LessonScene):
    script = staticmethod(script)
    lesson: XorNetworkLesson

    def construct(self) -> None:
        n = style.NOTATION
        lesson = self.lesson
        run, lin = lesson.run, lesson.linear
        shown = [int(e) for e in lesson.shown_epochs]
        lin_steps = np.asarray(lin.steps)
        panel = FieldView(lesson, size=FIELD_SIZE, centre=style.LEFT.at(FIELD_DX, FIELD_DY))
        curve = LossCurvePanel(lesson.epochs, run.loss, width=CURVE_W, height=CURVE_H,
                               y_label=r"L_{\mathrm{BCE}}", x_max=int(lin_steps[-1]))
        curve.move_to(style.RIGHT.at(CURVE_DX, CURVE_DY))
        readout = Readout([("epoch", r"\text{epoch}", style.FOREGROUND, 0),
                           ("loss", r"L_{\mathrm{BCE}}", n.loss, 4),
                           ("accuracy", r"\text{accuracy}", style.FOREGROUND, 2)],
                          signed=False)
        readout.next_to(curve, DOWN, buff=READOUT_GAP).set_x(READOUT_X)

        def show(traj: Trajectory, k: int) -> None:
            readout.show({"epoch": float(np.asarray(traj.steps)[k]), "loss": float(traj.loss[k]),
                          "accuracy": float(traj.extras["accuracy"][k])})

        with self.beat("data") as beat:
            self.play(FadeIn(panel.frame), run_time=beat.part(0.3))
            self.play(FadeIn(panel.dots, lag_ratio=0.01), run_time=beat.part(0.4))

        with self.beat("linear") as beat:
            panel.show(self, lesson.linear_field)
            self.play(FadeIn(panel.image), Create(panel.boundary), run_time=beat.part(0.4))

        with self.beat("linear-fails") as beat:
            lin_curve = curve.curve_of(lin_steps, lin.loss, style.MUTED)
            show(lin, -1)
            self.play(FadeIn(curve), FadeIn(readout), run_time=beat.part(0.2))
            self.play(Create(lin_curve), run_time=beat.part(0.3))
            coin = MathTex(r"\ln 2 = " + f"{math.log(2):.3f}", font_size=style.FONT_SIZE_LABEL,
                           color=style.MUTED)
            room_right = lin_steps[-1] <= LABEL_ROOM * curve.axes.x_range[1]   # else to the left
            coin.next_to(curve.axes.c2p(lin_steps[-1], _h(curve, float(lin.loss[-1]))),
                         UP + (RIGHT if room_right else LEFT), buff=style.GAP_SMALL)
            self.play(FadeIn(coin), run_time=beat.part(0.2))

        drawn: Any = VGroup()
        with self.beat("network") as beat:
            panel.show(self, lesson.fields[0])
            show(run, 0)
            self.play(FadeIn(panel.image), FadeIn(panel.boundary), run_time=beat.part(0.3))

        def train(epochs: list[int], total: float) -> None:
            nonlocal drawn
            per = total / max(1, len(epochs))
            for e in epochs:
                j = shown.index(e)
                panel.show(self, lesson.fields[j])
                self.remove(drawn)
                drawn = curve.curve_upto(e)
                self.add(drawn)
                show(run, e)
                self.wait(per)

        plateau, bend, sharpen = lesson.phases
        with self.beat("plateau") as beat:
            train(plateau, beat.part(0.85))
        with self.beat("bend") as beat:
            train(bend, beat.part(0.85))
        with self.beat("sharpen") as beat:
            train(sharpen, beat.part(0.85))
        with self.beat("final") as beat:
            self.flash_stroke(panel.boundary, beat=beat)
        with self.beat("next") as beat:
            pass
        self.panel, self.readout, self.coin = panel, readout, coin


def _h(curve: LossCurvePanel, value: float) -> float:
    """Height of ``value`` on the loss curve's log axis."""
    return math.log10(value) - curve.lo
