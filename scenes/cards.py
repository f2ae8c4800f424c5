"""Title cards: a chapter's number, title and the lessons to come, narrated like a lesson."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from manim import DOWN, LEFT, RIGHT, UP, Animation, FadeIn, Text, VGroup, Write

from mlv.scenes import style
from mlv.scenes.catalog import CHAPTERS, chapter
from mlv.scenes.lesson import LessonScene
from mlv.scenes.narration import Beat, Narration
from mlv.scenes.script import Script

#: where a title card's block (number, title, lessons) is centred: a little above the stage's
#: centre, so the lesson list clears the caption band
TITLE_AT = style.STAGE.at(dy=0.6 - style.STAGE.center[1])


def lesson_titles(n: int) -> list[str]:
    return [e.title for e in chapter(n) if e.kind == "lesson"]


@dataclass(frozen=True)
class TitleCardLesson:
    """What a title card shows: the chapter number and title (its parameters)."""

    number: int
    title: str


class ChapterTitleCard(LessonScene):
    """A chapter's opening card: number, title and the lessons to come.

    Subclasses set ``chapter_number`` and ``card_narration`` (the card's narration for the
    catalog's own chapter, whose first sentence names it).
    """

    chapter_number: ClassVar[int] = 0
    card_narration: ClassVar[Narration]

    @classmethod
    def script(cls, params: Mapping[str, Any]) -> Script:
        """The card shows its parameters' chapter number and title (a course manifest sets them
        to its own); the first sentence of the narration follows them."""
        number, title = params["number"], params["title"]
        narration = cls.card_narration
        if (number, title) != (cls.chapter_number, CHAPTERS[cls.chapter_number]):
            first, *rest = narration.beats
            tail = first.text.split(". ", 1)[1] if ". " in first.text else ""
            text = f"Chapter {number}: {title}. {tail}".strip()
            narration = Narration(Beat(first.key, text), *rest)
        return Script(narration, TitleCardLesson(number, title))

    def construct(self) -> None:
        n = self.chapter_number
        number = Text(f"Chapter {self.lesson.number}", font=style.FONT,
                      font_size=style.FONT_SIZE_HEADING, color=style.MUTED)
        title = Text(self.lesson.title, font=style.FONT, font_size=style.FONT_SIZE_TITLE,
                     color=style.FOREGROUND)
        max_w = style.FRAME_WIDTH - 2 * style.SAFE_MARGIN - 1.0
        if title.width > max_w:
            title.scale_to_fit_width(max_w)
        items = VGroup(*[Text(f"{k}. {t}", font=style.FONT, font_size=style.FONT_SIZE_BODY,
                              color=style.FOREGROUND)
                         for k, t in enumerate(lesson_titles(n), start=1)])
        items.arrange(DOWN, aligned_edge=LEFT, buff=style.GAP)
        block = VGroup(number, title).arrange(DOWN, buff=style.GAP)
        VGroup(block, items).arrange(DOWN, buff=style.GAP_LARGE * 1.5).move_to(TITLE_AT)
        beats = self.narration.keys
        with self.beat(beats[0]) as beat:
            self.play(FadeIn(number), Write(title), run_time=beat.part(0.4))
        with self.beat(beats[1]) as beat:
            self.play(FadeIn(items, lag_ratio=0.3), run_time=beat.part(0.6))



class RecapCard(LessonScene):
    """A chapter's closing card: what to remember, one point per narration beat.

    Subclasses set ``chapter_number``, ``points`` (short on-screen lines, one per beat) and a
    narration with exactly one beat per point.
    """

    chapter_number: ClassVar[int] = 0
    points: ClassVar[tuple[str, ...]] = ()
    card_narration: ClassVar[Narration]

    @classmethod
    def script(cls, params: Mapping[str, Any]) -> Script:
        return Script(cls.card_narration)

    def construct(self) -> None:
        if len(self.points) != len(self.narration):
            raise ValueError("a recap card needs one narration beat per point")
        title = Text(f"Recap: {CHAPTERS[self.chapter_number]}", font=style.FONT,
                     font_size=style.FONT_SIZE_TITLE, color=style.FOREGROUND)
        max_w = style.FRAME_WIDTH - 2 * style.SAFE_MARGIN - 1.0
        if title.width > max_w:
            title.scale_to_fit_width(max_w)
        title.to_edge(UP, buff=style.SAFE_MARGIN + 0.3)
        lines = VGroup(*[Text(f"•  {p}", font=style.FONT, font_size=style.FONT_SIZE_BODY,
                              color=style.FOREGROUND) for p in self.points])
        lines.arrange(DOWN, aligned_edge=LEFT, buff=style.GAP_LARGE)
        lines.next_to(title, DOWN, buff=style.GAP_LARGE * 1.5)
        if lines.width > max_w:
            lines.scale_to_fit_width(max_w)
        lines.set_x(0)
        for k, key in enumerate(self.narration.keys):
            with self.beat(key) as beat:
                anims: list[Animation] = [FadeIn(lines[k], shift=0.2 * RIGHT)]
                if k == 0:
                    anims.append(Write(title))
                self.play(*anims, run_time=beat.part(0.3))
