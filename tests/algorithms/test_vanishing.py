"""Vanishing gradients: per-layer gradient norms of a 12-layer network."""
import numpy as np
import pytest

from mlv.algorithms import datasets, vanishing
from mlv.algorithms import network as nw


@pytest.fixture(scope="module")
def data():
    return datasets.two_moons(80, noise=0.15, random_state=1)


@pytest.fixture(scope="module")
def runs(data):
    X, y = data
    return vanishing.compare(X, y, n_layers=12, width=8, learning_rate=0.1, epochs=40,
                             random_state=0, record_every=10)


def test_norms_are_the_norms_of_backprop_gradients(data, runs):
    X, y = data
    for traj in runs.values():
        assert traj.extras["grad_norms"].shape == (len(traj), 12)
        for k in (0, len(traj) - 1):
            p = nw.backward(nw.params_at(traj, k), X, y, traj.meta["activations"], "bce")
            np.testing.assert_allclose(traj.extras["grad_norms"][k],
                                       [np.linalg.norm(dW) for dW, _ in p.grads], rtol=1e-10)


def test_sigmoid_gradients_vanish_towards_the_input(runs):
    ratio = {a: t.extras["grad_norms"][0, 0] / t.extras["grad_norms"][0, -1]
             for a, t in runs.items()}
    assert ratio["sigmoid"] < 1e-4                 # ~(1/4)^11 shrinkage through 11 layers
    assert ratio["tanh"] > 1e-2 and ratio["relu"] > 1e-2
    assert ratio["sigmoid"] < 1e-3 * min(ratio["tanh"], ratio["relu"])


def test_sigmoid_derivative_bound_caps_each_backward_step(data, runs):
    # delta^(l-1) = (W^T delta^(l)) * sigma'(z) and sigma' <= 1/4,
    # so |delta^(l-1)| <= |W^(l)|_2 |delta^(l)| / 4
    X, _ = data
    traj = runs["sigmoid"]
    params, acts = nw.params_at(traj, 0), traj.meta["activations"]
    for i in range(5):
        p = nw.forward_backward(params, X[i], 1.0, acts, "bce")
        for l in range(1, len(params)):
            bound = np.linalg.norm(params[l][0], 2) * np.linalg.norm(p.deltas[l]) / 4
            assert np.linalg.norm(p.deltas[l - 1]) <= bound * (1 + 1e-12)


def test_same_seed_same_runs(data, runs):
    X, y = data
    again = vanishing.train(X, y, activation="tanh", n_layers=12, width=8, learning_rate=0.1,
                            epochs=40, random_state=0, record_every=10)
    assert again.fingerprint() == runs["tanh"].fingerprint()
    other = vanishing.train(X, y, activation="tanh", n_layers=12, width=8, learning_rate=0.1,
                            epochs=40, random_state=1, record_every=10)
    assert other.fingerprint() != runs["tanh"].fingerprint()


def test_training_lowers_the_loss_where_gradients_flow(runs):
    for act in ("tanh", "relu"):
        assert runs[act].loss[-1] < runs[act].loss[0]


@pytest.mark.parametrize("kwargs, match", [
    (dict(activation="identity"), "activation must be one of"),
    (dict(activation="gelu"), "activation must be one of"),
    (dict(activation="tanh", n_layers=1), "n_layers"),
    (dict(activation="tanh", width=0), "width"),
    (dict(activation="tanh", learning_rate=0), "learning_rate"),
])
def test_bad_input(data, kwargs, match):
    with pytest.raises(ValueError, match=match):
        vanishing.train(*data, epochs=1, **kwargs)
