"""Chapter 4's first lessons: the XOR network's runs against naive loops, finite differences,
scikit-learn and the backprop derivation; the claims the narration makes, from the data."""
import math

import numpy as np
import pytest
from sklearn.svm import LinearSVC

from mlv.algorithms import lessons_networks as ln
from mlv.algorithms import network as nw
from mlv.derivations import backprop

LESSON = ln.xor_network_lesson()
TRACE = ln.weight_trace()
SPACE = ln.space_lesson()
H = 1e-6


def naive_forward(params, x):
    """One input through the network with Python loops and math.exp."""
    a = [float(v) for v in x]
    zs, acts = [], [list(a)]
    for W, b in params:
        z = [sum(W[i, j] * a[j] for j in range(len(a))) + b[i] for i in range(len(b))]
        a = [1.0 / (1.0 + math.exp(-v)) for v in z]
        zs.append(z)
        acts.append(a)
    return zs, acts


def naive_bce(params, X, y):
    total = 0.0
    for x, t in zip(X, y):
        p = naive_forward(params, x)[1][-1][0]
        total += -(t * math.log(p) + (1 - t) * math.log(1 - p))
    return total / len(y)


def central_differences(f, theta):
    return np.array([(f(theta + H * e) - f(theta - H * e)) / (2 * H) for e in np.eye(len(theta))])


def test_the_network_learns_xor_and_the_linear_model_cannot():
    run, lin = LESSON.run, LESSON.linear
    assert run.meta["layer_sizes"] == (2, 2, 1)
    assert run.meta["activations"] == ("sigmoid", "sigmoid")
    assert run.extras["accuracy"][-1] == 1.0                  # "all 100 points are right"
    assert run.loss[-1] < 0.01
    # the linear model: near the loss of a coin flip, about half right
    assert abs(lin.loss[-1] - math.log(2)) < 0.005
    assert lin.extras["accuracy"][-1] <= 0.55
    # and no line does much better: a linear SVM (scikit-learn) on the same points
    svm = LinearSVC(C=1.0).fit(LESSON.X, LESSON.y)
    assert svm.score(LESSON.X, LESSON.y) < 0.7


def test_every_epoch_is_recorded_and_the_sample_is_a_class_1_point():
    assert list(LESSON.run.steps) == list(range(LESSON.run.meta["epochs"] + 1))
    assert LESSON.y_sample == 1.0
    assert np.sum((LESSON.x_sample - [-1, 1]) ** 2) < 0.1


@pytest.mark.parametrize("k", [0, -1])
def test_forward_pass_matches_a_naive_loop(k):
    params = LESSON.params(k)
    p = LESSON.forward_pass() if k == -1 else LESSON.first_pass()
    zs, acts = naive_forward(params, LESSON.x_sample)
    for l in range(2):
        np.testing.assert_allclose(p.pre_activations[l], zs[l], rtol=1e-12)
        np.testing.assert_allclose(p.activations[l + 1], acts[l + 1], rtol=1e-12)
    assert p.activations[2][0] > 0.5 if k == -1 else True      # "the network says class 1"


def test_first_pass_gradients_match_finite_differences():
    params = LESSON.params(0)
    p = LESSON.first_pass()
    theta = nw.flatten(params)
    x, y = LESSON.x_sample[None, :], np.array([LESSON.y_sample])
    fd = central_differences(lambda th: naive_bce(nw.unflatten(th, (2, 2, 1)), x, y), theta)
    np.testing.assert_allclose(nw.flatten(p.grads), fd, rtol=1e-6, atol=1e-9)
    assert p.loss == pytest.approx(naive_bce(params, x, y), rel=1e-12)


def test_trajectory_gradient_at_epoch_0_matches_finite_differences():
    theta = LESSON.run.params[0]
    fd = central_differences(lambda th: naive_bce(nw.unflatten(th, (2, 2, 1)), LESSON.X,
                                                  LESSON.y), theta)
    np.testing.assert_allclose(LESSON.run.grads[0], fd, rtol=1e-6, atol=1e-9)


def test_traced_factors_multiply_to_the_gradient():
    f = TRACE.factors
    p = LESSON.first_pass()
    assert f[0] * f[1] * f[2] * f[3] == pytest.approx(TRACE.sample_gradient, rel=1e-12)
    assert TRACE.sample_gradient == p.grads[0][0][0, 0]
    assert f[0] * f[1] * f[2] == pytest.approx(TRACE.delta1, rel=1e-12)
    # the factors are what they say: a - y, W2[0,0], sigma'(z1[0]), x[0]
    (W1, b1), (W2, b2) = LESSON.params(0)
    zs, acts = naive_forward(LESSON.params(0), LESSON.x_sample)
    s = 1 / (1 + math.exp(-zs[0][0]))
    assert f == pytest.approx((acts[2][0] - LESSON.y_sample, W2[0, 0], s * (1 - s),
                               LESSON.x_sample[0]), rel=1e-12)
    # the symbolic derivation's results, evaluated at the same numbers
    d = backprop.numpy_backward("bce")(LESSON.params(0), LESSON.x_sample, LESSON.y_sample)
    assert d["delta2"] == pytest.approx(f[0], rel=1e-10)
    assert d["delta1_1"] == pytest.approx(TRACE.delta1, rel=1e-10)
    assert d["dW1_11"] == pytest.approx(TRACE.sample_gradient, rel=1e-10)


def test_batch_gradient_is_the_mean_of_the_samples_and_the_update_is_the_trajectorys():
    params = LESSON.params(0)
    per_sample = [nw.forward_backward(params, x, t, ln.ACTIVATIONS, "bce").grads[0][0][0, 0]
                  for x, t in zip(LESSON.X, LESSON.y)]
    assert np.mean(per_sample) == pytest.approx(TRACE.batch_gradient, rel=1e-10)
    assert TRACE.batch_gradient == LESSON.run.grad("W1[0,0]")[0]
    assert TRACE.after == pytest.approx(TRACE.before - TRACE.learning_rate
                                        * TRACE.batch_gradient, rel=1e-12)
    assert TRACE.after == LESSON.run.param("W1[0,0]")[1]


def test_fields_are_the_network_on_the_grid_at_the_shown_epochs():
    rng = np.random.default_rng(0)
    assert LESSON.shown_epochs[0] == 0 and LESSON.shown_epochs[-1] == LESSON.run.meta["epochs"]
    for j in (0, len(LESSON.shown_epochs) // 2, len(LESSON.shown_epochs) - 1):
        params = nw.params_at(LESSON.run, int(LESSON.shown_epochs[j]))
        for _ in range(5):
            r, c = rng.integers(len(LESSON.field_y)), rng.integers(len(LESSON.field_x))
            p = naive_forward(params, (LESSON.field_x[c], LESSON.field_y[r]))[1][-1][0]
            assert LESSON.fields[j, r, c] == pytest.approx(p, rel=1e-10)
    w1, w2, b = LESSON.linear.params[-1]
    r, c = 7, 60
    p = 1 / (1 + math.exp(-(w1 * LESSON.field_x[c] + w2 * LESSON.field_y[r] + b)))
    assert LESSON.linear_field[r, c] == pytest.approx(p, rel=1e-12)


def test_space_stages_are_the_layers_maps():
    (W1, b1), _ = LESSON.params(-1)
    for key in ("grid", "data"):
        stages = getattr(SPACE, key)
        a0 = stages["a0"].reshape(-1, 2)
        np.testing.assert_allclose(stages["z1"].reshape(-1, 2), a0 @ W1.T + b1, rtol=1e-12)
        np.testing.assert_allclose(stages["a1"].reshape(-1, 2),
                                   1 / (1 + np.exp(-(a0 @ W1.T + b1))), rtol=1e-12)
    lines = SPACE.grid["a0"]
    assert lines.shape[0] % 2 == 0 and np.all(np.abs(lines) <= ln.FIELD_LIMIT + 1e-12)


def test_the_last_hidden_representation_is_linearly_separable_by_the_output_line():
    side = SPACE.data["a1"] @ SPACE.w_out + SPACE.b_out > 0
    assert np.all(side == (SPACE.y == 1))            # the narration: one line separates them all
    assert SPACE.hidden_accuracy == 1.0
    # an independent linear classifier agrees that a1 is separable, and that z1 (linear in x) is not
    assert LinearSVC(C=100.0).fit(SPACE.data["a1"], SPACE.y).score(SPACE.data["a1"], SPACE.y) == 1
    z1 = SPACE.data["z1"]
    assert LinearSVC(C=1.0).fit(z1, SPACE.y).score(z1, SPACE.y) < 0.7


def test_the_boundary_line_and_its_pull_back():
    a = SPACE.boundary
    assert np.all((a >= -1e-12) & (a <= 1 + 1e-12))
    np.testing.assert_allclose(a @ SPACE.w_out + SPACE.b_out, 0.0, atol=1e-9)
    assert len(SPACE.boundary_input) >= 1
    params = LESSON.params(-1)
    for piece in SPACE.boundary_input:
        p = nw.predict(params, piece, ln.ACTIVATIONS)[:, 0]
        np.testing.assert_allclose(p, 0.5, atol=1e-6)       # on the network's 0.5 contour
        assert np.max(np.linalg.norm(np.diff(piece, axis=0), axis=1)) < 0.1     # drawn smoothly


# ------------------------------------------- what the training lesson says about a run

RUNS = {                      # the default run, and runs that learn or get stuck otherwise
    "default": {},
    "tanh-stuck": {"hidden_activation": "tanh", "init_seed": 2},
    "tanh-fast": {"hidden_activation": "tanh", "init_seed": 3, "epochs": 200},
    "too-fast": {"learning_rate": 20.0, "epochs": 100},
}


@pytest.fixture(scope="module", params=list(RUNS), ids=list(RUNS))
def run_lesson(request):
    return ln.xor_network_lesson(**RUNS[request.param])


def wrong_per_epoch(lesson):
    """How many points the network misclassifies at every epoch, from its predictions."""
    acts, run = lesson.activations, lesson.run
    return [int(np.sum((nw.predict(nw.params_at(run, k), lesson.X, acts)[:, 0] > 0.5)
                       != (lesson.y == 1))) for k in range(len(run))]


def test_whether_a_run_learned_and_how_many_points_it_gets_wrong(run_lesson):
    wrong = wrong_per_epoch(run_lesson)
    first = next((e for e, w in enumerate(wrong) if w == 0), -1)
    assert run_lesson.all_right_epoch == first
    assert run_lesson.learned == (first >= 0)
    assert run_lesson.ends_all_right == (wrong[-1] == 0)
    assert run_lesson.n_wrong == wrong[-1]


def test_the_phases_the_narration_describes(run_lesson):
    loss = run_lesson.run.loss
    shown = [int(e) for e in run_lesson.shown_epochs]
    plateau = run_lesson.plateau_epoch
    # the plateau: its loss within PLATEAU_DROP of the start, and every later shown epoch's not
    assert plateau in shown and loss[0] - loss[plateau] < ln.PLATEAU_DROP
    assert all(loss[0] - loss[e] >= ln.PLATEAU_DROP for e in shown if e > plateau)
    assert run_lesson.has_plateau == (plateau >= 30)      # shown epochs start 0, 15, 30
    bend_end = run_lesson.bend_end_epoch
    assert bend_end in shown
    if run_lesson.learned:          # bending goes on SETTLE_EPOCHS after every point is right
        settle = run_lesson.all_right_epoch + ln.SETTLE_EPOCHS
        assert bend_end >= settle or bend_end == shown[-1]
        assert not any(settle <= e < bend_end for e in shown)
    else:                           # a stuck run bends until its loss levels off
        levelled = [e for e in shown if e > plateau and loss[e] - loss[-1] < ln.LEVEL_OFF]
        assert bend_end == (levelled[0] if levelled else shown[-1])
        assert all(loss[e] - loss[-1] >= ln.LEVEL_OFF for e in shown if plateau < e < bend_end)
    # the three phases split the shown epochs after the first, in order
    phases = run_lesson.phases
    assert [e for p in phases for e in p] == shown[1:]
    assert phases[0][-1] == max(plateau, shown[2])
    assert not phases[1] or phases[1][-1] == bend_end


def test_the_default_run_plateaus_then_learns():
    # the default narration: "For about N epochs the loss hardly moves", "at epoch E every point
    # is right", "all 100 points are classified correctly"
    assert LESSON.has_plateau and LESSON.learned and LESSON.ends_all_right
    assert LESSON.plateau_epoch < LESSON.all_right_epoch < LESSON.bend_end_epoch
