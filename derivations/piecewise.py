"""Proving piecewise steps: every branch on its own part of the domain.

A step with a ``Piecewise`` (or a ``Max``, ``Min``, ``Heaviside``, written as one) is proven cell
by cell. When every case condition is about one quantity ``tau`` (the kink's ``y f`` solved for
``b``, or a single symbol such as ``z``: the :class:`Switch`), the conditions' boundaries cut the
real line of ``tau`` into *cells*: open intervals and the points between them. On every cell
each ``Piecewise`` is replaced by the branch that holds on the whole cell (decided symbolically
from the conditions), the two sides are proven equal symbolically, and both are evaluated at
rational points drawn inside the cell, however far out it lies (``tau = 50.5, 51, 60, 1050`` for
``tau > 50``).

Points between cells are the kinks. There no derivative exists: a side that still
differentiates a non-smooth function is not compared, and neither is a step that is not
defined there when the previous one is not either. A value at a kink appears only in the step
that claims to be the derivative (``derivative_of``), and it must be the derivation's declared
:class:`~mlv.derivations.steps.Convention`; the claim itself is checked there to be a
subgradient (between the one-sided derivatives) and, when the convention names the side that
owns the boundary, equal to that side's derivative. A step that is defined where the previous
one is, elsewhere, must agree there.

When the conditions are not about one quantity, the branches are found at sample points drawn
from ranges widened step by step (up to a million times the derivation's ``ranges``) and every
branch of every ``Piecewise`` must be reached by some point; one that is never reached is a
failure (declare the case split as ``regions``).

The derivation's named ``regions`` label the cells (``case z < 0``) and must cover them.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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
from mlv.derivations.prover import Proof, close, draw, num, unknowns, value_range
from mlv.derivations.steps import Convention, Derivation, Region

__all__ = ["TAU", "Cell", "Switch", "cells", "find_switch", "prove_regions", "sample_points"]

TAU = sp.Dummy("tau", real=True)


@dataclass(frozen=True)
class Switch:
    """The one quantity every case condition is about: ``tau = expr``; a point with a given
    ``tau`` has ``symbol = solution`` (``solution`` in ``tau`` and the other symbols)."""

    expr: sp.Basic
    symbol: sp.Symbol
    solution: sp.Basic

    def at(self, tau: sp.Basic) -> dict[sp.Basic, sp.Basic]:
        """The substitution that puts a point at ``tau``."""
        return {self.symbol: self.solution.xreplace({TAU: tau})}


@dataclass(frozen=True)
class Cell:
    """A part of the real line of ``tau`` on which no case condition changes: an open interval
    or a point (a kink), with the name of the region it lies in."""

    where: sp.Set
    name: str
    kink: Region | None = None        # the declared kink region, for a point that is one

    @property
    def point(self) -> sp.Basic | None:
        return next(iter(self.where)) if isinstance(self.where, sp.FiniteSet) else None


# ---------------------------------------------------------------------------- the case variable


def _relations(*exprs: sp.Basic) -> list[sp.Basic]:
    """``lhs - rhs`` of every relation in the case conditions of ``exprs``."""
    out: list[sp.Basic] = []
    for e in exprs:
        if isinstance(e, sp.MatrixBase):
            out += _relations(*list(e))
            continue
        conds = [c for pw in e.atoms(sp.Piecewise) for _, c in pw.args]
        if isinstance(e, (sp.core.relational.Relational, sp.logic.boolalg.Boolean)):
            conds.append(e)
        for c in conds:
            if isinstance(c, sp.core.relational.Relational):
                out.append(c.lhs - c.rhs)
            elif isinstance(c, sp.Basic):
                out += [r.lhs - r.rhs for r in c.atoms(sp.core.relational.Relational)]
    return out


def _decided(rel: sp.Basic, switch: Switch) -> bool:
    r = sp.simplify(rel.xreplace({switch.symbol: switch.solution}))
    return not (r.free_symbols - {TAU})


def find_switch(d: Derivation, *exprs: sp.Basic) -> Switch | None:
    """The quantity the case split is about: a declared kink ``Eq(s, c)`` solved for its
    ``solve_for`` (``tau = s``), else a relation of the conditions of ``exprs`` (``z``, or
    ``y f - 1``) solved for one of its symbols, when every condition then depends on ``tau``
    alone; None when there is none."""
    rels = _relations(*exprs, *(d.substitute(r.condition) for r in d.regions))
    for r in d.regions:
        if r.kink and r.solve_for is not None:
            cond = d.substitute(r.condition)
            sols = sp.solve(cond.lhs - TAU, r.solve_for)
            if len(sols) == 1:
                return Switch(cond.lhs, r.solve_for, sols[0])
    if not rels or any(rel.has(sp.Indexed) for rel in rels):
        return None
    for rel in rels:
        for s in sorted(rel.free_symbols, key=str):
            if not isinstance(s, sp.Symbol):
                continue
            sols = sp.solve(rel - TAU, s)
            if len(sols) != 1:
                continue
            switch = Switch(rel, s, sols[0])
            if all(_decided(other, switch) for other in rels):
                return switch
    return None


def _tau_set(cond: sp.Basic, switch: Switch, memo: Memo) -> sp.Set:
    key = (cond, switch.symbol, switch.solution)
    if key not in memo.sets:
        c = cond.xreplace({switch.symbol: switch.solution})
        c = c.replace(lambda a: isinstance(a, sp.core.relational.Relational),
                      lambda a: a.func(sp.simplify(a.lhs - a.rhs), 0))
        if c == sp.true:
            memo.sets[key] = sp.S.Reals
        elif c == sp.false:
            memo.sets[key] = sp.S.EmptySet
        elif c.free_symbols - {TAU}:
            raise ValueError(f"the case condition {cond} is not decided by {switch.expr}")
        else:
            memo.sets[key] = c.as_set()
    return memo.sets[key]


def _conditions(e: sp.Basic) -> list[sp.Basic]:
    if isinstance(e, sp.MatrixBase):
        return [c for x in e for c in _conditions(x)]
    return [c for pw in e.atoms(sp.Piecewise) for _, c in pw.args]


def _label(where: sp.Set, expr: sp.Basic) -> str:
    e = sp.sstr(expr)
    if where == sp.S.Reals:
        return "everywhere"
    if isinstance(where, sp.FiniteSet):
        return f"{e} = {sp.sstr(next(iter(where)))}"
    lo, hi = where.inf, where.sup
    if lo == -sp.oo:
        return f"{e} < {sp.sstr(hi)}"
    if hi == sp.oo:
        return f"{e} > {sp.sstr(lo)}"
    return f"{sp.sstr(lo)} < {e} < {sp.sstr(hi)}"


def cells(d: Derivation, exprs: Sequence[sp.Basic], switch: Switch, memo: Memo) -> list[Cell]:
    """The cells of the real line of ``tau`` cut by every case condition of ``exprs`` and of the
    derivation's regions, each named after the declared region it lies in (or described)."""
    regions = [(r, _tau_set(d.substitute(r.condition), switch, memo)) for r in d.regions]
    for r, s in regions:
        if s == sp.S.EmptySet:
            raise ValueError(f"region {r.name!r}: no point satisfies {r.condition}")
    sets = [_tau_set(c, switch, memo) for e in exprs for c in _conditions(e)]
    sets += [s for _, s in regions]
    points: set[sp.Basic] = set()
    for s in sets:
        b = s.boundary
        if isinstance(b, sp.FiniteSet):
            points |= {p for p in b if p.is_real and p.is_finite}
    ordered = sorted(points, key=lambda p: float(p))
    parts: list[sp.Set] = []
    edges = [-sp.oo, *ordered, sp.oo]
    for k in range(len(edges) - 1):
        parts.append(sp.Interval.open(edges[k], edges[k + 1]))
        if k + 1 < len(edges) - 1:
            parts.append(sp.FiniteSet(edges[k + 1]))
    out = []
    for part in parts:
        if part == sp.Interval.open(-sp.oo, sp.oo):
            part = sp.S.Reals
        owner = next((r for r, s in regions if part.is_subset(s)), None)
        if regions and owner is None:
            raise ValueError(f"no region contains {_label(part, switch.expr)}")
        name = owner.name if owner is not None else _label(part, switch.expr)
        out.append(Cell(part, name, owner if owner is not None and owner.kink else None))
    return out


def _select_on(e: sp.Basic, where: sp.Set, switch: Switch, memo: Memo) -> sp.Basic | None:
    """``e`` with every ``Piecewise`` replaced by the branch that holds on the whole cell; None
    where no branch holds (``e`` is not defined there)."""
    missing: list[sp.Piecewise] = []

    def choose(pw: sp.Piecewise) -> sp.Basic:
        for expr, cond in pw.args:
            branch = _tau_set(cond, switch, memo)
            if where.is_subset(branch):
                return expr
            if where.intersect(branch) != sp.S.EmptySet:
                raise ValueError(f"the case {cond} holds on part of a cell only")
        missing.append(pw)
        return sp.S.Zero

    out = e.replace(lambda a: isinstance(a, sp.Piecewise), choose)
    return None if missing else out


# ----------------------------------------------------------------------------------- sampling


def _taus(where: sp.Set, rng: np.random.Generator, k: int) -> list[sp.Basic]:
    """``k`` rational values of ``tau`` inside the cell; for an unbounded one, some far out."""
    if isinstance(where, sp.FiniteSet):
        return [next(iter(where))] * k
    lo, hi = where.inf, where.sup
    steps = [sp.Rational(1, 64), sp.Rational(1, 2), 3, 10, 40, 1000]
    if lo == -sp.oo and hi == sp.oo:
        return [sp.Rational(int(round(float(rng.uniform(-2, 2)) * 64)) or 1, 64)
                for _ in range(k)]
    if lo == -sp.oo:
        return [hi - steps[j % len(steps)] for j in range(k)]
    if hi == sp.oo:
        return [lo + steps[j % len(steps)] for j in range(k)]
    fractions = [sp.Rational(1, 64), sp.Rational(1, 2), sp.Rational(63, 64), sp.Rational(1, 4),
                 sp.Rational(3, 4), sp.Rational(1, 8)]
    return [lo + (hi - lo) * fractions[j % len(fractions)] for j in range(k)]


def _cell_points(d: Derivation, cell: Cell, symbols: Sequence[sp.Basic], switch: Switch,
                 rng: np.random.Generator, k: int = 6) -> list[dict]:
    """Rational points with ``tau`` inside the cell (``k`` of them, fewer where the switch's
    symbol would leave a range the derivation declares for it: its domain)."""
    others = [s for s in symbols if s != switch.symbol]
    if cell.where == sp.S.Reals:
        return [draw(d, [*others, switch.symbol], rng, exact=True) for _ in range(k)]
    declared = [(lo, hi) for s, lo, hi in d.ranges if s == switch.symbol]
    points = []
    for tau in _taus(cell.where, rng, k):
        p = draw(d, others, rng, exact=True)
        value = sp.nsimplify(switch.solution.xreplace({**p, TAU: tau}))
        if declared and not (value.is_real and declared[0][0] < value < declared[0][1]):
            continue
        p[switch.symbol] = value
        points.append(p)
    return points


_SCALES = (1, 4, 16, 64, 256, 1024, 10**4, 10**5, 10**6)


def _widened(d: Derivation, symbols: Sequence[sp.Basic], rng: np.random.Generator,
             scale: float) -> dict:
    """A rational point drawn from every range widened ``scale`` times (a range on one side of 0
    stays there)."""
    p: dict[sp.Basic, sp.Basic] = {}
    for a in symbols:
        lo, hi = value_range(d, a)
        lo2 = lo if lo >= 0 else lo * scale
        hi2 = hi if hi <= 0 else hi * scale
        u = float(rng.uniform(lo2, hi2))
        p[a] = sp.Rational(int(round(u * 64)) or 1, 64)
    return p


def _branch(pw: sp.Piecewise, point: dict) -> int | None:
    for k, (_, cond) in enumerate(pw.args):
        c = cond.xreplace(point)
        if c == sp.true:
            return k
        if c != sp.false:
            raise ValueError(f"case condition {cond} is not decided at a sample point")
    return None


def _select(e: sp.Basic, point: dict) -> sp.Basic | None:
    """``e`` with every ``Piecewise`` replaced by the branch that holds at ``point``."""
    missing: list[sp.Piecewise] = []

    def choose(pw: sp.Piecewise) -> sp.Basic:
        k = _branch(pw, point)
        if k is None:
            missing.append(pw)
            return sp.S.Zero
        return pw.args[k][0]

    out = e.replace(lambda a: isinstance(a, sp.Piecewise), choose)
    return None if missing else out


def _reaching_points(d: Derivation, exprs: Sequence[sp.Basic], symbols: Sequence[sp.Basic],
                     rng: np.random.Generator, region: sp.Basic) -> tuple[list[dict], list[str]]:
    """Points (in ``region``) that reach every branch of every ``Piecewise`` of ``exprs``, drawn
    from ranges widened step by step; and a description of each branch never reached."""
    pws = sorted({pw for e in exprs for pw in e.atoms(sp.Piecewise)}, key=sp.default_sort_key)
    wanted = {(j, k) for j, pw in enumerate(pws) for k in range(len(pw.args))}
    points: list[dict] = []
    for scale in _SCALES:
        for _ in range(40):
            p = _widened(d, symbols, rng, scale)
            if region != sp.true and region.xreplace(p) != sp.true:
                continue
            hit = {(j, _branch(pw, p)) for j, pw in enumerate(pws)}
            if scale == 1 and len(points) < 6 or hit & wanted:
                points.append(p)
            wanted -= hit
        if not wanted:
            break
    missed = [f"branch {k + 1} ({sp.sstr(pws[j].args[k][1])}) of {sp.sstr(pws[j])[:60]}"
              for j, k in sorted(wanted)]
    return points, missed


def sample_points(d: Derivation, e: sp.Basic, rng: np.random.Generator, memo: Memo,
                  k: int = 4) -> list[dict]:
    """Rational points at which to evaluate ``e`` (abbreviations expanded): ``k`` in every cell
    of its case split when it has one (the kinks and the far-out parts included), else ``k``
    drawn from the ranges."""
    E = evaluate(e)
    free = unknowns(E)
    switch = find_switch(d, E) if E.has(sp.Piecewise) or d.regions else None
    if switch is None:
        return [draw(d, free, rng, exact=True) for _ in range(k)]
    free = unknowns(E, switch.expr)
    return [p for cell in cells(d, [E], switch, memo)
            for p in _cell_points(d, cell, free, switch, rng, k)]


# -------------------------------------------------------------------------------------- proofs


def _fail(methods: Sequence[str], detail: str) -> Proof:
    return Proof(False, tuple(methods), detail)


def _equal_at(sa: sp.Basic, sb: sp.Basic, sub: dict, memo: Memo) -> bool:
    diff = canon(sa) - canon(sb)
    if sub:
        diff = diff.xreplace(sub)
    return is_zero(diff, memo)


def _convention_for(d: Derivation, cell: Cell) -> Convention | None:
    c = d.convention
    if c is None or cell.kink is None:
        return None
    return c if c.kink in (None, cell.kink.name) else None


def _prove_cells(d: Derivation, a: sp.Basic, b: sp.Basic, rng: np.random.Generator,
                 memo: Memo, claim: bool, chooses: bool, switch: Switch
                 ) -> tuple[Proof | None, list[str]]:
    A, B = evaluate(a), evaluate(b)
    n_val = int(rng.integers(3, 9))
    Ac, Bc = concrete(a, d.n, n_val), concrete(b, d.n, n_val)
    free = unknowns(A, B, Ac, Bc, switch.expr)
    a_rough, b_rough = nonsmooth_derivative(a), nonsmooth_derivative(b)
    done: list[str] = []
    the_cells = cells(d, [A, B], switch, memo)
    chosen: dict[int, tuple[sp.Basic | None, sp.Basic | None]] = {}
    for j, cell in enumerate(the_cells):
        label = f"case {cell.name}"
        try:
            sa = _select_on(A, cell.where, switch, memo)
            sb = _select_on(B, cell.where, switch, memo)
        except Exception as exc:
            return _fail(("symbolic", label), f"{cell.name}: {type(exc).__name__}: {exc}"), done
        chosen[j] = (sa, sb)
        p = cell.point
        if p is None:                                    # an open interval
            if sa is None or sb is None:
                return _fail(("symbolic", label),
                             f"{cell.name}: a case split leaves it undefined"), done
            sub: dict = {}
        else:                                            # a point between cells
            sub = switch.at(p)
            if a_rough:
                sa = None                    # no derivative of a non-smooth function here
            if b_rough:
                sb = None
            convention = _convention_for(d, cell)
            if claim:
                continue                     # the claim on the kinks: after every open cell
            if sa is None and sb is None:
                done.append(f"{cell.name}: not compared (kink)")
                continue
            if sb is None:
                return _fail(("symbolic", label), f"{cell.name}: not defined there, although "
                             "the previous step is"), done
            if sa is None:
                if not (chooses and convention is not None):
                    return _fail(("convention", label),
                                 f"{cell.name}: the step gives a value where the previous one "
                                 "has none; only the step that claims the derivative may, "
                                 "with the derivation's declared kink convention"), done
                sa = convention.value
                label = f"{cell.name}: convention"
        points = _cell_points(d, cell, free, switch, rng)
        if not points:
            done.append(f"{cell.name}: outside the ranges")
            continue
        compared = 0
        for point in points:
            if p is not None and sa is not None and label.endswith("convention"):
                va = num(concrete(d.substitute(sa), d.n, n_val), point)
            else:
                va = num(Ac, point)
            vb = num(Bc, point)
            if np.isnan(va).any() and np.isnan(vb).any():
                continue                     # neither side is defined at this point
            if np.isnan(va).any() or np.isnan(vb).any():
                return _fail(("numeric", label),
                             f"{cell.name}: only one side is defined at a sample point"), done
            if not close(va, vb):
                return _fail(("numeric", label),
                             f"{cell.name}: numeric {va.real} != {vb.real} at "
                             f"{switch.expr} = {sp.sstr(switch.expr.xreplace(point))}"), done
            compared += 1
        if not compared:
            done.append(f"{cell.name}: not defined there")
            continue
        try:
            ok = _equal_at(sa, sb, sub, memo)
        except Exception as exc:
            return _fail(("symbolic", label),
                         f"{cell.name}: symbolic check raised {type(exc).__name__}: {exc}"), done
        if not ok:
            return _fail(("numeric", "symbolic", label),
                         f"{cell.name}: the branches differ symbolically"), done
        if label not in done:
            done.append(label)
    if claim:
        failure = _prove_claim_kinks(d, the_cells, chosen, a_rough, switch, free, rng, memo,
                                     n_val, done)
        if failure is not None:
            return failure, done
    return None, done


def _prove_claim_kinks(d: Derivation, the_cells: list[Cell],
                       chosen: dict[int, tuple[sp.Basic | None, sp.Basic | None]],
                       a_rough: bool, switch: Switch, free: list, rng: np.random.Generator,
                       memo: Memo, n_val: int, done: list[str]) -> Proof | None:
    """On each kink, the claimed derivative's value: the declared convention, a subgradient
    (between the one-sided derivatives), and the owner's side when the convention names it."""
    for j, cell in enumerate(the_cells):
        p = cell.point
        if p is None:
            continue
        sa = None if a_rough else chosen[j][0]
        convention = _convention_for(d, cell)
        label = f"{cell.name} (subgradient)"
        if sa is None:
            if convention is not None:
                return _fail(("convention", label), f"{cell.name}: the convention gives "
                             f"{convention.value} there, the step nothing")
            done.append(f"{cell.name}: not compared (kink)")
            continue
        sub = switch.at(p)
        sides = [chosen[i][1] for i in (j - 1, j + 1) if i in chosen and chosen[i][1] is not None]
        points = _cell_points(d, cell, free, switch, rng)
        for point in points:
            v = num(concrete(sa, d.n, n_val), point)
            vals = np.array([num(concrete(s, d.n, n_val), point) for s in sides]).real
            if np.isnan(v).any() or not len(sides):
                return _fail(("subgradient", label), f"{cell.name}: no value to compare")
            if not np.all((vals.min(axis=0) - 1e-12 <= v.real)
                          & (v.real <= vals.max(axis=0) + 1e-12)):
                return _fail(("subgradient", label),
                             f"{cell.name}: {v.real} is not between the one-sided derivatives")
        if convention is not None:
            if not _equal_at(sa, convention.value, sub, memo):
                return _fail(("convention", label), f"{cell.name}: the step gives "
                             f"{sp.sstr(sa.xreplace(sub))}, the convention {convention.value}")
            if convention.owner is not None:
                owner = [i for i in (j - 1, j + 1) if i in chosen
                         and the_cells[i].name == convention.owner]
                if not owner or chosen[owner[0]][1] is None:
                    return _fail(("convention", label), f"{cell.name}: no side "
                                 f"{convention.owner!r} next to the kink")
                owned = chosen[owner[0]][1]
                assert owned is not None
                if not _equal_at(convention.value, owned, sub, memo):
                    return _fail(("convention", label),
                                 f"{cell.name}: the convention {convention.value} is not the "
                                 f"derivative on the side {convention.owner}")
            label = (f"{cell.name}: convention (the side {convention.owner})"
                     if convention.owner else f"{cell.name}: convention")
        done.append(label)
    return None


def _prove_sampled(d: Derivation, a: sp.Basic, b: sp.Basic, rng: np.random.Generator,
                   memo: Memo) -> tuple[Proof | None, list[str]]:
    """Without one case variable: branches found at points from widening ranges, every branch
    reached, every pattern of branches proven."""
    A, B = evaluate(a), evaluate(b)
    n_val = int(rng.integers(3, 9))
    Ac, Bc = concrete(a, d.n, n_val), concrete(b, d.n, n_val)
    free = unknowns(A, B, Ac, Bc)
    regions = d.regions or (Region("everywhere"),)
    done: list[str] = []
    never: set[str] | None = None           # branches no region's points reached
    for region in regions:
        label = f"case {region.name}"
        if region.kink:
            return _fail(("symbolic", label), f"{region.name}: the kink's condition does not "
                         "decide the case conditions"), done
        cond = d.substitute(region.condition)
        points, missed = _reaching_points(d, [Ac, Bc], free, rng, cond)
        if len(points) < 3:
            return _fail(("numeric", label), f"{region.name}: no sample points satisfy "
                         f"{cond}"), done
        never = set(missed) if never is None else never & set(missed)
        patterns: dict[tuple[sp.Basic, sp.Basic], dict] = {}
        for p in points:
            va, vb = num(Ac, p), num(Bc, p)
            if np.isnan(va).any() or np.isnan(vb).any():
                return _fail(("numeric", label), f"{region.name}: not defined at a sample "
                             "point"), done
            if not close(va, vb):
                return _fail(("numeric", label),
                             f"{region.name}: numeric {va.real} != {vb.real}"), done
            sa, sb = _select(A, p), _select(B, p)
            if sa is None or sb is None:
                return _fail(("symbolic", label),
                             f"{region.name}: a case split leaves it undefined"), done
            patterns.setdefault((sa, sb), p)
        for sa, sb in patterns:
            if not _equal_at(sa, sb, {}, memo):
                return _fail(("numeric", "symbolic", label),
                             f"{region.name}: the branches differ symbolically"), done
        done.append(label)
    if never:
        return _fail(("numeric", "branches"), f"never reached at sample points: "
                     f"{sorted(never)[0]}; declare the case split as regions"), done
    return None, done


def prove_regions(d: Derivation, a: sp.Basic, b: sp.Basic, rng: np.random.Generator,
                  n_values: Sequence[int], memo: Memo, claim: bool = False,
                  chooses: bool = False) -> Proof:
    """Prove ``a == b`` (abbreviations expanded) branch by branch. With ``claim``, ``b`` is the
    independent ``sp.diff`` and ``a`` the step claiming to be the derivative; ``chooses``: the
    step ``b`` is the one allowed to choose the value at a kink (it claims the derivative)."""
    A, B = evaluate(a), evaluate(b)
    switch = find_switch(d, A, B)
    if switch is not None:
        failure, done = _prove_cells(d, a, b, rng, memo, claim, chooses, switch)
    else:
        failure, done = _prove_sampled(d, a, b, rng, memo)
    if failure is not None:
        return failure
    methods = ["numeric", "symbolic", *done]
    if (has_sum(a) or has_sum(b)) and d.n is not None:
        for n_val in n_values:
            ca, cb = concrete(a, d.n, n_val), concrete(b, d.n, n_val)
            if ca.has(sp.Piecewise) or cb.has(sp.Piecewise) or undefined(ca) or undefined(cb):
                continue        # covered case by case above, or not defined at this n
            if not is_zero(canon(ca) - canon(cb), memo):
                return Proof(False, (*methods, f"n={n_val}"), f"differs when n = {n_val}")
        methods.append(f"n={min(n_values)}..{max(n_values)}")
    return Proof(True, tuple(methods))

