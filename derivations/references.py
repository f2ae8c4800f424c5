"""Comparing a derivation's result with a numeric reference computed another way.

A :class:`~mlv.derivations.steps.Reference` with a ``function`` (a simulation of the recurrence,
NumPy's eigendecomposition, the likelihood evaluated directly, a numerical derivative) is
compared with the result at sample points: for three concrete ``n`` when the derivation has
sums, in every cell of the result's case split when it has one (the kinks and the far-out parts
included), else at points of the derivation's ranges. The result is evaluated by SymPy to 30
digits; the reference in floating point (or mpmath), so they must agree to ``rtol = 1e-8``.
"""
from __future__ import annotations

import hashlib
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import sympy as sp

from mlv.derivations.algebra import Memo, concrete, substitute
from mlv.derivations.piecewise import sample_points
from mlv.derivations.prover import Proof, draw, num
from mlv.derivations.steps import Derivation, Reference

__all__ = ["prove_numeric_reference", "source_digest"]

RTOL, ATOL = 1e-8, 1e-10


def source_digest(*functions: Callable[..., Any] | None) -> str:
    """A hash of the source files that define ``functions`` (a changed reference is compared
    again), or of their ``repr`` where the source cannot be found (never reused across runs)."""
    h = hashlib.sha256()
    for f in functions:
        if f is None:
            continue
        try:
            h.update(Path(inspect.getsourcefile(f) or "").read_bytes())
            h.update(f.__qualname__.encode())
        except (TypeError, OSError):
            h.update(repr(f).encode())
    return h.hexdigest()


def _columns(e: sp.Basic, base: sp.IndexedBase) -> int:
    """How many features a data base has in ``e`` (0: indexed once)."""
    seconds = [a.indices[1] for a in e.atoms(sp.Indexed) if a.base == base and len(a.indices) > 1]
    return int(max(seconds)) if seconds else 0


def _named(d: Derivation, point: dict, n_val: int | None, cols: dict) -> dict[str, Any]:
    values: dict[str, Any] = {str(s): float(point[s]) for s in d.scalars}
    for base in d.data:
        k = cols[base]
        if n_val is None:
            continue
        if k:
            values[str(base.label)] = np.array(
                [[float(point[base[i, j]]) for j in range(1, k + 1)]
                 for i in range(1, n_val + 1)])
        else:
            values[str(base.label)] = np.array([float(point[base[i]])
                                                for i in range(1, n_val + 1)])
    if d.n is not None and n_val is not None and str(d.n) not in values:
        values[str(d.n)] = n_val
    return values


def _point(d: Derivation, values: dict[str, Any], n_val: int | None, cols: dict) -> dict:
    """The SymPy point of (possibly prepared) named values."""
    point: dict[sp.Basic, sp.Basic] = {s: sp.Float(values[str(s)], 30) for s in d.scalars}
    for base in d.data:
        arr = np.asarray(values[str(base.label)], float)
        if n_val is None:
            continue
        for i in range(1, n_val + 1):
            if cols[base]:
                for j in range(1, cols[base] + 1):
                    point[base[i, j]] = sp.Float(arr[i - 1, j - 1], 30)
            else:
                point[base[i]] = sp.Float(arr[i - 1], 30)
    return point


def prove_numeric_reference(d: Derivation, ref: Reference, rng: np.random.Generator,
                            memo: Memo) -> Proof:
    """The result against ``ref.function`` at sample points (see the module docstring)."""
    assert ref.function is not None
    try:
        e = d.substitute(d.result)
        if ref.functions:
            e = substitute(ref.functions, e).doit()
        rounds = (3, 5, 8) if d.n is not None else (None,)
        count = 0
        for n_val in rounds:
            ec = concrete(e, d.n, n_val) if n_val is not None else concrete(e, None, 0)
            cols = {base: _columns(ec, base) for base in d.data}
            points = sample_points(d, ec, rng, memo, k=4 if n_val is not None else 8)
            entries = [base[(i, j) if cols[base] else i] for base in d.data
                       for i in range(1, (n_val or 0) + 1)
                       for j in (range(1, cols[base] + 1) if cols[base] else (0,))]
            for p in points:
                missing = [s for s in (*d.scalars, *entries) if s not in p]
                p = {**p, **draw(d, missing, rng, exact=True)}
                values = _named(d, p, n_val, cols)
                if ref.prepare is not None:
                    values = ref.prepare(dict(values))
                    p = _point(d, values, n_val, cols)
                got = num(ec, p)
                want = np.asarray(ref.function(**values), dtype=complex).ravel()
                if np.isnan(got).any() or not np.all(np.isfinite(want)):
                    return Proof(False, ("numeric reference",),
                                 f"not defined at a sample point ({ref.what})")
                if not np.allclose(got, want, rtol=RTOL, atol=ATOL):
                    shown = {k: v for k, v in values.items() if np.ndim(v) == 0}
                    return Proof(False, ("numeric reference",),
                                 f"{got.real} != {want.real} ({ref.what}) at {shown}")
                count += 1
        return Proof(True, ("numeric reference", f"{count} points"))
    except Exception as exc:  # a failure to compute is a failure, never a pass
        return Proof(False, ("numeric reference",),
                     f"reference raised {type(exc).__name__}: {exc}")
