"""The exact runs of chapter 5 (attention and transformers): ``softmax``,
``dot-product-attention``, ``attention-training``, ``positional-encoding`` and
``transformer-block``.

Scenes call these functions and draw what they return; tests call the same functions, so what a
test checks is what a viewer sees. Every function is pure and cached on its arguments (seeds
included).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from mlv.algorithms import _checks
from mlv.algorithms import attention as at
from mlv.algorithms.trajectory import Trajectory

SCORES = (2.0, 1.0, 0.1)                 # the softmax lesson's scores
TEMPERATURES = (0.5, 1.0, 2.0)
OVERFLOW_SHIFT = 998.0                   # the same scores moved up: exp(1000) overflows float64
VARIANCE_DIMS = (2, 8, 32, 128, 512)     # d for the measured variance of q . k
TOKENS = ("the", "cat", "sat", "down")   # the dot-product lesson's sequence
N_TRAIN, N_TEST = 256, 512               # training and held-out sequences
TRAIN_DATA_SEED, TEST_DATA_SEED = 100, 200
D_POS = 8                                # width of the position task's encodings


@dataclass(frozen=True)
class SoftmaxLesson:
    scores: np.ndarray                   # (k,)
    probabilities: np.ndarray            # (k,) softmax(scores)
    temperatures: tuple[float, ...]
    tempered: np.ndarray                 # (len(temperatures), k)
    jacobian: np.ndarray                 # (k, k) at probabilities
    big_scores: np.ndarray               # (k,) scores + OVERFLOW_SHIFT
    naive: np.ndarray                    # (k,) the naive form on big_scores (NaN where lost)
    overflowed: np.ndarray               # (k,) bool: exp(big_score) is inf
    stable: np.ndarray                   # (k,) the stable form on big_scores


@cache
def softmax_lesson() -> SoftmaxLesson:
    z = np.array(SCORES)
    big = z + OVERFLOW_SHIFT
    s = at.softmax(z)
    return SoftmaxLesson(scores=z, probabilities=s, temperatures=TEMPERATURES,
                         tempered=np.array([at.softmax(z, temperature=t) for t in TEMPERATURES]),
                         jacobian=at.softmax_jacobian(s), big_scores=big,
                         naive=at.naive_softmax(big), overflowed=at.exp_overflows(big),
                         stable=at.softmax(big))


@dataclass(frozen=True)
class DotProductLesson:
    tokens: tuple[str, ...]
    X: np.ndarray                        # (n, d) token embeddings
    W_Q: np.ndarray                      # (d, d)
    W_K: np.ndarray
    W_V: np.ndarray
    Q: np.ndarray                        # (n, d)
    K: np.ndarray
    V: np.ndarray
    scores: np.ndarray                   # (n, n) Q K^T / sqrt(d)
    weights: np.ndarray                  # (n, n)
    out: np.ndarray                      # (n, d)
    dims: tuple[int, ...]
    variance: np.ndarray                 # (len(dims),) measured var(q . k)
    scaled_variance: np.ndarray          # (len(dims),) measured var(q . k / sqrt(d))


@cache
def dot_product_lesson(random_state: int = 0, d_model: int = 2) -> DotProductLesson:
    """Four tokens with ``d_model``-wide embeddings and projections drawn from ``random_state``
    (standard normal entries, the projections scaled by 1/sqrt(d)); one self-attention pass."""
    rng = _checks.rng(random_state)
    d = _checks.integer(d_model, "d_model", minimum=1)
    X = rng.standard_normal((len(TOKENS), d))
    W_Q, W_K, W_V = (rng.standard_normal((d, d)) * 1.5 / np.sqrt(d) for _ in range(3))
    Q, K, V = X @ W_Q.T, X @ W_K.T, X @ W_V.T
    out, weights = at.attention(Q, K, V)
    raw, scaled = at.dot_product_variance(VARIANCE_DIMS, n_samples=20000,
                                          random_state=random_state)
    return DotProductLesson(tokens=TOKENS, X=X, W_Q=W_Q, W_K=W_K, W_V=W_V, Q=Q, K=K, V=V,
                            scores=Q @ K.T / np.sqrt(d), weights=weights, out=out,
                            dims=VARIANCE_DIMS, variance=raw, scaled_variance=scaled)


#: how many times its starting weight the answer's position must end with for the narration to
#: say the attention maps sharpened
SHARPENING = 2.0
#: percentage points: the block's variants whose held-out accuracies end this close are "alike"
ALIKE = 5.0


@dataclass(frozen=True)
class TrainingLesson:
    """One attention model trained on a task; its held-out accuracy."""

    train: at.Task
    test: at.Task
    run: Trajectory

    @property
    def final_accuracy(self) -> float:
        return float(self.run.extras["accuracy"][-1])

    @property
    def final_test_accuracy(self) -> float:
        return float(self.run.extras["test_accuracy"][-1])

    def first_epoch_at(self, accuracy: float, *, test: bool = False) -> int:
        """The first recorded epoch whose (training or held-out) accuracy is at least
        ``accuracy``; -1 if none."""
        acc = self.run.extras["test_accuracy" if test else "accuracy"]
        hit = np.flatnonzero(acc >= accuracy)
        return int(self.run.steps[hit[0]]) if len(hit) else -1

    @property
    def attention_on_answer(self) -> tuple[float, float]:
        """The mean weight on the answer's position, at the start and at the end."""
        on = self.run.extras["attention_on_answer"]
        return float(on[0]), float(on[-1])

    @property
    def learned_every_sequence(self) -> bool:
        """Whether the run ends with every training sequence right (the narration then says
        from which epoch; otherwise it states both accuracies)."""
        return self.final_accuracy == 1.0 and self.first_epoch_at(1.0) >= 0

    @property
    def sharpened(self) -> bool:
        """Whether the weight on the answer's position ends more than :data:`SHARPENING` times
        where it started (the narration says "the maps sharpen"; otherwise "hardly")."""
        start, end = self.attention_on_answer
        return end > SHARPENING * start

    @property
    def chance(self) -> float:
        return 1.0 / self.train.n_out

    def pairs(self, i: int) -> tuple[list[tuple[int, int]], int, int]:
        """Training sequence ``i`` of a retrieval task read back from its one-hot rows: its
        ``(key, value)`` pairs, the queried key and the answer."""
        X, n_keys = self.train.X[i], int(self.train.X.shape[2] - self.train.n_out) // 2
        pairs = [(int(np.argmax(r[:n_keys])), int(np.argmax(r[n_keys:n_keys + self.train.n_out])))
                 for r in X[:-1]]
        return pairs, int(np.argmax(X[-1, n_keys + self.train.n_out:])), int(self.train.y[i])


def _train(task_kind: str, *, arch: at.Architecture, random_state: int, learning_rate: float,
           epochs: int, d_model: int, length: int, positions: str = "sinusoidal",
           record_every: int = 10) -> TrainingLesson:
    def make(seed: int, n: int) -> at.Task:
        if task_kind == "retrieval":
            return at.retrieval_task(n, n_pairs=length, random_state=seed)
        return at.position_task(n, length=length, positions=positions, d_pos=D_POS,
                                random_state=seed)

    train, test = make(TRAIN_DATA_SEED, N_TRAIN), make(TEST_DATA_SEED, N_TEST)
    run = at.train(train, arch=arch, d_model=d_model, learning_rate=learning_rate, epochs=epochs,
                   random_state=random_state, test=test, shown=(0, 1, 2),
                   record_every=record_every)
    return TrainingLesson(train=train, test=test, run=run)


@cache
def attention_training_lesson(random_state: int = 0, *, learning_rate: float = 0.5,
                              epochs: int = 400, d_model: int = 8,
                              n_pairs: int = 5) -> TrainingLesson:
    """One attention layer learning key-value retrieval (:func:`attention.retrieval_task`)."""
    return _train("retrieval", arch=at.ATTENTION, random_state=random_state,
                  learning_rate=learning_rate, epochs=epochs, d_model=d_model, length=n_pairs)


@dataclass(frozen=True)
class PositionLesson:
    X: np.ndarray                        # (n, d) a sequence without positions
    permutation: np.ndarray              # (n,)
    out: np.ndarray                      # self-attention of X
    out_permuted: np.ndarray             # self-attention of X[permutation]
    out_with_positions: np.ndarray       # self-attention of X + PE
    out_permuted_with_positions: np.ndarray  # self-attention of X[permutation] + PE
    without: TrainingLesson              # the position task, no positional encodings
    with_positions: TrainingLesson       # the same task, sinusoidal encodings appended
    encoding: np.ndarray                 # (length, d_pos) the encodings the task appends

    @property
    def equivariance_error(self) -> float:
        """max |attn(X[p]) - attn(X)[p]|: round-off only."""
        return float(np.max(np.abs(self.out_permuted - self.out[self.permutation])))

    @property
    def positions_break_equivariance(self) -> float:
        """max |attn(X[p] + PE) - attn(X + PE)[p]|: far from round-off."""
        return float(np.max(np.abs(self.shuffle_difference)))

    @property
    def shuffle_difference(self) -> np.ndarray:
        """attn(X[p] + PE) - attn(X + PE)[p]: what shuffling changes once positions are in."""
        return self.out_permuted_with_positions - self.out_with_positions[self.permutation]

    @property
    def most_common_guess(self) -> float:
        """The held-out accuracy of guessing a sequence's most frequent token (ties: the
        smallest): what a model that sees the tokens as a set can do at best, near enough."""
        tokens = self.without.test.tokens
        counts = np.stack([np.sum(tokens == v, axis=1) for v in range(self.without.test.n_out)],
                          axis=1)
        return float(np.mean(np.argmax(counts, axis=1) == self.without.test.y))


@cache
def position_lesson(random_state: int = 0, *, learning_rate: float = 0.5, epochs: int = 400,
                    d_model: int = 8, length: int = 5) -> PositionLesson:
    rng = _checks.rng(random_state)
    n, d = 4, 4
    X = rng.standard_normal((n, d))
    W = [rng.standard_normal((d, d)) / np.sqrt(d) for _ in range(3)]
    perm = np.array([2, 0, 3, 1])
    pe = at.sinusoidal_encoding(n, d)

    def run(positions: str) -> TrainingLesson:
        return _train("position", positions=positions, arch=at.ATTENTION,
                      random_state=random_state, learning_rate=learning_rate, epochs=epochs,
                      d_model=d_model, length=length)

    return PositionLesson(
        X=X, permutation=perm, out=at.self_attention(X, *W)[0],
        out_permuted=at.self_attention(X[perm], *W)[0],
        out_with_positions=at.self_attention(X + pe, *W)[0],
        out_permuted_with_positions=at.self_attention(X[perm] + pe, *W)[0],
        without=run("none"), with_positions=run("sinusoidal"),
        encoding=at.sinusoidal_encoding(length, D_POS))


ABLATIONS = (at.BLOCK, at.Architecture(embed=True, residual=False, layer_norm=True, mlp=True),
             at.Architecture(embed=True, residual=True, layer_norm=False, mlp=True))


@dataclass(frozen=True)
class BlockLesson:
    runs: tuple[TrainingLesson, ...]     # the block, then each ablation (ABLATIONS' order)
    names: tuple[str, ...]

    def epoch_to(self, accuracy: float, *, test: bool = True) -> tuple[int, ...]:
        return tuple(r.first_epoch_at(accuracy, test=test) for r in self.runs)

    @property
    def final_test_percents(self) -> tuple[float, ...]:
        """Each run's final held-out accuracy, in percent."""
        return tuple(100 * r.final_test_accuracy for r in self.runs)

    @property
    def spread(self) -> float:
        """Best minus worst final held-out accuracy, in percentage points."""
        return max(self.final_test_percents) - min(self.final_test_percents)

    @property
    def alike(self) -> bool:
        """Whether every variant ends within :data:`ALIKE` points of the others (the narration
        then says no part is needed here; otherwise it names the best and the worst)."""
        return self.spread <= ALIKE

    @property
    def best_and_worst(self) -> tuple[int, int]:
        """The indices of the runs with the best and the worst final held-out accuracy (the
        first of equals)."""
        p = self.final_test_percents
        return p.index(max(p)), p.index(min(p))


@cache
def transformer_block_lesson(random_state: int = 0, *, learning_rate: float = 0.3,
                             epochs: int = 400, d_model: int = 8,
                             n_pairs: int = 5) -> BlockLesson:
    runs = tuple(_train("retrieval", arch=arch, random_state=random_state,
                        learning_rate=learning_rate, epochs=epochs, d_model=d_model,
                        length=n_pairs) for arch in ABLATIONS)
    return BlockLesson(runs=runs, names=tuple(a.name for a in ABLATIONS))
