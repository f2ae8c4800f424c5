# %% [markdown]
# # PCA: variance, a constraint and an eigenvalue problem
#
# *Chapter 2, lesson 3 of the mlv course (`pca-derivation`). The video and the lecture notes
# show these same numbers; here you compute them, change them and check what you expect.*
#
# PCA looks for the direction in which the data vary the most. First **centre** the data,
# $x_i \leftarrow x_i - \bar x$: without centring, $X^\top X/(n-1)$ is not the covariance but the
# covariance plus $\frac{n}{n-1}\bar x \bar x^\top$ (derived below). For centred data the
# variance of the projections on a unit vector $u$ is
#
# $$\frac{1}{n-1}\sum_{i=1}^{n} (u^\top x_i)^2 = u^\top \Sigma u, \qquad
#   \Sigma = \frac{X^\top X}{n-1}.$$
#
# Maximise it over unit vectors, $u^\top u = 1$, with a Lagrange multiplier $\lambda$: the
# gradient of $u^\top \Sigma u - \lambda (u^\top u - 1)$ in $u$ is $2\Sigma u - 2\lambda u$, zero
# exactly when
#
# $$\Sigma u = \lambda u:$$
#
# $u$ is an eigenvector of $\Sigma$. Along an eigenvector the variance is
# $u^\top \Sigma u = \lambda u^\top u = \lambda$, its eigenvalue, so the best direction is the
# eigenvector with the largest eigenvalue. The lesson checks it on data: turn $u$ once around
# the circle and plot the variance of the projections.

# %%
import numpy as np

from mlv.algorithms.lessons import pca_derivation_lesson, projected_variance
from mlv.scripts import notebook_plots as plots
from mlv.scripts import notebook_tools as tools

plots.use()
SCENE = "pca-derivation"

# %% [markdown]
# ## The lesson's data and sweep

# %%
tools.show_params(SCENE)
lesson = pca_derivation_lesson()
print(f"{lesson.n} points, mean {np.round(lesson.mean, 3)}")
print("covariance Σ =\n", np.round(lesson.covariance, 3))
print("X^T X / (n − 1) without centring =\n", np.round(lesson.raw_moment, 3))
print(f"eigenvalues {np.round(lesson.eigenvalues, 4)}; top eigenvector "
      f"{np.round(lesson.components[0], 4)} at {lesson.degrees[lesson.top_index]:.1f}°")

# %% [markdown]
# ## The data and the variance along $u$
#
# Left: the centred points and the two eigenvectors of $\Sigma$ (the first in yellow), each drawn
# as long as two standard deviations along it. Right: the variance of the projections as $u$
# turns once around the circle; its maximum is the largest eigenvalue, at the top eigenvector,
# and its minimum, a right angle away, the smallest.

# %%
fig, ax = plots.figure(2, width=4.8, height=3.9)
plots.points(ax[0], lesson.X_centered, label="centred data")
for j, name in ((0, "pc1"), (1, "pc2")):
    u = lesson.components[j] * 2 * np.sqrt(lesson.eigenvalues[j])
    ax[0].annotate("", xy=u, xytext=(0, 0),
                   arrowprops=dict(arrowstyle="-|>", color=plots.colour(name), linewidth=2.2))
ax[0].set(xlabel="$x_1$", ylabel="$x_2$", title="centred data and the eigenvectors of Σ")
ax[0].set_aspect("equal")
plots.legend(ax[0], loc="upper left")
plots.loss_curve(ax[1], lesson.degrees, lesson.variance, xlabel="angle of u (degrees)",
                 ylabel="variance of $u^T x$", colour_name="pc1")
ax[1].plot(lesson.degrees[lesson.top_index], lesson.eigenvalues[0], "o", markersize=9,
           color=plots.colour("optimum"), label=f"λ₁ = {lesson.eigenvalues[0]:.2f}")
ax[1].plot(lesson.degrees[lesson.minor_index], lesson.eigenvalues[1], "s", markersize=8,
           color=plots.colour("pc2"), label=f"λ₂ = {lesson.eigenvalues[1]:.2f}")
ax[1].set_xticks(range(0, 361, 90))
ax[1].set_title("the variance along u, once around")
plots.legend(ax[1], loc="upper right")

# %% [markdown]
# ## The numbers
#
# The lesson's numbers, computed above: they are the numbers the video says and the lecture
# notes print.

# %%
numbers = {"points n": lesson.n, "variance of x1": float(lesson.covariance[0, 0]),
           "uncentred second moment of x1": float(lesson.raw_moment[0, 0]),
           "largest eigenvalue": float(lesson.eigenvalues[0]),
           "smallest eigenvalue": float(lesson.eigenvalues[1]),
           "top direction (degrees)": float(lesson.degrees[lesson.top_index])}
tools.show_numbers(numbers)

# %% [markdown]
# ## The derivations
#
# Why centre, the variance of a projection, the Lagrangian's gradient (for a 2×2 and a 3×3
# $\Sigma$) and the variance along an eigenvector, each step checked by the course's checker.

# %%
derivations = tools.lesson_derivations(["pca"])
tools.show_derivations(derivations)

# %% [markdown]
# Prove every step now (this runs SymPy; a few seconds):

# %%
reports = tools.prove(derivations)

# %% [markdown]
# ## Exercises
#
# This lesson takes no parameters in the video; the exercises work with its data. Answer in
# the variable `answer_N`; the cell after it checks your answer: *not answered yet* while it is
# `...`, a hint when it is wrong, why when it is right.
#
# The cell that sets up each exercise is collapsed, since it computes the answer: open
# it once you have answered.
#
# ### Exercise 1
#
# Compute $u^\top \Sigma u$ for $u = (\cos 30°, \sin 30°)$ with $\Sigma$ = `lesson.covariance`.
# Answer with a number (to four decimals); it must agree with the sweep at 30°
# (`projected_variance(lesson.X_centered, [u])`).

# %% jupyter={"source_hidden": true}
def variance_at(degrees: float) -> float:
    a = np.deg2rad(degrees)
    u = np.array([np.cos(a), np.sin(a)])
    _, var = projected_variance(lesson.X_centered, u[None, :])
    return float(var[0])


exercise_1 = tools.Exercise(
    1, "the variance along 30 degrees", solve=lambda: variance_at(30.0), tolerance=5e-5,
    explain=lambda v: (f"{v:.4f}: u^T Σ u is the variance of the projections for any unit u, not "
                       "only for the eigenvectors; it lies between λ₂ and λ₁."),
    hint="u @ lesson.covariance @ u")

# %%
answer_1 = ...  # a number

# %%
exercise_1.check(answer_1)

# %% [markdown]
# ### Exercise 2
#
# The two eigenvalues add up to a number you can read off $\Sigma$ without solving anything.
# Which: `"trace"` (the sum of the diagonal), `"determinant"` or `"largest entry"`?

# %% jupyter={"source_hidden": true}
def what_sum() -> str:
    total = float(lesson.eigenvalues.sum())
    for name, value in (("trace", np.trace(lesson.covariance)),
                        ("determinant", np.linalg.det(lesson.covariance)),
                        ("largest entry", lesson.covariance.max())):
        if np.isclose(total, value, rtol=1e-10):
            return name
    return "none"


exercise_2 = tools.Exercise(
    2, "what the eigenvalues add up to", choices=("trace", "determinant", "largest entry"),
    solve=what_sum,
    explain=lambda name: (f"the {name}: λ₁ + λ₂ = {lesson.eigenvalues.sum():.4f} = Σ₁₁ + Σ₂₂, the "
                          "total variance. PCA splits the total variance among the directions."),
    hint="turning the axes does not change the total variance.")

# %%
answer_2 = ...  # "trace", "determinant" or "largest entry"

# %%
exercise_2.check(answer_2)

# %% [markdown]
# ### Exercise 3
#
# Without centring, $X^\top X/(n-1)$ overstates the variance of $x_1$. By how much? Answer with
# the number (to four decimals), and compare it with $\frac{n}{n-1}\bar x_1^2$.

# %% jupyter={"source_hidden": true}
exercise_3 = tools.Exercise(
    3, "the raw moment minus the variance of x1", tolerance=5e-5,
    solve=lambda: float(lesson.raw_moment[0, 0] - lesson.covariance[0, 0]),
    explain=lambda d: (f"{d:.4f} = n/(n − 1) · x̄₁² = "
                       f"{lesson.n / (lesson.n - 1) * lesson.mean[0] ** 2:.4f}: the squared "
                       "mean, not variance. Centring removes it."),
    hint="lesson.raw_moment[0, 0] − lesson.covariance[0, 0]")

# %%
answer_3 = ...  # a number

# %%
exercise_3.check(answer_3)
