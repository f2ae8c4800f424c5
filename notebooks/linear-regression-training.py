# %% [markdown]
# # Training a line by gradient descent
#
# *Chapter 1, lesson 3 of the mlv course (`linear-regression-training`). The video and the
# lecture notes show this same run; here you run it, change it and check what you expect.*
#
# The model is a line, $\hat y = w x + b$, and its error on the $n$ points is the mean squared
# error
#
# $$\mathrm{MSE}(w, b) = \frac{1}{n} \sum_{i=1}^{n} \bigl(y_i - (w x_i + b)\bigr)^2 .$$
#
# Gradient descent starts at $w = b = 0$ and repeats, once per *epoch*,
#
# $$w \leftarrow w - \eta \frac{\partial\,\mathrm{MSE}}{\partial w}, \qquad
#   b \leftarrow b - \eta \frac{\partial\,\mathrm{MSE}}{\partial b},$$
#
# with the gradients derived in the previous lesson (typeset and proven again below).
# $\eta$ is the learning rate.
#
# The MSE is a quadratic bowl in $(w, b)$ whose curvature is its Hessian
# $H = 2 \begin{pmatrix} \overline{x^2} & \bar x \\ \bar x & 1 \end{pmatrix}$. Along each
# eigen-direction of $H$ (eigenvalue $\lambda$), one epoch multiplies the distance to the
# optimum by $1 - \eta\lambda$. On the raw inputs, which lie between 0 and 10, the two
# eigenvalues are very different: the bowl is a long narrow valley, and a learning rate small
# enough for its steep walls crawls along its floor. **Standardising** the input,
# $z_i = (x_i - \bar x)/s_x$, makes $\bar z = 0$ and $\overline{z^2} = 1$, so $H = 2I$: the valley
# becomes round and one learning rate suits both directions.

# %%
import numpy as np

from mlv.algorithms import linear_regression as lr
from mlv.algorithms.lessons import linear_regression_lesson
from mlv.scenes.params import defaults
from mlv.scripts import notebook_plots as plots
from mlv.scripts import notebook_tools as tools

plots.use()
SCENE = "linear-regression-training"

# %% [markdown]
# ## The lesson's run
#
# The video's parameters (you can change them: the ranges are those of `mlv params`):

# %%
tools.show_params(SCENE)
p = defaults(SCENE)
print("the video's values:", p)

# %% [markdown]
# The exact run the video shows: 30 noisy points around $y = 1.5x + 2$ (seeded), gradient
# descent on the raw inputs with $\eta = 0.02$, and on the standardised inputs with $\eta$ =
# `p["lr"]`, each for `p["epochs"]` epochs.

# %%
def lesson_for(lr_: float, epochs: int, seed: int):
    """The lesson's two runs for these parameters (as the video computes them)."""
    return linear_regression_lesson(seed, raw_epochs=epochs, std_learning_rate=lr_,
                                    std_epochs=epochs)


lesson = lesson_for(p["lr"], p["epochs"], p["seed"])
raw, std = lesson.raw, lesson.standardized
print(f"raw run:          eta = {raw.meta['learning_rate']:g}, {int(raw.steps[-1])} epochs, "
      f"final w = {raw.final['w']:.4f}, b = {raw.final['b']:.4f}, MSE = {raw.loss[-1]:.4f}")
print(f"standardised run: eta = {std.meta['learning_rate']:g}, {int(std.steps[-1])} epochs, "
      f"final MSE = {std.loss[-1]:.4f}")
print(f"least squares:    w = {lesson.optimum_raw[0]:.4f}, b = {lesson.optimum_raw[1]:.4f}, "
      f"MSE = {lesson.min_mse:.4f}")
print(f"the standardised learning rate {lesson.std_regime}: each epoch multiplies the "
      f"distance by {np.round(lesson.std_factors, 4)} along the two axes")


# %% [markdown]
# ## The data, the error surface and the paths
#
# Left: the data with the raw run's final line (dashed), the standardised run's line mapped
# back to $x$ (solid) and the least-squares line. Middle and right: the MSE's contours over
# $(w, b)$ with each run's path from $(0, 0)$; the star is the closed-form optimum.

# %%
def show_run(lesson) -> None:
    raw, std = lesson.raw, lesson.standardized
    fig, ax = plots.figure(3, width=4.3, height=3.6)
    plots.points(ax[0], np.column_stack([lesson.x, lesson.y]), label="data")
    span = (float(lesson.x.min()) - 0.5, float(lesson.x.max()) + 0.5)
    plots.line(ax[0], raw.final["w"], raw.final["b"], span, label="raw run", linestyle="--")
    _, mean, sd = lr.standardize(lesson.x)           # y = w z + b with z = (x - mean) / sd
    w_z, b_z = std.final["w"], std.final["b"]
    if np.isfinite(w_z) and np.isfinite(b_z):
        plots.line(ax[0], w_z / sd, b_z - w_z * mean / sd, span, label="standardised run")
    plots.line(ax[0], *lesson.optimum_raw, span, colour_name="optimum", linewidth=1,
               linestyle=":", label="least squares")
    ax[0].set(xlabel="x", ylabel="y", title="data and fitted lines")
    plots.legend(ax[0], loc="upper left")
    for a, traj, grid, opt, name in ((ax[1], raw, lesson.grid_raw, lesson.optimum_raw, "raw x"),
                                     (ax[2], std, lesson.grid_std, lesson.optimum_std,
                                      "standardised z")):
        plots.contours(a, *grid, xlabel="w", ylabel="b")
        plots.path(a, traj.params, label=f"η = {traj.meta['learning_rate']:g}")
        plots.optimum(a, *opt)
        a.set_title(f"MSE over (w, b), {name}")
        plots.legend(a, loc="lower right")
    ax[1].xaxis.label.set_color(plots.colour("w"))
    ax[1].yaxis.label.set_color(plots.colour("b"))
    ax[2].xaxis.label.set_color(plots.colour("w"))
    ax[2].yaxis.label.set_color(plots.colour("b"))


show_run(lesson)

# %% [markdown]
# ## The loss curves
#
# How far each run's MSE is above the smallest MSE any line reaches, on a log scale: the raw
# run falls fast down the valley's wall and then crawls along its floor; the standardised run
# falls at one steady rate (a straight line on the log scale).

# %%
fig, ax = plots.figure(1, width=6.0, height=3.6)
for traj, name, style in ((raw, "raw x", "--"), (std, "standardised z", "-")):
    excess = np.maximum(lesson.excess(traj), 1e-16)
    plots.loss_curve(ax[0], traj.steps, excess, label=f"{name}, η = {traj.meta['learning_rate']:g}",
                     log=True, xlabel="epoch", ylabel=r"$\mathrm{MSE} - \mathrm{MSE}^*$",
                     linestyle=style)
ax[0].set_title("excess error per epoch (the flat end is the limit of double precision)")
plots.legend(ax[0])

# %% [markdown]
# ## The numbers
#
# The run's final numbers, computed from the run above: they are the numbers the video says
# and the lecture notes print.

# %%
numbers = {"raw: learning rate": raw.meta["learning_rate"], "raw: epochs": int(raw.steps[-1]),
           "raw: final w": float(raw.final["w"]), "raw: final b": float(raw.final["b"]),
           "raw: final MSE": float(raw.loss[-1]),
           "standardised: learning rate": std.meta["learning_rate"],
           "standardised: final MSE": float(std.loss[-1]),
           "least-squares MSE": float(lesson.min_mse)}
tools.show_numbers(numbers)

# %% [markdown]
# ## The derivation
#
# The gradient this run follows, derived in the previous lesson: each step is checked by the
# course's checker (symbolically, with the sums written out for $n = 1, \dots, 5$, and
# numerically), and the result is compared with an independent `sympy.diff`.

# %%
derivations = tools.lesson_derivations(["mse"])
tools.show_derivations(derivations)

# %% [markdown]
# Prove every step now (this runs SymPy; a few seconds):

# %%
reports = tools.prove(derivations)

# %% [markdown]
# ## Exercises
#
# Each exercise asks you to change a parameter (the names and ranges of `mlv params`, printed
# at the top), rerun, and answer in the variable `answer_N`. The cell after it checks your
# answer: it says *not answered yet* while the answer is `...`, fails with a hint when the answer
# is wrong, and explains why when it is right. Use `show_run(lesson_for(lr, epochs, seed))` in a
# new cell to look.
#
# The cell that sets up each exercise is collapsed, since it computes the answer: open
# it once you have answered.
#
# ### Exercise 1
#
# Set `lr = 1.1` (the standardised run's learning rate; its range is 0.001 to 2) and rerun.
# What does gradient descent do on the standardised inputs now? Answer with one of
# `"crawls"`, `"converges"`, `"one-step"`, `"oscillates"`, `"bounces"`, `"diverges"`.

# %% jupyter={"source_hidden": true}
REGIMES = ("crawls", "converges", "one-step", "oscillates", "bounces", "diverges")


def explain_1(regime: str) -> str:
    f = lesson_for(1.1, p["epochs"], p["seed"]).std_factors
    return (f"With η = 1.1 each epoch multiplies the distance to the optimum by {f[0]:.2f} along "
            f"both axes (1 − 1.1 · 2): its size is above 1, so every step lands farther out "
            f"on the other side: it {regime}.")


exercise_1 = tools.Exercise(
    1, "lr = 1.1 on standardised inputs: what happens?", choices=REGIMES,
    solve=lambda: lesson_for(1.1, p["epochs"], p["seed"]).std_regime, explain=explain_1,
    hint="on standardised inputs both eigenvalues of H are 2; what is 1 − 2η for η = 1.1?")

# %%
answer_1 = ...  # one of the words above, e.g. "converges"

# %%
exercise_1.check(answer_1)

# %% [markdown]
# ### Exercise 2
#
# On standardised inputs there is one learning rate with which the *first* step lands exactly
# on the optimum (the regime `"one-step"`). Which is it? Answer with a number (to three
# decimals); check it with `lesson_for(answer_2, 100, 7).std_regime`.

# %% jupyter={"source_hidden": true}
def one_step_rate() -> float:
    z = lesson.standardized.extras["x"]
    hessian = 2.0 * np.array([[np.mean(z * z), np.mean(z)], [np.mean(z), 1.0]])
    return float(1.0 / np.linalg.eigvalsh(hessian).max())


exercise_2 = tools.Exercise(
    2, "the one-step learning rate on standardised inputs", solve=one_step_rate,
    tolerance=1e-3,
    explain=lambda eta: (f"η = 1/λ = {eta:.3f}: then 1 − ηλ = 0 along both axes, because "
                         "standardising made the two eigenvalues equal."),
    hint="you want 1 − ηλ = 0 for the eigenvalues λ of H = 2I.")

# %%
answer_2 = ...  # a number

# %%
exercise_2.check(answer_2)

# %% [markdown]
# ### Exercise 3
#
# The raw run uses $\eta = 0.02$ for `epochs` epochs (range 5 to 500). Set `epochs = 500`:
# has the raw run's $b$ reached the least-squares $b$ to two decimals by then? Answer `"yes"`
# or `"no"`, and look at the middle plot to see why.

# %% jupyter={"source_hidden": true}
exercise_3 = tools.Exercise(
    3, "epochs = 500: does the raw run reach the least-squares b?", choices=("yes", "no"),
    solve=lambda: "yes" if lesson_for(p["lr"], 500, p["seed"]).raw_reached_optimum else "no",
    explain=lambda ans: (f"after 500 epochs b is off by "
                         f"{lesson_for(p['lr'], 500, p['seed']).raw_gap_b:+.3f}: along the "
                         "valley's flat floor each epoch closes only a small part of the gap."),
    hint="look at lesson_for(p['lr'], 500, p['seed']).raw_gap_b.")

# %%
answer_3 = ...  # "yes" or "no"

# %%
exercise_3.check(answer_3)

# %% [markdown]
# ## Sliders
#
# Where ipywidgets is installed, move the sliders to rerun the lesson with other parameters.

# %%
tools.sliders(lambda lr, epochs, seed: show_run(lesson_for(lr, epochs, seed)), SCENE)
