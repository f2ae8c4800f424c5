"""Chapter 4's first lessons: what the scenes show is the lesson data's own numbers, and what the
narration claims is true of that data."""
import math

import contourpy
import numpy as np
import pytest

from mlv.scenes import catalog


def _on_screen(scene, mob) -> bool:
    return any(mob in m.get_family() for m in scene.mobjects)


def test_forward_scene_shows_the_passs_activations(last_frame):
    from mlv.algorithms.lessons_networks import xor_network_lesson
    from mlv.scenes.chapter4 import forward_propagation as mod

    scene, _ = last_frame(mod.ForwardPropagation)
    net, trace = scene.net, scene.lesson.trace
    # the pass shown is the trained network's, on the lesson's sample
    network = xor_network_lesson()
    assert np.array_equal(trace.activations[-1], network.forward_pass().activations[-1])
    for l, a in enumerate(trace.activations):
        for i, v in enumerate(a):
            num = net.values[(l, i)]
            assert num.get_value() == v and _on_screen(scene, num)
    # the diagram's edges are the trained weights
    (W1, _), (W2, _) = network.params(-1)
    assert net.weights[(1, 0, 1)] == W1[0, 1] and net.weights[(2, 0, 1)] == W2[0, 1]
    # "a point of class 1", "above one half, so the network says class 1, which is right"
    a2 = trace.activations[2]
    assert scene.lesson.y == 1.0 and a2[0] > 0.5
    # the narration's numbers are the pass's, as a viewer reads them (a minus sign, "−15.29")
    def read(v, places):
        return f"{v:.{places}f}".replace("-", "−")
    z1, z2 = trace.pre_activations
    numbers, output = scene.narration["numbers"].written, scene.narration["output"].written
    assert f"z₁ = {read(z1[0], 2)}" in numbers and f"z₂ = {read(z1[1], 2)}" in numbers
    assert f"z = {read(z2[0], 2)}" in output and f"{a2[0]:.3f}" in output


def test_backprop_scene_traces_the_weight_with_the_lessons_numbers(last_frame):
    from mlv.algorithms.lessons_networks import weight_trace, xor_network_lesson
    from mlv.scenes.chapter4 import backpropagation as mod

    scene, _ = last_frame(mod.Backpropagation)
    trace = weight_trace()
    assert trace == scene.lesson.weight
    run = xor_network_lesson().run
    # the second line of the chain shows the four factors and their product, as numbers
    nums = scene.chain[1]
    shown = [nums[k].get_tex_string() for k in (1, 3, 5, 7)]
    assert shown == [mod._f(v) for v in trace.factors]
    assert nums[-1].get_tex_string() == f"{trace.sample_gradient:.4f}"
    product = math.prod(float(s.strip("()")) for s in shown)
    assert product == pytest.approx(trace.sample_gradient, abs=2e-4)     # as rounded on screen
    assert math.prod(trace.factors) == pytest.approx(trace.sample_gradient, rel=1e-12)
    # the diagram's deltas and gradients are the backward pass's
    net, first = scene.net, scene.lesson.trace
    for l in (1, 2):
        for i, v in enumerate(first.deltas[l - 1]):
            assert net.deltas[(l, i)].get_value() == v
        for (i, j), g in np.ndenumerate(first.grads[l - 1][0]):
            assert net.gradients[(l, i, j)].get_value() == g
    # the update shown is the trajectory's step from epoch 0 to epoch 1
    assert scene.update[-1].get_tex_string() == f"{run.param('W1[0,0]')[1]:.4f}"
    assert scene.update[2].get_tex_string() == f"{run.param('W1[0,0]')[0]:.4f}"


def test_training_scene_ends_on_the_trajectorys_final_state(last_frame):
    from mlv.scenes.chapter4 import neural_network_training as mod

    scene, _ = last_frame(mod.NeuralNetworkTraining)
    run = scene.lesson.run
    shown = scene.readout.displayed()
    assert shown == {"epoch": float(run.steps[-1]), "loss": float(run.loss[-1]),
                     "accuracy": float(run.extras["accuracy"][-1])}
    assert scene.readout.displayed_text()["loss"] == f"{run.loss[-1]:.4f}"
    assert np.array_equal(scene.panel.shown, scene.lesson.fields[-1])
    assert _on_screen(scene, scene.panel.boundary)


def test_training_narration_claims_hold():
    made = catalog.script("neural-network-training")
    lesson, said = made.lesson, {b.key: b.written for b in made.narration}
    run, lin = lesson.run, lesson.linear
    acc = run.extras["accuracy"]
    # the linear model: the loss of a coin flip, about half right
    lin_loss, lin_acc = lin.loss[-1], lin.extras["accuracy"][-1]
    assert abs(lin_loss - math.log(2)) < 0.005 and lin_acc <= 0.55
    assert f"{100 * lin_acc:.0f} percent right" in said["linear-fails"]
    assert f"{lin_loss:.3f}, the loss of a coin flip" in said["linear-fails"]
    # "for about PLATEAU epochs the loss hardly moves", then it falls fast
    plateau, bend_end = lesson.plateau_epoch, lesson.bend_end_epoch
    assert f"For about {plateau} epochs the loss hardly moves" in said["plateau"]
    assert run.loss[0] - run.loss[plateau] < 0.06
    assert run.loss[plateau] - run.loss[bend_end] > 0.5
    # "at epoch ALL_RIGHT every point is right" (and not before)
    right = lesson.all_right_epoch
    assert f"at epoch {right} every point is right" in said["bend"]
    assert acc[right] == 1.0 and np.all(acc[:right] < 1.0)
    assert acc[-1] == 1.0 and f"all {len(lesson.y)} points are classified" in said["final"]
    # the final boundary is in two pieces that fence the blue (class 0) clusters into a band
    final = lesson.fields[-1]
    gen = contourpy.contour_generator(lesson.field_x, lesson.field_y, final)
    assert len(gen.lines(0.5)) == 2
    g = lesson.field_x

    def p(x, y):
        return final[np.argmin(abs(g - y)), np.argmin(abs(g - x))]
    assert p(-1, -1) < 0.5 and p(0, 0) < 0.5 and p(1, 1) < 0.5
    assert p(-1, 1) > 0.5 and p(1, -1) > 0.5
    # the loss keeps falling while it sharpens
    late = run.loss[bend_end:]
    assert np.all(np.diff(late) < 0)


def test_space_scene_ends_with_the_data_back_in_the_input_plane(last_frame):
    from mlv.scenes.chapter4 import space_transformation as mod

    scene, _ = last_frame(mod.SpaceTransformation)
    where = np.array([scene.frame.axes.p2c(d.get_center()) for d in scene.dots])
    np.testing.assert_allclose(where, scene.lesson.data["a0"], atol=1e-6)
    assert len(scene.curves) == len(scene.lesson.boundary_input)


def test_space_narration_claims_hold():
    from mlv.algorithms.lessons_networks import xor_network_lesson

    made = catalog.script("space-transformation")
    S = made.lesson
    a, y = S.data["a1"], S.y
    # "squeezes the plane into a thin strip: both rows of W point almost the same way"
    (W1, _), _ = xor_network_lesson().params(-1)
    sv = np.linalg.svd(W1, compute_uv=False)
    assert sv[0] / sv[1] > 10
    rows = W1 / np.linalg.norm(W1, axis=1, keepdims=True)
    assert abs(rows[0] @ rows[1]) > 0.95
    # "still alternate along the strip": along the strip's long axis the classes interleave
    # (blue between the two pink groups), so no line separates them
    z = S.data["z1"]
    u = np.linalg.svd(W1)[0][:, 0]
    t = z @ u
    assert t[y == 1].min() < t[y == 0].min() and t[y == 0].max() < t[y == 1].max()
    # "folds onto two edges of the square": every grid point lies within 0.05 of a1 = 0 or a2 = 0
    assert np.all(S.grid["a1"].reshape(-1, 2).min(axis=1) < 0.05)
    # "both blue clusters are pushed into one corner, the pink ones into the two neighbouring"
    assert np.linalg.norm(a[y == 0], axis=1).max() < 0.25
    pink = a[y == 1]
    near = np.minimum(np.linalg.norm(pink - [1, 0], axis=1), np.linalg.norm(pink - [0, 1], axis=1))
    assert near.max() < 0.25
    # ... and both of those corners are used
    assert np.sum(pink[:, 0] > pink[:, 1]) > 10 and np.sum(pink[:, 0] < pink[:, 1]) > 10
    # "one straight line separates the classes ... all N points on their own side"
    assert S.hidden_accuracy == 1.0 and f"all {len(y)} points" in made.narration["line"].written
