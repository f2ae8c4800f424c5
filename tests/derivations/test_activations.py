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


def test_the_relu_kink_convention_is_the_one_the_network_code_uses():
    """The derivation declares ReLU'(0) = 0, the slope of the side z < 0; the algorithm's own
    function, evaluated exactly at the kink, gives the same (and neither side's other value)."""
    d = activations.relu_derivative()
    assert d.convention is activations.RELU_CONVENTION
    assert d.convention.owner == "z < 0"
    at_kink = float(nw.derivative("relu", 0.0))
    assert at_kink == float(d.convention.value) == 0.0
    assert float(nw.derivative("relu", np.nextafter(0.0, -1))) == at_kink      # the owner's side
    assert float(nw.derivative("relu", np.nextafter(0.0, 1))) == 1.0           # the other side
    assert float(nw._derivative("relu", np.array(0.0), np.array(0.0))) == at_kink   # inner loop
    report = check(d)
    assert "z = 0 (kink): convention" in report.steps[-1].methods
