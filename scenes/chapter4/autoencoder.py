"""``autoencoder``: an encoder squeezing 8-D points to a 2-D code, a decoder rebuilding them; the
code space organising itself; the reconstruction loss's gradient; the linear autoencoder and PCA."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    Line,
    MathTex,
    Polygon,
    Rectangle,
    Text,
    Transform,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    linear,
)

from mlv.algorithms.lessons_deep import AutoencoderLesson, autoencoder_lesson
from mlv.scenes import style
from mlv.scenes.components.readout import Readout
from mlv.scenes.lesson import LessonScene
from mlv.scenes.narration import Beat, Narration
from mlv.scenes.script import Script


def script(params: Mapping[str, Any]) -> Script:
    """The tanh and the linear autoencoder's runs, the narration and numbers (the scene takes
    no parameters)."""
    lesson = autoencoder_lesson()
    run, lin = lesson.run, lesson.linear
    n, d = lesson.X.shape
    code = run.meta["layer_sizes"][2]
    epoch = lesson.shown_epochs
    loss = [float(run.loss[k]) for k in lesson.shown]
    sep = [float(lesson.separation[k]) for k in lesson.shown]
    kept = 100 * lesson.variance_kept(lesson.shown[3])
    ang0, pca_loss = lesson.angles[0], lesson.pca_loss
    narration = Narration(
        Beat("data", f"Each of these {n} points has {d} numbers. Here are three, as {d} bars "
                     f"each."),
        Beat("squeeze", f"An autoencoder squeezes each point through a bottleneck: the encoder "
                        f"maps {d} numbers to a code of {code}, the decoder maps it back to "
                        f"{d}."),
        Beat("loss", "It learns to reproduce its own input. The loss is the mean squared "
                     r"distance between $\hat x$ and $x$."),
        Beat("derive", r"Its slope at one output, $\hat x_{k1}$: the derivative moves inside "
                       r"the sum."),
        Beat("chain", r"Only one squared error contains $\hat x_{k1}$. The chain rule gives two "
                      r"times that error."),
        Beat("delta", r"So the output gradient is $\frac{2}{n}(\hat x - x)$: the $\delta$ "
                      r"backpropagation starts from."),
        Beat("epoch0", f"Now the codes, coloured by the group each point came from. Before "
                       f"training the {lesson.n_groups} groups are mixed, and the loss is "
                       f"{loss[0]:.2f}."),
        Beat("epoch1", f"After {epoch[1]} epochs the groups pull apart. Loss {loss[1]:.2f}."),
        Beat("epoch2", f"After {epoch[2]}, {loss[2]:.2f}: the rebuilt bars follow the "
                       f"originals."),
        Beat("epoch3", f"After {epoch[3]}, {loss[3]:.2f}. Two numbers per point now rebuild "
                       f"{kept:.0f} percent of the variance."),
        Beat("organised", f"Nobody told it the groups. Yet their centres now sit {sep[3]:.1f} "
                          f"times further apart than the spread inside a group; at the start, "
                          f"{sep[0]:.1f}."),
        Beat("linear", rf"Now drop the hidden layers and the tanh: a linear autoencoder, "
                       rf"${d} \to 2 \to {d}$. Chapter 2 had a linear answer too: PCA."),
        Beat("angles", f"The angles between its decoder's plane and PCA's fall from "
                       f"{ang0[0]:.0f} and {ang0[1]:.0f} degrees to under a thousandth of a "
                       f"degree."),
        Beat("same", f"It found PCA's subspace and PCA's error, {pca_loss:.3f}, though its "
                     "weights are not the principal axes themselves: only their span is."),
        Beat("lesson", f"The tanh autoencoder reached {loss[3]:.2f}, below PCA's "
                       f"{pca_loss:.2f}: a curved code can beat the best flat one."),
    )
    numbers = {"points": n, "numbers per point": d, "code size": code,
               "epochs": int(np.asarray(run.steps)[-1]), "final loss": float(run.loss[-1]),
               "PCA's loss, 2 components": float(pca_loss),
               "linear autoencoder: final loss": float(lin.loss[-1]),
               "variance kept by the code (%)": float(kept)}
    return Script(narration, lesson, numbers)


# the layout, by region (offsets from a region's centre). First the three sample panels in a
# column of the right half, the bow tie and the loss in the left half; after the board (the
# whole stage), the code space in the left half with the readout beside it; then the linear
# autoencoder's bow tie in the left half and its readouts in a column of the right half.
_L, _R, _S = style.LEFT.center, style.RIGHT.center, style.STAGE.center
SAMPLES_DX = 4.75 - _R[0]
SAMPLES_DY = (1.95 - _R[1], 0.15 - _R[1], -1.65 - _R[1])     # one panel per sample, top down
BOWTIE_DX, BOWTIE_DY = -2.6 - _L[0], 0.9 - _L[1]
LOSS_DX, LOSS_DY = -2.6 - _L[0], -1.75 - _L[1]
BOARD_DY = 0.6 - _S[1]
CODES_DX, CODES_DY = -4.0 - _L[0], 0.15 - _L[1]
READOUT_DX, READOUT_DY = 0.55 - _S[0], 1.6 - _S[1]
LINEAR_DX, LINEAR_DY = -4.0 - _L[0], 0.6 - _L[1]
COLUMN_DX, COLUMN_DY = 3.2 - _R[0], 0.45 - _R[1]
BOARD_MAX_W = style.SAFE.width - 0.4
BAR_RANGE = 3.5             # the sample panels show values in [-3.5, 3.5]
SAMPLE_W, SAMPLE_H = 3.0, 1.35
DATA_BAR, RECON_BAR = 0.8, 0.4          # bar widths, as fractions of a value's slot
DATA_BAR_STROKE = 2.0
MIN_BAR = 1e-3              # a zero value still draws a sliver
LAYER_SCALE, LAYER_BAR_W, MIN_LAYER_H = 0.17, 0.22, 0.3     # bow tie: height per unit, width
BOWTIE_GAP, LINEAR_GAP = 1.15, 2.0      # bow ties: between the layers' bars
CODES_W, CODES_H = 4.6, 4.2
CODES_PAD = 0.08            # the code box's margin, as a fraction of the codes' extent


class SamplePanel(VGroup):
    """One sample's bars (:meth:`Autoencoder._sample_panel`), with the geometry its
    reconstruction's bars are drawn to: ``unit`` (scene units per data unit), ``step`` (the
    width of one value's slot), ``w`` (the panel's width) and ``origin`` (its centre)."""

    def __init__(self, *parts: VMobject, unit: float, step: float, w: float,
                 origin: np.ndarray) -> None:
        super().__init__(*parts)
        self.unit, self.step, self.w, self.origin = unit, step, w, origin


class Autoencoder(LessonScene):
    script = staticmethod(script)
    lesson: AutoencoderLesson

    # ------------------------------------------------------------------ drawing helpers
    def _sample_panel(self, x: np.ndarray, centre: np.ndarray) -> SamplePanel:
        """Axes-free panel: a zero line and ``len(x)`` outlined bars of the data."""
        w, h = SAMPLE_W, SAMPLE_H
        unit = h / (2 * BAR_RANGE)
        step = w / len(x)
        zero = Line(np.array([-w / 2, 0, 0]), np.array([w / 2, 0, 0]), color=style.MUTED,
                    stroke_width=style.STROKE_THIN)
        bars = VGroup()
        for j, v in enumerate(x):
            r = Rectangle(width=step * DATA_BAR, height=max(abs(v) * unit, MIN_BAR),
                          stroke_color=style.NOTATION.data, stroke_width=DATA_BAR_STROKE,
                          fill_opacity=0)
            r.move_to(np.array([-w / 2 + step * (j + 0.5), v * unit / 2, 0]))
            bars.add(r)
        panel = SamplePanel(zero, bars, unit=unit, step=step, w=w,
                            origin=np.asarray(centre, float))
        panel.shift(np.asarray(centre))
        return panel

    def _recon_bars(self, panel: SamplePanel, x_hat: np.ndarray) -> VGroup:
        n = style.NOTATION
        out = VGroup()
        for j, v in enumerate(x_hat):
            r = Rectangle(width=panel.step * RECON_BAR, height=max(abs(v) * panel.unit, MIN_BAR),
                          stroke_width=0, fill_color=n.prediction, fill_opacity=0.9)
            r.move_to(panel.origin + [-panel.w / 2 + panel.step * (j + 0.5), v * panel.unit / 2, 0])
            out.add(r)
        return out

    def _bowtie(self, centre: np.ndarray, sizes: tuple[int, ...],
                names: tuple[str, ...] = (r"x", r"h", r"z", r"h'", r"\hat{x}"),
                gap: float = BOWTIE_GAP) -> VGroup:
        """Layers as bars (height by width), joined by trapezoids, with their names beneath."""
        scale, bar_w = LAYER_SCALE, LAYER_BAR_W
        xs = [(i - (len(sizes) - 1) / 2) * gap for i in range(len(sizes))]
        hs = [max(MIN_LAYER_H, s * scale) for s in sizes]
        c = np.asarray(centre, float)
        bars = VGroup(*[Rectangle(width=bar_w, height=h, stroke_width=0,
                                  fill_color=style.FOREGROUND, fill_opacity=0.85)
                        .move_to(c + [x, 0, 0]) for x, h in zip(xs, hs)])
        bars[0].set_fill(style.NOTATION.data)
        bars[-1].set_fill(style.NOTATION.prediction)
        links = VGroup(*[Polygon(c + [xs[i] + bar_w / 2, hs[i] / 2, 0],
                                 c + [xs[i + 1] - bar_w / 2, hs[i + 1] / 2, 0],
                                 c + [xs[i + 1] - bar_w / 2, -hs[i + 1] / 2, 0],
                                 c + [xs[i] + bar_w / 2, -hs[i] / 2, 0],
                                 stroke_width=0, fill_color=style.MUTED, fill_opacity=0.35)
                         for i in range(len(sizes) - 1)])
        colours = ([style.NOTATION.data] + [style.FOREGROUND] * (len(sizes) - 2)
                   + [style.NOTATION.prediction])
        low = c[1] - max(hs) / 2 - style.GAP
        labels = VGroup(*[MathTex(nm, r"\in\mathbb{R}^{" + str(s) + "}", color=col,
                                  font_size=style.FONT_SIZE_LABEL)
                          .move_to(np.array([c[0] + x, low, 0]))
                          for nm, s, col, x in zip(names, sizes, colours, xs)])
        mid = (len(sizes) - 1) // 2
        parts = VGroup(
            Text("encoder", font=style.FONT, font_size=style.FONT_SIZE_LABEL, color=style.MUTED)
            .move_to(c + [(xs[0] + xs[mid]) / 2, max(hs) / 2 + style.GAP, 0]),
            Text("decoder", font=style.FONT, font_size=style.FONT_SIZE_LABEL, color=style.MUTED)
            .move_to(c + [(xs[mid] + xs[-1]) / 2, max(hs) / 2 + style.GAP, 0]),
        )
        return VGroup(links, bars, labels, parts)

    # ------------------------------------------------------------------------ the lesson
    def construct(self) -> None:
        # imported here: the derivation (SymPy) loads only when the scene is drawn, so
        # importing this module does no work
        from mlv.derivations.autoencoder import output_gradient
        from mlv.scenes.components.derivation import DerivationPanel

        n = style.NOTATION
        lesson = self.lesson
        run, lin = lesson.run, lesson.linear
        d = lesson.X.shape[1]
        shown, epoch = lesson.shown, lesson.shown_epochs
        loss = [float(run.loss[k]) for k in shown]
        pca_loss = lesson.pca_loss
        samples = lesson.X[list(lesson.samples)]
        panels = [self._sample_panel(x, style.RIGHT.at(SAMPLES_DX, dy))
                  for x, dy in zip(samples, SAMPLES_DY)]
        legend = VGroup(MathTex("x", color=n.data, font_size=style.FONT_SIZE_LABEL),
                        MathTex(r"\hat{x}", color=n.prediction, font_size=style.FONT_SIZE_LABEL)
                        ).arrange(RIGHT, buff=style.GAP_LARGE)
        legend.next_to(VGroup(*panels), UP, buff=style.GAP_SMALL)
        legend[1].set_opacity(0)

        with self.beat("data") as beat:
            self.play(*[FadeIn(p) for p in panels], FadeIn(legend), run_time=beat.part(0.4))

        bowtie = self._bowtie(style.LEFT.at(BOWTIE_DX, BOWTIE_DY), run.meta["layer_sizes"])
        with self.beat("squeeze") as beat:
            self.play(FadeIn(bowtie[1]), FadeIn(bowtie[2]), run_time=beat.part(0.3))
            self.play(FadeIn(bowtie[0]), FadeIn(bowtie[3]), run_time=beat.part(0.3))

        loss_tex = MathTex(r"L", "=", r"\frac{1}{n}", r"\sum_{i=1}^{n}",
                           r"\lVert \hat{x}_i - x_i \rVert^2", font_size=style.FONT_SIZE_MATH)
        loss_tex[0].set_color(n.loss)
        loss_tex.move_to(style.LEFT.at(LOSS_DX, LOSS_DY))
        with self.beat("loss") as beat:
            self.play(Write(loss_tex), run_time=beat.part(0.4))

        first = VGroup(bowtie, loss_tex, *panels, legend)
        board = DerivationPanel(output_gradient(), centre=style.STAGE.at(dy=BOARD_DY),
                                font_size=style.FONT_SIZE_BOARD, max_width=BOARD_MAX_W)
        with self.beat("derive") as beat:
            self.play(FadeOut(first), run_time=beat.part(0.15))
            self.play(board.make_step_animation(0, run_time=beat.part(0.3)))
            self.play(board.make_step_animation(1, run_time=beat.part(0.3)))
        with self.beat("chain") as beat:
            self.play(board.make_step_animation(2, run_time=beat.part(0.4)))
        with self.beat("delta") as beat:
            self.play(board.make_step_animation(3, run_time=beat.part(0.4)))

        # the code space and the reconstructions, epoch by epoch
        x0, x1, y0, y1 = lesson.code_box
        pad = CODES_PAD * max(x1 - x0, y1 - y0)         # dots stay clear of the frame
        xr, yr = [x0 - pad, x1 + pad, 1.0], [y0 - pad, y1 + pad, 1.0]
        ax = Axes(x_range=xr, y_range=yr, x_length=CODES_W, y_length=CODES_H, tips=False,
                  axis_config={"stroke_opacity": 0, "include_ticks": False})
        ax.move_to(style.LEFT.at(CODES_DX, CODES_DY))
        box = Rectangle(width=CODES_W, height=CODES_H, color=style.MUTED,
                        stroke_width=style.STROKE_THIN).move_to(ax)
        code_axes = VGroup(ax, box,
                           MathTex("z_1", font_size=style.FONT_SIZE_LABEL).next_to(
                               box, DOWN, buff=style.GAP_SMALL),
                           MathTex("z_2", font_size=style.FONT_SIZE_LABEL).next_to(
                               box, LEFT, buff=style.GAP_SMALL))

        def dots_at(k: int) -> VGroup:
            return VGroup(*[Dot(ax.c2p(*c), radius=style.DOT_RADIUS,
                                color=n.clusters[int(g)])
                            for c, g in zip(lesson.codes(k), lesson.labels)])

        readout = Readout([("epoch", r"\text{epoch}", style.FOREGROUND, 0),
                           ("loss", "L", n.loss)], decimals=2, font_size=style.FONT_SIZE_BODY,
                          signed=False)
        readout.move_to(style.STAGE.at(READOUT_DX, READOUT_DY))
        recon = [self._recon_bars(p, lesson.reconstructions[0][i]) for i, p in enumerate(panels)]
        dots = dots_at(shown[0])
        with self.beat("epoch0") as beat:
            self.play(board.make_clear_animation(run_time=beat.part(0.15)))
            readout.show({"epoch": epoch[0], "loss": loss[0]})
            legend[1].set_opacity(1)
            self.play(Create(code_axes), FadeIn(readout), *[FadeIn(p) for p in panels],
                      FadeIn(legend), run_time=beat.part(0.2))
            self.play(FadeIn(dots), *[FadeIn(r) for r in recon], run_time=beat.part(0.2))

        for j, key in enumerate(("epoch1", "epoch2", "epoch3"), start=1):
            with self.beat(key) as beat:
                new = dots_at(shown[j])
                new_recon = [self._recon_bars(p, lesson.reconstructions[j][i])
                             for i, p in enumerate(panels)]
                readout.show({"epoch": epoch[j], "loss": loss[j]})
                self.play(Transform(dots, new),
                          *[Transform(r, nr) for r, nr in zip(recon, new_recon)],
                          run_time=beat.part(0.4))
        self.code_dots, self.code_axes, self.readout = dots, ax, readout

        sep = MathTex(r"\frac{\text{between groups}}{\text{within a group}}", "=",
                      f"{float(lesson.separation[shown[3]]):.1f}", font_size=style.FONT_SIZE_LABEL)
        sep.next_to(readout, DOWN, buff=style.GAP_LARGE).align_to(readout, LEFT)
        with self.beat("organised") as beat:
            self.play(FadeIn(sep), run_time=beat.part(0.25))

        # the linear autoencoder and PCA
        angles = Readout([("t1", r"\theta_1", n.pc1), ("t2", r"\theta_2", n.pc2),
                          ("loss", r"L_{\text{linear}}", n.loss),
                          ("pca", r"L_{\text{PCA}}", n.pc1)], decimals=3,
                         font_size=style.FONT_SIZE_BODY, signed=False)
        pca_row = angles.rows[3]
        lin_title = MathTex(r"x \in \mathbb{R}^{" + str(d) + r"} \;\to\; z \in \mathbb{R}^{2} "
                            r"\;\to\; \hat{x} \in \mathbb{R}^{" + str(d) + "}",
                            font_size=style.FONT_SIZE_MATH)
        lin_epoch = Readout([("epoch", r"\text{epoch}", style.FOREGROUND, 0)],
                            font_size=style.FONT_SIZE_BODY, signed=False)
        unit = Text("angles in degrees", font=style.FONT, font_size=style.FONT_SIZE_LABEL,
                    color=style.MUTED)
        lin_steps = np.asarray(lin.steps)

        def angle_values(k: int) -> dict[str, float]:
            return {"t1": lesson.angles[k][0], "t2": lesson.angles[k][1],
                    "loss": lin.loss[k], "pca": pca_loss}

        angles.show(angle_values(0))
        lin_epoch.show({"epoch": 0})
        column = VGroup(lin_title, lin_epoch, unit, angles).arrange(
            DOWN, buff=style.GAP, aligned_edge=LEFT)
        column.move_to(style.RIGHT.at(COLUMN_DX, COLUMN_DY))
        lin_bowtie = self._bowtie(style.LEFT.at(LINEAR_DX, LINEAR_DY), sizes=(d, 2, d),
                                  names=("x", "z", r"\hat{x}"), gap=LINEAR_GAP)
        with self.beat("linear") as beat:
            self.play(FadeOut(VGroup(readout, sep, *panels, *recon, legend, code_axes, dots)),
                      run_time=beat.part(0.2))
            self.play(FadeIn(lin_bowtie), Write(lin_title), run_time=beat.part(0.3))
            self.play(FadeIn(pca_row), run_time=beat.part(0.2))

        with self.beat("angles") as beat:
            self.play(FadeIn(unit), FadeIn(lin_epoch), FadeIn(VGroup(*angles.rows[:3])),
                      run_time=beat.part(0.15))
            k = ValueTracker(0)
            last = len(lin) - 1
            step = lambda: min(last, int(round(k.get_value())))  # noqa: E731
            for name, num in angles.numbers.items():
                num.add_updater(lambda m, name=name: m.set_value(angle_values(step())[name]))
            lin_epoch.numbers["epoch"].add_updater(lambda m: m.set_value(lin_steps[step()]))
            self.play(k.animate.set_value(last), run_time=beat.part(0.7), rate_func=linear)
            for num in (*angles.numbers.values(), lin_epoch.numbers["epoch"]):
                num.clear_updaters()
            angles.show(angle_values(last))
            lin_epoch.show({"epoch": lin_steps[last]})

        with self.beat("same") as beat:
            pass

        compare = MathTex(r"L_{\tanh}", "=", f"{loss[3]:.2f}", "<", f"{pca_loss:.2f}", "=",
                          r"L_{\text{PCA}}", font_size=style.FONT_SIZE_MATH)
        compare[0].set_color(n.loss)
        compare[6].set_color(n.pc1)
        compare.next_to(column, DOWN, buff=style.GAP_LARGE).set_x(column.get_x())
        with self.beat("lesson") as beat:
            self.play(Write(compare), run_time=beat.part(0.3))
        self.angles, self.lin_epoch = angles, lin_epoch
