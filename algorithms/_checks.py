"""Input checks shared by the algorithm modules.

Every check raises ``ValueError`` with a message that names the argument and says what was expected,
so that a bad call fails at the door instead of producing NaNs three functions later.
"""
from __future__ import annotations

import numbers
from collections.abc import Iterable

import numpy as np


def array(a, name: str, *, ndim: int | None = None, shape: str = "") -> np.ndarray:
    """``a`` as a float64 array, checked for dimension and finiteness.

    Parameters
    ----------
    a : array_like
    name : str
        The argument's name, used in error messages.
    ndim : int, optional
        Required number of dimensions.
    shape : str
        A human description of the expected shape, e.g. ``"(n_samples, n_features)"``.
    """
    try:
        arr = np.asarray(a, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be an array of numbers {shape}, got {a!r:.80}") from exc
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D {shape}, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite values (no NaN or inf)")
    return arr


def samples(X, name: str = "X", *, min_samples: int = 1) -> np.ndarray:
    """A finite 2-D data matrix of shape (n_samples, n_features) with at least ``min_samples`` rows
    and one column."""
    X = array(X, name, ndim=2, shape="(n_samples, n_features)")
    if X.shape[0] < min_samples or X.shape[1] < 1:
        raise ValueError(f"{name} must have at least {min_samples} sample(s) and 1 feature, "
                         f"got shape {X.shape}")
    return X


def labels(y, name: str, n: int, allowed: Iterable[float]) -> np.ndarray:
    """A 1-D label vector of length ``n`` whose values all lie in ``allowed``."""
    y = array(y, name, ndim=1, shape=f"({n},)")
    if y.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},) to match X, got {y.shape}")
    allowed = tuple(float(v) for v in allowed)
    if not np.all(np.isin(y, allowed)):
        raise ValueError(f"{name} must only contain the values {allowed}, got {np.unique(y)}")
    return y


def positive(value, name: str) -> float:
    """A finite number > 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    if not (np.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    return float(value)


def in_unit_interval(value, name: str) -> float:
    """A number in [0, 1)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value < 1:
        raise ValueError(f"{name} must be a number in [0, 1), got {value!r}")
    return float(value)


def integer(value, name: str, *, minimum: int = 0) -> int:
    """An integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def choice(value, name: str, options: Iterable[str]) -> str:
    """One of ``options``."""
    options = tuple(options)
    if value not in options:
        raise ValueError(f"{name} must be one of {options}, got {value!r}")
    return value


def recorded(t: int, last: int, record_every: int) -> bool:
    """Whether step ``t`` of a run ending at step ``last`` is kept: every ``record_every``-th step,
    and always the first and the last."""
    return t % record_every == 0 or t == last


def rng(random_state) -> np.random.Generator:
    """A NumPy Generator from an int seed or a Generator (never the global random state)."""
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, (int, np.integer)) and not isinstance(random_state, bool):
        return np.random.default_rng(int(random_state))
    raise ValueError(f"random_state must be an int seed or a numpy Generator, got {random_state!r}")
