"""Mutation testing of the checker over every derivation: each step is corrupted in turn (a sign
flipped, one term scaled by 2, one term dropped, an index swapped, a case condition reversed, a
kink given to the other side (``<`` for ``<=``) or another value on the kink, a wrong branch far
from where the default samples land) and the checker must reject every mutant, at that step. A
mutant that the checker accepts is a survivor, unless it is mathematically the same as the step
(dropping a constant under d/dθ, swapping two factors of a product, ``<=`` for ``<`` where both
sides agree on the boundary): such a mutant is no corruption; it is recognised by evaluating both
at 60 random points and at points of every cell of their case splits (kinks and far-out parts
included), and counted apart.

A second test corrupts the last step only and asks the independent reference alone (the
derivation's ``reference``, or the ``sp.diff`` of its last step's derivative claim) to reject
every such mutant: each derivation's result is checked by something other than the chain of
steps."""
import re

import numpy as np
import sympy as sp

from mlv.derivations import all_derivations
from mlv.derivations.algebra import Memo, concrete, evaluate
from mlv.derivations.piecewise import sample_points
from mlv.derivations.proofs import ProofCache, check
from mlv.derivations.prover import draw, num, unknowns

_FLIP = {sp.StrictLessThan: sp.StrictGreaterThan, sp.StrictGreaterThan: sp.StrictLessThan,
         sp.LessThan: sp.GreaterThan, sp.GreaterThan: sp.LessThan}
_CLOSE = {sp.StrictLessThan: sp.LessThan, sp.LessThan: sp.StrictLessThan,      # who owns the
          sp.StrictGreaterThan: sp.GreaterThan, sp.GreaterThan: sp.StrictGreaterThan}  # kink


def _rebuild(e, args):
    if isinstance(e, (sp.Add, sp.Mul)):
        return e.func(*args, evaluate=False)
    if isinstance(e, (sp.MatAdd, sp.MatMul)):
        return e.func(*args, evaluate=False)
    return e.func(*args)


def _map_first(e, match, change):
    """``e`` with the first node (pre-order) for which ``match`` holds replaced by
    ``change(node)``; None when no node matches."""
    if match(e):
        return change(e)
    if isinstance(e, sp.MatrixBase) or not e.args:
        return None
    for k, a in enumerate(e.args):
        if not isinstance(a, sp.Basic):
            continue
        new = _map_first(a, match, change)
        if new is not None:
            args = list(e.args)
            args[k] = new
            try:
                return _rebuild(e, args)
            except Exception:
                return None
    return None


def _is_add(e):
    return isinstance(e, (sp.Add, sp.MatAdd)) and len(e.args) >= 2


def _index_swap(expr):
    """Swap an index: x_i -> x_(i+1) inside a sum, x_(i,1) -> x_(i,2), or two symbols that differ
    only by their subscript digit (w_1 <-> w_2)."""
    indexed = sorted(expr.atoms(sp.Indexed), key=sp.default_sort_key)
    for a in indexed:
        idx = list(a.indices)
        if len(idx) > 1 and idx[-1].is_Integer:
            idx[-1] = 3 - idx[-1] if idx[-1] in (1, 2) else idx[-1] + 1
        elif idx[0].is_Symbol:
            idx[0] = idx[0] + 1
        else:
            continue
        return expr.xreplace({a: a.base[tuple(idx)]})
    syms = sorted((s for s in expr.free_symbols if isinstance(s, sp.Symbol)), key=str)
    for s in syms:
        m = re.search(r"(\d)(\D*)$", s.name)
        if not m:
            continue
        other = s.name[:m.start(1)] + str(3 - int(m.group(1)) if m.group(1) in "12" else 1) + \
            m.group(2)
        twin = next((t for t in syms if t.name == other), None)
        if twin is not None:
            return expr.xreplace({s: twin, twin: s})
    return None


def _relations(expr):
    return sorted({r for pw in expr.atoms(sp.Piecewise) for _, c in pw.args
                   for r in ([c] if type(c) in _CLOSE else c.atoms(sp.core.relational.Relational))
                   if type(r) in _CLOSE}, key=sp.default_sort_key)


def _far_quantity(d):
    """What a far-out branch is about: the kink's quantity (``y f``), else the first scalar the
    derivation draws from the default range (never beyond 2 in size)."""
    for r in d.regions:
        if r.kink:
            return r.condition.lhs
    declared = {s for s, _, _ in d.ranges}
    return next((s for s in d.scalars if s not in declared), None)


def mutants(expr, d=None):
    """The corruptions of one step (``d``: its derivation, for the kink and far-out mutants)."""
    out = {"flipped sign": sp.Mul(-1, expr, evaluate=False) if not isinstance(
        expr, (sp.MatrixExpr, sp.MatrixBase)) else -expr}
    doubled = _map_first(expr, _is_add, lambda a: _rebuild(a, [2 * a.args[0], *a.args[1:]]))
    out["a term scaled by 2"] = doubled if doubled is not None else 2 * expr
    dropped = _map_first(expr, _is_add, lambda a: _rebuild(a, list(a.args[:-1]))
                         if len(a.args) > 2 else a.args[0])
    if dropped is not None:
        out["a term dropped"] = dropped
    swapped = _index_swap(expr)
    if swapped is not None:
        out["an index swapped"] = swapped
    flipped = _map_first(expr, lambda a: type(a) in _FLIP,
                         lambda a: _FLIP[type(a)](*a.args))
    if flipped is not None:
        out["a case reversed"] = flipped
    for k, rel in enumerate(_relations(expr)):            # < for <=: the kink changes sides
        out[f"kink convention flipped ({k + 1})"] = expr.xreplace({rel: _CLOSE[type(rel)](
            *rel.args)})
    if d is None or isinstance(expr, (sp.MatrixExpr, sp.MatrixBase)):
        return {k: v for k, v in out.items() if v is not None and v != expr}
    kinks = [r for r in d.regions if r.kink]
    if kinks and isinstance(expr, sp.Piecewise):          # another value on the kink
        out["another value on the kink"] = sp.Piecewise((sp.Integer(7), kinks[0].condition),
                                                        *expr.args)
    far = _far_quantity(d)
    if far is not None and not expr.has(sp.Derivative):
        out["a wrong branch far out"] = sp.Piecewise((sp.Add(expr, 1), far > 50), (expr, True))
    return {k: v for k, v in out.items() if v is not None and v != expr}


def _equivalent(d, a, b, rng) -> bool:
    """Whether two expressions agree at random points and at points of every cell of their case
    splits (then the 'mutant' is no corruption)."""
    try:
        ea = concrete(d.substitute(a), d.n, 4)
        eb = concrete(d.substitute(b), d.n, 4)
        free = unknowns(ea, eb)
        points = [draw(d, free, rng, exact=True) for _ in range(60)]
        for e in (ea, eb):
            if evaluate(e).has(sp.Piecewise):
                for p in sample_points(d, e, rng, Memo()):
                    points.append({**draw(d, free, rng, exact=True), **p})
        for values in points:
            va, vb = num(ea, values), num(eb, values)
            if va.shape != vb.shape or not np.allclose(va, vb, equal_nan=True):
                return False
        return True
    except Exception:
        return False


def test_checker_rejects_every_mutant_of_every_step(pytestconfig):
    rng = np.random.default_rng(7)
    killed = total = equivalent = 0
    survivors = []
    per_kind: dict[str, list[int]] = {}
    cache = ProofCache()           # the unchanged steps of a mutated derivation are proven once
    for d in all_derivations():
        for k, step in enumerate(d.steps):
            for name, bad in mutants(step.expr, d).items():
                report = check(d.replace_step(k, bad), cache=cache)
                first = report.first_failure
                rejected = not report.ok and first.index == max(k, 1)
                if not rejected and _equivalent(d, step.expr, bad, rng):
                    equivalent += 1          # accepted, and equal to the step: no corruption
                    print(f"  equivalent: {d.id} step {k}, {name}")
                    continue
                total += 1
                stats = per_kind.setdefault(name, [0, 0])
                stats[1] += 1
                if rejected:
                    killed += 1
                    stats[0] += 1
                else:
                    survivors.append((d.id, k, name, str(bad)[:120],
                                      None if first is None else first.index))
    rate = killed / total
    summary = (f"mutation kill rate: {killed}/{total} = {rate:.1%} "
               f"({equivalent} equivalent mutants accepted and set aside)")
    pytestconfig.mlv_summary.append(summary)
    print("\n" + summary)
    for name, (kk, tt) in sorted(per_kind.items()):
        print(f"  {name:<20} {kk}/{tt}")
    assert total > 300
    for kind in ("kink convention flipped (1)", "another value on the kink",
                 "a wrong branch far out"):
        assert per_kind.get(kind, [0, 0])[1] >= 5, kind       # these kinds are exercised
    assert not survivors, survivors[:10]
    assert rate == 1.0


def test_the_independent_reference_alone_rejects_every_wrong_result(pytestconfig):
    """Every mutant of a derivation's last step is rejected by its independent reference on its
    own (not by the chain of steps): the ``reference`` when there is one, else the ``sp.diff`` of
    the last step's derivative claim."""
    rng = np.random.default_rng(11)
    cache = ProofCache()
    killed = total = equivalent = 0
    survivors = []
    for d in all_derivations():
        last = d.steps[-1]
        assert d.reference is not None or last.derivative_of is not None, d.id
        for name, bad in mutants(last.expr, d).items():
            m = d.replace_step(len(d.steps) - 1, bad)
            if m.reference is not None:
                proof = cache.prove_reference(m, m.reference, 0, range(1, 6))
            else:
                proof = cache.prove(m, bad, last.derivative_of, 0, range(1, 6), claim=True)
            if proof.ok and _equivalent(d, last.expr, bad, rng):
                equivalent += 1
                continue
            total += 1
            if proof.ok:
                survivors.append((d.id, name, str(bad)[:120]))
            else:
                killed += 1
    summary = (f"reference kill rate (last steps, the reference alone): {killed}/{total} = "
               f"{killed / total:.1%} ({equivalent} equivalent set aside)")
    pytestconfig.mlv_summary.append(summary)
    print("\n" + summary)
    assert total > 150
    assert not survivors, survivors[:10]


def test_mutants_are_real_corruptions():
    """The mutation operators do change expressions (guards the test above against mutating
    nothing)."""
    x, y = sp.symbols("x_1 x_2")
    e = sp.Add(x, sp.Mul(2, y, evaluate=False), evaluate=False)
    m = mutants(e)
    assert set(m) >= {"flipped sign", "a term scaled by 2", "a term dropped", "an index swapped"}
    assert all(sp.simplify(v - e) != 0 for v in m.values())
