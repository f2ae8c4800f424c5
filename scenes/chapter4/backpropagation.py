"""``backpropagation``: the chain rule run backwards through the 2-2-1 network at the first step of
its training, with the real deltas and gradients; one weight's gradient traced from the loss back
to the weight (its four chain-rule factors as numbers), averaged over the batch, and its update."""
from __future__ import annotations

from manim import DOWN, LEFT, FadeIn, FadeOut, MathTex, VGroup

from mlv.algorithms.lessons_networks import weight_trace, xor_network_lesson
from mlv.derivations import backprop
from mlv.scenes import style
from mlv.scenes.components.derivation import DerivationPanel
from mlv.scenes.components.network import NetworkDiagram
from mlv.scenes.lesson import LessonScene
from mlv.scenes.narration import Beat, Narration

LESSON = xor_network_lesson()
PARAMS = LESSON.params(0)
PASS = LESSON.first_pass()
TRACE = weight_trace(LESSON)
X = PASS.activations[0]
A2 = float(PASS.activations[2][0])
D2 = float(PASS.deltas[1][0])
F = TRACE.factors
N = len(LESSON.y)

NARRATION = Narration(
    Beat("start", f"Training starts from random weights. Take its very first step and one "
                  f"training point: x equals {X[0]:.2f} and {X[1]:.2f}, with label y equal to "
                  f"{LESSON.y_sample:.0f}."),
    Beat("forward", f"A forward pass gives the output {A2:.2f}, so this point's cross-entropy "
                    f"loss, minus the log of the output, is {PASS.loss:.2f}."),
    Beat("question", "To learn, every weight needs the derivative of the loss with respect to "
                     "it. Backpropagation finds them all, starting at the output."),
    Beat("delta", "Call delta the derivative of the loss in a neuron's weighted sum z. At the "
                  "output, the chain rule runs through the log and the sigmoid."),
    Beat("delta-cancel", "The sigmoid's derivative, a times one minus a, cancels both "
                         "denominators."),
    Beat("delta-result", f"What is left is delta equals a minus y: {A2:.2f} minus "
                         f"{LESSON.y_sample:.0f}, which is {D2:.2f}."),
    Beat("hidden", "One layer back, the chain rule passes through the output weight and the "
                   "hidden neuron's own sigmoid."),
    Beat("hidden-result", f"So the first hidden neuron's delta is the output delta, times the "
                          f"weight, times a times one minus a: {TRACE.delta1:.3f}."),
    Beat("weight", "A weight's gradient is the delta of the neuron it feeds, times the input it "
                   "carries."),
    Beat("trace", f"For the first weight, four factors from the loss back to the weight multiply "
                  f"to {TRACE.sample_gradient:.3f}."),
    Beat("all", "Every other weight gets its gradient the same way, in the same backward sweep: "
                "one pass, all the gradients."),
    Beat("batch", f"Training averages this over all {N} points. For this weight the average "
                  f"gradient is {TRACE.batch_gradient:.4f}."),
    Beat("update", f"Gradient descent then steps against it, with learning rate "
                   f"{TRACE.learning_rate:g}: the weight moves from {TRACE.before:.4f} to "
                   f"{TRACE.after:.4f}."),
)

RIGHT_X = 3.45
BOARD_WIDTH = 6.4
LOSS_GROUP = (r"\left(y \log{\left(a^{(2)} \right)} + \left(1 - y\right) "
              r"\log{\left(1 - a^{(2)} \right)}\right)")
DISPLAY = {LOSS_GROUP: r"\left(y \log a^{(2)} + (1 - y) \log(1 - a^{(2)})\right)"}


def _derivation(name: str):
    return next(d for d in backprop.derivations() if d.id == f"backprop-bce-{name}")


def _panel(name: str) -> DerivationPanel:
    return DerivationPanel(_derivation(name), centre=[RIGHT_X, 1.9, 0], max_width=BOARD_WIDTH,
                           font_size=style.FONT_SIZE_MATH, lhs_color=style.NOTATION.gradient,
                           display=DISPLAY, reason_chars=52)


def value_line(*parts) -> MathTex:
    tex = MathTex(*parts, font_size=style.FONT_SIZE_MATH)
    if tex.width > BOARD_WIDTH:
        tex.scale_to_fit_width(BOARD_WIDTH)
    return tex.move_to([RIGHT_X, -1.0, 0])


def _f(v: float, places: int = 3) -> str:
    s = f"{v:.{places}f}"
    return f"({s})" if v < 0 else s


class Backpropagation(LessonScene):
    narration = NARRATION
    heading = "Backpropagation: the chain rule, backwards"
    numbers = {"output a": A2, "loss of the point": float(PASS.loss), "output delta": D2,
               "hidden delta": float(TRACE.delta1), "batch gradient of the weight":
               float(TRACE.batch_gradient), "learning rate": float(TRACE.learning_rate),
               "weight before the step": float(TRACE.before),
               "weight after the step": float(TRACE.after)}

    def construct(self):
        n = style.NOTATION
        net = NetworkDiagram(PARAMS, width=5.0, height=3.2,
                             layer_labels=["x", "a^{(1)}", r"a^{(2)}"])
        net.move_to([-3.7, 0.2, 0])
        forward = net.make_forward_animations(PASS)
        with self.beat("start") as beat:
            self.play(FadeIn(net.neurons), FadeIn(net.labels), FadeIn(net.edges),
                      run_time=beat.part(0.3))
            self.play(forward[0], run_time=beat.part(0.2))

        with self.beat("forward") as beat:
            for anim in forward[1:]:
                self.play(anim, run_time=beat.part(0.25))
            shown = value_line(r"L = -\log a^{(2)} = " + f"{PASS.loss:.3f}")
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
            line = value_line(r"\delta^{(2)} = a^{(2)} - y = " + f"{A2:.3f} - "
                              f"{LESSON.y_sample:.0f} = {D2:.3f}")
            line[0].set_color(n.gradient)
            self.play(FadeOut(shown), FadeIn(line), run_time=beat.part(0.2))
            shown = line
            self.play(net.make_delta_animation(PASS, 2, run_time=beat.part(0.3)))

        with self.beat("hidden") as beat:
            self.play(board.make_clear_animation(run_time=beat.part(0.1)))
            board = _panel("hidden-delta")
            self.play(board.make_step_animation(0, run_time=beat.part(0.3)))
            self.play(board.make_step_animation(1, run_time=beat.part(0.3)))
        with self.beat("hidden-result") as beat:
            self.play(board.make_step_animation(2, run_time=beat.part(0.3)))
            line = value_line(r"\delta^{(1)}_{1} = " + f"{_f(F[0])}\\cdot{_f(F[1])}\\cdot"
                              f"{_f(F[2])} = {TRACE.delta1:.4f}")
            line[0].set_color(n.gradient)
            self.play(FadeOut(shown), FadeIn(line), run_time=beat.part(0.2))
            shown = line
            self.play(net.make_delta_animation(PASS, 1, run_time=beat.part(0.3)))

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
                        _f(F[3]), "=", f"{TRACE.sample_gradient:.4f}",
                        font_size=style.FONT_SIZE_MATH),
            ).arrange(DOWN, buff=style.GAP)
            top, nums = chain
            nums.align_to(top[1], LEFT)
            top[0].set_color(n.gradient); nums[-1].set_color(n.gradient)
            top[4].set_color(n.w); top[8].set_color(n.data)
            nums[3].set_color(n.w); nums[7].set_color(n.data)
            if chain.width > BOARD_WIDTH:
                chain.scale_to_fit_width(BOARD_WIDTH)
            chain.move_to([RIGHT_X, -0.9, 0])
            self.play(FadeOut(shown), *[e.animate.set_stroke(opacity=0.15) for e in others],
                      *[e.animate.set_stroke(n.activation) for e in path],
                      run_time=beat.part(0.25))
            self.play(FadeIn(chain, lag_ratio=0.2), run_time=beat.part(0.4))
            shown = chain

        with self.beat("all") as beat:
            self.play(net.make_weights_animation(PARAMS, run_time=beat.part(0.15)))
            for l in (2, 1):
                self.play(net.make_gradient_animation(PASS, l, run_time=beat.part(0.3)))

        with self.beat("batch") as beat:
            batch = value_line(r"\frac{\partial J}{\partial W^{(1)}_{11}} = \frac{1}{" + str(N)
                               + r"} \sum_{i=1}^{" + str(N) + r"} \frac{\partial L_i}"
                               r"{\partial W^{(1)}_{11}} = " + f"{TRACE.batch_gradient:.4f}")
            batch.move_to([RIGHT_X, -1.1, 0])
            batch[0].set_color(n.gradient)
            self.play(board.make_clear_animation(run_time=beat.part(0.15)),
                      FadeOut(shown), run_time=beat.part(0.15))
            self.play(FadeIn(batch), run_time=beat.part(0.3))
            shown = batch

        with self.beat("update") as beat:
            update = MathTex(r"W^{(1)}_{11}", r"\leftarrow", f"{TRACE.before:.4f}", "-",
                             f"{TRACE.learning_rate:g}", r"\cdot", f"{TRACE.batch_gradient:.4f}",
                             "=", f"{TRACE.after:.4f}", font_size=style.FONT_SIZE_MATH)
            update[0].set_color(n.w); update[4].set_color(n.eta); update[6].set_color(n.gradient)
            update[8].set_color(n.w)
            update.move_to([RIGHT_X, 1.6, 0])
            self.play(FadeIn(update), run_time=beat.part(0.3))
            self.play(net.edge(1, 0, 0).animate.set_stroke(n.w, width=style.STROKE_THICK),
                      run_time=beat.part(0.2))
        self.net, self.chain, self.update = net, chain, update

