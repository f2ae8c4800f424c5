"""Stepwise derivations and the checker that proves every step.

A :class:`Derivation` is what a lecturer writes on the board: an ordered list of :class:`Step` s, each
a SymPy expression with the reason it follows from the one before. :func:`check` proves every step
equal to the previous one before any of it is shown:

* **symbolic**: ``simplify(canon(a) - canon(b)) == 0``, where ``canon`` evaluates derivatives and
  sums as far as SymPy can, expands summands and splits sums over addition;
* **n = 1..5** (steps containing a sum over an index): the sum written out for each concrete ``n``
  and the difference simplified to zero;
* **numeric**: both sides evaluated at random values (a random ``n`` too) and compared.

A step passes only when every method that applies passes. The last step is also compared with an
independent result (``sp.diff`` of the starting expression) when the derivation gives one.

The LaTeX of a step is split into stable groups by its top-level structure (operator, factors,
summand), so a scene can morph one step into the next by matching groups instead of substrings.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np
import sympy as sp

__all__ = ["Step", "Derivation", "StepCheck", "CheckReport", "check", "step_groups"]


def _tex(e: sp.Basic) -> str:
    return sp.latex(e, order="none", long_frac_ratio=0)


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
    """

    expr: sp.Expr
    reason: str

    @property
    def groups(self) -> tuple[str, ...]:
        """The step's LaTeX split into stable groups (see :func:`step_groups`)."""
        return tuple(step_groups(self.expr))

    @property
    def latex(self) -> str:
        return " ".join(self.groups)


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

    def __post_init__(self) -> None:
        object.__setattr__(self, "steps", tuple(self.steps))
        if len(self.steps) < 2:
            raise ValueError(f"{self.id}: a derivation needs at least two steps")

    @property
    def result(self) -> sp.Expr:
        """The last step's expression."""
        return self.steps[-1].expr

    def replace_step(self, k: int, expr: sp.Expr) -> "Derivation":
        """A copy with step ``k`` replaced (used by tests to break one step on purpose)."""
        steps = list(self.steps)
        steps[k] = Step(expr, steps[k].reason)
        return Derivation(self.id, self.title, self.lhs, tuple(steps), self.scalars, self.data,
                          self.index, self.n, self.reference)

    def numpy_function(self, expr: sp.Expr | None = None) -> Callable[..., float]:
        """The result (or ``expr``) as a NumPy function of keyword arguments named after the
        scalars and data (``f(w=..., b=..., x=array, y=array)``); sums become ``np.sum`` over the
        data arrays and ``n`` is their length."""
        e = (self.result if expr is None else expr).doit()
        arrays = {base: sp.Symbol(str(base.label)) for base in self.data}
        summed = sp.Function("SUM")

        def vectorise(s: sp.Sum) -> sp.Expr:
            f = s.function.replace(lambda a: isinstance(a, sp.Indexed),
                                   lambda a: arrays[a.base])
            return summed(f)

        e = e.replace(lambda a: isinstance(a, sp.Sum), vectorise)
        n_sym = self.n if self.n is not None else sp.Symbol("n")
        args = list(self.scalars) + list(arrays.values()) + [n_sym]
        f = sp.lambdify(args, e, modules=[{"SUM": np.sum}, "numpy"])
        names = [str(s) for s in self.scalars] + [str(v) for v in arrays.values()]

        def call(**kw):
            missing = set(names) - set(kw)
            if missing:
                raise TypeError(f"{self.id}: missing arguments {sorted(missing)}")
            data = [np.asarray(kw[str(v)], dtype=float) for v in arrays.values()]
            n = len(data[0]) if data else 1
            return f(*[kw[str(s)] for s in self.scalars], *data, n)

        return call


# --------------------------------------------------------------------------------------- checker


def _split_sums(e: sp.Expr) -> sp.Expr:
    def one(s: sp.Sum) -> sp.Expr:
        body = sp.expand(s.function)
        limits = s.limits
        terms = body.args if isinstance(body, sp.Add) else (body,)
        out = sp.S.Zero
        for t in terms:
            idx = {lim[0] for lim in limits}
            const, dep = t.as_independent(*idx, as_Add=False)
            out += const * sp.Sum(dep, *limits)
        return out

    return e.replace(lambda a: isinstance(a, sp.Sum), one)


def _canon(e: sp.Expr) -> sp.Expr:
    return _split_sums(sp.expand(e.doit()))


def _is_zero(e: sp.Expr) -> bool:
    e = sp.expand(e)
    if e == 0:
        return True
    return sp.simplify(e) == 0


def _has_sum(e: sp.Expr) -> bool:
    return e.has(sp.Sum)


def _concrete(e: sp.Expr, n_sym: sp.Symbol | None, n_val: int) -> sp.Expr:
    if n_sym is not None:
        e = e.subs(n_sym, n_val)
    return sp.expand(e.doit())


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


def _prove_equal(d: Derivation, a: sp.Expr, b: sp.Expr, rng: np.random.Generator,
                 n_values: Sequence[int]) -> tuple[bool, tuple[str, ...], str]:
    methods: list[str] = []
    # 1. symbolic
    try:
        sym_ok = _is_zero(_canon(a) - _canon(b))
    except Exception as exc:  # a SymPy failure is a failure to prove, never a pass
        return False, ("symbolic",), f"symbolic check raised {type(exc).__name__}: {exc}"
    if not sym_ok:
        return False, ("symbolic",), "symbolic difference does not simplify to 0"
    methods.append("symbolic")
    # 2. concrete n
    if (_has_sum(a) or _has_sum(b)) and d.n is not None:
        for n_val in n_values:
            if not _is_zero(_concrete(a, d.n, n_val) - _concrete(b, d.n, n_val)):
                return False, tuple(methods + [f"n={n_val}"]), f"differs when n = {n_val}"
        methods.append(f"n={min(n_values)}..{max(n_values)}")
    # 3. numeric spot check at random values
    n_val = int(rng.integers(3, 9))
    ea, eb = _concrete(a, d.n, n_val), _concrete(b, d.n, n_val)
    values: dict[sp.Basic, float] = {s: float(rng.uniform(-2, 2)) for s in d.scalars}
    for base in d.data:
        for k in range(0, n_val + 2):
            values[base[k]] = float(rng.uniform(-2, 2))
    va, vb = complex(ea.xreplace(values).evalf()), complex(eb.xreplace(values).evalf())
    if not np.isclose(va, vb, rtol=1e-9, atol=1e-12):
        return False, tuple(methods + ["numeric"]), f"numeric: {va.real:.6g} != {vb.real:.6g}"
    methods.append("numeric")
    return True, tuple(methods), ""


_PROOFS: dict[tuple, tuple[bool, tuple[str, ...], str]] = {}


def _prove_cached(d: Derivation, a: sp.Expr, b: sp.Expr, seed: int,
                  n_values: Sequence[int]) -> tuple[bool, tuple[str, ...], str]:
    """:func:`_prove_equal` memoised on the exact pair of expressions (and what the numeric check
    draws from): a step that did not change is not proven again in this process."""
    key = (sp.srepr(a), sp.srepr(b), tuple(n_values), seed,
           tuple(map(str, d.scalars)), tuple(map(str, d.data)), str(d.n))
    if key not in _PROOFS:
        digest = int.from_bytes(hashlib.sha256(repr(key).encode()).digest()[:8], "little")
        _PROOFS[key] = _prove_equal(d, a, b, np.random.default_rng(digest), n_values)
    return _PROOFS[key]


def check(d: Derivation, *, seed: int = 0, n_values: Sequence[int] = range(1, 6)) -> CheckReport:
    """Prove every step of ``d`` equal to the previous one (and the last to ``d.reference``).

    Returns a :class:`CheckReport`; ``report.ok`` is True only if every step was proven by every
    method that applies to it.
    """
    t0 = time.perf_counter()
    report = CheckReport(d)
    report.steps.append(StepCheck(0, d.steps[0].reason, True, ("definition",)))
    for k in range(1, len(d.steps)):
        ok, methods, detail = _prove_cached(d, d.steps[k - 1].expr, d.steps[k].expr, seed,
                                            n_values)
        report.steps.append(StepCheck(k, d.steps[k].reason, ok, methods, detail))
    if d.reference is not None:
        ok, methods, detail = _prove_cached(d, d.steps[-1].expr, d.reference, seed, n_values)
        report.steps.append(StepCheck(len(d.steps), "equals the independent sp.diff", ok,
                                      methods, detail))
    report.seconds = time.perf_counter() - t0
    return report
