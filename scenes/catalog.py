"""The catalog: every scene's stable id, chapter, order, title, class and derivations.

The course order is defined here (scenes within the chapters of :mod:`mlv.scenes.course`) and
nowhere else. This module imports nothing heavy (no manim), so ``mlv list`` is instant;
:func:`load` imports a scene's class, and :func:`script` computes a scene's narration and lesson
data for a parameter set, when they are needed.
"""
from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mlv.scenes.course import CHAPTERS
from mlv.scenes.params import file_suffix, resolve

if TYPE_CHECKING:
    from mlv.scenes.script import Script, Scripted

__all__ = ["CHAPTERS", "EXPECTED_SECONDS", "SCENES", "SceneEntry", "by_class", "by_id",
           "chapter", "chapters_with_scenes", "load", "script"]


@dataclass(frozen=True)
class SceneEntry:
    """One scene of the course.

    Attributes
    ----------
    id : str
        Stable kebab-case id (``linear-regression-training``); never renamed without a note.
    chapter : int
        Chapter number, 1-based.
    order : int
        Position within the chapter (title card 0, recap card 99).
    title : str
        Human title; also the chapter marker's title in stitched videos.
    module, cls : str
        Where the scene class lives (``scenes.chapter1.linear_regression_mse``,
        ``LinearRegressionMSE``).
    kind : str
        ``"title"``, ``"lesson"`` or ``"recap"``.
    derivations : tuple of str
        The derivation modules (under :mod:`mlv.derivations`) whose derivations the lesson
        shows; the lecture notes print them, ``mlv check`` proves them in this order.
    params : tuple of (name, value)
        Parameter values that differ from the scene's defaults (:mod:`mlv.scenes.params`),
        sorted; empty for the default render.
    """

    id: str
    chapter: int
    order: int
    title: str
    module: str
    cls: str
    kind: str = "lesson"
    derivations: tuple[str, ...] = ()
    params: tuple = ()

    def __post_init__(self) -> None:       # JSON gives lists; keep it hashable and canonical
        object.__setattr__(self, "params", tuple(sorted(tuple(p) for p in self.params)))
        object.__setattr__(self, "derivations", tuple(self.derivations))

    @property
    def key(self) -> str:
        """The render's name: the id, plus the parameter overrides (``optimizers--lr=0.1``)."""
        return self.id + file_suffix(self.id, self.params)

    @property
    def path(self) -> str:
        """The scene's source file relative to the repository root (for plain ``manim``)."""
        return self.module.removeprefix("mlv.").replace(".", "/") + ".py"


# How long a scene of each kind should last with narration (seconds, any voice). Lessons aim at
# 45-120 s; the upper bound leaves room for a slower voice (espeak reads numbers slowly).
EXPECTED_SECONDS: dict[str, tuple[float, float]] = {
    "title": (8.0, 40.0),
    "lesson": (45.0, 140.0),
    "recap": (15.0, 75.0),
}

SCENES: tuple[SceneEntry, ...] = (
    SceneEntry("chapter-1-title", 1, 0, "Chapter 1: Optimization", "mlv.scenes.chapter1.cards",
               "Chapter1Title", "title"),
    SceneEntry("gradient-descent-intuition", 1, 1, "Gradient descent: walking downhill",
               "mlv.scenes.chapter1.gradient_descent_intuition", "GradientDescentIntuition",
               derivations=("gradient_descent",)),
    SceneEntry("linear-regression-mse", 1, 2, "Linear regression: the mean squared error",
               "mlv.scenes.chapter1.linear_regression_mse", "LinearRegressionMSE",
               derivations=("mse",)),
    SceneEntry("linear-regression-training", 1, 3, "Training a line by gradient descent",
               "mlv.scenes.chapter1.linear_regression_training", "LinearRegressionTraining"),
    SceneEntry("optimizers", 1, 4, "Optimizers: momentum, RMSProp and Adam",
               "mlv.scenes.chapter1.optimizers", "Optimizers", derivations=("optimizers",)),
    SceneEntry("chapter-1-recap", 1, 99, "Recap: Optimization", "mlv.scenes.chapter1.cards",
               "Chapter1Recap", "recap"),
    SceneEntry("chapter-2-title", 2, 0, "Chapter 2: Clustering and dimensionality reduction",
               "mlv.scenes.chapter2.cards", "Chapter2Title", "title"),
    SceneEntry("kmeans-objective", 2, 1, "k-means: the within-cluster sum of squares",
               "mlv.scenes.chapter2.kmeans_objective", "KMeansObjective", derivations=("kmeans",)),
    SceneEntry("kmeans-training", 2, 2, "k-means: Lloyd's algorithm",
               "mlv.scenes.chapter2.kmeans_training", "KMeansTraining"),
    SceneEntry("pca-derivation", 2, 3, "PCA: variance, a constraint and an eigenvalue problem",
               "mlv.scenes.chapter2.pca_derivation", "PCADerivation", derivations=("pca",)),
    SceneEntry("pca-projection", 2, 4, "PCA: projecting onto the principal axes",
               "mlv.scenes.chapter2.pca_projection", "PCAProjection"),
    SceneEntry("chapter-2-recap", 2, 99, "Recap: Clustering and dimensionality reduction",
               "mlv.scenes.chapter2.cards", "Chapter2Recap", "recap"),
    SceneEntry("chapter-3-title", 3, 0, "Chapter 3: Linear models and activation functions",
               "mlv.scenes.chapter3.cards", "Chapter3Title", "title"),
    SceneEntry("perceptron", 3, 1, "The perceptron", "mlv.scenes.chapter3.perceptron", "Perceptron",
               derivations=("perceptron",)),
    SceneEntry("activation-functions", 3, 2, "Activation functions and their slopes",
               "mlv.scenes.chapter3.activation_functions", "ActivationFunctions",
               derivations=("activations",)),
    SceneEntry("logistic-regression-derivation", 3, 3,
               "Logistic regression: from likelihood to loss",
               "mlv.scenes.chapter3.logistic_regression_derivation", "LogisticRegressionDerivation",
               derivations=("logistic_regression",)),
    SceneEntry("logistic-regression-training", 3, 4, "Training logistic regression",
               "mlv.scenes.chapter3.logistic_regression_training", "LogisticRegressionTraining"),
    SceneEntry("chapter-3-recap", 3, 99, "Recap: Linear models and activation functions",
               "mlv.scenes.chapter3.cards", "Chapter3Recap", "recap"),
    SceneEntry("chapter-4-title", 4, 0, "Chapter 4: Neural networks", "mlv.scenes.chapter4.cards",
               "Chapter4Title", "title"),
    SceneEntry("forward-propagation", 4, 1, "Forward propagation",
               "mlv.scenes.chapter4.forward_propagation", "ForwardPropagation"),
    SceneEntry("backpropagation", 4, 2, "Backpropagation: the chain rule, backwards",
               "mlv.scenes.chapter4.backpropagation", "Backpropagation", derivations=("backprop",)),
    SceneEntry("neural-network-training", 4, 3, "Training a network on XOR",
               "mlv.scenes.chapter4.neural_network_training", "NeuralNetworkTraining"),
    SceneEntry("space-transformation", 4, 4, "What hidden layers do to space",
               "mlv.scenes.chapter4.space_transformation", "SpaceTransformation"),
    SceneEntry("vanishing-gradients", 4, 5, "Vanishing gradients",
               "mlv.scenes.chapter4.vanishing_gradients", "VanishingGradients",
               derivations=("vanishing",)),
    SceneEntry("autoencoder", 4, 6, "Autoencoders: learning a compressed code",
               "mlv.scenes.chapter4.autoencoder", "Autoencoder", derivations=("autoencoder",)),
    SceneEntry("chapter-4-recap", 4, 99, "Recap: Neural networks", "mlv.scenes.chapter4.cards",
               "Chapter4Recap", "recap"),
    SceneEntry("chapter-5-title", 5, 0, "Chapter 5: Attention and transformers",
               "mlv.scenes.chapter5.cards", "Chapter5Title", "title"),
    SceneEntry("softmax", 5, 1, "Softmax: from scores to probabilities",
               "mlv.scenes.chapter5.softmax", "Softmax", derivations=("softmax",)),
    SceneEntry("dot-product-attention", 5, 2, "Scaled dot-product attention",
               "mlv.scenes.chapter5.dot_product_attention", "DotProductAttention"),
    SceneEntry("attention-training", 5, 3, "Attention learns where to look",
               "mlv.scenes.chapter5.attention_training", "AttentionTraining",
               derivations=("attention",)),
    SceneEntry("positional-encoding", 5, 4, "Position: attention sees a set",
               "mlv.scenes.chapter5.positional_encoding", "PositionalEncoding"),
    SceneEntry("transformer-block", 5, 5, "A transformer block",
               "mlv.scenes.chapter5.transformer_block", "TransformerBlock"),
    SceneEntry("chapter-5-recap", 5, 99, "Recap: Attention and transformers",
               "mlv.scenes.chapter5.cards", "Chapter5Recap", "recap"),
)


def by_id(scene_id: str) -> SceneEntry:
    """The entry with this id; ``KeyError`` with the known ids otherwise."""
    for s in SCENES:
        if s.id == scene_id:
            return s
    raise KeyError(scene_id)


def chapter(n: int) -> list[SceneEntry]:
    """The scenes of chapter ``n`` in order (empty if it has none yet)."""
    return sorted((s for s in SCENES if s.chapter == n), key=lambda s: s.order)


def chapters_with_scenes() -> list[int]:
    return sorted({s.chapter for s in SCENES})


def by_class(cls_name: str) -> SceneEntry:
    """The entry of the scene class named ``cls_name`` (class names are unique in the catalog,
    so a scene finds its own entry however its module was imported, plain ``manim`` included)."""
    for s in SCENES:
        if s.cls == cls_name:
            return s
    raise KeyError(f"no scene class {cls_name!r} in the catalog")


def load(entry: SceneEntry) -> type:
    """Import and return the scene class of ``entry``."""
    cls: type = getattr(importlib.import_module(entry.module), entry.cls)
    return cls


def script(scene: str | SceneEntry, params: Mapping[str, Any] | None = None) -> Script:
    """The narration, lesson data and numbers of ``scene`` for ``params`` (the overrides of the
    defaults; validated), computed in this process without rendering anything."""
    entry = by_id(scene) if isinstance(scene, str) else scene
    full = resolve(entry.id, dict(entry.params) | dict(params or {}))
    cls: type[Scripted] = load(entry)
    return cls.script(full)
