"""The exact runs of chapter 4's first lessons: ``forward-propagation``, ``backpropagation``,
``neural-network-training`` and ``space-transformation``.

One small network runs through all four: a 2-2-1 network (sigmoid hidden layer, sigmoid output,
binary cross-entropy) trained by full-batch gradient descent on the XOR data set. Its first step is
the backward pass the ``backpropagation`` lesson traces; its final weights are the ones the
``forward-propagation`` lesson feeds a point through and the ``space-transformation`` lesson
carries the plane through. Scenes call these functions and draw what they return; tests call the
same functions, so what a test checks is what a viewer sees.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from mlv.algorithms import datasets
from mlv.algorithms import logistic_regression as lr
from mlv.algorithms import network as nw
from mlv.algorithms.trajectory import Trajectory

ACTIVATIONS = ("sigmoid", "sigmoid")
LAYER_SIZES = (2, 2, 1)
FIELD_LIMIT = 2.0           # the decision fields and the grid cover [-2, 2] x [-2, 2]
# the phases the training lesson narrates (see XorNetworkLesson.phases)
PLATEAU_DROP = 0.06         # the plateau: the loss within this of its start
SETTLE_EPOCHS = 100         # a run that learns bends this long after every point is right
LEVEL_OFF = 0.01            # a stuck run bends until its loss is within this of its final one


@dataclass(frozen=True)
class XorNetworkLesson:
    """The XOR data, the linear model that fails on it and the network that learns it.

    Attributes
    ----------
    X : ndarray of shape (n, 2)
    y : ndarray of shape (n,)
        XOR: class 1 where the two coordinates have opposite signs.
    linear : Trajectory
        Logistic regression by gradient descent
        (:func:`algorithms.logistic_regression.gradient_descent`).
    run : Trajectory
        The 2-2-1 network's training (:func:`algorithms.network.train`), every epoch recorded.
    field_x, field_y : ndarray of shape (m,)
        The grid of inputs on which the decision fields are computed.
    shown_epochs : ndarray of shape (k,)
        The epochs the training lesson shows (indices into ``run``).
    fields : ndarray of shape (k, m, m)
        The network's ``P(y = 1)`` on the grid at each shown epoch (``fields[j, row, col]`` at
        ``(field_x[col], field_y[row])``).
    linear_field : ndarray of shape (m, m)
        The trained logistic regression's ``P(y = 1)`` on the same grid.
    sample : int
        The training point the forward and backward lessons follow.
    activations : (str, str)
        The hidden and output activations (``ACTIVATIONS`` unless the training lesson's
        parameters change the hidden one).
    """

    X: np.ndarray
    y: np.ndarray
    linear: Trajectory
    run: Trajectory
    field_x: np.ndarray
    field_y: np.ndarray
    shown_epochs: np.ndarray
    fields: np.ndarray
    linear_field: np.ndarray
    sample: int
    activations: tuple[str, str] = ACTIVATIONS

    def params(self, k: int) -> nw.Params:
        """The network's ``(W, b)`` pairs at recorded epoch ``k`` (negative counts back)."""
        return nw.params_at(self.run, k if k >= 0 else len(self.run) + k)

    @property
    def x_sample(self) -> np.ndarray:
        return self.X[self.sample]

    @property
    def y_sample(self) -> float:
        return float(self.y[self.sample])

    def forward_pass(self) -> nw.Pass:
        """The sample through the trained network (``forward-propagation``)."""
        return nw.forward_backward(self.params(-1), self.x_sample, self.y_sample,
                                   self.activations, "bce")

    def first_pass(self) -> nw.Pass:
        """The sample's forward and backward pass at the initial weights (``backpropagation``):
        its loss is the sample's own BCE, its gradients the sample's own (n = 1)."""
        return nw.forward_backward(self.params(0), self.x_sample, self.y_sample,
                                   self.activations, "bce")

    @property
    def all_right_epoch(self) -> int:
        """The first epoch at which every point is classified correctly (-1 if none is)."""
        acc = self.run.extras["accuracy"]
        hit = np.flatnonzero(acc == 1.0)
        return int(self.epochs[hit[0]]) if len(hit) else -1

    # ---------------------------------------------- what the training lesson says about the run
    # ``run`` records every epoch, so an epoch is also an index into its arrays.

    @property
    def epochs(self) -> np.ndarray:
        """The epoch of each recorded step of ``run`` (``0, 1, ..., epochs``)."""
        return np.asarray(self.run.steps)

    @property
    def learned(self) -> bool:
        """Whether the run gets every point right at some epoch (else it is stuck in a local
        minimum)."""
        return self.all_right_epoch >= 0

    @property
    def ends_all_right(self) -> bool:
        """Whether every point is right at the last epoch."""
        return bool(self.run.extras["accuracy"][-1] == 1.0)

    @property
    def n_wrong(self) -> int:
        """How many points are on the wrong side of the boundary at the last epoch."""
        return int(round(len(self.y) * (1 - float(self.run.extras["accuracy"][-1]))))

    @property
    def plateau_epoch(self) -> int:
        """The last shown epoch whose loss is still within ``PLATEAU_DROP`` of the first one."""
        loss = self.run.loss
        return max(int(e) for e in self.shown_epochs if loss[0] - loss[e] < PLATEAU_DROP)

    @property
    def has_plateau(self) -> bool:
        """Whether the loss hardly moves past the third shown epoch (else it falls at once, and
        the narration names that epoch's loss)."""
        return self.plateau_epoch >= int(self.shown_epochs[2])

    @property
    def bend_end_epoch(self) -> int:
        """The last shown epoch of the bending phase: ``SETTLE_EPOCHS`` after every point is
        right for a run that learns; for a stuck run, the first shown epoch after the plateau
        whose loss is within ``LEVEL_OFF`` of the final loss (the last shown epoch if none)."""
        shown, loss = [int(e) for e in self.shown_epochs], self.run.loss
        if self.learned:
            ends = [e for e in shown if e >= self.all_right_epoch + SETTLE_EPOCHS]
        else:
            ends = [e for e in shown
                    if e > self.plateau_epoch and loss[e] - loss[-1] < LEVEL_OFF]
        return min(ends or [shown[-1]])

    @property
    def phases(self) -> tuple[list[int], list[int], list[int]]:
        """The shown epochs after the first, split into the three phases the lesson narrates:
        the plateau (up to the plateau's end, at least to the third shown epoch), the bend (to
        :attr:`bend_end_epoch`) and the rest (sharpening, or levelling off)."""
        shown = [int(e) for e in self.shown_epochs]
        plateau_end = max(self.plateau_epoch, shown[2])
        bend_end = self.bend_end_epoch
        return ([e for e in shown if 0 < e <= plateau_end],
                [e for e in shown if plateau_end < e <= bend_end],
                [e for e in shown if e > bend_end])


@dataclass(frozen=True)
class WeightTrace:
    """One first-layer weight's gradient traced from the loss back to the weight, for one sample
    at the initial weights, and the update it takes in the full-batch step.

    ``dL/dW1[0,0] = (a2 - y) * W2[0,0] * a1[0] (1 - a1[0]) * x[0]``: ``factors`` in that order.

    Attributes
    ----------
    name : str
        The weight's name in the trajectory (``"W1[0,0]"``).
    factors : tuple of 4 float
        ``delta2 = a2 - y``, ``W2[0,0]``, ``sigma'(z1[0]) = a1[0](1 - a1[0])``, ``x[0]``.
    delta1 : float
        ``delta2 * W2[0,0] * sigma'(z1[0])``: the hidden unit's delta.
    sample_gradient : float
        The backward pass's gradient of the sample's loss in the weight.
    batch_gradient : float
        The trajectory's gradient at epoch 0 (mean over all samples).
    learning_rate : float
    before, after : float
        The weight at epoch 0 and at epoch 1 (``after = before - learning_rate * batch_gradient``).
    """

    name: str
    factors: tuple[float, float, float, float]
    delta1: float
    sample_gradient: float
    batch_gradient: float
    learning_rate: float
    before: float
    after: float


@dataclass(frozen=True)
class SpaceLesson:
    """The plane carried through the trained network's layers (``space-transformation``).

    Attributes
    ----------
    stages : tuple of str
        ``("a0", "z1", "a1")``: the input, after the hidden layer's affine map, after its sigmoid.
    grid : dict of str to ndarray of shape (n_lines, n_points, 2)
        Grid lines of the input square ``[-2, 2]^2`` (horizontal then vertical), at each stage.
    data : dict of str to ndarray of shape (n, 2)
        The training points at each stage.
    y : ndarray of shape (n,)
    w_out : ndarray of shape (2,)
    b_out : float
        The output layer's linear map on the last hidden representation ``a1``.
    boundary : ndarray of shape (2, 2)
        The two ends of the output layer's line ``w_out . a + b_out = 0`` inside the unit square.
    boundary_input : tuple of ndarray of shape (m, 2)
        That line carried back to the input plane (the inverse of the sigmoid and the affine map),
        in pieces inside ``[-2, 2]^2``: the network's curved decision boundary.
    hidden_accuracy : float
        Fraction of training points on the right side of the output line in ``a1`` space.
    """

    stages: tuple[str, ...]
    grid: dict
    data: dict
    y: np.ndarray
    w_out: np.ndarray
    b_out: float
    boundary: np.ndarray
    boundary_input: tuple
    hidden_accuracy: float


def _shown_epochs(epochs: int) -> np.ndarray:
    """Every 15th epoch up to 300, then 8 more to the end; always the first and the last."""
    early = np.arange(0, min(epochs, 300) + 1, 15)
    late = np.linspace(300, epochs, 8).round().astype(int) if epochs > 300 else np.array([], int)
    return np.unique(np.concatenate([early, late, [epochs]]))


@cache
def xor_network_lesson(random_state: int = 0, *, n: int = 100, noise: float = 0.3,
                       init_seed: int = 1, learning_rate: float = 2.0, epochs: int = 1000,
                       linear_learning_rate: float = 0.5, linear_epochs: int = 300,
                       field_points: int = 81, hidden_activation: str = "sigmoid"
                       ) -> XorNetworkLesson:
    """The runs of chapter 4's first four lessons (cached: four scenes share them)."""
    X, y = datasets.xor(n, noise=noise, random_state=random_state)
    linear = lr.gradient_descent(X, y, learning_rate=linear_learning_rate, epochs=linear_epochs)
    activations = (hidden_activation, ACTIVATIONS[1])
    run = nw.train(X, y, hidden=(LAYER_SIZES[1],), hidden_activation=hidden_activation,
                   loss="bce", learning_rate=learning_rate, epochs=epochs,
                   random_state=init_seed)
    g = np.linspace(-FIELD_LIMIT, FIELD_LIMIT, field_points)
    shown = _shown_epochs(epochs)
    fields = np.stack([nw.decision_grid(nw.params_at(run, int(k)), g, g, activations)
                       for k in shown])
    w, b = linear.params[-1][:2], linear.params[-1][2]
    linear_field = lr.probability_grid(w, b, g, g)
    # the point both the forward and the backward lesson follow: the class-1 point nearest the
    # corner (-1, +1)
    sample = int(np.argmin(np.where(y == 1, np.sum((X - [-1.0, 1.0]) ** 2, axis=1), np.inf)))
    return XorNetworkLesson(X, y, linear, run, g, g, shown, fields, linear_field, sample,
                            activations)


def weight_trace(lesson: XorNetworkLesson | None = None) -> WeightTrace:
    """The ``backpropagation`` lesson's traced weight ``W1[0,0]`` (see :class:`WeightTrace`)."""
    lesson = lesson or xor_network_lesson()
    p = lesson.first_pass()
    (W1, _), (W2, _) = lesson.params(0)
    a1 = p.activations[1]
    delta2 = float(p.deltas[1][0])
    factors = (delta2, float(W2[0, 0]), float(a1[0] * (1.0 - a1[0])), float(lesson.x_sample[0]))
    name = "W1[0,0]"
    run = lesson.run
    eta = float(run.meta["learning_rate"])
    return WeightTrace(name, factors, float(p.deltas[0][0]), float(p.grads[0][0][0, 0]),
                       float(run.grad(name)[0]), eta, float(run.param(name)[0]),
                       float(run.param(name)[1]))


def _grid_lines(limit: float, n_lines: int, n_points: int) -> np.ndarray:
    ticks = np.linspace(-limit, limit, n_lines)
    s = np.linspace(-limit, limit, n_points)
    horizontal = [np.column_stack([s, np.full_like(s, t)]) for t in ticks]
    vertical = [np.column_stack([np.full_like(s, t), s]) for t in ticks]
    return np.array(horizontal + vertical)


def _line_in_unit_square(w: np.ndarray, b: float) -> np.ndarray:
    """The ends of ``w . a + b = 0`` clipped to ``[0, 1]^2``."""
    crossings = []
    for t in (0.0, 1.0):
        if abs(w[1]) > 1e-12:                       # crossing the vertical sides a1 = t
            a2 = -(b + w[0] * t) / w[1]
            if 0.0 <= a2 <= 1.0:
                crossings.append((t, a2))
        if abs(w[0]) > 1e-12:                       # crossing the horizontal sides a2 = t
            a1 = -(b + w[1] * t) / w[0]
            if 0.0 <= a1 <= 1.0:
                crossings.append((a1, t))
    ends = np.unique(np.round(np.array(crossings), 12), axis=0)
    if len(ends) < 2:
        raise ValueError("the output line does not cross the unit square")
    far = max(((i, j) for i in range(len(ends)) for j in range(i + 1, len(ends))),
              key=lambda ij: np.sum((ends[ij[0]] - ends[ij[1]]) ** 2))
    return ends[list(far)]


def _pull_back(w: np.ndarray, b: float, W1: np.ndarray, b1: np.ndarray,
               n: int) -> tuple[np.ndarray, ...]:
    """The line ``w . a + b = 0`` (a in (0, 1)^2) carried back to the input plane: ``z`` is the
    logit of ``a`` and ``x = W1^-1 (z - b1)``. Points are parametrised by the logit of each
    coordinate in turn, so the ends of the line (where a coordinate tends to 0 or 1) are sampled as
    densely as the middle. Returns the pieces inside ``[-2, 2]^2`` as a tuple of (m, 2) arrays."""
    u = np.linspace(-40.0, 40.0, n)
    parts = []
    for k in (0, 1):                     # the logit of coordinate k is u; the other from the line
        a_k = 1.0 / (1.0 + np.exp(-u))
        a_o = -(b + w[k] * a_k) / w[1 - k]
        ok = (a_o > 0.0) & (a_o < 1.0)
        z = np.empty((ok.sum(), 2))
        z[:, k] = u[ok]
        z[:, 1 - k] = np.log(a_o[ok]) - np.log1p(-a_o[ok])
        parts.append(np.column_stack([np.where(k == 0, a_k[ok], a_o[ok]), z]))
    rows = np.concatenate(parts)
    rows = rows[np.argsort(rows[:, 0])]                       # along the line, by a_1
    x = np.linalg.solve(W1, (rows[:, 1:] - b1).T).T
    inside = np.all(np.abs(x) <= FIELD_LIMIT, axis=1)
    pieces, start = [], None
    for i, flag in enumerate(np.append(inside, False)):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            if i - start >= 2:
                pieces.append(x[start:i])
            start = None
    return tuple(pieces)


@cache
def space_lesson(*, n_lines: int = 9, n_points: int = 161,
                 boundary_points: int = 4000) -> SpaceLesson:
    """The grid and the data carried through the trained network of :func:`xor_network_lesson`."""
    lesson = xor_network_lesson()
    params = lesson.params(-1)
    lines = _grid_lines(FIELD_LIMIT, n_lines, n_points)
    flat = nw.layer_transforms(params, lines.reshape(-1, 2), ACTIVATIONS)
    data = nw.layer_transforms(params, lesson.X, ACTIVATIONS)
    stages = ("a0", "z1", "a1")
    grid = {s: flat[s].reshape(lines.shape) for s in stages}
    (W1, b1), (W2, b2) = params
    w_out, b_out = W2[0].copy(), float(b2[0])
    ends = _line_in_unit_square(w_out, b_out)
    pieces = _pull_back(w_out, b_out, W1, b1, boundary_points)
    side = data["a1"] @ w_out + b_out > 0
    acc = float(np.mean(side == (lesson.y == 1)))
    return SpaceLesson(stages, grid, {s: data[s] for s in stages}, lesson.y, w_out, b_out, ends,
                       pieces, acc)
