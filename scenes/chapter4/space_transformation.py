"""``space-transformation``: the input plane and the XOR data carried through the trained network's
hidden layer (its affine map, then its sigmoid) until one straight line separates the classes; that
line carried back is the curved decision boundary."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    Arrow,
    Create,
    FadeIn,
    FadeOut,
    Line,
    MathTex,
    ReplacementTransform,
    Transform,
    VGroup,
    VMobject,
    smooth,
)

from mlv.algorithms.lessons_networks import SpaceLesson, space_lesson
from mlv.scenes import style
from mlv.scenes.chapter4.neural_network_training import class_dots
from mlv.scenes.components.panels import AxesFrame, make_axes, nice_range, points_on
from mlv.scenes.lesson import LessonScene
from mlv.scenes.narration import Beat, Narration
from mlv.scenes.script import Script


def script(params: Mapping[str, Any]) -> Script:
    """The plane carried through the trained XOR network, the narration and numbers (the scene
    takes no parameters)."""
    lesson = space_lesson()
    n = len(lesson.y)
    narration = Narration(
        Beat("plane", "Here is the input plane of the trained network, with a grid drawn on it "
                      "and the XOR data. No straight line separates pink from blue."),
        Beat("affine", "The hidden layer first computes $z = Wx + b$, an affine map. Here it "
                       "squeezes the plane into a thin strip: both rows of $W$ point almost the "
                       "same way."),
        Beat("straight", "Grid lines stay straight and parallel, and the two classes still "
                         "alternate along the strip. No line separates them yet."),
        Beat("squash", "Then the sigmoid squashes each coordinate between 0 and 1. The strip "
                       "bends at a corner and folds onto two edges of the square."),
        Beat("corners", "Both blue clusters are pushed into one corner, and the two pink "
                        "clusters into the two neighbouring corners."),
        Beat("line", f"Now one straight line separates the classes: the output neuron's line, "
                     f"where $w \\cdot a + b = 0$. It puts all {n} points on their own side."),
        Beat("back", "Carried back to the input plane, that straight line becomes the curved "
                     "boundary the network learned."),
        Beat("lesson", "That is what a hidden layer does: it bends the space until a straight "
                       "line is enough."),
    )
    numbers = {"points": n, "right side of the output line": float(lesson.hidden_accuracy),
               "output weight w1": float(lesson.w_out[0]),
               "output weight w2": float(lesson.w_out[1]), "output bias b": float(lesson.b_out)}
    return Script(narration, lesson, numbers)


# the layout, by region (offsets from a region's centre): the plane's square in the left half,
# the network's steps in a column of the right half
SIZE = 5.0                              # the plane's square on screen
PLANE_DX, PLANE_DY = -3.0 - style.LEFT.center[0], 0.15 - style.LEFT.center[1]
STEPS_DX, STEPS_DY = 3.9 - style.RIGHT.center[0], 0.4 - style.RIGHT.center[1]
STEPS_GAP = style.GAP_LARGE * 1.2
MARKER_SCALE = 0.35                     # the arrow pointing at the current step
MARKER_TIP = 0.35                       # its tip, as a fraction of its length
GRID_OPACITY = 0.8
PULSE = 1.6                             # how much a class's dots grow when pointed out
LABELS = {"a0": ("x_1", "x_2"), "z1": ("z_1", "z_2"), "a1": ("a_1", "a_2")}


def stage_frame(lesson: SpaceLesson, stage: str) -> AxesFrame:
    """Axes for one stage, spanning its grid (the unit square for the sigmoid's output)."""
    if stage == "a1":
        xr = yr = [0.0, 1.0, 0.5]
    else:
        pts = lesson.grid[stage].reshape(-1, 2)
        xr = nice_range(pts[:, 0].min(), pts[:, 0].max(), ticks=4)
        yr = nice_range(pts[:, 1].min(), pts[:, 1].max(), ticks=4)
    frame = make_axes(xr, yr, width=SIZE, height=SIZE, x_label=LABELS[stage][0],
                      y_label=LABELS[stage][1], number_decimals=1 if xr[2] < 1 else 0)
    frame.move_to(style.LEFT.at(PLANE_DX, PLANE_DY))
    return frame


def grid_lines(lesson: SpaceLesson, frame: AxesFrame, stage: str) -> VGroup:
    out = VGroup()
    for line in lesson.grid[stage]:
        m = VMobject(stroke_color=style.MUTED, stroke_width=style.STROKE_THIN,
                     stroke_opacity=GRID_OPACITY)
        m.set_points_as_corners(points_on(frame.axes, line[:, 0], line[:, 1]))
        out.add(m)
    return out


def pipeline() -> VGroup:
    """The steps of the network, top to bottom, that the scene walks through."""
    n = style.NOTATION
    rows = VGroup(
        MathTex("x", font_size=style.FONT_SIZE_MATH, color=n.data),
        MathTex("z = ", "W^{(1)}", "x", "+", "b^{(1)}", font_size=style.FONT_SIZE_MATH),
        MathTex("a = ", r"\sigma(z)", font_size=style.FONT_SIZE_MATH),
        MathTex(r"\hat y = \sigma(", "w", r"\cdot a", "+", "b", ")",
                font_size=style.FONT_SIZE_MATH),
    ).arrange(DOWN, buff=STEPS_GAP)
    rows[1][1].set_color(n.w)
    rows[1][2].set_color(n.data)
    rows[1][4].set_color(n.b)
    rows[2][0].set_color(n.activation)
    rows[3][0].set_color(n.prediction)
    rows[3][1].set_color(n.w)
    rows[3][4].set_color(n.b)
    rows.move_to(style.RIGHT.at(STEPS_DX, STEPS_DY))
    return rows


def first_half(t: float) -> float:
    """A smooth rate over the first half of an animation, then 1."""
    return float(smooth(min(1.0, 2 * t)))


def second_half(t: float) -> float:
    """0 for the first half of an animation, then a smooth rate over the second."""
    return float(smooth(max(0.0, 2 * t - 1)))


def detach_text(frame: AxesFrame) -> VGroup:
    """Take the tick numbers and axis labels out of ``frame`` (to fade them, not morph them)."""
    axes = frame.axes
    text = VGroup(axes.x_axis.numbers, axes.y_axis.numbers, frame[1])
    axes.x_axis.remove(axes.x_axis.numbers)
    axes.y_axis.remove(axes.y_axis.numbers)
    frame.remove(frame[1])
    return text


def attach_text(frame: AxesFrame, text: VGroup) -> None:
    """Put back what :func:`detach_text` took out."""
    numbers_x, numbers_y, labels = text.submobjects
    frame.axes.x_axis.add(numbers_x)
    frame.axes.y_axis.add(numbers_y)
    frame.add(labels)


def grow(dots: VGroup, factor: float) -> list[Any]:
    """Each dot scaled by ``factor`` about its own centre."""
    return [d.animate.scale(factor) for d in dots]


class SpaceTransformation(LessonScene):
    script = staticmethod(script)
    lesson: SpaceLesson

    def construct(self) -> None:
        lesson = self.lesson
        frame = stage_frame(lesson, "a0")
        grid = grid_lines(lesson, frame, "a0")
        dots = class_dots(frame.axes, lesson.data["a0"], lesson.y)
        steps = pipeline()
        marker = Arrow(LEFT, RIGHT, color=style.FOREGROUND, stroke_width=style.STROKE,
                       max_tip_length_to_length_ratio=MARKER_TIP).scale(MARKER_SCALE)

        def point_at(k: int) -> Any:
            return marker.animate.next_to(steps[k], LEFT, buff=style.GAP)

        def carry(stage: str, run_time: float) -> None:
            """Morph the axes, grid and dots into ``stage``'s; the tick numbers and axis labels
            do not morph (old ones would slide over new ones): the old fade out in the first
            half, the new fade in the second."""
            nonlocal frame
            new_frame = stage_frame(lesson, stage)
            new_grid = grid_lines(lesson, new_frame, stage)
            where = points_on(new_frame.axes, lesson.data[stage][:, 0], lesson.data[stage][:, 1])
            old_text, new_text = detach_text(frame), detach_text(new_frame)
            self.add(old_text)
            self.play(ReplacementTransform(frame, new_frame), Transform(grid, new_grid),
                      *[d.animate.move_to(p) for d, p in zip(dots, where)],
                      FadeOut(old_text, rate_func=first_half),
                      FadeIn(new_text, rate_func=second_half), run_time=run_time)
            self.remove(old_text, new_text)
            attach_text(new_frame, new_text)
            frame = new_frame

        with self.beat("plane") as beat:
            self.play(Create(grid, lag_ratio=0.02), FadeIn(frame), run_time=beat.part(0.4))
            self.play(FadeIn(dots), FadeIn(steps[0]), run_time=beat.part(0.2))
            marker.next_to(steps[0], LEFT, buff=style.GAP)
            self.play(FadeIn(marker), run_time=beat.part(0.1))

        with self.beat("affine") as beat:
            self.play(FadeIn(steps[1]), point_at(1), run_time=beat.part(0.2))
            carry("z1", beat.part(0.6))
        with self.beat("straight") as beat:
            self.play(grid.animate.set_stroke(opacity=1.0, width=style.STROKE),
                      run_time=beat.part(0.2))
            self.play(grid.animate.set_stroke(opacity=GRID_OPACITY, width=style.STROKE_THIN),
                      run_time=beat.part(0.2))

        with self.beat("squash") as beat:
            self.play(FadeIn(steps[2]), point_at(2), run_time=beat.part(0.2))
            carry("a1", beat.part(0.6))
        with self.beat("corners") as beat:
            blue = VGroup(*[d for d, c in zip(dots, lesson.y) if c == 0])
            pink = VGroup(*[d for d, c in zip(dots, lesson.y) if c == 1])
            # each dot grows about its own centre (a group's .scale would spread them out)
            self.play(*grow(blue, PULSE), run_time=beat.part(0.2))
            self.play(*grow(blue, 1 / PULSE), *grow(pink, PULSE), run_time=beat.part(0.2))
            self.play(*grow(pink, 1 / PULSE), run_time=beat.part(0.2))

        ax = frame.axes
        (a_start, a_end) = lesson.boundary
        line = Line(ax.c2p(*a_start), ax.c2p(*a_end), color=style.NOTATION.prediction,
                    stroke_width=style.STROKE_THICK)
        with self.beat("line") as beat:
            self.play(FadeIn(steps[3]), point_at(3), run_time=beat.part(0.2))
            self.play(Create(line), run_time=beat.part(0.4))

        with self.beat("back") as beat:
            self.play(FadeOut(line), FadeOut(marker), run_time=beat.part(0.15))
            carry("a0", beat.part(0.45))
            curves = VGroup()
            for piece in lesson.boundary_input:
                c = VMobject(stroke_color=style.NOTATION.prediction,
                             stroke_width=style.STROKE_THICK)
                c.set_points_as_corners(points_on(frame.axes, piece[:, 0], piece[:, 1]))
                curves.add(c)
            self.play(Create(curves), run_time=beat.part(0.3))

        with self.beat("lesson") as beat:
            pass
        self.dots, self.frame, self.line, self.curves = dots, frame, line, curves
