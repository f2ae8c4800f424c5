"""Scene parameters: declarations, parsing, the names they give renders, and the narration and
numbers that follow them (each parameter set's Script read in-process with
``catalog.script(id, params)``; scenes constructed in-process with ``run_scene``)."""
import dataclasses
import hashlib
import math
from collections.abc import Mapping

import numpy as np
import pytest

from mlv.algorithms.lessons import gradient_descent_lesson, linear_regression_lesson, step_regime
from mlv.scenes import catalog, params

# ----------------------------------------------------------------------------- declarations


def digest(value, h=None) -> str:
    """A SHA-256 over everything a value holds (dataclass fields, mappings, sequences, arrays,
    scalars), to tell whether two lessons hold the same data."""
    h = h or hashlib.sha256()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        h.update(type(value).__name__.encode())
        for f in dataclasses.fields(value):
            h.update(f.name.encode())
            digest(getattr(value, f.name), h)
    elif isinstance(value, Mapping):
        for k in sorted(value, key=str):
            h.update(str(k).encode())
            digest(value[k], h)
    elif isinstance(value, (list, tuple)):
        h.update(f"[{len(value)}".encode())
        for v in value:
            digest(v, h)
    elif isinstance(value, np.ndarray):
        h.update(str((value.dtype, value.shape)).encode())
        h.update(np.ascontiguousarray(value).tobytes())
    else:
        h.update(repr(value).encode())
    return h.hexdigest()


def other_value(p: params.Param):
    """A valid value of ``p`` other than its default, close to it (the smallest change)."""
    if p.kind == "choice":
        return next(c for c in p.choices if c != p.default)
    if p.kind == "text":
        return p.default + " again"
    if p.kind == "int":
        return p.default + 1 if p.default + 1 <= p.high else p.default - 1
    step = (p.high - p.low) / 10
    return p.default + step if p.default + step <= p.high else p.default - step


DECLARED = [(sid, p.name) for sid, spec in params.SPECS.items() for p in spec]


def test_every_declared_scene_exists_with_valid_defaults():
    for sid, spec in params.SPECS.items():
        catalog.by_id(sid)
        assert spec, sid
        assert len({p.name for p in spec}) == len(spec), sid
        for p in spec:
            assert p.check(p.default) == p.default, (sid, p.name)     # defaults are valid
            assert p.check(other_value(p)) == other_value(p) != p.default, (sid, p.name)


@pytest.mark.parametrize("sid, name", DECLARED, ids=[f"{s}-{n}" for s, n in DECLARED])
def test_every_declared_parameter_changes_its_scenes_script(sid, name):
    """A parameter the scene never reads would leave its narration and lesson data as they are:
    every declared one, set to another valid value, changes one or the other."""
    p = next(q for q in params.spec(sid) if q.name == name)
    default, changed = catalog.script(sid), catalog.script(sid, {name: other_value(p)})
    said = [(b.key, b.text) for b in default.narration]
    said_changed = [(b.key, b.text) for b in changed.narration]
    assert said != said_changed or digest(default.lesson) != digest(changed.lesson), \
        f"{sid} declares {name} but its Script does not change with it"


@pytest.mark.parametrize("text, problem", [
    ("abc", "must be a number"), ("nan", "out of range"), ("inf", "out of range"),
    ("-0.1", "out of range"), ("1.6", "out of range"), ("", "must be a number"),
])
def test_bad_learning_rates_are_refused(text, problem):
    values, problems = params.parse_assignments("gradient-descent-intuition", [f"lr={text}"])
    assert values == {} and len(problems) == 1 and problem in problems[0]


def test_types_are_checked_not_coerced():
    spec = {p.name: p for p in params.spec("gradient-descent-intuition")}
    with pytest.raises(ValueError, match="must be a number"):
        spec["lr"].check("0.05")                # a TOML string where a number belongs
    with pytest.raises(ValueError, match="must be a number"):
        spec["steps"].check(True)
    with pytest.raises(ValueError, match="whole number"):
        spec["steps"].check(3.5)
    assert spec["steps"].check(4.0) == 4 and isinstance(spec["steps"].check(4.0), int)
    assert spec["lr"].check(1) == 1.0 and isinstance(spec["lr"].check(1), float)


@pytest.mark.parametrize("title", ["../../etc", "/etc/passwd", "~/x", "a\\b", "line\nbreak",
                                   "", "   ", "x" * 81])
def test_path_like_or_unprintable_titles_are_refused(title):
    with pytest.raises(ValueError):
        params.check_title(title)


def test_unknown_names_and_missing_equals_are_reported_together():
    _, problems = params.parse_assignments("gradient-descent-intuition",
                                           ["eta=0.1", "lr", "steps=3"])
    assert len(problems) == 2
    assert "no parameter 'eta'" in problems[0] and "lr, theta0, steps" in problems[0]
    assert "NAME=VALUE" in problems[1]
    _, problems = params.parse_assignments("pca-derivation", ["lr=0.1"])
    assert problems == ["scene 'pca-derivation' has no parameters"]


def test_only_changed_values_name_a_render():
    sid = "gradient-descent-intuition"
    assert params.overrides(sid, params.defaults(sid)) == ()
    over = params.overrides(sid, {"lr": 1.1, "steps": 12, "theta0": -4.0})
    assert over == (("lr", 1.1), ("theta0", -4.0))          # steps=12 is the default
    assert params.file_suffix(sid, over) == "--lr=1.1_theta0=-4"
    entry = catalog.SceneEntry(**{**catalog.by_id(sid).__dict__, "params": [["lr", 1.1]]})
    assert entry.key == "gradient-descent-intuition--lr=1.1"
    card = params.file_suffix("chapter-1-title", (("title", "Any/odd title?"),))
    assert card.startswith("--title=") and "/" not in card and "?" not in card


def test_a_render_key_changes_with_the_parameters_but_not_the_title():
    from dataclasses import replace

    from mlv.scripts import pipeline

    e = catalog.by_id("gradient-descent-intuition")
    deps, versions = ["scenes/lesson.py"], {"manim": "x"}
    key = pipeline.cache_key(e, "low", "none", deps, versions)
    assert pipeline.cache_key(replace(e, title="Renamed"), "low", "none", deps, versions) == key
    assert pipeline.cache_key(replace(e, params=(("lr", 1.1),)), "low", "none", deps,
                              versions) != key


def test_parameters_apply_to_their_own_scene_only():
    sid = "gradient-descent-intuition"
    before = catalog.script("linear-regression-training")
    assert params.resolve(sid, {"lr": 1.1})["lr"] == 1.1
    assert catalog.script(sid, {"lr": 1.1}).numbers["walk learning rate"] == 1.1
    # nothing of one scene's parameter set stays behind for another scene, or for the defaults
    assert params.resolve("linear-regression-training") == \
        params.defaults("linear-regression-training")
    after = catalog.script("linear-regression-training")
    assert [b.text for b in after.narration] == [b.text for b in before.narration]
    assert catalog.script(sid).numbers["walk learning rate"] == 0.15
    with pytest.raises(ValueError, match="out of range"):
        catalog.script(sid, {"lr": 9})


# ------------------------------------------------------------------ the data follow the params

def naive_regime(f: float, steps: int = 60) -> str:
    """Iterate d <- f d from d = 1 and say what happened."""
    d = [1.0]
    for _ in range(steps):
        d.append(f * d[-1])
    if abs(d[-1]) > 1 + 1e-9:
        return "diverges"
    if abs(abs(d[-1]) - 1) <= 1e-9:
        return "bounces" if f < 0 else "stuck"
    if d[1] == 0:
        return "one-step"
    if any(a * b < 0 for a, b in zip(d, d[1:])):
        return "oscillates"
    return "crawls" if d[1] >= 0.9 else "converges"


@pytest.mark.parametrize("f", [0.95, 0.9, 0.7, 0.3, 0.0, -0.2, -0.9, -1.0, -1.1, -3.0])
def test_step_regime_agrees_with_iterating_the_factor(f):
    assert step_regime([f]) == naive_regime(f)


@pytest.mark.parametrize("lr", [0.05, 0.15, 0.5, 0.8, 1.0, 1.1, 1.5])
def test_the_walk_regime_is_what_the_walk_does(lr):
    lesson = gradient_descent_lesson(walk_rate=lr, walk_steps=12)
    walk = lesson.walk
    d = lesson.distance(walk)
    regime = lesson.regime(walk)
    if regime == "diverges":
        assert d[-1] > 3 * d[0] and walk.meta["diverged"]        # stopped, far out
        assert np.all(np.diff(d) > 0)
    elif regime == "bounces":
        np.testing.assert_allclose(d, d[0])
    else:
        assert d[-1] < d[0] and not walk.meta["diverged"]
    # every state it shows is a real gradient-descent step: theta_{t+1} = theta_t - lr L'(theta_t)
    theta, slope = walk.param("theta"), walk.grad("theta")
    np.testing.assert_allclose(theta[1:], theta[:-1] - lr * slope[:-1], atol=1e-9)


def test_std_factors_are_one_minus_lr_times_the_hessians_eigenvalues():
    lesson = linear_regression_lesson(std_learning_rate=0.3)
    z, y = lesson.standardized.extras["x"], lesson.standardized.extras["y"]
    def mse(w, b):
        return float(np.mean((w * z + b - y) ** 2))

    h = 1e-3                                      # finite-difference Hessian at any point
    H = np.array([[mse(h, 0) - 2 * mse(0, 0) + mse(-h, 0),
                   (mse(h, h) - mse(h, -h) - mse(-h, h) + mse(-h, -h)) / 4],
                  [0.0, mse(0, h) - 2 * mse(0, 0) + mse(0, -h)]]) / h ** 2
    H[1, 0] = H[0, 1]
    np.testing.assert_allclose(np.sort(lesson.std_factors),
                               np.sort(1 - 0.3 * np.linalg.eigvalsh(H)), atol=1e-6)


def test_a_diverging_standardised_run_is_stopped_and_kept_in_view():
    lesson = linear_regression_lesson(std_learning_rate=1.05)
    std = lesson.standardized
    assert lesson.std_regime == "diverges" and std.meta["diverged"]
    assert np.all(np.diff(std.loss) > 0)                 # the error grows every epoch
    assert np.isfinite(std.params).all()
    w, b, _ = lesson.grid_std
    assert w[0] <= std.params[:, 0].min() and std.params[:, 0].max() <= w[-1]
    assert b[0] <= std.params[:, 1].min() and std.params[:, 1].max() <= b[-1]


# ------------------------------------------------------------- narration follows the parameters

def scene_text(scene_id: str, values: dict) -> dict:
    """The narration and numbers of ``scene_id`` for the parameter set ``values``."""
    made = catalog.script(scene_id, values)
    return {"beats": {b.key: b.text for b in made.narration}, "numbers": dict(made.numbers)}


def test_gradient_descent_narration_follows_the_learning_rate():
    sid = "gradient-descent-intuition"
    default = scene_text(sid, {})
    assert "diverges" not in default["beats"]["walk"] + default["beats"]["walk-result"]
    walk_beat = catalog.script(sid, {}).narration["walk"]
    assert "With η = 0.15," in walk_beat.written
    assert "With eta equal to 0.15," in walk_beat.spoken
    big = scene_text(sid, {"lr": 1.1})
    big_beats = catalog.script(sid, {"lr": 1.1}).narration
    walk = gradient_descent_lesson(walk_rate=1.1).walk
    assert "With η = 1.1," in big_beats["walk"].written and "diverges" in big["beats"]["walk"]
    assert "With eta equal to 1.1," in big_beats["walk"].spoken
    assert f"After {int(walk.steps[-1])} steps" in big["beats"]["walk-result"]
    assert "diverges" in big["beats"]["walk-result"]
    theta = walk.final["theta"]
    assert theta < 0          # the diverging walk ends on the far side: shown with a minus sign
    assert f"θ = −{abs(theta):.3f}," in big_beats["walk-result"].written
    assert f"theta equals minus {abs(theta):.3f}," in big_beats["walk-result"].spoken
    assert big["numbers"]["walk learning rate"] == 1.1
    half = scene_text(sid, {"lr": 0.5})
    assert "exactly on the bottom" in half["beats"]["walk"]


def test_linear_regression_narration_follows_the_learning_rate():
    sid = "linear-regression-training"
    default = scene_text(sid, {})
    assert "one millionth" in default["beats"]["std-result"]
    big = scene_text(sid, {"lr": 1.05})
    assert "diverges" in big["beats"]["std-result"]
    std_run = catalog.script(sid, {"lr": 1.05}).narration["std-run"]
    assert "with η = 1.05," in std_run.written and "with eta equal to 1.05," in std_run.spoken
    assert big["numbers"]["standardised: learning rate"] == 1.05
    slow = scene_text(sid, {"lr": 0.01, "epochs": 20})
    err = np.max(np.abs(linear_regression_lesson(std_learning_rate=0.01, std_epochs=20,
                                                 raw_epochs=20).standardized.params[-1]
                        - linear_regression_lesson().optimum_std))
    assert f"within {err:.2g}" in slow["beats"]["std-result"]
    assert "After 20 epochs" in slow["beats"]["raw-result"]


def test_kmeans_narration_follows_k_and_the_starts():
    from mlv.algorithms.lessons import kmeans_lesson

    sid = "kmeans-training"
    for values in ({}, {"k": 3, "init_seed": 0}, {"k": 2, "init_seed": 2},
                   {"k": 6, "seed": 11, "init_seed": 5}):
        lesson = kmeans_lesson(values.get("seed", 3), k=values.get("k", 4),
                               init_seed=values.get("init_seed", 2))
        beats = {b.key: b.written for b in catalog.script(sid, values).narration}
        k = values.get("k", 4)
        assert f"into {k} groups" in beats["question"]
        j_run, j_other = lesson.run.loss[-1], lesson.other.loss[-1]
        said = beats["other-start"]
        assert f"{j_other:.1f}" in said
        if j_other > j_run * (1 + 1e-9):
            assert "worse local minimum" in said
        elif j_other < j_run * (1 - 1e-9):
            assert "lower than our first run" in said
        else:
            assert "same J" in said
        assert lesson.X.shape == (150, 2)              # the data do not change with k


@pytest.mark.parametrize("values", [{}, {"layers": 4, "width": 4}, {"layers": 16, "width": 32}])
def test_vanishing_narration_follows_depth_and_width(values):
    from mlv.algorithms.lessons_deep import vanishing_lesson

    layers, width = values.get("layers", 12), values.get("width", 16)
    lesson = vanishing_lesson(n_layers=layers, width=width)
    beats = scene_text("vanishing-gradients", values)["beats"]
    assert f"each {layers} layers deep with {width} units" in beats["setup"]
    assert f"crosses {layers - 1} sigmoid layers" in beats["eleven"]
    settled = lesson.first_epoch_near("sigmoid", math.log(2), 1e-5)
    if settled >= 0:
        assert f"By epoch {settled}" in beats["collapse"] and "stuck at log 2" in beats["collapse"]
    else:
        assert "does not collapse" in beats["collapse"]
        assert f"{lesson.runs['sigmoid'].loss[-1]:.3f}" in beats["collapse"]
    g = lesson.norms("sigmoid")
    assert ("smaller at every layer" in beats["sigmoid"]) == bool(np.all(np.diff(g) > 0))


@pytest.mark.parametrize("values", [{}, {"activation": "tanh", "init_seed": 2},
                                    {"activation": "tanh", "init_seed": 3, "epochs": 200}])
def test_network_training_narration_says_whether_the_run_learned(values):
    from mlv.algorithms import network as nw
    from mlv.algorithms.lessons_networks import xor_network_lesson

    lesson = xor_network_lesson(learning_rate=values.get("lr", 2.0),
                                epochs=values.get("epochs", 1000),
                                init_seed=values.get("init_seed", 1),
                                hidden_activation=values.get("activation", "sigmoid"))
    run = lesson.run
    # the run is gradient descent on the BCE of a network with the chosen hidden activation:
    # its first update of W1[0, 0] is -lr times a finite-difference derivative of that loss
    def bce(params):
        p = nw.forward(params, lesson.X, lesson.activations)[1][-1][:, 0]
        return float(-np.mean(lesson.y * np.log(p) + (1 - lesson.y) * np.log(1 - p)))

    p0 = lesson.params(0)
    h = 1e-6

    def bumped(d):
        W1 = p0[0][0].copy()
        W1[0, 0] += d
        return [(W1, p0[0][1]), *p0[1:]]

    fd = (bce(bumped(h)) - bce(bumped(-h))) / (2 * h)
    step = lesson.params(1)[0][0][0, 0] - p0[0][0][0, 0]
    assert step == pytest.approx(-run.meta["learning_rate"] * fd, rel=1e-5, abs=1e-9)
    beats = scene_text("neural-network-training", values)["beats"]
    acc = run.extras["accuracy"]
    if (acc == 1.0).any():
        assert f"at epoch {lesson.all_right_epoch} every point is right" in beats["bend"]
        assert "classified correctly" in beats["final"]
    else:
        wrong = int(round(len(lesson.y) * (1 - acc[-1])))
        assert "local minimum" in beats["bend"] and f"{wrong} of the 100 points" in beats["bend"]
        assert f"{100 * acc[-1]:.0f} percent" in beats["final"]
    assert f"After {int(run.steps[-1])} epochs" in beats["final"]
    assert lesson.shown_epochs[-1] == int(run.steps[-1])        # the last epoch is shown
    if values.get("activation") == "tanh":
        assert "using tanh" in beats["network"]


EXTREMES = [
    ("gradient-descent-intuition",
     [{"lr": 1.5}, {"lr": 0.001, "steps": 40, "theta0": -6.0}, {"lr": 1.0}, {"lr": 0.8}]),
    ("linear-regression-training",
     [{"lr": 2.0}, {"lr": 1.0}, {"lr": 0.5}, {"lr": 0.001, "epochs": 5, "seed": 99}]),
    ("kmeans-training", [{"k": 2}, {"k": 6, "seed": 11, "init_seed": 5}]),
    ("neural-network-training",
     [{"lr": 20.0, "epochs": 100}, {"lr": 0.05, "epochs": 3000, "activation": "tanh"}]),
    ("vanishing-gradients", [{"layers": 16, "width": 4}]),
]


@pytest.mark.parametrize("sid, combos", EXTREMES, ids=[e[0] for e in EXTREMES])
def test_extreme_parameters_still_make_a_lesson_that_fits_its_captions(sid, combos):
    """The ends of every range give finite numbers, and every caption fits the band."""
    from mlv.scenes.lesson import caption_lines

    for values in combos:
        out = scene_text(sid, values)
        for key, text in out["beats"].items():
            assert len(caption_lines(text)) <= 2, (values, key, text)
            assert "nan" not in text.lower().split() and "inf" not in text.lower().split()
        assert all(isinstance(v, str) or math.isfinite(v) for v in out["numbers"].values())


CONSTRUCTED = [
    ("gradient-descent-intuition", {"lr": 1.5}),
    ("gradient-descent-intuition", {"lr": 0.001, "steps": 40, "theta0": -6.0}),
    ("linear-regression-training", {"lr": 2.0}),
    ("linear-regression-training", {"lr": 1.0, "epochs": 5}),
    ("kmeans-training", {"k": 6, "seed": 11, "init_seed": 5}),
    ("neural-network-training", {"lr": 20.0, "epochs": 100}),
    ("vanishing-gradients", {"layers": 16, "width": 4}),
    ("chapter-3-title", {"number": 12, "title": "A rather long chapter title for a card " * 2}),
]


@pytest.mark.parametrize("sid, values", CONSTRUCTED,
                         ids=[f"{s}-{'-'.join(map(str, v.values()))}"[:60]
                              for s, v in CONSTRUCTED])
def test_scenes_at_the_ends_of_their_ranges_play_every_beat_with_a_clean_layout(sid, values,
                                                                                last_frame):
    """Each scene, constructed with the parameters (as a worker does): every beat of that
    parameter set's narration plays, no text overlaps or leaves the safe area, the last frame is
    not blank."""
    from mlv.scenes import style
    from mlv.scenes.layout import problems

    scene, frame = last_frame(catalog.load(catalog.by_id(sid)), values)
    assert [c.key for c in scene.cues] == list(catalog.script(sid, values).narration.keys)
    assert [c.text for c in scene.cues] == [b.written
                                            for b in catalog.script(sid, values).narration]
    assert [p for snap in scene.layout_snapshots for p in problems(snap)] == []
    bg = np.array(style.BACKGROUND.to_rgb()) * 255
    assert np.any(np.abs(frame.astype(float) - bg) > 40, axis=-1).mean() > 0.01
