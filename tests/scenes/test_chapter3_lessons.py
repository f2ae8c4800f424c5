"""Chapter 3's scenes show their lesson data's own numbers, and what their narration claims is true
of that data (read in-process from each scene's script)."""
import numpy as np
import pytest

from mlv.scenes import catalog

# ------------------------------------------------------------------------------------ perceptron

def test_perceptron_scene_shows_the_final_update(last_frame):
    from mlv.scenes.chapter3 import perceptron as mod

    scene, _ = last_frame(mod.Perceptron)
    L = scene.lesson
    assert scene.final_shown == {"k": float(L.n_updates), "w1": L.w[-1, 0], "w2": L.w[-1, 1],
                                 "b": L.b[-1], "mistakes": 0.0}
    shown = scene.final_losses.displayed()
    assert shown == {"criterion": L.run.loss[-1], "hinge": L.hinge[-1]}
    assert scene.final_losses.displayed_text()["hinge"] == f"{L.hinge[-1]:.3f}"


def test_perceptron_narration_claims():
    script = catalog.script("perceptron")
    L = script.lesson
    # "every point counts as a mistake" at w = 0, b = 0
    assert L.mistakes[0] == len(L.y) and np.all(L.run.params[0] == 0)
    # "the number of misclassified points falls from m1 to 0"
    assert np.all(np.diff(L.mistakes[1:]) <= 0) and L.mistakes[-1] == 0
    # "after K updates, pass E makes no mistake, and the run stops"
    assert L.run.meta["converged"]
    assert L.run.extras["epoch"][-1] == L.epochs - 1
    # "the first point gives the first boundary": w1 = y_0 x_0, b1 = y_0
    assert L.cause[1] == 0
    np.testing.assert_allclose(L.w[1], L.y[0] * L.X[0])
    # "the criterion is 0, but the hinge loss is positive: m correct points inside the margin"
    f = L.X @ L.w[-1] + L.b[-1]
    assert L.run.loss[-1] == 0 and L.hinge[-1] > 0
    assert L.inside_margin == np.sum((L.y * f > 0) & (L.y * f < 1)) > 0
    assert np.all(L.y * f > 0)
    # the hinge loss is exactly the margin violations averaged over all points
    assert L.hinge[-1] == pytest.approx(np.sum(np.maximum(0, 1 - L.y * f)) / len(L.y))
    # and the narration says these numbers
    said = script.narration["hinge-final"].written
    assert f"the criterion is 0, but the hinge loss is {L.hinge[-1]:.3f}" in said
    assert f": {np.sum((L.y * f > 0) & (L.y * f < 1))} correct points" in said
    assert f"all {len(L.y)} points count as mistakes" in script.narration["start"].written


def test_perceptron_update_is_a_subgradient_step_of_the_derived_criterion():
    """The bias beat: "a step of η against this subgradient is exactly the update rule"."""
    from mlv.derivations.perceptron import numpy_criterion_subgradient

    L = catalog.script("perceptron").lesson
    eta = L.run.meta["learning_rate"]
    g = numpy_criterion_subgradient()
    for k in range(1, len(L.w)):
        i = L.cause[k]
        one = g(L.X[i:i + 1], L.y[i:i + 1], L.w[k - 1], L.b[k - 1])      # one point's subgradient
        np.testing.assert_allclose(np.append(L.w[k], L.b[k]),
                                   np.append(L.w[k - 1], L.b[k - 1]) - eta * one, atol=1e-12)


# -------------------------------------------------------------------------- activation functions

def test_activation_narration_claims():
    script = catalog.script("activation-functions")
    C = script.lesson
    assert "where it is 0.25, one quarter" in script.narration["sigmoid"].written
    assert "a slope of up to 1." in script.narration["tanh"].written
    # "beyond about +-EDGE its slope is below SAT" (and not below it inside)
    edges = {name: C.saturation_edge(name) for name in ("sigmoid", "tanh")}
    for name, edge in edges.items():
        slopes = C.slopes[name]
        assert np.all(slopes[np.abs(C.z) >= edge] < C.saturation)
        assert np.all(slopes[np.abs(C.z) < edge - (C.z[1] - C.z[0])] >= C.saturation)
    assert edges["tanh"] < edges["sigmoid"]               # tanh saturates sooner
    assert (f"beyond about ±{edges['sigmoid']:.1f}, its slope is below "
            f"{C.saturation:g}") in script.narration["saturate"].written
    assert (f"beyond about plus or minus {edges['sigmoid']:.1f}, its slope is below "
            f"{C.saturation:g}") in script.narration["saturate"].spoken
    # the step's slope is zero everywhere it exists; leaky ReLU keeps its small slope
    assert np.all(C.slopes["step"] == 0)
    assert np.all(C.slopes["leaky_relu"][C.z < 0] == C.leaky_slope)


# --------------------------------------------------------------------------- logistic regression

def test_matrix_gradient_is_the_derived_one_and_differs_per_weight():
    """The matrix beat: 1/n X^T (sigma(Xw + b) - y) equals the derived per-weight gradient; the
    mistake beat: a mean over features would give every weight the same number."""
    from mlv.algorithms import logistic_regression as lr
    from mlv.algorithms.lessons_linear import logistic_lesson
    from mlv.derivations.logistic_regression import numpy_gradient

    L = logistic_lesson()
    w, b = np.zeros(2), 0.0                               # the first step of the training run
    r = lr.sigmoid(L.X @ w + b) - L.y
    matrix = np.append(L.X.T @ r / len(L.y), r.mean())
    np.testing.assert_allclose(numpy_gradient()(L.X, L.y, w, b), matrix, atol=1e-12)
    np.testing.assert_allclose(lr.gradient(L.X, L.y, w, b), matrix, atol=1e-12)
    wrong = np.full(2, np.mean(L.X * r[:, None]))       # averaged over samples AND features
    assert wrong[0] == wrong[1] and abs(matrix[0] - matrix[1]) > 0.1


def test_training_scene_shows_the_trajectorys_final_numbers(last_frame):
    from mlv.scenes.chapter3 import logistic_regression_training as mod

    scene, _ = last_frame(mod.LogisticRegressionTraining)
    run, acc = scene.lesson.run, scene.lesson.accuracy
    final = run.final
    assert scene.params.displayed() == {"w1": final["w1"], "w2": final["w2"], "b": final["b"]}
    for name, num in scene.params.numbers.items():
        assert num.text == f"{final[name]:+.3f}"
    assert scene.stats.displayed() == {"epoch": float(run.steps[-1]), "loss": final["loss"],
                                       "acc": 100 * float(acc[-1])}
    assert scene.stats.displayed_text()["acc"] == f"{100 * acc[-1]:.1f}"


def test_drawn_half_contour_is_the_final_boundary(last_frame):
    """Every point of the drawn 0.5 contour satisfies w . x + b = 0 for the final w, b (up to the
    grid's linear interpolation)."""
    from mlv.scenes.chapter3 import logistic_regression_training as mod

    scene, _ = last_frame(mod.LogisticRegressionTraining)
    L = scene.lesson
    w1, w2, b = L.run.params[-1]
    pts = np.array([scene.axes.p2c(p) for line in scene.boundary for p in line.points])
    assert len(pts) > 10
    dist = np.abs(pts[:, 0] * w1 + pts[:, 1] * w2 + b) / np.hypot(w1, w2)
    spacing = L.grid_x1[1] - L.grid_x1[0]
    assert dist.max() < 0.01 * spacing
    # and it spans the plotted box (one straight line across it)
    x0, x1, y0, y1 = L.box
    span = np.ptp(pts, axis=0)
    assert max(span[0] / (x1 - x0), span[1] / (y1 - y0)) > 0.9


def test_logistic_training_narration_claims():
    script = catalog.script("logistic-regression-training")
    L = script.lesson
    P = L.run.params
    # "after the very first step the boundary already points the right way"
    w1, wf = P[1, :2], P[-1, :2]
    assert np.degrees(np.arccos(w1 @ wf / np.linalg.norm(w1) / np.linalg.norm(wf))) < 1.0

    # "later steps only shift it a little": the line's offset from the origin moves < 0.25
    def offset(k):
        return P[k, 2] / np.linalg.norm(P[k, :2])

    assert abs(offset(len(P) - 1) - offset(1)) < 0.25
    # "the weights grow"
    norms = np.linalg.norm(P[list(L.shown[1:]), :2], axis=1)
    assert np.all(np.diff(norms) > 0)
    # "accuracy is 50 percent at the start; ties count as class one"
    assert L.accuracy[0] == np.mean(L.y == 1) == 0.5
    assert "so accuracy is 50 percent" in script.narration["start"].written
    # "the other N points stay on the wrong side"
    wrong = int(np.sum((L.X @ P[-1, :2] + P[-1, 2] >= 0) != (L.y == 1)))
    assert wrong > 0
    assert (f"Accuracy rises to {100 * (1 - wrong / len(L.y)):.1f} percent. The other {wrong} "
            "points stay on the wrong side") in script.narration["accuracy"].written
    # "falls from e0 to about 10^k" and "agrees to d decimal places"
    k = int(f"{L.excess[-1]:e}".split("e")[1])
    loss = script.narration["loss"]
    sup = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
    assert f"{L.excess[0]:.2f} to about 10{str(k).translate(sup)}." in loss.written
    assert f"{L.excess[0]:.2f} to about 10 to the minus {-k}." in loss.spoken
    assert L.agreeing_decimals >= 4
    assert f"to {L.agreeing_decimals} decimal places" in script.narration["optimum"].written
