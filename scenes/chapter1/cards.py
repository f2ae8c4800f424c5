"""Chapter 1's title card."""
from __future__ import annotations

from scenes.cards import ChapterTitleCard, RecapCard
from scenes.narration import Beat, Narration


class Chapter1Title(ChapterTitleCard):
    chapter_number = 1
    narration = Narration(
        Beat("title", "Chapter one: optimization. Learning means choosing numbers that make an "
                      "error small, and the tool for that is the gradient."),
        Beat("plan", "We start with the simplest model there is, a straight line: how to measure "
                     "its error, and how gradient descent finds the best one."),
    )


class Chapter1Recap(RecapCard):
    chapter_number = 1
    points = (
        "A model is fitted by making a loss small: here the mean squared error.",
        "The gradient points uphill; gradient descent steps the other way, scaled by η.",
        "Standardise inputs: on raw x the valley is narrow and descent stalls.",
        "Check the result against the optimum before calling it the fit.",
    )
    narration = Narration(
        Beat("loss", "To fit a model we choose a loss, here the mean squared error, and make it "
                     "small."),
        Beat("descent", "The gradient points uphill, so gradient descent steps the other way, "
                        "scaled by the learning rate eta."),
        Beat("scale", "Standardise the inputs: on raw inputs the valley is long and narrow, and "
                      "descent stalls before the optimum."),
        Beat("check", "And always check the result against the optimum before calling it the "
                      "fit."),
    )
