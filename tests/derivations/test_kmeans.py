"""kmeans: each derivation proven, and its NumPy result equal to the algorithm's code on random
inputs."""
import numpy as np
import pytest

from mlv.algorithms import autoencoder as ae  # noqa: F401
from mlv.algorithms import kmeans as km
from mlv.derivations import kmeans
from mlv.derivations.proofs import check

RNG = np.random.default_rng(2024)


@pytest.mark.parametrize("derivation", kmeans.derivations(), ids=lambda d: d.id)
def test_proven(derivation):
    report = check(derivation)
    assert report.ok, report.first_failure


def test_kmeans_gradient_equals_objective_gradient():
    f = kmeans.numpy_objective_gradient()
    for k in (1, 2, 4):
        X = RNG.normal(size=(30, 2))
        C = RNG.normal(size=(k, 2))
        labels = km.assign(X, C)
        np.testing.assert_allclose(f(X, C, labels), km.objective_gradient(X, C, labels),
                                   atol=1e-12)
        # and it vanishes when every centre is the mean of its points (labels held fixed)
        filled = np.bincount(labels, minlength=k) > 0
        means = C.copy()
        for c in np.flatnonzero(filled):
            means[c] = X[labels == c].mean(axis=0)
        assert np.allclose(f(X, means, labels)[filled], 0, atol=1e-10)
        assert not np.allclose(f(X, C, labels)[filled], 0, atol=1e-3)
        if filled.all():        # the update step is that mean
            np.testing.assert_allclose(km.update_centroids(X, labels, C), means, atol=1e-12)
