"""Narration voices benchmark: synthesis time and real-time factor of each installed voice.

    .venv/bin/python benchmarks/voices.py [scene]     # default scene: perceptron; ~1 min
    .venv/bin/python benchmarks/voices.py --chapter 1 # also chapter 1, cold, each voice; ~5 min

For each voice (espeak, piper): the time to start it (piper: the child process that loads the
model), to synthesise one beat, and to synthesise every beat of one scene, cold, into a private
cache; the real-time factor (synthesis seconds per second of speech); and the beats synthesised
when the same beats are spoken again from the warm cache (0). Ratios are to espeak. Times vary
with the machine's load; nothing here is asserted.

With ``--chapter N``: ``mlv chapter N -q low`` rendered cold with each voice into a private
renders folder (the wall time, and its ratio to espeak), then again with ``--force`` (every scene
re-rendered, the speech cache kept): the beats synthesised then are the WAV files the speech
cache gained (0 when the cache works).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from mlv.scenes import catalog, narration  # noqa: E402


def measure(name: str, texts: list[str], cache: Path) -> dict[str, float]:
    t0 = time.perf_counter()
    voice = narration.get_voice(name, cache)
    if name == "piper":                  # start the child (model load) apart from synthesis
        assert isinstance(voice, narration.PiperVoice)
        voice.speak("Warm up.")
    start = time.perf_counter() - t0
    t0 = time.perf_counter()
    one = voice.speak(texts[0])
    one_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    rest = [voice.speak(t) for t in texts[1:]]
    scene_s = one_s + time.perf_counter() - t0
    audio = one.duration + sum(s.duration for s in rest)
    again = narration.get_voice(name, cache)
    for t in texts:
        again.speak(t)
    return {"start": start, "one": one_s, "one_audio": one.duration, "scene": scene_s,
            "audio": audio, "rtf": scene_s / audio,
            "warm": float(getattr(again, "synthesised", 0))}


def chapter(n: int, voice: str, renders: Path) -> dict[str, float]:
    """Cold and forced renders of chapter ``n`` with ``voice`` into ``renders``."""
    mlv = [str(Path(sys.executable).parent / "mlv")]
    env = {**os.environ, "MLV_RENDERS": str(renders)}

    def run(*extra: str) -> float:
        t0 = time.perf_counter()
        subprocess.run([*mlv, "chapter", str(n), "-q", "low", "--voice", voice, *extra],
                       env=env, check=True, capture_output=True)
        return time.perf_counter() - t0

    cold = run()
    before = set(renders.rglob("*.wav"))
    forced = run("--force")
    return {"cold": cold, "forced": forced,
            "synthesised": float(len(set(renders.rglob("*.wav")) - before))}


def main() -> None:
    args = sys.argv[1:]
    chapter_n = None
    if "--chapter" in args:
        i = args.index("--chapter")
        chapter_n = int(args[i + 1])
        del args[i:i + 2]
    scene = args[0] if args else "perceptron"
    texts = [b.spoken for b in catalog.script(catalog.by_id(scene)).narration]
    voices = [v for v in ("espeak", "piper")
              if (v != "piper" or narration.piper_model()) and
              (v != "espeak" or shutil.which("espeak-ng"))]
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        for v in voices:
            rows[v] = measure(v, texts, Path(tmp) / v)
    base = rows.get("espeak")
    print(f"{scene}: {len(texts)} beats\n")
    print("| voice | start (s) | one beat: synth / audio (s) | scene: synth / audio (s) "
          "| real-time factor | vs espeak | warm re-run: beats synthesised |")
    print("|---|---|---|---|---|---|---|")
    for v, r in rows.items():
        ratio = f"{r['scene'] / base['scene']:.1f}x" if base else "—"
        print(f"| {v} | {r['start']:.2f} | {r['one']:.2f} / {r['one_audio']:.1f} "
              f"| {r['scene']:.1f} / {r['audio']:.1f} | {r['rtf']:.3f} | {ratio} "
              f"| {int(r['warm'])} |")
    if chapter_n is None:
        return
    ch = {}
    with tempfile.TemporaryDirectory() as tmp:
        for v in voices:
            ch[v] = chapter(chapter_n, v, Path(tmp) / v)
    base = ch.get("espeak")
    print(f"\nchapter {chapter_n}, low quality, 2 workers\n")
    print("| voice | cold render (s) | vs espeak | re-render with --force (s) "
          "| beats synthesised then |")
    print("|---|---|---|---|---|")
    for v, r in ch.items():
        ratio = f"{r['cold'] / base['cold']:.2f}x" if base else "—"
        print(f"| {v} | {r['cold']:.1f} | {ratio} | {r['forced']:.1f} "
              f"| {int(r['synthesised'])} |")


if __name__ == "__main__":
    main()
