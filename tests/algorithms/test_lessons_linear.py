"""The chapter-3 lesson data against independent references: scikit-learn's Perceptron and
LogisticRegression, naive loops over the grid, closed forms of the activations."""
import math
import warnings

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression, Perceptron

from mlv.algorithms import lessons_linear as ll


@pytest.fixture(scope="module")
def P():
    return ll.perceptron_lesson()


@pytest.fixture(scope="module")
def L():
    return ll.logistic_lesson()


@pytest.fixture(scope="module")
def A():
    return ll.activation_curves()


# ------------------------------------------------------------------------------------ perceptron

def _sklearn_perceptron(X, y, epochs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")                    # ConvergenceWarning: max_iter hit
        clf = Perceptron(shuffle=False, eta0=1.0, penalty=None, max_iter=epochs, tol=None)
        clf.fit(X, y)
    return np.append(clf.coef_[0], clf.intercept_[0])


def test_perceptron_matches_sklearn_with_shuffle_off_after_every_epoch(P):
    ends = P.run.extras["epoch_params"]
    for e in range(1, P.epochs + 1):
        np.testing.assert_allclose(ends[e], _sklearn_perceptron(P.X, P.y, e), rtol=0, atol=1e-12)
    # and the final weights are sklearn's at convergence (nothing changes after it)
    np.testing.assert_allclose(np.append(P.w[-1], P.b[-1]),
                               _sklearn_perceptron(P.X, P.y, P.epochs + 5), atol=1e-12)


def test_perceptron_updates_replayed_by_a_naive_loop(P):
    """Each recorded update is ``w += y_i x_i, b += y_i`` for the point recorded as its cause, and
    that point was misclassified (or on the boundary) just before."""
    w, b = np.zeros(2), 0.0
    expected = [(w.copy(), b)]
    causes = []
    for _ in range(P.epochs):
        for i in range(len(P.y)):
            if P.y[i] * (P.X[i] @ w + b) <= 0:
                w, b = w + P.y[i] * P.X[i], b + P.y[i]
                expected.append((w.copy(), b))
                causes.append(i)
    assert len(expected) == P.n_updates + 1 == len(P.w)
    for k, (we, be) in enumerate(expected):
        np.testing.assert_allclose(P.w[k], we, atol=1e-12)
        assert P.b[k] == pytest.approx(be, abs=1e-12)
    assert list(P.cause[1:]) == causes and P.cause[0] == -1
    assert np.all(P.margin_before[1:] <= 0)


def test_perceptron_lesson_is_a_short_converged_run(P):
    assert P.run.meta["converged"]
    assert 4 <= P.n_updates <= 12                         # short enough to show every update
    assert P.mistakes[0] == len(P.y) and P.mistakes[-1] == 0
    assert P.run.loss[-1] == 0.0                          # the criterion is 0 once separated...
    assert P.hinge[-1] > 0                                 # ...the hinge loss is not (margin)


def test_perceptron_hinge_and_criterion_against_naive_sums(P):
    for k in range(len(P.w)):
        f = [P.w[k] @ x + P.b[k] for x in P.X]
        crit = sum(max(0.0, -yy * ff) for yy, ff in zip(P.y, f)) / len(f)
        hinge = sum(max(0.0, 1 - yy * ff) for yy, ff in zip(P.y, f)) / len(f)
        assert P.run.loss[k] == pytest.approx(crit, abs=1e-12)
        assert P.hinge[k] == pytest.approx(hinge, abs=1e-12)
    np.testing.assert_array_equal(P.criterion_curve, [max(0.0, -m) for m in P.margins])
    np.testing.assert_array_equal(P.hinge_curve, [max(0.0, 1 - m) for m in P.margins])


def test_perceptron_final_losses_and_learning_rate(P):
    """The numbers the "hinge-final" beat says: the two losses of the final boundary, from naive
    sums; the learning rate is the one sklearn's equivalent run uses (eta0 = 1)."""
    w, b = P.w[-1], P.b[-1]
    margins = [yy * (w @ x + b) for x, yy in zip(P.X, P.y)]
    assert P.final_criterion == pytest.approx(sum(max(0.0, -m) for m in margins) / len(margins),
                                              abs=1e-12)
    assert P.final_hinge == pytest.approx(sum(max(0.0, 1 - m) for m in margins) / len(margins),
                                          abs=1e-12)
    assert P.learning_rate == 1.0


def test_boundary_segments_lie_on_the_line_and_on_the_box_edges(P):
    x0, x1, y0, y1 = P.box
    assert P.segments[0] is None
    for k in range(1, len(P.w)):
        seg = P.segments[k]
        assert seg is not None
        np.testing.assert_allclose(seg @ P.w[k] + P.b[k], 0, atol=1e-9)
        for px, py in seg:            # each end point is on an edge of the box
            on_edge = min(abs(px - x0), abs(px - x1), abs(py - y0), abs(py - y1))
            assert on_edge < 1e-9 and x0 - 1e-9 <= px <= x1 + 1e-9 and y0 - 1e-9 <= py <= y1 + 1e-9
        foot = P.feet[k]
        assert foot @ P.w[k] + P.b[k] == pytest.approx(0, abs=1e-9)


def test_line_in_box_misses_and_corners():
    assert ll.line_in_box([0, 0], 1.0, (-1, 1, -1, 1)) is None
    assert ll.line_in_box([1, 0], -5.0, (-1, 1, -1, 1)) is None          # x = 5, outside
    np.testing.assert_allclose(sorted(map(tuple, ll.line_in_box([1, -1], 0.0, (-1, 1, -1, 1)))),
                               [(-1, -1), (1, 1)])                         # the diagonal


# -------------------------------------------------------------------------- activation functions

def test_activation_curves_equal_closed_forms(A):
    z = A.z
    for k, t in enumerate(z):
        s = 1 / (1 + math.exp(-t))
        assert A.values["sigmoid"][k] == pytest.approx(s, abs=1e-14)
        assert A.slopes["sigmoid"][k] == pytest.approx(s * (1 - s), abs=1e-14)
        th = (math.exp(t) - math.exp(-t)) / (math.exp(t) + math.exp(-t))
        assert A.values["tanh"][k] == pytest.approx(th, abs=1e-14)
        assert A.slopes["tanh"][k] == pytest.approx(4 / (math.exp(t) + math.exp(-t)) ** 2,
                                                    abs=1e-14)      # sech^2
        assert A.values["relu"][k] == max(0.0, t)
        assert A.values["leaky_relu"][k] == (t if t > 0 else A.leaky_slope * t)
        assert A.values["step"][k] == (1.0 if t >= 0 else 0.0)
        assert A.slopes["step"][k] == 0.0
        if t != 0:
            assert A.slopes["relu"][k] == (1.0 if t > 0 else 0.0)
            assert A.slopes["leaky_relu"][k] == (1.0 if t > 0 else A.leaky_slope)


def test_activation_slopes_match_finite_differences(A):
    h = 1e-6
    inner = np.abs(A.z) > 0.1
    for name, f in (("sigmoid", lambda t: 1 / (1 + np.exp(-t))), ("tanh", np.tanh),
                    ("relu", lambda t: np.maximum(t, 0)),
                    ("leaky_relu", lambda t: np.where(t > 0, t, A.leaky_slope * t))):
        fd = (f(A.z + h) - f(A.z - h)) / (2 * h)
        np.testing.assert_allclose(A.slopes[name][inner], fd[inner], atol=1e-8)


def test_saturation_intervals_equal_the_closed_form(A):
    """sigma'(z) = s(1 - s) < t  <=>  |z| > log(q / (1 - q)), q = (1 + sqrt(1 - 4t)) / 2;
    tanh'(z) < t  <=>  |z| > artanh(sqrt(1 - t))."""
    t = A.saturation
    q = (1 + math.sqrt(1 - 4 * t)) / 2
    edges = {"sigmoid": math.log(q / (1 - q)), "tanh": math.atanh(math.sqrt(1 - t))}
    dz = A.z[1] - A.z[0]
    for name, edge in edges.items():
        (lo_a, lo_b), (hi_a, hi_b) = A.saturated[name]
        assert lo_a == A.z[0] and hi_b == A.z[-1]
        assert abs(lo_b + edge) <= dz and abs(hi_a - edge) <= dz


def test_saturation_edges_equal_the_closed_form(A):
    """The "saturate" and "tanh" beats: the slope is below the threshold beyond z = edge, the
    closed-form edge rounded up to the grid."""
    t = A.saturation
    q = (1 + math.sqrt(1 - 4 * t)) / 2
    exact = {"sigmoid": math.log(q / (1 - q)), "tanh": math.atanh(math.sqrt(1 - t))}
    dz = A.z[1] - A.z[0]
    for name, edge in exact.items():
        got = A.saturation_edge(name)
        assert got in A.z and edge <= got < edge + dz + 1e-12
        assert round(got, 1) == round(edge, 1)       # what the narration says, to one decimal


def test_narrated_slope_facts(A):
    assert A.max_slope("sigmoid") == pytest.approx(0.25, abs=1e-12)    # at most one quarter
    assert A.max_slope("tanh") == pytest.approx(1.0, abs=1e-12)
    assert A.slopes["sigmoid"][np.argmin(np.abs(A.z))] == pytest.approx(0.25)
    assert np.all(A.slopes["relu"][A.z > 0] == 1) and np.all(A.slopes["relu"][A.z < 0] == 0)


# --------------------------------------------------------------------------- logistic regression

def test_logistic_regression_approaches_sklearn_unregularised(L):
    ref = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(L.X, L.y)
    sk = np.append(ref.coef_[0], ref.intercept_[0])
    np.testing.assert_allclose(L.optimum, sk, atol=1e-5)              # Newton's optimum
    np.testing.assert_allclose(L.run.params[-1], sk, atol=1e-4)       # where GD arrives
    assert L.accuracy[-1] == pytest.approx(ref.score(L.X, L.y))
    # and the distance to it shrinks along the run
    dist = np.abs(L.run.params - sk).max(axis=1)
    assert np.all(np.diff(dist[L.shown[1]:]) <= 1e-12)


def test_logistic_numbers_said_against_sklearn_and_naive_counts(L):
    """The "accuracy" and "optimum" beats: the points left on the wrong side (a naive count), and
    the decimal places to which the run agrees with sklearn's unregularised fit."""
    w1, w2, b = L.run.params[-1]
    wrong = sum((w1 * x1 + w2 * x2 + b >= 0) != (yy == 1) for (x1, x2), yy in zip(L.X, L.y))
    assert L.n_wrong == wrong > 0
    ref = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(L.X, L.y)
    gap = np.abs(L.run.params[-1] - np.append(ref.coef_[0], ref.intercept_[0])).max()
    assert L.optimum_gap == pytest.approx(gap, rel=1e-3)
    d = L.agreeing_decimals
    assert 10.0 ** -(d + 1) <= gap < 10.0 ** -d          # d places, and not d + 1
    # "falls ... to about ten to the minus k": the exponent of the final excess, written out
    assert L.final_excess_exponent == int(f"{L.excess[-1]:e}".split("e")[1])
    assert L.epochs == 300 and L.learning_rate == 1.0


def test_logistic_phases_shift_then_sharpen(L):
    """The "train" beat shows the epochs while the boundary still shifts, "sharpen" the ones
    after, when it barely moves and only the weights grow."""
    assert L.shifting + L.sharpening == L.shown[2:]
    assert max(L.shifting) <= L.settle_after < min(L.sharpening)
    P = L.run.params

    def offset(k):
        return P[k, 2] / np.linalg.norm(P[k, :2])

    def angle(k):
        return np.degrees(np.arctan2(P[k, 1], P[k, 0]))

    first, settled, last = 1, L.settle_after, len(P) - 1
    assert abs(offset(last) - offset(settled)) < abs(offset(settled) - offset(first)) / 2
    assert abs(angle(last) - angle(settled)) < 0.1
    norms = np.linalg.norm(P[list(L.sharpening), :2], axis=1)
    assert np.all(np.diff(norms) > 0) and norms[0] > np.linalg.norm(P[settled, :2])


def test_logistic_data_not_separable(L):
    """An unregularised optimum exists only if no line separates the classes: the optimum's
    accuracy is below 1 and its weights are finite."""
    assert L.accuracy[-1] < 1.0 and np.all(np.isfinite(L.optimum))


def test_probability_grids_equal_a_naive_loop(L):
    for s, grid in zip(L.shown, L.grids):
        w1, w2, b = L.run.params[s]
        for j in range(0, len(L.grid_x2), 7):
            for i in range(0, len(L.grid_x1), 7):
                z = w1 * L.grid_x1[i] + w2 * L.grid_x2[j] + b
                assert grid[j, i] == pytest.approx(1 / (1 + math.exp(-z)), rel=1e-12)


def test_accuracy_per_epoch_against_a_naive_count(L):
    for e in (0, 1, 5, 50, len(L.accuracy) - 1):
        w1, w2, b = L.run.params[e]
        right = sum((w1 * x1 + w2 * x2 + b >= 0) == (yy == 1) for (x1, x2), yy in zip(L.X, L.y))
        assert L.accuracy[e] == right / len(L.y)


def test_logistic_loss_decreases_and_first_grid_is_one_half(L):
    assert np.all(np.diff(L.run.loss) <= 1e-15)
    np.testing.assert_array_equal(L.grids[0], 0.5)                    # w = 0, b = 0
    assert L.excess[-1] < 1e-8 and L.excess.min() >= -1e-12
