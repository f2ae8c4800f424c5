"""The network diagram: edges drawn from the real weights, and the forward and backward passes'
real numbers."""
import numpy as np
import pytest
from manim import Scene, tempconfig

from mlv.algorithms import network as nw
from mlv.scenes import style
from mlv.scenes.components.network import NetworkDiagram, edge_style

RNG = np.random.default_rng(5)
PARAMS = [(RNG.normal(size=(3, 2)), RNG.normal(size=3)),
          (RNG.normal(size=(3, 3)), RNG.normal(size=3)),
          (RNG.normal(size=(1, 3)), RNG.normal(size=1))]
ACTS = ("sigmoid", "sigmoid", "sigmoid")
PASS = nw.forward_backward(PARAMS, np.array([0.4, -1.3]), 1.0, ACTS, "bce")


def diagram():
    return NetworkDiagram(PARAMS, width=6, height=3, layer_labels=["x", "a^{(1)}", "a^{(2)}",
                                                                    "a^{(3)}"])


def test_layers_neurons_and_one_edge_per_weight():
    d = diagram()
    assert d.sizes == (2, 3, 3, 1)
    assert [len(c) for c in d.neurons] == [2, 3, 3, 1]
    assert [len(g) for g in d.edges] == [6, 9, 3]
    # inputs on the left, each layer to the right of the one before
    xs = [c.get_x() for c in d.neurons]
    assert xs == sorted(xs)
    # neuron (l, i) is the i-th circle of column l, top to bottom
    for l, col in enumerate(d.neurons):
        assert [d.neuron(l, i) for i in range(len(col))] == list(col)
        ys = [c.get_y() for c in col]
        assert ys == sorted(ys, reverse=True)
    for l in range(1, 4):
        for i in range(d.sizes[l]):
            for j in range(d.sizes[l - 1]):
                e = d.edge(l, i, j)
                assert np.linalg.norm(e.get_start() - d.neuron(l - 1, j).get_center()) \
                    == pytest.approx(d.radius)
                assert np.linalg.norm(e.get_end() - d.neuron(l, i).get_center()) \
                    == pytest.approx(d.radius)


def test_edge_colour_is_the_sign_and_thickness_grows_with_size():
    d = diagram()
    n = style.NOTATION
    widths, sizes = [], []
    for l, (W, _) in enumerate(PARAMS, start=1):
        for (i, j), w in np.ndenumerate(W):
            e = d.edge(l, i, j)
            want = n.weight_positive if w >= 0 else n.weight_negative
            assert e.get_stroke_color().to_hex().lower() == want.to_hex().lower()
            widths.append(e.get_stroke_width())
            sizes.append(abs(w))
    order = np.argsort(sizes)
    assert np.all(np.diff(np.array(widths)[order]) >= -1e-9)
    biggest = max(sizes)
    assert max(widths) == pytest.approx(edge_style(biggest, biggest)[1])


def test_set_weights_restyles_and_rejects_other_shapes():
    d = diagram()
    flipped = [(-W, b) for W, b in PARAMS]
    d.set_weights(flipped)
    w = PARAMS[0][0][0, 0]
    want = style.NOTATION.weight_negative if w > 0 else style.NOTATION.weight_positive
    assert d.edge(1, 0, 0).get_stroke_color().to_hex().lower() == want.to_hex().lower()
    assert d.weights[(1, 0, 0)] == -w
    with pytest.raises(ValueError):
        d.set_weights(PARAMS[:2])
    d.make_weights_animation(PARAMS)
    assert d.weights[(1, 0, 0)] == w


def test_forward_pass_shows_the_real_activations():
    d = diagram()
    anims = d.make_forward_animations(PASS)
    assert len(anims) == 4                       # the input, then one per layer
    for l, a in enumerate(PASS.activations):
        for i, v in enumerate(a):
            num = d.values[(l, i)]
            assert num.get_value() == v
            assert num.text == num._format(v)
            assert np.allclose(num.get_center(), d.neuron(l, i).get_center(), atol=1e-6)


def test_backward_pass_shows_the_real_deltas_and_gradients():
    d = diagram()
    anims = d.make_backward_animations(PASS)
    assert len(anims) == 3                       # output layer first, one per dense layer
    for l in range(1, 4):
        for i, v in enumerate(PASS.deltas[l - 1]):
            assert d.deltas[(l, i)].get_value() == v
        G = PASS.grads[l - 1][0]
        for (i, j), g in np.ndenumerate(G):
            assert d.gradients[(l, i, j)].get_value() == g
            # dL/dW = delta_i a_j: the gradient on an edge is the delta of its target neuron
            # times the activation of its source
            assert g == pytest.approx(PASS.deltas[l - 1][i] * PASS.activations[l - 1][j])


@pytest.mark.render
def test_animations_play(tmp_path):
    class Tiny(Scene):
        def construct(self):
            d = diagram()
            self.add(d)
            for a in d.make_forward_animations(PASS, run_time=0.2):
                self.play(a)
            for a in d.make_backward_animations(PASS, run_time=0.2):
                self.play(a)
            self.play(d.make_weights_animation([(-W, b) for W, b in PARAMS], run_time=0.2))
            self.diagram = d

    with tempconfig({"quality": "low_quality", "media_dir": str(tmp_path),
                     "disable_caching": True, "write_to_movie": False, "progress_bar": "none",
                     "verbosity": "ERROR", "dry_run": True}):
        scene = Tiny()
        scene.render()
    d = scene.diagram
    shown = {m for m in scene.mobjects for m in m.get_family()}
    assert all(num in shown for num in d.values.values())
    assert all(num in shown for num in d.gradients.values())
