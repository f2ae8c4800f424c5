"""attention: each derivation proven, and its NumPy result equal to the algorithm's
``attention_backward`` on random inputs."""
import numpy as np
import pytest

from mlv.algorithms import attention as at
from mlv.derivations import attention
from mlv.derivations.proofs import check

RNG = np.random.default_rng(12)


@pytest.mark.parametrize("derivation", attention.derivations(), ids=lambda d: d.id)
def test_proven(derivation):
    report = check(derivation)
    assert report.ok, report.first_failure


def test_results_equal_attention_backward():
    f = attention.numpy_results()
    for _ in range(10):
        q, K, v = RNG.normal(size=2), RNG.normal(size=(2, 2)), RNG.normal(size=2)
        dQ, dK, _ = at.attention_backward(q[None, :], K, v[:, None], np.ones((1, 1)))
        args = (*q, *K.ravel(), *v)
        assert np.isclose(f["do_dq1"](*args), dQ[0, 0], rtol=1e-10, atol=1e-14)
        assert np.isclose(f["do_dk11"](*args), dK[0, 0], rtol=1e-10, atol=1e-14)
