"""The notebooks' helpers: the numbers table read back exactly, the exercise checks, the
derivations as Markdown, sliders only where ipywidgets is, and the course's colours."""
from __future__ import annotations

import builtins
import math
import re

import pytest

from mlv.scripts import notebook_plots as plots
from mlv.scripts import notebook_tools as tools


# ------------------------------------------------------------------------------------ numbers
def test_numbers_read_back_exactly():
    import numpy as np

    numbers = {"a float": 0.1 + 0.2, "tiny": 2.2909479486778228e-07, "an int": 12,
               "numpy float": np.float64(1.5) / 3, "numpy int": np.int64(7),
               "text": "not reached", "label with = and : in it": -3.25, "nan-free": 1e300}
    printed = tools.format_numbers(numbers)
    back = tools.read_numbers("noise before\n" + printed + "\nnoise after\n")
    assert list(back) == list(numbers)
    for label, value in numbers.items():
        assert back[label] == value and type(back[label]) is type(tools.plain(value)), label


def test_numbers_without_a_heading_or_with_a_bad_label_are_refused():
    with pytest.raises(ValueError, match="heading"):
        tools.read_numbers("label │ 1.0\n")
    with pytest.raises(ValueError, match="label"):
        tools.format_numbers({"a │ b": 1.0})
    with pytest.raises(TypeError, match="number or a short text"):
        tools.format_numbers({"an array": [1, 2]})


def test_an_empty_table_says_so_and_reads_back_empty():
    text = tools.format_numbers({})
    assert "none" in text
    assert tools.read_numbers(text) == {}


# ---------------------------------------------------------------------------------- exercises
def choice_exercise(calls: list) -> tools.Exercise:
    def solve():
        calls.append(1)
        return "diverges"

    return tools.Exercise(1, "what happens?", solve=solve,
                          choices=("converges", "oscillates", "diverges"),
                          explain=lambda s: f"it {s}.", hint="look at the factor.")


def test_an_unanswered_exercise_passes_and_says_so(capsys):
    calls: list = []
    ex = choice_exercise(calls)
    ex.check(...)
    out = capsys.readouterr().out
    assert "Exercise 1 is not answered yet" in out and "answer_1" in out
    assert calls == []                     # the solution is not even computed


def test_a_right_answer_passes_with_the_explanation(capsys):
    calls: list = []
    ex = choice_exercise(calls)
    ex.check(" Diverges ")                 # case and spaces do not matter
    assert capsys.readouterr().out.strip() == "Exercise 1: right. it diverges."
    ex.check("diverges")
    assert calls == [1]                    # computed once


@pytest.mark.parametrize("answer, message", [
    ("converges", r"^Exercise 1: 'converges' is not right\. Hint: look at the factor\. "
                  r"Change answer_1 and run both cells again\.$"),
    ("explodes", r"^Exercise 1: 'explodes' is not one of the choices 'converges', "
                 r"'oscillates', 'diverges'\.$"),
    (1.1, r"^Exercise 1: answer_1 should be one of the words .* not float 1\.1\.$"),
])
def test_a_wrong_answer_fails_with_a_clear_message(answer, message):
    with pytest.raises(AssertionError, match=message):
        choice_exercise([]).check(answer)


def test_a_number_is_right_within_its_tolerance_only(capsys):
    ex = tools.Exercise(2, "one-step rate", solve=lambda: 0.5, tolerance=1e-3)
    ex.check(0.5004)
    assert "Exercise 2: right." in capsys.readouterr().out
    for wrong in (0.502, 0.4989):
        with pytest.raises(AssertionError, match=r"^Exercise 2: .* is not right\."):
            ex.check(wrong)
    for bad, why in (("0.5", "should be a number, not str"), (True, "not bool"),
                     (math.nan, "finite number")):
        with pytest.raises(AssertionError, match=why):
            ex.check(bad)
    relative = tools.Exercise(3, "big", solve=lambda: 1e6, rel_tolerance=0.05)
    relative.check(1.04e6)
    with pytest.raises(AssertionError):
        relative.check(1.06e6)


def test_a_solution_outside_its_choices_is_a_bug_not_a_pass():
    ex = tools.Exercise(1, "q", solve=lambda: "maybe", choices=("yes", "no"))
    with pytest.raises(ValueError, match="not one of its choices"):
        ex.check("yes")


# -------------------------------------------------------------------------------- derivations
def test_a_derivation_as_markdown_has_every_step_and_reason_in_display_maths():
    from mlv.derivations import module_derivations

    d = module_derivations("mse")[0]
    md = tools.derivation_markdown(d)
    assert md.startswith(f"#### {d.title}  (`{d.id}`)")
    maths = re.findall(r"^\$\$(.+)\$\$$", md, re.MULTILINE)
    assert maths[0] == f"{d.lhs} = {d.steps[0].latex}"
    assert maths[1:] == [f"= {s.latex}" for s in d.steps[1:]]
    for step in d.steps:                    # reasons escaped for Markdown, none lost
        assert tools._text(step.reason) in md


def test_markdown_special_characters_in_reasons_are_escaped():
    assert tools._text("a_i * b [c] $x$ <b>") == r"a\_i \* b \[c\] \$x\$ \<b\>"


def test_a_derivation_with_abbreviations_lists_them():
    from mlv.derivations import module_derivations

    d = next(d for d in module_derivations("logistic_regression") if d.where)
    md = tools.derivation_markdown(d)
    assert r"where $\sigma{\left(z \right)} = \frac{1}{1 + e^{- z}}$" in md


def test_prove_prints_each_step_and_fails_on_a_broken_one(capsys):
    import sympy as sp

    from mlv.derivations import module_derivations

    good = module_derivations("gradient_descent")[0]
    tools.prove([good])
    out = capsys.readouterr().out
    assert f"{good.id}: {len(good.steps)} steps" in out and "every step of 1" in out
    broken = good.replace_step(2, good.steps[2].expr + sp.Integer(1))
    with pytest.raises(AssertionError, match=rf"^{good.id} step 2 .* is not proven"):
        tools.prove([broken])
    assert "FAIL step 2" in capsys.readouterr().out


# ---------------------------------------------------------------------------- params, sliders
def test_show_params_prints_what_mlv_params_says(capsys):
    from mlv.scenes import params

    tools.show_params("gradient-descent-intuition")
    out = capsys.readouterr().out
    for p in params.spec("gradient-descent-intuition"):
        assert p.describe() in out
    tools.show_params("optimizers")
    assert "takes no parameters" in capsys.readouterr().out


def test_sliders_cover_every_parameter_with_its_range_and_run_only_on_demand():
    pytest.importorskip("ipywidgets")
    from mlv.scenes import params

    calls = []
    w = tools.sliders(lambda **kw: calls.append(kw), "neural-network-training")
    controls = {c.description: c for c in w.children if hasattr(c, "description")}
    for p in params.spec("neural-network-training"):
        c = controls[p.name]
        assert c.value == p.default
        if p.kind == "float":
            assert (c.min, c.max) == (p.low, p.high)
        if p.kind == "choice":
            assert tuple(c.options) == p.choices
    assert calls == []                      # manual: nothing runs until "run" is pressed
    w.update()
    assert calls == [params.defaults("neural-network-training")]


def test_without_ipywidgets_there_are_no_sliders_and_no_error(monkeypatch, capsys):
    real = builtins.__import__

    def no_widgets(name, *args, **kwargs):
        if name == "ipywidgets" or name.startswith("ipywidgets."):
            raise ImportError("no ipywidgets here")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_widgets)
    assert tools.sliders(lambda **kw: None, "gradient-descent-intuition") is None
    assert "ipywidgets is not installed" in capsys.readouterr().out


# ------------------------------------------------------------------------------------ colours
def test_the_plots_use_the_courses_notation_colours():
    from manim import ManimColor

    from mlv.scenes import style

    n = style.NOTATION
    for name, hex_value in plots.COLOURS.items():
        assert ManimColor(hex_value) == getattr(n, name), name
    assert tuple(ManimColor(c) for c in plots.CLUSTERS) == tuple(n.clusters)
    scalar_fields = {k for k, v in vars(n).items() if isinstance(v, ManimColor)}
    assert scalar_fields == set(plots.COLOURS)           # none missing, none invented
    for name in ("BACKGROUND", "FOREGROUND", "MUTED", "PANEL"):
        assert ManimColor(getattr(plots, name)) == getattr(style, name), name


def test_an_unknown_symbol_has_no_colour():
    with pytest.raises(KeyError, match="known: data"):
        plots.colour("nope")
    assert plots.cluster(7) == plots.CLUSTERS[1]


def test_abbreviations_shared_with_the_derivation_before_are_not_repeated():
    from mlv.derivations import module_derivations

    first, second = module_derivations("backprop")[:2]
    assert first.where == second.where and first.where
    assert "where $" in tools.derivation_markdown(second)
    md = tools.derivation_markdown(second, same_where_as=first)
    assert "where the abbreviations are as above" in md and "where $" not in md
