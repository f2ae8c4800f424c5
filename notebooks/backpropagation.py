# %% [markdown]
# # Backpropagation: the chain rule, backwards
#
# *Chapter 4, lesson 2 of the mlv course (`backpropagation`). The video and the lecture notes
# follow this same weight through this same step; here you compute it, check it and change it.*
#
# Training needs the gradient of the loss in every weight. Backpropagation gets all of them in
# one backward pass, by the chain rule, through the **deltas** $\delta^{(l)} = \partial L /
# \partial z^{(l)}$. For the $2 \to 2 \to 1$ sigmoid network with the cross-entropy loss
# $L = -(y \log a^{(2)} + (1-y)\log(1 - a^{(2)}))$ of one point:
#
# $$\delta^{(2)} = a^{(2)} - y, \qquad
#   \delta^{(1)}_j = \delta^{(2)}\, W^{(2)}_{1j}\, \sigma'\bigl(z^{(1)}_j\bigr), \qquad
#   \sigma'(z) = a(1 - a),$$
#
# $$\frac{\partial L}{\partial W^{(l)}_{jk}} = \delta^{(l)}_j\, a^{(l-1)}_k, \qquad
#   \frac{\partial L}{\partial b^{(l)}_j} = \delta^{(l)}_j .$$
#
# So one first-layer weight's gradient is a product of four numbers,
# $\partial L/\partial W^{(1)}_{11} = (a^{(2)} - y)\cdot W^{(2)}_{11}\cdot a^{(1)}_1(1 - a^{(1)}_1)
# \cdot x_1$. The batch gradient averages it over all $n$ points, and gradient descent takes
# the step $W \leftarrow W - \eta\,\partial L/\partial W$.

# %%
import numpy as np

from mlv.algorithms import network as nw
from mlv.algorithms.lessons_networks import weight_trace, xor_network_lesson
from mlv.scripts import notebook_plots as plots
from mlv.scripts import notebook_tools as tools

plots.use()
SCENE = "backpropagation"

# %% [markdown]
# ## The lesson's step
#
# The XOR network at its initial weights (the training lesson's first epoch), the training
# point the video follows, and the weight $W^{(1)}_{11}$ (`W1[0,0]`) traced back.

# %%
tools.show_params(SCENE)
network = xor_network_lesson()
params = network.params(0)                  # the initial (W, b) of each layer
x, y = network.x_sample, network.y_sample
trace = network.first_pass()                # the sample's forward and backward pass
weight = weight_trace(network)
print(f"x = {np.round(x, 4)}, y = {y:g}: ŷ = {trace.activations[2][0]:.4f}, loss {trace.loss:.4f}")
print(f"deltas: output {trace.deltas[1][0]:+.4f}, hidden {np.round(trace.deltas[0], 4)}")
print(f"W1[0,0]: factors {np.round(weight.factors, 4)} → sample gradient "
      f"{weight.sample_gradient:+.5f}; batch gradient {weight.batch_gradient:+.5f}")
print(f"step: {weight.before:.5f} − {weight.learning_rate:g} × ({weight.batch_gradient:+.5f}) = "
      f"{weight.after:.5f}")

# %% [markdown]
# ## The chain rule, checked by finite differences
#
# The product of the four factors, the backward pass's gradient, and a central finite
# difference of the sample's loss: all three must agree.

# %%
def sample_loss(w11: float) -> float:
    (W1, b1), (W2, b2) = params
    W1 = W1.copy()
    W1[0, 0] = w11
    return nw.forward_backward([(W1, b1), (W2, b2)], x, y, network.activations, "bce").loss


h = 1e-5
numeric = (sample_loss(weight.before + h) - sample_loss(weight.before - h)) / (2 * h)
product = float(np.prod(weight.factors))
print(f"product of the factors {product:+.8f}, backward pass {weight.sample_gradient:+.8f}, "
      f"finite difference {numeric:+.8f}")
assert np.isclose(product, weight.sample_gradient) and abs(numeric - product) < 1e-7

# %% [markdown]
# ## The factors and every gradient of the step
#
# Left: the four chain-rule factors of `W1[0,0]`'s gradient for the sample. Right: the batch
# gradient of every weight and bias at this first step (the average over all 100 points).

# %%
batch = nw.backward(params, network.X, network.y, network.activations, "bce")
names = nw.param_names(network.run.meta["layer_sizes"])
values = np.concatenate([np.concatenate([g.ravel(), gb.ravel()]) for g, gb in batch.grads])
fig, ax = plots.figure(2, width=4.8, height=3.6)
labels = ["a⁽²⁾ − y", "W⁽²⁾₁₁", "σ'(z₁⁽¹⁾)", "x₁"]
ax[0].bar(labels, weight.factors, color=[plots.colour("gradient"), plots.colour("w"),
                                         plots.colour("activation"), plots.colour("data")])
ax[0].axhline(0, color=plots.MUTED, linewidth=1)
ax[0].set(title=f"the factors: product {product:+.4f}", ylabel="value")
bar_colours = [plots.colour("b") if n.startswith("b") else plots.colour("w") for n in names]
ax[1].bar(names, values, color=bar_colours)
ax[1].axhline(0, color=plots.MUTED, linewidth=1)
ax[1].set(title="batch gradients at the first step", ylabel="∂L/∂θ")
ax[1].tick_params(axis="x", rotation=60, labelsize=8)

# %% [markdown]
# ## The numbers
#
# The step's numbers, computed above: they are the numbers the video says and the lecture
# notes print.

# %%
numbers = {"output a": float(trace.activations[2][0]), "loss of the point": float(trace.loss),
           "output delta": float(trace.deltas[1][0]), "hidden delta": float(weight.delta1),
           "batch gradient of the weight": float(weight.batch_gradient),
           "learning rate": float(weight.learning_rate),
           "weight before the step": float(weight.before),
           "weight after the step": float(weight.after)}
tools.show_numbers(numbers)

# %% [markdown]
# ## The derivations
#
# The deltas and gradients of the network, for the squared error and for the cross-entropy,
# each step checked by the course's checker (the last step of each also against an independent
# `sympy.diff` through the whole network).

# %%
derivations = tools.lesson_derivations(["backprop"])
tools.show_derivations(derivations)

# %% [markdown]
# Prove every step now (this runs SymPy; several seconds):

# %%
reports = tools.prove(derivations)

# %% [markdown]
# ## Exercises
#
# This lesson takes no parameters; the exercises work with its network and step. Answer in the
# variable `answer_N`; the cell after it checks your answer: *not answered yet* while it is
# `...`, a hint when it is wrong, why when it is right.
#
# The cell that sets up each exercise is collapsed, since it computes the answer: open
# it once you have answered.
#
# ### Exercise 1
#
# Which first-layer weight has the largest batch gradient in absolute value at this step?
# Answer `"W1[0,0]"`, `"W1[0,1]"`, `"W1[1,0]"` or `"W1[1,1]"`.

# %% jupyter={"source_hidden": true}
FIRST_LAYER = ("W1[0,0]", "W1[0,1]", "W1[1,0]", "W1[1,1]")


def steepest() -> str:
    g = batch.grads[0][0]
    j, k = np.unravel_index(np.argmax(np.abs(g)), g.shape)
    return f"W1[{j},{k}]"


exercise_1 = tools.Exercise(
    1, "the steepest first-layer weight", choices=FIRST_LAYER, solve=steepest,
    explain=lambda w: (f"{w}: " + ", ".join(f"{n} {v:+.4f}" for n, v in zip(FIRST_LAYER,
                                                                             batch.grads[0][0].ravel()))
                       + ". Every one is δ⁽¹⁾ times an input, averaged over the batch."),
    hint="look at batch.grads[0][0], the gradient of W⁽¹⁾.")

# %%
answer_1 = ...  # "W1[0,0]", "W1[0,1]", "W1[1,0]" or "W1[1,1]"

# %%
exercise_1.check(answer_1)

# %% [markdown]
# ### Exercise 2
#
# Train with the squared error instead: the output delta becomes $2(a^{(2)} - y)\,a^{(2)}(1 -
# a^{(2)})$ (derived above). For this sample, is its size `"larger"` or `"smaller"` than the
# cross-entropy's $a^{(2)} - y$? Compute it with
# `nw.forward_backward(params, x, y, network.activations, "mse")`.

# %% jupyter={"source_hidden": true}
def compare_deltas() -> str:
    mse = nw.forward_backward(params, x, y, network.activations, "mse").deltas[1][0]
    return "larger" if abs(mse) > abs(trace.deltas[1][0]) else "smaller"


exercise_2 = tools.Exercise(
    2, "the MSE's output delta against the BCE's", choices=("larger", "smaller"),
    solve=compare_deltas,
    explain=lambda ans: (f"{ans}: the extra factor 2a(1 − a) is at most 1/2. The squared error "
                         "learns slowly exactly where the output is confidently wrong, and the "
                         "cross-entropy's delta does not."),
    hint="compare 2a(1 − a) with 1 for a sigmoid output a.")

# %%
answer_2 = ...  # "larger" or "smaller"

# %%
exercise_2.check(answer_2)

# %% [markdown]
# ### Exercise 3
#
# The learning rate is 2. With `learning_rate = 0.5` instead, what would `W1[0,0]` be after
# this first step? Answer with a number (to five decimals).

# %% jupyter={"source_hidden": true}
exercise_3 = tools.Exercise(
    3, "W1[0,0] after one step with learning rate 0.5", tolerance=5e-6,
    solve=lambda: float(xor_network_lesson(learning_rate=0.5).run.param("W1[0,0]")[1]),
    explain=lambda w: (f"{w:.5f} = {weight.before:.5f} − 0.5 × ({weight.batch_gradient:+.5f}): "
                       "the first step's gradient is the same, since the weights start the same; "
                       "only its size changes."),
    hint="weight.before − 0.5 × weight.batch_gradient")

# %%
answer_3 = ...  # a number

# %%
exercise_3.check(answer_3)
