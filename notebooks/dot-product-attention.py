# %% [markdown]
# # Scaled dot-product attention
#
# *Chapter 5, lesson 2 of the mlv course (`dot-product-attention`). The video and the lecture
# notes show this same pass; here you run it, change it and check what you expect.*
#
# Each of $n$ tokens is embedded as a row $x_i \in \mathbb{R}^d$ of $X$. Three learned matrices
# give each token a **query** (what it looks for), a **key** (what it offers) and a **value**
# (what it passes on): $Q = X W_Q^\top$, $K = X W_K^\top$, $V = X W_V^\top$. Every query is
# dotted with every key, scaled, and a softmax along each row turns the scores into weights:
#
# $$\operatorname{Attention}(Q, K, V) = \operatorname{softmax}\!\Bigl(\frac{Q K^\top}{\sqrt d}
#   \Bigr) V, \qquad A_{ij} = \frac{e^{q_i \cdot k_j / \sqrt d}}{\sum_l e^{q_i \cdot k_l /
#   \sqrt d}} .$$
#
# Why $\sqrt d$? For $q, k$ with independent standard normal entries, $q \cdot k = \sum_{m=1}^d
# q_m k_m$ is a sum of $d$ products of variance 1, so
#
# $$\operatorname{Var}(q \cdot k) = d, \qquad
#   \operatorname{Var}\!\Bigl(\frac{q \cdot k}{\sqrt d}\Bigr) = 1 .$$
#
# Unscaled, large scores would push the softmax to one-hot weights, whose slopes
# $s(1 - s)$ vanish.

# %%
import numpy as np

from mlv.algorithms import attention as at
from mlv.algorithms.lessons_attention import dot_product_lesson
from mlv.scripts import notebook_plots as plots
from mlv.scripts import notebook_tools as tools

plots.use()
SCENE = "dot-product-attention"

# %% [markdown]
# ## The lesson's pass
#
# Four tokens in $d = 2$ dimensions, projections drawn from the seed, one self-attention
# pass; then the variance of $q \cdot k$ measured on 20000 random pairs for several $d$.

# %%
tools.show_params(SCENE)
lesson = dot_product_lesson(0)
W = lesson.weights
sharp = int(np.argmax(W.max(axis=1)))
target = int(np.argmax(W[sharp]))
r, c = np.unravel_index(int(np.argmax(lesson.scores)), lesson.scores.shape)
print(f"tokens {lesson.tokens}, d = {lesson.X.shape[1]}")
print(f"scores QKᵀ/√d:\n{np.round(lesson.scores, 3)}\nweights:\n{np.round(W, 3)}")
print(f"row sums {np.round(W.sum(axis=1), 12)}; outputs:\n{np.round(lesson.out, 3)}")
out, _ = at.attention(lesson.Q, lesson.K, lesson.V)
assert np.allclose(out, W @ lesson.V)       # each output is its row's weights times the values
for d, v, sv in zip(lesson.dims, lesson.variance, lesson.scaled_variance):
    print(f"  d = {d:>3}: var(q·k) = {v:7.2f}, var(q·k/√d) = {sv:.3f}")

# %% [markdown]
# ## The weights and the variance
#
# Left: the attention weights, row $i$ for query $i$ (each row sums to one). Right: the
# measured variance of $q \cdot k$ against $d$ (it follows the line $d$) and of the scaled
# score (it stays near 1), on log–log axes.

# %%
def show(lesson) -> None:
    fig, ax = plots.figure(2, width=4.8, height=3.9)
    n = len(lesson.tokens)
    im = ax[0].imshow(lesson.weights, cmap="viridis", vmin=0, vmax=1)
    for (i, j), v in np.ndenumerate(lesson.weights):
        ax[0].text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=10,
                   color="black" if v > 0.5 else plots.FOREGROUND)
    ax[0].set_xticks(range(n), lesson.tokens)
    ax[0].set_yticks(range(n), lesson.tokens)
    ax[0].set(xlabel="key", ylabel="query", title="attention weights A")
    ax[0].grid(False)
    fig.colorbar(im, ax=ax[0], shrink=0.8)
    dims = np.array(lesson.dims)
    ax[1].loglog(dims, lesson.variance, "o-", color=plots.colour("loss"), label="var(q·k)")
    ax[1].loglog(dims, lesson.scaled_variance, "s-", color=plots.colour("w"),
                 label="var(q·k / √d)")
    ax[1].loglog(dims, dims, ":", color=plots.MUTED, label="d")
    ax[1].set(xlabel="dimension d", ylabel="variance", title="why divide by √d")
    plots.legend(ax[1], loc="upper left")


show(lesson)

# %% [markdown]
# ## The numbers
#
# The pass's numbers, computed above: they are the numbers the video says and the lecture
# notes print.

# %%
v, sv = lesson.variance, lesson.scaled_variance
numbers = {"largest score": float(lesson.scores[r, c]), "sharpest weight": float(W[sharp, target]),
           f"var(q·k) at d = {lesson.dims[0]}": float(v[0]),
           f"var(q·k) at d = {lesson.dims[-1]}": float(v[-1]),
           f"var(q·k/√d) at d = {lesson.dims[-1]}": float(sv[-1])}
tools.show_numbers(numbers)

# %% [markdown]
# ## The derivations
#
# The video derives no formula here beyond the variance above, but the attention weights are a
# softmax of the scores, so its derivatives are the softmax Jacobian (lesson 1), checked here
# by the course's checker: they are what trains attention in the next lesson.

# %%
derivations = tools.lesson_derivations(["softmax"])
tools.show_derivations(derivations)

# %% [markdown]
# Prove every step now (this runs SymPy; a few seconds):

# %%
reports = tools.prove(derivations)

# %% [markdown]
# ## Exercises
#
# The lesson's parameter is `seed` (an int in [0, 2147483647], default 0; `mlv params
# dot-product-attention`): `dot_product_lesson(seed)`. The lesson function also takes
# `d_model` (default 2). Answer in the variable `answer_N`; the cell after it checks your
# answer: *not answered yet* while it is `...`, a hint when it is wrong, why when it is right.
#
# The cell that sets up each exercise is collapsed, since it computes the answer: open
# it once you have answered.
#
# ### Exercise 1
#
# With `seed = 3`, what is the largest attention weight of any query? Answer with a number (to
# three decimals).

# %% jupyter={"source_hidden": true}
exercise_1 = tools.Exercise(
    1, "seed = 3: the sharpest weight", tolerance=5e-4,
    solve=lambda: float(dot_product_lesson(3).weights.max()),
    explain=lambda w: (f"{w:.4f}: other embeddings and projections give other scores; the "
                       "weights still sum to one along every row."),
    hint="dot_product_lesson(3).weights.max()")

# %%
answer_1 = ...  # a number

# %%
exercise_1.check(answer_1)

# %% [markdown]
# ### Exercise 2
#
# In the measured variances above, about how large is $\operatorname{Var}(q \cdot k)$ at
# $d = 128$? Answer with a number (within 5 % of the measurement).

# %% jupyter={"source_hidden": true}
def var_at(d: int) -> float:
    dims = list(lesson.dims)
    return float(lesson.variance[dims.index(d)]) if d in dims else float(d)


exercise_2 = tools.Exercise(
    2, "var(q·k) at d = 128", solve=lambda: var_at(128), rel_tolerance=0.05,
    explain=lambda v: (f"{v:.1f}, close to 128: the variance of a sum of d independent products "
                       "of variance one is d."),
    hint="Var(q·k) = d for standard normal entries.")

# %%
answer_2 = ...  # a number

# %%
exercise_2.check(answer_2)

# %% [markdown]
# ### Exercise 3
#
# Multiply every score of the lesson by 8 (as if $d$ were 64 and nobody divided by $\sqrt d$)
# before the softmax. Do the weights get `"sharper"` or `"flatter"`? Use
# `at.softmax(8 * lesson.scores)` and compare the largest weight.

# %% jupyter={"source_hidden": true}
def sharper() -> str:
    big = at.softmax(8 * lesson.scores).max()
    return "sharper" if big > W.max() else "flatter"


exercise_3 = tools.Exercise(
    3, "scores × 8: sharper or flatter", choices=("sharper", "flatter"), solve=sharper,
    explain=lambda ans: (f"{ans}: the largest weight goes from {W.max():.3f} to "
                         f"{at.softmax(8 * lesson.scores).max():.3f}. Near one-hot "
                         "weights have almost no gradient, which the √d keeps away."),
    hint="a larger gap between scores means a larger ratio of their exponentials.")

# %%
answer_3 = ...  # "sharper" or "flatter"

# %%
exercise_3.check(answer_3)
