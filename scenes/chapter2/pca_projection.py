"""``pca-projection``: centre, covariance ellipse, principal axes, projection onto PC1."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    Create,
    Dot,
    Ellipse,
    FadeIn,
    FadeOut,
    GrowArrow,
    Line,
    MathTex,
    Rectangle,
    VGroup,
    Write,
)

from mlv.algorithms.lessons import PCALesson, pca_lesson
from mlv.scenes import style
from mlv.scenes.components.panels import make_axes
from mlv.scenes.lesson import LessonScene
from mlv.scenes.narration import Beat, Narration
from mlv.scenes.script import Script


def script(params: Mapping[str, Any]) -> Script:
    """The lesson's data and PCA fit (it takes no parameters), its narration and numbers."""
    lesson = pca_lesson()
    fit = lesson.fit.extras
    lam, ratio = fit["eigenvalues"], fit["explained_variance_ratio"]
    narration = Narration(
        Beat("data", f"Here are {len(lesson.X)} points in two dimensions. They vary together: "
                     "when one coordinate is large, so is the other."),
        Beat("centre", "First we centre them, subtracting the mean. Only for centred data is "
                       r"$X^\top X$ proportional to the covariance matrix."),
        Beat("ellipse", "The covariance matrix draws an ellipse around the cloud: here, two "
                        "standard deviations in every direction."),
        Beat("axes", "Its axes are the eigenvectors of the covariance matrix, the principal "
                     "components. Each is drawn with length proportional to the square root of "
                     "its eigenvalue."),
        Beat("variances", f"The variance along the first axis is its eigenvalue, {lam[0]:.2f}; "
                          f"along the second, {lam[1]:.2f}."),
        Beat("project", "Now project every point onto the first axis: drop a perpendicular to "
                        "the line and keep only the foot."),
        Beat("bars", f"The first component explains {100 * ratio[0]:.1f} percent of the "
                     f"variance, the second only {100 * ratio[1]:.1f} percent."),
        Beat("lesson", "So one number per point instead of two keeps almost everything. That is "
                       "dimensionality reduction by PCA."),
    )
    numbers = {"points": len(lesson.X), "first eigenvalue": float(lam[0]),
               "second eigenvalue": float(lam[1]),
               "variance explained by component 1 (%)": float(100 * ratio[0]),
               "variance explained by component 2 (%)": float(100 * ratio[1])}
    return Script(narration, lesson, numbers)


# the layout, by region (offsets from the stage's centre): the points on the left, the formulas
# and the bars of explained variance in a column on the right
UNIT = 0.5        # scene units per data unit on both axes (equal aspect, so ellipses are true)
DATA_AT = style.STAGE.at(-2.6, 0.1125)
FORMULA_AT = style.STAGE.at(4.4, 2.3125)
BARS_AT = style.STAGE.at(4.4, -1.2875)
BAR_W, BAR_H, BAR_GAP = 0.7, 2.2, 0.6      # a bar's width, the height of 100 %, between bars
BAR_BASE_W = 2.0
MEAN_RADIUS = 0.1


class PCAProjection(LessonScene):
    script = staticmethod(script)
    lesson: PCALesson

    def construct(self) -> None:
        n = style.NOTATION
        fit = self.lesson.fit.extras
        mean, lam, U = fit["mean"], fit["eigenvalues"], fit["components"]
        ratio = fit["explained_variance_ratio"]
        frame = make_axes([-7, 7, 1], [-5, 5, 1], width=14 * UNIT, height=10 * UNIT,
                          x_label="x_1", y_label="x_2", label_every=2)
        ax = frame.axes
        frame.move_to(DATA_AT)

        def pt(v):
            return ax.c2p(*v)

        dots = VGroup(*[Dot(pt(v), radius=style.DOT_RADIUS, color=n.data) for v in self.lesson.X])
        with self.beat("data") as beat:
            self.play(Create(frame), run_time=beat.part(0.3))
            self.play(FadeIn(dots, lag_ratio=0.01), run_time=beat.part(0.4))

        mean_dot = Dot(pt(mean), radius=MEAN_RADIUS, color=style.FOREGROUND)
        mean_label = MathTex(r"\bar x", font_size=style.FONT_SIZE_LABEL).next_to(mean_dot, UP,
                                                                                buff=0.1)
        centred = [pt(v) for v in fit["X_centered"]]
        with self.beat("centre") as beat:
            self.play(FadeIn(mean_dot), FadeIn(mean_label), run_time=beat.part(0.2))
            formula = MathTex(r"X_c = X - \bar x", font_size=style.FONT_SIZE_MATH)
            formula.move_to(FORMULA_AT)
            cov = MathTex(r"\Sigma = \frac{X_c^\top X_c}{n-1}", font_size=style.FONT_SIZE_MATH)
            cov.next_to(formula, DOWN, buff=style.GAP_LARGE)
            self.play(Write(formula), run_time=beat.part(0.2))
            self.play(*[d.animate.move_to(c) for d, c in zip(dots, centred, strict=True)],
                      mean_dot.animate.move_to(pt((0, 0))), FadeOut(mean_label),
                      run_time=beat.part(0.35))
            self.play(Write(cov), FadeOut(mean_dot), run_time=beat.part(0.2))

        angle = float(np.arctan2(U[0, 1], U[0, 0]))
        ellipse = Ellipse(width=2 * 2 * np.sqrt(lam[0]) * UNIT,
                          height=2 * 2 * np.sqrt(lam[1]) * UNIT,
                          color=style.MUTED, stroke_width=style.STROKE).rotate(angle)
        ellipse.move_to(pt((0, 0)))
        with self.beat("ellipse") as beat:
            self.play(Create(ellipse), run_time=beat.part(0.5))

        axis_arrows = [Arrow(pt((0, 0)), pt(2 * np.sqrt(lam[j]) * U[j]), buff=0, color=c,
                             stroke_width=style.STROKE_THICK, max_tip_length_to_length_ratio=0.12)
                       for j, c in enumerate((n.pc1, n.pc2))]
        arrows = VGroup(*axis_arrows)
        labels = VGroup(
            MathTex("u_1", color=n.pc1, font_size=style.FONT_SIZE_MATH).next_to(
                arrows[0].get_end(), RIGHT + DOWN, buff=0.1),
            MathTex("u_2", color=n.pc2, font_size=style.FONT_SIZE_MATH).next_to(
                arrows[1].get_end(), LEFT, buff=0.1),
        )
        with self.beat("axes") as beat:
            eig = MathTex(r"\Sigma u_j = \lambda_j u_j", font_size=style.FONT_SIZE_MATH)
            eig.next_to(cov, DOWN, buff=style.GAP_LARGE)
            self.play(Write(eig), run_time=beat.part(0.25))
            self.play(GrowArrow(axis_arrows[0]), GrowArrow(axis_arrows[1]), FadeIn(labels),
                      run_time=beat.part(0.4))

        with self.beat("variances") as beat:
            values = VGroup(
                MathTex(r"\lambda_1 = " + f"{lam[0]:.2f}", color=n.pc1,
                        font_size=style.FONT_SIZE_MATH),
                MathTex(r"\lambda_2 = " + f"{lam[1]:.2f}", color=n.pc2,
                        font_size=style.FONT_SIZE_MATH),
            ).arrange(DOWN, aligned_edge=LEFT, buff=style.GAP)
            values.next_to(eig, DOWN, buff=style.GAP_LARGE)
            self.play(FadeIn(values), run_time=beat.part(0.3))

        u1 = U[0]
        feet = [pt(p * u1) for p in fit["projections"][:, 0]]
        reach = 1.0 / np.max(np.abs(u1) / [7.0, 5.0])      # the line ends at the axes' box
        pc1_line = Line(pt(-reach * u1), pt(reach * u1), color=n.pc1,
                        stroke_width=style.STROKE_THIN)
        drops = VGroup(*[Line(d.get_center(), f, color=n.residual, stroke_width=1.2)
                         for d, f in zip(dots, feet, strict=True)])
        with self.beat("project") as beat:
            self.play(FadeOut(ellipse), Create(pc1_line), run_time=beat.part(0.2))
            self.play(Create(drops, lag_ratio=0.01), run_time=beat.part(0.3))
            self.play(*[d.animate.move_to(f).set_color(n.pc1)
                        for d, f in zip(dots, feet, strict=True)],
                      FadeOut(drops), run_time=beat.part(0.35))

        bars = VGroup()
        for j, c in enumerate((n.pc1, n.pc2)):
            rect = Rectangle(width=BAR_W, height=max(0.02, BAR_H * ratio[j]), color=c,
                             fill_color=c, fill_opacity=0.85, stroke_width=0)
            bars.add(rect)
        bars.arrange(RIGHT, buff=BAR_GAP, aligned_edge=DOWN)
        base = Line(BAR_BASE_W / 2 * LEFT, BAR_BASE_W / 2 * RIGHT, color=style.MUTED,
                    stroke_width=style.STROKE_THIN)
        bar_group = VGroup(bars, base)
        base.next_to(bars, DOWN, buff=0)
        bar_group.move_to(BARS_AT)
        captions = VGroup(*[
            MathTex(f"{100 * ratio[j]:.1f}" + r"\%", color=c, font_size=style.FONT_SIZE_LABEL)
            .next_to(bars[j], UP, buff=0.1)
            for j, c in enumerate((n.pc1, n.pc2))])
        names = VGroup(*[MathTex(f"u_{j + 1}", font_size=style.FONT_SIZE_LABEL)
                         .next_to(bars[j], DOWN, buff=0.15) for j in range(2)])
        with self.beat("bars") as beat:
            self.play(FadeOut(VGroup(formula, cov)), VGroup(eig, values).animate.shift(
                (formula.get_top()[1] - eig.get_top()[1]) * UP), run_time=beat.part(0.25))
            self.play(FadeIn(bar_group), FadeIn(names), run_time=beat.part(0.25))
            self.play(FadeIn(captions), run_time=beat.part(0.2))

        with self.beat("lesson") as beat:
            pass
        self.dots, self.axes = dots, ax
        self.shown_ratios = [float(c.get_tex_string().split("\\")[0]) for c in captions]
