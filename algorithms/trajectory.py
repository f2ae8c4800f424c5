"""The Trajectory: every recorded step of a training run, as read-only arrays.

Scenes index a trajectory (``traj.params[k]``) and never recompute it: the numbers a viewer sees on
screen at step ``k`` are ``traj.params[k]``, ``traj.loss[k]`` and ``traj.grads[k]``.
"""
from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np


class UnknownParameter(KeyError, ValueError):
    """No parameter of that name (a ``KeyError``, and a ``ValueError`` like every bad argument)."""


class StepOutOfRange(IndexError, ValueError):
    """No recorded step of that index (an ``IndexError`` and a ``ValueError``)."""


def _frozen(a: Any, name: str, *, finite: bool = False) -> np.ndarray:
    try:
        arr = np.array(a, dtype=float if not isinstance(a, np.ndarray) else None, copy=True)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be an array of numbers, got {a!r:.80}") from exc
    if arr.dtype.kind not in "biuf":
        raise ValueError(f"{name} must be an array of numbers, got {arr.dtype} values "
                         "(object arrays are not allowed in a Trajectory)")
    if finite and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite: a Trajectory records only finite states "
                         "(a run that overflows stops before the first one that is not)")
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True)
class Trajectory:
    """A training run recorded step by step.

    Parameters
    ----------
    params : ndarray of shape (n_steps, n_params)
        Parameters at each recorded step; row 0 is the initial state.
    loss : ndarray of shape (n_steps,)
        Loss at ``params[k]``.
    grads : ndarray of shape (n_steps, n_params)
        Gradient of the loss at ``params[k]`` (the one the next update uses).
    param_names : tuple of str
        One name per column of ``params``.
    steps : ndarray of shape (n_steps,), optional
        The iteration number of each recorded row (``0, 1, 2, ...`` unless only every k-th step was
        recorded).
    extras : mapping of str to ndarray, optional
        Algorithm-specific arrays whose first axis is also the step (assignments, activations...),
        or fixed arrays such as the data the run was trained on.
    meta : mapping of str to scalar, optional
        Hyper-parameters and facts about the run (learning rate, standardisation constants...).
    """

    params: np.ndarray
    loss: np.ndarray
    grads: np.ndarray
    param_names: tuple[str, ...]
    #: ``None`` when constructed means ``0, 1, 2, ...``; always an array once constructed
    steps: np.ndarray = None  # type: ignore[assignment]
    extras: Mapping[str, np.ndarray] = field(default_factory=dict)
    meta: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        params = _frozen(self.params, "params", finite=True)
        loss = _frozen(self.loss, "loss", finite=True)
        grads = _frozen(self.grads, "grads", finite=True)
        if params.ndim != 2:
            raise ValueError(f"params must be 2-D (n_steps, n_params), got shape {params.shape}")
        n_steps, n_params = params.shape
        if n_steps < 1 or n_params < 1:
            raise ValueError(f"params must hold at least one step (the initial state) and one "
                             f"parameter, got shape {params.shape}")
        if loss.shape != (n_steps,):
            raise ValueError(f"loss must have shape ({n_steps},), got {loss.shape}")
        if grads.shape != params.shape:
            raise ValueError(f"grads must have shape {params.shape}, got {grads.shape}")
        if isinstance(self.param_names, str):
            raise ValueError(f"param_names must be a sequence of names, not the string "
                             f"{self.param_names!r}")
        names = tuple(self.param_names)
        if len(names) != n_params:
            raise ValueError(f"params has {n_params} columns (parameters) but param_names has "
                             f"{len(names)} names")
        if not all(isinstance(n, str) for n in names) or len(set(names)) != len(names):
            raise ValueError(f"param_names must be distinct strings, got {names}")
        if self.steps is None:
            steps = np.arange(n_steps)
        else:
            raw = _frozen(self.steps, "steps", finite=True)
            if raw.shape != (n_steps,):
                raise ValueError(f"steps must have shape ({n_steps},), got {raw.shape}")
            if raw.dtype.kind == "b" or np.any(raw != np.round(raw)) or np.any(raw < 0) \
                    or np.any(np.diff(raw) <= 0):
                raise ValueError(f"steps must be increasing integers >= 0, got {raw}")
            steps = raw
        steps = _frozen(steps.astype(np.int64), "steps")
        for what in ("extras", "meta"):
            if not isinstance(getattr(self, what), Mapping):
                raise ValueError(f"{what} must be a mapping, not {getattr(self, what)!r:.80}")
        extras = dict(self.extras)
        if not all(isinstance(k, str) for k in extras):
            raise ValueError(f"extras keys must be strings, got {sorted(map(repr, extras))}")
        extras = {k: _frozen(v, f"extras[{k!r}]") for k, v in extras.items()}
        meta = dict(self.meta)
        if not all(isinstance(k, str) for k in meta):
            raise ValueError(f"meta keys must be strings, got {sorted(map(repr, meta))}")
        object.__setattr__(self, "params", params)
        object.__setattr__(self, "loss", loss)
        object.__setattr__(self, "grads", grads)
        object.__setattr__(self, "param_names", names)
        object.__setattr__(self, "steps", steps)
        object.__setattr__(self, "extras", MappingProxyType(extras))
        object.__setattr__(self, "meta", MappingProxyType(meta))

    def __len__(self) -> int:
        return self.params.shape[0]

    def _column(self, name: str) -> int:
        if not isinstance(name, str) or name not in self.param_names:
            raise UnknownParameter(f"no parameter {name!r}; have {self.param_names}")
        return self.param_names.index(name)

    def param(self, name: str) -> np.ndarray:
        """The column of ``params`` called ``name``, shape (n_steps,)."""
        return self.params[:, self._column(name)]

    def grad(self, name: str) -> np.ndarray:
        """The column of ``grads`` for parameter ``name``, shape (n_steps,)."""
        return self.grads[:, self._column(name)]

    def index(self, k: int) -> int:
        """Recorded step ``k`` as an index from 0 (negative ``k`` counts back from the end);
        :class:`ValueError` (also an ``IndexError``) unless ``-len <= k < len``."""
        n = len(self)
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not -n <= k < n:
            raise StepOutOfRange(f"k must be an integer step index in [-{n}, {n}), not {k!r}")
        return int(k) % n

    def at(self, k: int) -> dict[str, float]:
        """Parameters and loss at recorded step ``k`` as plain floats (negative ``k`` counts
        back)."""
        k = self.index(k)
        row = {name: float(v) for name, v in zip(self.param_names, self.params[k])}
        row["loss"] = float(self.loss[k])
        return row

    @property
    def final(self) -> dict[str, float]:
        """Parameters and loss at the last recorded step."""
        return self.at(-1)

    def fingerprint(self) -> str:
        """A SHA-256 of every array and the metadata: equal runs give equal fingerprints."""
        h = hashlib.sha256()
        for name in ("params", "loss", "grads", "steps"):
            a = getattr(self, name)
            h.update(name.encode() + str(a.shape).encode() + np.ascontiguousarray(a).tobytes())
        for key in sorted(self.extras):
            a = self.extras[key]
            h.update(key.encode() + str(a.shape).encode() + np.ascontiguousarray(a).tobytes())
        h.update(repr(self.param_names).encode() + repr(sorted(self.meta.items())).encode())
        return h.hexdigest()
