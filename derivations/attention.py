"""The gradient through attention, on a small case (chapter 5, ``attention-training``; the code is
``algorithms.attention.attention_backward``).

One query ``q`` and two keys ``k_1, k_2`` in d = 2 dimensions, scalar values ``v_1, v_2``:

    s_j = (q . k_j) / sqrt(2),    a_j = e^{s_j} / (e^{s_1} + e^{s_2}),    o = a_1 v_1 + a_2 v_2

    do/dq_1   = sum_j a_j (v_j - o) k_j1 / sqrt(2)  =  a_1 a_2 (v_1 - v_2)(k_11 - k_21) / sqrt(2)
    do/dk_11  = a_1 (v_1 - o) q_1 / sqrt(2)         =  a_1 a_2 (v_1 - v_2) q_1 / sqrt(2)

The middle form is the code's: ``dS = A * (dA - sum(A dA))`` with ``dA_j = v_j``, so
``dS_j = a_j (v_j - o)``, then ``dQ = dS K / sqrt(d)`` and ``dK = dS^T Q / sqrt(d)``. Each result
is also compared with ``sp.diff`` of ``o`` written out in exponentials.
"""
from __future__ import annotations

from typing import Any

import sympy as sp

from mlv.derivations._build import A, D, M, frac, neg
from mlv.derivations.steps import Derivation, Step

q = [sp.Symbol(f"q_{c}", real=True) for c in (1, 2)]
k = [[sp.Symbol(f"k_{{{j}{c}}}", real=True) for c in (1, 2)] for j in (1, 2)]
v = [sp.Symbol(f"v_{j}", real=True) for j in (1, 2)]
s = [sp.Symbol(f"s_{j}", real=True) for j in (1, 2)]
a = [sp.Symbol(f"a_{j}", real=True) for j in (1, 2)]
o = sp.Symbol("o", real=True)
ROOT = sp.sqrt(2)
SCALARS = (*q, *k[0], *k[1], *v)

ATTENTION = {
    o: A(M(a[0], v[0]), M(a[1], v[1])),
    a[0]: frac(sp.exp(s[0]), A(sp.exp(s[0]), sp.exp(s[1]))),
    a[1]: frac(sp.exp(s[1]), A(sp.exp(s[0]), sp.exp(s[1]))),
    s[0]: frac(A(M(q[0], k[0][0]), M(q[1], k[0][1])), ROOT),
    s[1]: frac(A(M(q[0], k[1][0]), M(q[1], k[1][1])), ROOT),
}


def _jac(j: int, i: int) -> sp.Expr:
    """``da_j/ds_i = a_j (delta_ji - a_i)``, as written."""
    return M(a[j], A(1, neg(a[i]))) if i == j else neg(M(a[j], a[i]))


def query_gradient() -> Derivation:
    steps = (
        Step(D(o, q[0]), "o = a₁v₁ + a₂v₂: the output's change with the query's first entry"),
        Step(A(M(v[0], D(a[0], q[0])), M(v[1], D(a[1], q[0]))),
             "the values do not depend on q: linearity"),
        Step(A(*(M(v[j], A(*(M(D(a[j], s[i]), D(s[i], q[0])) for i in range(2))))
                 for j in range(2))),
             "chain rule through the scores s₁, s₂"),
        Step(A(*(M(v[j], A(*(M(_jac(j, i), frac(k[i][0], ROOT)) for i in range(2))))
                 for j in range(2))),
             "the softmax Jacobian ∂aⱼ/∂sᵢ = aⱼ(δⱼᵢ − aᵢ), and ∂sᵢ/∂q₁ = kᵢ₁/√2"),
        Step(A(*(M(a[i], A(v[i], neg(o)), frac(k[i][0], ROOT)) for i in range(2))),
             "collect by key: Σᵢ aᵢ(vᵢ − o) kᵢ₁/√2, the code's dS = A ⊙ (dA − Σ A dA), dQ = dS K/√d"
             ),
        Step(M(a[0], a[1], A(v[0], neg(v[1])), A(k[0][0], neg(k[1][0])), frac(1, ROOT)),
             "a₁ + a₂ = 1, so v₁ − o = a₂(v₁ − v₂) and v₂ − o = −a₁(v₁ − v₂)",
             derivative_of=(o, q[0])),
    )
    return Derivation(id="attention-gradient-query", title="Gradient through attention: a query",
                      lhs=r"\frac{\partial o}{\partial q_1}", steps=steps, scalars=SCALARS,
                      where=ATTENTION)


def key_gradient() -> Derivation:
    steps = (
        Step(D(o, k[0][0]), "the output's change with the first key's first entry"),
        Step(A(M(v[0], D(a[0], s[0]), D(s[0], k[0][0])), M(v[1], D(a[1], s[0]), D(s[0], k[0][0]))),
             "k₁ enters only through its own score s₁: chain rule"),
        Step(A(M(v[0], _jac(0, 0), frac(q[0], ROOT)), M(v[1], _jac(1, 0), frac(q[0], ROOT))),
             "∂a₁/∂s₁ = a₁(1 − a₁), ∂a₂/∂s₁ = −a₂a₁, and ∂s₁/∂k₁₁ = q₁/√2"),
        Step(M(a[0], A(v[0], neg(o)), frac(q[0], ROOT)),
             "factor a₁ out, with o = a₁v₁ + a₂v₂: a₁(v₁ − o) q₁/√2, the code's dK = dSᵀ Q/√d"),
        Step(M(a[0], a[1], A(v[0], neg(v[1])), q[0], frac(1, ROOT)),
             "v₁ − o = a₂(v₁ − v₂), since a₁ + a₂ = 1", derivative_of=(o, k[0][0])),
    )
    return Derivation(id="attention-gradient-key", title="Gradient through attention: a key",
                      lhs=r"\frac{\partial o}{\partial k_{11}}", steps=steps, scalars=SCALARS,
                      where=ATTENTION)


def derivations() -> list[Derivation]:
    return [query_gradient(), key_gradient()]


def numpy_results() -> dict[str, Any]:
    """The two results as NumPy functions of ``(q_1, q_2, k_11, k_12, k_21, k_22, v_1, v_2)``:
    ``do_dq1`` and ``do_dk11``."""
    out = {}
    for name, d in zip(("do_dq1", "do_dk11"), derivations()):
        expr = d.result
        for _ in range(3):
            expr = expr.subs(ATTENTION)
        out[name] = sp.lambdify(SCALARS, expr, "numpy")
    return out
