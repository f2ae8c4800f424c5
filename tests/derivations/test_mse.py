"""The MSE gradient derivations: proven, and every broken copy rejected."""
import numpy as np
import pytest
import sympy as sp

from mlv.algorithms import linear_regression as lr
from mlv.derivations import all_derivations, get
from mlv.derivations.mse import b, gradient_b, gradient_w, i, n, residual, w, y
from mlv.derivations.proofs import check
from mlv.derivations.steps import Step


@pytest.fixture(scope="module", params=["mse-gradient-w", "mse-gradient-b"])
def derivation(request):
    return get(request.param)


def test_every_step_is_proven(derivation):
    report = check(derivation)
    assert report.ok, report.first_failure
    for s in report.steps[1:]:
        assert "symbolic" in s.methods and "numeric" in s.methods
        assert "n=1..5" in s.methods         # every step here has a sum


def test_last_step_equals_independent_diff(derivation):
    report = check(derivation)
    assert report.steps[-1].reason == "equals the reference: sp.diff of the MSE"
    assert report.steps[-1].ok


def _mutants(expr):
    """Broken copies of a step: a flipped sign, a factor 2 dropped or doubled, a lost term."""
    out = {"flipped sign": -expr, "doubled": 2 * expr, "halved": expr / 2}
    lost_b = expr.subs(b, 0) if expr.has(b) else None
    if lost_b is not None and lost_b != expr:
        out["lost +b"] = lost_b
    lost_y = expr.xreplace({y[i]: 0})
    if lost_y != expr:
        out["lost y_i"] = lost_y
    return out


def test_checker_rejects_every_mutant(derivation):
    killed = total = 0
    for k in range(1, len(derivation.steps)):
        for name, bad in _mutants(derivation.steps[k].expr).items():
            total += 1
            report = check(derivation.replace_step(k, bad))
            assert not report.ok, f"step {k} mutant {name!r} was accepted"
            assert report.first_failure.index == k
            killed += 1
    print(f"{derivation.id}: killed {killed}/{total} mutants")
    assert killed == total > 10


def test_dropped_factor_two_in_chain_rule_is_rejected():
    d = gradient_w()
    r = residual()
    bad = sp.Mul(1 / n, sp.Sum(sp.Mul(r, sp.Derivative(r, w), evaluate=False), (i, 1, n)),
                 evaluate=False)
    report = check(d.replace_step(2, bad))
    assert not report.ok and report.first_failure.index == 2


def test_wrong_final_result_fails_against_sp_diff():
    """A derivation that is internally consistent but ends on a wrong result is caught by the
    independent sp.diff comparison (every step of this one equals the broken start)."""
    d = gradient_w()
    wrong = [Step(2 * s.expr, s.reason) for s in d.steps]
    broken = type(d)(d.id, d.title, d.lhs, tuple(wrong), d.scalars, d.data, d.index, d.n,
                     d.reference)
    report = check(broken)
    assert [s.ok for s in report.steps[:-1]] == [True] * len(d.steps)
    assert not report.steps[-1].ok


def test_numpy_function_equals_algorithm_gradient():
    gw, gb = gradient_w().numpy_function(), gradient_b().numpy_function()
    rng = np.random.default_rng(1)
    for n_points in (1, 2, 7, 50):
        xs, ys = rng.normal(size=n_points), rng.normal(size=n_points)
        for wv, bv in rng.normal(size=(5, 2)) * 2:
            expected = lr.mse_gradient(xs, ys, wv, bv)
            got = [gw(w=wv, b=bv, x=xs, y=ys), gb(w=wv, b=bv, x=xs, y=ys)]
            np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)


def test_groups_are_stable_and_make_the_latex(derivation):
    for step in derivation.steps:
        assert " ".join(step.groups) == step.latex
        assert all(g.strip() for g in step.groups)
    # the residual is the same group in every step that shows it: scenes can match it
    res = r"\left({y}_{i} - \left(w {x}_{i} + b\right)\right)"
    assert sum(res in s.groups for s in derivation.steps) >= 3


def test_registry_ids_are_unique():
    ids = [d.id for d in all_derivations()]
    assert len(ids) == len(set(ids))
    with pytest.raises(KeyError, match="known"):
        get("no-such-derivation")
