"""Chapter 2's title card."""
from __future__ import annotations

from mlv.scenes.cards import ChapterTitleCard, RecapCard
from mlv.scenes.narration import Beat, Narration


class Chapter2Title(ChapterTitleCard):
    chapter_number = 2
    card_narration = Narration(
        Beat("title", "Chapter two: clustering and dimensionality reduction. Now the data come "
                      "without labels, and we look for the structure inside them."),
        Beat("plan", "First k-means, which groups points around centres by alternating two "
                     "simple steps; then PCA, which finds the directions the data vary along "
                     "most."),
    )


class Chapter2Recap(RecapCard):
    chapter_number = 2
    points = (
        "k-means alternates two steps; neither can raise J.",
        "It stops at a local minimum that depends on the start.",
        "PCA: centre, then the covariance's eigenvectors are the principal axes.",
        "The variance along each axis is its eigenvalue.",
    )
    card_narration = Narration(
        Beat("two-steps", "k-means alternates an assignment step and an update step, and neither "
                          "can raise its objective $J$."),
        Beat("local", "It stops at a local minimum, and which one depends on where it starts."),
        Beat("pca", "PCA centres the data; the eigenvectors of the covariance matrix are then "
                    "the principal axes."),
        Beat("variance", "The variance along each axis is its eigenvalue, so a few axes can keep "
                         "almost all of it."),
    )
