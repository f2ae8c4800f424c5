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


def _sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    out = np.where(z >= 0, 1.0, e) / (1.0 + e)
    return float(out) if out.ndim == 0 else out


def sigmoid(z):
    """The logistic function, computed without overflow for large ``|z|``:
    ``1 / (1 + e)`` for ``z >= 0`` and ``e / (1 + e)`` for ``z < 0``, with
    ``e = exp(-|z|) <= 1``. ``z``: finite numbers, any shape."""
    return _sigmoid(_checks.array(z, "z", shape="(any shape)"))


def _data(X, y) -> tuple[np.ndarray, np.ndarray]:
    X = _checks.samples(X)
    return X, _checks.labels(y, "y", X.shape[0], (0, 1))


def _wb(w, b, d: int, names: tuple[str, str] = ("w", "b"),
        what: str = " to match X") -> tuple[np.ndarray, float]:
    w = _checks.vector(w, names[0], d, what=what)
    return w, _checks.scalar(b, names[1])


def _loss(X, y, w, b) -> float:
    z = X @ w + b
    return float(np.mean(np.logaddexp(0.0, z) - y * z))


def _gradient(X, y, w, b) -> np.ndarray:
    r = _sigmoid(X @ w + b) - y                 # shape (n,)
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
    w, b = _wb(w, b, X.shape[1])
    with np.errstate(over="ignore", invalid="ignore"):
        out = _loss(X, y, w, b)
    return _checks.result(out, "the BCE", "X, w or b are")


def gradient(X, y, w, b: float) -> np.ndarray:
    """Gradient of :func:`bce`.

    Returns
    -------
    ndarray of shape (d + 1,)
        ``[dBCE/dw_1, ..., dBCE/dw_d, dBCE/db]``.
    """
    X, y = _data(X, y)
    w, b = _wb(w, b, X.shape[1])
    with np.errstate(over="ignore", invalid="ignore"):
        out = _gradient(X, y, w, b)
    return _checks.result(out, "the BCE gradient", "X, w or b are")


def predict_proba(X, w, b: float) -> np.ndarray:
    """``sigma(X w + b)``, shape (n,)."""
    X = _checks.samples(X)
    w, b = _wb(w, b, X.shape[1])
    with np.errstate(over="ignore", invalid="ignore"):
        out = _sigmoid(X @ w + b)
    return _checks.result(out, "sigma(X w + b)", "X, w or b are")


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
        0.5; ``extras["X"]``, ``extras["y"]`` the data. ``meta``: ``learning_rate``, ``epochs``,
        ``diverged`` (the loss, the gradient or the weights stopped being finite: the run ends
        with the last finite state).
    """
    X, y = _data(X, y)
    eta = _checks.positive(learning_rate, "learning_rate")
    epochs = _checks.integer(epochs, "epochs")
    record_every = _checks.integer(record_every, "record_every", minimum=1)
    d = X.shape[1]
    theta = np.append(*_wb(np.zeros(d) if w0 is None else w0, b0, d, ("w0", "b0")))

    def row(t, theta, value, g):
        w, b = theta[:-1], theta[-1]
        acc = np.mean((X @ w + b >= 0) == (y == 1))
        return t, theta.copy(), value, g, acc

    rows: list[tuple] = []
    last: tuple | None = None
    diverged = False
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(epochs + 1):
            w, b = theta[:-1], theta[-1]
            g = _gradient(X, y, w, b)
            value = _loss(X, y, w, b)
            if not (np.isfinite(value) and _checks.finite(theta, g)):
                diverged = True
                break
            last = (t, theta, value, g)
            if _checks.recorded(t, epochs, record_every):
                rows.append(row(*last))
            theta = theta - eta * g
    if last is None:                          # the start itself overflows: nothing to record
        raise ValueError("X, w0 or b0 are too large: the BCE at the start overflows float64")
    if rows[-1][0] != last[0]:                # a diverged run keeps its last finite state
        rows.append(row(*last))
    steps, params, loss, grads, acc = (np.array(col) for col in zip(*rows))
    return Trajectory(params=params, loss=loss, grads=grads,
                      param_names=tuple(f"w{j + 1}" for j in range(d)) + ("b",), steps=steps,
                      extras={"accuracy": acc, "X": X, "y": y},
                      meta={"learning_rate": eta, "epochs": epochs, "diverged": diverged})


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
    w, b = _wb(w, b, 2, what=" (the grid is 2-D)")
    xs = _checks.vector(x_values, "x_values")
    ys = _checks.vector(y_values, "y_values")
    with np.errstate(over="ignore", invalid="ignore"):
        out = _sigmoid(w[0] * xs[None, :] + w[1] * ys[:, None] + b)
    return _checks.result(out, "the probability grid", "w, b, x_values or y_values are")
