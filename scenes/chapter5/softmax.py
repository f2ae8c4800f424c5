"""``softmax``: three scores become probabilities; temperature; the Jacobian
ds_i/dz_j = s_i (delta_ij - s_j) and the gradient p - y of softmax with cross-entropy, proven;
the naive form overflowing on real numbers and the stable form that does not."""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
from manim import FadeIn, FadeOut, MathTex, ReplacementTransform, Text, VGroup

from mlv.algorithms.lessons_attention import SoftmaxLesson, softmax_lesson
from mlv.scenes import style
from mlv.scenes.components.grid import ProbabilityBars
from mlv.scenes.lesson import LessonScene
from mlv.scenes.narration import Beat, Narration
from mlv.scenes.script import Script

if TYPE_CHECKING:
    from mlv.scenes.components.derivation import DerivationPanel


def _list(values: np.ndarray, places: int) -> str:
    """``0.66, 0.24 and 0.10`` (as said and as written)."""
    parts = [f"{v:.{places}f}" for v in values]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def script(params: Mapping[str, Any]) -> Script:
    L = softmax_lesson()
    s, J = L.probabilities, L.jacobian
    t_lo, t_hi = L.temperatures[0], L.temperatures[-1]
    top = int(np.argmax(L.scores))
    narration = Narration(
        Beat("scores", f"Attention, like every classifier, ends with scores that must become "
                       f"probabilities. Take three scores: {_list(L.scores, 1)}."),
        Beat("softmax", f"Softmax takes $e$ to the power of each score and divides by their sum. "
                        f"That gives {_list(s, 2)}: all positive, and they add up to one."),
        Beat("temperature", f"Dividing the scores by a temperature $T$ first sets how sharp "
                            f"it is: at $T = {t_lo:g}$ the top score gets "
                            f"{L.tempered[0, top]:.2f}, at $T = {t_hi:g}$ only "
                            f"{L.tempered[-1, top]:.2f}."),
        Beat("jacobian", "To train through softmax we need its derivative. Every output depends "
                         "on every score, so the derivative is a matrix, the Jacobian."),
        Beat("diagonal", "On the diagonal, the quotient rule and a split fraction give "
                         "$s_1(1 - s_1)$."),
        Beat("off", r"Off the diagonal the numerator does not move, and what is left is "
                    r"$-s_1 s_2$. Together: $s_i(\delta_{ij} - s_j)$."),
        Beat("numbers", f"For our scores the first diagonal entry is {J[0, 0]:.2f} and the entry "
                        f"off it is ${J[0, 1]:.2f}$. Each column sums to zero, "
                        f"because the probabilities always sum to one."),
        Beat("cross-entropy", r"Put cross-entropy on top, $-\sum_k y_k \log s_k$, and the "
                              r"chain rule runs through that same Jacobian."),
        Beat("p-minus-y", "Each $s_k$ cancels its $1/s_k$, the labels sum to one, and what "
                          "is left is $p - y$: the probabilities minus the labels."),
        Beat("overflow", f"One practical trap: add {L.big_scores[0] - L.scores[0]:g} to each "
                         f"score. $e^{{{L.big_scores[0]:g}}}$ overflows a 64-bit float, so the "
                         f"textbook formula returns not a number, three times."),
        Beat("stable", f"Subtracting the largest score first changes nothing in exact arithmetic "
                       f"and keeps every exponent at most zero: the stable form gives "
                       f"{_list(L.stable, 2)} again."),
    )
    numbers = {"probability of the top score": float(s[top]),
               f"top probability at T = {t_lo:g}": float(L.tempered[0, top]),
               f"top probability at T = {t_hi:g}": float(L.tempered[-1, top]),
               "Jacobian entry (1, 1)": float(J[0, 0]), "Jacobian entry (1, 2)": float(J[0, 1]),
               "scores that overflow": int(np.sum(L.overflowed))}
    return Script(narration, L, numbers)


BARS_W, BARS_H = 4.6, 2.4
BARS_DY = -0.9 - style.LEFT.center[1]
LINE_DY = 2.2 - style.LEFT.center[1]
NOTE_DY = 1.5 - style.LEFT.center[1]
BOARD_DY = 1.2 - style.RIGHT.center[1]
VALUES_DY = -1.7 - style.RIGHT.center[1]
BOARD_W = 6.3
LABELS = ["$s_1$", "$s_2$", "$s_3$"]


def _panel(derivation_id: str) -> DerivationPanel:
    from mlv.derivations import softmax
    from mlv.scenes.components.derivation import DerivationPanel

    d = next(d for d in softmax.derivations() if d.id == derivation_id)
    return DerivationPanel(d, centre=style.RIGHT.at(0, BOARD_DY), max_width=BOARD_W,
                           font_size=style.FONT_SIZE_MATH, lhs_color=style.NOTATION.gradient,
                           reason_chars=50)


def bars(values: np.ndarray) -> ProbabilityBars:
    b = ProbabilityBars(values, LABELS, width=BARS_W, height=BARS_H,
                        colour=style.NOTATION.attention)
    return b.move_to(style.LEFT.at(0, BARS_DY))


def line(tex: str, dy: float, colour=style.FOREGROUND) -> MathTex:
    m = MathTex(tex, font_size=style.FONT_SIZE_MATH, color=colour)
    if m.width > style.LEFT.width - 0.4:
        m.scale_to_fit_width(style.LEFT.width - 0.4)
    return m.move_to(style.LEFT.at(0, dy))


def vec(values: np.ndarray, places: int) -> str:
    return r"\left(" + ",\\ ".join(f"{v:.{places}f}" for v in values) + r"\right)"


class Softmax(LessonScene):
    script = staticmethod(script)
    lesson: SoftmaxLesson

    def construct(self) -> None:
        L = self.lesson
        scores = line("z = " + vec(L.scores, 1), LINE_DY)
        with self.beat("scores") as beat:
            self.play(FadeIn(scores), run_time=beat.part(0.3))
        formula = line(r"s_i = \frac{e^{z_i}}{\sum_j e^{z_j}}", NOTE_DY - 0.2)
        self.shown = bars(L.probabilities)
        with self.beat("softmax") as beat:
            self.play(FadeIn(formula), run_time=beat.part(0.3))
            self.play(FadeOut(formula), FadeIn(self.shown), run_time=beat.part(0.4))
        # the narration names T = lo about halfway through the beat and T = hi near its end:
        # each stays on screen (bars and label) while it is spoken
        lo, hi = 0, len(L.temperatures) - 1
        notes = [Text(f"T = {L.temperatures[k]:g}", font=style.FONT,
                      font_size=style.FONT_SIZE_BODY, color=style.NOTATION.eta)
                 .move_to(style.LEFT.at(0, NOTE_DY)) for k in (lo, hi)]
        with self.beat("temperature") as beat:
            self.wait(beat.part(0.3))
            new = bars(L.tempered[lo])
            self.play(ReplacementTransform(self.shown, new), FadeIn(notes[0]),
                      run_time=beat.part(0.15))
            self.shown = new
            self.wait(beat.part(0.25))
            new = bars(L.tempered[hi])
            self.play(ReplacementTransform(self.shown, new),
                      ReplacementTransform(notes[0], notes[1]), run_time=beat.part(0.15))
            self.shown = new
        board = _panel("softmax-jacobian-diagonal")
        with self.beat("jacobian") as beat:
            new = bars(L.probabilities)
            self.play(ReplacementTransform(self.shown, new), FadeOut(notes[1]),
                      run_time=beat.part(0.15))
            self.shown = new
            self.play(board.make_step_animation(0, run_time=beat.part(0.3)))
            self.play(board.make_step_animation(1, run_time=beat.part(0.3)))
        with self.beat("diagonal") as beat:
            for k in (2, 3, 4):
                self.play(board.make_step_animation(k, run_time=beat.part(0.25)))
        with self.beat("off") as beat:
            self.play(board.make_clear_animation(run_time=beat.part(0.1)))
            board = _panel("softmax-jacobian-off-diagonal")
            for k in (0, 2, 4):
                self.play(board.make_step_animation(k, run_time=beat.part(0.2)))
        with self.beat("numbers") as beat:
            J = L.jacobian
            rows = r" \\ ".join(" & ".join(f"{v:.2f}" for v in row) for row in J)
            matrix = MathTex(r"J = \begin{pmatrix}" + rows + r"\end{pmatrix}",
                             font_size=style.FONT_SIZE_MATH)
            matrix.move_to(style.RIGHT.at(0, VALUES_DY))
            self.play(FadeIn(matrix), run_time=beat.part(0.3))
        with self.beat("cross-entropy") as beat:
            self.play(board.make_clear_animation(run_time=beat.part(0.1)), FadeOut(matrix))
            board = _panel("softmax-cross-entropy-gradient")
            for k in (0, 1, 2):
                self.play(board.make_step_animation(k, run_time=beat.part(0.25)))
        with self.beat("p-minus-y") as beat:
            for k in (3, 4, 5):
                self.play(board.make_step_animation(k, run_time=beat.part(0.25)))
        self.board = board

        with self.beat("overflow") as beat:
            big = line("z + " + f"{L.big_scores[0] - L.scores[0]:g} = " + vec(L.big_scores, 1),
                       LINE_DY, style.NOTATION.residual)
            naive = VGroup(*[Text("NaN" if np.isnan(v) else f"{v:.2f}", font=style.FONT,
                                  font_size=style.FONT_SIZE_BODY, color=style.NOTATION.residual)
                             for v in L.naive]).arrange(buff=style.GAP_LARGE * 1.5)
            naive.move_to(style.LEFT.at(0, BARS_DY))
            self.play(FadeOut(scores), FadeIn(big), FadeOut(self.shown),
                      board.make_clear_animation(run_time=beat.part(0.25)),
                      run_time=beat.part(0.25))
            self.play(FadeIn(naive), run_time=beat.part(0.25))
        with self.beat("stable") as beat:
            fix = line(r"s_i = \frac{e^{z_i - \max_j z_j}}{\sum_j e^{z_j - \max_j z_j}}",
                       NOTE_DY - 0.3)
            self.shown = bars(L.stable)
            self.play(FadeIn(fix), run_time=beat.part(0.25))
            self.play(FadeOut(naive), FadeIn(self.shown), run_time=beat.part(0.3))
        self.fix = fix

