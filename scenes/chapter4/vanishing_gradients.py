"""``vanishing-gradients``: per-layer gradient norms of a deep network (12 layers by default; the
``layers`` and ``width`` parameters change it), sigmoid vs tanh vs ReLU; the bound sigma' <= 1/4
and the product over layers."""
from __future__ import annotations

import math

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

from mlv.algorithms.lessons_deep import ACTIVATIONS, vanishing_lesson
from mlv.derivations.vanishing import chain_product, derivative_bound
from mlv.scenes import params, style
from mlv.scenes.components.bars import LogBarPanel
from mlv.scenes.components.derivation import DerivationPanel
from mlv.scenes.components.panels import make_axes, nice_range, points_on
from mlv.scenes.components.readout import Readout
from mlv.scenes.lesson import LessonScene
from mlv.scenes.narration import Beat, Narration

PARAMS = params.current("vanishing-gradients")
LESSON = vanishing_lesson(n_layers=PARAMS["layers"], width=PARAMS["width"])
RUNS = LESSON.runs
SIG, TANH, RELU = (RUNS[a] for a in ACTIVATIONS)
N_LAYERS = LESSON.n_layers
WIDTH = SIG.meta["layer_sizes"][1]
EPOCHS = int(SIG.steps[-1])
ETA = SIG.meta["learning_rate"]
G_SIG = LESSON.norms("sigmoid")                       # at initialisation, layer 1 first
FACTOR = LESSON.per_layer_factor("sigmoid")
SHRINK = LESSON.shrinkage("sigmoid")
SPREAD = max(LESSON.spread("tanh"), LESSON.spread("relu"))
LN2 = math.log(2)
SETTLED = LESSON.first_epoch_near("sigmoid", LN2, 1e-5)      # -1: it never collapses
SIG_LOSS_END = float(SIG.loss[-1])
MONOTONE = bool(np.all(np.diff(G_SIG) > 0))                  # smaller at every layer back
# the bar chart's decades: down to the smallest gradient any run shows
LOWEST = min(float(RUNS[a].extras["grad_norms"].min()) for a in ACTIVATIONS)
EXPONENTS = (max(-12, min(-3, math.floor(math.log10(LOWEST)))), 0)
G_SIG_END = LESSON.norms("sigmoid", -1)
CHANGE = {a: 100 * LESSON.weight_change[a][0] for a in ACTIVATIONS}      # layer 1, percent
NAMES = {"sigmoid": "sigmoid", "tanh": "tanh", "relu": "ReLU"}


def mantissa_exponent(x: float) -> tuple[float, int]:
    e = math.floor(math.log10(x))
    m = round(x / 10 ** e, 1)
    if m >= 10:
        m, e = m / 10, e + 1
    return m, e


def spoken(x: float) -> str:
    """``2.6e-8`` as the narrator says it."""
    m, e = mantissa_exponent(x)
    sign = "minus " if e < 0 else ""
    return f"{m:g} times ten to the {sign}{abs(e)}"


def tex(x: float) -> str:
    """``2.6e-8`` as the board shows it."""
    m, e = mantissa_exponent(x)
    return f"{m:g}" + r"\times 10^{" + str(e) + "}"


def percent(x: float) -> str:
    """A percentage as spoken: whole numbers from 1 up, two decimals below, then powers of ten."""
    return f"{x:.0f}" if x >= 1 else f"{x:.2f}" if x >= 0.01 else spoken(x)


def percent_tex(x: float) -> str:
    return f"{x:.0f}" if x >= 1 else f"{x:.2f}" if x >= 0.01 else tex(x)


NARRATION = Narration(
    Beat("setup", f"Three networks, each {N_LAYERS} layers deep with {WIDTH} units per hidden "
                  "layer, learn to separate these two moons. Only their hidden activation "
                  "differs: sigmoid, tanh or ReLU."),
    Beat("measure", "The bars will show the size of the loss's gradient for each layer's "
                    "weights, before training, on a logarithmic scale."),
    Beat("sigmoid", f"With the sigmoid it is {G_SIG[-1]:.2f} at the last layer, "
                    f"{'smaller at every layer' if MONOTONE else 'mostly smaller'} further back, "
                    f"and {spoken(G_SIG[0])} at the first."),
    Beat("others", f"With tanh and ReLU, every layer's gradient is within a factor of "
                   f"{math.ceil(SPREAD)} of every other: it reaches the first layer intact."
         if SPREAD <= 20 else
         f"With tanh and ReLU the gradients differ by up to a factor of {SPREAD:.0f}, far less "
         f"than the sigmoid's."),
    Beat("slope", "Why does the sigmoid lose it? Its slope is sigma times one minus sigma."),
    Beat("bound", "Complete the square: a quarter minus a square, which is never negative. So "
                  "the slope is at most one quarter."),
    Beat("chain", "Now a chain of three one-unit layers. The chain rule gives one pair of "
                  "factors per layer."),
    Beat("product", "Regrouped: the weights, times one slope per layer. Each sigmoid slope is "
                    "at most a quarter."),
    Beat("eleven", f"Our gradient crosses {N_LAYERS - 1} sigmoid layers: the first layer gets "
                   f"{spoken(SHRINK)} of what the last gets, about {FACTOR:.2f} per layer."),
    Beat("train", f"Now train all three for {EPOCHS} epochs, learning rate {ETA:g}, and watch "
                  "the bars."),
    Beat("collapse", f"By epoch {SETTLED} the sigmoid network predicts one half for every point. "
                     f"Its loss is stuck at log 2, {LN2:.3f}, and all its gradients are tiny."
         if SETTLED >= 0 else
         f"With only {N_LAYERS} layers the sigmoid network does not collapse: its loss ends "
         f"at {SIG_LOSS_END:.3f}, " + ("below log 2, though its early layers learn slowly."
                                      if SIG_LOSS_END < LN2 - 0.01 else
                                      "still about log 2: it has barely learned.")),
    Beat("moved", f"The first layer's weights moved by {percent(CHANGE['tanh'])} percent with "
                  f"tanh, {percent(CHANGE['relu'])} with ReLU, and {percent(CHANGE['sigmoid'])} "
                  "percent with the sigmoid."),
    Beat("lesson", "Deep sigmoid networks starve their early layers. That is why deep networks "
                   "use ReLU-like activations, with an initialisation to match."),
)


class VanishingGradients(LessonScene):
    narration = NARRATION
    heading = "Vanishing gradients"
    numbers = {"layers": N_LAYERS, "epochs": EPOCHS, "learning rate": ETA,
               "sigmoid: first-layer over last-layer gradient": float(SHRINK),
               "sigmoid: gradient factor per layer": float(FACTOR),
               **{f"{NAMES[a]}: first-layer weight change (%)": float(CHANGE[a])
                  for a in ACTIVATIONS}}

    def construct(self):
        n = style.NOTATION
        colours = {"sigmoid": n.sigmoid, "tanh": n.tanh, "relu": n.relu}
        right_x = 4.75

        # the two moons, small, at the top of the right column
        X, y = LESSON.X, LESSON.y
        xr, yr = nice_range(X[:, 0].min(), X[:, 0].max(), 3), nice_range(X[:, 1].min(),
                                                                         X[:, 1].max(), 3)
        moons = make_axes(xr, yr, width=2.6, height=1.7, label_every=None)
        pts = points_on(moons.axes, X[:, 0], X[:, 1])
        dots = VGroup(*[Dot(p, radius=style.DOT_RADIUS * 0.8,
                            color=n.positive if c == 1 else n.negative) for p, c in zip(pts, y)])
        moon_panel = VGroup(moons, dots).move_to([right_x, 2.05, 0])

        legend = VGroup()
        for a in ACTIVATIONS:
            sw = Square(0.22, stroke_width=0, fill_color=colours[a], fill_opacity=0.9)
            label = Text(NAMES[a], font=style.FONT, font_size=style.FONT_SIZE_LABEL,
                         color=colours[a])
            legend.add(VGroup(sw, label.next_to(sw, RIGHT, buff=style.GAP_SMALL)))
        legend.arrange(RIGHT, buff=style.GAP, aligned_edge=DOWN).move_to([right_x, 0.65, 0])

        # the network: one column of units per layer, input on the left
        sizes = SIG.meta["layer_sizes"]
        columns = VGroup(*[VGroup(*[Dot(radius=0.055, color=style.FOREGROUND)
                                    for _ in range(m)]).arrange(DOWN, buff=0.13)
                           for m in sizes]).arrange(RIGHT, buff=0.42)
        columns[0].set_color(n.data)
        columns[-1].set_color(n.prediction)
        if columns.width > 7.6 or columns.height > 4.2:         # deep or wide: fit the strip
            columns.scale(min(7.6 / columns.width, 4.2 / columns.height))
        columns.move_to([-2.55, 0.45, 0])
        strip_labels = VGroup(
            Text("input", font=style.FONT, font_size=style.FONT_SIZE_LABEL, color=n.data)
            .next_to(columns[0], DOWN, buff=style.GAP),
            Text(f"{len(sizes) - 2} hidden layers of {WIDTH} units", font=style.FONT,
                 font_size=style.FONT_SIZE_LABEL, color=style.MUTED)
            .next_to(columns[1:-1], DOWN, buff=style.GAP),
            Text("output", font=style.FONT, font_size=style.FONT_SIZE_LABEL, color=n.prediction)
            .next_to(columns[-1], DOWN, buff=style.GAP),
        )
        for label in (strip_labels[0], strip_labels[2]):
            label.set_y(strip_labels[1].get_y())
        gap = 0.15
        if (strip_labels[0].get_right()[0] > strip_labels[1].get_left()[0] - gap
                or strip_labels[2].get_left()[0] < strip_labels[1].get_right()[0] + gap):
            # a squeezed strip: input and output go beside their columns, not under them
            strip_labels[0].next_to(columns[0], LEFT, buff=style.GAP)
            strip_labels[2].next_to(columns[-1], RIGHT, buff=style.GAP)
        strip = VGroup(columns, strip_labels)
        with self.beat("setup") as beat:
            self.play(Create(moons), FadeIn(dots, lag_ratio=0.01), run_time=beat.part(0.25))
            self.play(FadeIn(columns, lag_ratio=0.05), FadeIn(strip_labels),
                      run_time=beat.part(0.3))
            self.play(FadeIn(legend), run_time=beat.part(0.15))

        chart = LogBarPanel(N_LAYERS, [(a, colours[a]) for a in ACTIVATIONS], exponents=EXPONENTS,
                            width=7.6, height=4.3, x_label=r"\text{layer } l",
                            y_label=r"\lVert \partial L / \partial W^{(l)} \rVert",
                            y_label_color=n.gradient, tick=1)
        chart.move_to([-2.55, 0.2, 0])
        side = VGroup(MathTex(r"\text{input side}", font_size=style.FONT_SIZE_SMALL,
                              color=style.MUTED).next_to(chart.group_labels[0], DOWN, buff=0.1)
                      .align_to(chart.group_labels[0], LEFT),
                      MathTex(r"\text{output side}", font_size=style.FONT_SIZE_SMALL,
                              color=style.MUTED).next_to(chart.group_labels[-1], DOWN, buff=0.1)
                      .align_to(chart.group_labels[-1], RIGHT))
        if EXPONENTS[1] - EXPONENTS[0] > 5:
            for t in chart.axes.y_axis.labels[0::2]:
                t.set_opacity(0)                # a label every other decade: legible at 480p
        with self.beat("measure") as beat:
            self.play(FadeOut(strip), run_time=beat.part(0.15))
            self.play(Create(chart.frame), FadeIn(side), run_time=beat.part(0.4))

        bars = {a: chart.bars(s, LESSON.norms(a)) for s, a in enumerate(ACTIVATIONS)}
        notes = VGroup(
            MathTex(r"\text{layer } " + str(N_LAYERS) + r":\ " + f"{G_SIG[-1]:.2f}",
                    color=n.sigmoid,
                    font_size=style.FONT_SIZE_MATH),
            MathTex(r"\text{layer } 1:\ " + tex(G_SIG[0]), color=n.sigmoid,
                    font_size=style.FONT_SIZE_MATH),
        ).arrange(DOWN, aligned_edge=LEFT, buff=style.GAP).move_to([right_x, -0.7, 0])
        with self.beat("sigmoid") as beat:
            self.play(*[GrowFromEdge(b, DOWN) for b in bars["sigmoid"]],
                      run_time=beat.part(0.4))
            self.play(FadeIn(notes), run_time=beat.part(0.2))

        with self.beat("others") as beat:
            self.play(*[GrowFromEdge(b, DOWN) for a in ("tanh", "relu") for b in bars[a]],
                      run_time=beat.part(0.4))

        scene_parts = VGroup(chart, side, *bars.values(), moon_panel, legend, notes)
        max_w = style.FRAME_WIDTH - 2 * style.SAFE_MARGIN - 0.4
        board = DerivationPanel(derivative_bound(), centre=[0, 1.0, 0],
                                font_size=style.FONT_SIZE_BOARD, max_width=max_w,
                                lhs_color=n.sigmoid, reason_chars=64)
        with self.beat("slope") as beat:
            self.play(FadeOut(scene_parts), run_time=beat.part(0.15))
            self.play(board.make_step_animation(0, run_time=beat.part(0.25)))
            self.play(board.make_step_animation(1, run_time=beat.part(0.3)))

        with self.beat("bound") as beat:
            self.play(board.make_step_animation(2, run_time=beat.part(0.35)))
            result = MathTex(r"\sigma'(z)", r"\le", r"\tfrac{1}{4}", font_size=style.FONT_SIZE_BOARD,
                             color=n.sigmoid)
            result.next_to(board.reason, DOWN, buff=style.GAP)
            self.play(Write(result), run_time=beat.part(0.25))

        chain = DerivationPanel(chain_product(), centre=[0, 1.0, 0],
                                font_size=style.FONT_SIZE_BOARD, max_width=max_w,
                                lhs_color=n.gradient, reason_chars=64)
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
            MathTex(r"\frac{\text{layer } 1}{\text{layer } " + str(N_LAYERS) + "}", "=",
                    tex(SHRINK), font_size=style.FONT_SIZE_MATH, color=n.sigmoid),
            MathTex(r"\approx", f"{FACTOR:.2f}", r"^{\," + str(N_LAYERS - 1) + "}",
                    font_size=style.FONT_SIZE_MATH, color=n.sigmoid),
        ).arrange(DOWN, aligned_edge=LEFT, buff=style.GAP).move_to([right_x, -1.0, 0])
        with self.beat("eleven") as beat:
            self.play(chain.make_clear_animation(run_time=beat.part(0.15)),
                      FadeOut(bound, run_time=beat.part(0.15)))
            self.play(FadeIn(VGroup(chart, side, *bars.values(), moon_panel, legend)),
                      run_time=beat.part(0.2))
            self.play(FadeIn(per_layer), run_time=beat.part(0.2))

        readout = Readout([("epoch", r"\text{epoch}", style.FOREGROUND, 0)],
                          font_size=style.FONT_SIZE_MATH, signed=False)
        readout.show({"epoch": 0}).move_to([right_x, -0.35, 0])
        with self.beat("train") as beat:
            self.play(FadeOut(per_layer), FadeIn(readout), run_time=beat.part(0.15))
            k = ValueTracker(0)
            last = len(SIG) - 1
            live = {a: chart.tracked_bars(s, RUNS[a].extras["grad_norms"], k)
                    for s, a in enumerate(ACTIVATIONS)}
            self.remove(*bars.values())
            self.add(*live.values())
            epoch = readout.numbers["epoch"]
            epoch.add_updater(lambda m: m.set_value(
                SIG.steps[min(last, int(round(k.get_value())))]))
            self.play(k.animate.set_value(last), run_time=beat.part(0.75), rate_func=linear)
            epoch.clear_updaters()
            readout.show({"epoch": SIG.steps[last]})
            final = {a: chart.bars(s, LESSON.norms(a, last)) for s, a in enumerate(ACTIVATIONS)}
            self.remove(*live.values())
            self.add(*final.values())
        self.final_bars = final

        losses = Readout([(a, r"L_{\text{" + NAMES[a] + "}}", colours[a]) for a in ACTIVATIONS],
                         decimals=3, font_size=style.FONT_SIZE_BODY, signed=False)
        losses.show({a: RUNS[a].loss[-1] for a in ACTIVATIONS})
        losses.next_to(readout, DOWN, buff=style.GAP_LARGE).align_to(readout, LEFT)
        with self.beat("collapse") as beat:
            self.play(FadeIn(losses), run_time=beat.part(0.25))

        moved = VGroup(
            Text("layer 1 weights moved", font=style.FONT, font_size=style.FONT_SIZE_LABEL,
                 color=style.FOREGROUND),
            *[MathTex(r"\text{" + NAMES[a] + r"}:\ " + percent_tex(CHANGE[a]) + r"\,\%",
                      color=colours[a], font_size=style.FONT_SIZE_BODY) for a in ACTIVATIONS],
        ).arrange(DOWN, aligned_edge=LEFT, buff=style.GAP_SMALL)
        with self.beat("moved") as beat:
            top = moon_panel.get_top()[1]
            self.play(FadeOut(readout), FadeOut(moon_panel), FadeOut(legend),
                      losses.animate.shift((top - losses.get_top()[1]) * UP),
                      run_time=beat.part(0.2))
            moved.next_to(losses, DOWN, buff=style.GAP_LARGE)
            moved.set_x(right_x)
            self.play(FadeIn(moved), run_time=beat.part(0.25))

        with self.beat("lesson") as beat:
            pass
        self.losses, self.moved, self.chart = losses, moved, chart
