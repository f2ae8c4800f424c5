"""Lesson data of ``kmeans-objective``, ``kmeans-training`` and ``pca-derivation`` against
independent references: a naive loop for J, ``np.cov`` and scikit-learn's PCA for the projected
variance."""
import numpy as np
import pytest
from sklearn.decomposition import PCA

from mlv.algorithms import kmeans
from mlv.algorithms.lessons import (
    kmeans_lesson,
    kmeans_objective_lesson,
    pca_derivation_lesson,
    projected_variance,
    within_cluster_sum_of_squares,
)


def naive_J(X, labels, centres):
    total = 0.0
    for i in range(len(X)):
        for d in range(X.shape[1]):
            total += (X[i, d] - centres[labels[i]][d]) ** 2
    return total


@pytest.fixture(scope="module")
def km():
    return kmeans_objective_lesson()


@pytest.fixture(scope="module")
def pc():
    return pca_derivation_lesson()


# ------------------------------------------------------------------------------ kmeans-objective

def test_J_for_candidate_centres_matches_a_naive_loop(km):
    rng = np.random.default_rng(0)
    for j in (0, 17, len(km.offsets) // 2, len(km.offsets) - 1):
        assert km.J_candidates[j] == pytest.approx(naive_J(km.X, km.labels, km.candidates[j]),
                                                   rel=1e-12)
    random_centres = rng.normal(size=(5, 4, 2)) * 3
    got = within_cluster_sum_of_squares(km.X, km.labels, random_centres)
    want = [naive_J(km.X, km.labels, c) for c in random_centres]
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_the_clustering_is_kmeans_trainings_converged_state(km):
    run = kmeans_lesson().run
    assert run.meta["converged"]
    np.testing.assert_array_equal(km.labels, run.extras["labels"][-1])
    assert pytest.approx(run.loss[-1], rel=1e-12) == km.J
    assert pytest.approx(kmeans.objective(km.X, km.centres, km.labels), rel=1e-12) == km.J


def test_every_centre_is_its_clusters_mean(km):
    for k, c in enumerate(km.centres):
        np.testing.assert_allclose(c, km.X[km.labels == k].mean(axis=0), rtol=0, atol=1e-12)
    np.testing.assert_allclose(kmeans.objective_gradient(km.X, km.centres, km.labels), 0.0,
                               atol=1e-9)


def test_J_is_smallest_at_the_mean_and_grows_by_n_k_times_the_squared_shift(km):
    mid = len(km.offsets) // 2
    assert km.offsets[mid] == 0.0
    np.testing.assert_array_equal(km.candidates[mid], km.centres)
    assert int(np.argmin(km.J_candidates)) == mid
    assert km.J_candidates[mid] == pytest.approx(km.J, rel=1e-12)
    left, right = km.J_candidates[:mid + 1], km.J_candidates[mid:]
    assert np.all(np.diff(left) < 0) and np.all(np.diff(right) > 0)
    n_k = km.cluster_sizes[km.moved]
    np.testing.assert_allclose(km.J_candidates - km.J, n_k * km.offsets ** 2, rtol=1e-9,
                               atol=1e-9)
    # random moves of any centre off its mean never lower J
    rng = np.random.default_rng(1)
    moves = km.centres + rng.normal(size=(50, *km.centres.shape))
    assert np.all(within_cluster_sum_of_squares(km.X, km.labels, moves) > km.J)


def test_mean_index_and_moved_coordinate(km):
    i = km.mean_index
    assert km.offsets[i] == 0.0
    np.testing.assert_array_equal(km.candidates[i], km.centres)
    np.testing.assert_allclose(km.moved_mu1, km.centres[km.moved, 0] + km.offsets, rtol=1e-12)
    # every other coordinate stays where it was
    others = np.delete(km.candidates, km.moved, axis=1)
    np.testing.assert_array_equal(others, np.broadcast_to(np.delete(km.centres, km.moved, 0),
                                                          others.shape))


# ------------------------------------------------------------------------------- kmeans-training

def naive_final_J(X, centres):
    """J of the centres with every point assigned to its nearest centre, by plain loops."""
    total = 0.0
    for x in X:
        total += min(sum((a - b) ** 2 for a, b in zip(x, c, strict=True)) for c in centres)
    return total


@pytest.mark.parametrize("values, outcome", [
    ({}, "worse"), ({"k": 3, "init_seed": 0}, "same"), ({"k": 4, "init_seed": 3}, "same"),
    ({"k": 6, "seed": 11, "init_seed": 5}, "better"), ({"k": 2}, "worse"),
])
def test_other_start_outcome_compares_the_two_final_objectives(values, outcome):
    lesson = kmeans_lesson(values.get("seed", 3), k=values.get("k", 4),
                           init_seed=values.get("init_seed", 2))
    j_run = naive_final_J(lesson.X, lesson.run.extras["centroids"][-1])
    j_other = naive_final_J(lesson.X, lesson.other.extras["centroids"][-1])
    assert lesson.run.meta["converged"] and lesson.other.meta["converged"]
    assert lesson.run.loss[-1] == pytest.approx(j_run, rel=1e-12)
    assert lesson.other.loss[-1] == pytest.approx(j_other, rel=1e-12)
    if outcome == "same":
        assert j_other == pytest.approx(j_run, rel=1e-9)
    else:
        assert (j_other > j_run) == (outcome == "worse")
        assert abs(j_other - j_run) > 1e-6 * j_run
    assert lesson.other_outcome == outcome


# ------------------------------------------------------------------------------- pca-derivation

def test_variance_curve_peaks_at_the_top_eigenvalue_of_np_cov(pc):
    lam = np.linalg.eigvalsh(np.cov(pc.X, rowvar=False))
    assert pc.variance.max() == pytest.approx(lam[-1], rel=1e-12)
    assert pc.variance[pc.top_index] == pytest.approx(lam[-1], rel=1e-12)
    assert pc.variance.min() >= lam[0] - 1e-12
    assert pc.variance.min() == pytest.approx(lam[0], rel=1e-12)
    low = pc.directions[int(np.argmin(pc.variance))]
    assert abs(float(low @ pc.components[0])) < 1e-12           # at right angles to the top
    np.testing.assert_allclose(pc.eigenvalues, lam[::-1], rtol=1e-12)


def test_variance_curve_peaks_at_sklearns_first_component_up_to_sign(pc):
    ref = PCA(n_components=2, svd_solver="full").fit(pc.X).components_[0]
    peak = pc.directions[int(np.argmax(pc.variance))]
    assert abs(float(peak @ ref)) == pytest.approx(1.0, abs=1e-12)
    u = np.array([np.cos(pc.top_angle), np.sin(pc.top_angle)])
    assert abs(float(u @ ref)) == pytest.approx(1.0, abs=1e-12)
    assert 0 <= pc.top_angle < np.pi
    # the other peak, half a turn later, is -u: the same line
    other = int(np.flatnonzero(pc.angles == pc.top_angle + np.pi)[0])
    assert pc.variance[other] == pytest.approx(pc.variance[pc.top_index], rel=1e-12)


def test_projected_variance_is_u_sigma_u(pc):
    S = np.cov(pc.X, rowvar=False)
    quad = np.einsum("ai,ij,aj->a", pc.directions, S, pc.directions)
    np.testing.assert_allclose(pc.variance, quad, rtol=1e-12)
    # projections by a plain loop
    j = 100
    u = pc.directions[j]
    loop = [u[0] * x + u[1] * y for x, y in pc.X_centered]
    np.testing.assert_allclose(pc.projections[j], loop, rtol=1e-12, atol=1e-12)
    proj, var = projected_variance(pc.X_centered, pc.directions[:3])
    assert proj.shape == (3, pc.n) and var.shape == (3,)


def test_angles_cover_one_turn_every_degree(pc):
    assert pc.angles[0] == 0.0 and pc.angles[-1] == pytest.approx(2 * np.pi)
    assert np.all(np.diff(pc.angles) > 0)
    assert len(pc.angles) == 361 + 4
    np.testing.assert_allclose(np.linalg.norm(pc.directions, axis=1), 1.0, rtol=1e-12)


def test_raw_moment_is_the_covariance_only_after_centring(pc):
    n = pc.n
    np.testing.assert_allclose(pc.covariance, np.cov(pc.X, rowvar=False), rtol=1e-12)
    np.testing.assert_allclose(pc.raw_moment, pc.X.T @ pc.X / (n - 1), rtol=1e-12)
    np.testing.assert_allclose(pc.raw_moment - pc.covariance,
                               n / (n - 1) * np.outer(pc.mean, pc.mean), rtol=1e-10)
    np.testing.assert_allclose(pc.X_centered.mean(axis=0), 0.0, atol=1e-12)
    Xc = pc.X_centered
    np.testing.assert_allclose(Xc.T @ Xc / (n - 1), pc.covariance, rtol=1e-12)
    # the data are far enough from the origin that the difference is visible on screen
    assert np.all(np.abs(pc.raw_moment - pc.covariance) > 0.5)


def test_degrees_minor_axis_and_centring_shift(pc):
    np.testing.assert_allclose(pc.degrees, pc.angles * 180 / np.pi, rtol=1e-12)
    assert pc.degrees[pc.top_index] == pytest.approx(np.degrees(pc.top_angle), rel=1e-12)
    # the minor axis: a quarter turn on, at right angles to the top component, and the smallest
    # eigenvalue of np.cov is the variance there
    minor = pc.directions[pc.minor_index]
    assert abs(float(minor @ pc.components[0])) < 1e-12
    assert pc.degrees[pc.minor_index] - pc.degrees[pc.top_index] == pytest.approx(90.0)
    lam = np.linalg.eigvalsh(np.cov(pc.X, rowvar=False))
    assert pc.variance[pc.minor_index] == pytest.approx(lam[0], rel=1e-12)
    # what the raw moment adds to the covariance, computed without the lesson
    n = len(pc.X)
    np.testing.assert_allclose(pc.centring_shift,
                               pc.X.T @ pc.X / (n - 1) - np.cov(pc.X, rowvar=False),
                               rtol=1e-10, atol=1e-12)
