"""Mutation testing of the checker over every derivation: each step is corrupted in turn (a sign
flipped, one term scaled by 2, one term dropped, an index swapped, a case condition reversed) and
the checker must reject every mutant, at that step. A mutant that the checker accepts is a
survivor, unless it is mathematically the same as the step (dropping a constant under d/dθ,
swapping two factors of a product): such a mutant is no corruption; it is recognised by evaluating
both at 60 random points and counted apart."""
import re

import numpy as np
import sympy as sp

from mlv.derivations import all_derivations
from mlv.derivations.algebra import concrete
from mlv.derivations.proofs import ProofCache, check
from mlv.derivations.prover import draw, num, unknowns

_FLIP = {sp.StrictLessThan: sp.StrictGreaterThan, sp.StrictGreaterThan: sp.StrictLessThan,
         sp.LessThan: sp.GreaterThan, sp.GreaterThan: sp.LessThan}


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


def mutants(expr):
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
    return {k: v for k, v in out.items() if v is not None and v != expr}


def _equivalent(d, a, b, rng) -> bool:
    """Whether two expressions agree at random points (then the 'mutant' is no corruption)."""
    try:
        ea = concrete(d.substitute(a), d.n, 4)
        eb = concrete(d.substitute(b), d.n, 4)
        free = unknowns(ea, eb)
        for _ in range(60):
            values = draw(d, free, rng, exact=True)
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
            for name, bad in mutants(step.expr).items():
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
    assert not survivors, survivors[:10]
    assert rate == 1.0


def test_mutants_are_real_corruptions():
    """The mutation operators do change expressions (guards the test above against mutating
    nothing)."""
    x, y = sp.symbols("x_1 x_2")
    e = sp.Add(x, sp.Mul(2, y, evaluate=False), evaluate=False)
    m = mutants(e)
    assert set(m) >= {"flipped sign", "a term scaled by 2", "a term dropped", "an index swapped"}
    assert all(sp.simplify(v - e) != 0 for v in m.values())
