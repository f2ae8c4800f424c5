"""Proving one step equal to the previous one when no case split is involved, and the numeric
tools every proof uses.

* **numeric** (first: it rejects most wrong steps in milliseconds): both sides evaluated at random
  values drawn from the derivation's ``ranges`` (a random ``n`` too), in complex arithmetic;
* **symbolic**: ``canon(a) - canon(b)`` proven 0 (:mod:`mlv.derivations.algebra`);
* **n = 1..5** (steps containing a sum over an index): the sum written out for each concrete ``n``
  (where it is defined) and the difference proven 0, one sample's terms at a time.

A derivative claim's independent side is :func:`claimed_derivative`: ``sp.diff`` of the expanded
function (a gradient for a vector variable).
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import sympy as sp

from mlv.derivations.algebra import (
    Memo,
    canon,
    concrete,
    evaluate,
    has_sum,
    is_zero,
    undefined,
)
from mlv.derivations.steps import Derivation

__all__ = ["Proof", "claimed_derivative", "close", "draw", "num", "prove_plain", "unknowns"]


class Proof(NamedTuple):
    """The outcome of one proof: whether it holds, the methods that proved (or refuted) it, and
    what failed."""

    ok: bool
    methods: tuple[str, ...]
    detail: str = ""


def unknowns(*exprs: sp.Basic) -> list[sp.Basic]:
    """The symbols and indexed entries a numeric check must give values to, in a stable order."""
    found: set[sp.Basic] = set()
    labels: set[sp.Basic] = set()
    for e in exprs:
        for a in e.atoms(sp.Indexed):
            found.add(a)
            labels.add(a.base.label)
        found |= {s for s in e.free_symbols if isinstance(s, sp.Symbol)}
    found -= labels
    return sorted(found, key=sp.srepr)


def value_range(d: Derivation, a: sp.Basic) -> tuple[float, float]:
    """Where ``a`` (a symbol, or an entry of an ``IndexedBase``) is drawn from."""
    key = a.base if isinstance(a, sp.Indexed) else a
    for s, lo, hi in d.ranges:
        if s == key or (isinstance(s, sp.IndexedBase) and s == key):
            return lo, hi
    if getattr(key, "is_positive", False) or getattr(key, "is_nonnegative", False):
        return 0.1, 2.0
    return -2.0, 2.0


def draw(d: Derivation, symbols: Sequence[sp.Basic], rng: np.random.Generator,
         exact: bool = False) -> dict[sp.Basic, sp.Basic | float]:
    """A value for each of ``symbols`` drawn from its range: a float, or with ``exact`` a
    rational (with denominator 64) strictly inside the range and never 0."""
    values: dict[sp.Basic, sp.Basic | float] = {}
    for a in symbols:
        lo, hi = value_range(d, a)
        u = float(rng.uniform(lo, hi))
        if exact:   # a rational: case conditions such as y (w x + b) <= 0 are decided exactly
            k = min(max(round(u * 64), math.floor(lo * 64) + 1), math.ceil(hi * 64) - 1)
            values[a] = sp.Rational(k or 1, 64)     # inside (lo, hi), and never exactly 0
        else:
            values[a] = u
    return values


_U = sp.Dummy("u")
TEST_FUNCTION = sp.Lambda(_U, sp.sin(_U) + _U**3 / 5)


def concrete_functions(e: sp.Basic) -> sp.Basic:
    """An identity claimed for every function f must hold for one: undefined functions that are
    left (a generic activation f) become sin(u) + u³/5 for the numeric checks."""
    fs = {a.func for a in e.atoms(sp.core.function.AppliedUndef)}
    if not fs:
        return e
    for f in fs:
        e = e.replace(f, TEST_FUNCTION)
    return e.doit()


def num(e: sp.Basic, values: dict) -> np.ndarray:
    """``e`` (a number or a matrix) at ``values``, in complex arithmetic to 30 digits; NaN where
    it is not defined."""
    e = concrete_functions(e)
    cells = list(e) if isinstance(e, sp.MatrixBase) else [e]
    out = []
    for c in cells:
        try:
            v = sp.N(c.xreplace(values), 30)
        except (TypeError, ValueError, ZeroDivisionError):
            v = sp.nan
        out.append(complex(v) if v.is_number and v is not sp.nan and v.is_finite is not False
                   else complex("nan"))
    return np.array(out)


def close(va: np.ndarray, vb: np.ndarray) -> bool:
    return va.shape == vb.shape and bool(np.allclose(va, vb, rtol=1e-9, atol=1e-12))


def prove_plain(d: Derivation, a: sp.Basic, b: sp.Basic, rng: np.random.Generator,
                n_values: Sequence[int], memo: Memo) -> Proof:
    """``a == b`` (both with the abbreviations expanded): numeric spot check, then symbolic, then
    every concrete n (the cheapest check first: a wrong step is usually rejected in
    milliseconds)."""
    methods: list[str] = []
    n_val = int(rng.integers(3, 9))
    ea, eb = concrete(a, d.n, n_val), concrete(b, d.n, n_val)
    values = draw(d, unknowns(ea, eb), rng)
    va, vb = num(ea, values), num(eb, values)
    if not close(va, vb) or np.isnan(va).any():
        return Proof(False, ("numeric",), f"numeric: {va.real} != {vb.real}")
    methods.append("numeric")
    try:
        sym_ok = is_zero(canon(evaluate(a)) - canon(evaluate(b)), memo)
    except Exception as exc:  # a SymPy failure is a failure to prove, never a pass
        return Proof(False, (*methods, "symbolic"),
                     f"symbolic check raised {type(exc).__name__}: {exc}")
    if not sym_ok:
        return Proof(False, (*methods, "symbolic"), "symbolic difference does not simplify to 0")
    methods.append("symbolic")
    if (has_sum(a) or has_sum(b)) and d.n is not None:
        done = []
        for n_val in n_values:
            ca, cb = concrete(a, d.n, n_val), concrete(b, d.n, n_val)
            if undefined(ca) or undefined(cb):
                continue            # 1/(n - 1) at n = 1: the formula does not apply
            if not is_zero(canon(ca) - canon(cb), memo):
                return Proof(False, (*methods, f"n={n_val}"), f"differs when n = {n_val}")
            done.append(n_val)
        if len(done) < 3:
            return Proof(False, (*methods, "n"), "fewer than 3 concrete n where it is defined")
        methods.append(f"n={min(done)}..{max(done)}")
    return Proof(True, tuple(methods))


def claimed_derivative(d: Derivation, f: sp.Basic, var: sp.Basic) -> sp.Basic:
    """``sp.diff(f, var)`` on the expanded ``f``; a gradient when ``var`` is a vector."""
    defs = {o for o, _ in d.where if not isinstance(o, sp.FunctionClass)}
    if var in defs and not isinstance(var, sp.MatrixSymbol):
        # a partial derivative in an abbreviation (dL/dz with z = W a + b): z held as the variable
        return evaluate(d.substitute(sp.Derivative(f, var)))
    F = evaluate(d.substitute(f))
    if isinstance(F, sp.MatrixBase) and F.shape == (1, 1):
        F = F[0, 0]
    v = d.substitute(var)
    if isinstance(v, (sp.MatrixBase, list, tuple)):
        cells = list(v)
        return sp.ImmutableMatrix(len(cells), 1, [sp.diff(F, c) for c in cells])
    return sp.diff(F, v)

