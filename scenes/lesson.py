"""The base class of every lesson: narration beats, captions, subtitles.

A lesson is a ``construct()`` made of beats::

    with self.beat("residuals") as beat:
        self.play(Create(segments), run_time=beat.part(0.5))

Entering a beat starts a manim section named after it, shows its caption, starts its audio, and
exiting waits until the narration has been spoken. The cues (start, end, text) are kept in
``self.cues`` for the subtitle files.

A scene is built from :class:`~mlv.scenes.script.SceneInputs` (its parameters and voice), passed
by mlv's worker as ``Scene(inputs=...)``; plain ``manim`` builds it with no arguments, which means
the defaults. Before anything is drawn the scene computes its
:class:`~mlv.scenes.script.Script` with its module's ``script(params)`` function and keeps its
parts as ``self.narration``, ``self.lesson`` and ``self.numbers``; ``construct()`` draws
``self.lesson`` and computes nothing. The heading of a lesson is its catalog title.
"""
from __future__ import annotations

import textwrap
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from manim import DOWN, UP, Camera, Mobject, Scene, Text, VGroup, config

from mlv.scenes import catalog, style
from mlv.scenes.layout import Snapshot, shape_boxes, text_boxes
from mlv.scenes.narration import PAD_SECONDS, Cue, Narration, default_voice, get_voice
from mlv.scenes.params import resolve
from mlv.scenes.script import SceneInputs, Script

CAPTION_CHARS_PER_LINE = 86


@dataclass
class BeatClock:
    """How long a beat lasts (its speech plus a pause) and helpers to split it."""

    duration: float

    def part(self, fraction: float, *, at_least: float = 0.3) -> float:
        """``fraction`` of the beat's duration, never less than ``at_least`` seconds."""
        return max(at_least, fraction * self.duration)


def caption_lines(text: str) -> list[str]:
    """The caption of ``text`` wrapped into lines that fit the caption band."""
    return textwrap.wrap(text, CAPTION_CHARS_PER_LINE) or [""]


def make_caption(text: str) -> VGroup:
    """The on-screen caption of a beat, centred in the caption band at the bottom of the frame."""
    lines = [Text(line, font=style.FONT, font_size=style.FONT_SIZE_CAPTION, color=style.FOREGROUND)
             for line in caption_lines(text)]
    group = VGroup(*lines).arrange(DOWN, buff=style.GAP_SMALL)
    max_w = style.CAPTION.width
    max_h = style.CAPTION.height - 2 * style.GAP_SMALL
    if group.width > max_w or group.height > max_h:
        group.scale(min(max_w / group.width, max_h / group.height))
    group.move_to(style.CAPTION.center)
    return group


class LessonScene(Scene):
    """A narrated lesson. Subclasses set :attr:`script` to their module's ``script(params)``
    (a ``staticmethod``) and draw ``self.lesson`` in ``construct()``."""

    @staticmethod
    def script(params: Mapping[str, Any]) -> Script:
        """The scene's lesson data, narration and numbers for a full parameter set (each scene
        module defines ``script(params)`` and sets ``script = staticmethod(script)``)."""
        raise NotImplementedError

    def __init__(self, *args: Any, inputs: SceneInputs | None = None, **kwargs: Any) -> None:
        self.entry = catalog.by_class(type(self).__name__)
        self.inputs = inputs or SceneInputs(params=resolve(self.entry.id), voice=default_voice())
        made = type(self).script(dict(self.inputs.params))
        self.narration: Narration = made.narration
        self.lesson: Any = made.lesson
        #: the run's final numbers for the lecture notes' table (label -> value), picked from
        #: the lesson data the scene draws; the worker copies them into the scene's record
        self.numbers: dict[str, Any] = dict(made.numbers)
        super().__init__(*args, **kwargs)

    @property
    def heading(self) -> str:
        """A lesson's heading is its catalog title; cards have none."""
        return self.entry.title if self.entry.kind == "lesson" else ""

    def setup(self) -> None:
        camera = cast(Camera, self.camera)        # mlv renders with Cairo
        camera.background_color = style.BACKGROUND
        audio_dir = self.inputs.audio_dir or Path(config.media_dir) / "mlv-audio"
        self.voice = get_voice(self.inputs.voice, audio_dir)
        self.cues: list[Cue] = []
        self.layout_snapshots: list[Snapshot] = []
        self._caption: VGroup | None = None
        self._in_beat = False
        self._beat_key = ""
        if self.heading:
            self.heading_mobject = Text(self.heading, font=style.FONT,
                                        font_size=style.FONT_SIZE_HEADING,
                                        color=style.FOREGROUND)
            self.heading_mobject.to_edge(UP, buff=style.SAFE_MARGIN)
            self.add(self.heading_mobject)

    @contextmanager
    def beat(self, key: str) -> Iterator[BeatClock]:
        """Play one narration beat; see the module docstring."""
        if self._in_beat:
            raise RuntimeError(f"beat {key!r} started inside another beat")
        beat = self.narration[key]
        if any(c.key == key for c in self.cues):
            raise RuntimeError(f"beat {key!r} played twice")
        speech = self.voice.speak(beat.spoken)
        self.next_section(key)
        start = self.time
        if speech.path is not None and self.inputs.mux_audio:
            # plain `manim` renders get manim's own audio mux; mlv's worker builds one exact
            # PCM track from the timeline instead
            self.add_sound(str(speech.path))
        caption = make_caption(beat.written)
        if self._caption is not None:
            self.remove(self._caption)
        # at the back of the draw order: the caption band overlaps nothing, and manim redraws
        # every frame whatever comes after a moving mobject
        self.bring_to_back(caption)
        self._caption = caption
        clock = BeatClock(speech.duration + PAD_SECONDS)
        self._in_beat, self._beat_key = True, key
        try:
            yield clock
        finally:
            self._in_beat = False
        remaining = clock.duration - (self.time - start)
        if remaining > 1e-6:
            self.wait(remaining)
        end = self.time
        self.cues.append(Cue(start, end, beat.written, key))
        self.layout_snapshots.append(self.layout_snapshot(key))
        self.add_subcaption(beat.written, duration=end - start, offset=start - end)

    def layout_snapshot(self, beat: str, during: str = "") -> Snapshot:
        """The boxes of what is on screen now, for the layout check."""
        caption = [self._caption] if self._caption is not None else []
        return Snapshot(beat, tuple(text_boxes(self.mobjects, skip=caption)),
                        tuple(shape_boxes(self.mobjects, skip=caption)),
                        tuple(text_boxes(caption)), during)

    def play_internal(self, skip_rendering: bool = False) -> None:
        """Play the current animations; first, when the inputs ask for ``layout_samples`` and
        manim skips animations (as the tests run scenes: each jumps to its end state), move them
        to each of those fractions of their run time and record a layout snapshot there. Manim
        then moves them to their end as it would have; time-based updaters get the run time in
        those steps instead of one."""
        samples = self.inputs.layout_samples
        if samples and self.renderer.skip_animations and self.animations and self.duration > 0:
            names = "+".join(sorted({type(a).__name__.replace("_MethodAnimation", "animate")
                                     for a in self.animations}))
            for fraction in sorted(samples):
                self.update_to_time(fraction * self.duration)
                self.layout_snapshots.append(self.layout_snapshot(
                    self._beat_key, f"{names} at {round(100 * fraction)}%"))
        super().play_internal(skip_rendering)

    def pulse(self, *mobjects: Mobject, beat: BeatClock, scale: float = 1.5,
              part: float = 0.2) -> None:
        """Draw the eye to ``mobjects``: grow them by ``scale``, then back, each in ``part`` of
        the beat."""
        self.play(*[m.animate.scale(scale) for m in mobjects], run_time=beat.part(part))
        self.play(*[m.animate.scale(1 / scale) for m in mobjects], run_time=beat.part(part))

    def flash_stroke(self, mobject: Mobject, *, beat: BeatClock, width: float = style.STROKE_THICK,
                     back: float = style.STROKE, part: float = 0.2) -> None:
        """Draw the eye to a curve: thicken its stroke to ``width``, then set it to ``back``."""
        self.play(mobject.animate.set_stroke(width=width), run_time=beat.part(part))
        self.play(mobject.animate.set_stroke(width=back), run_time=beat.part(part))

    def tear_down(self) -> None:
        played = [c.key for c in self.cues]
        if tuple(played) != self.narration.keys:
            raise RuntimeError(f"{type(self).__name__} played beats {played}, "
                               f"but its narration has {list(self.narration.keys)}")
        super().tear_down()

    def timeline(self) -> dict:
        """Beats with their times and audio files: what stitching and subtitles need. Each
        beat's ``text`` is what a reader sees (:attr:`Beat.written`), ``spoken`` what the voice
        said and ``source`` the beat as written, inline LaTeX and all (the notes typeset it)."""
        out = []
        for c in self.cues:
            beat = self.narration[c.key]
            speech = self.voice.speak(beat.spoken)
            out.append({"key": c.key, "start": c.start, "end": c.end, "text": beat.written,
                        "spoken": beat.spoken, "source": beat.text,
                        "audio": str(speech.path) if speech.path else None})
        return {"voice": self.voice.name, "duration": self.time, "beats": out}

