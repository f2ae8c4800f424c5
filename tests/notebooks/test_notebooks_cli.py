"""``mlv notebooks``: builds every lesson's .ipynb by rename into renders/notebooks (or --out),
refuses bad input in one line with exit status 2, and with --execute keeps outputs."""
from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest

from mlv.scripts import notebooks
from mlv.scripts.errors import MlvError, RenderError


def mlv(*args, env=None, cwd=None):
    """The real entry point in a subprocess (stderr and exit status as a user sees them)."""
    return subprocess.run([sys.executable, "-m", "mlv.scripts.cli", *args], capture_output=True,
                          text=True, env=env, cwd=cwd)


def test_builds_every_lesson_into_renders_notebooks(tmp_path):
    import os

    env = dict(os.environ, MLV_RENDERS=str(tmp_path / "renders"))
    out = mlv("notebooks", env=env, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    folder = tmp_path / "renders" / "notebooks"
    written = sorted(p.name for p in folder.iterdir())
    assert written == sorted(f"{i}.ipynb" for i in notebooks.lesson_ids())
    assert out.stdout.split() == [str(folder / f"{i}.ipynb") for i in notebooks.lesson_ids()]
    for path in folder.iterdir():
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        assert nb.metadata["kernelspec"]["name"] == "python3"
        assert nb.metadata["mlv"]["lesson"] == path.stem
        assert "jupytext" not in nb.metadata
        kinds = {c.cell_type for c in nb.cells}
        assert kinds == {"markdown", "code"}
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")


def test_a_notebook_is_its_percent_source_cell_for_cell():
    import jupytext

    nb = notebooks.read("gradient-descent-intuition")
    source = notebooks.source_text("gradient-descent-intuition")
    again = jupytext.reads(jupytext.writes(nb, fmt="py:percent"), fmt="py:percent")
    assert [c.source for c in again.cells] == [c.source for c in nb.cells]
    assert sum(line.startswith("# %%") for line in source.splitlines()) == len(nb.cells)


def test_out_dir_and_chosen_lessons(tmp_path):
    out = mlv("notebooks", "perceptron", "optimizers", "perceptron", "--out",
              str(tmp_path / "nb"))
    assert out.returncode == 0, out.stderr
    assert sorted(p.name for p in (tmp_path / "nb").iterdir()) == ["optimizers.ipynb",
                                                                  "perceptron.ipynb"]


@pytest.mark.parametrize("args, message", [
    (["no-such-lesson"], "mlv: error: unknown lesson 'no-such-lesson' ('mlv list' shows the ids)"),
    (["chapter-2-recap"], "mlv: error: 'chapter-2-recap' is a recap card and has no notebook; "
                          "the lessons have one each"),
])
def test_bad_input_is_one_line_exit_2_and_writes_nothing(tmp_path, args, message):
    import os

    env = dict(os.environ, MLV_RENDERS=str(tmp_path / "renders"))
    out = mlv("notebooks", *args, env=env, cwd=tmp_path)
    assert out.returncode == 2
    assert out.stderr.strip() == message and out.stdout == ""
    assert not (tmp_path / "renders").exists()


def test_an_out_path_that_is_a_file_is_refused(tmp_path):
    target = tmp_path / "file"
    target.write_text("keep me")
    out = mlv("notebooks", "--out", str(target))
    assert out.returncode == 2
    assert out.stderr.strip() == f"mlv: error: cannot write notebooks to {target}: it is a file"
    assert target.read_text() == "keep me"


def test_a_broken_source_stops_the_build_before_anything_is_written(tmp_path, monkeypatch):
    real = notebooks.source_text

    def broken(scene_id):
        if scene_id == "optimizers":
            raise MlvError("lesson 'optimizers' has no notebook source (notebooks/optimizers.py)")
        return real(scene_id)

    monkeypatch.setattr(notebooks, "source_text", broken)
    with pytest.raises(MlvError, match="optimizers"):
        notebooks.build([], tmp_path / "nb")
    assert not (tmp_path / "nb").exists()


def test_execute_keeps_outputs_and_a_failing_notebook_is_named_and_not_written(tmp_path,
                                                                              monkeypatch):
    """With --execute, a notebook runs in a fresh kernel; one whose cell fails is not written
    (the others are) and the build fails naming it."""
    sources = {"perceptron": "# %%\nprint(6 * 7)\n",
               "optimizers": "# %% [markdown]\n# fails\n\n# %%\nraise ValueError('broken cell')\n"}
    monkeypatch.setattr(notebooks, "source_text", lambda scene_id: sources[scene_id])
    with pytest.raises(RenderError, match=r"1 notebook\(s\) failed to run: optimizers: "
                                          r".*ValueError: broken cell"):
        notebooks.build(["perceptron", "optimizers"], tmp_path, run=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["perceptron.ipynb"]
    nb = nbformat.read(tmp_path / "perceptron.ipynb", as_version=4)
    assert nb.cells[0].outputs[0].text == "42\n"


def test_the_sources_ship_in_the_package():
    from importlib import resources

    files = {p.name for p in resources.files("mlv.notebooks").iterdir()}
    assert {f"{i}.py" for i in notebooks.lesson_ids()} <= files
