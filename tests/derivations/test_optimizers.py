"""optimizers: each derivation proven, and its NumPy result equal to the algorithm's code on random
inputs."""
import numpy as np
import pytest
import sympy as sp

from mlv.algorithms import autoencoder as ae  # noqa: F401
from mlv.algorithms import optimizers as opt
from mlv.derivations import optimizers
from mlv.derivations.proofs import check

RNG = np.random.default_rng(2024)


@pytest.mark.parametrize("derivation", optimizers.derivations(), ids=lambda d: d.id)
def test_proven(derivation):
    report = check(derivation)
    assert report.ok, report.first_failure


def test_optimizer_update_rules():
    g = RNG.normal(size=2) * 3
    # SGD on the saddle: (1 - 2 eta) x and (1 + 2 eta) y
    fx, fy = optimizers.sgd_saddle_x().numpy_function(), optimizers.sgd_saddle_y().numpy_function()
    traj = opt.optimize("saddle", "sgd", learning_rate=0.1, steps=5, start=(0.5, 0.01))
    p = traj.params
    np.testing.assert_allclose(fx(x_t=p[:-1, 0], y_t=p[:-1, 1], eta=0.1), p[1:, 0], rtol=1e-12)
    np.testing.assert_allclose(fy(x_t=p[:-1, 0], y_t=p[:-1, 1], eta=0.1), p[1:, 1], rtol=1e-12)
    # momentum as a heavy ball, along a real trajectory
    hb = optimizers.momentum().numpy_function()
    traj = opt.optimize("rosenbrock", "momentum", learning_rate=1e-3, steps=20, beta=0.8)
    th, gr = traj.params, traj.grads
    for t in range(1, 20):
        want = th[t + 1]
        got = hb(theta_t=th[t], **{"theta_t-1": th[t - 1]}, g_t=gr[t], eta=1e-3, beta=0.8)
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)
    # RMSProp's and Adam's first step from zero state
    rms = optimizers.rmsprop_first_step().numpy_function()
    step = opt._update("rmsprop", {"sq_avg": np.zeros(2)}, g, 1, 0.01, {"rho": 0.9, "eps": 1e-8})
    np.testing.assert_allclose(rms(g=g, eta=0.01, rho=0.9, epsilon=1e-8), step, rtol=1e-12)
    adam = optimizers.adam_step().numpy_function()
    h = {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
    state = {"m": np.zeros(2), "v": np.zeros(2)}
    for t in range(1, 8):            # a constant gradient: every step is -eta g / (|g| + eps)
        step = opt._update("adam", state, g, t, 0.01, h)
        np.testing.assert_allclose(adam(g=g, eta=0.01, epsilon=1e-8), step, rtol=1e-9)


def test_adam_moments_and_bias_correction_match_the_code():
    """For a constant gradient the code's m_t and v_t are the derived (1 - beta^t) g and
    (1 - beta^t) g^2, and its bias-corrected m_hat_t is g (the derived result)."""
    g = RNG.normal(size=3)
    h = {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
    state = {"m": np.zeros(3), "v": np.zeros(3)}
    m_hat = optimizers.adam_bias_correction()
    for t in range(1, 6):
        opt._update("adam", state, g, t, 0.01, h)
        np.testing.assert_allclose(_closed(optimizers.adam_moment(), g, 0.9, t), state["m"],
                                   rtol=1e-12)
        np.testing.assert_allclose(_closed(optimizers.adam_moment(second=True), g, 0.999, t),
                                   state["v"], rtol=1e-9)
        np.testing.assert_allclose(_closed(m_hat, g, 0.9, t), state["m"] / (1 - 0.9**t),
                                   rtol=1e-12)


def _closed(d, g, beta, t):
    """The derivation's closed form (last step) at a concrete t."""
    e = d.expand().subs(d.n, t)
    (b_,) = [s for s in d.scalars if s.name.startswith("beta")]
    f = sp.lambdify((d.scalars[0], b_), e.doit(), "numpy")
    return f(g, beta)


def test_adam_unrolled_sum_matches_the_recursion_for_t_1_to_5():
    d = optimizers.adam_moment()
    g, b1 = d.scalars
    m = sp.Integer(0)
    for t in range(1, 6):
        m = b1 * m + (1 - b1) * g
        assert sp.simplify(d.steps[0].expr.subs(d.n, t).doit() - m) == 0
        assert sp.simplify(d.result.subs(d.n, t) - m) == 0
