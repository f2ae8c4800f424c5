# %% [markdown]
# # Forward propagation
#
# *Chapter 4, lesson 1 of the mlv course (`forward-propagation`). The video and the lecture
# notes follow this same input through this same network; here you compute it, change it and
# check what you expect.*
#
# A network is layers of the model we already know. Layer $l$ takes the previous layer's
# activations $a^{(l-1)}$ (the input $x$ for the first layer), forms scores with a weight matrix
# and a bias vector, and squashes them:
#
# $$z^{(l)} = W^{(l)} a^{(l-1)} + b^{(l)}, \qquad a^{(l)} = \sigma\bigl(z^{(l)}\bigr).$$
#
# The course's network for XOR has two inputs, a hidden layer of two sigmoid units and one
# sigmoid output, $2 \to 2 \to 1$: $W^{(1)}$ is $2\times 2$ and $b^{(1)}$ has 2 entries,
# $W^{(2)}$ is $1\times 2$ and $b^{(2)}$ one. Row $j$ of $W^{(l)}$ holds the weights *into*
# unit $j$; its output $a^{(2)} = \hat y$ is the probability of class 1. Forward propagation is
# just these two lines applied layer after layer; for a batch, the rows of $X$ go through at
# once, $Z = X W^\top + b$.

# %%
import numpy as np

from mlv.algorithms import network as nw
from mlv.algorithms.lessons_networks import xor_network_lesson
from mlv.scripts import notebook_plots as plots
from mlv.scripts import notebook_tools as tools

plots.use()
SCENE = "forward-propagation"

# %% [markdown]
# ## The lesson's network and input
#
# The XOR network after its training run (the training lesson's: 100 noisy XOR points, 1000
# epochs), and the training point the video follows.

# %%
tools.show_params(SCENE)
network = xor_network_lesson()
params = network.params(-1)                       # the trained (W, b) of each layer
(W1, b1), (W2, b2) = params
x, y = network.x_sample, network.y_sample
print("W(1) =\n", np.round(W1, 3), "\nb(1) =", np.round(b1, 3))
print("W(2) =", np.round(W2, 3), " b(2) =", np.round(b2, 3))
print(f"the input x = {np.round(x, 4)}, class y = {y:g}")

# %% [markdown]
# ## The pass, by hand and by the algorithm
#
# The two lines of forward propagation in NumPy, and the same pass from the course's network
# code (`mlv.algorithms.network`), which the video shows: they must agree.

# %%
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


z1 = W1 @ x + b1
a1 = sigmoid(z1)
z2 = W2 @ a1 + b2
a2 = sigmoid(z2)
print(f"z(1) = {np.round(z1, 4)}, a(1) = {np.round(a1, 4)}, z(2) = {np.round(z2, 4)}, "
      f"a(2) = ŷ = {np.round(a2, 4)}")

trace = network.forward_pass()
assert np.allclose(trace.pre_activations[0], z1) and np.allclose(trace.activations[2], a2)
print("the algorithm's pass agrees")

# %% [markdown]
# ## Where the input sits
#
# Left: the network's output $P(y = 1 \mid x)$ over the input plane, its 0.5 contour (the
# decision boundary) and the training points; the followed input is ringed. Right: the values
# along the pass.

# %%
fig, ax = plots.figure(2, width=4.6, height=4.0)
plots.probability_field(ax[0], network.field_x, network.field_y, network.fields[-1])
plots.classes(ax[0], network.X, network.y)
ax[0].plot(*x, "o", markersize=16, markerfacecolor="none", markeredgecolor=plots.FOREGROUND,
           markeredgewidth=2)
ax[0].set(xlabel="$x_1$", ylabel="$x_2$", title="the trained network's P(y = 1)")
names = ["x₁", "x₂", "z₁⁽¹⁾", "z₂⁽¹⁾", "a₁⁽¹⁾", "a₂⁽¹⁾", "z⁽²⁾", "ŷ"]
values = [*x, *z1, *a1, *z2, *a2]
colours = [plots.colour("data")] * 2 + [plots.MUTED] * 2 + [plots.colour("activation")] * 2 \
    + [plots.MUTED, plots.colour("prediction")]
ax[1].barh(names[::-1], values[::-1], color=colours[::-1])
ax[1].axvline(0, color=plots.MUTED, linewidth=1)
for k, v in enumerate(values[::-1]):             # each value to the right of its bar or of 0
    ax[1].text(max(v, 0.0) + 0.2, k, f"{v:.3f}", va="center", ha="left", fontsize=9)
ax[1].set(title="the forward pass", xlabel="value", xlim=(min(values) - 1, max(values) + 3))
ax[1].grid(False, axis="y")

# %% [markdown]
# ## The numbers
#
# The pass's numbers, computed above: they are the numbers the video says and the lecture
# notes print.

# %%
numbers = {"input x1": float(x[0]), "input x2": float(x[1]),
           "hidden z1": float(z1[0]), "hidden z2": float(z1[1]),
           "hidden a1": float(a1[0]), "hidden a2": float(a1[1]),
           "output a": float(a2[0]), "class y": int(y)}
tools.show_numbers(numbers)

# %% [markdown]
# ## The derivations
#
# This lesson computes and derives nothing; the next one runs the pass backwards, and what it
# needs from each unit is the slope of its activation. Here are those slopes, each step checked
# by the course's checker.

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
# This lesson takes no parameters; the exercises feed the trained network other inputs. Answer
# in the variable `answer_N`; the cell after it checks your answer: *not answered yet* while it
# is `...`, a hint when it is wrong, why when it is right.
#
# The cell that sets up each exercise is collapsed, since it computes the answer: open
# it once you have answered.
#
# ### Exercise 1
#
# Feed $x = (1, -1)$ through the network by hand (the two lines above). What probability
# $\hat y$ of class 1 does it give? Answer with a number (to four decimals).

# %% jupyter={"source_hidden": true}
def output_for(point) -> float:
    return float(nw.predict(params, np.array([point], dtype=float), network.activations)[0, 0])


exercise_1 = tools.Exercise(
    1, "the network's output for x = (1, -1)", solve=lambda: output_for((1.0, -1.0)),
    tolerance=5e-5,
    explain=lambda p: (f"ŷ = {p:.4f}: (1, −1) has coordinates of opposite signs, class 1 of XOR, "
                       f"and the network is {'sure' if p > 0.9 else 'fairly sure'} of it."),
    hint="z1 = W1 @ x + b1, a1 = sigmoid(z1), then the same with W2, b2.")

# %%
answer_1 = ...  # a number

# %%
exercise_1.check(answer_1)

# %% [markdown]
# ### Exercise 2
#
# A batch of 100 inputs goes through at once as a matrix $X$ with one row per input. What is
# the shape of $Z^{(1)} = X W^{(1)\top} + b^{(1)}$? Answer `"100x2"`, `"2x100"` or `"100x1"`.

# %% jupyter={"source_hidden": true}
def batch_shape() -> str:
    zs, _ = nw.forward(params, network.X, network.activations)
    rows, cols = zs[0].shape
    return f"{rows}x{cols}"


exercise_2 = tools.Exercise(
    2, "the shape of the batch's first-layer scores", choices=("100x2", "2x100", "100x1"),
    solve=batch_shape,
    explain=lambda s: (f"{s}: one row per input, one column per hidden unit; the bias is added "
                       "to every row (broadcasting)."),
    hint="(100 × 2) @ (2 × 2)ᵀ.")

# %%
answer_2 = ...  # "100x2", "2x100" or "100x1"

# %%
exercise_2.check(answer_2)

# %% [markdown]
# ### Exercise 3
#
# Which class does the network predict (threshold $\hat y = 0.5$) for $x = (-1.5, -1.5)$?
# Answer `"0"` or `"1"`, then compare with XOR's rule.

# %% jupyter={"source_hidden": true}
exercise_3 = tools.Exercise(
    3, "the predicted class of (-1.5, -1.5)", choices=("0", "1"),
    solve=lambda: "1" if output_for((-1.5, -1.5)) > 0.5 else "0",
    explain=lambda c: (f"class {c} (ŷ = {output_for((-1.5, -1.5)):.3f}): both coordinates have the "
                       "same sign, and XOR says class 0."),
    hint="run it as in exercise 1.")

# %%
answer_3 = ...  # "0" or "1"

# %%
exercise_3.check(answer_3)
