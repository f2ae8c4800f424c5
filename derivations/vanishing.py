"""Why deep sigmoid networks stop learning in their early layers (chapter 4,
``vanishing-gradients``).

    sigma'(z) = sigma (1 - sigma) = 1/4 - (sigma - 1/2)^2 <= 1/4        (a square is >= 0)
    sigma''(z) = sigma'(z) (1 - 2 sigma(z)) = 0 only where sigma = 1/2, i.e. z = 0; sigma'(0) = 1/4

Through a chain of L one-unit layers a_l = f(w_l a_{l-1} + b_l) (L = 3 written out, f any
activation: the chain rule does not depend on it):

    d a_L / d a_0 = prod_l w_l f'(z_l),
    so for the sigmoid   |d a_L / d a_0| <= (1/4)^L prod_l |w_l|

The backpropagated gradient shrinks by at least a factor 4 per layer unless the weights grow.
"""
from __future__ import annotations

from typing import Any

import mpmath
import sympy as sp

from mlv.derivations._build import A, D, M, P, frac, neg
from mlv.derivations.activations import SIGMOID, sigma
from mlv.derivations.steps import Derivation, Reference, Step

z = sp.Symbol("z", real=True)
HALF = sp.Rational(1, 2)
QUARTER = sp.Rational(1, 4)


def derivative_bound() -> Derivation:
    s = sigma(z)
    steps = (
        Step(D(s, z), "the sigmoid's slope"),
        Step(M(s, A(1, neg(s))), "σ' = σ(1 − σ) (derived in activations)",
             derivative_of=(s, z)),
        Step(A(QUARTER, neg(P(A(s, neg(HALF)), 2))),
             "complete the square: σ − σ² = 1/4 − (σ − 1/2)², at most 1/4 since a square is "
             "never negative, with equality only where σ(z) = 1/2"),
    )
    return Derivation(id="sigmoid-derivative-bound", title="The sigmoid's slope is at most 1/4",
                      lhs=r"\sigma'(z)", steps=steps, scalars=(z,), where={sigma: SIGMOID},
                      reference=Reference(_NUMERIC_SLOPE, function=numeric_sigmoid_slope))


_NUMERIC_SLOPE = "mpmath's numerical derivative of 1 / (1 + e⁻ᶻ)"


def numeric_sigmoid_slope(**v: Any) -> float:
    """The logistic function's slope by mpmath's numerical differentiation (no rule of
    calculus)."""
    with mpmath.workdps(30):
        return float(mpmath.diff(lambda t: 1 / (1 + mpmath.exp(-t)), mpmath.mpf(v.get("z", 0))))


def second_derivative() -> Derivation:
    s = sigma(z)
    sp_ = M(s, A(1, neg(s)))
    steps = (
        Step(D(sp_, z), "the slope of the slope: where is σ' largest?"),
        Step(A(M(D(s, z), A(1, neg(s))), neg(M(s, D(s, z)))), "product rule"),
        Step(M(D(s, z), A(1, M(-2, s))), "factor out σ'"),
        Step(M(s, A(1, neg(s)), A(1, M(-2, s))),
             "σ' > 0 everywhere, so σ'' = 0 only where σ = 1/2, i.e. at z = 0",
             derivative_of=(sp_, z)),
    )
    return Derivation(id="sigmoid-second-derivative", title="Where the sigmoid is steepest",
                      lhs=r"\sigma''(z)", steps=steps, scalars=(z,), where={sigma: SIGMOID})


def derivative_at_zero() -> Derivation:
    zero = sp.Integer(0)
    s0 = sigma(zero)
    steps = (
        Step(M(s0, A(1, neg(s0))), "σ'(0) = σ(0)(1 − σ(0))"),
        Step(M(frac(1, A(1, sp.exp(zero, evaluate=False))),
               A(1, neg(frac(1, A(1, sp.exp(zero, evaluate=False)))))),
             "σ(0) = 1 / (1 + e⁰)"),
        Step(M(HALF, HALF), "e⁰ = 1, so σ(0) = 1/2"),
        Step(QUARTER, "the largest slope of the sigmoid is 1/4"),
    )
    return Derivation(id="sigmoid-derivative-at-zero", title="The sigmoid's largest slope",
                      lhs=r"\sigma'(0)", steps=steps, where={sigma: SIGMOID},
                      reference=Reference(_NUMERIC_SLOPE + " at 0",
                                          function=numeric_sigmoid_slope))


N_LAYERS = 3
a0 = sp.Symbol("a_0", real=True)
ws = [sp.Symbol(f"w_{l}", real=True) for l in range(1, N_LAYERS + 1)]
bs = [sp.Symbol(f"b_{l}", real=True) for l in range(1, N_LAYERS + 1)]
zs = [sp.Symbol(f"z_{l}", real=True) for l in range(1, N_LAYERS + 1)]
acts = [sp.Symbol(f"a_{l}", real=True) for l in range(1, N_LAYERS + 1)]


f = sp.Function("f")


def chain_where() -> dict:
    where = {}
    prev = a0
    for w, b, zz, a in zip(ws, bs, zs, acts):
        where[zz] = A(M(w, prev), b)
        where[a] = f(zz)
        prev = a
    return where


def chain_product() -> Derivation:
    links = []
    prev = a0
    for zz, a in zip(zs, acts):
        links.append((D(a, zz), D(zz, prev)))
        prev = a
    steps = (
        Step(D(acts[-1], a0), f"the output of a chain of {N_LAYERS} one-unit layers, "
             "aₗ = f(wₗ aₗ₋₁ + bₗ), in its input"),
        Step(M(*[g for pair in reversed(links) for g in pair]),
             "chain rule, one pair of factors per layer"),
        Step(M(*[g for zz, w in reversed(list(zip(zs, ws))) for g in (D(f(zz), zz), w)]),
             "∂aₗ/∂zₗ = f'(zₗ) and ∂zₗ/∂aₗ₋₁ = wₗ", derivative_of=(acts[-1], a0)),
        Step(M(*ws, *[D(f(zz), zz) for zz in zs]),
             "regroup: the weights times one f' per layer; for the sigmoid each f' ≤ 1/4, so "
             f"|∂a/∂a₀| ≤ (1/4)^{N_LAYERS} |w₁ w₂ w₃|"),
    )
    return Derivation(id="vanishing-chain-product", title="The gradient through a deep chain",
                      lhs=r"\frac{\partial a_3}{\partial a_0}", steps=steps,
                      scalars=(a0, *ws, *bs), where=chain_where(),
                      reference=Reference("mpmath's numerical derivative of the composed chain "
                                          "a₃(a₀), with f = tanh",
                                          function=numeric_chain_slope,
                                          functions=((f, sp.Lambda(_u, sp.tanh(_u))),)))


_u = sp.Symbol("u")          # bound by the Lambda (a Dummy would change every run)


def numeric_chain_slope(**v: Any) -> float:
    """``d a_L / d a_0`` of ``a_l = tanh(w_l a_{l-1} + b_l)`` by numerical differentiation."""
    def chain(a: Any) -> Any:
        for layer in range(1, N_LAYERS + 1):
            a = mpmath.tanh(v[f"w_{layer}"] * a + v[f"b_{layer}"])
        return a

    with mpmath.workdps(30):
        return float(mpmath.diff(chain, mpmath.mpf(v["a_0"])))


def derivations() -> list[Derivation]:
    return [derivative_bound(), second_derivative(), derivative_at_zero(), chain_product()]


def numpy_chain_gradient(activation=SIGMOID):
    """The derived ``d a_L / d a_0`` with ``f`` the given activation (default the sigmoid) as
    ``g(a0, w, b)`` (``w``, ``b`` sequences of length L)."""
    d = chain_product()
    e = d.expand().replace(f, activation).doit()
    g = sp.lambdify((a0, *ws, *bs), e, "numpy")
    return lambda x, w, b: float(g(x, *w, *b))
