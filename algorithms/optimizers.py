"""SGD, momentum, RMSProp and Adam on 2-D test surfaces.

Update rules (``g = grad f(theta_t)``, state starts at zero, ``t = 1, 2, ...`` counts updates):

    SGD       theta <- theta - eta g
    momentum  v <- beta v - eta g;                      theta <- theta + v
              (Polyak's heavy ball: theta_{t+1} = theta_t - eta g + beta (theta_t - theta_{t-1}))
    RMSProp   s <- rho s + (1 - rho) g**2;              theta <- theta - eta g / (sqrt(s) + eps)
              (Tieleman & Hinton, 2012, lecture 6.5)
    Adam      m <- beta1 m + (1 - beta1) g;  v <- beta2 v + (1 - beta2) g**2
              m_hat = m / (1 - beta1**t);    v_hat = v / (1 - beta2**t)
              theta <- theta - eta m_hat / (sqrt(v_hat) + eps)
              (Kingma & Ba, 2015, Algorithm 1)

On these deterministic surfaces "SGD" is plain gradient descent: there is no sampling noise.
Adam's bias correction makes its first step ``eta * g / (|g| + eps)``, about ``eta`` per coordinate
whatever the gradient's size; RMSProp without it takes a first step of ``eta / sqrt(1 - rho)``.

Surfaces take points of shape ``(..., 2)`` and return values of shape ``(...)`` and gradients of
shape ``(..., 2)``.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from mlv.algorithms import _checks
from mlv.algorithms.trajectory import Trajectory

OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")

DEFAULTS = {
    "sgd": {},
    "momentum": {"beta": 0.9},
    "rmsprop": {"rho": 0.9, "eps": 1e-8},
    "adam": {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
}
"""Hyper-parameters besides the learning rate, with the papers' suggested values."""


# ---------------------------------------------------------------------------------------------
# surfaces

def _evaluate(name: str, f, p, **constants):
    """``f(points, **constants)`` for finite points of shape (..., 2), overflow refused."""
    p = _checks.points(p, "p")
    for key, value in constants.items():
        constants[key] = _checks.positive(value, key) if key != "a" else _checks.scalar(value, key)
    with np.errstate(over="ignore", invalid="ignore"):
        out = f(p, **constants)
    return _checks.result(out, name, "p (or the surface's constants) are")


def _rosenbrock(p, a, b):
    x, y = p[..., 0], p[..., 1]
    return (a - x) ** 2 + b * (y - x**2) ** 2


def _rosenbrock_gradient(p, a, b):
    x, y = p[..., 0], p[..., 1]
    return np.stack([-2 * (a - x) - 4 * b * x * (y - x**2), 2 * b * (y - x**2)], axis=-1)


def _quadratic(p, condition):
    return 0.5 * (p[..., 0] ** 2 + condition * p[..., 1] ** 2)


def _quadratic_gradient(p, condition):
    return np.stack([p[..., 0], condition * p[..., 1]], axis=-1)


def _saddle(p):
    return p[..., 0] ** 2 - p[..., 1] ** 2


def _saddle_gradient(p):
    return np.stack([2 * p[..., 0], -2 * p[..., 1]], axis=-1)


def rosenbrock(p, a: float = 1.0, b: float = 100.0):
    """``(a - x)**2 + b (y - x**2)**2``: a curved, narrow valley; minimum 0 at ``(a, a**2)``.
    ``b > 0``."""
    return _evaluate("rosenbrock(p)", _rosenbrock, p, a=a, b=b)


def rosenbrock_gradient(p, a: float = 1.0, b: float = 100.0) -> np.ndarray:
    """Gradient of :func:`rosenbrock`, shape ``(..., 2)``."""
    return _evaluate("rosenbrock_gradient(p)", _rosenbrock_gradient, p, a=a, b=b)


def quadratic(p, condition: float = 25.0):
    """``(x**2 + condition * y**2) / 2``: an ill-conditioned bowl (the Hessian's eigenvalues are 1
    and ``condition > 0``); minimum 0 at the origin."""
    return _evaluate("quadratic(p)", _quadratic, p, condition=condition)


def quadratic_gradient(p, condition: float = 25.0) -> np.ndarray:
    """Gradient of :func:`quadratic`, shape ``(..., 2)``."""
    return _evaluate("quadratic_gradient(p)", _quadratic_gradient, p, condition=condition)


def saddle(p):
    """``x**2 - y**2``: a saddle at the origin, unbounded below along ``y``."""
    return _evaluate("saddle(p)", _saddle, p)


def saddle_gradient(p) -> np.ndarray:
    """Gradient of :func:`saddle`, shape ``(..., 2)``: ``(2x, -2y)``. Gradient descent maps
    ``y -> (1 + 2 eta) y``: the distance from the ridge ``y = 0`` grows geometrically."""
    return _evaluate("saddle_gradient(p)", _saddle_gradient, p)


_KERNELS: dict[Callable, Callable] = {
    rosenbrock: lambda p: _rosenbrock(p, 1.0, 100.0),
    rosenbrock_gradient: lambda p: _rosenbrock_gradient(p, 1.0, 100.0),
    quadratic: lambda p: _quadratic(p, 25.0),
    quadratic_gradient: lambda p: _quadratic_gradient(p, 25.0),
    saddle: _saddle,
    saddle_gradient: _saddle_gradient,
}


@dataclass(frozen=True)
class Surface:
    """A 2-D test function with what a scene needs to draw it.

    Attributes
    ----------
    name : str
    value : callable, points (..., 2) -> (...)
    gradient : callable, points (..., 2) -> (..., 2)
    x_range, y_range : (float, float)
        A window that shows the interesting part.
    start : (float, float)
        A start point that shows the surface's difficulty.
    minimum : (float, float) or None
        The global minimiser (None for the saddle, which has none).
    """

    name: str
    value: Callable[[np.ndarray], np.ndarray]
    gradient: Callable[[np.ndarray], np.ndarray]
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    start: tuple[float, float]
    minimum: tuple[float, float] | None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise ValueError(f"name must be a non-empty string, not {self.name!r}")
        for field_name in ("value", "gradient"):
            f = getattr(self, field_name)
            if not callable(f):
                raise ValueError(f"{field_name} must be callable, not {f!r}")
        object.__setattr__(self, "x_range", _checks.interval(self.x_range, "x_range"))
        object.__setattr__(self, "y_range", _checks.interval(self.y_range, "y_range"))
        object.__setattr__(self, "start", _pair(self.start, "start"))
        if self.minimum is not None:
            object.__setattr__(self, "minimum", _pair(self.minimum, "minimum"))


def _pair(value, name: str) -> tuple[float, float]:
    v = _checks.vector(value, name, 2)
    return float(v[0]), float(v[1])


SURFACES: Mapping[str, Surface] = {
    "rosenbrock": Surface("rosenbrock", rosenbrock, rosenbrock_gradient,
                          (-2.0, 2.0), (-1.0, 3.0), (-1.5, 2.0), (1.0, 1.0)),
    "quadratic": Surface("quadratic", quadratic, quadratic_gradient,
                         (-6.0, 6.0), (-3.0, 3.0), (-5.0, 2.0), (0.0, 0.0)),
    "saddle": Surface("saddle", saddle, saddle_gradient,
                      (-2.0, 2.0), (-2.0, 2.0), (1.5, 0.05), None),
}


def _surface(surface) -> Surface:
    if isinstance(surface, Surface):
        return surface
    return SURFACES[_checks.choice(surface, "surface", SURFACES)]


def grid(surface, n: int = 101, x_range=None, y_range=None):
    """The surface on a regular grid, for contour plots.

    Parameters
    ----------
    surface : str or Surface
    n : int
        Points per axis (at least 2).
    x_range, y_range : (float, float), optional
        Increasing pairs; default to the surface's window.

    Returns
    -------
    xs : ndarray of shape (n,)
    ys : ndarray of shape (n,)
    Z : ndarray of shape (n, n)
        ``Z[j, i] = f(xs[i], ys[j])``.
    """
    s = _surface(surface)
    n = _checks.integer(n, "n", minimum=2)
    xr = s.x_range if x_range is None else _checks.interval(x_range, "x_range")
    yr = s.y_range if y_range is None else _checks.interval(y_range, "y_range")
    xs = np.linspace(*xr, n)
    ys = np.linspace(*yr, n)
    X, Y = np.meshgrid(xs, ys)
    try:
        Z = s.value(np.stack([X, Y], axis=-1))
    except _checks.Overflow:
        raise _checks.Overflow(f"{s.name} overflows float64 on this grid: x_range or y_range "
                               "is too large") from None
    return xs, ys, _checks.result(np.asarray(Z, dtype=float), f"{s.name} on the grid",
                                  "x_range or y_range are")


# ---------------------------------------------------------------------------------------------
# optimizers

def _hyper(optimizer: str, given: Mapping[str, float]) -> dict[str, float]:
    allowed = DEFAULTS[optimizer]
    unknown = set(given) - set(allowed)
    if unknown:
        raise ValueError(f"{optimizer} takes hyper-parameters {tuple(allowed)}, "
                         f"got {sorted(unknown)}")
    hyper = {**allowed, **given}
    for key, value in hyper.items():
        if key == "eps":
            _checks.positive(value, key)
        else:
            _checks.in_unit_interval(value, key)
        hyper[key] = float(value)
    return hyper


def optimize(
    surface,
    optimizer: str,
    *,
    learning_rate: float,
    steps: int,
    start=None,
    max_norm: float = 1e6,
    record_every: int = 1,
    **hyper: float,
) -> Trajectory:
    """Run one optimizer on one surface.

    Parameters
    ----------
    surface : str or Surface
        ``"rosenbrock"``, ``"quadratic"``, ``"saddle"`` or a :class:`Surface`.
    optimizer : str
        ``"sgd"``, ``"momentum"``, ``"rmsprop"`` or ``"adam"``.
    learning_rate : float
        eta > 0.
    steps : int
        Number of updates.
    start : (float, float), optional
        Start point (step 0); defaults to the surface's.
    max_norm : float
        The run counts as diverged, and stops, once ``|theta|`` exceeds this or the value stops
        being finite (the saddle is unbounded below: every method leaves along ``y`` eventually).
    record_every : int
        Record every k-th step (the first and last are always recorded).
    **hyper : float
        Overrides of :data:`DEFAULTS` for this optimizer (``beta``, ``rho``, ``beta1``, ...).

    Returns
    -------
    Trajectory
        ``params`` of shape (n_recorded, 2), columns ``("x", "y")``; ``loss`` is ``f(theta)``;
        ``grads`` is ``grad f(theta)``. ``extras`` hold the optimizer's state after the update that
        produced each row (zeros at step 0): ``"velocity"`` (momentum), ``"sq_avg"`` (RMSProp),
        ``"m"`` and ``"v"`` (Adam), each of shape (n_recorded, 2). ``meta`` holds the surface,
        optimizer, learning rate, hyper-parameters and ``diverged``.
    """
    s = _surface(surface)
    optimizer = _checks.choice(optimizer, "optimizer", OPTIMIZERS)
    eta = _checks.positive(learning_rate, "learning_rate")
    steps = _checks.integer(steps, "steps")
    record_every = _checks.integer(record_every, "record_every", minimum=1)
    bound = _checks.positive(max_norm, "max_norm")
    h = _hyper(optimizer, hyper)
    theta = _checks.vector(s.start if start is None else start, "start", 2)
    with np.errstate(over="ignore"):          # a norm beyond float64 is beyond any max_norm
        too_far = np.linalg.norm(theta) > bound
    if too_far:
        raise ValueError(f"start must lie within max_norm = {bound} of the origin, got {theta}")

    state_names = {"sgd": (), "momentum": ("velocity",), "rmsprop": ("sq_avg",),
                   "adam": ("m", "v")}[optimizer]
    state = {k: np.zeros(2) for k in state_names}
    # the built-in surfaces' own formulas, without the argument checks (theta is checked here)
    value_of = _KERNELS.get(s.value, s.value)
    gradient_of = _KERNELS.get(s.gradient, s.gradient)
    rows: list[tuple] = []
    last: tuple | None = None
    diverged = False
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(steps + 1):
            if not np.linalg.norm(theta) <= bound:          # also catches inf and NaN
                diverged = True
                break
            try:
                value = float(value_of(theta))
                g = np.asarray(gradient_of(theta), dtype=float)
            except _checks.Overflow:                         # the surface overflows here
                value, g = np.nan, np.full(2, np.nan)
            if g.shape != (2,):
                raise ValueError(f"surface {s.name!r}: gradient must return shape (2,) for one "
                                 f"point, got {g.shape}")
            if not (np.isfinite(value) and np.all(np.isfinite(g))):
                diverged = True
                break
            last = (t, theta.copy(), value, g, *(state[k].copy() for k in state_names))
            if _checks.recorded(t, steps, record_every):
                rows.append(last)
            if t < steps:
                theta = theta + _update(optimizer, state, g, t + 1, eta, h)
    if last is None:                          # the start itself overflows: nothing to record
        raise ValueError(f"start = {tuple(theta)} is too far out: the surface {s.name!r} or its "
                         "gradient overflows float64 there")
    if rows[-1] is not last:                  # a diverged run keeps its last finite state
        rows.append(last)
    cols = [np.array(col) for col in zip(*rows)]
    return Trajectory(
        params=cols[1], loss=cols[2], grads=cols[3], param_names=("x", "y"), steps=cols[0],
        extras=dict(zip(state_names, cols[4:])),
        meta={"surface": s.name, "optimizer": optimizer, "learning_rate": eta, "steps": steps,
              **h, "diverged": diverged})


def _update(optimizer: str, state: dict, g: np.ndarray, t: int, eta: float, h: dict) -> np.ndarray:
    """The step ``theta_{t} - theta_{t-1}`` of update number ``t`` (from 1); updates ``state``."""
    if optimizer == "sgd":
        return -eta * g
    if optimizer == "momentum":
        state["velocity"] = h["beta"] * state["velocity"] - eta * g
        return state["velocity"]
    if optimizer == "rmsprop":
        state["sq_avg"] = h["rho"] * state["sq_avg"] + (1 - h["rho"]) * g**2
        return -eta * g / (np.sqrt(state["sq_avg"]) + h["eps"])
    # adam
    state["m"] = h["beta1"] * state["m"] + (1 - h["beta1"]) * g
    state["v"] = h["beta2"] * state["v"] + (1 - h["beta2"]) * g**2
    m_hat = state["m"] / (1 - h["beta1"] ** t)
    v_hat = state["v"] / (1 - h["beta2"] ** t)
    return -eta * m_hat / (np.sqrt(v_hat) + h["eps"])


def race(
    surface,
    *,
    learning_rates: Mapping[str, float],
    steps: int,
    start=None,
    max_norm: float = 1e6,
    record_every: int = 1,
) -> dict[str, Trajectory]:
    """Every optimizer named in ``learning_rates`` on the same surface from the same start.

    Parameters
    ----------
    learning_rates : mapping of optimizer name to float
        e.g. ``{"sgd": 1e-3, "momentum": 1e-3, "rmsprop": 1e-2, "adam": 1e-2}``; the order is kept.

    Returns
    -------
    dict of str to Trajectory
        One path per optimizer (see :func:`optimize`).
    """
    if not isinstance(learning_rates, Mapping) or not learning_rates:
        raise ValueError("learning_rates must be a mapping naming at least one optimizer, "
                         f"not {learning_rates!r:.80}")
    for name, eta in learning_rates.items():
        _checks.choice(name, "learning_rates keys", OPTIMIZERS)
        _checks.positive(eta, f"learning_rates[{name!r}]")
    return {name: optimize(surface, name, learning_rate=eta, steps=steps, start=start,
                           max_norm=max_norm, record_every=record_every)
            for name, eta in learning_rates.items()}
