"""Logistic regression: from the Bernoulli likelihood to the binary cross-entropy and its
gradient (chapter 3, ``logistic-regression-derivation``).

    P(y_i | x_i)  = p_i^{y_i} (1 - p_i)^{1 - y_i},       p_i = sigma(w^T x_i + b)
    BCE(w, b)     = -1/n log prod_i P(y_i | x_i) = -1/n sum_i [y_i log p_i + (1 - y_i) log(1 - p_i)]
    dBCE/dw_j     = 1/n sum_i (sigma(z_i) - y_i) x_ij      i.e.  1/n X^T (sigma(X w + b) - y)
    dBCE/db       = 1/n sum_i (sigma(z_i) - y_i)

The gradient is a mean over the n SAMPLES (the sum runs over i); each weight w_j gets its own
entry. Two features (``x_{i1}``, ``x_{i2}``) are written out; the pattern is the same for any d
(``bce-gradient-w1`` stands for every weight: ``x_{i1}`` enters only as the inner derivative).
"""
from __future__ import annotations

from typing import Any

import numpy as np
import sympy as sp

from mlv.derivations._build import A, D, M, P, frac, neg
from mlv.derivations.activations import SIGMOID, sigma
from mlv.derivations.steps import Derivation, Reference, Step

n = sp.Symbol("n", integer=True, positive=True)
i = sp.Symbol("i", integer=True, positive=True)
x = sp.IndexedBase("x")
y = sp.IndexedBase("y")
p = sp.IndexedBase("p")
w1, w2, b = sp.symbols("w_1 w_2 b", real=True)
WEIGHTS = (w1, w2)


def _S(body: sp.Expr) -> sp.Expr:
    return sp.Sum(body, (i, 1, n))


def logit() -> sp.Expr:
    """``z_i = w_1 x_{i1} + w_2 x_{i2} + b``."""
    return A(M(w1, x[i, 1]), M(w2, x[i, 2]), b)


def bce_terms(q: sp.Expr) -> sp.Expr:
    """``y_i log q + (1 - y_i) log(1 - q)``."""
    return A(M(y[i], sp.log(q)), M(A(1, neg(y[i])), sp.log(A(1, neg(q)))))


def bce() -> sp.Expr:
    """``-1/n sum_i [y_i log sigma(z_i) + (1 - y_i) log(1 - sigma(z_i))]``."""
    return M(-1, P(n, -1), _S(bce_terms(sigma(logit()))))


def likelihood() -> Derivation:
    bern = M(P(p[i], y[i]), P(A(1, neg(p[i])), A(1, neg(y[i]))))
    steps = (
        Step(M(-1, P(n, -1), sp.log(sp.Product(bern, (i, 1, n)))),
             "each label is a Bernoulli draw with P(yᵢ = 1) = pᵢ; maximising the likelihood of all "
             "n labels is minimising −1/n times its log"),
        Step(M(-1, P(n, -1), _S(sp.log(bern))), "the log of a product is the sum of the logs"),
        Step(M(-1, P(n, -1), _S(bce_terms(p[i]))),
             "log(aᵇ) = b log a: this is the binary cross-entropy"),
    )
    return Derivation(id="bce-from-likelihood", title="Binary cross-entropy from the likelihood",
                      lhs=r"-\frac{1}{n}\log\mathcal{L}", steps=steps, data=(p, y), index=i, n=n,
                      ranges={p: (0.05, 0.95), y: (0.0, 1.0)},
                      reference=Reference("the likelihood Π pᵢ^yᵢ (1 − pᵢ)^(1 − yᵢ) evaluated "
                                          "directly in NumPy, then −1/n log",
                                          function=negative_mean_log_likelihood))


def negative_mean_log_likelihood(**v: Any) -> float:
    p_, y_ = np.asarray(v["p"], float), np.asarray(v["y"], float)
    return float(-np.log(np.prod(p_**y_ * (1 - p_) ** (1 - y_))) / v["n"])


def _gradient(theta: sp.Symbol, id_: str) -> Derivation:
    z = logit()
    s = sigma(z)
    inner = x[i, WEIGHTS.index(theta) + 1] if theta in WEIGHTS else None
    inner_tex = f"xᵢ{'₁₂'[WEIGHTS.index(theta)]}" if inner is not None else "1"
    theta_text = {w1: "w₁", w2: "w₂", b: "b"}[theta]
    ds = D(s, theta)
    factor = (lambda e: M(e, inner)) if inner is not None else (lambda e: e)
    steps = (
        Step(D(bce(), theta), "the binary cross-entropy of pᵢ = σ(zᵢ), zᵢ = w₁xᵢ₁ + w₂xᵢ₂ + b"),
        Step(M(-1, P(n, -1), _S(A(M(frac(y[i], s), ds),
                                  neg(M(frac(A(1, neg(y[i])), A(1, neg(s))), ds))))),
             "linearity, then d(log u) = du / u (and d(1 − u) = −du)"),
        Step(M(-1, P(n, -1), _S(factor(M(A(frac(y[i], s), neg(frac(A(1, neg(y[i])), A(1, neg(s))))),
                                         s, A(1, neg(s)))))),
             f"σ′ = σ(1 − σ) (derived in activations); ∂zᵢ/∂{theta_text} = {inner_tex}"),
        Step(M(-1, P(n, -1), _S(factor(A(M(y[i], A(1, neg(s))), neg(M(A(1, neg(y[i])), s)))))),
             "σ(1 − σ) cancels both denominators"),
        Step(M(P(n, -1), _S(factor(A(s, neg(y[i]))))),
             "yᵢ − yᵢσ − σ + yᵢσ = yᵢ − σ: the error pᵢ − yᵢ, averaged over the n samples",
             derivative_of=(bce(), theta)),
    )
    return Derivation(id=id_, title=f"Gradient of the binary cross-entropy in {theta}",
                      lhs=r"\frac{\partial\,\mathrm{BCE}}{\partial " + sp.latex(theta) + "}",
                      steps=steps, scalars=(w1, w2, b), data=(x, y), index=i, n=n,
                      where={sigma: SIGMOID}, ranges={y: (0.0, 1.0)})


def gradient_w1() -> Derivation:
    return _gradient(w1, "bce-gradient-w1")


def gradient_b() -> Derivation:
    return _gradient(b, "bce-gradient-b")


def derivations() -> list[Derivation]:
    return [likelihood(), gradient_w1(), gradient_b()]


def numpy_gradient():
    """The derived gradient as ``f(X, y, w, b) -> [dw_1, dw_2, db]`` (X of shape (n, 2)).

    ``dw_2`` is the ``dw_1`` result with feature 2 in place of feature 1 (``x_{i1}`` only appears
    as the inner derivative; the derivation is the same for every feature)."""
    g1, gb = gradient_w1(), gradient_b()
    dw2 = M(P(n, -1), _S(M(A(sigma(logit()), neg(y[i])), x[i, 2])))
    fs = [g1.numpy_function(), g1.numpy_function(dw2), gb.numpy_function()]

    def f(X, ys, w, bias):
        X = np.asarray(X, float)
        return np.array([g(w_1=w[0], w_2=w[1], b=bias, x=X, y=ys) for g in fs])

    return f
