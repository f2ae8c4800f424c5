"""SymPy derivations, each step proven equal to the previous one before it is shown.

The engine: :mod:`~mlv.derivations.steps` (the data model: Step, Region, Derivation),
:mod:`~mlv.derivations.latex` (a step's LaTeX groups), :mod:`~mlv.derivations.algebra` (expanding
abbreviations, a canonical form, deciding 0), :mod:`~mlv.derivations.prover` (numeric, symbolic
and concrete-n proofs), :mod:`~mlv.derivations.piecewise` (case by case) and
:mod:`~mlv.derivations.references` (numeric references) and :mod:`~mlv.derivations.proofs`
(``check``, the reports and the proof cache).

Every other module here is a topic that defines ``derivations() -> list[Derivation]``; they are
found by listing the package, in no particular order: the course order belongs to the catalog
(``mlv.scenes.catalog.SceneEntry.derivations``), and :func:`in_order` arranges derivations by a
list of module names the caller gives. Nothing here imports manim or the scenes.
"""
from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from functools import cache

from mlv.derivations.proofs import check
from mlv.derivations.steps import Derivation

__all__ = ["ENGINE", "MODULES", "Derivation", "all_derivations", "check", "get", "in_order",
           "module_derivations", "module_name"]

ENGINE = frozenset({"algebra", "latex", "piecewise", "proofs", "prover", "references", "steps"})
"""The checker's own modules (everything else in the package is a topic)."""

MODULES = tuple(sorted(f"{__name__}.{m.name}" for m in pkgutil.iter_modules(__path__)
                       if not m.name.startswith("_") and m.name not in ENGINE))
"""Every topic module: ``mlv.derivations.activations``, ... by name (the course order is the
catalog's)."""


def module_name(name: str) -> str:
    """The full name of a topic module given by its short name (``"mse"``) or full name;
    ``KeyError`` naming the known modules if there is none."""
    full = name if name.startswith(__name__ + ".") else f"{__name__}.{name}"
    if full not in MODULES:
        known = ", ".join(sorted(m.rsplit(".", 1)[1] for m in MODULES))
        raise KeyError(f"no derivation module {name!r}; known: {known}")
    return full


def module_derivations(name: str) -> list[Derivation]:
    """The derivations of one topic module, in the order it lists them."""
    out: list[Derivation] = importlib.import_module(module_name(name)).derivations()
    return out


@cache
def _module_of() -> dict[str, str]:
    return {d.id: m for m in MODULES for d in module_derivations(m)}


def all_derivations() -> list[Derivation]:
    """Every derivation of every topic module (modules by name, each in its own order)."""
    return [d for m in MODULES for d in module_derivations(m)]


def in_order(modules: Iterable[str]) -> list[Derivation]:
    """Every derivation, those of ``modules`` first in that order (short or full names), then
    those of the modules not named (by name); within a module in the module's own order."""
    rank: dict[str, int] = {}
    for m in modules:
        rank.setdefault(module_name(m), len(rank))
    for m in MODULES:
        rank.setdefault(m, len(rank))
    where = _module_of()
    everything = all_derivations()
    position = {id(d): k for k, d in enumerate(everything)}
    return sorted(everything, key=lambda d: (rank.get(where.get(d.id, ""), len(rank)),
                                             position[id(d)]))


def get(derivation_id: str) -> Derivation:
    """The derivation with this id; ``KeyError`` naming the known ids if there is none."""
    for d in all_derivations():
        if d.id == derivation_id:
            return d
    known = ", ".join(d.id for d in all_derivations())
    raise KeyError(f"no derivation {derivation_id!r}; known: {known}")
