"""Principal component analysis by eigen-decomposition of the covariance matrix.

    X_c   = X - mean(X)                       (centre first: X_c^T X_c is proportional to the
                                               covariance only for centred data)
    Sigma = X_c^T X_c / (n - 1)
    Sigma u_j = lambda_j u_j,  lambda_1 >= lambda_2 >= ...
    projections  = X_c U^T                    (U: one component per row)

The variance of the data projected on a unit vector ``u`` is ``u^T Sigma u``; maximising it subject
to ``u^T u = 1`` (Lagrangian ``u^T Sigma u - lambda (u^T u - 1)``, gradient
``2 Sigma u - 2 lambda u``) gives the eigenvalue problem, and the variance along ``u_j`` is
``lambda_j``.

Sign convention: each component is flipped so that its entry of largest magnitude is positive (the
first such entry on a tie), which is the convention scikit-learn uses; results are then fully
deterministic.
"""
from __future__ import annotations

import numpy as np

from mlv.algorithms import _checks
from mlv.algorithms.trajectory import Trajectory


def covariance(X) -> tuple[np.ndarray, np.ndarray]:
    """Mean and sample covariance (divided by ``n - 1``) of ``X``.

    Returns
    -------
    mean : ndarray of shape (d,)
    cov : ndarray of shape (d, d)
    """
    X = _checks.samples(X, min_samples=2)
    _checks.not_too_large(X, "X", X.shape[0])
    mean = X.mean(axis=0)
    Xc = X - mean
    return mean, Xc.T @ Xc / (X.shape[0] - 1)


def eigen(cov) -> tuple[np.ndarray, np.ndarray]:
    """Eigenpairs of a symmetric matrix, sorted by eigenvalue descending, signs fixed. A matrix
    that is not symmetric (up to round-off) is refused: ``eigh`` would silently read only its
    lower triangle.

    Returns
    -------
    eigenvalues : ndarray of shape (d,)
        Descending.
    eigenvectors : ndarray of shape (d, d)
        One unit eigenvector per **row**, in the same order, largest-magnitude entry positive.
    """
    cov = _checks.square(cov, "cov", symmetric=True)
    values, vectors = np.linalg.eigh(cov)          # ascending, one vector per column
    order = np.argsort(values, kind="stable")[::-1]
    values, rows = values[order], vectors[:, order].T
    biggest = np.argmax(np.abs(rows), axis=1)
    rows = rows * np.sign(rows[np.arange(len(rows)), biggest])[:, None]
    return values, rows


def pca(X, n_components: int | None = None) -> Trajectory:
    """The whole of PCA as a one-row :class:`Trajectory` (PCA is not iterative: row 0 is the
    answer).

    Parameters
    ----------
    X : array_like of shape (n, d)
        Data, ``n >= 2``.
    n_components : int, optional
        Components kept (default all ``d``).

    Returns
    -------
    Trajectory
        ``params`` (1, n_components * d): the components flattened (columns ``pc1_1 .. pc1_d,
        pc2_1, ...``). ``loss`` (1,): mean squared reconstruction error
        ``1/n sum_i ||x_c_i - U^T U x_c_i||**2`` with the kept components. ``grads`` (1, same):
        ``2 Sigma u_j - 2 lambda_j u_j`` for each kept component, the gradient of the Lagrangian,
        zero up to round-off. ``extras``: ``X`` (n, d), ``mean`` (d,), ``X_centered`` (n, d),
        ``covariance`` (d, d), ``eigenvalues`` (d,) and ``eigenvectors`` (d, d, one per row),
        ``components`` (n_components, d), ``explained_variance`` (n_components,),
        ``explained_variance_ratio`` (n_components,), ``projections`` (n, n_components),
        ``reconstruction`` (n, d).
    """
    X = _checks.samples(X, min_samples=2)
    n, d = X.shape
    k = d if n_components is None else _checks.integer(n_components, "n_components", minimum=1)
    if k > d:
        raise ValueError(f"n_components must be at most the number of features ({d}), got {k}")
    mean, cov = covariance(X)
    values, vectors = eigen(cov)
    values = np.maximum(values, 0.0)                 # round-off can make a zero slightly negative
    U = vectors[:k]
    Xc = X - mean
    proj = Xc @ U.T
    recon = proj @ U + mean
    lagrange = 2 * (U @ cov) - 2 * values[:k, None] * U
    total = values.sum()
    ratio = values[:k] / total if total > 0 else np.zeros(k)
    names = tuple(f"pc{j + 1}_{i + 1}" for j in range(k) for i in range(d))
    loss = np.array([np.mean(np.sum((X - recon) ** 2, axis=1))])
    _checks.result(loss, "the reconstruction error", "X is")
    return Trajectory(
        params=U.reshape(1, k * d), loss=loss,
        grads=lagrange.reshape(1, k * d), param_names=names,
        extras={"X": X, "mean": mean, "X_centered": Xc, "covariance": cov,
                "eigenvalues": values, "eigenvectors": vectors, "components": U,
                "explained_variance": values[:k], "explained_variance_ratio": ratio,
                "projections": proj, "reconstruction": recon},
        meta={"n_components": k, "n_samples": n, "n_features": d})


def direction_sweep(X, n_angles: int = 180) -> Trajectory:
    """For 2-D data: the unit vector ``u = (cos a, sin a)`` swept over ``a`` in ``[0, pi)``, with
    the variance the projection on ``u`` keeps and loses (the ``pca-derivation`` scene).

    Returns
    -------
    Trajectory
        Row ``j`` is angle ``a_j``: ``params`` (n_angles, 2) is ``u``; ``loss`` is the variance lost
        by projecting on ``u``, ``trace(Sigma) - u^T Sigma u`` (smallest at PC1, where it equals
        ``lambda_2``); ``grads`` is its gradient along the circle,
        ``-(2 Sigma u - 2 (u^T Sigma u) u)``, zero exactly at the principal axes.
        ``extras["angle"]`` (n_angles,) and ``extras["variance"]`` ``u^T Sigma u`` (n_angles,).
    """
    X = _checks.samples(X, min_samples=2)
    if X.shape[1] != 2:
        raise ValueError(f"X must have 2 features for a direction sweep, got shape {X.shape}")
    n_angles = _checks.integer(n_angles, "n_angles", minimum=1)
    _, cov = covariance(X)
    angle = np.arange(n_angles) * np.pi / n_angles
    u = np.column_stack([np.cos(angle), np.sin(angle)])
    var = np.einsum("ai,ij,aj->a", u, cov, u)
    tangent = -(2 * u @ cov - 2 * var[:, None] * u)
    return Trajectory(params=u, loss=np.trace(cov) - var, grads=tangent, param_names=("u1", "u2"),
                      extras={"angle": angle, "variance": var}, meta={"n_angles": n_angles})
