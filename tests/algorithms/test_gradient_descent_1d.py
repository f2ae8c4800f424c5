"""1-D gradient descent on a polynomial loss, against closed forms and hand-written steps."""
import numpy as np
import pytest

from mlv.algorithms import gradient_descent_1d as gd


@pytest.mark.parametrize("eta", [0.05, 0.3, 0.5, 0.8])
def test_parabola_steps_follow_the_closed_form(eta):
    # L = (theta - 2)**2 + 1: one step multiplies theta - 2 by (1 - 2 eta)
    traj = gd.gradient_descent(eta, theta0=-1.0, steps=25)
    t = np.arange(26)
    np.testing.assert_allclose(traj.param("theta"), 2 + (1 - 2 * eta) ** t * (-3.0),
                               rtol=0, atol=1e-12)
    np.testing.assert_allclose(traj.loss, (traj.param("theta") - 2) ** 2 + 1, rtol=1e-12)
    np.testing.assert_allclose(traj.grad("theta"), 2 * traj.param("theta") - 4, atol=1e-12)


def test_each_step_is_theta_minus_eta_times_slope_on_the_double_well():
    eta = 0.02
    traj = gd.gradient_descent(eta, theta0=2.0, steps=40, coefficients=gd.DOUBLE_WELL)
    th = traj.param("theta")
    slope = 4 * th**3 - 6 * th + 1                   # d/dtheta (theta^4 - 3 theta^2 + theta)
    np.testing.assert_allclose(traj.grad("theta"), slope, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(th[1:], th[:-1] - eta * slope[:-1], rtol=0, atol=1e-12)
    np.testing.assert_allclose(traj.loss, th**4 - 3 * th**2 + th, rtol=1e-12, atol=1e-12)


def test_derivative_equals_central_differences():
    theta = np.linspace(-2, 2, 9)
    h = 1e-6
    for c in (gd.PARABOLA, gd.DOUBLE_WELL, (0.3, -1.0, 0.5, 2.0)):
        fd = (gd.loss(theta + h, c) - gd.loss(theta - h, c)) / (2 * h)
        np.testing.assert_allclose(gd.derivative(theta, c), fd, rtol=1e-7, atol=1e-7)


def test_minima_of_the_double_well():
    grid = np.linspace(-3, 3, 600001)
    values = gd.loss(grid, gd.DOUBLE_WELL)
    left, right = grid < 0, grid > 0
    expected = [grid[left][np.argmin(values[left])], grid[right][np.argmin(values[right])]]
    np.testing.assert_allclose(gd.minima(gd.DOUBLE_WELL), expected, atol=2e-5)
    np.testing.assert_allclose(gd.minima(), [2.0], atol=1e-12)


def test_three_regimes_of_the_default_comparison():
    crawl, good, big = gd.compare_learning_rates(steps=30)
    assert [t.meta["learning_rate"] for t in (crawl, good, big)] == [0.05, 0.3, 1.05]
    dist = [abs(t.params[-1, 0] - 2.0) for t in (crawl, good, big)]
    assert dist[1] < 1e-9 < dist[0] < 1.0 < dist[2]          # good converged, small crawls
    assert np.all(np.diff(crawl.param("theta")) > 0)          # crawls monotonically
    side = np.sign(big.param("theta") - 2.0)
    assert np.all(side[1:] == -side[:-1])                     # too large: oscillates
    assert np.all(np.diff(np.abs(big.param("theta") - 2.0)) > 0)   # ...with growing amplitude


def test_divergence_is_flagged_without_overflow():
    with np.errstate(all="raise"):
        traj = gd.gradient_descent(0.5, theta0=2.5, steps=500, coefficients=gd.DOUBLE_WELL,
                                   max_abs_theta=1e3)
    assert traj.meta["diverged"]
    assert len(traj) < 501
    assert np.all(np.abs(traj.param("theta")) <= 1e3)
    assert np.all(np.isfinite(traj.loss)) and np.all(np.isfinite(traj.grads))
    # the run stops at the step after the last recorded one: that step left the bound
    nxt = traj.params[-1, 0] - 0.5 * traj.grads[-1, 0]
    assert abs(nxt) > 1e3
    assert not gd.gradient_descent(0.01, theta0=2.5, steps=500,
                                   coefficients=gd.DOUBLE_WELL).meta["diverged"]


def test_record_every_keeps_first_and_last_and_the_last_finite_state():
    full = gd.gradient_descent(0.05, steps=23)
    thin = gd.gradient_descent(0.05, steps=23, record_every=5)
    assert list(thin.steps) == [0, 5, 10, 15, 20, 23]
    np.testing.assert_array_equal(thin.params, full.params[thin.steps])
    div_full = gd.gradient_descent(1.5, steps=100, max_abs_theta=1e4)
    div_thin = gd.gradient_descent(1.5, steps=100, max_abs_theta=1e4, record_every=4)
    assert div_thin.steps[-1] == div_full.steps[-1]
    np.testing.assert_array_equal(div_thin.params[-1], div_full.params[-1])


def test_same_inputs_same_fingerprint():
    a = gd.compare_learning_rates((0.1, 0.9), theta0=0.5, steps=20)
    b = gd.compare_learning_rates((0.1, 0.9), theta0=0.5, steps=20)
    assert [t.fingerprint() for t in a] == [t.fingerprint() for t in b]
    assert a[0].fingerprint() != a[1].fingerprint()


@pytest.mark.parametrize("kwargs, match", [
    (dict(learning_rate=0.0), "learning_rate"),
    (dict(learning_rate=-0.1), "learning_rate"),
    (dict(learning_rate=float("nan")), "learning_rate"),
    (dict(learning_rate=0.1, steps=-1), "steps"),
    (dict(learning_rate=0.1, theta0=float("inf")), "theta0"),
    (dict(learning_rate=0.1, coefficients=(1.0, float("nan"))), "coefficients"),
    (dict(learning_rate=0.1, coefficients=(1.0,)), "coefficients"),
    (dict(learning_rate=0.1, coefficients=[[1.0, 2.0]]), "coefficients"),
    (dict(learning_rate=0.1, record_every=0), "record_every"),
])
def test_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        gd.gradient_descent(**kwargs)


def test_bad_rates_in_comparison():
    with pytest.raises(ValueError, match="learning_rate"):
        gd.compare_learning_rates((0.1, -0.2))
    with pytest.raises(ValueError, match="learning_rates"):
        gd.compare_learning_rates(())
