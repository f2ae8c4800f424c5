"""Title cards: a chapter's number, title and the lessons to come, narrated like a lesson."""
from __future__ import annotations

from manim import DOWN, LEFT, RIGHT, UP, FadeIn, Text, VGroup, Write

from mlv.scenes import params, style
from mlv.scenes.catalog import CHAPTERS, chapter
from mlv.scenes.lesson import LessonScene
from mlv.scenes.narration import Beat, Narration


def lesson_titles(n: int) -> list[str]:
    return [e.title for e in chapter(n) if e.kind == "lesson"]


class ChapterTitleCard(LessonScene):
    """A chapter's opening card: number, title and the lessons to come."""

    chapter_number: int = 0

    def setup(self) -> None:
        """The card shows its parameters' chapter number and title (a course manifest sets them
        to its own); the first sentence of the narration follows them."""
        p = params.current(f"chapter-{self.chapter_number}-title")
        self.shown_number, self.shown_title = p["number"], p["title"]
        if (p["number"], p["title"]) != (self.chapter_number, CHAPTERS[self.chapter_number]):
            first, *rest = self.narration.beats
            tail = first.text.split(". ", 1)[1] if ". " in first.text else ""
            text = f"Chapter {p['number']}: {p['title']}. {tail}".strip()
            self.narration = Narration(Beat(first.key, text), *rest)
        super().setup()

    def construct(self):
        n = self.chapter_number
        number = Text(f"Chapter {self.shown_number}", font=style.FONT,
                      font_size=style.FONT_SIZE_HEADING, color=style.MUTED)
        title = Text(self.shown_title, font=style.FONT, font_size=style.FONT_SIZE_TITLE,
                     color=style.FOREGROUND)
        max_w = style.FRAME_WIDTH - 2 * style.SAFE_MARGIN - 1.0
        if title.width > max_w:
            title.scale_to_fit_width(max_w)
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



class RecapCard(LessonScene):
    """A chapter's closing card: what to remember, one point per narration beat.

    Subclasses set ``chapter_number``, ``points`` (short on-screen lines, one per beat) and a
    narration with exactly one beat per point.
    """

    chapter_number: int = 0
    points: tuple[str, ...] = ()

    def construct(self):
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
                anims = [FadeIn(lines[k], shift=0.2 * RIGHT)]
                if k == 0:
                    anims.append(Write(title))
                self.play(*anims, run_time=beat.part(0.3))
