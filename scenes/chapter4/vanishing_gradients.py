"""``vanishing-gradients``: per-layer gradient norms of a deep network (12 layers by default; the
``layers`` and ``width`` parameters change it), sigmoid vs tanh vs ReLU; the bound sigma' <= 1/4
and the product over layers."""
from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    GrowFromEdge,
    MathTex,
    Square,
    Text,
    ValueTracker,
    VGroup,
    Write,
    linear,
)

from mlv.algorithms.lessons_deep import ACTIVATIONS, VanishingLesson, vanishing_lesson
from mlv.scenes import speech, style
from mlv.scenes.components.bars import LogBarPanel
from mlv.scenes.components.panels import make_axes, nice_range, points_on
from mlv.scenes.components.readout import Readout
from mlv.scenes.lesson import LessonScene
from mlv.scenes.narration import Beat, Narration
from mlv.scenes.script import Script

NAMES = {"sigmoid": "sigmoid", "tanh": "tanh", "relu": "ReLU"}
LN2 = math.log(2)


def others_says(lesson: VanishingLesson) -> str:
    spread = lesson.others_spread
    if lesson.others_intact:
        return (f"With tanh and ReLU, every layer's gradient is within a factor of "
                f"{math.ceil(spread)} of every other: it reaches the first layer intact.")
    return (f"With tanh and ReLU the gradients differ by up to a factor of {spread:.0f}, far "
            f"less than the sigmoid's.")


def collapse_says(lesson: VanishingLesson) -> str:
    if lesson.collapse_epoch >= 0:
        return (f"By epoch {lesson.collapse_epoch} the sigmoid network predicts one half for "
                f"every point. Its loss is stuck at log 2, {LN2:.3f}, and all its gradients "
                f"are tiny.")
    end = float(lesson.runs["sigmoid"].loss[-1])
    return (f"With only {lesson.n_layers} layers the sigmoid network does not collapse: its loss "
            f"ends at {end:.3f}, " + ("below log 2, though its early layers learn slowly."
                                      if lesson.sigmoid_learned_some else
                                      "still about log 2: it has barely learned."))


def script(params: Mapping[str, Any]) -> Script:
    """The three deep networks' runs for ``params`` (``layers``, ``width``), the narration and
    numbers."""
    lesson = vanishing_lesson(n_layers=params["layers"], width=params["width"])
    layers, g = lesson.n_layers, lesson.norms("sigmoid")
    change = {a: lesson.first_layer_change(a) for a in ACTIVATIONS}
    further_back = ("smaller at every layer" if lesson.shrinks_every_layer("sigmoid")
                    else "mostly smaller")
    narration = Narration(
        Beat("setup", f"Three networks, each {layers} layers deep with {lesson.width} units per "
                      "hidden layer, learn to separate these two moons. Only their hidden "
                      "activation differs: sigmoid, tanh or ReLU."),
        Beat("measure", "The bars will show the size of the loss's gradient for each layer's "
                        "weights, before training, on a logarithmic scale."),
        Beat("sigmoid", f"With the sigmoid it is {g[-1]:.2f} at the last layer, {further_back} "
                        f"further back, and ${speech.scientific_tex(g[0])}$ at the first."),
        Beat("others", others_says(lesson)),
        Beat("slope", r"Why does the sigmoid lose it? Its slope is $\sigma(1 - \sigma)$."),
        Beat("bound", "Complete the square: a quarter minus a square, which is never negative. "
                      "So the slope is at most one quarter."),
        Beat("chain", "Now a chain of three one-unit layers. The chain rule gives one pair of "
                      "factors per layer."),
        Beat("product", "Regrouped: the weights, times one slope per layer. Each sigmoid slope "
                        "is at most a quarter."),
        Beat("eleven", f"Our gradient crosses {layers - 1} sigmoid layers: the first layer gets "
                       f"${speech.scientific_tex(lesson.shrinkage('sigmoid'))}$ of what the last "
                       f"gets, about {lesson.per_layer_factor('sigmoid'):.2f} per layer."),
        Beat("train", f"Now train all three for {lesson.epochs} epochs, learning rate "
                      f"{lesson.learning_rate:g}, and watch the bars."),
        Beat("collapse", collapse_says(lesson)),
        Beat("moved", "The first layer's weights moved by "
                      f"{speech.percent(change['tanh'])} percent "
                      f"with tanh, {speech.percent(change['relu'])} with ReLU, and "
                      f"{speech.percent(change['sigmoid'])} percent with the sigmoid."),
        Beat("lesson", "Deep sigmoid networks starve their early layers. That is why deep "
                       "networks use ReLU-like activations, with an initialisation to match."),
    )
    numbers = {"layers": layers, "epochs": lesson.epochs, "learning rate": lesson.learning_rate,
               "sigmoid: first-layer over last-layer gradient": lesson.shrinkage("sigmoid"),
               "sigmoid: gradient factor per layer": lesson.per_layer_factor("sigmoid"),
               **{f"{NAMES[a]}: first-layer weight change (%)": change[a]
                  for a in ACTIVATIONS}}
    return Script(narration, lesson, numbers)


# the layout, by region (offsets from a region's centre). The left half holds the network's
# strip, then the bar chart; a column of the right half holds, top to bottom, the moons, the
# legend and the notes of each beat. The derivations take the whole stage.
_L, _R = style.LEFT.center, style.RIGHT.center
COLUMN_X = float(style.RIGHT.at(4.75 - _R[0])[0])
MOONS_DX, MOONS_DY = 4.75 - _R[0], 2.05 - _R[1]
LEGEND_DX, LEGEND_DY = 4.75 - _R[0], 0.65 - _R[1]
NOTES_DX, NOTES_DY = 4.75 - _R[0], -0.7 - _R[1]
PER_LAYER_DX, PER_LAYER_DY = 4.75 - _R[0], -1.0 - _R[1]
EPOCH_DX, EPOCH_DY = 4.75 - _R[0], -0.35 - _R[1]
STRIP_DX, STRIP_DY = -2.55 - _L[0], 0.45 - _L[1]
CHART_DX, CHART_DY = -2.55 - _L[0], 0.2 - _L[1]
BOARD_DY = 1.0 - style.STAGE.center[1]
MOONS_W, MOONS_H = 2.6, 1.7
MOON_DOT_RADIUS = style.DOT_RADIUS * 0.8
SWATCH = 0.22                           # a legend's colour square
UNIT_RADIUS, UNIT_GAP, LAYER_GAP = 0.055, 0.13, 0.42    # the strip's units and columns
STRIP_W, STRIP_H = 7.6, 4.2             # a deep or wide strip is scaled to fit this
LABEL_CLEARANCE = 0.15                  # the strip's labels keep this far apart
CHART_W, CHART_H = 7.6, 4.3
SIDE_GAP = 0.1                          # "input side" / "output side" under the chart
BOARD_MAX_W = style.SAFE.width - 0.4
REASON_CHARS = 64
MANY_DECADES = 5                        # more decades than this: a label every other decade


class VanishingGradients(LessonScene):
    script = staticmethod(script)
    lesson: VanishingLesson

    def construct(self) -> None:
        # imported here: the derivations (SymPy) load only when the scene is drawn, so
        # importing this module does no work
        from mlv.derivations.vanishing import chain_product, derivative_bound
        from mlv.scenes.components.derivation import DerivationPanel

        n = style.NOTATION
        lesson = self.lesson
        runs, sig = lesson.runs, lesson.runs["sigmoid"]
        n_layers, g_sig = lesson.n_layers, lesson.norms("sigmoid")
        change = {a: lesson.first_layer_change(a) for a in ACTIVATIONS}
        exponents = lesson.decades
        colours = {"sigmoid": n.sigmoid, "tanh": n.tanh, "relu": n.relu}

        # the two moons, small, at the top of the right column
        X, y = lesson.X, lesson.y
        xr, yr = nice_range(X[:, 0].min(), X[:, 0].max(), 3), nice_range(X[:, 1].min(),
                                                                         X[:, 1].max(), 3)
        moons = make_axes(xr, yr, width=MOONS_W, height=MOONS_H, label_every=None)
        pts = points_on(moons.axes, X[:, 0], X[:, 1])
        dots = VGroup(*[Dot(p, radius=MOON_DOT_RADIUS,
                            color=n.positive if c == 1 else n.negative) for p, c in zip(pts, y)])
        moon_panel = VGroup(moons, dots).move_to(style.RIGHT.at(MOONS_DX, MOONS_DY))

        legend = VGroup()
        for a in ACTIVATIONS:
            sw = Square(SWATCH, stroke_width=0, fill_color=colours[a], fill_opacity=0.9)
            label = Text(NAMES[a], font=style.FONT, font_size=style.FONT_SIZE_LABEL,
                         color=colours[a])
            legend.add(VGroup(sw, label.next_to(sw, RIGHT, buff=style.GAP_SMALL)))
        legend.arrange(RIGHT, buff=style.GAP, aligned_edge=DOWN)
        legend.move_to(style.RIGHT.at(LEGEND_DX, LEGEND_DY))

        # the network: one column of units per layer, input on the left
        sizes = sig.meta["layer_sizes"]
        columns = VGroup(*[VGroup(*[Dot(radius=UNIT_RADIUS, color=style.FOREGROUND)
                                    for _ in range(m)]).arrange(DOWN, buff=UNIT_GAP)
                           for m in sizes]).arrange(RIGHT, buff=LAYER_GAP)
        columns[0].set_color(n.data)
        columns[-1].set_color(n.prediction)
        if columns.width > STRIP_W or columns.height > STRIP_H:     # deep or wide: fit
            columns.scale(min(STRIP_W / columns.width, STRIP_H / columns.height))
        columns.move_to(style.LEFT.at(STRIP_DX, STRIP_DY))
        strip_labels = VGroup(
            Text("input", font=style.FONT, font_size=style.FONT_SIZE_LABEL, color=n.data)
            .next_to(columns[0], DOWN, buff=style.GAP),
            Text(f"{len(sizes) - 2} hidden layers of {lesson.width} units", font=style.FONT,
                 font_size=style.FONT_SIZE_LABEL, color=style.MUTED)
            .next_to(columns[1:-1], DOWN, buff=style.GAP),
            Text("output", font=style.FONT, font_size=style.FONT_SIZE_LABEL, color=n.prediction)
            .next_to(columns[-1], DOWN, buff=style.GAP),
        )
        for end_label in (strip_labels[0], strip_labels[2]):
            end_label.set_y(strip_labels[1].get_y())
        if (strip_labels[0].get_right()[0] > strip_labels[1].get_left()[0] - LABEL_CLEARANCE
                or strip_labels[2].get_left()[0]
                < strip_labels[1].get_right()[0] + LABEL_CLEARANCE):
            # a squeezed strip: input and output go beside their columns, not under them
            strip_labels[0].next_to(columns[0], LEFT, buff=style.GAP)
            strip_labels[2].next_to(columns[-1], RIGHT, buff=style.GAP)
        strip = VGroup(columns, strip_labels)
        with self.beat("setup") as beat:
            self.play(Create(moons), FadeIn(dots, lag_ratio=0.01), run_time=beat.part(0.25))
            self.play(FadeIn(columns, lag_ratio=0.05), FadeIn(strip_labels),
                      run_time=beat.part(0.3))
            self.play(FadeIn(legend), run_time=beat.part(0.15))

        chart = LogBarPanel(n_layers, [(a, colours[a]) for a in ACTIVATIONS], exponents=exponents,
                            width=CHART_W, height=CHART_H, x_label=r"\text{layer } l",
                            y_label=r"\lVert \partial L / \partial W^{(l)} \rVert",
                            y_label_color=n.gradient, tick=1)
        chart.move_to(style.LEFT.at(CHART_DX, CHART_DY))
        first_label, last_label = chart.group_labels[0], chart.group_labels[-1]
        side = VGroup(MathTex(r"\text{input side}", font_size=style.FONT_SIZE_SMALL,
                              color=style.MUTED).next_to(first_label, DOWN, buff=SIDE_GAP)
                      .align_to(first_label, LEFT),
                      MathTex(r"\text{output side}", font_size=style.FONT_SIZE_SMALL,
                              color=style.MUTED).next_to(last_label, DOWN, buff=SIDE_GAP)
                      .align_to(last_label, RIGHT))
        if exponents[1] - exponents[0] > MANY_DECADES:
            for t in chart.axes.y_axis.labels[0::2]:
                t.set_opacity(0)                # a label every other decade: legible at 480p
        with self.beat("measure") as beat:
            self.play(FadeOut(strip), run_time=beat.part(0.15))
            self.play(Create(chart.frame), FadeIn(side), run_time=beat.part(0.4))

        bars = {a: chart.bars(s, lesson.norms(a)) for s, a in enumerate(ACTIVATIONS)}
        notes = VGroup(
            MathTex(r"\text{layer } " + str(n_layers) + r":\ " + f"{g_sig[-1]:.2f}",
                    color=n.sigmoid,
                    font_size=style.FONT_SIZE_MATH),
            MathTex(r"\text{layer } 1:\ " + speech.scientific_tex(g_sig[0]), color=n.sigmoid,
                    font_size=style.FONT_SIZE_MATH),
        ).arrange(DOWN, aligned_edge=LEFT, buff=style.GAP)
        notes.move_to(style.RIGHT.at(NOTES_DX, NOTES_DY))
        with self.beat("sigmoid") as beat:
            self.play(*[GrowFromEdge(b, DOWN) for b in bars["sigmoid"]],
                      run_time=beat.part(0.4))
            self.play(FadeIn(notes), run_time=beat.part(0.2))

        with self.beat("others") as beat:
            self.play(*[GrowFromEdge(b, DOWN) for a in ("tanh", "relu") for b in bars[a]],
                      run_time=beat.part(0.4))

        scene_parts = VGroup(chart, side, *bars.values(), moon_panel, legend, notes)
        board = DerivationPanel(derivative_bound(), centre=style.STAGE.at(dy=BOARD_DY),
                                font_size=style.FONT_SIZE_BOARD, max_width=BOARD_MAX_W,
                                lhs_color=n.sigmoid, reason_chars=REASON_CHARS)
        with self.beat("slope") as beat:
            self.play(FadeOut(scene_parts), run_time=beat.part(0.15))
            self.play(board.make_step_animation(0, run_time=beat.part(0.25)))
            self.play(board.make_step_animation(1, run_time=beat.part(0.3)))

        with self.beat("bound") as beat:
            self.play(board.make_step_animation(2, run_time=beat.part(0.35)))
            result = MathTex(r"\sigma'(z)", r"\le", r"\tfrac{1}{4}",
                             font_size=style.FONT_SIZE_BOARD, color=n.sigmoid)
            result.next_to(board.reason, DOWN, buff=style.GAP)
            self.play(Write(result), run_time=beat.part(0.25))

        chain = DerivationPanel(chain_product(), centre=style.STAGE.at(dy=BOARD_DY),
                                font_size=style.FONT_SIZE_BOARD, max_width=BOARD_MAX_W,
                                lhs_color=n.gradient, reason_chars=REASON_CHARS)
        with self.beat("chain") as beat:
            self.play(board.make_clear_animation(run_time=beat.part(0.15)),
                      FadeOut(result, run_time=beat.part(0.15)))
            self.play(chain.make_step_animation(0, run_time=beat.part(0.25)))
            self.play(chain.make_step_animation(1, run_time=beat.part(0.3)))

        with self.beat("product") as beat:
            self.play(chain.make_step_animation(2, run_time=beat.part(0.25)))
            self.play(chain.make_step_animation(3, run_time=beat.part(0.25)))
            bound = MathTex(r"\left|\frac{\partial a_3}{\partial a_0}\right|", r"\le",
                            r"\left(\tfrac{1}{4}\right)^{3}", r"\left|w_1 w_2 w_3\right|",
                            font_size=style.FONT_SIZE_BOARD)
            bound[2].set_color(n.sigmoid)
            bound.next_to(chain.reason, DOWN, buff=style.GAP)
            self.play(Write(bound), run_time=beat.part(0.25))

        per_layer = VGroup(
            MathTex(r"\frac{\text{layer } 1}{\text{layer } " + str(n_layers) + "}", "=",
                    speech.scientific_tex(lesson.shrinkage("sigmoid")),
                    font_size=style.FONT_SIZE_MATH, color=n.sigmoid),
            MathTex(r"\approx", f"{lesson.per_layer_factor('sigmoid'):.2f}",
                    r"^{\," + str(n_layers - 1) + "}",
                    font_size=style.FONT_SIZE_MATH, color=n.sigmoid),
        ).arrange(DOWN, aligned_edge=LEFT, buff=style.GAP)
        per_layer.move_to(style.RIGHT.at(PER_LAYER_DX, PER_LAYER_DY))
        with self.beat("eleven") as beat:
            self.play(chain.make_clear_animation(run_time=beat.part(0.15)),
                      FadeOut(bound, run_time=beat.part(0.15)))
            self.play(FadeIn(VGroup(chart, side, *bars.values(), moon_panel, legend)),
                      run_time=beat.part(0.2))
            self.play(FadeIn(per_layer), run_time=beat.part(0.2))

        readout = Readout([("epoch", r"\text{epoch}", style.FOREGROUND, 0)],
                          font_size=style.FONT_SIZE_MATH, signed=False)
        readout.show({"epoch": 0}).move_to(style.RIGHT.at(EPOCH_DX, EPOCH_DY))
        steps = np.asarray(sig.steps)
        with self.beat("train") as beat:
            self.play(FadeOut(per_layer), FadeIn(readout), run_time=beat.part(0.15))
            k = ValueTracker(0)
            last = len(sig) - 1
            live = {a: chart.tracked_bars(s, runs[a].extras["grad_norms"], k)
                    for s, a in enumerate(ACTIVATIONS)}
            self.remove(*bars.values())
            self.add(*live.values())
            epoch = readout.numbers["epoch"]
            epoch.add_updater(lambda m: m.set_value(
                steps[min(last, int(round(k.get_value())))]))
            self.play(k.animate.set_value(last), run_time=beat.part(0.75), rate_func=linear)
            epoch.clear_updaters()
            readout.show({"epoch": steps[last]})
            final = {a: chart.bars(s, lesson.norms(a, last)) for s, a in enumerate(ACTIVATIONS)}
            self.remove(*live.values())
            self.add(*final.values())
        self.final_bars = final

        losses = Readout([(a, r"L_{\text{" + NAMES[a] + "}}", colours[a]) for a in ACTIVATIONS],
                         decimals=3, font_size=style.FONT_SIZE_BODY, signed=False)
        losses.show({a: runs[a].loss[-1] for a in ACTIVATIONS})
        losses.next_to(readout, DOWN, buff=style.GAP_LARGE).align_to(readout, LEFT)
        with self.beat("collapse") as beat:
            self.play(FadeIn(losses), run_time=beat.part(0.25))

        moved = VGroup(
            Text("layer 1 weights moved", font=style.FONT, font_size=style.FONT_SIZE_LABEL,
                 color=style.FOREGROUND),
            *[MathTex(r"\text{" + NAMES[a] + r"}:\ " + speech.percent_tex(change[a]) + r"\,\%",
                      color=colours[a], font_size=style.FONT_SIZE_BODY) for a in ACTIVATIONS],
        ).arrange(DOWN, aligned_edge=LEFT, buff=style.GAP_SMALL)
        with self.beat("moved") as beat:
            top = moon_panel.get_top()[1]
            self.play(FadeOut(readout), FadeOut(moon_panel), FadeOut(legend),
                      losses.animate.shift((top - losses.get_top()[1]) * UP),
                      run_time=beat.part(0.2))
            moved.next_to(losses, DOWN, buff=style.GAP_LARGE)
            moved.set_x(COLUMN_X)
            self.play(FadeIn(moved), run_time=beat.part(0.25))

        with self.beat("lesson") as beat:
            pass
        self.losses, self.moved, self.chart = losses, moved, chart
