"""gradient_descent: each derivation proven, and its NumPy result equal to the algorithm's code
on random inputs."""
import numpy as np
import pytest

from mlv.algorithms import autoencoder as ae  # noqa: F401
from mlv.algorithms import gradient_descent_1d as gd1
from mlv.derivations import gradient_descent
from mlv.derivations.proofs import check

RNG = np.random.default_rng(2024)


@pytest.mark.parametrize("derivation", gradient_descent.derivations(), ids=lambda d: d.id)
def test_proven(derivation):
    report = check(derivation)
    assert report.ok, report.first_failure


def test_1d_loss_derivative_and_update_rule():
    for d, coeffs in ((gradient_descent.parabola_derivative(), gd1.PARABOLA),
                      (gradient_descent.double_well_derivative(), gd1.DOUBLE_WELL)):
        f = d.numpy_function()
        thetas = RNG.normal(size=50) * 3
        np.testing.assert_allclose(f(theta=thetas), gd1.derivative(thetas, coeffs), rtol=1e-12)
    step = gradient_descent.update_rule().numpy_function()
    for eta in (0.05, 0.3, 1.05):
        traj = gd1.gradient_descent(eta, theta0=-1.0, steps=10)
        th = traj.params[:, 0]
        np.testing.assert_allclose(step(theta_t=th[:-1], eta=eta), th[1:], rtol=1e-12)
