"""Seeded data generators. Every generator takes an explicit ``random_state`` and uses its own
``numpy.random.Generator``; the global NumPy random state is never touched."""
from __future__ import annotations

import numpy as np


def _rng(random_state: int | np.random.Generator) -> np.random.Generator:
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, (int, np.integer)) and not isinstance(random_state, bool):
        return np.random.default_rng(int(random_state))
    raise TypeError(f"random_state must be an int or a numpy Generator, got {random_state!r}")


def noisy_line(
    n: int = 30,
    *,
    slope: float = 1.5,
    intercept: float = 2.0,
    noise: float = 1.2,
    x_range: tuple[float, float] = (0.0, 10.0),
    random_state: int | np.random.Generator = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Points scattered around the line ``y = slope * x + intercept``.

    Parameters
    ----------
    n : int
        Number of points (at least 2).
    slope, intercept : float
        The true line.
    noise : float
        Standard deviation of the Gaussian noise added to ``y``.
    x_range : (float, float)
        ``x`` is drawn uniformly from this interval.
    random_state : int or numpy.random.Generator
        Seed; the same seed always gives the same data.

    Returns
    -------
    x : ndarray of shape (n,)
        Inputs, sorted ascending.
    y : ndarray of shape (n,)
        Targets.
    """
    if int(n) < 2:
        raise ValueError(f"noisy_line needs n >= 2 points, got {n}")
    lo, hi = x_range
    if not hi > lo:
        raise ValueError(f"x_range must be increasing, got {x_range}")
    rng = _rng(random_state)
    x = np.sort(rng.uniform(lo, hi, size=int(n)))
    y = slope * x + intercept + noise * rng.standard_normal(int(n))
    return x, y
