"""Optimizers against the update rules of the original papers, written out by hand here."""
import math

import numpy as np
import pytest

from mlv.algorithms import optimizers as opt

SURFACES = ["rosenbrock", "quadratic", "saddle"]


def grad_by_hand(surface, x, y):
    if surface == "rosenbrock":                      # (1 - x)^2 + 100 (y - x^2)^2
        return [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)]
    if surface == "quadratic":                       # (x^2 + 25 y^2) / 2
        return [x, 25 * y]
    return [2 * x, -2 * y]                           # x^2 - y^2


def three_steps_by_hand(surface, name, start, eta):
    """Three updates per coordinate, in plain Python floats, from the papers' formulas."""
    out = [list(start)]
    if name == "sgd":
        for _ in range(3):
            g = grad_by_hand(surface, *out[-1])
            out.append([p - eta * gi for p, gi in zip(out[-1], g)])
    elif name == "momentum":
        # Polyak (1964): theta_{t+1} = theta_t - eta g_t + beta (theta_t - theta_{t-1})
        beta, prev = 0.9, list(start)
        for _ in range(3):
            cur = out[-1]
            g = grad_by_hand(surface, *cur)
            out.append([c - eta * gi + beta * (c - p) for c, gi, p in zip(cur, g, prev)])
            prev = cur
    elif name == "rmsprop":
        # Tieleman & Hinton (2012): MeanSquare = 0.9 MeanSquare + 0.1 g^2; divide g by its sqrt
        rho, eps, ms = 0.9, 1e-8, [0.0, 0.0]
        for _ in range(3):
            g = grad_by_hand(surface, *out[-1])
            ms = [rho * s + (1 - rho) * gi * gi for s, gi in zip(ms, g)]
            out.append([p - eta * gi / (math.sqrt(s) + eps) for p, gi, s in zip(out[-1], g, ms)])
    else:
        # Kingma & Ba (2015), Algorithm 1
        b1, b2, eps, m, v = 0.9, 0.999, 1e-8, [0.0, 0.0], [0.0, 0.0]
        for t in (1, 2, 3):
            g = grad_by_hand(surface, *out[-1])
            m = [b1 * mi + (1 - b1) * gi for mi, gi in zip(m, g)]
            v = [b2 * vi + (1 - b2) * gi * gi for vi, gi in zip(v, g)]
            m_hat = [mi / (1 - b1**t) for mi in m]
            v_hat = [vi / (1 - b2**t) for vi in v]
            out.append([p - eta * mh / (math.sqrt(vh) + eps)
                        for p, mh, vh in zip(out[-1], m_hat, v_hat)])
    return np.array(out)


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("name", opt.OPTIMIZERS)
def test_first_three_steps_equal_the_papers_update_rules(surface, name):
    start, eta = (-0.8, 1.3), 1e-3 if surface == "rosenbrock" else 0.05
    traj = opt.optimize(surface, name, learning_rate=eta, steps=3, start=start)
    np.testing.assert_allclose(traj.params, three_steps_by_hand(surface, name, start, eta),
                               rtol=1e-12, atol=1e-15)
    hand_grads = [grad_by_hand(surface, *p) for p in traj.params]
    np.testing.assert_allclose(traj.grads, hand_grads, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("eta", [1e-3, 0.01, 0.1])
def test_adam_first_step_is_about_eta_per_coordinate(surface, eta):
    start = (0.7, -1.9)
    adam = opt.optimize(surface, "adam", learning_rate=eta, steps=1, start=start)
    step = adam.params[1] - adam.params[0]
    # bias correction: m_hat = g, v_hat = g^2, so the step is eta * g / (|g| + eps)
    np.testing.assert_allclose(np.abs(step), eta, rtol=1e-6)
    np.testing.assert_array_equal(np.sign(step), -np.sign(adam.grads[0]))
    # without the correction (RMSProp, rho = 0.9) the first step is eta / sqrt(1 - rho)
    rms = opt.optimize(surface, "rmsprop", learning_rate=eta, steps=1, start=start)
    np.testing.assert_allclose(np.abs(rms.params[1] - rms.params[0]), eta / math.sqrt(0.1),
                               rtol=1e-6)


def test_gradient_descent_on_the_saddle_grows_geometrically():
    eta = 0.01
    traj = opt.optimize("saddle", "sgd", learning_rate=eta, steps=200, start=(1.5, 0.05))
    t = np.arange(201)
    np.testing.assert_allclose(traj.param("y"), 0.05 * (1 + 2 * eta) ** t, rtol=1e-12)
    np.testing.assert_allclose(traj.param("x"), 1.5 * (1 - 2 * eta) ** t, rtol=1e-10)


@pytest.mark.parametrize("surface", SURFACES)
def test_surface_gradients_equal_central_differences(surface):
    s = opt.SURFACES[surface]
    rng = np.random.default_rng(1)
    h = 1e-6
    for p in rng.uniform(-1.5, 1.5, size=(8, 2)):
        fd = [(s.value(p + h * e) - s.value(p - h * e)) / (2 * h) for e in np.eye(2)]
        np.testing.assert_allclose(s.gradient(p), fd, rtol=1e-6, atol=1e-6)
    if s.minimum is not None:
        np.testing.assert_allclose(s.gradient(np.array(s.minimum)), 0.0, atol=1e-12)


def test_grid_layout():
    xs, ys, Z = opt.grid("rosenbrock", n=7, x_range=(-1, 2), y_range=(0, 3))
    assert Z.shape == (7, 7)
    for j in (0, 3, 6):
        for i in (1, 5):
            assert Z[j, i] == pytest.approx((1 - xs[i]) ** 2 + 100 * (ys[j] - xs[i] ** 2) ** 2)


@pytest.mark.parametrize("name, eta", [("sgd", 0.035), ("momentum", 0.01), ("rmsprop", 0.05),
                                       ("adam", 0.1)])
def test_every_optimizer_descends_the_valley(name, eta):
    traj = opt.optimize("quadratic", name, learning_rate=eta, steps=300)
    assert traj.loss[-1] < 1e-3 * traj.loss[0]
    assert not traj.meta["diverged"]


def test_sgd_loss_never_increases_below_the_stability_limit():
    # the quadratic's largest curvature is 25: gradient descent is monotone for eta < 2/25
    traj = opt.optimize("quadratic", "sgd", learning_rate=1 / 25, steps=100)
    assert np.all(np.diff(traj.loss) <= 0)


def test_race_on_rosenbrock_from_one_start():
    rates = {"sgd": 1e-3, "momentum": 1e-3, "rmsprop": 1e-2, "adam": 3e-2}
    runs = opt.race("rosenbrock", learning_rates=rates, steps=1500, record_every=50)
    assert list(runs) == list(rates)
    for t in runs.values():
        np.testing.assert_array_equal(t.params[0], opt.SURFACES["rosenbrock"].start)
        assert list(t.steps[[0, -1]]) == [0, 1500]
        assert t.loss[-1] < t.loss[0]
    # momentum and Adam reach the bottom of the curved valley; plain gradient descent does not
    assert runs["momentum"].loss[-1] < 1e-4 and runs["adam"].loss[-1] < 1e-4
    assert runs["sgd"].loss[-1] > 1e-2


def test_optimizer_state_is_recorded():
    traj = opt.optimize("quadratic", "adam", learning_rate=0.1, steps=5)
    assert traj.extras["m"].shape == traj.extras["v"].shape == (6, 2)
    np.testing.assert_array_equal(traj.extras["m"][0], 0.0)
    np.testing.assert_allclose(traj.extras["m"][1], 0.1 * traj.grads[0])
    np.testing.assert_allclose(traj.extras["v"][1], 0.001 * traj.grads[0] ** 2)


def test_divergence_is_flagged_not_overflowed():
    with np.errstate(all="raise"):
        traj = opt.optimize("quadratic", "sgd", learning_rate=0.1, steps=10_000)   # 0.1 > 2/25
    assert traj.meta["diverged"]
    assert len(traj) < 10_001
    assert np.all(np.isfinite(traj.params)) and np.all(np.linalg.norm(traj.params, axis=1) <= 1e6)


def test_record_every_and_reproducibility():
    full = opt.optimize("saddle", "momentum", learning_rate=0.01, steps=30)
    thin = opt.optimize("saddle", "momentum", learning_rate=0.01, steps=30, record_every=7)
    assert list(thin.steps) == [0, 7, 14, 21, 28, 30]
    np.testing.assert_array_equal(thin.params, full.params[thin.steps])
    np.testing.assert_array_equal(thin.extras["velocity"], full.extras["velocity"][thin.steps])
    again = opt.optimize("saddle", "momentum", learning_rate=0.01, steps=30)
    assert again.fingerprint() == full.fingerprint()
    other = opt.optimize("saddle", "momentum", learning_rate=0.01, steps=30, beta=0.5)
    assert other.fingerprint() != full.fingerprint()


@pytest.mark.parametrize("kwargs, match", [
    (dict(learning_rate=0.0), "learning_rate"),
    (dict(learning_rate=-1e-3), "learning_rate"),
    (dict(optimizer="adagrad"), "optimizer"),
    (dict(surface="himmelblau"), "surface"),
    (dict(start=(1.0, 2.0, 3.0)), "start"),
    (dict(start=(np.nan, 1.0)), "start"),
    (dict(start=(1e7, 0.0)), "start"),
    (dict(steps=-1), "steps"),
    (dict(beta1=1.5), "beta1"),
    (dict(momentum=0.9), "adam takes"),
    (dict(eps=0.0), "eps"),
])
def test_bad_input(kwargs, match):
    args = dict(surface="quadratic", optimizer="adam", learning_rate=0.1, steps=3)
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        opt.optimize(args.pop("surface"), args.pop("optimizer"), **args)


def _hill(p):
    p = np.asarray(p, dtype=float)
    r2 = p[..., 0] ** 2 + p[..., 1] ** 2
    return np.where(r2 > 9.0, np.nan, -r2)          # undefined beyond radius 3


def test_a_custom_surface_that_stops_being_finite_is_flagged_diverged():
    hill = opt.Surface("hill", _hill, lambda p: -2 * np.asarray(p, dtype=float),
                       (-3.0, 3.0), (-3.0, 3.0), (1.0, 0.5), None)
    run = opt.optimize(hill, "sgd", learning_rate=0.1, steps=40)
    assert run.meta["diverged"] is True
    # gradient descent on -r**2 multiplies theta by 1.2 per step: the last state inside radius 3
    k = len(run) - 1
    np.testing.assert_allclose(run.params[-1], 1.2**k * np.array([1.0, 0.5]), rtol=1e-12)
    assert np.linalg.norm(run.params[-1]) <= 3.0 < 1.2 * np.linalg.norm(run.params[-1])


def test_a_custom_surface_must_return_one_gradient_per_point():
    flat = opt.Surface("flat", lambda p: 0.0, lambda p: np.zeros(3), (-1.0, 1.0), (-1.0, 1.0),
                       (0.0, 0.0), None)
    with pytest.raises(ValueError, match=r"gradient must return shape \(2,\)"):
        opt.optimize(flat, "sgd", learning_rate=0.1, steps=2)


@pytest.mark.parametrize("kwargs, match", [
    (dict(x_range=(1.0, -1.0)), "x_range must be an increasing pair"),
    (dict(start=(0.0, np.nan)), "start must contain only finite"),
    (dict(value=None), "value must be callable"),
])
def test_surface_fields_are_checked(kwargs, match):
    args = dict(name="s", value=_hill, gradient=_hill, x_range=(-1.0, 1.0), y_range=(-1.0, 1.0),
                start=(0.0, 0.0), minimum=None)
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        opt.Surface(**args)
