"""Lesson data of ``gradient-descent-intuition``, ``linear-regression-mse`` and ``optimizers``
against independent references (closed forms, naive loops written out here), and every claim the
scenes' narrations make."""
import math

import numpy as np
import pytest

from mlv.algorithms import optimizers as opt
from mlv.algorithms.lessons import gradient_descent_lesson, mse_lesson, optimizers_lesson


@pytest.fixture(scope="module")
def gd():
    return gradient_descent_lesson()


@pytest.fixture(scope="module")
def races():
    return optimizers_lesson()


# --------------------------------------------------------------------- gradient-descent-intuition

def naive_gd(eta, theta0, steps):
    """theta <- theta - eta (2 theta - 4), in plain floats."""
    out = [theta0]
    for _ in range(steps):
        out.append(out[-1] - eta * (2 * out[-1] - 4))
    return np.array(out)


def test_loss_is_the_parabola_with_its_minimum_at_two(gd):
    theta = np.linspace(-3, 7, 11)
    _, L = gd.curve(-3, 7, 11)
    np.testing.assert_allclose(L, (theta - 2) ** 2 + 1, rtol=1e-12)
    assert gd.theta_star == pytest.approx(2.0, abs=1e-12)
    assert gd.loss_at(gd.theta_star) == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("which", ["walk", "small", "good", "large"])
def test_runs_equal_a_naive_loop_and_the_closed_form(gd, which):
    traj = getattr(gd, which)
    eta, theta0, steps = traj.meta["learning_rate"], traj.meta["theta0"], traj.meta["steps"]
    theta = traj.param("theta")
    np.testing.assert_allclose(theta, naive_gd(eta, theta0, steps), rtol=0, atol=1e-9)
    t = np.arange(steps + 1)
    np.testing.assert_allclose(theta, 2 + (1 - 2 * eta) ** t * (theta0 - 2), rtol=0, atol=1e-9)
    np.testing.assert_allclose(traj.loss, (theta - 2) ** 2 + 1, rtol=1e-12)
    np.testing.assert_allclose(traj.grad("theta"), 2 * theta - 4, atol=1e-12)


def test_every_run_starts_at_the_same_point_with_slope_minus_six(gd):
    for traj in (gd.walk, *gd.rates):
        assert traj.params[0, 0] == -1.0
    assert gd.walk.grads[0, 0] == 2 * (-1.0) - 4 == -6.0     # "here minus 6: downhill is right"


def test_factor_is_the_ratio_of_successive_distances(gd):
    for traj in gd.rates:
        d = traj.param("theta") - gd.theta_star
        np.testing.assert_allclose(d[1:] / d[:-1], gd.factor(traj), rtol=1e-9)
    assert [round(gd.factor(t), 12) for t in gd.rates] == [0.9, 0.4, -1.1]


def test_walk_steps_shrink_as_the_slope_flattens(gd):
    theta = gd.walk.param("theta")
    steps = np.diff(theta)
    assert np.all(steps > 0)                              # always downhill, to the right
    assert np.all(np.diff(steps) < 0)                     # each step smaller than the last
    assert np.all(np.diff(np.abs(gd.walk.grad("theta"))) < 0)
    assert gd.distance(gd.walk)[-1] < gd.distance(gd.walk)[0] / 10


def test_three_regimes_as_the_narration_says(gd):
    small, good, large = gd.rates
    n = int(small.steps[-1])
    assert int(good.steps[-1]) == int(large.steps[-1]) == n == 10
    ds, dg, dl = (gd.distance(t) for t in gd.rates)
    # too small: crawls monotonically and is still more than 1 away after n steps
    assert np.all(np.diff(small.param("theta")) > 0) and ds[-1] > 1.0
    # good: within a thousandth
    assert dg[-1] < 1e-3
    # too large: lands on the other side every step, each time farther out
    side = np.sign(large.param("theta") - gd.theta_star)
    assert np.all(side[1:] == -side[:-1])
    assert np.all(np.diff(dl) > 0) and dl[-1] > dl[0] * 2
    assert abs(gd.factor(large)) > 1                      # diverges
    assert not large.meta["diverged"]                     # ...but every shown state is finite


def naive_regime(eta, theta0, steps=40):
    """What the naive loop's distance to the minimum does: grows, keeps its size, vanishes in one
    step, shrinks while changing sides, or shrinks from one side (slowly or not)."""
    d = naive_gd(eta, theta0, steps) - 2.0
    ratio = d[1] / d[0]
    if abs(d[-1]) > abs(d[0]) * (1 + 1e-9):
        return "diverges"
    if abs(abs(d[-1]) - abs(d[0])) <= 1e-9 * abs(d[0]):
        return "bounces"
    if abs(d[1]) <= 1e-12 * abs(d[0]):
        return "one-step"
    if np.any(np.sign(d[1:]) != np.sign(d[:-1])):
        return "oscillates"
    return "crawls" if ratio >= 0.9 else "converges"


@pytest.mark.parametrize("eta, said", [
    (0.01, "crawls"), (0.05, "crawls"), (0.15, "converges"), (0.3, "converges"),
    (0.5, "one-step"), (0.8, "oscillates"), (1.0, "bounces"), (1.1, "diverges"),
    (1.5, "diverges"),
])
def test_walk_regime_is_what_a_naive_loop_does(eta, said):
    lesson = gradient_descent_lesson(walk_rate=eta)
    assert naive_regime(eta, -1.0) == said                 # the reference agrees with the table
    assert lesson.walk_regime == said


@pytest.mark.parametrize("eta, steps, theta0, stopped", [
    (0.15, 12, -1.0, False), (1.0, 40, -1.0, False), (1.1, 3, -1.0, False),
    (1.1, 12, -1.0, True), (1.5, 12, -6.0, True), (1.5, 40, 1.0, True), (1.05, 40, -1.0, True),
])
def test_walk_is_stopped_only_when_it_runs_away(eta, steps, theta0, stopped):
    lesson = gradient_descent_lesson(walk_rate=eta, walk_steps=steps, theta0=theta0)
    walk = lesson.walk
    naive = naive_gd(eta, theta0, steps)
    shown = len(walk)
    d0 = max(1.0, abs(theta0 - 2.0))
    # what is shown is the naive loop's start, as far as it goes
    np.testing.assert_allclose(walk.param("theta"), naive[:shown], rtol=0, atol=1e-9)
    assert lesson.walk_stopped == stopped == (shown < steps + 1)
    if stopped:
        # stopped because the next state is far out: more than three times the start's distance
        assert abs(naive[shown] - 2.0) > 3 * d0 and lesson.walk_regime == "diverges"
    else:
        assert np.all(np.abs(naive - 2.0) <= 2.0 + 4 * d0)


# -------------------------------------------------------------------------- linear-regression-mse

def naive_mse(x, y, w, b):
    return sum((yi - (w * xi + b)) ** 2 for xi, yi in zip(x, y, strict=True)) / len(x)


def test_mse_lesson_numbers_against_a_naive_loop_and_polyfit():
    lesson = mse_lesson()
    assert lesson.guess == (0.6, 6.0)
    assert lesson.mse_guess == pytest.approx(naive_mse(lesson.x, lesson.y, *lesson.guess),
                                             rel=1e-12)
    w, b = np.polyfit(lesson.x, lesson.y, 1)
    np.testing.assert_allclose(lesson.best, (w, b), rtol=1e-9)
    assert lesson.mse_best == pytest.approx(naive_mse(lesson.x, lesson.y, w, b), rel=1e-9)
    # "smaller residuals, smaller error": the guess is worse, and no nearby line beats the best
    assert lesson.mse_best < lesson.mse_guess
    for dw, db in ((0.01, 0), (-0.01, 0), (0, 0.01), (0, -0.01)):
        assert naive_mse(lesson.x, lesson.y, w + dw, b + db) > lesson.mse_best


# ------------------------------------------------------------------------------------ optimizers

def naive_run(grad, name, start, eta, steps):
    """The four update rules in plain Python floats (papers' defaults)."""
    x = list(start)
    out = [tuple(x)]
    v, s, m = [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]
    for t in range(1, steps + 1):
        g = grad(*x)
        for i in range(2):
            if name == "sgd":
                x[i] -= eta * g[i]
            elif name == "momentum":
                v[i] = 0.9 * v[i] - eta * g[i]
                x[i] += v[i]
            elif name == "rmsprop":
                s[i] = 0.9 * s[i] + 0.1 * g[i] ** 2
                x[i] -= eta * g[i] / (math.sqrt(s[i]) + 1e-8)
            else:
                m[i] = 0.9 * m[i] + 0.1 * g[i]
                s[i] = 0.999 * s[i] + 0.001 * g[i] ** 2
                x[i] -= eta * (m[i] / (1 - 0.9**t)) / (math.sqrt(s[i] / (1 - 0.999**t)) + 1e-8)
        out.append(tuple(x))
    return np.array(out)


GRADS = {"quadratic": lambda x, y: (x, 25 * y), "saddle": lambda x, y: (2 * x, -2 * y)}


@pytest.mark.parametrize("race_name", ["valley", "saddle_near", "saddle_far"])
@pytest.mark.parametrize("name", opt.OPTIMIZERS)
def test_each_path_equals_a_naive_loop(races, race_name, name):
    race = getattr(races, race_name)
    run = race.runs[name]
    assert run.meta["learning_rate"] == race.learning_rate          # one shared rate per race
    ref = naive_run(GRADS[race.surface], name, race.start, race.learning_rate,
                    int(run.steps[-1]))
    np.testing.assert_allclose(run.params, ref, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("race_name", ["valley", "saddle_near", "saddle_far"])
def test_steps_to_goal_and_drawn_part_by_a_plain_scan(races, race_name):
    race = getattr(races, race_name)
    s = opt.SURFACES[race.surface]
    for name, run in race.runs.items():
        x, y = run.params.T
        value = x**2 / 2 + 25 * y**2 / 2 if race.surface == "quadratic" else x**2 - y**2
        np.testing.assert_allclose(run.loss, value, rtol=1e-12, atol=1e-12)
        progress = value if race.measure == "loss" else np.abs(y)
        first = None
        for t, p in enumerate(progress):
            if (p < race.threshold) if race.measure == "loss" else (p > race.threshold):
                first = t
                break
        assert race.steps_to[name] == first is not None   # every count the narration reads
        last = race.shown[name]
        inside = ((s.x_range[0] <= x) & (x <= s.x_range[1])
                  & (s.y_range[0] <= y) & (y <= s.y_range[1]))
        assert inside[: last + 1].all()                   # paths never leave the axes
        assert last == len(run) - 1 or not inside[last + 1]
        assert first <= last                              # the goal is reached on screen


def test_valley_claims(races):
    v = races.valley
    eta = v.learning_rate
    assert v.ranking() == ["momentum", "sgd", "rmsprop", "adam"]
    sgd = v.runs["sgd"].params
    # "gradient descent drops to the valley floor in one step, then crawls" (x times 1 - eta)
    assert abs(sgd[1, 1]) < 1e-12
    np.testing.assert_allclose(sgd[1:, 0] / sgd[:-1, 0], 1 - eta, rtol=1e-12)
    # "momentum swings": it overshoots the minimum along x and along y
    mom = v.runs["momentum"].params
    assert mom[:, 0].max() > 0 and mom[:, 1].min() < 0
    # "the adaptive methods move each coordinate by about eta or less per step: 5 units cost
    # them more than 5 / eta = 125 steps" (RMSProp's first step is eta / sqrt(0.1); Adam's
    # steps shrink below eta as its long memory v_hat keeps the early, larger gradients)
    travel = abs(v.start[0])
    for name in ("rmsprop", "adam"):
        assert v.steps_to[name] > travel / eta
        dx = np.abs(np.diff(v.runs[name].param("x")))[: v.steps_to[name]]
        assert 0.4 * eta < np.median(dx) <= 1.1 * eta
        assert dx.max() < 4 * eta
    assert round(travel / eta) == 125


def test_saddle_claims(races):
    near, far = races.saddle_near, races.saddle_far
    eta = near.learning_rate
    assert far.learning_rate == eta and 200 * eta == pytest.approx(2.0)   # "2 percent a step"
    for race in (near, far):
        y0 = race.start[1]
        # gradient descent multiplies y by 1 + 2 eta each step (closed form)
        y = race.runs["sgd"].param("y")
        np.testing.assert_allclose(y, y0 * (1 + 2 * eta) ** np.arange(len(y)), rtol=1e-12)
        assert race.steps_to["sgd"] == math.ceil(math.log(race.threshold / y0)
                                                 / math.log(1 + 2 * eta))
    # near the ridge: momentum first, both adaptive methods before gradient descent
    assert near.ranking() == ["momentum", "rmsprop", "adam", "sgd"]
    assert near.steps_to["sgd"] > 2 * max(near.steps_to["rmsprop"], near.steps_to["adam"])
    # "the gradient is tiny; adaptive steps do not shrink with it": first y-steps
    first = {k: abs(near.runs[k].params[1, 1] - near.runs[k].params[0, 1]) for k in opt.OPTIMIZERS}
    assert first["sgd"] == pytest.approx(2 * eta * near.start[1])
    assert first["adam"] == pytest.approx(eta, rel=1e-6)
    assert first["sgd"] < first["adam"] / 5
    # farther off the ridge the order changes: gradient descent beats both adaptive methods
    assert far.ranking() == ["momentum", "sgd", "rmsprop", "adam"]
    assert far.ranking() != near.ranking()
    assert near.start[1] < far.start[1]


def test_momentum_led_every_race(races):
    for race in (races.valley, races.saddle_near, races.saddle_far):
        assert race.ranking()[0] == "momentum"


def test_lesson_data_is_read_only_and_reproducible(races):
    again = optimizers_lesson()
    for name in ("valley", "saddle_near", "saddle_far"):
        a, b = getattr(races, name), getattr(again, name)
        for k in opt.OPTIMIZERS:
            assert a.runs[k].fingerprint() == b.runs[k].fingerprint()
            assert not a.progress[k].flags.writeable
        with pytest.raises(TypeError):
            a.steps_to["sgd"] = 0


def test_adaptive_methods_beat_gradient_descent_only_near_the_ridge(races):
    """The closing line: "the adaptive methods beat gradient descent only near the ridge"."""
    for race, near in ((races.valley, False), (races.saddle_near, True),
                       (races.saddle_far, False)):
        wins = [race.steps_to[k] < race.steps_to["sgd"] for k in ("rmsprop", "adam")]
        assert all(wins) if near else not any(wins)
