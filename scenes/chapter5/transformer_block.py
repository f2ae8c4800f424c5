"""``transformer-block``: attention wrapped in residual connections, layer norms and an MLP,
trained on key-value retrieval, and two ablations (no residual, no layer norm) from real runs;
what each part changes here, said from the runs' own numbers (parameters ``lr``, ``epochs``,
``seed`` and ``d_model``)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from manim import DOWN, RIGHT, Brace, Create, FadeIn, GrowFromCenter, Rectangle, Text, VGroup

from mlv.algorithms.lessons_attention import BlockLesson, transformer_block_lesson
from mlv.scenes import speech, style
from mlv.scenes.components.panels import LossCurvePanel
from mlv.scenes.lesson import LessonScene
from mlv.scenes.narration import Beat, Narration
from mlv.scenes.script import Script

TARGET = 0.9          # the held-out accuracy whose first epoch the narration compares
LABELS = ("full block", "no residual", "no layer norm")


def lesson_for(params: Mapping[str, Any]) -> BlockLesson:
    return transformer_block_lesson(params["seed"], learning_rate=params["lr"],
                                    epochs=params["epochs"], d_model=params["d_model"])


def _when(e: int) -> str:
    return f"epoch {e}" if e >= 0 else "no epoch of the run"


def verdict(B: BlockLesson) -> str:
    if B.alike:
        return ("On one shallow block and this small task every variant learns it: neither part "
                "is needed here. Their case is made in deep stacks, which we do not train.")
    best, worst = (LABELS[i] for i in B.best_and_worst)
    return (f"Here the {best} generalises best and the {worst} worst, by "
            f"{speech.percent(B.spread)} percentage points.")


def script(params: Mapping[str, Any]) -> Script:
    B = lesson_for(params)
    e = B.epoch_to(TARGET)
    finals = [100 * r.final_test_accuracy for r in B.runs]
    narration = Narration(
        Beat("block", "A transformer block wraps attention in more parts. Each token is first "
                      "embedded, and attention's output is added back to its input: a residual."),
        Beat("norm", "Layer norm rescales the sum to mean zero and variance one; then a small "
                     "MLP, with its own residual and layer norm, and a readout."),
        Beat("task", f"We train it on the retrieval task, learning rate {params['lr']:g}, for "
                     f"{params['epochs']} epochs, three times: the full block, without residuals, "
                     f"and without layer norm."),
        Beat("curves", "The three loss curves, from the three real runs, on one logarithmic "
                       "axis."),
        Beat("numbers", f"The full block first answers {100 * TARGET:.0f} percent of new "
                        f"sequences right at {_when(e[0])}; without residuals at {_when(e[1])}; "
                        f"without layer norm at {_when(e[2])}."),
        Beat("final", f"At the end they answer {speech.percent(finals[0])}, "
                      f"{speech.percent(finals[1])} and {speech.percent(finals[2])} percent of "
                      f"new sequences correctly."),
        Beat("verdict", verdict(B)),
        Beat("unit", "This is the unit a transformer repeats, layer after layer: attention, a "
                     "residual, a norm, an MLP."),
    )
    numbers = {f"held-out accuracy, {name}": r.final_test_accuracy
               for name, r in zip(LABELS, B.runs)}
    numbers |= {f"first epoch at {TARGET:.0%} held-out, {name}": int(k)
                for name, k in zip(LABELS, e)}
    return Script(narration, B, numbers)


PANEL_W, PANEL_H = 5.0, 2.7
PANEL_DY = 0.45 - style.RIGHT.center[1]
BOX_W, BOX_H = 2.6, 0.42
#: the block's parts, top to bottom, each with its colour's name in the notation (``None``: the
#: residual connections and layer norms are structure, drawn plain; the ablations' curves have
#: their own colours)
PARTS = (("embedding", "data"), ("attention", "attention"), ("+ residual", None),
         ("layer norm", None), ("MLP", "value"), ("+ residual", None), ("layer norm", None),
         ("readout", "prediction"))


class TransformerBlock(LessonScene):
    script = staticmethod(script)
    lesson: BlockLesson

    def construct(self) -> None:
        B = self.lesson
        n = style.NOTATION
        boxes = VGroup()
        for label, colour in PARTS:
            c = getattr(n, colour) if colour else style.FOREGROUND
            rect = Rectangle(width=BOX_W, height=BOX_H,
                             stroke_color=getattr(n, colour) if colour else style.MUTED,
                             stroke_width=style.STROKE_THIN)
            text = Text(label, font=style.FONT, font_size=style.FONT_SIZE_SMALL, color=c)
            boxes.add(VGroup(rect, text.move_to(rect)))
        boxes.arrange(DOWN, buff=0.17).move_to(style.LEFT.center)
        with self.beat("block") as beat:
            self.play(FadeIn(boxes[:3], lag_ratio=0.3), run_time=beat.part(0.5))
        with self.beat("norm") as beat:
            self.play(FadeIn(boxes[3:], lag_ratio=0.3), run_time=beat.part(0.6))

        runs = [r.run for r in B.runs]
        panel = LossCurvePanel(runs[0].steps, runs[0].loss, width=PANEL_W, height=PANEL_H,
                               y_label=r"\text{cross-entropy}", others=[r.loss for r in runs],
                               x_max=max(float(r.steps[-1]) for r in runs))
        panel.move_to(style.RIGHT.at(0, PANEL_DY))
        colours = (n.block, n.no_residual, n.no_layer_norm)
        keys = VGroup(*[Text(label, font=style.FONT, font_size=style.FONT_SIZE_SMALL, color=c)
                        for label, c in zip(LABELS, colours)]).arrange(RIGHT,
                                                                       buff=style.GAP_LARGE)
        keys.next_to(panel, DOWN, buff=style.GAP)
        with self.beat("task") as beat:
            self.play(FadeIn(panel), FadeIn(keys), run_time=beat.part(0.4))
        curves = [panel.curve_of(r.steps, r.loss, c) for r, c in zip(runs, colours)]
        with self.beat("curves") as beat:
            for c in curves:
                self.play(Create(c), run_time=beat.part(0.25))
        finals = VGroup(*[Text(f"{100 * r.final_test_accuracy:.1f}%", font=style.FONT,
                               font_size=style.FONT_SIZE_SMALL, color=c)
                          for r, c in zip(B.runs, colours)])
        for f, k in zip(finals, keys):
            f.next_to(k, DOWN, buff=style.GAP_SMALL)
        with self.beat("numbers") as beat:
            self.play(*[boxes[i][0].animate.set_stroke(color=style.FOREGROUND, width=style.STROKE)
                        for i in (2, 3, 5, 6)],
                      run_time=beat.part(0.3))
        with self.beat("final") as beat:
            self.play(FadeIn(finals), run_time=beat.part(0.3))
        with self.beat("verdict") as beat:
            self.play(*[c.animate.set_stroke(width=style.STROKE_THICK) for c in curves],
                      run_time=beat.part(0.3))
        # the repeated unit: attention, residual, norm, MLP, residual, norm (not the embedding
        # or the readout, which a stack has once)
        unit = boxes[1:7]
        brace = Brace(unit, RIGHT, color=style.FOREGROUND)
        repeat = Text("one layer,\nrepeated", font=style.FONT, font_size=style.FONT_SIZE_SMALL,
                      color=style.FOREGROUND).next_to(brace, RIGHT, buff=style.GAP_SMALL)
        with self.beat("unit") as beat:
            self.play(GrowFromCenter(brace), FadeIn(repeat), run_time=beat.part(0.3))
        self.finals, self.curves = finals, curves
