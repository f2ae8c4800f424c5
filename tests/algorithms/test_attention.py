"""Softmax, attention and the transformer block: against naive loops, central finite differences
and an independent automatic differentiation (autograd), and training behaviour."""
import itertools
import math

import numpy as np
import pytest

from mlv.algorithms import attention as at

ag = pytest.importorskip("autograd")
anp = pytest.importorskip("autograd.numpy")

H = 1e-6
RNG = np.random.default_rng(7)
ARCHS = [at.ATTENTION, at.BLOCK,
         at.Architecture(embed=True, residual=False, layer_norm=True, mlp=True),
         at.Architecture(embed=True, residual=True, layer_norm=False, mlp=True),
         at.Architecture(embed=True), at.Architecture(mlp=True, layer_norm=True),
         at.Architecture(scaled=False)]


def central(f, x):
    x = np.asarray(x, dtype=float)
    g = np.zeros_like(x)
    for idx in np.ndindex(*x.shape):
        e = np.zeros_like(x)
        e[idx] = H
        g[idx] = (f(x + e) - f(x - e)) / (2 * H)
    return g


# ------------------------------------------------------------------------------------ softmax

def naive_softmax(z):
    m = max(z)
    e = [math.exp(v - m) for v in z]
    return [v / sum(e) for v in e]


def test_softmax_equals_a_python_loop_and_sums_to_one():
    for _ in range(20):
        z = RNG.normal(scale=3, size=(3, 5))
        s = at.softmax(z)
        for row, srow in zip(z, s):
            assert np.allclose(srow, naive_softmax(list(row)), rtol=1e-13, atol=0)
        assert np.allclose(s.sum(axis=-1), 1.0)


def test_temperature_divides_the_scores_and_flattens_or_sharpens():
    z = RNG.normal(size=6)
    for t in (0.3, 1.0, 4.0):
        assert np.allclose(at.softmax(z, temperature=t), naive_softmax(list(z / t)))
    assert np.allclose(at.softmax(z, temperature=1e3), 1 / 6, atol=1e-3)
    assert at.softmax(z, temperature=1e-3)[np.argmax(z)] > 1 - 1e-9


def test_the_naive_form_overflows_where_the_stable_one_does_not():
    z = np.array([2.0, 1.0, 0.1])
    big = z + 998.0
    assert np.all(at.exp_overflows(big)) and not np.any(at.exp_overflows(z))
    assert np.all(np.isnan(at.naive_softmax(big)))
    assert np.allclose(at.naive_softmax(z), at.softmax(z), rtol=1e-14)
    # subtracting a constant changes nothing: the stable form of the big scores is the small ones'
    assert np.allclose(at.softmax(big), naive_softmax(list(z)), rtol=1e-12)


def test_softmax_jacobian_equals_finite_differences_and_autograd():
    for k in (2, 3, 6):
        z = RNG.normal(size=k)
        J = at.softmax_jacobian(at.softmax(z))
        fd = np.stack([central(lambda v, i=i: at.softmax(v)[i], z) for i in range(k)])
        assert np.allclose(J, fd, atol=1e-9)
        auto = ag.jacobian(lambda v: anp.exp(v) / anp.sum(anp.exp(v)))(z)
        assert np.allclose(J, auto, atol=1e-12)
        # written entry by entry: s_i (delta_ij - s_j)
        s = at.softmax(z)
        for i, j in itertools.product(range(k), repeat=2):
            assert math.isclose(J[i, j], s[i] * ((i == j) - s[j]), abs_tol=1e-15)


def test_cross_entropy_gradient_is_p_minus_y_over_n():
    Z = RNG.normal(size=(5, 4))
    y = RNG.integers(0, 4, size=5)
    g = at.cross_entropy_grad(Z, y)
    assert np.allclose(g, central(lambda v: at.cross_entropy(v, y), Z), atol=1e-9)

    def ce(v):
        logp = v - anp.log(anp.sum(anp.exp(v), axis=1, keepdims=True))
        return -anp.mean(logp[np.arange(5), y])

    assert np.allclose(g, ag.grad(ce)(Z), atol=1e-14)
    naive = sum(-math.log(naive_softmax(list(Z[i]))[y[i]]) for i in range(5)) / 5
    assert math.isclose(at.cross_entropy(Z, y), naive, rel_tol=1e-12)


# ---------------------------------------------------------------------------------- attention

def naive_attention(Q, K, V, scaled=True):
    m, d = Q.shape
    n = K.shape[0]
    out = np.zeros((m, V.shape[1]))
    W = np.zeros((m, n))
    for i in range(m):
        scores = [sum(Q[i, c] * K[j, c] for c in range(d)) / (math.sqrt(d) if scaled else 1)
                  for j in range(n)]
        w = naive_softmax(scores)
        W[i] = w
        for j in range(n):
            for c in range(V.shape[1]):
                out[i, c] += w[j] * V[j, c]
    return out, W


@pytest.mark.parametrize("scaled", [True, False])
@pytest.mark.parametrize("m,n,d,dv", [(1, 4, 3, 2), (4, 4, 2, 2), (3, 6, 8, 5)])
def test_attention_equals_a_naive_loop(m, n, d, dv, scaled):
    Q, K, V = RNG.normal(size=(m, d)), RNG.normal(size=(n, d)), RNG.normal(size=(n, dv))
    out, W = at.attention(Q, K, V, scaled=scaled)
    nout, nW = naive_attention(Q, K, V, scaled)
    assert np.allclose(out, nout, rtol=1e-12, atol=1e-14)
    assert np.allclose(W, nW, rtol=1e-12, atol=1e-14)


def test_attention_batches_are_independent():
    Q, K, V = RNG.normal(size=(3, 2, 4)), RNG.normal(size=(3, 5, 4)), RNG.normal(size=(3, 5, 2))
    out, W = at.attention(Q, K, V)
    for b in range(3):
        o, w = naive_attention(Q[b], K[b], V[b])
        assert np.allclose(out[b], o) and np.allclose(W[b], w)


@pytest.mark.parametrize("scaled", [True, False])
def test_attention_backward_equals_finite_differences_and_autograd(scaled):
    Q, K, V = RNG.normal(size=(3, 4)), RNG.normal(size=(5, 4)), RNG.normal(size=(5, 2))
    G = RNG.normal(size=(3, 2))
    dQ, dK, dV = at.attention_backward(Q, K, V, G, scaled=scaled)

    def f(q, k, v):
        return float(np.sum(G * at.attention(q, k, v, scaled=scaled)[0]))

    assert np.allclose(dQ, central(lambda x: f(x, K, V), Q), atol=1e-8)
    assert np.allclose(dK, central(lambda x: f(Q, x, V), K), atol=1e-8)
    assert np.allclose(dV, central(lambda x: f(Q, K, x), V), atol=1e-8)

    def g(q, k, v):
        s = anp.dot(q, k.T) / (np.sqrt(4) if scaled else 1.0)
        e = anp.exp(s - anp.max(s, axis=1, keepdims=True))
        return anp.sum(G * anp.dot(e / anp.sum(e, axis=1, keepdims=True), v))

    for i, mine in enumerate((dQ, dK, dV)):
        assert np.allclose(mine, ag.grad(g, i)(Q, K, V), atol=1e-13)


def test_self_attention_is_permutation_equivariant_without_positions_only():
    X = RNG.normal(size=(5, 3))
    Ws = [RNG.normal(size=(3, 3)) for _ in range(3)]
    out, W = at.self_attention(X, *Ws)
    pe = at.sinusoidal_encoding(5, 3)
    broke = 0.0
    for p in itertools.permutations(range(5)):
        p = np.array(p)
        o2, W2 = at.self_attention(X[p], *Ws)
        assert np.allclose(o2, out[p], atol=1e-13)
        assert np.allclose(W2, W[np.ix_(p, p)], atol=1e-13)
        broke = max(broke, np.max(np.abs(at.self_attention(X[p] + pe, *Ws)[0]
                                         - at.self_attention(X + pe, *Ws)[0][p])))
    assert broke > 1e-2


def test_dot_product_variance_grows_like_d_and_scaling_removes_it():
    dims = (1, 4, 16, 64, 256)
    raw, scaled = at.dot_product_variance(dims, n_samples=20000, random_state=3)
    assert np.allclose(raw / np.array(dims), 1.0, rtol=0.1)
    assert np.allclose(scaled, 1.0, rtol=0.1)
    again, _ = at.dot_product_variance(dims, n_samples=20000, random_state=3)
    assert np.array_equal(raw, again)


def test_sinusoidal_encoding_equals_the_formula():
    pe = at.sinusoidal_encoding(6, 5)
    for t in range(6):
        for i in range(5):
            angle = t / 10000 ** (2 * (i // 2) / 5)
            assert math.isclose(pe[t, i], math.sin(angle) if i % 2 == 0 else math.cos(angle),
                                abs_tol=1e-15)


def test_layer_norm_equals_a_loop():
    h = RNG.normal(size=(3, 6))
    out = at.layer_norm(h)
    for row, o in zip(h, out):
        mu = sum(row) / 6
        var = sum((v - mu) ** 2 for v in row) / 6
        assert np.allclose(o, [(v - mu) / math.sqrt(var + at.LN_EPS) for v in row])


# ------------------------------------------------------------------------------------- models

def small_task(seed=0):
    return at.retrieval_task(6, n_pairs=3, n_keys=4, n_values=3, random_state=seed)


def model(arch, seed=0):
    task = small_task(seed)
    shapes = at.param_shapes(arch, task.X.shape[2], 4, task.n_out, 5 if arch.mlp else 0)
    params = at.init_params(shapes, random_state=seed)
    if arch.mlp:                           # biases away from 0 and no ReLU input near its kink
        params["b_1"] = 0.3 * np.random.default_rng(seed).normal(size=5)
        params["b_2"] = 0.3 * np.random.default_rng(seed + 1).normal(size=4)
    return task, shapes, params


def autograd_loss(arch, shapes, X, y):
    """The model written again with autograd.numpy, from the module docstring's equations."""
    def loss(theta):
        p, k = {}, 0
        for name, shape in shapes.items():
            size = int(np.prod(shape))
            p[name] = anp.reshape(theta[k:k + size], shape)
            k += size
        E = anp.einsum("ntf,ef->nte", X, p["W_E"]) if arch.embed else X
        eq = E[:, -1, :]
        q = anp.dot(eq, p["W_Q"].T)
        K = anp.einsum("nte,de->ntd", E, p["W_K"])
        V = anp.einsum("nte,de->ntd", E, p["W_V"])
        s = anp.sum(q[:, None, :] * K, axis=2) / (np.sqrt(q.shape[1]) if arch.scaled else 1.0)
        a = anp.exp(s) / anp.sum(anp.exp(s), axis=1, keepdims=True)
        o = anp.sum(a[:, :, None] * V, axis=1)

        def ln(h):
            mu = anp.mean(h, axis=1, keepdims=True)
            return (h - mu) / anp.sqrt(anp.mean((h - mu) ** 2, axis=1, keepdims=True)
                                       + at.LN_EPS)

        h = eq + o if arch.residual else o
        u = ln(h) if arch.layer_norm else h
        if arch.mlp:
            m = anp.dot(anp.maximum(anp.dot(u, p["W_1"].T) + p["b_1"], 0.0), p["W_2"].T) \
                + p["b_2"]
            h = u + m if arch.residual else m
            u = ln(h) if arch.layer_norm else h
        z = anp.dot(u, p["W_O"].T)
        logp = z - anp.log(anp.sum(anp.exp(z), axis=1, keepdims=True))
        return -anp.mean(logp[np.arange(len(y)), y])
    return loss


@pytest.mark.parametrize("arch", ARCHS, ids=lambda a: repr(a))
def test_model_gradients_equal_finite_differences_and_autograd(arch):
    task, shapes, params = model(arch)
    f = at.forward(params, task.X, arch, task.y, grads=True)
    g = at.flatten(f.grads)
    theta = at.flatten(params)
    fd = central(lambda th: at.forward(at.unflatten(th, shapes), task.X, arch, task.y).loss, theta)
    assert np.linalg.norm(g - fd) <= 1e-6 * np.linalg.norm(fd)
    loss = autograd_loss(arch, shapes, task.X, np.asarray(task.y))
    assert math.isclose(float(loss(theta)), f.loss, rel_tol=1e-12)
    assert np.allclose(ag.grad(loss)(theta), g, rtol=1e-9, atol=1e-12)


def test_forward_attention_matches_the_attention_function():
    task, _, params = model(at.ATTENTION)
    f = at.forward(params, task.X, at.ATTENTION)
    for n in range(len(task)):
        X = task.X[n]
        out, W = at.attention(X[-1:] @ params["W_Q"].T, X @ params["W_K"].T, X @ params["W_V"].T)
        assert np.allclose(f.weights[n], W[0])
        assert np.allclose(f.logits[n], (out @ params["W_O"].T)[0])


def test_retrieval_task_answer_is_the_queried_keys_value():
    task = at.retrieval_task(50, n_pairs=4, n_keys=6, n_values=5, random_state=1)
    nk = 6
    for X, y, where in zip(task.X, task.y, task.answer_at):
        asked = int(np.argmax(X[-1, nk + 5:]))
        holders = [t for t in range(4) if X[t, asked] == 1]
        assert holders == [where]
        assert int(np.argmax(X[where, nk:nk + 5])) == y


def test_position_task_answer_is_the_token_at_the_asked_position():
    with_pe = at.position_task(40, length=5, n_tokens=6, random_state=2)
    without = at.position_task(40, length=5, n_tokens=6, positions="none", random_state=2)
    pe = at.sinusoidal_encoding(5, 8)
    for X, Xn, y, p in zip(with_pe.X, without.X, with_pe.y, with_pe.answer_at):
        assert int(np.argmax(X[p, :6])) == y
        assert np.allclose(X[-1, 6:], pe[p]) and np.allclose(X[:5, 6:], pe)
        assert np.array_equal(Xn, X[:, :6])            # the same data without the positions
        assert not np.any(Xn[-1])


def test_training_is_deterministic_records_its_gradients_and_learns():
    task = at.retrieval_task(64, n_pairs=3, random_state=5)
    state = np.random.get_state()
    runs = [at.train(task, learning_rate=0.5, epochs=60, random_state=4, record_every=20)
            for _ in range(2)]
    assert np.array_equal(np.random.get_state()[1], state[1])
    assert runs[0].fingerprint() == runs[1].fingerprint()
    r = runs[0]
    assert list(r.steps) == [0, 20, 40, 60]
    shapes = {n: tuple(s) for n, s in r.meta["shapes"]}
    for k in range(len(r)):
        f = at.forward(at.params_at(r, k), task.X, at.ATTENTION, task.y, grads=True)
        assert math.isclose(f.loss, r.loss[k], rel_tol=1e-12)
        assert np.allclose(at.flatten(f.grads), r.grads[k])
    # each recorded step is 20 gradient steps on from the one before
    p = at.params_at(r, 0)
    for _ in range(20):
        g = at.forward(p, task.X, at.ATTENTION, task.y, grads=True).grads
        p = {n: p[n] - 0.5 * g[n] for n in p}
    assert np.allclose(at.flatten(p), r.params[1])
    assert r.loss[-1] < r.loss[0]
    assert len(at.param_names(shapes)) == r.params.shape[1]


def test_a_run_that_diverges_stops_at_its_last_finite_state():
    task = at.position_task(64, random_state=0)
    r = at.train(task, learning_rate=1e4, epochs=300, random_state=0, record_every=100)
    assert r.meta["diverged"] and r.steps[-1] < 300
    assert np.all(np.isfinite(r.params))


@pytest.mark.parametrize("call", [
    lambda: at.softmax([]),
    lambda: at.softmax([1.0, np.nan]),
    lambda: at.softmax([1.0, 2.0], temperature=0),
    lambda: at.attention(np.ones((2, 3)), np.ones((4, 2)), np.ones((4, 1))),
    lambda: at.attention(np.ones((2, 3)), np.ones((4, 3)), np.ones((3, 1))),
    lambda: at.cross_entropy(np.ones((2, 3)), [0, 3]),
    lambda: at.cross_entropy(np.ones((2, 3)), [0.0, 1.0]),
    lambda: at.Architecture(residual=True),
    lambda: at.retrieval_task(5, n_pairs=9, n_keys=8),
    lambda: at.position_task(5, positions="learned"),
    lambda: at.train(small_task(), learning_rate=-1, epochs=3),
    lambda: at.train(small_task(), learning_rate=0.1, epochs=3, shown=(99,)),
    lambda: at.forward({"W_Q": np.ones((2, 2))}, small_task().X),
])
def test_bad_inputs_are_refused(call):
    with pytest.raises(ValueError):
        call()
