"""pca: each derivation proven, and its NumPy result equal to the algorithm's code on random
inputs."""
import numpy as np
import pytest

from mlv.algorithms import autoencoder as ae  # noqa: F401
from mlv.derivations import pca
from mlv.derivations.proofs import check

RNG = np.random.default_rng(2024)


@pytest.mark.parametrize("derivation", pca.derivations(), ids=lambda d: d.id)
def test_proven(derivation):
    report = check(derivation)
    assert report.ok, report.first_failure


def test_pca_variance_and_lagrangian():
    from mlv.algorithms import pca as pca_code
    X = RNG.normal(size=(40, 2)) @ np.array([[2.0, 0.3], [0.3, 0.5]]) + [3.0, -1.0]
    Xc = X - X.mean(axis=0)
    sweep = pca_code.direction_sweep(X, n_angles=12)
    f = pca.numpy_projection_variance()
    for u, var in zip(sweep.params, sweep.extras["variance"]):
        assert np.isclose(f(u, Xc), var, rtol=1e-12)
        assert not np.isclose(f(u, X), var, rtol=1e-3)      # uncentred data: not the variance
    for dim in (2, 3):
        Y = RNG.normal(size=(30, dim))
        res = pca_code.pca(Y)
        cov, vals, U = (res.extras["covariance"], res.extras["eigenvalues"],
                        res.extras["components"])
        g = pca.numpy_lagrangian_gradient(dim)
        for j in range(dim):
            np.testing.assert_allclose(g(cov, U[j], vals[j]),
                                       res.grads[0].reshape(dim, dim)[j], atol=1e-12)
            assert np.allclose(g(cov, U[j], vals[j]), 0, atol=1e-10)
        u = RNG.normal(size=dim)
        np.testing.assert_allclose(g(cov, u, 0.7), 2 * cov @ u - 1.4 * u, rtol=1e-12)
