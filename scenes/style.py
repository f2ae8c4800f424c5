"""The course's look: one colour per symbol, font sizes and named spacing.

Every scene and component reads these values at call time; no scene hard-codes a colour, a font size
or a position. A symbol keeps its colour in every scene of the course (w is always ``W``'s colour,
the loss always ``LOSS``'s...), so a student learns the colour once.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import ManimColor

# ---------------------------------------------------------------------------------------- palette
BACKGROUND = ManimColor("#14161c")
FOREGROUND = ManimColor("#e8e6e3")     # plain text and axes labels
MUTED = ManimColor("#8b8f98")          # axes, grid, secondary text
PANEL = ManimColor("#1e2129")          # caption band, panel backgrounds


@dataclass(frozen=True)
class Notation:
    """One colour per symbol, the same in every scene.

    Attributes are colours of: the data (``x_i``, ``y_i`` and the points), the prediction
    (``\\hat y`` and the fitted line), the residuals, the weight ``w``, the bias ``b``, the loss
    (MSE, J, L), the gradient, the learning rate, and the optimum (closed-form solution).
    """

    data: ManimColor = ManimColor("#58c4dd")        # blue: x_i, y_i, the points
    prediction: ManimColor = ManimColor("#ffd866")  # yellow: y_hat, the model's line
    residual: ManimColor = ManimColor("#fc6255")    # red: y_i - y_hat_i
    w: ManimColor = ManimColor("#83c167")           # green: the weight / slope
    b: ManimColor = ManimColor("#c792ea")           # purple: the bias / intercept
    loss: ManimColor = ManimColor("#ff9e64")        # orange: MSE, J, L
    gradient: ManimColor = ManimColor("#f07178")    # pink-red: nabla L
    eta: ManimColor = ManimColor("#89ddff")         # cyan: learning rate
    optimum: ManimColor = ManimColor("#ffffff")     # white: the least-squares optimum
    path: ManimColor = ManimColor("#ffd866")        # a parameter path = the model over time
    pc1: ManimColor = ManimColor("#ffd866")         # first principal axis (the 1-D model)
    pc2: ManimColor = ManimColor("#cfd8dc")         # second principal axis
    # cluster k's points and centre (categorical; only ever means "cluster k")
    clusters: tuple[ManimColor, ...] = (ManimColor("#2ec4b6"), ManimColor("#e84393"),
                                        ManimColor("#badc58"), ManimColor("#a29bfe"),
                                        ManimColor("#f8a5c2"), ManimColor("#f6e58d"))
    # hidden activations compared side by side (vanishing-gradients)
    sigmoid: ManimColor = ManimColor("#ef476f")     # raspberry: the sigmoid network's numbers
    tanh: ManimColor = ManimColor("#a4b0ff")        # periwinkle: the tanh network's numbers
    relu: ManimColor = ManimColor("#06d6a0")        # jade: the ReLU network's numbers
    # a network diagram's edges: the sign of the weight (the thickness shows its size)
    weight_positive: ManimColor = ManimColor("#83c167")   # w's green
    weight_negative: ManimColor = ManimColor("#e5534b")   # red
    # the two classes of a binary classifier (y = +1 / y = 1, and y = -1 / y = 0); a probability
    # field blends from negative to positive
    positive: ManimColor = ManimColor("#ff79c6")    # magenta: class 1 (+1)
    negative: ManimColor = ManimColor("#58c4dd")    # blue: class 0 (-1)
    activation: ManimColor = ManimColor("#ffd866")  # yellow: an activation f(z) (the unit's output)
    saturated: ManimColor = ManimColor("#8b8f98")   # grey band: where f'(z) passes ~no gradient
    hinge: ManimColor = ManimColor("#a29bfe")       # lavender: the hinge loss (by the criterion)
    theta: ManimColor = ManimColor("#83c167")       # green: the parameter theta (1-D lessons)
    # each optimizer's path and curves (categorical; only ever means "this optimizer")
    sgd: ManimColor = ManimColor("#ffd866")         # yellow: plain gradient descent (a path)
    momentum: ManimColor = ManimColor("#7bd88f")    # green: momentum
    rmsprop: ManimColor = ManimColor("#5ab0f6")     # blue: RMSProp
    adam: ManimColor = ManimColor("#e36ce4")        # magenta: Adam
    # attention (chapter 5): a query, a key, a value, and the attention weights
    query: ManimColor = ManimColor("#ffd866")       # yellow: q, the token asking
    key: ManimColor = ManimColor("#83c167")         # green: k, what each token offers to match
    value: ManimColor = ManimColor("#c792ea")       # purple: v, what each token hands over
    attention: ManimColor = ManimColor("#4fd6be")   # teal: a softmax weight (a probability)
    # the transformer block and its ablations, compared side by side (categorical; only ever
    # means "this variant"): the whole block, the block without its residual connections, and
    # without its layer norms
    block: ManimColor = ManimColor("#eceff4")       # snow: the whole block
    no_residual: ManimColor = ManimColor("#ff8fab")     # rose
    no_layer_norm: ManimColor = ManimColor("#b8e986")   # lime
    # position (chapter 5): a token's place in the sequence, and its positional encoding
    position: ManimColor = ManimColor("#7aa2f7")    # cornflower
    # attention trained with and without positions (categorical, as the block's variants: snow
    # is the complete model, rose the one missing a part)
    with_positions: ManimColor = ManimColor("#eceff4")
    without_positions: ManimColor = ManimColor("#ff8fab")

    def optimizer(self, name: str) -> ManimColor:
        """The colour of optimizer ``name`` (``"sgd"``, ``"momentum"``, ``"rmsprop"``,
        ``"adam"``)."""
        return getattr(self, name)

    def tex_colors(self) -> dict[str, ManimColor]:
        """``tex_to_color_map`` for MathTex: each symbol's LaTeX to its colour."""
        return {
            "w": self.w, "b": self.b, r"\hat y": self.prediction, r"\hat{y}": self.prediction,
            r"\mathrm{MSE}": self.loss, r"\eta": self.eta, r"\nabla": self.gradient,
        }


NOTATION = Notation()

# ------------------------------------------------------------------------------------------ fonts
FONT = "DejaVu Sans"
FONT_SIZE_TITLE = 44
FONT_SIZE_HEADING = 32
FONT_SIZE_BODY = 26
FONT_SIZE_MATH = 34
FONT_SIZE_BOARD = 42          # a derivation on the board, one step at a time
FONT_SIZE_LABEL = 22
FONT_SIZE_CAPTION = 22
FONT_SIZE_SMALL = 20

# ---------------------------------------------------------------------------------------- spacing
# Manim's frame is 14.22 x 8 units at 16:9. Everything stays inside the safe area, and the caption
# band at the bottom belongs to the captions alone.
FRAME_WIDTH = 14.222
FRAME_HEIGHT = 8.0
SAFE_MARGIN = 0.35                 # kept clear at every edge
CAPTION_BAND_HEIGHT = 1.05         # bottom band for the on-screen captions
TITLE_BAND_HEIGHT = 0.9            # top band for the lesson heading
GAP_SMALL = 0.15
GAP = 0.3
GAP_LARGE = 0.6

@dataclass(frozen=True)
class Region:
    """A named rectangle of the frame (scene units). Scenes place things by region: at its
    :attr:`center` or an edge, or at :meth:`at` (a point given relative to the centre), never at
    a bare coordinate written into ``construct()``."""

    name: str
    left: float
    right: float
    bottom: float
    top: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.top - self.bottom

    @property
    def center(self) -> np.ndarray:
        return np.array([(self.left + self.right) / 2, (self.bottom + self.top) / 2, 0.0])

    def at(self, dx: float = 0.0, dy: float = 0.0) -> np.ndarray:
        """The point ``(dx, dy)`` from the region's centre."""
        return self.center + np.array([dx, dy, 0.0])

    def x_at(self, fraction: float) -> float:
        """The x a ``fraction`` of the way across (0: left edge, 1: right edge)."""
        return self.left + fraction * self.width

    def y_at(self, fraction: float) -> float:
        """The y a ``fraction`` of the way up (0: bottom edge, 1: top edge)."""
        return self.bottom + fraction * self.height


_HALF_W, _HALF_H = FRAME_WIDTH / 2, FRAME_HEIGHT / 2
#: the whole frame
FRAME = Region("frame", -_HALF_W, _HALF_W, -_HALF_H, _HALF_H)
#: inside the safe margin at every edge
SAFE = Region("safe", -_HALF_W + SAFE_MARGIN, _HALF_W - SAFE_MARGIN, -_HALF_H + SAFE_MARGIN,
              _HALF_H - SAFE_MARGIN)
#: the lesson heading's band at the top
HEADING = Region("heading", SAFE.left, SAFE.right, SAFE.top - TITLE_BAND_HEIGHT, SAFE.top)
#: the captions' band at the bottom (nothing else is drawn there)
CAPTION = Region("caption", SAFE.left, SAFE.right, -_HALF_H + SAFE_MARGIN / 2,
                 -_HALF_H + SAFE_MARGIN / 2 + CAPTION_BAND_HEIGHT)
#: where a lesson draws: between the heading and the captions
STAGE = Region("stage", SAFE.left, SAFE.right, CAPTION.top, HEADING.bottom)
#: the stage's left and right halves (a plot beside a board, two panels side by side)
LEFT = Region("left", STAGE.left, 0.0, STAGE.bottom, STAGE.top)
RIGHT = Region("right", 0.0, STAGE.right, STAGE.bottom, STAGE.top)

# Animation pacing (seconds); beats stretch their final wait to the narration's length.
FADE_TIME = 0.6
WRITE_TIME = 1.2
TRANSFORM_TIME = 1.0

# Points and strokes
DOT_RADIUS = 0.06
STROKE_THIN = 1.5
STROKE = 3.0
STROKE_THICK = 5.0
