# %% [markdown]
# # Attention learns where to look
#
# *Chapter 5, lesson 3 of the mlv course (`attention-training`). The video and the lecture
# notes show this same run; here you run it, change it and check what you expect.*
#
# A task that needs attention: each sequence holds a few (key, value) pairs, then a query
# naming one key; the answer is that key's value. The pairs come in any order, so no fixed
# position holds the answer. One attention layer reads the sequence: the query token's query
# $q$ meets every token's key $k_j$, its output $o = \sum_j a_j v_j$ mixes their values with
# the weights $a = \operatorname{softmax}(q \cdot k_j / \sqrt d)$, and one matrix scores the
# possible values. Training is full-batch gradient descent on the cross-entropy, and it needs
# the gradient through the softmax: with the softmax Jacobian,
#
# $$\frac{\partial L}{\partial q} = \frac{1}{\sqrt d}\sum_j a_j\,
#   \Bigl(\frac{\partial L}{\partial o}\cdot (v_j - o)\Bigr) k_j, \qquad
#   \frac{\partial L}{\partial k_j} = \frac{1}{\sqrt d}\, a_j\,
#   \Bigl(\frac{\partial L}{\partial o}\cdot (v_j - o)\Bigr) q :$$
#
# keys whose values beat the average $o$ move to match the query. Nobody tells the layer where
# to look; the gradient teaches the queries and keys to match.

# %%
from mlv.algorithms.lessons_attention import attention_training_lesson
from mlv.scripts import notebook_plots as plots
from mlv.scripts import notebook_tools as tools

plots.use()
SCENE = "attention-training"
PARAMS = {"lr": 0.5, "epochs": 400, "seed": 0, "d_model": 8, "n_pairs": 5}   # the video's


def lesson_for(params: dict):
    return attention_training_lesson(params["seed"], learning_rate=params["lr"],
                                     epochs=params["epochs"], d_model=params["d_model"],
                                     n_pairs=params["n_pairs"])


# %% [markdown]
# ## The lesson's run

# %%
tools.show_params(SCENE)
lesson = lesson_for(PARAMS)
pairs, query, answer = lesson.pairs(0)
start, end = lesson.attention_on_answer
print(f"sequence 0: pairs {pairs}, query key {query} → answer {answer}")
print(f"{len(lesson.train)} training, {len(lesson.test)} held-out sequences; chance "
      f"{lesson.chance:.3f}")
print(f"loss {lesson.run.loss[0]:.4f} → {lesson.run.loss[-1]:.4f}; weight on the answer "
      f"{start:.3f} → {end:.3f}")
print(f"accuracy: training {lesson.final_accuracy:.3f}, held-out {lesson.final_test_accuracy:.3f}")


# %% [markdown]
# ## The attention maps sharpen
#
# Top: the query token's attention over the sequence, for the first three training
# sequences, at the start, midway and at the end (the answer's pair is outlined). Bottom: the
# loss, and the training and held-out accuracy, per recorded epoch.

# %%
def show(lesson) -> None:
    att = lesson.run.extras["attention"]            # (recorded epochs, sequences, positions)
    picks = [0, len(att) // 2, len(att) - 1]
    fig, ax = plots.figure(3, 2, width=4.3, height=2.9)
    for col, k in enumerate(picks):
        im = ax[col].imshow(att[k], cmap="viridis", vmin=0, vmax=1, aspect="auto")
        for i in range(att.shape[1]):
            p, q, _ = lesson.pairs(i)
            where = [j for j, (key, _v) in enumerate(p) if key == q]
            for j in where:
                ax[col].add_patch(plt_rect(j, i))
        ax[col].set_xticks(range(att.shape[2]),
                           [f"{j + 1}" for j in range(att.shape[2] - 1)] + ["query"])
        ax[col].set_yticks(range(att.shape[1]), [f"seq {i}" for i in range(att.shape[1])])
        ax[col].set(xlabel="position", title=f"epoch {int(lesson.run.steps[k])}")
        ax[col].grid(False)
    fig.colorbar(im, ax=ax[2], shrink=0.8, label="weight")
    steps = lesson.run.steps
    plots.loss_curve(ax[3], steps, lesson.run.loss, xlabel="epoch", ylabel="cross-entropy",
                     log=True)
    ax[3].set_title("loss")
    ax[4].plot(steps, lesson.run.extras["accuracy"], color=plots.colour("w"), label="training")
    ax[4].plot(steps, lesson.run.extras["test_accuracy"], color=plots.colour("prediction"),
               linestyle="--", label="held-out")
    ax[4].axhline(lesson.chance, color=plots.MUTED, linestyle=":", label="chance")
    ax[4].set(xlabel="epoch", ylabel="accuracy", ylim=(0, 1.05), title="accuracy")
    plots.legend(ax[4], loc="lower right")
    ax[5].plot(steps, lesson.run.extras["attention_on_answer"], color=plots.colour("attention"))
    ax[5].set(xlabel="epoch", ylabel="mean weight", ylim=(0, 1.05),
              title="attention on the answer's pair")


def plt_rect(j: int, i: int):
    from matplotlib.patches import Rectangle

    return Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor=plots.colour("residual"),
                     linewidth=2)


show(lesson)

# %% [markdown]
# ## The numbers
#
# The run's final numbers, computed above: they are the numbers the video says and the lecture
# notes print.

# %%
numbers = {"training sequences": len(lesson.train), "held-out sequences": len(lesson.test),
           "initial loss": float(lesson.run.loss[0]), "final loss": float(lesson.run.loss[-1]),
           "weight on the answer at the start": start, "weight on the answer at the end": end,
           "final training accuracy": lesson.final_accuracy,
           "held-out accuracy": lesson.final_test_accuracy}
tools.show_numbers(numbers)

# %% [markdown]
# ## The derivations
#
# The gradient through attention for one query, two keys and scalar values, in the query and
# in a key, each step checked by the course's checker (the result is the code's formula).

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
# The lesson's parameters (`mlv params attention-training`): `lr` in [0.05, 2] (default 0.5),
# `epochs` in [50, 1500] (400), `seed` (0), `d_model` in [2, 32] (8) and `n_pairs` in [2, 8]
# (5). Change them in a copy of `PARAMS` and run `lesson_for(...)`. Answer in the variable
# `answer_N`; the cell after it checks your answer: *not answered yet* while it is `...`, a
# hint when it is wrong, why when it is right.
#
# The cell that sets up each exercise is collapsed, since it computes the answer: open
# it once you have answered.
#
# ### Exercise 1
#
# The chance level is one in the number of possible values. With `n_pairs = 5`, what is it?
# Answer with a number.

# %% jupyter={"source_hidden": true}
exercise_1 = tools.Exercise(
    1, "the chance level", solve=lambda: lesson.chance, tolerance=1e-3,
    explain=lambda c: (f"{c:.4f} = 1/{lesson.train.n_out}: the accuracy at the start, with "
                       "random weights, is near it."),
    hint="lesson.train.n_out values; guessing gets one of them right.")

# %%
answer_1 = ...  # a number

# %%
exercise_1.check(answer_1)

# %% [markdown]
# ### Exercise 2
#
# Train for only `epochs = 50`. Is the held-out accuracy `"higher"` or `"lower"` than with the
# video's 400 epochs?

# %% jupyter={"source_hidden": true}
def short_run() -> str:
    acc = lesson_for(PARAMS | {"epochs": 50}).final_test_accuracy
    return "higher" if acc > lesson.final_test_accuracy else "lower"


exercise_2 = tools.Exercise(
    2, "epochs = 50: held-out accuracy", choices=("higher", "lower"), solve=short_run,
    explain=lambda ans: (f"{ans}: "
                         f"{lesson_for(PARAMS | {'epochs': 50}).final_test_accuracy:.3f} after 50 "
                         f"epochs against {lesson.final_test_accuracy:.3f}: the maps have not "
                         "sharpened yet."),
    hint="look at the accuracy curve above at epoch 50.")

# %%
answer_2 = ...  # "higher" or "lower"

# %%
exercise_2.check(answer_2)
