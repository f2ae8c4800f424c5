"""The catalog: every scene's stable id, chapter, order, title and class.

This module imports nothing heavy (no manim), so ``mlv list`` is instant; :func:`load` imports a
scene's class when it is needed.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass


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
    """

    id: str
    chapter: int
    order: int
    title: str
    module: str
    cls: str
    kind: str = "lesson"

    @property
    def path(self) -> str:
        """The scene's source file relative to the repository root (for plain ``manim``)."""
        return self.module.replace(".", "/") + ".py"


CHAPTERS: dict[int, str] = {
    1: "Optimization",
    2: "Clustering and dimensionality reduction",
    3: "Linear models and activation functions",
    4: "Neural networks",
}

SCENES: tuple[SceneEntry, ...] = (
    SceneEntry("chapter-1-title", 1, 0, "Chapter 1: Optimization", "scenes.chapter1.cards",
               "Chapter1Title", "title"),
    SceneEntry("linear-regression-mse", 1, 2, "Linear regression: the mean squared error",
               "scenes.chapter1.linear_regression_mse", "LinearRegressionMSE"),
    SceneEntry("linear-regression-training", 1, 3, "Training a line by gradient descent",
               "scenes.chapter1.linear_regression_training", "LinearRegressionTraining"),
    SceneEntry("chapter-1-recap", 1, 99, "Recap: Optimization", "scenes.chapter1.cards",
               "Chapter1Recap", "recap"),
    SceneEntry("chapter-2-title", 2, 0, "Chapter 2: Clustering and dimensionality reduction",
               "scenes.chapter2.cards", "Chapter2Title", "title"),
    SceneEntry("kmeans-training", 2, 2, "k-means: Lloyd's algorithm",
               "scenes.chapter2.kmeans_training", "KMeansTraining"),
    SceneEntry("pca-projection", 2, 4, "PCA: projecting onto the principal axes",
               "scenes.chapter2.pca_projection", "PCAProjection"),
    SceneEntry("chapter-2-recap", 2, 99, "Recap: Clustering and dimensionality reduction",
               "scenes.chapter2.cards", "Chapter2Recap", "recap"),
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


def load(entry: SceneEntry):
    """Import and return the scene class of ``entry``."""
    return getattr(importlib.import_module(entry.module), entry.cls)
