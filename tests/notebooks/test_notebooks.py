"""Every lesson notebook runs top to bottom in a fresh kernel, prints the video's numbers, shows
and proves the lesson's derivations, and checks its exercises' answers.

Each notebook is executed once a session (:func:`run`) in a fresh kernel, in an empty folder outside
the repository, with nbclient: its shipped cells top to bottom (timed), then, in the same kernel,
each exercise *probed*: a wrong answer in its check cell (which must fail with a clear
``AssertionError``), then the right one (which must pass); then the cells after the last
exercise again, to show that a failed check leaves the kernel working.
"""
from __future__ import annotations

import math
import re
import tempfile
import time
from dataclasses import dataclass, field

import nbformat
import pytest
from nbclient import NotebookClient

from mlv.scenes import catalog
from mlv.scripts import notebook_tools as tools
from mlv.scripts import notebooks

pytestmark = pytest.mark.notebooks

#: a learner's answer cell as a notebook ships it
ANSWER = re.compile(r"^answer_(\d+) = \.\.\.", re.MULTILINE)

#: kernel-side code that makes a wrong answer for an exercise (a wrong choice, or a number well
#: outside its tolerance)
WRONG = '''
def _wrong(ex):
    right = ex.solution()
    if ex.choices:
        return next(c for c in ex.choices if c != right)
    return float(right) + 10 * max(ex.tolerance, abs(float(right)) * ex.rel_tolerance, 1e-3) + 1
'''

#: kernel-side code that prints the kernel's CPU seconds so far (its start included)
CPU = """
import resource as _resource
_usage = _resource.getrusage(_resource.RUSAGE_SELF)
print(_usage.ru_utime + _usage.ru_stime)
"""


@dataclass
class Run:
    """One notebook executed: its cells with outputs, the shipped part's seconds, and the
    probes' cells (``probes[(k, "wrong" | "right")]``)."""

    scene_id: str
    nb: nbformat.NotebookNode
    shipped: int                    # cells 0 .. shipped - 1 are the notebook's own
    seconds: float                  # wall time: kernel start and the shipped cells
    cpu: float                      # the kernel's CPU time by then (user + system)
    probes: dict[tuple[int, str], nbformat.NotebookNode] = field(default_factory=dict)
    rerun: list[nbformat.NotebookNode] = field(default_factory=list)

    def code_cells(self) -> list[nbformat.NotebookNode]:
        return [c for c in self.nb.cells[: self.shipped] if c.cell_type == "code"]

    def text(self) -> str:
        """Every stream output of the shipped cells, in order."""
        return "".join(o.get("text", "") for c in self.code_cells() for o in c.get("outputs", [])
                       if o.output_type == "stream")

    def markdown_outputs(self) -> str:
        return "\n".join(o["data"]["text/markdown"] for c in self.code_cells()
                         for o in c.get("outputs", [])
                         if "text/markdown" in o.get("data", {}))


def exercises(nb: nbformat.NotebookNode) -> dict[int, int]:
    """Exercise number -> index of its answer cell (the check cell is the next code cell)."""
    return {int(m.group(1)): i for i, c in enumerate(nb.cells)
            if c.cell_type == "code" and (m := ANSWER.match(c.source))}


def check_cell(nb: nbformat.NotebookNode, answer_index: int) -> int:
    return next(i for i in range(answer_index + 1, len(nb.cells))
                if nb.cells[i].cell_type == "code")


def _cell(source: str, *, may_fail: bool = False) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    if may_fail:
        cell.metadata["tags"] = ["raises-exception"]
    return cell


def execute(nb: nbformat.NotebookNode, *, allow_errors: bool = False,
            probes: bool = False, scene_id: str = "") -> Run:
    """Run ``nb`` in a fresh kernel in an empty folder; with ``probes``, probe its exercises."""
    shipped = len(nb.cells)
    found = exercises(nb)
    with tempfile.TemporaryDirectory(prefix="mlv-nb-test-") as where:
        client = NotebookClient(nb, timeout=notebooks.CELL_TIMEOUT, kernel_name="python3",
                                allow_errors=allow_errors, resources={"metadata": {"path": where}})
        t0 = time.perf_counter()
        with client.setup_kernel():
            for i, cell in enumerate(nb.cells):
                client.execute_cell(cell, i)
            seconds = time.perf_counter() - t0

            def run_cell(cell: nbformat.NotebookNode) -> nbformat.NotebookNode:
                nb.cells.append(cell)
                return client.execute_cell(cell, len(nb.cells) - 1)

            usage = run_cell(_cell(CPU))
            cpu = float("".join(o.get("text", "") for o in usage.outputs).strip() or "nan")
            run = Run(scene_id, nb, shipped, seconds, cpu)
            if probes and found:
                run_cell(_cell(WRONG))
                for k, answer_index in sorted(found.items()):
                    check = nb.cells[check_cell(nb, answer_index)].source
                    for kind, value in (("wrong", f"_wrong(exercise_{k})"),
                                        ("right", f"exercise_{k}.solution()")):
                        run_cell(_cell(f"answer_{k} = {value}"))
                        run.probes[(k, kind)] = run_cell(_cell(check, may_fail=kind == "wrong"))
                # after the failures, the cells after the last exercise still run
                last = check_cell(nb, max(found.values()))
                for cell in nb.cells[last + 1: shipped]:
                    if cell.cell_type == "code":
                        run.rerun.append(run_cell(_cell(cell.source)))
    return run


_RUNS: dict[str, Run] = {}


def run(scene_id: str) -> Run:
    """``scene_id``'s shipped notebook, executed with its exercises probed (once a session)."""
    if scene_id not in _RUNS:
        # errors are kept, not raised: a failing notebook runs once and every test reports it
        _RUNS[scene_id] = execute(notebooks.read(scene_id), allow_errors=True, probes=True,
                                  scene_id=scene_id)
    return _RUNS[scene_id]


def runs() -> dict[str, Run]:
    return _RUNS

LESSONS = notebooks.lesson_ids()
# how long the notebooks take is measured by benchmarks/notebooks.py, not asserted here; a cell
# that runs past notebooks.CELL_TIMEOUT has hung and fails the run


def video_numbers(scene_id: str) -> dict:
    """The numbers the video says and the notes print, from the scene itself."""
    return dict(catalog.script(scene_id).numbers)


def test_every_lesson_has_a_notebook_and_every_notebook_a_lesson():
    assert len(LESSONS) == 23
    assert notebooks.source_ids() == sorted(LESSONS)


@pytest.mark.parametrize("scene_id", LESSONS)
def test_notebook_runs_top_to_bottom_in_a_fresh_kernel(scene_id):
    r = run(scene_id)
    cells = r.code_cells()
    assert cells and all(c.execution_count is not None for c in cells)
    errors = [(c.source.splitlines()[0], o.ename, o.evalue) for c in cells for o in c.outputs
              if o.output_type == "error"]
    assert not errors, errors
    # nothing but a widget is left as a cell's value (no stray "[Text(...)]" under a figure)
    stray = [c.source.splitlines()[-1] for c in cells for o in c.outputs
             if o.output_type == "execute_result"
             and "application/vnd.jupyter.widget-view+json" not in o.data]
    assert not stray, stray


@pytest.mark.parametrize("scene_id", LESSONS)
def test_notebook_prints_the_videos_numbers(scene_id):
    printed = tools.read_numbers(run(scene_id).text())
    expected = video_numbers(scene_id)
    assert list(printed) == list(expected)
    for label, value in expected.items():
        got = printed[label]
        if isinstance(value, float) or isinstance(got, float):
            assert math.isclose(got, value, rel_tol=1e-12, abs_tol=1e-15), (label, got, value)
        else:
            assert got == value, (label, got, value)


@pytest.mark.parametrize("scene_id", LESSONS)
def test_notebook_typesets_and_proves_the_lessons_derivations(scene_id):
    from mlv.derivations import module_derivations

    r = run(scene_id)
    shown = re.findall(r"^#### .*\(`([a-z0-9-]+)`\)$", r.markdown_outputs(), re.MULTILINE)
    assert shown, "no derivation shown"
    declared = [d.id for m in catalog.by_id(scene_id).derivations for d in module_derivations(m)]
    assert [d for d in shown if d in declared] == declared      # all the catalog's, in order
    text = r.text()
    for d in shown:
        assert re.search(rf"^{re.escape(d)}: \d+ steps", text, re.MULTILINE), d
    assert "FAIL" not in text
    assert re.search(r"^every step of \d+ derivation\(s\) proven$", text, re.MULTILINE)
    # every step is typeset as display maths under its reason
    assert r.markdown_outputs().count("$$") >= 4


@pytest.mark.parametrize("scene_id", LESSONS)
def test_notebook_plots_the_run(scene_id):
    figures = [o for c in run(scene_id).code_cells() for o in c.outputs
               if "image/png" in o.get("data", {})]
    assert len(figures) >= 1


@pytest.mark.parametrize("scene_id", LESSONS)
def test_exercises_ship_unanswered_and_check_answers(scene_id):
    r = run(scene_id)
    found = exercises(r.nb)
    assert 2 <= len(found) <= 3, found
    assert sorted(found) == list(range(1, len(found) + 1))
    for k, answer_index in found.items():
        setup = r.nb.cells[answer_index - 1]           # defines the exercise: collapsed
        assert f"exercise_{k} = tools.Exercise(" in setup.source
        assert setup.metadata.get("jupyter", {}).get("source_hidden") is True
        shipped = r.nb.cells[check_cell(r.nb, answer_index)]
        assert shipped.source.strip() == f"exercise_{k}.check(answer_{k})"
        assert f"Exercise {k} is not answered yet" in "".join(
            o.get("text", "") for o in shipped.outputs)
        wrong = r.probes[(k, "wrong")]
        errors = [o for o in wrong.outputs if o.output_type == "error"]
        assert len(errors) == 1 and errors[0].ename == "AssertionError", wrong.outputs
        assert errors[0].evalue.startswith(f"Exercise {k}: ")
        assert "is not right" in errors[0].evalue and f"answer_{k}" in errors[0].evalue
        right = r.probes[(k, "right")]
        assert not [o for o in right.outputs if o.output_type == "error"], right.outputs
        assert f"Exercise {k}: right." in "".join(o.get("text", "") for o in right.outputs)
    for cell in r.rerun:
        assert not [o for o in cell.outputs if o.output_type == "error"], cell.outputs


@pytest.mark.parametrize("scene_id", ["gradient-descent-intuition", "backpropagation"])
def test_a_wrong_answer_fails_only_its_own_cell(scene_id):
    """A learner's wrong answer, top to bottom: that check cell fails with the clear message;
    every other cell, the exercises after it included, still runs."""
    nb = notebooks.read(scene_id)
    answer_index = exercises(nb)[1]
    nb.cells[answer_index].source = ANSWER.sub(
        "answer_1 = next(c for c in exercise_1.choices if c != exercise_1.solution()) "
        "if exercise_1.choices else exercise_1.solution() + 1000", nb.cells[answer_index].source)
    r = execute(nb, allow_errors=True, scene_id=scene_id)
    failing = check_cell(nb, answer_index)
    errors = {i: o for i, c in enumerate(nb.cells) if c.cell_type == "code"
              for o in c.outputs if o.output_type == "error"}
    assert list(errors) == [failing]
    assert errors[failing].ename == "AssertionError"
    assert errors[failing].evalue.startswith("Exercise 1: ")
    assert "is not right" in errors[failing].evalue
    assert all(c.execution_count is not None for c in r.code_cells())
    assert tools.read_numbers(r.text()) == pytest.approx(video_numbers(scene_id))
    assert "Exercise 2 is not answered yet" in r.text()


