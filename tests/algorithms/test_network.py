"""The dense network: backpropagation against central finite differences, and training behaviour."""
import numpy as np
import pytest

from mlv.algorithms import datasets
from mlv.algorithms import network as nw

H = 1e-5


def setup(act, loss, depth, seed=0, width=4, n=12):
    """Random weights, biases and data for a ``depth``-layer net; for ReLU, samples with a
    pre-activation within 1e-3 of the kink are dropped (finite differences would straddle it)."""
    rng = np.random.default_rng(seed)
    n_out = 1 if loss == "bce" else 2
    sizes = (3,) + (width,) * (depth - 1) + (n_out,)
    acts = nw.activations_for(depth, act, "sigmoid" if loss == "bce" else "identity")
    params = [(W, 0.3 * rng.normal(size=b.shape))
              for W, b in nw.init_params(sizes, random_state=seed,
                                         init="he" if act == "relu" else "xavier")]
    X = rng.normal(size=(n, 3))
    Y = rng.uniform(size=(n, n_out)) if loss == "bce" else rng.normal(size=(n, n_out))
    if act == "relu":
        zs, _ = nw.forward(params, X, acts)
        keep = np.all([np.min(np.abs(z), axis=1) > 1e-3 for z in zs[:-1]], axis=0) \
            if depth > 1 else np.ones(n, bool)
        X, Y = X[keep], Y[keep]
        assert len(X) >= 4
    return sizes, acts, params, X, Y


def finite_differences(sizes, acts, params, X, Y, loss):
    theta = nw.flatten(params)

    def f(th):
        return nw.backward(nw.unflatten(th, sizes), X, Y, acts, loss).loss

    return np.array([(f(theta + H * e) - f(theta - H * e)) / (2 * H) for e in np.eye(len(theta))])


@pytest.mark.parametrize("depth", [1, 2, 3, 6, 12])
@pytest.mark.parametrize("loss", ["mse", "bce"])
@pytest.mark.parametrize("act", ["sigmoid", "tanh", "relu"])
def test_backprop_equals_central_differences(act, loss, depth):
    sizes, acts, params, X, Y = setup(act, loss, depth)
    p = nw.backward(params, X, Y, acts, loss)
    g = nw.flatten(p.grads)
    fd = finite_differences(sizes, acts, params, X, Y, loss)
    assert np.linalg.norm(g - fd) <= 1e-6 * np.linalg.norm(fd)
    # layer by layer too, wherever the layer's gradient is not itself below the finite-difference
    # noise (a 12-layer sigmoid net's first layers get gradients ~1e-8: the lesson of vanishing.py)
    layer_fd = nw.unflatten(fd, sizes)
    biggest = max(np.linalg.norm(fW) for fW, _ in layer_fd)
    for (dW, db), (fW, fb) in zip(p.grads, layer_fd):
        if np.linalg.norm(fW) > 1e-3 * biggest:
            assert np.linalg.norm(dW - fW) <= 1e-6 * np.linalg.norm(fW)
            assert np.linalg.norm(db - fb) <= 1e-6 * max(np.linalg.norm(fb), 1e-3 * biggest)


@pytest.mark.parametrize("out_act", ["sigmoid", "tanh", "relu"])
def test_mse_with_a_nonlinear_output_equals_central_differences(out_act):
    sizes, _, params, X, Y = setup("tanh", "mse", 3, seed=4)
    acts = ("tanh", "tanh", out_act)
    if out_act == "relu":
        params[-1] = (params[-1][0], params[-1][1] + 2.0)     # keep the output away from the kink
    p = nw.backward(params, X, Y, acts, "mse")
    fd = finite_differences(sizes, acts, params, X, Y, "mse")
    assert np.linalg.norm(nw.flatten(p.grads) - fd) <= 1e-6 * np.linalg.norm(fd)


def test_activation_derivatives_equal_central_differences():
    z = np.array([-3.0, -0.7, -0.01, 0.02, 0.5, 2.5])
    for name in nw.ACTIVATIONS:
        fd = (nw.activate(name, z + H) - nw.activate(name, z - H)) / (2 * H)
        np.testing.assert_allclose(nw.derivative(name, z), fd, rtol=1e-8, atol=1e-10)
    assert nw.derivative("sigmoid", 0.0) == 0.25


def test_single_input_pass_follows_the_matrix_formulas():
    sizes, acts, params, X, Y = setup("tanh", "bce", 3, seed=2)
    x, y = X[0], Y[0]
    p = nw.forward_backward(params, x, y, acts, "bce")
    assert [a.shape for a in p.activations] == [(s,) for s in sizes]
    a = x
    for (W, b), z, name, a_next in zip(params, p.pre_activations, acts, p.activations[1:]):
        np.testing.assert_allclose(z, W @ a + b, rtol=1e-12)               # z = W a + b
        np.testing.assert_allclose(a_next, nw.activate(name, z), rtol=1e-12)
        a = a_next
    np.testing.assert_allclose(p.deltas[-1], p.activations[-1] - y, rtol=1e-12)   # BCE delta
    for l in range(len(params)):
        dW, db = p.grads[l]
        np.testing.assert_allclose(dW, np.outer(p.deltas[l], p.activations[l]), rtol=1e-12)
        np.testing.assert_allclose(db, p.deltas[l], rtol=1e-12)
        if l > 0:
            expected = (params[l][0].T @ p.deltas[l]) * nw.derivative(acts[l - 1],
                                                                     p.pre_activations[l - 1])
            np.testing.assert_allclose(p.deltas[l - 1], expected, rtol=1e-12)


@pytest.fixture(scope="module")
def moons():
    return datasets.two_moons(120, noise=0.15, random_state=1)


@pytest.fixture(scope="module")
def trained(moons):
    X, y = moons
    return nw.train(X, y, hidden=(8, 8), hidden_activation="tanh", learning_rate=0.5,
                    epochs=1500, random_state=0, record_every=25)


def test_training_bends_the_boundary_where_a_linear_model_fails(moons, trained):
    X, y = moons
    assert trained.loss[-1] < 0.25 * trained.loss[0]
    assert trained.extras["accuracy"][-1] >= 0.97
    linear = nw.train(X, y, hidden=(), learning_rate=0.5, epochs=1500, random_state=0,
                      record_every=25)
    assert linear.extras["accuracy"][-1] < 0.92
    assert linear.loss[-1] > 2 * trained.loss[-1]


def test_trajectory_rows_are_consistent(moons, trained):
    X, y = moons
    assert list(trained.steps[[0, 1, -1]]) == [0, 25, 1500]
    assert trained.meta["layer_sizes"] == (2, 8, 8, 1)
    assert trained.meta["shapes"] == ((8, 2), (8,), (8, 8), (8,), (1, 8), (1,))
    assert trained.params.shape[1] == len(trained.param_names) == 8 * 2 + 8 + 64 + 8 + 8 + 1
    for k in (0, 7, len(trained) - 1):
        params = nw.params_at(trained, k)
        p = nw.backward(params, X, y, trained.meta["activations"], "bce")
        assert p.loss == pytest.approx(trained.loss[k], rel=1e-12)
        np.testing.assert_allclose(nw.flatten(p.grads), trained.grads[k], rtol=1e-10, atol=1e-15)
        acc = np.mean((p.activations[-1][:, 0] >= 0.5) == (y == 1))
        assert trained.extras["accuracy"][k] == acc
    # consecutive recorded epochs of a record_every=1 run are one gradient step apart
    short = nw.train(X, y, hidden=(3,), learning_rate=0.5, epochs=3, random_state=0)
    np.testing.assert_allclose(short.params[1:], short.params[:-1] - 0.5 * short.grads[:-1],
                               rtol=1e-12, atol=1e-15)


def test_layer_transforms_and_decision_grid(trained):
    params, acts = nw.params_at(trained, -1), trained.meta["activations"]
    xs, ys = np.linspace(-1.5, 2.5, 7), np.linspace(-1, 1.5, 5)
    GX, GY = np.meshgrid(xs, ys)
    pts = np.column_stack([GX.ravel(), GY.ravel()])
    layers = nw.layer_transforms(params, pts, acts)
    assert list(layers) == ["a0", "z1", "a1", "z2", "a2", "z3", "a3"]
    for l, (W, b) in enumerate(params, start=1):
        np.testing.assert_allclose(layers[f"z{l}"], layers[f"a{l - 1}"] @ W.T + b, rtol=1e-12)
    grid = nw.decision_grid(params, xs, ys, acts)
    assert grid.shape == (5, 7)
    np.testing.assert_allclose(grid.ravel(), layers["a3"][:, 0], rtol=1e-12)


def test_flatten_unflatten_round_trip():
    params = nw.init_params((3, 5, 2), random_state=3)
    back = nw.unflatten(nw.flatten(params), (3, 5, 2))
    for (W, b), (W2, b2) in zip(params, back):
        np.testing.assert_array_equal(W, W2)
        np.testing.assert_array_equal(b, b2)


def test_seeded_and_reproducible(moons):
    X, y = moons
    run = lambda seed: nw.train(X, y, hidden=(4,), learning_rate=0.3, epochs=20,  # noqa: E731
                                random_state=seed)
    assert run(5).fingerprint() == run(5).fingerprint()
    assert run(5).fingerprint() != run(6).fingerprint()


def test_divergence_is_flagged(moons):
    X, y = moons
    with np.errstate(all="raise"):
        traj = nw.train(X * 100, y, hidden=(16, 16), hidden_activation="relu", loss="mse",
                        learning_rate=10.0, epochs=500)
    assert traj.meta["diverged"] and len(traj) < 501
    assert np.all(np.isfinite(traj.loss)) and np.all(np.isfinite(traj.params))


def test_a_diverged_run_keeps_its_last_finite_state_whatever_record_every(moons):
    X, y = moons
    kw = dict(hidden=(16, 16), hidden_activation="relu", loss="mse", learning_rate=10.0,
              epochs=500)
    full = nw.train(X * 100, y, **kw)
    thin = nw.train(X * 100, y, record_every=50, **kw)
    assert full.meta["diverged"] and thin.meta["diverged"]
    assert thin.steps[-1] == full.steps[-1] < 500
    np.testing.assert_array_equal(thin.params[-1], full.params[-1])
    # one more update from the last state kept is not finite
    p = nw.backward(nw.params_at(full, -1), X * 100, y, full.meta["activations"], "mse")
    with np.errstate(over="ignore", invalid="ignore"):
        nxt = [(W - 10.0 * dW, b - 10.0 * db)
               for (W, b), (dW, db) in zip(nw.params_at(full, -1), p.grads)]
        after = nw._backward(nxt, X * 100, y[:, None].astype(float), full.meta["activations"],
                             "mse")
    assert not (nw.finite(after) and all(np.isfinite(W).all() and np.isfinite(b).all()
                                         for W, b in nxt))


def test_descend_yields_only_finite_states(moons):
    X, y = moons
    params = nw.init_params((2, 16, 16, 1), random_state=0, init="he")
    acts = ("relu", "relu", "identity")
    seen = list(nw.descend(params, X * 100, y, acts, "mse", 10.0, 500))
    assert 1 <= len(seen) < 501
    assert [t for t, _, _ in seen] == list(range(len(seen)))
    assert all(nw.finite(p) for _, _, p in seen)


def test_record_every_keeps_first_and_last(moons):
    X, y = moons
    full = nw.train(X, y, hidden=(3,), learning_rate=0.3, epochs=11)
    thin = nw.train(X, y, hidden=(3,), learning_rate=0.3, epochs=11, record_every=4)
    assert list(thin.steps) == [0, 4, 8, 11]
    np.testing.assert_array_equal(thin.params, full.params[thin.steps])


@pytest.mark.parametrize("kwargs, match", [
    (dict(hidden_activation="softmax"), "hidden_activation must be one of"),
    (dict(output_activation="swish"), "output_activation must be one of"),
    (dict(loss="bce", output_activation="identity"), "needs output_activation 'sigmoid'"),
    (dict(loss="hinge"), "loss must be one of"),
    (dict(learning_rate=0.0), "learning_rate"),
    (dict(learning_rate=-1.0), "learning_rate"),
    (dict(epochs=-3), "epochs"),
    (dict(hidden=(3, 0)), "hidden widths"),
    (dict(init="lecun"), "init must be one of"),
    (dict(y=np.zeros(5)), r"y must have shape \(6,\)"),
    (dict(y=[0, 1, 2, 0, 1, 1]), r"y must lie in \[0, 1\]"),
    (dict(X=np.full((6, 2), np.nan)), "X must contain only finite"),
    (dict(X=np.zeros(6)), "X must be 2-D"),
    (dict(params0=[(np.zeros((3, 3)), np.zeros(3)), (np.zeros((1, 3)), np.zeros(1))]),
     "params0 must be"),
])
def test_bad_input(kwargs, match):
    args = dict(X=np.zeros((6, 2)), y=np.array([0, 1, 0, 1, 1, 0]), hidden=(3,),
                learning_rate=0.1, epochs=2)
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        nw.train(args.pop("X"), args.pop("y"), **args)


def test_bad_activation_in_low_level_calls():
    params = nw.init_params((2, 3, 1), random_state=0)
    with pytest.raises(ValueError, match="activations entries must be one of"):
        nw.forward(params, np.zeros((2, 2)), ("tanh", "gelu"))
    with pytest.raises(ValueError, match="one entry per layer"):
        nw.forward(params, np.zeros((2, 2)), ("tanh",))
    with pytest.raises(ValueError, match="X must have 2 features"):
        nw.forward(params, np.zeros((2, 3)), ("tanh", "sigmoid"))
