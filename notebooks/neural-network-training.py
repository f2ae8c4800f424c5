# %% [markdown]
# # Training a network on XOR
#
# *Chapter 4, lesson 3 of the mlv course (`neural-network-training`). The video and the lecture
# notes show this same run; here you run it, change it and check what you expect.*
#
# XOR: class 1 where the two coordinates have opposite signs. No straight line separates the
# classes, so logistic regression, whose boundary is a line, cannot do much better than a coin
# flip on it. A network with one hidden layer of two sigmoid units can: the hidden units draw
# two lines, and the output combines them,
#
# $$\hat y = \sigma\Bigl(W^{(2)} \sigma\bigl(W^{(1)} x + b^{(1)}\bigr) + b^{(2)}\Bigr),$$
#
# so its boundary (where $\hat y = \tfrac12$) can bend around the classes. Training is gradient
# descent on the cross-entropy with the gradients of backpropagation (the previous lesson). The
# run often shows three phases: a plateau where the loss hardly moves while the hidden units
# find their features, a quick bend of the boundary, then a long sharpening. And the loss is
# not convex any more: some starts end in a **local minimum**.

# %%
import numpy as np

from mlv.algorithms.lessons_networks import xor_network_lesson
from mlv.scenes.params import defaults
from mlv.scripts import notebook_plots as plots
from mlv.scripts import notebook_tools as tools

plots.use()
SCENE = "neural-network-training"

# %% [markdown]
# ## The lesson's run
#
# The video's parameters (the ranges are those of `mlv params`):

# %%
tools.show_params(SCENE)
p = defaults(SCENE)
print("the video's values:", p)

# %% [markdown]
# The video's runs: 100 noisy XOR points; logistic regression by gradient descent (300 epochs,
# $\eta = 0.5$); and the $2 \to 2 \to 1$ network from random initial weights (seed `init_seed`)
# with learning rate `lr` for `epochs` epochs.

# %%
def lesson_for(lr: float, epochs: int, init_seed: int, activation: str):
    """The lesson's two runs for these parameters (as the video computes them)."""
    return xor_network_lesson(learning_rate=lr, epochs=epochs, init_seed=init_seed,
                              hidden_activation=activation)


lesson = lesson_for(p["lr"], p["epochs"], p["init_seed"], p["activation"])
run, linear = lesson.run, lesson.linear
accuracy = run.extras["accuracy"]
print(f"linear model: accuracy {linear.extras['accuracy'][-1]:.2f}, loss {linear.loss[-1]:.4f}")
print(f"network: loss {run.loss[0]:.4f} → {run.loss[-1]:.4f}, accuracy {accuracy[-1]:.2f}; "
      + (f"every point right from epoch {lesson.all_right_epoch}" if lesson.learned
         else "never every point right: a local minimum"))


# %% [markdown]
# ## The boundary as it trains
#
# The linear model's best line, then the network's $P(y = 1)$ at three of the shown epochs,
# with its 0.5 contour (yellow): the plateau, the bend, the end.

# %%
def show_fields(lesson) -> None:
    shown = [int(e) for e in lesson.shown_epochs]
    picks = [shown[2], lesson.bend_end_epoch, shown[-1]]
    fig, ax = plots.figure(4, width=3.3, height=3.3)
    plots.probability_field(ax[0], lesson.field_x, lesson.field_y, lesson.linear_field)
    ax[0].set_title(f"linear model: {100 * lesson.linear.extras['accuracy'][-1]:.0f} %")
    for a, e in zip(ax[1:], picks):
        plots.probability_field(a, lesson.field_x, lesson.field_y,
                                lesson.fields[shown.index(e)])
        a.set_title(f"network, epoch {e}: {100 * lesson.run.extras['accuracy'][e]:.0f} %")
    for a in ax:
        plots.classes(a, lesson.X, lesson.y)
        a.set(xlabel="$x_1$", ylabel="$x_2$")


show_fields(lesson)

# %% [markdown]
# ## The loss, the accuracy and the path of the weights
#
# Left: the network's loss per epoch (the linear model's final loss dashed). Middle: its
# accuracy. Right: the path of the first hidden unit's two weights, $(W^{(1)}_{11},
# W^{(1)}_{12})$, from the start (ring): they sit still during the plateau, then move fast.

# %%
def show_run(lesson) -> None:
    run = lesson.run
    fig, ax = plots.figure(3, width=4.2, height=3.4)
    plots.loss_curve(ax[0], run.steps, run.loss, xlabel="epoch", ylabel="cross-entropy",
                     label="network")
    ax[0].axhline(lesson.linear.loss[-1], color=plots.MUTED, linestyle="--", linewidth=1,
                  label="linear model")
    ax[0].set_title("loss")
    plots.legend(ax[0], loc="upper right")
    ax[1].plot(run.steps, 100 * run.extras["accuracy"], color=plots.colour("prediction"))
    ax[1].set(xlabel="epoch", ylabel="accuracy (%)", title="accuracy", ylim=(0, 105))
    plots.path(ax[2], np.column_stack([run.param("W1[0,0]"), run.param("W1[0,1]")]),
               colour_name="w", markers=False)
    ax[2].set(xlabel="$W^{(1)}_{11}$", ylabel="$W^{(1)}_{12}$", title="a hidden unit's weights")


show_run(lesson)

# %% [markdown]
# ## The numbers
#
# The runs' final numbers, computed from the runs above: they are the numbers the video says
# and the lecture notes print.

# %%
numbers = {"points": len(lesson.y), "linear model: epochs": int(np.asarray(linear.steps)[-1]),
           "linear model: accuracy": float(linear.extras["accuracy"][-1]),
           "linear model: final loss": float(linear.loss[-1]),
           "network: epochs": int(np.asarray(run.steps)[-1]),
           "network: final loss": float(run.loss[-1]),
           "network: final accuracy": float(accuracy[-1]),
           **({"epoch every point is right": lesson.all_right_epoch} if lesson.learned else {})}
tools.show_numbers(numbers)

# %% [markdown]
# ## The derivations
#
# The gradients this run follows: backpropagation's deltas and gradients (the previous lesson's
# derivations), each step checked by the course's checker.

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
# Each exercise asks you to change a parameter (the names and ranges of `mlv params`, printed
# at the top), rerun, and answer in the variable `answer_N`. The cell after it checks your
# answer: it says *not answered yet* while the answer is `...`, fails with a hint when the answer
# is wrong, and explains why when it is right. Use
# `show_run(lesson_for(lr, epochs, init_seed, activation))` (and `show_fields`) to look.
#
# The cell that sets up each exercise is collapsed, since it computes the answer: open
# it once you have answered.
#
# ### Exercise 1
#
# Set `activation = "tanh"` and `init_seed = 2`. Does the network learn XOR (every point right
# at some epoch), or is it stuck? Answer `"learns"` or `"stuck"`.

# %% jupyter={"source_hidden": true}
def tanh_run():
    return lesson_for(p["lr"], p["epochs"], 2, "tanh")


exercise_1 = tools.Exercise(
    1, "tanh, init_seed = 2: learns or stuck?", choices=("learns", "stuck"),
    solve=lambda: "learns" if tanh_run().learned else "stuck",
    explain=lambda ans: (f"{ans}: it ends at "
                         f"{100 * tanh_run().run.extras['accuracy'][-1]:.0f} % right. The loss "
                         "of a network is not convex: this start rolls into a local minimum, "
                         "and more epochs do not get it out."),
    hint="run lesson_for(2.0, 1000, 2, 'tanh') and look at .learned.")

# %%
answer_1 = ...  # "learns" or "stuck"

# %%
exercise_1.check(answer_1)

# %% [markdown]
# ### Exercise 2
#
# Back to the sigmoid and `init_seed = 1`, with a smaller learning rate, `lr = 0.5` (its range is
# 0.05 to 20). At which epoch is every point first right? Answer with a whole number (or -1 if
# never within the 1000 epochs).

# %% jupyter={"source_hidden": true}
exercise_2 = tools.Exercise(
    2, "lr = 0.5: the epoch every point is right", tolerance=0,
    solve=lambda: lesson_for(0.5, p["epochs"], p["init_seed"], p["activation"]).all_right_epoch,
    explain=lambda e: (f"epoch {e}, against {lesson.all_right_epoch} with lr = 2: the plateau "
                       "lasts longer with smaller steps."),
    hint="lesson_for(0.5, 1000, 1, 'sigmoid').all_right_epoch")

# %%
answer_2 = ...  # a whole number

# %%
exercise_2.check(answer_2)

# %% [markdown]
# ### Exercise 3
#
# The linear model ends at about half right. What fraction of the 100 points does it classify
# right? Answer with a number between 0 and 1, and say why it cannot do much better.

# %% jupyter={"source_hidden": true}
exercise_3 = tools.Exercise(
    3, "the linear model's accuracy on XOR", tolerance=1e-9,
    solve=lambda: float(lesson.linear.extras["accuracy"][-1]),
    explain=lambda a: (f"{a:.2f}: any line leaves about half of each class on the wrong side, "
                       "because XOR's classes sit on opposite corners."),
    hint="lesson.linear.extras['accuracy'][-1]")

# %%
answer_3 = ...  # a number

# %%
exercise_3.check(answer_3)

# %% [markdown]
# ## Sliders
#
# Where ipywidgets is installed, set the parameters and press *run* to rerun the lesson.

# %%
tools.sliders(lambda lr, epochs, init_seed, activation: show_run(
    lesson_for(lr, epochs, init_seed, activation)), SCENE)
