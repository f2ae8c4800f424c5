"""activations: each derivation proven, and its NumPy result equal to the algorithm's code on random
inputs."""
import numpy as np
import pytest

from mlv.algorithms import autoencoder as ae  # noqa: F401
from mlv.algorithms import network as nw
from mlv.derivations import activations
from mlv.derivations.proofs import check

RNG = np.random.default_rng(2024)


@pytest.mark.parametrize("derivation", activations.derivations(), ids=lambda d: d.id)
def test_proven(derivation):
    report = check(derivation)
    assert report.ok, report.first_failure


def test_activation_derivatives():
    z = np.concatenate([RNG.normal(size=200) * 4, [0.0, -0.0, 1e-12, -1e-12]])
    for name, f in activations.numpy_derivatives().items():
        np.testing.assert_allclose(f(z), nw.derivative(name, z), rtol=1e-12, atol=1e-15,
                                   err_msg=name)
    assert activations.numpy_derivatives()["relu"](np.array([0.0]))[0] == 0.0   # the convention
