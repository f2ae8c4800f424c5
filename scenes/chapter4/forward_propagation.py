"""``forward-propagation``: one input through the trained 2-2-1 network, layer by layer, with the
real numbers: ``z = W a + b``, ``a = sigma(z)``, and the matrix shapes."""
from __future__ import annotations

from manim import DOWN, FadeIn, FadeOut, Indicate, MathTex, VGroup, Write

from mlv.algorithms.lessons_networks import xor_network_lesson
from mlv.scenes import style
from mlv.scenes.components.network import NetworkDiagram
from mlv.scenes.lesson import LessonScene
from mlv.scenes.narration import Beat, Narration

LESSON = xor_network_lesson()
PARAMS = LESSON.params(-1)
PASS = LESSON.forward_pass()
X = PASS.activations[0]
Z1, A1 = PASS.pre_activations[0], PASS.activations[1]
Z2, A2 = PASS.pre_activations[1], PASS.activations[2]
Y = LESSON.y_sample

NARRATION = Narration(
    Beat("network", "This is a small neural network: two inputs, a hidden layer of two neurons, "
                    "and one output neuron."),
    Beat("weights", "Every line is a weight. Green lines are positive, red ones negative, and a "
                    "thicker line is a larger weight. These weights are already trained."),
    Beat("input", f"Let us push one point through it: x equals {X[0]:.2f} and {X[1]:.2f}, a "
                  f"point of class {Y:.0f}."),
    Beat("affine", "The hidden layer first forms weighted sums: z equals the weight matrix W "
                   "times x, plus the bias b."),
    Beat("numbers", f"With the real numbers, the first hidden neuron gets z equal to "
                    f"{Z1[0]:.2f}, the second {Z1[1]:.2f}."),
    Beat("shapes", "W has one row per neuron of the layer and one column per input: two by two, "
                   "times two by one, plus two by one, gives two by one."),
    Beat("activation", f"Then each neuron applies the sigmoid, which squashes z between 0 and 1: "
                       f"the activations are {A1[0]:.2f} and {A1[1]:.2f}."),
    Beat("output", f"The output layer repeats both steps with its own one by two matrix: z equals "
                   f"{Z2[0]:.2f}, and the sigmoid gives {A2[0]:.3f}."),
    Beat("result", "That output is the network's probability of class 1. It is above one half, "
                   "so the network says class 1, which is right."),
    Beat("summary", "Forward propagation is only this, layer after layer: multiply by W, add b, "
                    "apply the activation."),
)

RIGHT_X = 3.3               # centre of the equations column
EQ_SIZE = 30


def _col(values, colour=None) -> str:
    body = r" \\ ".join(f"{v:.2f}" for v in values)
    return r"\begin{pmatrix}" + body + r"\end{pmatrix}"


def _mat(M) -> str:
    rows = [" & ".join(f"{v:.2f}" for v in row) for row in M]
    return r"\begin{pmatrix}" + r" \\ ".join(rows) + r"\end{pmatrix}"


def layer_equations(l: int, W, b, a_in, z, a_out, in_name: str):
    """Symbolic ``z = W a + b``, the same with the numbers, the shapes, and ``a = sigma(z)``."""
    n = style.NOTATION
    sup = "^{(" + str(l) + ")}"
    sym = MathTex("z" + sup, "=", "W" + sup, in_name, "+", "b" + sup, font_size=style.FONT_SIZE_MATH)
    sym[2].set_color(n.w); sym[5].set_color(n.b)
    sym[3].set_color(n.data if l == 1 else n.activation)
    num = MathTex(_mat(W), _col(a_in), "+", _col(b), "=", _col(z), font_size=EQ_SIZE)
    num[0].set_color(n.w); num[3].set_color(n.b)
    num[1].set_color(n.data if l == 1 else n.activation)
    r, c = W.shape
    shapes = MathTex(rf"({r}\times{c})", rf"({c}\times 1)", "+", rf"({r}\times 1)", r"\to",
                     rf"({r}\times 1)", font_size=style.FONT_SIZE_LABEL, color=style.MUTED)
    act = MathTex("a" + sup, "=", r"\sigma(z" + sup + ")", "=", _col(a_out) if len(a_out) > 1
                  else f"{a_out[0]:.3f}", font_size=EQ_SIZE)
    act[0].set_color(n.activation); act[4].set_color(n.activation)
    return sym, num, shapes, act


class ForwardPropagation(LessonScene):
    narration = NARRATION
    heading = "Forward propagation"
    numbers = {"input x1": float(X[0]), "input x2": float(X[1]),
               "hidden z1": float(Z1[0]), "hidden z2": float(Z1[1]),
               "hidden a1": float(A1[0]), "hidden a2": float(A1[1]),
               "output a": float(A2[0]), "class y": int(Y)}

    def construct(self):
        net = NetworkDiagram(PARAMS, width=5.0, height=3.2,
                             layer_labels=["x", "a^{(1)}", r"a^{(2)} = \hat y"])
        net.move_to([-3.6, 0.2, 0])
        with self.beat("network") as beat:
            self.play(FadeIn(net.neurons), FadeIn(net.labels), run_time=beat.part(0.3))
            self.play(FadeIn(net.edges, lag_ratio=0.1), run_time=beat.part(0.3))

        with self.beat("weights") as beat:
            self.play(net.edges.animate.set_stroke(opacity=0.3), run_time=beat.part(0.2))
            self.play(net.edges.animate.set_stroke(opacity=0.9), run_time=beat.part(0.2))

        with self.beat("input") as beat:
            self.play(net.make_input_animation(X, run_time=beat.part(0.4)))

        (W1, b1), (W2, b2) = PARAMS
        sym, num, shapes, act = layer_equations(1, W1, b1, X, Z1, A1, "x")
        sym.move_to([RIGHT_X, 2.2, 0])
        num.next_to(sym, DOWN, buff=style.GAP_LARGE).set_x(RIGHT_X)
        shapes.next_to(num, DOWN, buff=style.GAP)
        act.next_to(shapes, DOWN, buff=style.GAP_LARGE).set_x(RIGHT_X)
        with self.beat("affine") as beat:
            self.play(Write(sym), run_time=beat.part(0.4))
        with self.beat("numbers") as beat:
            self.play(FadeIn(num), run_time=beat.part(0.4))
        with self.beat("shapes") as beat:
            self.play(FadeIn(shapes), run_time=beat.part(0.3))
        with self.beat("activation") as beat:
            self.play(Write(act), run_time=beat.part(0.3))
            self.play(net.make_layer_animation(PASS, 1, run_time=beat.part(0.4)))

        sym2, num2, shapes2, act2 = layer_equations(2, W2, b2, A1, Z2, A2, "a^{(1)}")
        for new, old in ((sym2, sym), (num2, num), (shapes2, shapes), (act2, act)):
            new.move_to(old).set_x(RIGHT_X)
        with self.beat("output") as beat:
            self.play(FadeOut(VGroup(sym, num, shapes, act)), run_time=beat.part(0.15))
            self.play(FadeIn(VGroup(sym2, num2, shapes2)), run_time=beat.part(0.25))
            self.play(Write(act2), run_time=beat.part(0.2))
            self.play(net.make_layer_animation(PASS, 2, run_time=beat.part(0.3)))

        with self.beat("result") as beat:
            verdict = MathTex(r"\hat y = " + f"{A2[0]:.3f}" + r" > 0.5", r"\Rightarrow",
                              r"\text{class } 1", font_size=style.FONT_SIZE_MATH)
            verdict[0].set_color(style.NOTATION.prediction)
            verdict.next_to(act2, DOWN, buff=style.GAP_LARGE).set_x(RIGHT_X)
            self.play(FadeIn(verdict), run_time=beat.part(0.3))
            self.play(Indicate(net.neuron(2, 0)), run_time=beat.part(0.3))

        with self.beat("summary") as beat:
            rule = MathTex(r"a^{(l)} = \sigma\!\left(W^{(l)} a^{(l-1)} + b^{(l)}\right)",
                           font_size=style.FONT_SIZE_MATH)
            rule.move_to(sym2)
            self.play(FadeOut(VGroup(sym2, num2, shapes2, act2, verdict)), run_time=beat.part(0.2))
            self.play(Write(rule), run_time=beat.part(0.4))
        self.net = net
