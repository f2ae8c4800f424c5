"""A live progress table for chapter and course renders: scene, state, elapsed, ETA.

Shown only on a terminal; when stderr is not one (CI, a pipe, a log file) rendering is quiet.
"""
from __future__ import annotations

import sys
import threading
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from mlv.scripts.pipeline import Progress, SceneResult

if TYPE_CHECKING:
    from rich.table import Table

    from mlv.scripts.request import RenderRequest


class LiveProgress(Progress):
    """A rich table redrawn as scenes start and finish. ETA comes from each scene's last render
    time (unknown for a scene never rendered before), shared among the workers."""

    def __init__(self, workers: int):
        from rich.console import Console
        from rich.live import Live

        self.console = Console(stderr=True)
        self.workers = max(1, workers)
        self.rows: dict[str, dict[str, Any]] = {}
        self.expected: dict[str, float] = {}
        self.t0 = time.perf_counter()
        self.lock = threading.Lock()
        self.live = Live(self._table(), console=self.console, refresh_per_second=4,
                         transient=False, get_renderable=self._table)
        self.live.start()

    def _table(self) -> Table:
        from rich.table import Table

        now = time.perf_counter()
        table = Table(box=None, header_style="bold", pad_edge=False)
        for col in ("scene", "state", "elapsed"):
            table.add_column(col)
        remaining = 0.0
        with self.lock:
            for sid, row in self.rows.items():
                if row["state"] in ("queued", "rendering"):
                    spent = now - row["start"] if row["start"] else 0.0
                    remaining += max(0.0, self.expected.get(sid, 0.0) - spent)
                if row["start"] is None:
                    elapsed = ""
                else:
                    elapsed = f"{(row['end'] or now) - row['start']:.0f}s"
                table.add_row(sid, row["state"], elapsed)
        unknown = any(self.expected.get(s, 0) == 0 and r["state"] in ("queued", "rendering")
                      for s, r in self.rows.items())
        eta = "unknown" if unknown else f"{remaining / self.workers:.0f}s"
        table.caption = f"elapsed {now - self.t0:.0f}s, ETA {eta}"
        return table

    def planned(self, requests: Sequence[RenderRequest], expected: dict[str, float]) -> None:
        with self.lock:
            self.expected.update(expected)
            for r in requests:
                self.rows[r.name] = {"state": "queued", "start": None, "end": None}

    def started(self, request: RenderRequest) -> None:
        with self.lock:
            self.rows[request.name] = {"state": "rendering", "start": time.perf_counter(),
                                       "end": None}

    def finished(self, result: SceneResult) -> None:
        with self.lock:
            now = time.perf_counter()
            row = self.rows.setdefault(result.request.name, {"start": now, "end": now})
            row["state"] = "cached" if result.cached else "done"
            row["start"] = row["start"] or now
            row["end"] = now

    def failed(self, request: RenderRequest) -> None:
        with self.lock:
            row = self.rows[request.name]
            row["state"], row["end"] = "FAILED", time.perf_counter()

    def close(self) -> None:
        self.live.stop()


def make_progress(workers: int) -> Progress:
    """A live table on a terminal, nothing otherwise."""
    if sys.stderr.isatty():
        return LiveProgress(workers)
    return Progress()
