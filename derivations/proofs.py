"""Checking a derivation: every step proven equal to the one before, and the proof cache.

:func:`check` proves every step of a :class:`~mlv.derivations.steps.Derivation` equal to the
previous one before any of it is shown: steps without a case split by
:func:`~mlv.derivations.prover.prove_plain` (numeric, symbolic, every concrete n), piecewise steps
case by case (:func:`~mlv.derivations.piecewise.prove_regions`). A step that claims to be a
derivative is also compared with an independent ``sp.diff``, and the last step with the
derivation's ``reference``. A step passes only when every method that applies passes.

Proofs are memoised in a :class:`ProofCache` on the exact expressions and settings; the caller
passes one in (a new, empty one otherwise) and may save it to disk (JSON, keyed by SHA-256,
tagged with the checker's own hash) so that an unchanged derivation is not proven again by a
later run.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import sympy as sp

from mlv.derivations.algebra import Memo, evaluate
from mlv.derivations.piecewise import prove_regions
from mlv.derivations.prover import Proof, claimed_derivative, prove_plain
from mlv.derivations.references import prove_numeric_reference, source_digest
from mlv.derivations.steps import Derivation, Reference

__all__ = ["CHECKER_VERSION", "CheckReport", "Proof", "ProofCache", "StepCheck", "check"]


_CHECKER = ("algebra.py", "steps.py", "prover.py", "piecewise.py", "references.py", "proofs.py")


def _version() -> str:
    """A hash of the checker's own source: proofs saved by another version are not trusted."""
    h = hashlib.sha256()
    for name in _CHECKER:
        h.update(Path(__file__).with_name(name).read_bytes())
    return h.hexdigest()[:16]


CHECKER_VERSION = _version()


def prove_pair(d: Derivation, a: sp.Basic, b: sp.Basic | tuple[sp.Basic, sp.Basic],
               rng: np.random.Generator, n_values: Sequence[int], memo: Memo,
               claim: bool = False, chooses: bool = False) -> Proof:
    """Prove ``a == b``; with ``claim``, ``b`` is a derivative claim ``(f, var)`` and ``a`` is
    compared with ``sp.diff(f, var)``; ``chooses``: ``b`` is a step that claims the derivative,
    so it may give the value on a kink (the derivation's convention). A SymPy failure is a
    failure to prove, never a pass."""
    try:
        if claim:
            assert isinstance(b, tuple)
            other = claimed_derivative(d, *b)
        else:
            assert not isinstance(b, tuple)
            other = b
        sa, sb = d.substitute(a), d.substitute(other)
        if d.regions or evaluate(sa).has(sp.Piecewise) or evaluate(sb).has(sp.Piecewise):
            return prove_regions(d, sa, sb, rng, n_values, memo, claim, chooses)
        return prove_plain(d, sa, sb, rng, n_values, memo)
    except Exception as exc:  # a SymPy failure is a failure to prove, never a pass
        return Proof(False, ("error",), f"check raised {type(exc).__name__}: {exc}")


class ProofCache:
    """Proofs made or loaded in this process, keyed by the SHA-256 of what each proof depends on
    (the exact pair of expressions and the derivation's settings), and the algebra's memo.

    ``ProofCache()`` starts empty; :meth:`load` adds the proofs a file holds and :meth:`save`
    writes them all. A file written by another version of the checker loads nothing.
    """

    def __init__(self) -> None:
        self.proofs: dict[str, Proof] = {}
        self.memo = Memo()

    def __len__(self) -> int:
        return len(self.proofs)

    def clear(self) -> None:
        """Forget every proof and everything the algebra decided (a cold start)."""
        self.proofs.clear()
        self.memo.clear()

    @staticmethod
    def key(d: Derivation, a: sp.Basic, b: sp.Basic | tuple[sp.Basic, sp.Basic] | Reference,
            seed: int, n_values: Sequence[int], claim: bool = False,
            chooses: bool = False) -> str:
        """The digest a proof is stored under: everything the proof depends on."""
        if isinstance(b, Reference):
            other: object = ("numeric", b.what, tuple((sp.srepr(o), sp.srepr(r))
                                                      for o, r in b.functions),
                             source_digest(b.function, b.prepare))
        elif isinstance(b, tuple):
            other = tuple(map(sp.srepr, b))
        else:
            other = sp.srepr(b)
        c = d.convention
        parts = ("claim" if claim else "step", sp.srepr(a), other, chooses,
                 tuple(n_values), seed, tuple(map(str, d.scalars)), tuple(map(str, d.data)),
                 str(d.n), tuple((sp.srepr(o), sp.srepr(r)) for o, r in d.where),
                 tuple(map(repr, d.ranges)),
                 tuple((r.name, sp.srepr(r.condition), str(r.solve_for)) for r in d.regions),
                 None if c is None else (sp.srepr(c.value), c.owner, c.kink))
        return hashlib.sha256(repr(parts).encode()).hexdigest()

    def prove(self, d: Derivation, a: sp.Basic, b: sp.Basic | tuple[sp.Basic, sp.Basic],
              seed: int, n_values: Sequence[int], claim: bool = False,
              chooses: bool = False) -> Proof:
        """:func:`prove_pair`, memoised: a step that did not change is not proven again (in this
        process, nor across runs once the cache is saved and loaded). The random points are
        drawn from a generator seeded by the key, so a proof does not depend on the order."""
        digest = self.key(d, a, b, seed, n_values, claim, chooses)
        if digest not in self.proofs:
            rng = np.random.default_rng(int(digest[:16], 16))
            self.proofs[digest] = prove_pair(d, a, b, rng, n_values, self.memo, claim, chooses)
        return self.proofs[digest]

    def prove_reference(self, d: Derivation, ref: Reference, seed: int,
                        n_values: Sequence[int]) -> Proof:
        """The result against ``ref``: proven equal to its expression like a step, or compared
        with its function at sample points; memoised like :meth:`prove`."""
        if ref.expr is not None:
            return self.prove(d, d.result, ref.expr, seed, n_values)
        digest = self.key(d, d.result, ref, seed, n_values)
        if digest not in self.proofs:
            rng = np.random.default_rng(int(digest[:16], 16))
            self.proofs[digest] = prove_numeric_reference(d, ref, rng, self.memo)
        return self.proofs[digest]

    def save(self, path: str | os.PathLike[str]) -> int:
        """Write every proof to ``path`` (JSON, atomically), tagged with the checker's version.
        Returns the number of proofs written."""
        path = Path(path)
        data = {"checker": CHECKER_VERSION,
                "proofs": {k: [p.ok, list(p.methods), p.detail]
                           for k, p in sorted(self.proofs.items())}}
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "w") as fh:
            json.dump(data, fh)
        os.replace(tmp, path)
        return len(data["proofs"])

    def load(self, path: str | os.PathLike[str]) -> int:
        """Add the proofs saved in ``path``. A missing file, a file from another version of the
        checker, or an unreadable file loads nothing. Returns the number loaded."""
        try:
            data = json.loads(Path(path).read_text())
        except (OSError, ValueError):
            return 0
        if not isinstance(data, dict) or data.get("checker") != CHECKER_VERSION:
            return 0
        proofs = data.get("proofs", {})
        if not isinstance(proofs, dict):
            return 0
        for k, (ok, methods, detail) in proofs.items():
            self.proofs[k] = Proof(bool(ok), tuple(methods), str(detail))
        return len(proofs)


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


def check(d: Derivation, *, cache: ProofCache | None = None, seed: int = 0,
          n_values: Sequence[int] = range(1, 6)) -> CheckReport:
    """Prove every step of ``d`` equal to the previous one (and, where a step claims to be a
    derivative, equal to an independent ``sp.diff``, with the value of the derivation's kink
    convention on a kink; and the last to ``d.reference``).

    ``cache`` memoises the proofs (pass the same one to several checks, or a loaded one); without
    it every step is proven from scratch. Returns a :class:`CheckReport`; ``report.ok`` is True
    only if every step was proven by every method that applies to it.
    """
    cache = ProofCache() if cache is None else cache
    t0 = time.perf_counter()
    report = CheckReport(d)
    report.steps.append(StepCheck(0, d.steps[0].reason, True, ("definition",)))
    for k in range(1, len(d.steps)):
        claim = d.steps[k].derivative_of
        ok, methods, detail = cache.prove(d, d.steps[k - 1].expr, d.steps[k].expr, seed,
                                          n_values, chooses=claim is not None)
        if ok and claim is not None:
            c_ok, c_methods, c_detail = cache.prove(d, d.steps[k].expr, claim, seed,
                                                    n_values, claim=True)
            methods = (*methods, f"=sp.diff[{'+'.join(c_methods)}]")
            ok, detail = c_ok, (c_detail and f"derivative claim: {c_detail}")
        report.steps.append(StepCheck(k, d.steps[k].reason, ok, methods, detail))
    if d.reference is not None:
        ok, methods, detail = cache.prove_reference(d, d.reference, seed, n_values)
        report.steps.append(StepCheck(len(d.steps), f"equals the reference: {d.reference.what}",
                                      ok, methods, detail))
    report.seconds = time.perf_counter() - t0
    return report
