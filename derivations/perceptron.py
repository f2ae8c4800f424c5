"""The perceptron criterion, its subgradient, and the hinge loss beside it (chapter 3).

For one point (x, y), y in {-1, +1}, two features written out, f = w_1 x_1 + w_2 x_2 + b:

    perceptron criterion   max(0, -y f)        0 for every correctly classified point
    hinge loss             max(0, 1 - y f)     also punishes correct points with y f < 1 (a margin)

    d/dw_1 max(0, -y f) = -y x_1 if y f < 0,  0 if y f > 0;  at y f = 0 there is no derivative and
    the perceptron (``algorithms.perceptron``, like scikit-learn) takes -y x_1: it updates on
    ``y f <= 0``, which is what lets it leave w = 0. Averaged over the n points this is
    ``perceptron.criterion_subgradient``.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import sympy as sp

from mlv.derivations._build import A, D, M, neg
from mlv.derivations.steps import Convention, Derivation, Reference, Region, Step

w1, w2, b, x1, x2 = sp.symbols("w_1 w_2 b x_1 x_2", real=True)
y = sp.Symbol("y", real=True)
SCALARS = (w1, w2, b, x1, x2, y)


def score() -> sp.Expr:
    """``w_1 x_1 + w_2 x_2 + b`` (``w^T x + b``)."""
    return A(M(w1, x1), M(w2, x2), b)


def margin() -> sp.Expr:
    """``y (w^T x + b)``: positive when the point is on the right side."""
    return M(y, score())


def _regions(at: int) -> tuple[Region, ...]:
    m = margin()
    return (Region(f"y f < {at}", m < at), Region(f"y f > {at}", m > at),
            Region(f"y f = {at} (kink)", sp.Eq(m, at), solve_for=b))


def _loss(at: int) -> sp.Expr:
    return sp.Max(0, A(at, neg(margin())) if at else neg(margin()))


def _cases(at: int, id_: str, title: str, reason0: str) -> Derivation:
    m = margin()
    inside = A(at, neg(m)) if at else neg(m)
    steps = (
        Step(_loss(at), reason0),
        Step(sp.Piecewise((inside, m < at), (0, True)),
             f"case split: the max is its first argument exactly when y f < {at}"),
    )
    return Derivation(id=id_, title=title, lhs=r"\ell(w, b)", steps=steps, scalars=SCALARS,
                      regions=_regions(at),
                      reference=Reference(f"NumPy: np.maximum(0, {at} − y (w·x + b)) in every "
                                          "case, the kink included" if at else
                                          "NumPy: np.maximum(0, −y (w·x + b)) in every case, "
                                          "the kink included", function=numpy_loss(at)))


def numpy_loss(at: int) -> Any:
    """``max(0, at - y (w . x + b))`` for one point, in NumPy."""
    def loss(**v: Any) -> float:
        f = v["w_1"] * v["x_1"] + v["w_2"] * v["x_2"] + v["b"]
        return float(np.maximum(0.0, at - v["y"] * f))

    return loss


def criterion_cases() -> Derivation:
    return _cases(0, "perceptron-criterion", "The perceptron criterion, case by case",
                  "the perceptron criterion: a point costs −y f only when it is misclassified "
                  "(it is not the hinge loss)")


def hinge_cases() -> Derivation:
    return _cases(1, "hinge-loss", "The hinge loss, case by case (for contrast)",
                  "the hinge loss: the 1 adds a margin, so correct points with y f < 1 cost too")


_SUB = {w1: "w₁", w2: "w₂", x1: "x₁", x2: "x₂", b: "b", sp.Integer(1): "1"}   # for the reasons


def _subgradient(at: int, theta: sp.Symbol, id_: str, title: str) -> Derivation:
    m = margin()
    inside = A(at, neg(m)) if at else neg(m)
    inner = {w1: x1, w2: x2, b: sp.Integer(1)}[theta]
    value = M(-1, y, inner) if inner != 1 else M(-1, y)
    cmp_kink = (m <= at) if at == 0 else (m < at)
    kink_text = ("the perceptron takes the mistake's value there: it updates on y f ≤ 0"
                 if at == 0 else "we take 0 there (no update on the margin)")
    steps = (
        Step(D(_loss(at), theta), "the loss of one point"),
        Step(sp.Piecewise((D(inside, theta), m < at), (D(sp.Integer(0), theta), m > at)),
             f"away from the kink y f = {at} the max is one smooth piece: differentiate it"),
        Step(sp.Piecewise((value, m < at), (0, m > at)),
             f"∂f/∂{_SUB.get(theta, theta)} = {_SUB.get(inner, inner)}, times −y"),
        Step(sp.Piecewise((value, cmp_kink), (0, True)),
             f"at the kink any value between the two sides is a subgradient; {kink_text}",
             derivative_of=(_loss(at), theta)),
    )
    lhs = r"\frac{\partial \ell}{\partial " + sp.latex(theta) + "}"
    return Derivation(id=id_, title=title, lhs=lhs, steps=steps, scalars=SCALARS,
                      regions=_regions(at), convention=convention(at, theta))


def convention(at: int, theta: sp.Symbol) -> Convention:
    """The value on the kink ``y f = at``: the perceptron (``at = 0``) takes the mistake's side,
    ``-y x_1`` (it updates on ``y f <= 0``, as ``algorithms.perceptron`` does); for the hinge
    loss (``at = 1``) we take the correct side's 0 (no update on the margin)."""
    inner = {w1: x1, w2: x2, b: sp.Integer(1)}[theta]
    if at == 0:
        return Convention(-y * inner, owner=f"y f < {at}")
    return Convention(sp.Integer(0), owner=f"y f > {at}")


def subgradient_w1() -> Derivation:
    return _subgradient(0, w1, "perceptron-subgradient-w1",
                        "Subgradient of the perceptron criterion in w₁")


def subgradient_b() -> Derivation:
    return _subgradient(0, b, "perceptron-subgradient-b",
                        "Subgradient of the perceptron criterion in b")


def hinge_subgradient_w1() -> Derivation:
    return _subgradient(1, w1, "hinge-subgradient-w1", "Subgradient of the hinge loss in w₁")


def derivations() -> list[Derivation]:
    return [criterion_cases(), subgradient_w1(), subgradient_b(), hinge_cases(),
            hinge_subgradient_w1()]


def numpy_criterion_subgradient():
    """The derived subgradient averaged over the points: ``f(X, y, w, b) -> [dw_1, dw_2, db]``
    (``dw_2`` is the ``dw_1`` result with the features swapped: the derivation is symmetric)."""
    gw, gb = subgradient_w1().numpy_function(), subgradient_b().numpy_function()

    def f(X, ys, w, bias):
        X, ys = np.asarray(X, float), np.asarray(ys, float)
        rows = []
        for (a1, a2), yy in zip(X, ys):
            kw = dict(w_1=w[0], w_2=w[1], b=bias, y=yy)
            rows.append([gw(x_1=a1, x_2=a2, **kw),
                         gw(x_1=a2, x_2=a1, **{**kw, "w_1": w[1], "w_2": w[0]}),
                         gb(x_1=a1, x_2=a2, **kw)])
        return np.mean(np.array(rows, float), axis=0)

    return f


def numpy_criterion():
    """The criterion (mean over points) from the derivation's case split."""
    g = criterion_cases().numpy_function()

    def f(X, ys, w, bias):
        return float(np.mean([g(w_1=w[0], w_2=w[1], b=bias, x_1=a[0], x_2=a[1], y=yy)
                              for a, yy in zip(np.asarray(X, float), ys)]))

    return f
