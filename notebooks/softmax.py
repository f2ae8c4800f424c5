# %% [markdown]
# # Softmax: from scores to probabilities
#
# *Chapter 5, lesson 1 of the mlv course (`softmax`). The video and the lecture notes show this
# same computation; here you run it, change it and check what you expect.*
#
# Attention, like every classifier, ends with scores $z \in \mathbb{R}^k$ that must become
# probabilities. **Softmax** exponentiates and normalises; a **temperature** $T > 0$ divides the
# scores first and sets how sharp the result is:
#
# $$s_i = \frac{e^{z_i / T}}{\sum_{j} e^{z_j / T}}, \qquad s_i > 0, \qquad \sum_i s_i = 1 .$$
#
# Every output depends on every score, so its derivative is a matrix, the **Jacobian**
#
# $$\frac{\partial s_i}{\partial z_j} = s_i(\delta_{ij} - s_j),$$
#
# whose columns sum to zero (the probabilities always sum to one). With cross-entropy
# $L = -\sum_k y_k \log s_k$ on top, the chain rule through that Jacobian leaves just
# $\partial L / \partial z = s - y$. In floating point, $e^{z}$ overflows for $z > 709.78$; since
# $s(z) = s(z - c)$ for any constant $c$, the **stable** form subtracts $c = \max_j z_j$ first.

# %%
import numpy as np

from mlv.algorithms import attention as at
from mlv.algorithms.lessons_attention import softmax_lesson
from mlv.scripts import notebook_plots as plots
from mlv.scripts import notebook_tools as tools

plots.use()
SCENE = "softmax"

# %% [markdown]
# ## The lesson's run
#
# Three scores, their softmax at several temperatures, the Jacobian at $T = 1$, and the same
# scores shifted far up, through the textbook formula and the stable one.

# %%
tools.show_params(SCENE)
lesson = softmax_lesson()
top = int(np.argmax(lesson.scores))
print(f"scores z = {lesson.scores}, softmax s = {np.round(lesson.probabilities, 4)}")
for t, row in zip(lesson.temperatures, lesson.tempered):
    print(f"  T = {t:g}: {np.round(row, 4)}")
print(f"Jacobian:\n{np.round(lesson.jacobian, 4)}")
print(f"column sums {np.round(lesson.jacobian.sum(axis=0), 12)}")
print(f"z + {lesson.big_scores[0] - lesson.scores[0]:g}: naive {lesson.naive}, "
      f"stable {np.round(lesson.stable, 4)}")

# %% [markdown]
# ## Temperature, the Jacobian and overflow
#
# Left: the probabilities at each temperature (low $T$ sharpens towards one-hot, high $T$
# flattens towards uniform). Middle: the Jacobian as a heat map. Right: the shifted scores
# through the naive formula (NaN, drawn as a cross) and the stable one.

# %%
def show(lesson) -> None:
    fig, ax = plots.figure(3, width=4.3, height=3.6)
    k = len(lesson.scores)
    width = 0.8 / len(lesson.temperatures)
    for i, (t, row) in enumerate(zip(lesson.temperatures, lesson.tempered)):
        ax[0].bar(np.arange(k) + (i - (len(lesson.temperatures) - 1) / 2) * width, row,
                  width=width, label=f"T = {t:g}", color=plots.cluster(i))
    ax[0].set_xticks(range(k), [f"z = {z:g}" for z in lesson.scores])
    ax[0].set(ylabel="probability", ylim=(0, 1.05), title="softmax(z / T)")
    plots.legend(ax[0], loc="upper right")
    J = lesson.jacobian
    lim = float(np.max(np.abs(J)))
    im = ax[1].imshow(J, cmap="coolwarm", vmin=-lim, vmax=lim)
    for (i, j), v in np.ndenumerate(J):
        ax[1].text(j, i, f"{v:+.3f}", ha="center", va="center", fontsize=9, color="black")
    ax[1].set_xticks(range(k), [f"z{j + 1}" for j in range(k)])
    ax[1].set_yticks(range(k), [f"s{i + 1}" for i in range(k)])
    ax[1].grid(False)
    ax[1].set_title("Jacobian ∂s_i/∂z_j")
    fig.colorbar(im, ax=ax[1], shrink=0.8)
    naive = np.nan_to_num(lesson.naive, nan=0.0)
    ax[2].bar(np.arange(k) - 0.2, naive, width=0.4, color=plots.colour("residual"),
              label="naive exp(z) / Σ exp(z)")
    for j in np.flatnonzero(np.isnan(lesson.naive)):
        ax[2].plot(j - 0.2, 0.03, "x", color=plots.colour("residual"), markersize=10, mew=2)
    ax[2].bar(np.arange(k) + 0.2, lesson.stable, width=0.4, color=plots.colour("w"),
              label="stable: subtract max first")
    ax[2].set_xticks(range(k), [f"{z:g}" for z in lesson.big_scores])
    ax[2].set(xlabel="shifted scores", ylabel="probability", ylim=(0, 1.05),
              title="overflow (× = NaN) vs stable")
    plots.legend(ax[2], loc="upper right")


show(lesson)

# %% [markdown]
# ## The numbers
#
# The run's numbers, computed above: they are the numbers the video says and the lecture notes
# print.

# %%
t_lo, t_hi = lesson.temperatures[0], lesson.temperatures[-1]
numbers = {"probability of the top score": float(lesson.probabilities[top]),
           f"top probability at T = {t_lo:g}": float(lesson.tempered[0, top]),
           f"top probability at T = {t_hi:g}": float(lesson.tempered[-1, top]),
           "Jacobian entry (1, 1)": float(lesson.jacobian[0, 0]),
           "Jacobian entry (1, 2)": float(lesson.jacobian[0, 1]),
           "scores that overflow": int(np.sum(lesson.overflowed))}
tools.show_numbers(numbers)

# %% [markdown]
# ## The derivations
#
# The Jacobian's diagonal (quotient rule) and off-diagonal entries, and the gradient of
# softmax with cross-entropy, $s - y$, each step checked by the course's checker.

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
# This lesson takes no parameters in the video, so the exercises use the algorithm's own
# functions: `at.softmax(z, temperature=T)` and `at.softmax_jacobian(s)`. Answer in the
# variable `answer_N`; the cell after it checks your answer: *not answered yet* while it is
# `...`, a hint when it is wrong, why when it is right.
#
# The cell that sets up each exercise is collapsed, since it computes the answer: open
# it once you have answered.
#
# ### Exercise 1
#
# At temperature `T = 10`, what probability does the top score get? Answer with a number (to
# three decimals).

# %% jupyter={"source_hidden": true}
exercise_1 = tools.Exercise(
    1, "the top probability at T = 10", tolerance=5e-4,
    solve=lambda: float(at.softmax(lesson.scores, temperature=10.0)[top]),
    explain=lambda p: (f"{p:.4f}: dividing by 10 shrinks the gaps between the scores, so every "
                       f"probability moves towards 1/{len(lesson.scores)}."),
    hint="at.softmax(lesson.scores, temperature=10.0)[top]")

# %%
answer_1 = ...  # a number

# %%
exercise_1.check(answer_1)

# %% [markdown]
# ### Exercise 2
#
# Add 5 to every score. Does the top probability get `"larger"`, `"smaller"` or stay
# `"the same"`? Predict before you compute it.

# %% jupyter={"source_hidden": true}
def shifted() -> str:
    p = float(at.softmax(lesson.scores + 5.0)[top])
    if np.isclose(p, lesson.probabilities[top], rtol=1e-12):
        return "the same"
    return "larger" if p > lesson.probabilities[top] else "smaller"


exercise_2 = tools.Exercise(
    2, "scores + 5: the top probability", choices=("larger", "smaller", "the same"),
    solve=shifted,
    explain=lambda ans: (f"{ans}: e^(z + 5) = e^5 e^z, and the factor e^5 cancels between the "
                         "numerator and the sum. That is exactly why the stable form may "
                         "subtract the largest score."),
    hint="write e^(z_i + c) as e^c e^(z_i) and cancel.")

# %%
answer_2 = ...  # "larger", "smaller" or "the same"

# %%
exercise_2.check(answer_2)

# %% [markdown]
# ### Exercise 3
#
# The Jacobian's diagonal entry $s_i(1 - s_i)$ is largest for which probability $s_i$? Answer
# with a number.

# %% jupyter={"source_hidden": true}
def peak() -> float:
    s = np.linspace(0.0, 1.0, 100001)
    return float(s[np.argmax(s * (1 - s))])


exercise_3 = tools.Exercise(
    3, "where s(1 − s) peaks", solve=peak, tolerance=1e-3,
    explain=lambda s: (f"{s:g}: there the slope is 1/4. Near 0 or 1 (a saturated, one-hot "
                       "softmax) it vanishes, which is why attention scales its scores."),
    hint="differentiate s − s² and set it to zero.")

# %%
answer_3 = ...  # a number

# %%
exercise_3.check(answer_3)
