# %% [markdown]
# # k-means: Lloyd's algorithm
#
# *Chapter 2, lesson 2 of the mlv course (`kmeans-training`). The video and the lecture notes
# show this same run; here you run it, change it and check what you expect.*
#
# Given $n$ unlabelled points and a number of clusters $k$, k-means minimises the
# within-cluster sum of squares
#
# $$J = \sum_{i=1}^{n} \lVert x_i - \mu_{c_i} \rVert^2$$
#
# over both the assignment $c_i$ of every point and the centres $\mu_1, \dots, \mu_k$. Lloyd's
# algorithm starts from $k$ centres (here $k$ points picked at random) and alternates two steps:
#
# * **assignment**: every point joins its nearest centre, $c_i = \arg\min_k \lVert x_i - \mu_k
#   \rVert^2$;
# * **update**: every centre moves to the mean of its points (the previous lesson derived that
#   the mean minimises $J$ for a fixed assignment).
#
# Each step minimises $J$ over one half of the unknowns with the other half fixed, so neither
# can raise $J$; when no point changes its centre, the centres stop moving. But the result can
# depend on the start: Lloyd's algorithm finds a *local* minimum.

# %%
import numpy as np

from mlv.algorithms.lessons import kmeans_lesson
from mlv.scenes.params import defaults
from mlv.scripts import notebook_plots as plots
from mlv.scripts import notebook_tools as tools

plots.use()
SCENE = "kmeans-training"

# %% [markdown]
# ## The lesson's run
#
# The video's parameters (the ranges are those of `mlv params`):

# %%
tools.show_params(SCENE)
p = defaults(SCENE)
print("the video's values:", p)

# %% [markdown]
# The video's runs: 150 points in 4 seeded blobs, Lloyd's algorithm with `k` clusters from
# random centres (seed `init_seed`), and once more from other random centres (seed 3).

# %%
def lesson_for(k: int, seed: int, init_seed: int):
    """The lesson's two runs for these parameters (as the video computes them)."""
    return kmeans_lesson(seed, k=k, init_seed=init_seed)


lesson = lesson_for(p["k"], p["seed"], p["init_seed"])
run, other = lesson.run, lesson.other
print(f"{int(run.meta['n_iter'])} updates; J fell from {run.loss[0]:.1f} to {run.loss[-1]:.2f}")
print(f"from other random centres: J = {other.loss[-1]:.2f} ({lesson.other_outcome})")


# %% [markdown]
# ## The clusters, the centres' paths and J
#
# Left: the points in their final cluster's colour, and each centre's path from its random
# start (small ring) to its final place (large dot). Right: $J$ after each update, for this
# run and for the other start.

# %%
def show_run(lesson) -> None:
    run, other = lesson.run, lesson.other
    centres, labels = run.extras["centroids"], run.extras["labels"]
    fig, ax = plots.figure(2, width=4.8, height=4.0)
    for c in range(centres.shape[1]):
        plots.points(ax[0], lesson.X[labels[-1] == c], color=plots.cluster(c))
        plots.path(ax[0], centres[:, c], color=plots.FOREGROUND, markers=True)
        ax[0].plot(*centres[-1, c], "o", markersize=11, color=plots.cluster(c),
                   markeredgecolor=plots.FOREGROUND, markeredgewidth=2, zorder=5)
    ax[0].set(xlabel="$x_1$", ylabel="$x_2$", title=f"k = {centres.shape[1]}: final clusters")
    ax[0].set_aspect("equal")
    plots.loss_curve(ax[1], run.steps, run.loss, label="this run", marker="o", xlabel="update",
                     ylabel="J")
    plots.loss_curve(ax[1], other.steps, other.loss, label="other random centres",
                     color=plots.MUTED, marker="o")
    ax[1].set_title("J after each update")
    plots.legend(ax[1], loc="upper right")


show_run(lesson)

# %% [markdown]
# ## The numbers
#
# The run's final numbers, computed from the run above: they are the numbers the video says
# and the lecture notes print.

# %%
numbers = {"points": len(lesson.X), "clusters k": run.extras["centroids"].shape[1],
           "iterations": int(run.meta["n_iter"]), "J at the start": float(run.loss[0]),
           "final J": float(run.loss[-1]),
           "final J from other random centres": float(other.loss[-1])}
tools.show_numbers(numbers)

# %% [markdown]
# ## The derivations
#
# Why the update step moves each centre to its cluster's mean: the gradient of $J$ in one
# centre's coordinates (the previous lesson's derivations), each step checked by the course's
# checker.

# %%
derivations = tools.lesson_derivations(["kmeans"])
tools.show_derivations(derivations)

# %% [markdown]
# Prove every step now (this runs SymPy):

# %%
reports = tools.prove(derivations)

# %% [markdown]
# ## Exercises
#
# Each exercise asks you to change a parameter (the names and ranges of `mlv params`, printed
# at the top), rerun, and answer in the variable `answer_N`. The cell after it checks your
# answer: it says *not answered yet* while the answer is `...`, fails with a hint when the answer
# is wrong, and explains why when it is right. Use `show_run(lesson_for(k, seed, init_seed))` in
# a new cell to look.
#
# The cell that sets up each exercise is collapsed, since it computes the answer: open
# it once you have answered.
#
# ### Exercise 1
#
# Set `k = 6` (its range is 2 to 6; the data has 4 blobs). Is the final $J$ `"larger"` or
# `"smaller"` than with `k = 4`? Does that make 6 the better choice?

# %% jupyter={"source_hidden": true}
def compare_k() -> str:
    six = lesson_for(6, p["seed"], p["init_seed"]).run.loss[-1]
    return "smaller" if six < run.loss[-1] else "larger"


exercise_1 = tools.Exercise(
    1, "k = 6 against k = 4", choices=("larger", "smaller"), solve=compare_k,
    explain=lambda ans: (f"{ans}: {lesson_for(6, p['seed'], p['init_seed']).run.loss[-1]:.1f} "
                         f"against {run.loss[-1]:.1f}. More centres can only sit closer to the "
                         "points, so J keeps falling as k grows (to 0 at k = n): J alone cannot "
                         "choose k."),
    hint="more centres means every point can be nearer to one.")

# %%
answer_1 = ...  # "larger" or "smaller"

# %%
exercise_1.check(answer_1)

# %% [markdown]
# ### Exercise 2
#
# Keep `k = 4` and `seed = 3`, and try the ten starts `init_seed = 0, 1, ..., 9`. How many of
# them end at the lowest final $J$ of the ten (to within 0.001)? Answer with a whole number.

# %% jupyter={"source_hidden": true}
def best_starts() -> int:
    finals = np.array([lesson_for(4, 3, s).run.loss[-1] for s in range(10)])
    return int(np.sum(finals <= finals.min() + 1e-3))


exercise_2 = tools.Exercise(
    2, "how many of ten random starts reach the best J", solve=best_starts, tolerance=0,
    explain=lambda m: (f"{m} of 10: the others stop in a worse local minimum. That is why "
                       "k-means is run from several starts (or k-means++) and the run with the "
                       "smallest J kept."),
    hint="[lesson_for(4, 3, s).run.loss[-1] for s in range(10)]")

# %%
answer_2 = ...  # a whole number

# %%
exercise_2.check(answer_2)

# %% [markdown]
# ### Exercise 3
#
# Across those ten runs, does $J$ ever go *up* from one update to the next? Answer `"yes"` or
# `"no"`, and say why before you check.

# %% jupyter={"source_hidden": true}
def ever_rises() -> str:
    rises = [np.any(np.diff(lesson_for(4, 3, s).run.loss) > 1e-9) for s in range(10)]
    return "yes" if any(rises) else "no"


exercise_3 = tools.Exercise(
    3, "does J ever rise", choices=("yes", "no"), solve=ever_rises,
    explain=lambda ans: (f"{ans}: the assignment step picks each point's nearest centre and the "
                         "update step the best centre for each cluster, so each can only lower "
                         "J (or leave it)."),
    hint="each step minimises J over one half of the unknowns, the other half fixed.")

# %%
answer_3 = ...  # "yes" or "no"

# %%
exercise_3.check(answer_3)

# %% [markdown]
# ## Sliders
#
# Where ipywidgets is installed, set the parameters and press *run* to rerun the lesson.

# %%
tools.sliders(lambda k, seed, init_seed: show_run(lesson_for(k, seed, init_seed)), SCENE)
