"""A multilayer network of dense layers, trained by backpropagation (full-batch gradient descent).

Layer ``l = 1 .. L`` maps the previous activation ``a^(l-1)`` to

    z^(l) = W^(l) a^(l-1) + b^(l),       a^(l) = f_l(z^(l)),       a^(0) = x

with ``W^(l)`` of shape (n_l, n_{l-1}). For a batch the samples are rows: ``Z = A W^T + b``.
Backpropagation, with ``delta^(l) = dL/dz^(l)``:

    dL/dW^(l) = delta^(l) a^(l-1)^T          dL/db^(l) = delta^(l)
    delta^(l-1) = (W^(l)^T delta^(l)) * f'_{l-1}(z^(l-1))

Losses (mean over the n samples, summed over output units):

    mse  L = 1/n sum_i ||a^(L)_i - y_i||**2          delta^(L) = 2/n (a^(L) - y) * f'_L(z^(L))
    bce  L = -1/n sum_i [y log a + (1 - y) log(1 - a)],  sigmoid output only, computed from the
         logits; then delta^(L) = 1/n (a^(L) - y)  (the sigmoid's derivative cancels)

Parameters travel as a list of ``(W, b)`` pairs, or flattened as ``W1, b1, W2, b2, ...`` (row-major)
in a :class:`Trajectory`, whose ``meta["layer_sizes"]`` and ``meta["shapes"]`` let
:func:`params_at` rebuild the pairs.
"""
from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from mlv.algorithms import _checks
from mlv.algorithms.logistic_regression import _sigmoid as sigmoid
from mlv.algorithms.trajectory import Trajectory

ACTIVATIONS = ("sigmoid", "tanh", "relu", "identity")
LOSSES = ("mse", "bce")
INITS = ("auto", "xavier", "he")

Params = list[tuple[np.ndarray, np.ndarray]]


# ---------------------------------------------------------------------------------------------
# activations and losses

def activate(name: str, z) -> np.ndarray:
    """``f(z)`` for the activation called ``name``; ``z`` finite, any shape."""
    _checks.choice(name, "activation", ACTIVATIONS)
    z = _checks.array(z, "z", shape="(any shape)")
    if name == "sigmoid":
        return sigmoid(z)
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.maximum(z, 0.0)
    return z.copy()


def derivative(name: str, z) -> np.ndarray:
    """``f'(z)``: ``s (1 - s)``, ``1 - tanh**2``, ``1[z > 0]`` (0 at the kink), or 1; ``z`` finite,
    any shape."""
    _checks.choice(name, "activation", ACTIVATIONS)
    z = _checks.array(z, "z", shape="(any shape)")
    if name == "sigmoid":
        s = sigmoid(z)
        return s * (1.0 - s)
    if name == "tanh":
        return 1.0 - np.tanh(z) ** 2
    if name == "relu":
        return (z > 0).astype(float)
    return np.ones_like(z)


def _derivative(name: str, z: np.ndarray, a: np.ndarray) -> np.ndarray:
    """``f'(z)`` reusing ``a = f(z)`` where the formula allows (unchecked, for the inner loop)."""
    if name == "sigmoid":
        return a * (1.0 - a)
    if name == "tanh":
        return 1.0 - a * a
    if name == "relu":
        return (z > 0).astype(float)
    return np.ones_like(z)


def _output_loss_and_delta(loss: str, activation: str, z_out, a_out, Y):
    n = z_out.shape[0]
    if loss == "bce":
        return (float(np.sum(np.logaddexp(0.0, z_out) - Y * z_out) / n), (a_out - Y) / n)
    return (float(np.sum((a_out - Y) ** 2) / n),
            2.0 / n * (a_out - Y) * _derivative(activation, z_out, a_out))


# ---------------------------------------------------------------------------------------------
# parameters

def activations_for(n_layers: int, hidden: str = "tanh",
                    output: str = "sigmoid") -> tuple[str, ...]:
    """``(hidden, ..., hidden, output)``: one activation per layer."""
    n_layers = _checks.integer(n_layers, "n_layers", minimum=1)
    _checks.choice(hidden, "hidden_activation", ACTIVATIONS)
    _checks.choice(output, "output_activation", ACTIVATIONS)
    return (hidden,) * (n_layers - 1) + (output,)


def _sizes(layer_sizes) -> tuple[int, ...]:
    sizes = _checks.integers(layer_sizes, "layer_sizes", minimum=1)
    if len(sizes) < 2:
        raise ValueError(f"layer_sizes must list at least an input and an output size, got {sizes}")
    return sizes


def shapes(layer_sizes) -> tuple[tuple[int, ...], ...]:
    """``((n1, n0), (n1,), (n2, n1), (n2,), ...)``: the shape of every array, W then b per layer."""
    sizes = _sizes(layer_sizes)
    out = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        out += [(n_out, n_in), (n_out,)]
    return tuple(out)


def init_params(layer_sizes, *, random_state=0, init: str = "xavier") -> Params:
    """Random weights, zero biases.

    Parameters
    ----------
    layer_sizes : sequence of int
        ``(n_inputs, hidden..., n_outputs)``.
    random_state : int or numpy.random.Generator
    init : ``"xavier"`` or ``"he"``
        Weights ~ Normal(0, 2 / (n_in + n_out)) (Glorot) or Normal(0, 2 / n_in) (He, for ReLU).

    Returns
    -------
    list of (W of shape (n_out, n_in), b of shape (n_out,))
    """
    sizes = _sizes(layer_sizes)
    _checks.choice(init, "init", ("xavier", "he"))
    rng = _checks.rng(random_state)
    params = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        var = 2.0 / (n_in + n_out) if init == "xavier" else 2.0 / n_in
        params.append((np.sqrt(var) * rng.standard_normal((n_out, n_in)), np.zeros(n_out)))
    return params


def _pairs(params, name: str = "params") -> Params:
    """``params`` checked: a non-empty sequence of ``(W, b)`` pairs of finite arrays, ``W`` of shape
    (n_out, n_in) and ``b`` of shape (n_out,), each layer's n_in the previous layer's n_out."""
    if isinstance(params, (str, bytes, np.ndarray)) or not isinstance(params, Sequence) \
            or len(params) < 1:
        raise ValueError(f"{name} must be a non-empty list of (W, b) pairs, not {params!r:.80}")
    out: Params = []
    for l, pair in enumerate(params, start=1):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise ValueError(f"{name} must be a list of (W, b) pairs; layer {l} is {pair!r:.60}")
        W = _checks.array(pair[0], f"{name} W{l}", ndim=2, shape="(n_out, n_in)", min_size=1)
        b = _checks.array(pair[1], f"{name} b{l}", ndim=1, shape=f"({W.shape[0]},)")
        if b.shape != (W.shape[0],):
            raise ValueError(f"{name} b{l} must have shape ({W.shape[0]},) to match W{l} "
                             f"{W.shape}, got {b.shape}")
        if out and W.shape[1] != out[-1][0].shape[0]:
            raise ValueError(f"{name} W{l} must have {out[-1][0].shape[0]} columns (the width of "
                             f"layer {l - 1}), got shape {W.shape}")
        out.append((W, b))
    return out


def flatten(params: Params) -> np.ndarray:
    """``W1, b1, W2, b2, ...`` concatenated (row-major), shape (n_params,)."""
    return _flatten(_pairs(params))


def _flatten(params) -> np.ndarray:
    return np.concatenate([a.ravel() for W, b in params for a in (W, b)])


def unflatten(vector, layer_sizes) -> Params:
    """The inverse of :func:`flatten`."""
    vector = _checks.array(vector, "vector", ndim=1, shape="(n_params,)")
    shp = shapes(layer_sizes)
    total = sum(math.prod(s) for s in shp)
    if vector.shape != (total,):
        raise ValueError(f"vector must have shape ({total},) for layer_sizes {tuple(layer_sizes)}, "
                         f"got {vector.shape}")
    arrays, start = [], 0
    for s in shp:
        size = math.prod(s)
        arrays.append(vector[start:start + size].reshape(s))
        start += size
    return list(zip(arrays[::2], arrays[1::2]))


def params_at(traj: Trajectory, k: int) -> Params:
    """The ``(W, b)`` pairs at recorded step ``k`` of a :func:`train` trajectory."""
    if not isinstance(traj, Trajectory) or "layer_sizes" not in traj.meta:
        raise ValueError(f"traj must be a Trajectory from network.train or network.fit, "
                         f"not {traj!r:.80}")
    return unflatten(traj.params[traj.index(k)], traj.meta["layer_sizes"])


def _check_params(params, activations, n_features: int | None = None,
                  x_name: str = "X") -> tuple[Params, tuple[str, ...]]:
    params = _pairs(params)
    if isinstance(activations, str) or not isinstance(activations, Sequence):
        raise ValueError(f"activations must be a sequence of activation names, "
                         f"not {activations!r:.80}")
    if len(params) != len(activations):
        raise ValueError(f"activations must have one entry per layer ({len(params)}), "
                         f"got {len(activations)}")
    for name in activations:
        _checks.choice(name, "activations entries", ACTIVATIONS)
    if n_features is not None and params[0][0].shape[1] != n_features:
        raise ValueError(f"{x_name} must have {params[0][0].shape[1]} features for these params, "
                         f"got {n_features}")
    return params, tuple(activations)


def _targets(Y, n: int, n_out: int, loss: str, name: str = "y") -> np.ndarray:
    Y = _checks.array(Y, name, shape=f"({n},) or ({n}, {n_out})")
    if Y.ndim == 1:
        Y = Y[:, None]
    if Y.shape != (n, n_out):
        raise ValueError(f"{name} must have shape ({n},) or ({n}, {n_out}), got {Y.shape}")
    if loss == "bce" and np.any((Y < 0) | (Y > 1)):
        raise ValueError(f"{name} must lie in [0, 1] for the bce loss")
    return Y


# ---------------------------------------------------------------------------------------------
# forward and backward

def forward(params: Params, X, activations: Sequence[str]):
    """The forward pass of a batch.

    Returns
    -------
    pre_activations : list of L arrays, ``z^(l)`` of shape (n, n_l), l = 1..L
    activations : list of L + 1 arrays, ``a^(l)`` of shape (n, n_l), l = 0..L (``a^(0) = X``)
    """
    return _checked_forward(params, X, activations, "X")


def _checked_forward(params, X, activations, x_name: str):
    X = _checks.samples(X, x_name)
    params, activations = _check_params(params, activations, X.shape[1], x_name)
    with np.errstate(over="ignore", invalid="ignore"):
        zs, As = _forward(params, X, activations)
    _checks.result(np.concatenate([a.ravel() for a in zs + As]), "the forward pass",
                   f"{x_name} or params are")
    return zs, As


def _forward(params, X, activations):
    zs, As = [], [X]
    for (W, b), name in zip(params, activations):
        z = As[-1] @ W.T + b
        zs.append(z)
        As.append(sigmoid(z) if name == "sigmoid" else np.tanh(z) if name == "tanh"
                  else np.maximum(z, 0.0) if name == "relu" else z)
    return zs, As


@dataclass(frozen=True)
class Pass:
    """One forward and backward pass.

    Attributes
    ----------
    loss : float
    pre_activations : tuple of L arrays
        ``z^(1) .. z^(L)``, each (n, n_l), or (n_l,) from :func:`forward_backward`.
    activations : tuple of L + 1 arrays
        ``a^(0) = x .. a^(L)``.
    deltas : tuple of L arrays
        ``delta^(l) = dL/dz^(l)``.
    grads : tuple of L pairs
        ``(dL/dW^(l), dL/db^(l))``, shapes as the parameters.
    """

    loss: float
    pre_activations: tuple
    activations: tuple
    deltas: tuple
    grads: tuple


def _backward(params, X, Y, activations, loss) -> Pass:
    zs, As = _forward(params, X, activations)
    value, delta = _output_loss_and_delta(loss, activations[-1], zs[-1], As[-1], Y)
    deltas, grads = [delta], []
    for l in range(len(params) - 1, -1, -1):
        W = params[l][0]
        grads.append((deltas[0].T @ As[l], deltas[0].sum(axis=0)))
        if l > 0:
            deltas.insert(0, (deltas[0] @ W) * _derivative(activations[l - 1], zs[l - 1], As[l]))
    return Pass(value, tuple(zs), tuple(As), tuple(deltas), tuple(grads[::-1]))


def backward(params: Params, X, Y, activations: Sequence[str], loss: str) -> Pass:
    """Loss and gradients of a batch by backpropagation.

    Parameters
    ----------
    params : list of (W, b)
    X : array_like of shape (n, n_0)
    Y : array_like of shape (n,) or (n, n_L)
    activations : sequence of L str
    loss : ``"mse"`` or ``"bce"`` (bce needs a sigmoid output layer)
    """
    return _checked_backward(params, X, Y, activations, loss, ("X", "Y"))


def _checked_backward(params, X, Y, activations, loss, names: tuple[str, str]) -> Pass:
    X = _checks.samples(X, names[0])
    params, activations = _check_params(params, activations, X.shape[1], names[0])
    loss = _loss_name(loss, activations[-1])
    Y = _targets(Y, X.shape[0], params[-1][0].shape[0], loss, names[1])
    with np.errstate(over="ignore", invalid="ignore"):
        p = _backward(params, X, Y, activations, loss)
    if not (finite(p) and _checks.finite(*p.pre_activations, *p.activations, *p.deltas)):
        raise _checks.Overflow(f"the backward pass is not finite (float64 overflowed): "
                               f"{names[0]}, {names[1]} or params are too large")
    return p


def forward_backward(params: Params, x, y, activations: Sequence[str], loss: str) -> Pass:
    """One full forward and backward pass for a single input (the backpropagation scene).

    Parameters
    ----------
    x : array_like of shape (n_0,)
    y : float or array_like of shape (n_L,)

    Returns
    -------
    Pass
        With every activation, pre-activation and delta a vector (the batch axis dropped); grads
        are full-shape, and ``dL/dW^(l)`` is the outer product ``delta^(l) a^(l-1)^T``.
    """
    x = _checks.array(x, "x", ndim=1, shape="(n_inputs,)", min_size=1)
    y = _checks.array(y, "y", shape="() or (n_outputs,)")
    if y.ndim > 1:
        raise ValueError(f"y must be a number or 1-D (n_outputs,), got shape {y.shape}")
    y = np.atleast_1d(y)
    p = _checked_backward(params, x[None, :], y[None, :], activations, loss, ("x", "y"))
    return Pass(p.loss, tuple(z[0] for z in p.pre_activations),
                tuple(a[0] for a in p.activations), tuple(d[0] for d in p.deltas), p.grads)


def _loss_name(loss: str, output_activation: str) -> str:
    _checks.choice(loss, "loss", LOSSES)
    if loss == "bce" and output_activation != "sigmoid":
        raise ValueError(f"loss 'bce' needs output_activation 'sigmoid', got {output_activation!r}")
    return loss


def predict(params: Params, X, activations: Sequence[str]) -> np.ndarray:
    """The network's output ``a^(L)``, shape (n, n_L)."""
    return _checked_forward(params, X, activations, "X")[1][-1]


def layer_transforms(params: Params, points, activations: Sequence[str]) -> dict[str, np.ndarray]:
    """Points carried through every layer (the ``space-transformation`` scene).

    Parameters
    ----------
    points : array_like of shape (m, n_0)
        Data, or the vertices of a grid of input points.

    Returns
    -------
    dict of str to ndarray, in order ``"a0", "z1", "a1", "z2", "a2", ...``
        ``a0`` the points, ``z{l}`` after layer l's affine map (m, n_l), ``a{l}`` after its
        non-linearity (m, n_l).
    """
    zs, As = _checked_forward(params, points, activations, "points")
    out = {"a0": As[0]}
    for l, (z, a) in enumerate(zip(zs, As[1:]), start=1):
        out[f"z{l}"], out[f"a{l}"] = z, a
    return out


def decision_grid(params: Params, x_values, y_values, activations: Sequence[str],
                  output: int = 0) -> np.ndarray:
    """The network's output unit ``output`` over a grid of 2-D inputs (probability for a sigmoid
    output; the decision boundary is its 0.5 contour).

    Returns
    -------
    ndarray of shape (n_y, n_x)
        ``out[j, i] = net(x_values[i], y_values[j])[output]``.
    """
    xs = _checks.vector(x_values, "x_values")
    ys = _checks.vector(y_values, "y_values")
    params, activations = _check_params(params, activations)
    output = _checks.integer(output, "output", maximum=params[-1][0].shape[0] - 1)
    GX, GY = np.meshgrid(xs, ys)
    out = _checked_forward(params, np.column_stack([GX.ravel(), GY.ravel()]), activations,
                           "x_values and y_values (the grid)")[1][-1]
    return out[:, output].reshape(GX.shape)


# ---------------------------------------------------------------------------------------------
# training

def descend(params: Params, X, Y, activations, loss, learning_rate: float,
            epochs: int) -> Iterator[tuple[int, Params, Pass]]:
    """Full-batch gradient descent, one ``(epoch, params, pass)`` per epoch ``0 .. epochs`` (the
    pass is at ``params``, before that epoch's update): the loop :func:`fit` and the other trainers
    share. Only finite states are yielded: a run whose weights, loss or gradients overflow ends
    early, after its last finite state (then the last epoch yielded is below ``epochs``)."""
    X = _checks.samples(X)
    params, acts = _check_params(params, activations, X.shape[1])
    loss = _loss_name(loss, acts[-1])
    Y = _targets(Y, X.shape[0], params[-1][0].shape[0], loss, "Y")
    eta = _checks.positive(learning_rate, "learning_rate")
    epochs = _checks.integer(epochs, "epochs")
    return _descend(params, X, Y, acts, loss, eta, epochs)


def _descend(params, X, Y, activations, loss, learning_rate, epochs):
    for t in range(epochs + 1):
        with np.errstate(over="ignore", invalid="ignore"):
            p = _backward(params, X, Y, activations, loss)
        if not (finite(p) and all(_checks.finite(W, b) for W, b in params)):
            return
        yield t, params, p
        with np.errstate(over="ignore", invalid="ignore"):
            params = [(W - learning_rate * dW, b - learning_rate * db)
                      for (W, b), (dW, db) in zip(params, p.grads)]


def finite(p: Pass) -> bool:
    """Whether a pass's loss and every gradient are finite (a diverging run stops before one that
    is not)."""
    if not isinstance(p, Pass):
        raise ValueError(f"p must be a Pass (from backward or forward_backward), not {p!r:.80}")
    return bool(np.isfinite(p.loss)) and all(np.isfinite(dW).all() and np.isfinite(db).all()
                                             for dW, db in p.grads)


def train(
    X,
    y,
    *,
    hidden: Sequence[int] = (8,),
    hidden_activation: str = "tanh",
    output_activation: str | None = None,
    loss: str = "bce",
    learning_rate: float,
    epochs: int,
    random_state=0,
    init: str = "auto",
    params0: Params | None = None,
    record_every: int = 1,
) -> Trajectory:
    """Train a dense network by full-batch gradient descent with backpropagation.

    Parameters
    ----------
    X : array_like of shape (n, n_0)
    y : array_like of shape (n,) or (n, n_L)
        Targets (in [0, 1] for ``bce``).
    hidden : sequence of int
        Widths of the hidden layers (may be empty: a single dense layer).
    hidden_activation : str
        ``"sigmoid"``, ``"tanh"``, ``"relu"`` or ``"identity"``.
    output_activation : str, optional
        Default ``"sigmoid"`` for ``bce`` and ``"identity"`` for ``mse``.
    loss : ``"bce"`` or ``"mse"``
    learning_rate : float
        eta > 0.
    epochs : int
        Number of updates.
    random_state : int or numpy.random.Generator
        Seed of the initial weights.
    init : ``"auto"``, ``"xavier"`` or ``"he"``
        ``"auto"`` is He for ReLU hidden layers and Xavier otherwise.
    params0 : list of (W, b), optional
        Start from these weights instead (then ``random_state`` and ``init`` are unused).
    record_every : int
        Record every k-th epoch (the first and last are always recorded).

    Returns
    -------
    Trajectory
        ``params`` (n_recorded, n_params): the weights flattened ``W1, b1, W2, ...`` (names
        ``W1[i,j]``, ``b1[i]``, ...); ``loss``; ``grads`` flattened the same way.
        ``extras["accuracy"]`` (n_recorded,) when ``y`` is a single column of 0/1 labels (output
        thresholded at 0.5); ``extras["X"]``, ``extras["y"]`` the data (y as (n, n_L)). ``meta``:
        ``layer_sizes``, ``shapes``, ``activations``, ``loss``, ``learning_rate``, ``epochs``,
        ``init``, ``random_state`` (None when given as a Generator or with ``params0``),
        ``diverged``.
    """
    X = _checks.samples(X)
    _checks.choice(loss, "loss", LOSSES)
    if output_activation is None:
        output_activation = "sigmoid" if loss == "bce" else "identity"
    hidden = _checks.integers(hidden, "hidden widths", minimum=1)
    y_arr = _checks.array(y, "y", shape=f"({X.shape[0]},) or ({X.shape[0]}, n_outputs)")
    if y_arr.ndim not in (1, 2) or (y_arr.ndim == 2 and y_arr.shape[1] < 1):
        raise ValueError(f"y must have shape ({X.shape[0]},) or ({X.shape[0]}, n_outputs), "
                         f"got {y_arr.shape}")
    n_out = 1 if y_arr.ndim == 1 else y_arr.shape[1]
    sizes = (X.shape[1], *hidden, n_out)
    acts = activations_for(len(sizes) - 1, hidden_activation, output_activation)
    _checks.choice(init, "init", INITS)
    if init == "auto":
        init = "he" if hidden_activation == "relu" else "xavier"
    if params0 is None:
        params0 = init_params(sizes, random_state=random_state, init=init)
        seed = int(random_state) if isinstance(random_state, (int, np.integer)) else None
    else:
        _checks.rng(random_state)                # unused with params0, but still an argument
        given = tuple(np.shape(a) for pair in _pairs(params0, "params0") for a in pair)
        if given != shapes(sizes):
            raise ValueError(f"params0 must be (W, b) pairs of shapes {shapes(sizes)} for "
                             f"layer_sizes {sizes}, got {given}")
        seed, init = None, "given"
    return fit(params0, X, y, acts, loss, learning_rate=learning_rate, epochs=epochs,
               record_every=record_every, meta={"init": init, "random_state": seed})


def param_names(layer_sizes) -> tuple[str, ...]:
    """``W1[i,j]`` and ``b1[i]`` for every entry, in :func:`flatten` order."""
    sizes = _sizes(layer_sizes)
    names = []
    for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        names += [f"W{l}[{i},{j}]" for i in range(n_out) for j in range(n_in)]
        names += [f"b{l}[{i}]" for i in range(n_out)]
    return tuple(names)


def fit(
    params0: Params,
    X,
    y,
    activations: Sequence[str],
    loss: str,
    *,
    learning_rate: float,
    epochs: int,
    record_every: int = 1,
    meta: dict | None = None,
) -> Trajectory:
    """Gradient descent from given weights with one activation per layer (what :func:`train` and
    the autoencoder use); returns the Trajectory described in :func:`train`. ``meta`` entries are
    added to the trajectory's."""
    X = _checks.samples(X)
    eta = _checks.positive(learning_rate, "learning_rate")
    epochs = _checks.integer(epochs, "epochs")
    record_every = _checks.integer(record_every, "record_every", minimum=1)
    if meta is not None and (not isinstance(meta, Mapping)
                             or not all(isinstance(k, str) for k in meta)):
        raise ValueError(f"meta must be a mapping with string keys, not {meta!r:.80}")
    pairs = _pairs(params0, "params0")
    sizes = (pairs[0][0].shape[1], *(W.shape[0] for W, _ in pairs))
    params = unflatten(_flatten(pairs), sizes)
    params, acts = _check_params(params, activations, X.shape[1])
    loss = _loss_name(loss, acts[-1])
    Y = _targets(y, X.shape[0], sizes[-1], loss)
    binary = Y.shape[1] == 1 and bool(np.all(np.isin(Y, (0.0, 1.0))))

    def row(t, p_t, p):
        acc = float(np.mean((p.activations[-1] >= 0.5) == (Y == 1))) if binary else np.nan
        return t, _flatten(p_t), p.loss, _flatten(p.grads), acc

    rows: list[tuple] = []
    last: tuple | None = None
    for t, p_t, p in _descend(params, X, Y, acts, loss, eta, epochs):
        last = (t, p_t, p)
        if _checks.recorded(t, epochs, record_every):
            rows.append(row(*last))
    if last is None:
        raise ValueError("params0, X or y are too large: the loss or its gradients at the start "
                         "overflow float64")
    diverged = last[0] < epochs               # the run ended early, after its last finite state
    if rows[-1][0] != last[0]:
        rows.append(row(*last))
    steps, P, L, G, acc = (np.array(col) for col in zip(*rows))
    extras = {"X": X, "y": Y}
    if binary:
        extras["accuracy"] = acc
    return Trajectory(params=P, loss=L, grads=G, param_names=param_names(sizes), steps=steps,
                      extras=extras,
                      meta={"layer_sizes": sizes, "shapes": shapes(sizes), "activations": acts,
                            "loss": loss, "learning_rate": eta, "epochs": epochs,
                            "diverged": diverged, **(meta or {})})
