# %% [markdown]
# # k-means: the within-cluster sum of squares
#
# *Chapter 2, lesson 1 of the mlv course (`kmeans-objective`). The video and the lecture notes
# show these same numbers; here you compute them, change them and check what you expect.*
#
# How good is a clustering? Join every point to the centre of its own cluster, square the
# length of every segment and add them all up: the **within-cluster sum of squares**
#
# $$J = \sum_{i=1}^{n} \lVert x_i - \mu_{c_i} \rVert^2,$$
#
# where $c_i$ is the cluster of point $i$ and $\mu_k$ the centre of cluster $k$. k-means wants
# $J$ small. With the clusters fixed, where should a centre go? Only its own cluster's terms
# depend on it; for a cluster of $n$ points the derivative in its first coordinate is
#
# $$\frac{\partial J}{\partial \mu_1} = -2\sum_{i} (x_{i1} - \mu_1) = 2n(\mu_1 - \bar x_1),$$
#
# zero exactly when $\mu_1 = \bar x_1$ (derived and proven below; the same for $\mu_2$). So the
# best centre of a cluster is the **mean** of its points: the update step of Lloyd's algorithm.
# Moving a centre by $\delta$ off its mean raises $J$ by exactly $n\,\delta^2$.

# %%
import numpy as np

from mlv.algorithms.lessons import kmeans_objective_lesson
from mlv.scripts import notebook_plots as plots
from mlv.scripts import notebook_tools as tools

plots.use()
SCENE = "kmeans-objective"

# %% [markdown]
# ## The lesson's clustering
#
# The clustering the next lesson's run converges to (150 seeded points, 4 clusters), and one
# centre slid along $x_1$ through its cluster's mean, every point kept in its cluster.

# %%
tools.show_params(SCENE)
lesson = kmeans_objective_lesson()
k = len(lesson.centres)
print(f"{len(lesson.X)} points in {k} clusters of sizes {lesson.cluster_sizes.tolist()}; "
      f"J = {lesson.J:.2f}")
print(f"centre {lesson.moved} moved from {lesson.offsets[0]:g} to {lesson.offsets[-1]:g} along x1")


# %% [markdown]
# ## The clusters and J as one centre moves
#
# Left: the points in their cluster's colour, the segments to their centres (white rings) and
# the moved centre's path. Right: $J$ against the moved centre's offset from its mean, a
# parabola with its minimum at offset 0.

# %%
def show(lesson) -> None:
    fig, ax = plots.figure(2, width=4.8, height=4.0)
    X, labels, centres = lesson.X, lesson.labels, lesson.centres
    for c in range(len(centres)):
        mine = X[labels == c]
        for x in mine:
            ax[0].plot([x[0], centres[c, 0]], [x[1], centres[c, 1]], color=plots.cluster(c),
                       linewidth=0.6, alpha=0.6)
        plots.points(ax[0], mine, color=plots.cluster(c))
        ax[0].plot(*centres[c], "o", markersize=10, color=plots.cluster(c),
                   markeredgecolor=plots.FOREGROUND, markeredgewidth=2, zorder=4)
    track = lesson.candidates[:, lesson.moved]
    ax[0].plot(track[:, 0], track[:, 1], color=plots.FOREGROUND, linewidth=1, linestyle="--")
    ax[0].set(xlabel="$x_1$", ylabel="$x_2$", title=f"{len(centres)} clusters, J = {lesson.J:.1f}")
    ax[0].set_aspect("equal")
    plots.loss_curve(ax[1], lesson.offsets, lesson.J_candidates, xlabel="offset of the centre",
                     ylabel="J")
    plots.optimum(ax[1], 0.0, lesson.J, label="the mean")
    ax[1].set_title(f"J as centre {lesson.moved} slides along $x_1$")
    plots.legend(ax[1], loc="upper center")


show(lesson)

# %% [markdown]
# ## The numbers
#
# The lesson's numbers, computed above: they are the numbers the video says and the lecture
# notes print.

# %%
numbers = {"points": len(lesson.X), "clusters k": k, "J, every centre at its mean": lesson.J,
           "shift of one centre": float(lesson.offsets[-1]),
           "J after the shift": float(lesson.J_candidates[-1]),
           "points in the moved centre's cluster": int(lesson.cluster_sizes[lesson.moved])}
tools.show_numbers(numbers)
n_moved, shift = int(lesson.cluster_sizes[lesson.moved]), float(lesson.offsets[-1])
grown = float(lesson.J_candidates[-1] - lesson.J)
print(f"check: J grew by {grown:.4f} = n δ² = {n_moved * shift ** 2:.4f}")

# %% [markdown]
# ## The derivations
#
# The gradient of $J$ in each coordinate of one centre, step by step, each step checked by the
# course's checker (symbolically, with the sums written out for $n = 1, \dots, 5$, and
# numerically).

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
# This lesson takes no parameters in the video, so the exercises change the lesson function's
# own arguments: `kmeans_objective_lesson(moved=1, max_offset=2.5)`. Answer in the variable
# `answer_N`; the cell after it checks your answer: *not answered yet* while it is `...`, a hint
# when it is wrong, why when it is right.
#
# The cell that sets up each exercise is collapsed, since it computes the answer: open
# it once you have answered.
#
# ### Exercise 1
#
# Slide the centre farther: `max_offset = 4`. By how much is $J$ after the largest shift above
# $J$ at the mean? Predict it from $n\,\delta^2$ before you run it; answer with a number.

# %% jupyter={"source_hidden": true}
def growth(max_offset: float) -> float:
    other = kmeans_objective_lesson(max_offset=max_offset)
    return float(other.J_candidates[-1] - other.J)


exercise_1 = tools.Exercise(
    1, "J's growth for a shift of 4", solve=lambda: growth(4.0), rel_tolerance=1e-4,
    explain=lambda g: (f"{g:.2f} = {int(lesson.cluster_sizes[lesson.moved])} points × 4²: every "
                       "point's squared distance grows by δ² on average, because the cross terms "
                       "sum to zero at the mean."),
    hint="n δ² with n the moved cluster's size (printed above) and δ = 4.")

# %%
answer_1 = ...  # a number

# %%
exercise_1.check(answer_1)

# %% [markdown]
# ### Exercise 2
#
# Evaluate the derived gradient $\partial J/\partial \mu_1 = -2\sum_i (x_{i1} - \mu_1)$ for the
# moved cluster at its converged centre (`lesson.centres[lesson.moved]`). Answer with a number
# (to six decimals).

# %% jupyter={"source_hidden": true}
def gradient_at_centre() -> float:
    mine = lesson.X[lesson.labels == lesson.moved]
    return float(-2.0 * np.sum(mine[:, 0] - lesson.centres[lesson.moved, 0]))


exercise_2 = tools.Exercise(
    2, "dJ/dmu1 at the converged centre", solve=gradient_at_centre, tolerance=1e-6,
    explain=lambda g: (f"{g:.1e}, zero up to rounding: the converged centre is its cluster's "
                       "mean, where the gradient vanishes."),
    hint="the converged centre is the mean of its points.")

# %%
answer_2 = ...  # a number

# %%
exercise_2.check(answer_2)

# %% [markdown]
# ### Exercise 3
#
# Move another centre: `moved = 0`. Is $J$ after a shift of 2.5 now `"larger"`, `"smaller"` or
# `"equal"` compared with moving centre 1 by the same amount? (Think: which cluster has more
# points?)

# %% jupyter={"source_hidden": true}
def compare_moves() -> str:
    a = kmeans_objective_lesson(moved=0).J_candidates[-1]
    b = lesson.J_candidates[-1]
    return "equal" if np.isclose(a, b, rtol=1e-12) else ("larger" if a > b else "smaller")


exercise_3 = tools.Exercise(
    3, "moving centre 0 instead of 1", choices=("larger", "smaller", "equal"),
    solve=compare_moves,
    explain=lambda ans: (f"{ans}: the growth is n δ², and cluster 0 has "
                         f"{int(lesson.cluster_sizes[0])} points against cluster 1's "
                         f"{int(lesson.cluster_sizes[1])}."),
    hint="compare lesson.cluster_sizes[0] and lesson.cluster_sizes[1].")

# %%
answer_3 = ...  # "larger", "smaller" or "equal"

# %%
exercise_3.check(answer_3)
