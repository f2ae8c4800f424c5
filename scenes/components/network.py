"""A network diagram drawn from a network's real weights: layers of neurons, edges whose colour is
the weight's sign and whose thickness its size, and the animations of a forward pass (the real
activations) and a backward pass (the real deltas and gradients) of one input.

The diagram only draws what it is given: ``params`` as in :mod:`algorithms.network` (a list of
``(W, b)`` with ``W`` of shape (n_out, n_in)) and a :class:`algorithms.network.Pass`. Layer ``l`` is
0 for the inputs and ``1 .. L`` for the dense layers; edge ``(l, i, j)`` is the weight
``W^(l)[i, j]`` from neuron ``j`` of layer ``l - 1`` to neuron ``i`` of layer ``l``.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from manim import (
    UP,
    Animation,
    AnimationGroup,
    BackgroundRectangle,
    Circle,
    FadeIn,
    Line,
    MathTex,
    ShowPassingFlash,
    Succession,
    VGroup,
)
from manim.animation.animation import prepare_animation
from manim.utils.color import ManimColor, ParsableManimColor
from numpy.typing import ArrayLike

from mlv.scenes import style
from mlv.scenes.components.readout import LiveNumber

if TYPE_CHECKING:
    from mlv.algorithms.network import Pass

#: a network's weights as :mod:`mlv.algorithms.network` keeps them: one ``(W, b)`` per dense layer
Weights = Sequence[tuple[ArrayLike, ArrayLike]]

NUMBER_SIZE = 24                # numbers inside neurons and on edges
EDGE_LABEL_AT = 0.68            # where along an edge (from its source) its gradient is written


def edge_style(weight: float, scale: float, *, thin: float = 1.0,
               thick: float = 10.0) -> tuple[ManimColor, float]:
    """``(colour, stroke width)`` of an edge: the sign's colour, a width growing with ``|w|``
    (``thin`` at 0, ``thick`` at ``|w| = scale`` and beyond)."""
    n = style.NOTATION
    colour = n.weight_positive if weight >= 0 else n.weight_negative
    frac = min(1.0, abs(float(weight)) / scale) if scale > 0 else 0.0
    return colour, thin + (thick - thin) * frac


def layer_sizes(params: Weights) -> tuple[int, ...]:
    """The number of neurons of each layer, inputs first."""
    return (int(np.shape(params[0][0])[1]), *(int(np.shape(W)[0]) for W, _ in params))


class NetworkDiagram(VGroup):
    """Neurons in columns (inputs on the left) and one edge per weight.

    Parameters
    ----------
    params : list of (W, b)
        The weights drawn (see the module docstring).
    width, height : float
        The box the neuron centres span.
    weight_scale : float, optional
        ``|w|`` drawn at full thickness (default: the largest ``|w|`` of ``params``); keep it fixed
        when redrawing other weights of the same network so thicknesses compare.
    layer_labels : sequence of str, optional
        MathTex written under each column (``"x"``, ``"a^{(1)}"``...).
    """

    def __init__(self, params: Weights, *, width: float, height: float, radius: float = 0.5,
                 weight_scale: float | None = None,
                 layer_labels: Sequence[str] | None = None) -> None:
        super().__init__()
        self.sizes = layer_sizes(params)
        self.radius = radius
        self.weight_scale = float(weight_scale or max(np.max(np.abs(W)) for W, _ in params))
        xs = np.linspace(-width / 2, width / 2, len(self.sizes))
        gap = height / max(1, max(self.sizes) - 1)
        self.neurons = VGroup()        # one VGroup per layer, its neurons top to bottom
        self._neuron: dict[tuple[int, int], Circle] = {}
        for l, (x, n) in enumerate(zip(xs, self.sizes)):
            col = VGroup()
            for i in range(n):
                circle = Circle(radius=radius, color=style.FOREGROUND, stroke_width=style.STROKE,
                                fill_color=style.PANEL, fill_opacity=1.0)
                circle.move_to(np.array([x, ((n - 1) / 2 - i) * gap, 0]))
                self._neuron[(l, i)] = circle
                col.add(circle)
            self.neurons.add(col)
        self.edges = VGroup()          # one VGroup per dense layer, edges in W's row-major order
        self._edge: dict[tuple[int, int, int], Line] = {}
        for l in range(1, len(self.sizes)):
            group = VGroup()
            for i in range(self.sizes[l]):
                for j in range(self.sizes[l - 1]):
                    a, b = self.neuron(l - 1, j), self.neuron(l, i)
                    d = b.get_center() - a.get_center()
                    d /= np.linalg.norm(d)
                    line = Line(a.get_center() + radius * d, b.get_center() - radius * d)
                    self._edge[(l, i, j)] = line
                    group.add(line)
            self.edges.add(group)
        self.set_weights(params)
        self.labels = VGroup()
        if layer_labels:
            bottom = min(c.get_bottom()[1] for c in self.neurons)
            for column, tex in zip(self.neurons, layer_labels):
                lab = MathTex(tex, font_size=style.FONT_SIZE_LABEL, color=style.MUTED)
                lab.move_to(np.array([column.get_x(), bottom - style.GAP - lab.height / 2, 0]))
                self.labels.add(lab)
        self.add(self.edges, self.neurons, self.labels)
        self.values: dict[tuple[int, int], LiveNumber] = {}        # activations, (l, i)
        self.deltas: dict[tuple[int, int], LiveNumber] = {}        # deltas, (l, i)
        self.gradients: dict[tuple[int, int, int], LiveNumber] = {}  # dL/dW, (l, i, j)
        self.numbers = VGroup()                                    # all of the above, as drawn

    # -------------------------------------------------------------------------------- geometry
    def neuron(self, l: int, i: int) -> Circle:
        """Neuron ``i`` (from the top) of layer ``l``."""
        return self._neuron[(l, i)]

    def edge(self, l: int, i: int, j: int) -> Line:
        """The edge of the weight ``W^(l)[i, j]``."""
        return self._edge[(l, i, j)]

    def weights_of(self, params: Weights) -> dict[tuple[int, int, int], float]:
        """Each edge's weight in ``params``."""
        return {(l, i, j): float(np.asarray(params[l - 1][0])[i, j]) for (l, i, j) in self._edge}

    def set_weights(self, params: Weights) -> NetworkDiagram:
        """Restyle every edge from ``params`` (same shapes as the diagram's)."""
        if layer_sizes(params) != self.sizes:
            raise ValueError(f"params of layer sizes {layer_sizes(params)} for a diagram of "
                             f"{self.sizes}")
        self.weights = self.weights_of(params)
        for key, line in self._edge.items():
            colour, width = edge_style(self.weights[key], self.weight_scale)
            line.set_stroke(colour, width=width, opacity=0.9)
        return self

    def make_weights_animation(self, params: Weights, *,
                               run_time: float = style.TRANSFORM_TIME) -> AnimationGroup:
        """Edges restyled to ``params`` (the same network at another step)."""
        self.weights = self.weights_of(params)
        anims = []
        for key, line in self._edge.items():
            colour, width = edge_style(self.weights[key], self.weight_scale)
            anims.append(_built(line.animate.set_stroke(colour, width=width, opacity=0.9)))
        return AnimationGroup(*anims, run_time=run_time)

    # --------------------------------------------------------------------------------- numbers
    def _number(self, value: float, colour: ParsableManimColor, *, signed: bool) -> LiveNumber:
        return LiveNumber(value, decimals=2, include_sign=signed, font_size=NUMBER_SIZE,
                          color=colour)

    def value_label(self, l: int, i: int, value: float,
                    colour: ParsableManimColor | None = None) -> LiveNumber:
        """The number ``value`` written inside neuron ``(l, i)``; kept in :attr:`values`."""
        num = self._number(value, colour or style.FOREGROUND, signed=value < 0)
        num.move_to(self.neuron(l, i).get_center())
        if num.width > 1.7 * self.radius:
            num.scale_to_fit_width(1.7 * self.radius)
        self.values[(l, i)] = num
        self.numbers.add(num)
        return num

    def delta_label(self, l: int, i: int, value: float) -> VGroup:
        """``value`` (a delta) above neuron ``(l, i)`` on a dark backing; kept in :attr:`deltas`."""
        num = self._number(value, style.NOTATION.gradient, signed=True)
        num.next_to(self.neuron(l, i), UP, buff=style.GAP_SMALL)
        self.deltas[(l, i)] = num
        self.numbers.add(num)
        return VGroup(BackgroundRectangle(num, color=style.BACKGROUND, fill_opacity=0.9,
                                          buff=0.04), num)

    def gradient_label(self, l: int, i: int, j: int, value: float) -> VGroup:
        """``value`` (dL/dW) written on edge ``(l, i, j)``; kept in :attr:`gradients`."""
        line = self.edge(l, i, j)
        num = self._number(value, style.NOTATION.gradient, signed=True)
        num.move_to(line.point_from_proportion(EDGE_LABEL_AT))
        self.gradients[(l, i, j)] = num
        self.numbers.add(num)
        return VGroup(BackgroundRectangle(num, color=style.BACKGROUND, fill_opacity=0.9,
                                          buff=0.04), num)

    # ------------------------------------------------------------------------------ animations
    def _activation_fill(self, l: int, i: int, a: float) -> Animation:
        """A neuron filled in the activation colour, as strongly as its value in [0, 1]."""
        strength = float(np.clip(a, 0.0, 1.0))
        return _built(self.neuron(l, i).animate.set_fill(
            style.NOTATION.activation, opacity=0.1 + 0.35 * strength))

    def make_input_animation(self, x: ArrayLike, *,
                             run_time: float = style.FADE_TIME) -> AnimationGroup:
        """The input ``x`` written into the input neurons."""
        labels = [self.value_label(0, i, float(v), style.NOTATION.data)
                  for i, v in enumerate(np.asarray(x, float))]
        return AnimationGroup(*[FadeIn(m) for m in labels], run_time=run_time)

    def make_layer_animation(self, p: Pass, l: int, *,
                             run_time: float = style.TRANSFORM_TIME) -> Succession:
        """Layer ``l`` of a forward pass: signals run along its edges, then each neuron shows
        its activation ``a^(l)_i`` (from ``p.activations[l]``, one input's vectors)."""
        flashes = [ShowPassingFlash(line.copy().set_stroke(style.NOTATION.activation,
                                                           width=line.get_stroke_width() + 2),
                                    time_width=0.6)
                   for line in self.edges[l - 1]]
        a = np.asarray(p.activations[l], float)
        labels = [self.value_label(l, i, float(v)) for i, v in enumerate(a)]
        fills = [self._activation_fill(l, i, float(v)) for i, v in enumerate(a)]
        return Succession(AnimationGroup(*flashes), AnimationGroup(*fills, *map(FadeIn, labels)),
                          run_time=run_time)

    def make_forward_animations(self, p: Pass, *,
                                run_time: float = style.TRANSFORM_TIME) -> list[Animation]:
        """The whole forward pass of ``p``: the input, then one animation per layer."""
        anims: list[Animation] = [self.make_input_animation(p.activations[0], run_time=run_time)]
        return anims + [self.make_layer_animation(p, l, run_time=run_time)
                        for l in range(1, len(self.sizes))]

    def make_delta_animation(self, p: Pass, l: int, *,
                             run_time: float = style.TRANSFORM_TIME) -> Succession:
        """Layer ``l``'s deltas ``delta^(l)`` (from ``p.deltas[l - 1]``) above its neurons, arriving
        from the layer after it (a flash running backwards along those edges)."""
        flashes: list[Animation] = []
        if l < len(self.sizes) - 1:
            flashes = [ShowPassingFlash(Line(line.get_end(), line.get_start()).set_stroke(
                style.NOTATION.gradient, width=line.get_stroke_width() + 2), time_width=0.6)
                for line in self.edges[l]]
        d = np.asarray(p.deltas[l - 1], float)
        labels = [self.delta_label(l, i, float(v)) for i, v in enumerate(d)]
        parts = [AnimationGroup(*map(FadeIn, labels))]
        if flashes:
            parts.insert(0, AnimationGroup(*flashes))
        return Succession(*parts, run_time=run_time)

    def make_gradient_animation(self, p: Pass, l: int, *,
                                run_time: float = style.TRANSFORM_TIME) -> AnimationGroup:
        """Every ``dL/dW^(l)[i, j] = delta^(l)_i a^(l-1)_j`` (from ``p.grads[l - 1][0]``) written on
        its edge."""
        G = np.asarray(p.grads[l - 1][0], float)
        labels = [self.gradient_label(l, i, j, float(G[i, j]))
                  for i in range(self.sizes[l]) for j in range(self.sizes[l - 1])]
        return AnimationGroup(*map(FadeIn, labels), lag_ratio=0.15, run_time=run_time)

    def make_backward_animations(self, p: Pass, *,
                                 run_time: float = style.TRANSFORM_TIME) -> list[Animation]:
        """The whole backward pass of ``p``, output layer first: per layer its deltas, then the
        gradients of the weights into it."""
        out: list[Animation] = []
        for l in range(len(self.sizes) - 1, 0, -1):
            out.append(Succession(self.make_delta_animation(p, l, run_time=run_time / 2),
                                  self.make_gradient_animation(p, l, run_time=run_time / 2)))
        return out


def _built(builder: Any) -> Animation:
    """The animation of ``mobject.animate.method(...)`` (manim types ``.animate`` as the builder
    or the mobject itself; it is always the builder)."""
    return prepare_animation(builder)
