"""Chapter 3's scenes show their lesson data's own numbers, and what their narration claims is true
of that data."""
import numpy as np
import pytest

# ------------------------------------------------------------------------------------ perceptron

def test_perceptron_scene_shows_the_final_update(last_frame):
    from mlv.scenes.chapter3 import perceptron as mod

    scene, _ = last_frame(mod.Perceptron)
    L = mod.LESSON
    assert scene.final_shown == {"k": float(L.n_updates), "w1": L.w[-1, 0], "w2": L.w[-1, 1],
                                 "b": L.b[-1], "mistakes": 0.0}
    shown = scene.final_losses.displayed()
    assert shown == {"criterion": L.run.loss[-1], "hinge": L.hinge[-1]}
    assert scene.final_losses.displayed_text()["hinge"] == f"{L.hinge[-1]:.3f}"


def test_perceptron_narration_claims():
    from mlv.scenes.chapter3 import perceptron as mod

    L = mod.LESSON
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


def test_perceptron_update_is_a_subgradient_step_of_the_derived_criterion():
    """The bias beat: "a step of eta against this subgradient is exactly the update rule"."""
    from mlv.derivations.perceptron import numpy_criterion_subgradient
    from mlv.scenes.chapter3 import perceptron as mod

    L = mod.LESSON
    g = numpy_criterion_subgradient()
    for k in range(1, len(L.w)):
        i = L.cause[k]
        one = g(L.X[i:i + 1], L.y[i:i + 1], L.w[k - 1], L.b[k - 1])      # one point's subgradient
        np.testing.assert_allclose(np.append(L.w[k], L.b[k]),
                                   np.append(L.w[k - 1], L.b[k - 1]) - mod.ETA * one, atol=1e-12)


# -------------------------------------------------------------------------- activation functions

def test_activation_narration_claims():
    from mlv.scenes.chapter3 import activation_functions as mod

    C = mod.CURVES
    assert pytest.approx(0.25) == mod.MAX_SIGMOID and pytest.approx(1.0) == mod.MAX_TANH
    # "beyond about +-EDGE its slope is below SAT" (and not below it inside)
    for name, edge in (("sigmoid", mod.EDGE_SIGMOID), ("tanh", mod.EDGE_TANH)):
        slopes = C.slopes[name]
        assert np.all(slopes[np.abs(C.z) >= edge] < C.saturation)
        assert np.all(slopes[np.abs(C.z) < edge - (C.z[1] - C.z[0])] >= C.saturation)
    assert mod.EDGE_TANH < mod.EDGE_SIGMOID               # tanh saturates sooner
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
    final = mod.RUN.final
    assert scene.params.displayed() == {"w1": final["w1"], "w2": final["w2"], "b": final["b"]}
    for name, num in scene.params.numbers.items():
        assert num.text == f"{final[name]:+.3f}"
    assert scene.stats.displayed() == {"epoch": float(mod.RUN.steps[-1]), "loss": final["loss"],
                                       "acc": 100 * float(mod.ACC[-1])}
    assert scene.stats.displayed_text()["acc"] == f"{100 * mod.ACC[-1]:.1f}"


def test_drawn_half_contour_is_the_final_boundary(last_frame):
    """Every point of the drawn 0.5 contour satisfies w . x + b = 0 for the final w, b (up to the
    grid's linear interpolation)."""
    from mlv.scenes.chapter3 import logistic_regression_training as mod

    scene, _ = last_frame(mod.LogisticRegressionTraining)
    w1, w2, b = mod.RUN.params[-1]
    pts = np.array([scene.axes.p2c(p) for line in scene.boundary for p in line.points])
    assert len(pts) > 10
    dist = np.abs(pts[:, 0] * w1 + pts[:, 1] * w2 + b) / np.hypot(w1, w2)
    spacing = mod.LESSON.grid_x1[1] - mod.LESSON.grid_x1[0]
    assert dist.max() < 0.01 * spacing
    # and it spans the plotted box (one straight line across it)
    x0, x1, y0, y1 = mod.LESSON.box
    span = np.ptp(pts, axis=0)
    assert max(span[0] / (x1 - x0), span[1] / (y1 - y0)) > 0.9


def test_logistic_training_narration_claims():
    from mlv.scenes.chapter3 import logistic_regression_training as mod

    L = mod.LESSON
    P = L.run.params
    # "after the very first step the boundary already points the right way"
    w1, wf = P[1, :2], P[-1, :2]
    assert np.degrees(np.arccos(w1 @ wf / np.linalg.norm(w1) / np.linalg.norm(wf))) < 1.0
    # "later steps only shift it a little": the line's offset from the origin moves < 0.25
    offset = lambda k: P[k, 2] / np.linalg.norm(P[k, :2])
    assert abs(offset(len(P) - 1) - offset(1)) < 0.25
    # "the weights grow"
    norms = np.linalg.norm(P[list(L.shown[1:]), :2], axis=1)
    assert np.all(np.diff(norms) > 0)
    # "accuracy is 50 percent at the start; ties count as class one"
    assert L.accuracy[0] == np.mean(L.y == 1) == 0.5
    # "the other N points stay on the wrong side"
    assert mod.N_WRONG == round(len(L.y) * (1 - L.accuracy[-1])) > 0
    # "falls from e0 to about ten to the k" and "agrees to d decimal places"
    assert 10.0 ** mod.EXCESS_EXP <= L.excess[-1] < 10.0 ** (mod.EXCESS_EXP + 1)
    assert mod.GAP < 10.0 ** -mod.GAP_DIGITS and mod.GAP_DIGITS >= 4
