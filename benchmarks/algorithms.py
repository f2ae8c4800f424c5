"""Time and peak memory of every lesson's trajectory, at the size the lesson uses.

    python benchmarks/algorithms.py [--repeat N]

Each case is run once under ``tracemalloc`` (peak traced memory: NumPy's arrays are traced) and
``--repeat`` times without it (the best wall time is reported, so tracing does not slow it).
A case passes when it takes under 2 s and peaks under 200 MB.
"""
from __future__ import annotations

import argparse
import gc
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from mlv.algorithms import (  # noqa: E402
    autoencoder,
    datasets,
    gradient_descent_1d,
    kmeans,
    logistic_regression,
    network,
    optimizers,
    pca,
    perceptron,
    vanishing,
)

TIME_LIMIT_S = 2.0
MEMORY_LIMIT_MB = 200.0


def _standardised(X):
    return (X - X.mean(axis=0)) / X.std(axis=0)


def _space_transformation():
    X, y = datasets.circles(200, noise=0.05, factor=0.4, random_state=0)
    traj = network.train(X, y, hidden=(3, 2), hidden_activation="tanh", learning_rate=0.5,
                         epochs=3000, random_state=0, record_every=10)
    g = np.linspace(-1.5, 1.5, 41)
    GX, GY = np.meshgrid(g, g)
    params = network.params_at(traj, -1)
    layers = network.layer_transforms(params, np.column_stack([GX.ravel(), GY.ravel()]),
                                      traj.meta["activations"])
    field = network.decision_grid(params, g, g, traj.meta["activations"])
    return traj, layers, field


def _backprop_pass():
    X, y = datasets.xor(200, random_state=0)
    traj = network.train(X, y, hidden=(3, 3), hidden_activation="tanh", learning_rate=0.5,
                         epochs=2000, random_state=0, record_every=10)
    return network.forward_backward(network.params_at(traj, -1), X[0], y[0],
                                    traj.meta["activations"], "bce")


CASES = {
    "gradient-descent-intuition (3 rates x 50 steps)":
        lambda: gradient_descent_1d.compare_learning_rates((0.05, 0.3, 1.05), steps=50),
    "optimizers: rosenbrock (4 x 2000 steps)":
        lambda: optimizers.race("rosenbrock", steps=2000, learning_rates={
            "sgd": 1e-3, "momentum": 1e-3, "rmsprop": 1e-2, "adam": 3e-2}),
    "optimizers: quadratic (4 x 300 steps)":
        lambda: optimizers.race("quadratic", steps=300, learning_rates={
            "sgd": 0.035, "momentum": 0.01, "rmsprop": 0.05, "adam": 0.1}),
    "optimizers: saddle (4 x 300 steps)":
        lambda: optimizers.race("saddle", steps=300, learning_rates={
            "sgd": 0.01, "momentum": 0.01, "rmsprop": 0.01, "adam": 0.01}),
    "optimizers: contour grid (3 x 201^2)":
        lambda: [optimizers.grid(s, n=201) for s in optimizers.SURFACES],
    "kmeans-training (300 pts, k=4, k-means++)":
        lambda: kmeans.lloyd(datasets.blobs(300, centers=4, cluster_std=1.5, random_state=0)[0],
                             4, init="k-means++", random_state=0),
    "pca-projection (200 pts, 3-D) + sweep (360)":
        lambda: (pca.pca(datasets.noisy_plane(200, random_state=0)),
                 pca.direction_sweep(datasets.blobs(200, centers=np.array([[0.0, 0.0],
                                                                           [3.0, 1.5]]),
                                                    random_state=0)[0], 360)),
    "perceptron (100 pts, <= 100 epochs)":
        lambda: perceptron.train(*datasets.blobs(100, centers=np.array([[-2.0, -1.0],
                                                                        [2.0, 1.5]]),
                                                 cluster_std=0.9, random_state=0),
                                 max_epochs=100),
    "logistic-regression-training (200 pts, 1000 ep)":
        lambda: logistic_regression.gradient_descent(
            *datasets.blobs(200, centers=np.array([[0.0, 0.0], [2.0, 1.0]]), random_state=0),
            learning_rate=0.5, epochs=1000),
    "neural-network-training (moons 200, 2-8-8-1, 3000 ep)":
        lambda: network.train(*datasets.two_moons(200, noise=0.15, random_state=0),
                              hidden=(8, 8), learning_rate=0.5, epochs=3000, random_state=0,
                              record_every=10),
    "forward/backpropagation (xor, 2-3-3-1, 2000 ep)": _backprop_pass,
    "space-transformation (2-3-2-1, 3000 ep, 41^2 grid)": _space_transformation,
    "vanishing-gradients (3 x 12 layers x 16, 300 ep)":
        lambda: vanishing.compare(*datasets.two_moons(200, noise=0.15, random_state=0),
                                  n_layers=12, width=16, learning_rate=0.1, epochs=300,
                                  random_state=0),
    "autoencoder: linear (plane 200, 3000 ep)":
        lambda: autoencoder.train(_standardised(datasets.noisy_plane(200, random_state=0)),
                                  linear=True, learning_rate=0.2, epochs=3000,
                                  record_every=10),
    "autoencoder: tanh (blobs 300 x 10-D, 2000 ep)":
        lambda: autoencoder.train(_standardised(datasets.blobs(300, centers=4, n_features=10,
                                                               random_state=0)[0]),
                                  hidden=(16,), learning_rate=0.1, epochs=2000,
                                  record_every=10),
}


def measure(fn, repeat: int) -> tuple[float, float]:
    """(best wall time in s, peak traced memory in MB)."""
    gc.collect()
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best, peak / 2**20


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per case (best kept)")
    args = parser.parse_args(argv)
    width = max(len(name) for name in CASES)
    header = (f"{'trajectory':<{width}}  {'time (s)':>8}  {'peak (MB)':>9}  {'< 2 s':>5}  "
              f"{'< 200 MB':>8}")
    print(header)
    print("-" * len(header))
    failed = 0
    for name, fn in CASES.items():
        seconds, mb = measure(fn, args.repeat)
        ok_t, ok_m = seconds < TIME_LIMIT_S, mb < MEMORY_LIMIT_MB
        failed += not (ok_t and ok_m)
        print(f"{name:<{width}}  {seconds:8.3f}  {mb:9.2f}  {'yes' if ok_t else 'NO':>5}  "
              f"{'yes' if ok_m else 'NO':>8}")
    print("-" * len(header))
    print(f"{len(CASES) - failed}/{len(CASES)} within {TIME_LIMIT_S:g} s "
          f"and {MEMORY_LIMIT_MB:g} MB")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
