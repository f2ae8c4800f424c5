"""Chapter 1's title card."""
from __future__ import annotations

from mlv.scenes.cards import ChapterTitleCard, RecapCard
from mlv.scenes.narration import Beat, Narration


class Chapter1Title(ChapterTitleCard):
    chapter_number = 1
    card_narration = Narration(
        Beat("title", "Chapter one: optimization. Learning means choosing numbers that make an "
                      "error small, and the tool for that is the gradient."),
        Beat("plan", "We start with a ball walking down a curve, then fit a straight line by "
                     "gradient descent, and end with the optimizers that speed it up."),
    )


class Chapter1Recap(RecapCard):
    chapter_number = 1
    points = (
        "The gradient points uphill; gradient descent steps the other way, scaled by η.",
        "Too small an η crawls; too large an η overshoots and can diverge.",
        "A line is fitted by making the mean squared error small.",
        "Standardise inputs: on raw x the valley is narrow and descent stalls.",
        "No optimizer wins everywhere: check the race on your own surface.",
    )
    card_narration = Narration(
        Beat("descent", "The gradient points uphill, so gradient descent steps the other way, "
                        r"scaled by the learning rate $\eta$."),
        Beat("rate", "Too small a rate crawls; too large a rate overshoots and can diverge."),
        Beat("loss", "To fit a line we choose a loss, the mean squared error, and make it "
                     "small."),
        Beat("scale", "Standardise the inputs: on raw inputs the valley is long and narrow, and "
                      "descent stalls before the optimum."),
        Beat("race", "And no optimizer wins everywhere: momentum led our races, the adaptive "
                     "methods helped near the saddle's ridge. Measure on your own problem."),
    )
