# %% [markdown]
# # Gradient descent: walking downhill
#
# *Chapter 1, lesson 1 of the mlv course (`gradient-descent-intuition`). The video and the
# lecture notes show this same run; here you run it, change it and check what you expect.*
#
# To train a model we look for the parameter $\theta$ with the smallest loss $L(\theta)$. The
# lesson's loss is a parabola,
#
# $$L(\theta) = \theta^2 - 4\theta + 5 = (\theta - 2)^2 + 1,$$
#
# whose minimum is at $\theta^* = 2$. Like a ball on a hillside, gradient descent feels only the
# slope underfoot, the derivative $L'(\theta) = 2\theta - 4$, and steps against it:
#
# $$\theta_{t+1} = \theta_t - \eta\, L'(\theta_t),$$
#
# where $\eta$ is the **learning rate**. On this parabola the step has a closed form: measured
# from the minimum,
#
# $$\theta_{t+1} - 2 = (1 - 2\eta)(\theta_t - 2),$$
#
# so every step multiplies the distance to the minimum by $1 - 2\eta$. A small $\eta$ keeps
# most of the distance (it crawls); $\eta = 0.5$ lands on the minimum in one step; between
# 0.5 and 1 the factor is negative, so each step overshoots to the other side, but closer; at
# $\eta = 1$ it bounces between two points for ever; above 1 it lands farther out every time:
# gradient descent **diverges**.

# %%
import numpy as np

from mlv.algorithms.lessons import gradient_descent_lesson
from mlv.scenes.params import defaults
from mlv.scripts import notebook_plots as plots
from mlv.scripts import notebook_tools as tools

plots.use()
SCENE = "gradient-descent-intuition"

# %% [markdown]
# ## The lesson's run
#
# The video's parameters (the ranges are those of `mlv params`):

# %%
tools.show_params(SCENE)
p = defaults(SCENE)
print("the video's values:", p)

# %% [markdown]
# The video's runs: the ball's walk from $\theta_0$ with learning rate `lr` for `steps` steps,
# then three learning rates side by side (0.05, 0.3 and 1.05, ten steps each, from the same
# start).

# %%
def lesson_for(lr: float, theta0: float, steps: int):
    """The lesson's runs for these parameters (as the video computes them)."""
    return gradient_descent_lesson(theta0=theta0, walk_rate=lr, walk_steps=steps)


lesson = lesson_for(p["lr"], p["theta0"], p["steps"])
walk = lesson.walk
print(f"start θ0 = {walk.meta['theta0']:g}, slope there L'(θ0) = {walk.grads[0, 0]:g}")
print(f"η = {walk.meta['learning_rate']:g}: {lesson.walk_regime}; after {int(walk.steps[-1])} "
      f"steps θ = {walk.final['theta']:.4f}, {lesson.distance(walk)[-1]:.4f} from θ* = "
      f"{lesson.theta_star:g}")
for t in lesson.rates:
    print(f"η = {t.meta['learning_rate']:<5g} factor 1 − 2η = {lesson.factor(t):+.2f}  "
          f"distance after {int(t.steps[-1])} steps: {lesson.distance(t)[-1]:.4f}")


# %% [markdown]
# ## The walk, the steps and the distance
#
# Left: the loss curve and every position of the walk (the ring is the start). Middle: $\theta$
# at each step. Right: the distance to the minimum for the three learning rates, on a log
# scale: a constant factor per step is a straight line.

# %%
def show_run(lesson) -> None:
    walk = lesson.walk
    theta = walk.param("theta")
    reach = max(4.0, 1.1 * float(lesson.distance(walk).max()))
    grid, curve = lesson.curve(lesson.theta_star - reach, lesson.theta_star + reach)
    fig, ax = plots.figure(3, width=4.3, height=3.5)
    plots.loss_curve(ax[0], grid, curve, xlabel="θ", ylabel="L(θ)")
    ax[0].plot(theta, [lesson.loss_at(t) for t in theta], "o-", color=plots.colour("theta"),
               markersize=5, linewidth=1, label=f"walk, η = {walk.meta['learning_rate']:g}")
    ax[0].plot(theta[0], lesson.loss_at(theta[0]), "o", markersize=11, markerfacecolor="none",
               markeredgecolor=plots.colour("theta"))
    plots.optimum(ax[0], lesson.theta_star, lesson.loss_at(lesson.theta_star), label="θ*")
    ax[0].set_title("the walk on the loss curve")
    plots.legend(ax[0], loc="upper center")
    ax[1].plot(walk.steps, theta, "o-", color=plots.colour("theta"), markersize=4)
    ax[1].axhline(lesson.theta_star, color=plots.MUTED, linestyle=":", linewidth=1)
    ax[1].set(xlabel="step", ylabel="θ", title="θ at each step")
    for t, style in zip(lesson.rates, ("--", "-", ":")):
        d = np.maximum(lesson.distance(t), 1e-16)
        plots.loss_curve(ax[2], t.steps, d, log=True, linestyle=style, xlabel="step",
                         ylabel="|θ − θ*|", colour_name="eta",
                         label=f"η = {t.meta['learning_rate']:g} (factor "
                               f"{lesson.factor(t):+.2f})")
    ax[2].set_title("three learning rates")
    plots.legend(ax[2], loc="lower left")


show_run(lesson)

# %% [markdown]
# ## The numbers
#
# The run's final numbers, computed from the run above: they are the numbers the video says
# and the lecture notes print.

# %%
numbers = {"start theta": walk.meta["theta0"], "minimiser theta*": lesson.theta_star,
           "walk learning rate": walk.meta["learning_rate"], "walk steps": int(walk.steps[-1]),
           "theta after the walk": float(walk.final["theta"]),
           **{f"distance after {int(lesson.small.steps[-1])} steps, eta "
              f"{t.meta['learning_rate']:g}": float(lesson.distance(t)[-1])
              for t in lesson.rates}}
tools.show_numbers(numbers)

# %% [markdown]
# ## The derivations
#
# The lesson's derivations: the slope of the loss (and of the double well the course meets
# later), and the update rule measured from the minimum. Each step is checked by the course's
# checker (symbolically and numerically) and the result compared with an independent
# `sympy.diff`.

# %%
derivations = tools.lesson_derivations(["gradient_descent"])
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
# is wrong, and explains why when it is right. Use `show_run(lesson_for(lr, theta0, steps))` in a
# new cell to look.
#
# The cell that sets up each exercise is collapsed, since it computes the answer: open
# it once you have answered.
#
# ### Exercise 1
#
# Set `lr = 1.1` (its range is 0.001 to 1.5) and rerun the walk. What does the ball do? Answer
# with one of `"crawls"`, `"converges"`, `"one-step"`, `"oscillates"`, `"bounces"`,
# `"diverges"`.

# %% jupyter={"source_hidden": true}
REGIMES = ("crawls", "converges", "one-step", "oscillates", "bounces", "diverges")
exercise_1 = tools.Exercise(
    1, "lr = 1.1: what does the walk do?", choices=REGIMES,
    solve=lambda: lesson_for(1.1, p["theta0"], p["steps"]).walk_regime,
    explain=lambda regime: (f"The factor is 1 − 2 · 1.1 = {1 - 2 * 1.1:+.1f}: each step "
                            f"jumps across the valley and lands 1.2 times farther out: it "
                            f"{regime}."),
    hint="what is the factor 1 − 2η for η = 1.1, and what does its size say?")

# %%
answer_1 = ...  # one of the words above, e.g. "converges"

# %%
exercise_1.check(answer_1)

# %% [markdown]
# ### Exercise 2
#
# One learning rate takes the ball to the minimum in a single step, from any start. Which?
# Answer with a number; check it with `show_run(lesson_for(answer_2, -1.0, 12))`.

# %% jupyter={"source_hidden": true}
def one_step_rate() -> float:
    curvature = 2.0 * lesson.coefficients[2]          # L''(θ) of the parabola
    return 1.0 / curvature


exercise_2 = tools.Exercise(
    2, "the one-step learning rate", solve=one_step_rate, tolerance=1e-6,
    explain=lambda eta: (f"η = {eta:g} makes the factor 1 − 2η zero: the first step lands on "
                         "θ* = 2 and the slope there is 0, so the ball stays."),
    hint="which η makes the factor 1 − 2η equal to zero?")

# %%
answer_2 = ...  # a number

# %%
exercise_2.check(answer_2)

# %% [markdown]
# ### Exercise 3
#
# Keep `lr = 0.15` and `theta0 = -1`, and raise `steps` (up to 40). After how many steps is the
# ball first closer than 0.01 to the minimum? Answer with a whole number.

# %% jupyter={"source_hidden": true}
def steps_to_close() -> int:
    walk = lesson_for(0.15, -1.0, 40).walk
    close = np.flatnonzero(np.abs(walk.param("theta") - lesson.theta_star) < 0.01)
    return int(walk.steps[close[0]])


exercise_3 = tools.Exercise(
    3, "steps until |θ − θ*| < 0.01 with lr = 0.15", solve=steps_to_close, tolerance=0,
    explain=lambda k: (f"{k} steps: the distance starts at 3 and shrinks by the factor 0.7 each "
                       f"step, and 3 · 0.7^{k} = {3 * 0.7 ** k:.4f} is the first below 0.01."),
    hint="the distance after k steps is 3 · 0.7^k; or run lesson_for(0.15, -1, 40) and look.")

# %%
answer_3 = ...  # a whole number

# %%
exercise_3.check(answer_3)

# %% [markdown]
# ## Sliders
#
# Where ipywidgets is installed, set the parameters and press *run* to rerun the lesson.

# %%
tools.sliders(lambda lr, theta0, steps: show_run(lesson_for(lr, theta0, steps)), SCENE)
