"""``dot-product-attention``: four tokens in two dimensions, their queries, keys and values, the
scores, the softmax weights and the weighted sums, every number from one attention pass; then why
the scores are divided by sqrt(d), from the measured variance of q . k (the ``seed`` parameter
draws other embeddings, projections and samples)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Arrow, FadeIn, FadeOut, GrowArrow, MathTex, Text, VGroup

from mlv.algorithms.lessons_attention import DotProductLesson, dot_product_lesson
from mlv.scenes import style
from mlv.scenes.components.grid import HeatGrid
from mlv.scenes.components.panels import make_axes
from mlv.scenes.lesson import LessonScene
from mlv.scenes.narration import Beat, Narration
from mlv.scenes.script import Script

SHARP = 0.9          # a row whose top weight passes this is "almost all on one token"


def facts(L: DotProductLesson) -> dict[str, Any]:
    """The rows and entries the narration names."""
    W = L.weights
    sharp = int(np.argmax(W.max(axis=1)))
    flat = int(np.argmin(W.max(axis=1) - W.min(axis=1)))
    r, c = np.unravel_index(int(np.argmax(L.scores)), L.scores.shape)
    return {"sharp": sharp, "target": int(np.argmax(W[sharp])), "flat": flat,
            "top_score": (int(r), int(c))}


def _vec(v: np.ndarray) -> str:
    """A vector as inline math, two decimals: ``$(-1.05, 1.59)$`` (written "(−1.05, 1.59)")."""
    return "$(" + ", ".join(f"{x:.2f}" for x in v) + ")$"


def script(params: Mapping[str, Any]) -> Script:
    L = dot_product_lesson(params["seed"])
    f = facts(L)
    T, W = L.tokens, L.weights
    sharp, target, flat = f["sharp"], f["target"], f["flat"]
    r, c = f["top_score"]
    d = L.X.shape[1]
    q = {k: f"“{t}”" for k, t in enumerate(T)}
    if W[sharp, target] > SHARP:
        output = (f"Each output sums the values with its row's weights: {q[sharp]} gets "
                  f"{_vec(L.out[sharp])}, close to the value of {q[target]}, "
                  f"{_vec(L.V[target])}.")
    else:
        output = (f"Each output sums the values with its row's weights: {q[sharp]} gets "
                  f"{_vec(L.out[sharp])}, leaning towards the value of {q[target]}, "
                  f"{_vec(L.V[target])}.")
    v, sv = L.variance, L.scaled_variance
    narration = Narration(
        Beat("tokens", f"Take four tokens, {', '.join(T[:-1])} and {T[-1]}, each embedded as a "
                       f"vector in {d} dimensions: the arrows are the embeddings."),
        Beat("qkv", "Attention multiplies each embedding by three learned matrices: a query, "
                    "what the token looks for; a key, what it offers; a value, what it passes "
                    "on."),
        Beat("scores", rf"Every query is dotted with every key and divided by the square root "
                       rf"of $d$, here $\sqrt{{{d}}}$. The largest score, {L.scores[r, c]:.2f}, "
                       f"is the query of {q[r]} against the key of {q[c]}."),
        Beat("weights", f"A softmax along each row turns the scores into weights that sum to "
                        f"one. {q[sharp]} puts {W[sharp, target]:.2f} on {q[target]}; {q[flat]} "
                        f"spreads its weights from {W[flat].min():.2f} to "
                        f"{W[flat].max():.2f}."),
        Beat("output", output),
        Beat("matrix", r"All of it is one line: the softmax of $QK^\top / \sqrt{d}$, times "
                       r"$V$."),
        Beat("why-root", r"Why divide by $\sqrt{d}$? For random vectors with $d$ entries, "
                         r"$q \cdot k$ is a sum of $d$ products, so its variance grows with $d$."),
        Beat("variance", f"Measured on 20000 random pairs: a variance of {v[0]:.1f} at "
                         f"$d = {L.dims[0]}$, {v[2]:.1f} at $d = {L.dims[2]}$ and {v[-1]:.0f} at "
                         f"$d = {L.dims[-1]}$."),
        Beat("scaled", rf"Divided by $\sqrt{{d}}$ it stays near one, from {sv.min():.2f} to "
                       rf"{sv.max():.2f}. Unscaled, large scores would push softmax to one-hot "
                       rf"weights, whose slopes $s(1 - s)$ vanish."),
    )
    numbers = {"largest score": float(L.scores[r, c]), "sharpest weight": float(W[sharp, target]),
               f"var(q·k) at d = {L.dims[0]}": float(v[0]),
               f"var(q·k) at d = {L.dims[-1]}": float(v[-1]),
               f"var(q·k/√d) at d = {L.dims[-1]}": float(sv[-1])}
    return Script(narration, L, numbers)


PLANE = 4.4
PLANE_DY = -0.15 - style.LEFT.center[1]
GRID_DY = 0.0 - style.RIGHT.center[1]
FORMULA_DY = 2.05 - style.RIGHT.center[1]
CELL = 0.72


def _axes_limit(L: DotProductLesson) -> float:
    m = float(np.max(np.abs(np.concatenate([L.X, L.V, L.out]))))
    return float(np.ceil(m * 2) / 2)


class DotProductAttention(LessonScene):
    script = staticmethod(script)
    lesson: DotProductLesson

    def arrows(self, axes, points: np.ndarray, colour) -> VGroup:
        return VGroup(*[Arrow(axes.c2p(0, 0), axes.c2p(*p), buff=0, color=colour,
                              stroke_width=style.STROKE, max_tip_length_to_length_ratio=0.12)
                        for p in points])

    def square(self, values: np.ndarray, colour, lo: float, hi: float) -> VGroup:
        """A (tokens x tokens) grid: queries down the side, keys along the top."""
        n = style.NOTATION
        T = self.lesson.tokens
        grid = HeatGrid(values, cell=CELL, colour=colour, lo=lo, hi=hi, row_labels=T,
                        col_labels=T, label_colours=(n.query, n.key),
                        label_size=style.FONT_SIZE_SMALL)
        keys = Text("keys", font=style.FONT, font_size=style.FONT_SIZE_LABEL, color=n.key)
        keys.next_to(grid.col_labels, UP, buff=style.GAP_SMALL)
        queries = Text("queries", font=style.FONT, font_size=style.FONT_SIZE_LABEL,
                       color=n.query)
        queries.next_to(grid.row_labels, UP, buff=style.GAP_SMALL).align_to(grid.row_labels,
                                                                             RIGHT)
        queries.shift(0.2 * LEFT)
        out = VGroup(grid, keys, queries)
        return out.move_to(style.RIGHT.at(0.3, GRID_DY))

    def construct(self) -> None:
        L = self.lesson
        n = style.NOTATION
        T = L.tokens
        lim = _axes_limit(L)
        frame = make_axes([-lim, lim, lim / 2], [-lim, lim, lim / 2], width=PLANE, height=PLANE,
                          number_decimals=1, label_every=None)
        frame.move_to(style.LEFT.at(0, PLANE_DY))
        axes = frame.axes
        emb = self.arrows(axes, L.X, n.data)
        names = VGroup(*[Text(t, font=style.FONT, font_size=style.FONT_SIZE_SMALL,
                              color=n.data) for t in T])
        for name, p in zip(names, L.X):
            name.move_to(axes.c2p(*p) + 0.3 * (np.array([*p, 0]) / max(np.linalg.norm(p), 1e-9)))
        legend = Text("embeddings", font=style.FONT, font_size=style.FONT_SIZE_LABEL,
                      color=n.data).next_to(frame, UP, buff=style.GAP_SMALL)
        with self.beat("tokens") as beat:
            self.play(FadeIn(frame), run_time=beat.part(0.2))
            self.play(*[GrowArrow(cast(Arrow, a)) for a in emb], FadeIn(names), FadeIn(legend),
                      run_time=beat.part(0.4))

        labels = [f"{t}" for t in T]
        span = float(np.max(np.abs(np.concatenate([L.Q, L.K, L.V]))))
        tables = VGroup(*[HeatGrid(M, cell=CELL * 0.85, colour=colour, lo=-span, hi=span,
                                   decimals=1,
                                   row_labels=labels if k == 0 else (),
                                   col_labels=[f"${s}_1$", f"${s}_2$"],
                                   label_colours=(n.data, colour))
                          for k, (M, colour, s) in enumerate(((L.Q, n.query, "q"),
                                                              (L.K, n.key, "k"),
                                                              (L.V, n.value, "v")))])
        tables.arrange(RIGHT, buff=style.GAP_LARGE).move_to(style.RIGHT.at(0, GRID_DY))
        with self.beat("qkv") as beat:
            self.play(FadeIn(tables, lag_ratio=0.3), run_time=beat.part(0.6))

        scores = self.square(L.scores, n.query, float(L.scores.min()), float(L.scores.max()))
        with self.beat("scores") as beat:
            self.play(FadeOut(tables), run_time=beat.part(0.15))
            self.play(FadeIn(scores), run_time=beat.part(0.4))

        weights = self.square(L.weights, n.attention, 0.0, 1.0)
        with self.beat("weights") as beat:
            self.play(FadeOut(scores), FadeIn(weights), run_time=beat.part(0.4))

        outs = self.arrows(axes, L.out, n.value)
        out_legend = Text("outputs", font=style.FONT, font_size=style.FONT_SIZE_LABEL,
                          color=n.value).next_to(legend, RIGHT, buff=style.GAP_LARGE)
        with self.beat("output") as beat:
            self.play(*[a.animate.set_opacity(0.35) for a in emb], run_time=beat.part(0.15))
            self.play(*[GrowArrow(cast(Arrow, a)) for a in outs], FadeIn(out_legend),
                      run_time=beat.part(0.4))

        formula = MathTex(r"\mathrm{Attention}(Q, K, V) = \mathrm{softmax}\!\left("
                          r"\frac{Q K^\top}{\sqrt{d}}\right) V", font_size=style.FONT_SIZE_MATH)
        formula.move_to(style.RIGHT.at(0, FORMULA_DY))
        if formula.width > style.RIGHT.width - 0.3:
            formula.scale_to_fit_width(style.RIGHT.width - 0.3)
        with self.beat("matrix") as beat:
            self.play(weights.animate.scale(0.8).move_to(style.RIGHT.at(0.3, GRID_DY - 0.4)),
                      run_time=beat.part(0.3))
            self.play(FadeIn(formula), run_time=beat.part(0.3))

        rows = VGroup(MathTex(r"d", r"\mathrm{var}(q\cdot k)", r"\mathrm{var}(q\cdot k/\sqrt{d})",
                              font_size=style.FONT_SIZE_MATH))
        for d, v, sv in zip(L.dims, L.variance, L.scaled_variance):
            rows.add(MathTex(f"{d}", f"{v:.1f}", f"{sv:.2f}", font_size=style.FONT_SIZE_MATH))
        for row in rows:
            for k, part in enumerate(row):
                part.move_to(np.array([k * 2.3, 0, 0]))
        rows.arrange(DOWN, buff=style.GAP)
        for row in rows[1:]:
            for k in range(3):
                row[k].set_x(rows[0][k].get_x())
        rows[0][1].set_color(n.loss)
        rows[0][2].set_color(n.attention)
        rows.move_to(style.RIGHT.at(0, GRID_DY - 0.4))
        with self.beat("why-root") as beat:
            self.play(FadeOut(weights), run_time=beat.part(0.2))
            self.play(FadeIn(rows[0]), run_time=beat.part(0.2))
        with self.beat("variance") as beat:
            for row in rows[1:]:
                self.play(FadeIn(row[0]), FadeIn(row[1]), run_time=beat.part(0.12))
        with self.beat("scaled") as beat:
            self.play(*[FadeIn(row[2]) for row in rows[1:]], run_time=beat.part(0.3))
        self.table = rows
