"""k-means (Lloyd) against scikit-learn's KMeans with the same initial centres."""
import warnings

import numpy as np
import pytest
from sklearn.cluster import KMeans

from mlv.algorithms import datasets, kmeans


@pytest.fixture(scope="module")
def data():
    X, _ = datasets.blobs(60, centers=4, cluster_std=1.8, random_state=4)
    return X


def sklearn_lloyd(X, init, max_iter):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")      # "number of distinct clusters smaller than k" etc.
        return KMeans(n_clusters=len(init), init=init, n_init=1, algorithm="lloyd",
                      max_iter=max_iter, tol=0.0).fit(X)


@pytest.mark.parametrize("init_rows", [[0, 1, 2, 3], [5, 6, 7, 8], [10, 20, 30, 40]])
def test_every_iteration_equals_sklearn(data, init_rows):
    init = data[init_rows]
    traj = kmeans.lloyd(data, init=init, max_iter=100)
    assert traj.meta["converged"] and traj.meta["n_iter"] >= 2
    for t in range(1, len(traj)):
        ref = sklearn_lloyd(data, init, max_iter=t)
        np.testing.assert_allclose(traj.extras["centroids"][t], ref.cluster_centers_,
                                   rtol=0, atol=1e-10)
        np.testing.assert_array_equal(traj.extras["labels"][t], ref.labels_)
    final = sklearn_lloyd(data, init, max_iter=300)
    np.testing.assert_allclose(traj.extras["centroids"][-1], final.cluster_centers_, atol=1e-10)
    np.testing.assert_array_equal(traj.extras["labels"][-1], final.labels_)
    assert traj.loss[-1] == pytest.approx(final.inertia_, rel=1e-10)
    assert final.n_iter_ == traj.meta["n_iter"] + 1        # sklearn counts the confirming pass


def test_empty_cluster_is_reseeded_like_sklearn(data):
    init = np.vstack([data[:3], [[50.0, 50.0]]])          # the far centre gets no point at first
    traj = kmeans.lloyd(data, init=init)
    assert np.sum(traj.extras["labels"][0] == 3) == 0
    assert not np.allclose(traj.extras["centroids"][1][3], [50.0, 50.0])
    for t in range(1, len(traj)):
        ref = sklearn_lloyd(data, init, max_iter=t)
        np.testing.assert_allclose(traj.extras["centroids"][t], ref.cluster_centers_, atol=1e-10)
        np.testing.assert_array_equal(traj.extras["labels"][t], ref.labels_)


def test_centroids_are_float_means_of_integer_data():
    X = np.array([[0, 0], [1, 0], [0, 1], [10, 10], [11, 10], [10, 12]])      # int array
    traj = kmeans.lloyd(X, init=np.array([[0, 0], [10, 10]]))
    assert traj.params.dtype == np.float64
    np.testing.assert_allclose(traj.extras["centroids"][-1],
                               [[1 / 3, 1 / 3], [31 / 3, 32 / 3]], rtol=0, atol=1e-14)


def test_objective_never_increases_and_is_stationary_at_the_end(data):
    traj = kmeans.lloyd(data, 4, init="random", random_state=2)
    assert np.all(np.diff(traj.loss) <= 1e-9)
    for k in range(len(traj)):
        mu, lab = traj.extras["centroids"][k], traj.extras["labels"][k]
        np.testing.assert_array_equal(lab, np.argmin(((data[:, None] - mu) ** 2).sum(-1), axis=1))
        assert traj.loss[k] == pytest.approx(np.sum((data - mu[lab]) ** 2), rel=1e-12)
    np.testing.assert_allclose(traj.grads[-1], 0.0, atol=1e-9)   # every centre is its cluster mean


def test_objective_gradient_equals_central_differences(data):
    rng = np.random.default_rng(0)
    mu = rng.normal(size=(4, 2)) * 3
    labels = kmeans.assign(data, mu)
    g = kmeans.objective_gradient(data, mu, labels)
    h = 1e-6
    fd = np.zeros_like(mu)
    for idx in np.ndindex(mu.shape):
        e = np.zeros_like(mu)
        e[idx] = h
        fd[idx] = (kmeans.objective(data, mu + e, labels)
                   - kmeans.objective(data, mu - e, labels)) / (2 * h)
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-5)


def test_kmeans_plus_plus_spreads_the_centres():
    # two tight, far-apart groups: D^2 sampling all but always puts one centre in each
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 0.1, (50, 2)), rng.normal(20, 0.1, (50, 2))])
    for seed in range(30):
        c = kmeans.kmeans_plus_plus(X, 2, random_state=seed)
        assert sorted(np.round(c[:, 0] / 20)) == [0.0, 1.0]
        assert all(any(np.array_equal(ci, x) for x in X) for ci in c)   # centres are data points


def test_seeded_runs_are_reproducible_and_leave_global_state_alone(data):
    np.random.seed(1)
    before = np.random.get_state()[1].copy()
    a = kmeans.lloyd(data, 4, init="k-means++", random_state=7)
    b = kmeans.lloyd(data, 4, init="k-means++", random_state=7)
    c = kmeans.lloyd(data, 4, init="k-means++", random_state=8)
    assert a.fingerprint() == b.fingerprint()
    assert not np.array_equal(a.params[0], c.params[0])
    np.testing.assert_array_equal(np.random.get_state()[1], before)


def test_record_every_keeps_first_and_last(data):
    full = kmeans.lloyd(data, init=data[[10, 20, 30, 40]])
    thin = kmeans.lloyd(data, init=data[[10, 20, 30, 40]], record_every=2)
    last = full.steps[-1]
    assert thin.steps[0] == 0 and thin.steps[-1] == last
    np.testing.assert_array_equal(thin.params, full.params[thin.steps])
    np.testing.assert_array_equal(thin.extras["labels"], full.extras["labels"][thin.steps])


def test_max_iter_stops_early(data):
    traj = kmeans.lloyd(data, init=data[[10, 20, 30, 40]], max_iter=1)
    assert len(traj) == 2 and not traj.meta["converged"]


@pytest.mark.parametrize("kwargs, match", [
    (dict(X=np.zeros(5), k=2), "X must be 2-D"),
    (dict(X=[[0.0, 1.0], [np.nan, 2.0], [1.0, 1.0]], k=2), "X must contain only finite"),
    (dict(X=[[0.0, 1.0], [np.inf, 2.0], [1.0, 1.0]], k=2), "X must contain only finite"),
    (dict(X=np.zeros((3, 2)), k=4), "k must be at most the number of points"),
    (dict(X=np.zeros((3, 2)), k=0), "k must be an integer"),
    (dict(X=np.zeros((3, 2)), k=2.5), "k must be an integer"),
    (dict(X=np.zeros((3, 2)), init=np.zeros((2, 3))), "init must have shape"),
    (dict(X=np.zeros((3, 2)), init=np.zeros((4, 2))), "init must hold 1 to 3 centres"),
    (dict(X=np.zeros((3, 2)), init=[[0.0, np.nan]]), "init must contain only finite"),
    (dict(X=np.zeros((3, 2)), k=2, init="forgy"), "init must be one of"),
    (dict(X=np.zeros((3, 2)), init="random"), "k must be given"),
    (dict(X=np.zeros((3, 2)), k=2, max_iter=-1), "max_iter"),
    (dict(X=np.zeros((3, 2)), k=2, random_state="seed"), "random_state"),
])
def test_bad_input(kwargs, match):
    X = kwargs.pop("X")
    with pytest.raises(ValueError, match=match):
        kmeans.lloyd(X, **kwargs)
