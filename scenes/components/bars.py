"""Grouped bars on a logarithmic axis: one group per index (a layer), one bar per series (an
activation), heights ``log10(value)`` above the panel's floor. The panel only draws the numbers it
is given; the animations are played by the scene."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from manim import DOWN, UP, Axes, MathTex, Rectangle, ValueTracker, VGroup, VMobject, always_redraw
from manim.utils.color import ParsableManimColor
from numpy.typing import ArrayLike

from mlv.scenes import style


class Bar(Rectangle):
    """One bar of a :class:`LogBarPanel`; :attr:`value` is the number it shows."""

    def __init__(self, value: float, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.value = float(value)


class LogBarPanel(VGroup):
    """Axes with groups ``1..n_groups`` along x and powers of ten along y.

    Parameters
    ----------
    n_groups : int
        Number of bar groups (x positions ``1 .. n_groups``).
    series : sequence of (name, colour)
        The bars of each group, left to right.
    exponents : (int, int)
        The y axis runs from ``10**lo`` (the floor: smaller values are drawn as empty bars) to
        ``10**hi``.
    tick : int
        A labelled power of ten every ``tick`` decades.
    """

    def __init__(self, n_groups: int, series: Sequence[tuple[str, ParsableManimColor]], *,
                 exponents: tuple[int, int], width: float, height: float, x_label: str = "",
                 y_label: str = "", y_label_color: ParsableManimColor | None = None,
                 tick: int = 2, bar_fill: float = 0.8) -> None:
        super().__init__()
        self.n_groups = int(n_groups)
        self.series = tuple(series)
        self.lo, self.hi = int(exponents[0]), int(exponents[1])
        self.axes = Axes(
            x_range=[0.4, self.n_groups + 0.6, 1], y_range=[0, self.hi - self.lo, tick],
            x_length=width, y_length=height, tips=False,
            axis_config={"color": style.MUTED, "stroke_width": style.STROKE_THIN},
            x_axis_config={"include_ticks": False},
        )
        powers: dict[float, str | float | VMobject] = {
            j: MathTex(f"10^{{{self.lo + j}}}", color=style.MUTED)
            for j in range(0, self.hi - self.lo + 1, tick)}
        self.axes.y_axis.add_labels(powers, font_size=style.FONT_SIZE_SMALL)
        self.group_labels = VGroup(*[
            MathTex(str(g), font_size=style.FONT_SIZE_SMALL, color=style.MUTED)
            .next_to(self.axes.c2p(g, 0), DOWN, buff=style.GAP_SMALL)
            for g in range(1, self.n_groups + 1)])
        labels = VGroup()
        if x_label:
            xl = MathTex(x_label, font_size=style.FONT_SIZE_LABEL, color=style.FOREGROUND)
            xl.next_to(self.group_labels, DOWN, buff=style.GAP_SMALL)
            labels.add(xl)
        if y_label:
            yl = MathTex(y_label, font_size=style.FONT_SIZE_LABEL,
                         color=y_label_color or style.FOREGROUND)
            yl.next_to(self.axes.y_axis.get_end(), UP, buff=style.GAP_SMALL)
            labels.add(yl)
        self.labels = labels
        self.frame = VGroup(self.axes, self.group_labels, labels)
        self.bar_width = bar_fill * self.axes.x_axis.unit_size / max(1, len(self.series))
        self.add(self.frame)

    def height_of(self, value: float) -> float:
        """Bar height in axis units (decades above the floor), 0 for values at or below it."""
        v = float(value)
        if not v > 0:
            return 0.0
        return float(np.clip(np.log10(v) - self.lo, 0.0, self.hi - self.lo))

    def bar(self, s: int, g: int, value: float) -> Bar:
        """The bar of series ``s`` (0-based) in group ``g`` (1-based) for ``value``."""
        name, colour = self.series[s]
        offset = (s - (len(self.series) - 1) / 2) * self.bar_width
        base = self.axes.c2p(g, 0)
        top = self.axes.c2p(g, self.height_of(value))
        h = max(top[1] - base[1], 1e-3)
        rect = Bar(value, width=self.bar_width * 0.92, height=h, stroke_width=0,
                   fill_color=colour, fill_opacity=0.9)
        rect.move_to(base + [offset, h / 2, 0])
        return rect

    def bars(self, s: int, values: ArrayLike) -> VGroup:
        """The bars of series ``s`` for ``values`` (one per group, group 1 first)."""
        heights = np.asarray(values, float)
        if heights.shape != (self.n_groups,):
            raise ValueError(f"need {self.n_groups} values, got shape {heights.shape}")
        return VGroup(*[self.bar(s, g, v) for g, v in enumerate(heights, start=1)])

    def tracked_bars(self, s: int, table: ArrayLike, tracker: ValueTracker) -> VGroup:
        """Bars of series ``s`` that follow ``table[int(tracker)]`` (``table`` of shape
        (n_steps, n_groups))."""
        rows = np.asarray(table, float)
        last = len(rows) - 1
        return always_redraw(lambda: self.bars(
            s, rows[min(last, int(round(tracker.get_value())))]))
