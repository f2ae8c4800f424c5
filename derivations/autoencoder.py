"""The reconstruction loss and its gradient at the output (chapter 4, ``autoencoder``).

    L = 1/n sum_i ||xhat_i - x_i||^2 = 1/n sum_i sum_j (xhat_ij - x_ij)^2
    dL/dxhat_kj = 2/n (xhat_kj - x_kj)

With the identity output of ``algorithms.autoencoder`` (f' = 1) this is the output delta
``2/n (a^(L) - y) * f'(z^(L))`` of ``algorithms.network`` with the inputs as targets. Two
coordinates written out; only sample k's terms depend on xhat_k, the other samples' terms are R.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from mlv.derivations._build import A, D, M, P, neg
from mlv.derivations.steps import Derivation, Reference, Step

n = sp.Symbol("n", positive=True)
xh1, xh2 = sp.symbols(r"\hat{x}_{k1} \hat{x}_{k2}", real=True)
x1, x2 = sp.symbols("x_{k1} x_{k2}", real=True)
R = sp.Symbol("R", real=True)       # the other samples' squared errors: free of xhat_k


def loss() -> sp.Expr:
    return M(P(n, -1), A(P(A(xh1, neg(x1)), 2), P(A(xh2, neg(x2)), 2), R))


def output_gradient() -> Derivation:
    L = loss()
    steps = (
        Step(D(L, xh1), "the reconstruction MSE: sample k's two squared errors plus R, the "
             "other samples' (which do not depend on x̂_k)"),
        Step(M(P(n, -1), A(D(P(A(xh1, neg(x1)), 2), xh1), D(P(A(xh2, neg(x2)), 2), xh1),
                          D(R, xh1))), "linearity"),
        Step(M(P(n, -1), A(M(2, A(xh1, neg(x1))), 0, 0)),
             "chain rule on the first square; the other terms do not contain x̂_k1"),
        Step(M(2, P(n, -1), A(xh1, neg(x1))),
             "2/n (x̂ − x): with the identity output (f' = 1) this is the output δ",
             derivative_of=(L, xh1)),
    )
    return Derivation(id="autoencoder-output-gradient",
                      title="Gradient of the reconstruction loss at the output",
                      lhs=r"\frac{\partial L}{\partial \hat{x}_{k1}}", steps=steps,
                      scalars=(xh1, xh2, x1, x2, R, n),
                      reference=Reference("sp.diff of the loss in x̂_k1", sp.diff(L.doit(), xh1)))


def derivations() -> list[Derivation]:
    return [output_gradient()]


def numpy_output_gradient():
    """The derived result for every sample and coordinate: ``f(X_hat, X) -> dL/dX_hat``."""
    g = output_gradient().numpy_function()

    def f(X_hat, X):
        X_hat, X = np.asarray(X_hat, float), np.asarray(X, float)
        n_ = X.shape[0]
        return np.array([[g(**{r"\hat{x}_{k1}": X_hat[k, j], r"\hat{x}_{k2}": 0.0,
                               "x_{k1}": X[k, j], "x_{k2}": 0.0, "R": 0.0, "n": n_})
                          for j in range(X.shape[1])] for k in range(n_)], float)

    return f
