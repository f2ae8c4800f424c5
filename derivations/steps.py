"""Stepwise derivations and the checker that proves every step.

A :class:`Derivation` is what a lecturer writes on the board: an ordered list of :class:`Step` s, each
a SymPy expression with the reason it follows from the one before. :func:`check` proves every step
equal to the previous one before any of it is shown:

* **numeric** (first: it rejects most wrong steps in milliseconds): both sides evaluated at random
  values drawn from the derivation's ``ranges`` (a random ``n`` too), in complex arithmetic;
* **symbolic**: ``canon(a) - canon(b)`` proven 0, where ``canon`` evaluates derivatives (also
  through sums over data, term by term), splits sums over addition and expands logarithms; sums
  with the same limits are merged and their summand must vanish; what is left must be 0 as a
  rational function of its function values (``exp(c1 m1 + c2 m2)`` as powers of one unknown per
  monomial) or else simplify to 0;
* **n = 1..5** (steps containing a sum over an index): the sum written out for each concrete ``n``
  (where it is defined) and the difference proven 0, one sample's terms at a time.

A step passes only when every method that applies passes.

**Abbreviations** (``where``): symbols the board shows (``z``, ``delta``, ``Sigma``, ``sigma(z)``)
and what they stand for; the checker expands them. A derivative *in* an abbreviation
(``dL/dz``) is taken holding it as the variable.

**Piecewise steps** (``regions``): the derivation names its cases (``y f < 0``, ``y f > 0``, the
kink ``y f = 0``). On every region each ``Piecewise`` is replaced by the branch that holds on the
whole region (decided symbolically on the kink's variable when there is a kink, else found at
sample points) and the branches are proven equal; both sides are also evaluated at rational sample
points of each region. On a kink, steps that still differentiate a non-smooth function, or are not
defined there, are not compared.

**Derivative claims** (``Step(..., derivative_of=(f, var))``): the step is also compared with an
independent ``sp.diff(f, var)`` (a gradient for a vector ``var``); on a kink the claimed value
must lie between the one-sided derivatives (a subgradient: the code's convention). The last step
is also compared with ``reference`` when the derivation gives one.

Proofs are memoised in-process on the exact expressions and settings; :func:`save_proof_cache`
and :func:`load_proof_cache` persist them (JSON, keyed by SHA-256, tagged with the checker's own
hash) so that an unchanged derivation is not proven again by a later run.

The LaTeX of a step is split into stable groups by its top-level structure (operator, factors,
summand), so a scene can morph one step into the next by matching groups instead of substrings.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import sympy as sp

__all__ = ["Step", "Region", "Derivation", "StepCheck", "CheckReport", "check", "step_groups",
           "save_proof_cache", "load_proof_cache", "clear_proof_cache"]


def _tex(e: sp.Basic) -> str:
    return sp.latex(e, order="none")


def _is_fraction(e: sp.Basic) -> bool:
    """``num * den**-1`` written as one fraction (``\\frac{e^{-z}}{1 + e^{-z}}``)."""
    return (isinstance(e, sp.Mul) and len(e.args) == 2 and not e.args[0].is_number
            and isinstance(e.args[1], sp.Pow) and e.args[1].exp == -1)


def _wrapped(e: sp.Basic) -> list[str]:
    """Groups of ``e`` as a factor: parenthesised when it is a sum."""
    if isinstance(e, sp.Add):
        return [r"\left(" + _tex(e) + r"\right)"]
    return step_groups(e)


def _is_negative_factor(e: sp.Basic) -> bool:
    """``-1``, ``-x_i``: a factor that needs brackets after another factor."""
    if e.is_number:
        return bool(e.is_negative)
    return isinstance(e, sp.Mul) and bool(e.args[0].is_number and e.args[0].is_negative)


def _is_coefficient(e: sp.Basic) -> bool:
    """A number, or a number over symbols such as ``-2/n``: shown as one fraction."""
    if isinstance(e, sp.Add):
        return False
    if e.is_number:
        return True
    return isinstance(e, sp.Mul) and all(
        f.is_number or (isinstance(f, sp.Pow) and f.exp == -1 and f.base.is_Symbol) for f in e.args)


def step_groups(e: sp.Basic) -> list[str]:
    """Split the LaTeX of ``e`` into display groups following its top-level structure.

    A product gives one group per factor; a sum over an index gives the ``\\sum`` sign and then its
    summand's groups; a derivative gives the operator and then its argument's groups. Anything else
    is one group.
    """
    if isinstance(e, sp.Derivative) and len(e.variables) == 1:
        (v,) = e.variables
        return [r"\frac{\partial}{\partial " + _tex(v) + "}"] + _wrapped(e.expr)
    if isinstance(e, sp.Sum) and len(e.limits) == 1:
        i, lo, hi = e.limits[0]
        return [r"\sum_{" + _tex(i) + "=" + _tex(lo) + "}^{" + _tex(hi) + "}"] + _wrapped(e.function)
    if _is_fraction(e):
        return [_tex(e)]
    if isinstance(e, sp.Mul):
        args = list(e.args)
        out: list[str] = []
        if args and args[0] == -1:
            out.append("-")
            args = args[1:]
        for pos, a in enumerate(args):
            if isinstance(a, sp.Pow) and a.exp == -1:
                out.append(r"\frac{1}{" + _tex(a.base) + "}")
            elif (pos > 0 or out) and _is_negative_factor(a):
                out.append(r"\left(" + sp.latex(a) + r"\right)")
            elif _is_coefficient(a):
                out.append(sp.latex(a))
            else:
                out.extend(_wrapped(a))
        return out
    return [_tex(e)]


@dataclass(frozen=True)
class Step:
    """One line of a derivation.

    Parameters
    ----------
    expr : sympy expression
        The step, built unevaluated where its written form matters (``sp.Mul(..., evaluate=False)``).
    reason : str
        Why it follows from the previous step ("chain rule", "linearity of the sum").
    derivative_of : (sympy expression, variable), optional
        A claim that this step *is* ``d f / d var``: the checker also compares it with an
        independent ``sp.diff(f, var)``. ``var`` may be a symbol, or a column of symbols (or a
        ``MatrixSymbol`` defined in the derivation's ``where``) for a gradient.
    """

    expr: sp.Expr
    reason: str
    derivative_of: tuple[sp.Expr, sp.Basic] | None = None

    @property
    def groups(self) -> tuple[str, ...]:
        """The step's LaTeX split into stable groups (see :func:`step_groups`)."""
        return tuple(step_groups(self.expr))

    @property
    def latex(self) -> str:
        return " ".join(self.groups)


@dataclass(frozen=True)
class Region:
    """One case of a piecewise derivation: the part of the domain where ``condition`` holds.

    A region with ``solve_for`` is a *kink*: ``condition`` is an equation (``Eq``) that is solved for
    that symbol to sample points on it. Derivatives do not exist there, so a step that still
    contains a derivative of a non-smooth function, or is not defined there, is not compared on a
    kink; a derivative claim's value on a kink must lie between the one-sided values (a
    subgradient: the convention the code uses).
    """

    name: str
    condition: sp.Basic = sp.true
    solve_for: sp.Symbol | None = None

    @property
    def kink(self) -> bool:
        return self.solve_for is not None


def _pairs(value) -> tuple:
    if value is None:
        return ()
    if isinstance(value, dict):
        return tuple(value.items())
    return tuple(tuple(v) for v in value)


@dataclass(frozen=True)
class Derivation:
    """An ordered list of steps proving ``lhs = steps[-1]``.

    Parameters
    ----------
    id : str
        Stable kebab-case id (``mse-gradient-w``); ``mlv check ID`` refers to it.
    title : str
        Human title.
    lhs : str
        LaTeX of the quantity being derived, shown once before the first ``=``.
    steps : sequence of Step
        Step 0 states the starting expression; each later step must equal the one before.
    scalars : sequence of sympy.Symbol
        Scalar unknowns (parameters) used by the numeric check and by :meth:`numpy_function`.
    data : sequence of sympy.IndexedBase
        Indexed data (``x_i``, ``y_i``); become 1-D arrays in :meth:`numpy_function`.
    index, n : sympy.Symbol, optional
        The summation index and the number of terms, when the derivation has sums.
    reference : sympy expression, optional
        An independent result (typically ``sp.diff`` of the starting expression) that the last step
        must equal.
    where : mapping or pairs, optional
        Abbreviations written on the board and expanded by the checker: a symbol (or
        ``MatrixSymbol``) and what it stands for, or an undefined function (``sigma``) and a
        ``Lambda`` (``1 / (1 + exp(-z))``).
    ranges : mapping or pairs ``symbol -> (low, high)``, optional
        Where the numeric checks draw a symbol (or an ``IndexedBase``'s entries) from; default
        ``(-2, 2)``, or ``(0.1, 2)`` for a positive symbol.
    regions : sequence of Region, optional
        The case split of a piecewise derivation; every step is proven on every region.
    """

    id: str
    title: str
    lhs: str
    steps: tuple[Step, ...]
    scalars: tuple[sp.Symbol, ...] = ()
    data: tuple[sp.IndexedBase, ...] = ()
    index: sp.Symbol | None = None
    n: sp.Symbol | None = None
    reference: sp.Expr | None = None
    where: tuple = ()
    ranges: tuple = ()
    regions: tuple[Region, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "steps", tuple(self.steps))
        object.__setattr__(self, "scalars", tuple(self.scalars))
        object.__setattr__(self, "data", tuple(self.data))
        object.__setattr__(self, "where", _pairs(self.where))
        ranges = self.ranges.items() if isinstance(self.ranges, dict) else self.ranges
        object.__setattr__(self, "ranges", tuple((s, float(lo), float(hi)) for s, (lo, hi) in
                                                 (((r[0], r[1:]) if len(r) == 3 else r)
                                                  for r in ranges)))
        object.__setattr__(self, "regions", tuple(self.regions))
        if len(self.steps) < 2:
            raise ValueError(f"{self.id}: a derivation needs at least two steps")

    @property
    def result(self) -> sp.Expr:
        """The last step's expression."""
        return self.steps[-1].expr

    def replace_step(self, k: int, expr: sp.Expr) -> Derivation:
        """A copy with step ``k`` replaced (used by tests to break one step on purpose); the step
        keeps its reason and its derivative claim."""
        steps = list(self.steps)
        steps[k] = Step(expr, steps[k].reason, steps[k].derivative_of)
        return replace(self, steps=tuple(steps))

    def expand(self, expr: sp.Expr | None = None) -> sp.Expr:
        """``expr`` (default the result) with the ``where`` abbreviations expanded and evaluated:
        the expression the checker proves."""
        return _evaluate(_substitute(self, self.result if expr is None else expr))

    def numpy_function(self, expr: sp.Expr | None = None) -> Callable[..., float]:
        """The result (or ``expr``) as a NumPy function of keyword arguments named after the
        scalars and data (``f(w=..., b=..., x=array, y=array)``); sums become ``np.sum`` over the
        data arrays and ``n`` is their length. Data indexed twice (``x_{i1}``: sample i, feature
        1) take a 2-D array, one row per sample. ``where`` abbreviations are expanded first."""
        e = _evaluate(_substitute(self, self.result if expr is None else expr))
        columns: dict[tuple, sp.Symbol] = {}

        def column(a: sp.Indexed) -> sp.Symbol:
            key = (a.base, tuple(a.indices[1:]))
            if key not in columns:
                columns[key] = sp.Symbol(f"_{a.base.label}_{len(columns)}")
            return columns[key]

        summed = sp.Function("SUM")

        def vectorise(s: sp.Sum) -> sp.Expr:
            return summed(s.function.replace(lambda a: isinstance(a, sp.Indexed), column))

        e = e.replace(lambda a: isinstance(a, sp.Sum), vectorise)
        n_sym = self.n if self.n is not None else sp.Symbol("n")
        keys = list(columns)
        n_given = str(n_sym) in map(str, self.scalars)   # n given as a parameter
        args = list(self.scalars) + [columns[k] for k in keys] + ([] if n_given else [n_sym])
        f = sp.lambdify(args, e, modules=[{"SUM": np.sum}, "numpy"])
        names = [str(s) for s in self.scalars] + [str(base.label) for base in self.data]

        def call(**kw):
            missing = set(names) - set(kw)
            if missing:
                raise TypeError(f"{self.id}: missing arguments {sorted(missing)}")
            data = {str(base.label): np.asarray(kw[str(base.label)], dtype=float)
                    for base in self.data}
            cols = []
            for base, rest in keys:
                arr = data[str(base.label)]
                cols.append(arr if not rest else arr[(slice(None),)
                                                     + tuple(int(r) - 1 for r in rest)])
            n = len(next(iter(data.values()))) if data else 1
            return f(*[kw[str(s)] for s in self.scalars], *cols, *([] if n_given else [n]))

        return call


# --------------------------------------------------------------------------------------- checker


_INDEX = sp.Symbol("_index", integer=True)


def _split_sums(e: sp.Expr) -> sp.Expr:
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


def _canon(e: sp.Expr) -> sp.Expr:
    """Derivatives and sums evaluated, products expanded (``exp(a + b)`` is kept whole), sums
    split over addition, logarithms of products and powers expanded (``force``: the domain is
    guarded by the numeric checks, which evaluate both sides at points of the derivation's ranges,
    in complex arithmetic)."""
    e = _expand(_doit(e))
    if e.has(sp.log):
        e = _expand(sp.expand_log(e, force=True))
    return _split_sums(e)


def _expand(e: sp.Basic) -> sp.Basic:
    return sp.expand(e, power_exp=False, power_base=False)


def _is_zero(e: sp.Expr) -> bool:
    """Whether ``e`` is 0: expanded; sums with the same limits are merged into one sum whose
    summand must simplify to 0; what is left must simplify to 0."""
    if isinstance(e, sp.MatrixBase):
        return all(_is_zero(x) for x in e)
    e = _expand(e)
    if e == 0:
        return True
    if not e.has(sp.Sum):
        return _simplifies_to_zero(e)
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
    if not _simplifies_to_zero(rest):
        return False
    return all(_simplifies_to_zero(f) for f in groups.values())


def _freeze(e: sp.Expr) -> sp.Expr:
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


_ZERO: dict[sp.Expr, bool] = {}


def _sample_group_is_zero(samples: frozenset, e: sp.Expr) -> bool:
    """The terms of one sample, with its index renamed to 1 (a renaming of unknowns does not change
    whether an expression is 0): every sample's terms have the same form, so they are simplified
    once, not once per sample and per n."""
    if len(samples) == 1:
        (k,) = samples
        e = e.xreplace({a: a.base[(sp.Integer(1),) + tuple(a.indices[1:])]
                        for a in e.atoms(sp.Indexed)})
    e = e.as_content_primitive()[1]        # 1/n differs with n; whether it is 0 does not
    if e not in _ZERO:
        _ZERO[e] = _simplifies_to_zero(e)
    return _ZERO[e]


def _simplifies_to_zero(e: sp.Expr) -> bool:
    e = _expand(e)
    if e == 0:
        return True
    if isinstance(e, sp.Add) and e.has(sp.Indexed):
        # a sum written out for a concrete n: the terms of each sample are proven zero on their
        # own (sufficient, and much cheaper than one common denominator over all samples)
        groups: dict[frozenset, list] = {}
        for t in e.args:
            key = frozenset(a.indices[0] for a in t.atoms(sp.Indexed))
            groups.setdefault(key, []).append(t)
        if len(groups) > 1 and all(_sample_group_is_zero(k, sp.Add(*ts))
                                   for k, ts in groups.items()):
            return True
    # every function value (exp(-z), log p, ...) as an independent unknown: a rational function
    # that is identically 0 in them is 0 whatever their values (sufficient, and fast)
    frozen = _freeze(e)
    num, _ = sp.fraction(sp.together(frozen))
    if sp.expand(num) == 0:             # one fraction whose numerator is identically 0
        return True
    if sp.cancel(sp.together(frozen)) == 0:
        return True
    return sp.simplify(e) == 0


def _has_sum(e: sp.Expr) -> bool:
    return e.has(sp.Sum)


_NONSMOOTH = (sp.Piecewise, sp.Max, sp.Min, sp.Heaviside, sp.Abs, sp.sign)


def _substitute(d: Derivation, e: sp.Basic) -> sp.Basic:
    """Expand the derivation's ``where`` abbreviations.

    Functions (``sigma``) are expanded first. A derivative *in* an abbreviation (``dL/dz`` where
    ``z`` stands for ``W a + b``: backpropagation's partial derivatives) is taken with that symbol
    held as the variable, after everything else in it has been expanded; so is a derivative in a
    ``MatrixSymbol`` (sympy's matrix calculus), before the matrix is replaced by its entries.
    """
    funcs = [(o, r) for o, r in d.where if isinstance(o, sp.FunctionClass)]
    defs = {o: r for o, r in d.where if not isinstance(o, sp.FunctionClass)}

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
        raise ValueError(f"{d.id}: the where abbreviations do not terminate")

    def _held(a: sp.Derivative, table: dict) -> bool:
        return any(isinstance(v, sp.MatrixSymbol) or v in table for v in a.variables)

    def take(a: sp.Derivative, table: dict) -> sp.Basic:
        if any(isinstance(v, sp.MatrixSymbol) for v in a.variables):
            return a.doit()
        held = {v for v in a.variables if v in table}
        keep = set(held) | {o for o in defs if o not in table}
        return sp.Derivative(expand_except(a.expr, keep), *a.variable_count).doit()

    return expand_except(e, set())


def _doit(e: sp.Basic) -> sp.Basic:
    """``e.doit()``, except that a sum over data (indexed terms, symbolic limits) is kept as a sum
    with its summand evaluated: it has no closed form, and SymPy can spend seconds looking for
    one. Derivatives are taken through such sums term by term."""
    if isinstance(e, sp.MatrixBase):
        return e.applyfunc(_doit)
    if isinstance(e, sp.MatrixExpr):
        return e.doit()
    if not e.args or isinstance(e, (sp.Symbol, sp.Indexed, sp.IndexedBase)):
        return e
    if not e.has(sp.Sum):
        return e.doit()
    if isinstance(e, sp.Sum) and e.has(sp.Indexed) and not all(
            lim[1].is_number and lim[2].is_number for lim in e.limits):
        return sp.Sum(_doit(e.function), *e.limits)
    if isinstance(e, sp.Derivative):
        return sp.diff(_doit(e.expr), *e.variable_count)
    new = e.func(*[_doit(a) for a in e.args])
    return new.doit(deep=False) if hasattr(new, "doit") else new


def _evaluate(e: sp.Basic) -> sp.Basic:
    """Evaluate derivatives, sums and matrix products; write max, min and step functions as
    ``Piecewise`` so that every case split is explicit."""
    e = _doit(e)
    if isinstance(e, sp.MatrixExpr) and not isinstance(e, sp.MatrixBase):
        e = e.as_explicit()
    if isinstance(e, sp.MatrixBase):
        e = sp.ImmutableMatrix(e.applyfunc(lambda x: x.doit()))
        if e.shape == (1, 1):           # uᵀ Σ u is a number
            e = e[0, 0]
    return e.replace(lambda a: isinstance(a, (sp.Max, sp.Min, sp.Heaviside)),
                     lambda a: a.rewrite(sp.Piecewise))


def _concrete(e: sp.Expr, n_sym: sp.Symbol | None, n_val: int) -> sp.Expr:
    if n_sym is not None:
        e = e.subs(n_sym, n_val)
    return _evaluate(e)


def _undefined(e: sp.Basic) -> bool:
    return e.has(sp.zoo, sp.nan, sp.oo, -sp.oo)


def _unknowns(*exprs: sp.Basic) -> list[sp.Basic]:
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


def _range(d: Derivation, a: sp.Basic) -> tuple[float, float]:
    key = a.base if isinstance(a, sp.Indexed) else a
    for s, lo, hi in d.ranges:
        if s == key or (isinstance(s, sp.IndexedBase) and s == key):
            return lo, hi
    if getattr(key, "is_positive", False) or getattr(key, "is_nonnegative", False):
        return 0.1, 2.0
    return -2.0, 2.0


def _draw(d: Derivation, unknowns: Sequence[sp.Basic], rng: np.random.Generator,
          exact: bool = False) -> dict:
    values = {}
    for a in unknowns:
        lo, hi = _range(d, a)
        u = float(rng.uniform(lo, hi))
        if exact:   # a rational: case conditions such as y (w x + b) <= 0 are decided exactly
            k = min(max(round(u * 64), math.floor(lo * 64) + 1), math.ceil(hi * 64) - 1)
            values[a] = sp.Rational(k or 1, 64)     # inside (lo, hi), and never exactly 0
        else:
            values[a] = u
    return values


_U = sp.Dummy("u")
_TEST_FUNCTION = sp.Lambda(_U, sp.sin(_U) + _U**3 / 5)


def _concrete_functions(e: sp.Basic) -> sp.Basic:
    """An identity claimed for every function f must hold for one: undefined functions that are
    left (a generic activation f) become sin(u) + u³/5 for the numeric checks."""
    fs = {a.func for a in e.atoms(sp.core.function.AppliedUndef)}
    if not fs:
        return e
    for f in fs:
        e = e.replace(f, _TEST_FUNCTION)
    return e.doit()


def _num(e: sp.Basic, values: dict) -> np.ndarray:
    e = _concrete_functions(e)
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


def _close(va: np.ndarray, vb: np.ndarray) -> bool:
    return va.shape == vb.shape and bool(np.allclose(va, vb, rtol=1e-9, atol=1e-12))


def _prove_plain(d: Derivation, a: sp.Expr, b: sp.Expr, rng: np.random.Generator,
                 n_values: Sequence[int]) -> tuple[bool, tuple[str, ...], str]:
    """numeric spot check, then symbolic, then every concrete n (the cheapest check first: a
    wrong step is usually rejected in milliseconds)."""
    methods: list[str] = []
    n_val = int(rng.integers(3, 9))
    ea, eb = _concrete(a, d.n, n_val), _concrete(b, d.n, n_val)
    values = _draw(d, _unknowns(ea, eb), rng)
    va, vb = _num(ea, values), _num(eb, values)
    if not _close(va, vb) or np.isnan(va).any():
        return False, ("numeric",), f"numeric: {va.real} != {vb.real}"
    methods.append("numeric")
    try:
        sym_ok = _is_zero(_canon(_evaluate(a)) - _canon(_evaluate(b)))
    except Exception as exc:  # a SymPy failure is a failure to prove, never a pass
        return False, tuple(methods + ["symbolic"]), \
            f"symbolic check raised {type(exc).__name__}: {exc}"
    if not sym_ok:
        return False, tuple(methods + ["symbolic"]), "symbolic difference does not simplify to 0"
    methods.append("symbolic")
    if (_has_sum(a) or _has_sum(b)) and d.n is not None:
        done = []
        for n_val in n_values:
            ca, cb = _concrete(a, d.n, n_val), _concrete(b, d.n, n_val)
            if _undefined(ca) or _undefined(cb):
                continue            # 1/(n - 1) at n = 1: the formula does not apply
            if not _is_zero(_canon(ca) - _canon(cb)):
                return False, tuple(methods + [f"n={n_val}"]), f"differs when n = {n_val}"
            done.append(n_val)
        if len(done) < 3:
            return False, tuple(methods + ["n"]), "fewer than 3 concrete n where it is defined"
        methods.append(f"n={min(done)}..{max(done)}")
    return True, tuple(methods), ""


# ------------------------------------------------------------------------------ piecewise steps


def _select(e: sp.Basic, point: dict) -> sp.Basic | None:
    """``e`` with every ``Piecewise`` replaced by the branch that holds at ``point`` (None when
    some ``Piecewise`` has no branch there: undefined)."""
    undefined = []

    def choose(pw: sp.Piecewise) -> sp.Basic:
        for expr, cond in pw.args:
            c = cond.xreplace(point)
            if c == sp.true:
                return expr
            if c != sp.false:
                raise ValueError(f"case condition {cond} is not decided at a sample point")
        undefined.append(pw)
        return sp.S.Zero

    out = e.replace(lambda a: isinstance(a, sp.Piecewise), choose)
    return None if undefined else out


def _nonsmooth_derivative(e: sp.Basic) -> bool:
    return any(ds.expr.has(*_NONSMOOTH) for ds in e.atoms(sp.Derivative))


def _region_points(d: Derivation, region: Region, unknowns: list, rng: np.random.Generator,
                   k: int = 6) -> tuple[list[dict], sp.Basic | None]:
    cond = _substitute(d, region.condition)
    unknowns = _unknowns(*unknowns, cond) if not isinstance(cond, bool) else unknowns
    if region.kink:
        if not isinstance(cond, sp.Eq):
            raise ValueError(f"kink {region.name!r} must be an equation (Eq)")
        sols = sp.solve(cond.lhs - cond.rhs, region.solve_for)
        if len(sols) != 1:
            raise ValueError(f"kink {region.name!r}: {cond} has {len(sols)} solutions for "
                             f"{region.solve_for}")
        others = [a for a in unknowns if a != region.solve_for]
        points = []
        for _ in range(k):
            p = _draw(d, others, rng, exact=True)
            p[region.solve_for] = sp.nsimplify(sols[0].xreplace(p))
            points.append(p)
        return points, sols[0]
    points, tries = [], 0
    while len(points) < k and tries < 600:
        tries += 1
        p = _draw(d, unknowns, rng, exact=True)
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
            cond = _substitute(d, r.condition)
            sols = sp.solve(cond.lhs - _TAU, r.solve_for)
            if len(sols) == 1:
                return _TAU, {r.solve_for: sols[0]}
    return None


_TAU = sp.Dummy("tau", real=True)
_TAU_SETS: dict = {}


def _tau_set(cond: sp.Basic, switch: tuple[sp.Dummy, dict]) -> sp.Set:
    key = (cond, tuple(switch[1].items()))
    if key not in _TAU_SETS:
        _TAU_SETS[key] = _tau_set_uncached(cond, switch)
    return _TAU_SETS[key]


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


def _select_on(e: sp.Basic, region_set: sp.Set, switch) -> sp.Basic | None:
    """``e`` with every ``Piecewise`` replaced by the branch that holds on the whole region,
    decided symbolically (a branch that holds on part of the region only is an error); None where
    no branch holds."""
    undefined = []

    def choose(pw: sp.Piecewise) -> sp.Basic:
        for expr, cond in pw.args:
            branch = _tau_set(cond, switch)
            if region_set.is_subset(branch):
                return expr
            if region_set.intersect(branch) != sp.S.EmptySet:
                raise ValueError(f"the case {cond} holds on part of a region only")
        undefined.append(pw)
        return sp.S.Zero

    out = e.replace(lambda a: isinstance(a, sp.Piecewise), choose)
    return None if undefined else out


def _prove_regions(d: Derivation, a: sp.Expr, b: sp.Expr, rng: np.random.Generator,
                   n_values: Sequence[int], claim: bool) -> tuple[bool, tuple[str, ...], str]:
    """Prove ``a == b`` case by case: on each region, every ``Piecewise`` is replaced by the branch
    that holds there (found at sample points) and the branches are proven equal symbolically;
    both sides are also evaluated at the sample points."""
    A, B = _evaluate(a), _evaluate(b)
    n_val = int(rng.integers(3, 9))
    Ac, Bc = _concrete(a, d.n, n_val), _concrete(b, d.n, n_val)
    regions = d.regions or (Region("everywhere"),)
    unknowns = _unknowns(A, B, Ac, Bc)
    switch = _switch(d)
    cases, skipped = [], []
    one_sided: list[sp.Basic] = []      # a claim's value on each open region (for the kinks)
    for region in regions:
        if region.kink and claim:
            continue
        points, solution = _region_points(d, region, unknowns, rng)
        if region.kink and (_nonsmooth_derivative(a) or _nonsmooth_derivative(b)):
            skipped.append(region.name)
            continue
        patterns = {}
        undefined = False
        for p in points:
            va, vb = _num(Ac, p), _num(Bc, p)
            if np.isnan(va).any() or np.isnan(vb).any():
                if region.kink:
                    undefined = True
                    break
                return False, ("numeric", f"case {region.name}"), \
                    f"case {region.name}: not defined at a sample point"
            if not _close(va, vb):
                return False, ("numeric", f"case {region.name}"), \
                    f"case {region.name}: numeric {va.real} != {vb.real}"
            sa, sb = _select(A, p), _select(B, p)
            if sa is None or sb is None:
                if region.kink:
                    undefined = True
                    break
                return False, ("symbolic", f"case {region.name}"), \
                    f"case {region.name}: a case split leaves it undefined"
            patterns[(sa, sb)] = p
        if undefined:
            skipped.append(region.name)
            continue
        if switch is not None:
            # the branches taken on the region, decided symbolically from the conditions
            try:
                where_set = _tau_set(_substitute(d, region.condition), switch)
                sa, sb = _select_on(A, where_set, switch), _select_on(B, where_set, switch)
            except Exception as exc:
                return False, ("symbolic", f"case {region.name}"), \
                    f"case {region.name}: {type(exc).__name__}: {exc}"
            if sa is None or sb is None:
                if region.kink:
                    skipped.append(region.name)
                    continue
                return False, ("symbolic", f"case {region.name}"), \
                    f"case {region.name}: a case split leaves it undefined"
            patterns = {(sa, sb): None}
        for (sa, sb), p in patterns.items():
            try:
                diff = _canon(sa) - _canon(sb)
                if solution is not None:
                    diff = diff.xreplace({region.solve_for: solution})
                ok = _is_zero(diff)
            except Exception as exc:
                return False, ("symbolic", f"case {region.name}"), \
                    f"case {region.name}: symbolic check raised {type(exc).__name__}: {exc}"
            if not ok:
                return False, ("numeric", "symbolic", f"case {region.name}"), \
                    f"case {region.name}: the branches differ symbolically"
            if claim and not region.kink:
                one_sided.append(sb)
        cases.append(region.name)
    if claim:   # the claimed value on a kink must be a subgradient: between the one-sided values
        for region in regions:
            if not region.kink:
                continue
            points, _ = _region_points(d, region, _unknowns(A, *one_sided), rng)
            for p in points:
                v = _num(Ac, p)
                if np.isnan(v).any():
                    continue
                sides = np.array([_num(_concrete(s, d.n, n_val), p) for s in one_sided]).real
                if not np.all((sides.min(axis=0) - 1e-12 <= v.real)
                              & (v.real <= sides.max(axis=0) + 1e-12)):
                    return False, ("subgradient", f"case {region.name}"), \
                        f"{region.name}: {v.real} is not between the one-sided derivatives"
            cases.append(f"{region.name} (subgradient)")
    methods = ["numeric", "symbolic"] + [f"case {c}" for c in cases]
    methods += [f"{c}: not compared (kink)" for c in skipped]
    if (_has_sum(a) or _has_sum(b)) and d.n is not None:
        for n_val in n_values:
            ca, cb = _concrete(a, d.n, n_val), _concrete(b, d.n, n_val)
            if ca.has(sp.Piecewise) or cb.has(sp.Piecewise) or _undefined(ca) or _undefined(cb):
                continue        # covered case by case above, or not defined at this n
            if not _is_zero(_canon(ca) - _canon(cb)):
                return False, tuple(methods + [f"n={n_val}"]), f"differs when n = {n_val}"
        methods.append(f"n={min(n_values)}..{max(n_values)}")
    return True, tuple(methods), ""


def _claimed_derivative(d: Derivation, f: sp.Expr, var: sp.Basic) -> sp.Basic:
    """``sp.diff(f, var)`` on the expanded ``f``; a gradient when ``var`` is a vector."""
    defs = {o for o, _ in d.where if not isinstance(o, sp.FunctionClass)}
    if var in defs and not isinstance(var, sp.MatrixSymbol):
        # a partial derivative in an abbreviation (dL/dz with z = W a + b): z held as the variable
        return _evaluate(_substitute(d, sp.Derivative(f, var)))
    F = _evaluate(_substitute(d, f))
    if isinstance(F, sp.MatrixBase) and F.shape == (1, 1):
        F = F[0, 0]
    v = _substitute(d, var)
    if isinstance(v, (sp.MatrixBase, list, tuple)):
        cells = list(v)
        return sp.ImmutableMatrix(len(cells), 1, [sp.diff(F, c) for c in cells])
    return sp.diff(F, v)


def _prove_equal(d: Derivation, a: sp.Expr, b: sp.Expr, rng: np.random.Generator,
                 n_values: Sequence[int], claim: bool = False
                 ) -> tuple[bool, tuple[str, ...], str]:
    try:
        if claim:
            b = _claimed_derivative(d, *b)
        A, B = _evaluate(_substitute(d, a)), _evaluate(_substitute(d, b))
        if d.regions or A.has(sp.Piecewise) or B.has(sp.Piecewise):
            return _prove_regions(d, _substitute(d, a), _substitute(d, b), rng, n_values, claim)
        return _prove_plain(d, _substitute(d, a), _substitute(d, b), rng, n_values)
    except Exception as exc:  # a SymPy failure is a failure to prove, never a pass
        return False, ("error",), f"check raised {type(exc).__name__}: {exc}"



@dataclass(frozen=True)
class StepCheck:
    """The outcome of proving one step equal to the previous one."""

    index: int
    reason: str
    ok: bool
    methods: tuple[str, ...]
    detail: str = ""


@dataclass
class CheckReport:
    """Every step's :class:`StepCheck` and the time the proof took."""

    derivation: Derivation
    steps: list[StepCheck] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return all(s.ok for s in self.steps)

    @property
    def first_failure(self) -> StepCheck | None:
        return next((s for s in self.steps if not s.ok), None)


_PROOFS: dict[tuple, tuple[bool, tuple[str, ...], str]] = {}
_STORED: dict[str, tuple[bool, tuple[str, ...], str]] = {}
_CHECKER_VERSION = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def _digest(key: tuple) -> str:
    return hashlib.sha256(repr(key).encode()).hexdigest()


def _prove_cached(d: Derivation, a: sp.Expr, b, seed: int, n_values: Sequence[int],
                  claim: bool = False) -> tuple[bool, tuple[str, ...], str]:
    """:func:`_prove_equal` memoised on the exact pair of expressions (and what the numeric check
    draws from): a step that did not change is not proven again in this process, nor across runs
    once :func:`save_proof_cache` has stored it."""
    key = ("claim" if claim else "step", sp.srepr(a),
           sp.srepr(b) if not claim else tuple(map(sp.srepr, b)), tuple(n_values), seed,
           tuple(map(str, d.scalars)), tuple(map(str, d.data)), str(d.n),
           tuple((sp.srepr(o), sp.srepr(r)) for o, r in d.where), tuple(map(repr, d.ranges)),
           tuple((r.name, sp.srepr(r.condition), str(r.solve_for)) for r in d.regions))
    if key not in _PROOFS:
        digest = _digest(key)
        if digest in _STORED:
            _PROOFS[key] = _STORED[digest]
        else:
            rng = np.random.default_rng(int(digest[:16], 16))
            _PROOFS[key] = _prove_equal(d, a, b, rng, n_values, claim)
            _STORED[digest] = _PROOFS[key]
    return _PROOFS[key]


def clear_proof_cache() -> None:
    """Forget every proof made or loaded in this process (a cold start, for benchmarks)."""
    _PROOFS.clear()
    _STORED.clear()
    _ZERO.clear()


def save_proof_cache(path) -> int:
    """Write the proofs made (or loaded) in this process to ``path`` as JSON, keyed by the
    SHA-256 of each proof's key, so an unchanged derivation is not proven again by a later run.
    The file records the checker's own version: a changed checker ignores an old file.
    Returns the number of proofs written."""
    path = Path(path)
    data = {"checker": _CHECKER_VERSION,
            "proofs": {k: [ok, list(methods), detail]
                       for k, (ok, methods, detail) in sorted(_STORED.items())}}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(fd, "w") as fh:
        json.dump(data, fh)
    os.replace(tmp, path)
    return len(data["proofs"])


def load_proof_cache(path) -> int:
    """Load proofs saved by :func:`save_proof_cache`. A missing file, a file from another
    version of the checker, or an unreadable file loads nothing. Returns the number loaded."""
    try:
        data = json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return 0
    if not isinstance(data, dict) or data.get("checker") != _CHECKER_VERSION:
        return 0
    proofs = data.get("proofs", {})
    for k, (ok, methods, detail) in proofs.items():
        _STORED[k] = (bool(ok), tuple(methods), str(detail))
    return len(proofs)


def check(d: Derivation, *, seed: int = 0, n_values: Sequence[int] = range(1, 6)) -> CheckReport:
    """Prove every step of ``d`` equal to the previous one (and, where a step claims to be a
    derivative, equal to an independent ``sp.diff``; and the last to ``d.reference``).

    Returns a :class:`CheckReport`; ``report.ok`` is True only if every step was proven by every
    method that applies to it.
    """
    t0 = time.perf_counter()
    report = CheckReport(d)
    report.steps.append(StepCheck(0, d.steps[0].reason, True, ("definition",)))
    for k in range(1, len(d.steps)):
        ok, methods, detail = _prove_cached(d, d.steps[k - 1].expr, d.steps[k].expr, seed,
                                            n_values)
        claim = d.steps[k].derivative_of
        if ok and claim is not None:
            c_ok, c_methods, c_detail = _prove_cached(d, d.steps[k].expr, tuple(claim), seed,
                                                      n_values, claim=True)
            methods = methods + (f"=sp.diff[{'+'.join(c_methods)}]",)
            ok, detail = c_ok, (c_detail and f"derivative claim: {c_detail}")
        report.steps.append(StepCheck(k, d.steps[k].reason, ok, methods, detail))
    if d.reference is not None:
        ok, methods, detail = _prove_cached(d, d.steps[-1].expr, d.reference, seed, n_values)
        report.steps.append(StepCheck(len(d.steps), "equals the independent sp.diff", ok,
                                      methods, detail))
    report.seconds = time.perf_counter() - t0
    return report
