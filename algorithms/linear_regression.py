"""Simple linear regression ``y_hat = w * x + b`` fitted by full-batch gradient descent on the MSE.

    MSE(w, b)   = 1/n * sum_i (y_i - (w x_i + b))**2
    dMSE/dw     = -2/n * sum_i x_i (y_i - (w x_i + b))
    dMSE/db     = -2/n * sum_i     (y_i - (w x_i + b))

``derivations/mse.py`` derives the two gradients step by step and the tests check that its result,
lambdified, equals :func:`mse_gradient`.
"""
from __future__ import annotations

import numpy as np

from mlv.algorithms import _checks
from mlv.algorithms.trajectory import Trajectory


def _xy(x, y) -> tuple[np.ndarray, np.ndarray]:
    x = _checks.vector(x, "x")
    y = _checks.vector(y, "y", x.size, what=" to match x")
    return x, y


def _mse(x: np.ndarray, y: np.ndarray, w, b):
    w = np.asarray(w, dtype=float)
    b = np.asarray(b, dtype=float)
    resid = y - (w[..., None] * x + b[..., None])      # shape S + (n,)
    out = np.mean(resid**2, axis=-1)                   # divide by n, the number of samples
    return float(out) if out.ndim == 0 else out


def _mse_gradient(x: np.ndarray, y: np.ndarray, w, b) -> np.ndarray:
    resid = y - (w * x + b)
    n = x.size
    return np.array([-2.0 / n * np.dot(x, resid), -2.0 / n * np.sum(resid)])


def mse(x, y, w, b):
    """Mean squared error of the line ``(w, b)``; ``w`` and ``b`` may be arrays of equal shape
    (then the result has that shape: one MSE per (w, b) pair).

    Parameters
    ----------
    x, y : ndarray of shape (n,)
    w, b : float or ndarray of shape S

    Returns
    -------
    float or ndarray of shape S
    """
    x, y = _xy(x, y)
    w = _checks.array(w, "w", shape="(any shape S)")
    b = _checks.array(b, "b", shape="(the shape of w)")
    try:
        np.broadcast_shapes(w.shape, b.shape)
    except ValueError:
        raise ValueError(f"w and b must have the same shape, got {w.shape} and {b.shape}") from None
    with np.errstate(over="ignore", invalid="ignore"):
        out = _mse(x, y, w, b)
    return _checks.result(out, "the MSE", "x, y, w or b are")


def mse_gradient(x, y, w: float, b: float) -> np.ndarray:
    """Gradient of :func:`mse` in ``(w, b)``.

    Returns
    -------
    ndarray of shape (2,)
        ``[dMSE/dw, dMSE/db]``.
    """
    x, y = _xy(x, y)
    w, b = _checks.scalar(w, "w"), _checks.scalar(b, "b")
    with np.errstate(over="ignore", invalid="ignore"):
        out = _mse_gradient(x, y, w, b)
    return _checks.result(out, "the MSE gradient", "x, y, w or b are")


def least_squares(x, y) -> tuple[float, float]:
    """The closed-form least-squares line ``(w, b)`` (the minimiser of :func:`mse`)."""
    x, y = _xy(x, y)
    with np.errstate(over="ignore", invalid="ignore"):
        xc = x - x.mean()
        var = np.dot(xc, xc)
        if var == 0:
            raise ValueError("all x are equal: the slope is not determined")
        w = np.dot(xc, y - y.mean()) / var
        b = y.mean() - w * x.mean()
    _checks.result(np.array([var, w, b]), "the least-squares line", "x or y are")
    return float(w), float(b)


def standardize(x) -> tuple[np.ndarray, float, float]:
    """Centre ``x`` and scale it to unit standard deviation.

    Returns
    -------
    z : ndarray of shape (n,)
        ``(x - mean) / std``.
    mean, std : float
    """
    x = _checks.vector(x, "x")
    with np.errstate(over="ignore", invalid="ignore"):
        mean, std = float(x.mean()), float(x.std())
    _checks.result(np.array([mean, std]), "the mean and standard deviation of x", "x is")
    if std == 0:
        raise ValueError("cannot standardise: all x are equal")
    return (x - mean) / std, mean, std


def gradient_descent(
    x,
    y,
    *,
    learning_rate: float,
    epochs: int,
    w0: float = 0.0,
    b0: float = 0.0,
    standardize_inputs: bool = False,
    record_every: int = 1,
    max_loss: float | None = None,
) -> Trajectory:
    """Full-batch gradient descent on the MSE of ``y_hat = w x + b``.

    Parameters
    ----------
    x, y : array_like of shape (n,)
        Data.
    learning_rate : float
        Step size eta > 0 in ``theta <- theta - eta * grad``.
    epochs : int
        Number of updates (each uses all n points).
    w0, b0 : float
        Initial parameters (step 0 of the trajectory).
    standardize_inputs : bool
        Fit on ``z = (x - mean) / std`` instead of ``x``; the parameters recorded are then those of
        ``y_hat = w z + b``, and ``meta`` holds ``x_mean`` and ``x_std`` to map them back.
    record_every : int
        Record every k-th epoch (the first and last are always recorded).
    max_loss : float, optional
        A positive number: the run stops after recording the first state whose MSE exceeds it.

    Returns
    -------
    Trajectory
        ``params`` of shape (n_recorded, 2) with columns ``("w", "b")``; ``loss`` the MSE at each;
        ``grads`` the gradient at each. ``extras["x"]`` and ``extras["y"]`` are the data fitted
        (standardised ``x`` when ``standardize_inputs``). ``meta["diverged"]`` is True when the
        loss, the gradient or the parameters stopped being finite (the run ends with the last
        finite state) or the loss passed ``max_loss`` (the run is cut after recording the first
        state beyond it).
    """
    x, y = _xy(x, y)
    eta = _checks.positive(learning_rate, "learning_rate")
    epochs = _checks.integer(epochs, "epochs")
    record_every = _checks.integer(record_every, "record_every", minimum=1)
    w0, b0 = _checks.scalar(w0, "w0"), _checks.scalar(b0, "b0")
    standardize_inputs = _checks.boolean(standardize_inputs, "standardize_inputs")
    if max_loss is not None:
        max_loss = _checks.positive(max_loss, "max_loss")
    meta = {"learning_rate": eta, "epochs": epochs,
            "standardized": standardize_inputs, "x_mean": 0.0, "x_std": 1.0}
    if standardize_inputs:
        x, meta["x_mean"], meta["x_std"] = standardize(x)
    theta = np.array([w0, b0], dtype=float)
    params, losses, grads, steps = [], [], [], []
    last: tuple[np.ndarray, float, np.ndarray, int] | None = None
    diverged = False
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(epochs + 1):
            g = _mse_gradient(x, y, *theta)
            loss = _mse(x, y, *theta)
            if not (np.isfinite(loss) and np.all(np.isfinite(theta))
                    and np.all(np.isfinite(g))):
                diverged = True
                break
            last = (theta.copy(), loss, g, t)
            too_far = max_loss is not None and loss > max_loss
            if t % record_every == 0 or t == epochs or too_far:
                params.append(last[0])
                losses.append(loss)
                grads.append(g)
                steps.append(t)
            if too_far:                       # recorded: the step that went too far is shown
                diverged = True
                break
            if t < epochs:
                theta = theta - eta * g
    if last is None:                          # the start itself overflows: nothing to record
        raise ValueError("x, y, w0 or b0 are too large: the MSE or its gradient at the start "
                         "(w0, b0) overflows float64")
    if steps[-1] != last[3]:                  # a diverged run keeps its last finite state
        params.append(last[0])
        losses.append(last[1])
        grads.append(last[2])
        steps.append(last[3])
    meta["diverged"] = diverged
    return Trajectory(params=np.array(params), loss=np.array(losses), grads=np.array(grads),
                      param_names=("w", "b"), steps=np.array(steps),
                      extras={"x": x, "y": y}, meta=meta)


def loss_surface(x, y, w_values, b_values) -> np.ndarray:
    """MSE on a grid, for contour plots.

    Parameters
    ----------
    w_values : ndarray of shape (n_w,)
    b_values : ndarray of shape (n_b,)

    Returns
    -------
    ndarray of shape (n_b, n_w)
        ``out[j, i] = mse(x, y, w_values[i], b_values[j])``.
    """
    x, y = _xy(x, y)
    w_values = _checks.vector(w_values, "w_values")
    b_values = _checks.vector(b_values, "b_values")
    W, B = np.meshgrid(w_values, b_values)
    with np.errstate(over="ignore", invalid="ignore"):
        out = _mse(x, y, W, B)
    return _checks.result(out, "the MSE surface", "x, y, w_values or b_values are")
