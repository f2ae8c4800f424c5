"""Rosenblatt's perceptron, recorded update by update.

Labels are ``y in {-1, +1}`` (``{0, 1}`` is accepted and mapped ``0 -> -1``). The points are visited
in order, epoch after epoch; a point with ``y_i (w . x_i + b) <= 0`` (misclassified, or on the
boundary) triggers

    w <- w + eta y_i x_i,        b <- b + eta y_i.

This is stochastic subgradient descent on the **perceptron criterion**

    L(w, b) = 1/n sum_i max(0, -y_i (w . x_i + b))

-- not the hinge loss ``max(0, 1 - y (w . x + b))``, which also punishes correct points inside a
margin of 1 (:func:`hinge` is provided to draw beside it). Updating on ``<= 0`` (not ``< 0``) is
what lets the run leave ``w = 0``, and is scikit-learn's convention: with ``shuffle=False, eta0=eta,
penalty=None`` its ``Perceptron`` reaches the same weights after every epoch.
"""
from __future__ import annotations

import numpy as np

from mlv.algorithms import _checks
from mlv.algorithms.trajectory import Trajectory


def _data(X, y) -> tuple[np.ndarray, np.ndarray]:
    X = _checks.samples(X)
    y = _checks.labels(y, "y", X.shape[0], (-1, 1, 0))
    if np.any(y == 0):
        if np.any(y == -1):
            raise ValueError("y must use either the labels {-1, +1} or {0, 1}, not a mix")
        y = 2 * y - 1
    return X, y


def _wb(w, b, d: int, names: tuple[str, str] = ("w", "b"),
        what: str = " to match X") -> tuple[np.ndarray, float]:
    w = _checks.vector(w, names[0], d, what=what)
    return w, _checks.scalar(b, names[1])


def criterion(X, y, w, b: float) -> float:
    """The perceptron criterion ``1/n sum_i max(0, -y_i (w . x_i + b))``."""
    X, y = _data(X, y)
    w, b = _wb(w, b, X.shape[1])
    with np.errstate(over="ignore", invalid="ignore"):
        out = _criterion(X, y, w, b)
    return _checks.result(out, "the perceptron criterion", "X, w or b are")


def _criterion(X, y, w, b) -> float:
    return float(np.mean(np.maximum(0.0, -y * (X @ w + b))))


def criterion_subgradient(X, y, w, b: float) -> np.ndarray:
    """The subgradient the perceptron uses: ``-1/n sum_{i: y_i f_i <= 0} y_i [x_i, 1]``.

    Returns
    -------
    ndarray of shape (d + 1,)
        ``[dL/dw_1, ..., dL/dw_d, dL/db]``.
    """
    X, y = _data(X, y)
    w, b = _wb(w, b, X.shape[1])
    with np.errstate(over="ignore", invalid="ignore"):
        out = _subgradient(X, y, w, b)
    return _checks.result(out, "the criterion's subgradient", "X, w or b are")


def _subgradient(X, y, w, b) -> np.ndarray:
    wrong = y * (X @ w + b) <= 0
    g = -(y[wrong, None] * np.column_stack([X, np.ones(len(y))])[wrong]).sum(axis=0)
    return g / len(y)


def hinge(X, y, w, b: float) -> float:
    """The hinge loss ``1/n sum_i max(0, 1 - y_i (w . x_i + b))`` (a margin of 1; for contrast)."""
    X, y = _data(X, y)
    w, b = _wb(w, b, X.shape[1])
    with np.errstate(over="ignore", invalid="ignore"):
        out = float(np.mean(np.maximum(0.0, 1.0 - y * (X @ w + b))))
    return _checks.result(out, "the hinge loss", "X, w or b are")


def train(
    X,
    y,
    *,
    learning_rate: float = 1.0,
    max_epochs: int = 100,
    w0=None,
    b0: float = 0.0,
    record_every: int = 1,
) -> Trajectory:
    """The perceptron, until an epoch makes no update or ``max_epochs`` have run.

    Parameters
    ----------
    X : array_like of shape (n, d)
    y : array_like of shape (n,)
        Labels in ``{-1, +1}`` or ``{0, 1}``.
    learning_rate : float
        eta > 0.
    max_epochs : int
        Passes over the data, in order.
    w0 : array_like of shape (d,), optional
        Initial weights (default zeros); ``b0`` the initial bias.
    record_every : int
        Record every k-th update (the initial state and the last update are always recorded).

    Returns
    -------
    Trajectory
        Row 0 is the initial state, row ``k`` the state after update number ``steps[k]``:
        ``params`` (n_recorded, d + 1) with columns ``w1 .. wd, b``; ``loss`` the perceptron
        criterion on all the data; ``grads`` its subgradient (:func:`criterion_subgradient`).
        ``extras["index"]`` (n_recorded,) is the point that caused each update (-1 for row 0),
        ``extras["epoch"]`` the epoch (from 1) it happened in (0 for row 0),
        ``extras["epoch_params"]`` (epochs_run + 1, d + 1) the weights at the end of every epoch
        (row 0 initial) whatever ``record_every``; ``extras["X"]``, ``extras["y"]`` the data (y as
        +-1). ``meta``: ``learning_rate``, ``epochs_run``, ``n_updates``, ``converged`` (an epoch
        without mistakes: the data are separated), ``diverged`` (an update overflowed float64:
        the run ends with the last finite state, and ``epoch_params`` with the last whole epoch).
    """
    X, y = _data(X, y)
    eta = _checks.positive(learning_rate, "learning_rate")
    max_epochs = _checks.integer(max_epochs, "max_epochs")
    record_every = _checks.integer(record_every, "record_every", minimum=1)
    n, d = X.shape
    w, b = _wb(np.zeros(d) if w0 is None else w0, b0, d, ("w0", "b0"))
    w = w.copy()

    def row(update, w, b, index, epoch):
        return (update, np.append(w, b), _criterion(X, y, w, b), _subgradient(X, y, w, b),
                index, epoch)

    with np.errstate(over="ignore", invalid="ignore"):
        first = row(0, w, b, -1, 0)
        if not (np.isfinite(first[2]) and _checks.finite(first[3])):
            raise ValueError("X, w0 or b0 are too large: the criterion at the start overflows "
                             "float64")
        # |w . x + b| can grow by at most eta * (d max|x|**2 + 1) per update: when even
        # max_epochs * n updates cannot overflow the criterion, the run needs no checks
        xmax = np.float64(np.max(np.abs(X)))
        updates = np.float64(max_epochs) * n
        reach = ((np.max(np.abs(w)) + updates * eta * xmax) * d * xmax + abs(b)
                 + updates * eta)
        safe = bool(np.isfinite(4.0 * n * reach))
    rows = [first]
    epoch_params = [np.append(w, b)]
    n_updates, converged, diverged = 0, False, False
    last: tuple | None = None
    with np.errstate(over="ignore", invalid="ignore"):
        for epoch in range(1, max_epochs + 1):
            mistakes = 0
            for i in range(n):
                if y[i] * (X[i] @ w + b) <= 0:
                    w_new = w + eta * y[i] * X[i]
                    b_new = b + eta * y[i]
                    if not safe and not (_checks.finite(w_new, b_new)
                                         and np.isfinite(_criterion(X, y, w_new, b_new))):
                        diverged = True
                        break
                    w, b = w_new, b_new
                    n_updates += 1
                    mistakes += 1
                    last = (n_updates, w, b, i, epoch)
                    if n_updates % record_every == 0:
                        rows.append(row(*last))
            if diverged:                          # the interrupted epoch is not an epoch's end
                break
            epoch_params.append(np.append(w, b))
            if mistakes == 0:
                converged = True
                break
    if last is not None and rows[-1][0] != last[0]:     # keep the last (finite) update
        rows.append(row(*last))
    steps, params, loss, grads, index, epochs = (np.array(col) for col in zip(*rows))
    return Trajectory(params=params, loss=loss, grads=grads,
                      param_names=tuple(f"w{j + 1}" for j in range(d)) + ("b",), steps=steps,
                      extras={"index": index.astype(np.int64), "epoch": epochs.astype(np.int64),
                              "epoch_params": np.array(epoch_params), "X": X, "y": y},
                      meta={"learning_rate": eta, "max_epochs": max_epochs,
                            "epochs_run": len(epoch_params) - 1, "n_updates": n_updates,
                            "converged": converged, "diverged": diverged})
