"""Determinism of the lesson data: every lesson function of ``algorithms/lessons*.py`` gives
bit-identical arrays on two calls, and in another process with another hash seed. (The rendered
frames and records of two cold renders are compared in test_robustness.py.)"""
import dataclasses
import hashlib
import importlib
import inspect
import json
import os
import subprocess
import sys
from pathlib import Path
from types import MappingProxyType

import numpy as np

from mlv import algorithms

#: every lessons module: algorithms/lessons.py, lessons_linear.py, ...
MODULES = [importlib.import_module(f"mlv.algorithms.{p.stem}")
           for p in sorted(Path(algorithms.__file__).parent.glob("lessons*.py"))]

DIGEST = """
import json, sys
sys.path.insert(0, {root!r})
from tests_digest import lesson_digests
print(json.dumps(lesson_digests()))
"""


def _feed(h, value) -> None:
    """Hash ``value`` exactly: arrays by dtype, shape and bytes; floats by their bits."""
    if isinstance(value, np.ndarray):
        arr = np.ascontiguousarray(value)
        h.update(f"nd{arr.dtype.str}{arr.shape}".encode())
        if arr.dtype == object:
            for x in arr.ravel():
                _feed(h, x)
        else:
            h.update(arr.tobytes())
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        h.update(f"dc{type(value).__name__}".encode())
        for f in dataclasses.fields(value):
            h.update(f.name.encode())
            _feed(h, getattr(value, f.name))
    elif isinstance(value, (dict, MappingProxyType)):
        h.update(b"map")
        for k in sorted(value, key=repr):
            _feed(h, k)
            _feed(h, value[k])
    elif isinstance(value, (list, tuple)):
        h.update(f"seq{len(value)}".encode())
        for x in value:
            _feed(h, x)
    elif isinstance(value, (float, np.floating)):
        h.update(b"f" + np.float64(value).tobytes())
    elif isinstance(value, (bool, int, np.integer, str, type(None))):
        h.update(f"{type(value).__name__}:{value!r}".encode())
    else:
        raise TypeError(f"cannot hash {type(value).__name__} exactly")


def lesson_functions():
    """Every public function of the lessons modules callable without arguments."""
    out = {}
    for module in MODULES:
        for name, obj in inspect.getmembers(module, callable):
            fn = inspect.unwrap(obj)                   # past lru_cache: computed again
            if inspect.isfunction(fn) and name.endswith("_lesson") and \
                    fn.__module__ == module.__name__ and all(
                    p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
                    for p in inspect.signature(fn).parameters.values()):
                out[f"{module.__name__}.{name}"] = fn
    return out


def lesson_digests() -> dict[str, str]:
    out = {}
    for name, fn in lesson_functions().items():
        h = hashlib.sha256()
        _feed(h, fn())
        out[name] = h.hexdigest()
    return out


def test_every_lesson_function_is_found():
    names = set(lesson_functions())
    assert {"mlv.algorithms.lessons.linear_regression_lesson",
            "mlv.algorithms.lessons.kmeans_lesson",
            "mlv.algorithms.lessons_linear.logistic_lesson",
            "mlv.algorithms.lessons_networks.xor_network_lesson",
            "mlv.algorithms.lessons_deep.autoencoder_lesson"} <= names, names


def test_lesson_data_is_bit_identical_on_two_calls_and_in_another_process(tmp_path):
    first = lesson_digests()
    assert first == lesson_digests()
    # another process, another hash seed (set and dict orders differ there)
    (tmp_path / "tests_digest.py").write_text(inspect.getsource(sys.modules[__name__]))
    env = dict(os.environ, PYTHONHASHSEED="12345")
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    out = subprocess.run([sys.executable, "-c", DIGEST.format(root=str(tmp_path))],
                         capture_output=True, text=True, env=env, cwd=root, timeout=300)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == first
