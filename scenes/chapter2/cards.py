"""Chapter 2's title card."""
from __future__ import annotations

from scenes.cards import ChapterTitleCard
from scenes.narration import Beat, Narration


class Chapter2Title(ChapterTitleCard):
    chapter_number = 2
    narration = Narration(
        Beat("title", "Chapter two: clustering and dimensionality reduction. Now the data come "
                      "without labels, and we look for the structure inside them."),
        Beat("plan", "We start with k-means, which groups points around centres by alternating "
                     "two simple steps."),
    )
