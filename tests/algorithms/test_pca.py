"""PCA against scikit-learn's PCA (up to the sign of each component) and the eigen-equations."""
import numpy as np
import pytest
from sklearn.decomposition import PCA

from mlv.algorithms import datasets, pca


def anisotropic(n=80, d=4, seed=0):
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(d, d)) * np.array([3.0, 2.0, 1.0, 0.3])[:d]
    return rng.normal(size=(n, d)) @ A + rng.normal(size=d) * 5


DATASETS = {
    "plane": lambda: datasets.noisy_plane(50, random_state=1),
    "gauss4": lambda: anisotropic(),
    "blobs2": lambda: datasets.blobs(40, centers=2, random_state=3)[0],
}


@pytest.mark.parametrize("name", DATASETS)
@pytest.mark.parametrize("n_components", [None, 2])
def test_equals_sklearn_up_to_sign(name, n_components):
    X = DATASETS[name]()
    ours = pca.pca(X, n_components)
    ref = PCA(n_components=n_components, svd_solver="full").fit(X)
    comps = ours.extras["components"]
    signs = np.sign(np.sum(comps * ref.components_, axis=1))
    assert np.all(np.abs(signs) == 1)
    np.testing.assert_allclose(comps, signs[:, None] * ref.components_, rtol=0, atol=1e-10)
    np.testing.assert_allclose(ours.extras["explained_variance_ratio"],
                               ref.explained_variance_ratio_, rtol=0, atol=1e-10)
    np.testing.assert_allclose(ours.extras["explained_variance"], ref.explained_variance_,
                               rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(ours.extras["projections"], ref.transform(X) * signs,
                               rtol=0, atol=1e-10)
    np.testing.assert_allclose(ours.extras["mean"], ref.mean_, rtol=0, atol=1e-10)


def test_eigen_equations_hold():
    X = anisotropic()
    traj = pca.pca(X)
    S, U, lam = traj.extras["covariance"], traj.extras["components"], traj.extras["eigenvalues"]
    Xc = X - X.mean(axis=0)
    np.testing.assert_allclose(S, Xc.T @ Xc / (len(X) - 1), rtol=1e-12)
    np.testing.assert_allclose(U @ U.T, np.eye(4), atol=1e-12)
    np.testing.assert_allclose(S @ U.T, U.T * lam, atol=1e-10)            # Sigma u = lambda u
    assert np.all(np.diff(lam) <= 0)                                       # descending
    np.testing.assert_allclose(np.var(traj.extras["projections"], axis=0, ddof=1), lam,
                               rtol=1e-10)                                 # variance = eigenvalue
    np.testing.assert_allclose(traj.grads, 0.0, atol=1e-9)                # Lagrangian stationary


def test_data_are_centred_first():
    X = anisotropic(seed=2)
    shifted = pca.pca(X + 1000.0)
    plain = pca.pca(X)
    np.testing.assert_allclose(shifted.extras["components"], plain.extras["components"], atol=1e-9)
    np.testing.assert_allclose(shifted.extras["projections"], plain.extras["projections"],
                               atol=1e-8)


def test_sign_convention_is_deterministic():
    X = anisotropic(seed=3)
    U = pca.pca(X).extras["components"]
    biggest = U[np.arange(len(U)), np.argmax(np.abs(U), axis=1)]
    assert np.all(biggest > 0)
    # mirrored data have the same covariance, so the same (signed) components
    np.testing.assert_array_equal(pca.pca(-X).extras["components"], U)


def test_reconstruction_loss_is_the_discarded_variance():
    X = datasets.noisy_plane(60, random_state=4)
    traj = pca.pca(X, 2)
    lam = traj.extras["eigenvalues"]
    n = len(X)
    assert traj.loss[0] == pytest.approx((n - 1) / n * lam[2], rel=1e-10)
    assert pca.pca(X).loss[0] == pytest.approx(0.0, abs=1e-20)


def test_direction_sweep_peaks_at_the_first_component():
    X = datasets.blobs(40, centers=np.array([[0.0, 0.0], [4.0, 2.0]]), random_state=5)[0]
    full = pca.pca(X)
    sweep = pca.direction_sweep(X, n_angles=3600)
    lam = full.extras["eigenvalues"]
    Xc = X - X.mean(axis=0)
    np.testing.assert_allclose(sweep.extras["variance"],
                               np.var(Xc @ sweep.params.T, axis=0, ddof=1), rtol=1e-10)
    assert np.all(sweep.extras["variance"] <= lam[0] + 1e-12)
    best = np.argmax(sweep.extras["variance"])
    assert abs(abs(sweep.params[best] @ full.extras["components"][0]) - 1) < 1e-6
    assert sweep.loss[best] == pytest.approx(lam[1], rel=1e-5)
    # the gradient along the circle vanishes at the principal axis
    assert np.linalg.norm(sweep.grads[best]) < 1e-2 * np.linalg.norm(sweep.grads, axis=1).max()


def test_same_data_same_fingerprint():
    X = anisotropic(seed=6)
    assert pca.pca(X).fingerprint() == pca.pca(X.copy()).fingerprint()
    assert pca.pca(X).fingerprint() != pca.pca(X[:-1]).fingerprint()


@pytest.mark.parametrize("X, kwargs, match", [
    (np.zeros(5), {}, "X must be 2-D"),
    (np.zeros((1, 3)), {}, "at least 2 sample"),
    ([[1.0, np.nan], [2.0, 3.0]], {}, "finite"),
    ([[1.0, np.inf], [2.0, 3.0]], {}, "finite"),
    (np.ones((4, 2)), dict(n_components=3), "n_components must be at most"),
    (np.ones((4, 2)), dict(n_components=0), "n_components must be an integer"),
])
def test_bad_input(X, kwargs, match):
    with pytest.raises(ValueError, match=match):
        pca.pca(X, **kwargs)


def test_direction_sweep_needs_2d_data():
    with pytest.raises(ValueError, match="2 features"):
        pca.direction_sweep(np.ones((4, 3)))
