"""Gradient descent on a 1-D polynomial loss, for several learning rates side by side.

The default loss is the parabola

    L(theta)  = theta**2 - 4 theta + 5 = (theta - 2)**2 + 1
    L'(theta) = 2 theta - 4

whose single curvature makes the three regimes exact: one step multiplies the distance to the
minimum ``theta* = 2`` by ``(1 - 2 eta)``, so ``eta`` small crawls, ``eta = 0.5`` lands in one step,
``0.5 < eta < 1`` oscillates while converging, and ``eta > 1`` diverges. :data:`DOUBLE_WELL`
(``theta**4 - 3 theta**2 + theta``) has a local and a global minimum, for a scene about where the
start point leads.

Polynomials are given by their coefficients, lowest degree first: ``(c0, c1, c2, ...)`` means
``c0 + c1 theta + c2 theta**2 + ...``.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from mlv.algorithms import _checks
from mlv.algorithms.trajectory import Trajectory

PARABOLA = (5.0, -4.0, 1.0)
"""``(theta - 2)**2 + 1``, the default loss."""

DOUBLE_WELL = (0.0, 1.0, -3.0, 0.0, 1.0)
"""``theta**4 - 3 theta**2 + theta``: a global minimum near -1.30, a local one near 1.13."""


def _coefficients(coefficients) -> np.ndarray:
    c = _checks.array(coefficients, "coefficients", ndim=1, shape="(degree + 1,)")
    if c.size < 2 or not np.any(c[1:] != 0):
        raise ValueError("coefficients must describe a polynomial of degree >= 1 (a non-zero "
                         f"coefficient after the constant), got {c}")
    return c


def _theta(theta) -> np.ndarray:
    return _checks.array(theta, "theta", shape="(any shape)")


def loss(theta, coefficients: Sequence[float] = PARABOLA):
    """``L(theta)``; ``theta`` may be an array (then the result has its shape)."""
    theta, c = _theta(theta), _coefficients(coefficients)
    with np.errstate(over="ignore", invalid="ignore"):
        out = np.polynomial.polynomial.polyval(theta, c)
    _checks.result(out, "L(theta)", "theta or coefficients are")
    return float(out) if np.ndim(out) == 0 else out


def derivative(theta, coefficients: Sequence[float] = PARABOLA):
    """``L'(theta)``; ``theta`` may be an array."""
    theta = _theta(theta)
    c = np.polynomial.polynomial.polyder(_coefficients(coefficients))
    with np.errstate(over="ignore", invalid="ignore"):
        out = np.polynomial.polynomial.polyval(theta, c)
    _checks.result(out, "L'(theta)", "theta or coefficients are")
    return float(out) if np.ndim(out) == 0 else out


def minima(coefficients: Sequence[float] = PARABOLA) -> np.ndarray:
    """The real local minima of ``L`` (roots of ``L'`` where ``L'' > 0``), ascending."""
    c = _coefficients(coefficients)
    d1 = np.polynomial.polynomial.polyder(c)
    d2 = np.polynomial.polynomial.polyder(d1)
    with np.errstate(over="ignore", invalid="ignore"):
        roots = np.polynomial.polynomial.polyroots(d1)
        _checks.result(roots, "the roots of L'", "coefficients are")
        real = np.sort(roots[np.abs(roots.imag) < 1e-9].real)
        curvature = np.polynomial.polynomial.polyval(real, d2)
    _checks.result(curvature, "L'' at the roots of L'", "coefficients are")
    return real[curvature > 0]


def gradient_descent(
    learning_rate: float,
    *,
    theta0: float = -1.0,
    steps: int = 30,
    coefficients: Sequence[float] = PARABOLA,
    max_abs_theta: float = 1e6,
    record_every: int = 1,
) -> Trajectory:
    """``theta <- theta - learning_rate * L'(theta)``, ``steps`` times.

    Parameters
    ----------
    learning_rate : float
        Step size eta > 0.
    theta0 : float
        Start (step 0 of the trajectory).
    steps : int
        Number of updates.
    coefficients : sequence of float
        The polynomial loss, lowest degree first.
    max_abs_theta : float
        The run counts as diverged, and stops, once ``|theta|`` exceeds this (or ``L`` overflows);
        the states recorded are those before.
    record_every : int
        Record every k-th step (the first and last are always recorded).

    Returns
    -------
    Trajectory
        ``params`` of shape (n_recorded, 1), column ``"theta"``; ``loss`` is ``L(theta)``, ``grads``
        is ``L'(theta)``. ``meta`` holds ``learning_rate``, ``theta0``, ``steps``,
        ``coefficients`` and ``diverged``.
    """
    eta = _checks.positive(learning_rate, "learning_rate")
    theta0 = _checks.scalar(theta0, "theta0")
    steps = _checks.integer(steps, "steps")
    record_every = _checks.integer(record_every, "record_every", minimum=1)
    bound = _checks.positive(max_abs_theta, "max_abs_theta")
    c = _coefficients(coefficients)
    dc = np.polynomial.polynomial.polyder(c)

    if abs(theta0) > bound:
        raise ValueError(f"theta0 must satisfy |theta0| <= max_abs_theta = {bound}, got {theta0}")

    theta = theta0
    rows: list[tuple[int, float, float, float]] = []
    last: tuple[int, float, float, float] | None = None
    diverged = False
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(steps + 1):
            value = float(np.polynomial.polynomial.polyval(theta, c))
            slope = float(np.polynomial.polynomial.polyval(theta, dc))
            if not (abs(theta) <= bound and np.isfinite(value) and np.isfinite(slope)):
                diverged = True
                break
            last = (t, theta, value, slope)
            if _checks.recorded(t, steps, record_every):
                rows.append(last)
            theta = theta - eta * slope
    if last is None:                          # the start itself overflows: nothing to record
        raise ValueError(f"theta0 = {theta0} is too large: L(theta0) or L'(theta0) overflows "
                         "float64")
    if rows[-1] is not last:                  # a diverged run keeps its last finite state
        rows.append(last)
    t_, th, val, sl = (np.array(col) for col in zip(*rows))
    return Trajectory(params=th[:, None], loss=val, grads=sl[:, None], param_names=("theta",),
                      steps=t_, meta={"learning_rate": eta, "theta0": theta0, "steps": steps,
                                      "coefficients": tuple(float(v) for v in c),
                                      "diverged": diverged})


def compare_learning_rates(
    learning_rates: Sequence[float] = (0.05, 0.3, 1.05),
    *,
    theta0: float = -1.0,
    steps: int = 30,
    coefficients: Sequence[float] = PARABOLA,
    max_abs_theta: float = 1e6,
    record_every: int = 1,
) -> tuple[Trajectory, ...]:
    """One :func:`gradient_descent` run per learning rate, all from the same start.

    The defaults on the default parabola show the three regimes: ``0.05`` crawls (distance to the
    minimum times 0.9 per step), ``0.3`` converges quickly (times 0.4), ``1.05`` oscillates with
    growing amplitude (times -1.1) and diverges.
    """
    rates = _checks.array(learning_rates, "learning_rates", ndim=1, shape="(n_rates,)",
                          min_size=1)
    for i, eta in enumerate(rates):
        _checks.positive(eta, f"learning_rates[{i}]")
    return tuple(gradient_descent(float(eta), theta0=theta0, steps=steps,
                                  coefficients=coefficients, max_abs_theta=max_abs_theta,
                                  record_every=record_every) for eta in rates)
