"""Every step's LaTeX compiles through manim's MathTex, as the derivation panel shows it:
``MathTex(lhs, "=", *groups)`` (whose TeX is the joined groups)."""
import pytest

from mlv.derivations import all_derivations

manim = pytest.importorskip("manim")     # installed in this project: never skipped here
pytestmark = pytest.mark.render                # typesets with manim (latex, dvisvgm)


@pytest.fixture(scope="module")
def tex_config(tmp_path_factory):
    media = tmp_path_factory.mktemp("tex")
    with manim.tempconfig({"media_dir": str(media), "verbosity": "ERROR"}):
        yield


@pytest.mark.parametrize("derivation", all_derivations(), ids=lambda d: d.id)
def test_every_step_compiles_in_mathtex(derivation, tex_config):
    for k, step in enumerate(derivation.steps):
        groups = step.groups
        eq = manim.MathTex(derivation.lhs, "=", *groups)
        assert len(eq.submobjects) == len(groups) + 2, (derivation.id, k)
        assert eq.width > 0
        assert eq.tex_string.replace(" ", "") == " ".join(
            [derivation.lhs, "=", *groups]).replace(" ", "")
