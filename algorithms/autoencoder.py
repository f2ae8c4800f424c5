"""An autoencoder squeezing data through a 2-D code, trained on the reconstruction MSE.

    encoder  x -> ... -> code (2 units, identity activation)
    decoder  code -> ... -> x_hat (identity output)
    L = 1/n sum_i ||x_hat_i - x_i||**2,        dL/dx_hat = 2/n (x_hat - x)

It is a :mod:`algorithms.network` trained with the inputs as targets. The *linear* variant
(``x -> code -> x_hat``, no hidden layers, identity activations) under MSE has its optimum where
the decoder's columns span the same subspace as PCA's top ``code_dim`` components (Baldi & Hornik,
1989): the weights themselves are not the principal axes (any invertible mixing of the code is as
good), only their span is. :func:`principal_angles` measures how close two spans are.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from mlv.algorithms import _checks, network
from mlv.algorithms.trajectory import Trajectory


def layer_sizes(n_features: int, code_dim: int = 2,
                hidden: Sequence[int] = (8,)) -> tuple[int, ...]:
    """``(d, *hidden, code_dim, *reversed(hidden), d)``."""
    n_features = _checks.integer(n_features, "n_features", minimum=1)
    code_dim = _checks.integer(code_dim, "code_dim", minimum=1)
    hidden = _checks.integers(hidden, "hidden widths", minimum=1)
    return (n_features, *hidden, code_dim, *hidden[::-1], n_features)


def _autoencoder(traj) -> Trajectory:
    if not isinstance(traj, Trajectory) or "code_layer" not in traj.meta:
        raise ValueError(f"traj must be a Trajectory from autoencoder.train, not {traj!r:.80}")
    return traj


def code_layer(traj: Trajectory) -> int:
    """Index ``l`` of the code layer: ``a^(l)`` is the code."""
    return int(_autoencoder(traj).meta["code_layer"])


def encode(traj: Trajectory, k: int, X) -> np.ndarray:
    """Codes of ``X`` under the weights at recorded step ``k``, shape (n, code_dim)."""
    l = code_layer(traj)
    params = network.params_at(traj, k)
    return network.forward(params[:l], X, traj.meta["activations"][:l])[1][-1]


def reconstruct(traj: Trajectory, k: int, X) -> np.ndarray:
    """``x_hat`` for ``X`` under the weights at recorded step ``k``, shape (n, d)."""
    traj = _autoencoder(traj)
    return network.predict(network.params_at(traj, k), X, traj.meta["activations"])


def decoder_basis(traj: Trajectory, k: int = -1) -> np.ndarray:
    """For the linear autoencoder: the decoder's weight matrix ``W`` of shape (d, code_dim), whose
    columns span the learned subspace."""
    if _autoencoder(traj).meta.get("linear") is not True:
        raise ValueError("decoder_basis needs a linear autoencoder (linear=True)")
    return network.params_at(traj, k)[-1][0]


def principal_angles(A, B) -> np.ndarray:
    """Principal angles (radians, ascending) between the column spans of ``A`` (d, p) and ``B``
    (d, q): ``arccos`` of the singular values of ``Q_A^T Q_B``. All zero iff the spans coincide
    (for p = q). Both must have full column rank (p, q <= d, independent columns): the span of a
    rank-deficient matrix has fewer dimensions than its columns, and QR would pad it with an
    arbitrary direction."""
    A = _checks.array(A, "A", ndim=2, shape="(d, p)", min_size=1)
    B = _checks.array(B, "B", ndim=2, shape="(d, q)", min_size=1)
    if A.shape[0] != B.shape[0]:
        raise ValueError(f"A and B must have the same number of rows, got {A.shape} and {B.shape}")
    for name, M in (("A", A), ("B", B)):
        _checks.not_too_large(M, name, M.size)
        rank = np.linalg.matrix_rank(M)
        if rank < M.shape[1]:
            raise ValueError(f"{name} must have full column rank ({M.shape[1]} independent "
                             f"columns of length {M.shape[0]}), got rank {rank}")
    qa, _ = np.linalg.qr(A)
    qb, _ = np.linalg.qr(B)
    s = np.linalg.svd(qa.T @ qb, compute_uv=False)
    return np.sort(np.arccos(np.clip(s, -1.0, 1.0)))


def train(
    X,
    *,
    code_dim: int = 2,
    hidden: Sequence[int] = (8,),
    activation: str = "tanh",
    linear: bool = False,
    learning_rate: float,
    epochs: int,
    random_state=0,
    record_every: int = 1,
) -> Trajectory:
    """Train an autoencoder by full-batch gradient descent on the reconstruction MSE.

    Parameters
    ----------
    X : array_like of shape (n, d)
        Data (standardise it first if the features have very different scales).
    code_dim : int
        Width of the code layer (2 for the scenes).
    hidden : sequence of int
        Encoder hidden widths (the decoder mirrors them); ignored when ``linear``.
    activation : str
        Activation of the hidden layers; ignored when ``linear``.
    linear : bool
        ``x -> code -> x_hat`` with identity activations: the PCA-equivalent autoencoder.
    learning_rate : float
    epochs : int
    random_state : int or numpy.random.Generator
        Seed of the initial weights (Xavier).
    record_every : int
        Record every k-th epoch (the first and last are always recorded).

    Returns
    -------
    Trajectory
        As :func:`algorithms.network.train` (``loss`` the reconstruction MSE), plus
        ``extras["codes"]`` of shape (n_recorded, n, code_dim): every point's code at each recorded
        epoch; ``meta["code_layer"]``, ``meta["code_dim"]``, ``meta["linear"]``.
    """
    X = _checks.samples(X)
    code_dim = _checks.integer(code_dim, "code_dim", minimum=1)
    if code_dim >= X.shape[1]:
        raise ValueError(f"code_dim must be smaller than the number of features ({X.shape[1]}), "
                         f"got {code_dim}")
    linear = _checks.boolean(linear, "linear")
    if linear:
        hidden, activation = (), "identity"
    _checks.choice(activation, "activation", network.ACTIVATIONS)
    hidden = _checks.integers(hidden, "hidden widths", minimum=1)
    sizes = layer_sizes(X.shape[1], code_dim, hidden)
    acts = ((activation,) * len(hidden) + ("identity",)
            + (activation,) * len(hidden) + ("identity",))
    params0 = network.init_params(sizes, random_state=random_state, init="xavier")
    seed = int(random_state) if isinstance(random_state, (int, np.integer)) else None
    traj = network.fit(params0, X, X, acts, "mse", learning_rate=learning_rate, epochs=epochs,
                       record_every=record_every,
                       meta={"init": "xavier", "random_state": seed, "code_dim": code_dim,
                             "code_layer": len(hidden) + 1, "linear": bool(linear)})
    l = len(hidden) + 1                       # the code layer (every recorded state is finite)
    codes = np.array([network._forward(network.params_at(traj, k)[:l], X, acts[:l])[1][-1]
                      for k in range(len(traj))])
    return dataclasses.replace(traj, extras={"X": X, "codes": codes})
