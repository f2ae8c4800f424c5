"""The piper voice's child process: ``python -m mlv.scripts.piper_server --model M --config C``.

It loads the model once, then reads one JSON request a line on stdin,
``{"text": ..., "out": "beat.wav", "length_scale": 1.0}``, writes the WAV and answers one JSON
line on stdout, ``{"ok": true, "seconds": 2.1, "sentences": [1.2, 0.9], "synth_s": 0.3,
"sample_rate": 22050}`` (``sentences``: the length of each sentence piper found, in order; or
``{"ok": false, "error": ...}``); it exits at the end of its input.

piper-tts is GPL-3.0-or-later. It is imported here only, in a process of its own that
:class:`mlv.scenes.narration.PiperVoice` talks to through a pipe; nothing else in mlv imports it.

Phoneme widths are not sampled (``noise_w_scale`` 0): a text's duration is then the same on every
run, so a cold render times its animations, and so its frames, the same way each time.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
import wave


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mlv.scripts.piper_server")
    parser.add_argument("--model", required=True)
    parser.add_argument("--config", required=True)
    args = parser.parse_args(argv)
    replies = sys.stdout
    sys.stdout = sys.stderr              # anything the library prints stays off the replies

    from piper import PiperVoice, SynthesisConfig

    voice = PiperVoice.load(args.model, config_path=args.config)
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
            syn = SynthesisConfig(length_scale=float(req.get("length_scale", 1.0)),
                                  noise_w_scale=0.0)
            t0 = time.perf_counter()
            sentences: list[float] = []       # seconds of each sentence piper spoke
            rate = 22050
            with wave.open(req["out"], "wb") as wav:
                for k, chunk in enumerate(voice.synthesize(req["text"], syn)):
                    if k == 0:
                        rate = chunk.sample_rate
                        wav.setframerate(rate)
                        wav.setsampwidth(chunk.sample_width)
                        wav.setnchannels(chunk.sample_channels)
                    data = chunk.audio_int16_bytes
                    wav.writeframes(data)
                    sentences.append(len(data) / (2 * chunk.sample_channels) / rate)
            reply: dict[str, object] = {"ok": True, "seconds": sum(sentences),
                                        "sentences": sentences, "sample_rate": rate,
                                        "synth_s": time.perf_counter() - t0}
        except Exception as exc:          # one bad request is answered, not fatal
            reply = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
        replies.write(json.dumps(reply) + "\n")
        replies.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
