"""The course's look: one colour per symbol, font sizes and named spacing.

Every scene and component reads these values at call time; no scene hard-codes a colour, a font size
or a position. A symbol keeps its colour in every scene of the course (w is always ``W``'s colour,
the loss always ``LOSS``'s...), so a student learns the colour once.
"""
from __future__ import annotations

from dataclasses import dataclass

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
    hinge: ManimColor = ManimColor("#a29bfe")       # lavender: the hinge loss (beside the criterion)
    theta: ManimColor = ManimColor("#83c167")       # green: the parameter theta (1-D lessons)
    # each optimizer's path and curves (categorical; only ever means "this optimizer")
    sgd: ManimColor = ManimColor("#ffd866")         # yellow: plain gradient descent (a path)
    momentum: ManimColor = ManimColor("#7bd88f")    # green: momentum
    rmsprop: ManimColor = ManimColor("#5ab0f6")     # blue: RMSProp
    adam: ManimColor = ManimColor("#e36ce4")        # magenta: Adam

    def optimizer(self, name: str) -> ManimColor:
        """The colour of optimizer ``name`` (``"sgd"``, ``"momentum"``, ``"rmsprop"``, ``"adam"``)."""
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

# Animation pacing (seconds); beats stretch their final wait to the narration's length.
FADE_TIME = 0.6
WRITE_TIME = 1.2
TRANSFORM_TIME = 1.0

# Points and strokes
DOT_RADIUS = 0.06
STROKE_THIN = 1.5
STROKE = 3.0
STROKE_THICK = 5.0
