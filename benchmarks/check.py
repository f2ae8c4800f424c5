"""Time the derivation checker over every derivation of the course: cold (an empty proof cache),
then warm from the proof cache file written by the cold run and loaded into a fresh
:class:`~mlv.derivations.proofs.ProofCache` (what a second ``mlv check`` does).

    python benchmarks/check.py [--cache PATH]

Prints one row per derivation (steps, cold and warm seconds, result) and the totals; exits 1 if
a derivation is not proven or the cold total exceeds the 30 s budget.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mlv import derivations  # noqa: E402
from mlv.derivations.proofs import ProofCache, check  # noqa: E402

BUDGET_S = 30.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=None,
                        help="proof cache file (default: a temporary file)")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    everything = derivations.all_derivations()
    build = time.perf_counter() - t0

    proofs = ProofCache()
    cold = {d.id: check(d, cache=proofs) for d in everything}
    cache = args.cache or Path(tempfile.mkdtemp()) / "proofs.json"
    t = time.perf_counter()
    stored = proofs.save(cache)
    save_s = time.perf_counter() - t

    proofs = ProofCache()
    t = time.perf_counter()
    loaded = proofs.load(cache)
    load_s = time.perf_counter() - t
    warm = {d.id: check(d, cache=proofs) for d in everything}

    print(f"{'derivation':<34} {'steps':>5} {'cold s':>8} {'warm s':>8}  result")
    for d in everything:
        c, w = cold[d.id], warm[d.id]
        print(f"{d.id:<34} {len(d.steps):>5} {c.seconds:>8.3f} {w.seconds:>8.4f}  "
              f"{'ok' if c.ok and w.ok else 'FAIL'}")
    cold_total = sum(r.seconds for r in cold.values())
    warm_total = sum(r.seconds for r in warm.values())
    print(f"{'total (' + str(len(everything)) + ' derivations)':<34} "
          f"{sum(len(d.steps) for d in everything):>5} {cold_total:>8.2f} {warm_total:>8.4f}")
    print(f"building the derivations: {build:.2f} s; proof cache: {stored} proofs, saved in "
          f"{save_s:.3f} s, {loaded} loaded in {load_s:.3f} s ({cache})")
    ok = all(r.ok for r in cold.values()) and all(r.ok for r in warm.values())
    if cold_total + build > BUDGET_S:
        print(f"cold check took {cold_total + build:.1f} s, over the {BUDGET_S:.0f} s budget")
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
