"""How long each lesson notebook takes to run top to bottom in a fresh kernel.

    python benchmarks/notebooks.py [LESSON ...]

Prints a table: wall seconds (kernel start included) and the kernel's own CPU seconds per
notebook, and the totals. The budget the course aims at is 30 s per notebook and 5 minutes for
all of them; CPU time is the fair figure on a shared machine (other processes do not inflate it).
"""
from __future__ import annotations

import os
import sys
import tempfile
import time

import nbformat
from nbclient import NotebookClient

from mlv.scripts import notebooks

PER_NOTEBOOK_S, ALL_S = 30.0, 300.0
CPU = ("import resource as _r\n_u = _r.getrusage(_r.RUSAGE_SELF)\n"
       "print(_u.ru_utime + _u.ru_stime)")


def run(scene_id: str) -> tuple[float, float]:
    nb = notebooks.read(scene_id)
    with tempfile.TemporaryDirectory(prefix="mlv-nb-bench-") as where:
        client = NotebookClient(nb, timeout=notebooks.CELL_TIMEOUT, kernel_name="python3",
                                resources={"metadata": {"path": where}})
        t0 = time.perf_counter()
        with client.setup_kernel():
            for i, cell in enumerate(nb.cells):
                client.execute_cell(cell, i)
            wall = time.perf_counter() - t0
            probe = nbformat.v4.new_code_cell(CPU)
            nb.cells.append(probe)
            out = client.execute_cell(probe, len(nb.cells) - 1)
    cpu = float("".join(o.get("text", "") for o in out.outputs).strip())
    return wall, cpu


def main(ids: list[str]) -> int:
    ids = ids or notebooks.lesson_ids()
    load = os.getloadavg()[0]
    print(f"{'notebook':<34} {'wall s':>8} {'CPU s':>8}")
    total_wall = total_cpu = 0.0
    for sid in ids:
        wall, cpu = run(sid)
        total_wall, total_cpu = total_wall + wall, total_cpu + cpu
        flag = "" if cpu < PER_NOTEBOOK_S else "  over the 30 s budget"
        print(f"{sid:<34} {wall:>8.1f} {cpu:>8.1f}{flag}")
    print(f"{'all ' + str(len(ids)):<34} {total_wall:>8.1f} {total_cpu:>8.1f}"
          f"{'' if total_cpu < ALL_S else '  over the 5 min budget'}")
    print(f"(load average before the run: {load:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
