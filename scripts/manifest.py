"""Course manifests (``courses/*.toml``): a title and chapters of scene ids.

    title = "Optimization in one hour"
    [[chapters]]
    title = "Optimization"
    scenes = ["chapter-1-title", "linear-regression-mse"]

Every problem is reported at once, with the file, before anything is rendered.
"""
from __future__ import annotations

import tomllib
from pathlib import Path

from scenes import catalog
from scenes.catalog import SceneEntry
from scripts.errors import MlvError


def _locator(text: str):
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
    chapters = data.get("chapters")
    if not isinstance(chapters, list) or not chapters:
        problem(None, "missing [[chapters]]")
        chapters = []
    out = []
    seen_titles: set[str] = set()
    for k, ch in enumerate(chapters, start=1):
        if not isinstance(ch, dict):
            problem(where(k), f"chapter {k}: not a table")
            continue
        for key in sorted(set(ch) - CHAPTER_KEYS):
            problem(where(k, key), f"chapter {k}: unknown key {key!r} (a chapter has "
                                   f"{', '.join(sorted(CHAPTER_KEYS))})")
        ctitle = ch.get("title")
        if not isinstance(ctitle, str) or not ctitle.strip():
            problem(where(k, "title"), f"chapter {k}: missing 'title' (a string)")
            ctitle = f"Chapter {k}"
        elif ctitle in seen_titles:
            problem(where(k, "title"), f"chapter {k}: duplicate chapter title {ctitle!r}")
        seen_titles.add(ctitle)
        ids = ch.get("scenes")
        if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
            problem(where(k, "scenes"),
                    f"chapter {k}: 'scenes' must be a non-empty list of scene ids")
            continue
        entries = []
        for sid in ids:
            try:
                entries.append(catalog.by_id(sid))
            except KeyError:
                hint = (" (scene ids are the names 'mlv list' shows, not Python objects)"
                        if "." in sid or ":" in sid or "/" in sid else "")
                problem(where(k, f"{sid}"), f"chapter {k}: unknown scene id {sid!r}{hint}")
        out.append((k, ctitle, entries))
    if problems:
        raise MlvError("; ".join(problems))
    return title, out
