"""The exact runs the chapter-3 lessons show (perceptron, activation functions, logistic
regression), with their data and hyper-parameters in one place.

Scenes call these functions and draw what they return (boundaries, curves, probability grids are
all computed here); tests call the same functions, so what a test checks is what a viewer sees.
The numbers the narration says, and the choices it makes (which epochs a beat shows), are
properties of the lesson data here, so the scenes keep only the wording.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

import numpy as np
from numpy.typing import ArrayLike

from mlv.algorithms import datasets, network, perceptron
from mlv.algorithms import logistic_regression as lr
from mlv.algorithms.trajectory import Trajectory


def _ro(a: ArrayLike) -> np.ndarray:
    a = np.array(a, dtype=float, copy=True)
    a.setflags(write=False)
    return a


def line_in_box(w: ArrayLike, b: float, box: tuple[float, float, float, float]
                ) -> np.ndarray | None:
    """The part of the line ``w1 x1 + w2 x2 + b = 0`` inside ``box``.

    Parameters
    ----------
    w : array_like of shape (2,)
    box : (x1_min, x1_max, x2_min, x2_max)

    Returns
    -------
    ndarray of shape (2, 2) or None
        The two end points (rows ``(x1, x2)``), or None when the line misses the box (or ``w = 0``).
    """
    w1, w2 = (float(v) for v in np.asarray(w, float))
    x0, x1, y0, y1 = (float(v) for v in box)
    crossings: list[tuple[float, float]] = []
    if w2 != 0:
        for x in (x0, x1):                                   # crossings of the left/right edges
            y = -(w1 * x + b) / w2
            if y0 - 1e-12 <= y <= y1 + 1e-12:
                crossings.append((x, y))
    if w1 != 0:
        for y in (y0, y1):                                   # crossings of the bottom/top edges
            x = -(w2 * y + b) / w1
            if x0 - 1e-12 <= x <= x1 + 1e-12:
                crossings.append((x, y))
    if len(crossings) < 2:
        return None
    pts = np.unique(np.round(np.array(crossings), 12), axis=0)
    if len(pts) < 2:
        return None
    # the two points farthest apart (a corner crossing can repeat a point)
    d = np.linalg.norm(pts[:, None] - pts[None], axis=-1)
    i, j = np.unravel_index(np.argmax(d), d.shape)
    return np.array([pts[i], pts[j]])


def foot_of_normal(w: ArrayLike, b: float, centre: ArrayLike) -> np.ndarray:
    """The point of the line ``w . x + b = 0`` nearest ``centre`` (where the normal is drawn)."""
    n = np.asarray(w, float)
    c = np.asarray(centre, float)
    return c - (n @ c + b) / (n @ n) * n


# ------------------------------------------------------------------------------------ perceptron

@dataclass(frozen=True)
class PerceptronLesson:
    """The run of ``perceptron``.

    Attributes
    ----------
    X : ndarray of shape (n, 2)
    y : ndarray of shape (n,)
        Labels in ``{-1, +1}``.
    run : Trajectory
        :func:`algorithms.perceptron.train` with ``eta = 1``, every update recorded: row 0 is
        ``w = 0, b = 0``, row k the state after update k.
    w : ndarray of shape (n_updates + 1, 2)
        ``w`` after each update (row 0 initial); ``b`` the bias, shape (n_updates + 1,).
    cause : ndarray of shape (n_updates + 1,)
        Index of the point that caused each update (-1 for row 0).
    margin_before : ndarray of shape (n_updates + 1,)
        ``y_i (w . x_i + b)`` of that point just before its update (always ``<= 0``; nan row 0).
    mistakes : ndarray of shape (n_updates + 1,)
        Points with ``y (w . x + b) <= 0`` after each update.
    hinge : ndarray of shape (n_updates + 1,)
        The hinge loss (mean over the points) after each update, for contrast with ``run.loss``.
    box : (float, float, float, float)
        The plotted region ``(x1_min, x1_max, x2_min, x2_max)``.
    segments : tuple of (ndarray (2, 2) or None)
        The boundary ``w . x + b = 0`` inside ``box`` after each update (None where ``w = 0``).
    feet : ndarray of shape (n_updates + 1, 2)
        Where each boundary's normal is drawn (:func:`foot_of_normal` of the box centre; nan row 0).
    margins : ndarray of shape (m,)
        Values of ``y f`` for the loss-versus-margin plot; ``criterion_curve`` is
        ``max(0, -y f)`` on them and ``hinge_curve`` ``max(0, 1 - y f)``.
    """

    X: np.ndarray
    y: np.ndarray
    run: Trajectory
    w: np.ndarray
    b: np.ndarray
    cause: np.ndarray
    margin_before: np.ndarray
    mistakes: np.ndarray
    hinge: np.ndarray
    box: tuple[float, float, float, float]
    segments: tuple[np.ndarray | None, ...]
    feet: np.ndarray
    margins: np.ndarray
    criterion_curve: np.ndarray
    hinge_curve: np.ndarray

    @property
    def inside_margin(self) -> int:
        """Points the final boundary classifies right but with ``y f < 1`` (the hinge loss charges
        them; the perceptron criterion does not)."""
        f = self.X @ self.w[-1] + self.b[-1]
        return int(np.sum((self.y * f > 0) & (self.y * f < 1)))

    @property
    def n_updates(self) -> int:
        """Updates made before the run converged (rows of ``w`` after row 0)."""
        return int(self.run.meta["n_updates"])

    @property
    def epochs(self) -> int:
        """Passes over the data, the last of them without a mistake."""
        return int(self.run.meta["epochs_run"])

    @property
    def learning_rate(self) -> float:
        return float(self.run.meta["learning_rate"])

    @property
    def final_criterion(self) -> float:
        """The perceptron criterion (mean of ``max(0, -y f)``) on the final boundary."""
        return float(self.run.loss[-1])

    @property
    def final_hinge(self) -> float:
        """The hinge loss (mean of ``max(0, 1 - y f)``) on the final boundary."""
        return float(self.hinge[-1])


@cache
def perceptron_lesson(random_state: int = 8, *, n: int = 20, learning_rate: float = 1.0,
                      max_epochs: int = 20) -> PerceptronLesson:
    """Two separable blobs and the perceptron run on them, update by update."""
    X, labels = datasets.blobs(n, centers=np.array([[-1.5, -1.0], [1.5, 1.0]]), cluster_std=0.8,
                               random_state=random_state)
    run = perceptron.train(X, labels, learning_rate=learning_rate, max_epochs=max_epochs)
    y = run.extras["y"]
    W, B = run.params[:, :2], run.params[:, 2]
    cause = run.extras["index"]
    before = np.full(len(run), np.nan)
    for k in range(1, len(run)):
        i = cause[k]
        before[k] = y[i] * (X[i] @ W[k - 1] + B[k - 1])
    mistakes = np.array([int(np.sum(y * (X @ W[k] + B[k]) <= 0)) for k in range(len(run))])
    hinge = np.array([perceptron.hinge(X, y, W[k], B[k]) for k in range(len(run))])
    box = (-4.0, 4.0, -3.0, 3.0)
    centre = np.array([(box[0] + box[1]) / 2, (box[2] + box[3]) / 2])
    segments = tuple(line_in_box(W[k], B[k], box) if np.any(W[k]) else None
                     for k in range(len(run)))
    feet = np.array([foot_of_normal(W[k], B[k], centre) if np.any(W[k]) else [np.nan, np.nan]
                     for k in range(len(run))])
    m = np.linspace(-2.0, 2.0, 201)
    return PerceptronLesson(_ro(X), _ro(y), run, _ro(W), _ro(B), cause, _ro(before),
                            mistakes, _ro(hinge), box, segments, _ro(feet), _ro(m),
                            _ro(np.maximum(0.0, -m)), _ro(np.maximum(0.0, 1.0 - m)))


# -------------------------------------------------------------------------- activation functions

LEAKY_SLOPE = 0.1
SATURATION = 0.05        # a slope below this passes almost no gradient: "saturated"


@dataclass(frozen=True)
class ActivationCurves:
    """Each activation and its derivative on one grid of ``z``.

    Attributes
    ----------
    z : ndarray of shape (m,)
    names : tuple of str
        ``("step", "sigmoid", "tanh", "relu", "leaky_relu")``.
    values, slopes : mapping of name to ndarray of shape (m,)
        ``f(z)`` and ``f'(z)`` (at the kink ``z = 0`` the step, ReLU and leaky ReLU use the value
        the code uses: 0, 0 and ``leaky_slope``).
    saturated : mapping of name to tuple of (lo, hi)
        The ``z`` intervals of the grid where ``|f'(z)| < saturation`` (sigmoid and tanh only).
    leaky_slope, saturation : float
    """

    z: np.ndarray
    names: tuple[str, ...]
    values: Mapping[str, np.ndarray]
    slopes: Mapping[str, np.ndarray]
    saturated: Mapping[str, tuple[tuple[float, float], ...]]
    leaky_slope: float
    saturation: float

    def max_slope(self, name: str) -> float:
        """The largest slope of ``name`` on the grid."""
        return float(np.max(self.slopes[name]))

    def saturation_edge(self, name: str) -> float:
        """Where ``name`` (sigmoid or tanh) saturates on the positive side: the first grid ``z``
        of the saturated interval that runs to the grid's right end ("beyond about plus or minus
        this, the slope is below ``saturation``"; the curves are symmetric)."""
        right = self.saturated[name][-1]
        if right[1] != self.z[-1] or right[0] <= 0:
            raise ValueError(f"{name} does not saturate on the positive side of the grid")
        return right[0]


def _intervals(z: np.ndarray, mask: np.ndarray) -> tuple[tuple[float, float], ...]:
    """Maximal runs of ``True`` in ``mask`` as ``(z_first, z_last)``."""
    out: list[tuple[float, float]] = []
    start: int | None = None
    for k, m in enumerate(mask):
        if m and start is None:
            start = k
        if not m and start is not None:
            out.append((float(z[start]), float(z[k - 1])))
            start = None
    if start is not None:
        out.append((float(z[start]), float(z[-1])))
    return tuple(out)


@cache
def activation_curves(z_max: float = 5.0, m: int = 401, *, leaky_slope: float = LEAKY_SLOPE,
                      saturation: float = SATURATION) -> ActivationCurves:
    """The curves of ``activation-functions`` (sigmoid, tanh, ReLU from ``algorithms.network``)."""
    z = np.linspace(-z_max, z_max, m)
    values = {"step": (z >= 0).astype(float), "sigmoid": network.activate("sigmoid", z),
              "tanh": network.activate("tanh", z), "relu": network.activate("relu", z),
              "leaky_relu": np.where(z > 0, z, leaky_slope * z)}
    slopes = {"step": np.zeros_like(z), "sigmoid": network.derivative("sigmoid", z),
              "tanh": network.derivative("tanh", z), "relu": network.derivative("relu", z),
              "leaky_relu": np.where(z > 0, 1.0, leaky_slope)}
    saturated = {name: _intervals(z, np.abs(slopes[name]) < saturation)
                 for name in ("sigmoid", "tanh")}
    names = ("step", "sigmoid", "tanh", "relu", "leaky_relu")
    return ActivationCurves(_ro(z), names,
                            MappingProxyType({k: _ro(v) for k, v in values.items()}),
                            MappingProxyType({k: _ro(v) for k, v in slopes.items()}),
                            MappingProxyType(saturated), leaky_slope, saturation)


# --------------------------------------------------------------------------- logistic regression

def newton_optimum(X: ArrayLike, y: ArrayLike, *, iterations: int = 50) -> np.ndarray:
    """The maximum-likelihood ``[w1 .. wd, b]`` by Newton's method (IRLS), a reference for where
    gradient descent should arrive (the data must not be separable, or no optimum exists)."""
    features, labels = np.asarray(X, float), np.asarray(y, float)
    A = np.column_stack([features, np.ones(len(features))])
    theta = np.zeros(A.shape[1])
    for _ in range(iterations):
        p = lr.sigmoid(A @ theta)
        g = A.T @ (p - labels) / len(labels)
        H = (A * (p * (1 - p))[:, None]).T @ A / len(labels)
        step = np.linalg.solve(H, g)
        theta = theta - step
        if np.max(np.abs(step)) < 1e-14:
            break
    return theta


@dataclass(frozen=True)
class LogisticLesson:
    """The run of ``logistic-regression-training``.

    Attributes
    ----------
    X : ndarray of shape (n, 2)
    y : ndarray of shape (n,), labels in {0, 1}
    run : Trajectory
        Full-batch gradient descent on the BCE from ``w = 0, b = 0``, every epoch recorded
        (``extras["accuracy"]`` per epoch).
    accuracy : ndarray of shape (epochs + 1,)
        Fraction classified right (threshold 0.5) after each epoch.
    optimum : ndarray of shape (3,)
        Maximum-likelihood ``(w1, w2, b)`` (:func:`newton_optimum`); ``min_loss`` its BCE.
    box : (float, float, float, float)
    grid_x1, grid_x2 : ndarray of shape (g1,), (g2,)
        The grid the probability field is computed on.
    shown : tuple of int
        The epochs the scene shows.
    grids : ndarray of shape (len(shown), g2, g1)
        ``P(y = 1 | x)`` on the grid at each shown epoch
        (:func:`algorithms.logistic_regression.probability_grid`).
    settle_after : int
        The epoch after which the boundary barely moves and only its sharpness changes (the
        scene's "train" beat shows the epochs up to it, "sharpen" the ones after).
    """

    X: np.ndarray
    y: np.ndarray
    run: Trajectory
    accuracy: np.ndarray
    optimum: np.ndarray
    min_loss: float
    box: tuple[float, float, float, float]
    grid_x1: np.ndarray
    grid_x2: np.ndarray
    shown: tuple[int, ...]
    grids: np.ndarray
    settle_after: int = 20

    @property
    def excess(self) -> np.ndarray:
        """``BCE - min BCE`` per epoch, shape (epochs + 1,)."""
        return self.run.loss - self.min_loss

    def grid_at(self, epoch: int) -> np.ndarray:
        """``P(y = 1 | x)`` on the grid at ``epoch`` (one of :attr:`shown`)."""
        return self.grids[self.shown.index(epoch)]

    @property
    def epochs(self) -> int:
        return int(self.run.steps[-1])

    @property
    def learning_rate(self) -> float:
        return float(self.run.meta["learning_rate"])

    @property
    def n_wrong(self) -> int:
        """Points the final model classifies wrong (threshold 0.5)."""
        return int(round(len(self.y) * (1 - self.accuracy[-1])))

    @property
    def optimum_gap(self) -> float:
        """The largest difference between the final ``(w1, w2, b)`` and :attr:`optimum`."""
        return float(np.max(np.abs(self.run.params[-1] - self.optimum)))

    @property
    def agreeing_decimals(self) -> int:
        """The decimal places to which the final ``(w1, w2, b)`` agree with the optimum: the
        largest ``d`` with a gap below ``10**-d``."""
        return int(np.floor(-np.log10(self.optimum_gap)))

    @property
    def final_excess_exponent(self) -> int:
        """The power of ten of the final excess loss (``-13`` for ``1.3e-13``: "about ten to the
        minus 13")."""
        return int(np.floor(np.log10(self.excess[-1])))

    @property
    def shifting(self) -> tuple[int, ...]:
        """The shown epochs after the first, up to :attr:`settle_after`: the boundary still
        shifts."""
        return tuple(s for s in self.shown if 1 < s <= self.settle_after)

    @property
    def sharpening(self) -> tuple[int, ...]:
        """The shown epochs after :attr:`settle_after`: the boundary stays, the weights grow."""
        return tuple(s for s in self.shown if s > self.settle_after)


@cache
def logistic_lesson(random_state: int = 2, *, n: int = 60, learning_rate: float = 1.0,
                    epochs: int = 300, grid_points: int = 71,
                    shown: tuple[int, ...] = (0, 1, 2, 5, 10, 20, 50, 100, 300),
                    settle_after: int = 20) -> LogisticLesson:
    """Two overlapping blobs (not separable, so the maximum-likelihood fit is finite) and
    gradient descent on them."""
    X, y = datasets.blobs(n, centers=np.array([[-1.0, -0.6], [1.0, 0.8]]), cluster_std=1.0,
                          random_state=random_state)
    run = lr.gradient_descent(X, y, learning_rate=learning_rate, epochs=epochs)
    if any(s not in run.steps for s in shown):
        raise ValueError("every shown epoch must be recorded")
    opt = newton_optimum(X, y)
    box = (-4.0, 4.0, -4.0, 4.0)
    gx = np.linspace(box[0], box[1], grid_points)
    gy = np.linspace(box[2], box[3], grid_points)
    grids = np.array([lr.probability_grid(run.params[s, :2], run.params[s, 2], gx, gy)
                      for s in shown])
    return LogisticLesson(_ro(X), _ro(y), run, _ro(run.extras["accuracy"]), _ro(opt),
                          lr.bce(X, y, opt[:2], opt[2]), box, _ro(gx), _ro(gy), tuple(shown),
                          _ro(grids), settle_after)
