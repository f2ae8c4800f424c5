"""``kmeans-objective`` and ``pca-derivation``: the numbers on screen are the lesson data's, and
what the narration claims holds for the data."""
import numpy as np
import pytest


def tex(m) -> str:
    return m.get_tex_string()


# ------------------------------------------------------------------------------ kmeans-objective

@pytest.fixture(scope="module")
def km(last_frame):
    from mlv.scenes.chapter2 import kmeans_objective as mod

    scene, _ = last_frame(mod.KMeansObjective)
    return scene


def test_kmeans_objective_shows_the_datas_J(km):
    from mlv.algorithms.lessons import kmeans_lesson

    scene = km
    L = scene.lesson
    assert tex(scene.shown_J[2]) == f"{L.J:.1f}"
    assert kmeans_lesson().run.loss[-1] == L.J          # the clustering kmeans-training ends in
    assert f"J is {L.J:.1f}" in scene.narration["objective"].written


def test_kmeans_objective_check_shows_the_candidates_J(km):
    scene = km
    L = scene.lesson
    last, mid = len(L.offsets) - 1, int(np.flatnonzero(L.offsets == 0)[0])
    # end of the "grows" beat: the centre 2.5 units right of its mean
    assert scene.grows_shown == {"mu": f"{L.candidates[last, L.moved, 0]:.2f}",
                                 "J": f"{L.J_candidates[last]:.1f}"}
    # the last frame: back at the mean, J at its minimum
    assert scene.tracker_index == mid
    assert scene.readout.displayed() == {"mu": L.centres[L.moved, 0]}
    assert scene.j_readout.displayed() == {"J": L.J_candidates[mid]}
    assert scene.j_readout.displayed_text()["J"] == f"{L.J:.1f}"


def test_kmeans_objective_narration_claims_hold(km):
    scene = km
    L = scene.lesson
    last, mid = len(L.offsets) - 1, int(np.flatnonzero(L.offsets == 0)[0])
    shift = L.offsets[last]
    # "J grows on both sides" of the mean
    assert np.all(np.diff(L.J_candidates[:mid + 1]) < 0)
    assert np.all(np.diff(L.J_candidates[mid:]) > 0)
    # "... up 237.5: the cluster's 38 points times 2.5²" (said "2.5 squared")
    up = L.J_candidates[last] - L.J
    n_k = int(np.sum(L.labels == L.moved))
    assert up == pytest.approx(n_k * shift ** 2, rel=1e-9)
    text, said = scene.narration["grows"].written, scene.narration["grows"].spoken
    assert f"{shift:g} units right of the mean it is {L.J_candidates[last]:.1f}" in text
    assert f"up {up:.1f}" in text and f"{n_k} points times {shift:g}²" in text
    assert f"{n_k} points times {shift:g} squared" in said
    assert f"{up:.1f}" == f"{n_k * shift ** 2:.1f}"
    # "the best centre of a cluster is the mean of its points": the centres shown are the means
    for k, c in enumerate(L.centres):
        np.testing.assert_allclose(c, L.X[L.labels == k].mean(axis=0), atol=1e-12)


def test_kmeans_objective_derivation_vanishes_at_the_shown_centres(km):
    from mlv.derivations.kmeans import numpy_objective_gradient

    scene = km
    L = scene.lesson
    g = numpy_objective_gradient()
    np.testing.assert_allclose(g(L.X, L.centres, L.labels), 0.0, atol=1e-9)
    n_k = int(np.sum(L.labels == L.moved))
    moved = g(L.X, L.candidates[-1], L.labels)[L.moved]
    assert moved[0] == pytest.approx(2 * n_k * L.offsets[-1])       # 2 n (mu_1 - xbar)


# -------------------------------------------------------------------------------- pca-derivation

@pytest.fixture(scope="module")
def pc(last_frame):
    from mlv.scenes.chapter2 import pca_derivation as mod

    scene, _ = last_frame(mod.PCADerivation)
    return scene


def test_pca_derivation_shows_the_raw_and_centred_matrices(pc):
    scene = pc
    L = scene.lesson
    raw, cov = scene.shown_matrices
    for M, shown in ((L.raw_moment, raw), (L.covariance, cov)):
        for v in M.ravel():
            assert f"{v:.2f}" in tex(shown[2])
    np.testing.assert_allclose(L.covariance, np.cov(L.X, rowvar=False), rtol=1e-12)


def test_pca_derivation_why_centre_numbers_add_up(pc):
    scene = pc
    L = scene.lesson
    raw, var, extra = L.raw_moment[0, 0], L.covariance[0, 0], L.n / (L.n - 1) * L.mean[0] ** 2
    assert raw == pytest.approx(var + extra, rel=1e-12)
    shown = tex(scene.shown_check)
    for v in (raw, var, extra):
        assert f"{v:.2f}" in shown
    # the rounded numbers on screen add up too
    assert round(float(f"{var:.2f}") + float(f"{extra:.2f}"), 2) == float(f"{raw:.2f}")
    assert f"{var:.2f} + {extra:.2f}" in scene.narration["why-result"].written
    assert f"{var:.2f} plus {extra:.2f}" in scene.narration["why-result"].spoken
    why = scene.narration["why"]
    assert f"{raw:.2f} here, where the variance of x₁ is {var:.2f}" in why.written
    assert f"{raw:.2f} here, where the variance of x 1 is {var:.2f}" in why.spoken


def test_pca_derivation_peak_is_the_top_eigenvector_and_eigenvalue(pc):
    from sklearn.decomposition import PCA

    scene = pc
    L = scene.lesson
    ref = PCA(n_components=2, svd_solver="full").fit(L.X)
    lam1 = ref.explained_variance_[0]
    angle = np.degrees(np.arctan2(ref.components_[0, 1], ref.components_[0, 0])) % 180
    assert scene.peak_shown == {"theta": f"{angle:.1f}", "var": f"{lam1:.2f}"}
    assert pytest.approx(angle, abs=1e-9) == np.degrees(L.angles[L.top_index])
    assert int(np.argmax(L.variance)) == L.top_index
    text = scene.narration["peak"].written
    assert f"{angle:.1f} degrees" in text and f"{lam1:.2f}, the largest eigenvalue" in text
    assert tex(scene.labels[0]).endswith(f"{lam1:.2f}")


def test_pca_derivation_ends_at_the_minor_axis(pc):
    scene = pc
    L = scene.lesson
    lam2 = np.linalg.eigvalsh(np.cov(L.X, rowvar=False))[0]
    assert scene.tracker_index == L.minor_index
    shown = scene.readout.displayed()
    assert shown["var"] == L.variance[L.minor_index]
    assert shown["var"] == pytest.approx(lam2, rel=1e-12)
    assert shown["var"] == pytest.approx(L.variance.min(), rel=1e-12)      # "smallest"
    top = np.degrees(L.angles[L.top_index])
    assert (shown["theta"] - top) == pytest.approx(90.0)                  # "at right angles"
    assert f"smallest: {lam2:.2f}" in scene.narration["lesson"].written
    assert tex(scene.labels[1]).endswith(f"{lam2:.2f}")
