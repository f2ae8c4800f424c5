"""Title cards: a chapter's number, title and the lessons to come, narrated like a lesson."""
from __future__ import annotations

from manim import DOWN, LEFT, FadeIn, Text, VGroup, Write

from scenes import style
from scenes.catalog import CHAPTERS, chapter
from scenes.lesson import LessonScene

def lesson_titles(n: int) -> list[str]:
    return [e.title for e in chapter(n) if e.kind == "lesson"]


class ChapterTitleCard(LessonScene):
    """A chapter's opening card: number, title and the lessons to come."""

    chapter_number: int = 0

    def construct(self):
        n = self.chapter_number
        number = Text(f"Chapter {n}", font=style.FONT, font_size=style.FONT_SIZE_HEADING,
                      color=style.MUTED)
        title = Text(CHAPTERS[n], font=style.FONT, font_size=style.FONT_SIZE_TITLE,
                     color=style.FOREGROUND)
        items = VGroup(*[Text(f"{k}. {t}", font=style.FONT, font_size=style.FONT_SIZE_BODY,
                              color=style.FOREGROUND)
                         for k, t in enumerate(lesson_titles(n), start=1)])
        items.arrange(DOWN, aligned_edge=LEFT, buff=style.GAP)
        block = VGroup(number, title).arrange(DOWN, buff=style.GAP)
        VGroup(block, items).arrange(DOWN, buff=style.GAP_LARGE * 1.5).move_to([0, 0.6, 0])
        beats = self.narration.keys
        with self.beat(beats[0]) as beat:
            self.play(FadeIn(number), Write(title), run_time=beat.part(0.4))
        with self.beat(beats[1]) as beat:
            self.play(FadeIn(items, lag_ratio=0.3), run_time=beat.part(0.6))

