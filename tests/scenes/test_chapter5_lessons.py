"""Chapter 5's lessons: every number the narration states is the lesson data's, recomputed here
independently where that is cheap (NumPy by hand, a naive loop), and every claim the narration
makes about the data is true of it; what the scenes draw is that same data."""
import re

import numpy as np
import pytest

from mlv.scenes import catalog


def _said(beat_text: str) -> list[str]:
    """The numbers in a beat as written (``0.66``, ``-1.05``, ``514``)."""
    return re.findall(r"-?\d+(?:\.\d+)?", beat_text)


def _minus(number: str) -> str:
    """A number as a reader sees it in the narration's math: ``-1.05`` as "−1.05"."""
    return number.replace("-", "\u2212")


def _on_screen(scene, mob) -> bool:
    return any(mob in m.get_family() for m in scene.mobjects)


# --- softmax ---------------------------------------------------------------------------------

def test_softmax_narration_states_the_lessons_numbers():
    s = catalog.script("softmax")
    L, say = s.lesson, s.narration
    z = np.array([2.0, 1.0, 0.1])
    assert np.array_equal(L.scores, z)
    p = np.exp(z) / np.exp(z).sum()                          # by hand, not the code's softmax
    np.testing.assert_allclose(L.probabilities, p, rtol=1e-14)
    assert _said(say["scores"].text) == ["2.0", "1.0", "0.1"]
    assert _said(say["softmax"].text) == [f"{v:.2f}" for v in p]
    assert "add up to one" in say["softmax"].text and p.sum() == pytest.approx(1.0)
    # temperature: the top score's share at the lowest and highest temperature
    for T, row in zip(L.temperatures, L.tempered):
        q = np.exp(z / T) / np.exp(z / T).sum()
        np.testing.assert_allclose(row, q, rtol=1e-13)
    lo, hi = L.temperatures[0], L.temperatures[-1]
    assert lo < 1 < hi
    assert (f"at T = {lo:g} the top score gets {L.tempered[0, 0]:.2f}, at T = {hi:g} only "
            f"{L.tempered[-1, 0]:.2f}") in say["temperature"].written
    assert (f"at T equal to {lo:g} the top score gets {L.tempered[0, 0]:.2f}, at T equal to "
            f"{hi:g} only {L.tempered[-1, 0]:.2f}") in say["temperature"].spoken
    # the Jacobian s_i (delta_ij - s_j) against central differences of the formula by hand
    h = 1e-6
    fd = np.empty((3, 3))
    for j in range(3):
        e = np.eye(3)[j] * h
        fd[:, j] = (np.exp(z + e) / np.exp(z + e).sum()
                    - np.exp(z - e) / np.exp(z - e).sum()) / (2 * h)
    np.testing.assert_allclose(L.jacobian, fd, atol=1e-9)
    assert f"first diagonal entry is {fd[0, 0]:.2f}" in say["numbers"].written
    assert f"off it is \u2212{abs(fd[0, 1]):.2f}" in say["numbers"].written and fd[0, 1] < 0
    assert f"off it is minus {abs(fd[0, 1]):.2f}" in say["numbers"].spoken
    np.testing.assert_allclose(L.jacobian.sum(axis=0), 0.0, atol=1e-15)   # "each column"
    # the overflow: e^1000 is inf in float64, the naive form is NaN three times, the stable one
    # is the softmax of the unshifted scores (softmax is shift-invariant)
    shift = L.big_scores[0] - z[0]
    power = f"{L.big_scores[0]:g}".translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
    assert f"add {shift:g} to each score. e{power} overflows" in say["overflow"].written
    assert f"add {shift:g} to each score. e to the {L.big_scores[0]:g}" in say["overflow"].spoken
    with np.errstate(over="ignore", invalid="ignore"):
        naive = np.exp(L.big_scores) / np.exp(L.big_scores).sum()
        assert np.isinf(np.exp(L.big_scores)).all()
    assert np.all(np.isnan(naive)) and np.all(np.isnan(L.naive)) and L.overflowed.sum() == 3
    assert "three times" in say["overflow"].text
    np.testing.assert_allclose(L.stable, p, rtol=1e-12)
    assert _said(say["stable"].text)[-3:] == [f"{v:.2f}" for v in p]
    assert s.numbers["scores that overflow"] == 3


def test_softmax_scene_draws_the_lessons_bars(last_frame):
    from mlv.scenes.chapter5 import softmax as mod

    scene, _ = last_frame(mod.Softmax)
    # the scene ends on the stable form's bars: the softmax of the shifted scores
    np.testing.assert_array_equal(scene.shown.values, scene.lesson.stable)
    assert _on_screen(scene, scene.shown)


# --- dot-product attention -------------------------------------------------------------------

def _naive_attention(Q, K, V):
    n, d = Q.shape
    scores = np.array([[sum(Q[i, c] * K[j, c] for c in range(d)) / np.sqrt(d)
                        for j in range(n)] for i in range(n)])
    w = np.array([[np.exp(r[j] - max(r)) / sum(np.exp(x - max(r)) for x in r)
                   for j in range(n)] for r in scores])
    out = np.array([[sum(w[i, j] * V[j, c] for j in range(n)) for c in range(V.shape[1])]
                    for i in range(n)])
    return scores, w, out


def test_dot_product_narration_states_one_attention_pass():
    s = catalog.script("dot-product-attention")
    L, say = s.lesson, s.narration
    scores, w, out = _naive_attention(L.Q, L.K, L.V)
    np.testing.assert_allclose(L.scores, scores, rtol=1e-12)
    np.testing.assert_allclose(L.weights, w, rtol=1e-12)
    np.testing.assert_allclose(L.out, out, rtol=1e-12)
    np.testing.assert_allclose(w.sum(axis=1), 1.0)
    T = L.tokens
    assert ", ".join(T[:-1]) + " and " + T[-1] in say["tokens"].text
    i, j = np.unravel_index(np.argmax(scores), scores.shape)
    assert (f"The largest score, {scores[i, j]:.2f}, is the query of “{T[i]}” against the key "
            f"of “{T[j]}”") in say["scores"].text
    last = len(T) - 1
    assert f"“{T[last]}” puts {w[last].max():.2f} on “{T[int(np.argmax(w[last]))]}”" \
        in say["weights"].text
    assert f"spreads its weights from {w[0].min():.2f} to {w[0].max():.2f}" in say["weights"].text
    o, v = out[last], L.V[last]
    assert _minus(f"gets ({o[0]:.2f}, {o[1]:.2f}), close to the value of “{T[last]}”, "
                  f"({v[0]:.2f}, {v[1]:.2f})") in say["output"].written
    assert np.linalg.norm(o - v) < 0.1 * np.linalg.norm(v)             # "close to"
    # the variance of q . k grows like d; divided by sqrt(d) it stays near one
    assert np.all(np.abs(L.variance / np.array(L.dims) - 1) < 0.1)
    assert f"a variance of {L.variance[0]:.1f} at d = {L.dims[0]}" in say["variance"].written
    assert f"{L.variance[-1]:.0f} at d = {L.dims[-1]}" in say["variance"].written
    assert f"{L.variance[-1]:.0f} at d equal to {L.dims[-1]}" in say["variance"].spoken
    lo, hi = L.scaled_variance.min(), L.scaled_variance.max()
    assert f"from {lo:.2f} to {hi:.2f}" in say["scaled"].text and 0.9 < lo <= hi < 1.1


# --- attention learns ------------------------------------------------------------------------

def test_attention_training_narration_states_the_run():
    s = catalog.script("attention-training")
    L, say = s.lesson, s.narration
    run = L.run
    n_pairs = L.train.X.shape[1] - 1
    assert f"holds {n_pairs} key and value pairs" in say["task"].text
    # the example: its pairs, query and answer read back from the one-hot rows
    pairs, query, answer = L.pairs(0)
    assert dict(pairs)[query] == answer
    assert f"asks for key {query}, and the pair with key {query} holds value {answer}" \
        in say["example"].text
    # at the start: the average weight on the answer's pair, and accuracy near chance
    # the shown sequences' maps are rows of the recorded attention on the answer
    A0 = run.extras["attention"][0]
    shown = [float(A0[i, L.train.answer_at[i]]) for i in range(len(A0))]
    assert all(0 < w < 1 for w in shown)
    assert f"{L.attention_on_answer[0]:.2f} on the right pair" in say["start"].text
    assert abs(L.attention_on_answer[0] - 1 / (n_pairs + 1)) < 0.05   # "near one in 6"
    assert f"near one in {n_pairs + 1}" in say["start"].text
    acc0 = float(run.extras["accuracy"][0])
    assert f"It gets {100 * acc0:.0f} percent right" in say["start"].text
    # training: the numbers stated are the run's
    assert f"{int(run.steps[-1])} epochs" in say["training"].text
    assert f"on {len(L.train)} sequences" in say["training"].text
    start, end = L.attention_on_answer
    assert end > 2 * start and f"puts {end:.2f} of its attention" in say["sharpen"].text
    # "every training sequence is right from epoch e", checked on the trajectory
    acc = np.asarray(run.extras["accuracy"])
    e = L.first_epoch_at(1.0)
    k = int(np.argmax(acc == 1.0))
    assert run.steps[k] == e and np.all(acc[k:] == 1.0)
    assert f"right from epoch {e}" in say["result"].text
    assert L.final_test_accuracy == 1.0 and "100 percent" in say["result"].text
    assert s.numbers["held-out accuracy"] == float(run.extras["test_accuracy"][-1])


def test_attention_training_scene_ends_on_the_runs_final_state(last_frame):
    from mlv.scenes.chapter5 import attention_training as mod

    scene, _ = last_frame(mod.AttentionTraining)
    run = scene.lesson.run
    assert scene.readout.displayed() == {
        "epoch": float(run.steps[-1]), "loss": float(run.loss[-1]),
        "accuracy": float(run.extras["accuracy"][-1]),
        "test": float(run.extras["test_accuracy"][-1])}


# --- position --------------------------------------------------------------------------------

def test_position_narration_states_the_shuffle_and_both_runs():
    s = catalog.script("positional-encoding")
    L, say = s.lesson, s.narration
    p = L.permutation
    assert "order " + ", ".join(str(int(k) + 1) for k in p[:-1]) + f", {int(p[-1]) + 1}" \
        in say["shuffle"].text
    # permutation equivariance, measured: the largest |attn(X[p]) - attn(X)[p]| is round-off
    err = np.max(np.abs(L.out_permuted - L.out[p]))
    assert err == L.equivariance_error and err < 1e-12
    mant, exp = f"{err:.1e}".split("e")
    power = str(abs(int(exp))).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
    assert f"{mant} × 10⁻{power}, round-off" in say["same"].written
    assert f"{mant} times 10 to the minus {abs(int(exp))}" in say["same"].spoken
    # with positions the symmetry is gone, by far more than round-off
    assert L.positions_break_equivariance > 0.1
    assert f"by up to {L.positions_break_equivariance:.2f}" in say["breaks"].text
    # without positions: about the best guess that ignores position
    without = L.without.final_test_accuracy
    assert f"gets {100 * without:.0f} percent" in say["without"].text
    counts = np.array([np.bincount(np.argmax(x[:-1, :L.without.train.n_out], axis=1),
                                   minlength=L.without.train.n_out) for x in L.without.test.X])
    guess = float(np.mean(np.argmax(counts, axis=1) == L.without.test.y))
    assert guess == pytest.approx(L.most_common_guess)
    assert f"gives, {100 * guess:.0f} percent" in say["without"].text
    assert abs(without - guess) < 0.1                                      # "about what"
    assert L.with_positions.final_test_accuracy == 1.0 and "100 percent" in say["with"].text


# --- the block -------------------------------------------------------------------------------

def test_block_narration_states_the_three_runs():
    s = catalog.script("transformer-block")
    B, say = s.lesson, s.narration
    finals = [r.final_test_accuracy for r in B.runs]
    said = [f"{100 * f:.0f}" for f in finals]
    assert f"{said[0]}, {said[1]} and {said[2]} percent" in say["final"].text
    for r, e in zip(B.runs, B.epoch_to(0.9)):
        acc = np.asarray(r.run.extras["test_accuracy"])
        k = int(np.argmax(acc >= 0.9))
        assert acc[k] >= 0.9 and r.run.steps[k] == e and np.all(acc[:k] < 0.9)
        assert f"epoch {e}" in say["numbers"].text
    # "every variant learns it": the finals lie within a few points of each other
    assert max(finals) - min(finals) < 0.05 and "every variant learns it" in say["verdict"].text
