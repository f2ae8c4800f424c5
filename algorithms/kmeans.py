"""k-means by Lloyd's algorithm, recorded iteration by iteration.

    J(mu, c) = sum_i || x_i - mu_{c_i} ||**2              (within-cluster sum of squares)

Each iteration alternates an *assignment step* (every point joins its nearest centre, which can only
lower J) and an *update step* (every centre moves to the mean of its points: dJ/dmu_k = 0 gives
``mu_k = mean of cluster k``). It stops when an assignment step changes no label; then the update
step would leave every centre where it is.

Centroids are always float64 means (never truncated to integers). Randomness (the initial centres)
comes only from an explicit ``random_state``. An empty cluster is re-seeded, as scikit-learn does,
with the point farthest from its own centre (that point leaves its old cluster's mean).
"""
from __future__ import annotations

import numpy as np

from mlv.algorithms import _checks
from mlv.algorithms.trajectory import Trajectory


def _data_and_centres(X, centroids) -> tuple[np.ndarray, np.ndarray]:
    X = _checks.samples(X)
    centroids = _checks.array(centroids, "centroids", ndim=2, shape="(k, n_features)")
    if centroids.shape[0] < 1 or centroids.shape[1] != X.shape[1]:
        raise ValueError(f"centroids must have shape (k, {X.shape[1]}) with k >= 1 to match X, "
                         f"got {centroids.shape}")
    return X, centroids


def _squared_distances(X, centroids) -> np.ndarray:
    return np.sum((X[:, None, :] - centroids[None, :, :]) ** 2, axis=-1)


def _objective(X, centroids, labels) -> float:
    return float(np.sum((X - centroids[labels]) ** 2))


def _objective_gradient(X, centroids, labels) -> np.ndarray:
    out = np.zeros_like(centroids)
    np.add.at(out, labels, 2.0 * (centroids[labels] - X))
    return out


def squared_distances(X, centroids) -> np.ndarray:
    """``D[i, k] = ||X[i] - centroids[k]||**2``, shape (n, k)."""
    X, centroids = _data_and_centres(X, centroids)
    with np.errstate(over="ignore", invalid="ignore"):
        out = _squared_distances(X, centroids)
    return _checks.result(out, "the squared distances", "X or centroids are")


def assign(X, centroids) -> np.ndarray:
    """Index of the nearest centre of each point (ties go to the lowest index), shape (n,), int."""
    return np.argmin(squared_distances(X, centroids), axis=1)


def objective(X, centroids, labels) -> float:
    """The within-cluster sum of squares ``J`` (a sum over points, not a mean)."""
    X, centroids = _data_and_centres(X, centroids)
    labels = _checks.indices(labels, "labels", X.shape[0], centroids.shape[0])
    with np.errstate(over="ignore", invalid="ignore"):
        out = _objective(X, centroids, labels)
    return _checks.result(out, "the objective J", "X or centroids are")


def objective_gradient(X, centroids, labels) -> np.ndarray:
    """``dJ/dmu`` with the labels held fixed: ``2 * sum_{i in C_k} (mu_k - x_i)``, shape (k, d).
    It vanishes exactly when every centre is the mean of its cluster."""
    X, centroids = _data_and_centres(X, centroids)
    labels = _checks.indices(labels, "labels", X.shape[0], centroids.shape[0])
    with np.errstate(over="ignore", invalid="ignore"):
        out = _objective_gradient(X, centroids, labels)
    return _checks.result(out, "dJ/dmu", "X or centroids are")


def random_init(X, k: int, *, random_state=0) -> np.ndarray:
    """``k`` distinct data points chosen uniformly at random, shape (k, d)."""
    X = _checks.samples(X)
    k = _k(k, X)
    idx = _checks.rng(random_state).choice(X.shape[0], size=k, replace=False)
    return X[idx].copy()


def kmeans_plus_plus(X, k: int, *, random_state=0) -> np.ndarray:
    """k-means++ seeding (Arthur & Vassilvitskii, 2007): the first centre uniformly at random, each
    next one a data point drawn with probability proportional to its squared distance to the
    nearest centre already chosen.

    Returns
    -------
    ndarray of shape (k, d)
    """
    X = _checks.samples(X)
    k = _k(k, X)
    _checks.not_too_large(X, "X", X.shape[0] * X.shape[1])
    rng = _checks.rng(random_state)
    centres = [X[rng.integers(X.shape[0])]]
    d2 = squared_distances(X, centres[0][None])[:, 0]
    for _ in range(1, k):
        total = d2.sum()
        if total == 0:                       # fewer distinct points than k: any point will do
            i = rng.integers(X.shape[0])
        else:
            i = rng.choice(X.shape[0], p=d2 / total)
        centres.append(X[i])
        d2 = np.minimum(d2, squared_distances(X, X[i][None])[:, 0])
    return np.array(centres, dtype=float)


def _k(k, X: np.ndarray) -> int:
    k = _checks.integer(k, "k", minimum=1)
    if k > X.shape[0]:
        raise ValueError(f"k must be at most the number of points ({X.shape[0]}), got {k}")
    return k


def update_centroids(X, labels, centroids) -> np.ndarray:
    """The update step: each centre becomes the mean of the points assigned to it.

    An empty cluster takes the point farthest from its current centre (distances to ``centroids``,
    the centres the labels were computed from); that point is removed from its old cluster's mean.
    This is scikit-learn's rule, so runs with empty clusters still match it.

    Returns
    -------
    ndarray of shape (k, d), float
    """
    X, centroids = _data_and_centres(X, centroids)
    labels = _checks.indices(labels, "labels", X.shape[0], centroids.shape[0])
    with np.errstate(over="ignore", invalid="ignore"):
        out = _update_centroids(X, labels, centroids)
    return _checks.result(out, "the new centres", "X or centroids are")


def _update_centroids(X, labels, centroids) -> np.ndarray:
    k = centroids.shape[0]
    sums = np.zeros_like(centroids)
    np.add.at(sums, labels, X)
    counts = np.bincount(labels, minlength=k).astype(float)
    empty = np.flatnonzero(counts == 0)
    if empty.size:
        dist = np.sum((X - centroids[labels]) ** 2, axis=1)
        if dist.max() > 0:
            far = np.argsort(-dist, kind="stable")[: empty.size]
            for cluster, i in zip(empty, far):
                sums[labels[i]] -= X[i]
                counts[labels[i]] -= 1
                sums[cluster] = X[i]
                counts[cluster] = 1
    new = centroids.copy()                    # a cluster still empty keeps its centre
    filled = counts > 0
    new[filled] = sums[filled] / counts[filled, None]
    return new


def lloyd(
    X,
    k: int | None = None,
    *,
    init="k-means++",
    max_iter: int = 100,
    random_state=0,
    record_every: int = 1,
) -> Trajectory:
    """Lloyd's algorithm, one recorded row per iteration.

    Parameters
    ----------
    X : array_like of shape (n, d)
        Data.
    k : int, optional
        Number of clusters; may be omitted when ``init`` is an array.
    init : ``"k-means++"``, ``"random"`` or array_like of shape (k, d)
        Initial centres: seeded k-means++, ``k`` random distinct points, or given centres.
    max_iter : int
        At most this many update steps.
    random_state : int or numpy.random.Generator
        Seed for the string inits (unused for given centres).
    record_every : int
        Record every k-th iteration (the first and last are always recorded).

    Returns
    -------
    Trajectory
        Row ``t`` is the state after ``t`` update steps: ``params`` the centres ``mu_t`` flattened
        (columns ``mu1_1, mu1_2, ..., muk_d``), ``extras["labels"][t]`` the assignment to ``mu_t``
        (int, shape (n_recorded, n)), ``loss`` the objective ``J(mu_t, labels_t)``, ``grads``
        ``dJ/dmu`` at ``(mu_t, labels_t)`` (zero once converged). ``extras["centroids"]`` holds the
        centres as (n_recorded, k, d) and ``extras["X"]`` the data. ``meta`` holds ``k``,
        ``n_iter`` (update steps taken), ``converged`` and the init.

    Notes
    -----
    With given initial centres, row ``t`` equals scikit-learn's
    ``KMeans(algorithm="lloyd", init=centres, n_init=1, max_iter=t)`` (centres and labels).
    """
    X = _checks.samples(X)
    max_iter = _checks.integer(max_iter, "max_iter")
    record_every = _checks.integer(record_every, "record_every", minimum=1)
    if isinstance(init, str):
        _checks.choice(init, "init", ("k-means++", "random"))
        if k is None:
            raise ValueError("k must be given when init is a string")
        seed = kmeans_plus_plus if init == "k-means++" else random_init
        mu = seed(X, k, random_state=random_state)
        init_name = init
    else:
        mu = _checks.array(init, "init", ndim=2, shape="(k, n_features)").copy()
        if mu.shape[1] != X.shape[1]:
            raise ValueError(f"init must have shape (k, {X.shape[1]}) to match X, got {mu.shape}")
        if not 1 <= mu.shape[0] <= X.shape[0]:
            raise ValueError(f"init must hold 1 to {X.shape[0]} centres (one per cluster, at most "
                             f"one per point), got {mu.shape[0]}")
        if k is not None and _checks.integer(k, "k", minimum=1) != mu.shape[0]:
            raise ValueError(f"k = {k} but init has {mu.shape[0]} centres")
        init_name = "given"
    k = mu.shape[0]
    # every centre stays inside the box around the data and the initial centres: if no sum of
    # squared differences over that box overflows, no distance, sum or mean of the run does
    _checks.not_too_large(X, "X", X.shape[0] * X.shape[1])
    _checks.not_too_large(mu, "init", X.shape[0] * X.shape[1])

    rows: list[tuple] = []
    last: tuple | None = None
    labels_old, converged = None, False
    for t in range(max_iter + 1):
        labels = np.argmin(_squared_distances(X, mu), axis=1)
        if labels_old is not None and np.array_equal(labels, labels_old):
            converged = True                 # the update step would not move any centre
        last = (t, mu, labels, _objective(X, mu, labels), _objective_gradient(X, mu, labels))
        if _checks.recorded(t, max_iter, record_every) or converged:
            rows.append(last)
        if converged:
            break
        if t < max_iter:
            mu, labels_old = _update_centroids(X, labels, mu), labels
    if last is not None and rows[-1] is not last:
        rows.append(last)

    steps, centroids, labels, J, grads = (np.array(col) for col in zip(*rows))
    d = X.shape[1]
    names = tuple(f"mu{j + 1}_{i + 1}" for j in range(k) for i in range(d))
    return Trajectory(params=centroids.reshape(len(rows), k * d), loss=J,
                      grads=grads.reshape(len(rows), k * d), param_names=names, steps=steps,
                      extras={"centroids": centroids, "labels": labels.astype(np.int64), "X": X},
                      meta={"k": k, "init": init_name, "max_iter": max_iter,
                            "n_iter": int(steps[-1]), "converged": converged})
