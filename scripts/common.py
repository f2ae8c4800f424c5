"""What the ``mlv`` commands share: checking a chapter number, holding the renders folder's
lock, and the live progress table. ``mlv.scripts.cli`` and the commands defined outside it
(``mlv.scripts.notes``) import these; nothing here imports either of them.

This module imports only the standard library and click at import time.
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING

import click

from mlv.scripts.errors import MlvError

if TYPE_CHECKING:
    from mlv.scripts.pipeline import Progress
    from mlv.scripts.renders import Renders


def known_chapter(number: int) -> None:
    """:class:`MlvError` (exit 2) unless chapter ``number`` exists and has scenes."""
    from mlv.scenes import catalog

    if number not in catalog.CHAPTERS:
        raise MlvError(f"no chapter {number}; chapters are "
                       f"{', '.join(map(str, sorted(catalog.CHAPTERS)))}")
    if not catalog.chapter(number):
        raise MlvError(f"chapter {number} ({catalog.CHAPTERS[number]}) has no scenes yet")


def hold_renders(layout: Renders | None = None) -> None:
    """Hold the lock of the renders folder (``layout``, by default ``$MLV_RENDERS`` or
    ``./renders``) for the rest of the current click command (one writer at a time; a second
    run waits and says so). Take it once the input is validated, so bad input, --help and
    --dry-run never wait and never create the folder."""
    from mlv.scripts.lock import renders_lock
    from mlv.scripts.renders import Renders

    root = (layout or Renders.default()).root
    click.get_current_context().with_resource(renders_lock(root))


def progress(workers: int | None) -> Progress:
    """The progress display of a render of many scenes with ``workers`` workers (by default
    one per core): a live table on a terminal, silence elsewhere."""
    from mlv.scripts.progress import make_progress

    return make_progress(workers or os.cpu_count() or 1)
