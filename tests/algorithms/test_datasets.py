"""Seeded data generators: shapes, geometry, reproducibility, bad input."""
import numpy as np
import pytest

from mlv.algorithms import datasets

GENERATORS = {
    "blobs": lambda seed: datasets.blobs(50, random_state=seed),
    "two_moons": lambda seed: datasets.two_moons(50, random_state=seed),
    "circles": lambda seed: datasets.circles(50, random_state=seed),
    "xor": lambda seed: datasets.xor(50, random_state=seed),
    "noisy_plane": lambda seed: (datasets.noisy_plane(50, random_state=seed),),
}


@pytest.mark.parametrize("name", GENERATORS)
def test_seeded_and_leaves_global_state_alone(name):
    np.random.seed(5)
    before = np.random.get_state()[1].copy()
    a, b, c = (GENERATORS[name](s) for s in (3, 3, 4))
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    assert not np.array_equal(a[0], c[0])
    np.testing.assert_array_equal(np.random.get_state()[1], before)
    # a Generator is accepted too and advances
    rng = np.random.default_rng(0)
    name_fn = getattr(datasets, name)
    first, second = name_fn(20, random_state=rng), name_fn(20, random_state=rng)
    assert not np.array_equal(np.asarray(first[0]), np.asarray(second[0]))


@pytest.mark.parametrize("name", ["blobs", "two_moons", "circles", "xor"])
def test_labelled_sets_shapes_and_balance(name):
    X, y = getattr(datasets, name)(101, random_state=0)
    assert X.shape == (101, 2) and y.shape == (101,)
    assert y.dtype.kind == "i"
    counts = np.bincount(y)
    assert counts.max() - counts.min() <= 1
    assert np.all(np.isfinite(X))


def test_blobs_are_centred_where_asked():
    centres = np.array([[0.0, 0.0, 0.0], [10.0, -5.0, 2.0]])
    X, y = datasets.blobs(2000, centers=centres, cluster_std=0.5, random_state=1)
    for k in range(2):
        np.testing.assert_allclose(X[y == k].mean(axis=0), centres[k], atol=0.05)
        np.testing.assert_allclose(X[y == k].std(axis=0), 0.5, rtol=0.1)


def test_noise_free_geometry():
    X, y = datasets.two_moons(40, noise=0.0, random_state=0)
    np.testing.assert_allclose(np.linalg.norm(X[y == 0], axis=1), 1.0)
    np.testing.assert_allclose(np.linalg.norm(X[y == 1] - [1.0, 0.5], axis=1), 1.0)
    assert np.all(X[y == 0, 1] >= -1e-12) and np.all(X[y == 1, 1] <= 0.5 + 1e-12)
    X, y = datasets.circles(40, noise=0.0, factor=0.3, random_state=0)
    np.testing.assert_allclose(np.linalg.norm(X, axis=1), np.where(y == 0, 1.0, 0.3))
    X, y = datasets.xor(40, noise=0.0, random_state=0)
    np.testing.assert_array_equal(y, (np.sign(X[:, 0]) != np.sign(X[:, 1])).astype(int))


def test_noisy_plane_scatters_around_the_plane():
    X = datasets.noisy_plane(3000, slopes=(2.0, -1.0), intercept=0.5, noise=0.3, random_state=2)
    assert X.shape == (3000, 3)
    resid = X[:, 2] - (2.0 * X[:, 0] - 1.0 * X[:, 1] + 0.5)
    assert abs(resid.mean()) < 0.03 and resid.std() == pytest.approx(0.3, rel=0.05)
    assert X[:, :2].min() >= -3.0 and X[:, :2].max() <= 3.0


@pytest.mark.parametrize("call, match", [
    (lambda: datasets.blobs(1), "n must be an integer >= 2"),
    (lambda: datasets.blobs(10, centers=0), "centers"),
    (lambda: datasets.blobs(10, cluster_std=-1.0), "cluster_std"),
    (lambda: datasets.blobs(10, centers=np.array([[0.0, np.nan]])), "centers"),
    (lambda: datasets.two_moons(10, noise=np.inf), "noise"),
    (lambda: datasets.circles(10, factor=1.5), "factor"),
    (lambda: datasets.xor(3), "n must be an integer >= 4"),
    (lambda: datasets.noisy_plane(10, xy_range=(1.0, 1.0)), "xy_range"),
    (lambda: datasets.noisy_plane(2.5), "n must be an integer"),
])
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
