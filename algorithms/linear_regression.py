"""Simple linear regression ``y_hat = w * x + b`` fitted by full-batch gradient descent on the MSE.

    MSE(w, b)   = 1/n * sum_i (y_i - (w x_i + b))**2
    dMSE/dw     = -2/n * sum_i x_i (y_i - (w x_i + b))
    dMSE/db     = -2/n * sum_i     (y_i - (w x_i + b))

``derivations/mse.py`` derives the two gradients step by step and the tests check that its result,
lambdified, equals :func:`mse_gradient`.
"""
from __future__ import annotations

import numpy as np

from mlv.algorithms.trajectory import Trajectory


def _xy(x, y) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.ndim != 1 or x.shape != y.shape:
        raise ValueError(f"x and y must be 1-D arrays of one length, got {x.shape} and {y.shape}")
    if x.size < 1:
        raise ValueError("need at least one data point")
    return x, y


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
    w = np.asarray(w, dtype=float)
    b = np.asarray(b, dtype=float)
    resid = y - (w[..., None] * x + b[..., None])      # shape S + (n,)
    out = np.mean(resid**2, axis=-1)                   # divide by n, the number of samples
    return float(out) if out.ndim == 0 else out


def mse_gradient(x, y, w: float, b: float) -> np.ndarray:
    """Gradient of :func:`mse` in ``(w, b)``.

    Returns
    -------
    ndarray of shape (2,)
        ``[dMSE/dw, dMSE/db]``.
    """
    x, y = _xy(x, y)
    resid = y - (w * x + b)
    n = x.size
    return np.array([-2.0 / n * np.dot(x, resid), -2.0 / n * np.sum(resid)])


def least_squares(x, y) -> tuple[float, float]:
    """The closed-form least-squares line ``(w, b)`` (the minimiser of :func:`mse`)."""
    x, y = _xy(x, y)
    xc = x - x.mean()
    var = np.dot(xc, xc)
    if var == 0:
        raise ValueError("all x are equal: the slope is not determined")
    w = np.dot(xc, y - y.mean()) / var
    return float(w), float(y.mean() - w * x.mean())


def standardize(x) -> tuple[np.ndarray, float, float]:
    """Centre ``x`` and scale it to unit standard deviation.

    Returns
    -------
    z : ndarray of shape (n,)
        ``(x - mean) / std``.
    mean, std : float
    """
    x = np.asarray(x, dtype=float)
    mean, std = float(x.mean()), float(x.std())
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

    Returns
    -------
    Trajectory
        ``params`` of shape (n_recorded, 2) with columns ``("w", "b")``; ``loss`` the MSE at each;
        ``grads`` the gradient at each. ``extras["x"]`` and ``extras["y"]`` are the data fitted
        (standardised ``x`` when ``standardize_inputs``). ``meta["diverged"]`` is True when the
        loss stopped being finite (the run is cut before that state) or passed ``max_loss`` (the
        run is cut after recording the first state beyond it).
    """
    x, y = _xy(x, y)
    if not learning_rate > 0:
        raise ValueError(f"learning_rate must be positive, got {learning_rate}")
    if int(epochs) < 0 or int(record_every) < 1:
        raise ValueError("epochs must be >= 0 and record_every >= 1")
    meta = {"learning_rate": float(learning_rate), "epochs": int(epochs),
            "standardized": bool(standardize_inputs), "x_mean": 0.0, "x_std": 1.0}
    if standardize_inputs:
        x, meta["x_mean"], meta["x_std"] = standardize(x)
    theta = np.array([w0, b0], dtype=float)
    params, losses, grads, steps = [], [], [], []
    diverged = False
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(int(epochs) + 1):
            g = mse_gradient(x, y, *theta)
            loss = mse(x, y, *theta)
            if not (np.isfinite(loss) and np.all(np.isfinite(g))):
                diverged = True
                break
            too_far = max_loss is not None and loss > max_loss
            if t % record_every == 0 or t == epochs or too_far:
                params.append(theta.copy()); losses.append(loss); grads.append(g); steps.append(t)
            if too_far:                       # recorded: the step that went too far is shown
                diverged = True
                break
            if t < epochs:
                theta = theta - learning_rate * g
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
    W, B = np.meshgrid(np.asarray(w_values, float), np.asarray(b_values, float))
    return mse(x, y, W, B)
