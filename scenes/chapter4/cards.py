"""Chapter 4's title and recap cards."""
from __future__ import annotations

from mlv.scenes.cards import ChapterTitleCard, RecapCard
from mlv.scenes.narration import Beat, Narration


class Chapter4Title(ChapterTitleCard):
    chapter_number = 4
    card_narration = Narration(
        Beat("title", "Chapter four: neural networks. We stack simple units into layers, and "
                      "let gradient descent train them all at once."),
        Beat("plan", "We follow one small network forward and backward, watch it learn a problem "
                     "no line can solve, see what its hidden layer does, and then go deeper."),
    )


class Chapter4Recap(RecapCard):
    chapter_number = 4
    points = (
        "Forward: a = f(W a + b); backward: the chain rule, one delta per neuron.",
        "Hidden layers let the decision boundary bend.",
        "They bend space until a line separates the classes.",
        "Deep sigmoid stacks starve early layers of gradient; ReLU does not.",
        "An autoencoder compresses; linear + MSE finds PCA's subspace.",
    )
    card_narration = Narration(
        Beat("forward-backward", "Forward, each layer multiplies by its weights, adds its bias "
                                 "and applies its activation. Backward, the chain rule gives each "
                                 "weight's gradient."),
        Beat("bend", "With a hidden layer, gradient descent learns boundaries that bend, where a "
                     "linear model fails."),
        Beat("space", "A hidden layer bends the space itself, until one straight line separates "
                      "the classes."),
        Beat("vanishing", "In deep stacks of sigmoids the gradient shrinks layer after layer, so "
                          "early layers stop learning; with tanh or ReLU it reaches them."),
        Beat("autoencoder", "An autoencoder squeezes data through a small code and rebuilds it; "
                            "made linear and trained on squared error, it finds PCA's subspace."),
    )
