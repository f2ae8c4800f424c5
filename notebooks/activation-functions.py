# %% [markdown]
# # Activation functions and their slopes
#
# *Chapter 3, lesson 2 of the mlv course (`activation-functions`). The video and the lecture
# notes show these same curves; here you compute them, change them and check what you expect.*
#
# A neuron computes a score $z = w^\top x + b$ and passes it through an **activation** $f(z)$.
# Training sends gradients back through $f$, multiplied by its slope $f'(z)$, so the slope
# matters as much as the curve:
#
# | activation | $f(z)$ | $f'(z)$ |
# |---|---|---|
# | step | $1$ if $z \ge 0$ else $0$ | $0$ (almost everywhere): no gradient at all |
# | sigmoid | $\sigma(z) = \dfrac{1}{1 + e^{-z}}$ | $\sigma(z)\,(1 - \sigma(z)) \le \tfrac14$ |
# | tanh | $\tanh z$ | $1 - \tanh^2 z \le 1$ |
# | ReLU | $\max(0, z)$ | $1$ if $z > 0$ else $0$ |
# | leaky ReLU | $z$ if $z > 0$ else $0.1 z$ | $1$ if $z > 0$ else $0.1$ |
#
# Where the slope is nearly zero the unit is **saturated**: it passes almost no gradient, and
# whatever feeds it learns slowly. The sigmoid and tanh saturate for large $|z|$; ReLU never
# does for $z > 0$ but is flat for $z < 0$, which leaky ReLU mends.

# %%
import numpy as np

from mlv.algorithms.lessons_linear import activation_curves
from mlv.scripts import notebook_plots as plots
from mlv.scripts import notebook_tools as tools

plots.use()
SCENE = "activation-functions"

# %% [markdown]
# ## The lesson's curves
#
# Each activation and its slope on $z \in [-5, 5]$ (401 points), from the network code the
# course trains with (`mlv.algorithms.network`); "saturated" means a slope below 0.05.

# %%
tools.show_params(SCENE)
curves = activation_curves()
for name in ("sigmoid", "tanh"):
    print(f"{name}: largest slope {curves.max_slope(name):g}; saturated on "
          f"{[tuple(round(v, 3) for v in band) for band in curves.saturated[name]]}")

# %% [markdown]
# ## The curves and their slopes
#
# Top: each activation. Bottom: its slope; the grey bands are where it is saturated.

# %%
TITLES = {"step": "step", "sigmoid": "sigmoid σ(z)", "tanh": "tanh z", "relu": "ReLU",
          "leaky_relu": "leaky ReLU"}
fig, ax = plots.figure(5, 2, width=2.7, height=2.3)
for j, name in enumerate(curves.names):
    top, bottom = ax[j], ax[5 + j]
    top.plot(curves.z, curves.values[name], color=plots.colour("activation"))
    bottom.plot(curves.z, curves.slopes[name], color=plots.colour("gradient"))
    for lo, hi in curves.saturated.get(name, ()):
        for a in (top, bottom):
            a.axvspan(lo, hi, color=plots.colour("saturated"), alpha=0.25, linewidth=0)
    peak = max(float(curves.slopes[name].max()), 0.05)
    bottom.set_ylim(-0.05 * peak, 1.1 * peak)
    top.set_title(TITLES[name])
    bottom.set_xlabel("z")
    if j == 0:
        top.set_ylabel("f(z)")
        bottom.set_ylabel("f'(z)")

# %% [markdown]
# ## The numbers
#
# The lesson's numbers, computed above: they are the numbers the video says and the lecture
# notes print.

# %%
numbers = {"largest sigmoid slope": curves.max_slope("sigmoid"),
           "largest tanh slope": curves.max_slope("tanh"),
           "saturated: slope below": curves.saturation,
           "sigmoid saturated beyond z": curves.saturation_edge("sigmoid"),
           "tanh saturated beyond z": curves.saturation_edge("tanh"),
           "leaky ReLU negative slope": curves.leaky_slope}
tools.show_numbers(numbers)

# %% [markdown]
# ## The derivations
#
# The slopes of the sigmoid, tanh and ReLU, step by step (ReLU case by case, with the value the
# code uses at the kink), each step checked by the course's checker.

# %%
derivations = tools.lesson_derivations(["activations"])
tools.show_derivations(derivations)

# %% [markdown]
# Prove every step now (this runs SymPy):

# %%
reports = tools.prove(derivations)

# %% [markdown]
# ## Exercises
#
# This lesson takes no parameters in the video, so the exercises change the lesson function's
# own arguments: `activation_curves(z_max=5.0, m=401, leaky_slope=0.1, saturation=0.05)`.
# Answer in the variable `answer_N`; the cell after it checks your answer: *not answered yet*
# while it is `...`, a hint when it is wrong, why when it is right.
#
# The cell that sets up each exercise is collapsed, since it computes the answer: open
# it once you have answered.
#
# ### Exercise 1
#
# Call a slope below 0.01 saturated instead: `activation_curves(saturation=0.01)`. Beyond which
# $z$ is the sigmoid saturated now? Answer with a number (to two decimals); then solve
# $\sigma(z)(1 - \sigma(z)) = 0.01$ by hand to check.

# %% jupyter={"source_hidden": true}
exercise_1 = tools.Exercise(
    1, "where the sigmoid saturates at slope 0.01", tolerance=0.03,
    solve=lambda: activation_curves(saturation=0.01).saturation_edge("sigmoid"),
    explain=lambda z: (f"z ≈ {z:.2f} (on the lesson's grid); exactly, σ(1 − σ) = 0.01 at "
                       f"z = {np.log((1 + np.sqrt(1 - 0.04)) / (1 - np.sqrt(1 - 0.04))):.3f}."),
    hint="σ(1 − σ) = 0.01 is a quadratic in σ; then z = log(σ / (1 − σ)).")

# %%
answer_1 = ...  # a number

# %%
exercise_1.check(answer_1)

# %% [markdown]
# ### Exercise 2
#
# How many times larger is tanh's largest slope than the sigmoid's? Answer with a number. (The
# identity $\tanh z = 2\sigma(2z) - 1$ explains it.)

# %% jupyter={"source_hidden": true}
exercise_2 = tools.Exercise(
    2, "tanh's largest slope over the sigmoid's", tolerance=1e-9,
    solve=lambda: curves.max_slope("tanh") / curves.max_slope("sigmoid"),
    explain=lambda r: (f"{r:g}: tanh z = 2σ(2z) − 1, so its slope is 4σ'(2z), at most 4 · 1/4 = 1. "
                       "Through ten sigmoid layers gradients shrink by at least 4¹⁰."),
    hint="differentiate 2σ(2z) − 1 with the chain rule.")

# %%
answer_2 = ...  # a number

# %%
exercise_2.check(answer_2)

# %% [markdown]
# ### Exercise 3
#
# With `leaky_slope = 0.01`, what is the slope of leaky ReLU at $z = -3$? And does ReLU (plain)
# ever saturate for $z > 0$? Answer the first question with a number.

# %% jupyter={"source_hidden": true}
def leaky_slope_at(z: float, leak: float) -> float:
    c = activation_curves(leaky_slope=leak)
    return float(c.slopes["leaky_relu"][np.argmin(np.abs(c.z - z))])


exercise_3 = tools.Exercise(
    3, "leaky ReLU's slope at z = -3 with leaky_slope = 0.01", tolerance=1e-12,
    solve=lambda: leaky_slope_at(-3.0, 0.01),
    explain=lambda s: (f"{s:g}: small but never zero, so a unit whose score went negative can "
                       "still learn its way back. And no: ReLU's slope is 1 for every z > 0."),
    hint="leaky ReLU is 0.01 z for z < 0.")

# %%
answer_3 = ...  # a number

# %%
exercise_3.check(answer_3)
