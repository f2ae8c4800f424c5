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
    return mod, scene


def test_kmeans_objective_shows_the_datas_J(km):
    from mlv.algorithms.lessons import kmeans_lesson

    mod, scene = km
    L = mod.LESSON
    assert tex(scene.shown_J[2]) == f"{L.J:.1f}"
    assert kmeans_lesson().run.loss[-1] == L.J          # the clustering kmeans-training ends in
    assert f"J is {L.J:.1f}" in mod.NARRATION["objective"].text


def test_kmeans_objective_check_shows_the_candidates_J(km):
    mod, scene = km
    L = mod.LESSON
    # end of the "grows" beat: the centre 2.5 units right of its mean
    assert scene.grows_shown == {"mu": f"{L.candidates[mod.LAST, mod.MOVED, 0]:.2f}",
                                 "J": f"{L.J_candidates[mod.LAST]:.1f}"}
    # the last frame: back at the mean, J at its minimum
    assert scene.tracker_index == mod.MID
    assert scene.readout.displayed() == {"mu": L.centres[mod.MOVED, 0]}
    assert scene.j_readout.displayed() == {"J": L.J_candidates[mod.MID]}
    assert scene.j_readout.displayed_text()["J"] == f"{L.J:.1f}"


def test_kmeans_objective_narration_claims_hold(km):
    mod, _ = km
    L = mod.LESSON
    mid, last = mod.MID, mod.LAST
    # "J grows on both sides" of the mean
    assert np.all(np.diff(L.J_candidates[:mid + 1]) < 0)
    assert np.all(np.diff(L.J_candidates[mid:]) > 0)
    # "... up 237.5: the cluster's 38 points times 2.5 squared"
    up = L.J_candidates[last] - L.J
    n_k = int(np.sum(L.labels == L.moved))
    assert n_k == mod.N_MOVED and L.offsets[last] == mod.SHIFT
    assert up == pytest.approx(n_k * mod.SHIFT ** 2, rel=1e-9)
    text = mod.NARRATION["grows"].text
    assert f"up {up:.1f}" in text and f"{n_k} points times {mod.SHIFT:g} squared" in text
    assert f"{up:.1f}" == f"{n_k * mod.SHIFT ** 2:.1f}"
    # "the best centre of a cluster is the mean of its points": the centres shown are the means
    for k, c in enumerate(L.centres):
        np.testing.assert_allclose(c, L.X[L.labels == k].mean(axis=0), atol=1e-12)


def test_kmeans_objective_derivation_vanishes_at_the_shown_centres(km):
    from mlv.derivations.kmeans import numpy_objective_gradient

    mod, _ = km
    L = mod.LESSON
    g = numpy_objective_gradient()
    np.testing.assert_allclose(g(L.X, L.centres, L.labels), 0.0, atol=1e-9)
    moved = g(L.X, L.candidates[mod.LAST], L.labels)[mod.MOVED]
    assert moved[0] == pytest.approx(2 * mod.N_MOVED * mod.SHIFT)     # 2 n (mu_1 - xbar)


# -------------------------------------------------------------------------------- pca-derivation

@pytest.fixture(scope="module")
def pc(last_frame):
    from mlv.scenes.chapter2 import pca_derivation as mod

    scene, _ = last_frame(mod.PCADerivation)
    return mod, scene


def test_pca_derivation_shows_the_raw_and_centred_matrices(pc):
    mod, scene = pc
    L = mod.LESSON
    raw, cov = scene.shown_matrices
    for M, shown in ((L.raw_moment, raw), (L.covariance, cov)):
        for v in M.ravel():
            assert f"{v:.2f}" in tex(shown[2])
    np.testing.assert_allclose(L.covariance, np.cov(L.X, rowvar=False), rtol=1e-12)


def test_pca_derivation_why_centre_numbers_add_up(pc):
    mod, scene = pc
    L = mod.LESSON
    raw, var, extra = L.raw_moment[0, 0], L.covariance[0, 0], L.n / (L.n - 1) * L.mean[0] ** 2
    assert raw == pytest.approx(var + extra, rel=1e-12)
    shown = tex(scene.shown_check)
    for v in (raw, var, extra):
        assert f"{v:.2f}" in shown
    # the rounded numbers on screen add up too
    assert round(float(f"{var:.2f}") + float(f"{extra:.2f}"), 2) == float(f"{raw:.2f}")
    assert f"{var:.2f} plus {extra:.2f}" in mod.NARRATION["why-result"].text
    assert f"{raw:.2f} here, where the variance of x one is {var:.2f}" in mod.NARRATION["why"].text


def test_pca_derivation_peak_is_the_top_eigenvector_and_eigenvalue(pc):
    from sklearn.decomposition import PCA

    mod, scene = pc
    L = mod.LESSON
    ref = PCA(n_components=2, svd_solver="full").fit(L.X)
    lam1 = ref.explained_variance_[0]
    assert scene.peak_shown == {"theta": f"{mod.TOP_DEG:.1f}", "var": f"{lam1:.2f}"}
    angle = np.degrees(np.arctan2(ref.components_[0, 1], ref.components_[0, 0])) % 180
    assert pytest.approx(angle, abs=1e-9) == mod.TOP_DEG
    assert int(np.argmax(L.variance)) == mod.TOP
    text = mod.NARRATION["peak"].text
    assert f"{angle:.1f} degrees" in text and f"{lam1:.2f}, the largest eigenvalue" in text
    assert tex(scene.labels[0]).endswith(f"{lam1:.2f}")


def test_pca_derivation_ends_at_the_minor_axis(pc):
    mod, scene = pc
    L = mod.LESSON
    lam2 = np.linalg.eigvalsh(np.cov(L.X, rowvar=False))[0]
    assert scene.tracker_index == mod.MINOR
    shown = scene.readout.displayed()
    assert shown["var"] == L.variance[mod.MINOR]
    assert shown["var"] == pytest.approx(lam2, rel=1e-12)
    assert shown["var"] == pytest.approx(L.variance.min(), rel=1e-12)      # "smallest"
    assert (shown["theta"] - mod.TOP_DEG) == pytest.approx(90.0)          # "at right angles"
    assert f"smallest: {lam2:.2f}" in mod.NARRATION["lesson"].text
    assert tex(scene.labels[1]).endswith(f"{lam2:.2f}")
