"""A probability field over a 2-D input plane: a colour map of ``P(y = 1 | x)`` and its contour
lines, drawn from a grid computed in ``algorithms/`` (the scene never evaluates the model)."""
from __future__ import annotations

import contourpy
import numpy as np
from manim import Axes, ImageMobject, ManimColor, VGroup, VMobject
from manim.utils.color import ParsableManimColor
from numpy.typing import ArrayLike

from mlv.scenes import style
from mlv.scenes.components.panels import level_lines, points_on


def _rgb(colour: ManimColor) -> np.ndarray:
    return np.array(colour.to_rgb(), float)


def field_image(axes: Axes, x_values: ArrayLike, y_values: ArrayLike, grid: ArrayLike, *,
                low: ManimColor | None = None, high: ManimColor | None = None,
                strength: float = 0.55) -> ImageMobject:
    """The grid as an image filling the axes' box: ``low``'s colour where ``P = 0``, ``high``'s
    where ``P = 1``, the background at ``P = 1/2`` (an undecided point is not coloured).

    Parameters
    ----------
    x_values, y_values : ndarray of shape (g1,), (g2,)
        The grid; it must span the axes' ranges.
    grid : ndarray of shape (g2, g1)
        Probabilities, ``grid[j, i]`` at ``(x_values[i], y_values[j])``.
    strength : float
        How far from the background the most certain colour goes (0..1).
    """
    n = style.NOTATION
    low_rgb, high_rgb = _rgb(low or n.negative), _rgb(high or n.positive)
    bg = _rgb(style.BACKGROUND)
    p = np.asarray(grid, float)[::-1]                     # image rows run top to bottom
    t = np.clip(2 * np.abs(p - 0.5), 0, 1)[..., None] * strength
    colour = np.where((p >= 0.5)[..., None], high_rgb, low_rgb)
    rgb = bg + t * (colour - bg)
    img = ImageMobject(np.round(255 * rgb).astype(np.uint8))
    xs, ys = np.asarray(x_values, float), np.asarray(y_values, float)
    lo, hi = axes.c2p(xs[0], ys[0]), axes.c2p(xs[-1], ys[-1])
    img.stretch_to_fit_width(hi[0] - lo[0]).stretch_to_fit_height(hi[1] - lo[1])
    img.move_to((lo + hi) / 2)
    return img


def contour_lines(axes: Axes, x_values: ArrayLike, y_values: ArrayLike, grid: ArrayLike,
                  level: float = 0.5, *, color: ParsableManimColor | None = None,
                  stroke_width: float = style.STROKE) -> VGroup:
    """The ``level`` contour of the grid as polylines on ``axes`` (empty where the grid never
    crosses it, e.g. a constant field)."""
    gen = contourpy.contour_generator(np.asarray(x_values, float), np.asarray(y_values, float),
                                      np.asarray(grid, float))
    lines = VGroup()
    for seg in level_lines(gen, level):
        line = VMobject(stroke_color=color or style.NOTATION.prediction,
                        stroke_width=stroke_width)
        line.set_points_as_corners(points_on(axes, seg[:, 0], seg[:, 1]))
        lines.add(line)
    return lines
