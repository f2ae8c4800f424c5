"""Course manifests with per-scene titles and parameters, and their bad input: every problem at
once with file and line, exit 2, nothing rendered or written."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mlv.scripts.errors import MlvError
from mlv.scripts.manifest import load_manifest

ROOT = Path(__file__).resolve().parents[2]


def mlv(*args, renders):
    env = dict(os.environ, MLV_RENDERS=str(renders))
    return subprocess.run([sys.executable, "-m", "mlv.scripts.cli", *args], capture_output=True,
                          text=True, env=env, cwd=ROOT)


def write(tmp_path, text):
    p = tmp_path / "course.toml"
    p.write_text(text)
    return p


def test_scene_tables_carry_titles_and_parameters(tmp_path):
    path = write(tmp_path, '''
title = "Steps"
[[chapters]]
title = "Descent"
scenes = ["chapter-1-title", "gradient-descent-intuition",
          {id = "gradient-descent-intuition", title = "Too far", params = {lr = 1.1, steps = 12}}]
[[chapters]]
title = "Clusters"
scenes = [{ id = "chapter-2-title" }, { id = "kmeans-training", params = { k = 3 } }]
''')
    title, chapters = load_manifest(path)
    (n1, t1, es1), (n2, t2, es2) = chapters
    card, plain, big = es1
    # a chapter's title card shows the manifest's number and title
    assert dict(card.params) == {"title": "Descent"} and card.title == "Chapter 1: Descent"
    assert plain.params == () and plain.key == "gradient-descent-intuition"
    assert big.params == (("lr", 1.1),)                      # steps=12 is the default: dropped
    assert big.title == "Too far" and big.key == "gradient-descent-intuition--lr=1.1"
    assert dict(es2[0].params) == {"title": "Clusters"} and es2[0].title == "Chapter 2: Clusters"
    assert es2[1].key == "kmeans-training--k=3"


def test_the_default_course_has_no_overrides_so_it_shares_the_plain_renders(tmp_path):
    from mlv.scripts.manifest import default_manifest

    (tmp_path / "default.toml").write_text(default_manifest())
    _, chapters = load_manifest(tmp_path / "default.toml")
    assert all(e.params == () for _, _, es in chapters for e in es)


def test_a_card_moved_to_another_chapter_is_renumbered():
    _, chapters = load_manifest(ROOT / "courses" / "nn-crash-course.toml")
    n, title, es = chapters[1]
    card = es[0]
    assert card.id == "chapter-4-title"
    assert dict(card.params) == {"number": 2, "title": "Networks"}
    assert card.title == "Chapter 2: Networks"


BAD = '''title = "../../etc"
[[chapters]]
title = "Fine"
scenes = ["os.system",
  { id = "gradient-descent-intuition", params = { lr = "0.05" } },
  { id = "linear-regression-training", params = { epochs = 100000, eta = 1 }, colour = "red" },
  { id = "kmeans-training", title = "/etc/passwd" },
  42]
[[chapters]]
title = "..\\\\windows"
scenes = ["pca-derivation"]
'''


def test_hostile_manifest_is_refused_with_every_problem_and_nothing_written(tmp_path):
    path = write(tmp_path, BAD)
    renders = tmp_path / "renders"
    out = mlv("course", str(path), renders=renders)
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr
    (line,) = out.stderr.strip().splitlines()
    for expected in [
        f"{path}:1: course title '../../etc' looks like a path",
        f"{path}:4: chapter 1: unknown scene id 'os.system' (scene ids are the names 'mlv list' "
        "shows, not Python objects)",
        f"{path}:5: chapter 1: gradient-descent-intuition: lr must be a number (float), not str "
        "'0.05'",
        f"{path}:6: chapter 1: linear-regression-training: epochs = 100000 is out of range",
        "has no parameter 'eta'",
        "unknown key 'colour' in a scene entry",
        "title of 'kmeans-training' '/etc/passwd' looks like a path",
        "a scene is an id string or an inline table, not int 42",
        f"{path}:10: chapter 2: title",
    ]:
        assert expected in line, expected
    assert not renders.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["course.toml"]


def test_load_manifest_raises_one_error_for_all_problems(tmp_path):
    with pytest.raises(MlvError) as info:
        load_manifest(write(tmp_path, BAD))
    assert str(info.value).count(str(tmp_path / "course.toml")) == 9


def test_dry_run_prints_the_plan_and_renders_nothing(tmp_path):
    renders = tmp_path / "renders"
    out = mlv("course", str(ROOT / "courses" / "optimization-unit.toml"), "--dry-run",
              renders=renders)
    assert out.returncode == 0, out.stderr
    assert "gradient-descent-intuition--lr=1.1" in out.stdout
    assert "Too large a step" in out.stdout
    assert out.stdout.strip().splitlines()[-1] == str(
        renders / "low" / "optimization-unit" / "course.mp4")
    assert not renders.exists()


@pytest.mark.parametrize("args, message", [
    (["--set", "lr=abc"], "lr must be a number (float), not 'abc'"),
    (["--set", "lr=2"], "lr = 2.0 is out of range [0.001, 1.5]"),
    (["--set", "eta=0.1"], "has no parameter 'eta'"),
    (["--set", "lr"], "--set takes NAME=VALUE"),
    (["--set", "steps=1e9"], "steps must be a number (int)"),
])
def test_bad_set_values_exit_2_before_rendering(tmp_path, args, message):
    renders = tmp_path / "renders"
    out = mlv("render", "gradient-descent-intuition", *args, renders=renders)
    assert out.returncode == 2
    (line,) = out.stderr.strip().splitlines()
    assert message in line
    assert not renders.exists()


def test_params_command_describes_a_scene():
    out = mlv("params", "gradient-descent-intuition", renders="unused")
    assert out.returncode == 0
    assert "lr: float in [0.001, 1.5], default 0.15" in out.stdout
    out = mlv("params", "pca-derivation", renders="unused")
    assert out.stdout.strip() == "pca-derivation: no parameters"
    out = mlv("params", "nope", renders="unused")
    assert out.returncode == 2 and "no scene 'nope'" in out.stderr
