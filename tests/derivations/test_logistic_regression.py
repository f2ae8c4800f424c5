"""logistic_regression: each derivation proven, and its NumPy result equal to the algorithm's
code on random inputs."""
import numpy as np
import pytest

from mlv.algorithms import autoencoder as ae  # noqa: F401
from mlv.algorithms import logistic_regression as lr
from mlv.derivations import logistic_regression
from mlv.derivations.proofs import check

RNG = np.random.default_rng(2024)


@pytest.mark.parametrize("derivation", logistic_regression.derivations(), ids=lambda d: d.id)
def test_proven(derivation):
    report = check(derivation)
    assert report.ok, report.first_failure


def test_logistic_gradient_is_a_mean_over_samples():
    g = logistic_regression.numpy_gradient()
    for n in (1, 3, 7, 40):
        X = RNG.normal(size=(n, 2))
        y = (RNG.random(n) < 0.5).astype(float)
        w, b = RNG.normal(size=2), float(RNG.normal())
        np.testing.assert_allclose(g(X, y, w, b), lr.gradient(X, y, w, b), rtol=1e-10,
                                   atol=1e-14)
    # the derived BCE equals the code's loss too
    f = logistic_regression.likelihood().numpy_function()
    X, y = RNG.normal(size=(9, 2)), (RNG.random(9) < 0.5).astype(float)
    w, b = RNG.normal(size=2), 0.4
    p = lr.predict_proba(X, w, b)
    assert np.isclose(f(p=p, y=y), lr.bce(X, y, w, b), rtol=1e-10)
