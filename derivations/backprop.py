"""Backpropagation through a dense layer, checked on a concrete 2-2-1 network (chapter 4,
``backpropagation``; the code is ``algorithms.network``).

    z^(1) = W^(1) x + b^(1),   a^(1) = sigma(z^(1)),
    z^(2) = W^(2) a^(1) + b^(2),   a^(2) = sigma(z^(2))

With delta^(l) = dL/dz^(l):

    dL/dW^(l) = delta^(l) a^(l-1)^T       dL/db^(l) = delta^(l)
    delta^(1) = (W^(2)^T delta^(2)) * sigma'(z^(1))
    MSE  L = (a^(2) - y)^2:  delta^(2) = 2 (a^(2) - y) a^(2) (1 - a^(2))
    BCE  L = -[y log a^(2) + (1 - y) log(1 - a^(2))]:  delta^(2) = a^(2) - y   (sigma' cancels)

One sample (n = 1; the code divides by n). Entries are written out for one index (W_11, b_1, ...):
the others are the same with their own indices. Every result is also compared with ``sp.diff`` of
the whole composed loss, a function of the weights, the input and the label.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from mlv.derivations._build import A, D, M, frac, neg
from mlv.derivations.activations import SIGMOID, sigma
from mlv.derivations.steps import Derivation, Step

x1, x2, y = sp.symbols("x_1 x_2 y", real=True)
W1 = sp.Matrix(2, 2, lambda r, c: sp.Symbol(f"W^{{(1)}}_{{{r + 1}{c + 1}}}", real=True))
b1 = [sp.Symbol(f"b^{{(1)}}_{{{r + 1}}}", real=True) for r in range(2)]
W2 = [sp.Symbol(f"W^{{(2)}}_{{1{c + 1}}}", real=True) for c in range(2)]
b2 = sp.Symbol("b^{(2)}", real=True)
PARAMS = (*W1, *b1, *W2, b2)
SCALARS = (*PARAMS, x1, x2, y)

z1 = [sp.Symbol(f"z^{{(1)}}_{{{r + 1}}}", real=True) for r in range(2)]
a1 = [sp.Symbol(f"a^{{(1)}}_{{{r + 1}}}", real=True) for r in range(2)]
z2, a2 = sp.Symbol("z^{(2)}", real=True), sp.Symbol("a^{(2)}", real=True)
delta2 = sp.Symbol(r"\delta^{(2)}", real=True)
delta1 = sp.Symbol(r"\delta^{(1)}_{1}", real=True)

NETWORK = {
    sigma: SIGMOID,
    z1[0]: A(M(W1[0, 0], x1), M(W1[0, 1], x2), b1[0]),
    z1[1]: A(M(W1[1, 0], x1), M(W1[1, 1], x2), b1[1]),
    a1[0]: sigma(z1[0]), a1[1]: sigma(z1[1]),
    z2: A(M(W2[0], a1[0]), M(W2[1], a1[1]), b2),
    a2: sigma(z2),
}


def loss(kind: str) -> sp.Expr:
    if kind == "mse":
        return A(a2, neg(y)) ** 2
    return neg(A(M(y, sp.log(a2)), M(A(1, neg(y)), sp.log(A(1, neg(a2))))))


def _derivation(kind: str, id_: str, title: str, lhs: str, steps) -> Derivation:
    where = {**NETWORK, delta2: D(loss(kind), z2), delta1: D(loss(kind), z1[0])}
    return Derivation(id=f"backprop-{kind}-{id_}", title=f"{title} ({kind.upper()})", lhs=lhs,
                      steps=tuple(steps), scalars=SCALARS, where=where,
                      ranges={y: (0.0, 1.0)})


def output_delta(kind: str) -> Derivation:
    L = loss(kind)
    if kind == "mse":
        steps = [
            Step(D(L, z2), "δ is the derivative of the loss in the pre-activation z"),
            Step(M(2, A(a2, neg(y)), D(a2, z2)), "chain rule: d(u²) = 2u du"),
            Step(M(2, A(a2, neg(y)), a2, A(1, neg(a2))),
                 "a = σ(z) and σ' = σ(1 − σ): the code's 2/n (a − y) f'(z), n = 1",
                 derivative_of=(L, z2)),
        ]
    else:
        steps = [
            Step(D(L, z2), "δ is the derivative of the loss in the pre-activation z"),
            Step(M(-1, A(frac(y, a2), neg(frac(A(1, neg(y)), A(1, neg(a2))))), a2, A(1, neg(a2))),
                 "d(log u) = du / u, and da/dz = σ' = a(1 − a)"),
            Step(M(-1, A(M(y, A(1, neg(a2))), neg(M(A(1, neg(y)), a2)))),
                 "a(1 − a) cancels both denominators"),
            Step(A(a2, neg(y)), "σ' has cancelled: δ = a − y (for one sample; a batch averages)",
                 derivative_of=(L, z2)),
        ]
    return _derivation(kind, "output-delta", "Output delta", r"\delta^{(2)}", steps)


def output_weight(kind: str) -> Derivation:
    L = loss(kind)
    steps = [
        Step(D(L, W2[0]), "the loss depends on the weight only through z⁽²⁾"),
        Step(M(D(L, z2), D(z2, W2[0])), "chain rule through z⁽²⁾ = W⁽²⁾ a⁽¹⁾ + b⁽²⁾"),
        Step(M(delta2, a1[0]), "∂z/∂W₁₁ = a₁⁽¹⁾: entry (1, 1) of δ⁽²⁾ a⁽¹⁾ᵀ",
             derivative_of=(L, W2[0])),
    ]
    return _derivation(kind, "output-weight", "Gradient of an output weight",
                       r"\frac{\partial L}{\partial W^{(2)}_{11}}", steps)


def hidden_delta(kind: str) -> Derivation:
    L = loss(kind)
    steps = [
        Step(D(L, z1[0]), "δ of hidden unit 1"),
        Step(M(D(L, z2), D(z2, a1[0]), D(a1[0], z1[0])),
             "chain rule: z⁽¹⁾ → a⁽¹⁾ → z⁽²⁾ → L"),
        Step(M(delta2, W2[0], a1[0], A(1, neg(a1[0]))),
             "∂z⁽²⁾/∂a₁ = W⁽²⁾₁₁ and σ' = a(1 − a): entry 1 of (W⁽²⁾ᵀ δ⁽²⁾) ⊙ f'(z⁽¹⁾)",
             derivative_of=(L, z1[0])),
    ]
    return _derivation(kind, "hidden-delta", "Delta of a hidden unit", r"\delta^{(1)}_{1}",
                       steps)


def hidden_weight(kind: str) -> Derivation:
    L = loss(kind)
    steps = [
        Step(D(L, W1[0, 0]), "a first-layer weight"),
        Step(M(D(L, z1[0]), D(z1[0], W1[0, 0])), "chain rule through z₁⁽¹⁾"),
        Step(M(delta1, x1), "∂z₁/∂W₁₁ = x₁: entry (1, 1) of δ⁽¹⁾ xᵀ (a⁽⁰⁾ = x)",
             derivative_of=(L, W1[0, 0])),
    ]
    return _derivation(kind, "hidden-weight", "Gradient of a hidden weight",
                       r"\frac{\partial L}{\partial W^{(1)}_{11}}", steps)


def hidden_bias(kind: str) -> Derivation:
    L = loss(kind)
    steps = [
        Step(D(L, b1[0]), "a first-layer bias"),
        Step(M(D(L, z1[0]), D(z1[0], b1[0])), "chain rule through z₁⁽¹⁾"),
        Step(delta1, "∂z₁/∂b₁ = 1: the bias gradient is δ itself",
             derivative_of=(L, b1[0])),
    ]
    return _derivation(kind, "hidden-bias", "Gradient of a hidden bias",
                       r"\frac{\partial L}{\partial b^{(1)}_{1}}", steps)


BUILDERS = (output_delta, output_weight, hidden_delta, hidden_weight, hidden_bias)


def derivations() -> list[Derivation]:
    return [f(kind) for kind in ("mse", "bce") for f in BUILDERS]


def numpy_backward(kind: str):
    """The derived results as NumPy: ``f(params, x, y) -> dict`` with ``delta2``, ``dW2_11``,
    ``delta1_1``, ``dW1_11``, ``db1_1``, for ``params`` = [(W1, b1), (W2, b2)] as in
    ``algorithms.network``."""
    ds = {name: f(kind) for name, f in zip(("delta2", "dW2_11", "delta1_1", "dW1_11", "db1_1"),
                                           BUILDERS)}
    fs = {name: sp.lambdify(SCALARS, d.expand(), "numpy") for name, d in ds.items()}

    def f(params, x, yy):
        (Wa, ba), (Wb, bb) = params
        vals = [*np.ravel(Wa), *ba, *np.ravel(Wb), *np.ravel(bb), *x, float(yy)]
        return {name: float(g(*vals)) for name, g in fs.items()}

    return f
