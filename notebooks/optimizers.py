# %% [markdown]
# # Optimizers: momentum, RMSProp and Adam
#
# *Chapter 1, lesson 4 of the mlv course (`optimizers`). The video and the lecture notes show
# these same races; here you run them, change them and check what you expect.*
#
# Plain gradient descent steps by $\eta$ times the gradient $g_t$. Three refinements:
#
# $$\begin{aligned}
# \text{gradient descent:}\quad & \theta_{t+1} = \theta_t - \eta\, g_t \\
# \text{momentum:}\quad & v_{t+1} = \beta v_t - \eta\, g_t, \quad
#   \theta_{t+1} = \theta_t + v_{t+1}\\
# \text{RMSProp:}\quad & s_{t+1} = \rho s_t + (1-\rho)\, g_t^2, \quad
#   \theta_{t+1} = \theta_t - \eta \frac{g_t}{\sqrt{s_{t+1}} + \epsilon}\\
# \text{Adam:}\quad & m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t, \quad
#   v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2, \quad
#   \theta_t = \theta_{t-1} - \eta \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}
# \end{aligned}$$
#
# with Adam's bias correction $\hat m_t = m_t / (1-\beta_1^t)$ and
# $\hat v_t = v_t / (1-\beta_2^t)$. Momentum adds a fraction of its last step, so it gathers
# speed along a valley floor. RMSProp divides each coordinate by the root of its recent squared
# gradients, so every coordinate moves by about $\eta$ whatever the slope. Adam does both; its
# running means start at zero, and the correction (derived below) undoes exactly that.
#
# The lesson races the four on two surfaces at one shared learning rate each: a narrow valley
# $f(x, y) = (x^2 + 25 y^2)/2$ from $(-5, 2)$, to get the loss below $0.01$; and the saddle
# $x^2 - y^2$ from just off its ridge $y = 0$, to escape to $|y| > 1$.

# %%
import numpy as np

from mlv.algorithms import optimizers as opt
from mlv.algorithms.lessons import optimizers_lesson
from mlv.scripts import notebook_plots as plots
from mlv.scripts import notebook_tools as tools

plots.use()
SCENE = "optimizers"
NAMES = ("sgd", "momentum", "rmsprop", "adam")
LABEL = {"sgd": "gradient descent", "momentum": "momentum", "rmsprop": "RMSProp", "adam": "Adam"}

# %% [markdown]
# ## The lesson's races

# %%
tools.show_params(SCENE)
lesson = optimizers_lesson()
valley, near, far = lesson.valley, lesson.saddle_near, lesson.saddle_far
for race, goal in ((valley, f"loss < {valley.threshold:g}"), (near, "|y| > 1"), (far, "|y| > 1")):
    print(f"{race.surface} from {race.start}, η = {race.learning_rate:g}, steps to {goal}: "
          + ", ".join(f"{LABEL[k]} {race.steps_to[k]}" for k in race.ranking()))


# %% [markdown]
# ## The paths and the progress
#
# Top: the narrow valley. Each optimizer's path (drawn until it first leaves the window) and its
# loss per step. Bottom: the saddle from $y = 0.05$: the paths and the distance $|y|$ from the
# ridge per step; the dotted line is the goal.

# %%
def show_race(ax_path, ax_curve, race, log: bool) -> None:
    plots.contours(ax_path, *race.grid, log=race.measure == "loss", levels=(
        14 if race.measure == "loss" else list(np.arange(-3.0, 3.5, 0.5))), xlabel="x",
        ylabel="y")
    for k in NAMES:
        shown = race.runs[k].params[: race.shown[k] + 1]
        plots.path(ax_path, shown, colour_name=k, label=LABEL[k], markers=False)
        plots.loss_curve(ax_curve, race.runs[k].steps, race.progress[k], colour_name=k,
                         label=LABEL[k], log=log, xlabel="step", ylabel=race.measure)
    if race.surface == "quadratic":
        plots.optimum(ax_path, 0.0, 0.0, label=None)
    ax_curve.axhline(race.threshold, color=plots.MUTED, linestyle=":", linewidth=1)
    ax_path.set_aspect("equal")
    ax_path.set_title(f"{race.surface} from {race.start}, η = {race.learning_rate:g}")
    ax_curve.set_title("loss per step" if race.measure == "loss" else "distance from the ridge")
    if race.measure == "|y|":
        ax_curve.set_ylim(top=20.0)            # momentum flies off far beyond the goal
    plots.legend(ax_curve, loc="upper right" if race.measure == "loss" else "upper left")


fig, ax = plots.figure(2, 2, width=5.2, height=3.4)
show_race(ax[0], ax[1], valley, log=True)
show_race(ax[2], ax[3], near, log=True)

# %% [markdown]
# ## The numbers
#
# The races' numbers, computed above: they are the numbers the video says and the lecture
# notes print.

# %%
def steps(race, k):
    return "not reached" if race.steps_to[k] is None else race.steps_to[k]


numbers = {"valley learning rate": valley.learning_rate, "saddle learning rate": near.learning_rate,
           **{f"valley: steps to loss < {valley.threshold:g}, {LABEL[k]}": steps(valley, k)
              for k in NAMES},
           **{f"saddle from y = {near.start[1]:g}: steps to escape, {LABEL[k]}": steps(near, k)
              for k in ("sgd", "adam")}}
tools.show_numbers(numbers)

# %% [markdown]
# ## The derivations
#
# Gradient descent on the saddle, momentum as a heavy ball, RMSProp's first step and Adam's
# moments, bias correction and step size, each step checked by the course's checker.

# %%
derivations = tools.lesson_derivations(["optimizers"])
tools.show_derivations(derivations)

# %% [markdown]
# Prove every step now (this runs SymPy):

# %%
reports = tools.prove(derivations)

# %% [markdown]
# ## Exercises
#
# This lesson takes no parameters in the video, so the exercises change the lesson function's
# own arguments: `optimizers_lesson(valley_rate=0.04, valley_steps=250, saddle_rate=0.01,
# near_y=0.05, far_y=0.5)`. Answer in the variable `answer_N`; the cell after it checks your
# answer: *not answered yet* while it is `...`, a hint when it is wrong, why when it is right.
#
# The cell that sets up each exercise is collapsed, since it computes the answer: open
# it once you have answered.
#
# ### Exercise 1
#
# Raise the valley's shared learning rate to `valley_rate = 0.1` and rerun. Which optimizer
# now gets the loss below 0.01 first? Answer `"sgd"`, `"momentum"`, `"rmsprop"`, `"adam"`, or
# `"none"` if none does within the 250 steps.

# %% jupyter={"source_hidden": true}
def fastest(valley_rate: float) -> str:
    race = optimizers_lesson(valley_rate=valley_rate).valley
    first = race.ranking()[0]
    return "none" if race.steps_to[first] is None else first


exercise_1 = tools.Exercise(
    1, "valley_rate = 0.1: who gets there first?", choices=(*NAMES, "none"),
    solve=lambda: fastest(0.1),
    explain=lambda k: (f"{k}. " + ", ".join(
        f"{LABEL[n]}: {optimizers_lesson(valley_rate=0.1).valley.steps_to[n]}" for n in NAMES)
        + " steps (None: never). Gradient descent's factor along y is 1 − 0.1 · 25 = −1.5: it "
          "diverges; the adaptive methods move each coordinate by about η whatever the slope."),
    hint="look at optimizers_lesson(valley_rate=0.1).valley.steps_to.")

# %%
answer_1 = ...  # "sgd", "momentum", "rmsprop", "adam" or "none"

# %%
exercise_1.check(answer_1)

# %% [markdown]
# ### Exercise 2
#
# On the valley plain gradient descent multiplies each coordinate's distance to the minimum by
# $1 - \eta\lambda$, with $\lambda$ the curvature along it (the Hessian's eigenvalues, 1 and 25).
# What is the largest learning rate with which it does not diverge? Answer with a number.

# %% jupyter={"source_hidden": true}
def largest_stable_rate() -> float:
    def grad(point):
        return opt.quadratic_gradient(np.asarray(point, dtype=float))

    hessian = np.column_stack([grad([1.0, 0.0]) - grad([0.0, 0.0]),
                               grad([0.0, 1.0]) - grad([0.0, 0.0])])
    return float(2.0 / np.linalg.eigvalsh(hessian).max())


exercise_2 = tools.Exercise(
    2, "gradient descent's largest stable learning rate on the valley",
    solve=largest_stable_rate, tolerance=1e-6,
    explain=lambda eta: (f"η = 2/25 = {eta:g}: there the factor along y is 1 − 25η = −1, a bounce "
                         "for ever; above it the steps grow. The shallow x direction wants a large "
                         "η, the steep y direction caps it: the valley's trouble."),
    hint="solve |1 − 25η| = 1 for the steep direction.")

# %%
answer_2 = ...  # a number

# %%
exercise_2.check(answer_2)

# %% [markdown]
# ### Exercise 3
#
# On the saddle, gradient descent multiplies $y$ by $1 + 2\eta$ each step (derived above). From
# $y = 0.05$ with $\eta = 0.01$, after how many steps is $|y|$ first above 1? Answer with a whole
# number, by hand (a logarithm) or from the race.

# %% jupyter={"source_hidden": true}
exercise_3 = tools.Exercise(
    3, "steps for gradient descent to escape the saddle from y = 0.05",
    solve=lambda: int(optimizers_lesson().saddle_near.steps_to["sgd"]), tolerance=0,
    explain=lambda k: (f"{k}: 0.05 · 1.02^k > 1 first at k = {k} (log 20 / log 1.02 ≈ "
                       f"{np.log(20) / np.log(1.02):.1f}). Near the ridge its steps are tiny; the "
                       "adaptive methods' are not."),
    hint="solve 0.05 · 1.02^k > 1 for the smallest whole k.")

# %%
answer_3 = ...  # a whole number

# %%
exercise_3.check(answer_3)
