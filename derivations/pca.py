"""PCA as constrained maximisation of the projected variance (chapter 2, ``pca-derivation``).

    centre first: for centred data X, Sigma = X^T X / (n - 1) is the covariance; for raw data
    X^T X / (n - 1) also holds n/(n-1) times the squared mean (derived below)
    variance of the projections on a unit vector u:   u^T Sigma u
    maximise u^T Sigma u subject to u^T u = 1:         L = u^T Sigma u - lambda (u^T u - 1)
    grad_u L = 2 Sigma u - 2 lambda u = 0   =>   Sigma u = lambda u   =>   u^T Sigma u = lambda

Matrices are written with their symbols on the board and checked with explicit entries: a
symmetric 2x2 and 3x3 Sigma of symbols, u a column of symbols (``where``).
"""
from __future__ import annotations

from typing import Any

import numpy as np
import sympy as sp

from mlv.derivations._build import A, D, M, P, neg
from mlv.derivations.steps import Derivation, Reference, Step


class One(sp.Identity):
    """The 1x1 identity, written 1 (``u^T u - 1`` is a 1x1 matrix expression)."""

    def _latex(self, printer):
        return "1"


lam = sp.Symbol("lambda", real=True)


def _sym(dim: int) -> sp.ImmutableMatrix:
    return sp.ImmutableMatrix(dim, dim, lambda r, c: sp.Symbol(
        f"Sigma_{min(r, c) + 1}{max(r, c) + 1}", real=True))


def _vec(dim: int, name: str = "u") -> sp.ImmutableMatrix:
    return sp.ImmutableMatrix(dim, 1, lambda r, c: sp.Symbol(f"{name}_{r + 1}", real=True))


def _MA(*args):
    return sp.MatAdd(*args, evaluate=False)


def _MM(*args):
    return sp.MatMul(*args, evaluate=False)


def lagrangian_gradient(dim: int) -> Derivation:
    S, u = sp.MatrixSymbol("Sigma", dim, dim), sp.MatrixSymbol("u", dim, 1)
    quad = _MM(u.T, S, u)
    L = _MA(quad, _MM(-1, lam, _MA(_MM(u.T, u), -One(1))))
    steps = (
        Step(D(L, u), "maximise the variance uᵀΣu subject to uᵀu = 1: the Lagrangian's gradient"),
        Step(_MA(_MM(_MA(S, S.T), u), _MM(-1, lam, _MM(2, u))),
             "term by term: ∇(uᵀAu) = (A + Aᵀ)u, ∇(uᵀu) = 2u, and the constant 1 has no "
             "gradient"),
        Step(_MA(_MM(2, S, u), _MM(-2, lam, u)),
             "Σ is symmetric: 2Σu − 2λu = 0 exactly when Σu = λu, an eigenvector",
             derivative_of=(L, u)),
    )
    ents = list(_sym(dim)) + list(_vec(dim))
    return Derivation(id=f"pca-lagrangian-gradient-{dim}d",
                      title=f"The Lagrangian's gradient ({dim}×{dim} Σ)",
                      lhs=r"\nabla_u \mathcal{L}", steps=steps,
                      scalars=tuple(dict.fromkeys(ents)) + (lam,),
                      where={S: _sym(dim), u: _vec(dim)})


phi = sp.Symbol("phi", real=True)
lam1, lam2 = sp.symbols("lambda_1 lambda_2", real=True)


def variance_is_eigenvalue() -> Derivation:
    S, u = sp.MatrixSymbol("Sigma", 2, 2), sp.MatrixSymbol("u", 2, 1)
    e1 = sp.ImmutableMatrix([sp.cos(phi), sp.sin(phi)])
    e2 = sp.ImmutableMatrix([-sp.sin(phi), sp.cos(phi)])
    sigma = sp.ImmutableMatrix(lam1 * e1 * e1.T + lam2 * e2 * e2.T)
    steps = (
        Step(_MM(u.T, S, u), "the variance along an eigenvector u of Σ"),
        Step(_MM(u.T, _MM(lam1, u)), "Σu = λ₁u"),
        Step(_MM(lam1, u.T, u), "the number λ₁ moves out"),
        Step(lam1, "uᵀu = 1: the variance along a principal axis is its eigenvalue"),
    )
    return Derivation(id="pca-variance-is-eigenvalue", title="The variance along u is λ",
                      lhs=r"u^{T} \Sigma u", steps=steps, scalars=(phi, lam1, lam2),
                      where={S: sigma, u: e1},
                      ranges={lam1: (1.5, 3.0), lam2: (0.1, 1.0)},      # λ₁ the larger
                      reference=Reference("NumPy's eigendecomposition (eigh) of Σ: the "
                                          "variance along its top eigenvector",
                                          function=variance_along_top_eigenvector))


def variance_along_top_eigenvector(**v: Any) -> float:
    """``u^T Sigma u`` for the unit eigenvector ``u`` of the largest eigenvalue that
    ``np.linalg.eigh`` finds, Sigma built from its rotation angle and eigenvalues."""
    c, s = np.cos(v["phi"]), np.sin(v["phi"])
    e1, e2 = np.array([c, s]), np.array([-s, c])
    cov = v["lambda_1"] * np.outer(e1, e1) + v["lambda_2"] * np.outer(e2, e2)
    values, vectors = np.linalg.eigh(cov)
    top = vectors[:, int(np.argmax(values))]
    return float(top @ cov @ top)


n = sp.Symbol("n", integer=True, positive=True)
i = sp.Symbol("i", integer=True, positive=True)
j = sp.Symbol("j", integer=True, positive=True)
x, y, r = sp.IndexedBase("x"), sp.IndexedBase("y"), sp.IndexedBase("r")
u1, u2 = sp.symbols("u_1 u_2", real=True)
Sxx, Sxy, Syy = sp.symbols("S_{xx} S_{xy} S_{yy}", real=True)
rbar = sp.Symbol(r"\bar{r}", real=True)


def _S(body, idx=i):
    return sp.Sum(body, (idx, 1, n))


def projection_variance() -> Derivation:
    S, u = sp.MatrixSymbol("Sigma", 2, 2), sp.MatrixSymbol("u", 2, 1)
    k = P(A(n, -1), -1)
    steps = (
        Step(M(k, _S(P(A(M(u1, x[i]), M(u2, y[i])), 2))),
             "the sample variance of the projections uᵀxᵢ: the data are centred, so their mean "
             "is 0"),
        Step(M(k, _S(A(M(P(u1, 2), P(x[i], 2)), M(2, u1, u2, x[i], y[i]),
                       M(P(u2, 2), P(y[i], 2))))), "expand the square"),
        Step(A(M(P(u1, 2), Sxx), M(2, u1, u2, Sxy), M(P(u2, 2), Syy)),
             "split the sum: the sample covariances S = 1/(n − 1) Σ of the products"),
        Step(_MM(u.T, S, u), "in matrix form, Σ = [[S_xx, S_xy], [S_xy, S_yy]]"),
    )
    return Derivation(id="pca-projection-variance", title="Variance of a projection",
                      lhs=r"\mathrm{Var}(u^{T} x)", steps=steps, scalars=(u1, u2),
                      data=(x, y), index=i, n=n,
                      reference=Reference("NumPy's sample variance (np.var, ddof = 1) of the "
                                          "projections X u of centred data",
                                          function=projected_variance, prepare=centred),
                      where={Sxx: M(k, _S(P(x[j], 2), j)), Sxy: M(k, _S(M(x[j], y[j]), j)),
                             Syy: M(k, _S(P(y[j], 2), j)),
                             S: sp.ImmutableMatrix([[Sxx, Sxy], [Sxy, Syy]]),
                             u: sp.ImmutableMatrix([u1, u2])})


def centred(values: dict[str, Any]) -> dict[str, Any]:
    """The data with their mean subtracted (the derivation is about centred data)."""
    return {**values, "x": values["x"] - np.mean(values["x"]),
            "y": values["y"] - np.mean(values["y"])}


def projected_variance(**v: Any) -> float:
    X = np.column_stack([v["x"], v["y"]])
    return float(np.var(X @ np.array([v["u_1"], v["u_2"]]), ddof=1))


def raw_second_moment(**v: Any) -> float:
    """``r . r / (n - 1)`` in NumPy."""
    r_ = np.asarray(v["r"], float)
    return float(r_ @ r_ / (len(r_) - 1))


def uncentred_moment() -> Derivation:
    k = P(A(n, -1), -1)
    dev = A(r[i], neg(rbar))
    steps = (
        Step(M(k, _S(P(r[i], 2))), "without centring, uᵀ(XᵀX/(n − 1))u is this raw second "
             "moment of the projections rᵢ = uᵀxᵢ"),
        Step(M(k, _S(P(A(dev, rbar), 2))), "add and subtract their mean r̄"),
        Step(A(M(k, _S(P(dev, 2))), M(2, rbar, k, _S(dev)), M(n, k, P(rbar, 2))),
             "expand the square"),
        Step(A(M(k, _S(P(dev, 2))), M(n, k, P(rbar, 2))),
             "deviations from the mean sum to 0: the variance, plus n/(n − 1) r̄², which is "
             "not variance"),
    )
    return Derivation(id="pca-why-centre", title="Why PCA centres the data",
                      lhs=r"\frac{1}{n-1}\sum_{i} r_i^{2}", steps=steps, data=(r,), index=i, n=n,
                      where={rbar: M(P(n, -1), _S(r[j], j))},
                      reference=Reference("NumPy: r · r / (n − 1), the raw second moment",
                                          function=raw_second_moment))


def derivations() -> list[Derivation]:
    return [uncentred_moment(), projection_variance(), lagrangian_gradient(2),
            lagrangian_gradient(3), variance_is_eigenvalue()]


def numpy_projection_variance():
    """The derived variance ``f(u, X)`` of centred data ``X`` (n, 2) along ``u``."""
    d = projection_variance()
    g = d.numpy_function()
    return lambda u, X: float(g(u_1=u[0], u_2=u[1], x=X[:, 0], y=X[:, 1]))


def numpy_lagrangian_gradient(dim: int):
    """The derived ``2 Σ u − 2 λ u`` as ``f(cov, u, lam) -> (dim,)``."""
    d = lagrangian_gradient(dim)
    e = d.expand()
    args = list(d.scalars)
    g = sp.lambdify(args, e, "numpy")
    names = [str(s) for s in args]

    def f(cov, u, lam_):
        vals = {f"Sigma_{a + 1}{b + 1}": cov[a, b] for a in range(dim) for b in range(a, dim)}
        vals.update({f"u_{a + 1}": u[a] for a in range(dim)})
        vals["lambda"] = lam_
        return np.asarray(g(*[vals[nm] for nm in names]), float).ravel()

    return f
