"""Bad input to every public algorithm function, property-based (hypothesis).

Each public function (and class) of the algorithm modules has a :class:`Case`: a small valid call
and a *kind* for each argument, which knows the ways that argument can be wrong. An example takes
the valid call and spoils one argument:

* **invalid** values (NaN, inf, empty, wrong dimension, mismatched length, strings, a float or
  bool where a count is needed, a rate <= 0, a label out of range, ...): the call must raise
  ``ValueError`` whose message names that argument;
* **huge** but finite values (1e150 .. 1e300, a learning rate of 1e300): valid inputs that may
  overflow float64. The call either raises ``ValueError`` naming one of its arguments (e.g. "x,
  y, w0 or b0 are too large"), or returns only finite numbers; a training run may stop early,
  flagged ``meta["diverged"]``, holding its finite states only.

Never another exception, never a NaN or inf in what comes back. ``test_every_public_function_
has_a_case`` keeps the table complete. Examples are derandomized (the same on every run).
"""
from __future__ import annotations

import inspect
import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from mlv.algorithms import autoencoder as ae
from mlv.algorithms import datasets, pca, trajectory
from mlv.algorithms import gradient_descent_1d as gd1
from mlv.algorithms import kmeans as km
from mlv.algorithms import linear_regression as linr
from mlv.algorithms import logistic_regression as logr
from mlv.algorithms import network as nw
from mlv.algorithms import optimizers as opt
from mlv.algorithms import perceptron as pc
from mlv.algorithms import vanishing as van
from mlv.algorithms.trajectory import Trajectory

MODULES = (gd1, opt, linr, logr, km, pca, pc, nw, ae, van, datasets, trajectory)
NOT_ALGORITHMS = {"mlv.algorithms.network.Pass"}    # a record that backward() fills, no logic
EXAMPLES = 24
SETTINGS = dict(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

INVALID, HUGE = "invalid", "huge"
NAN, INF = float("nan"), float("inf")

Option = tuple[str, Callable[[], Any], str]          # (label, make the value, severity)


def _options(opts: list[Option]) -> st.SearchStrategy:
    return st.sampled_from(opts).map(lambda o: (o[1](), o[2], o[0]))


def _inject(g: np.ndarray, i: int, value: float) -> np.ndarray:
    out = np.array(g, dtype=float).ravel()
    out[i] = value
    return out.reshape(g.shape)


# ---------------------------------------------------------------------------------------------
# argument kinds: the ways an argument can be wrong, as (label, make the value, severity)

class Kind:
    def options(self, good) -> list[Option]:
        raise NotImplementedError

    def random(self, good) -> st.SearchStrategy | None:
        """More bad values than :meth:`options` lists (a NaN at any entry, ...)."""
        return None

    def bad(self, good) -> st.SearchStrategy:
        """A strategy of ``(bad value, severity, label)``."""
        listed = _options(self.options(good))
        more = self.random(good)
        return listed if more is None else st.one_of(listed, more)


@dataclass(frozen=True)
class Arr(Kind):
    """A finite array. ``ndim``: other dimensions are wrong; ``nonempty``: no entries is wrong;
    ``mismatch``: ``"rows"`` (one row fewer) or ``"cols"`` (one column fewer) is wrong, because
    another argument fixes that length; ``extra``: more invalid values."""

    ndim: bool = True
    nonempty: bool = True
    mismatch: str | None = None
    huge: bool = True
    extra: tuple = ()

    def options(self, good) -> list[Option]:
        g = np.asarray(good, dtype=float)
        opts: list[Option] = [("strings", lambda: np.full(g.shape, "a"), INVALID),
                              ("None", lambda: None, INVALID)]
        if self.ndim:
            opts.append(("one more axis", lambda: g[..., None], INVALID))
            if g.ndim >= 1:
                opts.append(("one axis fewer", lambda: g.reshape(g.shape[:-2] + (-1,))
                             if g.ndim >= 2 else g[0], INVALID))
        if self.nonempty:
            opts.append(("empty", lambda: g[:0] if g.ndim else np.zeros(0), INVALID))
            if g.ndim == 2:
                opts.append(("no columns", lambda: g[:, :0], INVALID))
        if self.mismatch == "rows" and len(g) > 1:
            opts.append(("one row fewer", lambda: g[:-1], INVALID))
        if self.mismatch == "cols" and g.ndim == 2 and g.shape[1] > 1:
            opts.append(("one column fewer", lambda: g[:, :-1], INVALID))
        if self.mismatch == "cols" and g.ndim == 1 and g.size > 1:
            opts.append(("one entry fewer", lambda: g[:-1], INVALID))
        if self.huge:
            for s in (1e150, 1e200, 1e300, -1e300):
                opts.append((f"entries x {s:g}", lambda s=s: np.where(g == 0, s, g * s), HUGE))
        opts += list(self.extra)
        for i in sorted({0, g.size - 1}) if g.size else ():
            for v in (NAN, INF, -INF):
                opts.append((f"{v} at entry {i}", lambda i=i, v=v: _inject(g, i, v), INVALID))
        return opts

    def random(self, good) -> st.SearchStrategy | None:
        g = np.asarray(good, dtype=float)
        if not g.size:
            return None
        return st.tuples(st.integers(0, g.size - 1), st.sampled_from([NAN, INF, -INF])).map(
            lambda t: (_inject(g, *t), INVALID, f"{t[1]} at entry {t[0]}"))


@dataclass(frozen=True)
class Num(Kind):
    """A finite real number; ``sign`` ``"positive"`` (> 0) or ``"nonneg"`` (>= 0)."""

    sign: str = "any"
    extra: tuple = ()

    def options(self, good) -> list[Option]:
        opts: list[Option] = [("nan", lambda: NAN, INVALID), ("inf", lambda: INF, INVALID),
                              ("-inf", lambda: -INF, INVALID), ("string", lambda: "1.0", INVALID),
                              ("bool", lambda: True, INVALID),
                              ("pair", lambda: [1.0, 2.0], INVALID),
                              ("complex", lambda: 1j, INVALID),
                              ("1e300", lambda: 1e300, HUGE)]
        if self.sign == "positive":
            opts += [("zero", lambda: 0.0, INVALID), ("-1", lambda: -1.0, INVALID),
                     ("-1e-300", lambda: -1e-300, INVALID), ("1e-300", lambda: 1e-300, HUGE)]
        elif self.sign == "nonneg":
            opts += [("-0.5", lambda: -0.5, INVALID)]
        else:
            opts += [("-1e300", lambda: -1e300, HUGE)]
        return opts + list(self.extra)


@dataclass(frozen=True)
class Count(Kind):
    """An integer in ``[minimum, maximum]`` (NumPy integers are fine, floats and bools are not)."""

    minimum: int = 0
    maximum: int | None = None

    def options(self, good) -> list[Option]:
        opts: list[Option] = [("2.5", lambda: 2.5, INVALID), ("float 2.0", lambda: 2.0, INVALID),
                              ("numpy float", lambda: np.float64(3.0), INVALID),
                              ("True", lambda: True, INVALID), ("string", lambda: "3", INVALID),
                              ("None", lambda: None, INVALID), ("nan", lambda: NAN, INVALID),
                              ("inf", lambda: INF, INVALID),
                              ("below the minimum", lambda: self.minimum - 1, INVALID)]
        if self.maximum is not None:
            opts.append(("above the maximum", lambda: self.maximum + 1, INVALID))
        return opts


@dataclass(frozen=True)
class Choice(Kind):
    """One of a few names."""

    extra: tuple = ()

    def options(self, good) -> list[Option]:
        return [("unknown", lambda: "nope", INVALID), ("number", lambda: 3, INVALID),
                ("None", lambda: None, INVALID), ("empty", lambda: "", INVALID),
                *self.extra]


@dataclass(frozen=True)
class Interval(Kind):
    """An increasing pair of finite numbers."""

    def options(self, good) -> list[Option]:
        return [("reversed", lambda: (2.0, 1.0), INVALID),
                ("empty", lambda: (1.0, 1.0), INVALID),
                ("nan", lambda: (NAN, 1.0), INVALID), ("inf", lambda: (0.0, INF), INVALID),
                ("three numbers", lambda: (0.0, 1.0, 2.0), INVALID),
                ("string", lambda: "ab", INVALID), ("number", lambda: 1.0, INVALID),
                ("huge", lambda: (-1e300, 1e300), HUGE)]


@dataclass(frozen=True)
class Rng(Kind):
    """An int seed >= 0 or a numpy Generator."""

    def options(self, good) -> list[Option]:
        return [("negative", lambda: -1, INVALID), ("float", lambda: 2.5, INVALID),
                ("string", lambda: "seed", INVALID), ("bool", lambda: True, INVALID),
                ("None", lambda: None, INVALID)]


@dataclass(frozen=True)
class Bool(Kind):
    def options(self, good) -> list[Option]:
        return [("string", lambda: "yes", INVALID), ("int", lambda: 1, INVALID),
                ("None", lambda: None, INVALID), ("float", lambda: 1.0, INVALID)]


@dataclass(frozen=True)
class Labels(Kind):
    """A label vector of one length with values in a set; ``out`` are values outside it."""

    out: tuple = (0.5, 2.0, -3.0, 7.0)
    integer: bool = False

    def options(self, good) -> list[Option]:
        g = np.asarray(good)
        opts: list[Option] = [("one fewer", lambda: g[:-1], INVALID),
                              ("2-D", lambda: g[:, None], INVALID),
                              ("strings", lambda: np.full(g.shape, "a"), INVALID),
                              ("None", lambda: None, INVALID)]
        if self.integer:
            opts.append(("floats", lambda: g.astype(float), INVALID))
        else:
            opts.append(("nan", lambda: _inject(g, 0, NAN), INVALID))
        for v in self.out:
            opts.append((f"label {v} at 0", lambda v=v: _set(g, 0, v), INVALID))
        return opts

    def random(self, good) -> st.SearchStrategy | None:
        g = np.asarray(good)
        return st.tuples(st.integers(0, g.size - 1), st.sampled_from(self.out)).map(
            lambda t: (_set(g, *t), INVALID, f"label {t[1]} at {t[0]}"))


def _set(g: np.ndarray, i: int, value) -> np.ndarray:
    out = g.copy() if isinstance(value, int) else g.astype(float)
    out[i] = value
    return out


@dataclass(frozen=True)
class Widths(Kind):
    """A sequence of layer widths (counts >= 1); ``min_len`` entries at least."""

    min_len: int = 0

    def options(self, good) -> list[Option]:
        opts: list[Option] = [("zero", lambda: (*good[:-1], 0) if good else (0,), INVALID),
                              ("float", lambda: (*good[:-1], 2.5) if good else (2.5,), INVALID),
                              ("bool", lambda: (*good[:-1], True) if good else (True,), INVALID),
                              ("negative", lambda: (-1,), INVALID),
                              ("string", lambda: "32", INVALID), ("int", lambda: 5, INVALID),
                              ("None", lambda: None, INVALID)]
        if self.min_len:
            opts.append(("too short", lambda: tuple(good[: self.min_len - 1]), INVALID))
        return opts


@dataclass(frozen=True)
class Acts(Kind):
    """A sequence of activation names, one per layer."""

    def options(self, good) -> list[Option]:
        n = len(good)
        opts: list[Option] = [("string", lambda: "tanh", INVALID),
                              ("unknown", lambda: ("gelu",) * n, INVALID),
                              ("one more", lambda: tuple(good) + ("tanh",), INVALID),
                              ("numbers", lambda: (1,) * n, INVALID),
                              ("None", lambda: None, INVALID)]
        if n > 1:
            opts.append(("one fewer", lambda: tuple(good[:-1]), INVALID))
        return opts


@dataclass(frozen=True)
class Params(Kind):
    """A network's list of (W, b) pairs."""

    def options(self, good) -> list[Option]:
        def nan_in_w():
            (W, b), *rest = good
            return [(_inject(W, 0, NAN), b), *rest]

        def short_b():
            (W, b), *rest = good
            return [(W, b[:-1]), *rest]

        def broken_chain():
            first, (W, b), *rest = good
            return [first, (W[:, :-1], b), *rest]

        def huge():
            return [(W * 1e200 + 1e200, b) for W, b in good]

        return [("NaN in W1", nan_in_w, INVALID), ("b1 too short", short_b, INVALID),
                ("W2 does not follow layer 1", broken_chain, INVALID),
                ("empty list", lambda: [], INVALID),
                ("an array", lambda: good[0][0], INVALID),
                ("not pairs", lambda: [(W,) for W, _ in good], INVALID),
                ("a dict", lambda: {"W": 1}, INVALID), ("None", lambda: None, INVALID),
                ("huge weights", huge, HUGE)]


@dataclass(frozen=True)
class Traj(Kind):
    """A trajectory of a given kind; ``other`` makes one of another kind."""

    other: Callable[[], Any]

    def options(self, good) -> list[Option]:
        return [("another kind of run", self.other, INVALID),
                ("a dict", lambda: {"params": 1}, INVALID), ("None", lambda: None, INVALID)]


@dataclass(frozen=True)
class Step(Kind):
    """A recorded-step index."""

    def options(self, good) -> list[Option]:
        return [("far out", lambda: 10**6, INVALID), ("far back", lambda: -10**6, INVALID),
                ("float", lambda: 1.5, INVALID), ("bool", lambda: True, INVALID),
                ("string", lambda: "0", INVALID), ("None", lambda: None, INVALID)]


@dataclass(frozen=True)
class Const(Kind):
    """Only the given bad options."""

    opts: tuple

    def options(self, good) -> list[Option]:
        return list(self.opts)


def inv(label: str, make: Callable[[], Any]) -> Option:
    return (label, make, INVALID)


# ---------------------------------------------------------------------------------------------
# small valid data

X8 = np.array([[0.0, 0.0], [1.0, 0.2], [0.2, 1.0], [1.0, 1.0],
               [3.0, 3.0], [4.0, 3.2], [3.1, 4.0], [4.0, 4.2]])
Y01 = np.array([0, 0, 0, 1, 1, 0, 1, 1])
YPM = 2 * Y01 - 1
X6 = np.linspace(0.0, 5.0, 6)
Y6 = 1.5 * X6 + 2.0 + np.array([0.1, -0.2, 0.3, 0.0, -0.1, 0.2])
X3D = np.column_stack([X8, X8[:, 0] - 0.5 * X8[:, 1] + np.linspace(0, 0.3, 8)])
LABELS = np.array([0, 0, 0, 0, 1, 1, 1, 1])
CENTRES = np.array([[0.5, 0.5], [3.5, 3.5]])
PARAMS = nw.init_params((2, 3, 1), random_state=0)
ACTS = ("tanh", "sigmoid")
NET_TRAJ = nw.train(X8, Y01, hidden=(3,), learning_rate=0.5, epochs=3)
AE_TRAJ = ae.train(X3D, code_dim=2, hidden=(2,), learning_rate=0.05, epochs=3)
AE_LINEAR = ae.train(X3D, code_dim=2, linear=True, learning_rate=0.01, epochs=3)
KM_TRAJ = km.lloyd(X8, 2, random_state=0)
SMALL = Trajectory(params=np.zeros((3, 2)), loss=np.arange(3.0), grads=np.ones((3, 2)),
                   param_names=("w", "b"))
PASS = nw.backward(PARAMS, X8, Y01, ACTS, "bce")
BASIS = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])

COEFFS = Arr(extra=(inv("constant", lambda: (5.0,)), inv("zero above the constant",
                                                         lambda: (5.0, 0.0, 0.0))))
POS = Num("positive")
X2 = Arr()                                   # a data matrix
COLS = Arr(mismatch="cols")                  # an array whose columns must match X's
ROWS = Arr(mismatch="rows")                  # an array whose length must match X's rows
ANY = Arr(ndim=False, nonempty=False)        # any shape, even empty
UNIT = Num(extra=(inv("one", lambda: 1.0), inv("-0.1", lambda: -0.1)))
SYMMETRIC = Arr(extra=(inv("not symmetric", lambda: np.array([[1.0, 2.0], [0.0, 1.0]])),
                       inv("not square", lambda: np.zeros((2, 3)))))
RANK = Arr(mismatch="rows",
           extra=(inv("repeated column", lambda: np.array([[1.0, 1.0], [2.0, 2.0], [0.0, 0.0]])),
                  inv("more columns than rows", lambda: np.ones((3, 4))),
                  inv("a zero column", lambda: np.array([[1.0, 0.0], [2.0, 0.0], [3.0, 0.0]]))))
TARGETS = Arr(ndim=False, mismatch="rows",     # (n,) and (n, 1) are both valid targets
              extra=(inv("2.0 for bce", lambda: np.full(8, 2.0)),
                     inv("3-D", lambda: np.zeros((8, 1, 1)))))
RATE_MAP = Const((inv("a list", lambda: [("sgd", 0.1)]), inv("empty", lambda: {}),
                  inv("unknown optimizer", lambda: {"adagrad": 0.1}),
                  inv("negative rate", lambda: {"sgd": -1.0}),
                  inv("nan rate", lambda: {"sgd": NAN}),
                  inv("string rate", lambda: {"sgd": "0.1"}),
                  ("huge rate", lambda: {"sgd": 1e300, "adam": 1e300}, HUGE)))
META = Const((inv("int keys", lambda: {1: 2}), inv("a string", lambda: "meta"),
              inv("a list", lambda: [1])))
PASS_KIND = Const((inv("a dict", lambda: {}), inv("None", lambda: None),
                   inv("a tuple", lambda: (1.0,))))
NAMES = Const((inv("too few", lambda: ("w",)), inv("duplicate", lambda: ("w", "w")),
               inv("not strings", lambda: (1, 2)), inv("a string", lambda: "wb")))
STEPS = Const((inv("decreasing", lambda: [2, 1, 0]), inv("fractional", lambda: [0, 0.5, 1]),
               inv("negative", lambda: [-1, 0, 1]), inv("wrong length", lambda: [0, 1]),
               inv("nan", lambda: [0, NAN, 2]), inv("bools", lambda: [False, True, True])))
EXTRAS = Const((inv("object array", lambda: {"x": np.array([object()])}),
                inv("int key", lambda: {1: np.zeros(3)}),
                inv("strings", lambda: {"x": np.array(["a"])})))
CALLABLE = Const((inv("a number", lambda: 3), inv("None", lambda: None)))
NAME = Const((inv("empty", lambda: ""), inv("a number", lambda: 3)))
PARAM_NAME = Const((inv("unknown", lambda: "nope"), inv("a number", lambda: 0),
                    inv("None", lambda: None)))
FACTOR = Num(extra=(inv("one", lambda: 1.0), inv("zero", lambda: 0.0)))
SPD = Arr(extra=(inv("not positive definite", lambda: ((1.0, 2.0), (2.0, 1.0))),
                 inv("not symmetric", lambda: ((2.0, 1.0), (0.0, 2.0))),
                 inv("3x3", lambda: np.eye(3))))


# ---------------------------------------------------------------------------------------------
# the cases

@dataclass(frozen=True)
class Case:
    target: Any                                    # the function or class covered
    base: Callable[[], dict]                       # a valid call's arguments
    kinds: Mapping[str, Any]                       # argument -> kind
    call: Callable[..., Any] | None = None         # default: target(**arguments)
    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    optional: tuple[str, ...] = ()                 # arguments for which None is valid

    @property
    def id(self) -> str:
        return f"{self.target.__module__.rsplit('.', 1)[-1]}.{self.target.__qualname__}"

    def run(self, kwargs: dict):
        out = (self.call or self.target)(**kwargs)
        return list(out) if isinstance(out, Iterator) else out


def case(target, base: dict, call=None, aliases=None, optional=(), **kinds) -> Case:
    frozen = dict(base)

    def fresh() -> dict:
        return {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in frozen.items()}

    return Case(target, fresh, kinds, call, aliases or {}, tuple(optional))


GD = dict(learning_rate=0.3, theta0=-1.0, steps=5, coefficients=gd1.PARABOLA,
          max_abs_theta=1e6, record_every=1)
GD_KINDS = dict(theta0=Num(), steps=Count(), coefficients=COEFFS, max_abs_theta=POS,
                record_every=Count(1))
OPT = dict(surface="quadratic", steps=5, start=(1.0, 1.0), max_norm=1e6, record_every=1)
OPT_KINDS = dict(surface=Choice(), steps=Count(), start=Arr(mismatch="cols"), max_norm=POS,
                 record_every=Count(1))
PTS = Arr(ndim=False, mismatch="cols")
P2 = np.array([[0.0, 0.0], [1.0, 2.0]])
LIN = dict(x=X6, y=Y6)
LIN_KINDS = dict(x=Arr(), y=ROWS)
LOG = dict(X=X8, y=Y01, w=np.array([0.5, -0.2]), b=0.1)
LOG_KINDS = dict(X=X2, y=Labels(), w=Arr(mismatch="cols"), b=Num())
PER = dict(X=X8, y=YPM, w=np.array([0.5, -0.2]), b=0.1)
PER_KINDS = dict(X=X2, y=Labels(), w=Arr(mismatch="cols"), b=Num())
KM = dict(X=X8, centroids=CENTRES)
KM_KINDS = dict(X=X2, centroids=COLS)
NET = dict(params=PARAMS, X=X8, activations=ACTS)
NET_KINDS = dict(params=Params(), X=COLS, activations=Acts())
TRAIN = dict(learning_rate=0.5, epochs=3, record_every=1)
TRAIN_KINDS = dict(learning_rate=POS, epochs=Count(), record_every=Count(1))
DS = dict(random_state=0)

CASES = [
    # gradient_descent_1d
    case(gd1.loss, dict(theta=[0.0, 1.0, 2.5], coefficients=gd1.PARABOLA), theta=ANY,
         coefficients=COEFFS),
    case(gd1.derivative, dict(theta=[0.0, 1.0, 2.5], coefficients=gd1.DOUBLE_WELL), theta=ANY,
         coefficients=COEFFS),
    case(gd1.minima, dict(coefficients=gd1.DOUBLE_WELL), coefficients=COEFFS),
    case(gd1.gradient_descent, GD, learning_rate=POS, **GD_KINDS),
    case(gd1.compare_learning_rates, {**{k: v for k, v in GD.items() if k != "learning_rate"},
                                      "learning_rates": (0.05, 0.3, 1.05)},
         learning_rates=Arr(extra=(inv("a zero rate", lambda: (0.1, 0.0)),
                                   inv("a negative rate", lambda: (-0.1,)))), **GD_KINDS),
    # optimizers
    case(opt.rosenbrock, dict(p=P2, a=1.0, b=100.0), p=PTS, a=Num(), b=POS),
    case(opt.rosenbrock_gradient, dict(p=P2, a=1.0, b=100.0), p=PTS, a=Num(), b=POS),
    case(opt.quadratic, dict(p=P2, condition=25.0), p=PTS, condition=POS),
    case(opt.quadratic_gradient, dict(p=P2, condition=25.0), p=PTS, condition=POS),
    case(opt.saddle, dict(p=P2), p=PTS),
    case(opt.saddle_gradient, dict(p=P2), p=PTS),
    case(opt.grid, dict(surface="rosenbrock", n=5, x_range=(-2.0, 2.0), y_range=(-1.0, 3.0)),
         surface=Choice(), n=Count(2), x_range=Interval(), y_range=Interval()),
    case(opt.optimize, {**OPT, "optimizer": "adam", "learning_rate": 0.1, "beta1": 0.9},
         optimizer=Choice(), learning_rate=POS, beta1=UNIT, optional=("start",), **OPT_KINDS),
    case(opt.optimize, {**OPT, "optimizer": "momentum", "learning_rate": 0.01, "beta": 0.9},
         optimizer=Choice(), learning_rate=POS, beta=UNIT, optional=("start",), **OPT_KINDS),
    case(opt.race, {**OPT, "learning_rates": {"sgd": 0.01, "adam": 0.1}}, learning_rates=RATE_MAP,
         optional=("start",), **OPT_KINDS),
    case(opt.Surface, {f.name: getattr(opt.SURFACES["quadratic"], f.name)
                       for f in fields(opt.Surface)},
         name=NAME, value=CALLABLE, gradient=CALLABLE, x_range=Interval(), y_range=Interval(),
         start=Arr(mismatch="cols", huge=False), minimum=Arr(mismatch="cols", huge=False),
         optional=("minimum",)),
    # linear regression
    case(linr.mse, dict(LIN, w=1.0, b=0.5), w=ANY, b=ANY, **LIN_KINDS),
    case(linr.mse_gradient, dict(LIN, w=1.0, b=0.5), w=Num(), b=Num(), **LIN_KINDS),
    case(linr.least_squares, LIN, **LIN_KINDS),
    case(linr.standardize, dict(x=X6), x=Arr()),
    case(linr.gradient_descent, dict(LIN, learning_rate=0.01, epochs=5, w0=0.0, b0=0.0,
                                     standardize_inputs=False, record_every=1, max_loss=1e6),
         learning_rate=POS, epochs=Count(), w0=Num(), b0=Num(), standardize_inputs=Bool(),
         record_every=Count(1), max_loss=POS, **LIN_KINDS),
    case(linr.loss_surface, dict(LIN, w_values=np.linspace(0, 3, 4), b_values=np.linspace(0, 4, 3)),
         w_values=Arr(), b_values=Arr(), **LIN_KINDS),
    # logistic regression
    case(logr.sigmoid, dict(z=[-3.0, 0.0, 2.0]), z=ANY),
    case(logr.bce, LOG, **LOG_KINDS),
    case(logr.gradient, LOG, **LOG_KINDS),
    case(logr.predict_proba, dict(X=X8, w=np.array([0.5, -0.2]), b=0.1), X=X2,
         w=Arr(mismatch="cols"), b=Num()),
    case(logr.gradient_descent, dict(X=X8, y=Y01, w0=np.zeros(2), b0=0.0, **TRAIN), X=X2,
         y=Labels(), w0=Arr(mismatch="cols"), b0=Num(), optional=("w0",), **TRAIN_KINDS),
    case(logr.probability_grid, dict(w=np.array([0.5, -0.2]), b=0.1, x_values=np.linspace(0, 1, 3),
                                     y_values=np.linspace(0, 1, 4)),
         w=Arr(mismatch="cols"), b=Num(), x_values=Arr(), y_values=Arr()),
    # k-means
    case(km.squared_distances, KM, **KM_KINDS),
    case(km.assign, KM, **KM_KINDS),
    case(km.objective, dict(KM, labels=LABELS), labels=Labels(out=(2, -1), integer=True),
         **KM_KINDS),
    case(km.objective_gradient, dict(KM, labels=LABELS), labels=Labels(out=(2, -1), integer=True),
         **KM_KINDS),
    case(km.update_centroids, dict(KM, labels=LABELS), labels=Labels(out=(2, -1), integer=True),
         **KM_KINDS),
    case(km.random_init, dict(X=X8, k=2, random_state=0), X=X2, k=Count(1, 8), random_state=Rng()),
    case(km.kmeans_plus_plus, dict(X=X8, k=2, random_state=0), X=X2, k=Count(1, 8),
         random_state=Rng()),
    case(km.lloyd, dict(X=X8, k=2, init="random", max_iter=10, random_state=0, record_every=1),
         X=X2, k=Count(1, 8), init=Choice(), max_iter=Count(), random_state=Rng(),
         record_every=Count(1)),
    case(km.lloyd, dict(X=X8, init=CENTRES, max_iter=10), X=X2,
         init=Arr(mismatch="cols",
                  extra=(inv("more centres than points", lambda: np.zeros((9, 2))),)),
         max_iter=Count()),
    # PCA
    case(pca.covariance, dict(X=X3D), X=X2),
    case(pca.eigen, dict(cov=np.cov(X3D.T)), cov=SYMMETRIC),
    case(pca.pca, dict(X=X3D, n_components=2), X=X2, n_components=Count(1, 3),
         optional=("n_components",)),
    case(pca.direction_sweep, dict(X=X8, n_angles=8), X=Arr(mismatch="cols"), n_angles=Count(1)),
    # perceptron
    case(pc.criterion, PER, **PER_KINDS),
    case(pc.criterion_subgradient, PER, **PER_KINDS),
    case(pc.hinge, PER, **PER_KINDS),
    case(pc.train, dict(X=X8, y=YPM, learning_rate=1.0, max_epochs=5, w0=np.zeros(2), b0=0.0,
                        record_every=1),
         X=X2, y=Labels(), learning_rate=POS, max_epochs=Count(), w0=Arr(mismatch="cols"),
         b0=Num(), record_every=Count(1), optional=("w0",)),
    # network
    case(nw.activate, dict(name="tanh", z=[-1.0, 0.0, 2.0]), name=Choice(), z=ANY,
         aliases=dict(name=("activation",))),
    case(nw.derivative, dict(name="relu", z=[-1.0, 0.0, 2.0]), name=Choice(), z=ANY,
         aliases=dict(name=("activation",))),
    case(nw.activations_for, dict(n_layers=3, hidden="tanh", output="sigmoid"),
         n_layers=Count(1), hidden=Choice(), output=Choice(),
         aliases=dict(hidden=("hidden_activation",), output=("output_activation",))),
    case(nw.shapes, dict(layer_sizes=(2, 3, 1)), layer_sizes=Widths(2)),
    case(nw.param_names, dict(layer_sizes=(2, 3, 1)), layer_sizes=Widths(2)),
    case(nw.init_params, dict(layer_sizes=(2, 3, 1), random_state=0, init="he"),
         layer_sizes=Widths(2), random_state=Rng(), init=Choice()),
    case(nw.flatten, dict(params=PARAMS), params=Params()),
    case(nw.unflatten, dict(vector=np.arange(13.0), layer_sizes=(2, 3, 1)),
         vector=Arr(mismatch="rows"), layer_sizes=Widths(2)),
    case(nw.params_at, dict(traj=NET_TRAJ, k=-1), traj=Traj(lambda: KM_TRAJ), k=Step()),
    case(nw.forward, NET, **NET_KINDS),
    case(nw.predict, NET, **NET_KINDS),
    case(nw.layer_transforms, dict(params=PARAMS, points=X8, activations=ACTS), params=Params(),
         points=COLS, activations=Acts()),
    case(nw.backward, dict(NET, Y=Y01, loss="bce"), Y=TARGETS, loss=Choice(), **NET_KINDS),
    case(nw.forward_backward, dict(params=PARAMS, x=X8[1], y=1.0, activations=ACTS, loss="mse"),
         params=Params(), x=Arr(mismatch="cols"),
         y=Arr(ndim=False, extra=(inv("two outputs", lambda: [1.0, 0.0]),
                                  inv("2-D", lambda: [[1.0]]))), activations=Acts(),
         loss=Choice()),
    case(nw.decision_grid, dict(params=PARAMS, x_values=np.linspace(0, 1, 3),
                                y_values=np.linspace(0, 1, 4), activations=ACTS, output=0),
         params=Params(), x_values=Arr(), y_values=Arr(), activations=Acts(),
         output=Count(0, 0)),
    case(nw.descend, dict(NET, Y=Y01, loss="bce", learning_rate=0.5, epochs=3), Y=TARGETS,
         loss=Choice(), learning_rate=POS, epochs=Count(), **NET_KINDS),
    case(nw.finite, dict(p=PASS), p=PASS_KIND),
    case(nw.train, dict(X=X8, y=Y01, hidden=(3,), hidden_activation="tanh",
                        output_activation="sigmoid", loss="bce", random_state=0, init="auto",
                        params0=PARAMS, **TRAIN),
         X=X2, y=TARGETS, hidden=Widths(), hidden_activation=Choice(), output_activation=Choice(),
         loss=Choice(), random_state=Rng(), init=Choice(), params0=Params(),
         optional=("params0", "output_activation"), **TRAIN_KINDS),
    case(nw.train, dict(X=X8, y=Y01, hidden=(3,), random_state=0, **TRAIN), random_state=Rng(),
         hidden=Widths()),
    case(nw.fit, dict(params0=PARAMS, X=X8, y=Y01, activations=ACTS, loss="bce", meta={"a": 1},
                      **TRAIN),
         params0=Params(), X=COLS, y=TARGETS, activations=Acts(), loss=Choice(), meta=META,
         **TRAIN_KINDS),
    # autoencoder
    case(ae.layer_sizes, dict(n_features=5, code_dim=2, hidden=(4,)), n_features=Count(1),
         code_dim=Count(1), hidden=Widths()),
    case(ae.code_layer, dict(traj=AE_TRAJ), traj=Traj(lambda: NET_TRAJ)),
    case(ae.encode, dict(traj=AE_TRAJ, k=0, X=X3D), traj=Traj(lambda: NET_TRAJ), k=Step(),
         X=COLS),
    case(ae.reconstruct, dict(traj=AE_TRAJ, k=-1, X=X3D), traj=Traj(lambda: NET_TRAJ), k=Step(),
         X=COLS),
    case(ae.decoder_basis, dict(traj=AE_LINEAR, k=-1), traj=Traj(lambda: NET_TRAJ), k=Step()),
    case(ae.principal_angles, dict(A=BASIS, B=BASIS[:, ::-1] + 0.1), A=RANK, B=RANK),
    case(ae.train, dict(X=X3D, code_dim=2, hidden=(2,), activation="tanh", linear=False,
                        learning_rate=0.05, epochs=3, random_state=0, record_every=1),
         X=X2, code_dim=Count(1, 2), hidden=Widths(), activation=Choice(), linear=Bool(),
         learning_rate=POS, epochs=Count(), random_state=Rng(), record_every=Count(1)),
    # vanishing gradients
    case(van.layer_norms, dict(flat_grads=NET_TRAJ.grads, layer_sizes=(2, 3, 1)),
         flat_grads=Arr(mismatch="cols"), layer_sizes=Widths(2)),
    case(van.train, dict(X=X8, y=Y01, activation="relu", n_layers=3, width=2, learning_rate=0.1,
                         epochs=2, random_state=0, init="auto", record_every=1),
         X=X2, y=TARGETS, activation=Choice(), n_layers=Count(2), width=Count(1),
         learning_rate=POS, epochs=Count(), random_state=Rng(), init=Choice(),
         record_every=Count(1)),
    case(van.compare, dict(X=X8, y=Y01, activations=("tanh", "relu"), n_layers=2, width=2,
                           learning_rate=0.1, epochs=2),
         X=X2, y=TARGETS, activations=Const((inv("a string", lambda: "tanh"),
                                             inv("empty", lambda: ()),
                                             inv("unknown", lambda: ("tanh", "gelu")))),
         learning_rate=POS, n_layers=Count(2)),
    # data sets
    case(datasets.noisy_line, dict(n=10, slope=1.5, intercept=2.0, noise=1.0, x_range=(0.0, 10.0),
                                   **DS),
         n=Count(2), slope=Num(), intercept=Num(), noise=Num("nonneg"), x_range=Interval(),
         random_state=Rng()),
    case(datasets.blobs, dict(n=12, centers=3, cluster_std=1.0, n_features=2,
                              center_box=(-6.0, 6.0), **DS),
         n=Count(2), centers=Count(1), cluster_std=Num("nonneg"), n_features=Count(1),
         center_box=Interval(), random_state=Rng()),
    case(datasets.blobs, dict(n=12, centers=CENTRES, **DS), centers=Arr()),
    case(datasets.two_moons, dict(n=10, noise=0.1, **DS), n=Count(2), noise=Num("nonneg"),
         random_state=Rng()),
    case(datasets.circles, dict(n=10, noise=0.1, factor=0.5, **DS), n=Count(2),
         noise=Num("nonneg"), factor=FACTOR, random_state=Rng()),
    case(datasets.xor, dict(n=10, noise=0.25, **DS), n=Count(4), noise=Num("nonneg"),
         random_state=Rng()),
    case(datasets.noisy_plane, dict(n=10, slopes=(0.5, -0.8), intercept=1.0, noise=0.2,
                                    xy_range=(-3.0, 3.0), **DS),
         n=Count(3), slopes=Arr(mismatch="cols"), intercept=Num(), noise=Num("nonneg"),
         xy_range=Interval(), random_state=Rng()),
    case(datasets.correlated_gaussian, dict(n=10, cov=((4.0, 2.4), (2.4, 2.0)), mean=(2.0, 1.0),
                                            **DS),
         n=Count(2), cov=SPD, mean=Arr(mismatch="cols"), random_state=Rng()),
    # the Trajectory
    case(Trajectory, dict(params=np.zeros((3, 2)), loss=np.arange(3.0), grads=np.ones((3, 2)),
                          param_names=("w", "b"), steps=[0, 2, 5], extras={"x": np.arange(4.0)},
                          meta={"a": 1}),
         params=Arr(), loss=ROWS, grads=ROWS, param_names=NAMES, steps=STEPS, extras=EXTRAS,
         meta=META),
    case(Trajectory.param, dict(name="w"), call=lambda name: SMALL.param(name), name=PARAM_NAME,
         aliases=dict(name=("parameter",))),
    case(Trajectory.grad, dict(name="b"), call=lambda name: SMALL.grad(name), name=PARAM_NAME,
         aliases=dict(name=("parameter",))),
    case(Trajectory.index, dict(k=1), call=lambda k: SMALL.index(k), k=Step()),
    case(Trajectory.at, dict(k=-1), call=lambda k: SMALL.at(k), k=Step()),
]


# ---------------------------------------------------------------------------------------------
# what comes back

def _finite_everywhere(out, where: str = "result") -> None:
    """Every number in ``out`` is finite (Trajectories, tuples, dicts, dataclasses, arrays)."""
    if isinstance(out, Trajectory):
        for name in ("params", "loss", "grads"):
            assert np.all(np.isfinite(getattr(out, name))), f"{where}.{name}"
        for key, value in out.extras.items():
            assert np.all(np.isfinite(value)), f"{where}.extras[{key!r}]"
        assert "diverged" not in out.meta or isinstance(out.meta["diverged"], bool)
    elif isinstance(out, np.ndarray):
        if out.dtype.kind in "biuf":
            assert np.all(np.isfinite(out)), where
    elif isinstance(out, (bool, str, type(None))) or callable(out):
        pass
    elif isinstance(out, (int, float, np.number)):
        assert math.isfinite(out), where
    elif isinstance(out, Mapping):
        for key, value in out.items():
            _finite_everywhere(value, f"{where}[{key!r}]")
    elif isinstance(out, (tuple, list)):
        for i, value in enumerate(out):
            _finite_everywhere(value, f"{where}[{i}]")
    elif is_dataclass(out):
        for f in fields(out):
            _finite_everywhere(getattr(out, f.name), f"{where}.{f.name}")
    else:
        raise AssertionError(f"{where}: unexpected {type(out).__name__}")


def _names(message: str, names) -> bool:
    return any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", message) for n in names)


@pytest.mark.parametrize("c", CASES, ids=lambda c: c.id)
def test_the_valid_call_of_each_case_succeeds(c):
    _finite_everywhere(c.run(c.base()))


def _problem(c: Case, name: str, kwargs: dict, severity: str) -> str | None:
    """What is wrong with calling ``c`` on ``kwargs``, whose ``name`` was spoilt (None: nothing)."""
    try:
        # no floating-point warning may escape either (underflow to 0 is harmless)
        with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
            out = c.run(kwargs)
    except ValueError as exc:
        own = (name, *c.aliases.get(name, ()))
        every = set(kwargs) | {n for names in c.aliases.values() for n in names}
        if severity == INVALID and not _names(str(exc), own):
            return f"the message does not name {name}: {exc}"
        if severity == HUGE and not _names(str(exc), every):
            return f"the message names no argument: {exc}"
        return None
    if severity == INVALID:
        return "invalid input was accepted"
    try:
        _finite_everywhere(out)
    except AssertionError as exc:
        return f"not finite: {exc}"
    return None


@pytest.mark.parametrize("c", CASES, ids=lambda c: c.id)
def test_every_listed_bad_value_of_every_argument(c):
    problems = []
    for name, kind in c.kinds.items():
        for label, make, severity in kind.options(c.base()[name]):
            kwargs = c.base()
            kwargs[name] = make()
            if kwargs[name] is None and name in c.optional:
                continue
            problem = _problem(c, name, kwargs, severity)
            if problem:
                problems.append(f"{name}={label}: {problem}")
    assert not problems, f"{c.id}:\n" + "\n".join(problems)


@pytest.mark.parametrize("c", CASES, ids=lambda c: c.id)
@settings(**SETTINGS)
@given(data=st.data())
def test_bad_input_is_refused_by_name_or_flagged_diverged(c, data):
    name = data.draw(st.sampled_from(sorted(c.kinds)), label="argument")
    kwargs = c.base()
    bad, severity, label = data.draw(c.kinds[name].bad(kwargs[name]), label="bad value")
    assume(not (bad is None and name in c.optional))
    kwargs[name] = bad
    problem = _problem(c, name, kwargs, severity)
    assert problem is None, f"{c.id}({name}={label}): {problem}"


def test_every_public_function_has_a_case():
    covered = {c.target for c in CASES}
    missing = []
    for module in MODULES:
        for attr, obj in vars(module).items():
            if attr.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(obj) or inspect.isclass(obj):
                full = f"{module.__name__}.{attr}"
                if obj not in covered and full not in NOT_ALGORITHMS \
                        and not issubclass_exception(obj):
                    missing.append(full)
    methods = [m for name, m in vars(Trajectory).items() if inspect.isfunction(m)
               and not name.startswith("_") and inspect.signature(m).parameters.keys() - {"self"}]
    missing += [m.__qualname__ for m in methods if m not in covered]
    assert not missing, f"public functions without a bad-input case: {missing}"


def issubclass_exception(obj) -> bool:
    return inspect.isclass(obj) and issubclass(obj, Exception)


# ---------------------------------------------------------------------------------------------
# the reported gaps, one by one

def test_gradient_descent_1d_start_that_overflows_is_refused_not_index_error():
    # |theta0| is within the bound, but L(theta0) = theta0**4 overflows: used to be IndexError
    with pytest.raises(ValueError, match="theta0 = 1e\\+200 is too large"):
        gd1.gradient_descent(0.1, theta0=1e200, max_abs_theta=1e300, coefficients=gd1.DOUBLE_WELL)


def test_gradient_descent_1d_that_overflows_later_is_flagged_diverged():
    run = gd1.gradient_descent(0.1, theta0=1e50, max_abs_theta=1e300, steps=20,
                               coefficients=gd1.DOUBLE_WELL)
    assert run.meta["diverged"] is True and list(run.steps) == [0]
    assert run.params[0, 0] == 1e50 and run.grads[0, 0] == gd1.derivative(1e50, gd1.DOUBLE_WELL)
    # the next state is beyond float64: L(theta_1) = theta_1**4 with |theta_1| ~ 4e149
    theta1 = 1e50 - 0.1 * run.grads[0, 0]
    with pytest.raises(ValueError, match="overflow"):
        gd1.loss(theta1, gd1.DOUBLE_WELL)


def test_optimize_start_that_overflows_is_refused_not_index_error():
    with pytest.raises(ValueError, match="start = .* is too far out"):
        opt.optimize("rosenbrock", "sgd", learning_rate=1e-3, steps=3, start=(1e100, 0.0),
                     max_norm=1e300)


def test_optimize_overflow_is_flagged_diverged():
    run = opt.optimize("rosenbrock", "sgd", learning_rate=1.0, steps=50, max_norm=1e300)
    assert run.meta["diverged"] is True
    assert len(run) >= 1 and np.all(np.isfinite(run.params)) and np.all(np.isfinite(run.loss))


def test_logistic_regression_with_a_huge_learning_rate_is_flagged_diverged():
    # X8 with Y01 is not separable: the optimum is finite, and eta = 0.5 reaches it calmly
    run = logr.gradient_descent(X8 * 1e150, Y01, learning_rate=1e300, epochs=50, record_every=7)
    assert run.meta["diverged"] is True
    assert np.all(np.isfinite(run.params)) and np.all(np.isfinite(run.loss))
    assert run.steps[-1] < 50
    # the last state kept is the last finite one: one more update leaves float64
    with np.errstate(over="ignore", invalid="ignore"):
        nxt = run.params[-1] - 1e300 * run.grads[-1]
        z = X8 * 1e150 @ nxt[:2] + nxt[2]
        value = np.mean(np.logaddexp(0.0, z) - Y01 * z)
    assert not (np.all(np.isfinite(nxt)) and np.isfinite(value))
    ok = logr.gradient_descent(X8, Y01, learning_rate=0.5, epochs=50)
    assert ok.meta["diverged"] is False and len(ok) == 51


@pytest.mark.parametrize("kwargs, match", [
    (dict(learning_rate=np.inf), "learning_rate must be a positive finite number, not inf"),
    (dict(epochs=2.5), "epochs must be an integer"),
    (dict(x=[0.0, np.nan, 1.0]), "x must contain only finite values"),
])
def test_linear_regression_names_what_is_wrong(kwargs, match):
    args = dict(x=[0.0, 1.0, 2.0], y=[1.0, 2.0, 2.5], learning_rate=0.1, epochs=3)
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        linr.gradient_descent(args.pop("x"), args.pop("y"), **args)


def test_principal_angles_refuses_rank_deficient_bases():
    full = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    with pytest.raises(ValueError, match="A must have full column rank"):
        ae.principal_angles(np.array([[1.0, 2.0], [1.0, 2.0], [0.0, 0.0]]), full)
    with pytest.raises(ValueError, match="B must have full column rank"):
        ae.principal_angles(full, np.zeros((3, 1)))
    np.testing.assert_allclose(ae.principal_angles(full, full[:, ::-1]), 0.0, atol=1e-12)


def test_kmeans_and_pca_name_bad_shapes_and_labels():
    with pytest.raises(ValueError, match=r"centroids must have shape \(k, 2\)"):
        km.squared_distances(X8, np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"labels must lie in 0 \.\. 1"):
        km.objective(X8, CENTRES, np.full(8, 2))
    with pytest.raises(ValueError, match="labels must be an array of integers"):
        km.update_centroids(X8, LABELS.astype(float), CENTRES)
    with pytest.raises(ValueError, match="cov must be symmetric"):
        pca.eigen([[2.0, 1.0], [0.0, 2.0]])
