"""The CLI: catalog, check, and one-line errors with exit status 2 for bad input."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlv.scenes import catalog
from mlv.scripts.cli import cli

CURRICULUM_IDS = {
    1: ["gradient-descent-intuition", "linear-regression-mse", "linear-regression-training",
        "optimizers"],
    2: ["kmeans-objective", "kmeans-training", "pca-derivation", "pca-projection"],
    3: ["perceptron", "activation-functions", "logistic-regression-derivation",
        "logistic-regression-training"],
    4: ["forward-propagation", "backpropagation", "neural-network-training",
        "space-transformation", "vanishing-gradients", "autoencoder"],
}


def mlv(*args, env=None, cwd=None):
    """Run the real entry point in a subprocess (stderr and exit status as a user sees them)."""
    return subprocess.run([sys.executable, "-m", "mlv.scripts.cli", *args], capture_output=True,
                          text=True, env=env, cwd=cwd)


def test_list_json_matches_catalog():
    out = CliRunner().invoke(cli, ["list", "--json"])
    assert out.exit_code == 0
    rows = json.loads(out.output)
    assert [r["id"] for r in rows] == [s.id for n in sorted(catalog.CHAPTERS)
                                       for s in catalog.chapter(n)]


def test_lesson_ids_are_curriculum_ids_in_curriculum_order():
    for n, ids in CURRICULUM_IDS.items():
        lessons = [s.id for s in catalog.chapter(n) if s.kind == "lesson"]
        assert all(i in ids for i in lessons), lessons
        assert lessons == [i for i in ids if i in lessons]      # same relative order


def test_check_proves_everything_then_reuses_the_proofs(tmp_path, monkeypatch):
    import re

    monkeypatch.setenv("MLV_RENDERS", str(tmp_path))
    first = CliRunner().invoke(cli, ["check"])
    assert first.exit_code == 0, first.output
    assert "FAIL" not in first.output
    assert "mse-gradient-w" in first.output and "numeric+symbolic+n=1..5" in first.output
    assert (tmp_path / ".cache" / "proofs.json").is_file()
    reused = int(re.search(r"\((\d+) proofs loaded", first.output).group(1))
    assert reused == 0
    second = CliRunner().invoke(cli, ["check", "mse-gradient-w"])
    assert second.exit_code == 0, second.output
    assert int(re.search(r"\((\d+) proofs loaded", second.output).group(1)) > 0
    def rows(out):
        return [ln for ln in out.splitlines() if ln.startswith("mse-gradient-w ")
                and "steps proven" not in ln]

    assert rows(second.output) == rows(first.output)      # same steps, same proofs, same verdict


def test_check_exits_1_naming_the_first_unproven_step(tmp_path, monkeypatch):
    import sympy as sp

    from mlv import derivations

    good = derivations.get("mse-gradient-w")
    bad = good.replace_step(2, 2 * good.steps[2].expr)          # scale a step by 2
    monkeypatch.setattr(derivations, "all_derivations", lambda: [bad])
    monkeypatch.setenv("MLV_RENDERS", str(tmp_path))
    out = CliRunner().invoke(cli, ["check"])
    assert out.exit_code == 1
    assert "FAIL" in out.stdout
    assert f"mse-gradient-w step 2 ({good.steps[2].reason}) is not proven" in out.stderr
    assert sp.simplify(bad.steps[2].expr - good.steps[2].expr) != 0


@pytest.mark.parametrize("args, words", [
    (["render", "no-such-scene"], "no scene 'no-such-scene'"),
    (["render", "linear-regression-mse", "--quality", "ultra"], "'ultra' is not one of"),
    (["render", "linear-regression-mse", "--voice", "klingon"], "'klingon' is not one of"),
    (["chapter", "9"], "no chapter 9"),
    (["slides", "9"], "no chapter 9"),
    (["check", "no-such-derivation"], "no derivation 'no-such-derivation'"),
    (["course", "no-such-manifest.toml"], "no such manifest"),
])
def test_bad_input_gets_one_line_and_exit_2(args, words, tmp_path):
    env = dict(os.environ, MLV_RENDERS=str(tmp_path / "renders"))
    out = mlv(*args, env=env)
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert words in lines[0]
    assert "Traceback" not in out.stderr
    assert not (tmp_path / "renders").exists()       # nothing written, not even a folder


def _path_without(tmp_path, missing):
    """A PATH holding every tool mlv needs except ``missing``."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("latex", "dvisvgm", "ffmpeg", "ffprobe", "espeak-ng"):
        if tool != missing and shutil.which(tool):
            (bin_dir / tool).symlink_to(shutil.which(tool))
    return str(bin_dir)


@pytest.mark.parametrize("missing, package", [("latex", "texlive-latex-base"),
                                              ("ffmpeg", "ffmpeg")])
def test_missing_tool_is_named_with_how_to_install(tmp_path, missing, package):
    env = dict(os.environ, PATH=_path_without(tmp_path, missing),
               MLV_RENDERS=str(tmp_path / "renders"))
    out = mlv("render", "linear-regression-mse", "--voice", "none", env=env)
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert f"{missing} not found" in lines[0] and package in lines[0]
    assert not (tmp_path / "renders").exists()


def test_doctor_reports_tools(tmp_path):
    out = mlv("doctor")
    assert out.returncode == 0, out.stdout + out.stderr
    for tool in ("latex", "dvisvgm", "ffmpeg", "espeak-ng"):
        assert any(line.startswith(tool) and " ok " in line for line in out.stdout.splitlines())
    env = dict(os.environ, PATH=_path_without(tmp_path, "ffmpeg"))
    out = mlv("doctor", env=env)
    assert out.returncode == 1
    assert "ffmpeg     MISSING" in out.stdout and "apt-get install ffmpeg" in out.stdout


def test_the_template_manifest_is_the_built_in_course(tmp_path):
    from mlv.scripts.manifest import load_manifest
    from mlv.scripts.pipeline import course_chapters

    out = mlv("course", "--template")
    assert out.returncode == 0, out.stderr
    path = tmp_path / "mine.toml"
    path.write_text(out.stdout)
    title, chapters = load_manifest(path)
    builtin_title, builtin = course_chapters(None)
    assert title == builtin_title
    assert [(n, t, [e.id for e in es]) for n, t, es in chapters] == \
           [(n, t, [e.id for e in es]) for n, t, es in builtin]
    bad = mlv("course", "x.toml", "--template")
    assert bad.returncode == 2 and "give no MANIFEST" in bad.stderr


def test_bad_manifest_reports_every_problem_with_file_and_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('title = "x"\n'                                   # 1
                   '[[chapters]]\n'                                  # 2
                   'title = "A"\n'                                   # 3
                   'scenes = ["nope"]\n'                             # 4
                   '[[chapters]]\n'                                  # 5
                   'title = "A"\n'                                   # 6
                   'scenes = ["linear-regression-mse",\n'            # 7
                   '          "mlv.scenes.chapter1.cards.Chapter1Title"]\n'  # 8
                   'sceens = []\n')                                  # 9
    out = mlv("course", str(bad), env=dict(os.environ, MLV_RENDERS=str(tmp_path / "r")))
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in out.stderr
    line = lines[0]
    assert f"{bad}:4: chapter 1: unknown scene id 'nope'" in line
    assert f"{bad}:6: chapter 2: duplicate chapter title 'A'" in line
    assert f"{bad}:8: chapter 2: unknown scene id 'mlv.scenes.chapter1.cards.Chapter1Title'" in line
    assert "not Python objects" in line
    assert f"{bad}:9: chapter 2: unknown key 'sceens'" in line
    assert not (tmp_path / "r").exists()                       # nothing rendered, nothing written
    broken = tmp_path / "broken.toml"
    broken.write_text("title = \n")
    out = mlv("course", str(broken))
    assert out.returncode == 2 and "invalid TOML" in out.stderr
    out = mlv("course", str(tmp_path))
    assert out.returncode == 2 and "is a folder" in out.stderr


@pytest.mark.parametrize("manifest", sorted((Path(__file__).resolve().parents[2] / "courses")
                                            .glob("*.toml")), ids=lambda p: p.name)
def test_every_shipped_manifest_is_valid(manifest):
    from mlv.scripts.manifest import load_manifest

    title, chapters = load_manifest(manifest)
    assert title and chapters
    assert all(es for _, _, es in chapters)


@pytest.mark.parametrize("args", [["render", "chapter-1-title"], ["chapter", "1"], ["slides", "1"],
                                  ["course"], ["notes", "1"]])
def test_a_voice_that_is_not_installed_is_one_line_naming_the_install_command(
        args, monkeypatch, tmp_path, capsys):
    """``--voice piper`` where piper is absent (its detection answers "no"): every command that
    renders says so in one line naming the install command, exits 2 and writes nothing."""
    from mlv.scenes import narration
    from mlv.scripts.cli import main

    monkeypatch.setattr(narration, "piper_model", lambda: None)
    monkeypatch.setenv("MLV_RENDERS", str(tmp_path / "renders"))
    with pytest.raises(SystemExit) as exc:
        main([*args, "--voice", "piper"])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert "piper voice is not installed" in err[0] and narration.PIPER_INSTALL in err[0]
    assert not (tmp_path / "renders").exists()           # nothing written, not even a folder
