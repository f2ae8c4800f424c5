"""``kmeans-training``: Lloyd's iterations, assignment then update, until nothing changes."""
from __future__ import annotations

from manim import DOWN, AnimationGroup, Create, Dot, FadeIn, FadeOut, Line, Transform, VGroup

from mlv.algorithms.lessons import kmeans_lesson
from mlv.scenes import params, style
from mlv.scenes.components.panels import DataPanel, LossCurvePanel
from mlv.scenes.components.readout import Readout
from mlv.scenes.lesson import LessonScene
from mlv.scenes.narration import Beat, Narration

PARAMS = params.current("kmeans-training")
LESSON = kmeans_lesson(PARAMS["seed"], k=PARAMS["k"], init_seed=PARAMS["init_seed"])
RUN, OTHER = LESSON.run, LESSON.other
CENTRES, LABELS = RUN.extras["centroids"], RUN.extras["labels"]
K = CENTRES.shape[1]
N_ITER = int(RUN.meta["n_iter"])
LAST = len(RUN) - 1
J_RUN, J_OTHER = float(RUN.loss[-1]), float(OTHER.loss[-1])
if J_OTHER > J_RUN * (1 + 1e-9):
    OTHER_SAYS = (f"From other random centres the algorithm stops here, at J equal to "
                  f"{J_OTHER:.1f}, the grey curve: a worse local minimum.")
elif J_OTHER < J_RUN * (1 - 1e-9):
    OTHER_SAYS = (f"From other random centres it stops here, at J equal to {J_OTHER:.1f}, the "
                  f"grey curve: lower than our first run, which was the unlucky one.")
else:
    OTHER_SAYS = (f"From other random centres it ends at the same J, {J_OTHER:.1f}, the grey "
                  f"curve. This time both starts agree, but nothing guarantees it.")

NARRATION = Narration(
    Beat("question", f"Here are {len(LESSON.X)} points with no labels. We ask k-means to split "
                     f"them into {K} groups."),
    Beat("init", f"Lloyd's algorithm starts from {K} centres, here {K} points picked at random."),
    Beat("assign", "Assignment step: every point joins its nearest centre and takes its colour."),
    Beat("update", "Update step: every centre moves to the mean of its points. The objective J, "
                   "the sum of squared distances to the centres, goes down."),
    Beat("iterate", "Then the two steps repeat: assign, update, assign, update."),
    Beat("converged", f"After {N_ITER} updates no point changes its centre, so the centres stop "
                      f"moving. J has fallen from {RUN.loss[0]:.0f} to {RUN.loss[-1]:.1f}."),
    Beat("never-up", "Neither step can raise J: each one minimises it over one half of the "
                     "unknowns with the other half fixed."),
    Beat("other-start", "But the result can depend on the start. " + OTHER_SAYS),
    Beat("lesson", "So in practice we run k-means from several starts, or use k-means plus plus, "
                   "and keep the run with the smallest J."),
)


def centre_dot(point, colour) -> Dot:
    """A cluster centre: a large dot in the cluster's colour with a white ring."""
    return Dot(point, radius=0.13, color=colour).set_stroke(style.FOREGROUND, width=2.5)


class KMeansTraining(LessonScene):
    narration = NARRATION
    heading = "k-means: Lloyd's algorithm"
    numbers = {"points": len(LESSON.X), "clusters k": K, "iterations": N_ITER,
               "J at the start": float(RUN.loss[0]), "final J": float(RUN.loss[-1]),
               "final J from other random centres": float(OTHER.loss[-1])}

    def construct(self):
        colours = style.NOTATION.clusters
        X = LESSON.X
        panel = DataPanel(X[:, 0], X[:, 1], width=6.6, height=5.0, x_label="x_1", y_label="x_2")
        panel.move_to([-3.2, 0.25, 0])
        curve = LossCurvePanel(RUN.steps, RUN.loss, width=4.0, height=2.6,
                               x_label=r"\text{update}", y_label="J")
        curve.move_to([3.9, 1.0, 0])
        readout = Readout([("t", r"\text{updates}", style.FOREGROUND, 0),
                           ("J", "J", style.NOTATION.loss, 1)], font_size=style.FONT_SIZE_BODY,
                          signed=False)
        readout.next_to(curve, DOWN, buff=style.GAP_LARGE * 1.3)
        ax = panel.axes

        def centres_at(t, traj=RUN):
            return VGroup(*[centre_dot(ax.c2p(*c), colours[j])
                            for j, c in enumerate(traj.extras["centroids"][t])])

        def recolour(t, traj=RUN, run_time=0.6):
            labels = traj.extras["labels"][t]
            changed = [panel.dots[i].animate.set_color(colours[labels[i]])
                       for i in range(len(labels))
                       if panel.dots[i].get_color() != colours[labels[i]]]
            return AnimationGroup(*changed, run_time=run_time) if changed else None

        def show(t):
            readout.show({"t": float(RUN.steps[t]), "J": float(RUN.loss[t])})

        with self.beat("question") as beat:
            self.play(Create(panel.frame), run_time=beat.part(0.3))
            self.play(FadeIn(panel.dots, lag_ratio=0.01), run_time=beat.part(0.4))

        centres = centres_at(0)
        with self.beat("init") as beat:
            self.play(FadeIn(centres, scale=1.5), run_time=beat.part(0.4))

        with self.beat("assign") as beat:
            self.play(recolour(0, run_time=beat.part(0.5)))
            show(0)
            self.play(FadeIn(curve), FadeIn(readout), run_time=beat.part(0.3))
            drawn = curve.curve_upto(0)

        def update_to(t, run_time):
            new = centres_at(t)
            trails = VGroup(*[Line(ax.c2p(*a), ax.c2p(*b), color=colours[j],
                                   stroke_width=style.STROKE_THIN)
                              for j, (a, b) in enumerate(zip(CENTRES[t - 1], CENTRES[t]))])
            return new, trails, AnimationGroup(Transform(centres, new), Create(trails),
                                               run_time=run_time)

        with self.beat("update") as beat:
            _, trails, anim = update_to(1, beat.part(0.4))
            self.play(anim)
            self.remove(trails)                 # kept in one group, so one FadeOut clears them
            all_trails = VGroup(trails)
            self.add(all_trails)
            new_curve = curve.curve_upto(1)
            show(1)
            self.play(Create(new_curve), run_time=beat.part(0.2))
            drawn = new_curve

        with self.beat("iterate") as beat:
            per = max(0.9, beat.duration * 0.9 / max(1, LAST - 1))   # a readable pace
            for t in range(1, LAST + 1):
                step = recolour(t, run_time=per * 0.45)
                if step is not None:
                    self.play(step)
                if t < LAST:
                    _, trails, anim = update_to(t + 1, per * 0.45)
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
            last_other = len(OTHER) - 1
            other_curve = curve.curve_of(OTHER.steps, OTHER.loss, style.MUTED)
            moves = [recolour(last_other, traj=OTHER, run_time=beat.part(0.3)),
                     Transform(centres, centres_at(last_other, traj=OTHER)),
                     Create(other_curve)]
            self.play(*[m for m in moves if m is not None], run_time=beat.part(0.3))
            readout.show({"t": float(OTHER.steps[-1]), "J": float(OTHER.loss[-1])})

        with self.beat("lesson") as beat:
            pass
        self.readout = readout
