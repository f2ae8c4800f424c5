"""``gradient-descent-intuition`` and ``optimizers``: what the final frames show is the lesson
data's own numbers, and the narration reads them."""
import numpy as np

from mlv.scenes import catalog


def test_ball_ends_at_the_walks_final_state(last_frame):
    from mlv.scenes.chapter1 import gradient_descent_intuition as mod

    scene, _ = last_frame(mod.GradientDescentIntuition)
    theta, loss = scene.walk_axes.p2c(scene.walk_ball.get_center())
    final = catalog.script("gradient-descent-intuition").lesson.walk.final
    assert abs(theta - final["theta"]) < 1e-6 and abs(loss - final["loss"]) < 1e-6
    shown = f"{final['theta']:.3f}".replace("-", "−")
    assert f"θ = {shown}," in scene.narration["walk-result"].written


def test_rate_panels_draw_each_run_and_show_its_distance(last_frame):
    from mlv.scenes.chapter1 import gradient_descent_intuition as mod

    scene, _ = last_frame(mod.GradientDescentIntuition)
    lesson = scene.lesson
    for panel, path, result, traj, text, key in zip(scene.rate_panels, scene.rate_paths,
                                                   scene.rate_results, lesson.rates,
                                                   mod.distance_texts(lesson),
                                                   ("small", "good", "large"), strict=True):
        dots = path[1]
        where = np.array([panel.axes.p2c(d.get_center()) for d in dots])
        np.testing.assert_allclose(where[:, 0], traj.param("theta"), atol=1e-6)
        np.testing.assert_allclose(where[:, 1], traj.loss, atol=1e-6)
        # every dot inside its panel's axes
        lo, hi = panel.axes.x_range[:2]
        assert lo <= where[:, 0].min() and where[:, 0].max() <= hi
        assert where[:, 1].max() <= panel.axes.y_range[1]
        assert result[2].tex_string == text
        assert float(text) == round(float(lesson.distance(traj)[-1]), len(text.split(".")[1]))
        assert text in scene.narration[key].written
        assert f"η = {traj.meta['learning_rate']:g}" in scene.narration[key].written


def test_optimizer_tables_show_the_lessons_step_counts(last_frame):
    from mlv.scenes.chapter1 import optimizers as mod

    scene, _ = last_frame(mod.Optimizers)
    beats = {"valley": "valley-result", "near": "saddle-result", "far": "saddle-far"}
    lesson = catalog.script("optimizers").lesson
    for key, drawn in scene.races.items():
        race = {"valley": lesson.valley, "near": lesson.saddle_near, "far": lesson.saddle_far}[key]
        for row, name in zip(drawn.legend, mod.NAMES):
            shown = row[2].text
            assert shown == str(race.steps_to[name]) == drawn.counts[name]
            assert mod.LABEL[name].replace(" ", "") == row[1].text     # Text drops spaces
            # the narration says the same number, in the race's order
            assert f"{race.steps_to[name]}" in scene.narration[beats[key]].written
        text = scene.narration[beats[key]].written
        positions = [text.index(mod.LABEL[k] if k != race.ranking()[0]
                                else mod.LABEL[k][0].upper() + mod.LABEL[k][1:])
                     for k in race.ranking()]
        assert positions == sorted(positions)
    # the last race's counts are on screen at the end
    far = scene.races["far"]
    for row in far.legend[:len(mod.NAMES)]:
        assert row[2].get_fill_opacity() == 1
        assert any(row[2] in m.get_family() for m in scene.mobjects)


def test_optimizer_paths_stay_inside_their_axes(last_frame):
    from mlv.scenes.chapter1 import optimizers as mod

    scene, _ = last_frame(mod.Optimizers)
    for drawn in scene.races.values():
        ax = drawn.contour.axes
        for name in mod.NAMES:
            run, last = drawn.race.runs[name], drawn.race.shown[name]
            pts = np.array([ax.c2p(*p) for p in run.params[: last + 1]])
            lo, hi = ax.c2p(ax.x_range[0], ax.y_range[0]), ax.c2p(ax.x_range[1], ax.y_range[1])
            assert np.all(pts[:, 0] >= lo[0] - 1e-9) and np.all(pts[:, 0] <= hi[0] + 1e-9)
            assert np.all(pts[:, 1] >= lo[1] - 1e-9) and np.all(pts[:, 1] <= hi[1] + 1e-9)


def test_optimizer_colours_are_distinct_notation():
    from mlv.scenes import style

    colours = [style.NOTATION.optimizer(k).to_hex() for k in ("sgd", "momentum", "rmsprop",
                                                                "adam")]
    assert len(set(colours)) == 4
