"""The lesson data of ``vanishing-gradients`` and ``autoencoder`` against independent references
(a naive per-sample backpropagation loop, finite differences, scikit-learn's PCA, SciPy's subspace
angles), and every claim the two scenes' narrations make, checked on the data."""
import math

import numpy as np
import pytest
from scipy.linalg import subspace_angles
from sklearn.decomposition import PCA

from mlv.algorithms import lessons_deep as ld
from mlv.algorithms import network as nw


@pytest.fixture(scope="module")
def van():
    return ld.vanishing_lesson()


@pytest.fixture(scope="module")
def auto():
    return ld.autoencoder_lesson()


# ------------------------------------------------------------------------ naive references

def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


ACT = {"sigmoid": (sigmoid, lambda a, z: a * (1 - a)),
       "tanh": (np.tanh, lambda a, z: 1 - a ** 2),
       "relu": (lambda z: np.maximum(z, 0.0), lambda a, z: (z > 0).astype(float)),
       "identity": (lambda z: z, lambda a, z: np.ones_like(z))}


def naive_bce_weight_grads(params, X, y, acts):
    """dL/dW per layer for mean BCE with a sigmoid output, one sample at a time."""
    grads = [np.zeros_like(W) for W, _ in params]
    for x, t in zip(X, y):
        a, zs, As = x, [], [x]
        for (W, b), name in zip(params, acts):
            z = W @ a + b
            a = ACT[name][0](z)
            zs.append(z)
            As.append(a)
        delta = As[-1] - t                         # sigmoid output with BCE
        for l in range(len(params) - 1, -1, -1):
            grads[l] += np.outer(delta, As[l]) / len(X)
            if l > 0:
                delta = (params[l][0].T @ delta) * ACT[acts[l - 1]][1](As[l], zs[l - 1])
    return grads


def bce(params, X, y, acts):
    p = nw.predict(params, X, acts)[:, 0]
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


# -------------------------------------------------------------------------- vanishing lesson

def test_vanishing_norms_match_a_naive_backprop_loop(van):
    for a, traj in van.runs.items():
        acts = traj.meta["activations"]
        for k in (0, len(traj) - 1):
            grads = naive_bce_weight_grads(nw.params_at(traj, k), van.X, van.y, acts)
            np.testing.assert_allclose(van.norms(a, k), [np.linalg.norm(g) for g in grads],
                                       rtol=1e-8)


def test_vanishing_first_layer_gradient_matches_finite_differences(van):
    traj = van.runs["tanh"]
    params, acts = nw.params_at(traj, 0), traj.meta["activations"]
    analytic = naive_bce_weight_grads(params, van.X, van.y, acts)[0]
    eps = 1e-6
    for i, j in [(0, 0), (3, 1), (15, 0)]:
        plus = [(W.copy(), b) for W, b in params]
        minus = [(W.copy(), b) for W, b in params]
        plus[0][0][i, j] += eps
        minus[0][0][i, j] -= eps
        fd = (bce(plus, van.X, van.y, acts) - bce(minus, van.X, van.y, acts)) / (2 * eps)
        assert fd == pytest.approx(analytic[i, j], rel=1e-5, abs=1e-10)


def test_vanishing_weight_change_is_the_relative_move_of_each_layer(van):
    for a, traj in van.runs.items():
        first, last = nw.params_at(traj, 0), nw.params_at(traj, -1)
        naive = [math.sqrt(np.sum((W1 - W0) ** 2) / np.sum(W0 ** 2))
                 for (W0, _), (W1, _) in zip(first, last)]
        np.testing.assert_allclose(van.weight_change[a], naive, rtol=1e-12)


def test_vanishing_runs_share_everything_but_the_activation(van):
    metas = [t.meta for t in van.runs.values()]
    for key in ("layer_sizes", "learning_rate", "epochs", "random_state"):
        assert len({repr(m[key]) for m in metas}) == 1
    assert van.n_layers == 12 and metas[0]["layer_sizes"][1] == 16
    assert [m["activations"][0] for m in metas] == ["sigmoid", "tanh", "relu"]


def test_vanishing_narration_claims(van):
    g = van.norms("sigmoid")
    # "every layer further back gets less"
    assert np.all(np.diff(g) > 0)
    # "with tanh and ReLU every layer's gradient is within a factor of ceil(spread)"
    spread = max(van.spread("tanh"), van.spread("relu"))
    assert spread < 10
    # "about FACTOR per layer, below the quarter", consistent with the shrinkage
    assert van.per_layer_factor("sigmoid") < 0.25
    assert van.per_layer_factor("sigmoid") ** 11 == pytest.approx(van.shrinkage("sigmoid"))
    assert van.shrinkage("sigmoid") < 1e-6
    # the sigmoid settles at log 2 (predicting one half for every point), with tiny gradients
    settled = van.first_epoch_near("sigmoid", math.log(2), 1e-5)
    assert 0 < settled < 300
    sig = van.runs["sigmoid"]
    assert abs(sig.loss[-1] - math.log(2)) < 1e-6
    for k in (int(np.flatnonzero(sig.steps == settled)[0]), -1):   # from "epoch SETTLED" on
        p = nw.predict(nw.params_at(sig, k), van.X, sig.meta["activations"])
        np.testing.assert_allclose(p, 0.5, atol=1e-2)
    assert van.norms("sigmoid", -1).max() < 1e-6
    # the others learned; the sigmoid's first layer did not move
    for a in ("tanh", "relu"):
        assert van.runs[a].loss[-1] < 0.1
        assert van.weight_change[a][0] > 0.05
    assert van.weight_change["sigmoid"][0] < 1e-5


def test_first_epoch_near(van):
    assert van.first_epoch_near("tanh", 123.0, 1e-3) == -1
    assert van.first_epoch_near("tanh", float(van.runs["tanh"].loss[0]), 1e-12) == 0


@pytest.fixture(scope="module")
def shallow():
    return ld.vanishing_lesson(n_layers=4, width=4)


def test_the_vanishing_lessons_choices_from_plain_loops(van, shallow):
    for lesson, layers, width in ((van, 12, 16), (shallow, 4, 4)):
        assert (lesson.n_layers, lesson.width) == (layers, width)
        sig = lesson.runs["sigmoid"]
        assert lesson.epochs == sig.meta["epochs"] and lesson.learning_rate == 0.1
        # "smaller at every layer further back": layer l's gradient below layer l + 1's
        g = list(lesson.norms("sigmoid"))
        assert lesson.shrinks_every_layer("sigmoid") == all(a < b for a, b in zip(g, g[1:]))
        # the tanh and ReLU gradients' largest ratio between two layers
        ratios = [x / y for a in ("tanh", "relu") for x in lesson.norms(a)
                  for y in lesson.norms(a)]
        assert lesson.others_spread == pytest.approx(max(ratios), rel=1e-12)
        assert lesson.others_intact == (max(ratios) <= ld.INTACT_SPREAD)
        # the first epoch the sigmoid network's loss sits at log 2
        near = [int(e) for e, v in zip(sig.steps, sig.loss)
                if abs(v - math.log(2)) < ld.COLLAPSE_TOL]
        assert lesson.collapse_epoch == (near[0] if near else -1)
        assert lesson.sigmoid_learned_some == (sig.loss[-1] < math.log(2) - ld.LEARNED_MARGIN)
        # the bar chart reaches down to the decade of the smallest gradient any run shows
        lowest = min(float(np.min(t.extras["grad_norms"])) for t in lesson.runs.values())
        low, high = lesson.decades
        assert high == 0 and ld.DECADES[0] <= low <= ld.DECADES[1]
        if ld.DECADES[0] < low < ld.DECADES[1]:
            assert 10.0 ** low <= lowest < 10.0 ** (low + 1)
        elif low == ld.DECADES[1]:
            assert lowest >= 10.0 ** low
        else:
            assert lowest < 10.0 ** (low + 1)
        # the first layer's move in percent (as a loop over the weights)
        for a, traj in lesson.runs.items():
            (W0, _), (W1, _) = nw.params_at(traj, 0)[0], nw.params_at(traj, -1)[0]
            moved = math.sqrt(sum((u - v) ** 2 for u, v in zip(W1.ravel(), W0.ravel())))
            size = math.sqrt(sum(v ** 2 for v in W0.ravel()))
            assert lesson.first_layer_change(a) == pytest.approx(100 * moved / size, rel=1e-12)


def test_the_default_run_collapses_and_the_shallow_one_does_not(van, shallow):
    # what the default narration says: every layer smaller, gradients intact with tanh and ReLU,
    # the sigmoid network collapses; the first layer's tiny gradient still has a visible bar
    assert van.shrinks_every_layer("sigmoid") and van.others_intact
    assert van.collapse_epoch > 0 and 10.0 ** van.decades[0] < van.norms("sigmoid")[0]
    # four layers: the sigmoid network never settles at log 2
    assert shallow.collapse_epoch == -1


# ------------------------------------------------------------------------ autoencoder lesson

def naive_forward(params, x, acts):
    out = [x]
    for (W, b), name in zip(params, acts):
        out.append(ACT[name][0](W @ out[-1] + b))
    return out


def test_autoencoder_codes_and_reconstructions_match_a_naive_forward_pass(auto):
    run = auto.run
    acts = run.meta["activations"]
    assert run.meta["layer_sizes"] == (8, 16, 2, 16, 8)
    for j, k in enumerate(auto.shown):
        params = nw.params_at(run, k)
        for i, s in enumerate(auto.samples):
            layers = naive_forward(params, auto.X[s], acts)
            np.testing.assert_allclose(auto.codes(k)[s], layers[2], rtol=1e-10, atol=1e-12)
            np.testing.assert_allclose(auto.reconstructions[j, i], layers[-1], rtol=1e-10,
                                       atol=1e-12)
        recon = np.array([naive_forward(params, x, acts)[-1] for x in auto.X])
        assert run.loss[k] == pytest.approx(np.mean(np.sum((recon - auto.X) ** 2, axis=1)),
                                            rel=1e-10)


def test_autoencoder_shown_steps_and_samples(auto):
    assert [int(auto.run.steps[k]) for k in auto.shown] == [0, 50, 200, 1000]
    assert auto.shown_epochs == (0, 50, 200, 1000)
    assert auto.n_groups == len(set(auto.labels.tolist())) == 4
    assert [int(auto.labels[s]) for s in auto.samples] == [0, 1, 2]
    box = auto.code_box
    codes = auto.run.extras["codes"][list(auto.shown)]
    assert box[0] <= codes[..., 0].min() and codes[..., 0].max() <= box[1]
    assert box[2] <= codes[..., 1].min() and codes[..., 1].max() <= box[3]


def test_cluster_separation_against_a_loop():
    codes = np.array([[0.0, 0.0], [0.0, 2.0], [10.0, 0.0], [10.0, 2.0]])
    labels = np.array([0, 0, 1, 1])
    # centres (0, 1) and (10, 1): between 10; within: every point 1 from its centre
    assert ld.cluster_separation(codes, labels) == pytest.approx(10.0)


def test_linear_autoencoder_spans_sklearns_pca_subspace(auto):
    sk = PCA(n_components=2).fit(auto.X)
    W = nw.params_at(auto.linear, -1)[-1][0]            # decoder weights (8, 2)
    ref = np.degrees(subspace_angles(W, sk.components_.T))
    np.testing.assert_allclose(np.sort(auto.angles[-1]), np.sort(ref), atol=1e-6)
    assert auto.angles[-1].max() < 1e-3                  # "under a thousandth of a degree"
    start = np.degrees(subspace_angles(nw.params_at(auto.linear, 0)[-1][0], sk.components_.T))
    np.testing.assert_allclose(np.sort(auto.angles[0]), np.sort(start), atol=1e-6)
    # PCA's reconstruction error: the discarded eigenvalues (of the 1/n covariance)
    ev = np.linalg.eigvalsh(auto.X.T @ auto.X / len(auto.X))[::-1]
    assert auto.pca_loss == pytest.approx(ev[2:].sum(), rel=1e-10)
    recon = sk.inverse_transform(sk.transform(auto.X))
    assert auto.pca_loss == pytest.approx(np.mean(np.sum((recon - auto.X) ** 2, axis=1)),
                                          rel=1e-10)


def test_autoencoder_narration_claims(auto):
    loss = [auto.run.loss[k] for k in auto.shown]
    assert all(a > b for a, b in zip(loss, loss[1:]))              # loss falls at each shown epoch
    sep = [auto.separation[k] for k in auto.shown]
    assert sep[0] < 1.2 and sep[-1] > 2.5 * sep[0]                  # mixed, then apart
    assert sep[1] > sep[0]                                          # "the groups pull apart"
    a0 = auto.angles[0]
    assert a0.min() > 30                                            # far apart at the start
    # the linear autoencoder's error equals PCA's (to the 3 decimals said)
    assert round(auto.linear.loss[-1], 3) == round(auto.pca_loss, 3)
    assert auto.linear.loss[-1] == pytest.approx(auto.pca_loss, rel=1e-6)
    # "rebuild K percent of the variance": the data are centred, so the mean squared norm is the
    # total variance, and the loss is the part not rebuilt
    total = np.mean(np.sum(auto.X ** 2, axis=1))
    assert total == pytest.approx(np.var(auto.X, axis=0).sum(), rel=1e-12)
    assert 1 - auto.run.loss[-1] / total > 0.5
    # the tanh autoencoder beats the best flat code
    assert auto.run.loss[-1] < auto.pca_loss
    # the weights are not the principal axes themselves (only their span is)
    W = nw.params_at(auto.linear, -1)[-1][0]
    sk = PCA(n_components=2).fit(auto.X)
    cos = np.abs(sk.components_ @ W) / np.linalg.norm(W, axis=0)
    assert cos.max() < 0.999


def test_variance_kept_against_sklearn_pca(auto):
    # standardised data: the total variance is the number of features; PCA's top two keep
    # exactly the explained-variance share sklearn reports
    X = auto.X
    assert auto.total_variance == pytest.approx(X.shape[1], rel=1e-9)
    pca = PCA(n_components=2).fit(X)
    assert 1 - auto.pca_loss / auto.total_variance == pytest.approx(
        pca.explained_variance_ratio_.sum(), rel=1e-6)
    k = auto.shown[-1]
    params = nw.params_at(auto.run, k)
    recon = np.array([naive_forward(params, x, auto.run.meta["activations"])[-1] for x in X])
    assert auto.variance_kept(k) == pytest.approx(
        1 - np.mean(np.sum((X - recon) ** 2, axis=1)) / X.shape[1], rel=1e-9)
