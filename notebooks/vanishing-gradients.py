# %% [markdown]
# # Vanishing gradients
#
# *Chapter 4, lesson 5 of the mlv course (`vanishing-gradients`). The video and the lecture
# notes show these same runs; here you run them, change them and check what you expect.*
#
# Backpropagation multiplies, layer by layer going back, by each layer's weights and by the
# slope of its activation. For a chain of $L$ sigmoid units,
#
# $$\frac{\partial L}{\partial z^{(1)}} = \frac{\partial L}{\partial z^{(L)}}
#   \prod_{l=2}^{L} w^{(l)}\,\sigma'\bigl(z^{(l-1)}\bigr),$$
#
# and the sigmoid's slope is never more than $\tfrac14$ (at $z = 0$; derived below). Unless the
# weights make up for it, each layer back multiplies the gradient by a factor below one: the
# first layers of a deep sigmoid network get almost no gradient and barely learn. tanh's slope
# reaches 1 and ReLU's is exactly 1 where the unit is active, so with a suitable
# initialisation (Xavier for tanh, He for ReLU) their gradients reach the first layer intact.
#
# The lesson trains three deep networks on the two-moons data, identical but for the hidden
# activation, and measures $\lVert \partial L / \partial W^{(l)} \rVert$ at every layer.

# %%
import numpy as np

from mlv.algorithms.lessons_deep import ACTIVATIONS, vanishing_lesson
from mlv.scenes.params import defaults
from mlv.scripts import notebook_plots as plots
from mlv.scripts import notebook_tools as tools

plots.use()
SCENE = "vanishing-gradients"
NAMES = {"sigmoid": "sigmoid", "tanh": "tanh", "relu": "ReLU"}

# %% [markdown]
# ## The lesson's runs
#
# The video's parameters (the ranges are those of `mlv params`):

# %%
tools.show_params(SCENE)
p = defaults(SCENE)
print("the video's values:", p)

# %% [markdown]
# The video's runs: 100 two-moons points, a network of `layers` weight layers of `width` units,
# full-batch gradient descent on the cross-entropy ($\eta = 0.1$, 300 epochs), once per hidden
# activation.

# %%
def lesson_for(layers: int, width: int):
    """The lesson's three runs for these parameters (as the video computes them)."""
    return vanishing_lesson(n_layers=layers, width=width)


lesson = lesson_for(p["layers"], p["width"])
for a in ACTIVATIONS:
    print(f"{NAMES[a]:>7}: first-layer / last-layer gradient {lesson.shrinkage(a):.3g}, "
          f"per-layer factor {lesson.per_layer_factor(a):.3f}, final loss "
          f"{lesson.runs[a].loss[-1]:.4f}, first layer moved {lesson.first_layer_change(a):.3g} %")


# %% [markdown]
# ## The gradient at every layer, the losses and what training moved
#
# Left: $\lVert \partial L / \partial W^{(l)} \rVert$ at each layer before training, on a log
# scale (layer 1 is the input side). Middle: the loss of each network. Right: how far training
# moved each layer's weights, in percent of where they started.

# %%
def show_run(lesson) -> None:
    fig, ax = plots.figure(3, width=4.3, height=3.6)
    layers = np.arange(1, lesson.n_layers + 1)
    for a in ACTIVATIONS:
        c = plots.colour(a)
        ax[0].plot(layers, lesson.norms(a), "o-", color=c, label=NAMES[a])
        plots.loss_curve(ax[1], lesson.runs[a].steps, lesson.runs[a].loss, color=c,
                         label=NAMES[a])
        ax[2].plot(layers, 100 * lesson.weight_change[a], "o-", color=c, label=NAMES[a])
    ax[0].set(yscale="log", xlabel="layer", ylabel="‖∂L/∂W‖", title="gradients before training")
    ax[1].axhline(np.log(2), color=plots.MUTED, linestyle=":", linewidth=1)
    ax[1].set(xlabel="epoch", ylabel="cross-entropy", title="loss (dotted: log 2)")
    ax[2].set(yscale="log", xlabel="layer", ylabel="weight change (%)",
              title="what training moved")
    for a in ax:
        plots.legend(a, loc="best")


show_run(lesson)

# %% [markdown]
# ## The numbers
#
# The runs' numbers, computed above: they are the numbers the video says and the lecture notes
# print.

# %%
numbers = {"layers": lesson.n_layers, "epochs": lesson.epochs,
           "learning rate": lesson.learning_rate,
           "sigmoid: first-layer over last-layer gradient": lesson.shrinkage("sigmoid"),
           "sigmoid: gradient factor per layer": lesson.per_layer_factor("sigmoid"),
           **{f"{NAMES[a]}: first-layer weight change (%)": lesson.first_layer_change(a)
              for a in ACTIVATIONS}}
tools.show_numbers(numbers)

# %% [markdown]
# ## The derivations
#
# The sigmoid's slope is at most $\tfrac14$, where it is steepest, and the gradient through a
# deep chain, each step checked by the course's checker.

# %%
derivations = tools.lesson_derivations(["vanishing"])
tools.show_derivations(derivations)

# %% [markdown]
# Prove every step now (this runs SymPy; a few seconds):

# %%
reports = tools.prove(derivations)

# %% [markdown]
# ## Exercises
#
# Each exercise asks you to change a parameter (the names and ranges of `mlv params`, printed
# at the top), rerun, and answer in the variable `answer_N`. The cell after it checks your
# answer: it says *not answered yet* while the answer is `...`, fails with a hint when the answer
# is wrong, and explains why when it is right. Use `show_run(lesson_for(layers, width))` in a
# new cell to look.
#
# The cell that sets up each exercise is collapsed, since it computes the answer: open
# it once you have answered.
#
# ### Exercise 1
#
# Set `layers = 16` (the most the range allows). First predict the sigmoid network's
# first-layer over last-layer gradient from the per-layer factor printed above, as
# $\text{factor}^{15}$; then run it. What is it? Answer with a number (two significant digits
# are enough).

# %% jupyter={"source_hidden": true}
exercise_1 = tools.Exercise(
    1, "layers = 16: the sigmoid network's shrinkage", rel_tolerance=0.05,
    solve=lambda: lesson_for(16, p["width"]).shrinkage("sigmoid"),
    explain=lambda s: (f"{s:.2g}: about {lesson.per_layer_factor('sigmoid'):.2f}^15 = "
                       f"{lesson.per_layer_factor('sigmoid') ** 15:.2g}. Four more layers, "
                       "another factor of about 200 less for the first layer."),
    hint="run lesson_for(16, 16).shrinkage('sigmoid').")

# %%
answer_1 = ...  # a number

# %%
exercise_1.check(answer_1)

# %% [markdown]
# ### Exercise 2
#
# In the video's runs, which network's first layer moves the most during training? Answer
# `"sigmoid"`, `"tanh"` or `"relu"`.

# %% jupyter={"source_hidden": true}
exercise_2 = tools.Exercise(
    2, "whose first layer learns the most", choices=ACTIVATIONS,
    solve=lambda: max(ACTIVATIONS, key=lesson.first_layer_change),
    explain=lambda a: (f"{a}: " + ", ".join(f"{NAMES[b]} {lesson.first_layer_change(b):.3g} %"
                                           for b in ACTIVATIONS)
                       + ". The sigmoid network's first layer hardly moves at all."),
    hint="look at lesson.first_layer_change(a) for each activation.")

# %%
answer_2 = ...  # "sigmoid", "tanh" or "relu"

# %%
exercise_2.check(answer_2)

# %% [markdown]
# ### Exercise 3
#
# Set `layers = 4` (the fewest). Does the sigmoid network's gradient still shrink at *every*
# layer going back, before training? Answer `"yes"` or `"no"`.

# %% jupyter={"source_hidden": true}
exercise_3 = tools.Exercise(
    3, "layers = 4: smaller at every layer back?", choices=("yes", "no"),
    solve=lambda: "yes" if lesson_for(4, p["width"]).shrinks_every_layer("sigmoid") else "no",
    explain=lambda ans: (f"{ans}: per-layer norms "
                         f"{np.round(lesson_for(4, p['width']).norms('sigmoid'), 5)}. Each "
                         "σ' ≤ 1/4 costs a factor at every layer, however few."),
    hint="look at lesson_for(4, 16).norms('sigmoid').")

# %%
answer_3 = ...  # "yes" or "no"

# %%
exercise_3.check(answer_3)

# %% [markdown]
# ## Sliders
#
# Where ipywidgets is installed, set the parameters and press *run* to rerun the lesson.

# %%
tools.sliders(lambda layers, width: show_run(lesson_for(layers, width)), SCENE)
