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


def _frozen(a: Any, name: str) -> np.ndarray:
    arr = np.array(a, dtype=float if not isinstance(a, np.ndarray) else None, copy=True)
    if arr.dtype == object:
        raise TypeError(f"{name}: object arrays are not allowed in a Trajectory")
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
        Algorithm-specific arrays whose first axis is also the step (assignments, activations...), or
        fixed arrays such as the data the run was trained on.
    meta : mapping of str to scalar, optional
        Hyper-parameters and facts about the run (learning rate, standardisation constants...).
    """

    params: np.ndarray
    loss: np.ndarray
    grads: np.ndarray
    param_names: tuple[str, ...]
    steps: np.ndarray | None = None
    extras: Mapping[str, np.ndarray] = field(default_factory=dict)
    meta: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        params = _frozen(self.params, "params")
        loss = _frozen(self.loss, "loss")
        grads = _frozen(self.grads, "grads")
        if params.ndim != 2:
            raise ValueError(f"params must be 2-D (n_steps, n_params), got shape {params.shape}")
        n_steps, n_params = params.shape
        if loss.shape != (n_steps,):
            raise ValueError(f"loss must have shape ({n_steps},), got {loss.shape}")
        if grads.shape != params.shape:
            raise ValueError(f"grads must have shape {params.shape}, got {grads.shape}")
        names = tuple(self.param_names)
        if len(names) != n_params:
            raise ValueError(f"{n_params} parameters but {len(names)} names")
        steps = np.arange(n_steps) if self.steps is None else np.asarray(self.steps)
        steps = _frozen(steps.astype(np.int64), "steps")
        if steps.shape != (n_steps,):
            raise ValueError(f"steps must have shape ({n_steps},), got {steps.shape}")
        extras = {k: _frozen(v, k) for k, v in dict(self.extras).items()}
        object.__setattr__(self, "params", params)
        object.__setattr__(self, "loss", loss)
        object.__setattr__(self, "grads", grads)
        object.__setattr__(self, "param_names", names)
        object.__setattr__(self, "steps", steps)
        object.__setattr__(self, "extras", MappingProxyType(extras))
        object.__setattr__(self, "meta", MappingProxyType(dict(self.meta)))

    def __len__(self) -> int:
        return self.params.shape[0]

    def param(self, name: str) -> np.ndarray:
        """The column of ``params`` called ``name``, shape (n_steps,)."""
        try:
            return self.params[:, self.param_names.index(name)]
        except ValueError:
            raise KeyError(f"no parameter {name!r}; have {self.param_names}") from None

    def grad(self, name: str) -> np.ndarray:
        """The column of ``grads`` for parameter ``name``, shape (n_steps,)."""
        return self.grads[:, self.param_names.index(name)]

    def at(self, k: int) -> dict[str, float]:
        """Parameters and loss at recorded step ``k`` as plain floats (negative ``k`` counts back)."""
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
