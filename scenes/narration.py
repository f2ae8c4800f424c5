"""Narration as data: beats, voices and subtitles.

A lesson's spoken text lives next to its scene as a :class:`Narration`, split into
:class:`Beat` s of one idea each. A voice turns a beat into audio and, above all, a duration:
the scene stretches each beat's animations to that duration, so picture and speech stay in
sync. Voices:

* ``none``: silent; the duration is a words-per-minute estimate;
* ``espeak``: espeak-ng, offline (the default when it is installed).

The same cues give the on-screen captions and the ``.srt`` / ``.vtt`` subtitle files.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import wave
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

WORDS_PER_MINUTE = 150.0     # a calm lecturing pace
MIN_BEAT_SECONDS = 1.5
PAD_SECONDS = 0.4            # silence after each beat's speech
ESPEAK_RATE = 150            # espeak-ng words per minute
ESPEAK_VOICE = "en-us"

VOICES = ("none", "espeak")


@dataclass(frozen=True)
class Beat:
    """One idea of a lesson's narration.

    Parameters
    ----------
    key : str
        Stable name used by the scene (``with self.beat("residuals")``) and as the section name.
    text : str
        What the narrator says; also the caption and the subtitle cue.
    """

    key: str
    text: str

    def __post_init__(self) -> None:
        if not self.key or not self.text.strip():
            raise ValueError("a beat needs a key and some text")


class Narration:
    """The ordered beats of one lesson."""

    def __init__(self, *beats: Beat):
        keys = [b.key for b in beats]
        if len(set(keys)) != len(keys):
            raise ValueError(f"duplicate beat keys in {keys}")
        self.beats = tuple(beats)
        self._by_key = {b.key: b for b in beats}

    def __getitem__(self, key: str) -> Beat:
        try:
            return self._by_key[key]
        except KeyError:
            raise KeyError(f"no beat {key!r}; beats are {list(self._by_key)}") from None

    def __iter__(self):
        return iter(self.beats)

    def __len__(self) -> int:
        return len(self.beats)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(b.key for b in self.beats)

    def digest(self) -> str:
        """SHA-256 of the text (for cache keys)."""
        h = hashlib.sha256()
        for b in self.beats:
            h.update(f"{b.key}\x00{b.text}\x01".encode())
        return h.hexdigest()

    def word_count(self) -> int:
        return sum(len(b.text.split()) for b in self.beats)


# ------------------------------------------------------------------------------------------ voices


@dataclass(frozen=True)
class Speech:
    """A spoken beat: its length and (for voices with sound) a WAV file."""

    duration: float
    path: Path | None = None


class Voice(Protocol):
    name: str

    def speak(self, text: str) -> Speech: ...


class SilentVoice:
    """No audio; each beat lasts as long as it would take to say at :data:`WORDS_PER_MINUTE`."""

    name = "none"

    def speak(self, text: str) -> Speech:
        words = len(text.split())
        return Speech(max(MIN_BEAT_SECONDS, words * 60.0 / WORDS_PER_MINUTE))


def wav_duration(path: str | os.PathLike) -> float:
    """Length of a WAV file in seconds."""
    with wave.open(str(path), "rb") as f:
        return f.getnframes() / float(f.getframerate())


class EspeakVoice:
    """espeak-ng, offline. WAV files are cached by text, voice and rate in ``cache_dir``."""

    name = "espeak"

    def __init__(self, cache_dir: str | os.PathLike, *, voice: str = ESPEAK_VOICE,
                 rate: int = ESPEAK_RATE):
        exe = shutil.which("espeak-ng")
        if exe is None:
            raise RuntimeError(
                "espeak-ng not found; install it with: sudo apt-get install espeak-ng")
        self.exe: str = exe
        self.cache_dir = Path(cache_dir)
        self.voice, self.rate = voice, rate

    def path_for(self, text: str) -> Path:
        key = hashlib.sha256(f"espeak-ng\x00{self.voice}\x00{self.rate}\x00{text}".encode())
        return self.cache_dir / f"{key.hexdigest()[:24]}.wav"

    def speak(self, text: str) -> Speech:
        path = self.path_for(text)
        if not path.exists():
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(suffix=".wav", dir=self.cache_dir)
            os.close(fd)
            try:
                subprocess.run([self.exe, "-v", self.voice, "-s", str(self.rate), "-w", tmp, text],
                               check=True, capture_output=True)
                os.replace(tmp, path)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        return Speech(wav_duration(path), path)


def default_voice() -> str:
    """``espeak`` when espeak-ng is installed, else ``none``."""
    return "espeak" if shutil.which("espeak-ng") else "none"


def get_voice(name: str, cache_dir: str | os.PathLike) -> Voice:
    """The voice called ``name`` (one of :data:`VOICES`)."""
    if name == "none":
        return SilentVoice()
    if name == "espeak":
        return EspeakVoice(cache_dir)
    raise ValueError(f"unknown voice {name!r}; choose one of: {', '.join(VOICES)}")


# --------------------------------------------------------------------------------------- subtitles


@dataclass(frozen=True)
class Cue:
    """A subtitle cue: ``text`` shown from ``start`` to ``end`` seconds."""

    start: float
    end: float
    text: str
    key: str = ""

    def shifted(self, offset: float) -> Cue:
        return Cue(self.start + offset, self.end + offset, self.text, self.key)


def _stamp(t: float, sep: str) -> str:
    ms = int(round(t * 1000))
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def to_srt(cues: Iterable[Cue]) -> str:
    """SubRip text for ``cues``."""
    blocks = [f"{k}\n{_stamp(c.start, ',')} --> {_stamp(c.end, ',')}\n{c.text}\n"
              for k, c in enumerate(cues, start=1)]
    return "\n".join(blocks)


def to_vtt(cues: Iterable[Cue]) -> str:
    """WebVTT text for ``cues``."""
    blocks = [f"{_stamp(c.start, '.')} --> {_stamp(c.end, '.')}\n{c.text}\n" for c in cues]
    return "WEBVTT\n\n" + "\n".join(blocks)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def make_readable(path: str | os.PathLike) -> None:
    """Give a file made by ``mkstemp`` (mode 0600) the usual permissions."""
    os.chmod(path, 0o666 & ~_umask())


@contextmanager
def atomic_path(dest: str | os.PathLike):
    """Yield a temporary path beside ``dest``; on success it is renamed to ``dest`` (readers
    never see a half-written file), on failure removed."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
    os.close(fd)
    try:
        yield tmp
        make_readable(tmp)
        os.replace(tmp, dest)
    except OSError as exc:                  # a full disk names the file meant, not its temp
        if exc.filename in (None, tmp) and exc.errno is not None:
            raise OSError(exc.errno, exc.strerror, str(dest)) from exc
        raise
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_atomic(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename."""
    with atomic_path(path) as tmp:
        Path(tmp).write_text(text, encoding="utf-8")


def write_subtitles(cues: list[Cue], stem: str | os.PathLike) -> tuple[Path, Path]:
    """Write ``stem.srt`` and ``stem.vtt``; returns both paths."""
    stem = Path(stem)
    srt, vtt = stem.with_suffix(".srt"), stem.with_suffix(".vtt")
    write_atomic(srt, to_srt(cues))
    write_atomic(vtt, to_vtt(cues))
    return srt, vtt
