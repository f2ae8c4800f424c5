# %% [markdown]
# # A transformer block
#
# *Chapter 5, lesson 5 of the mlv course (`transformer-block`). The video and the lecture notes
# show these same three runs; here you run them, change them and check what you expect.*
#
# A transformer block wraps attention in more parts. Each token is first embedded; attention's
# output is added back to its input (a **residual**); **layer norm** rescales each token's
# vector to mean zero and variance one; then a small MLP, with its own residual and layer
# norm, and a readout:
#
# $$h = \operatorname{LN}\bigl(x + \operatorname{Attn}(x)\bigr), \qquad
#   y = \operatorname{LN}\bigl(h + \operatorname{MLP}(h)\bigr), \qquad
#   \operatorname{LN}(u) = \frac{u - \mu(u)}{\sqrt{\sigma^2(u) + \epsilon}} .$$
#
# The residual gives the gradient a path around each part, $\partial(x + f(x))/\partial x =
# I + \partial f/\partial x$; layer norm keeps the scores' scale in check. The lesson trains
# the block on the retrieval task of lesson 3 three times: the full block, without residuals
# and without layer norm.

# %%
import numpy as np

from mlv.algorithms.lessons_attention import transformer_block_lesson
from mlv.scripts import notebook_plots as plots
from mlv.scripts import notebook_tools as tools

plots.use()
SCENE = "transformer-block"
PARAMS = {"lr": 0.3, "epochs": 400, "seed": 0, "d_model": 8}     # the video's
LABELS = ("full block", "no residual", "no layer norm")
TARGET = 0.9            # the held-out accuracy whose first epoch the video compares
COLOURS = ("block", "no_residual", "no_layer_norm")


def lesson_for(params: dict):
    return transformer_block_lesson(params["seed"], learning_rate=params["lr"],
                                    epochs=params["epochs"], d_model=params["d_model"])


# %% [markdown]
# ## The lesson's three runs

# %%
tools.show_params(SCENE)
block = lesson_for(PARAMS)
first = block.epoch_to(TARGET)
for name, run, e in zip(LABELS, block.runs, first):
    print(f"{name:>14}: loss {run.run.loss[0]:.3f} → {run.run.loss[-1]:.4f}, held-out accuracy "
          f"{run.final_test_accuracy:.3f}, first at {TARGET:.0%}: epoch {e}")


# %% [markdown]
# ## The ablations' curves
#
# Left: the three loss curves on one logarithmic axis. Right: their held-out accuracy; the
# dotted line is the 90 % the video compares.

# %%
def show(block) -> None:
    fig, ax = plots.figure(2, width=4.9, height=3.6)
    for name, run, c in zip(LABELS, block.runs, COLOURS):
        plots.loss_curve(ax[0], run.run.steps, run.run.loss, label=name, colour_name=c, log=True)
        ax[1].plot(run.run.steps, run.run.extras["test_accuracy"], color=plots.colour(c),
                   label=name)
    ax[0].set(xlabel="epoch", ylabel="cross-entropy", title="loss")
    plots.legend(ax[0], loc="lower left")
    ax[1].axhline(TARGET, color=plots.MUTED, linestyle=":", label=f"{TARGET:.0%}")
    ax[1].set(xlabel="epoch", ylabel="held-out accuracy", ylim=(0, 1.05), title="accuracy")
    plots.legend(ax[1], loc="lower right")


show(block)

# %% [markdown]
# ## The numbers
#
# The runs' numbers, computed above: they are the numbers the video says and the lecture notes
# print.

# %%
numbers = {f"held-out accuracy, {name}": r.final_test_accuracy
           for name, r in zip(LABELS, block.runs)}
numbers |= {f"first epoch at {TARGET:.0%} held-out, {name}": int(k)
            for name, k in zip(LABELS, first)}
tools.show_numbers(numbers)

# %% [markdown]
# ## The derivations
#
# The video derives no formula here; the block's attention trains by the gradient through
# attention (lesson 3), checked here by the course's checker.

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
# The lesson's parameters (`mlv params transformer-block`): `lr` in [0.05, 1] (default 0.3),
# `epochs` in [50, 1000] (400), `seed` (0) and `d_model` in [4, 16] (8). Change them in a copy
# of `PARAMS` and run `lesson_for(...)`. Answer in the variable `answer_N`; the cell after it
# checks your answer: *not answered yet* while it is `...`, a hint when it is wrong, why when
# it is right.
#
# The cell that sets up each exercise is collapsed, since it computes the answer: open
# it once you have answered.
#
# ### Exercise 1
#
# Which of the three runs ends with the lowest training loss? Answer `"full block"`,
# `"no residual"` or `"no layer norm"`.

# %% jupyter={"source_hidden": true}
def lowest() -> str:
    return LABELS[int(np.argmin([r.run.loss[-1] for r in block.runs]))]


exercise_1 = tools.Exercise(
    1, "the lowest final loss", choices=LABELS, solve=lowest,
    explain=lambda name: (f"{name}: " + ", ".join(f"{n} {r.run.loss[-1]:.4f}" for n, r in
                                                  zip(LABELS, block.runs)) + "."),
    hint="compare r.run.loss[-1] for r in block.runs.")

# %%
answer_1 = ...  # "full block", "no residual" or "no layer norm"

# %%
exercise_1.check(answer_1)

# %% [markdown]
# ### Exercise 2
#
# What held-out accuracy does the full block reach after its 400 epochs? Answer with a number
# between 0 and 1 (to three decimals).

# %% jupyter={"source_hidden": true}
exercise_2 = tools.Exercise(
    2, "the full block's held-out accuracy", tolerance=5e-4,
    solve=lambda: block.runs[0].final_test_accuracy,
    explain=lambda a: (f"{a:.3f}, on sequences it never trained on; the chance level is "
                       f"{block.runs[0].chance:.3f}."),
    hint="block.runs[0].final_test_accuracy")

# %%
answer_2 = ...  # a number

# %%
exercise_2.check(answer_2)
