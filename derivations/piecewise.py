"""Proving piecewise steps case by case.

The derivation names its cases (``regions``: ``y f < 0``, ``y f > 0``, the kink ``y f = 0``). On
every region each ``Piecewise`` is replaced by the branch that holds on the whole region (decided
symbolically on the kink's variable when there is a kink, else found at sample points) and the
branches are proven equal; both sides are also evaluated at rational sample points of each
region. On a kink, steps that still differentiate a non-smooth function, or are not defined
there, are not compared; a derivative claim's value on a kink must lie between the one-sided
derivatives (a subgradient: the code's convention).
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import sympy as sp

from mlv.derivations.algebra import (
    Memo,
    canon,
    concrete,
    evaluate,
    has_sum,
    is_zero,
    nonsmooth_derivative,
    undefined,
)
from mlv.derivations.prover import Proof, close, draw, num, unknowns
from mlv.derivations.steps import Derivation, Region

__all__ = ["prove_regions"]


def _select(e: sp.Basic, point: dict) -> sp.Basic | None:
    """``e`` with every ``Piecewise`` replaced by the branch that holds at ``point`` (None when
    some ``Piecewise`` has no branch there: undefined)."""
    missing: list[sp.Piecewise] = []

    def choose(pw: sp.Piecewise) -> sp.Basic:
        for expr, cond in pw.args:
            c = cond.xreplace(point)
            if c == sp.true:
                return expr
            if c != sp.false:
                raise ValueError(f"case condition {cond} is not decided at a sample point")
        missing.append(pw)
        return sp.S.Zero

    out = e.replace(lambda a: isinstance(a, sp.Piecewise), choose)
    return None if missing else out



def _region_points(d: Derivation, region: Region, symbols: list, rng: np.random.Generator,
                   k: int = 6) -> tuple[list[dict], sp.Basic | None]:
    cond = d.substitute(region.condition)
    symbols = unknowns(*symbols, cond) if not isinstance(cond, bool) else symbols
    if region.kink:
        if not isinstance(cond, sp.Eq):
            raise ValueError(f"kink {region.name!r} must be an equation (Eq)")
        sols = sp.solve(cond.lhs - cond.rhs, region.solve_for)
        if len(sols) != 1:
            raise ValueError(f"kink {region.name!r}: {cond} has {len(sols)} solutions for "
                             f"{region.solve_for}")
        others = [a for a in symbols if a != region.solve_for]
        points = []
        for _ in range(k):
            p = draw(d, others, rng, exact=True)
            p[region.solve_for] = sp.nsimplify(sols[0].xreplace(p))
            points.append(p)
        return points, sols[0]
    points, tries = [], 0
    while len(points) < k and tries < 600:
        tries += 1
        p = draw(d, symbols, rng, exact=True)
        if cond == sp.true or cond.xreplace(p) == sp.true:
            points.append(p)
    if len(points) < k:
        raise ValueError(f"region {region.name!r}: no sample points satisfy {cond}")
    return points, None


def _switch(d: Derivation) -> tuple[sp.Dummy, dict] | None:
    """The variable the case split is about: a kink ``Eq(s, c)`` solved for its symbol gives
    ``s = tau`` everywhere, so every case condition becomes a condition on ``tau`` alone."""
    for r in d.regions:
        if r.kink:
            cond = d.substitute(r.condition)
            sols = sp.solve(cond.lhs - _TAU, r.solve_for)
            if len(sols) == 1:
                return _TAU, {r.solve_for: sols[0]}
    return None


_TAU = sp.Dummy("tau", real=True)


def _tau_set(cond: sp.Basic, switch: tuple[sp.Dummy, dict], memo: Memo) -> sp.Set:
    key = (cond, tuple(switch[1].items()))
    if key not in memo.sets:
        memo.sets[key] = _tau_set_uncached(cond, switch)
    return memo.sets[key]


def _tau_set_uncached(cond: sp.Basic, switch: tuple[sp.Dummy, dict]) -> sp.Set:
    tau, sub = switch
    c = cond.xreplace(sub)
    c = c.replace(lambda a: isinstance(a, sp.core.relational.Relational),
                  lambda a: a.func(sp.simplify(a.lhs - a.rhs), 0))
    if c == sp.true:
        return sp.S.Reals
    if c == sp.false:
        return sp.S.EmptySet
    if c.free_symbols - {tau}:
        raise ValueError(f"the case condition {cond} is not decided by the regions' variable")
    return c.as_set()


def _select_on(e: sp.Basic, region_set: sp.Set, switch: tuple[sp.Dummy, dict],
               memo: Memo) -> sp.Basic | None:
    """``e`` with every ``Piecewise`` replaced by the branch that holds on the whole region,
    decided symbolically (a branch that holds on part of the region only is an error); None where
    no branch holds."""
    missing: list[sp.Piecewise] = []

    def choose(pw: sp.Piecewise) -> sp.Basic:
        for expr, cond in pw.args:
            branch = _tau_set(cond, switch, memo)
            if region_set.is_subset(branch):
                return expr
            if region_set.intersect(branch) != sp.S.EmptySet:
                raise ValueError(f"the case {cond} holds on part of a region only")
        missing.append(pw)
        return sp.S.Zero

    out = e.replace(lambda a: isinstance(a, sp.Piecewise), choose)
    return None if missing else out


def prove_regions(d: Derivation, a: sp.Basic, b: sp.Basic, rng: np.random.Generator,
                  n_values: Sequence[int], memo: Memo, claim: bool) -> Proof:
    """Prove ``a == b`` case by case: on each region, every ``Piecewise`` is replaced by the branch
    that holds there (found at sample points) and the branches are proven equal symbolically;
    both sides are also evaluated at the sample points."""
    A, B = evaluate(a), evaluate(b)
    n_val = int(rng.integers(3, 9))
    Ac, Bc = concrete(a, d.n, n_val), concrete(b, d.n, n_val)
    regions = d.regions or (Region("everywhere"),)
    free = unknowns(A, B, Ac, Bc)
    switch = _switch(d)
    cases, skipped = [], []
    one_sided: list[sp.Basic] = []      # a claim's value on each open region (for the kinks)
    for region in regions:
        if region.kink and claim:
            continue
        points, solution = _region_points(d, region, free, rng)
        if region.kink and (nonsmooth_derivative(a) or nonsmooth_derivative(b)):
            skipped.append(region.name)
            continue
        patterns: dict[tuple[sp.Basic, sp.Basic], dict | None] = {}
        gap = False
        for p in points:
            va, vb = num(Ac, p), num(Bc, p)
            if np.isnan(va).any() or np.isnan(vb).any():
                if region.kink:
                    gap = True
                    break
                return Proof(False, ("numeric", f"case {region.name}"),
                    f"case {region.name}: not defined at a sample point")
            if not close(va, vb):
                return Proof(False, ("numeric", f"case {region.name}"),
                    f"case {region.name}: numeric {va.real} != {vb.real}")
            sa, sb = _select(A, p), _select(B, p)
            if sa is None or sb is None:
                if region.kink:
                    gap = True
                    break
                return Proof(False, ("symbolic", f"case {region.name}"),
                    f"case {region.name}: a case split leaves it undefined")
            patterns[(sa, sb)] = p
        if gap:
            skipped.append(region.name)
            continue
        if switch is not None:
            # the branches taken on the region, decided symbolically from the conditions
            try:
                where_set = _tau_set(d.substitute(region.condition), switch, memo)
                sa = _select_on(A, where_set, switch, memo)
                sb = _select_on(B, where_set, switch, memo)
            except Exception as exc:
                return Proof(False, ("symbolic", f"case {region.name}"),
                    f"case {region.name}: {type(exc).__name__}: {exc}")
            if sa is None or sb is None:
                if region.kink:
                    skipped.append(region.name)
                    continue
                return Proof(False, ("symbolic", f"case {region.name}"),
                    f"case {region.name}: a case split leaves it undefined")
            patterns = {(sa, sb): None}
        for sa, sb in patterns:
            try:
                diff = canon(sa) - canon(sb)
                if solution is not None:
                    diff = diff.xreplace({region.solve_for: solution})
                ok = is_zero(diff, memo)
            except Exception as exc:
                return Proof(False, ("symbolic", f"case {region.name}"),
                    f"case {region.name}: symbolic check raised {type(exc).__name__}: {exc}")
            if not ok:
                return Proof(False, ("numeric", "symbolic", f"case {region.name}"),
                    f"case {region.name}: the branches differ symbolically")
            if claim and not region.kink:
                one_sided.append(sb)
        cases.append(region.name)
    if claim:   # the claimed value on a kink must be a subgradient: between the one-sided values
        for region in regions:
            if not region.kink:
                continue
            points, _ = _region_points(d, region, unknowns(A, *one_sided), rng)
            for p in points:
                v = num(Ac, p)
                if np.isnan(v).any():
                    continue
                sides = np.array([num(concrete(s, d.n, n_val), p) for s in one_sided]).real
                if not np.all((sides.min(axis=0) - 1e-12 <= v.real)
                              & (v.real <= sides.max(axis=0) + 1e-12)):
                    return Proof(False, ("subgradient", f"case {region.name}"),
                        f"{region.name}: {v.real} is not between the one-sided derivatives")
            cases.append(f"{region.name} (subgradient)")
    methods = ["numeric", "symbolic"] + [f"case {c}" for c in cases]
    methods += [f"{c}: not compared (kink)" for c in skipped]
    if (has_sum(a) or has_sum(b)) and d.n is not None:
        for n_val in n_values:
            ca, cb = concrete(a, d.n, n_val), concrete(b, d.n, n_val)
            if ca.has(sp.Piecewise) or cb.has(sp.Piecewise) or undefined(ca) or undefined(cb):
                continue        # covered case by case above, or not defined at this n
            if not is_zero(canon(ca) - canon(cb), memo):
                return Proof(False, (*methods, f"n={n_val}"), f"differs when n = {n_val}")
        methods.append(f"n={min(n_values)}..{max(n_values)}")
    return Proof(True, tuple(methods))

