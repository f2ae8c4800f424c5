"""``optimizers``: gradient descent, momentum, RMSProp and Adam racing on a narrow valley and on the
saddle ``x^2 - y^2``, with their update rules and Adam's bias correction."""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Circle,
    Create,
    DashedLine,
    FadeIn,
    FadeOut,
    Line,
    MathTex,
    Text,
    ValueTracker,
    VGroup,
    always_redraw,
    linear,
)

from mlv.algorithms.lessons import OptimizerRace, OptimizersLesson, optimizers_lesson
from mlv.scenes import style
from mlv.scenes.components.panels import ContourPanel, LossCurvePanel
from mlv.scenes.lesson import LessonScene
from mlv.scenes.narration import Beat, Narration
from mlv.scenes.script import Script

if TYPE_CHECKING:
    from mlv.derivations.steps import Derivation
    from mlv.scenes.components.derivation import DerivationPanel

NAMES = ("sgd", "momentum", "rmsprop", "adam")
LABEL = {"sgd": "gradient descent", "momentum": "momentum", "rmsprop": "RMSProp", "adam": "Adam"}


def order(race: OptimizerRace, verb: str) -> str:
    """``"Momentum gets there first, in 68 steps; then gradient descent, 88; ..."``, in the race's
    own order (so the narration always follows the data)."""
    ranked = race.ranking()
    first, rest = ranked[0], ranked[1:]
    name = LABEL[first][0].upper() + LABEL[first][1:]
    parts = [f"{LABEL[k]} {race.steps_to[k]}" for k in rest]
    return f"{name} {verb} first, in {race.steps_to[first]} steps, then " + ", ".join(parts) + "."


def script(params: Mapping[str, Any]) -> Script:
    """The lesson's races (it takes no parameters), its narration and numbers."""
    lesson = optimizers_lesson()
    valley, near, far = lesson.valley, lesson.saddle_near, lesson.saddle_far
    eta_v, eta_s = valley.learning_rate, near.learning_rate
    x_travel = abs(valley.start[0])             # how far x must travel to the valley's minimum
    narration = Narration(
        Beat("rules-1", r"Gradient descent steps by $\eta$ times the gradient $g$. Momentum adds "
                        r"a fraction $\beta$ of its last step."),
        Beat("rules-2", "RMSProp divides each coordinate by the root of its recent squared "
                        "gradients. Adam does both."),
        Beat("bias", "Adam's running mean $m$ starts at zero. For a constant gradient $g$, "
                     r"unrolling it gives $1 - \beta^t$, times $g$: too small."),
        Beat("bias-fix", r"Dividing by $1 - \beta^t$ undoes that exactly. So every Adam step "
                         r"moves each coordinate by about $\eta$."),
        Beat("valley", rf"Race one: a narrow valley, one start, with $\eta = {eta_v:g}$ for all."),
        Beat("valley-race", "Gradient descent drops to the valley floor in one step, then "
                            "crawls. Momentum swings, but gathers speed."),
        Beat("valley-result", order(valley, f"gets the loss below {valley.threshold:g}")),
        Beat("valley-why", r"The adaptive methods move each coordinate by about $\eta$ or less "
                           f"per step: {x_travel:g} units cost them over "
                           f"{x_travel / eta_v:.0f} steps."),
        Beat("saddle", f"Race two: the saddle $x^2 - y^2$. Leave the ridge $y = 0$, starting "
                       f"at $y = {near.start[1]:g}$."),
        Beat("saddle-gd", rf"Gradient descent multiplies $y$ by $1 + 2\eta$ each step: "
                          f"exponential, but only {200 * eta_s:g} percent at "
                          rf"$\eta = {eta_s:g}$."),
        Beat("saddle-race", f"Who first gets farther than {near.threshold:g} from the ridge?"),
        Beat("saddle-result", order(near, "escapes") + " Near the ridge gradient descent's steps "
                              "are tiny; adaptive ones are not."),
        Beat("saddle-far", f"From $y = {far.start[1]:g}$, the order changes. "
                           + order(far, "escapes")),
        Beat("lesson", "No optimizer wins everywhere. Here momentum led every race, and the "
                       "adaptive methods beat gradient descent only near the ridge."),
    )
    numbers = {"valley learning rate": eta_v, "saddle learning rate": eta_s,
               **{f"valley: steps to loss < {valley.threshold:g}, {LABEL[k]}": (
                   "not reached" if valley.steps_to[k] is None else valley.steps_to[k])
                  for k in NAMES},
               **{f"saddle from y = {near.start[1]:g}: steps to escape, {LABEL[k]}": (
                   "not reached" if near.steps_to[k] is None else near.steps_to[k])
                  for k in ("sgd", "adam")}}
    return Script(narration, lesson, numbers)


# the layout, by region (offsets from the stage's centre): the update rules and the boards
# across the stage; in a race, the contour panel on the left and a column on the right with the
# progress panel above its legend (rows below the legend's title, at offsets from it)
RULES_AT = style.STAGE.at(0.0, 0.4625)
BOARD_AT = style.STAGE.at(0.0, 0.5625)
BOARD_W = style.STAGE.width - 0.6
CONTOUR_AT = style.STAGE.at(-3.0, 0.3625)
CURVES_AT = style.STAGE.at(3.85, 1.4625)
CURVES_W, CURVES_H = 4.3, 2.3
LEGEND_AT = style.STAGE.at(3.85, -0.3375)
LEGEND_ROW = 0.45                     # between the legend's rows
SWATCH_DX = (-2.0, -1.55)             # the colour swatch's ends
NAME_DX, COUNT_DX = -1.35, 2.3        # the name's left edge, the count's (and title's) right edge
SADDLE_BOARD_AT = style.STAGE.at(3.85, 0.6125)
SADDLE_BOARD_W = 5.6
VALLEY_W, VALLEY_H = 6.4, 3.2
SADDLE_W = SADDLE_H = 4.4
START_RADIUS = 0.1
# the saddle has no minimum: evenly spaced levels, the ridge-crossing level 0 the most opaque
SADDLE_LEVELS = [0.0, -1.0, 1.0, -2.0, 2.0, -3.0, 3.0]


def colour(name: str):
    return style.NOTATION.optimizer(name)


def adam_board(derivation: Derivation) -> DerivationPanel:
    from mlv.scenes.components.derivation import DerivationPanel

    """One of Adam's derivations on the board across the stage."""
    return DerivationPanel(derivation, lhs_color=style.NOTATION.adam, centre=BOARD_AT,
                           max_width=BOARD_W, font_size=style.FONT_SIZE_BOARD, reason_chars=70)


def rules() -> VGroup:
    """The four update rules, one row per optimizer, in its colour."""
    rows = [
        ("sgd", [r"\theta_{t+1} = \theta_t - \eta\, g_t"]),
        ("momentum", [r"v_{t+1} = \beta v_t - \eta\, g_t,\quad \theta_{t+1} = \theta_t + v_{t+1}"]),
        ("rmsprop", [r"s_{t+1} = \rho s_t + (1-\rho)\, g_t^2,\quad "
                     r"\theta_{t+1} = \theta_t - \eta \frac{g_t}{\sqrt{s_{t+1}} + \epsilon}"]),
        ("adam", [r"m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t,\quad "
                  r"v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2",
                  r"\theta_t = \theta_{t-1} - \eta \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon},"
                  r"\quad \hat m_t = \frac{m_t}{1-\beta_1^t},\ "
                  r"\hat v_t = \frac{v_t}{1-\beta_2^t}"]),
    ]
    out = VGroup()
    for name, lines in rows:
        label = Text(LABEL[name], font=style.FONT, font_size=style.FONT_SIZE_BODY,
                     color=colour(name))
        maths = VGroup(*[MathTex(t, font_size=style.FONT_SIZE_MATH - 4, color=style.FOREGROUND)
                         for t in lines]).arrange(DOWN, aligned_edge=LEFT, buff=style.GAP_SMALL)
        row = VGroup(label, maths)
        out.add(row)
    label_w = max(r[0].width for r in out)
    for r in out:
        r[1].next_to(r[0], RIGHT, buff=style.GAP_LARGE + label_w - r[0].width)
        r[1].align_to(r[0], UP)
    out.arrange(DOWN, aligned_edge=LEFT, buff=style.GAP_LARGE)
    out.move_to(RULES_AT)
    return out


class Race:
    """One race drawn: the contour panel with the paths, the progress-by-step panel with a
    dashed goal line, and a legend that doubles as the table of steps to the goal."""

    def __init__(self, race: OptimizerRace, *, panel_w: float, panel_h: float, y_label: str,
                 floor: float, goal: str, levels: list[float] | None = None):
        self.race = race
        self.contour = ContourPanel(*race.grid, width=panel_w, height=panel_h, p_label="x",
                                    q_label="y", n_levels=12, levels=levels)
        self.contour.move_to(CONTOUR_AT)
        steps = np.concatenate([race.runs[k].steps[: race.shown[k] + 1] for k in NAMES])
        values = np.concatenate([race.progress[k][: race.shown[k] + 1] for k in NAMES])
        self.floor = floor
        self.curves = LossCurvePanel(steps, np.append(values, race.threshold), width=CURVES_W,
                                     height=CURVES_H, x_label=r"\text{step}", y_label=y_label,
                                     floor=floor)
        self.curves.move_to(CURVES_AT)
        ax = self.curves.axes
        h = np.log10(race.threshold) - self.curves.lo
        self.goal = DashedLine(ax.c2p(ax.x_range[0], h), ax.c2p(ax.x_range[1], h),
                               color=style.FOREGROUND, stroke_width=style.STROKE_THIN,
                               dash_length=0.08)
        self.legend = VGroup()
        self.counts: dict[str, str] = {}
        self.count_texts: list[Text] = []          # the counts column of the legend
        for i, k in enumerate(NAMES):
            row = LEGEND_AT + (i + 1) * LEGEND_ROW * DOWN
            swatch = Line(row + SWATCH_DX[0] * RIGHT, row + SWATCH_DX[1] * RIGHT,
                          color=colour(k), stroke_width=style.STROKE_THICK)
            name = Text(LABEL[k], font=style.FONT, font_size=style.FONT_SIZE_LABEL,
                        color=colour(k))
            name.move_to(row + NAME_DX * RIGHT, aligned_edge=LEFT)
            self.counts[k] = "—" if race.steps_to[k] is None else str(race.steps_to[k])
            count = Text(self.counts[k], font=style.FONT, font_size=style.FONT_SIZE_LABEL,
                         color=style.FOREGROUND)
            count.move_to(row + COUNT_DX * RIGHT, aligned_edge=RIGHT)
            self.count_texts.append(count)
            self.legend.add(VGroup(swatch, name, count))
        self.title = MathTex(r"\text{steps to }" + goal, font_size=style.FONT_SIZE_LABEL,
                             color=style.FOREGROUND)
        self.title.move_to(LEGEND_AT + COUNT_DX * RIGHT, aligned_edge=RIGHT)
        self.legend.add(self.title)
        self.start = Circle(radius=START_RADIUS, color=style.FOREGROUND,
                            stroke_width=style.STROKE).move_to(self.contour.point(*race.start))

    def counts_hidden(self) -> None:
        for count in self.count_texts:
            count.set_opacity(0)

    def tracked(self, tracker: ValueTracker) -> VGroup:
        """Each optimizer's path and progress curve up to step ``tracker`` (and no further than
        its last point inside the window)."""
        out = VGroup()
        for k in NAMES:
            run, last = self.race.runs[k], self.race.shown[k]
            params = run.params[: last + 1]
            out.add(self.contour.tracked_path(params, tracker, colour(k)))
            steps, values = run.steps[: last + 1], self.race.progress[k][: last + 1]

            def curve(k=k, steps=steps, values=values):
                j = max(1, min(len(steps) - 1, int(round(tracker.get_value()))))
                return self.curves.curve_of(steps[: j + 1], values[: j + 1], colour(k),
                                            floor=self.floor)
            out.add(always_redraw(curve))
        return out

    def final(self) -> VGroup:
        """The finished paths and curves, static."""
        out = VGroup()
        for k in NAMES:
            run, last = self.race.runs[k], self.race.shown[k]
            out.add(self.contour.path_upto(run.params[: last + 1], last, colour(k)))
            out.add(self.curves.curve_of(run.steps[: last + 1],
                                         self.race.progress[k][: last + 1], colour(k),
                                         floor=self.floor))
        return out


class Optimizers(LessonScene):
    script = staticmethod(script)
    lesson: OptimizersLesson

    def _race(self, drawn: Race, run_time: float) -> VGroup:
        k = ValueTracker(0)
        last = max(drawn.race.shown.values())
        moving = drawn.tracked(k)
        self.add(moving)
        self.play(k.animate.set_value(last), run_time=run_time, rate_func=linear)
        final = drawn.final()
        self.remove(moving)
        self.add(final)
        return final

    def _show_counts(self, drawn: Race, run_time: float) -> None:
        for count in drawn.count_texts:
            count.set_opacity(1)
        self.play(FadeIn(VGroup(*drawn.count_texts)), run_time=run_time)

    def construct(self) -> None:
        # imported here: the derivations (SymPy) load only when the scene is drawn, so
        # importing this module does no work
        from mlv.derivations.optimizers import (
            adam_bias_correction,
            adam_moment,
            adam_step,
            sgd_saddle_y,
        )
        from mlv.scenes.components.derivation import DerivationPanel
        n = style.NOTATION
        lesson = self.lesson
        table = rules()
        with self.beat("rules-1") as beat:
            self.play(FadeIn(table[0]), run_time=beat.part(0.3))
            self.play(FadeIn(table[1]), run_time=beat.part(0.3))
        with self.beat("rules-2") as beat:
            self.play(FadeIn(table[2]), run_time=beat.part(0.3))
            self.play(FadeIn(table[3]), run_time=beat.part(0.3))

        board = adam_board(adam_moment())
        with self.beat("bias") as beat:
            self.play(FadeOut(table), run_time=beat.part(0.1))
            self.play(board.make_step_animation(0, run_time=beat.part(0.2)))
            for j in range(1, len(board.derivation.steps)):
                self.play(board.make_step_animation(j, run_time=beat.part(0.15)))
        fix = adam_board(adam_bias_correction())
        step = adam_board(adam_step())
        with self.beat("bias-fix") as beat:
            self.play(board.make_clear_animation(run_time=beat.part(0.05)))
            for j in range(len(fix.derivation.steps)):
                self.play(fix.make_step_animation(j, run_time=beat.part(0.13)))
            self.play(fix.make_clear_animation(run_time=beat.part(0.05)))
            for j in range(len(step.derivation.steps)):
                self.play(step.make_step_animation(j, run_time=beat.part(0.13)))

        valley = Race(lesson.valley, panel_w=VALLEY_W, panel_h=VALLEY_H, y_label="f",
                      floor=1e-6, goal=f"f < {lesson.valley.threshold:g}")
        valley.counts_hidden()
        with self.beat("valley") as beat:
            self.play(step.make_clear_animation(run_time=beat.part(0.1)))
            self.play(FadeIn(valley.contour), FadeIn(valley.start), run_time=beat.part(0.3))
            self.play(FadeIn(valley.curves), Create(valley.goal), FadeIn(valley.legend),
                      run_time=beat.part(0.3))
        with self.beat("valley-race") as beat:
            valley_paths = self._race(valley, beat.part(0.9))
        with self.beat("valley-result") as beat:
            self._show_counts(valley, beat.part(0.3))
        with self.beat("valley-why") as beat:
            pass

        near = Race(lesson.saddle_near, panel_w=SADDLE_W, panel_h=SADDLE_H, y_label="|y|",
                    floor=1e-3, goal=f"|y| > {lesson.saddle_near.threshold:g}",
                    levels=SADDLE_LEVELS)
        near.counts_hidden()
        with self.beat("saddle") as beat:
            self.play(FadeOut(VGroup(valley.contour, valley.start, valley.curves, valley.goal,
                                     valley.legend, valley_paths)), run_time=beat.part(0.2))
            self.play(FadeIn(near.contour), FadeIn(near.start), run_time=beat.part(0.3))
        saddle_board = DerivationPanel(sgd_saddle_y(), lhs_color=n.sgd, centre=SADDLE_BOARD_AT,
                                       max_width=SADDLE_BOARD_W, font_size=style.FONT_SIZE_MATH,
                                       reason_chars=40)
        with self.beat("saddle-gd") as beat:
            for j in range(len(saddle_board.derivation.steps)):
                self.play(saddle_board.make_step_animation(j, run_time=beat.part(0.25)))
        with self.beat("saddle-race") as beat:
            self.play(saddle_board.make_clear_animation(run_time=beat.part(0.1)))
            self.play(FadeIn(near.curves), Create(near.goal), FadeIn(near.legend),
                      run_time=beat.part(0.15))
            near_paths = self._race(near, beat.part(0.7))
        with self.beat("saddle-result") as beat:
            self._show_counts(near, beat.part(0.2))

        far = Race(lesson.saddle_far, panel_w=SADDLE_W, panel_h=SADDLE_H, y_label="|y|",
                   floor=1e-3, goal=f"|y| > {lesson.saddle_far.threshold:g}",
                   levels=SADDLE_LEVELS)
        far.counts_hidden()
        with self.beat("saddle-far") as beat:
            self.play(FadeOut(VGroup(near_paths, near.start, near.curves, near.goal,
                                     near.legend)), run_time=beat.part(0.1))
            self.remove(near.contour)
            self.add(far.contour)
            self.play(FadeIn(far.start), FadeIn(far.curves), Create(far.goal),
                      FadeIn(far.legend), run_time=beat.part(0.1))
            self._race(far, beat.part(0.45))
            self._show_counts(far, beat.part(0.1))
        with self.beat("lesson") as beat:
            pass
        self.races = {"valley": valley, "near": near, "far": far}
