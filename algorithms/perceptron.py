"""Rosenblatt's perceptron, recorded update by update.

Labels are ``y in {-1, +1}`` (``{0, 1}`` is accepted and mapped ``0 -> -1``). The points are visited
in order, epoch after epoch; a point with ``y_i (w . x_i + b) <= 0`` (misclassified, or on the
boundary) triggers

    w <- w + eta y_i x_i,        b <- b + eta y_i.

This is stochastic subgradient descent on the **perceptron criterion**

    L(w, b) = 1/n sum_i max(0, -y_i (w . x_i + b))

-- not the hinge loss ``max(0, 1 - y (w . x + b))``, which also punishes correct points inside a
margin of 1 (:func:`hinge` is provided to draw beside it). Updating on ``<= 0`` (not ``< 0``) is what
lets the run leave ``w = 0``, and is scikit-learn's convention: with ``shuffle=False, eta0=eta,
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


def criterion(X, y, w, b: float) -> float:
    """The perceptron criterion ``1/n sum_i max(0, -y_i (w . x_i + b))``."""
    return _criterion(*_data(X, y), np.asarray(w, float), float(b))


def _criterion(X, y, w, b) -> float:
    return float(np.mean(np.maximum(0.0, -y * (X @ w + b))))


def criterion_subgradient(X, y, w, b: float) -> np.ndarray:
    """The subgradient the perceptron uses: ``-1/n sum_{i: y_i f_i <= 0} y_i [x_i, 1]``.

    Returns
    -------
    ndarray of shape (d + 1,)
        ``[dL/dw_1, ..., dL/dw_d, dL/db]``.
    """
    return _subgradient(*_data(X, y), np.asarray(w, float), float(b))


def _subgradient(X, y, w, b) -> np.ndarray:
    wrong = y * (X @ w + b) <= 0
    g = -(y[wrong, None] * np.column_stack([X, np.ones(len(y))])[wrong]).sum(axis=0)
    return g / len(y)


def hinge(X, y, w, b: float) -> float:
    """The hinge loss ``1/n sum_i max(0, 1 - y_i (w . x_i + b))`` (a margin of 1; for contrast)."""
    X, y = _data(X, y)
    return float(np.mean(np.maximum(0.0, 1.0 - y * (X @ np.asarray(w, float) + b))))


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
        without mistakes: the data are separated).
    """
    X, y = _data(X, y)
    eta = _checks.positive(learning_rate, "learning_rate")
    max_epochs = _checks.integer(max_epochs, "max_epochs")
    record_every = _checks.integer(record_every, "record_every", minimum=1)
    n, d = X.shape
    w = np.zeros(d) if w0 is None else _checks.array(w0, "w0", ndim=1, shape=f"({d},)").copy()
    if w.shape != (d,):
        raise ValueError(f"w0 must have shape ({d},), got {w.shape}")
    b = float(_checks.array(b0, "b0", ndim=0))

    def row(update, index, epoch):
        return (update, np.append(w, b), _criterion(X, y, w, b), _subgradient(X, y, w, b),
                index, epoch)

    rows = [row(0, -1, 0)]
    epoch_params = [np.append(w, b)]
    n_updates, converged, last = 0, False, None
    for epoch in range(1, max_epochs + 1):
        mistakes = 0
        for i in range(n):
            if y[i] * (X[i] @ w + b) <= 0:
                w = w + eta * y[i] * X[i]
                b = b + eta * y[i]
                n_updates += 1
                mistakes += 1
                last = (n_updates, i, epoch)
                if n_updates % record_every == 0:
                    rows.append(row(*last))
        epoch_params.append(np.append(w, b))
        if mistakes == 0:
            converged = True
            break
    if n_updates and rows[-1][0] != n_updates:     # keep the last update
        rows.append(row(*last))
    steps, params, loss, grads, index, epochs = (np.array(col) for col in zip(*rows))
    return Trajectory(params=params, loss=loss, grads=grads,
                      param_names=tuple(f"w{j + 1}" for j in range(d)) + ("b",), steps=steps,
                      extras={"index": index.astype(np.int64), "epoch": epochs.astype(np.int64),
                              "epoch_params": np.array(epoch_params), "X": X, "y": y},
                      meta={"learning_rate": eta, "max_epochs": max_epochs,
                            "epochs_run": len(epoch_params) - 1, "n_updates": n_updates,
                            "converged": converged})
