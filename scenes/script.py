"""What a scene is built from, and what it computes before it draws.

A render request (built once by the CLI, see :mod:`mlv.scripts.request`) reaches the scene as a
:class:`SceneInputs`: the scene's full, validated parameter set and the voice. The scene turns its
parameters into a :class:`Script` with its module's ``script(params)`` function: the lesson data
(from :mod:`mlv.algorithms`), the narration (whose wording follows that data) and the numbers the
lecture notes tabulate. ``script`` is a pure function of the parameters, so importing a scene
module does no work, and any parameter set's narration can be read in-process::

    from mlv.scenes import catalog
    catalog.script("gradient-descent-intuition", {"lr": 1.1}).narration

This module imports nothing heavy (no manim).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from mlv.scenes.narration import Narration


@dataclass(frozen=True)
class SceneInputs:
    """Everything a scene is built from.

    Attributes
    ----------
    params : mapping of str to value
        The scene's full parameter set (defaults updated with the request's overrides), already
        validated by :mod:`mlv.scenes.params`.
    voice : str
        The narration voice (one of :data:`mlv.scenes.narration.VOICES`).
    audio_dir : Path or None
        Where the voice caches each beat's audio; ``None``: a folder in manim's media dir.
    mux_audio : bool
        Whether manim itself adds each beat's audio to its movie. Plain ``manim`` renders do;
        mlv's worker does not, and builds one exact narration track from the timeline instead.
    layout_samples : tuple of float
        Fractions of every animation's run time at which the scene also records a layout
        snapshot (:mod:`mlv.scenes.layout`); the tests ask for them, renders do not.
    """

    params: Mapping[str, Any]
    voice: str
    audio_dir: Path | None = None
    mux_audio: bool = True
    layout_samples: tuple[float, ...] = ()


@dataclass(frozen=True)
class Script:
    """A scene's computed content for one parameter set.

    Attributes
    ----------
    narration : Narration
        The beats, worded from the lesson data.
    lesson : object
        The lesson data the scene draws (a dataclass from :mod:`mlv.algorithms`, or ``None``).
    numbers : dict of str to number
        The run's final numbers for the lecture notes' table (label -> value).
    """

    narration: Narration
    lesson: Any = None
    numbers: dict[str, Any] = field(default_factory=dict)


class Scripted(Protocol):
    """A scene class: it computes its :class:`Script` for a full parameter set."""

    @staticmethod
    def script(params: Mapping[str, Any]) -> Script: ...
