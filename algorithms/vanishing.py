"""Per-layer gradient norms of a deep dense network, for sigmoid, tanh and ReLU.

Backpropagation multiplies ``delta`` by ``W^(l)^T`` and by ``f'(z)`` once per layer. The sigmoid's
derivative is at most 1/4, so with weights of moderate size the gradient reaching layer 1 of a
12-layer sigmoid network is many orders of magnitude smaller than at the output: the early layers
barely learn. tanh's derivative is at most 1 (and 1 at zero), ReLU's is exactly 1 where active, so
their gradients survive much better. The three runs share the data, the architecture and the seed;
the weights use Xavier initialisation for sigmoid and tanh and He initialisation for ReLU (what
each is normally paired with), unless ``init`` says otherwise.
"""
from __future__ import annotations

import dataclasses
import inspect
import math
from collections.abc import Sequence

import numpy as np

from mlv.algorithms import _checks, network
from mlv.algorithms.trajectory import Trajectory


def layer_norms(flat_grads, layer_sizes) -> np.ndarray:
    """Frobenius norm of ``dL/dW^(l)`` for each layer, from flattened gradients.

    Parameters
    ----------
    flat_grads : ndarray of shape (n_params,) or (n_steps, n_params)
    layer_sizes : sequence of int

    Returns
    -------
    ndarray of shape (n_layers,) or (n_steps, n_layers)
    """
    g = _checks.array(flat_grads, "flat_grads", shape="(n_params,) or (n_steps, n_params)",
                      min_size=1)
    if g.ndim not in (1, 2):
        raise ValueError(f"flat_grads must be 1-D or 2-D, got shape {g.shape}")
    rows = np.atleast_2d(g)
    n_params = sum(math.prod(s) for s in network.shapes(layer_sizes))
    if rows.shape[1] != n_params:
        raise ValueError(f"flat_grads must have {n_params} entries per row for layer_sizes "
                         f"{tuple(layer_sizes)}, got shape {g.shape}")
    with np.errstate(over="ignore", invalid="ignore"):
        out = np.array([[_norm(W) for W, _ in network.unflatten(r, layer_sizes)] for r in rows])
    _checks.result(out, "the gradient norms", "flat_grads are")
    return out[0] if g.ndim == 1 else out


def _norm(W: np.ndarray) -> float:
    """``||W||_F``; if squaring the entries overflows, computed as ``m ||W / m||`` with
    ``m = max |W|`` (inf only when the norm itself exceeds float64)."""
    n = np.linalg.norm(W)
    if not np.isfinite(n):
        m = np.max(np.abs(W))
        n = m * np.linalg.norm(W / m)
    return float(n)


def train(
    X,
    y,
    *,
    activation: str,
    n_layers: int = 12,
    width: int = 16,
    learning_rate: float = 0.1,
    epochs: int = 200,
    random_state=0,
    init: str = "auto",
    record_every: int = 1,
) -> Trajectory:
    """A deep network (``n_layers`` weight layers: ``n_layers - 1`` hidden layers of ``width``
    units with ``activation``, then one sigmoid output unit) trained with BCE.

    Returns
    -------
    Trajectory
        As :func:`algorithms.network.train`, plus ``extras["grad_norms"]`` of shape
        (n_recorded, n_layers): ``||dL/dW^(l)||`` per layer (layer 1 first) at each recorded epoch,
        and ``meta["activation"]``.
    """
    _checks.choice(activation, "activation", ("sigmoid", "tanh", "relu"))
    n_layers = _checks.integer(n_layers, "n_layers", minimum=2)
    width = _checks.integer(width, "width", minimum=1)
    traj = network.train(X, y, hidden=(width,) * (n_layers - 1), hidden_activation=activation,
                         output_activation="sigmoid", loss="bce", learning_rate=learning_rate,
                         epochs=epochs, random_state=random_state, init=init,
                         record_every=record_every)
    try:
        norms = layer_norms(traj.grads, traj.meta["layer_sizes"])
    except _checks.Overflow:
        raise _checks.Overflow("X or y are too large: the gradient norms of the run exceed "
                               "float64") from None
    return dataclasses.replace(traj, extras={**traj.extras, "grad_norms": norms},
                               meta={**traj.meta, "activation": activation})


def compare(
    X,
    y,
    *,
    activations: Sequence[str] = ("sigmoid", "tanh", "relu"),
    **kwargs,
) -> dict[str, Trajectory]:
    """:func:`train` once per activation, same data, architecture, seed and learning rate."""
    if isinstance(activations, str) or not isinstance(activations, Sequence) \
            or len(activations) == 0:
        raise ValueError(f"activations must be a sequence naming at least one activation, "
                         f"not {activations!r:.80}")
    for a in activations:
        _checks.choice(a, "activations entries", ("sigmoid", "tanh", "relu"))
    allowed = set(inspect.signature(train).parameters) - {"X", "y", "activation"}
    unknown = sorted(set(kwargs) - allowed)
    if unknown:
        raise ValueError(f"compare takes the keyword arguments {sorted(allowed)} of train, "
                         f"got {unknown}")
    return {a: train(X, y, activation=a, **kwargs) for a in activations}
