# %% [markdown]
# # What hidden layers do to space
#
# *Chapter 4, lesson 4 of the mlv course (`space-transformation`). The video and the lecture
# notes show this same transformation; here you compute it, change it and check what you
# expect.*
#
# Follow the whole input plane through the trained XOR network. The hidden layer first applies
# an **affine** map, $z = W^{(1)} x + b^{(1)}$: it rotates, stretches, shears and shifts the plane,
# and straight lines stay straight. Then the sigmoid squashes each coordinate into $(0, 1)$,
# $a = \sigma(z)$: now lines bend, and the four corners of XOR are pulled to where one straight
# line separates the classes. The output unit is logistic regression on $a$,
#
# $$\hat y = \sigma\bigl(w^\top a + b\bigr),$$
#
# whose boundary is the line $w^\top a + b = 0$ in the hidden space. Carried back to the input
# plane (through the inverse sigmoid and the inverse affine map) that line becomes the
# network's curved decision boundary.

# %%
import numpy as np

from mlv.algorithms import network as nw
from mlv.algorithms.lessons_networks import space_lesson, xor_network_lesson
from mlv.scripts import notebook_plots as plots
from mlv.scripts import notebook_tools as tools

plots.use()
SCENE = "space-transformation"

# %% [markdown]
# ## The lesson's transformation
#
# The grid of the square $[-2, 2]^2$ and the 100 training points carried through the trained
# network of the training lesson, stage by stage.

# %%
tools.show_params(SCENE)
lesson = space_lesson()
network = xor_network_lesson()
print(f"stages {lesson.stages}; the output line w·a + b = 0 with w = {np.round(lesson.w_out, 3)}, "
      f"b = {lesson.b_out:.3f}")
print(f"{100 * lesson.hidden_accuracy:.0f} % of the points are on their class's side of it")

# %% [markdown]
# ## The plane at each stage
#
# Left to right: the input plane, after the affine map, after the sigmoid (with the output
# line in yellow), and that line carried back to the input plane: the decision boundary.

# %%
TITLES = {"a0": "input x", "z1": "z = W x + b", "a1": "a = σ(z)"}
LABELS = {"a0": ("$x_1$", "$x_2$"), "z1": ("$z_1$", "$z_2$"), "a1": ("$a_1$", "$a_2$")}
fig, ax = plots.figure(4, width=3.4, height=3.4)
for a, stage in zip(ax, lesson.stages):
    for line in lesson.grid[stage]:
        a.plot(line[:, 0], line[:, 1], color=plots.MUTED, linewidth=0.6, alpha=0.8)
    plots.classes(a, lesson.data[stage], lesson.y)
    a.set(title=TITLES[stage], xlabel=LABELS[stage][0], ylabel=LABELS[stage][1])
ends = lesson.boundary
ax[2].plot(ends[:, 0], ends[:, 1], color=plots.colour("prediction"), linewidth=2.2)
plots.probability_field(ax[3], network.field_x, network.field_y, network.fields[-1],
                        boundary=False)
for piece in lesson.boundary_input:
    ax[3].plot(piece[:, 0], piece[:, 1], color=plots.colour("prediction"), linewidth=2.2)
ax[3].set(title="the line, carried back", xlabel="$x_1$", ylabel="$x_2$", xlim=(-2, 2),
          ylim=(-2, 2))
plots.classes(ax[3], lesson.data["a0"], lesson.y)

# %% [markdown]
# ## The numbers
#
# The lesson's numbers, computed above: they are the numbers the video says and the lecture
# notes print.

# %%
numbers = {"points": len(lesson.y), "right side of the output line": float(lesson.hidden_accuracy),
           "output weight w1": float(lesson.w_out[0]), "output weight w2": float(lesson.w_out[1]),
           "output bias b": float(lesson.b_out)}
tools.show_numbers(numbers)

# %% [markdown]
# ## The derivations
#
# This lesson derives nothing new; what bends the lines is the sigmoid, whose slope (derived in
# chapter 3) is largest at $z = 0$ and vanishes far from it. Each step checked by the course's
# checker.

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
# This lesson takes no parameters; the exercises carry other things through the network.
# Answer in the variable `answer_N`; the cell after it checks your answer: *not answered yet*
# while it is `...`, a hint when it is wrong, why when it is right.
#
# The cell that sets up each exercise is collapsed, since it computes the answer: open
# it once you have answered.
#
# ### Exercise 1
#
# Do the grid lines stay straight after the affine map $z = W^{(1)} x + b^{(1)}$? Answer `"yes"`
# or `"no"`; check by measuring how far each transformed line's points are from a straight
# line (the second singular value of its centred points).

# %% jupyter={"source_hidden": true}
def straightness(stage: str) -> float:
    """The largest distance of a grid line's points from the best straight line, over lines."""
    worst = 0.0
    for line in lesson.grid[stage]:
        centred = line - line.mean(axis=0)
        worst = max(worst, float(np.linalg.svd(centred, compute_uv=False)[1] / np.sqrt(len(line))))
    return worst


exercise_1 = tools.Exercise(
    1, "straight after the affine map?", choices=("yes", "no"),
    solve=lambda: "yes" if straightness("z1") < 1e-9 else "no",
    explain=lambda ans: (f"{ans}: the largest deviation is {straightness('z1'):.1e}. An affine "
                         "map sends lines to lines; only the sigmoid bends them (deviation "
                         f"{straightness('a1'):.2f} after it)."),
    hint="z is W x + b: what does a matrix do to the points t·u + v of a line?")

# %%
answer_1 = ...  # "yes" or "no"

# %%
exercise_1.check(answer_1)

# %% [markdown]
# ### Exercise 2
#
# Carry the point $x = (1.5, 1.5)$ through the hidden layer by hand: $a = \sigma(W^{(1)} x +
# b^{(1)})$ with `network.params(-1)`. What is $w^\top a + b$ for the output line? Answer with a
# number (to three decimals); its sign is the class.

# %% jupyter={"source_hidden": true}
def network_output(point) -> float:
    return float(nw.predict(network.params(-1), [point], network.activations)[0, 0])


def output_score(point) -> float:
    (W1, b1), _ = network.params(-1)
    a = 1.0 / (1.0 + np.exp(-(W1 @ np.asarray(point, dtype=float) + b1)))
    return float(lesson.w_out @ a + lesson.b_out)


exercise_2 = tools.Exercise(
    2, "the output score of (1.5, 1.5)", solve=lambda: output_score((1.5, 1.5)), tolerance=5e-4,
    explain=lambda s: (f"{s:.3f}: {'positive, class 1' if s > 0 else 'negative, class 0'}; the "
                       "network's own output is σ of it, "
                       f"{network_output((1.5, 1.5)):.4f}."),
    hint="z = W1 @ x + b1, a = 1 / (1 + exp(−z)), then lesson.w_out @ a + lesson.b_out.")

# %%
answer_2 = ...  # a number

# %%
exercise_2.check(answer_2)

# %% [markdown]
# ### Exercise 3
#
# In the hidden space every coordinate lies in $(0, 1)$. Into which corner region of the unit
# square does the sigmoid send the input corner $x = (-2, -2)$: `"near (0, 0)"`,
# `"near (1, 0)"`, `"near (0, 1)"` or `"near (1, 1)"`?

# %% jupyter={"source_hidden": true}
CORNERS = {"near (0, 0)": (0, 0), "near (1, 0)": (1, 0), "near (0, 1)": (0, 1),
           "near (1, 1)": (1, 1)}


def corner_of(point) -> str:
    (W1, b1), _ = network.params(-1)
    a = 1.0 / (1.0 + np.exp(-(W1 @ np.asarray(point, dtype=float) + b1)))
    return min(CORNERS, key=lambda k: float(np.sum((a - np.array(CORNERS[k])) ** 2)))


exercise_3 = tools.Exercise(
    3, "where the corner (-2, -2) lands", choices=tuple(CORNERS), solve=lambda: corner_of((-2, -2)),
    explain=lambda c: (f"{c}: both hidden units are far from their boundaries there, so both "
                       "sigmoids saturate. The class-0 corners of XOR land together, on the far "
                       "side of the output line from the class-1 ones."),
    hint="compute a = σ(W1 x + b1) for x = (−2, −2) as in exercise 2.")

# %%
answer_3 = ...  # one of the four corners

# %%
exercise_3.check(answer_3)
