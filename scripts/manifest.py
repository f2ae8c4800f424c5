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


def load_manifest(path: Path) -> tuple[str, list[tuple[int, str, list[SceneEntry]]]]:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MlvError(f"{path}: no such manifest") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise MlvError(f"{path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise MlvError(f"{path}: invalid TOML: {exc}") from None
    problems: list[str] = []
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.append("missing 'title' (a string)")
    chapters = data.get("chapters")
    if not isinstance(chapters, list) or not chapters:
        problems.append("missing [[chapters]]")
        chapters = []
    out = []
    seen_titles: set[str] = set()
    for k, ch in enumerate(chapters, start=1):
        if not isinstance(ch, dict):
            problems.append(f"chapter {k}: not a table")
            continue
        ctitle = ch.get("title")
        if not isinstance(ctitle, str) or not ctitle.strip():
            problems.append(f"chapter {k}: missing 'title'")
            ctitle = f"Chapter {k}"
        elif ctitle in seen_titles:
            problems.append(f"chapter {k}: duplicate chapter title {ctitle!r}")
        seen_titles.add(ctitle)
        ids = ch.get("scenes")
        if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
            problems.append(f"chapter {k}: 'scenes' must be a non-empty list of scene ids")
            continue
        entries = []
        for sid in ids:
            try:
                entries.append(catalog.by_id(sid))
            except KeyError:
                problems.append(f"chapter {k}: unknown scene id {sid!r}")
        out.append((k, ctitle, entries))
    if problems:
        raise MlvError(f"{path}: " + "; ".join(problems))
    return title, out
