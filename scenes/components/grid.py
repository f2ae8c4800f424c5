"""A matrix drawn as coloured cells with its numbers, and a row of probability bars (chapter 5).

Both only draw the numbers they are given: :attr:`HeatGrid.values` and :attr:`ProbabilityBars.
values` are the arrays passed in, so a test can compare them with the lesson data.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import DOWN, LEFT, UP, Line, MathTex, Rectangle, Text, VGroup, interpolate_color
from manim.utils.color import ManimColor, ParsableManimColor
from numpy.typing import ArrayLike

from mlv.scenes import style


def _label(text: str, colour: ParsableManimColor, size: float) -> MathTex | Text:
    if text.startswith("$") and text.endswith("$"):
        # TeX glyphs at a given font_size are smaller than the UI font's: scale to match
        return MathTex(text[1:-1], font_size=1.35 * size, color=colour)
    return Text(text, font=style.FONT, font_size=size, color=colour)


class HeatGrid(VGroup):
    """``values`` (rows, cols) as a grid of cells shaded from the background (``lo``) to
    ``colour`` (``hi``), each with its number; optional row and column labels (``"$q_1$"`` is
    MathTex, anything else Text).

    Attributes
    ----------
    values : ndarray
        The numbers drawn.
    cells : VGroup of Rectangle
        Row-major.
    numbers : VGroup of Text
        Row-major; empty when ``decimals`` is None.
    """

    def __init__(self, values: ArrayLike, *, cell: float, colour: ParsableManimColor,
                 lo: float = 0.0, hi: float = 1.0, decimals: int | None = 2,
                 row_labels: Sequence[str] = (), col_labels: Sequence[str] = (),
                 label_colours: tuple[ParsableManimColor, ParsableManimColor] | None = None,
                 font_size: float = style.FONT_SIZE_SMALL,
                 label_size: float = style.FONT_SIZE_LABEL) -> None:
        super().__init__()
        self.values = np.array(values, dtype=float)
        if self.values.ndim != 2:
            raise ValueError("a HeatGrid draws a 2-D array")
        rows, cols = self.values.shape
        top = ManimColor(colour)
        self.cells = VGroup()
        self.numbers = VGroup()
        span = hi - lo if hi > lo else 1.0
        for r in range(rows):
            for c in range(cols):
                v = self.values[r, c]
                t = float(np.clip((v - lo) / span, 0.0, 1.0))
                rect = Rectangle(width=cell, height=cell, stroke_color=style.MUTED,
                                 stroke_width=style.STROKE_THIN)
                rect.set_fill(interpolate_color(style.PANEL, top, t), opacity=1.0)
                rect.move_to(np.array([c * cell, -r * cell, 0.0]))
                self.cells.add(rect)
                if decimals is not None:
                    ink = style.BACKGROUND if t > 0.6 else style.FOREGROUND
                    shown = f"{v:.{decimals}f}"
                    if float(shown) == 0.0:        # never "-0.0"
                        shown = f"{0.0:.{decimals}f}"
                    num = Text(shown, font=style.FONT, font_size=font_size,
                               color=ink)
                    num.move_to(rect)
                    self.numbers.add(num)
        # one size for every number (the widest fits its cell with a margin on both sides)
        widest = max((m.width for m in self.numbers), default=0.0)
        if widest > 0.8 * cell:
            for m in self.numbers:
                m.scale(0.8 * cell / widest)
        self.add(self.cells, self.numbers)
        rc, cc = label_colours or (style.FOREGROUND, style.FOREGROUND)
        self.row_labels = VGroup(*[_label(t, rc, label_size) for t in row_labels])
        for k, lab in enumerate(self.row_labels):
            lab.next_to(self.cells[k * cols], LEFT, buff=style.GAP_SMALL)
        self.col_labels = VGroup(*[_label(t, cc, label_size) for t in col_labels])
        for k, lab in enumerate(self.col_labels):
            lab.next_to(self.cells[k], UP, buff=style.GAP_SMALL)
        self.add(self.row_labels, self.col_labels)


class ProbabilityBars(VGroup):
    """Bars of heights ``values`` (in [0, y_max]) over a base line, each with its number above
    and its label below.

    Attributes
    ----------
    values : ndarray
        The numbers drawn.
    bars, numbers, labels : VGroup
    """

    def __init__(self, values: ArrayLike, labels: Sequence[str], *, width: float, height: float,
                 colour: ParsableManimColor, y_max: float = 1.0, decimals: int = 2) -> None:
        super().__init__()
        self.values = np.array(values, dtype=float)
        n = len(self.values)
        if len(labels) != n:
            raise ValueError("one label per bar")
        step = width / n
        self.base = Line(np.array([-width / 2, 0, 0]), np.array([width / 2, 0, 0]),
                         color=style.MUTED,
                         stroke_width=style.STROKE_THIN)
        self.bars, self.numbers, self.labels = VGroup(), VGroup(), VGroup()
        for k, (v, lab) in enumerate(zip(self.values, labels)):
            x = -width / 2 + (k + 0.5) * step
            h = max(1e-3, height * float(np.clip(v / y_max, 0.0, 1.0)))
            bar = Rectangle(width=0.6 * step, height=h, stroke_width=0)
            bar.set_fill(colour, opacity=0.85)
            bar.move_to(np.array([x, h / 2, 0]))
            self.bars.add(bar)
            num = Text(f"{v:.{decimals}f}", font=style.FONT, font_size=style.FONT_SIZE_SMALL,
                       color=style.FOREGROUND)
            num.next_to(bar, UP, buff=style.GAP_SMALL)
            self.numbers.add(num)
            text = _label(lab, style.FOREGROUND, style.FONT_SIZE_LABEL)
            text.next_to(np.array([x, 0, 0]), DOWN, buff=style.GAP_SMALL)
            self.labels.add(text)
        self.add(self.base, self.bars, self.numbers, self.labels)
