"""Linear regression by gradient descent, against independent references."""
import numpy as np
import pytest

from mlv.algorithms import datasets
from mlv.algorithms import linear_regression as lr
from mlv.algorithms.lessons import linear_regression_lesson


@pytest.fixture(scope="module")
def data():
    return datasets.noisy_line(40, slope=-0.7, intercept=3.0, noise=0.5, x_range=(-2, 5),
                               random_state=3)


def naive_gd(x, y, eta, epochs, w=0.0, b=0.0):
    """A plain Python loop, written from the formulas, no NumPy vector code."""
    n = len(x)
    out = []
    for _ in range(epochs + 1):
        resid = [float(yi) - (w * float(xi) + b) for xi, yi in zip(x, y)]
        loss = sum(r * r for r in resid) / n
        gw = -2.0 / n * sum(float(xi) * r for xi, r in zip(x, resid))
        gb = -2.0 / n * sum(resid)
        out.append((w, b, loss, gw, gb))
        w, b = w - eta * gw, b - eta * gb
    return np.array(out)


def test_standardised_run_reaches_least_squares(data):
    x, y = data
    traj = lr.gradient_descent(x, y, learning_rate=0.1, epochs=150, standardize_inputs=True)
    z = (x - x.mean()) / x.std()
    A = np.column_stack([z, np.ones_like(z)])
    ref, *_ = np.linalg.lstsq(A, y, rcond=None)
    assert np.max(np.abs(traj.params[-1] - ref)) < 1e-6


def test_lesson_standardised_run_within_1e6_of_closed_form():
    lesson = linear_regression_lesson()
    z = lesson.standardized.extras["x"]
    A = np.column_stack([z, np.ones_like(z)])
    ref, *_ = np.linalg.lstsq(A, lesson.y, rcond=None)
    assert np.max(np.abs(lesson.standardized.params[-1] - ref)) < 1e-6
    # ...while the raw run, same epochs, is visibly not at the optimum (the lesson's point)
    A_raw = np.column_stack([lesson.x, np.ones_like(lesson.x)])
    ref_raw, *_ = np.linalg.lstsq(A_raw, lesson.y, rcond=None)
    assert abs(lesson.raw.params[-1][1] - ref_raw[1]) > 0.1


def test_every_step_equals_naive_loop(data):
    x, y = data
    traj = lr.gradient_descent(x, y, learning_rate=0.05, epochs=60, w0=0.3, b0=-1.0)
    ref = naive_gd(x, y, 0.05, 60, 0.3, -1.0)
    np.testing.assert_allclose(traj.params, ref[:, :2], rtol=0, atol=1e-12)
    np.testing.assert_allclose(traj.loss, ref[:, 2], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(traj.grads, ref[:, 3:], rtol=0, atol=1e-12)


def test_gradient_equals_central_differences(data):
    x, y = data
    rng = np.random.default_rng(0)
    h = 1e-6
    for w, b in rng.normal(size=(10, 2)) * 3:
        g = lr.mse_gradient(x, y, w, b)
        fd_w = (lr.mse(x, y, w + h, b) - lr.mse(x, y, w - h, b)) / (2 * h)
        fd_b = (lr.mse(x, y, w, b + h) - lr.mse(x, y, w, b - h)) / (2 * h)
        np.testing.assert_allclose(g, [fd_w, fd_b], rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("standardize", [False, True])
def test_loss_never_increases_for_a_stable_rate(data, standardize):
    x, y = data
    z = (x - x.mean()) / x.std() if standardize else x
    H = 2 * np.array([[np.mean(z * z), np.mean(z)], [np.mean(z), 1.0]])  # Hessian of the MSE
    eta = 1.0 / np.linalg.eigvalsh(H).max()                             # below 2 / lambda_max
    traj = lr.gradient_descent(x, y, learning_rate=eta, epochs=200, standardize_inputs=standardize)
    assert np.all(np.diff(traj.loss) <= 1e-12)


def test_too_large_rate_diverges_and_is_flagged(data):
    x, y = data
    traj = lr.gradient_descent(x, y, learning_rate=5.0, epochs=5000)
    assert traj.meta["diverged"]
    assert np.all(np.isfinite(traj.loss))
    assert len(traj) < 5001


def test_least_squares_matches_lstsq(data):
    x, y = data
    ref, *_ = np.linalg.lstsq(np.column_stack([x, np.ones_like(x)]), y, rcond=None)
    np.testing.assert_allclose(lr.least_squares(x, y), ref, rtol=1e-12, atol=1e-12)


def test_loss_surface_divides_by_number_of_samples(data):
    x, y = data
    w, b = np.linspace(-1, 1, 7), np.linspace(0, 4, 5)      # a grid whose side is not n
    Z = lr.loss_surface(x, y, w, b)
    assert Z.shape == (5, 7)
    for j, bj in enumerate(b):
        for i, wi in enumerate(w):
            assert Z[j, i] == pytest.approx(np.sum((y - (wi * x + bj)) ** 2) / len(x), rel=1e-12)


def test_record_every_keeps_first_and_last(data):
    x, y = data
    full = lr.gradient_descent(x, y, learning_rate=0.01, epochs=25)
    thin = lr.gradient_descent(x, y, learning_rate=0.01, epochs=25, record_every=10)
    assert list(thin.steps) == [0, 10, 20, 25]
    np.testing.assert_array_equal(thin.params, full.params[[0, 10, 20, 25]])


@pytest.mark.parametrize("kwargs, match", [
    (dict(learning_rate=0.0, epochs=3), "learning_rate"),
    (dict(learning_rate=-1.0, epochs=3), "learning_rate"),
    (dict(learning_rate=0.1, epochs=-1), "epochs"),
])
def test_bad_hyper_parameters(data, kwargs, match):
    with pytest.raises(ValueError, match=match):
        lr.gradient_descent(*data, **kwargs)


@pytest.mark.parametrize("x, y, match", [
    (np.zeros(3), np.zeros(4), r"y must have shape \(3,\) to match x"),
    (np.zeros((3, 1)), np.zeros(3), "x must be 1-D"),
    ([], [], "x must have at least 1 entry"),
    # NaN or inf data are named as such (they used to give a misleading shape error)
    ([0.0, np.nan, 2.0], [1.0, 2.0, 3.0], "x must contain only finite"),
    ([0.0, 1.0, 2.0], [1.0, np.inf, 3.0], "y must contain only finite"),
])
def test_bad_data(x, y, match):
    with pytest.raises(ValueError, match=match):
        lr.gradient_descent(x, y, learning_rate=0.1, epochs=1)


@pytest.mark.parametrize("kwargs, match", [
    (dict(learning_rate=np.inf), "learning_rate must be a positive finite number, not inf"),
    (dict(learning_rate=np.nan), "learning_rate"),
    (dict(epochs=2.5), "epochs must be an integer"),     # refused, not truncated to 2
    (dict(epochs=2.0), "epochs must be an integer"),
    (dict(epochs=True), "epochs must be an integer"),
    (dict(record_every=0), "record_every"),
    (dict(w0=np.nan), "w0 must be a finite number"),
    (dict(b0="1"), "b0 must be a finite number"),
    (dict(standardize_inputs="yes"), "standardize_inputs must be True or False"),
    (dict(max_loss=-1.0), "max_loss"),
])
def test_bad_arguments_are_named(data, kwargs, match):
    args = dict(learning_rate=0.01, epochs=3)
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        lr.gradient_descent(*data, **args)


def test_numpy_integer_epochs_are_counts(data):
    a = lr.gradient_descent(*data, learning_rate=0.01, epochs=np.int64(7))
    b = lr.gradient_descent(*data, learning_rate=0.01, epochs=7)
    assert a.fingerprint() == b.fingerprint()


def test_overflow_is_flagged_diverged_with_only_finite_states(data):
    x, y = data
    run = lr.gradient_descent(x, y, learning_rate=1e3, epochs=500, record_every=7)
    assert run.meta["diverged"] is True
    assert np.all(np.isfinite(run.params)) and np.all(np.isfinite(run.loss))
    # the states recorded are the run's own: replaying the updates from the start reproduces them
    theta = np.zeros(2)
    for t in range(run.steps[-1] + 1):
        if t in run.steps:
            np.testing.assert_array_equal(run.params[list(run.steps).index(t)], theta)
        theta = theta - 1e3 * lr.mse_gradient(x, y, *theta)
    # the state after the last one recorded is not finite: the run kept its last finite state
    with np.errstate(over="ignore", invalid="ignore"):
        after = lr._mse(x, y, *theta)
    assert not (np.isfinite(after) and np.all(np.isfinite(theta)))


def test_a_start_that_overflows_is_refused(data):
    x, y = data
    with pytest.raises(ValueError, match="w0 or b0 are too large"):
        lr.gradient_descent(x, y, learning_rate=0.1, epochs=3, w0=1e200)


def test_seeded_data_is_reproducible_and_leaves_global_state_alone():
    np.random.seed(123)
    before = np.random.get_state()[1].copy()
    a = datasets.noisy_line(20, random_state=5)
    b = datasets.noisy_line(20, random_state=5)
    c = datasets.noisy_line(20, random_state=6)
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[1], c[1])
    np.testing.assert_array_equal(np.random.get_state()[1], before)
