# %% [markdown]
# # Logistic regression: from likelihood to loss
#
# *Chapter 3, lesson 3 of the mlv course (`logistic-regression-derivation`). The video and the
# lecture notes derive this same loss; here you prove it, evaluate it and check what you
# expect.*
#
# A classifier for labels $y \in \{0, 1\}$ that says how sure it is: squash the linear score
# $z = w^\top x + b$ into a probability with the sigmoid,
#
# $$p = P(y = 1 \mid x) = \sigma(z) = \frac{1}{1 + e^{-z}} .$$
#
# The probability of one observed label is $p^{y}(1-p)^{1-y}$ (that is $p$ when $y = 1$ and
# $1 - p$ when $y = 0$), and of all $n$ independent labels, the **likelihood**
#
# $$\mathcal{L} = \prod_{i=1}^{n} p_i^{y_i} (1 - p_i)^{1 - y_i}.$$
#
# Maximising it is minimising $-\frac{1}{n}\log\mathcal{L}$, the **binary cross-entropy**
#
# $$\mathrm{BCE} = -\frac{1}{n}\sum_{i=1}^{n} \bigl(y_i \log p_i + (1 - y_i)\log(1 - p_i)\bigr),$$
#
# and with $\sigma' = \sigma(1 - \sigma)$ its gradient collapses to an average of the errors
# $p_i - y_i$:
#
# $$\frac{\partial\,\mathrm{BCE}}{\partial w_j} = \frac{1}{n}\sum_i (p_i - y_i)\, x_{ij}, \qquad
#   \frac{\partial\,\mathrm{BCE}}{\partial b} = \frac{1}{n}\sum_i (p_i - y_i).$$
#
# The same form as linear regression's gradient, with $p_i$ in place of $\hat y_i$.

# %%
import numpy as np

from mlv.algorithms import logistic_regression as lg
from mlv.algorithms.lessons_linear import activation_curves, logistic_lesson
from mlv.scripts import notebook_plots as plots
from mlv.scripts import notebook_tools as tools

plots.use()
SCENE = "logistic-regression-derivation"

# %% [markdown]
# ## The model and the loss of one point
#
# Left: the sigmoid turns any score into a probability. Right: the loss of one point against
# the probability the model gives its class: for $y = 1$ it is $-\log p$, for $y = 0$ it is
# $-\log(1 - p)$. A confident wrong answer costs without bound.

# %%
tools.show_params(SCENE)
curves = activation_curves()
p_grid = np.linspace(0.005, 0.995, 300)
fig, ax = plots.figure(2, width=4.6, height=3.5)
ax[0].plot(curves.z, curves.values["sigmoid"], color=plots.colour("activation"))
ax[0].axhline(0.5, color=plots.MUTED, linestyle=":", linewidth=1)
ax[0].set(xlabel="score z", ylabel="p = σ(z)", title="the sigmoid")
ax[1].plot(p_grid, -np.log(p_grid), color=plots.colour("positive"), label="y = 1: −log p")
ax[1].plot(p_grid, -np.log(1 - p_grid), color=plots.colour("negative"),
           label="y = 0: −log(1 − p)")
ax[1].set(xlabel="p", ylabel="loss of the point", ylim=(0, 5), title="cross-entropy")
plots.legend(ax[1], loc="upper center")

# %% [markdown]
# ## The numbers
#
# This lesson is a derivation only, so the video and the notes have no run and no numbers;
# the table is empty.

# %%
numbers: dict[str, float] = {}
tools.show_numbers(numbers)

# %% [markdown]
# ## The derivations
#
# The cross-entropy from the likelihood, and its gradient in $w_1$ and in $b$, each step checked
# by the course's checker (symbolically, with the sums written out for $n = 1, \dots, 5$, and
# numerically) and the gradients compared with an independent `sympy.diff`.

# %%
derivations = tools.lesson_derivations(["logistic_regression"])
tools.show_derivations(derivations)

# %% [markdown]
# Prove every step now (this runs SymPy; this lesson's proofs take the longest, ten seconds or
# so):

# %%
reports = tools.prove(derivations)

# %% [markdown]
# The proven gradients are formulas; on the next lesson's data (60 points, two classes) they
# must equal the gradient the algorithm uses (`mlv.algorithms.logistic_regression.gradient`):

# %%
data = logistic_lesson()
by_id = {d.id: d for d in derivations}
grad_w1 = by_id["bce-gradient-w1"].numpy_function()
grad_b = by_id["bce-gradient-b"].numpy_function()
for w1, w2, b in ((0.0, 0.0, 0.0), (1.0, -0.5, 0.3)):
    derived = (grad_w1(w_1=w1, w_2=w2, b=b, x=data.X, y=data.y),
               grad_b(w_1=w1, w_2=w2, b=b, x=data.X, y=data.y))
    code = lg.gradient(data.X, data.y, [w1, w2], b)
    print(f"at w = ({w1:g}, {w2:g}), b = {b:g}: derived ({derived[0]:+.6f}, {derived[1]:+.6f})   "
          f"algorithm ({code[0]:+.6f}, {code[2]:+.6f})")
    assert np.allclose(derived, (code[0], code[2]), rtol=1e-10, atol=1e-12)

# %% [markdown]
# ## Exercises
#
# This lesson takes no parameters; the exercises evaluate what it derived. Answer in the
# variable `answer_N`; the cell after it checks your answer: *not answered yet* while it is
# `...`, a hint when it is wrong, why when it is right.
#
# The cell that sets up each exercise is collapsed, since it computes the answer: open
# it once you have answered.
#
# ### Exercise 1
#
# A point of class $y = 1$ that the model gives $p = 0.9$: what is its cross-entropy? And one of
# class $y = 0$ with the same $p$? Answer the first with a number (to four decimals).

# %% jupyter={"source_hidden": true}
def point_loss(y: float, p: float) -> float:
    z = float(np.log(p / (1 - p)))                 # the score whose sigmoid is p
    return float(lg.bce(np.zeros((1, 1)), np.array([y]), [0.0], z))


exercise_1 = tools.Exercise(
    1, "BCE of y = 1 at p = 0.9", solve=lambda: point_loss(1.0, 0.9), tolerance=5e-5,
    explain=lambda v: (f"{v:.4f} = −log 0.9; the y = 0 point costs −log 0.1 = "
                       f"{point_loss(0.0, 0.9):.4f}, 22 times more: a confident mistake is "
                       "expensive."),
    hint="−(y log p + (1 − y) log(1 − p)) with y = 1.")

# %%
answer_1 = ...  # a number

# %%
exercise_1.check(answer_1)

# %% [markdown]
# ### Exercise 2
#
# With $w = 0$, every point gets the same $p = \sigma(b)$. Which $b$ makes
# $\partial\,\mathrm{BCE}/\partial b = 0$ on the 60 points of `data`? Answer with a number (to
# four decimals). (Set the derived gradient to zero: $\frac1n\sum_i(\sigma(b) - y_i) = 0$.)

# %% jupyter={"source_hidden": true}
exercise_2 = tools.Exercise(
    2, "the best bias of a model without weights", tolerance=5e-5,
    solve=lambda: float(np.log(np.mean(data.y) / (1 - np.mean(data.y)))),
    explain=lambda b: (f"b = {b:.4f}: σ(b) must equal the share of class 1, "
                       f"{np.mean(data.y):.3f}, so b = log(share / (1 − share)). Check: "
                       f"grad_b(w_1=0, w_2=0, b=answer_2, x=data.X, y=data.y) ≈ 0."),
    hint="σ(b) = mean of y; invert the sigmoid.")

# %%
answer_2 = ...  # a number

# %%
exercise_2.check(answer_2)

# %% [markdown]
# ### Exercise 3
#
# At $w = b = 0$, every $p_i = \tfrac12$. What is the BCE there, on any data? Answer with a
# number (to four decimals), and recognise it.

# %% jupyter={"source_hidden": true}
exercise_3 = tools.Exercise(
    3, "the BCE of the coin-flip model", tolerance=5e-5,
    solve=lambda: float(lg.bce(data.X, data.y, [0.0, 0.0], 0.0)),
    explain=lambda v: (f"{v:.4f} = log 2: every label has probability one half. A trained model "
                       "should do better than this coin flip."),
    hint="−log(1/2).")

# %%
answer_3 = ...  # a number

# %%
exercise_3.check(answer_3)
