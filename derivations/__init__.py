"""SymPy derivations, each step proven equal to the previous one (see :mod:`derivations.steps`).

Nothing here imports manim. ``all_derivations()`` is the registry ``mlv check`` walks.
"""
from __future__ import annotations

import importlib

# Modules that define ``derivations() -> list[Derivation]``, in course order.
MODULES = (
    "mlv.derivations.gradient_descent",      # chapter 1: optimization
    "mlv.derivations.mse",
    "mlv.derivations.optimizers",
    "mlv.derivations.kmeans",                # chapter 2: clustering and dimensionality reduction
    "mlv.derivations.pca",
    "mlv.derivations.perceptron",            # chapter 3: linear models and activations
    "mlv.derivations.activations",
    "mlv.derivations.logistic_regression",
    "mlv.derivations.backprop",              # chapter 4: neural networks
    "mlv.derivations.vanishing",
    "mlv.derivations.autoencoder",
)


def all_derivations():
    """Every derivation of the course, in course order."""
    out = []
    for name in MODULES:
        out.extend(importlib.import_module(name).derivations())
    return out


def get(derivation_id: str):
    """The derivation with this id; ``KeyError`` naming the known ids if there is none."""
    for d in all_derivations():
        if d.id == derivation_id:
            return d
    known = ", ".join(d.id for d in all_derivations())
    raise KeyError(f"no derivation {derivation_id!r}; known: {known}")
