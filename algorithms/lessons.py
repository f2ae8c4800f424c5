"""The exact runs each lesson shows, with their data and hyper-parameters in one place.

Scenes call these functions and draw what they return; tests call the same functions, so what a
test checks is what a viewer sees.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from mlv.algorithms import datasets
from mlv.algorithms import linear_regression as lr
from mlv.algorithms.trajectory import Trajectory


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
    def std_factors(self) -> np.ndarray:
        """``1 - eta lambda`` for each eigenvalue ``lambda`` of the MSE's Hessian on standardised
        inputs: what one epoch multiplies the distance to the optimum by, along each axis."""
        z = self.standardized.extras["x"]
        hessian = 2.0 * np.array([[np.mean(z * z), np.mean(z)], [np.mean(z), 1.0]])
        return 1.0 - self.standardized.meta["learning_rate"] * np.linalg.eigvalsh(hessian)

    @property
    def std_regime(self) -> str:
        """What the standardised run's learning rate does (see :func:`step_regime`)."""
        return step_regime(self.std_factors)

    @property
    def min_mse(self) -> float:
        """The smallest MSE any line reaches on this data (standardising does not change it)."""
        return lr.mse(self.x, self.y, *self.optimum_raw)

    def excess(self, traj: Trajectory) -> np.ndarray:
        """``MSE - min MSE`` at each recorded step of ``traj``, shape (n_steps,)."""
        return traj.loss - self.min_mse

    @property
    def raw_gap_b(self) -> float:
        """The least-squares ``b`` minus the raw run's final ``b`` (positive: the run is below)."""
        return float(self.optimum_raw[1] - self.raw.final["b"])

    @property
    def raw_reached_optimum(self) -> bool:
        """Whether the raw run's final ``b`` equals the least-squares ``b`` to two decimals (the
        precision the lesson speaks in)."""
        return abs(self.raw_gap_b) < 0.005

    @property
    def std_error(self) -> float:
        """The largest distance of the standardised run's final ``(w, b)`` from the closed-form
        optimum, in either coordinate."""
        return float(np.max(np.abs(self.standardized.params[-1] - np.array(self.optimum_std))))


def _grid(x: np.ndarray, y: np.ndarray, w_range: tuple[float, float],
          b_range: tuple[float, float], n: int = 121
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    w = np.linspace(w_range[0], w_range[1], n)
    b = np.linspace(b_range[0], b_range[1], n)
    return w, b, lr.loss_surface(x, y, w, b)


def linear_regression_lesson(random_state: int = 7, *, n: int = 30,
                             raw_learning_rate: float = 0.02, raw_epochs: int = 100,
                             std_learning_rate: float = 0.1, std_epochs: int = 100
                             ) -> LinearRegressionLesson:
    """The runs of ``linear-regression-mse`` and ``linear-regression-training``.

    A standardised run that diverges is stopped once its MSE passes the start's excess nine
    times over (three times the start's distance from the optimum), and the contour grid widens
    to hold the whole run."""
    x, y = datasets.noisy_line(n, slope=1.5, intercept=2.0, noise=1.5, x_range=(0.0, 10.0),
                               random_state=random_state)
    raw = lr.gradient_descent(x, y, learning_rate=raw_learning_rate, epochs=raw_epochs)
    z, _, _ = lr.standardize(x)
    opt_raw = lr.least_squares(x, y)
    opt_std = lr.least_squares(z, y)
    best = lr.mse(z, y, *opt_std)
    std = lr.gradient_descent(x, y, learning_rate=std_learning_rate, epochs=std_epochs,
                              standardize_inputs=True,
                              max_loss=best + 9.0 * (lr.mse(z, y, 0.0, 0.0) - best))
    grid_raw = _grid(x, y, (-0.5, 3.0), (-2.0, 6.0))
    w_lo, b_lo = np.minimum(std.params.min(axis=0) - 1.0, (-2.0, -2.0))
    w_hi, b_hi = np.maximum(std.params.max(axis=0) + 1.0, (7.0, 14.0))
    grid_std = _grid(z, y, (float(w_lo), float(w_hi)), (float(b_lo), float(b_hi)))
    return LinearRegressionLesson(x, y, raw, std, opt_raw, opt_std, grid_raw, grid_std)


@dataclass(frozen=True)
class MSELesson:
    """The numbers of ``linear-regression-mse``: the data of :func:`linear_regression_lesson`, a
    deliberately poor first line and the least-squares line, each with its mean squared error.

    Attributes
    ----------
    x, y : ndarray of shape (n,)
    guess, best : (float, float)
        ``(w, b)`` of the first guess and of the least-squares line.
    mse_guess, mse_best : float
        Their mean squared errors.
    """

    x: np.ndarray
    y: np.ndarray
    guess: tuple[float, float]
    best: tuple[float, float]
    mse_guess: float
    mse_best: float


def mse_lesson(guess: tuple[float, float] = (0.6, 6.0)) -> MSELesson:
    """The numbers of ``linear-regression-mse``: the default data, ``guess`` and the best line."""
    data = linear_regression_lesson()
    x, y = data.x, data.y
    return MSELesson(x, y, guess, data.optimum_raw, float(lr.mse(x, y, *guess)),
                     float(data.min_mse))


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

    @property
    def other_outcome(self) -> str:
        """How the other start's final J compares with the first run's: ``"worse"`` (higher),
        ``"better"`` (lower) or ``"same"`` (equal to a relative 1e-9); the narration of the
        second start is worded by it."""
        j_run, j_other = float(self.run.loss[-1]), float(self.other.loss[-1])
        if j_other > j_run * (1 + 1e-9):
            return "worse"
        if j_other < j_run * (1 - 1e-9):
            return "better"
        return "same"


def kmeans_lesson(random_state: int = 3, *, n: int = 150, k: int = 4, init_seed: int = 2,
                  other_seed: int = 3, blobs: int = 4) -> KMeansLesson:
    """The runs of ``kmeans-training``: ``blobs`` seeded blobs, Lloyd with ``k`` clusters from
    two random starts."""
    from mlv.algorithms import kmeans

    X, _ = datasets.blobs(n, centers=blobs, cluster_std=1.3, random_state=random_state)
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
    from mlv.algorithms import pca

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

    @property
    def mean_index(self) -> int:
        """The candidate with the moved centre at its cluster's mean (``offsets[i] == 0``)."""
        return len(self.offsets) // 2

    @property
    def moved_mu1(self) -> np.ndarray:
        """The moved centre's first coordinate in each candidate, shape (m,)."""
        return self.candidates[:, self.moved, 0]


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

    @property
    def degrees(self) -> np.ndarray:
        """:attr:`angles` in degrees, shape (m,)."""
        return np.degrees(self.angles)

    @property
    def minor_index(self) -> int:
        """``angles[minor_index]`` is a quarter turn after :attr:`top_angle`: the direction of
        the smallest variance."""
        minor = np.mod(self.top_angle + np.pi / 2, 2 * np.pi)
        return int(np.flatnonzero(self.angles == minor)[0])

    @property
    def centring_shift(self) -> np.ndarray:
        """``n / (n - 1) mean mean^T``: what the raw moment adds to the covariance, (2, 2)."""
        return self.n / (self.n - 1) * np.outer(self.mean, self.mean)


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


# ------------------------------------------------------------------- chapter 1: gradient descent
def step_regime(factors) -> str:
    """What gradient descent does on a quadratic whose steps multiply the distance to the minimum
    by ``factors`` (``1 - eta lambda`` per eigen-direction), judged by the worst one:
    ``"diverges"`` (some ``|f| > 1``: lands farther out each time), ``"bounces"`` (some
    ``f = -1``: back and forth for ever), ``"oscillates"`` (some ``-1 < f < 0``: overshoots but
    lands closer), ``"one-step"`` (all ``f = 0``), ``"crawls"`` (some ``f >= 0.9``: slow) or
    ``"converges"``."""
    f = np.asarray(factors, dtype=float)
    tol = 1e-12
    if np.any(f < -1.0 - tol) or np.any(f > 1.0 + tol):
        return "diverges"
    if np.any(np.abs(f + 1.0) <= tol):
        return "bounces"
    if np.any(f < -tol):
        return "oscillates"
    if np.all(np.abs(f) <= tol):
        return "one-step"
    return "crawls" if np.any(f >= 0.9) else "converges"

@dataclass(frozen=True)
class GradientDescentLesson:
    """The runs of ``gradient-descent-intuition``: 1-D gradient descent on the parabola
    ``L(theta) = (theta - 2)**2 + 1`` (:data:`algorithms.gradient_descent_1d.PARABOLA`).

    Attributes
    ----------
    coefficients : tuple of float
        The loss, lowest degree first.
    theta_star : float
        The minimiser.
    walk : Trajectory
        The ball's walk downhill (one moderate learning rate).
    small, good, large : Trajectory
        Three learning rates from the same start for the same number of steps: too small (crawls),
        good (converges), too large (oscillates with growing amplitude).
    """

    coefficients: tuple[float, ...]
    theta_star: float
    walk: Trajectory
    small: Trajectory
    good: Trajectory
    large: Trajectory

    @property
    def rates(self) -> tuple[Trajectory, Trajectory, Trajectory]:
        return self.small, self.good, self.large

    def curve(self, lo: float, hi: float, n: int = 201) -> tuple[np.ndarray, np.ndarray]:
        """``(theta, L(theta))`` on ``n`` points of ``[lo, hi]``, for drawing the loss curve."""
        from mlv.algorithms import gradient_descent_1d as gd

        theta = np.linspace(lo, hi, n)
        return theta, gd.loss(theta, self.coefficients)

    def loss_at(self, theta: float) -> float:
        """``L(theta)``."""
        from mlv.algorithms import gradient_descent_1d as gd

        return float(gd.loss(theta, self.coefficients))

    def distance(self, traj: Trajectory) -> np.ndarray:
        """``|theta - theta*|`` at each recorded step of ``traj``, shape (n_steps,)."""
        return np.abs(traj.param("theta") - self.theta_star)

    def factor(self, traj: Trajectory) -> float:
        """``1 - eta L''``: what one step multiplies ``theta - theta*`` by on this parabola."""
        return 1.0 - traj.meta["learning_rate"] * 2.0 * self.coefficients[2]

    def regime(self, traj: Trajectory) -> str:
        """What ``traj``'s learning rate does on this parabola (:func:`step_regime` of its
        factor)."""
        return step_regime([self.factor(traj)])

    @property
    def walk_regime(self) -> str:
        """What the walk's learning rate does (:meth:`regime` of :attr:`walk`); the walk's
        narration is worded by it."""
        return self.regime(self.walk)

    @property
    def walk_stopped(self) -> bool:
        """Whether the walk ran away and was stopped before its last step (its ``|theta|``
        passed the bound of :func:`gradient_descent_lesson`); it then shows fewer steps than
        asked."""
        return bool(self.walk.meta["diverged"])


def gradient_descent_lesson(*, theta0: float = -1.0, walk_rate: float = 0.15,
                            walk_steps: int = 12, rates: tuple[float, float, float] = (
                                0.05, 0.3, 1.05), rate_steps: int = 10) -> GradientDescentLesson:
    """The runs of ``gradient-descent-intuition`` (all from ``theta0`` on the parabola).

    A walk that diverges is stopped once ``|theta - theta*|`` passes four times its start
    distance (``meta["diverged"]``): what it shows has happened by then."""
    from mlv.algorithms import gradient_descent_1d as gd

    (theta_star,) = gd.minima(gd.PARABOLA)
    bound = abs(theta_star) + 4.0 * max(1.0, abs(theta0 - theta_star))
    walk = gd.gradient_descent(walk_rate, theta0=theta0, steps=walk_steps, max_abs_theta=bound)
    small, good, large = gd.compare_learning_rates(rates, theta0=theta0, steps=rate_steps)
    return GradientDescentLesson(tuple(float(c) for c in gd.PARABOLA), float(theta_star), walk,
                                 small, good, large)


# ------------------------------------------------------------------------- chapter 1: optimizers
@dataclass(frozen=True)
class OptimizerRace:
    """Every optimizer of :data:`algorithms.optimizers.OPTIMIZERS` on one surface, from one start,
    at one shared learning rate, and how far each got.

    Attributes
    ----------
    surface : str
    start : (float, float)
    learning_rate : float
    runs : mapping of optimizer name to Trajectory
        One path per optimizer, every step recorded.
    grid : (ndarray (n,), ndarray (n,), ndarray (n, n))
        ``(xs, ys, f)`` over the surface's window, for the contour panel.
    measure : str
        What :attr:`progress` holds: ``"loss"`` (reach the minimum) or ``"|y|"`` (distance from
        the saddle's ridge ``y = 0``, to escape).
    progress : mapping of name to ndarray (n_steps,)
        That quantity at each step (positive, for a log axis).
    threshold : float
        The goal: ``progress < threshold`` for ``"loss"``, ``progress > threshold`` for ``"|y|"``.
    steps_to : mapping of name to int or None
        The first step at which each optimizer met the goal (None: not within the run).
    shown : mapping of name to int
        Index of the last step to draw: the path up to its last point before it first leaves
        the window.
    """

    surface: str
    start: tuple[float, float]
    learning_rate: float
    runs: Mapping[str, Trajectory]
    grid: tuple[np.ndarray, np.ndarray, np.ndarray]
    measure: str
    progress: Mapping[str, np.ndarray]
    threshold: float
    steps_to: Mapping[str, int | None]
    shown: Mapping[str, int]

    def ranking(self) -> list[str]:
        """Optimizers by ``steps_to``, fastest first (those that never met the goal last)."""
        big = max(len(t) for t in self.runs.values()) + 1

        def steps(name: str) -> int:
            met = self.steps_to[name]
            return big if met is None else met

        return sorted(self.runs, key=steps)


def optimizer_race(surface: str, *, start: tuple[float, float], learning_rate: float,
                   steps: int, measure: str, threshold: float, grid_n: int = 121
                   ) -> OptimizerRace:
    """Race the four optimizers on ``surface`` (see :class:`OptimizerRace`)."""
    from mlv.algorithms import optimizers as opt

    if measure not in ("loss", "|y|"):
        raise ValueError(f"measure must be 'loss' or '|y|', got {measure!r}")
    runs = opt.race(surface, learning_rates=dict.fromkeys(opt.OPTIMIZERS, learning_rate),
                    steps=steps, start=start)
    s = opt.SURFACES[surface]
    progress: dict[str, np.ndarray] = {}
    steps_to: dict[str, int | None] = {}
    shown: dict[str, int] = {}
    for name, t in runs.items():
        p = t.loss if measure == "loss" else np.abs(t.param("y"))
        p = np.array(p, dtype=float)
        p.setflags(write=False)
        progress[name] = p
        met = np.flatnonzero(p < threshold if measure == "loss" else p > threshold)
        steps_to[name] = int(t.steps[met[0]]) if met.size else None
        (x, y) = t.params.T
        out = np.flatnonzero((x < s.x_range[0]) | (x > s.x_range[1])
                             | (y < s.y_range[0]) | (y > s.y_range[1]))
        shown[name] = int(out[0]) - 1 if out.size else len(t) - 1
    grid = opt.grid(surface, n=grid_n)
    for a in grid:
        a.setflags(write=False)
    return OptimizerRace(surface, (float(start[0]), float(start[1])), float(learning_rate),
                         MappingProxyType(runs), grid, measure, MappingProxyType(progress),
                         float(threshold), MappingProxyType(steps_to), MappingProxyType(shown))


@dataclass(frozen=True)
class OptimizersLesson:
    """The races of ``optimizers``.

    Attributes
    ----------
    valley : OptimizerRace
        The narrow valley ``(x**2 + 25 y**2) / 2`` from ``(-5, 2)``; goal: loss below 0.01.
    saddle_near, saddle_far : OptimizerRace
        The saddle ``x**2 - y**2`` from just off the ridge and from farther off it; goal:
        ``|y| > 1`` (escaped).
    """

    valley: OptimizerRace
    saddle_near: OptimizerRace
    saddle_far: OptimizerRace


def optimizers_lesson(*, valley_rate: float = 0.04, valley_steps: int = 250,
                      saddle_rate: float = 0.01, near_y: float = 0.05, far_y: float = 0.5,
                      saddle_x: float = 1.5) -> OptimizersLesson:
    """The races of ``optimizers``: one shared learning rate per surface."""
    valley = optimizer_race("quadratic", start=(-5.0, 2.0), learning_rate=valley_rate,
                            steps=valley_steps, measure="loss", threshold=0.01)
    near = optimizer_race("saddle", start=(saddle_x, near_y), learning_rate=saddle_rate,
                          steps=160, measure="|y|", threshold=1.0)
    far = optimizer_race("saddle", start=(saddle_x, far_y), learning_rate=saddle_rate,
                         steps=60, measure="|y|", threshold=1.0)
    return OptimizersLesson(valley, near, far)
