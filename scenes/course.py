"""The course's chapters: number and title, in order. Defined here once; the catalog
(:mod:`mlv.scenes.catalog`) orders the scenes within them, and everything else (the default
course, the derivation order of ``mlv check``, notes, slides) is derived from the two.

This module imports nothing, so the parameter declarations (:mod:`mlv.scenes.params`) and the
catalog both read it without importing each other.
"""
from __future__ import annotations

COURSE_TITLE = "Machine learning from first principles"

CHAPTERS: dict[int, str] = {
    1: "Optimization",
    2: "Clustering and dimensionality reduction",
    3: "Linear models and activation functions",
    4: "Neural networks",
    5: "Attention and transformers",
}
