"""The exact runs each lesson shows, with their data and hyper-parameters in one place.

Scenes call these functions and draw what they return; tests call the same functions, so what a
test checks is what a viewer sees.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from algorithms import datasets, linear_regression as lr
from algorithms.trajectory import Trajectory


@dataclass(frozen=True)
class LinearRegressionLesson:
    """Data, both gradient-descent runs and the loss surfaces of the linear-regression lessons.

    Attributes
    ----------
    x, y : ndarray of shape (n,)
        The raw data.
    raw, standardized : Trajectory
        Gradient descent on raw ``x`` and on standardised ``x`` (from ``w = b = 0``).
    optimum_raw, optimum_std : (float, float)
        Closed-form least-squares ``(w, b)`` on raw and on standardised ``x``.
    grid_raw, grid_std : (ndarray (n_w,), ndarray (n_b,), ndarray (n_b, n_w))
        ``(w_values, b_values, mse)`` for the contour panels.
    """

    x: np.ndarray
    y: np.ndarray
    raw: Trajectory
    standardized: Trajectory
    optimum_raw: tuple[float, float]
    optimum_std: tuple[float, float]
    grid_raw: tuple[np.ndarray, np.ndarray, np.ndarray]
    grid_std: tuple[np.ndarray, np.ndarray, np.ndarray]

    @property
    def min_mse(self) -> float:
        """The smallest MSE any line reaches on this data (standardising does not change it)."""
        return lr.mse(self.x, self.y, *self.optimum_raw)

    def excess(self, traj: Trajectory) -> np.ndarray:
        """``MSE - min MSE`` at each recorded step of ``traj``, shape (n_steps,)."""
        return traj.loss - self.min_mse


def _grid(x, y, w_range, b_range, n=121):
    w = np.linspace(*w_range, n)
    b = np.linspace(*b_range, n)
    return w, b, lr.loss_surface(x, y, w, b)


def linear_regression_lesson(random_state: int = 7, *, n: int = 30,
                             raw_learning_rate: float = 0.02, raw_epochs: int = 100,
                             std_learning_rate: float = 0.1, std_epochs: int = 100
                             ) -> LinearRegressionLesson:
    """The runs of ``linear-regression-mse`` and ``linear-regression-training``."""
    x, y = datasets.noisy_line(n, slope=1.5, intercept=2.0, noise=1.5, x_range=(0.0, 10.0),
                               random_state=random_state)
    raw = lr.gradient_descent(x, y, learning_rate=raw_learning_rate, epochs=raw_epochs)
    std = lr.gradient_descent(x, y, learning_rate=std_learning_rate, epochs=std_epochs,
                              standardize_inputs=True)
    z = std.extras["x"]
    opt_raw = lr.least_squares(x, y)
    opt_std = lr.least_squares(z, y)
    grid_raw = _grid(x, y, (-0.5, 3.0), (-2.0, 6.0))
    grid_std = _grid(z, y, (-2.0, 7.0), (-2.0, 14.0))
    return LinearRegressionLesson(x, y, raw, std, opt_raw, opt_std, grid_raw, grid_std)


@dataclass(frozen=True)
class KMeansLesson:
    """The runs of ``kmeans-training``.

    Attributes
    ----------
    X : ndarray of shape (n, 2)
        The points (seeded blobs).
    run : Trajectory
        Lloyd's algorithm from random initial centres (``extras["centroids"]`` (T, k, 2),
        ``extras["labels"]`` (T, n), ``loss`` = J).
    other : Trajectory
        The same data and k from another random start, which stops in a worse local minimum.
    """

    X: np.ndarray
    run: Trajectory
    other: Trajectory


def kmeans_lesson(random_state: int = 3, *, n: int = 150, k: int = 4, init_seed: int = 2,
                  other_seed: int = 3) -> KMeansLesson:
    """The runs of ``kmeans-training``: blobs, Lloyd from two random starts."""
    from algorithms import kmeans

    X, _ = datasets.blobs(n, centers=k, cluster_std=1.3, random_state=random_state)
    run = kmeans.lloyd(X, k, init="random", random_state=init_seed)
    other = kmeans.lloyd(X, k, init="random", random_state=other_seed)
    return KMeansLesson(X, run, other)


@dataclass(frozen=True)
class PCALesson:
    """The run of ``pca-projection``: correlated 2-D points and their PCA (``extras`` as in
    :func:`algorithms.pca.pca`: mean, X_centered, covariance, eigenvalues, components,
    explained_variance_ratio, projections...)."""

    X: np.ndarray
    fit: Trajectory


def pca_lesson(random_state: int = 4, *, n: int = 120) -> PCALesson:
    from algorithms import pca

    X = datasets.correlated_gaussian(n, random_state=random_state)
    return PCALesson(X, pca.pca(X))


def within_cluster_sum_of_squares(X, labels, centres) -> np.ndarray:
    """The k-means objective ``J = sum_i ||x_i - mu_{c_i}||**2`` for one or many candidate sets of
    centres, the assignment ``labels`` held fixed.

    Parameters
    ----------
    X : array_like of shape (n, d)
    labels : array_like of int, shape (n,)
        The cluster of each point, in ``0 .. k-1``.
    centres : array_like of shape (..., k, d)
        Candidate centres; leading axes index the candidates.

    Returns
    -------
    ndarray of shape (...)
        ``J`` for each candidate (a sum over points, not a mean).
    """
    X = np.asarray(X, dtype=float)
    labels = np.asarray(labels)
    centres = np.asarray(centres, dtype=float)
    diff = X - centres[..., labels, :]                 # (..., n, d)
    return np.sum(diff ** 2, axis=(-2, -1))


@dataclass(frozen=True)
class KMeansObjectiveLesson:
    """The numbers of ``kmeans-objective``.

    Attributes
    ----------
    X : ndarray of shape (n, 2)
        The points of :func:`kmeans_lesson`.
    labels : ndarray of int, shape (n,)
        The converged clustering of :func:`kmeans_lesson`'s run.
    centres : ndarray of shape (k, 2)
        The converged centres: each is the mean of its cluster's points.
    J : float
        The within-cluster sum of squares at ``centres``.
    moved : int
        The cluster whose centre is moved off its mean in the visual check.
    offsets : ndarray of shape (m,)
        How far that centre moves along ``x_1`` (contains 0 exactly, at ``offsets[m // 2]``).
    candidates : ndarray of shape (m, k, 2)
        ``centres`` with cluster ``moved``'s centre shifted by each offset.
    J_candidates : ndarray of shape (m,)
        J of each candidate, the assignment held fixed.
    """

    X: np.ndarray
    labels: np.ndarray
    centres: np.ndarray
    J: float
    moved: int
    offsets: np.ndarray
    candidates: np.ndarray
    J_candidates: np.ndarray

    @property
    def cluster_sizes(self) -> np.ndarray:
        """Number of points in each cluster, shape (k,)."""
        return np.bincount(self.labels, minlength=len(self.centres))


def kmeans_objective_lesson(*, moved: int = 1, max_offset: float = 2.5,
                            n_offsets: int = 101) -> KMeansObjectiveLesson:
    """The numbers of ``kmeans-objective``: the clustering ``kmeans-training`` converges to, and J
    as one centre slides along ``x_1`` through its cluster's mean."""
    base = kmeans_lesson()
    X = base.X
    labels = base.run.extras["labels"][-1]
    centres = base.run.extras["centroids"][-1]
    half = (n_offsets - 1) // 2
    offsets = np.arange(-half, half + 1) * (max_offset / half)
    candidates = np.repeat(centres[None], len(offsets), axis=0)
    candidates[:, moved, 0] += offsets
    for a in (labels, centres, offsets, candidates):
        a.setflags(write=False)
    J_candidates = within_cluster_sum_of_squares(X, labels, candidates)
    J_candidates.setflags(write=False)
    J = float(within_cluster_sum_of_squares(X, labels, centres))
    return KMeansObjectiveLesson(X, labels, centres, J, moved, offsets, candidates, J_candidates)


def projected_variance(X_centered, directions) -> tuple[np.ndarray, np.ndarray]:
    """Project centred data on unit vectors and take the sample variance of each projection.

    Parameters
    ----------
    X_centered : array_like of shape (n, d)
        Centred data (column means 0).
    directions : array_like of shape (m, d)
        Unit vectors ``u``.

    Returns
    -------
    projections : ndarray of shape (m, n)
        ``u_j^T x_i``.
    variance : ndarray of shape (m,)
        The sample variance (divided by ``n - 1``) of each row of ``projections``.
    """
    Xc = np.asarray(X_centered, dtype=float)
    U = np.asarray(directions, dtype=float)
    proj = U @ Xc.T
    return proj, np.var(proj, axis=1, ddof=1)


@dataclass(frozen=True)
class PCADerivationLesson:
    """The numbers of ``pca-derivation``.

    Attributes
    ----------
    X : ndarray of shape (n, 2)
        The raw points of :func:`pca_lesson`.
    mean : ndarray of shape (2,)
    X_centered : ndarray of shape (n, 2)
    covariance : ndarray of shape (2, 2)
        ``Sigma = X_c^T X_c / (n - 1)``.
    raw_moment : ndarray of shape (2, 2)
        ``X^T X / (n - 1)`` of the raw (uncentred) data; it exceeds ``Sigma`` by
        ``n / (n - 1) mean mean^T``.
    eigenvalues : ndarray of shape (2,)
        Descending.
    components : ndarray of shape (2, 2)
        One unit eigenvector per row.
    angles : ndarray of shape (m,)
        Angles of ``u = (cos a, sin a)`` over one full turn ``[0, 2 pi]``: every degree, plus the
        four angles of the principal axes, ``top_angle + j pi / 2`` (mod ``2 pi``), so the curve
        reaches its exact maximum ``lambda_1`` and minimum ``lambda_2``.
    directions : ndarray of shape (m, 2)
    projections : ndarray of shape (m, n)
        ``u^T x_c_i`` for each angle.
    variance : ndarray of shape (m,)
        The sample variance of each row of ``projections``.
    top_angle : float
        The angle of ``components[0]`` in ``[0, pi)``.
    top_index : int
        ``angles[top_index] == top_angle``.
    """

    X: np.ndarray
    mean: np.ndarray
    X_centered: np.ndarray
    covariance: np.ndarray
    raw_moment: np.ndarray
    eigenvalues: np.ndarray
    components: np.ndarray
    angles: np.ndarray
    directions: np.ndarray
    projections: np.ndarray
    variance: np.ndarray
    top_angle: float
    top_index: int

    @property
    def n(self) -> int:
        return len(self.X)


def pca_derivation_lesson() -> PCADerivationLesson:
    """The numbers of ``pca-derivation``: the data of :func:`pca_lesson`, centred, and the variance
    of its projection on ``u`` as ``u`` turns once around the circle."""
    fit = pca_lesson().fit.extras
    X, mean, Xc = fit["X"], fit["mean"], fit["X_centered"]
    u1 = fit["components"][0]
    top = float(np.mod(np.arctan2(u1[1], u1[0]), np.pi))
    axes = np.mod(top + np.arange(4) * np.pi / 2, 2 * np.pi)
    angles = np.unique(np.concatenate([np.deg2rad(np.arange(361.0)), axes]))
    directions = np.column_stack([np.cos(angles), np.sin(angles)])
    proj, var = projected_variance(Xc, directions)
    out = PCADerivationLesson(
        X=X, mean=mean, X_centered=Xc, covariance=fit["covariance"],
        raw_moment=X.T @ X / (len(X) - 1), eigenvalues=fit["eigenvalues"],
        components=fit["components"], angles=angles, directions=directions, projections=proj,
        variance=var, top_angle=top, top_index=int(np.flatnonzero(angles == top)[0]))
    for a in (out.raw_moment, angles, directions, proj, var):
        a.setflags(write=False)
    return out
