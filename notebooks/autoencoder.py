# %% [markdown]
# # Autoencoders: learning a compressed code
#
# *Chapter 4, lesson 6 of the mlv course (`autoencoder`). The video and the lecture notes show
# these same runs; here you run them, change them and check what you expect.*
#
# An **autoencoder** is a network trained to give back its own input through a narrow middle:
# an encoder maps each $d$-dimensional point $x$ to a short **code** $h$, a decoder maps the code
# back to $\hat x$, and training minimises the reconstruction error
#
# $$L = \frac{1}{n}\sum_{i=1}^{n} \lVert \hat x_i - x_i \rVert^2 .$$
#
# No labels are needed: the code must keep whatever the decoder needs to rebuild the point.
# The gradient at the output is $\partial L/\partial \hat x_i = \frac{2}{n}(\hat x_i - x_i)$
# (derived below), and backpropagation carries it through both halves.
#
# A **linear** autoencoder $d \to 2 \to d$ can do no better than PCA with two components: the
# best rank-2 linear reconstruction is the projection onto the top two principal axes, and
# training one finds that subspace (in some basis of it). The lesson trains a tanh autoencoder
# $8 \to 16 \to 2 \to 16 \to 8$ on 120 points from four groups, and a linear one beside it.

# %%
import numpy as np

from mlv.algorithms.lessons_deep import autoencoder_lesson
from mlv.scripts import notebook_plots as plots
from mlv.scripts import notebook_tools as tools

plots.use()
SCENE = "autoencoder"

# %% [markdown]
# ## The lesson's runs

# %%
tools.show_params(SCENE)
lesson = autoencoder_lesson()
run, lin = lesson.run, lesson.linear
n, d = lesson.X.shape
print(f"{n} points with {d} numbers each, in {lesson.n_groups} groups; layers "
      f"{run.meta['layer_sizes']}")
print(f"tanh autoencoder: loss {run.loss[0]:.3f} → {run.loss[-1]:.4f} after {int(run.steps[-1])} "
      f"epochs; linear: {lin.loss[-1]:.4f}; PCA with 2 components: {lesson.pca_loss:.4f}")
print(f"principal angles between the linear decoder and PCA: {np.round(lesson.angles[0], 1)}° at "
      f"the start, {np.round(lesson.angles[-1], 3)}° at the end")


# %% [markdown]
# ## The code space as it trains, and the losses
#
# Top: every point's 2-number code at four epochs, coloured by the group it came from (the
# network never sees the groups). Bottom left: the reconstruction loss of the tanh and the
# linear autoencoder, and PCA's (dashed). Bottom right: the angles between the linear decoder's
# span and PCA's top-2 subspace.

# %%
def show_run(lesson) -> None:
    run, lin = lesson.run, lesson.linear
    fig, ax = plots.figure(4, 2, width=3.2, height=3.0)
    for a, k, e in zip(ax[:4], lesson.shown, lesson.shown_epochs):
        codes = lesson.codes(k)
        for g in np.unique(lesson.labels):
            plots.points(a, codes[lesson.labels == g], color=plots.cluster(int(g)), s=14)
        a.set(title=f"epoch {e}: loss {run.loss[k]:.2f}", xlabel="$h_1$", ylabel="$h_2$")
    plots.loss_curve(ax[4], run.steps, run.loss, label="tanh autoencoder", xlabel="epoch",
                     ylabel="reconstruction MSE")
    plots.loss_curve(ax[4], lin.steps, lin.loss, label="linear autoencoder",
                     color=plots.colour("pc2"))
    ax[4].axhline(lesson.pca_loss, color=plots.colour("pc1"), linestyle="--", linewidth=1.2,
                  label="PCA, 2 components")
    ax[4].set_title("losses")
    plots.legend(ax[4], loc="upper right")
    for j in range(lesson.angles.shape[1]):
        ax[5].plot(lin.steps, lesson.angles[:, j], color=plots.colour("pc1" if j == 0 else "pc2"),
                   label=f"angle {j + 1}")
    ax[5].set(xlabel="epoch", ylabel="degrees", title="linear decoder vs PCA")
    plots.legend(ax[5], loc="upper right")
    for a in ax[6:]:
        a.set_visible(False)


show_run(lesson)

# %% [markdown]
# ## The numbers
#
# The runs' numbers, computed above: they are the numbers the video says and the lecture notes
# print.

# %%
numbers = {"points": n, "numbers per point": d, "code size": run.meta["layer_sizes"][2],
           "epochs": int(run.steps[-1]), "final loss": float(run.loss[-1]),
           "PCA's loss, 2 components": float(lesson.pca_loss),
           "linear autoencoder: final loss": float(lin.loss[-1]),
           "variance kept by the code (%)": float(100 * lesson.variance_kept(lesson.shown[3]))}
tools.show_numbers(numbers)

# %% [markdown]
# ## The derivation
#
# The gradient of the reconstruction loss at the output, where backpropagation starts, each
# step checked by the course's checker.

# %%
derivations = tools.lesson_derivations(["autoencoder"])
tools.show_derivations(derivations)

# %% [markdown]
# Prove every step now (this runs SymPy):

# %%
reports = tools.prove(derivations)

# %% [markdown]
# ## Exercises
#
# This lesson takes no parameters in the video, so the exercises change the lesson function's
# own arguments: `autoencoder_lesson(random_state=0, n=120, n_features=8, learning_rate=0.05,
# epochs=1000)`. Answer in the variable `answer_N`; the cell after it checks your answer: *not
# answered yet* while it is `...`, a hint when it is wrong, why when it is right.
#
# The cell that sets up each exercise is collapsed, since it computes the answer: open
# it once you have answered.
#
# ### Exercise 1
#
# Does the linear autoencoder's loss ever go below PCA's two-component loss, at any epoch of
# its run? Answer `"yes"` or `"no"`, and say why before you check.

# %% jupyter={"source_hidden": true}
exercise_1 = tools.Exercise(
    1, "can the linear autoencoder beat PCA?", choices=("yes", "no"),
    solve=lambda: "yes" if float(np.min(lin.loss)) < lesson.pca_loss - 1e-9 else "no",
    explain=lambda ans: (f"{ans}: its lowest loss is {np.min(lin.loss):.5f}, PCA's "
                         f"{lesson.pca_loss:.5f}. The projection onto the top two principal "
                         "axes is the best rank-2 linear reconstruction; the linear autoencoder "
                         "can only approach it."),
    hint="what does PCA minimise?")

# %%
answer_1 = ...  # "yes" or "no"

# %%
exercise_1.check(answer_1)

# %% [markdown]
# ### Exercise 2
#
# What percentage of the data's variance (the mean squared norm of the points) does the tanh
# autoencoder's code keep at epoch 200, `100 * lesson.variance_kept(k)` at the recorded step `k`
# of that epoch? Is that already better than PCA's two components? Answer the first with a
# number (to one decimal).

# %% jupyter={"source_hidden": true}
exercise_2 = tools.Exercise(
    2, "the variance the code keeps at epoch 200", tolerance=0.05,
    solve=lambda: 100 * lesson.variance_kept(int(np.flatnonzero(lesson.run.steps == 200)[0])),
    explain=lambda v: (f"{v:.1f} %: 1 − loss / total variance (the total is "
                       f"{lesson.total_variance:.3f}); PCA keeps "
                       f"{100 * (1 - lesson.pca_loss / lesson.total_variance):.1f} % with two "
                       "components."),
    hint="k = np.flatnonzero(lesson.run.steps == 200)[0]; 1 − loss[k] / total variance.")

# %%
answer_2 = ...  # a number

# %%
exercise_2.check(answer_2)

# %% [markdown]
# ### Exercise 3
#
# Train for only 200 epochs: `autoencoder_lesson(epochs=200, shown_epochs=(0, 50, 100, 200))`.
# Is its final loss above PCA's two-component loss? Answer `"yes"` or `"no"`.

# %% jupyter={"source_hidden": true}
def short_run_above_pca() -> str:
    short = autoencoder_lesson(epochs=200, shown_epochs=(0, 50, 100, 200))
    return "yes" if float(short.run.loss[-1]) > short.pca_loss else "no"


exercise_3 = tools.Exercise(
    3, "200 epochs: above PCA?", choices=("yes", "no"), solve=short_run_above_pca,
    explain=lambda ans: (f"{ans}. A non-linear code can beat every linear one, but only once it is "
                         "trained; compare the loss curve above at epoch 200."),
    hint="look at the tanh curve and the dashed PCA line at epoch 200.")

# %%
answer_3 = ...  # "yes" or "no"

# %%
exercise_3.check(answer_3)
