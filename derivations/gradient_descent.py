"""Gradient descent on the 1-D example of chapter 1 (``algorithms.gradient_descent_1d``).

    L(theta)     = theta^2 - 4 theta + 5 = (theta - 2)^2 + 1
    L'(theta)    = 2 theta - 4 = 2 (theta - 2)
    theta_{t+1}  = theta_t - eta L'(theta_t) = 2 + (1 - 2 eta)(theta_t - 2)

The last form is the lesson of the scene: one step multiplies the distance to the minimum by
``1 - 2 eta`` (crawl for small eta, one step at 0.5, oscillation above, divergence above 1).
The double well ``theta^4 - 3 theta^2 + theta`` is derived too (same rule, two minima).
"""
from __future__ import annotations

import sympy as sp

from mlv.derivations._build import A, D, M
from mlv.derivations.steps import Derivation, Reference, Step

theta = sp.Symbol("theta", real=True)
theta_t = sp.Symbol("theta_t", real=True)
eta = sp.Symbol("eta", positive=True)

PARABOLA = (5, -4, 1)
DOUBLE_WELL = (0, 1, -3, 0, 1)


def _term(c: int, k: int, at: sp.Symbol) -> sp.Expr:
    """``c at^k`` as written (``θ²``, not ``1 θ²``)."""
    if k == 0:
        return sp.Integer(c)
    power = at**k
    return power if c == 1 else M(c, power)


def loss(coefficients=PARABOLA, at: sp.Symbol = theta) -> sp.Expr:
    """The polynomial ``c0 + c1 theta + ...`` written highest degree first, unevaluated."""
    return A(*reversed([_term(c, k, at) for k, c in enumerate(coefficients) if c]))


def _derivative(coefficients, id_: str, title: str, closing: tuple[sp.Expr, str] | None):
    L = loss(coefficients)
    terms = [(k, c) for k, c in enumerate(coefficients) if c]
    split = A(*[D(_term(c, k, theta), theta) for k, c in reversed(terms)])
    power = A(*[_term(k * c, k - 1, theta) if k else sp.Integer(0) for k, c in reversed(terms)])
    steps = [
        Step(D(L, theta), "the loss of the example"),
        Step(split, "linearity: differentiate term by term"),
        Step(power, "power rule: d/dθ θᵏ = k θᵏ⁻¹; a constant's derivative is 0",
             derivative_of=(L, theta)),
    ]
    if closing is not None:
        steps.append(Step(*closing))
    return Derivation(id=id_, title=title, lhs=r"L'(\theta)", steps=tuple(steps),
                      scalars=(theta,),
                      reference=Reference("sp.diff of the loss", sp.diff(L.doit(), theta)))


def parabola_derivative() -> Derivation:
    """``L'(θ) = 2θ − 4 = 2(θ − 2)``."""
    return _derivative(PARABOLA, "gd-parabola-derivative", "Derivative of the 1-D loss",
                       (M(2, A(theta, -2)), "factor out 2: the slope is zero only at θ* = 2"))


def double_well_derivative() -> Derivation:
    """``L'(θ) = 4θ³ − 6θ + 1`` for the double well."""
    return _derivative(DOUBLE_WELL, "gd-double-well-derivative",
                       "Derivative of the double-well loss", None)


def update_rule() -> Derivation:
    """``θ_{t+1} = θ_t − η L'(θ_t) = 2 + (1 − 2η)(θ_t − 2)``."""
    L = loss(PARABOLA, theta_t)
    steps = (
        Step(A(theta_t, M(-1, eta, D(L, theta_t))),
             "the update rule: a step of size η against the slope"),
        Step(A(theta_t, M(-1, eta, A(M(2, theta_t), -4))), "L'(θ) = 2θ − 4 (derived above)"),
        Step(A(theta_t, M(-2, eta, A(theta_t, -2))), "factor out 2"),
        Step(A(2, M(A(1, M(-2, eta)), A(theta_t, -2))),
             "measure from the minimum θ* = 2: each step multiplies the distance by (1 − 2η)"),
    )
    return Derivation(id="gd-update-rule", title="The gradient-descent update on the parabola",
                      lhs=r"\theta_{t+1}", steps=steps, scalars=(theta_t, eta),
                      reference=Reference("θ_t − η times sp.diff of the loss",
                                          theta_t - eta * sp.diff(L.doit(), theta_t)))


def derivations() -> list[Derivation]:
    return [parabola_derivative(), double_well_derivative(), update_rule()]
