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
