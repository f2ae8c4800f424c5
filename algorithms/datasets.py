"""Seeded data generators. Every generator takes an explicit ``random_state`` and uses its own
``numpy.random.Generator``; the global NumPy random state is never touched."""
from __future__ import annotations

import numpy as np

from mlv.algorithms import _checks

_rng = _checks.rng


def _made(X: np.ndarray, culprits: str) -> np.ndarray:
    """``X`` if every generated value is finite (else the named arguments are too large)."""
    return _checks.result(X, "the generated data", culprits)


def noisy_line(
    n: int = 30,
    *,
    slope: float = 1.5,
    intercept: float = 2.0,
    noise: float = 1.2,
    x_range: tuple[float, float] = (0.0, 10.0),
    random_state: int | np.random.Generator = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Points scattered around the line ``y = slope * x + intercept``.

    Parameters
    ----------
    n : int
        Number of points (at least 2).
    slope, intercept : float
        The true line.
    noise : float
        Standard deviation of the Gaussian noise added to ``y``.
    x_range : (float, float)
        ``x`` is drawn uniformly from this interval.
    random_state : int or numpy.random.Generator
        Seed; the same seed always gives the same data.

    Returns
    -------
    x : ndarray of shape (n,)
        Inputs, sorted ascending.
    y : ndarray of shape (n,)
        Targets.
    """
    n = _count(n)
    slope = _checks.scalar(slope, "slope")
    intercept = _checks.scalar(intercept, "intercept")
    noise = _scale(noise, "noise")
    lo, hi = _checks.interval(x_range, "x_range")
    rng = _rng(random_state)
    with np.errstate(over="ignore", invalid="ignore"):
        x = np.sort(rng.uniform(lo, hi, size=n))
        y = slope * x + intercept + noise * rng.standard_normal(n)
    _made(np.concatenate([x, y]), "x_range, slope, intercept or noise are")
    return x, y


def _count(n, name: str = "n", minimum: int = 2) -> int:
    return _checks.integer(n, name, minimum=minimum)


def _scale(value, name: str) -> float:
    return _checks.nonnegative(value, name)


def _shuffled(X: np.ndarray, y: np.ndarray, rng: np.random.Generator):
    order = rng.permutation(len(y))
    return X[order], y[order]


def blobs(
    n: int = 150,
    *,
    centers: int | np.ndarray = 3,
    cluster_std: float = 1.0,
    n_features: int = 2,
    center_box: tuple[float, float] = (-6.0, 6.0),
    random_state: int | np.random.Generator = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Isotropic Gaussian clusters.

    Parameters
    ----------
    n : int
        Number of points, split as evenly as possible between the clusters.
    centers : int or ndarray of shape (k, n_features)
        Number of clusters (their centres drawn uniformly from ``center_box``) or the centres.
    cluster_std : float
        Standard deviation of each cluster along every axis.
    n_features : int
        Dimension of the points (ignored when ``centers`` is an array).
    center_box : (float, float)
        Interval the random centres are drawn from.
    random_state : int or numpy.random.Generator

    Returns
    -------
    X : ndarray of shape (n, n_features)
        Points, in shuffled order.
    y : ndarray of shape (n,), int
        The cluster each point was drawn from, ``0 .. k-1``.
    """
    n = _count(n)
    cluster_std = _scale(cluster_std, "cluster_std")
    rng = _rng(random_state)
    if np.ndim(centers) == 0:
        k = _count(centers, "centers", minimum=1)
        lo, hi = _checks.interval(center_box, "center_box")
        centres = rng.uniform(lo, hi, size=(k, _count(n_features, "n_features", 1)))
    else:
        centres = _checks.array(centers, "centers", ndim=2, shape="(k, n_features)", min_size=1)
        k = centres.shape[0]
    sizes = np.full(k, n // k) + (np.arange(k) < n % k)
    y = np.repeat(np.arange(k), sizes)
    with np.errstate(over="ignore", invalid="ignore"):
        X = centres[y] + cluster_std * rng.standard_normal((n, centres.shape[1]))
    _made(X, "centers, center_box or cluster_std are")
    return _shuffled(X, y, rng)


def two_moons(
    n: int = 200, *, noise: float = 0.1, random_state: int | np.random.Generator = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles (not linearly separable).

    The upper moon ``(cos t, sin t)`` is class 0, the lower one ``(1 - cos t, 0.5 - sin t)``
    class 1, for ``t`` evenly spaced in ``[0, pi]``; Gaussian noise of standard deviation
    ``noise`` is added.

    Returns
    -------
    X : ndarray of shape (n, 2)
    y : ndarray of shape (n,), int in {0, 1}
    """
    n = _count(n)
    noise = _scale(noise, "noise")
    rng = _rng(random_state)
    n_upper = n - n // 2
    t_up = np.linspace(0.0, np.pi, n_upper)
    t_low = np.linspace(0.0, np.pi, n // 2)
    X = np.concatenate([np.column_stack([np.cos(t_up), np.sin(t_up)]),
                        np.column_stack([1.0 - np.cos(t_low), 0.5 - np.sin(t_low)])])
    y = np.repeat([0, 1], [n_upper, n // 2])
    with np.errstate(over="ignore", invalid="ignore"):
        X = X + noise * rng.standard_normal(X.shape)
    _made(X, "noise is")
    return _shuffled(X, y, rng)


def circles(
    n: int = 200,
    *,
    noise: float = 0.05,
    factor: float = 0.5,
    random_state: int | np.random.Generator = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """A small circle (class 1) inside a large one (class 0).

    Parameters
    ----------
    factor : float
        Radius of the inner circle, in (0, 1); the outer one has radius 1.

    Returns
    -------
    X : ndarray of shape (n, 2)
    y : ndarray of shape (n,), int in {0, 1}
    """
    n = _count(n)
    noise = _scale(noise, "noise")
    factor = _checks.scalar(factor, "factor")
    if not 0 < factor < 1:
        raise ValueError(f"factor must be in (0, 1), got {factor!r}")
    rng = _rng(random_state)
    n_outer = n - n // 2
    t_out = np.linspace(0.0, 2 * np.pi, n_outer, endpoint=False)
    t_in = np.linspace(0.0, 2 * np.pi, n // 2, endpoint=False)
    X = np.concatenate([np.column_stack([np.cos(t_out), np.sin(t_out)]),
                        factor * np.column_stack([np.cos(t_in), np.sin(t_in)])])
    y = np.repeat([0, 1], [n_outer, n // 2])
    with np.errstate(over="ignore", invalid="ignore"):
        X = X + noise * rng.standard_normal(X.shape)
    _made(X, "noise is")
    return _shuffled(X, y, rng)


def xor(
    n: int = 200, *, noise: float = 0.25, random_state: int | np.random.Generator = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Four Gaussian clusters at ``(+-1, +-1)``; class 1 where the two signs differ (XOR).

    Returns
    -------
    X : ndarray of shape (n, 2)
    y : ndarray of shape (n,), int in {0, 1}
    """
    n = _count(n, minimum=4)
    noise = _scale(noise, "noise")
    rng = _rng(random_state)
    corners = np.array([[-1.0, -1.0], [1.0, 1.0], [-1.0, 1.0], [1.0, -1.0]])
    corner_class = np.array([0, 0, 1, 1])
    which = np.repeat(np.arange(4), np.full(4, n // 4) + (np.arange(4) < n % 4))
    with np.errstate(over="ignore", invalid="ignore"):
        X = corners[which] + noise * rng.standard_normal((n, 2))
    _made(X, "noise is")
    return _shuffled(X, corner_class[which], rng)


def noisy_plane(
    n: int = 200,
    *,
    slopes: tuple[float, float] = (0.5, -0.8),
    intercept: float = 1.0,
    noise: float = 0.2,
    xy_range: tuple[float, float] = (-3.0, 3.0),
    random_state: int | np.random.Generator = 0,
) -> np.ndarray:
    """Points scattered around the plane ``z = slopes[0] * x + slopes[1] * y + intercept`` in 3-D.

    ``x`` and ``y`` are drawn uniformly from ``xy_range``; Gaussian noise of standard deviation
    ``noise`` is added to ``z``. Most of the variance lies in the plane, so PCA's top two
    components (and a linear autoencoder's 2-D code) recover it.

    Returns
    -------
    X : ndarray of shape (n, 3)
        Columns ``x, y, z``.
    """
    n = _count(n, minimum=3)
    noise = _scale(noise, "noise")
    slopes_arr = _checks.vector(slopes, "slopes", 2)
    intercept = _checks.scalar(intercept, "intercept")
    lo, hi = _checks.interval(xy_range, "xy_range")
    rng = _rng(random_state)
    xy = rng.uniform(lo, hi, size=(n, 2))
    with np.errstate(over="ignore", invalid="ignore"):
        z = xy @ slopes_arr + intercept + noise * rng.standard_normal(n)
    return _made(np.column_stack([xy, z]), "xy_range, slopes, intercept or noise are")


def correlated_gaussian(
    n: int = 120,
    *,
    cov: tuple[tuple[float, float], tuple[float, float]] = ((4.0, 2.4), (2.4, 2.0)),
    mean: tuple[float, float] = (2.0, 1.0),
    random_state: int | np.random.Generator = 0,
) -> np.ndarray:
    """Points from a 2-D Gaussian with covariance ``cov`` and mean ``mean``.

    Returns
    -------
    X : ndarray of shape (n, 2)
    """
    n = _count(n)
    cov_arr = _checks.array(cov, "cov", ndim=2, shape="(2, 2)")
    if cov_arr.shape != (2, 2) or not np.allclose(cov_arr, cov_arr.T) or \
            np.any(np.linalg.eigvalsh(cov_arr) <= 0):
        raise ValueError(f"cov must be a symmetric positive-definite 2x2 matrix, got {cov}")
    mean_arr = _checks.vector(mean, "mean", 2)
    rng = _rng(random_state)
    L = np.linalg.cholesky(cov_arr)
    with np.errstate(over="ignore", invalid="ignore"):
        X = rng.standard_normal((n, 2)) @ L.T + mean_arr
    return _made(X, "cov or mean are")
