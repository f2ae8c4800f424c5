"""Live numbers: ``w = +1.2345`` rows that follow a trajectory step by step.

Manim's ``DecimalNumber.set_value`` costs tens of milliseconds (it deep-copies cached glyphs), which
made a training animation spend most of its time redrawing three numbers. :class:`LiveNumber` lays
a number out exactly as ``DecimalNumber`` does from glyph outlines cached per character, so a new
value costs a few new paths instead of deep copies.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from manim import DOWN, LEFT, RIGHT, DecimalNumber, MathTex, VGroup, VMobject
from manim.utils.color import ParsableManimColor

from mlv.scenes import style

# the outlines of each (character, font size), with the glyph's width and height
_GLYPHS: dict[tuple[str, float], tuple[list[np.ndarray], float, float]] = {}

#: a readout row: (name, tex, colour) or (name, tex, colour, decimals)
Row = tuple[str, str, ParsableManimColor] | tuple[str, str, ParsableManimColor, int]


class LiveNumber(VMobject):
    """A number shown with ``decimals`` places, cheap to change every frame.

    It lays the glyphs out exactly as ``DecimalNumber`` does (keeping its left edge in place as the
    value changes, like a number that follows an ``=``) (glyph boxes side by side with the
    same gap, bottoms aligned, a minus sign raised to the middle of the next digit), from glyph
    outlines cached per character. ``number`` is the exact value shown and ``text`` its string.
    """

    def __init__(self, value: float = 0.0, *, decimals: int = 3, include_sign: bool = True,
                 font_size: float = style.FONT_SIZE_BODY,
                 color: ParsableManimColor = style.FOREGROUND, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.decimals, self.include_sign, self.size = decimals, include_sign, font_size
        self.colour = color
        self._template = DecimalNumber(0, num_decimal_places=decimals, include_sign=include_sign,
                                       group_with_commas=False, font_size=font_size)
        self.number = float("nan")
        self.text = ""
        self.set_value(value)

    def _format(self, value: float) -> str:
        return self._template._get_num_string(value)

    def _glyph(self, ch: str) -> tuple[list[np.ndarray], float, float]:
        key = (ch, self.size)
        if key not in _GLYPHS:
            g = self._template._string_to_mob(ch)
            corner = g.get_corner(DOWN + LEFT)
            _GLYPHS[key] = ([p.points - corner for p in g.family_members_with_points()],
                            g.width, g.height)
        return _GLYPHS[key]

    def set_value(self, value: float) -> LiveNumber:
        value = float(value)
        text = self._format(value)
        self.number = value
        if text == self.text:
            return self
        anchor = self.get_left() if self.text else None      # numbers grow to the right
        buff = self._template.digit_buff_per_font_unit * self.size
        glyphs = [self._glyph(ch) for ch in text]
        x, offsets = 0.0, []
        for i, (ch, (_, w, h)) in enumerate(zip(text, glyphs)):
            y = 0.0
            if ch == "-" and i + 1 < len(text):
                y = glyphs[i + 1][2] / 2 - h          # DecimalNumber's minus-sign rule
            offsets.append(np.array([x, y, 0.0]))
            x += w + buff
        parts = []
        for (outlines, _, _), off in zip(glyphs, offsets):
            for outline in outlines:
                part = VMobject(fill_color=self.colour, fill_opacity=1.0, stroke_width=0)
                part.set_points(outline + off)
                parts.append(part)
        self.submobjects = parts
        self.text = text
        if anchor is not None:
            self.shift(anchor - self.get_left())
        else:
            self.shift(-self.get_center())
        return self

    def get_value(self) -> float:
        return self.number


class Readout(VGroup):
    """Rows of ``symbol = value``; :meth:`show` sets the values of one trajectory step.

    Parameters
    ----------
    rows : sequence of (name, tex, colour) or (name, tex, colour, decimals)
        ``name`` is the key used in :meth:`show` (``"w"``, ``"loss"``), ``tex`` its symbol; a
        row's own ``decimals`` of 0 shows a count (no sign, no decimal point).
    decimals : int
        Decimal places shown by rows that do not give their own.
    horizontal : bool
        One line of rows instead of a column.
    signed : bool
        Show a ``+`` on positive values (parameters); False for quantities that are never
        negative (a loss, a count).
    """

    def __init__(self, rows: Sequence[Row], *, decimals: int = 3,
                 font_size: float = style.FONT_SIZE_BODY, horizontal: bool = False,
                 signed: bool = True) -> None:
        super().__init__()
        self.numbers: dict[str, LiveNumber] = {}
        lines = []
        for row in rows:
            name, tex, colour = row[0], row[1], row[2]
            places = row[3] if len(row) == 4 else decimals
            sym = MathTex(tex, "=", font_size=font_size)
            sym[0].set_color(colour)
            num = LiveNumber(0.0, decimals=places, include_sign=signed and places > 0,
                             font_size=font_size, color=colour)
            num.next_to(sym, RIGHT, buff=style.GAP_SMALL)
            self.numbers[name] = num
            lines.append(VGroup(sym, num))
        if horizontal:
            self.rows = VGroup(*lines).arrange(RIGHT, buff=style.GAP_LARGE * 1.5)
        else:
            self.rows = VGroup(*lines).arrange(DOWN, aligned_edge=LEFT, buff=style.GAP)
            for line in self.rows:      # align the "=" signs
                line.shift((self.rows[0][0][1].get_x() - line[0][1].get_x()) * RIGHT)
        self.add(self.rows)

    # shadows manim's Mobject.show(camera), a debugging preview nothing here calls
    def show(self, values: Mapping[str, float]) -> Readout:  # type: ignore[override]
        """Set every row from ``values`` (a trajectory's ``at(k)``)."""
        for name, num in self.numbers.items():
            num.set_value(values[name])
        return self

    def displayed(self) -> dict[str, float]:
        """The numbers currently on screen."""
        return {name: num.get_value() for name, num in self.numbers.items()}

    def displayed_text(self) -> dict[str, str]:
        """The strings currently on screen (``"+1.2345"``)."""
        return {name: num.text for name, num in self.numbers.items()}
