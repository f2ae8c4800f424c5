"""The exact runs of chapter 4's deep-network lessons: ``vanishing-gradients`` and ``autoencoder``.

Scenes call these functions and draw what they return; tests call the same functions, so what a
test checks is what a viewer sees.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np

from mlv.algorithms import autoencoder as ae
from mlv.algorithms import datasets, network, pca, vanishing
from mlv.algorithms.trajectory import Trajectory

ACTIVATIONS = ("sigmoid", "tanh", "relu")
# what the vanishing-gradients lesson says about its runs (see VanishingLesson)
INTACT_SPREAD = 20.0        # per-layer gradients within this factor: "it reaches layer 1 intact"
COLLAPSE_TOL = 1e-5         # the sigmoid network has collapsed once its loss is this near log 2
LEARNED_MARGIN = 0.01       # ... and has learned something if it ends this far below log 2
DECADES = (-12, -3)         # the bar chart's lowest decade: never below 1e-12, at least to 1e-3


# ------------------------------------------------------------------------------ vanishing gradients

@dataclass(frozen=True)
class VanishingLesson:
    """Three deep networks that differ only in their hidden activation.

    Attributes
    ----------
    X : ndarray of shape (n, 2)
    y : ndarray of shape (n,)
        The two moons the networks learn to separate.
    runs : dict of str to Trajectory
        :func:`algorithms.vanishing.train` per activation (``"sigmoid"``, ``"tanh"``, ``"relu"``):
        same data, depth, width, seed and learning rate; ``extras["grad_norms"]`` (T, n_layers).
    weight_change : dict of str to ndarray of shape (n_layers,)
        ``||W^(l)_final - W^(l)_0|| / ||W^(l)_0||``: how far training moved each layer's weights.
    """

    X: np.ndarray
    y: np.ndarray
    runs: dict
    weight_change: dict

    @property
    def n_layers(self) -> int:
        return int(self.runs["sigmoid"].extras["grad_norms"].shape[1])

    def norms(self, activation: str, k: int = 0) -> np.ndarray:
        """``||dL/dW^(l)||`` for layers 1..L at recorded step ``k``, shape (n_layers,)."""
        return self.runs[activation].extras["grad_norms"][k]

    def shrinkage(self, activation: str, k: int = 0) -> float:
        """Gradient norm at layer 1 over the one at the last layer, at recorded step ``k``."""
        g = self.norms(activation, k)
        return float(g[0] / g[-1])

    def per_layer_factor(self, activation: str, k: int = 0) -> float:
        """The geometric mean factor by which the gradient shrinks per layer going back from the
        last layer to the first: ``shrinkage ** (1 / (n_layers - 1))``."""
        return float(self.shrinkage(activation, k) ** (1.0 / (self.n_layers - 1)))

    def first_epoch_near(self, activation: str, value: float, tol: float) -> int:
        """The first recorded epoch whose loss is within ``tol`` of ``value`` (-1 if none)."""
        t = self.runs[activation]
        hit = np.flatnonzero(np.abs(t.loss - value) < tol)
        return int(t.steps[hit[0]]) if len(hit) else -1

    def spread(self, activation: str, k: int = 0) -> float:
        """Largest over smallest per-layer gradient norm at recorded step ``k``."""
        g = self.norms(activation, k)
        return float(g.max() / g.min())

    # ------------------------------------------- what the lesson says about its three runs

    @property
    def width(self) -> int:
        """Units per hidden layer."""
        return int(self.runs["sigmoid"].meta["layer_sizes"][1])

    @property
    def epochs(self) -> int:
        """The epochs each run trains for."""
        return int(np.asarray(self.runs["sigmoid"].steps)[-1])

    @property
    def learning_rate(self) -> float:
        return float(self.runs["sigmoid"].meta["learning_rate"])

    def shrinks_every_layer(self, activation: str) -> bool:
        """Whether, before training, the gradient is smaller at every layer further back."""
        return bool(np.all(np.diff(self.norms(activation)) > 0))

    @property
    def others_spread(self) -> float:
        """The larger :meth:`spread` of the tanh and ReLU networks before training."""
        return max(self.spread("tanh"), self.spread("relu"))

    @property
    def others_intact(self) -> bool:
        """Whether the tanh and ReLU networks' per-layer gradients are all within a factor
        ``INTACT_SPREAD`` of each other (the gradient reaches the first layer intact)."""
        return self.others_spread <= INTACT_SPREAD

    @property
    def collapse_epoch(self) -> int:
        """The first recorded epoch at which the sigmoid network's loss is within
        ``COLLAPSE_TOL`` of log 2 (it predicts one half everywhere); -1 if it never is."""
        return self.first_epoch_near("sigmoid", math.log(2), COLLAPSE_TOL)

    @property
    def sigmoid_learned_some(self) -> bool:
        """Whether the sigmoid network's final loss is more than ``LEARNED_MARGIN`` below
        log 2."""
        return float(self.runs["sigmoid"].loss[-1]) < math.log(2) - LEARNED_MARGIN

    @property
    def decades(self) -> tuple[int, int]:
        """The bar chart's range of powers of ten: from the decade of the smallest gradient any
        run shows (clamped to ``DECADES``) up to 10^0."""
        lowest = min(float(t.extras["grad_norms"].min()) for t in self.runs.values())
        low, high = DECADES
        return max(low, min(high, math.floor(math.log10(lowest)))), 0

    def first_layer_change(self, activation: str) -> float:
        """How far training moved the first layer's weights, in percent of their start."""
        return 100 * float(self.weight_change[activation][0])


def weight_change(traj: Trajectory) -> np.ndarray:
    """``||W^(l)_final - W^(l)_0||_F / ||W^(l)_0||_F`` per layer, shape (n_layers,)."""
    first, last = network.params_at(traj, 0), network.params_at(traj, -1)
    return np.array([np.linalg.norm(W1 - W0) / np.linalg.norm(W0)
                     for (W0, _), (W1, _) in zip(first, last)])


@cache
def vanishing_lesson(random_state: int = 0, *, n: int = 100, n_layers: int = 12, width: int = 16,
                     learning_rate: float = 0.1, epochs: int = 300,
                     record_every: int = 10) -> VanishingLesson:
    """The runs of ``vanishing-gradients``: two moons, a 12-layer network of width 16, full-batch
    gradient descent on BCE, once per hidden activation (Xavier for sigmoid and tanh, He for
    ReLU)."""
    X, y = datasets.two_moons(n, noise=0.15, random_state=1)
    runs = vanishing.compare(X, y, activations=ACTIVATIONS, n_layers=n_layers, width=width,
                             learning_rate=learning_rate, epochs=epochs,
                             random_state=random_state, record_every=record_every)
    change = {a: weight_change(t) for a, t in runs.items()}
    return VanishingLesson(X, y, runs, change)


# -------------------------------------------------------------------------------------- autoencoder

@dataclass(frozen=True)
class AutoencoderLesson:
    """An autoencoder squeezing 8-D data through a 2-D code, and the linear one beside PCA.

    Attributes
    ----------
    X : ndarray of shape (n, d)
        Standardised blobs (``d = 8``, four clusters that overlap in a random 2-D view).
    labels : ndarray of shape (n,)
        The cluster each point came from (never shown to the autoencoder; only colours the codes).
    run : Trajectory
        The tanh autoencoder ``d -> 16 -> 2 -> 16 -> d`` (:func:`algorithms.autoencoder.train`):
        ``extras["codes"]`` (T, n, 2), ``loss`` the reconstruction MSE.
    shown : tuple of int
        The recorded steps the scene shows (first is 0, last the final one).
    reconstructions : ndarray of shape (len(shown), len(samples), d)
        ``x_hat`` of the sample points at each shown step.
    samples : tuple of int
        Indices of the points whose reconstructions are drawn (one per cluster shown).
    separation : ndarray of shape (T,)
        :func:`cluster_separation` of the codes at every recorded step.
    linear : Trajectory
        The linear autoencoder ``d -> 2 -> d`` on the same data.
    pca_fit : Trajectory
        :func:`algorithms.pca.pca` with two components (``loss[0]`` its reconstruction MSE).
    angles : ndarray of shape (T_linear, 2)
        Principal angles (degrees) between the linear decoder's span and PCA's top-2 subspace at
        every recorded step of ``linear``.
    """

    X: np.ndarray
    labels: np.ndarray
    run: Trajectory
    shown: tuple
    reconstructions: np.ndarray
    samples: tuple
    separation: np.ndarray
    linear: Trajectory
    pca_fit: Trajectory
    angles: np.ndarray

    def codes(self, k: int) -> np.ndarray:
        """Every point's code at recorded step ``k``, shape (n, 2)."""
        return self.run.extras["codes"][k]

    @property
    def shown_epochs(self) -> tuple[int, ...]:
        """The epoch of each shown step."""
        steps = np.asarray(self.run.steps)
        return tuple(int(steps[k]) for k in self.shown)

    @property
    def n_groups(self) -> int:
        """How many groups (clusters) the points came from."""
        return len(np.unique(self.labels))

    @property
    def code_box(self) -> tuple[float, float, float, float]:
        """``(x_min, x_max, y_min, y_max)`` over the codes of every shown step."""
        c = self.run.extras["codes"][list(self.shown)]
        return (float(c[..., 0].min()), float(c[..., 0].max()),
                float(c[..., 1].min()), float(c[..., 1].max()))

    @property
    def total_variance(self) -> float:
        """The mean squared norm of the (centred) points: the reconstruction MSE of predicting 0."""
        return float(np.mean(np.sum(self.X ** 2, axis=1)))

    def variance_kept(self, k: int) -> float:
        """The fraction of the total variance the reconstruction at recorded step ``k`` keeps."""
        return 1.0 - float(self.run.loss[k]) / self.total_variance

    @property
    def pca_loss(self) -> float:
        """The reconstruction MSE of the best rank-2 linear map (PCA's top two components)."""
        return float(self.pca_fit.loss[0])


def cluster_separation(codes, labels) -> float:
    """Mean distance between cluster centres over the mean distance of a point to its own centre:
    large when clusters sit apart in the code space, about 1 or less when they are mixed."""
    codes, labels = np.asarray(codes, float), np.asarray(labels)
    ks = np.unique(labels)
    centres = np.array([codes[labels == k].mean(axis=0) for k in ks])
    within = np.mean([np.linalg.norm(codes[labels == k] - c, axis=1).mean()
                      for k, c in zip(ks, centres)])
    between = np.mean([np.linalg.norm(centres[i] - centres[j])
                       for i in range(len(ks)) for j in range(i)])
    return float(between / within)


@cache
def autoencoder_lesson(random_state: int = 0, *, n: int = 120, n_features: int = 8,
                       learning_rate: float = 0.05, epochs: int = 1000, record_every: int = 25,
                       shown_epochs: tuple = (0, 50, 200, 1000), linear_epochs: int = 1000,
                       linear_record_every: int = 10) -> AutoencoderLesson:
    """The runs of ``autoencoder``: four 8-D blobs (standardised), a tanh autoencoder with a 2-D
    code trained by full-batch gradient descent on the reconstruction MSE, and the linear
    autoencoder on the same data next to PCA."""
    X, labels = datasets.blobs(n, centers=4, n_features=n_features, cluster_std=2.5,
                               random_state=3)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    run = ae.train(X, hidden=(16,), activation="tanh", learning_rate=learning_rate,
                   epochs=epochs, random_state=random_state, record_every=record_every)
    steps = list(np.asarray(run.steps))
    shown = tuple(steps.index(e) for e in shown_epochs)
    samples = tuple(int(np.flatnonzero(labels == k)[0]) for k in range(3))
    recon = np.array([ae.reconstruct(run, k, X)[list(samples)] for k in shown])
    separation = np.array([cluster_separation(c, labels) for c in run.extras["codes"]])
    linear = ae.train(X, linear=True, learning_rate=learning_rate, epochs=linear_epochs,
                      random_state=random_state, record_every=linear_record_every)
    fit = pca.pca(X, 2)
    top2 = fit.extras["components"].T
    angles = np.array([np.degrees(ae.principal_angles(ae.decoder_basis(linear, k), top2))
                       for k in range(len(linear))])
    return AutoencoderLesson(X, labels, run, shown, recon, samples, separation, linear, fit,
                             angles)
