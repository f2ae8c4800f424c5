"""Course manifests (``courses/*.toml``): a title and chapters of scene ids.

    title = "Optimization in one hour"
    [[chapters]]
    title = "Optimization"
    scenes = ["chapter-1-title", "linear-regression-mse",
              { id = "gradient-descent-intuition", title = "Too large a step",
                params = { lr = 1.1 } }]

A scene is its id, or an inline table with the id, a title (the chapter marker's) and parameter
values (``mlv params ID`` lists them). A chapter's title card shows the manifest's chapter number
and title. Every problem is reported at once, with the file, before anything is rendered.
"""
from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from mlv.scenes import catalog
from mlv.scenes import params as scene_params
from mlv.scenes.catalog import SceneEntry
from mlv.scenes.params import check_title
from mlv.scripts.errors import MlvError

#: ``where(chapter, needle)``: the line of ``needle`` in a chapter's table (see :func:`_locator`)
Where = Callable[..., int | None]
#: ``problem(line, message)``: records one problem of the manifest
Problem = Callable[[int | None, str], None]


def _locator(text: str) -> Where:
    """``where(chapter, needle)``: the 1-based line of ``needle`` inside chapter ``chapter``'s
    table (or of the table's header if the needle is not there); ``None`` when unknown."""
    lines = text.splitlines()
    heads = [i for i, ln in enumerate(lines) if ln.strip().startswith("[[chapters]]")]

    def where(chapter: int | None, needle: str | None = None) -> int | None:
        if chapter is None or chapter > len(heads):
            lo, hi = 0, (heads[0] if heads else len(lines))
        else:
            lo = heads[chapter - 1]
            hi = heads[chapter] if chapter < len(heads) else len(lines)
        if needle is not None:
            for i in range(lo, hi):
                if needle in lines[i]:
                    return i + 1
        return lo + 1 if chapter is not None and chapter <= len(heads) else None

    return where


CHAPTER_KEYS = {"title", "scenes"}
SCENE_KEYS = {"id", "title", "params"}


def _title(value: str, what: str, line: int | None, problem: Problem) -> bool:
    try:
        check_title(value, what)
        return True
    except ValueError as exc:
        problem(line, str(exc))
        return False


def _scene(item: object, k: int, chapter_title: str | None, where: Where,
           problem: Problem) -> SceneEntry | None:
    """One entry of a chapter's ``scenes``: ``"id"`` or ``{ id, title, params }``. A chapter's
    title card shows the manifest's chapter number and title unless its params say otherwise."""
    table: dict[str, Any]
    if isinstance(item, str):
        sid, table = item, {}
    elif isinstance(item, dict):
        table = item
        given_id = item.get("id")
        for key in sorted(set(item) - SCENE_KEYS):
            problem(where(k, key), f"chapter {k}: unknown key {key!r} in a scene entry (it has "
                                   f"{', '.join(sorted(SCENE_KEYS))})")
        if not isinstance(given_id, str):
            problem(where(k, "id"), f"chapter {k}: a scene entry needs id = \"scene-id\"")
            return None
        sid = given_id
    else:
        problem(where(k, "scenes"), f"chapter {k}: a scene is an id string or an inline table, "
                                    f"not {type(item).__name__} {item!r}")
        return None
    try:
        entry = catalog.by_id(sid)
    except KeyError:
        hint = (" (scene ids are the names 'mlv list' shows, not Python objects)"
                if any(c in sid for c in ".:/()") else "")
        problem(where(k, sid), f"chapter {k}: unknown scene id {sid!r}{hint}")
        return None
    line = where(k, sid)
    values: dict[str, Any] = {}
    if entry.kind == "title" and chapter_title is not None and scene_params.spec(sid):
        values = {"number": k, "title": chapter_title}
    given = table.get("params", {})
    if not isinstance(given, dict):
        problem(line, f"chapter {k}: params of {sid!r} must be a table "
                      f"({{ name = value }}), not {given!r}")
        given = {}
    checked, problems = scene_params.validate(sid, given)
    for msg in problems:
        problem(line, f"chapter {k}: {msg}")
    values.update(checked)
    entry = replace(entry, params=scene_params.overrides(sid, values))
    if "title" in table:
        t = table["title"]
        if not isinstance(t, str):
            problem(line, f"chapter {k}: title of {sid!r} must be a string, not {t!r}")
        elif _title(t, f"chapter {k}: title of {sid!r}", line, problem):
            entry = replace(entry, title=t)
    elif entry.kind == "title" and chapter_title is not None:
        entry = replace(entry, title=f"Chapter {k}: {chapter_title}")
    return entry


def load_manifest(path: Path) -> tuple[str, list[tuple[int, str, list[SceneEntry]]]]:
    """Read and validate a course manifest; every problem is reported at once as
    ``FILE:LINE: problem`` in one :class:`MlvError` (nothing is rendered)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except FileNotFoundError:
        raise MlvError(f"{path}: no such manifest") from None
    except IsADirectoryError:
        raise MlvError(f"{path}: is a folder, not a manifest") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise MlvError(f"{path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise MlvError(f"{path}: invalid TOML: {exc}") from None
    where = _locator(text)
    problems: list[str] = []

    def problem(line: int | None, msg: str) -> None:
        problems.append(f"{path}:{line}: {msg}" if line else f"{path}: {msg}")

    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        problem(where(None, "title"), "missing 'title' (a string)")
        title = ""
    else:
        _title(title, "course title", where(None, "title"), problem)
    for key in sorted(set(data) - {"title", "chapters"}):
        problem(where(None, key), f"unknown key {key!r} (a manifest has title and [[chapters]])")
    chapters = data.get("chapters")
    if not isinstance(chapters, list) or not chapters:
        problem(None, "missing [[chapters]]")
        chapters = []
    out: list[tuple[int, str, list[SceneEntry]]] = []
    seen_titles: set[str] = set()
    for k, ch in enumerate(chapters, start=1):
        if not isinstance(ch, dict):
            problem(where(k), f"chapter {k}: not a table")
            continue
        for key in sorted(set(ch) - CHAPTER_KEYS):
            problem(where(k, key), f"chapter {k}: unknown key {key!r} (a chapter has "
                                   f"{', '.join(sorted(CHAPTER_KEYS))})")
        ctitle = ch.get("title")
        title_ok = False
        if not isinstance(ctitle, str) or not ctitle.strip():
            problem(where(k, "title"), f"chapter {k}: missing 'title' (a string)")
            ctitle = f"Chapter {k}"
        elif ctitle in seen_titles:
            problem(where(k, "title"), f"chapter {k}: duplicate chapter title {ctitle!r}")
        else:
            title_ok = _title(ctitle, f"chapter {k}: title", where(k, "title"), problem)
        seen_titles.add(ctitle)
        items = ch.get("scenes")
        if not isinstance(items, list) or not items:
            problem(where(k, "scenes"), f"chapter {k}: 'scenes' must be a non-empty list of "
                                        f"scene ids or {{ id = ..., title = ..., params = ... }}")
            continue
        entries = []
        for item in items:
            entry = _scene(item, k, ctitle if title_ok else None, where, problem)
            if entry is not None:
                entries.append(entry)
        out.append((k, ctitle, entries))
    if problems:
        raise MlvError("; ".join(problems))
    return title, out


def default_manifest() -> str:
    """The built-in course (the catalog's chapters and scenes, in order) as manifest TOML: what
    ``mlv course --template`` prints, for a lecturer to copy and edit. The course itself is
    defined once, by the catalog; this text is made from it, never kept beside it."""
    import json

    from mlv.scenes import catalog
    from mlv.scenes.course import COURSE_TITLE

    lines = ["# The built-in course, as `mlv course` renders it (`mlv course --template`).",
             "# Copy it, reorder or drop scenes, retitle chapters, set parameters:",
             '#   { id = "gradient-descent-intuition", title = "Too large a step",'
             " params = { lr = 1.1 } }",
             f"title = {json.dumps(COURSE_TITLE)}"]
    for n in catalog.chapters_with_scenes():
        lines += ["", "[[chapters]]", f"title = {json.dumps(catalog.CHAPTERS[n])}",
                  "scenes = [", *(f"    {json.dumps(e.id)}," for e in catalog.chapter(n)), "]"]
    return "\n".join(lines) + "\n"
