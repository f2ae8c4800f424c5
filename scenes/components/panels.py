"""Panels built from a trajectory's arrays: data with the model's line, a loss curve, a loss
contour with the parameter path. Each panel only draws numbers it is given; the animations it
returns are played by the scene."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar, cast

import contourpy
import numpy as np
from manim import (
    RIGHT,
    UP,
    Axes,
    Dot,
    Line,
    MathTex,
    Mobject,
    Star,
    ValueTracker,
    VGroup,
    VMobject,
    always_redraw,
)
from manim.typing import Point3D
from manim.utils.color import ParsableManimColor
from numpy.typing import ArrayLike

from mlv.scenes import style

M = TypeVar("M", bound=Mobject)


class AxesFrame(VGroup):
    """Axes and their labels, ``VGroup(axes, labels)``, with the axes reachable as :attr:`axes`
    (what :func:`make_axes` returns, and every panel's ``frame``)."""

    def __init__(self, axes: Axes, labels: VGroup) -> None:
        super().__init__(axes, labels)
        self.axes = axes


def make_axes(x_range: Sequence[float], y_range: Sequence[float], *, width: float, height: float,
              x_label: str = "", y_label: str = "", label_color: ParsableManimColor | None = None,
              number_decimals: int = 0, label_every: int | None = 1) -> AxesFrame:
    """Axes in the course style with MathTex labels, as an :class:`AxesFrame` (``VGroup(axes,
    labels)`` with the axes reachable as ``.axes``). Only tick values that are multiples of
    ``label_every`` keep their number (2: every other one, legible at 480p); ``None`` hides them
    all."""
    ax = Axes(
        x_range=x_range, y_range=y_range, x_length=width, y_length=height, tips=False,
        axis_config={"color": style.MUTED, "stroke_width": style.STROKE_THIN,
                     "include_numbers": True, "font_size": style.FONT_SIZE_SMALL,
                     "decimal_number_config": {"num_decimal_places": number_decimals,
                                               "color": style.MUTED}},
    )
    if label_every != 1:
        for num in (*ax.x_axis.numbers, *ax.y_axis.numbers):
            if label_every is None or abs(num.get_value()) % label_every:
                num.set_opacity(0)
    labels = VGroup()
    colour = label_color or style.FOREGROUND
    if x_label:
        xl = MathTex(x_label, font_size=style.FONT_SIZE_LABEL, color=colour)
        xl.next_to(ax.x_axis.get_end(), RIGHT, buff=style.GAP_SMALL)
        labels.add(xl)
    if y_label:
        yl = MathTex(y_label, font_size=style.FONT_SIZE_LABEL, color=colour)
        yl.next_to(ax.y_axis.get_end(), UP, buff=style.GAP_SMALL)
        labels.add(yl)
    return AxesFrame(ax, labels)


def level_lines(gen: contourpy.ContourGenerator, level: float) -> list[np.ndarray]:
    """The polylines of ``gen``'s contour at ``level``, each of shape (m, 2) with ``m >= 2``
    (single points dropped)."""
    # the generator's default line type (LineType.Separate) returns a list of (m, 2) arrays
    segments = cast(list[np.ndarray], gen.lines(level))
    return [seg for seg in segments if len(seg) >= 2]


def points_on(axes: Axes, xs: ArrayLike, ys: ArrayLike) -> np.ndarray:
    """Scene points of the coordinates ``(xs[i], ys[i])``, shape (n, 3), in one vectorised call."""
    return np.asarray(axes.c2p(np.asarray(xs, float), np.asarray(ys, float))).T


def fit_width(mob: M, width: float | None = None) -> M:
    """Scale ``mob`` down (never up) to fit ``width`` (default: the safe area's width)."""
    width = width or style.FRAME_WIDTH - 2 * style.SAFE_MARGIN
    if mob.width > width:
        mob.scale(width / mob.width)
    return mob


def nice_range(lo: float, hi: float, ticks: int = 6) -> list[float]:
    """``[start, stop, step]`` covering ``[lo, hi]`` with round tick steps."""
    span = max(hi - lo, 1e-9)
    raw = span / ticks
    mag = 10 ** np.floor(np.log10(raw))
    step = min((m * mag for m in (1, 2, 5, 10) if m * mag >= raw), default=10 * mag)
    return [float(np.floor(lo / step) * step), float(np.ceil(hi / step) * step), float(step)]


class DataPanel(VGroup):
    """A scatter of ``(x, y)`` on axes, and the line ``y_hat = w x + b`` on demand."""

    def __init__(self, x: ArrayLike, y: ArrayLike, *, width: float, height: float,
                 x_label: str = "x", y_label: str = "y") -> None:
        super().__init__()
        self.x, self.y = np.asarray(x, float), np.asarray(y, float)
        pad_x = 0.0                                   # tick rounding leaves room already
        pad_y = 0.05 * (self.y.max() - self.y.min())
        xr = nice_range(self.x.min() - pad_x, self.x.max() + pad_x)
        yr = nice_range(self.y.min() - pad_y, self.y.max() + pad_y)
        self.frame = make_axes(xr, yr, width=width, height=height, x_label=x_label,
                               y_label=y_label, number_decimals=0 if xr[2] >= 1 else 1)
        self.axes = self.frame.axes
        self.dots = VGroup(*[Dot(self.axes.c2p(a, b), radius=style.DOT_RADIUS,
                                 color=style.NOTATION.data) for a, b in zip(self.x, self.y)])
        self.add(self.frame, self.dots)

    def line(self, w: float, b: float) -> Line:
        """The model's line across the axes' x range, clipped to the y range."""
        x0, x1 = self.axes.x_range[0], self.axes.x_range[1]
        y0, y1 = self.axes.y_range[0], self.axes.y_range[1]
        xs = np.array([x0, x1])
        ys = w * xs + b
        if w != 0:  # clip to the y range so the line never leaves the panel
            lo_x = (y0 - b) / w
            hi_x = (y1 - b) / w
            xa, xb = sorted((lo_x, hi_x))
            xs = np.clip(xs, xa, xb)
            ys = w * xs + b
        ys = np.clip(ys, y0, y1)
        return Line(self.axes.c2p(xs[0], ys[0]), self.axes.c2p(xs[1], ys[1]),
                    color=style.NOTATION.prediction, stroke_width=style.STROKE)

    def residuals(self, w: float, b: float) -> VGroup:
        """Vertical segments from each point to the line: the residuals ``y_i - y_hat_i``."""
        y_hat = w * self.x + b
        y0, y1 = self.axes.y_range[0], self.axes.y_range[1]
        return VGroup(*[Line(self.axes.c2p(a, yi), self.axes.c2p(a, float(np.clip(yh, y0, y1))),
                             color=style.NOTATION.residual, stroke_width=style.STROKE_THIN)
                        for a, yi, yh in zip(self.x, self.y, y_hat)])

    def tracked_line(self, params: np.ndarray, tracker: ValueTracker) -> VMobject:
        """A line that follows ``params[int(tracker)]`` (rows of ``(w, b)``)."""
        last = len(params) - 1
        return always_redraw(lambda: self.line(*params[min(last, int(round(tracker.get_value())))]))


class LossCurvePanel(VGroup):
    """A positive quantity by step on a logarithmic axis (the loss, or its excess over the
    optimum), drawn up to a tracked step. The step axis sits at the bottom of the panel and the
    value axis is labelled in powers of ten.

    Parameters
    ----------
    steps : ndarray of shape (n_steps,)
    values : ndarray of shape (n_steps,)
        Positive values.
    floor : float
        Values below it are drawn at it (an excess that reached 0 in floating point).
    x_max : float, optional
        Make the step axis reach at least this far (another run drawn on the same axes is
        longer).
    others : sequence of ndarray, optional
        The values of other runs to be drawn on the same axes (``curve_of``): the value axis
        spans them too, so no curve leaves the panel.
    """

    def __init__(self, steps: ArrayLike, values: ArrayLike, *, width: float, height: float,
                 x_label: str = r"\text{epoch}", y_label: str = r"\mathrm{MSE}",
                 floor: float = 1e-12, x_max: float | None = None,
                 others: Sequence[ArrayLike] = ()) -> None:
        super().__init__()
        self.steps = np.asarray(steps, float)
        self.floor = floor
        logs = np.log10(np.maximum(np.asarray(values, float), floor))
        every = np.concatenate([logs, *(np.log10(np.maximum(np.asarray(v, float).ravel(), floor))
                                        for v in others)])
        hi = float(np.ceil(every.max()))
        lo = float(np.floor(every.min()))
        if hi - lo < 1:
            lo = hi - 1
        tick = max(1.0, float(np.ceil((hi - lo) / 5)))
        lo = hi - tick * np.ceil((hi - lo) / tick)
        self.lo = lo
        self.heights = logs - lo                       # 0 at the bottom of the panel
        xr = nice_range(0, max(self.steps.max(), x_max or 0.0))
        self.axes = Axes(
            x_range=xr, y_range=[0, hi - lo, tick], x_length=width, y_length=height, tips=False,
            axis_config={"color": style.MUTED, "stroke_width": style.STROKE_THIN},
            x_axis_config={"include_numbers": True, "font_size": style.FONT_SIZE_SMALL,
                           "decimal_number_config": {"num_decimal_places": 0,
                                                     "color": style.MUTED}},
        )
        powers: dict[float, str | float | VMobject] = {
            j: MathTex(f"10^{{{int(lo + j)}}}", color=style.MUTED)
            for j in np.arange(0, hi - lo + 0.5, tick)}
        self.axes.y_axis.add_labels(powers, font_size=style.FONT_SIZE_SMALL)
        xl = MathTex(x_label, font_size=style.FONT_SIZE_LABEL, color=style.FOREGROUND)
        xl.next_to(self.axes.x_axis.get_end(), RIGHT, buff=style.GAP_SMALL)
        yl = MathTex(y_label, font_size=style.FONT_SIZE_LABEL, color=style.NOTATION.loss)
        yl.next_to(self.axes.y_axis.get_end(), UP, buff=style.GAP_SMALL)
        self.frame = AxesFrame(self.axes, VGroup(xl, yl))
        self.add(self.frame)

    def curve_upto(self, k: int, color: ParsableManimColor | None = None) -> VMobject:
        k = max(1, k)
        pts = points_on(self.axes, self.steps[: k + 1], self.heights[: k + 1])
        curve = VMobject(color=color or style.NOTATION.loss, stroke_width=style.STROKE)
        curve.set_points_as_corners(pts)
        return curve

    def curve_of(self, steps: ArrayLike, values: ArrayLike, color: ParsableManimColor,
                 floor: float | None = None) -> VMobject:
        """Another run's curve on the same axes (e.g. a second start, for comparison); pass its
        values as ``others`` when making the panel so that the axes span them."""
        floor = self.floor if floor is None else floor
        steps = np.asarray(steps, float)
        heights = np.log10(np.maximum(np.asarray(values, float), floor)) - self.lo
        x_end, y_top = self.axes.x_range[1], self.axes.y_range[1]
        if steps.size and (steps.max() > x_end + 1e-9 or heights.min() < -1e-9
                           or heights.max() > y_top + 1e-9):
            raise ValueError("this curve leaves the panel: make the panel with its values in "
                             "`others` and its last step as `x_max`")
        curve = VMobject(color=color, stroke_width=style.STROKE)
        curve.set_points_as_corners(points_on(self.axes, steps, heights))
        return curve

    def tracked_curve(self, tracker: ValueTracker,
                      color: ParsableManimColor | None = None) -> VMobject:
        last = len(self.steps) - 1
        return always_redraw(lambda: self.curve_upto(min(last, int(round(tracker.get_value()))),
                                                     color))


class ContourPanel(VGroup):
    """Contours of a loss surface over two parameters, with parameter paths on top.

    Parameters
    ----------
    p_values, q_values : ndarray of shape (n_p,), (n_q,)
        Grid of the two parameters (x axis, y axis).
    surface : ndarray of shape (n_q, n_p)
        Loss on the grid (computed in ``algorithms/``).
    n_levels : int
        Number of contour levels, spaced evenly in log(loss - min).
    levels : sequence of float, optional
        The contour levels themselves (e.g. evenly spaced for a surface with no minimum, such as
        a saddle); the first is drawn the most opaque. Overrides ``n_levels``.
    """

    def __init__(self, p_values: ArrayLike, q_values: ArrayLike, surface: ArrayLike, *,
                 width: float, height: float, p_label: str = "w", q_label: str = "b",
                 n_levels: int = 12, p_color: ParsableManimColor | None = None,
                 q_color: ParsableManimColor | None = None,
                 levels: Sequence[float] | None = None) -> None:
        super().__init__()
        p_values, q_values = np.asarray(p_values, float), np.asarray(q_values, float)
        surface = np.asarray(surface, float)
        xr = nice_range(p_values.min(), p_values.max())
        yr = nice_range(q_values.min(), q_values.max())
        self.frame = make_axes([p_values.min(), p_values.max(), xr[2]],
                               [q_values.min(), q_values.max(), yr[2]],
                               width=width, height=height)
        self.axes = self.frame.axes
        labels = VGroup(
            MathTex(p_label, font_size=style.FONT_SIZE_LABEL, color=p_color or style.FOREGROUND)
            .next_to(self.axes.x_axis.get_end(), RIGHT, buff=style.GAP_SMALL),
            MathTex(q_label, font_size=style.FONT_SIZE_LABEL, color=q_color or style.FOREGROUND)
            .next_to(self.axes.y_axis.get_end(), UP, buff=style.GAP_SMALL),
        )
        lo = surface.min()
        if levels is None:
            gaps = np.geomspace((surface.max() - lo) * 2e-3, (surface.max() - lo) * 0.9, n_levels)
            values = lo + gaps
        else:
            values = np.asarray(levels, float)
        n_levels = len(values)
        gen = contourpy.contour_generator(p_values, q_values, surface)
        self.contours = VGroup()
        for j, level in enumerate(values):
            opacity = 0.35 + 0.55 * (1 - j / max(1, n_levels - 1))
            for seg in level_lines(gen, level):
                line = VMobject(stroke_color=style.NOTATION.loss, stroke_width=style.STROKE_THIN,
                                stroke_opacity=opacity)
                line.set_points_as_corners(points_on(self.axes, seg[:, 0], seg[:, 1]))
                self.contours.add(line)
        self.add(self.contours, self.frame, labels)

    def point(self, p: float, q: float) -> Point3D:
        """The scene point of the parameters ``(p, q)``."""
        return self.axes.c2p(p, q)

    def path_upto(self, params: np.ndarray, k: int, color: ParsableManimColor) -> VMobject:
        k = max(1, k)
        path = VMobject(stroke_color=color, stroke_width=style.STROKE)
        path.set_points_as_corners(points_on(self.axes, params[: k + 1, 0], params[: k + 1, 1]))
        return path

    def tracked_path(self, params: np.ndarray, tracker: ValueTracker,
                     color: ParsableManimColor) -> VGroup:
        """The path up to ``params[int(tracker)]`` and a dot at its head."""
        last = len(params) - 1

        def draw() -> VGroup:
            k = min(last, int(round(tracker.get_value())))
            return VGroup(self.path_upto(params, k, color),
                          Dot(self.axes.c2p(*params[k]), radius=style.DOT_RADIUS * 1.4,
                              color=color))
        return always_redraw(draw)

    def optimum(self, p: float, q: float) -> Star:
        """A star at the optimum ``(p, q)``."""
        return Star(n=5, outer_radius=0.14, color=style.NOTATION.optimum, fill_opacity=1).move_to(
            self.axes.c2p(p, q))
