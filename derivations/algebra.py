"""The symbolic algebra the checker proves with: abbreviations expanded, derivatives and sums
evaluated, a canonical form, and the decision whether an expression is 0.

Nothing here knows about derivations: an abbreviation table (``where``) is a tuple of pairs, and
the memo of what has been decided is a :class:`Memo` the caller passes in.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

__all__ = ["NONSMOOTH", "Memo", "Where", "canon", "concrete", "evaluate", "has_sum", "is_zero",
           "nonsmooth_derivative", "substitute", "undefined"]

Where = tuple[tuple[sp.Basic, sp.Basic], ...]
"""Abbreviations: a symbol (or ``MatrixSymbol``) and what it stands for, or an undefined function
and a ``Lambda``."""


@dataclass
class Memo:
    """What the algebra has already decided in this process, kept by a proof cache: whether an
    expression (one sample's terms, normalised) is 0, and the sets of the real line where a case
    condition holds."""

    zero: dict[sp.Basic, bool] = field(default_factory=dict)
    sets: dict[tuple, sp.Set] = field(default_factory=dict)

    def clear(self) -> None:
        self.zero.clear()
        self.sets.clear()


_INDEX = sp.Symbol("_index", integer=True)


def split_sums(e: sp.Expr) -> sp.Expr:
    """Each sum split over the terms of its (expanded) summand, factors free of the index moved
    out, a summand free of data summed in closed form (``sum 1 = n``), and a single index renamed
    to one canonical symbol (``sum_j x_j`` and ``sum_i x_i`` are the same sum)."""
    def one(s: sp.Sum) -> sp.Expr:
        body = sp.expand(s.function)
        limits = s.limits
        terms = body.args if isinstance(body, sp.Add) else (body,)
        out = sp.S.Zero
        for t in terms:
            idx = {lim[0] for lim in limits}
            const, dep = t.as_independent(*idx, as_Add=False)
            lims = limits
            if len(lims) == 1 and not dep.has(sp.Sum) and _INDEX not in dep.free_symbols:
                dep = dep.xreplace({lims[0][0]: _INDEX})
                lims = ((_INDEX,) + tuple(lims[0][1:]),)
            piece = sp.Sum(dep, *lims)
            out += const * (piece.doit() if not dep.has(sp.Indexed) else piece)
        return out

    return e.replace(lambda a: isinstance(a, sp.Sum), one)


def canon(e: sp.Expr) -> sp.Expr:
    """Derivatives and sums evaluated, products expanded (``exp(a + b)`` is kept whole), sums
    split over addition, logarithms of products and powers expanded (``force``: the domain is
    guarded by the numeric checks, which evaluate both sides at points of the derivation's ranges,
    in complex arithmetic)."""
    e = expand(doit(e))
    if e.has(sp.log):
        e = expand(sp.expand_log(e, force=True))
    return split_sums(e)


def expand(e: sp.Basic) -> sp.Basic:
    return sp.expand(e, power_exp=False, power_base=False)


def is_zero(e: sp.Basic, memo: Memo) -> bool:
    """Whether ``e`` is 0: expanded; sums with the same limits are merged into one sum whose
    summand must simplify to 0; what is left must simplify to 0."""
    if isinstance(e, sp.MatrixBase):
        return all(is_zero(x, memo) for x in e)
    e = expand(e)
    if e == 0:
        return True
    if not e.has(sp.Sum):
        return simplifies_to_zero(e, memo)
    groups: dict[tuple, sp.Expr] = {}
    rest = sp.S.Zero
    for term in sp.Add.make_args(e):
        sums = [f for f in sp.Mul.make_args(term) if isinstance(f, sp.Sum)]
        if len(sums) == 1:
            s = sums[0]
            coeff = sp.Mul(*[f for f in sp.Mul.make_args(term) if f is not s])
            idx = {lim[0] for lim in s.limits}
            if not (coeff.free_symbols & idx):
                groups[s.limits] = groups.get(s.limits, sp.S.Zero) + coeff * s.function
                continue
        rest += term
    if not simplifies_to_zero(rest, memo):
        return False
    return all(simplifies_to_zero(f, memo) for f in groups.values())


def freeze(e: sp.Expr) -> sp.Expr:
    """``e`` as a rational function: ``exp(c1 m1 + c2 m2)`` becomes ``E1**c1 * E2**c2`` with one
    positive unknown per monomial (so ``exp(b) exp(-b) = 1`` is kept), every other function value
    an unknown of its own. If the result is identically 0, so is ``e``."""
    gens: dict[sp.Expr, sp.Dummy] = {}

    def power_of(ex: sp.exp) -> sp.Expr:
        out = sp.S.One
        for t in sp.Add.make_args(sp.expand(ex.args[0])):
            c, m = t.as_coeff_Mul()
            out *= sp.exp(c) if m == 1 else gens.setdefault(m, sp.Dummy(positive=True)) ** c
        return out

    e = e.replace(lambda a: isinstance(a, sp.exp), power_of)
    funcs = sorted(e.atoms(sp.Function), key=sp.default_sort_key)
    return e.xreplace({f: sp.Dummy() for f in funcs}) if funcs else e


def sample_group_is_zero(samples: frozenset, e: sp.Basic, memo: Memo) -> bool:
    """The terms of one sample, with its index renamed to 1 (a renaming of unknowns does not change
    whether an expression is 0): every sample's terms have the same form, so they are simplified
    once, not once per sample and per n."""
    if len(samples) == 1:
        (k,) = samples
        e = e.xreplace({a: a.base[(sp.Integer(1),) + tuple(a.indices[1:])]
                        for a in e.atoms(sp.Indexed)})
    e = e.as_content_primitive()[1]        # 1/n differs with n; whether it is 0 does not
    if e not in memo.zero:
        memo.zero[e] = simplifies_to_zero(e, memo)
    return memo.zero[e]


def simplifies_to_zero(e: sp.Basic, memo: Memo) -> bool:
    e = expand(e)
    if e == 0:
        return True
    if isinstance(e, sp.Add) and e.has(sp.Indexed):
        # a sum written out for a concrete n: the terms of each sample are proven zero on their
        # own (sufficient, and much cheaper than one common denominator over all samples)
        groups: dict[frozenset, list] = {}
        for t in e.args:
            key = frozenset(a.indices[0] for a in t.atoms(sp.Indexed))
            groups.setdefault(key, []).append(t)
        if len(groups) > 1 and all(sample_group_is_zero(k, sp.Add(*ts), memo)
                                   for k, ts in groups.items()):
            return True
    # every function value (exp(-z), log p, ...) as an independent unknown: a rational function
    # that is identically 0 in them is 0 whatever their values (sufficient, and fast)
    frozen = freeze(e)
    num, _ = sp.fraction(sp.together(frozen))
    if sp.expand(num) == 0:             # one fraction whose numerator is identically 0
        return True
    if sp.cancel(sp.together(frozen)) == 0:
        return True
    return sp.simplify(e) == 0


def has_sum(e: sp.Expr) -> bool:
    return e.has(sp.Sum)


NONSMOOTH = (sp.Piecewise, sp.Max, sp.Min, sp.Heaviside, sp.Abs, sp.sign)


def substitute(where: Where, e: sp.Basic, name: str = "") -> sp.Basic:
    """Expand the abbreviations ``where`` (of the derivation called ``name``, for messages).

    Functions (``sigma``) are expanded first. A derivative *in* an abbreviation (``dL/dz`` where
    ``z`` stands for ``W a + b``: backpropagation's partial derivatives) is taken with that symbol
    held as the variable, after everything else in it has been expanded; so is a derivative in a
    ``MatrixSymbol`` (sympy's matrix calculus), before the matrix is replaced by its entries.
    """
    funcs = [(o, r) for o, r in where if isinstance(o, sp.FunctionClass)]
    defs = {o: r for o, r in where if not isinstance(o, sp.FunctionClass)}

    def expand_except(x: sp.Basic, keep: set) -> sp.Basic:
        table = {o: r for o, r in defs.items() if o not in keep}
        for _ in range(20):
            for o, r in funcs:
                x = x.replace(o, r)
            x = x.replace(lambda a: isinstance(a, sp.Derivative) and _held(a, table),
                          lambda a: take(a, table))
            # a derivative of an undefined function (f'(z)) needs subs: it becomes f' at the value
            undef = any(dd.expr.has(sp.core.function.AppliedUndef)
                        for dd in x.atoms(sp.Derivative))
            new = x.subs(table, simultaneous=True) if undef else x.xreplace(table)
            if new == x:
                return x
            x = new
        raise ValueError(f"{name}: the where abbreviations do not terminate")

    def _held(a: sp.Derivative, table: dict) -> bool:
        return any(isinstance(v, sp.MatrixSymbol) or v in table for v in a.variables)

    def take(a: sp.Derivative, table: dict) -> sp.Basic:
        if any(isinstance(v, sp.MatrixSymbol) for v in a.variables):
            return a.doit()
        held = {v for v in a.variables if v in table}
        keep = set(held) | {o for o in defs if o not in table}
        return sp.Derivative(expand_except(a.expr, keep), *a.variable_count).doit()

    return expand_except(e, set())


def doit(e: sp.Basic) -> sp.Basic:
    """``e.doit()``, except that a sum over data (indexed terms, symbolic limits) is kept as a sum
    with its summand evaluated: it has no closed form, and SymPy can spend seconds looking for
    one. Derivatives are taken through such sums term by term."""
    if isinstance(e, sp.MatrixBase):
        return e.applyfunc(doit)
    if isinstance(e, sp.MatrixExpr):
        return e.doit()
    if not e.args or isinstance(e, (sp.Symbol, sp.Indexed, sp.IndexedBase)):
        return e
    if not e.has(sp.Sum):
        return e.doit()
    if isinstance(e, sp.Sum) and e.has(sp.Indexed) and not all(
            lim[1].is_number and lim[2].is_number for lim in e.limits):
        return sp.Sum(doit(e.function), *e.limits)
    if isinstance(e, sp.Derivative):
        return sp.diff(doit(e.expr), *e.variable_count)
    new = e.func(*[doit(a) for a in e.args])
    return new.doit(deep=False) if hasattr(new, "doit") else new


def evaluate(e: sp.Basic) -> sp.Basic:
    """Evaluate derivatives, sums and matrix products; write max, min and step functions as
    ``Piecewise`` so that every case split is explicit."""
    e = doit(e)
    if isinstance(e, sp.MatrixExpr) and not isinstance(e, sp.MatrixBase):
        e = e.as_explicit()
    if isinstance(e, sp.MatrixBase):
        e = sp.ImmutableMatrix(e.applyfunc(lambda x: x.doit()))
        if e.shape == (1, 1):           # uᵀ Σ u is a number
            e = e[0, 0]
    return e.replace(lambda a: isinstance(a, (sp.Max, sp.Min, sp.Heaviside)),
                     lambda a: a.rewrite(sp.Piecewise))


def concrete(e: sp.Expr, n_sym: sp.Symbol | None, n_val: int) -> sp.Expr:
    if n_sym is not None:
        e = e.subs(n_sym, n_val)
    return evaluate(e)


def undefined(e: sp.Basic) -> bool:
    return e.has(sp.zoo, sp.nan, sp.oo, -sp.oo)


def nonsmooth_derivative(e: sp.Basic) -> bool:
    return any(ds.expr.has(*NONSMOOTH) for ds in e.atoms(sp.Derivative))

