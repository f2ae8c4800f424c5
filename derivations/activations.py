"""Derivatives of the activation functions (chapter 3, ``activation-functions``).

    sigma'(z) = sigma(z) (1 - sigma(z))        sigma(z) = 1 / (1 + e^{-z})
    tanh'(z)  = 1 - tanh^2(z)                  tanh(z)  = (e^z - e^{-z}) / (e^z + e^{-z})
    relu'(z)  = 1 for z > 0, 0 for z < 0; no derivative at 0, where the code
                (``algorithms.network.derivative``) uses 0, a subgradient.

sigma and tanh are written as functions on the board; the checker expands them to their
exponential definitions (``where``), so nothing relies on SymPy's own rule for them.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import sympy as sp

from mlv.derivations._build import A, D, M, P, frac, neg
from mlv.derivations.steps import Convention, Derivation, Region, Step

z = sp.Symbol("z", real=True)
sigma = sp.Function("sigma")
SIGMOID = sp.Lambda(z, 1 / (1 + sp.exp(-z)))
TANH = sp.Lambda(z, (sp.exp(z) - sp.exp(-z)) / (sp.exp(z) + sp.exp(-z)))

_E = sp.exp(neg(z))          # e^{-z}, as written
_ONE_PLUS = A(1, _E)         # 1 + e^{-z}


def sigmoid_derivative() -> Derivation:
    steps = (
        Step(D(sigma(z), z), "the logistic function σ(z) = 1 / (1 + e⁻ᶻ)"),
        Step(D(P(_ONE_PLUS, -1), z), "write σ as a power: (1 + e⁻ᶻ)⁻¹"),
        Step(M(-1, P(_ONE_PLUS, -2), M(-1, _E)),
             "chain rule: d(u⁻¹) = −u⁻² du, and d(1 + e⁻ᶻ)/dz = −e⁻ᶻ"),
        Step(frac(_E, P(_ONE_PLUS, 2)), "the two minus signs cancel"),
        Step(M(frac(1, _ONE_PLUS), frac(_E, _ONE_PLUS)), "split the square into two factors"),
        Step(M(frac(1, _ONE_PLUS), A(1, neg(frac(1, _ONE_PLUS)))),
             "e⁻ᶻ / (1 + e⁻ᶻ) = 1 − 1 / (1 + e⁻ᶻ)"),
        Step(M(sigma(z), A(1, neg(sigma(z)))), "recognise σ(z) twice",
             derivative_of=(sigma(z), z)),
    )
    return Derivation(id="sigmoid-derivative", title="Derivative of the sigmoid",
                      lhs=r"\sigma'(z)", steps=steps, scalars=(z,), where={sigma: SIGMOID})


def tanh_derivative() -> Derivation:
    ep, em = sp.exp(z), sp.exp(neg(z))
    num, den = A(ep, neg(em)), A(ep, em)
    steps = (
        Step(D(sp.tanh(z), z), "the hyperbolic tangent"),
        Step(D(frac(num, den), z), "tanh z = (eᶻ − e⁻ᶻ) / (eᶻ + e⁻ᶻ)"),
        Step(frac(A(P(den, 2), neg(P(num, 2))), P(den, 2)),
             "quotient rule (u/v)′ = (u′v − uv′) / v²: here u′ = v and v′ = u"),
        Step(A(1, neg(frac(P(num, 2), P(den, 2)))), "split the fraction"),
        Step(A(1, neg(P(sp.tanh(z), 2))), "recognise tanh z squared",
             derivative_of=(sp.tanh(z), z)),
    )
    return Derivation(id="tanh-derivative", title="Derivative of tanh", lhs=r"\tanh'(z)",
                      steps=steps, scalars=(z,), where={sp.tanh: TANH})


RELU_REGIONS = (Region("z < 0", z < 0), Region("z > 0", z > 0),
                Region("z = 0 (kink)", sp.Eq(z, 0), solve_for=z))
RELU_CONVENTION = Convention(sp.Integer(0), owner="z < 0")
"""ReLU'(0) = 0, the left side's slope: ``algorithms.network.derivative`` computes ``1[z > 0]``."""


def relu_derivative() -> Derivation:
    relu = sp.Max(0, z)
    steps = (
        Step(D(relu, z), "ReLU(z) = max(0, z)"),
        Step(sp.Piecewise((D(sp.Integer(0), z), z < 0), (D(z, z), z > 0)),
             "case split: on each side of 0 the max is one smooth piece"),
        Step(sp.Piecewise((0, z < 0), (1, z > 0)), "differentiate each piece"),
        Step(sp.Piecewise((1, z > 0), (0, True)),
             "no derivative at the kink z = 0; the code uses 0 there (a subgradient: any value "
             "in [0, 1] is one)", derivative_of=(relu, z)),
    )
    return Derivation(id="relu-derivative", title="Derivative of ReLU", lhs=r"\mathrm{ReLU}'(z)",
                      steps=steps, scalars=(z,), regions=RELU_REGIONS,
                      convention=RELU_CONVENTION)


def derivations() -> list[Derivation]:
    return [sigmoid_derivative(), tanh_derivative(), relu_derivative()]


def _vectorised(f: Callable[..., Any]) -> Callable[[Any], np.ndarray]:
    def g(zs: Any) -> np.ndarray:
        zs = np.asarray(zs, float)
        return np.asarray(f(z=zs), float) * np.ones_like(zs)

    return g


def numpy_derivatives() -> dict[str, Callable[[Any], np.ndarray]]:
    """Each derived result as a NumPy function of ``z`` (keys as ``network.ACTIVATIONS``)."""
    return {name: _vectorised(d.numpy_function())
            for name, d in (("sigmoid", sigmoid_derivative()), ("tanh", tanh_derivative()),
                            ("relu", relu_derivative()))}
