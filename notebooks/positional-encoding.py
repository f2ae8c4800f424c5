# %% [markdown]
# # Position: attention sees a set
#
# *Chapter 5, lesson 4 of the mlv course (`positional-encoding`). The video and the lecture
# notes show these same runs; here you run them, change them and check what you expect.*
#
# Attention compares every query with every key wherever the tokens sit. For a permutation
# matrix $P$, $(PX)W^\top = P(XW^\top)$ and $\operatorname{softmax}(P S P^\top) =
# P \operatorname{softmax}(S) P^\top$ row by row, so self-attention is **permutation
# equivariant**:
#
# $$\operatorname{Attn}(PX) = P\,\operatorname{Attn}(X) .$$
#
# Shuffling the tokens shuffles the outputs and changes nothing else, so a task that asks *by
# position* ("which token is at place 3?") defeats it: at best it can guess from the set of
# tokens. The fix gives each position $t$ its own vector, the sinusoidal encodings
#
# $$\mathrm{PE}_{t, 2i} = \sin\!\bigl(t / 10000^{2i/d}\bigr), \qquad
#   \mathrm{PE}_{t, 2i+1} = \cos\!\bigl(t / 10000^{2i/d}\bigr),$$
#
# added (or, here in the task, appended) to each token; then $\operatorname{Attn}(PX +
# \mathrm{PE}) \ne P\,\operatorname{Attn}(X + \mathrm{PE})$.

# %%
import numpy as np

from mlv.algorithms.lessons_attention import position_lesson
from mlv.scripts import notebook_plots as plots
from mlv.scripts import notebook_tools as tools

plots.use()
SCENE = "positional-encoding"
PARAMS = {"lr": 0.5, "seed": 0, "length": 5}          # the video's


def lesson_for(params: dict):
    return position_lesson(params["seed"], learning_rate=params["lr"], length=params["length"])


# %% [markdown]
# ## The lesson's runs
#
# Four random vectors through one self-attention layer, then shuffled; then the position task
# trained twice, without and with positional encodings.

# %%
tools.show_params(SCENE)
lesson = lesson_for(PARAMS)
print(f"shuffle order {lesson.permutation.tolist()}: max |Attn(PX) − P Attn(X)| = "
      f"{lesson.equivariance_error:.3g}; with positions {lesson.positions_break_equivariance:.3f}")
print(f"held-out accuracy: without positions {lesson.without.final_test_accuracy:.3f} "
      f"(most-common-token guess {lesson.most_common_guess:.3f}), with positions "
      f"{lesson.with_positions.final_test_accuracy:.3f}")


# %% [markdown]
# ## Equivariance, the encodings and the two runs
#
# Top left: what shuffling changes in the outputs, without positions (round-off) and with them.
# Top right: the sinusoidal encodings the task appends. Bottom: the two runs' loss and
# held-out accuracy.

# %%
def show(lesson) -> None:
    fig, ax = plots.figure(2, 2, width=5.0, height=3.4)
    without = lesson.out_permuted - lesson.out[lesson.permutation]
    lim = max(float(np.max(np.abs(lesson.shuffle_difference))), 1e-12)
    panels = np.concatenate([without, np.full((without.shape[0], 1), np.nan),
                             lesson.shuffle_difference], axis=1)
    im = ax[0].imshow(panels, cmap="coolwarm", vmin=-lim, vmax=lim, aspect="auto")
    d = without.shape[1]
    ax[0].set_xticks([(d - 1) / 2, d + 1 + (d - 1) / 2], ["no positions", "with positions"])
    ax[0].set_yticks(range(without.shape[0]))
    ax[0].set(ylabel="token", title="Attn(PX) − P Attn(X)")
    ax[0].grid(False)
    fig.colorbar(im, ax=ax[0], shrink=0.8)
    im2 = ax[1].imshow(lesson.encoding, cmap="coolwarm", vmin=-1, vmax=1, aspect="auto")
    ax[1].set(xlabel="encoding dimension", ylabel="position t", title="sinusoidal PE")
    ax[1].grid(False)
    fig.colorbar(im2, ax=ax[1], shrink=0.8)
    for run, name, c in ((lesson.without, "without positions", "without_positions"),
                         (lesson.with_positions, "with positions", "with_positions")):
        plots.loss_curve(ax[2], run.run.steps, run.run.loss, label=name, colour_name=c, log=True)
        ax[3].plot(run.run.steps, run.run.extras["test_accuracy"], color=plots.colour(c),
                   label=name)
    ax[2].set(xlabel="epoch", ylabel="cross-entropy", title="loss")
    plots.legend(ax[2], loc="lower left")
    ax[3].axhline(lesson.most_common_guess, color=plots.MUTED, linestyle=":",
                  label="most-common-token guess")
    ax[3].set(xlabel="epoch", ylabel="held-out accuracy", ylim=(0, 1.05), title="accuracy")
    plots.legend(ax[3], loc="lower right")


show(lesson)

# %% [markdown]
# ## The numbers
#
# The runs' numbers, computed above: they are the numbers the video says and the lecture notes
# print.

# %%
numbers = {"largest difference after shuffling": lesson.equivariance_error,
           "difference with positions": lesson.positions_break_equivariance,
           "held-out accuracy without positions": lesson.without.final_test_accuracy,
           "most-common-token guess": lesson.most_common_guess,
           "held-out accuracy with positions": lesson.with_positions.final_test_accuracy}
tools.show_numbers(numbers)

# %% [markdown]
# ## The derivations
#
# The video derives no formula here; the equivariance above is exact algebra. What trains both
# runs is the gradient through attention (lesson 3), checked here by the course's checker.

# %%
derivations = tools.lesson_derivations(["attention"])
tools.show_derivations(derivations)

# %% [markdown]
# Prove every step now (this runs SymPy; a few seconds):

# %%
reports = tools.prove(derivations)

# %% [markdown]
# ## Exercises
#
# The lesson's parameters (`mlv params positional-encoding`): `lr` in [0.05, 1] (default 0.5),
# `seed` (0) and `length` in [2, 8] (5). Change them in a copy of `PARAMS` and run
# `lesson_for(...)`. Answer in the variable `answer_N`; the cell after it checks your answer:
# *not answered yet* while it is `...`, a hint when it is wrong, why when it is right.
#
# The cell that sets up each exercise is collapsed, since it computes the answer: open
# it once you have answered.
#
# ### Exercise 1
#
# Without positions, is the held-out accuracy `"above"` or `"below"` the most-common-token
# guess plus 0.1?

# %% jupyter={"source_hidden": true}
def versus_guess() -> str:
    return ("above" if lesson.without.final_test_accuracy > lesson.most_common_guess + 0.1
            else "below")


exercise_1 = tools.Exercise(
    1, "without positions against the guess", choices=("above", "below"), solve=versus_guess,
    explain=lambda ans: (f"{ans}: {lesson.without.final_test_accuracy:.3f} against "
                         f"{lesson.most_common_guess:.3f}. A model that sees a set can do little "
                         "better than guess from the counts."),
    hint="compare lesson.without.final_test_accuracy with lesson.most_common_guess.")

# %%
answer_1 = ...  # "above" or "below"

# %%
exercise_1.check(answer_1)

# %% [markdown]
# ### Exercise 2
#
# Shuffle a different way: with `perm = [3, 2, 1, 0]`, what is the largest difference
# $\max |\operatorname{Attn}(PX) - P\operatorname{Attn}(X)|$ without positions, to within
# $10^{-9}$? Use `at.self_attention` with any weights.

# %% jupyter={"source_hidden": true}
def reversed_error() -> float:
    from mlv.algorithms import attention as at

    rng = np.random.default_rng(1)
    W = [rng.standard_normal((4, 4)) / 2 for _ in range(3)]
    perm = np.array([3, 2, 1, 0])
    return float(np.max(np.abs(at.self_attention(lesson.X[perm], *W)[0]
                               - at.self_attention(lesson.X, *W)[0][perm])))


exercise_2 = tools.Exercise(
    2, "the reversed order's difference", solve=reversed_error, tolerance=1e-9,
    explain=lambda e: (f"{e:.2g}, zero up to round-off: equivariance holds for every "
                       "permutation and every weight."),
    hint="Attn(PX) = P Attn(X) for every permutation P.")

# %%
answer_2 = ...  # a number

# %%
exercise_2.check(answer_2)
