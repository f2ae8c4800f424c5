"""Gradient of the mean squared error of a line, step by step (chapter 1, linear regression).

    MSE(w, b) = 1/n sum_i (y_i - (w x_i + b))^2
    dMSE/dw   = -2/n sum_i x_i (y_i - (w x_i + b))
    dMSE/db   = -2/n sum_i     (y_i - (w x_i + b))
"""
from __future__ import annotations

import sympy as sp

from mlv.derivations.steps import Derivation, Reference, Step

n = sp.Symbol("n", integer=True, positive=True)
i = sp.Symbol("i", integer=True, positive=True)
x = sp.IndexedBase("x")
y = sp.IndexedBase("y")
w, b = sp.symbols("w b", real=True)


def residual() -> sp.Expr:
    """``y_i - (w x_i + b)``, kept in its written form."""
    return sp.Add(y[i], sp.Mul(-1, sp.Add(sp.Mul(w, x[i]), b, evaluate=False), evaluate=False),
                  evaluate=False)


def mse() -> sp.Expr:
    """``1/n sum_i (y_i - (w x_i + b))^2``."""
    return sp.Mul(1 / n, sp.Sum(residual() ** 2, (i, 1, n)), evaluate=False)


def _M(*args: sp.Expr) -> sp.Expr:
    return sp.Mul(*args, evaluate=False)


def _S(body: sp.Expr) -> sp.Expr:
    return sp.Sum(body, (i, 1, n))


def _gradient(theta: sp.Symbol, inner_derivative: sp.Expr, result_factor: sp.Expr | None,
              id_: str) -> Derivation:
    r = residual()
    inner_reason = (f"inner derivative: ∂/∂{theta} (yᵢ − (w xᵢ + b)) = "
                    f"{'−xᵢ' if theta == w else '−1'}")
    last = _M(-2 / n, _S(_M(result_factor, r) if result_factor is not None else r))
    steps = (
        Step(sp.Derivative(mse(), theta), "definition of the MSE"),
        Step(_M(1 / n, _S(sp.Derivative(r**2, theta))),
             "linearity: the derivative of a sum is the sum of the derivatives"),
        Step(_M(1 / n, _S(_M(2, r, sp.Derivative(r, theta)))),
             "chain rule: d(u²) = 2u · du"),
        Step(_M(1 / n, _S(_M(2, r, inner_derivative))), inner_reason),
        Step(last, "constant factors move out of the sum"),
    )
    return Derivation(
        id=id_,
        title=f"Gradient of the MSE in {theta}",
        lhs=r"\frac{\partial\,\mathrm{MSE}}{\partial " + sp.latex(theta) + "}",
        steps=steps,
        scalars=(w, b),
        data=(x, y),
        index=i,
        n=n,
        reference=Reference("sp.diff of the MSE", sp.diff(
            sp.Sum((y[i] - w * x[i] - b) ** 2, (i, 1, n)) / n, theta)),
    )


def gradient_w() -> Derivation:
    """``dMSE/dw = -2/n sum_i x_i (y_i - (w x_i + b))``."""
    return _gradient(w, _M(-1, x[i]), x[i], "mse-gradient-w")


def gradient_b() -> Derivation:
    """``dMSE/db = -2/n sum_i (y_i - (w x_i + b))``."""
    return _gradient(b, sp.Integer(-1), None, "mse-gradient-b")


def derivations() -> list[Derivation]:
    return [gradient_w(), gradient_b()]
