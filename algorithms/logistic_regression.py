"""Binary logistic regression fitted by full-batch gradient descent on the binary cross-entropy.

    p_i        = sigma(w . x_i + b),        sigma(z) = 1 / (1 + exp(-z))
    BCE(w, b)  = -1/n sum_i [ y_i log p_i + (1 - y_i) log(1 - p_i) ]
    dBCE/dw    = 1/n X^T (p - y)            (an average over the n SAMPLES: each weight gets its
    dBCE/db    = 1/n sum_i (p_i - y_i)       own entry; averaging over features would give every
                                             weight the same update)

The loss is computed from the logits as ``mean(log(1 + exp(z)) - y z)``, which equals the formula
above but never takes ``log(0)``.
"""
from __future__ import annotations

import numpy as np

from mlv.algorithms import _checks
from mlv.algorithms.trajectory import Trajectory


def sigmoid(z):
    """The logistic function, computed without overflow for large ``|z|``:
    ``1 / (1 + e)`` for ``z >= 0`` and ``e / (1 + e)`` for ``z < 0``, with ``e = exp(-|z|) <= 1``."""
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    out = np.where(z >= 0, 1.0, e) / (1.0 + e)
    return float(out) if out.ndim == 0 else out


def _data(X, y) -> tuple[np.ndarray, np.ndarray]:
    X = _checks.samples(X)
    return X, _checks.labels(y, "y", X.shape[0], (0, 1))


def _wb(w, b, d: int) -> tuple[np.ndarray, float]:
    w = _checks.array(w, "w", ndim=1, shape=f"({d},)")
    if w.shape != (d,):
        raise ValueError(f"w must have shape ({d},) to match X, got {w.shape}")
    return w, float(_checks.array(b, "b", ndim=0))


def _loss(X, y, w, b) -> float:
    z = X @ w + b
    return float(np.mean(np.logaddexp(0.0, z) - y * z))


def _gradient(X, y, w, b) -> np.ndarray:
    r = sigmoid(X @ w + b) - y                 # shape (n,)
    n = X.shape[0]
    return np.append(X.T @ r / n, r.sum() / n)


def bce(X, y, w, b: float) -> float:
    """Binary cross-entropy (mean over samples) of the model ``(w, b)``.

    Parameters
    ----------
    X : array_like of shape (n, d)
    y : array_like of shape (n,), values in {0, 1}
    w : array_like of shape (d,)
    b : float
    """
    X, y = _data(X, y)
    return _loss(X, y, *_wb(w, b, X.shape[1]))


def gradient(X, y, w, b: float) -> np.ndarray:
    """Gradient of :func:`bce`.

    Returns
    -------
    ndarray of shape (d + 1,)
        ``[dBCE/dw_1, ..., dBCE/dw_d, dBCE/db]``.
    """
    X, y = _data(X, y)
    return _gradient(X, y, *_wb(w, b, X.shape[1]))


def predict_proba(X, w, b: float) -> np.ndarray:
    """``sigma(X w + b)``, shape (n,)."""
    X = _checks.samples(X)
    w, b = _wb(w, b, X.shape[1])
    return sigmoid(X @ w + b)


def gradient_descent(
    X,
    y,
    *,
    learning_rate: float,
    epochs: int,
    w0=None,
    b0: float = 0.0,
    record_every: int = 1,
) -> Trajectory:
    """Full-batch gradient descent on :func:`bce`.

    Parameters
    ----------
    X : array_like of shape (n, d)
    y : array_like of shape (n,), values in {0, 1}
    learning_rate : float
        eta > 0.
    epochs : int
        Number of updates.
    w0 : array_like of shape (d,), optional
        Initial weights (default zeros); ``b0`` the initial bias.
    record_every : int
        Record every k-th epoch (the first and last are always recorded).

    Returns
    -------
    Trajectory
        ``params`` (n_recorded, d + 1), columns ``w1 .. wd, b``; ``loss`` the BCE; ``grads`` its
        gradient. ``extras["accuracy"]`` (n_recorded,) the fraction classified right at threshold
        0.5; ``extras["X"]``, ``extras["y"]`` the data. ``meta``: ``learning_rate``, ``epochs``.
    """
    X, y = _data(X, y)
    eta = _checks.positive(learning_rate, "learning_rate")
    epochs = _checks.integer(epochs, "epochs")
    record_every = _checks.integer(record_every, "record_every", minimum=1)
    d = X.shape[1]
    theta = np.append(*_wb(np.zeros(d) if w0 is None else w0, b0, d))
    rows = []
    for t in range(epochs + 1):
        w, b = theta[:-1], theta[-1]
        g = _gradient(X, y, w, b)
        if _checks.recorded(t, epochs, record_every):
            acc = np.mean((X @ w + b >= 0) == (y == 1))
            rows.append((t, theta.copy(), _loss(X, y, w, b), g, acc))
        theta = theta - eta * g
    steps, params, loss, grads, acc = (np.array(col) for col in zip(*rows))
    return Trajectory(params=params, loss=loss, grads=grads,
                      param_names=tuple(f"w{j + 1}" for j in range(d)) + ("b",), steps=steps,
                      extras={"accuracy": acc, "X": X, "y": y},
                      meta={"learning_rate": eta, "epochs": epochs})


def probability_grid(w, b: float, x_values, y_values) -> np.ndarray:
    """``P(y = 1)`` over a grid of 2-D inputs, for the colour map and the 0.5 contour.

    Parameters
    ----------
    w : array_like of shape (2,)
    x_values : ndarray of shape (n_x,)
    y_values : ndarray of shape (n_y,)

    Returns
    -------
    ndarray of shape (n_y, n_x)
        ``out[j, i] = sigma(w1 x_values[i] + w2 y_values[j] + b)``.
    """
    w, b = _wb(w, b, 2)
    xs = _checks.array(x_values, "x_values", ndim=1, shape="(n_x,)")
    ys = _checks.array(y_values, "y_values", ndim=1, shape="(n_y,)")
    return sigmoid(w[0] * xs[None, :] + w[1] * ys[:, None] + b)
