"""``forward-propagation``: one input through the trained 2-2-1 network, layer by layer, with the
real numbers: ``z = W a + b``, ``a = sigma(z)``, and the matrix shapes."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from manim import DOWN, FadeIn, FadeOut, Indicate, MathTex, VGroup, Write

from mlv.algorithms import network as nw
from mlv.algorithms.lessons_networks import xor_network_lesson
from mlv.scenes import style
from mlv.scenes.components.network import NetworkDiagram
from mlv.scenes.lesson import LessonScene
from mlv.scenes.narration import Beat, Narration
from mlv.scenes.script import Script


@dataclass(frozen=True)
class ForwardLesson:
    """What the lesson draws: the trained network's weights and one training point's forward
    pass through them.

    Attributes
    ----------
    params : list of (W, b)
        The XOR network's final weights (:func:`xor_network_lesson`).
    trace : Pass
        The lesson's sample through them (:meth:`XorNetworkLesson.forward_pass`).
    y : float
        The sample's class.
    """

    params: nw.Params
    trace: nw.Pass
    y: float


def script(params: Mapping[str, Any]) -> Script:
    """The sample's pass through the trained XOR network, the narration and numbers (the scene
    takes no parameters)."""
    network = xor_network_lesson()
    lesson = ForwardLesson(network.params(-1), network.forward_pass(), network.y_sample)
    p = lesson.trace
    x, (z1, z2), (a1, a2), y = p.activations[0], p.pre_activations, p.activations[1:], lesson.y
    narration = Narration(
        Beat("network", "This is a small neural network: two inputs, a hidden layer of two "
                        "neurons, and one output neuron."),
        Beat("weights", "Every line is a weight. Green lines are positive, red ones negative, "
                        "and a thicker line is a larger weight. These weights are already "
                        "trained."),
        Beat("input", f"Let us push one point through it: $x_1 = {x[0]:.2f}$ and "
                      f"$x_2 = {x[1]:.2f}$, a point of class {y:.0f}."),
        Beat("affine", "The hidden layer first forms weighted sums: $z = Wx + b$, with the "
                       "weight matrix $W$ and the bias $b$."),
        Beat("numbers", f"With the real numbers, the first hidden neuron gets "
                        f"$z_1 = {z1[0]:.2f}$, the second $z_2 = {z1[1]:.2f}$."),
        Beat("shapes", "$W$ has one row per neuron of the layer and one column per input: 2 by "
                       "2, times 2 by 1, plus 2 by 1, gives 2 by 1."),
        Beat("activation", f"Then each neuron applies the sigmoid, which squashes $z$ between 0 "
                           f"and 1: the activations are {a1[0]:.2f} and {a1[1]:.2f}."),
        Beat("output", f"The output layer repeats both steps with its own 1 by 2 matrix: "
                       f"$z = {z2[0]:.2f}$, and the sigmoid gives {a2[0]:.3f}."),
        Beat("result", "That output is the network's probability of class 1. It is above one "
                       "half, so the network says class 1, which is right."),
        Beat("summary", "Forward propagation is only this, layer after layer: multiply by $W$, "
                        "add $b$, apply the activation."),
    )
    numbers = {"input x1": float(x[0]), "input x2": float(x[1]),
               "hidden z1": float(z1[0]), "hidden z2": float(z1[1]),
               "hidden a1": float(a1[0]), "hidden a2": float(a1[1]),
               "output a": float(a2[0]), "class y": int(y)}
    return Script(narration, lesson, numbers)


# the layout, by region (offsets from a region's centre): the network in the left half; the
# equations in a column in the right half, its first row near the top of the stage
NET_W, NET_H = 5.0, 3.2
NET_DX, NET_DY = -3.6 - style.LEFT.center[0], 0.2 - style.LEFT.center[1]
EQ_DX, EQ_DY = 3.3 - style.RIGHT.center[0], 2.2 - style.RIGHT.center[1]
EQ_X = float(style.RIGHT.at(EQ_DX)[0])      # the column's centre line
EQ_SIZE = 30                                # the equations with numbers: a little below MATH


def _col(values: Any) -> str:
    body = r" \\ ".join(f"{v:.2f}" for v in values)
    return r"\begin{pmatrix}" + body + r"\end{pmatrix}"


def _mat(M: Any) -> str:
    rows = [" & ".join(f"{v:.2f}" for v in row) for row in M]
    return r"\begin{pmatrix}" + r" \\ ".join(rows) + r"\end{pmatrix}"


def layer_equations(l: int, W: Any, b: Any, a_in: Any, z: Any, a_out: Any,
                    in_name: str) -> tuple[MathTex, MathTex, MathTex, MathTex]:
    """Symbolic ``z = W a + b``, the same with the numbers, the shapes, and ``a = sigma(z)``."""
    n = style.NOTATION
    sup = "^{(" + str(l) + ")}"
    sym = MathTex("z" + sup, "=", "W" + sup, in_name, "+", "b" + sup,
                  font_size=style.FONT_SIZE_MATH)
    sym[2].set_color(n.w)
    sym[5].set_color(n.b)
    sym[3].set_color(n.data if l == 1 else n.activation)
    num = MathTex(_mat(W), _col(a_in), "+", _col(b), "=", _col(z), font_size=EQ_SIZE)
    num[0].set_color(n.w)
    num[3].set_color(n.b)
    num[1].set_color(n.data if l == 1 else n.activation)
    r, c = W.shape
    shapes = MathTex(rf"({r}\times{c})", rf"({c}\times 1)", "+", rf"({r}\times 1)", r"\to",
                     rf"({r}\times 1)", font_size=style.FONT_SIZE_LABEL, color=style.MUTED)
    act = MathTex("a" + sup, "=", r"\sigma(z" + sup + ")", "=", _col(a_out) if len(a_out) > 1
                  else f"{a_out[0]:.3f}", font_size=EQ_SIZE)
    act[0].set_color(n.activation)
    act[4].set_color(n.activation)
    return sym, num, shapes, act


class ForwardPropagation(LessonScene):
    script = staticmethod(script)
    lesson: ForwardLesson

    def construct(self) -> None:
        lesson = self.lesson
        trace = lesson.trace
        x, (z1, z2), (a1, a2) = trace.activations[0], trace.pre_activations, trace.activations[1:]
        net = NetworkDiagram(lesson.params, width=NET_W, height=NET_H,
                             layer_labels=["x", "a^{(1)}", r"a^{(2)} = \hat y"])
        net.move_to(style.LEFT.at(NET_DX, NET_DY))
        with self.beat("network") as beat:
            self.play(FadeIn(net.neurons), FadeIn(net.labels), run_time=beat.part(0.3))
            self.play(FadeIn(net.edges, lag_ratio=0.1), run_time=beat.part(0.3))

        with self.beat("weights") as beat:
            self.play(net.edges.animate.set_stroke(opacity=0.3), run_time=beat.part(0.2))
            self.play(net.edges.animate.set_stroke(opacity=0.9), run_time=beat.part(0.2))

        with self.beat("input") as beat:
            self.play(net.make_input_animation(x, run_time=beat.part(0.4)))

        (W1, b1), (W2, b2) = lesson.params
        sym, num, shapes, act = layer_equations(1, W1, b1, x, z1, a1, "x")
        sym.move_to(style.RIGHT.at(EQ_DX, EQ_DY))
        num.next_to(sym, DOWN, buff=style.GAP_LARGE).set_x(EQ_X)
        shapes.next_to(num, DOWN, buff=style.GAP)
        act.next_to(shapes, DOWN, buff=style.GAP_LARGE).set_x(EQ_X)
        with self.beat("affine") as beat:
            self.play(Write(sym), run_time=beat.part(0.4))
        with self.beat("numbers") as beat:
            self.play(FadeIn(num), run_time=beat.part(0.4))
        with self.beat("shapes") as beat:
            self.play(FadeIn(shapes), run_time=beat.part(0.3))
        with self.beat("activation") as beat:
            self.play(Write(act), run_time=beat.part(0.3))
            self.play(net.make_layer_animation(trace, 1, run_time=beat.part(0.4)))

        sym2, num2, shapes2, act2 = layer_equations(2, W2, b2, a1, z2, a2, "a^{(1)}")
        for new, old in ((sym2, sym), (num2, num), (shapes2, shapes), (act2, act)):
            new.move_to(old).set_x(EQ_X)
        with self.beat("output") as beat:
            self.play(FadeOut(VGroup(sym, num, shapes, act)), run_time=beat.part(0.15))
            self.play(FadeIn(VGroup(sym2, num2, shapes2)), run_time=beat.part(0.25))
            self.play(Write(act2), run_time=beat.part(0.2))
            self.play(net.make_layer_animation(trace, 2, run_time=beat.part(0.3)))

        with self.beat("result") as beat:
            verdict = MathTex(r"\hat y = " + f"{a2[0]:.3f}" + r" > 0.5", r"\Rightarrow",
                              r"\text{class } 1", font_size=style.FONT_SIZE_MATH)
            verdict[0].set_color(style.NOTATION.prediction)
            verdict.next_to(act2, DOWN, buff=style.GAP_LARGE).set_x(EQ_X)
            self.play(FadeIn(verdict), run_time=beat.part(0.3))
            self.play(Indicate(net.neuron(2, 0)), run_time=beat.part(0.3))

        with self.beat("summary") as beat:
            rule = MathTex(r"a^{(l)} = \sigma\!\left(W^{(l)} a^{(l-1)} + b^{(l)}\right)",
                           font_size=style.FONT_SIZE_MATH)
            rule.move_to(sym2)
            self.play(FadeOut(VGroup(sym2, num2, shapes2, act2, verdict)),
                      run_time=beat.part(0.2))
            self.play(Write(rule), run_time=beat.part(0.4))
        self.net = net
