"""Autoencoders: the linear one learns PCA's subspace; the nonlinear one learns to reconstruct."""
import numpy as np
import pytest

from mlv.algorithms import autoencoder as ae
from mlv.algorithms import datasets, pca


def standardised(X):
    return (X - X.mean(axis=0)) / X.std(axis=0)


@pytest.fixture(scope="module")
def plane():
    return standardised(datasets.noisy_plane(80, random_state=0))


@pytest.fixture(scope="module")
def linear_run(plane):
    return ae.train(plane, linear=True, learning_rate=0.2, epochs=3000, random_state=0,
                    record_every=100)


def test_linear_autoencoder_learns_the_pca_subspace(plane, linear_run):
    top2 = pca.pca(plane, 2)
    angles = ae.principal_angles(ae.decoder_basis(linear_run), top2.extras["components"].T)
    assert np.max(angles) < 1e-5
    # ...and the best reconstruction error a rank-2 linear map can reach
    assert linear_run.loss[-1] == pytest.approx(top2.loss[0], rel=1e-6)
    # the untrained decoder was far from that subspace: the test could have failed
    first = ae.principal_angles(ae.decoder_basis(linear_run, 0), top2.extras["components"].T)
    assert np.max(first) > 0.1


def test_principal_angles_known_cases():
    A = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    np.testing.assert_allclose(ae.principal_angles(A, A @ np.array([[2.0, 1.0], [1.0, 3.0]])),
                               0.0, atol=1e-7)
    np.testing.assert_allclose(ae.principal_angles(A[:, :1], np.array([[0.0], [0.0], [1.0]])),
                               [np.pi / 2])
    B = np.array([[1.0, 0.0], [0.0, np.cos(0.3)], [0.0, np.sin(0.3)]])
    np.testing.assert_allclose(ae.principal_angles(A, B), [0.0, 0.3], atol=1e-7)


@pytest.fixture(scope="module")
def blobs():
    X, y = datasets.blobs(90, centers=3, n_features=6, cluster_std=1.0, random_state=2)
    return standardised(X), y


@pytest.fixture(scope="module")
def nonlinear_run(blobs):
    return ae.train(blobs[0], hidden=(12,), activation="tanh", learning_rate=0.1, epochs=600,
                    random_state=0, record_every=20)


def test_nonlinear_autoencoder_loss_falls_by_at_least_half(nonlinear_run):
    assert nonlinear_run.loss[-1] <= 0.5 * nonlinear_run.loss[0]
    assert not nonlinear_run.meta["diverged"]


def test_codes_are_the_code_layer_at_each_recorded_epoch(blobs, nonlinear_run):
    X, _ = blobs
    codes = nonlinear_run.extras["codes"]
    assert codes.shape == (len(nonlinear_run), len(X), 2)
    assert nonlinear_run.meta["layer_sizes"] == (6, 12, 2, 12, 6)
    assert nonlinear_run.meta["code_layer"] == 2
    for k in (0, 5, len(nonlinear_run) - 1):
        W1, b1 = nonlinear_run.params[k][:72].reshape(12, 6), nonlinear_run.params[k][72:84]
        W2, b2 = nonlinear_run.params[k][84:108].reshape(2, 12), nonlinear_run.params[k][108:110]
        np.testing.assert_allclose(codes[k], np.tanh(X @ W1.T + b1) @ W2.T + b2, rtol=1e-12)
        recon = ae.reconstruct(nonlinear_run, k, X)
        assert nonlinear_run.loss[k] == pytest.approx(np.sum((recon - X) ** 2) / len(X), rel=1e-12)


def test_seeded_and_reproducible(blobs):
    X, _ = blobs
    run = lambda seed: ae.train(X, learning_rate=0.05, epochs=10, random_state=seed)  # noqa: E731
    assert run(3).fingerprint() == run(3).fingerprint()
    assert run(3).fingerprint() != run(4).fingerprint()


@pytest.mark.parametrize("kwargs, match", [
    (dict(code_dim=6), "code_dim must be smaller"),
    (dict(code_dim=0), "code_dim must be an integer"),
    (dict(activation="softplus"), "activation must be one of"),
    (dict(learning_rate=0.0), "learning_rate"),
    (dict(learning_rate=-0.5), "learning_rate"),
    (dict(hidden=(4, -1)), "hidden widths"),
    (dict(X=np.full((5, 6), np.inf)), "X must contain only finite"),
    (dict(X=np.zeros((5, 6, 1))), "X must be 2-D"),
])
def test_bad_input(blobs, kwargs, match):
    args = dict(X=blobs[0], learning_rate=0.1, epochs=2)
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        ae.train(args.pop("X"), **args)


def test_decoder_basis_needs_the_linear_model(nonlinear_run):
    with pytest.raises(ValueError, match="linear"):
        ae.decoder_basis(nonlinear_run)
