"""What a scene's part of the notes holds, gathered from its render record and the catalog.

The record (the ``.json`` beside each rendered scene) carries the narration as its timeline's
beats and the run's final numbers; the catalog entry names the scene, says what kind of card it
is, and declares the derivation modules a lesson shows (:attr:`SceneEntry.derivations`, in the
order they are printed).

This module imports only the standard library at import time.
"""
from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from mlv.scenes.catalog import SceneEntry

#: a beat of a record's timeline: ``key``, ``text``, ``start`` and ``end`` (seconds)
Beat = dict[str, Any]
#: a scene's render record, as read from its JSON file
Record = dict[str, Any]


class ShownStep(Protocol):
    """What the notes print of a derivation step."""

    @property
    def latex(self) -> str: ...

    @property
    def reason(self) -> str: ...


class ShownDerivation(Protocol):
    """What the notes print of a derivation (:class:`mlv.derivations.steps.Derivation`)."""

    @property
    def id(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def lhs(self) -> str: ...

    @property
    def steps(self) -> Sequence[ShownStep]: ...

    @property
    def result(self) -> object: ...


@dataclass
class Frame:
    """A key frame: the end of beat ``beat``, taken at ``time`` seconds, as the PNG ``path``."""

    beat: str
    time: float
    path: Path


@dataclass
class NotesScene:
    """One scene as the notes show it. ``id`` is the render's name (the catalog id plus any
    parameter overrides), unique within a course."""

    id: str
    title: str
    kind: str
    beats: list[Beat]
    numbers: dict[str, Any] = field(default_factory=dict)
    derivations: list[ShownDerivation] = field(default_factory=list)
    frames: list[Frame] = field(default_factory=list)


#: a chapter of the notes: its number, its title and its scenes in order
Chapter = tuple[int, str, list[NotesScene]]


def derivation_module(name: str) -> str:
    """The full module name of a derivation module a catalog entry declares (``mse``)."""
    return f"mlv.derivations.{name}"


def lesson_derivations(entry: SceneEntry) -> list[ShownDerivation]:
    """The derivations a lesson shows: those of the modules its catalog entry declares, in
    the declared order."""
    out: list[ShownDerivation] = []
    for name in entry.derivations:
        out.extend(importlib.import_module(derivation_module(name)).derivations())
    return out


def notes_scene(entry: SceneEntry, record: Record) -> NotesScene:
    """``entry`` rendered with ``record``: its narration beats, final numbers and (for a
    lesson) derivations."""
    beats = list(record.get("timeline", {}).get("beats", []))
    item = NotesScene(entry.key, entry.title, entry.kind, beats,
                      dict(record.get("numbers") or {}))
    if entry.kind == "lesson":
        item.derivations = lesson_derivations(entry)
    return item
