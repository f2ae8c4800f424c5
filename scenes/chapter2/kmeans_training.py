"""``kmeans-training``: Lloyd's iterations, assignment then update, until nothing changes."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from manim import DOWN, AnimationGroup, Create, Dot, FadeIn, FadeOut, Line, Transform, VGroup
from manim.typing import Point3DLike
from manim.utils.color import ParsableManimColor

from mlv.algorithms.lessons import KMeansLesson, kmeans_lesson
from mlv.algorithms.trajectory import Trajectory
from mlv.scenes import style
from mlv.scenes.components.panels import DataPanel, LossCurvePanel
from mlv.scenes.components.readout import Readout
from mlv.scenes.lesson import LessonScene
from mlv.scenes.narration import Beat, Narration
from mlv.scenes.script import Script

# what the second start's narration says for how its final J compares with the first run's
# (KMeansLesson.other_outcome); {J} is the other start's final J
OTHER_SAYS = {
    "worse": "From other random centres the algorithm stops here, at $J = {J}$, the grey "
             "curve: a worse local minimum.",
    "better": "From other random centres it stops here, at $J = {J}$, the grey curve: "
              "lower than our first run, which was the unlucky one.",
    "same": "From other random centres it ends at the same $J$, {J}, the grey curve. This time "
            "both starts agree, but nothing guarantees it.",
}


def script(params: Mapping[str, Any]) -> Script:
    """The lesson's two runs for ``params`` (``k``, ``seed``, ``init_seed``), its narration and
    numbers."""
    lesson = kmeans_lesson(params["seed"], k=params["k"], init_seed=params["init_seed"])
    run, other = lesson.run, lesson.other
    k = run.extras["centroids"].shape[1]
    n_iter = int(run.meta["n_iter"])
    other_says = OTHER_SAYS[lesson.other_outcome].format(J=f"{float(other.loss[-1]):.1f}")
    narration = Narration(
        Beat("question", f"Here are {len(lesson.X)} points with no labels. We ask k-means to "
                         f"split them into {k} groups."),
        Beat("init", f"Lloyd's algorithm starts from {k} centres, here {k} points picked at "
                     "random."),
        Beat("assign", "Assignment step: every point joins its nearest centre and takes its "
                       "colour."),
        Beat("update", "Update step: every centre moves to the mean of its points. The "
                       "objective $J$, the sum of squared distances to the centres, goes down."),
        Beat("iterate", "Then the two steps repeat: assign, update, assign, update."),
        Beat("converged", f"After {n_iter} updates no point changes its centre, so the centres "
                          f"stop moving. $J$ has fallen from {run.loss[0]:.0f} to "
                          f"{run.loss[-1]:.1f}."),
        Beat("never-up", "Neither step can raise $J$: each one minimises it over one half of the "
                         "unknowns with the other half fixed."),
        Beat("other-start", "But the result can depend on the start. " + other_says),
        Beat("lesson", "So in practice we run k-means from several starts, or use k-means plus "
                       "plus, and keep the run with the smallest $J$."),
    )
    numbers = {"points": len(lesson.X), "clusters k": k, "iterations": n_iter,
               "J at the start": float(run.loss[0]), "final J": float(run.loss[-1]),
               "final J from other random centres": float(other.loss[-1])}
    return Script(narration, lesson, numbers)


# the layout, by region (offsets from the stage's centre): the points on the left, the curve of
# J with its readout beneath in a column on the right
DATA_AT = style.STAGE.at(-3.2, 0.2625)
DATA_W, DATA_H = 6.6, 5.0
CURVE_AT = style.STAGE.at(3.9, 1.0125)
CURVE_W, CURVE_H = 4.0, 2.6
CENTRE_RADIUS = 0.13


def centre_dot(point: Point3DLike, colour: ParsableManimColor) -> Dot:
    """A cluster centre: a large dot in the cluster's colour with a white ring."""
    return Dot(point, radius=CENTRE_RADIUS, color=colour).set_stroke(style.FOREGROUND, width=2.5)


class KMeansTraining(LessonScene):
    script = staticmethod(script)
    lesson: KMeansLesson

    def construct(self) -> None:
        colours = style.NOTATION.clusters
        lesson = self.lesson
        run, other = lesson.run, lesson.other
        centroids = run.extras["centroids"]
        last = len(run) - 1
        X = lesson.X
        panel = DataPanel(X[:, 0], X[:, 1], width=DATA_W, height=DATA_H, x_label="x_1",
                          y_label="x_2")
        panel.move_to(DATA_AT)
        curve = LossCurvePanel(run.steps, run.loss, width=CURVE_W, height=CURVE_H,
                               x_label=r"\text{update}", y_label="J", others=[other.loss],
                               x_max=float(other.steps[-1]))
        curve.move_to(CURVE_AT)
        readout = Readout([("t", r"\text{updates}", style.FOREGROUND, 0),
                           ("J", "J", style.NOTATION.loss, 1)], font_size=style.FONT_SIZE_BODY,
                          signed=False)
        readout.next_to(curve, DOWN, buff=style.GAP_LARGE * 1.3)
        ax = panel.axes

        def centres_at(t: int, traj: Trajectory = run) -> VGroup:
            return VGroup(*[centre_dot(ax.c2p(*c), colours[j])
                            for j, c in enumerate(traj.extras["centroids"][t])])

        def recolour(t: int, traj: Trajectory = run,
                     run_time: float = 0.6) -> AnimationGroup | None:
            labels = traj.extras["labels"][t]
            changed = [panel.dots[i].animate.set_color(colours[labels[i]])
                       for i in range(len(labels))
                       if panel.dots[i].get_color() != colours[labels[i]]]
            # manim's AnimationGroup takes .animate builders (it prepares each one), though its
            # annotation names only Animation
            return (AnimationGroup(*changed, run_time=run_time)  # type: ignore[arg-type]
                    if changed else None)

        def show(t: int) -> None:
            readout.show({"t": float(run.steps[t]), "J": float(run.loss[t])})

        with self.beat("question") as beat:
            self.play(Create(panel.frame), run_time=beat.part(0.3))
            self.play(FadeIn(panel.dots, lag_ratio=0.01), run_time=beat.part(0.4))

        centres = centres_at(0)
        with self.beat("init") as beat:
            self.play(FadeIn(centres, scale=1.5), run_time=beat.part(0.4))

        with self.beat("assign") as beat:
            first = recolour(0, run_time=beat.part(0.5))
            assert first is not None          # the points start in the data's colour
            self.play(first)
            show(0)
            self.play(FadeIn(curve), FadeIn(readout), run_time=beat.part(0.3))
            drawn = curve.curve_upto(0)

        def update_to(t: int, run_time: float) -> tuple[VGroup, AnimationGroup]:
            new = centres_at(t)
            trails = VGroup(*[Line(ax.c2p(*a), ax.c2p(*b), color=colours[j],
                                   stroke_width=style.STROKE_THIN)
                              for j, (a, b) in enumerate(zip(centroids[t - 1], centroids[t],
                                                             strict=True))])
            return trails, AnimationGroup(Transform(centres, new), Create(trails),
                                          run_time=run_time)

        with self.beat("update") as beat:
            trails, anim = update_to(1, beat.part(0.4))
            self.play(anim)
            self.remove(trails)                 # kept in one group, so one FadeOut clears them
            all_trails = VGroup(trails)
            self.add(all_trails)
            new_curve = curve.curve_upto(1)
            show(1)
            self.play(Create(new_curve), run_time=beat.part(0.2))
            drawn = new_curve

        with self.beat("iterate") as beat:
            per = max(0.9, beat.duration * 0.9 / max(1, last - 1))   # a readable pace
            for t in range(1, last + 1):
                step = recolour(t, run_time=per * 0.45)
                if step is not None:
                    self.play(step)
                if t < last:
                    trails, anim = update_to(t + 1, per * 0.45)
                    self.play(anim)
                    self.remove(trails)
                    all_trails.add(trails)
                    show(t + 1)
                    new_curve = curve.curve_upto(t + 1)
                    self.remove(drawn)
                    self.add(new_curve)
                    drawn = new_curve

        with self.beat("converged") as beat:
            self.pulse(centres, beat=beat, scale=1.4, part=0.15)

        with self.beat("never-up") as beat:
            self.flash_stroke(drawn, beat=beat)

        with self.beat("other-start") as beat:
            self.play(FadeOut(all_trails), run_time=beat.part(0.15))
            last_other = len(other) - 1
            other_curve = curve.curve_of(other.steps, other.loss, style.MUTED)
            moves = [recolour(last_other, traj=other, run_time=beat.part(0.3)),
                     Transform(centres, centres_at(last_other, traj=other)),
                     Create(other_curve)]
            self.play(*[m for m in moves if m is not None], run_time=beat.part(0.3))
            readout.show({"t": float(other.steps[-1]), "J": float(other.loss[-1])})

        with self.beat("lesson") as beat:
            pass
        self.readout = readout
