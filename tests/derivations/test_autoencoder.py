"""autoencoder: each derivation proven, and its NumPy result equal to the algorithm's code on random
inputs."""
import numpy as np
import pytest

from mlv.algorithms import autoencoder as ae  # noqa: F401
from mlv.algorithms import network as nw
from mlv.derivations import autoencoder
from mlv.derivations.proofs import check

RNG = np.random.default_rng(2024)


@pytest.mark.parametrize("derivation", autoencoder.derivations(), ids=lambda d: d.id)
def test_proven(derivation):
    report = check(derivation)
    assert report.ok, report.first_failure


def test_autoencoder_output_gradient():
    f = autoencoder.numpy_output_gradient()
    X = RNG.normal(size=(9, 4))
    sizes = ae.layer_sizes(4, 2, (5,))
    params = nw.init_params(sizes, random_state=3)
    acts = ("tanh", "identity", "tanh", "identity")
    p = nw.backward(params, X, X, acts, "mse")
    np.testing.assert_allclose(f(p.activations[-1], X), p.deltas[-1], rtol=1e-12, atol=1e-15)
