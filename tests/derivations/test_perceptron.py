"""perceptron: each derivation proven, and its NumPy result equal to the algorithm's code on random
inputs."""
import numpy as np
import pytest

from mlv.algorithms import autoencoder as ae  # noqa: F401
from mlv.algorithms import perceptron as pc
from mlv.derivations import perceptron
from mlv.derivations.proofs import check

RNG = np.random.default_rng(2024)


@pytest.mark.parametrize("derivation", perceptron.derivations(), ids=lambda d: d.id)
def test_proven(derivation):
    report = check(derivation)
    assert report.ok, report.first_failure


def test_perceptron_subgradient_including_the_kink():
    g, crit = perceptron.numpy_criterion_subgradient(), perceptron.numpy_criterion()
    X = RNG.integers(-2, 3, size=(25, 2)).astype(float)       # integer points: exact kinks
    y = np.where(RNG.random(25) < 0.5, -1.0, 1.0)
    for w, b in ((np.zeros(2), 0.0), (np.array([1.0, -1.0]), 0.0),
                 (RNG.normal(size=2), float(RNG.normal()))):
        np.testing.assert_allclose(g(X, y, w, b), pc.criterion_subgradient(X, y, w, b),
                                   atol=1e-12)
        assert np.isclose(crit(X, y, w, b), pc.criterion(X, y, w, b))


def _on_the_kink(at: float):
    """A point, weights and a bias with y (w . x + b) = ``at`` exactly (integers and halves)."""
    X = np.array([[2.0, -1.0]])
    w = np.array([0.5, 1.5])
    y = np.array([-1.0])
    b = at / y[0] - float(X[0] @ w)
    assert y[0] * (X[0] @ w + b) == at
    return X, y, w, b


def _value(convention, X, y, w, b):
    import sympy as sp

    point = {perceptron.w1: w[0], perceptron.w2: w[1], perceptron.b: b,
             perceptron.x1: X[0, 0], perceptron.x2: X[0, 1], perceptron.y: y[0]}
    return float(sp.sympify(convention.value).xreplace(point))


def test_the_perceptron_kink_convention_is_the_one_the_algorithm_uses():
    """At y f = 0 exactly the algorithm updates (``y f <= 0``): its subgradient is the mistake's
    side, -y [x, 1], which is the convention the derivations declare and the checker pins."""
    X, y, w, b = _on_the_kink(0.0)
    code = pc.criterion_subgradient(X, y, w, b)
    w1, bias = perceptron.subgradient_w1(), perceptron.subgradient_b()
    assert w1.convention.owner == bias.convention.owner == "y f < 0"
    assert code[0] == _value(w1.convention, X, y, w, b) == -y[0] * X[0, 0] != 0
    assert code[2] == _value(bias.convention, X, y, w, b) == -y[0]
    derived = perceptron.numpy_criterion_subgradient()(X, y, w, b)
    np.testing.assert_array_equal(derived, code)
    # moving off the kink to the correct side, the code's subgradient is 0: the kink is owned
    assert np.all(pc.criterion_subgradient(X, y, w, b + 1e-9 * y[0]) == 0)
    for d in (w1, bias):
        assert "y f = 0 (kink): convention" in check(d).steps[-1].methods


def test_the_hinge_kink_convention_is_the_margin_side_of_the_algorithms_loss():
    """The code has the hinge loss but no subgradient of it: at y f = 1 the declared convention
    (0, owned by y f > 1) is the one-sided slope of ``perceptron.hinge`` into the margin side."""
    X, y, w, b = _on_the_kink(1.0)
    d = perceptron.hinge_subgradient_w1()
    assert d.convention.owner == "y f > 1"
    h = 1e-6
    into_margin = np.sign(y[0] * X[0, 0])          # moving w_1 this way increases y f
    step = into_margin * h
    owner_slope = (pc.hinge(X, y, w + [step, 0], b) - pc.hinge(X, y, w, b)) / step
    other_slope = (pc.hinge(X, y, w - [step, 0], b) - pc.hinge(X, y, w, b)) / -step
    assert abs(owner_slope - _value(d.convention, X, y, w, b)) < 1e-6
    assert abs(other_slope - (-y[0] * X[0, 0])) < 1e-6            # the other side differs
    assert pc.hinge(X, y, w, b) == 0.0                                # the loss at the kink
