"""Input checks shared by the algorithm modules.

Every check raises ``ValueError`` with a message that names the argument and says what was expected,
so that a bad call fails at the door instead of producing NaNs three functions later. The checks
only look at their inputs: a value that passes is returned unchanged (converted to ``float``,
``int`` or a float64 array, which leaves every number as it was).

:class:`Overflow` is the one error raised *after* a computation: a public function whose finite
inputs give a result that is not finite (float64 overflowed, or ``inf - inf`` made a NaN) raises
it instead of returning the NaN. Training loops never raise it: they stop and flag the run
``diverged`` (see :func:`finite`).
"""
from __future__ import annotations

import numbers
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np


class Overflow(ValueError):  # noqa: N818 -- a ValueError: callers catch ValueError
    """Finite inputs whose result is not a finite float64 (the inputs are too large)."""


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


# ---------------------------------------------------------------------------------------------
# arrays

def array(a, name: str, *, ndim: int | None = None, shape: str = "",
          min_size: int = 0) -> np.ndarray:
    """``a`` as a float64 array, checked for dimension, size and finiteness.

    Parameters
    ----------
    a : array_like
        Numbers (booleans read as 0 and 1); strings, complex numbers and ragged lists are refused.
    name : str
        The argument's name, used in error messages.
    ndim : int, optional
        Required number of dimensions.
    shape : str
        A human description of the expected shape, e.g. ``"(n_samples, n_features)"``.
    min_size : int
        Required number of entries at least.
    """
    try:
        raw = np.asarray(a)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be an array of numbers {shape}, "
                         f"got {_describe(a)}") from exc
    if raw.dtype.kind not in "biufO":
        raise ValueError(f"{name} must be an array of numbers {shape}, "
                         f"got {raw.dtype} values {_describe(a)}")
    try:
        arr = np.asarray(a, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be an array of numbers {shape}, "
                         f"got {_describe(a)}") from exc
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D {shape}, got shape {arr.shape}")
    if arr.size < min_size:
        raise ValueError(f"{name} must have at least {min_size} entr"
                         f"{'y' if min_size == 1 else 'ies'}, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite values (no NaN or inf)")
    return arr


def vector(a, name: str, length: int | None = None, *, what: str = "") -> np.ndarray:
    """A finite 1-D array, of ``length`` entries when given (``what`` says why that length)."""
    shape = f"({length},)" if length is not None else "(n,)"
    v = array(a, name, ndim=1, shape=shape, min_size=1)
    if length is not None and v.shape != (length,):
        raise ValueError(f"{name} must have shape ({length},){what}, got {v.shape}")
    return v


def samples(X, name: str = "X", *, min_samples: int = 1) -> np.ndarray:
    """A finite 2-D data matrix of shape (n_samples, n_features) with at least ``min_samples`` rows
    and one column."""
    X = array(X, name, ndim=2, shape="(n_samples, n_features)")
    if X.shape[0] < min_samples or X.shape[1] < 1:
        raise ValueError(f"{name} must have at least {min_samples} sample(s) and 1 feature, "
                         f"got shape {X.shape}")
    return X


def points(p, name: str = "p", *, dim: int = 2) -> np.ndarray:
    """Finite points of shape ``(..., dim)``, at least one."""
    arr = array(p, name, shape=f"(..., {dim})", min_size=1)
    if arr.ndim < 1 or arr.shape[-1] != dim:
        raise ValueError(f"{name} must have shape (..., {dim}), got {arr.shape}")
    return arr


def labels(y, name: str, n: int, allowed: Iterable[float]) -> np.ndarray:
    """A 1-D label vector of length ``n`` whose values all lie in ``allowed``."""
    y = array(y, name, ndim=1, shape=f"({n},)")
    if y.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},) to match X, got {y.shape}")
    allowed = tuple(float(v) for v in allowed)
    if not np.all(np.isin(y, allowed)):
        raise ValueError(f"{name} must only contain the values {allowed}, got {np.unique(y)}")
    return y


def indices(labels, name: str, n: int, k: int) -> np.ndarray:
    """A 1-D integer array of length ``n`` with values in ``0 .. k-1`` (cluster labels)."""
    try:
        raw = np.asarray(labels)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be an array of integers, got {_describe(labels)}") from exc
    if raw.dtype.kind not in "iu":
        raise ValueError(f"{name} must be an array of integers (cluster indices), "
                         f"got {raw.dtype} values")
    if raw.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},) to match X, got {raw.shape}")
    if n and (raw.min() < 0 or raw.max() >= k):
        raise ValueError(f"{name} must lie in 0 .. {k - 1} (one per centre), "
                         f"got values from {raw.min()} to {raw.max()}")
    return raw.astype(np.intp, copy=False)


def square(a, name: str, *, symmetric: bool = False) -> np.ndarray:
    """A finite, non-empty square matrix; with ``symmetric``, equal to its transpose up to
    round-off (relative 1e-10)."""
    m = array(a, name, ndim=2, shape="(d, d)", min_size=1)
    if m.shape[0] != m.shape[1]:
        raise ValueError(f"{name} must be square, got shape {m.shape}")
    if symmetric:
        scale = float(np.max(np.abs(m)))
        if np.max(np.abs(m - m.T)) > 1e-10 * scale:
            raise ValueError(f"{name} must be symmetric (an eigendecomposition by eigh reads "
                             f"only one triangle), got max |{name} - {name}.T| = "
                             f"{np.max(np.abs(m - m.T)):.3g}")
    return m


def interval(value, name: str) -> tuple[float, float]:
    """A pair ``(lo, hi)`` of finite numbers with ``lo < hi``."""
    pair = array(value, name, ndim=1, shape="(lo, hi)")
    if pair.shape != (2,) or not pair[1] > pair[0]:
        raise ValueError(f"{name} must be an increasing pair (lo, hi) of finite numbers, "
                         f"got {_describe(value)}")
    return float(pair[0]), float(pair[1])


def finite(*arrays) -> bool:
    """Whether every entry of every argument is finite (the test a training loop's state must pass
    to be recorded)."""
    return all(bool(np.all(np.isfinite(a))) for a in arrays)


def result(out, what: str, culprits: str):
    """``out`` if every entry is finite, else :class:`Overflow` saying that ``what`` overflowed
    and that ``culprits`` (argument names) are too large."""
    if not np.all(np.isfinite(out)):
        raise Overflow(f"{what} is not finite (float64 overflowed): {culprits} too large")
    return out


def not_too_large(a: np.ndarray, name: str, factor: float) -> None:
    """Refuse ``a`` when ``factor * max|a|**2`` overflows float64: sums of that many squared
    differences of its entries would (k-means distances, PCA covariances)."""
    with np.errstate(over="ignore"):
        bound = np.float64(factor) * 4.0 * np.max(np.abs(a), initial=0.0) ** 2
    if not np.isfinite(bound):
        raise ValueError(f"{name} is too large: its squared distances overflow float64 "
                         f"(max |{name}| = {np.max(np.abs(a)):.3g})")


# ---------------------------------------------------------------------------------------------
# scalars

def _is_real(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def scalar(value, name: str) -> float:
    """A finite real number (a Python or NumPy number, or a 0-d array; not a bool)."""
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
        value = value[()]
    if not _is_real(value) or not np.isfinite(float(value)):
        raise ValueError(f"{name} must be a finite number, not {_describe(value)}")
    return float(value)


def positive(value, name: str) -> float:
    """A finite number > 0."""
    if not _is_real(value) or not (np.isfinite(float(value)) and float(value) > 0):
        raise ValueError(f"{name} must be a positive finite number, not {_describe(value)}")
    return float(value)


def nonnegative(value, name: str) -> float:
    """A finite number >= 0."""
    if not _is_real(value) or not (np.isfinite(float(value)) and float(value) >= 0):
        raise ValueError(f"{name} must be a finite number >= 0, not {_describe(value)}")
    return float(value)


def in_unit_interval(value, name: str) -> float:
    """A number in [0, 1)."""
    if not _is_real(value) or not 0 <= float(value) < 1:
        raise ValueError(f"{name} must be a number in [0, 1), not {_describe(value)}")
    return float(value)


def integer(value, name: str, *, minimum: int = 0, maximum: int | None = None) -> int:
    """An integer (Python or NumPy; not a bool, not a float such as 2.0 or 2.5) in
    ``[minimum, maximum]``."""
    ok = isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))
    if not ok or value < minimum or (maximum is not None and value > maximum):
        bound = f">= {minimum}" if maximum is None else f"in [{minimum}, {maximum}]"
        raise ValueError(f"{name} must be an integer {bound}, not {_describe(value)}")
    return int(value)


def integers(values, name: str, *, minimum: int = 0) -> tuple[int, ...]:
    """A sequence (list, tuple or 1-D array; not a string) of integers >= ``minimum``."""
    if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, np.ndarray)) \
            or np.ndim(values) != 1:
        raise ValueError(f"{name} must be a sequence of integers, not {_describe(values)}")
    return tuple(integer(v, f"{name} entries", minimum=minimum) for v in values)


def boolean(value, name: str) -> bool:
    """``True`` or ``False`` (Python or NumPy)."""
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False, not {_describe(value)}")
    return bool(value)


def choice(value, name: str, options: Iterable[str]) -> str:
    """One of ``options``."""
    options = tuple(options)
    if not isinstance(value, str) or value not in options:
        raise ValueError(f"{name} must be one of {options}, not {_describe(value)}")
    return value


def recorded(t: int, last: int, record_every: int) -> bool:
    """Whether step ``t`` of a run ending at step ``last`` is kept: every ``record_every``-th step,
    and always the first and the last."""
    return t % record_every == 0 or t == last


def rng(random_state) -> np.random.Generator:
    """A NumPy Generator from an int seed >= 0 or a Generator (never the global random state)."""
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, (int, np.integer)) and not isinstance(random_state, bool) \
            and random_state >= 0:
        return np.random.default_rng(int(random_state))
    raise ValueError(f"random_state must be an int seed >= 0 or a numpy Generator, "
                     f"not {_describe(random_state)}")
