"""``backpropagation``: the chain rule run backwards through the 2-2-1 network at the first step of
its training, with the real deltas and gradients; one weight's gradient traced from the loss back
to the weight (its four chain-rule factors as numbers), averaged over the batch, and its update."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from manim import DOWN, LEFT, FadeIn, FadeOut, MathTex, VGroup

from mlv.algorithms import network as nw
from mlv.algorithms.lessons_networks import WeightTrace, weight_trace, xor_network_lesson
from mlv.scenes import style
from mlv.scenes.components.network import NetworkDiagram
from mlv.scenes.lesson import LessonScene
from mlv.scenes.narration import Beat, Narration
from mlv.scenes.script import Script

if TYPE_CHECKING:
    from mlv.scenes.components.derivation import DerivationPanel


@dataclass(frozen=True)
class BackpropLesson:
    """What the lesson draws: the network at its initial weights, one training point's forward
    and backward pass, and one weight's gradient traced back.

    Attributes
    ----------
    params : list of (W, b)
        The XOR network's initial weights (:func:`xor_network_lesson`).
    trace : Pass
        The sample's pass at those weights (:meth:`XorNetworkLesson.first_pass`).
    weight : WeightTrace
        ``W1[0,0]``'s gradient and update (:func:`weight_trace`).
    y : float
        The sample's class.
    n : int
        The number of training points (the batch the gradient averages over).
    """

    params: nw.Params
    trace: nw.Pass
    weight: WeightTrace
    y: float
    n: int

    @property
    def output(self) -> float:
        """The network's output for the sample, ``a^(2)``."""
        return float(self.trace.activations[2][0])

    @property
    def output_delta(self) -> float:
        """``delta^(2) = a^(2) - y``."""
        return float(self.trace.deltas[1][0])


def script(params: Mapping[str, Any]) -> Script:
    """The first training step's backward pass, the narration and numbers (the scene takes no
    parameters)."""
    network = xor_network_lesson()
    lesson = BackpropLesson(network.params(0), network.first_pass(), weight_trace(network),
                            network.y_sample, len(network.y))
    x, y, t = lesson.trace.activations[0], lesson.y, lesson.weight
    a2, d2, loss = lesson.output, lesson.output_delta, lesson.trace.loss
    narration = Narration(
        Beat("start", f"Training starts from random weights. Take its very first step and one "
                      f"training point: $x_1 = {x[0]:.2f}$ and $x_2 = {x[1]:.2f}$, with label "
                      f"$y = {y:.0f}$."),
        Beat("forward", f"A forward pass gives the output $a = {a2:.2f}$, so this point's "
                        rf"cross-entropy loss, $-{{\log a}}$, is {loss:.2f}."),
        Beat("question", "To learn, every weight needs the derivative of the loss with respect "
                         "to it. Backpropagation finds them all, starting at the output."),
        Beat("delta", r"Call $\delta$ the derivative of the loss in a neuron's weighted sum "
                      r"$z$. At the output, the chain rule runs through the log and the sigmoid."),
        Beat("delta-cancel", "The sigmoid's derivative, $a(1 - a)$, cancels both "
                             "denominators."),
        Beat("delta-result", rf"What is left is $\delta = a - y$: ${a2:.2f} - {y:.0f}$, which "
                             rf"is ${d2:.2f}$."),
        Beat("hidden", "One layer back, the chain rule passes through the output weight and the "
                       "hidden neuron's own sigmoid."),
        Beat("hidden-result", rf"So the first hidden neuron's $\delta$ is the output $\delta$, "
                              rf"times the weight, times $a(1 - a)$: ${t.delta1:.3f}$."),
        Beat("weight", r"A weight's gradient is the $\delta$ of the neuron it feeds, times the "
                       r"input it carries."),
        Beat("trace", f"For the first weight, four factors from the loss back to the weight "
                      f"multiply to {t.sample_gradient:.3f}."),
        Beat("all", "Every other weight gets its gradient the same way, in the same backward "
                    "sweep: one pass, all the gradients."),
        Beat("batch", f"Training averages this over all {lesson.n} points. For this weight the "
                      f"average gradient is {t.batch_gradient:.4f}."),
        Beat("update", f"Gradient descent then steps against it, with learning rate "
                       f"{t.learning_rate:g}: the weight moves from {t.before:.4f} to "
                       f"{t.after:.4f}."),
    )
    numbers = {"output a": a2, "loss of the point": float(loss), "output delta": d2,
               "hidden delta": float(t.delta1), "batch gradient of the weight":
               float(t.batch_gradient), "learning rate": float(t.learning_rate),
               "weight before the step": float(t.before),
               "weight after the step": float(t.after)}
    return Script(narration, lesson, numbers)


# the layout, by region (offsets from a region's centre): the network in the left half; the
# board and the lines of numbers in a column of the right half: the derivation at the top, the
# values beneath it, the update near the top once the board is cleared
NET_W, NET_H = 5.0, 3.2
NET_DX, NET_DY = -3.7 - style.LEFT.center[0], 0.2 - style.LEFT.center[1]
COLUMN_DX = 3.45 - style.RIGHT.center[0]
BOARD_DY = 1.9 - style.RIGHT.center[1]
VALUE_DY = -1.0 - style.RIGHT.center[1]
CHAIN_DY = -0.9 - style.RIGHT.center[1]
BATCH_DY = -1.1 - style.RIGHT.center[1]
UPDATE_DY = 1.6 - style.RIGHT.center[1]
BOARD_WIDTH = 6.4
REASON_CHARS = 52           # the board's reason lines wrap at this width
LOSS_GROUP = (r"\left(y \log{\left(a^{(2)} \right)} + \left(1 - y\right) "
              r"\log{\left(1 - a^{(2)} \right)}\right)")
DISPLAY = {LOSS_GROUP: r"\left(y \log a^{(2)} + (1 - y) \log(1 - a^{(2)})\right)"}


def _panel(name: str) -> DerivationPanel:
    # imported here: the derivations (SymPy) load only when the scene is drawn, so importing
    # this module does no work
    from mlv.derivations import backprop
    from mlv.scenes.components.derivation import DerivationPanel

    derivation = next(d for d in backprop.derivations() if d.id == f"backprop-bce-{name}")
    return DerivationPanel(derivation, centre=style.RIGHT.at(COLUMN_DX, BOARD_DY),
                           max_width=BOARD_WIDTH, font_size=style.FONT_SIZE_MATH,
                           lhs_color=style.NOTATION.gradient, display=DISPLAY,
                           reason_chars=REASON_CHARS)


def value_line(*parts: str) -> MathTex:
    tex = MathTex(*parts, font_size=style.FONT_SIZE_MATH)
    if tex.width > BOARD_WIDTH:
        tex.scale_to_fit_width(BOARD_WIDTH)
    return tex.move_to(style.RIGHT.at(COLUMN_DX, VALUE_DY))


def _f(v: float, places: int = 3) -> str:
    s = f"{v:.{places}f}"
    return f"({s})" if v < 0 else s


class Backpropagation(LessonScene):
    script = staticmethod(script)
    lesson: BackpropLesson

    def construct(self) -> None:
        n = style.NOTATION
        lesson = self.lesson
        trace, t = lesson.trace, lesson.weight
        F = t.factors
        a2, d2 = lesson.output, lesson.output_delta
        net = NetworkDiagram(lesson.params, width=NET_W, height=NET_H,
                             layer_labels=["x", "a^{(1)}", r"a^{(2)}"])
        net.move_to(style.LEFT.at(NET_DX, NET_DY))
        forward = net.make_forward_animations(trace)
        with self.beat("start") as beat:
            self.play(FadeIn(net.neurons), FadeIn(net.labels), FadeIn(net.edges),
                      run_time=beat.part(0.3))
            self.play(forward[0], run_time=beat.part(0.2))

        with self.beat("forward") as beat:
            for anim in forward[1:]:
                self.play(anim, run_time=beat.part(0.25))
            shown: MathTex | VGroup = value_line(r"L = -\log a^{(2)} = " + f"{trace.loss:.3f}")
            shown[0].set_color(n.loss)
            self.play(FadeIn(shown), run_time=beat.part(0.2))

        with self.beat("question") as beat:
            self.play(net.neuron(2, 0).animate.set_stroke(n.gradient, width=style.STROKE_THICK),
                      run_time=beat.part(0.3))

        board = _panel("output-delta")
        with self.beat("delta") as beat:
            self.play(board.make_step_animation(0, run_time=beat.part(0.3)))
            self.play(board.make_step_animation(1, run_time=beat.part(0.3)))
        with self.beat("delta-cancel") as beat:
            self.play(board.make_step_animation(2, run_time=beat.part(0.5)))
        with self.beat("delta-result") as beat:
            self.play(board.make_step_animation(3, run_time=beat.part(0.3)))
            line = value_line(r"\delta^{(2)} = a^{(2)} - y = " + f"{a2:.3f} - "
                              f"{lesson.y:.0f} = {d2:.3f}")
            line[0].set_color(n.gradient)
            self.play(FadeOut(shown), FadeIn(line), run_time=beat.part(0.2))
            shown = line
            self.play(net.make_delta_animation(trace, 2, run_time=beat.part(0.3)))

        with self.beat("hidden") as beat:
            self.play(board.make_clear_animation(run_time=beat.part(0.1)))
            board = _panel("hidden-delta")
            self.play(board.make_step_animation(0, run_time=beat.part(0.3)))
            self.play(board.make_step_animation(1, run_time=beat.part(0.3)))
        with self.beat("hidden-result") as beat:
            self.play(board.make_step_animation(2, run_time=beat.part(0.3)))
            line = value_line(r"\delta^{(1)}_{1} = " + f"{_f(F[0])}\\cdot{_f(F[1])}\\cdot"
                              f"{_f(F[2])} = {t.delta1:.4f}")
            line[0].set_color(n.gradient)
            self.play(FadeOut(shown), FadeIn(line), run_time=beat.part(0.2))
            shown = line
            self.play(net.make_delta_animation(trace, 1, run_time=beat.part(0.3)))

        with self.beat("weight") as beat:
            self.play(board.make_clear_animation(run_time=beat.part(0.1)))
            board = _panel("hidden-weight")
            for k in range(3):
                self.play(board.make_step_animation(k, run_time=beat.part(0.25)))

        path = [net.edge(2, 0, 0), net.edge(1, 0, 0)]
        others = [e for g in net.edges for e in g if e not in path]
        with self.beat("trace") as beat:
            chain = VGroup(
                MathTex(r"\frac{\partial L}{\partial W^{(1)}_{11}}", "=", r"(a^{(2)} - y)",
                        r"\cdot", r"W^{(2)}_{11}", r"\cdot", r"a^{(1)}_1 (1 - a^{(1)}_1)",
                        r"\cdot", r"x_1", font_size=style.FONT_SIZE_MATH),
                MathTex("=", _f(F[0]), r"\cdot", _f(F[1]), r"\cdot", _f(F[2]), r"\cdot",
                        _f(F[3]), "=", f"{t.sample_gradient:.4f}",
                        font_size=style.FONT_SIZE_MATH),
            ).arrange(DOWN, buff=style.GAP)
            top, nums = chain
            nums.align_to(top[1], LEFT)
            top[0].set_color(n.gradient)
            nums[-1].set_color(n.gradient)
            top[4].set_color(n.w)
            top[8].set_color(n.data)
            nums[3].set_color(n.w)
            nums[7].set_color(n.data)
            if chain.width > BOARD_WIDTH:
                chain.scale_to_fit_width(BOARD_WIDTH)
            chain.move_to(style.RIGHT.at(COLUMN_DX, CHAIN_DY))
            self.play(FadeOut(shown), *[e.animate.set_stroke(opacity=0.15) for e in others],
                      *[e.animate.set_stroke(n.activation) for e in path],
                      run_time=beat.part(0.25))
            self.play(FadeIn(chain, lag_ratio=0.2), run_time=beat.part(0.4))
            shown = chain

        with self.beat("all") as beat:
            self.play(net.make_weights_animation(lesson.params, run_time=beat.part(0.15)))
            for l in (2, 1):
                self.play(net.make_gradient_animation(trace, l, run_time=beat.part(0.3)))

        with self.beat("batch") as beat:
            N = lesson.n
            batch = value_line(r"\frac{\partial J}{\partial W^{(1)}_{11}} = \frac{1}{" + str(N)
                               + r"} \sum_{i=1}^{" + str(N) + r"} \frac{\partial L_i}"
                               r"{\partial W^{(1)}_{11}} = " + f"{t.batch_gradient:.4f}")
            batch.move_to(style.RIGHT.at(COLUMN_DX, BATCH_DY))
            batch[0].set_color(n.gradient)
            self.play(board.make_clear_animation(run_time=beat.part(0.15)),
                      FadeOut(shown), run_time=beat.part(0.15))
            self.play(FadeIn(batch), run_time=beat.part(0.3))
            shown = batch

        with self.beat("update") as beat:
            update = MathTex(r"W^{(1)}_{11}", r"\leftarrow", f"{t.before:.4f}", "-",
                             f"{t.learning_rate:g}", r"\cdot", f"{t.batch_gradient:.4f}",
                             "=", f"{t.after:.4f}", font_size=style.FONT_SIZE_MATH)
            update[0].set_color(n.w)
            update[4].set_color(n.eta)
            update[6].set_color(n.gradient)
            update[8].set_color(n.w)
            update.move_to(style.RIGHT.at(COLUMN_DX, UPDATE_DY))
            self.play(FadeIn(update), run_time=beat.part(0.3))
            self.play(net.edge(1, 0, 0).animate.set_stroke(n.w, width=style.STROKE_THICK),
                      run_time=beat.part(0.2))
        self.net, self.chain, self.update = net, chain, update
