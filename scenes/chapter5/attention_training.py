"""``attention-training``: one attention layer learning key-value retrieval by full-batch gradient
descent; the gradient through attention derived and proven on a small case; the attention maps
of three training sequences sharpening; loss and accuracy (parameters ``lr``, ``epochs``,
``seed``, ``d_model`` and the task length ``n_pairs``)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
from manim import (
    DOWN,
    Create,
    FadeIn,
    FadeOut,
    ReplacementTransform,
    SurroundingRectangle,
    Text,
    ValueTracker,
    VGroup,
    linear,
)

from mlv.algorithms.lessons_attention import TrainingLesson, attention_training_lesson
from mlv.scenes import speech, style
from mlv.scenes.components.grid import HeatGrid
from mlv.scenes.components.panels import LossCurvePanel
from mlv.scenes.components.readout import Readout
from mlv.scenes.lesson import LessonScene
from mlv.scenes.narration import Beat, Narration
from mlv.scenes.script import Script

if TYPE_CHECKING:
    from mlv.scenes.components.derivation import DerivationPanel

N_SNAPSHOTS = 6          # attention maps shown during training (recorded steps, evenly spread)


def lesson_for(params: Mapping[str, Any]) -> TrainingLesson:
    return attention_training_lesson(params["seed"], learning_rate=params["lr"],
                                     epochs=params["epochs"], d_model=params["d_model"],
                                     n_pairs=params["n_pairs"])


def snapshots(L: TrainingLesson) -> list[int]:
    """The recorded steps whose maps the training beat shows (first and last included)."""
    return sorted({int(round(k)) for k in np.linspace(0, len(L.run) - 1, N_SNAPSHOTS)})


def sequence_text(L: TrainingLesson, i: int) -> str:
    pairs, query, _ = L.pairs(i)
    return "   ".join(f"k{k}→v{v}" for k, v in pairs) + f"   ? k{query}"


def result_says(L: TrainingLesson) -> str:
    test = 100 * L.final_test_accuracy
    if L.learned_every_sequence:
        return (f"Every training sequence is right from epoch {L.first_epoch_at(1.0)}, and on "
                f"{len(L.test)} new sequences it answers {speech.percent(test)} percent "
                f"correctly.")
    return (f"It ends with {speech.percent(100 * L.final_accuracy)} percent of the training "
            f"sequences right, and {speech.percent(test)} percent of {len(L.test)} new ones.")


def sharpen_says(L: TrainingLesson) -> str:
    start, end = L.attention_on_answer
    if L.sharpened:
        return (f"The maps sharpen: by the end the query puts {end:.2f} of its attention on the "
                f"pair that holds the answer, on average, up from {start:.2f}.")
    return (f"The maps hardly sharpen here: the weight on the right pair goes from {start:.2f} "
            f"to {end:.2f}.")


def script(params: Mapping[str, Any]) -> Script:
    L = lesson_for(params)
    pairs, query, answer = L.pairs(0)
    T = L.train.X.shape[1]
    start, end = L.attention_on_answer
    acc0 = 100 * float(L.run.extras["accuracy"][0])
    narration = Narration(
        Beat("task", f"Now a task that needs attention. Each sequence holds {len(pairs)} key and "
                     f"value pairs, then a query naming one key; the answer is that key's "
                     f"value."),
        Beat("example", f"In this one the query asks for key {query}, and the pair with key "
                        f"{query} holds value {answer}. No fixed position has it: the pairs come "
                        f"in any order."),
        Beat("model", f"One attention layer reads it. The query token's query meets every "
                      f"token's key, its output mixes their values, and one matrix scores the "
                      f"{L.train.n_out} values."),
        Beat("start", f"From random weights the query spreads its attention: {start:.2f} on the "
                      f"right pair, on average, near one in {T}. It gets "
                      f"{speech.percent(acc0)} percent right."),
        Beat("gradient", "To learn, it needs the gradient through the softmax. Take one query, "
                         "two keys and scalar values: the chain rule runs through the scores."),
        Beat("gradient-result", r"The softmax Jacobian collects it into "
                                r"$\sum_j a_j (v_j - o)\, k_j / \sqrt{d}$, a sum over keys: the "
                                r"code's formula."),
        Beat("key", "A key's own gradient has the same form, with the query in place of the "
                    "key: keys whose values beat the average move to match the query."),
        Beat("training", f"Now train: {params['epochs']} epochs of full-batch gradient descent on "
                         f"{len(L.train)} sequences, with learning rate {params['lr']:g} and "
                         f"$d = {params['d_model']}$."),
        Beat("sharpen", sharpen_says(L)),
        Beat("result", result_says(L)),
        Beat("lesson", "Nobody told it where to look: the gradient through the softmax taught "
                       "the queries and keys to match."),
    )
    numbers = {"training sequences": len(L.train), "held-out sequences": len(L.test),
               "initial loss": float(L.run.loss[0]), "final loss": float(L.run.loss[-1]),
               "weight on the answer at the start": start, "weight on the answer at the end": end,
               "final training accuracy": L.final_accuracy,
               "held-out accuracy": L.final_test_accuracy}
    return Script(narration, L, numbers)


BOARD_DY = 0.6 - style.STAGE.center[1]       # the board has the whole stage to itself
BOARD_W = style.STAGE.width - 0.4
PANEL_W, PANEL_H = 5.0, 2.6
PANEL_DY = 0.55 - style.RIGHT.center[1]
READOUT_DY = -2.05 - style.RIGHT.center[1]
SEQ_DY = 2.2 - style.LEFT.center[1]
MAP_DY = -0.2 - style.LEFT.center[1]
CELL = 0.8


def _panel(derivation_id: str) -> DerivationPanel:
    from mlv.derivations import attention
    from mlv.scenes.components.derivation import DerivationPanel

    d = next(d for d in attention.derivations() if d.id == derivation_id)
    return DerivationPanel(d, centre=style.STAGE.at(0, BOARD_DY), max_width=BOARD_W,
                           font_size=style.FONT_SIZE_MATH, lhs_color=style.NOTATION.gradient,
                           reason_chars=50)


class AttentionTraining(LessonScene):
    script = staticmethod(script)
    lesson: TrainingLesson

    def attention_map(self, k: int) -> VGroup:
        """The shown sequences' attention at recorded step ``k``, the answer cells outlined."""
        L = self.lesson
        W = L.run.extras["attention"][k]
        T = W.shape[1]
        grid = HeatGrid(W, cell=CELL, colour=style.NOTATION.attention,
                        row_labels=[f"seq {i + 1}" for i in range(W.shape[0])],
                        col_labels=[str(t + 1) for t in range(T - 1)] + ["?"],
                        label_size=style.FONT_SIZE_SMALL)
        marks = VGroup(*[SurroundingRectangle(grid.cells[i * T + int(L.train.answer_at[i])],
                                              buff=0, color=style.NOTATION.optimum,
                                              stroke_width=style.STROKE)
                         for i in range(W.shape[0])])
        epoch = Text(f"epoch {int(L.run.steps[k])}", font=style.FONT,
                     font_size=style.FONT_SIZE_LABEL, color=style.MUTED)
        epoch.next_to(grid, DOWN, buff=style.GAP)
        out = VGroup(grid, marks, epoch)
        return out.move_to(style.LEFT.at(0, MAP_DY))

    def construct(self) -> None:
        L = self.lesson
        n = style.NOTATION
        seq = Text(sequence_text(L, 0), font=style.FONT, font_size=style.FONT_SIZE_BODY,
                   color=n.data)
        if seq.width > style.LEFT.width - 0.3:
            seq.scale_to_fit_width(style.LEFT.width - 0.3)
        seq.move_to(style.LEFT.at(0, SEQ_DY))
        with self.beat("task") as beat:
            self.play(FadeIn(seq), run_time=beat.part(0.3))
        _, _, answer = L.pairs(0)
        ans = Text(f"answer: v{answer}", font=style.FONT, font_size=style.FONT_SIZE_BODY,
                   color=n.value).next_to(seq, DOWN, buff=style.GAP)
        with self.beat("example") as beat:
            self.play(FadeIn(ans), run_time=beat.part(0.3))
        shown = self.attention_map(0)
        with self.beat("model") as beat:
            self.play(FadeOut(ans), FadeIn(shown[0]), run_time=beat.part(0.4))
        with self.beat("start") as beat:
            self.play(Create(shown[1]), FadeIn(shown[2]), run_time=beat.part(0.4))

        board = _panel("attention-gradient-query")
        with self.beat("gradient") as beat:
            self.play(FadeOut(seq), FadeOut(shown), run_time=beat.part(0.1))
            for k in (0, 1, 2):
                self.play(board.make_step_animation(k, run_time=beat.part(0.25)))
        with self.beat("gradient-result") as beat:
            for k in (3, 4, 5):
                self.play(board.make_step_animation(k, run_time=beat.part(0.25)))
        with self.beat("key") as beat:
            self.play(board.make_clear_animation(run_time=beat.part(0.1)))
            board = _panel("attention-gradient-key")
            for k in (0, 2, 3):
                self.play(board.make_step_animation(k, run_time=beat.part(0.2)))

        panel = LossCurvePanel(L.run.steps, L.run.loss, width=PANEL_W, height=PANEL_H,
                               y_label=r"\text{cross-entropy}")
        panel.move_to(style.RIGHT.at(0, PANEL_DY))
        readout = Readout([("epoch", r"\text{epoch}", style.FOREGROUND, 0),
                           ("loss", "L", n.loss, 3),
                           ("accuracy", r"\text{train acc}", n.attention, 3),
                           ("test", r"\text{held-out acc}", n.attention, 3)],
                          horizontal=False, signed=False, font_size=style.FONT_SIZE_BODY)
        readout.rows.arrange_in_grid(rows=2, cols=2, buff=(style.GAP_LARGE, style.GAP_SMALL),
                                     col_alignments="ll")
        readout.move_to(style.RIGHT.at(0, READOUT_DY))

        def values(k: int) -> dict[str, float]:
            return {"epoch": float(L.run.steps[k]), "loss": float(L.run.loss[k]),
                    "accuracy": float(L.run.extras["accuracy"][k]),
                    "test": float(L.run.extras["test_accuracy"][k])}

        readout.show(values(0))
        tracker = ValueTracker(0)
        curve = panel.tracked_curve(tracker)
        with self.beat("training") as beat:
            self.play(board.make_clear_animation(run_time=beat.part(0.1)))
            self.play(FadeIn(seq), FadeIn(shown), FadeIn(panel), FadeIn(readout),
                      run_time=beat.part(0.3))
        self.add(curve)
        steps = snapshots(L)
        with self.beat("sharpen") as beat:
            for b in steps[1:]:
                new = self.attention_map(b)
                readout.show(values(b))
                self.play(tracker.animate.set_value(b), ReplacementTransform(shown, new),
                          rate_func=linear, run_time=beat.part(0.8 / (len(steps) - 1)))
                shown = new
        with self.beat("result") as beat:
            self.play(readout.animate.scale(1.1), run_time=beat.part(0.15))
            self.play(readout.animate.scale(1 / 1.1), run_time=beat.part(0.15))
        with self.beat("lesson") as beat:
            self.play(self.pulse_map(shown), run_time=beat.part(0.3))
        self.readout, self.final_map = readout, shown


    def pulse_map(self, shown: VGroup):
        return shown[1].animate.set_stroke(width=style.STROKE_THICK)
