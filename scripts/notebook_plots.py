"""Matplotlib for the lesson notebooks (``notebooks/``): the course's colours and a few plots.

The videos draw with manim; the notebooks draw the same runs with matplotlib, the book's own
tool, in the same colours, so a learner who watched the video recognises every curve: ``w`` is
green, the loss orange, the data blue, in both. The hex values are copies of
:data:`mlv.scenes.style.NOTATION` (``style`` imports manim, which a notebook does not need); a
test checks that they match.

Nothing here imports :mod:`mlv.algorithms` or manim: the notebooks run the algorithms
themselves, in the open, and hand the arrays to these functions.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import MappingProxyType
from typing import Any, cast

import matplotlib as mpl
import numpy as np
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure

# the palette of mlv.scenes.style (background, text, axes) and NOTATION's colour of each symbol
BACKGROUND = "#14161c"
FOREGROUND = "#e8e6e3"
MUTED = "#8b8f98"
PANEL = "#1e2129"

#: one colour per symbol, as in the videos (mlv.scenes.style.NOTATION; a test keeps them equal)
COLOURS: MappingProxyType[str, str] = MappingProxyType({
    "data": "#58c4dd", "prediction": "#ffd866", "residual": "#fc6255", "w": "#83c167",
    "b": "#c792ea", "loss": "#ff9e64", "gradient": "#f07178", "eta": "#89ddff",
    "optimum": "#ffffff", "path": "#ffd866", "pc1": "#ffd866", "pc2": "#cfd8dc",
    "sigmoid": "#ef476f", "tanh": "#a4b0ff", "relu": "#06d6a0",
    "weight_positive": "#83c167", "weight_negative": "#e5534b",
    "positive": "#ff79c6", "negative": "#58c4dd", "activation": "#ffd866",
    "saturated": "#8b8f98", "hinge": "#a29bfe", "theta": "#83c167",
    "sgd": "#ffd866", "momentum": "#7bd88f", "rmsprop": "#5ab0f6", "adam": "#e36ce4",
    "query": "#ffd866", "key": "#83c167", "value": "#c792ea", "attention": "#4fd6be",
    "block": "#eceff4", "no_residual": "#ff8fab", "no_layer_norm": "#b8e986",
    "position": "#7aa2f7", "with_positions": "#eceff4", "without_positions": "#ff8fab",
})
#: cluster k's colour (categorical)
CLUSTERS: tuple[str, ...] = ("#2ec4b6", "#e84393", "#badc58", "#a29bfe", "#f8a5c2", "#f6e58d")

#: matplotlib settings of every notebook figure: the videos' dark stage, legible text
RC: MappingProxyType[str, Any] = MappingProxyType({
    "figure.facecolor": BACKGROUND, "axes.facecolor": BACKGROUND, "savefig.facecolor": BACKGROUND,
    "axes.edgecolor": MUTED, "axes.labelcolor": FOREGROUND, "axes.titlecolor": FOREGROUND,
    "xtick.color": MUTED, "ytick.color": MUTED, "xtick.labelcolor": FOREGROUND,
    "ytick.labelcolor": FOREGROUND, "text.color": FOREGROUND, "grid.color": PANEL,
    "grid.linewidth": 0.8, "axes.grid": True, "axes.axisbelow": True,
    "legend.facecolor": PANEL, "legend.edgecolor": MUTED, "legend.framealpha": 0.9,
    "legend.labelcolor": FOREGROUND, "legend.fontsize": 9, "font.size": 10.5,
    "axes.titlesize": 11.5, "axes.labelsize": 11, "axes.spines.top": False,
    "axes.spines.right": False, "figure.dpi": 100, "savefig.dpi": 110,
    "figure.constrained_layout.use": True, "lines.linewidth": 2.0, "lines.markersize": 5,
    "axes.prop_cycle": cycler(color=[COLOURS["data"], COLOURS["loss"], COLOURS["w"], COLOURS["b"],
                                     COLOURS["prediction"]]),
    "image.cmap": "viridis",
})


def colour(name: str) -> str:
    """The colour of symbol ``name`` (``"w"``, ``"loss"``, ``"adam"``...); ``KeyError`` naming the
    known symbols otherwise."""
    try:
        return COLOURS[name]
    except KeyError:
        raise KeyError(f"no colour for {name!r}; known: {', '.join(COLOURS)}") from None


def cluster(k: int) -> str:
    """Cluster ``k``'s colour (cycling past the sixth)."""
    return CLUSTERS[k % len(CLUSTERS)]


def use() -> None:
    """Make every later figure of this kernel look like the course (call once, at the top)."""
    # (matplotlib's stubs type the keys as a Literal of every setting's name)
    mpl.rcParams.update(cast(Any, RC))


@contextmanager
def course_style() -> Iterator[None]:
    """The course's look for the figures made inside the ``with`` block only."""
    with mpl.rc_context(cast(Any, dict(RC))):
        yield


def figure(ncols: int = 1, nrows: int = 1, *, width: float = 4.2, height: float = 3.4,
           **kwargs: Any) -> tuple[Figure, np.ndarray]:
    """A figure of ``nrows`` x ``ncols`` panels, each ``width`` x ``height`` inches, and its axes as
    a flat array (``axes[0]``, ``axes[1]``...). In the course's look after :func:`use` (or inside
    :func:`course_style`)."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(nrows, ncols, figsize=(width * ncols, height * nrows),
                             squeeze=False, **kwargs)
    return fig, axes.ravel()


def field_colours() -> LinearSegmentedColormap:
    """``P(y = 1)`` from the negative class's blue through the background to the positive
    class's magenta (the videos' probability field)."""
    return LinearSegmentedColormap.from_list(
        "mlv-field", [COLOURS["negative"], BACKGROUND, COLOURS["positive"]])


# ------------------------------------------------------------------------------------- plots
def loss_curve(ax: Axes, steps: Sequence[float] | np.ndarray, values: Sequence[float] | np.ndarray,
               *, label: str | None = None, colour_name: str = "loss", log: bool = False,
               ylabel: str | None = None, xlabel: str | None = None, **kwargs: Any) -> None:
    """The loss (or any positive quantity) against the step; the axis labels are set only when
    given (a second curve on the same axes keeps the first one's)."""
    ax.plot(np.asarray(steps), np.asarray(values), color=kwargs.pop("color", colour(colour_name)),
            label=label, **kwargs)
    if log:
        ax.set_yscale("log")
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)


def contours(ax: Axes, xs: np.ndarray, ys: np.ndarray, f: np.ndarray, *, levels: int | Sequence[
        float] = 14, log: bool = True, xlabel: str = "", ylabel: str = "") -> None:
    """Contour lines of ``f[row, col]`` at ``(xs[col], ys[row])``; spaced geometrically when
    ``log`` (a valley's floor and its walls both show), in the muted axes colour."""
    f = np.asarray(f, dtype=float)
    if log and isinstance(levels, int):
        lo = max(float(np.min(f)), 1e-12)
        hi = float(np.max(f))
        span = lo + np.geomspace(max((hi - lo) * 1e-3, 1e-9), hi - lo, levels)
        levels = list(span)
    ax.contour(xs, ys, f, levels=levels, colors=MUTED, linewidths=0.8, alpha=0.9)
    if xlabel:
        ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)


def path(ax: Axes, p: np.ndarray, *, colour_name: str = "path", label: str | None = None,
         start: bool = True, markers: bool = True, **kwargs: Any) -> None:
    """A path of parameters ``p[step] = (x, y)`` with a dot per step and a ring at the start."""
    p = np.asarray(p, dtype=float)
    c = kwargs.pop("color", colour(colour_name))
    ax.plot(p[:, 0], p[:, 1], color=c, label=label, marker="o" if markers else None,
            markersize=2.5, linewidth=1.6, **kwargs)
    if start:
        ax.plot(p[0, 0], p[0, 1], "o", markersize=8, markerfacecolor="none",
                markeredgecolor=c, markeredgewidth=1.5)


def optimum(ax: Axes, x: float, y: float, *, label: str | None = "optimum") -> None:
    """The optimum as a white star (as in the videos)."""
    ax.plot([x], [y], marker="*", markersize=14, color=COLOURS["optimum"], linestyle="none",
            markeredgecolor=BACKGROUND, label=label, zorder=5)


def points(ax: Axes, X: np.ndarray, *, colour_name: str = "data", label: str | None = None,
           **kwargs: Any) -> None:
    """Points ``X[i] = (x, y)`` as dots in the data's colour."""
    X = np.asarray(X, dtype=float)
    ax.scatter(X[:, 0], X[:, 1], s=kwargs.pop("s", 22), color=kwargs.pop("color",
               colour(colour_name)), label=label, edgecolors=BACKGROUND, linewidths=0.5,
               zorder=3, **kwargs)


def classes(ax: Axes, X: np.ndarray, y: np.ndarray, *, labels: tuple[str, str] = ("class 0",
            "class 1")) -> None:
    """Two classes of points: ``y <= 0`` in the negative class's blue, ``y > 0`` in the positive
    class's magenta (0/1 and -1/+1 labels alike)."""
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    pos = y > 0
    # a light rim keeps each point visible on its own class's side of a probability field
    ax.scatter(X[~pos, 0], X[~pos, 1], s=28, color=COLOURS["negative"], label=labels[0],
               edgecolors=FOREGROUND, linewidths=0.7, zorder=3, marker="o")
    ax.scatter(X[pos, 0], X[pos, 1], s=34, color=COLOURS["positive"], label=labels[1],
               edgecolors=FOREGROUND, linewidths=0.7, zorder=3, marker="^")


def probability_field(ax: Axes, gx: np.ndarray, gy: np.ndarray, p: np.ndarray, *,
                      boundary: bool = True) -> None:
    """``P(y = 1)`` on the grid (``p[row, col]`` at ``(gx[col], gy[row])``) as a colour field
    and, with ``boundary``, its 0.5 contour, the decision boundary, in the prediction's
    yellow."""
    ax.pcolormesh(gx, gy, p, cmap=field_colours(), vmin=0.0, vmax=1.0, shading="auto",
                  alpha=0.5, rasterized=True)
    if boundary and float(np.min(p)) < 0.5 < float(np.max(p)):
        ax.contour(gx, gy, p, levels=[0.5], colors=COLOURS["prediction"], linewidths=2.0)
    ax.set_aspect("equal")
    ax.grid(False)


def line(ax: Axes, w: float, b: float, x_range: tuple[float, float], *,
         colour_name: str = "prediction", label: str | None = None, **kwargs: Any) -> None:
    """The line ``y = w x + b`` over ``x_range``."""
    xs = np.linspace(*x_range, 2)
    ax.plot(xs, w * xs + b, color=kwargs.pop("color", colour(colour_name)), label=label,
            **kwargs)


def boundary(ax: Axes, w: np.ndarray, b: float, box: tuple[float, float, float, float], *,
             colour_name: str = "prediction", label: str | None = None, **kwargs: Any) -> None:
    """The line ``w . x + b = 0`` inside ``box = (x0, x1, y0, y1)`` (nothing when ``w = 0``)."""
    w = np.asarray(w, dtype=float)
    x0, x1, y0, y1 = box
    c = kwargs.pop("color", colour(colour_name))
    if abs(w[1]) > 1e-12 and abs(w[1]) >= abs(w[0]):
        xs = np.linspace(x0, x1, 200)
        ys = -(w[0] * xs + b) / w[1]
    elif abs(w[0]) > 1e-12:
        ys = np.linspace(y0, y1, 200)
        xs = -(w[1] * ys + b) / w[0]
    else:
        return
    keep = (xs >= x0) & (xs <= x1) & (ys >= y0) & (ys <= y1)
    ax.plot(xs[keep], ys[keep], color=c, label=label, **kwargs)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)


def legend(ax: Axes, **kwargs: Any) -> None:
    """A legend that keeps out of the data's way."""
    ax.legend(loc=kwargs.pop("loc", "best"), **kwargs)
