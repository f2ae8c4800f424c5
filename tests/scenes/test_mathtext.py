"""Narration written once with inline math: what a reader sees, what the voice says, what the
notes typeset (mlv.scenes.mathtext), for made-up beats and for every beat of the course."""
from __future__ import annotations

import re
import subprocess
import unicodedata

import pytest

from mlv.scenes import catalog, mathtext
from mlv.scenes.narration import Beat, sentences_of

CASES = [
    # source, written, spoken
    (r"the prediction $\hat y = wx + b$.", "the prediction ŷ = wx + b.",
     "the prediction y hat equals w x plus b."),
    (r"with $\eta = 0.15$, the ball", "with η = 0.15, the ball",
     "with eta equal to 0.15, the ball"),
    (r"where $\eta = 0.15$", "where η = 0.15", "where eta equals 0.15"),
    (r"at $\theta = -1$.", "at θ = −1.", "at theta equal to minus 1."),
    (r"$\frac{\partial L}{\partial w} = -\frac{2}{n} \sum_i x_i (y_i - \hat y_i)$",
     "∂L/∂w = −2/n Σᵢ xᵢ(yᵢ − ŷᵢ)",
     "partial L by partial w equals minus 2 over n times the sum over i of x i times y i minus "
     "y hat i"),
    (r"$s_i(\delta_{ij} - s_j)$", "sᵢ(δᵢⱼ − sⱼ)", "s i times delta i j minus s j"),
    (r"$\sigma' = \sigma(1 - \sigma)$, $\sigma(z_i)$", "σ′ = σ(1 − σ), σ(zᵢ)",
     "sigma prime equals sigma times 1 minus sigma, sigma of z i"),
    (r"$X^\top X / (n - 1)$", "XᵀX/(n − 1)", "X transpose X over the quantity n minus 1"),
    (r"$y - (wx + b)$, $-(a + b)$", "y − (wx + b), −(a + b)",
     "y minus the quantity w x plus b, minus a plus b"),
    (r"$4.4 \times 10^{-16}$", "4.4 × 10⁻¹⁶", "4.4 times 10 to the minus 16"),
    (r"$x^2$, $x^3$, $W^{-1}$", "x², x³, W⁻¹", "x squared, x cubed, W inverse"),
    (r"$2.5^2$, $10^3$, $10^{-1}$", "2.5², 10³, 10⁻¹",
     "2.5 squared, 10 to the 3, 10 to the minus 1"),
    (r"$\sqrt{d}$ or $\sqrt{d + 1}$", "√d or √(d + 1)", "root d or the square root of d plus 1"),
    (r"$\operatorname{softmax}(z)$", "softmax(z)", "softmax of z"),
    (r"$\bar x$ and $\mu_1$ and $\hat x_{k1}$", "x̄ and μ₁ and x̂ₖ₁",
     "x bar and mu 1 and x hat k 1"),
    (r"$\max(0, -yf)$", "max(0, −yf)", "max of 0, minus y f"),
    (r"$w \cdot x + b$", "w · x + b", "w dot x plus b"),
    (r"$\log p$", "log p", "log p"),
    (r"at $\theta^* = 2$", "at θ* = 2", "at theta star equal to 2"),
    (r"no math at all", "no math at all", "no math at all"),
]


@pytest.mark.parametrize("source,written,spoken", CASES)
def test_written_and_spoken_forms(source, written, spoken):
    assert mathtext.written(source) == written
    assert mathtext.spoken(source) == spoken


@pytest.mark.parametrize("bad,what", [
    (r"an $unbalanced dollar", "unbalanced $"),
    (r"$\foo x$", r"'\\foo' is not in mlv's inline math"),
    (r"$x_{q}$", "no Unicode subscript for 'q'"),
    (r"$\frac{1}$", "needs an argument"),
    (r"${x$", "unbalanced braces"),
    (r"$\hat{xy}$", "of more than one letter"),
])
def test_bad_math_is_a_clear_error_when_the_beat_is_made(bad, what):
    with pytest.raises(ValueError, match=re.escape(what)) as got:
        Beat("k", bad)
    assert "beat 'k'" in str(got.value)


def test_latex_keeps_the_math_and_escapes_the_prose():
    out = mathtext.latex(r"100% of $\hat y_i$ & more", lambda s: s.replace("%", r"\%")
                         .replace("&", r"\&"))
    assert out == r"100\% of $\hat y_i$ \& more"


# ------------------------------------------------------------------------ every beat of the course

def _course_beats() -> list[tuple[str, Beat]]:
    out = []
    for n in catalog.chapters_with_scenes():
        for e in catalog.chapter(n):
            out.extend((e.id, b) for b in catalog.script(e).narration)
    return out


BEATS = _course_beats()

#: what a reader should see as a symbol, not as words
SPELLED_OUT = re.compile("|".join([
    r"\b(alpha|beta|gamma|delta|epsilon|eta|theta|lambda|mu|sigma|tau|phi|omega)\b",
    r"\b[a-zA-Z] (hat|bar|prime)\b", r"\bprime\b", r"\b[a-zA-Z] squared\b",
    r"\b(equals?|equal to) (minus )?\d", r"\bequal to\b", r"\bto the minus\b",
    r"\btimes ten to\b", r"\b(over|by) root\b", r"\broot d\b", r"\btranspose[ds]?\b",
    r"\b[a-zA-Z] (one|two|i|j|k)\b", r"\b(mu|sigma) (one|two)\b",
    r"\b(one|two) (minus|over|plus)\b", r"\b(minus|plus) (one|two)\b", r"\bx bar\b",
    r"\bdot (x|k)\b",
]), re.I)

#: what a voice cannot say: LaTeX, math symbols, Greek letters, sub- and superscripts
RAW = re.compile(r"[$\\_^{}]|[=+<>×·−±≤≥≈≠√∂∇∑Σ′]|[\u0370-\u03ff]|[\u2070-\u209f\u1d2c-\u1dbf]"
                 r"|[²³¹ᵀ]")


def test_the_course_has_beats_with_inline_math():
    with_math = [b for _, b in BEATS if "$" in b.text]
    assert len(BEATS) > 250 and len(with_math) > 60


@pytest.mark.parametrize("scene,beat", BEATS, ids=[f"{s}:{b.key}" for s, b in BEATS])
def test_every_beat_reads_as_math_and_speaks_as_words(scene, beat):
    written, spoken = beat.written, beat.spoken
    spelled = SPELLED_OUT.search(written)
    assert spelled is None, f"written text spells out {spelled[0]!r}: {written}"
    raw = RAW.search(unicodedata.normalize("NFD", spoken))
    assert raw is None, f"spoken text holds {raw[0]!r}: {spoken}"
    # subtitles are timed by the voice's sentences: the two texts have the same sentences
    assert len(sentences_of(written)) == len(sentences_of(spoken)), (written, spoken)


def test_every_beats_math_typesets(tmp_path):
    """All inline math of the course in one document, compiled as the notes are."""
    from mlv.scripts.notes.latex import latex_text

    body = "\n\n".join(mathtext.latex(b.text, latex_text) for _, b in BEATS if "$" in b.text)
    tex = ("\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage[utf8]{inputenc}\n"
           "\\usepackage{amsmath,amssymb}\n\\begin{document}\n" + body + "\n\\end{document}\n")
    (tmp_path / "m.tex").write_text(tex, encoding="utf-8")
    done = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "m.tex"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-2000:]
