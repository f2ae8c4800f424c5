# %% [markdown]
# # Training logistic regression
#
# *Chapter 3, lesson 4 of the mlv course (`logistic-regression-training`). The video and the
# lecture notes show this same run; here you run it, change it and check what you expect.*
#
# The model gives every point a probability $p = \sigma(w_1 x_1 + w_2 x_2 + b)$ of class 1; its
# **decision boundary** is where $p = \tfrac12$, the line $w_1 x_1 + w_2 x_2 + b = 0$. Training
# minimises the binary cross-entropy by gradient descent, with the gradient derived in the
# previous lesson:
#
# $$w_j \leftarrow w_j - \eta\,\frac{1}{n}\sum_i (p_i - y_i)\,x_{ij}, \qquad
#   b \leftarrow b - \eta\,\frac{1}{n}\sum_i (p_i - y_i).$$
#
# The BCE is convex, so gradient descent with a suitable $\eta$ goes to its one minimum, the
# **maximum-likelihood** fit (computed independently here by Newton's method). The classes
# overlap, so no line separates them and that minimum is finite: first the boundary moves into
# place, then it stays and the weights only sharpen the probabilities around it.

# %%
import numpy as np

from mlv.algorithms.lessons_linear import logistic_lesson
from mlv.scripts import notebook_plots as plots
from mlv.scripts import notebook_tools as tools

plots.use()
SCENE = "logistic-regression-training"

# %% [markdown]
# ## The lesson's run
#
# Sixty points in two overlapping seeded blobs; full-batch gradient descent with $\eta = 1$ from
# $w = 0$, $b = 0$, for 300 epochs.

# %%
tools.show_params(SCENE)
lesson = logistic_lesson()
run = lesson.run
print(f"{len(lesson.y)} points, η = {run.meta['learning_rate']:g}, {int(run.steps[-1])} epochs")
print(f"final (w1, w2, b) = {np.round(run.params[-1], 5)}; maximum likelihood "
      f"{np.round(lesson.optimum, 5)}")
print(f"accuracy {lesson.accuracy[0]:.3f} → {lesson.accuracy[-1]:.3f}; "
      f"BCE {run.loss[0]:.4f} → {run.loss[-1]:.6f} (minimum {lesson.min_loss:.6f})")


# %% [markdown]
# ## The probability field as it trains
#
# $P(y = 1 \mid x)$ at three of the shown epochs (blue: class 0, magenta: class 1) with the
# boundary $p = \tfrac12$ in yellow: it moves into place in the first epochs, then only
# sharpens.

# %%
def show_fields(lesson, epochs=(1, 10, 300)) -> None:
    fig, ax = plots.figure(len(epochs), width=3.6, height=3.6)
    for a, e in zip(ax, epochs):
        plots.probability_field(a, lesson.grid_x1, lesson.grid_x2, lesson.grid_at(e))
        plots.classes(a, lesson.X, lesson.y)
        a.set(xlabel="$x_1$", ylabel="$x_2$", title=f"epoch {e}: accuracy "
              f"{100 * lesson.accuracy[e]:.0f} %")


show_fields(lesson)

# %% [markdown]
# ## The loss, the accuracy and the path of the parameters
#
# Left: the cross-entropy above its minimum, on a log scale: a straight line, the linear
# convergence of gradient descent on a convex loss. Middle: the accuracy. Right: the path of
# $w_1$, $w_2$ and $b$, with the maximum-likelihood values dashed.

# %%
def show_run(lesson) -> None:
    run = lesson.run
    fig, ax = plots.figure(3, width=4.2, height=3.4)
    plots.loss_curve(ax[0], run.steps, np.maximum(lesson.excess, 1e-16), log=True,
                     xlabel="epoch", ylabel="BCE − min BCE")
    ax[0].set_title("excess cross-entropy")
    ax[1].plot(run.steps, 100 * lesson.accuracy, color=plots.colour("prediction"))
    ax[1].set(xlabel="epoch", ylabel="accuracy (%)", title="accuracy", ylim=(0, 100))
    for j, (name, c) in enumerate((("w1", "w"), ("w2", "w"), ("b", "b"))):
        style = "-" if name != "w2" else "--"
        ax[2].plot(run.steps, run.param(name), color=plots.colour(c), linestyle=style,
                   label=name)
        ax[2].axhline(lesson.optimum[j], color=plots.colour(c), linestyle=":", linewidth=1)
    ax[2].set(xlabel="epoch", ylabel="value", title="the parameters")
    plots.legend(ax[2], loc="center right")


show_run(lesson)

# %% [markdown]
# ## The numbers
#
# The run's final numbers, computed from the run above: they are the numbers the video says
# and the lecture notes print.

# %%
numbers = {"points": len(lesson.y), "learning rate": run.meta["learning_rate"],
           "epochs": int(run.steps[-1]), "accuracy at the start": float(lesson.accuracy[0]),
           "final accuracy": float(lesson.accuracy[-1]), "final cross-entropy": float(run.loss[-1]),
           "largest gap to the maximum-likelihood fit":
               float(np.max(np.abs(run.params[-1] - lesson.optimum)))}
tools.show_numbers(numbers)

# %% [markdown]
# ## The derivations
#
# The loss and the gradient this run follows (the previous lesson's derivations), each step
# checked by the course's checker.

# %%
derivations = tools.lesson_derivations(["logistic_regression"])
tools.show_derivations(derivations)

# %% [markdown]
# Prove every step now (this runs SymPy; ten seconds or so):

# %%
reports = tools.prove(derivations)

# %% [markdown]
# ## Exercises
#
# This lesson takes no parameters in the video, so the exercises change the lesson function's
# own arguments: `logistic_lesson(random_state=2, n=60, learning_rate=1.0, epochs=300)`. Answer
# in the variable `answer_N`; the cell after it checks your answer: *not answered yet* while it
# is `...`, a hint when it is wrong, why when it is right. `show_run(logistic_lesson(...))`
# shows a run.
#
# The cell that sets up each exercise is collapsed, since it computes the answer: open
# it once you have answered.
#
# ### Exercise 1
#
# Set `learning_rate = 0.1`. After the same 300 epochs, is the largest gap to the
# maximum-likelihood fit `"larger"` or `"smaller"` than with 1?

# %% jupyter={"source_hidden": true}
def gap(learning_rate: float) -> float:
    return logistic_lesson(learning_rate=learning_rate).optimum_gap


exercise_1 = tools.Exercise(
    1, "learning_rate = 0.1: the gap after 300 epochs", choices=("larger", "smaller"),
    solve=lambda: "larger" if gap(0.1) > gap(1.0) else "smaller",
    explain=lambda ans: (f"{ans}: {gap(0.1):.3g} against {gap(1.0):.3g}. Ten times smaller steps "
                         "need about ten times more epochs for the same progress."),
    hint="smaller steps, same number of them.")

# %%
answer_1 = ...  # "larger" or "smaller"

# %%
exercise_1.check(answer_1)

# %% [markdown]
# ### Exercise 2
#
# How many of the 60 points does the trained model classify wrong (threshold $p = \tfrac12$)?
# Answer with a whole number; could any straight line do better on these points?

# %% jupyter={"source_hidden": true}
def wrong_points() -> int:
    w, b = run.params[-1, :2], run.params[-1, 2]
    predicted = (lesson.X @ w + b > 0).astype(float)
    return int(np.sum(predicted != lesson.y))


exercise_2 = tools.Exercise(
    2, "points the trained model gets wrong", solve=wrong_points, tolerance=0,
    explain=lambda k: (f"{k}: they lie on the other class's side of the boundary. The classes "
                       "overlap, so no line gets them all; and maximum likelihood minimises the "
                       "cross-entropy, not the count of mistakes."),
    hint="count where (X @ w + b > 0) differs from y.")

# %%
answer_2 = ...  # a whole number

# %%
exercise_2.check(answer_2)

# %% [markdown]
# ### Exercise 3
#
# Push the learning rate up: `learning_rate = 30`. Does gradient descent still end within
# $10^{-6}$ of the minimum cross-entropy? Answer `"yes"` or `"no"`.

# %% jupyter={"source_hidden": true}
exercise_3 = tools.Exercise(
    3, "learning_rate = 30: still at the minimum?", choices=("yes", "no"),
    solve=lambda: "yes" if logistic_lesson(learning_rate=30.0).excess[-1] < 1e-6 else "no",
    explain=lambda ans: (f"{ans}: its excess is "
                         f"{logistic_lesson(learning_rate=30.0).excess[-1]:.3g}. The BCE is "
                         "convex but its curvature caps the step, as for any quadratic near the "
                         "minimum: too large an η overshoots."),
    hint="look at logistic_lesson(learning_rate=30.0).excess[-1].")

# %%
answer_3 = ...  # "yes" or "no"

# %%
exercise_3.check(answer_3)
