"""Every derivation of the course: proven, unique ids, known modules, bad ids rejected."""
import importlib

import pytest

from mlv import derivations
from mlv.derivations import all_derivations, get
from mlv.derivations.proofs import ProofCache, check

IDS = [d.id for d in all_derivations()]
_CACHE = ProofCache()


@pytest.mark.parametrize("derivation_id", IDS)
def test_every_derivation_is_proven(derivation_id):
    d = get(derivation_id)
    report = check(d, cache=_CACHE)
    assert report.ok, (d.id, report.first_failure)
    for s in report.steps[1:len(d.steps)]:
        assert "numeric" in s.methods and "symbolic" in s.methods, (d.id, s)
        assert all(r.strip() for r in (s.reason,))


def test_every_result_is_checked_against_an_independent_reference():
    """A reference for the last step (sp.diff, sp.rsolve, a simulation, NumPy's
    eigendecomposition, the likelihood, a numerical derivative) or a derivative claim on it;
    a derivation whose claim sits on a middle step has a reference for its last step too."""
    for d in all_derivations():
        last_claim = d.steps[-1].derivative_of is not None
        assert d.reference is not None or last_claim, d.id
        assert d.checked_against and all(w.strip() for w in d.checked_against), d.id
        report = check(d, cache=_CACHE)
        if d.reference is not None:
            row = report.steps[-1]
            assert row.index == len(d.steps) and row.ok, (d.id, row)
            assert row.reason == f"equals the reference: {d.reference.what}"


def test_ids_are_unique_and_kebab_case():
    assert len(IDS) == len(set(IDS))
    for i in IDS:
        assert i == i.lower() and " " not in i and "_" not in i


def test_every_topic_module_is_registered():
    names = {p.stem for p in __import__("pathlib").Path(derivations.__file__).parent.glob("*.py")}
    topics = names - {"__init__", "_build"} - derivations.ENGINE
    assert {m.rsplit(".", 1)[1] for m in derivations.MODULES} == topics
    for m in derivations.MODULES:
        assert importlib.import_module(m).derivations()
    assert len(all_derivations()) == len({d.id for d in all_derivations()})


def test_in_order_puts_the_named_modules_first_then_the_rest():
    first = derivations.in_order(["pca", "mlv.derivations.mse"])
    ids = [d.id for d in first]
    assert sorted(ids) == sorted(IDS)
    pca = [d.id for d in derivations.module_derivations("pca")]
    mse = [d.id for d in derivations.module_derivations("mse")]
    assert ids[:len(pca) + len(mse)] == pca + mse
    rest = [m for m in sorted(derivations.MODULES) if m.rsplit(".", 1)[1] not in ("pca", "mse")]
    assert ids[len(pca) + len(mse):] == [d.id for m in rest
                                         for d in derivations.module_derivations(m)]
    with pytest.raises(KeyError, match="no derivation module 'nope'"):
        derivations.in_order(["nope"])


def test_unknown_id_raises_key_error_naming_known_ids():
    with pytest.raises(KeyError) as info:
        get("no-such")
    assert "no-such" in str(info.value)
    assert "sigmoid-derivative" in str(info.value) and "mse-gradient-w" in str(info.value)


def test_every_step_has_a_reason_and_stable_groups():
    for d in all_derivations():
        for s in d.steps:
            assert s.reason.strip(), d.id
            assert " ".join(s.groups) == s.latex
            assert all(g.strip() for g in s.groups), (d.id, s.groups)


def test_no_greek_letter_is_spelled_out_in_the_latex():
    """A symbol named ``theta_{t-1}`` prints as the word "theta"; every Greek letter on the board
    must be a LaTeX command."""
    import re

    from mlv.derivations import all_derivations

    greek = r"(?<![\\a-zA-Z])(alpha|beta|gamma|delta|epsilon|eta|theta|lambda|mu|rho|sigma|tau|phi)"
    bad = [(d.id, k, s.latex) for d in all_derivations() for k, s in enumerate(d.steps)
           if re.search(greek + r"(?![a-zA-Z])", s.latex)]
    bad += [(d.id, "lhs", d.lhs) for d in all_derivations()
            if re.search(greek + r"(?![a-zA-Z])", d.lhs)]
    assert bad == []
