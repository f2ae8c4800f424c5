"""Narration voices benchmark: synthesis time and real-time factor of each installed voice.

    .venv/bin/python benchmarks/voices.py [scene]     # default scene: perceptron; ~1 min

For each voice (espeak, piper): the time to start it (piper: the child process that loads the
model), to synthesise one beat, and to synthesise every beat of one scene, cold, into a private
cache; the real-time factor (synthesis seconds per second of speech); and the beats synthesised
when the same beats are spoken again from the warm cache (0). Ratios are to espeak. Times vary
with the machine's load; nothing here is asserted.
"""
from __future__ import annotations

import shutil
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


def main() -> None:
    scene = sys.argv[1] if len(sys.argv) > 1 else "perceptron"
    texts = [b.text for b in catalog.script(catalog.by_id(scene)).narration]
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


if __name__ == "__main__":
    main()
