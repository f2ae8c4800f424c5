"""The softmax's Jacobian and the gradient of softmax with cross-entropy (chapter 5, ``softmax``;
the code is ``algorithms.attention``).

    s_i = e^{z_i} / sum_j e^{z_j}
    ds_i/dz_j = s_i (delta_ij - s_j)          (diagonal: s_i (1 - s_i); off it: -s_i s_j)
    L = -sum_k y_k log s_k,  sum_k y_k = 1:   dL/dz_i = s_i - y_i        (p - y)

Three classes are written out (entry 1 for the diagonal, entry (1, 2) off it, and dL/dz_1); the
others are the same with their own indices. The labels sum to 1 (one-hot, or any distribution):
the checker reads ``y_3`` as ``1 - y_1 - y_2``. Every result is also compared with ``sp.diff``
of the softmax written out in exponentials.
"""
from __future__ import annotations

from typing import Any

import sympy as sp

from mlv.derivations._build import A, D, M, P, frac, neg
from mlv.derivations.steps import Derivation, Step

z = [sp.Symbol(f"z_{k}", real=True) for k in (1, 2, 3)]
s = [sp.Symbol(f"s_{k}", real=True) for k in (1, 2, 3)]
y = [sp.Symbol(f"y_{k}", real=True) for k in (1, 2, 3)]
L = sp.Symbol("L", real=True)
E = [sp.exp(v) for v in z]
SUM = A(*E)                                   # e^{z_1} + e^{z_2} + e^{z_3}, as written
SOFTMAX = {s[k]: frac(E[k], SUM) for k in range(3)}
LABELS_SUM_TO_ONE = {y[2]: A(1, neg(y[0]), neg(y[1]))}
CROSS_ENTROPY = neg(A(*(M(y[k], sp.log(s[k])) for k in range(3))))


def jacobian_diagonal() -> Derivation:
    steps = (
        Step(D(s[0], z[0]), "s₁ = exp(z₁) / Σⱼ exp(zⱼ): how s₁ moves with its own score"),
        Step(D(frac(E[0], SUM), z[0]), "write the softmax out"),
        Step(frac(A(M(E[0], SUM), neg(M(E[0], E[0]))), P(SUM, 2)),
             "quotient rule (u/v)′ = (u′v − uv′)/v²: u′ = v′ = exp(z₁)"),
        Step(A(frac(E[0], SUM), neg(M(frac(E[0], SUM), frac(E[0], SUM)))),
             "split the fraction"),
        Step(M(s[0], A(1, neg(s[0]))), "recognise s₁: s₁(1 − s₁), i.e. sᵢ(δᵢⱼ − sⱼ) with i = j",
             derivative_of=(s[0], z[0])),
    )
    return Derivation(id="softmax-jacobian-diagonal", title="Softmax Jacobian, on the diagonal",
                      lhs=r"\frac{\partial s_1}{\partial z_1}", steps=steps,
                      scalars=(*z,), where=SOFTMAX)


def jacobian_off_diagonal() -> Derivation:
    steps = (
        Step(D(s[0], z[1]), "how s₁ moves with another score, z₂"),
        Step(D(frac(E[0], SUM), z[1]), "write the softmax out"),
        Step(frac(neg(M(E[0], E[1])), P(SUM, 2)),
             "quotient rule: the numerator exp(z₁) does not depend on z₂, and v′ = exp(z₂)"),
        Step(neg(M(frac(E[0], SUM), frac(E[1], SUM))), "split into two factors"),
        Step(neg(M(s[0], s[1])), "recognise s₁ and s₂: −s₁s₂, i.e. sᵢ(δᵢⱼ − sⱼ) with δ₁₂ = 0",
             derivative_of=(s[0], z[1])),
    )
    return Derivation(id="softmax-jacobian-off-diagonal",
                      title="Softmax Jacobian, off the diagonal",
                      lhs=r"\frac{\partial s_1}{\partial z_2}", steps=steps,
                      scalars=(*z,), where=SOFTMAX)


def cross_entropy_gradient() -> Derivation:
    steps = (
        Step(D(L, z[0]), "L = −Σₖ yₖ log sₖ, the cross-entropy of the softmax"),
        Step(neg(A(*(M(y[k], frac(1, s[k]), D(s[k], z[0])) for k in range(3)))),
             "d(log u) = du / u, for each of the three terms"),
        Step(neg(A(M(y[0], frac(1, s[0]), s[0], A(1, neg(s[0]))),
                   M(y[1], frac(1, s[1]), neg(M(s[1], s[0]))),
                   M(y[2], frac(1, s[2]), neg(M(s[2], s[0]))))),
             "the softmax Jacobian: ∂s₁/∂z₁ = s₁(1 − s₁), ∂sₖ/∂z₁ = −sₖs₁ for k ≠ 1"),
        Step(neg(A(M(y[0], A(1, neg(s[0]))), neg(M(y[1], s[0])), neg(M(y[2], s[0])))),
             "each sₖ cancels against its 1/sₖ"),
        Step(A(M(s[0], A(y[0], y[1], y[2])), neg(y[0])), "collect the terms in s₁"),
        Step(A(s[0], neg(y[0])),
             "the labels sum to 1: the gradient is s₁ − y₁, the entry of p − y",
             derivative_of=(L, z[0])),
    )
    return Derivation(id="softmax-cross-entropy-gradient",
                      title="Softmax with cross-entropy: the gradient p − y",
                      lhs=r"\frac{\partial L}{\partial z_1}", steps=steps,
                      scalars=(*z, y[0], y[1]),
                      where={L: CROSS_ENTROPY, **SOFTMAX, **LABELS_SUM_TO_ONE},
                      ranges={y[0]: (0.0, 0.5), y[1]: (0.0, 0.5)})


def derivations() -> list[Derivation]:
    return [jacobian_diagonal(), jacobian_off_diagonal(), cross_entropy_gradient()]


def numpy_results() -> dict[str, Any]:
    """The derived results as NumPy functions of ``(z_1, z_2, z_3[, y_1, y_2])``: ``ds1_dz1``,
    ``ds1_dz2`` and ``dL_dz1``."""
    out = {}
    for name, d in zip(("ds1_dz1", "ds1_dz2", "dL_dz1"), derivations()):
        expr = d.result.subs(LABELS_SUM_TO_ONE).subs(SOFTMAX)
        out[name] = sp.lambdify(d.scalars, expr, "numpy")
    return out



