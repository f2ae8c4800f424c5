"""Stepwise derivations: the data model.

A :class:`Derivation` is what a lecturer writes on the board: an ordered list of :class:`Step` s,
each a SymPy expression with the reason it follows from the one before. :func:`mlv.derivations.
proofs.check` proves every step equal to the previous one before any of it is shown (the methods
are described there and in :mod:`~mlv.derivations.prover` and :mod:`~mlv.derivations.piecewise`).

**Abbreviations** (``where``): symbols the board shows (``z``, ``delta``, ``Sigma``, ``sigma(z)``)
and what they stand for; the checker expands them. A derivative *in* an abbreviation
(``dL/dz``) is taken holding it as the variable.

**Piecewise steps** (``regions``): the derivation names its cases (``y f < 0``, ``y f > 0``, the
kink ``y f = 0``); every step is proven on every region.

**Derivative claims** (``Step(..., derivative_of=(f, var))``): the step is also compared with an
independent ``sp.diff(f, var)``. The last step is also compared with ``reference`` when the
derivation gives one.

The LaTeX of a step is split into stable groups (:func:`~mlv.derivations.latex.step_groups`).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import sympy as sp

from mlv.derivations.algebra import Where, evaluate, substitute
from mlv.derivations.latex import step_groups

__all__ = ["Convention", "Derivation", "Ranges", "Reference", "Region", "Step", "Where"]

Ranges = tuple[tuple[sp.Basic, float, float], ...]
"""Where the numeric checks draw a symbol (or an ``IndexedBase``'s entries) from."""


@dataclass(frozen=True)
class Step:
    """One line of a derivation.

    Parameters
    ----------
    expr : sympy expression
        The step, built unevaluated where its written form matters
        (``sp.Mul(..., evaluate=False)``).
    reason : str
        Why it follows from the previous step ("chain rule", "linearity of the sum").
    derivative_of : (sympy expression, variable), optional
        A claim that this step *is* ``d f / d var``: the checker also compares it with an
        independent ``sp.diff(f, var)``. ``var`` may be a symbol, or a column of symbols (or a
        ``MatrixSymbol`` defined in the derivation's ``where``) for a gradient.
    """

    expr: sp.Basic
    reason: str
    derivative_of: tuple[sp.Basic, sp.Basic] | None = None

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

    A region with ``solve_for`` is a *kink*: ``condition`` is an equation (``Eq``) that is solved
    for that symbol to sample points on it. Derivatives do not exist there, so a step that still
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


@dataclass(frozen=True)
class Convention:
    """What a piecewise result is on a kink, where the function has no derivative: the value the
    code uses there (a subgradient), declared once per derivation and checked.

    Parameters
    ----------
    value : sympy expression
        The result on the kink (``0`` for ReLU at 0; ``-y x_1`` for the perceptron, which
        updates on ``y f <= 0``).
    owner : str, optional
        The region whose derivative holds on the boundary (``"z < 0"``): the value must equal that
        side's derivative there. None for a value of its own (such as 1/2 for ReLU).
    kink : str, optional
        The kink region it is about (default: every kink of the derivation).
    """

    value: sp.Basic
    owner: str | None = None
    kink: str | None = None

    def describe(self) -> str:
        side = f" (the side {self.owner} owns the kink)" if self.owner else ""
        return f"{sp.sstr(self.value)} on the kink{side}"


@dataclass(frozen=True)
class Reference:
    """An independent value for a derivation's result, computed another way, that the last step
    must equal.

    Parameters
    ----------
    what : str
        How the reference is computed, as ``mlv check`` prints it ("sp.diff of the MSE",
        "simulating momentum's velocity from v_0 = 0").
    expr : sympy expression, optional
        A SymPy expression (``sp.diff`` of the starting expression, ``sp.rsolve`` of a
        recurrence) proven equal to the result like a step.
    function : callable, optional
        Or a numeric computation: ``function(**values)`` with one keyword per scalar (a number),
        per data base (an array: one entry per sample, or one row per sample for data indexed
        twice) and ``n`` (its symbol's name) when the derivation has one. It is compared with the
        result at sample points (in every cell of a piecewise result, the kinks included).
    functions : pairs, optional
        Undefined functions of the result made concrete for the numeric comparison
        (``{f: Lambda(u, tanh(u))}``), as the function computes them.
    prepare : callable, optional
        ``prepare(values) -> values``: adjusts the drawn values before both sides see them
        (centres the data, for a derivation about centred data).
    """

    what: str
    expr: sp.Basic | None = None
    function: Callable[..., Any] | None = None
    functions: Where = ()
    prepare: Callable[[dict[str, Any]], dict[str, Any]] | None = None

    def __post_init__(self) -> None:
        if (self.expr is None) == (self.function is None):
            raise ValueError(f"reference {self.what!r}: give an expression or a function")
        object.__setattr__(self, "functions", _where(self.functions))


def _where(value: Mapping[sp.Basic, sp.Basic] | Iterable[tuple[sp.Basic, sp.Basic]]) -> Where:
    items = value.items() if isinstance(value, Mapping) else value
    return tuple((o, r) for o, r in items)


def _ranges(value: Mapping[sp.Basic, tuple[float, float]]
            | Iterable[tuple[sp.Basic, float, float]]) -> Ranges:
    if isinstance(value, Mapping):
        return tuple((s, float(lo), float(hi)) for s, (lo, hi) in value.items())
    return tuple((s, float(lo), float(hi)) for s, lo, hi in value)


@dataclass(frozen=True, init=False)
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
    reference : Reference, optional
        An independent value for the result (``sp.diff`` of the starting expression, a numeric
        simulation, NumPy's eigendecomposition) that the last step must equal; a derivation
        whose last step claims to be a derivative has ``sp.diff`` as one already.
    where : mapping or pairs, optional
        Abbreviations written on the board and expanded by the checker: a symbol (or
        ``MatrixSymbol``) and what it stands for, or an undefined function (``sigma``) and a
        ``Lambda`` (``1 / (1 + exp(-z))``). Kept as a tuple of pairs.
    ranges : mapping ``symbol -> (low, high)`` or triples ``(symbol, low, high)``, optional
        Where the numeric checks draw a symbol (or an ``IndexedBase``'s entries) from; default
        ``(-2, 2)``, or ``(0.1, 2)`` for a positive symbol. Kept as a tuple of triples.
    regions : sequence of Region, optional
        The case split of a piecewise derivation; every step is proven on every region.
    convention : Convention, optional
        The value of the result on the kink (required when a derivative claim gives one).
    """

    id: str
    title: str
    lhs: str
    steps: tuple[Step, ...]
    scalars: tuple[sp.Symbol, ...]
    data: tuple[sp.IndexedBase, ...]
    index: sp.Symbol | None
    n: sp.Symbol | None
    reference: Reference | None
    where: Where
    ranges: Ranges
    regions: tuple[Region, ...]
    convention: Convention | None

    def __init__(self, id: str, title: str, lhs: str, steps: Iterable[Step],
                 scalars: Iterable[sp.Symbol] = (), data: Iterable[sp.IndexedBase] = (),
                 index: sp.Symbol | None = None, n: sp.Symbol | None = None,
                 reference: Reference | None = None,
                 where: Mapping[sp.Basic, sp.Basic] | Iterable[tuple[sp.Basic, sp.Basic]] = (),
                 ranges: Mapping[sp.Basic, tuple[float, float]]
                 | Iterable[tuple[sp.Basic, float, float]] = (),
                 regions: Iterable[Region] = (),
                 convention: Convention | None = None) -> None:
        values: dict[str, Any] = dict(
            id=id, title=title, lhs=lhs, steps=tuple(steps), scalars=tuple(scalars),
            data=tuple(data), index=index, n=n, reference=reference, where=_where(where),
            ranges=_ranges(ranges), regions=tuple(regions), convention=convention)
        for name, value in values.items():
            object.__setattr__(self, name, value)
        if len(self.steps) < 2:
            raise ValueError(f"{self.id}: a derivation needs at least two steps")
        if reference is not None and not isinstance(reference, Reference):
            raise TypeError(f"{self.id}: reference must be a Reference (say what it is)")
        if convention is not None:
            kinks = [r.name for r in self.regions if r.kink]
            names = [r.name for r in self.regions if not r.kink]
            if not kinks or (convention.kink is not None and convention.kink not in kinks):
                raise ValueError(f"{self.id}: the convention's kink is not a kink region")
            if convention.owner is not None and convention.owner not in names:
                raise ValueError(f"{self.id}: the convention's owner {convention.owner!r} is "
                                 f"not one of the regions {names}")

    @property
    def checked_against(self) -> tuple[str, ...]:
        """The independent references the result is checked against: the reference, and the
        ``sp.diff`` of every derivative claim (with the step it is on)."""
        out = [f"an independent sp.diff (step {k})" for k, s in enumerate(self.steps)
               if s.derivative_of is not None]
        if self.reference is not None:
            out.append(self.reference.what)
        return tuple(out)

    @property
    def result(self) -> sp.Basic:
        """The last step's expression."""
        return self.steps[-1].expr

    def replace_step(self, k: int, expr: sp.Basic) -> Derivation:
        """A copy with step ``k`` replaced (used by tests to break one step on purpose); the step
        keeps its reason and its derivative claim."""
        steps = list(self.steps)
        steps[k] = Step(expr, steps[k].reason, steps[k].derivative_of)
        return replace(self, steps=tuple(steps))

    def substitute(self, expr: sp.Basic) -> sp.Basic:
        """``expr`` with the ``where`` abbreviations expanded (nothing evaluated)."""
        return substitute(self.where, expr, self.id)

    def expand(self, expr: sp.Basic | None = None) -> sp.Basic:
        """``expr`` (default the result) with the ``where`` abbreviations expanded and evaluated:
        the expression the checker proves."""
        return evaluate(self.substitute(self.result if expr is None else expr))

    def numpy_function(self, expr: sp.Basic | None = None) -> Callable[..., Any]:
        """The result (or ``expr``) as a NumPy function of keyword arguments named after the
        scalars and data (``f(w=..., b=..., x=array, y=array)``); sums become ``np.sum`` over the
        data arrays and ``n`` is their length. Data indexed twice (``x_{i1}``: sample i, feature
        1) take a 2-D array, one row per sample. ``where`` abbreviations are expanded first."""
        e = self.expand(expr)
        columns: dict[tuple, sp.Symbol] = {}

        def column(a: sp.Indexed) -> sp.Symbol:
            key = (a.base, tuple(a.indices[1:]))
            if key not in columns:
                columns[key] = sp.Symbol(f"_{a.base.label}_{len(columns)}")
            return columns[key]

        summed = sp.Function("SUM")

        def vectorise(s: sp.Sum) -> sp.Basic:
            return summed(s.function.replace(lambda a: isinstance(a, sp.Indexed), column))

        e = e.replace(lambda a: isinstance(a, sp.Sum), vectorise)
        n_sym = self.n if self.n is not None else sp.Symbol("n")
        keys = list(columns)
        n_given = str(n_sym) in map(str, self.scalars)   # n given as a parameter
        args = list(self.scalars) + [columns[k] for k in keys] + ([] if n_given else [n_sym])
        f = sp.lambdify(args, e, modules=[{"SUM": np.sum}, "numpy"])
        names = [str(s) for s in self.scalars] + [str(base.label) for base in self.data]

        def call(**kw: Any) -> Any:
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
