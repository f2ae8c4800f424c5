"""Chapter 3's title and recap cards."""
from __future__ import annotations

from mlv.scenes.cards import ChapterTitleCard, RecapCard
from mlv.scenes.narration import Beat, Narration


class Chapter3Title(ChapterTitleCard):
    chapter_number = 3
    card_narration = Narration(
        Beat("title", "Chapter three: linear models and activation functions. Now the labels are "
                      "classes, and a model draws a boundary between them."),
        Beat("plan", "We start with the perceptron, look at the functions that turn a score into "
                     "an output, then derive and train logistic regression."),
    )


class Chapter3Recap(RecapCard):
    chapter_number = 3
    points = (
        "The perceptron descends the perceptron criterion, not the hinge loss.",
        "It stops at the first separating line, whatever its margin.",
        "Sigmoid and tanh saturate; σ' ≤ 1/4, tanh' ≤ 1, ReLU' = 1 for z > 0.",
        "Maximum likelihood gives the binary cross-entropy.",
        "Its gradient is (1/n) Xᵀ(σ(Xw + b) − y): an average over samples.",
    )
    card_narration = Narration(
        Beat("criterion", "The perceptron's update is a subgradient step on the perceptron "
                          "criterion, which is not the hinge loss."),
        Beat("margin", "It stops at the first line that separates the data, however small its "
                       "margin."),
        Beat("activations", "Sigmoid and tanh saturate far from zero. The sigmoid's slope is at "
                            "most a quarter, tanh's at most one, and ReLU's is one for every "
                            "positive input."),
        Beat("bce", "Maximising the likelihood of the labels gives the binary cross-entropy."),
        Beat("gradient", "Its gradient is the error times the input, averaged over the samples, "
                         "never over the features."),
    )
