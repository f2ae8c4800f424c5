"""backprop: each derivation proven, and its NumPy result equal to the algorithm's code on random
inputs."""
import numpy as np
import pytest

from mlv.algorithms import autoencoder as ae  # noqa: F401
from mlv.algorithms import network as nw
from mlv.derivations import backprop
from mlv.derivations.proofs import check

RNG = np.random.default_rng(2024)


@pytest.mark.parametrize("derivation", backprop.derivations(), ids=lambda d: d.id)
def test_proven(derivation):
    report = check(derivation)
    assert report.ok, report.first_failure


def test_backprop_equals_network_backward():
    for kind in ("mse", "bce"):
        f = backprop.numpy_backward(kind)
        for _ in range(5):
            params = [(RNG.normal(size=(2, 2)), RNG.normal(size=2)),
                      (RNG.normal(size=(1, 2)), RNG.normal(size=1))]
            x = RNG.normal(size=2)
            y = float(RNG.random()) if kind == "mse" else float(RNG.random() < 0.5)
            p = nw.forward_backward(params, x, y, ("sigmoid", "sigmoid"), kind)
            got = f(params, x, y)
            want = {"delta2": p.deltas[1][0], "dW2_11": p.grads[1][0][0, 0],
                    "delta1_1": p.deltas[0][0], "dW1_11": p.grads[0][0][0, 0],
                    "db1_1": p.grads[0][1][0]}
            for key in want:
                assert np.isclose(got[key], want[key], rtol=1e-10, atol=1e-14), (kind, key)
