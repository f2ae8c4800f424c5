"""Numbers as the narration writes them: the one place that turns numbers into narration.

Scenes word their narration from the lesson data (:mod:`mlv.algorithms`); whenever a number
appears in a beat, it goes through one of these functions, so "−6" (said "minus 6"),
"2.6 × 10⁻⁸" (said "2.6 times 10 to the minus 8") and "within one millionth" read and sound the
same in every lesson. They return beat source text: a negative number or a power of ten is
inline math (``$-6$``, ``$2.6\times 10^{-8}$``), which :mod:`mlv.scenes.mathtext` shows as math
and speaks in words; use them in prose, not inside another ``$...$`` (there, format the number
itself: ``rf"$\theta = {x:g}$"``). Nothing here imports manim.
"""
from __future__ import annotations

import math


def signed(v: float) -> str:
    """``-6`` as ``$-6$`` (shown "−6", said "minus 6"); other numbers as ``:g`` formats them
    (minus zero as ``0``)."""
    return f"$-{abs(v):g}$" if v < 0 else f"{v + 0.0:g}"


def mantissa_exponent(x: float) -> tuple[float, int]:
    """``x > 0`` as ``(m, e)`` with ``x ~ m * 10**e``, ``1 <= m < 10`` to one decimal."""
    e = math.floor(math.log10(x))
    m = round(x / 10 ** e, 1)
    if m >= 10:
        m, e = m / 10, e + 1
    return m, e


def scientific(x: float) -> str:
    """``2.6e-8`` as ``$2.6\\times 10^{-8}$`` (shown "2.6 × 10⁻⁸", said "2.6 times 10 to the
    minus 8")."""
    return f"${scientific_tex(x)}$"


def scientific_tex(x: float) -> str:
    """``2.6e-8`` as LaTeX, for the board and inside inline math: ``2.6\\times 10^{-8}``."""
    m, e = mantissa_exponent(x)
    return f"{m:g}" + r"\times 10^{" + str(e) + "}"


def percent(x: float) -> str:
    """A percentage ``x > 0`` in narration (the word "percent" is the caller's): whole numbers from
    1 up (``61``), two decimals below (``0.88``), and :func:`scientific` below 0.01."""
    return f"{x:.0f}" if x >= 1 else f"{x:.2f}" if x >= 0.01 else scientific(x)


def percent_tex(x: float) -> str:
    """The board's form of :func:`percent`: the same digits, :func:`scientific_tex` below 0.01."""
    return f"{x:.0f}" if x >= 1 else f"{x:.2f}" if x >= 0.01 else scientific_tex(x)


def closeness(err: float) -> str:
    """How close two results are, as said after "agree ... to": ``within one millionth`` below
    1e-6, else ``within 0.0012`` (two significant digits)."""
    return "within one millionth" if err < 1e-6 else f"within {err:.2g}"


def decimals(x: float, places: int) -> str:
    """``x`` to ``places`` decimals: ``0.118``, ``2.9``, ``$-0.5$`` (said "minus 0.5")."""
    text = f"{abs(x):.{places}f}"
    return f"$-{text}$" if x < 0 and float(text) != 0 else text


def power_of_ten(e: int) -> str:
    """``10**e`` as ``$10^{-13}$`` (shown "10⁻¹³", said "10 to the minus 13")."""
    return f"$10^{{{e}}}$"
