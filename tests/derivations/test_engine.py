"""The checker's engine: piecewise steps case by case, derivative claims, abbreviations, and the
proof cache on disk."""
import json

import pytest
import sympy as sp

from mlv.derivations import activations, perceptron, proofs
from mlv.derivations.proofs import ProofCache, check
from mlv.derivations.steps import Convention, Derivation, Reference, Region, Step

z = sp.Symbol("z", real=True)
REGIONS = activations.RELU_REGIONS


def _relu(last, claim=True, convention=activations.RELU_CONVENTION, middle=None):
    steps = (Step(sp.Derivative(sp.Max(0, z), z), "ReLU"),
             Step(sp.Piecewise((0, z < 0), (1, z > 0)) if middle is None else middle,
                  "each piece"),
             Step(last, "convention", derivative_of=(sp.Max(0, z), z) if claim else None))
    return Derivation("t-relu", "t", "f", steps, scalars=(z,), regions=REGIONS,
                      convention=convention)


def test_piecewise_steps_are_proven_case_by_case():
    report = check(_relu(sp.Piecewise((1, z > 0), (0, True))))
    assert report.ok, report.first_failure
    methods = report.steps[-1].methods
    assert "case z < 0" in methods and "case z > 0" in methods
    assert "z = 0 (kink): convention" in methods
    assert any("convention (the side z < 0)" in m for m in methods)     # the claim, on the kink


@pytest.mark.parametrize("bad", [
    sp.Piecewise((1, z < 0), (0, True)),           # branches swapped
    sp.Piecewise((1, z > 1), (0, True)),           # wrong threshold: wrong on 0 < z < 1
    sp.Piecewise((1, z > 0), (2, sp.Eq(z, 0)), (0, True)),   # 2 at the kink: no subgradient
    sp.Piecewise((1, z > 0), (-1, sp.Eq(z, 0)), (0, True)),
    sp.Piecewise((1, z >= 0), (0, True)),          # the kink given to the other side
    sp.Piecewise((1, z > 0), (sp.Rational(1, 2), sp.Eq(z, 0)), (0, True)),   # a subgradient,
    sp.Piecewise((1, z > 0), (0, z < 0)),          # not the convention; or no value at all
    sp.Piecewise((5, z > 40), (1, z > 0), (0, True)),        # a wrong branch far from 0
    sp.Piecewise((1, z > 0), (-3, z < -1000), (0, True)),
])
def test_wrong_piecewise_results_are_rejected(bad):
    report = check(_relu(bad))
    assert not report.ok and report.first_failure.index == 2, report.first_failure


def test_the_kink_convention_is_declared_and_pinned():
    half = sp.Piecewise((1, z > 0), (sp.Rational(1, 2), sp.Eq(z, 0)), (0, True))
    # a value of its own (no side owns the kink): 1/2 is the convention, so 1/2 is accepted ...
    own = Convention(sp.Rational(1, 2))
    assert check(_relu(half, convention=own)).ok
    # ... and 0 is not
    report = check(_relu(sp.Piecewise((1, z > 0), (0, True)), convention=own))
    assert not report.ok and report.first_failure.index == 2
    # no convention declared: the step may not choose one
    report = check(_relu(sp.Piecewise((1, z > 0), (0, True)), convention=None))
    assert not report.ok and "convention" in report.first_failure.detail
    # a convention that names the wrong side (0 is the slope of z < 0, not of z > 0)
    wrong_side = Convention(sp.Integer(0), owner="z > 0")
    report = check(_relu(sp.Piecewise((1, z > 0), (0, True)), convention=wrong_side))
    assert not report.ok and "side z > 0" in report.first_failure.detail
    # a convention that is no subgradient
    report = check(_relu(sp.Piecewise((1, z > 0), (2, sp.Eq(z, 0)), (0, True)),
                         convention=Convention(sp.Integer(2))))
    assert not report.ok and "one-sided" in report.first_failure.detail
    with pytest.raises(ValueError, match="owner"):
        _relu(half, convention=Convention(sp.Integer(0), owner="z < 7"))


@pytest.mark.parametrize("middle", [
    sp.Piecewise((0, z <= 0), (1, z > 0)),         # the middle step picks a value at the kink
    sp.Piecewise((0, z < 0), (1, z >= 0)),
])
def test_only_the_derivative_claim_may_give_the_kink_a_value(middle):
    report = check(_relu(sp.Piecewise((1, z > 0), (0, True)), middle=middle))
    assert not report.ok and report.first_failure.index == 1
    assert "only the step that claims the derivative" in report.first_failure.detail


def test_every_branch_is_proven_on_its_own_region_however_far_out():
    """A step without declared regions: a wrong branch where no default sample lands (x > 50,
    x < -1000) is found by sampling inside each branch's region."""
    x = sp.Symbol("x", real=True)

    def steps(last):
        return Derivation("t-far", "t", "f", (Step(sp.Derivative(x**2, x), "a"),
                                              Step(last, "b")), scalars=(x,))

    assert check(steps(2 * x)).ok
    assert check(steps(sp.Piecewise((2 * x, x > 50), (x + x, True)))).ok
    for bad in (sp.Piecewise((2 * x + 1, x > 50), (2 * x, True)),
                sp.Piecewise((2 * x, x > -1000), (0, True)),
                sp.Piecewise((2 * x, x < 50), (2 * x, x > 50), (7, True))):     # x = 50 itself
        report = check(steps(bad))
        assert not report.ok and report.first_failure.index == 1, bad


def test_branches_not_decided_by_one_quantity_are_reached_by_widening_ranges():
    x, t = sp.symbols("x t", real=True)
    far = (x > 30) & (t < -40)                   # two quantities: no single case variable
    good = sp.Piecewise((x * (t + 1) - x, far), (x * t, True))
    bad = sp.Piecewise((x * t + 1, far), (x * t, True))
    for last, ok in ((good, True), (bad, False)):
        d = Derivation("t-wide", "t", "f", (Step(x * t, "a"), Step(last, "b")), scalars=(x, t))
        report = check(d)
        assert report.ok is ok, report.steps
        assert "case everywhere" in report.steps[1].methods or not ok


def test_a_region_that_cannot_be_sampled_is_a_failure_not_a_pass():
    d = _relu(sp.Piecewise((1, z > 0), (0, True)))
    empty = Derivation(d.id, d.title, d.lhs, d.steps, d.scalars,
                       regions=(Region("nowhere", (z > 5) & (z < -5)),))
    report = check(empty)
    assert not report.ok and "nowhere" in report.first_failure.detail


def test_derivative_claim_catches_a_consistent_but_wrong_chain():
    x = sp.Symbol("x", real=True)
    good = Derivation("t-claim", "t", "f", (Step(x**3 + 1, "a"), Step(3 * x**2 + 1 - 1, "b"),
                                             Step(3 * x**2, "c", derivative_of=(x**3, x))),
                      scalars=(x,))
    # every step equal to the previous one, but the chain does not start at a derivative
    assert check(good).ok is False           # step 0 is x³ + 1, not 3x² : caught at step 1
    chain = Derivation("t-claim2", "t", "f", (Step(2 * x**2, "a"), Step(x**2 + x**2, "b",
                                              derivative_of=(x**3, x))), scalars=(x,))
    report = check(chain)
    assert not report.ok and "derivative claim" in report.first_failure.detail
    ok = Derivation("t-claim3", "t", "f", (Step(sp.Derivative(x**3, x), "a"),
                                           Step(3 * x**2, "b", derivative_of=(x**3, x))),
                    scalars=(x,))
    assert check(ok).ok


def test_where_abbreviations_are_expanded_and_a_wrong_one_is_caught():
    x, s = sp.symbols("x s", real=True)
    steps = (Step(sp.Derivative(s**2, x), "s = 3x"), Step(18 * x, "chain rule"))
    assert check(Derivation("t-where", "t", "f", steps, scalars=(x,), where={s: 3 * x})).ok
    assert not check(Derivation("t-where2", "t", "f", steps, scalars=(x,),
                                where={s: 2 * x})).ok


def test_ranges_confine_the_numeric_check():
    """log(p²) = 2 log p holds only for p > 0: the symbolic check expands logs as if their
    arguments were positive, and the numeric check (complex arithmetic, at points of the ranges)
    is what rejects the step where they are not."""
    p = sp.Symbol("p", real=True)
    steps = (Step(sp.log(p**2), "a"), Step(2 * sp.log(p), "log of a power"))
    assert check(Derivation("t-range", "t", "f", steps, scalars=(p,),
                            ranges={p: (0.1, 3)})).ok
    assert not check(Derivation("t-range2", "t", "f", steps, scalars=(p,),
                                ranges={p: (-3, -0.1)})).ok


def test_proof_cache_round_trip(tmp_path, monkeypatch):
    d = perceptron.subgradient_w1()
    path = tmp_path / "proofs.json"
    cache = ProofCache()
    first = check(d, cache=cache)
    assert cache.save(path) >= len(d.steps)
    data = json.loads(path.read_text())
    assert all(len(k) == 64 for k in data["proofs"])            # SHA-256 hex keys
    loaded = ProofCache()
    assert loaded.load(path) == len(data["proofs"]) == len(loaded)

    def boom(*args, **kwargs):
        raise AssertionError("re-proven although cached")

    monkeypatch.setattr(proofs, "prove_pair", boom)
    again = check(d, cache=loaded)
    assert [s.methods for s in again.steps] == [s.methods for s in first.steps]
    assert again.ok
    with pytest.raises(AssertionError, match="re-proven"):
        check(d, cache=ProofCache())                  # an empty cache proves again


def test_a_cache_passed_in_is_the_only_state(monkeypatch):
    """Two caches do not share proofs: nothing is kept at module level."""
    d = activations.sigmoid_derivative()
    one = ProofCache()
    check(d, cache=one)
    assert len(one) >= len(d.steps) - 1
    calls = []
    real = proofs.prove_pair
    monkeypatch.setattr(proofs, "prove_pair", lambda *a, **k: calls.append(1) or real(*a, **k))
    check(d, cache=one)
    assert calls == []
    check(d, cache=ProofCache())
    assert len(calls) >= len(d.steps) - 1
    one.clear()
    assert len(one) == 0 and not one.memo.zero


def test_proof_cache_ignores_missing_foreign_and_broken_files(tmp_path):
    cache = ProofCache()
    assert cache.load(tmp_path / "absent.json") == 0
    (tmp_path / "broken.json").write_text("{not json")
    assert cache.load(tmp_path / "broken.json") == 0
    (tmp_path / "old.json").write_text(json.dumps({"checker": "another", "proofs": {
        "0" * 64: [True, ["numeric"], ""]}}))
    assert cache.load(tmp_path / "old.json") == 0
    assert len(cache) == 0


def test_a_changed_step_is_proven_again_after_loading(tmp_path):
    d = activations.sigmoid_derivative()
    cache = ProofCache()
    check(d, cache=cache)
    cache.save(tmp_path / "p.json")
    loaded = ProofCache()
    loaded.load(tmp_path / "p.json")
    broken = d.replace_step(3, 2 * d.steps[3].expr)
    assert not check(broken, cache=loaded).ok


def test_a_numeric_reference_is_compared_at_points_of_every_case():
    x = sp.Symbol("x", real=True)
    steps = (Step(sp.Max(0, x - 1), "a"), Step(sp.Piecewise((x - 1, x > 1), (0, True)), "b"))
    right = Reference("NumPy max", function=lambda x: max(0.0, x - 1.0))
    d = Derivation("t-ref", "t", "f", steps, scalars=(x,), reference=right)
    report = check(d)
    assert report.ok and report.steps[-1].reason == "equals the reference: NumPy max"
    assert "numeric reference" in report.steps[-1].methods
    wrong_far = Reference("wrong far out", function=lambda x: max(0.0, x - 1.0) + (x > 500))
    report = check(Derivation("t-ref2", "t", "f", steps, scalars=(x,), reference=wrong_far))
    assert not report.ok and report.first_failure.index == 2
    with pytest.raises(ValueError):
        Reference("both", expr=x, function=abs)
    with pytest.raises(TypeError):
        Derivation("t-ref3", "t", "f", steps, scalars=(x,), reference=x)


def test_replace_step_keeps_reason_and_claim():
    d = activations.sigmoid_derivative()
    e = d.replace_step(6, d.steps[6].expr * 2)
    assert e.steps[6].reason == d.steps[6].reason
    assert e.steps[6].derivative_of == d.steps[6].derivative_of
    assert e.where == d.where and e.regions == d.regions


def test_proof_keys_are_the_same_in_every_process():
    """A warm ``mlv check`` proves nothing again: no key depends on the process (a Dummy's
    index, an object's address), whatever was created before the derivations."""
    import subprocess
    import sys

    code = ("import json, sys, sympy as sp\n"
            "junk = [sp.Dummy() for _ in range(int(sys.argv[1]))]\n"
            "from mlv import derivations\n"
            "from mlv.derivations.proofs import ProofCache\n"
            "keys = []\n"
            "for d in derivations.all_derivations():\n"
            "    for k in range(1, len(d.steps)):\n"
            "        keys.append(ProofCache.key(d, d.steps[k - 1].expr, d.steps[k].expr, 0,"
            " range(1, 6)))\n"
            "    if d.reference is not None:\n"
            "        keys.append(ProofCache.key(d, d.result, d.reference.expr if d.reference.expr"
            " is not None else d.reference, 0, range(1, 6)))\n"
            "print(json.dumps(keys))\n")
    runs = [subprocess.run([sys.executable, "-c", code, n], capture_output=True, text=True,
                           check=True).stdout for n in ("0", "7")]
    assert json.loads(runs[0]) == json.loads(runs[1])
    assert len(json.loads(runs[0])) > 150


def test_a_symbol_standing_for_an_expression_is_differentiated_as_a_textbook_writes_it():
    """d a_1 / d s_1 is written as a fraction of partials; d/dz z, d/dz of a sum and SymPy's other
    derivatives keep SymPy's own form."""
    import sympy as sp

    from mlv.derivations.latex import tex

    a, s, z = sp.symbols("a_1 s_1 z")
    assert tex(sp.Derivative(a, s, evaluate=False)) == r"\frac{\partial a_{1}}{\partial s_{1}}"
    assert tex(sp.Derivative(z, z, evaluate=False)) == sp.latex(sp.Derivative(z, z,
                                                                            evaluate=False))
    assert tex(sp.Derivative(z**2, z, evaluate=False)) == r"\frac{d}{d z} z^{2}"
    assert tex(sp.Derivative(a, s, s, evaluate=False)) == sp.latex(
        sp.Derivative(a, s, s, evaluate=False))
