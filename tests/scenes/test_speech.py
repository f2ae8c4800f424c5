"""Numbers as the narration writes them (:mod:`mlv.scenes.speech`), shown and said
(:mod:`mlv.scenes.mathtext`), against written-out cases and Python's own scientific formatting."""
import math

import numpy as np
import pytest

from mlv.scenes import mathtext, speech


def shown(text: str) -> str:
    return mathtext.written(text)


def said(text: str) -> str:
    return mathtext.spoken(text)


@pytest.mark.parametrize("value, words, sign", [
    (-6.0, "minus 6", "−6"), (-6, "minus 6", "−6"), (-1.1, "minus 1.1", "−1.1"),
    (-0.25, "minus 0.25", "−0.25"), (2.0, "2", "2"), (0.4, "0.4", "0.4"), (0.15, "0.15", "0.15"),
    (0.0, "0", "0"), (-0.0, "0", "0"), (12, "12", "12"),
])
def test_signed_shows_a_minus_sign_and_says_minus(value, words, sign):
    assert said(speech.signed(value)) == words
    assert shown(speech.signed(value)) == sign


def test_signed_reads_back_as_the_number():
    for v in np.linspace(-5, 5, 101):
        words, sign = said(speech.signed(float(v))), shown(speech.signed(float(v)))
        assert "-" not in words and "-" not in sign
        assert words.startswith("minus ") == (v < 0) == sign.startswith("−")
        # what is said and shown reads back as the number (":g" keeps six significant digits)
        back = -float(words.removeprefix("minus ")) if v < 0 else float(words)
        assert back == pytest.approx(v, abs=1e-6)
        assert float(sign.replace("−", "-")) == back


def reference_mantissa_exponent(x: float) -> tuple[float, int]:
    """Python's "%.1e" formatting: one decimal of mantissa, and the exponent that goes with it
    (a mantissa rounded up to 10 moves to the next power of ten)."""
    m, e = f"{x:.1e}".split("e")
    return float(m), int(e)


@pytest.mark.parametrize("x", [1.0, 9.94, 9.96, 10.0, 0.1, 2.6e-8, 3.04e5, 7.26e-13, 123.0])
def test_mantissa_exponent_is_pythons_scientific_notation(x):
    assert speech.mantissa_exponent(x) == reference_mantissa_exponent(x)


def test_mantissa_exponent_over_many_magnitudes():
    rng = np.random.default_rng(0)
    for x in 10.0 ** rng.uniform(-15, 15, 500):
        m, e = speech.mantissa_exponent(float(x))
        assert 1.0 <= m < 10.0 and m == round(m, 1)
        assert abs(m * 10.0 ** e - x) <= 0.05 * 10.0 ** e * (1 + 1e-9)
        assert (m, e) == reference_mantissa_exponent(float(x))


def test_a_mantissa_that_rounds_to_ten_moves_to_the_next_power():
    m, e = speech.mantissa_exponent(0.0999)
    assert (m, e) == (1.0, -1)
    assert said(speech.scientific(0.0999)) == "1 times 10 to the minus 1"
    assert shown(speech.scientific(0.0999)) == "1 × 10⁻¹"


@pytest.mark.parametrize("x, words, sign", [
    (2.6e-8, "2.6 times 10 to the minus 8", "2.6 × 10⁻⁸"),
    (3.0e5, "3 times 10 to the 5", "3 × 10⁵"), (1.0, "1 times 10 to the 0", "1 × 10⁰"),
    (4.44e-16, "4.4 times 10 to the minus 16", "4.4 × 10⁻¹⁶"),
])
def test_scientific_reads_mantissa_and_exponent(x, words, sign):
    assert said(speech.scientific(x)) == words
    assert shown(speech.scientific(x)) == sign


def test_scientific_says_the_number_it_was_given():
    for x in (1.7e-3, 5.5e12, 9.2e-30):
        words = said(speech.scientific(x)).split()
        m = float(words[0])
        e = -int(words[-1]) if words[-2] == "minus" else int(words[-1])
        assert m * 10.0 ** e == pytest.approx(x, rel=0.05)
        assert math.floor(math.log10(x)) == e


@pytest.mark.parametrize("err, said", [
    (0.0, "within one millionth"), (3e-9, "within one millionth"),
    (9.99e-7, "within one millionth"), (0.0012345, "within 0.0012"), (0.05, "within 0.05"),
    (0.126, "within 0.13"),
])
def test_closeness(err, said):
    assert speech.closeness(err) == said


@pytest.mark.parametrize("x", [2.63e-8, 9.96e-6, 1.04e-7, 0.0999, 3.04e5, 1.0, 7.26e-13])
def test_scientific_tex_shows_what_scientific_says(x):
    m, e = reference_mantissa_exponent(x)
    assert speech.scientific_tex(x) == f"{m:g}" + r"\times 10^{" + str(e) + "}"
    # the board and the narration give the same mantissa and exponent
    words = said(speech.scientific(x)).split()
    said_e = -int(words[-1]) if words[-2] == "minus" else int(words[-1])
    assert speech.scientific_tex(x) == words[0] + r"\times 10^{" + str(said_e) + "}"


@pytest.mark.parametrize("x, words, board", [
    (61.2, "61", "61"), (1.0, "1", "1"), (9.4, "9", "9"),          # whole percents from 1 up
    (0.884, "0.88", "0.88"), (0.01, "0.01", "0.01"),               # two decimals below 1
    (2.8e-5, "2.8 times 10 to the minus 5", r"2.8\times 10^{-5}"),  # then powers of ten
    (0.00999, "1 times 10 to the minus 2", r"1\times 10^{-2}"),
])
def test_percent_as_said_and_as_shown(x, words, board):
    assert said(speech.percent(x)) == words
    assert speech.percent_tex(x) == board


def test_percent_reads_back_as_the_number():
    for x in 10.0 ** np.random.default_rng(1).uniform(-9, 2.5, 300):
        words = said(speech.percent(float(x)))
        if "times" in words:
            words = words.split()
            back = float(words[0]) * 10.0 ** -int(words[-1])      # always below 1: a minus
            assert x < 0.01 and back == pytest.approx(x, rel=0.05)
        else:
            assert float(words) == pytest.approx(x, abs=0.5 if x >= 1 else 0.005)


@pytest.mark.parametrize("x, places, words, sign", [
    (0.11791957, 3, "0.118", "0.118"), (2.9000000000000004, 1, "2.9", "2.9"),
    (0.4308, 2, "0.43", "0.43"), (50.0, 0, "50", "50"), (93.3333, 1, "93.3", "93.3"),
    (-0.5, 1, "minus 0.5", "−0.5"), (-0.0001, 2, "0.00", "0.00"), (0.0, 3, "0.000", "0.000"),
])
def test_decimals_as_said_and_shown(x, places, words, sign):
    assert said(speech.decimals(x, places)) == words
    assert shown(speech.decimals(x, places)) == sign


def test_decimals_read_back_as_the_number():
    rng = np.random.default_rng(3)
    for x, places in zip(rng.uniform(-50, 50, 300), rng.integers(0, 5, 300)):
        words = said(speech.decimals(float(x), int(places)))
        assert "-" not in words
        back = -float(words[len("minus "):]) if words.startswith("minus ") else float(words)
        assert back == pytest.approx(x, abs=0.5 * 10.0 ** -places + 1e-12)
        assert len(words.partition(".")[2]) == places


@pytest.mark.parametrize("e", [-13, -5, -1, 0, 1, 3])
def test_power_of_ten_reads_back(e):
    assert shown(speech.power_of_ten(e)) == "10" + "".join(
        "⁰¹²³⁴⁵⁶⁷⁸⁹"[int(c)] if c.isdigit() else "⁻" for c in str(e))
    words = said(speech.power_of_ten(e)).split()
    assert words[:3] == ["10", "to", "the"]
    back = -int(words[-1]) if words[-2] == "minus" else int(words[-1])
    assert back == e and math.isclose(10.0 ** back, float(f"1e{e}"))
