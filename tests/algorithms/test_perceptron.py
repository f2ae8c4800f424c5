"""The perceptron against scikit-learn's Perceptron (shuffle off) and against its own update
rule."""
import warnings

import numpy as np
import pytest
from sklearn.linear_model import Perceptron

from mlv.algorithms import datasets, perceptron


@pytest.fixture(scope="module")
def separable():
    X, y = datasets.blobs(40, centers=np.array([[-2.0, -1.0], [2.0, 1.5]]), cluster_std=0.8,
                          random_state=11)
    return X, y


@pytest.fixture(scope="module")
def overlapping():
    return datasets.blobs(40, centers=np.array([[-0.5, 0.0], [0.5, 0.3]]), random_state=12)


def sklearn_after(X, y, epochs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")                      # ConvergenceWarning: max_iter hit
        clf = Perceptron(shuffle=False, eta0=1.0, penalty=None, max_iter=epochs, tol=None)
        clf.fit(X, y)
    return np.append(clf.coef_[0], clf.intercept_[0])


@pytest.mark.parametrize("which", ["separable", "overlapping"])
def test_weights_after_every_epoch_equal_sklearn(which, request):
    X, y = request.getfixturevalue(which)
    traj = perceptron.train(X, y, learning_rate=1.0, max_epochs=8)
    for e in range(1, traj.meta["epochs_run"] + 1):
        np.testing.assert_allclose(traj.extras["epoch_params"][e], sklearn_after(X, y, e),
                                   rtol=0, atol=1e-12)
    if traj.meta["converged"]:       # sklearn keeps looping, but nothing changes any more
        np.testing.assert_allclose(traj.params[-1], sklearn_after(X, y, 8 + 3), atol=1e-12)


def test_each_update_is_caused_by_the_recorded_point(overlapping):
    X, y = overlapping
    eta = 0.5
    traj = perceptron.train(X, y, learning_rate=eta, max_epochs=3)
    s = 2.0 * y - 1.0
    assert traj.extras["index"][0] == -1 and traj.meta["n_updates"] == len(traj) - 1
    for k in range(1, len(traj)):
        i = traj.extras["index"][k]
        w, b = traj.params[k - 1, :2], traj.params[k - 1, 2]
        assert s[i] * (X[i] @ w + b) <= 0                       # point i was on the wrong side
        np.testing.assert_allclose(traj.params[k], np.append(w + eta * s[i] * X[i], b + eta * s[i]),
                                   rtol=0, atol=1e-12)
    # within an epoch the causing points come in data order
    for e in np.unique(traj.extras["epoch"][1:]):
        idx = traj.extras["index"][traj.extras["epoch"] == e]
        assert np.all(np.diff(idx) > 0)


def test_separates_separable_data(separable):
    X, y = separable
    traj = perceptron.train(X, y, max_epochs=100)
    assert traj.meta["converged"]
    w, b = traj.params[-1, :2], traj.params[-1, 2]
    assert np.all((2 * y - 1) * (X @ w + b) > 0)
    assert traj.loss[-1] == 0.0 and traj.loss[0] == 0.0        # w = 0: criterion 0, yet wrong
    assert np.all(traj.grads[-1] == 0.0)


def test_criterion_is_not_the_hinge_loss(separable):
    X, y = separable
    traj = perceptron.train(X, y)
    w, b = traj.params[-1, :2], traj.params[-1, 2]
    assert perceptron.criterion(X, y, w, b) == 0.0
    margins = (2 * y - 1) * (X @ w + b)
    expected_hinge = np.mean(np.maximum(0.0, 1.0 - margins))
    assert perceptron.hinge(X, y, w, b) == pytest.approx(expected_hinge)
    assert perceptron.hinge(X, y, w / 100, b / 100) > 0           # inside the margin


def test_subgradient_equals_central_differences_away_from_the_boundary(overlapping):
    X, y = overlapping
    rng = np.random.default_rng(3)
    h = 1e-6
    for _ in range(5):
        w, b = rng.normal(size=2), rng.normal()
        assert np.min(np.abs(X @ w + b)) > 1e-3                 # no point on a kink
        g = perceptron.criterion_subgradient(X, y, w, b)
        theta = np.append(w, b)
        fd = []
        for e in np.eye(3):
            p, m = theta + h * e, theta - h * e
            fd.append((perceptron.criterion(X, y, p[:2], p[2])
                       - perceptron.criterion(X, y, m[:2], m[2])) / (2 * h))
        np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-8)


def test_label_conventions_agree(overlapping):
    X, y = overlapping
    a = perceptron.train(X, y, max_epochs=4)
    b = perceptron.train(X, 2 * y - 1, max_epochs=4)
    np.testing.assert_array_equal(a.params, b.params)


def test_record_every_keeps_first_last_and_epoch_ends(overlapping):
    X, y = overlapping
    full = perceptron.train(X, y, max_epochs=5)
    thin = perceptron.train(X, y, max_epochs=5, record_every=4)
    assert thin.steps[0] == 0 and thin.steps[-1] == full.steps[-1]
    assert np.all(thin.steps[1:-1] % 4 == 0)
    np.testing.assert_array_equal(thin.params, full.params[thin.steps])
    np.testing.assert_array_equal(thin.extras["index"], full.extras["index"][thin.steps])
    np.testing.assert_array_equal(thin.extras["epoch_params"], full.extras["epoch_params"])


def test_same_inputs_same_fingerprint(overlapping):
    X, y = overlapping
    assert (perceptron.train(X, y, max_epochs=3).fingerprint()
            == perceptron.train(X, y, max_epochs=3).fingerprint())
    assert (perceptron.train(X, y, max_epochs=3).fingerprint()
            != perceptron.train(X, y, max_epochs=3, learning_rate=0.5).fingerprint())


@pytest.mark.parametrize("X, y, kwargs, match", [
    (np.zeros((3, 2)), [0, 1, 2], {}, "y must only contain"),
    (np.zeros((3, 2)), [-1, 0, 1], {}, "not a mix"),
    (np.zeros((3, 2)), [0, 1], {}, r"y must have shape \(3,\)"),
    (np.zeros(3), [0, 1, 1], {}, "X must be 2-D"),
    ([[0.0, np.nan], [1.0, 1.0]], [0, 1], {}, "X must contain only finite"),
    (np.zeros((2, 2)), [0, np.nan], {}, "y must contain only finite"),
    (np.zeros((2, 2)), [0, 1], dict(learning_rate=0), "learning_rate"),
    (np.zeros((2, 2)), [0, 1], dict(learning_rate=-1.0), "learning_rate"),
    (np.zeros((2, 2)), [0, 1], dict(w0=np.zeros(3)), "w0 must have shape"),
    (np.zeros((2, 2)), [0, 1], dict(max_epochs=-2), "max_epochs"),
])
def test_bad_input(X, y, kwargs, match):
    with pytest.raises(ValueError, match=match):
        perceptron.train(X, y, **kwargs)


def test_an_update_that_overflows_is_flagged_diverged(overlapping):
    X, y = overlapping
    X = 2.0 * X                          # eta |x|**2 ~ 1e306: a few hundred updates overflow
    full = perceptron.train(X, y, learning_rate=1e306, max_epochs=50)
    thin = perceptron.train(X, y, learning_rate=1e306, max_epochs=50, record_every=7)
    assert full.meta["n_updates"] > 20
    assert full.meta["diverged"] is True and thin.meta["diverged"] is True
    assert np.all(np.isfinite(full.params)) and np.all(np.isfinite(full.loss))
    # the last finite update is kept whatever record_every
    assert thin.steps[-1] == full.steps[-1] == full.meta["n_updates"]
    np.testing.assert_array_equal(thin.params[-1], full.params[-1])
    # only whole epochs are in epoch_params
    assert len(full.extras["epoch_params"]) == full.meta["epochs_run"] + 1
    assert full.extras["epoch"][-1] == full.meta["epochs_run"] + 1
    # the next update (the next point it misclassifies) leaves float64
    w, b = full.params[-1, :-1], full.params[-1, -1]
    yy = np.where(y == 0, -1, 1)
    i = next(j for j in range(full.extras["index"][-1] + 1, len(yy))
             if yy[j] * (X[j] @ w + b) <= 0)
    with np.errstate(over="ignore", invalid="ignore"):
        w2, b2 = w + 1e306 * yy[i] * X[i], b + 1e306 * yy[i]
        crit = np.mean(np.maximum(0.0, -yy * (X @ w2 + b2)))
    assert not (np.all(np.isfinite(w2)) and np.isfinite(b2) and np.isfinite(crit))


def test_the_checked_loop_is_the_same_loop(separable):
    # max_epochs = 10**300 cannot be shown overflow-free in advance, so every update is checked;
    # on separable data the run converges after a few epochs, exactly as the unchecked loop does
    X, y = separable
    checked = perceptron.train(X, y, max_epochs=10**300)
    plain = perceptron.train(X, y, max_epochs=100)
    assert checked.meta["converged"] and not checked.meta["diverged"]
    for name in ("params", "loss", "grads", "steps"):
        np.testing.assert_array_equal(getattr(checked, name), getattr(plain, name))
    np.testing.assert_array_equal(checked.extras["epoch_params"], plain.extras["epoch_params"])
