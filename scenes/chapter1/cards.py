"""Chapter 1's title card."""
from __future__ import annotations

from scenes.cards import ChapterTitleCard
from scenes.narration import Beat, Narration


class Chapter1Title(ChapterTitleCard):
    chapter_number = 1
    narration = Narration(
        Beat("title", "Chapter one: optimization. Learning means choosing numbers that make an "
                      "error small, and the tool for that is the gradient."),
        Beat("plan", "We start with the simplest model there is, a straight line: how to measure "
                     "its error, and how gradient descent finds the best one."),
    )
