"""Render-pipeline benchmark: prints one table of ratios, each measured side by side in this run.

    .venv/bin/python benchmarks/render.py            # about ten minutes on 2 cores

Every figure runs on a private copy of the tracked sources (so the edits it makes to test the
cache never touch your tree) and private render folders. The copy is importable as ``mlv`` from
its own folder (links give it the installed layout), so the commands run there render the copy's
scenes, not the installed ones.
"""
from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
sys.path.insert(0, str(ROOT))
from mlv.scripts.renders import Renders  # noqa: E402  (this checkout's, whatever is installed)

#: the folders the ``mlv`` namespace maps (pyproject.toml's package-dir)
PACKAGES = ("algorithms", "derivations", "scenes", "scripts")


def copy_tree(dest: Path) -> Path:
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout.split()
    for f in files:
        if (ROOT / f).is_file():
            (dest / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / f, dest / f)
    for pkg in PACKAGES:                 # mlv.<pkg> is the copy's <pkg>/ (run from the copy)
        (dest / "mlv" / pkg).symlink_to(dest / pkg, target_is_directory=True)
    return dest


def cpu_children() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(args, cwd, renders=None,
        env_extra=None) -> tuple[float, float, subprocess.CompletedProcess]:
    """Run a command; return (wall seconds, CPU seconds of it and its children, result)."""
    env = dict(os.environ, **(env_extra or {}))
    if renders is not None:
        env["MLV_RENDERS"] = str(renders)
    c0, t0 = cpu_children(), time.perf_counter()
    out = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    wall, cpu = time.perf_counter() - t0, cpu_children() - c0
    if out.returncode != 0:
        raise SystemExit(f"failed: {' '.join(map(str, args))}\n{out.stderr[-3000:]}")
    return wall, cpu, out


def mlv(tree: Path, *args, renders: Path):
    return run([PY, "-m", "mlv.scripts.cli", *args], cwd=tree, renders=renders)


def render_times(renders: Path, quality="low") -> dict[str, float]:
    """Scene id -> modification time of its published video."""
    return {p.stem: p.stat().st_mtime_ns for p in Renders(renders).scenes(quality).glob("*.mp4")}


def duration(path: Path) -> float:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of",
                          "csv=p=0", str(path)], capture_output=True, text=True, check=True)
    return float(out.stdout)


def make_clips(folder: Path, size: str, rate: int, seconds: list[float]) -> list[Path]:
    """Synthetic lecture-like clips (moving test pattern, H.264 yuv420p like manim's)."""
    clips = []
    for k, s in enumerate(seconds):
        p = folder / f"clip{k}.mp4"
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                        f"testsrc2=size={size}:rate={rate}:duration={s}", "-c:v", "libx264",
                        "-pix_fmt", "yuv420p", str(p)], check=True)
        clips.append(p)
    return clips


def stitch_copy(clips: list[Path], out: Path) -> float:
    listing = out.with_suffix(".txt")
    listing.write_text("".join(f"file '{c}'\n" for c in clips))
    t0 = time.perf_counter()
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i",
                    str(listing), "-c", "copy", str(out)], check=True)
    return time.perf_counter() - t0


def stitch_moviepy(clips: list[Path], out: Path) -> float:
    code = ("import sys\nfrom moviepy import VideoFileClip, concatenate_videoclips\n"
            "clips=[VideoFileClip(p) for p in sys.argv[2:]]\n"
            "concatenate_videoclips(clips).write_videofile(sys.argv[1], logger=None)\n")
    t0 = time.perf_counter()
    subprocess.run([PY, "-c", code, str(out), *map(str, clips)], check=True,
                   capture_output=True)
    return time.perf_counter() - t0


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", choices=["workers"], help="measure only 1 vs 2 workers (cold)")
    args = ap.parse_args()
    rows = []
    if args.only == "workers":
        with tempfile.TemporaryDirectory(prefix="mlv-bench-") as tmp:
            tmp = Path(tmp)
            tree = copy_tree(tmp / "tree")
            cold1, _, _ = mlv(tree, "chapter", "1", "--voice", "espeak", "-j", "1",
                              renders=tmp / "r1")
            cold2, _, _ = mlv(tree, "chapter", "1", "--voice", "espeak", "-j", "2",
                              renders=tmp / "r2")
        print(f"2 workers vs 1 on chapter 1 (cold): {cold1:.1f}s / {cold2:.1f}s = "
              f"{cold1 / cold2:.2f}x (target >= 1.8x)")
        return
    with tempfile.TemporaryDirectory(prefix="mlv-bench-") as tmp:
        tmp = Path(tmp)
        tree = copy_tree(tmp / "tree")
        print("chapter 1, cold with 1 worker ...", file=sys.stderr)
        cold1, _, _ = mlv(tree, "chapter", "1", "--voice", "espeak", "-j", "1",
                          renders=tmp / "r1")
        print("chapter 1, cold with 2 workers ...", file=sys.stderr)
        cold2, _, _ = mlv(tree, "chapter", "1", "--voice", "espeak", "-j", "2",
                          renders=tmp / "r2")
        print("chapter 1, warm ...", file=sys.stderr)
        warm, _, _ = mlv(tree, "chapter", "1", "--voice", "espeak", "-j", "2",
                         renders=tmp / "r2")
        rows.append(("chapter 1 at low quality, warm cache vs cold (2 workers)",
                     f"{cold2:.1f}s / {warm:.2f}s", cold2 / warm, ">= 20x", cold2 / warm >= 20))
        rows.append(("2 workers vs 1 on chapter 1 (cold)", f"{cold1:.1f}s / {cold2:.1f}s",
                     cold1 / cold2, ">= 1.8x", cold1 / cold2 >= 1.8))

        # one scene's narration changes: exactly that scene re-renders
        before = render_times(tmp / "r2")
        src = tree / "scenes/chapter1/linear_regression_mse.py"
        text = src.read_text()
        src.write_text(text.replace("Which straight line describes them best?",
                                    "Which straight line describes them best of all?", 1))
        mlv(tree, "chapter", "1", "--voice", "espeak", renders=tmp / "r2")
        after = render_times(tmp / "r2")
        changed = sorted(k for k in after if after[k] != before.get(k))
        rows.append(("after changing one scene's narration: scenes re-rendered",
                     ", ".join(changed), float(len(changed)), "exactly 1", changed ==
                     ["linear-regression-mse"]))

        # a constant in an imported module changes: every scene that imports it re-renders
        records = {p.stem: json.loads(p.read_text())
                   for p in Renders(tmp / "r2").scenes("low").glob("*.json")}
        module = "algorithms/lessons.py"
        readers = sorted(k for k, r in records.items() if module in r["deps"])
        before = render_times(tmp / "r2")
        lessons = tree / module
        lessons.write_text(lessons.read_text().replace("std_learning_rate: float = 0.1",
                                                       "std_learning_rate: float = 0.12", 1))
        mlv(tree, "chapter", "1", "--voice", "espeak", renders=tmp / "r2")
        after = render_times(tmp / "r2")
        stale = [k for k in readers if after[k] == before[k]]
        rows.append((f"after changing a constant in {module} (read by {len(readers)} scenes): "
                     "stale outputs", ", ".join(stale) or "none", float(len(stale)), "0",
                     not stale and len(readers) >= 1))

        # stitching: stream copy vs moviepy concatenate + write
        for quality, size, rate, target in (("low", "854x480", 15, 50),
                                            ("high", "1920x1080", 60, 300)):
            print(f"stitching at {quality} quality ...", file=sys.stderr)
            folder = tmp / f"clips-{quality}"
            folder.mkdir()
            clips = make_clips(folder, size, rate, [20, 20, 20])
            t_copy = stitch_copy(clips, folder / "copy.mp4")
            t_mp = stitch_moviepy(clips, folder / "moviepy.mp4")
            rows.append((f"stitching 3x20s clips at {size}@{rate}: stream copy vs moviepy",
                         f"{t_mp:.1f}s / {t_copy:.3f}s", t_mp / t_copy, f">= {target}x",
                         t_mp / t_copy >= target))

        # video-seconds per CPU-second, mlv render vs plain manim, same scene
        scene_file = tree / "scenes/chapter1/linear_regression_training.py"
        plain_dir = tmp / "plain"
        plain_dir.mkdir()
        print("plain manim vs mlv render ...", file=sys.stderr)
        _, cpu_plain, _ = run([PY, "-m", "manim", "-ql", "--progress_bar", "none",
                               "--media_dir", str(plain_dir), str(scene_file),
                               "LinearRegressionTraining"], cwd=plain_dir,
                              env_extra={"PYTHONPATH": str(tree)})     # defaults: espeak
        plain_video = next(plain_dir.rglob("LinearRegressionTraining.mp4"))
        _, cpu_mlv, out = mlv(tree, "render", "linear-regression-training", "--voice", "espeak",
                              "--force", renders=tmp / "r3")
        mlv_video = Path(out.stdout.strip())
        if not mlv_video.is_absolute():
            mlv_video = tree / mlv_video
        r_plain = duration(plain_video) / cpu_plain
        r_mlv = duration(mlv_video) / cpu_mlv
        rows.append(("video-seconds per CPU-second: mlv render vs plain manim (training scene)",
                     f"{r_mlv:.2f} / {r_plain:.2f}", r_mlv / r_plain, ">= 1.0x",
                     r_mlv / r_plain >= 1.0))

        # peak memory of one worker at high quality
        print("one worker at high quality ...", file=sys.stderr)
        code = ("import resource, subprocess, sys\n"
                "subprocess.run(sys.argv[1:], check=True, capture_output=True)\n"
                "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
        _, _, out = run([PY, "-c", code, PY, "-m", "mlv.scripts.cli", "render", "chapter-1-title",
                         "--quality", "high", "--voice", "espeak"], cwd=tree,
                        renders=tmp / "r4")
        peak_mb = int(out.stdout.strip().splitlines()[-1]) / 1024
        rows.append(("peak memory of one worker at high quality (title card, 1080p60)",
                     f"{peak_mb:.0f} MB", peak_mb, "printed", True))

    width = max(len(r[0]) for r in rows)
    print(f"{'figure':<{width}}  {'measured':<28} {'ratio':>8}  {'target':<10} ok")
    for name, measured, ratio, target, ok in rows:
        verdict = "yes" if ok else "NO"
        print(f"{name:<{width}}  {measured:<28} {ratio:>8.2f}  {target:<10} {verdict}")


if __name__ == "__main__":
    main()
