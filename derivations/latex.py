"""The LaTeX of a derivation step, split into stable groups by its top-level structure (operator,
factors, summand), so that a scene can morph one step into the next by matching groups instead
of substrings."""
from __future__ import annotations

import sympy as sp
from sympy.printing.latex import LatexPrinter

__all__ = ["step_groups", "tex"]


class _Printer(LatexPrinter):
    """SymPy's LaTeX, except that the derivative of a bare symbol that stands for an expression
    (``a_1`` for a softmax weight, through a derivation's ``where``) is written
    ``\\frac{\\partial a_1}{\\partial s_1}``, as a textbook writes it, not
    ``\\frac{d}{d s_1} a_1``."""

    def _print_Derivative(self, expr: sp.Derivative) -> str:
        (x, _), *more = expr.variable_count
        if isinstance(expr.expr, sp.Symbol) and expr.expr != x and not more \
                and expr.derivative_count == 1:
            return rf"\frac{{\partial {self._print(expr.expr)}}}{{\partial {self._print(x)}}}"
        return str(super()._print_Derivative(expr))


def tex(e: sp.Basic, order: str | None = "none") -> str:
    """``e``'s LaTeX with its terms in the order they were written (``order=None``: SymPy's
    default order)."""
    return str(_Printer({"order": order}).doprint(e))


def _is_fraction(e: sp.Basic) -> bool:
    """``num * den**-1`` written as one fraction (``\\frac{e^{-z}}{1 + e^{-z}}``)."""
    return (isinstance(e, sp.Mul) and len(e.args) == 2 and not e.args[0].is_number
            and isinstance(e.args[1], sp.Pow) and e.args[1].exp == -1)


def _wrapped(e: sp.Basic) -> list[str]:
    """Groups of ``e`` as a factor: parenthesised when it is a sum."""
    if isinstance(e, sp.Add):
        return [r"\left(" + tex(e) + r"\right)"]
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
        return [r"\frac{\partial}{\partial " + tex(v) + "}"] + _wrapped(e.expr)
    if isinstance(e, sp.Sum) and len(e.limits) == 1:
        i, lo, hi = e.limits[0]
        return [r"\sum_{" + tex(i) + "=" + tex(lo) + "}^{" + tex(hi) + "}"] + _wrapped(e.function)
    if _is_fraction(e):
        return [tex(e)]
    if isinstance(e, sp.Mul):
        args = list(e.args)
        out: list[str] = []
        if args and args[0] == -1:
            out.append("-")
            args = args[1:]
        for pos, a in enumerate(args):
            if isinstance(a, sp.Pow) and a.exp == -1:
                out.append(r"\frac{1}{" + tex(a.base) + "}")
            elif (pos > 0 or out) and _is_negative_factor(a):
                out.append(r"\left(" + tex(a, order=None) + r"\right)")
            elif _is_coefficient(a):
                out.append(tex(a, order=None))
            else:
                out.extend(_wrapped(a))
        return out
    return [tex(e)]

