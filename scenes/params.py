"""Scene parameters: what a lecturer may change in a scene, with types, defaults and ranges.

Each parameterised scene declares its parameters here (this module imports nothing heavy, so the
CLI and the manifest validator read it without starting manim)::

    mlv render gradient-descent-intuition --set lr=1.1 --set steps=8

and in a course manifest::

    scenes = [{ id = "gradient-descent-intuition", params = { lr = 1.1 } }]

The CLI validates the values and puts them in the render request; the worker hands the full set
(:func:`resolve`) to the scene, whose ``script(params)`` builds its lesson data, narration and
numbers from them. Only values that differ from the defaults are kept (:func:`overrides`), so
the default render is shared by every course; they enter the cache key and the output file name
(:func:`file_suffix`).
"""
from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from mlv.scenes.course import CHAPTERS

MAX_TEXT = 80


@dataclass(frozen=True)
class Param:
    """One parameter of a scene.

    ``kind`` is ``"float"``, ``"int"``, ``"choice"`` (one of ``choices``) or ``"text"`` (a short
    line of text, e.g. a title). Numbers lie in ``[low, high]`` (both inclusive); a float may be
    given as an int.
    """

    name: str
    kind: str
    default: Any
    help: str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.kind == "int":
            what = f"int in [{self.low:d}, {self.high:d}]"
        elif self.kind == "float":
            what = f"float in [{self.low:g}, {self.high:g}]"
        elif self.kind == "choice":
            what = "one of " + ", ".join(self.choices)
        else:
            what = f"text up to {MAX_TEXT} characters"
        return f"{self.name}: {what}, default {self.default!r} — {self.help}"

    def check(self, value: Any) -> Any:
        """``value`` as this parameter's type, or :class:`ValueError` saying why not."""
        if self.kind in ("float", "int"):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"{self.name} must be a number ({self.kind}), "
                                 f"not {type(value).__name__} {value!r}")
            if self.kind == "int":
                if isinstance(value, float) and not value.is_integer():
                    raise ValueError(f"{self.name} must be a whole number, not {value!r}")
                value = int(value)
            else:
                value = float(value)
            if not math.isfinite(value) or not (self.low <= value <= self.high):
                raise ValueError(f"{self.name} = {value!r} is out of range "
                                 f"[{self.low:g}, {self.high:g}]")
            return value
        if not isinstance(value, str):
            raise ValueError(f"{self.name} must be text, not {type(value).__name__} {value!r}")
        if self.kind == "choice":
            if value not in self.choices:
                raise ValueError(f"{self.name} must be one of {', '.join(self.choices)}, "
                                 f"not {value!r}")
            return value
        return check_title(value, self.name)

    def parse(self, text: str) -> Any:
        """A command-line string (``--set name=TEXT``) as this parameter's type."""
        if self.kind in ("float", "int"):
            try:
                value: Any = int(text) if self.kind == "int" else float(text)
            except ValueError:
                raise ValueError(f"{self.name} must be a number ({self.kind}), "
                                 f"not {text!r}") from None
            return self.check(value)
        return self.check(text)


def check_title(value: str, what: str = "title") -> str:
    """A title or other short text shown on screen: one line, printable, not path-like.

    Titles label chapters and scenes; outputs are named by number and id, never by title, but a
    title that looks like a path (``../../etc``) is refused outright rather than trusted.
    """
    if not value.strip():
        raise ValueError(f"{what} is empty")
    if len(value) > MAX_TEXT:
        raise ValueError(f"{what} is {len(value)} characters long (at most {MAX_TEXT})")
    if any(not ch.isprintable() for ch in value):
        raise ValueError(f"{what} {value!r} contains control characters")
    if "\\" in value or ".." in value or value.lstrip().startswith(("/", "~")):
        raise ValueError(f"{what} {value!r} looks like a path (titles may not contain '..', "
                         f"'\\' or start with '/' or '~')")
    return value


def _lr(default: float, low: float, high: float, help: str) -> Param:
    return Param("lr", "float", default, help, low, high)


def _card(number: int, title: str) -> tuple[Param, ...]:
    return (Param("number", "int", number, "the chapter number shown on the card", 1, 99),
            Param("title", "text", title, "the chapter title shown on the card"))


SPECS: dict[str, tuple[Param, ...]] = {
    **{f"chapter-{n}-title": _card(n, t) for n, t in CHAPTERS.items()},
    "gradient-descent-intuition": (
        _lr(0.15, 0.001, 1.5, "learning rate of the ball's walk (above 1 it diverges)"),
        Param("theta0", "float", -1.0, "where every run starts (left of the minimum at 2)",
              -6.0, 1.0),
        Param("steps", "int", 12, "steps of the walk", 1, 40),
    ),
    "linear-regression-training": (
        _lr(0.1, 0.001, 2.0, "learning rate on standardised inputs (above 1 it diverges)"),
        Param("epochs", "int", 100, "epochs of each run", 5, 500),
        Param("seed", "int", 7, "seed of the data set", 0, 2**31 - 1),
    ),
    "kmeans-training": (
        Param("k", "int", 4, "number of clusters (the data has 4 blobs)", 2, 6),
        Param("seed", "int", 3, "seed of the data set", 0, 2**31 - 1),
        Param("init_seed", "int", 2, "seed of the first run's random initial centres",
              0, 2**31 - 1),
    ),
    "neural-network-training": (
        _lr(2.0, 0.05, 20.0, "learning rate of the network's gradient descent"),
        Param("epochs", "int", 1000, "training epochs", 100, 3000),
        Param("init_seed", "int", 1, "seed of the random initial weights", 0, 2**31 - 1),
        Param("activation", "choice", "sigmoid", "the hidden neurons' activation",
              choices=("sigmoid", "tanh")),
    ),
    "vanishing-gradients": (
        Param("layers", "int", 12, "weight layers of each network (depth)", 4, 16),
        Param("width", "int", 16, "units per hidden layer", 4, 32),
    ),
    "dot-product-attention": (
        Param("seed", "int", 0, "seed of the embeddings, the projections and the variance "
              "samples", 0, 2**31 - 1),
    ),
    "attention-training": (
        _lr(0.5, 0.05, 2.0, "learning rate of the attention layer's gradient descent"),
        Param("epochs", "int", 400, "training epochs", 50, 1500),
        Param("seed", "int", 0, "seed of the initial weights", 0, 2**31 - 1),
        Param("d_model", "int", 8, "width of the queries, keys and values", 2, 32),
        Param("n_pairs", "int", 5, "task length: (key, value) pairs before the query", 2, 8),
    ),
    "positional-encoding": (
        _lr(0.5, 0.05, 1.0, "learning rate of both runs"),
        Param("seed", "int", 0, "seed of the initial weights and the shuffled example",
              0, 2**31 - 1),
        Param("length", "int", 5, "task length: tokens before the query", 2, 8),
    ),
    "transformer-block": (
        _lr(0.3, 0.05, 1.0, "learning rate of the block and its ablations"),
        Param("epochs", "int", 400, "training epochs of each run", 50, 1000),
        Param("seed", "int", 0, "seed of the initial weights", 0, 2**31 - 1),
        Param("d_model", "int", 8, "width of the embedding, queries, keys and values", 4, 16),
    ),
}


def spec(scene_id: str) -> tuple[Param, ...]:
    """The parameters scene ``scene_id`` declares (empty for a scene without any)."""
    return SPECS.get(scene_id, ())


def defaults(scene_id: str) -> dict[str, Any]:
    return {p.name: p.default for p in spec(scene_id)}


def _unknown(scene_id: str, name: str) -> str:
    known = spec(scene_id)
    if not known:
        return f"scene {scene_id!r} has no parameters"
    return (f"scene {scene_id!r} has no parameter {name!r}; it has "
            f"{', '.join(p.name for p in known)} ('mlv params {scene_id}' describes them)")


def validate(scene_id: str, values: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Typed values and the list of problems (one line each) for ``values``."""
    by_name = {p.name: p for p in spec(scene_id)}
    out, problems = {}, []
    for name, value in values.items():
        p = by_name.get(name)
        if p is None:
            problems.append(_unknown(scene_id, str(name)))
            continue
        try:
            out[name] = p.check(value)
        except ValueError as exc:
            problems.append(f"{scene_id}: {exc}")
    return out, problems


def parse_assignments(scene_id: str, items: Iterable[str]) -> tuple[dict[str, Any], list[str]]:
    """``["lr=0.05", "steps=8"]`` from the command line as typed values, and the problems."""
    by_name = {p.name: p for p in spec(scene_id)}
    out, problems = {}, []
    for item in items:
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not name:
            problems.append(f"--set takes NAME=VALUE, not {item!r}")
            continue
        p = by_name.get(name)
        if p is None:
            problems.append(_unknown(scene_id, name))
            continue
        try:
            out[name] = p.parse(text.strip())
        except ValueError as exc:
            problems.append(f"{scene_id}: {exc}")
    return out, problems


def overrides(scene_id: str, values: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    """The values that differ from the defaults, sorted by name (what a render is keyed on)."""
    d = defaults(scene_id)
    return tuple(sorted((k, v) for k, v in values.items() if d.get(k) != v))


def _fmt(p: Param | None, value: Any) -> str:
    if p is not None and p.kind == "text":
        return hashlib.sha256(value.encode()).hexdigest()[:8]
    return f"{value:g}" if isinstance(value, float) else str(value)


def file_suffix(scene_id: str, over: Iterable[tuple[str, Any]]) -> str:
    """``""`` for the defaults, else ``--lr=1.1_steps=8`` (free text appears as a short hash)."""
    by_name = {p.name: p for p in spec(scene_id)}
    parts = [f"{k}={_fmt(by_name.get(k), v)}" for k, v in over]
    return "--" + "_".join(parts) if parts else ""


def resolve(scene_id: str, over: Iterable[tuple[str, Any]] = ()) -> dict[str, Any]:
    """The full parameter set of ``scene_id``: its defaults updated with ``over`` (validated;
    :class:`ValueError` naming every problem)."""
    values = defaults(scene_id)
    checked, problems = validate(scene_id, dict(over))
    if problems:
        raise ValueError("; ".join(problems))
    values.update(checked)
    return values
