"""Chapter 5's title and recap cards."""
from __future__ import annotations

from mlv.scenes.cards import ChapterTitleCard, RecapCard
from mlv.scenes.narration import Beat, Narration


class Chapter5Title(ChapterTitleCard):
    chapter_number = 5
    card_narration = Narration(
        Beat("title", "Chapter five: attention and transformers. We go past the book, to the "
                      "mechanism inside today's language models, built from first principles."),
        Beat("plan", "We turn scores into probabilities, let tokens attend to each other, train "
                     "attention on a task that needs it, give it positions, and build a block."),
    )


class Chapter5Recap(RecapCard):
    chapter_number = 5
    points = (
        "Softmax: ∂sᵢ/∂zⱼ = sᵢ(δᵢⱼ − sⱼ); with cross-entropy, p − y.",
        "Attention: softmax(QKᵀ/√d) V; √d keeps the scores' variance at one.",
        "Trained by gradient descent, attention learns where to look.",
        "Without positions, attention sees a set; encodings give it order.",
        "A block adds a residual, layer norm and an MLP around attention.",
    )
    card_narration = Narration(
        Beat("softmax", r"Softmax turns scores into probabilities; its Jacobian is "
                        r"$s_i(\delta_{ij} - s_j)$, and with cross-entropy the gradient is "
                        r"$p - y$."),
        Beat("attention", "Attention takes a softmax of queries dotted with keys, divided by the "
                          "square root of $d$, and mixes the values with those weights."),
        Beat("learns", "Gradient descent through that softmax teaches the queries and keys "
                       "where to look: the attention map sharpens on the answer."),
        Beat("position", "Without positions, attention treats its input as a set: shuffle the "
                         "tokens and the outputs shuffle with them. Encodings give it order."),
        Beat("block", "A transformer block wraps attention in a residual connection, layer "
                      "norm and a small MLP, and we measured what each part changes."),
    )
