"""Small builders for steps kept in their written form (nothing here is evaluated)."""
from __future__ import annotations

import sympy as sp


def M(*args: sp.Basic) -> sp.Expr:
    """A product as written: ``M(2, a, b)`` stays ``2 a b``."""
    return sp.Mul(*args, evaluate=False)


def A(*args: sp.Basic) -> sp.Expr:
    """A sum as written, terms in the given order."""
    return sp.Add(*args, evaluate=False)


def P(base: sp.Basic, exp: sp.Basic) -> sp.Expr:
    """A power as written."""
    return sp.Pow(base, exp, evaluate=False)


def neg(e: sp.Basic) -> sp.Expr:
    """``-e`` as written (``-(a + b)`` is not distributed)."""
    return sp.Mul(-1, e, evaluate=False)


def frac(num: sp.Basic, den: sp.Basic) -> sp.Expr:
    """``num / den`` as written."""
    if num == 1:
        return sp.Pow(den, -1, evaluate=False)
    return sp.Mul(num, sp.Pow(den, -1, evaluate=False), evaluate=False)


def D(e: sp.Basic, *v: sp.Basic) -> sp.Expr:
    """An unevaluated derivative."""
    return sp.Derivative(e, *v)
