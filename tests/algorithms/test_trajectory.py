import dataclasses

import numpy as np
import pytest

from mlv.algorithms.trajectory import Trajectory


def make(**kw):
    args = dict(params=np.zeros((3, 2)), loss=np.arange(3.0), grads=np.ones((3, 2)),
                param_names=("w", "b"))
    args.update(kw)
    return Trajectory(**args)


def test_arrays_are_read_only_copies():
    params = np.zeros((3, 2))
    t = make(params=params)
    params[0, 0] = 5.0                 # the caller's array is not shared
    assert t.params[0, 0] == 0.0
    with pytest.raises(ValueError):
        t.params[0, 0] = 1.0
    with pytest.raises(ValueError):
        t.loss[0] = 1.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        t.loss = np.zeros(3)           # frozen dataclass


def test_extras_are_read_only():
    t = make(extras={"x": np.arange(4.0)})
    with pytest.raises(ValueError):
        t.extras["x"][0] = 9
    with pytest.raises(TypeError):
        t.extras["y"] = np.zeros(1)


@pytest.mark.parametrize("kw, match", [
    (dict(loss=np.zeros(4)), "loss"),
    (dict(grads=np.zeros((3, 3))), "grads"),
    (dict(param_names=("w",)), "names"),
    (dict(params=np.zeros(3)), "2-D"),
])
def test_shapes_are_validated(kw, match):
    with pytest.raises(ValueError, match=match):
        make(**kw)


def test_accessors_and_fingerprint():
    t = make(params=np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]))
    assert list(t.param("b")) == [2.0, 4.0, 6.0]
    assert t.final == {"w": 5.0, "b": 6.0, "loss": 2.0}
    assert list(t.steps) == [0, 1, 2]
    same = make(params=np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]))
    assert t.fingerprint() == same.fingerprint()
    assert t.fingerprint() != make().fingerprint()
    with pytest.raises(KeyError):
        t.param("nope")
