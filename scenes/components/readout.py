"""Live numbers: ``w = 1.234`` rows that follow a trajectory step by step."""
from __future__ import annotations

from manim import DOWN, LEFT, RIGHT, DecimalNumber, MathTex, VGroup

from scenes import style


class Readout(VGroup):
    """Rows of ``symbol = value``; :meth:`show` sets the values of one trajectory step.

    Parameters
    ----------
    rows : sequence of (name, tex, colour)
        ``name`` is the key used in :meth:`show` (``"w"``, ``"loss"``), ``tex`` its symbol.
    decimals : int
        Decimal places shown.
    """

    def __init__(self, rows, *, decimals: int = 3, font_size: float = style.FONT_SIZE_BODY,
                 horizontal: bool = False):
        super().__init__()
        self.decimals = decimals
        self.numbers: dict[str, DecimalNumber] = {}
        lines = []
        for name, tex, colour in rows:
            sym = MathTex(tex, "=", font_size=font_size)
            sym[0].set_color(colour)
            num = DecimalNumber(0, num_decimal_places=decimals, font_size=font_size, color=colour,
                                include_sign=True)
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

    def show(self, values: dict[str, float]) -> "Readout":
        """Set every row from ``values`` (a trajectory's ``at(k)``)."""
        for name, num in self.numbers.items():
            num.set_value(values[name])
        return self

    def displayed(self) -> dict[str, float]:
        """The numbers currently on screen."""
        return {name: num.get_value() for name, num in self.numbers.items()}
