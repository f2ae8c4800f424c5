"""Why the best centre of a cluster is its mean (chapter 2, ``kmeans-objective``).

    J = sum_k sum_{i in C_k} ||x_i - mu_k||^2

Only cluster k's own terms depend on mu_k, so the derivation follows one cluster with n points
``(x_i, y_i)``, i = 1..n (two coordinates written out):

    dJ/dmu_1 = -2 sum_i (x_i - mu_1) = 2 n (mu_1 - xbar),     xbar = 1/n sum_i x_i

which is 0 exactly when mu_1 = xbar (and the same for mu_2 with y): the centre is the mean. J is
a sum (not a mean) over points, as ``algorithms.kmeans.objective`` computes it.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from mlv.derivations._build import A, D, M, P, neg
from mlv.derivations.steps import Derivation, Reference, Step

n = sp.Symbol("n", integer=True, positive=True)
i = sp.Symbol("i", integer=True, positive=True)
j = sp.Symbol("j", integer=True, positive=True)
x = sp.IndexedBase("x")
y = sp.IndexedBase("y")
mu1, mu2 = sp.symbols("mu_1 mu_2", real=True)
xbar, ybar = sp.Symbol(r"\bar{x}", real=True), sp.Symbol(r"\bar{y}", real=True)


def _S(body: sp.Expr) -> sp.Expr:
    return sp.Sum(body, (i, 1, n))


def objective() -> sp.Expr:
    """``sum_i ((x_i - mu_1)^2 + (y_i - mu_2)^2)``: one cluster's share of J."""
    return _S(A(P(A(x[i], neg(mu1)), 2), P(A(y[i], neg(mu2)), 2)))


def _gradient(mu: sp.Symbol, c: sp.IndexedBase, other: sp.IndexedBase, bar: sp.Symbol,
              id_: str) -> Derivation:
    r = A(c[i], neg(mu))
    shown = "μ₁" if mu == mu1 else "μ₂"                      # as a caption shows it
    mean_shown = "x̄" if c == x else "ȳ"
    steps = (
        Step(D(objective(), mu), "cluster k's share of J: its n points (xᵢ, yᵢ), its centre "
             "μ = (μ₁, μ₂)"),
        Step(_S(D(P(r, 2), mu)),
             f"linearity; the {'y' if c == x else 'x'}-terms do not depend on {shown}"),
        Step(_S(M(2, r, -1)), "chain rule: d(u²) = 2u du, and du/dμ = −1"),
        Step(M(-2, _S(r)), "the constant −2 moves out of the sum",
             derivative_of=(objective(), mu)),
        Step(M(-2, A(_S(c[i]), neg(M(n, mu)))), f"the sum of n copies of {shown} is n{shown}"),
        Step(M(2, n, A(mu, neg(bar))),
             f"with the mean {mean_shown} = (1/n) Σ: zero exactly when {shown} is the mean of "
             "the cluster's points"),
    )
    return Derivation(id=id_, title=f"k-means: the gradient in {mu}",
                      lhs=r"\frac{\partial J}{\partial " + sp.latex(mu) + "}", steps=steps,
                      scalars=(mu1, mu2), data=(x, y), index=i, n=n,
                      where={bar: M(P(n, -1), sp.Sum(c[j], (j, 1, n)))},
                      reference=Reference("sp.diff of the cluster's J",
                                          sp.diff(objective().doit(), mu)))


def gradient_mu1() -> Derivation:
    return _gradient(mu1, x, y, xbar, "kmeans-gradient-mu1")


def gradient_mu2() -> Derivation:
    return _gradient(mu2, y, x, ybar, "kmeans-gradient-mu2")


def derivations() -> list[Derivation]:
    return [gradient_mu1(), gradient_mu2()]


def numpy_objective_gradient():
    """The derived gradient as ``f(X, centroids, labels) -> dJ/dmu`` of shape (k, 2): each cluster
    is the derivation's one cluster, its points the ``(x_i, y_i)``."""
    g1, g2 = gradient_mu1().numpy_function(), gradient_mu2().numpy_function()

    def f(X, centroids, labels):
        X, C = np.asarray(X, float), np.asarray(centroids, float)
        out = np.zeros_like(C)
        for k in range(C.shape[0]):
            pts = X[np.asarray(labels) == k]
            if len(pts) == 0:
                continue                    # an empty cluster: no terms, gradient 0
            kw = dict(mu_1=C[k, 0], mu_2=C[k, 1], x=pts[:, 0], y=pts[:, 1])
            out[k] = [g1(**kw), g2(**kw)]
        return out

    return f
