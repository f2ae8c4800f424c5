"""``autoencoder``: an encoder squeezing 8-D points to a 2-D code, a decoder rebuilding them; the
code space organising itself; the reconstruction loss's gradient; the linear autoencoder and PCA."""
from __future__ import annotations

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
    Write,
    linear,
)

from mlv.algorithms.lessons_deep import autoencoder_lesson
from mlv.derivations.autoencoder import output_gradient
from mlv.scenes import style
from mlv.scenes.components.derivation import DerivationPanel
from mlv.scenes.components.readout import Readout
from mlv.scenes.lesson import LessonScene
from mlv.scenes.narration import Beat, Narration

LESSON = autoencoder_lesson()
RUN, LIN = LESSON.run, LESSON.linear
N, D = LESSON.X.shape
SIZES = RUN.meta["layer_sizes"]                      # (8, 16, 2, 16, 8)
SHOWN = LESSON.shown
EPOCH = [int(RUN.steps[k]) for k in SHOWN]
LOSS = [float(RUN.loss[k]) for k in SHOWN]
SEP = [float(LESSON.separation[k]) for k in SHOWN]
ANG0, ANG_END = LESSON.angles[0], LESSON.angles[-1]
LIN_EPOCHS = int(LIN.steps[-1])
PCA_LOSS = LESSON.pca_loss
N_GROUPS = len(np.unique(LESSON.labels))
KEPT = 100 * LESSON.variance_kept(SHOWN[3])

NARRATION = Narration(
    Beat("data", f"Each of these {N} points has {D} numbers. Here are three, as {D} bars each."),
    Beat("squeeze", f"An autoencoder squeezes each point through a bottleneck: the encoder maps "
                    f"{D} numbers to a code of {SIZES[2]}, the decoder maps it back to {D}."),
    Beat("loss", "It learns to reproduce its own input. The loss is the mean squared distance "
                 "between x hat and x."),
    Beat("derive", "Its slope at one output, x hat k 1: the derivative moves inside the sum."),
    Beat("chain", "Only one squared error contains x hat k 1. The chain rule gives two times "
                  "that error."),
    Beat("delta", "So the output gradient is two over n times x hat minus x: the delta "
                  "backpropagation starts from."),
    Beat("epoch0", f"Now the codes, coloured by the group each point came from. Before "
                   f"training the {N_GROUPS} groups are mixed, and the loss is {LOSS[0]:.2f}."),
    Beat("epoch1", f"After {EPOCH[1]} epochs the groups pull apart. Loss {LOSS[1]:.2f}."),
    Beat("epoch2", f"After {EPOCH[2]}, {LOSS[2]:.2f}: the rebuilt bars follow the originals."),
    Beat("epoch3", f"After {EPOCH[3]}, {LOSS[3]:.2f}. Two numbers per point now rebuild "
                   f"{KEPT:.0f} percent of the variance."),
    Beat("organised", f"Nobody told it the groups. Yet their centres now sit {SEP[3]:.1f} times "
                      f"further apart than the spread inside a group; at the start, "
                      f"{SEP[0]:.1f}."),
    Beat("linear", f"Now drop the hidden layers and the tanh: a linear autoencoder, {D} to 2 "
                   "to {D}. Chapter 2 had a linear answer too: PCA.".replace("{D}", str(D))),
    Beat("angles", f"The angles between its decoder's plane and PCA's fall from "
                   f"{ANG0[0]:.0f} and {ANG0[1]:.0f} degrees to under a thousandth of a degree."),
    Beat("same", f"It found PCA's subspace and PCA's error, {PCA_LOSS:.3f}, though its weights "
                 "are not the principal axes themselves: only their span is."),
    Beat("lesson", f"The tanh autoencoder reached {LOSS[3]:.2f}, below PCA's {PCA_LOSS:.2f}: "
                   "a curved code can beat the best flat one."),
)

BAR_RANGE = 3.5            # the sample panels show values in [-3.5, 3.5]


class Autoencoder(LessonScene):
    narration = NARRATION
    heading = "Autoencoders: learning a compressed code"
    numbers = {"points": N, "numbers per point": D, "code size": SIZES[2],
               "epochs": int(RUN.steps[-1]), "final loss": float(RUN.loss[-1]),
               "PCA's loss, 2 components": float(PCA_LOSS),
               "linear autoencoder: final loss": float(LIN.loss[-1]),
               "variance kept by the code (%)": float(KEPT)}

    # ------------------------------------------------------------------ drawing helpers
    def _sample_panel(self, x, centre) -> VGroup:
        """Axes-free panel: a zero line and ``len(x)`` outlined bars of the data."""
        w, h = 3.0, 1.35
        unit = h / (2 * BAR_RANGE)
        step = w / len(x)
        zero = Line([-w / 2, 0, 0], [w / 2, 0, 0], color=style.MUTED,
                    stroke_width=style.STROKE_THIN)
        bars = VGroup()
        for j, v in enumerate(x):
            r = Rectangle(width=step * 0.8, height=max(abs(v) * unit, 1e-3),
                          stroke_color=style.NOTATION.data, stroke_width=2, fill_opacity=0)
            r.move_to([-w / 2 + step * (j + 0.5), v * unit / 2, 0])
            bars.add(r)
        panel = VGroup(zero, bars).shift(np.asarray(centre))
        panel.unit, panel.step, panel.w = unit, step, w
        panel.origin = np.asarray(centre, float)
        return panel

    def _recon_bars(self, panel, x_hat) -> VGroup:
        n = style.NOTATION
        out = VGroup()
        for j, v in enumerate(x_hat):
            r = Rectangle(width=panel.step * 0.4, height=max(abs(v) * panel.unit, 1e-3),
                          stroke_width=0, fill_color=n.prediction, fill_opacity=0.9)
            r.move_to(panel.origin + [-panel.w / 2 + panel.step * (j + 0.5), v * panel.unit / 2, 0])
            out.add(r)
        return out

    def _bowtie(self, centre, sizes=SIZES, names=(r"x", r"h", r"z", r"h'", r"\hat{x}"),
                gap: float = 1.15) -> VGroup:
        """Layers as bars (height by width), joined by trapezoids, with their names beneath."""
        scale, bar_w = 0.17, 0.22
        xs = [(i - (len(sizes) - 1) / 2) * gap for i in range(len(sizes))]
        hs = [max(0.3, s * scale) for s in sizes]
        c = np.asarray(centre, float)
        bars = VGroup(*[Rectangle(width=bar_w, height=h, stroke_width=0,
                                  fill_color=style.FOREGROUND, fill_opacity=0.85)
                        .move_to(c + [x, 0, 0]) for x, h in zip(xs, hs)])
        bars[0].set_fill(style.NOTATION.data); bars[-1].set_fill(style.NOTATION.prediction)
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
                                  font_size=style.FONT_SIZE_LABEL).move_to([c[0] + x, low, 0])
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
    def construct(self):
        n = style.NOTATION
        right_x = 4.75
        ys = (1.95, 0.15, -1.65)
        samples = LESSON.X[list(LESSON.samples)]
        panels = [self._sample_panel(x, [right_x, yy, 0]) for x, yy in zip(samples, ys)]
        legend = VGroup(MathTex("x", color=n.data, font_size=style.FONT_SIZE_LABEL),
                        MathTex(r"\hat{x}", color=n.prediction, font_size=style.FONT_SIZE_LABEL)
                        ).arrange(RIGHT, buff=style.GAP_LARGE)
        legend.next_to(VGroup(*panels), UP, buff=style.GAP_SMALL)
        legend[1].set_opacity(0)

        with self.beat("data") as beat:
            self.play(*[FadeIn(p) for p in panels], FadeIn(legend), run_time=beat.part(0.4))

        bowtie = self._bowtie([-2.6, 0.9, 0])
        with self.beat("squeeze") as beat:
            self.play(FadeIn(bowtie[1]), FadeIn(bowtie[2]), run_time=beat.part(0.3))
            self.play(FadeIn(bowtie[0]), FadeIn(bowtie[3]), run_time=beat.part(0.3))

        loss_tex = MathTex(r"L", "=", r"\frac{1}{n}", r"\sum_{i=1}^{n}",
                           r"\lVert \hat{x}_i - x_i \rVert^2", font_size=style.FONT_SIZE_MATH)
        loss_tex[0].set_color(n.loss)
        loss_tex.move_to([-2.6, -1.75, 0])
        with self.beat("loss") as beat:
            self.play(Write(loss_tex), run_time=beat.part(0.4))

        first = VGroup(bowtie, loss_tex, *panels, legend)
        board = DerivationPanel(output_gradient(), centre=[0, 0.6, 0],
                                font_size=style.FONT_SIZE_BOARD,
                                max_width=style.FRAME_WIDTH - 2 * style.SAFE_MARGIN - 0.4)
        with self.beat("derive") as beat:
            self.play(FadeOut(first), run_time=beat.part(0.15))
            self.play(board.make_step_animation(0, run_time=beat.part(0.3)))
            self.play(board.make_step_animation(1, run_time=beat.part(0.3)))
        with self.beat("chain") as beat:
            self.play(board.make_step_animation(2, run_time=beat.part(0.4)))
        with self.beat("delta") as beat:
            self.play(board.make_step_animation(3, run_time=beat.part(0.4)))

        # the code space and the reconstructions, epoch by epoch
        x0, x1, y0, y1 = LESSON.code_box
        pad = 0.08 * max(x1 - x0, y1 - y0)         # dots stay clear of the frame
        xr, yr = [x0 - pad, x1 + pad, 1.0], [y0 - pad, y1 + pad, 1.0]
        ax = Axes(x_range=xr, y_range=yr, x_length=4.6, y_length=4.2, tips=False,
                  axis_config={"stroke_opacity": 0, "include_ticks": False})
        ax.move_to([-4.0, 0.15, 0])
        box = Rectangle(width=ax.x_length, height=ax.y_length, color=style.MUTED,
                        stroke_width=style.STROKE_THIN).move_to(ax)
        code_axes = VGroup(ax, box,
                           MathTex("z_1", font_size=style.FONT_SIZE_LABEL).next_to(
                               box, DOWN, buff=style.GAP_SMALL),
                           MathTex("z_2", font_size=style.FONT_SIZE_LABEL).next_to(
                               box, LEFT, buff=style.GAP_SMALL))

        def dots_at(k):
            return VGroup(*[Dot(ax.c2p(*c), radius=style.DOT_RADIUS,
                                color=n.clusters[int(g)])
                            for c, g in zip(LESSON.codes(k), LESSON.labels)])

        readout = Readout([("epoch", r"\text{epoch}", style.FOREGROUND, 0),
                           ("loss", "L", n.loss)], decimals=2, font_size=style.FONT_SIZE_BODY,
                          signed=False)
        readout.move_to([0.55, 1.6, 0])
        recon = [self._recon_bars(p, LESSON.reconstructions[0][i]) for i, p in enumerate(panels)]
        dots = dots_at(SHOWN[0])
        with self.beat("epoch0") as beat:
            self.play(board.make_clear_animation(run_time=beat.part(0.15)))
            readout.show({"epoch": EPOCH[0], "loss": LOSS[0]})
            legend[1].set_opacity(1)
            self.play(Create(code_axes), FadeIn(readout), *[FadeIn(p) for p in panels],
                      FadeIn(legend), run_time=beat.part(0.2))
            self.play(FadeIn(dots), *[FadeIn(r) for r in recon], run_time=beat.part(0.2))

        for j, key in enumerate(("epoch1", "epoch2", "epoch3"), start=1):
            with self.beat(key) as beat:
                new = dots_at(SHOWN[j])
                new_recon = [self._recon_bars(p, LESSON.reconstructions[j][i])
                             for i, p in enumerate(panels)]
                readout.show({"epoch": EPOCH[j], "loss": LOSS[j]})
                self.play(Transform(dots, new),
                          *[Transform(r, nr) for r, nr in zip(recon, new_recon)],
                          run_time=beat.part(0.4))
        self.code_dots, self.code_axes, self.readout = dots, ax, readout

        sep = MathTex(r"\frac{\text{between groups}}{\text{within a group}}", "=",
                      f"{SEP[3]:.1f}", font_size=style.FONT_SIZE_LABEL)
        sep.next_to(readout, DOWN, buff=style.GAP_LARGE).align_to(readout, LEFT)
        with self.beat("organised") as beat:
            self.play(FadeIn(sep), run_time=beat.part(0.25))

        # the linear autoencoder and PCA
        angles = Readout([("t1", r"\theta_1", n.pc1), ("t2", r"\theta_2", n.pc2),
                          ("loss", r"L_{\text{linear}}", n.loss),
                          ("pca", r"L_{\text{PCA}}", n.pc1)], decimals=3,
                         font_size=style.FONT_SIZE_BODY, signed=False)
        pca_row = angles.rows[3]
        lin_title = MathTex(r"x \in \mathbb{R}^{" + str(D) + r"} \;\to\; z \in \mathbb{R}^{2} "
                            r"\;\to\; \hat{x} \in \mathbb{R}^{" + str(D) + "}",
                            font_size=style.FONT_SIZE_MATH)
        lin_epoch = Readout([("epoch", r"\text{epoch}", style.FOREGROUND, 0)],
                            font_size=style.FONT_SIZE_BODY, signed=False)
        unit = Text("angles in degrees", font=style.FONT, font_size=style.FONT_SIZE_LABEL,
                    color=style.MUTED)

        def angle_values(k):
            return {"t1": LESSON.angles[k][0], "t2": LESSON.angles[k][1],
                    "loss": LIN.loss[k], "pca": PCA_LOSS}

        angles.show(angle_values(0))
        lin_epoch.show({"epoch": 0})
        column = VGroup(lin_title, lin_epoch, unit, angles).arrange(
            DOWN, buff=style.GAP, aligned_edge=LEFT)
        column.move_to([3.2, 0.45, 0])
        lin_bowtie = self._bowtie([-4.0, 0.6, 0], sizes=(D, 2, D), names=("x", "z", r"\hat{x}"),
                                  gap=2.0)
        with self.beat("linear") as beat:
            self.play(FadeOut(VGroup(readout, sep, *panels, *recon, legend, code_axes, dots)),
                      run_time=beat.part(0.2))
            self.play(FadeIn(lin_bowtie), Write(lin_title), run_time=beat.part(0.3))
            self.play(FadeIn(pca_row), run_time=beat.part(0.2))

        with self.beat("angles") as beat:
            self.play(FadeIn(unit), FadeIn(lin_epoch), FadeIn(VGroup(*angles.rows[:3])),
                      run_time=beat.part(0.15))
            k = ValueTracker(0)
            last = len(LIN) - 1
            step = lambda: min(last, int(round(k.get_value())))  # noqa: E731
            for name, num in angles.numbers.items():
                num.add_updater(lambda m, name=name: m.set_value(angle_values(step())[name]))
            lin_epoch.numbers["epoch"].add_updater(lambda m: m.set_value(LIN.steps[step()]))
            self.play(k.animate.set_value(last), run_time=beat.part(0.7), rate_func=linear)
            for num in (*angles.numbers.values(), lin_epoch.numbers["epoch"]):
                num.clear_updaters()
            angles.show(angle_values(last))
            lin_epoch.show({"epoch": LIN.steps[last]})

        with self.beat("same") as beat:
            pass

        compare = MathTex(r"L_{\tanh}", "=", f"{LOSS[3]:.2f}", "<", f"{PCA_LOSS:.2f}", "=",
                          r"L_{\text{PCA}}", font_size=style.FONT_SIZE_MATH)
        compare[0].set_color(n.loss); compare[6].set_color(n.pc1)
        compare.next_to(column, DOWN, buff=style.GAP_LARGE).set_x(column.get_x())
        with self.beat("lesson") as beat:
            self.play(Write(compare), run_time=beat.part(0.3))
        self.angles, self.lin_epoch = angles, lin_epoch
