"""Softmax, scaled dot-product attention and a small transformer block, trained by full-batch
gradient descent (chapter 5).

Softmax of scores ``z`` (any shape, over the last axis), computed in its stable form:

    softmax(z)_i = exp(z_i - m) / sum_j exp(z_j - m),      m = max_j z_j

(the same value as ``exp(z_i) / sum_j exp(z_j)``, which overflows float64 once a score passes
about 709). Its Jacobian is ``ds_i/dz_j = s_i (delta_ij - s_j)``; with cross-entropy on the
softmax of logits the gradient in the logits is ``p - y``.

Scaled dot-product attention of queries ``Q`` (m, d), keys ``K`` (n, d) and values ``V`` (n, d_v):

    S = Q K^T / sqrt(d),      A = softmax(S) (row by row),      out = A V

The models read a sequence of ``T`` input vectors whose LAST row is the query token; only the
query position's output is computed (it is the only one the loss reads, as for the last token of
a causal model). With ``E = X W_E^T`` (or ``E = X`` without an embedding) and ``e_q`` its last row:

    q = W_Q e_q,   k_t = W_K e_t,   v_t = W_V e_t,   a = softmax(q . k_t / sqrt(d)),
    o = sum_t a_t v_t
    h1 = e_q + o  (residual; else h1 = o),        u1 = LN(h1)  (layer norm; else u1 = h1)
    MLP:  m = W_2 relu(W_1 u1 + b_1) + b_2,   h2 = u1 + m (residual; else m),   u2 = LN(h2)
    logits = W_O u2,     L = mean cross-entropy of softmax(logits) against the targets

``LN(h) = (h - mean h) / sqrt(var h + eps)``, without a learned gain or bias. An
:class:`Architecture` switches each part on or off: the one-layer attention model is
``Architecture()`` (no embedding, no residual, no layer norm, no MLP); the transformer block is
``Architecture(embed=True, residual=True, layer_norm=True, mlp=True)``; its ablations drop the
residual connections or the layer norms.

Parameters travel as a dict of named arrays in :func:`param_order`; a :class:`Trajectory` holds
them flattened in that order, and :func:`params_at` rebuilds the dict.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from mlv.algorithms import _checks
from mlv.algorithms.trajectory import Trajectory

LN_EPS = 1e-5

Params = dict[str, np.ndarray]


# ---------------------------------------------------------------------------------------------
# softmax and cross-entropy

def softmax(z, *, temperature: float = 1.0) -> np.ndarray:
    """The stable softmax of ``z / temperature`` over the last axis (the maximum subtracted first).

    Parameters
    ----------
    z : array_like of shape (..., k)
        Finite scores.
    temperature : float
        T > 0: large T flattens the distribution, small T sharpens it towards the arg max.
    """
    z = _checks.array(z, "z", shape="(..., k)", min_size=1)
    if z.ndim < 1:
        raise ValueError("z must have at least one axis (the scores)")
    t = _checks.positive(temperature, "temperature")
    return _softmax(z / t)


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def naive_softmax(z) -> np.ndarray:
    """``exp(z) / sum exp(z)`` exactly as written, WITHOUT subtracting the maximum: the textbook
    form the stable one replaces. Scores above about 709 overflow ``exp`` to inf and the result
    holds NaN (inf / inf); it is returned as computed, so the lesson can show it."""
    z = _checks.array(z, "z", shape="(..., k)", min_size=1)
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(z)
        return e / np.sum(e, axis=-1, keepdims=True)


def exp_overflows(z) -> np.ndarray:
    """Whether ``exp`` of each score overflows float64 (the entries the naive form loses)."""
    z = _checks.array(z, "z", shape="(..., k)", min_size=1)
    with np.errstate(over="ignore"):
        return ~np.isfinite(np.exp(z))


def softmax_jacobian(s) -> np.ndarray:
    """``J[i, j] = ds_i/dz_j = s_i (delta_ij - s_j)`` at the softmax output ``s`` (shape (k,)),
    i.e. ``diag(s) - s s^T``."""
    s = _checks.vector(s, "s")
    return np.diag(s) - np.outer(s, s)


def log_softmax(z) -> np.ndarray:
    """``z - logsumexp(z)`` over the last axis (stable)."""
    z = _checks.array(z, "z", shape="(..., k)", min_size=1)
    m = np.max(z, axis=-1, keepdims=True)
    return z - m - np.log(np.sum(np.exp(z - m), axis=-1, keepdims=True))


def _targets(y, n: int, k: int) -> np.ndarray:
    raw = np.asarray(y)
    if raw.shape != (n,) or raw.dtype.kind not in "iu":
        raise ValueError(f"targets must be {n} integer class indices, got {raw.dtype} of shape "
                         f"{raw.shape}")
    if n and (raw.min() < 0 or raw.max() >= k):
        raise ValueError(f"targets must lie in 0 .. {k - 1}, got {raw.min()} .. {raw.max()}")
    return raw.astype(np.intp)


def cross_entropy(logits, targets) -> float:
    """Mean cross-entropy ``-1/n sum_i log softmax(logits_i)[y_i]``; ``logits`` (n, k), ``targets``
    (n,) integer classes."""
    z = _checks.samples(logits, "logits")
    y = _targets(targets, z.shape[0], z.shape[1])
    return float(-np.mean(log_softmax(z)[np.arange(len(y)), y]))


def cross_entropy_grad(logits, targets) -> np.ndarray:
    """``dL/dlogits = (softmax(logits) - onehot(y)) / n`` for :func:`cross_entropy`."""
    z = _checks.samples(logits, "logits")
    y = _targets(targets, z.shape[0], z.shape[1])
    g = _softmax(z)
    g[np.arange(len(y)), y] -= 1.0
    return g / len(y)


# ---------------------------------------------------------------------------------------------
# attention

def attention(Q, K, V, *, scaled: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Dot-product attention ``softmax(Q K^T / sqrt(d)) V``.

    Parameters
    ----------
    Q : array_like of shape (..., m, d)
    K : array_like of shape (..., n, d)
    V : array_like of shape (..., n, d_v)
    scaled : bool
        Divide the scores by ``sqrt(d)`` (default), or not.

    Returns
    -------
    out : ndarray of shape (..., m, d_v)
    weights : ndarray of shape (..., m, n)
        Row ``i`` is query ``i``'s distribution over the keys (sums to 1).
    """
    Q = _checks.array(Q, "Q", shape="(..., m, d)", min_size=1)
    K = _checks.array(K, "K", shape="(..., n, d)", min_size=1)
    V = _checks.array(V, "V", shape="(..., n, d_v)", min_size=1)
    _checks.boolean(scaled, "scaled")
    if Q.ndim < 2 or K.ndim != Q.ndim or V.ndim != Q.ndim:
        raise ValueError(f"Q, K and V must have the same number (>= 2) of axes, got shapes "
                         f"{Q.shape}, {K.shape}, {V.shape}")
    if Q.shape[-1] != K.shape[-1] or K.shape[-2] != V.shape[-2]:
        raise ValueError(f"Q and K must share d and K and V the sequence length, got shapes "
                         f"{Q.shape}, {K.shape}, {V.shape}")
    scores = Q @ np.swapaxes(K, -1, -2)
    if scaled:
        scores = scores / math.sqrt(Q.shape[-1])
    weights = _checks.result(_softmax(scores), "the attention weights", "Q or K")
    return _checks.result(weights @ V, "the attention output", "V"), weights


def attention_backward(Q, K, V, d_out, *, scaled: bool = True):
    """Gradients ``(dQ, dK, dV)`` of ``sum(d_out * attention(Q, K, V)[0])``: the chain rule
    through ``out = A V``, the softmax's Jacobian row by row (``dS = A * (dA - sum(A dA))``), and
    ``S = Q K^T / sqrt(d)``."""
    out, A = attention(Q, K, V, scaled=scaled)
    G = _checks.array(d_out, "d_out", shape="(..., m, d_v)")
    if G.shape != out.shape:
        raise ValueError(f"d_out must have the output's shape {out.shape}, got {G.shape}")
    Q, K, V = (np.asarray(a, dtype=float) for a in (Q, K, V))
    dV = np.swapaxes(A, -1, -2) @ G
    dA = G @ np.swapaxes(V, -1, -2)
    dS = A * (dA - np.sum(A * dA, axis=-1, keepdims=True))
    if scaled:
        dS = dS / math.sqrt(Q.shape[-1])
    return dS @ K, np.swapaxes(dS, -1, -2) @ Q, dV


def self_attention(X, W_Q, W_K, W_V, *, scaled: bool = True):
    """Every row of ``X`` (n, d_in) attending to every row: ``attention(X W_Q^T, X W_K^T,
    X W_V^T)``; returns ``(out (n, d_v), weights (n, n))``. Without positions in ``X`` it is
    permutation-equivariant: ``self_attention(X[p])`` is ``self_attention(X)`` with its rows (and
    the weights' rows and columns) permuted by ``p``."""
    X = _checks.samples(X)
    mats = [_checks.array(W, name, ndim=2, shape="(d, d_in)")
            for W, name in ((W_Q, "W_Q"), (W_K, "W_K"), (W_V, "W_V"))]
    for W, name in zip(mats, ("W_Q", "W_K", "W_V")):
        if W.shape[1] != X.shape[1]:
            raise ValueError(f"{name} must have {X.shape[1]} columns (X's width), got {W.shape}")
    return attention(X @ mats[0].T, X @ mats[1].T, X @ mats[2].T, scaled=scaled)


def dot_product_variance(dims: Sequence[int], *, n_samples: int = 20000, random_state=0):
    """The measured variance of ``q . k`` and of ``q . k / sqrt(d)`` for ``q, k`` with independent
    standard normal entries, for each ``d`` in ``dims`` (the theory says ``d`` and 1).

    Returns
    -------
    raw, scaled : ndarray of shape (len(dims),)
    """
    dims = _checks.integers(dims, "dims", minimum=1)
    n_samples = _checks.integer(n_samples, "n_samples", minimum=2)
    rng = _checks.rng(random_state)
    raw = []
    for d in dims:
        q = rng.standard_normal((n_samples, d))
        k = rng.standard_normal((n_samples, d))
        raw.append(float(np.var(np.sum(q * k, axis=1), ddof=1)))
    raw_arr = np.array(raw)
    return raw_arr, raw_arr / np.array(dims, dtype=float)


def sinusoidal_encoding(n_positions: int, d: int) -> np.ndarray:
    """The sinusoidal positional encodings of "Attention is all you need", shape
    (n_positions, d): ``PE[t, 2i] = sin(t / 10000^(2i/d))``, ``PE[t, 2i+1] = cos(...)``."""
    n_positions = _checks.integer(n_positions, "n_positions", minimum=1)
    d = _checks.integer(d, "d", minimum=1)
    t = np.arange(n_positions)[:, None]
    i = np.arange(d)[None, :]
    angle = t / np.power(10000.0, (2 * (i // 2)) / d)
    return np.where(i % 2 == 0, np.sin(angle), np.cos(angle))


def layer_norm(h) -> np.ndarray:
    """``(h - mean) / sqrt(var + eps)`` over the last axis (no learned gain or bias)."""
    h = _checks.array(h, "h", shape="(..., d)", min_size=1)
    return _layer_norm(h)[0]


def _layer_norm(h: np.ndarray):
    mu = np.mean(h, axis=-1, keepdims=True)
    sd = np.sqrt(np.var(h, axis=-1, keepdims=True) + LN_EPS)
    return (h - mu) / sd, sd


def _layer_norm_backward(g: np.ndarray, xhat: np.ndarray, sd: np.ndarray) -> np.ndarray:
    return (g - np.mean(g, axis=-1, keepdims=True)
            - xhat * np.mean(g * xhat, axis=-1, keepdims=True)) / sd


# ---------------------------------------------------------------------------------------------
# the models

@dataclass(frozen=True)
class Architecture:
    """Which parts of the block a model has (all off: one attention layer and a readout)."""

    embed: bool = False
    residual: bool = False
    layer_norm: bool = False
    mlp: bool = False
    scaled: bool = True

    def __post_init__(self) -> None:
        for name in ("embed", "residual", "layer_norm", "mlp", "scaled"):
            _checks.boolean(getattr(self, name), name)
        if self.residual and not self.embed:
            raise ValueError("a residual connection adds the input to the attention output: it "
                             "needs the embedding (embed=True) so the widths match")

    @property
    def name(self) -> str:
        if not (self.embed or self.mlp or self.residual or self.layer_norm):
            return "attention"
        missing = [n for n, on in (("residual", self.residual), ("layer norm", self.layer_norm))
                   if not on]
        return "block" if not missing else "block without " + " and ".join(missing)


ATTENTION = Architecture()
BLOCK = Architecture(embed=True, residual=True, layer_norm=True, mlp=True)


def param_shapes(arch: Architecture, d_in: int, d_model: int, n_out: int,
                 d_hidden: int = 0) -> dict[str, tuple[int, ...]]:
    """The shape of every parameter, in :func:`param_order`."""
    d_e = d_model if arch.embed else d_in
    out: dict[str, tuple[int, ...]] = {}
    if arch.embed:
        out["W_E"] = (d_model, d_in)
    out |= {"W_Q": (d_model, d_e), "W_K": (d_model, d_e), "W_V": (d_model, d_e)}
    if arch.mlp:
        if d_hidden < 1:
            raise ValueError("an MLP needs d_hidden >= 1")
        out |= {"W_1": (d_hidden, d_model), "b_1": (d_hidden,), "W_2": (d_model, d_hidden),
                "b_2": (d_model,)}
    out["W_O"] = (n_out, d_model)
    return out


def param_order(shapes: Mapping[str, tuple[int, ...]]) -> tuple[str, ...]:
    return tuple(shapes)


def init_params(shapes: Mapping[str, tuple[int, ...]], *, random_state=0) -> Params:
    """Weights ``N(0, 1/fan_in)``, biases 0, drawn in :func:`param_order` from ``random_state``."""
    rng = _checks.rng(random_state)
    out = {}
    for name, shape in shapes.items():
        out[name] = (np.zeros(shape) if len(shape) == 1
                     else rng.standard_normal(shape) / math.sqrt(shape[1]))
    return out


def flatten(params: Params) -> np.ndarray:
    return np.concatenate([np.ravel(a) for a in params.values()])


def unflatten(vector, shapes: Mapping[str, tuple[int, ...]]) -> Params:
    v = np.asarray(vector, dtype=float)
    out, k = {}, 0
    for name, shape in shapes.items():
        size = int(np.prod(shape))
        out[name] = v[k:k + size].reshape(shape)
        k += size
    if k != v.size:
        raise ValueError(f"the vector has {v.size} entries; the shapes need {k}")
    return out


def param_names(shapes: Mapping[str, tuple[int, ...]]) -> tuple[str, ...]:
    return tuple(f"{name}[{','.join(map(str, idx))}]" for name, shape in shapes.items()
                 for idx in np.ndindex(*shape))


def params_at(traj: Trajectory, k: int) -> Params:
    """The parameters at recorded step ``k`` of a :func:`train` trajectory."""
    shapes = {name: tuple(shape) for name, shape in traj.meta["shapes"]}
    return unflatten(traj.params[traj.index(k)], shapes)


@dataclass(frozen=True)
class Forward:
    """One forward (and backward) pass of a model over a batch of N sequences of T rows."""

    loss: float
    logits: np.ndarray          # (N, n_out)
    weights: np.ndarray         # (N, T): the query's attention over the sequence
    grads: Params | None


def _check_model(params, X, arch: Architecture):
    X = _checks.array(X, "X", ndim=3, shape="(n_sequences, T, d_in)", min_size=1)
    if not isinstance(arch, Architecture):
        raise ValueError(f"arch must be an Architecture, not {arch!r:.80}")
    if not isinstance(params, Mapping):
        raise ValueError("params must be a dict of named arrays")
    need = ["W_Q", "W_K", "W_V", "W_O"] + (["W_E"] if arch.embed else []) \
        + (["W_1", "b_1", "W_2", "b_2"] if arch.mlp else [])
    missing = [n for n in need if n not in params]
    if missing:
        raise ValueError(f"params lacks {missing} for the {arch.name} model")
    p = {n: _checks.array(params[n], n) for n in need}
    d_in = X.shape[2]
    d_model = p["W_Q"].shape[0]
    n_out = p["W_O"].shape[0]
    d_hidden = p["W_1"].shape[0] if arch.mlp else 0
    want = param_shapes(arch, d_in, d_model, n_out, d_hidden)
    got = {n: p[n].shape for n in want}
    if got != want:
        raise ValueError(f"params must have shapes {want} for inputs of width {d_in}, got {got}")
    return {n: p[n] for n in want}, X


def forward(params: Params, X, arch: Architecture = ATTENTION, y=None, *,
            grads: bool = False) -> Forward:
    """The model on ``X`` (N, T, d_in), query in the last row; with targets ``y`` (N,) the mean
    cross-entropy (else NaN) and, with ``grads``, its gradient in every parameter."""
    p, X = _check_model(params, X, arch)
    n_out = p["W_O"].shape[0]
    Y = None if y is None else _targets(y, X.shape[0], n_out)
    if grads and Y is None:
        raise ValueError("gradients need the targets y")
    return _pass(p, X, arch, Y, grads)


def _pass(p: Params, X: np.ndarray, arch: Architecture, Y, want_grads: bool) -> Forward:
    N = X.shape[0]
    E = X @ p["W_E"].T if arch.embed else X
    eq = E[:, -1]
    d = p["W_Q"].shape[0]
    c = 1.0 / math.sqrt(d) if arch.scaled else 1.0
    q = eq @ p["W_Q"].T
    K = E @ p["W_K"].T
    V = E @ p["W_V"].T
    a = _softmax(np.einsum("nd,ntd->nt", q, K) * c)
    o = np.einsum("nt,ntd->nd", a, V)
    h1 = eq + o if arch.residual else o
    u1, sd1 = _layer_norm(h1) if arch.layer_norm else (h1, np.ones(1))
    if arch.mlp:
        z = u1 @ p["W_1"].T + p["b_1"]
        r = np.maximum(z, 0.0)
        m = r @ p["W_2"].T + p["b_2"]
        h2 = u1 + m if arch.residual else m
        u2, sd2 = _layer_norm(h2) if arch.layer_norm else (h2, np.ones(1))
    else:
        u2 = u1
    logits = u2 @ p["W_O"].T
    if Y is None:
        return Forward(float("nan"), logits, a, None)
    logp = logits - np.max(logits, axis=1, keepdims=True)
    logp = logp - np.log(np.sum(np.exp(logp), axis=1, keepdims=True))
    loss = float(-np.mean(logp[np.arange(N), Y]))
    if not want_grads:
        return Forward(loss, logits, a, None)

    g: Params = {}
    dlog = np.exp(logp)
    dlog[np.arange(N), Y] -= 1.0
    dlog /= N
    g["W_O"] = dlog.T @ u2
    du2 = dlog @ p["W_O"]
    if arch.mlp:
        dh2 = _layer_norm_backward(du2, u2, sd2) if arch.layer_norm else du2
        g["b_2"] = dh2.sum(axis=0)
        g["W_2"] = dh2.T @ r
        dz = (dh2 @ p["W_2"]) * (z > 0)
        g["W_1"] = dz.T @ u1
        g["b_1"] = dz.sum(axis=0)
        du1 = dz @ p["W_1"] + (dh2 if arch.residual else 0.0)
    else:
        du1 = du2
    dh1 = _layer_norm_backward(du1, u1, sd1) if arch.layer_norm else du1
    deq = dh1.copy() if arch.residual else np.zeros_like(eq)
    da = np.einsum("nd,ntd->nt", dh1, V)
    dV = a[:, :, None] * dh1[:, None, :]
    ds = a * (da - np.sum(a * da, axis=1, keepdims=True)) * c
    dq = np.einsum("nt,ntd->nd", ds, K)
    dK = ds[:, :, None] * q[:, None, :]
    g["W_Q"] = dq.T @ eq
    g["W_K"] = np.einsum("ntd,nte->de", dK, E)
    g["W_V"] = np.einsum("ntd,nte->de", dV, E)
    deq += dq @ p["W_Q"]
    dE = dK @ p["W_K"] + dV @ p["W_V"]
    dE[:, -1] += deq
    if arch.embed:
        g["W_E"] = np.einsum("nte,ntf->ef", dE, X)
    return Forward(loss, logits, a, {n: g[n] for n in p})


def accuracy(params: Params, X, y, arch: Architecture = ATTENTION) -> float:
    """The share of sequences whose arg-max logit is the target."""
    f = forward(params, X, arch)
    Y = _targets(y, f.logits.shape[0], f.logits.shape[1])
    return float(np.mean(np.argmax(f.logits, axis=1) == Y))


# ---------------------------------------------------------------------------------------------
# the toy tasks

@dataclass(frozen=True)
class Task:
    """A batch of sequences and the token each one must output.

    Attributes
    ----------
    X : ndarray of shape (n_sequences, T, d_in)
        The input vectors; the last row of each sequence is the query token.
    y : ndarray of shape (n_sequences,)
        The target class (an index into the output vocabulary).
    answer_at : ndarray of shape (n_sequences,)
        The position (row of X) that holds the answer: where attention should look.
    tokens : ndarray of shape (n_sequences, T - 1)
        The content tokens of each sequence (retrieval: the keys; position: the tokens).
    query : ndarray of shape (n_sequences,)
        What the query asks for (retrieval: a key; position: a position).
    name : str
    """

    X: np.ndarray
    y: np.ndarray
    answer_at: np.ndarray
    tokens: np.ndarray
    query: np.ndarray
    name: str
    n_out: int

    def __post_init__(self) -> None:
        for f in ("X", "y", "answer_at", "tokens", "query"):
            a = np.array(getattr(self, f), copy=True)
            a.setflags(write=False)
            object.__setattr__(self, f, a)

    def __len__(self) -> int:
        return self.X.shape[0]


def retrieval_task(n_sequences: int, *, n_pairs: int = 4, n_keys: int = 8, n_values: int = 8,
                   random_state=0) -> Task:
    """Key-value retrieval: each sequence holds ``n_pairs`` (key, value) tokens with distinct
    keys, then a query token naming one of those keys; the answer is the value paired with it.

    A pair token is ``onehot(key) ++ onehot(value) ++ 0``; the query token is ``0 ++ 0 ++
    onehot(key)`` (width ``2 n_keys + n_values``): it asks for a key in its own slot, so matching
    it to the pair that holds that key is something the queries and keys must learn. The pairs
    are a set (their order carries nothing), so no positions are needed, but the answer is in
    one pair only: the model has to look at the right one.
    """
    n_sequences = _checks.integer(n_sequences, "n_sequences", minimum=1)
    n_keys = _checks.integer(n_keys, "n_keys", minimum=2)
    n_pairs = _checks.integer(n_pairs, "n_pairs", minimum=2, maximum=n_keys)
    n_values = _checks.integer(n_values, "n_values", minimum=2)
    rng = _checks.rng(random_state)
    keys = np.argsort(rng.random((n_sequences, n_keys)), axis=1)[:, :n_pairs]
    values = rng.integers(0, n_values, size=(n_sequences, n_pairs))
    pick = rng.integers(0, n_pairs, size=n_sequences)
    rows = np.arange(n_sequences)
    X = np.zeros((n_sequences, n_pairs + 1, 2 * n_keys + n_values))
    for t in range(n_pairs):
        X[rows, t, keys[:, t]] = 1.0
        X[rows, t, n_keys + values[:, t]] = 1.0
    X[rows, n_pairs, n_keys + n_values + keys[rows, pick]] = 1.0
    return Task(X=X, y=values[rows, pick], answer_at=pick, tokens=keys, query=keys[rows, pick],
                name="retrieval", n_out=n_values)


POSITIONS = ("none", "sinusoidal")


def position_task(n_sequences: int, *, length: int = 4, n_tokens: int = 8,
                  positions: str = "sinusoidal", d_pos: int = 8, random_state=0) -> Task:
    """Read out by position: ``length`` random tokens, then a query naming a position; the answer
    is the token there. Each row is ``onehot(token) ++ pos(t)`` (the query: ``0 ++ pos(p)``, with
    ``p`` the asked-for position), ``pos`` the sinusoidal encoding of width ``d_pos``.

    With ``positions="none"`` every ``pos`` is left out, and the query, all zeros, carries
    nothing: attention sees the tokens as a set and cannot tell which came where (the data are the
    same; same ``random_state``, same tokens and questions).
    """
    n_sequences = _checks.integer(n_sequences, "n_sequences", minimum=1)
    length = _checks.integer(length, "length", minimum=2)
    n_tokens = _checks.integer(n_tokens, "n_tokens", minimum=2)
    _checks.choice(positions, "positions", POSITIONS)
    d_pos = _checks.integer(d_pos, "d_pos", minimum=2)
    rng = _checks.rng(random_state)
    tokens = rng.integers(0, n_tokens, size=(n_sequences, length))
    pick = rng.integers(0, length, size=n_sequences)
    rows = np.arange(n_sequences)
    width = n_tokens + (d_pos if positions != "none" else 0)
    X = np.zeros((n_sequences, length + 1, width))
    for t in range(length):
        X[rows, t, tokens[:, t]] = 1.0
    if positions == "sinusoidal":
        pe = sinusoidal_encoding(length, d_pos)
        X[:, :length, n_tokens:] = pe[None]
        X[:, length, n_tokens:] = pe[pick]
    return Task(X=X, y=tokens[rows, pick], answer_at=pick, tokens=tokens, query=pick,
                name=f"position ({positions})", n_out=n_tokens)


# ---------------------------------------------------------------------------------------------
# training

def train(task: Task, *, arch: Architecture = ATTENTION, d_model: int = 8, d_hidden: int = 16,
          learning_rate: float, epochs: int, random_state=0, test: Task | None = None,
          shown: Sequence[int] = (0,), record_every: int = 1) -> Trajectory:
    """Full-batch gradient descent on the mean cross-entropy of ``task``.

    Parameters
    ----------
    task : Task
        The training sequences.
    arch : Architecture
    d_model, d_hidden : int
        Width of queries, keys and values (and of the embedding); width of the MLP.
    learning_rate : float
    epochs : int
    random_state : int or numpy.random.Generator
        Seed of the initial weights.
    test : Task, optional
        Held-out sequences whose accuracy is recorded at every recorded step.
    shown : sequence of int
        Training sequences whose attention weights are recorded (the maps a lesson draws).
    record_every : int

    Returns
    -------
    Trajectory
        ``params``, ``grads`` flattened in :func:`param_order` (names ``W_Q[i,j]``...); ``loss``;
        ``extras``: ``accuracy`` (n_recorded,), ``test_accuracy`` (n_recorded,) with ``test``,
        ``attention`` (n_recorded, len(shown), T) and ``attention_on_answer`` (n_recorded,), the
        mean weight the query puts on the answer's position over all training sequences.
        ``meta``: ``arch`` (its name), ``shapes``, ``learning_rate``, ``epochs``, ``d_model``,
        ``random_state``, ``diverged``, ``task``.
    """
    if not isinstance(task, Task):
        raise ValueError(f"task must be a Task, not {task!r:.80}")
    if test is not None and (not isinstance(test, Task) or test.X.shape[1:] != task.X.shape[1:]):
        raise ValueError("test must be a Task with sequences shaped like the training ones")
    eta = _checks.positive(learning_rate, "learning_rate")
    epochs = _checks.integer(epochs, "epochs")
    d_model = _checks.integer(d_model, "d_model", minimum=1)
    d_hidden = _checks.integer(d_hidden, "d_hidden", minimum=1)
    record_every = _checks.integer(record_every, "record_every", minimum=1)
    shown_idx = np.array(_checks.integers(shown, "shown"), dtype=np.intp)
    if np.any(shown_idx >= len(task)):
        raise ValueError(f"shown must index the {len(task)} training sequences")
    shapes = param_shapes(arch, task.X.shape[2], d_model, task.n_out,
                          d_hidden if arch.mlp else 0)
    params = init_params(shapes, random_state=random_state)
    rows_idx = np.arange(len(task))
    y = np.asarray(task.y, dtype=np.intp)

    def row(t, params, f):
        acc = float(np.mean(np.argmax(f.logits, axis=1) == y))
        test_acc = accuracy(params, test.X, test.y, arch) if test is not None else np.nan
        on_answer = float(np.mean(f.weights[rows_idx, task.answer_at]))
        return (t, flatten(params), f.loss, flatten(f.grads), acc, test_acc, f.weights[shown_idx],
                on_answer)

    rows: list[tuple] = []
    last: tuple | None = None
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for t in range(epochs + 1):
            f = _pass(params, task.X, arch, y, True)
            assert f.grads is not None
            if not _checks.finite(f.loss, *f.grads.values()):
                break                    # the run diverged: it ends at its last finite state
            last = (t, params, f)
            if _checks.recorded(t, epochs, record_every):
                rows.append(row(*last))
            if t < epochs:
                params = {n: params[n] - eta * f.grads[n] for n in params}
    if last is None:
        raise ValueError("the loss or its gradients at the initial weights are not finite")
    if rows[-1][0] != last[0]:
        rows.append(row(*last))
    diverged = last[0] < epochs
    steps, P, L, G, acc, test_acc, att, on = (np.array(c) for c in zip(*rows))
    extras = {"accuracy": acc, "attention": att, "attention_on_answer": on}
    if test is not None:
        extras["test_accuracy"] = test_acc
    seed = int(random_state) if isinstance(random_state, (int, np.integer)) else None
    return Trajectory(params=P, loss=L, grads=G, param_names=param_names(shapes), steps=steps,
                      extras=extras,
                      meta={"arch": arch.name, "shapes": tuple(shapes.items()),
                            "learning_rate": eta, "epochs": epochs, "d_model": d_model,
                            "d_hidden": d_hidden if arch.mlp else 0, "random_state": seed,
                            "diverged": diverged, "task": task.name})
