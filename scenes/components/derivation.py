"""A derivation on the board: the checked steps of a :class:`~derivations.steps.Derivation`,
each morphing into the next (matched by the step's stable LaTeX groups) with its reason beneath."""
from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping
from pathlib import Path

from manim import DOWN, AnimationGroup, FadeIn, FadeOut, MathTex, Text, TransformMatchingTex, Write
from manim.typing import Point3DLike
from manim.utils.color import ParsableManimColor

from mlv.derivations import Derivation, check
from mlv.scenes import style


class DerivationLatexError(ValueError):
    """A derivation step's LaTeX does not compile: names the derivation, the step (numbered as
    ``mlv check`` numbers them) and LaTeX's own first error line from its log."""

    def __init__(self, derivation_id: str, step: int, exc: Exception) -> None:
        self.derivation_id, self.step = derivation_id, step
        super().__init__(f"derivation {derivation_id} step {step}: LaTeX error: "
                         f"{latex_error_line(exc)}")


def latex_error_line(exc: Exception) -> str:
    """The first ``! ...`` line of the log manim names in ``exc`` (with the token TeX stopped
    at), else the exception's own text."""
    text = str(exc)
    found = re.search(r"log file: (\S+\.log)", text)
    if found:
        try:
            lines = Path(found.group(1)).read_text(errors="replace").splitlines()
        except OSError:
            lines = []
        for i, line in enumerate(lines):
            if line.startswith("!"):
                # TeX breaks the next line where it stopped: its last token is the culprit
                at = re.search(r"(\\[A-Za-z@]+|\S)\s*$", lines[i + 1]) \
                    if i + 1 < len(lines) and not lines[i + 1].startswith("l.") else None
                return line.strip() + (f" (at {at.group(1)})" if at else "")
    return " ".join(text.split())


class DerivationPanel:
    """Shows ``lhs = step`` one step at a time, centred on ``centre``.

    The derivation is proven (:func:`derivations.check`) when the panel is built: a step that is
    not proven is never shown. The panel is not a mobject; its animations add and remove the
    equation and the reason on the scene. While a step is shown, :attr:`equation` and
    :attr:`reason` are its mobjects.
    """

    def __init__(self, derivation: Derivation, *, centre: Point3DLike, max_width: float,
                 font_size: float = style.FONT_SIZE_MATH,
                 lhs_color: ParsableManimColor | None = None,
                 display: Mapping[str, str] | None = None,
                 reason_chars: int | None = None) -> None:
        report = check(derivation)
        bad = report.first_failure
        if bad is not None:
            raise ValueError(f"derivation {derivation.id} step {bad.index} is not proven: "
                             f"{bad.detail}")
        self.derivation = derivation
        self.centre = centre
        self.max_width = max_width
        self.font_size = font_size
        # the quantity derived (by default a loss)
        self.lhs_color = lhs_color or style.NOTATION.loss
        # display shorthands, LaTeX to LaTeX (the long logit inside sigma shown as z_i),
        # applied to every group the same way, so the proven steps still morph group by group
        self.display = dict(display or {})
        self.reason_chars = reason_chars        # wrap long reasons at this many characters a line
        self.k = -1
        self._equation: MathTex | None = None
        self._reason: Text | None = None

    @property
    def equation(self) -> MathTex:
        """The equation of the step shown."""
        if self._equation is None:
            raise RuntimeError(f"derivation {self.derivation.id}: no step is shown")
        return self._equation

    @property
    def reason(self) -> Text:
        """The reason of the step shown."""
        if self._reason is None:
            raise RuntimeError(f"derivation {self.derivation.id}: no step is shown")
        return self._reason

    def equation_for(self, k: int) -> MathTex:
        step = self.derivation.steps[k]
        try:
            eq = MathTex(self._shown(self.derivation.lhs), "=",
                         *[self._shown(g) for g in step.groups], font_size=self.font_size,
                         color=style.FOREGROUND)
        except (ValueError, RuntimeError) as exc:       # manim's LaTeX failures
            raise DerivationLatexError(self.derivation.id, k, exc) from exc
        eq[0].set_color(self.lhs_color)
        if eq.width > self.max_width:
            eq.scale_to_fit_width(self.max_width)
        return eq.move_to(self.centre)

    def _shown(self, tex: str) -> str:
        for old, new in self.display.items():
            tex = tex.replace(old, new)
        return tex

    def reason_for(self, k: int, eq: MathTex) -> Text:
        text = self.derivation.steps[k].reason
        if self.reason_chars:
            text = "\n".join(textwrap.wrap(text, self.reason_chars))
        r = Text(text, font=style.FONT, font_size=style.FONT_SIZE_LABEL, color=style.MUTED)
        if r.width > self.max_width:
            r.scale_to_fit_width(self.max_width)
        return r.next_to(eq, DOWN, buff=style.GAP_LARGE)

    def make_step_animation(self, k: int, *,
                            run_time: float = style.TRANSFORM_TIME) -> AnimationGroup:
        """Show step ``k``: written out if nothing is shown yet, else morphed from the step
        shown."""
        eq = self.equation_for(k)
        reason = self.reason_for(k, eq)
        if self._equation is None:
            anim = AnimationGroup(Write(eq), FadeIn(reason), run_time=run_time)
        else:
            anim = AnimationGroup(TransformMatchingTex(self._equation, eq),
                                  FadeOut(self.reason), FadeIn(reason), run_time=run_time)
        self._equation, self._reason, self.k = eq, reason, k
        return anim

    def make_clear_animation(self, *, run_time: float = style.FADE_TIME) -> AnimationGroup:
        """Fade out the step shown."""
        anim = AnimationGroup(FadeOut(self.equation), FadeOut(self.reason), run_time=run_time)
        self._equation = self._reason = None
        self.k = -1
        return anim
