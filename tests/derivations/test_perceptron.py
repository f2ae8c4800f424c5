"""perceptron: each derivation proven, and its NumPy result equal to the algorithm's code on random
inputs."""
import numpy as np
import pytest

from mlv.algorithms import autoencoder as ae  # noqa: F401
from mlv.algorithms import perceptron as pc
from mlv.derivations import perceptron
from mlv.derivations.proofs import check

RNG = np.random.default_rng(2024)


@pytest.mark.parametrize("derivation", perceptron.derivations(), ids=lambda d: d.id)
def test_proven(derivation):
    report = check(derivation)
    assert report.ok, report.first_failure


def test_perceptron_subgradient_including_the_kink():
    g, crit = perceptron.numpy_criterion_subgradient(), perceptron.numpy_criterion()
    X = RNG.integers(-2, 3, size=(25, 2)).astype(float)       # integer points: exact kinks
    y = np.where(RNG.random(25) < 0.5, -1.0, 1.0)
    for w, b in ((np.zeros(2), 0.0), (np.array([1.0, -1.0]), 0.0),
                 (RNG.normal(size=2), float(RNG.normal()))):
        np.testing.assert_allclose(g(X, y, w, b), pc.criterion_subgradient(X, y, w, b),
                                   atol=1e-12)
        assert np.isclose(crit(X, y, w, b), pc.criterion(X, y, w, b))
