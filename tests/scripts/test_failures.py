"""Missing or broken tools and a LaTeX error: every failure says plainly what went wrong, what
to do about it, and comes before any work is done."""
import dataclasses
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

MLV_EXE = Path(sys.executable).with_name("mlv")
MLV = [str(MLV_EXE)] if MLV_EXE.exists() else [sys.executable, "-m", "mlv.scripts.cli"]

#: the tools a render needs (exit 1 from doctor when one is missing) and their Debian packages
RENDER_TOOLS = {"latex": "texlive-latex-base", "dvisvgm": "dvisvgm", "ffmpeg": "ffmpeg",
                "ffprobe": "ffmpeg"}


def bin_without(tmp_path: Path, missing=(), broken=()) -> str:
    """A PATH of one folder with a link to every command of the current PATH (python, git,
    latex, ... the first of each name), except those ``missing``; each of ``broken`` is a
    script of that name that exits 1."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for folder in os.environ["PATH"].split(os.pathsep):
        if not os.path.isdir(folder):
            continue
        for name in os.listdir(folder):
            src = os.path.join(folder, name)
            dest = bin_dir / name
            if name in missing or name in broken or dest.exists() or dest.is_symlink():
                continue
            if os.path.isfile(src) and os.access(src, os.X_OK):
                dest.symlink_to(src)
    for name in broken:
        (bin_dir / name).write_text("#!/bin/sh\necho \"$0: cannot open shared object\" >&2\n"
                                    "exit 1\n")
        (bin_dir / name).chmod(0o755)
    for name in missing:
        assert shutil.which(name, path=str(bin_dir)) is None
    return str(bin_dir)


def run(args, tmp_path, path, timeout=120):
    env = dict(os.environ, PATH=path, MLV_RENDERS=str(tmp_path / "renders"))
    t0 = time.monotonic()
    out = subprocess.run([*MLV, *args], capture_output=True, text=True, env=env, cwd=tmp_path,
                         timeout=timeout)
    return out, time.monotonic() - t0


def one_line(out) -> str:
    assert "Traceback" not in out.stderr, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    return lines[0]


@pytest.mark.parametrize("tool", ["latex", "dvisvgm", "ffmpeg", "ffprobe", "espeak-ng"])
def test_doctor_names_a_missing_tool_and_how_to_install_it(tmp_path, tool):
    out, _ = run(["doctor"], tmp_path, bin_without(tmp_path, missing=[tool]))
    line = next(ln for ln in out.stdout.splitlines() if ln.startswith(tool + " "))
    assert "MISSING" in line and "sudo apt-get install" in line, out.stdout
    package = RENDER_TOOLS.get(tool, tool)
    assert package in line
    # a render tool missing is a failure; espeak-ng is optional (the voice falls back to none)
    assert out.returncode == (1 if tool in RENDER_TOOLS else 0), out.stdout
    others = [ln for ln in out.stdout.splitlines() if "MISSING" in ln or "BROKEN" in ln]
    assert others == [line]                             # only that one


@pytest.mark.parametrize("tool, voice", [("latex", "none"), ("dvisvgm", "none"),
                                         ("ffmpeg", "none"), ("ffprobe", "none"),
                                         ("espeak-ng", "espeak")])
def test_render_without_a_tool_fails_fast_in_one_line(tmp_path, tool, voice):
    out, seconds = run(["render", "chapter-1-title", "--voice", voice], tmp_path,
                       bin_without(tmp_path, missing=[tool]))
    assert out.returncode == 2
    line = one_line(out)
    assert line.startswith(f"mlv: error: {tool} not found")
    assert f"sudo apt-get install {RENDER_TOOLS.get(tool, tool)}" in line
    assert seconds < 10                                  # before any work
    assert not (tmp_path / "renders").exists()           # nothing written, not even the folder


@pytest.mark.parametrize("tool", ["ffmpeg", "latex"])
def test_a_broken_tool_is_named_not_a_traceback(tmp_path, tool):
    path = bin_without(tmp_path, broken=[tool])
    out, _ = run(["doctor"], tmp_path, path)
    line = next(ln for ln in out.stdout.splitlines() if ln.startswith(tool + " "))
    assert "BROKEN" in line and "exited with status 1" in line and "--reinstall" in line
    assert out.returncode == 1
    out, seconds = run(["render", "chapter-1-title", "--voice", "none"], tmp_path, path)
    assert out.returncode == 2
    line = one_line(out)
    assert f"mlv: error: {tool} at {tmp_path / 'bin' / tool} does not work" in line
    assert "exited with status 1" in line and "cannot open shared object" in line
    assert "sudo apt-get install --reinstall" in line
    assert seconds < 10
    assert not (tmp_path / "renders").exists()


def test_a_broken_ffmpeg_while_stitching_is_one_line(tmp_path, monkeypatch):
    """ffmpeg that answers -version but fails at work: the stitch's error is one line (exit 1,
    a failed render), not a traceback."""
    from mlv.scripts.errors import RenderError
    from mlv.scripts.stitch import _run

    with pytest.raises(RenderError) as info:
        _run(["ffmpeg", "-v", "error", "-i", str(tmp_path / "missing.mp4"),
              str(tmp_path / "out.mp4")])
    assert isinstance(info.value, RuntimeError)            # still what older callers catch
    assert str(info.value).startswith("ffmpeg failed: ") and "\n" not in str(info.value)


# ---------------------------------------------------------------------------------- LaTeX


def test_a_latex_error_names_the_derivation_the_step_and_the_message(tmp_path):
    from manim import tempconfig

    from mlv import derivations
    from mlv.derivations.steps import Step
    from mlv.scenes.components.derivation import DerivationLatexError, DerivationPanel

    class BrokenStep(Step):
        @property
        def groups(self):
            return (r"\notacommand", "x")

    good = derivations.get("mse-gradient-w")
    steps = list(good.steps)
    steps[3] = BrokenStep(steps[3].expr, steps[3].reason, steps[3].derivative_of)
    bad = dataclasses.replace(good, steps=tuple(steps))
    with tempconfig({"media_dir": str(tmp_path), "verbosity": "CRITICAL"}):
        panel = DerivationPanel(bad, centre=[0, 0, 0], max_width=10)   # proven: same exprs
        panel.make_step_animation(2)                                   # fine before step 3
        with pytest.raises(DerivationLatexError) as info:
            panel.make_step_animation(3)
    message = str(info.value)
    assert message == ("derivation mse-gradient-w step 3: LaTeX error: "
                       "! Undefined control sequence. (at \\notacommand)")
    assert isinstance(info.value, ValueError)
