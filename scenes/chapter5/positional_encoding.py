"""``positional-encoding``: self-attention without positions is permutation-equivariant, shown on
data (shuffle the inputs, the outputs shuffle the same way); a task that asks by position defeats
it; sinusoidal encodings appended to the tokens fix it (parameters ``lr``, ``seed`` and the task
``length``)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from manim import DOWN, UP, Create, FadeIn, FadeOut, Text, VGroup

from mlv.algorithms.lessons_attention import PositionLesson, position_lesson
from mlv.scenes import speech, style
from mlv.scenes.components.grid import HeatGrid
from mlv.scenes.components.panels import LossCurvePanel
from mlv.scenes.lesson import LessonScene
from mlv.scenes.narration import Beat, Narration
from mlv.scenes.script import Script

NEAR_GUESS = 5.0      # percentage points: "about what guessing the most common token gives"


def lesson_for(params: Mapping[str, Any]) -> PositionLesson:
    return position_lesson(params["seed"], learning_rate=params["lr"], length=params["length"])


def roundoff_says(err: float) -> str:
    if err == 0.0:
        return "the largest difference is exactly zero"
    return f"the largest difference is ${speech.scientific_tex(err)}$, round-off"


def without_says(L: PositionLesson) -> str:
    acc, guess = 100 * L.without.final_test_accuracy, 100 * L.most_common_guess
    if abs(acc - guess) <= NEAR_GUESS:
        return (f"Trained without positions, it gets {speech.percent(acc)} percent of new "
                f"sequences right: about what guessing each one's most common token gives, "
                f"{speech.percent(guess)} percent.")
    return (f"Trained without positions, it gets {speech.percent(acc)} percent of new sequences "
            f"right; guessing each one's most common token gives {speech.percent(guess)} "
            f"percent.")


def script(params: Mapping[str, Any]) -> Script:
    L = lesson_for(params)
    order = ", ".join(str(int(p) + 1) for p in L.permutation)
    with_acc = 100 * L.with_positions.final_test_accuracy
    narration = Narration(
        Beat("set", "Attention compares every query with every key, wherever the tokens sit. "
                    "Nothing in it says which token came first."),
        Beat("shuffle", f"Test it: four random vectors through one self-attention layer, then "
                        f"the same vectors shuffled into the order {order}."),
        Beat("same", f"The outputs come out shuffled in just the same way and are otherwise "
                     f"equal: {roundoff_says(L.equivariance_error)}."),
        Beat("task", f"So a task that asks by position defeats it: {params['length']} random "
                     f"tokens, then a query asking for the token at a given place."),
        Beat("without", without_says(L)),
        Beat("encoding", "The fix: give each position its own vector and append it to the "
                         "token. Sinusoidal encodings use sines and cosines of the position."),
        Beat("with", f"With positions, the same layer answers {speech.percent(with_acc)} percent "
                     f"of new sequences correctly."),
        Beat("breaks", f"And the symmetry is gone: with positions added, shuffling changes the "
                       f"outputs by up to {L.positions_break_equivariance:.2f}."),
        Beat("lesson", "Attention does the mixing, but order has to be put in. Transformers add "
                       "the encodings to the embeddings; we appended them, to keep them apart."),
    )
    numbers = {"largest difference after shuffling": L.equivariance_error,
               "difference with positions": L.positions_break_equivariance,
               "held-out accuracy without positions": L.without.final_test_accuracy,
               "most-common-token guess": L.most_common_guess,
               "held-out accuracy with positions": L.with_positions.final_test_accuracy}
    return Script(narration, L, numbers)


CELL = 0.75
GRID_DY = 0.1 - style.STAGE.center[1]
PANEL_W, PANEL_H = 5.0, 2.8
PANEL_DY = 0.1 - style.RIGHT.center[1]
PE_DY = 0.1 - style.LEFT.center[1]


class PositionalEncoding(LessonScene):
    script = staticmethod(script)
    lesson: PositionLesson

    def grid(self, values, title: str, labels, region) -> VGroup:
        span = float(abs(self.lesson.out).max())
        g = HeatGrid(values, cell=CELL, colour=style.NOTATION.value, lo=-span, hi=span,
                     row_labels=labels, label_size=style.FONT_SIZE_SMALL)
        head = Text(title, font=style.FONT, font_size=style.FONT_SIZE_LABEL,
                    color=style.FOREGROUND).next_to(g, UP, buff=style.GAP)
        return VGroup(g, head).move_to(region.at(0, GRID_DY))

    def construct(self) -> None:
        L = self.lesson
        n = style.NOTATION
        labels = [f"token {k + 1}" for k in range(len(L.out))]
        plain = self.grid(L.out, "outputs", labels, style.LEFT)
        with self.beat("set") as beat:
            self.play(FadeIn(plain), run_time=beat.part(0.4))
        shuffled = self.grid(L.out_permuted, "outputs of the shuffled input",
                             [labels[int(p)] for p in L.permutation], style.RIGHT)
        with self.beat("shuffle") as beat:
            self.play(FadeIn(shuffled), run_time=beat.part(0.4))
        with self.beat("same") as beat:
            grid = shuffled[0]
            assert isinstance(grid, HeatGrid)
            self.play(*[r.animate.set_color(n.position) for r in grid.row_labels],
                      run_time=beat.part(0.3))

        runs = (L.without.run, L.with_positions.run)
        panel = LossCurvePanel(runs[0].steps, runs[0].loss, width=PANEL_W, height=PANEL_H,
                               y_label=r"\text{cross-entropy}",
                               x_max=float(runs[1].steps[-1]), others=[runs[1].loss])
        panel.move_to(style.RIGHT.at(0, PANEL_DY))
        without = panel.curve_upto(len(runs[0]) - 1, n.without_positions)
        key_without = Text("without positions", font=style.FONT, font_size=style.FONT_SIZE_SMALL,
                           color=n.without_positions)
        key_with = Text("with positions", font=style.FONT, font_size=style.FONT_SIZE_SMALL,
                        color=n.with_positions)
        keys = VGroup(key_without, key_with).arrange(DOWN, buff=style.GAP_SMALL)
        keys.next_to(panel, DOWN, buff=style.GAP)
        with self.beat("task") as beat:
            self.play(FadeOut(plain), FadeOut(shuffled), run_time=beat.part(0.2))
            self.play(FadeIn(panel), run_time=beat.part(0.3))
        with self.beat("without") as beat:
            self.play(Create(without), FadeIn(key_without), run_time=beat.part(0.5))

        pe = HeatGrid(L.encoding, cell=0.5, colour=n.position, lo=-1.0, hi=1.0, decimals=None,
                      row_labels=[f"position {t + 1}" for t in range(len(L.encoding))],
                      label_size=style.FONT_SIZE_SMALL)
        pe_head = Text("sinusoidal encodings", font=style.FONT, font_size=style.FONT_SIZE_LABEL,
                       color=n.position).next_to(pe, UP, buff=style.GAP)
        encoding = VGroup(pe, pe_head).move_to(style.LEFT.at(0, PE_DY))
        with self.beat("encoding") as beat:
            self.play(FadeIn(encoding), run_time=beat.part(0.4))
        with_curve = panel.curve_of(runs[1].steps, runs[1].loss, n.with_positions)
        with self.beat("with") as beat:
            self.play(Create(with_curve), FadeIn(key_with), run_time=beat.part(0.5))
        broken = self.grid(L.shuffle_difference,
                           "shuffled minus unshuffled, with positions", labels, style.LEFT)
        with self.beat("breaks") as beat:
            self.play(FadeOut(encoding), FadeIn(broken), run_time=beat.part(0.4))
        with self.beat("lesson") as beat:
            self.play(self.camera_frame_pulse(with_curve), run_time=beat.part(0.3))
        self.panel, self.curves = panel, (without, with_curve)

    def camera_frame_pulse(self, curve):
        return curve.animate.set_stroke(width=style.STROKE_THICK)
