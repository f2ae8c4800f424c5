"""``neural-network-training``: XOR defeats a linear model; the 2-2-1 network's decision boundary
bends as it trains (its probability field at the shown epochs), with the loss curve and accuracy."""
from __future__ import annotations

import math

from manim import DOWN, LEFT, RIGHT, UP, Create, Dot, FadeIn, MathTex, VGroup

from mlv.algorithms.lessons_networks import xor_network_lesson
from mlv.scenes import params, style
from mlv.scenes.components.panels import LossCurvePanel, make_axes, points_on
from mlv.scenes.components.probability_field import contour_lines, field_image
from mlv.scenes.components.readout import Readout
from mlv.scenes.lesson import LessonScene
from mlv.scenes.narration import Beat, Narration

PARAMS = params.current("neural-network-training")
DEFAULT = params.defaults("neural-network-training") == PARAMS
LESSON = xor_network_lesson(learning_rate=PARAMS["lr"], epochs=PARAMS["epochs"],
                            init_seed=PARAMS["init_seed"], hidden_activation=PARAMS["activation"])
RUN, LIN = LESSON.run, LESSON.linear
ACC = RUN.extras["accuracy"]
SHOWN = [int(e) for e in LESSON.shown_epochs]
N = len(LESSON.y)
E_LIN, E_NET = int(LIN.steps[-1]), int(RUN.steps[-1])
LIN_ACC, LIN_LOSS = float(LIN.extras["accuracy"][-1]), float(LIN.loss[-1])
# the phases the narration describes, read off the run: a plateau while the loss stays within
# 0.06 of its start, then the epochs until every point is right, then the rest
PLATEAU = max(e for e in SHOWN if RUN.loss[0] - RUN.loss[e] < 0.06)
ALL_RIGHT = LESSON.all_right_epoch                  # -1: this run never gets every point right
LEARNED = ALL_RIGHT >= 0
if LEARNED:
    BEND_END = min([e for e in SHOWN if e >= ALL_RIGHT + 100] or [SHOWN[-1]])
else:                                               # stuck: bend until the loss levels off
    BEND_END = min([e for e in SHOWN if e > PLATEAU and RUN.loss[e] - RUN.loss[-1] < 0.01]
                   or [SHOWN[-1]])
N_WRONG = int(round(N * (1 - float(ACC[-1]))))
HIDDEN = "the sigmoid" if PARAMS["activation"] == "sigmoid" else PARAMS["activation"]

if DEFAULT:
    NETWORK_SAYS = ("Now the network from the first two lessons, with its hidden layer of two "
                    "neurons, starting from random weights.")
else:
    NETWORK_SAYS = (f"Now a network like the one of the first two lessons: two hidden neurons "
                    f"using {HIDDEN}, random starting weights from seed {PARAMS['init_seed']}, "
                    f"learning rate {PARAMS['lr']:g}.")
if PLATEAU >= 30:
    PLATEAU_SAYS = (f"For about {PLATEAU} epochs the loss hardly moves, from "
                    f"{RUN.loss[0]:.2f} to {RUN.loss[PLATEAU]:.2f}.")
else:
    PLATEAU_SAYS = (f"The loss starts falling at once: from {RUN.loss[0]:.2f} to "
                    f"{RUN.loss[SHOWN[2]]:.2f} by epoch {SHOWN[2]}.")
if LEARNED and DEFAULT:
    BEND_SAYS = (f"Then the hidden neurons find their features. The boundary bends and splits "
                 f"in two, fencing the blue clusters into a band; at epoch {ALL_RIGHT} every "
                 f"point is right.")
elif LEARNED:
    BEND_SAYS = (f"Then the hidden neurons find their features and the boundary bends around "
                 f"the clusters; at epoch {ALL_RIGHT} every point is right.")
else:
    BEND_SAYS = (f"The boundary bends, but not far enough: this run is stuck in a local "
                 f"minimum, with {N_WRONG} of the {N} points on the wrong side.")
SHARPEN_SAYS = ("The rest of training sharpens the boundary, and the loss keeps falling."
                if LEARNED else
                f"More epochs do not help: the loss levels off near {RUN.loss[-1]:.2f}.")
FINAL_SAYS = (f"After {E_NET} epochs the loss is {RUN.loss[-1]:.4f}, and all {N} points are "
              f"classified correctly: a boundary no straight line could draw."
              if LEARNED and ACC[-1] == 1.0 else
              f"After {E_NET} epochs: loss {RUN.loss[-1]:.4f}, {100 * ACC[-1]:.0f} percent "
              f"right. A local minimum, not the best weights; another seed may escape it.")

NARRATION = Narration(
    Beat("data", f"This is the XOR problem: {N} points in four clusters. The pink points, class "
                 f"1, are where the two coordinates have opposite signs."),
    Beat("linear", "First a linear model: logistic regression, trained by gradient descent. Its "
                   "decision boundary can only be a straight line."),
    Beat("linear-fails", f"After {E_LIN} epochs it gets {100 * LIN_ACC:.0f} percent right, and "
                         f"its loss is {LIN_LOSS:.3f}, the loss of a coin flip. No line separates "
                         f"these classes."),
    Beat("network", NETWORK_SAYS),
    Beat("plateau", PLATEAU_SAYS),
    Beat("bend", BEND_SAYS),
    Beat("sharpen", SHARPEN_SAYS),
    Beat("final", FINAL_SAYS),
    Beat("next", "The hidden layer is what lets the boundary bend. The next lesson looks inside "
                 "it."),
)


def class_dots(axes, X, y) -> VGroup:
    """The points, each in its class's colour (class 1 ``positive``, class 0 ``negative``)."""
    n = style.NOTATION
    return VGroup(*[Dot(p, radius=style.DOT_RADIUS * 1.1,
                        color=n.positive if c == 1 else n.negative).set_stroke(style.BACKGROUND,
                                                                                width=1.0)
                    for p, c in zip(points_on(axes, X[:, 0], X[:, 1]), y)])


class FieldView:
    """Axes over the lesson's grid, the points, and the field ``P(y = 1)`` with its 0.5 contour
    shown in place (:meth:`show`)."""

    def __init__(self, *, size: float, centre):
        self.frame = make_axes([LESSON.field_x[0], LESSON.field_x[-1], 1],
                               [LESSON.field_y[0], LESSON.field_y[-1], 1], width=size,
                               height=size, x_label="x_1", y_label="x_2")
        self.frame.move_to(centre)
        self.axes = self.frame.axes
        self.dots = class_dots(self.axes, LESSON.X, LESSON.y)
        self.image = self.boundary = None
        self.shown = None

    def show(self, scene, P):
        """Replace the field and boundary on ``scene`` by those of ``P``."""
        if self.image is not None:
            scene.remove(self.image, self.boundary)
        self.image = field_image(self.axes, LESSON.field_x, LESSON.field_y, P)
        self.boundary = contour_lines(self.axes, LESSON.field_x, LESSON.field_y, P)
        self.shown = P
        scene.add(self.image, self.boundary)
        scene.bring_to_front(self.frame, self.dots)


class NeuralNetworkTraining(LessonScene):
    narration = NARRATION
    heading = "Training a network on XOR"
    numbers = {"points": N, "linear model: epochs": E_LIN, "linear model: accuracy": LIN_ACC,
               "linear model: final loss": LIN_LOSS, "network: epochs": E_NET,
               "network: final loss": float(RUN.loss[-1]),
               "network: final accuracy": float(ACC[-1]),
               **({"epoch every point is right": ALL_RIGHT} if LEARNED else {})}

    def construct(self):
        n = style.NOTATION
        panel = FieldView(size=4.7, centre=[-3.5, 0.25, 0])
        curve = LossCurvePanel(RUN.steps, RUN.loss, width=4.4, height=2.4,
                               y_label=r"L_{\mathrm{BCE}}", x_max=E_LIN)
        curve.move_to([3.6, 1.25, 0])
        readout = Readout([("epoch", r"\text{epoch}", style.FOREGROUND, 0),
                           ("loss", r"L_{\mathrm{BCE}}", n.loss, 4),
                           ("accuracy", r"\text{accuracy}", style.FOREGROUND, 2)],
                          signed=False)
        readout.next_to(curve, DOWN, buff=style.GAP_LARGE * 1.2).set_x(3.4)

        def show(traj, k):
            readout.show({"epoch": float(traj.steps[k]), "loss": float(traj.loss[k]),
                          "accuracy": float(traj.extras["accuracy"][k])})

        with self.beat("data") as beat:
            self.play(FadeIn(panel.frame), run_time=beat.part(0.3))
            self.play(FadeIn(panel.dots, lag_ratio=0.01), run_time=beat.part(0.4))

        with self.beat("linear") as beat:
            panel.show(self, LESSON.linear_field)
            self.play(FadeIn(panel.image), Create(panel.boundary), run_time=beat.part(0.4))

        with self.beat("linear-fails") as beat:
            lin_curve = curve.curve_of(LIN.steps, LIN.loss, style.MUTED)
            show(LIN, -1)
            self.play(FadeIn(curve), FadeIn(readout), run_time=beat.part(0.2))
            self.play(Create(lin_curve), run_time=beat.part(0.3))
            coin = MathTex(r"\ln 2 = " + f"{math.log(2):.3f}", font_size=style.FONT_SIZE_LABEL,
                           color=style.MUTED)
            room_right = LIN.steps[-1] <= 0.6 * curve.axes.x_range[1]   # else label to the left
            coin.next_to(curve.axes.c2p(LIN.steps[-1], _h(curve, LIN_LOSS)),
                         UP + (RIGHT if room_right else LEFT), buff=style.GAP_SMALL)
            self.play(FadeIn(coin), run_time=beat.part(0.2))

        drawn = VGroup()
        with self.beat("network") as beat:
            panel.show(self, LESSON.fields[0])
            show(RUN, 0)
            self.play(FadeIn(panel.image), FadeIn(panel.boundary), run_time=beat.part(0.3))

        def train(epochs, total):
            nonlocal drawn
            per = total / max(1, len(epochs))
            for e in epochs:
                j = SHOWN.index(e)
                panel.show(self, LESSON.fields[j])
                self.remove(drawn)
                drawn = curve.curve_upto(e)
                self.add(drawn)
                show(RUN, e)
                self.wait(per)

        with self.beat("plateau") as beat:
            train([e for e in SHOWN if 0 < e <= max(PLATEAU, SHOWN[2])], beat.part(0.85))
        with self.beat("bend") as beat:
            train([e for e in SHOWN if max(PLATEAU, SHOWN[2]) < e <= BEND_END], beat.part(0.85))
        with self.beat("sharpen") as beat:
            train([e for e in SHOWN if e > BEND_END], beat.part(0.85))
        with self.beat("final") as beat:
            self.flash_stroke(panel.boundary, beat=beat)
        with self.beat("next") as beat:
            pass
        self.panel, self.readout, self.coin = panel, readout, coin


def _h(curve: LossCurvePanel, value: float) -> float:
    """Height of ``value`` on the loss curve's log axis."""
    return math.log10(value) - curve.lo
