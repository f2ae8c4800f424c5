# %% [markdown]
# # The perceptron
#
# *Chapter 3, lesson 1 of the mlv course (`perceptron`). The video and the lecture notes show
# this same run; here you run it, change it and check what you expect.*
#
# A linear classifier scores a point with $f(x) = w^\top x + b$ and predicts
# $\hat y = \operatorname{sign} f(x)$ for labels $y \in \{-1, +1\}$; the **boundary** is the line
# $f(x) = 0$, and $w$ is its normal. A point is misclassified when $y f(x) \le 0$. The perceptron
# visits the points in order and, at each mistake, pulls the boundary towards the point:
#
# $$\text{if } y_i f(x_i) \le 0:\qquad w \leftarrow w + \eta\, y_i x_i, \qquad
#   b \leftarrow b + \eta\, y_i .$$
#
# That is a step of (sub)gradient descent on the **perceptron criterion**
#
# $$\ell(w, b) = \max\bigl(0, -y f(x)\bigr),$$
#
# which charges a point only when it is misclassified (derived case by case below). It is not
# the **hinge loss** $\max(0, 1 - y f(x))$ of support-vector machines, which also charges the
# points that are right but closer than the margin $y f < 1$. On separable data the perceptron
# stops after finitely many updates, with every point right.

# %%
import numpy as np

from mlv.algorithms.lessons_linear import perceptron_lesson
from mlv.scripts import notebook_plots as plots
from mlv.scripts import notebook_tools as tools

plots.use()
SCENE = "perceptron"

# %% [markdown]
# ## The lesson's run
#
# Twenty points in two seeded, separable blobs; the perceptron with $\eta = 1$ from $w = 0$,
# $b = 0$, pass after pass until a pass makes no update.

# %%
tools.show_params(SCENE)
lesson = perceptron_lesson()
print(f"{len(lesson.y)} points, η = {lesson.learning_rate:g}: {lesson.n_updates} updates in "
      f"{lesson.epochs} passes")
print(f"mistakes after each update: {lesson.mistakes.tolist()}")
print(f"final w = {np.round(lesson.w[-1], 3)}, b = {lesson.b[-1]:.3f}")


# %% [markdown]
# ## The boundary after each update
#
# Left: the two classes, the boundary after every update (fainter for earlier ones) and the
# final boundary in yellow. Middle: mistakes after each update. Right: the two losses against
# the margin $y f$: the criterion is zero for every right point, the hinge only beyond 1.

# %%
def show(lesson) -> None:
    fig, ax = plots.figure(3, width=4.3, height=3.7)
    plots.classes(ax[0], lesson.X, lesson.y, labels=("y = −1", "y = +1"))
    last = len(lesson.w) - 1
    for k in range(1, last):
        plots.boundary(ax[0], lesson.w[k], lesson.b[k], lesson.box, color=plots.MUTED,
                       linewidth=0.8, alpha=0.3 + 0.6 * k / last)
    plots.boundary(ax[0], lesson.w[-1], lesson.b[-1], lesson.box, label="final boundary",
                   linewidth=2.4)
    ax[0].set_aspect("equal")
    ax[0].set(xlabel="$x_1$", ylabel="$x_2$", title=f"{lesson.n_updates} updates")
    plots.legend(ax[0], loc="lower right")
    ax[1].step(range(len(lesson.mistakes)), lesson.mistakes, where="post",
               color=plots.colour("loss"))
    ax[1].set(xlabel="update", ylabel="misclassified points", title="mistakes")
    ax[2].plot(lesson.margins, lesson.criterion_curve, color=plots.colour("loss"),
               label="perceptron criterion")
    ax[2].plot(lesson.margins, lesson.hinge_curve, color=plots.colour("hinge"), linestyle="--",
               label="hinge loss")
    ax[2].set(xlabel="margin y f(x)", ylabel="loss of a point", title="criterion and hinge")
    plots.legend(ax[2], loc="upper right")


show(lesson)

# %% [markdown]
# ## The numbers
#
# The run's final numbers, computed from the run above: they are the numbers the video says
# and the lecture notes print.

# %%
numbers = {"points": len(lesson.y), "learning rate": lesson.learning_rate,
           "updates": lesson.n_updates, "passes": lesson.epochs,
           "mistakes at the start": int(lesson.mistakes[0]),
           "final mistakes": int(lesson.mistakes[-1]),
           "final perceptron criterion": lesson.final_criterion,
           "final hinge loss": lesson.final_hinge}
tools.show_numbers(numbers)

# %% [markdown]
# ## The derivations
#
# The criterion and the hinge loss case by case, and their subgradients: on each side of the
# kink $y f = 0$ (or $y f = 1$) every step is proven separately, and at the kink the value the
# code uses must lie between the one-sided slopes.

# %%
derivations = tools.lesson_derivations(["perceptron"])
tools.show_derivations(derivations)

# %% [markdown]
# Prove every step now (this runs SymPy; a few seconds):

# %%
reports = tools.prove(derivations)

# %% [markdown]
# ## Exercises
#
# This lesson takes no parameters in the video, so the exercises change the lesson function's
# own arguments: `perceptron_lesson(random_state=8, n=20, learning_rate=1.0, max_epochs=20)`.
# Answer in the variable `answer_N`; the cell after it checks your answer: *not answered yet*
# while it is `...`, a hint when it is wrong, why when it is right.
#
# The cell that sets up each exercise is collapsed, since it computes the answer: open
# it once you have answered.
#
# ### Exercise 1
#
# Set `learning_rate = 0.1`. Does the perceptron make `"more"`, `"fewer"` or `"the same"`
# number of updates? Predict before you run it.

# %% jupyter={"source_hidden": true}
def compare_rates() -> str:
    slow = perceptron_lesson(learning_rate=0.1).n_updates
    if slow == lesson.n_updates:
        return "the same"
    return "more" if slow > lesson.n_updates else "fewer"


exercise_1 = tools.Exercise(
    1, "learning_rate = 0.1: how many updates?", choices=("more", "fewer", "the same"),
    solve=compare_rates,
    explain=lambda ans: (f"{ans}: from w = 0, b = 0 every update adds η y x, so (w, b) is η times "
                         "what it is with η = 1. Scaling f by η > 0 changes no sign, so every "
                         "mistake, and every update, is the same."),
    hint="what does multiplying w and b by the same positive number do to sign(w·x + b)?")

# %%
answer_1 = ...  # "more", "fewer" or "the same"

# %%
exercise_1.check(answer_1)

# %% [markdown]
# ### Exercise 2
#
# The final boundary makes no mistake, yet its hinge loss is not zero. How many points does it
# classify right but with a margin $y f(x) < 1$? Answer with a whole number.

# %% jupyter={"source_hidden": true}
def inside_margin() -> int:
    f = lesson.X @ lesson.w[-1] + lesson.b[-1]
    m = lesson.y * f
    return int(np.sum((m > 0) & (m < 1)))


exercise_2 = tools.Exercise(
    2, "points right but inside the margin", solve=inside_margin, tolerance=0,
    explain=lambda k: (f"{k}: each of them costs 1 − y f in the hinge loss (mean "
                       f"{lesson.final_hinge:.3f}) but nothing in the perceptron criterion, which "
                       "is happy with any right answer."),
    hint="count 0 < y (w·x + b) < 1 with the final w and b.")

# %%
answer_2 = ...  # a whole number

# %%
exercise_2.check(answer_2)

# %% [markdown]
# ### Exercise 3
#
# Take more points from the same two blobs: `n = 200`. Does the perceptron still end with no
# mistake within its 20 passes? Answer `"yes"` or `"no"`, and think about why.

# %% jupyter={"source_hidden": true}
def converges(n: int) -> str:
    return "yes" if int(perceptron_lesson(n=n).mistakes[-1]) == 0 else "no"


exercise_3 = tools.Exercise(
    3, "n = 200: does it still converge?", choices=("yes", "no"), solve=lambda: converges(200),
    explain=lambda ans: (f"{ans}: it ends with {int(perceptron_lesson(n=200).mistakes[-1])} "
                         "mistakes. The perceptron converges only when a line separates the "
                         "classes; with many points the two blobs' tails overlap."),
    hint="look at perceptron_lesson(n=200).mistakes[-1].")

# %%
answer_3 = ...  # "yes" or "no"

# %%
exercise_3.check(answer_3)
