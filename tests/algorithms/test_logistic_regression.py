"""Logistic regression: gradient against finite differences, the fit against scikit-learn."""
import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss

from mlv.algorithms import datasets
from mlv.algorithms import logistic_regression as lr


@pytest.fixture(scope="module")
def data():
    X, y = datasets.blobs(80, centers=np.array([[0.0, 0.0], [2.0, 1.0]]), cluster_std=1.2,
                          random_state=0)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    return X, y


def test_gradient_equals_central_differences(data):
    X, y = data
    rng = np.random.default_rng(1)
    h = 1e-6
    for _ in range(8):
        theta = rng.normal(size=3) * 2
        g = lr.gradient(X, y, theta[:2], theta[2])
        fd = [(lr.bce(X, y, *(lambda p: (p[:2], p[2]))(theta + h * e))
               - lr.bce(X, y, *(lambda p: (p[:2], p[2]))(theta - h * e))) / (2 * h)
              for e in np.eye(3)]
        np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-9)


def test_gradient_is_an_average_over_samples_not_features(data):
    X, y = data
    w, b = np.array([0.7, -1.2]), 0.3
    p = 1 / (1 + np.exp(-(X @ w + b)))
    expected = np.append(X.T @ (p - y) / len(y), np.mean(p - y))
    np.testing.assert_allclose(lr.gradient(X, y, w, b), expected, rtol=1e-12)
    assert not np.isclose(expected[0], expected[1])          # each weight gets its own entry
    # duplicating every sample changes neither the loss nor the gradient (a mean, not a sum)
    X2, y2 = np.vstack([X, X]), np.concatenate([y, y])
    np.testing.assert_allclose(lr.gradient(X2, y2, w, b), expected, rtol=1e-12)


def test_loss_equals_sklearn_log_loss(data):
    X, y = data
    w, b = np.array([1.5, -0.4]), 0.2
    assert lr.bce(X, y, w, b) == pytest.approx(log_loss(y, lr.predict_proba(X, w, b)), rel=1e-12)


def test_approaches_sklearn_unregularised_fit(data):
    X, y = data
    traj = lr.gradient_descent(X, y, learning_rate=2.0, epochs=2000, record_every=100)
    ref = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(X, y)   # = penalty=None
    np.testing.assert_allclose(traj.params[-1], np.append(ref.coef_[0], ref.intercept_[0]),
                               rtol=0, atol=1e-3)
    assert traj.extras["accuracy"][-1] == pytest.approx(ref.score(X, y))


def test_loss_never_increases_below_the_stability_limit(data):
    X, y = data
    A = np.column_stack([X, np.ones(len(X))])
    L = np.linalg.eigvalsh(A.T @ A / len(X)).max() / 4       # the BCE Hessian is <= A^T A / 4n
    traj = lr.gradient_descent(X, y, learning_rate=1.0 / L, epochs=300)
    assert np.all(np.diff(traj.loss) <= 1e-15)
    assert traj.loss[-1] < 0.7 * traj.loss[0]


def test_probability_grid_layout():
    w, b = np.array([1.0, -2.0]), 0.5
    xs, ys = np.linspace(-1, 1, 5), np.linspace(0, 2, 3)
    P = lr.probability_grid(w, b, xs, ys)
    assert P.shape == (3, 5)
    for j in range(3):
        for i in range(5):
            assert P[j, i] == pytest.approx(1 / (1 + np.exp(-(xs[i] - 2 * ys[j] + 0.5))), rel=1e-12)


def test_sigmoid_is_stable_at_extremes():
    strict = dict(over="raise", invalid="raise", divide="raise")      # underflow to 0 is fine
    with np.errstate(**strict):
        s = lr.sigmoid(np.array([-1000.0, -40.0, 0.0, 40.0, 1000.0]))
    assert s[0] == 0.0 and s[-1] == 1.0 and s[2] == 0.5
    assert s[1] == pytest.approx(np.exp(-40.0), rel=1e-12)
    with np.errstate(**strict):
        loss = lr.bce(np.array([[1000.0], [-1000.0]]), [0, 1], [1.0], 0.0)
    assert loss == pytest.approx(1000.0)


def test_record_every_and_fingerprint(data):
    X, y = data
    full = lr.gradient_descent(X, y, learning_rate=0.5, epochs=12)
    thin = lr.gradient_descent(X, y, learning_rate=0.5, epochs=12, record_every=5)
    assert list(thin.steps) == [0, 5, 10, 12]
    np.testing.assert_array_equal(thin.params, full.params[thin.steps])
    again = lr.gradient_descent(X, y, learning_rate=0.5, epochs=12)
    other = lr.gradient_descent(X, y, learning_rate=0.4, epochs=12)
    assert full.fingerprint() == again.fingerprint()
    assert full.fingerprint() != other.fingerprint()


@pytest.mark.parametrize("X, y, kwargs, match", [
    (np.zeros((3, 2)), [-1, 1, 1], {}, "y must only contain"),
    (np.zeros((3, 2)), [0, 1], {}, r"y must have shape \(3,\)"),
    (np.zeros((3, 2, 1)), [0, 1, 1], {}, "X must be 2-D"),
    ([[0.0, np.inf], [1.0, 1.0]], [0, 1], {}, "X must contain only finite"),
    (np.zeros((2, 2)), [0, 1], dict(learning_rate=0.0), "learning_rate"),
    (np.zeros((2, 2)), [0, 1], dict(learning_rate=-0.1), "learning_rate"),
    (np.zeros((2, 2)), [0, 1], dict(w0=[1.0]), r"w0 must have shape \(2,\)"),
    (np.zeros((2, 2)), [0, 1], dict(epochs=-1), "epochs"),
])
def test_bad_input(X, y, kwargs, match):
    args = dict(learning_rate=0.1, epochs=3)
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        lr.gradient_descent(X, y, **args)


def test_a_diverged_run_keeps_its_last_finite_state_whatever_record_every(data):
    X, y = data
    # eta |x|**2 ~ 1e307: the weights grow for a while, then the loss overflows
    full = lr.gradient_descent(X * 1.5, y, learning_rate=1e307, epochs=300)
    thin = lr.gradient_descent(X * 1.5, y, learning_rate=1e307, epochs=300, record_every=7)
    assert full.meta["diverged"] and thin.meta["diverged"] and len(full) > 20
    assert thin.steps[-1] == full.steps[-1] < 300
    np.testing.assert_array_equal(thin.params[-1], full.params[-1])
    np.testing.assert_array_equal(full.params[1:], full.params[:-1] - 1e307 * full.grads[:-1])
    # the update after the last state kept leaves float64 (weights or loss)
    with np.errstate(over="ignore", invalid="ignore"):
        nxt = full.params[-1] - 1e307 * full.grads[-1]
        z = X * 1.5 @ nxt[:2] + nxt[2]
        value = np.mean(np.logaddexp(0.0, z) - y * z)
    assert not (np.all(np.isfinite(nxt)) and np.isfinite(value))
