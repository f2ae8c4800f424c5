# %% [markdown]
# # PCA: projecting onto the principal axes
#
# *Chapter 2, lesson 4 of the mlv course (`pca-projection`). The video and the lecture notes
# show this same fit; here you run it, change it and check what you expect.*
#
# Two coordinates that vary together: PCA turns the axes so that the first new axis carries
# as much of the variance as any single direction can. Centre the data, form the covariance
# matrix $\Sigma = X_c^\top X_c/(n-1)$ and solve $\Sigma u_j = \lambda_j u_j$ with
# $\lambda_1 \ge \lambda_2$: the eigenvectors $u_j$ are the **principal components** and
# $\lambda_j$ the variance along each (the previous lesson derived why).
#
# Projecting every point on the first axis, $t_i = u_1^\top x_i$, keeps one number per point
# instead of two. What fraction of the variance it keeps is
#
# $$\frac{\lambda_1}{\lambda_1 + \lambda_2},$$
#
# the **explained variance ratio**; what it loses is the variance along $u_2$.

# %%
import numpy as np

from mlv.algorithms.lessons import pca_lesson
from mlv.scripts import notebook_plots as plots
from mlv.scripts import notebook_tools as tools

plots.use()
SCENE = "pca-projection"

# %% [markdown]
# ## The lesson's fit
#
# 120 seeded points from a correlated Gaussian, and their PCA.

# %%
tools.show_params(SCENE)
lesson = pca_lesson()
fit = lesson.fit.extras
print(f"{len(lesson.X)} points; eigenvalues {np.round(fit['eigenvalues'], 4)}; "
      f"explained variance ratio {np.round(fit['explained_variance_ratio'], 4)}")


# %% [markdown]
# ## The data, the ellipse, the axes and the projection
#
# Left: the centred points, the covariance's two-standard-deviation ellipse and the principal
# axes (each drawn $2\sqrt{\lambda_j}$ long). Middle: every point projected onto the first axis
# (the segments are what the projection throws away). Right: the share of the variance of each
# component.

# %%
def show(lesson) -> None:
    fit = lesson.fit.extras
    Xc, U, lam = fit["X_centered"], fit["components"], fit["eigenvalues"]
    fig, ax = plots.figure(3, width=4.2, height=3.8)
    a = np.linspace(0, 2 * np.pi, 200)
    ellipse = (2 * np.sqrt(lam)[None, :] * np.column_stack([np.cos(a), np.sin(a)])) @ U
    for axis in ax[:2]:
        plots.points(axis, Xc)
        axis.set_aspect("equal")
        axis.set(xlabel="$x_1$", ylabel="$x_2$")
    ax[0].plot(ellipse[:, 0], ellipse[:, 1], color=plots.FOREGROUND, linewidth=1)
    for j, name in ((0, "pc1"), (1, "pc2")):
        tip = U[j] * 2 * np.sqrt(lam[j])
        ax[0].annotate("", xy=tip, xytext=(0, 0),
                       arrowprops=dict(arrowstyle="-|>", color=plots.colour(name), lw=2.2))
    ax[0].set_title("covariance ellipse and principal axes")
    feet = np.outer(fit["projections"][:, 0], U[0])
    for x, f in zip(Xc, feet):
        ax[1].plot([x[0], f[0]], [x[1], f[1]], color=plots.MUTED, linewidth=0.6)
    ax[1].scatter(feet[:, 0], feet[:, 1], s=14, color=plots.colour("pc1"), zorder=4)
    ax[1].set_title("projected onto the first axis")
    ratio = 100 * fit["explained_variance_ratio"]
    ax[2].bar(["component 1", "component 2"], ratio,
              color=[plots.colour("pc1"), plots.colour("pc2")])
    for j, r in enumerate(ratio):
        ax[2].text(j, r + 1.5, f"{r:.1f} %", ha="center")
    ax[2].set(ylim=(0, 110), ylabel="variance explained (%)", title="explained variance")


show(lesson)

# %% [markdown]
# ## The numbers
#
# The fit's numbers, computed above: they are the numbers the video says and the lecture notes
# print.

# %%
numbers = {"points": len(lesson.X), "first eigenvalue": float(fit["eigenvalues"][0]),
           "second eigenvalue": float(fit["eigenvalues"][1]),
           "variance explained by component 1 (%)": float(100 * fit["explained_variance_ratio"][0]),
           "variance explained by component 2 (%)": float(100 * fit["explained_variance_ratio"][1])}
tools.show_numbers(numbers)

# %% [markdown]
# ## The derivations
#
# Why the principal axes are the covariance's eigenvectors and the variance along each is its
# eigenvalue (the previous lesson's derivations), each step checked by the course's checker.

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
# This lesson takes no parameters in the video, so the exercises change the lesson function's
# own arguments: `pca_lesson(random_state=4, n=120)`. Answer in the variable `answer_N`; the
# cell after it checks your answer: *not answered yet* while it is `...`, a hint when it is
# wrong, why when it is right.
#
# The cell that sets up each exercise is collapsed, since it computes the answer: open
# it once you have answered.
#
# ### Exercise 1
#
# What is the sample variance (divided by $n - 1$) of the projections on the first axis,
# `fit["projections"][:, 0]`? Answer with a number (to four decimals) and compare it with
# $\lambda_1$.

# %% jupyter={"source_hidden": true}
exercise_1 = tools.Exercise(
    1, "the variance of the first component's scores", tolerance=5e-5,
    solve=lambda: float(np.var(fit["projections"][:, 0], ddof=1)),
    explain=lambda v: (f"{v:.4f} = λ₁: the variance along an eigenvector is its eigenvalue."),
    hint="np.var(..., ddof=1)")

# %%
answer_1 = ...  # a number

# %%
exercise_1.check(answer_1)

# %% [markdown]
# ### Exercise 2
#
# Rebuild every centred point from its first score alone, $\hat x_i = t_i u_1$. What is the mean
# over the points of the squared error $\lVert x_i - \hat x_i \rVert^2$? Answer with a number (to
# four decimals). Which eigenvalue does it come from?

# %% jupyter={"source_hidden": true}
def reconstruction_error() -> float:
    Xc, U = fit["X_centered"], fit["components"]
    rebuilt = np.outer(fit["projections"][:, 0], U[0])
    return float(np.mean(np.sum((Xc - rebuilt) ** 2, axis=1)))


exercise_2 = tools.Exercise(
    2, "the mean squared reconstruction error from one component",
    solve=reconstruction_error, tolerance=5e-5,
    explain=lambda e: (f"{e:.4f} = λ₂ · (n − 1)/n: what is lost is the variance along the second "
                       "axis. The autoencoder lesson meets this number again."),
    hint="the error of each point is its score on the second axis.")

# %%
answer_2 = ...  # a number

# %%
exercise_2.check(answer_2)

# %% [markdown]
# ### Exercise 3
#
# Take only `n = 6` points: `pca_lesson(n=6)`. Does the first component still explain more
# than 90 % of their variance? Answer `"yes"` or `"no"`.

# %% jupyter={"source_hidden": true}
def share_6() -> float:
    return float(pca_lesson(n=6).fit.extras["explained_variance_ratio"][0])


def above_90(n: int) -> str:
    return "yes" if pca_lesson(n=n).fit.extras["explained_variance_ratio"][0] > 0.9 else "no"


exercise_3 = tools.Exercise(
    3, "n = 6: still above 90 %?", choices=("yes", "no"), solve=lambda: above_90(6),
    explain=lambda ans: (f"{ans}: {100 * share_6():.1f} %. With few points the sample "
                         "covariance, and so the split, varies a lot from sample to sample."),
    hint="look at pca_lesson(n=6).fit.extras['explained_variance_ratio'].")

# %%
answer_3 = ...  # "yes" or "no"

# %%
exercise_3.check(answer_3)
