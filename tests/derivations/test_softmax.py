"""softmax: each derivation proven, and its NumPy result equal to the algorithm's code."""
import numpy as np
import pytest

from mlv.algorithms import attention as at
from mlv.derivations import softmax
from mlv.derivations.proofs import check

RNG = np.random.default_rng(11)


@pytest.mark.parametrize("derivation", softmax.derivations(), ids=lambda d: d.id)
def test_proven(derivation):
    report = check(derivation)
    assert report.ok, report.first_failure


def test_results_equal_the_code():
    f = softmax.numpy_results()
    for _ in range(10):
        z = RNG.normal(scale=2, size=3)
        J = at.softmax_jacobian(at.softmax(z))
        assert np.isclose(f["ds1_dz1"](*z), J[0, 0], rtol=1e-12)
        assert np.isclose(f["ds1_dz2"](*z), J[0, 1], rtol=1e-12)
        label = int(RNG.integers(0, 3))
        y = np.eye(3)[label]
        g = at.cross_entropy_grad(z[None, :], [label])[0]
        assert np.isclose(f["dL_dz1"](*z, y[0], y[1]), g[0], rtol=1e-12, atol=1e-15)
