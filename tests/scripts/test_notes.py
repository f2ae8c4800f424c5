"""``mlv notes`` without rendering: LaTeX escaping, the document builder, and one small PDF
compiled from a fake record (skipped where pdflatex is missing)."""
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from mlv.scripts import notes
from mlv.scripts.errors import RenderError

needs_pdflatex = pytest.mark.skipif(shutil.which("pdflatex") is None, reason="no pdflatex")


def pdf_text(path) -> str:
    """The PDF's text, normalised for comparison: ligatures and typographic quotes undone,
    all whitespace removed (line breaks may fall anywhere)."""
    import pypdf

    text = "".join(page.extract_text() for page in pypdf.PdfReader(str(path)).pages)
    return squash(text)


def squash(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    for a, b in (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"')):
        text = text.replace(a, b)
    return re.sub(r"\s+", "", text)


# ---------------------------------------------------------------------------------- escaping


@pytest.mark.parametrize("ch, tex", [
    ("\\", r"\textbackslash{}"), ("{", r"\{"), ("}", r"\}"), ("$", r"\$"), ("&", r"\&"),
    ("#", r"\#"), ("^", r"\textasciicircum{}"), ("_", r"\_"), ("%", r"\%"),
    ("~", r"\textasciitilde{}"), ("<", r"\textless{}"), (">", r"\textgreater{}"),
    ("|", r"\textbar{}"),
])
def test_every_latex_special_is_escaped(ch, tex):
    assert notes.latex_text(f"a{ch}b") == f"a{tex}b"


def test_plain_text_passes_through():
    s = "Here are 30 points, each an input x and a target y. Which line? (w, b) = 0.6; 50-50!"
    assert notes.latex_text(s) == s


@pytest.mark.parametrize("text, tex", [
    ("η", r"\ensuremath{\eta}"), ("Σ", r"\ensuremath{\Sigma}"), ("λ₁", r"\ensuremath{\lambda}"
                                                                        r"\ensuremath{_{1}}"),
    ("θᵏ⁻¹", r"\ensuremath{\theta}\ensuremath{^{k-1}}"), ("x₁₂", r"x\ensuremath{_{12}}"),
    ("uᵀ", r"u\ensuremath{^{T}}"), ("a − b", r"a \ensuremath{-} b"), ("≤", r"\ensuremath{\leq}"),
    ("x̄", r"\={x}"), ("café", r"caf\'{e}"), ("naïve", r'na\"{\i}ve'), ("—", "---"),
    ("“q”", "``q''"), ("ß", r"\ss{}"), ("→", r"\ensuremath{\to}"), ("⊙", r"\ensuremath{\odot}"),
])
def test_non_ascii_becomes_latex(text, tex):
    assert notes.latex_text(text) == tex


def test_anything_else_non_ascii_is_reduced_to_ascii():
    for s in ("ﬁ", "①", "🙂", "Ω", "ω", "ϕ", "Ð", "\u0301"):
        assert notes.latex_text(s).isascii(), s


def test_reasons_get_sub_and_superscripts():
    assert notes.reason_text("θ_t − θ_{t−1}") == (r"\ensuremath{\theta}\ensuremath{_{t}} "
                                                  r"\ensuremath{-} \ensuremath{\theta}"
                                                  r"\ensuremath{_{t\ensuremath{-}1}}")
    assert notes.reason_text("g^{2} and m_(k−1)") == (r"g\ensuremath{^{2}} and m"
                                                     r"\ensuremath{_{k\ensuremath{-}1}}")
    assert notes.reason_text("a lone _ stays") == r"a lone \_ stays"


def test_every_reason_and_title_of_the_course_becomes_ascii_latex():
    from mlv import derivations

    for d in derivations.all_derivations():
        for s in [d.title] + [step.reason for step in d.steps]:
            out = notes.reason_text(s)
            assert out.isascii() and out.count("?") == s.count("?"), (d.id, s)   # none lost


def test_typewriter_text_uses_the_fonts_own_glyphs():
    tt = notes.latex_tt(r"2*\bar{x}_1 - y")
    assert tt.startswith(r"\texttt{") and "\\symbol{92}" in tt and "\\symbol{123}" in tt
    assert "\\symbol{95}" in tt and "\\allowbreak" in tt


@pytest.mark.parametrize("v, text", [(30, "30"), (-1.0, "-1"), (0.15, "0.15"),
                                     (1.9584761383970002, "1.95848"), (2e-9, "2e-09"),
                                     ("not reached", "not reached"), (True, "True"),
                                     (float("nan"), "nan")])
def test_numbers_are_formatted_plainly(v, text):
    assert notes.format_number(v) == text


# ------------------------------------------------------------------------------- the builder


def test_key_frames_end_the_thirds_of_the_lesson():
    beats = [{"key": f"b{i}", "start": float(i), "end": i + 1.0, "text": ""} for i in range(15)]
    assert notes.key_beats(beats) == [4, 9, 14]
    beats[6]["key"] = "walk-result"
    assert notes.key_beats(beats) == [4, 6, 14]               # a result beat shows the run drawn
    assert notes.key_beats(beats[:2]) == [0, 1]
    assert notes.key_beats([]) == []
    assert notes.frame_time(beats[4]) == pytest.approx(4.9)
    assert notes.frame_time({"start": 3.0, "end": 3.05}) == 3.0      # never before the beat


def test_a_lesson_shows_its_own_derivations_not_those_they_import():
    deps = ["scenes/chapter4/backpropagation.py", "derivations/backprop.py",
            "derivations/activations.py", "derivations/steps.py", "derivations/__init__.py"]
    assert notes.lesson_derivation_modules(deps, "scenes/chapter4/backpropagation.py") == [
        "mlv.derivations.backprop"]
    deps = ["derivations/activations.py", "derivations/steps.py"]
    assert notes.lesson_derivation_modules(deps, "scenes/chapter3/activation_functions.py") == [
        "mlv.derivations.activations"]
    # a scene that imports both keeps both
    assert notes.lesson_derivation_modules(
        ["derivations/logistic_regression.py", "derivations/activations.py"],
        "scenes/chapter3/activation_functions.py") == ["mlv.derivations.activations",
                                                       "mlv.derivations.logistic_regression"]


class FakeEntry:
    def __init__(self, id, title, kind="lesson", path="scenes/chapter1/linear_regression_mse.py"):
        self.id, self.title, self.kind, self.path = id, title, kind, path


TRICKY = "Costs 100% & more: {x_i} ~ $5 #1 ^2 \\ < > | — θ₁ ≤ η·λ, café ‘quoted’"


def fake_record(numbers=None):
    beats = [{"key": f"beat-{i}", "start": 2.0 * i, "end": 2.0 * i + 2.0,
              "text": f"Narration of beat number {i}, with a fine ffi ligature."} for i in range(6)]
    beats[2]["text"] = TRICKY
    return {"timeline": {"beats": beats, "duration": 12.0}, "duration": 12.0,
            "deps": ["derivations/mse.py", "derivations/steps.py"],
            "numbers": {"final MSE (standardised)": 1.5846567968320098, "epochs": 100,
                        "optimizer": "gradient_descent"} if numbers is None else numbers}


def test_lesson_section_has_title_narration_frames_derivations_and_numbers():
    item = notes.notes_scene(FakeEntry("fake-lesson", "A fake lesson: 100% & more"),
                             fake_record())
    item.frames = [notes.Frame("beat-2", 5.9, Path("x.png")), notes.Frame("beat-5", 11.9,
                                                                          Path("y.png"))]
    tex = notes.scene_tex(item, {0: "frame-000.png", 1: "frame-001.png"})
    assert r"\section{\texorpdfstring{A fake lesson: 100\% \& more}" in tex
    assert "Narration of beat number 0" in tex and notes.latex_text(TRICKY) in tex
    assert r"\mlvframe{frame-000.png}" in tex and r"\mlvframe{frame-001.png}" in tex
    assert tex.index("frame-000.png") > tex.index(notes.latex_text(TRICKY))   # after its beat
    assert [d.id for d in item.derivations] == ["mse-gradient-w", "mse-gradient-b"]
    for d in item.derivations:
        assert d.lhs in tex and all(s.latex in tex for s in d.steps)
        assert notes.latex_tt(notes.result_text(d)) in tex
    assert r"\begin{tabular}{lr}" in tex
    assert r"final MSE (standardised) & 1.58466 \\" in tex
    assert r"optimizer & gradient\_descent \\" in tex


def test_no_numbers_no_table_and_cards_are_prose():
    item = notes.notes_scene(FakeEntry("fake", "Fake"), fake_record(numbers={}))
    assert "tabular" not in notes.scene_tex(item)
    title = notes.notes_scene(FakeEntry("t", "Chapter 1: X", "title"), fake_record())
    tex = notes.scene_tex(title)
    assert r"\begin{quote}" in tex and r"\section" not in tex and not title.derivations
    recap = notes.notes_scene(FakeEntry("r", "Recap: X", "recap"), fake_record())
    tex = notes.scene_tex(recap)
    assert r"\section*{" in tex and "Recap: X" in tex and "tabular" not in tex


def test_a_record_without_numbers_is_an_empty_table():
    rec = fake_record()
    del rec["numbers"]
    assert notes.notes_scene(FakeEntry("f", "F"), rec).numbers == {}


def test_documents_chapter_and_course():
    item = notes.notes_scene(FakeEntry("fake", "Fake lesson"), fake_record())
    chapter = notes.document_tex("Chapter 3: Things", [(3, "Things", [item])], course=False)
    assert chapter.startswith(r"\documentclass[11pt,a4paper]{article}")
    assert r"\renewcommand{\thesection}{3.\arabic{section}}" in chapter
    assert chapter.rstrip().endswith(r"\end{document}") and r"\today" not in chapter
    course = notes.document_tex("A course", [(1, "One", [item]), (2, "Two", [item])], course=True)
    assert r"{report}" in course and r"\tableofcontents" in course
    assert r"\setcounter{chapter}{1}\chapter{\texorpdfstring{Two}{Two}}" in course


def test_first_latex_error_line():
    log = "This is pdfTeX\n(./notes.tex\n! Undefined control sequence.\nl.12 \\foo\n! Other"
    assert notes.first_latex_error(log) == "! Undefined control sequence."
    assert "no error line" in notes.first_latex_error("all fine")


# ---------------------------------------------------------------------------------- compiled


def png(path: Path) -> Path:
    from PIL import Image

    Image.new("RGB", (64, 36), (30, 30, 40)).save(path)
    return path


@needs_pdflatex
def test_a_fake_lesson_compiles_and_reads_back(tmp_path):
    item = notes.notes_scene(FakeEntry("fake-lesson", "A fake lesson: 100% & more"),
                             fake_record())
    item.frames = [notes.Frame("beat-2", 5.9, png(tmp_path / "a.png")),
                   notes.Frame("beat-5", 11.9, png(tmp_path / "b.png"))]
    out = tmp_path / "out" / "chapter7.pdf"
    notes.build_pdf("Chapter 7: Fakes", [(7, "Fakes", [item])], out, tmp_path / "work",
                    course=False, label="chapter 7")
    text = pdf_text(out)
    assert squash("7.1 A fake lesson: 100% & more") in text
    assert squash("Narration of beat number 3, with a fine ffi ligature.") in text
    assert squash("Costs 100% & more: {x_i} ~ $5 #1 ^2 \\ < > | — θ1 ≤ η·λ, café 'quoted'") in text
    for d in item.derivations:
        assert squash(f"Result ({d.id}): {notes.result_text(d)}") in text
    assert squash("final MSE (standardised) 1.58466") in text
    assert squash("optimizer gradient_descent") in text
    import pypdf

    images = sum(len(p.images) for p in pypdf.PdfReader(str(out)).pages)
    assert images == 2
    assert list((tmp_path / "work").iterdir()) == []          # the work folder is cleaned up
    first = out.read_bytes()
    notes.build_pdf("Chapter 7: Fakes", [(7, "Fakes", [item])], out, tmp_path / "work",
                    course=False, label="chapter 7")
    assert out.read_bytes() == first                          # deterministic: no dates, no id


@needs_pdflatex
def test_a_latex_error_names_the_chapter_and_the_error(tmp_path):
    out = tmp_path / "chapter2.pdf"
    out.write_bytes(b"the good old notes")
    tex = notes.PREAMBLE % {"cls": "article", "pdftitle": "x"} + "\\nosuchmacro\n\\end{document}\n"
    with pytest.raises(RenderError, match=r"chapter 2: pdflatex failed: ! Undefined control "
                                          r"sequence"):
        notes.compile_pdf(tex, {}, out, tmp_path / "work", "chapter 2", runs=1)
    assert out.read_bytes() == b"the good old notes"          # the old PDF is left alone


# --------------------------------------------------------------------------------------- cli


def mlv(*args, env):
    return subprocess.run([sys.executable, "-m", "mlv.scripts.cli", *args], capture_output=True,
                          text=True, env=env)


@pytest.mark.parametrize("args, words", [
    (["notes", "9"], "no chapter 9"),
    (["notes", "1", "--manifest", "courses/default.toml"], "not both"),
    (["notes", "--manifest", "no-such-manifest.toml"], "no such manifest"),
    (["notes", "1", "--quality", "ultra"], "'ultra' is not one of"),
])
def test_bad_input_gets_one_line_and_exit_2(args, words, tmp_path):
    env = dict(os.environ, MLV_RENDERS=str(tmp_path / "renders"))
    out = mlv(*args, env=env)
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], out.stderr
    assert not (tmp_path / "renders").exists()


def test_missing_pdflatex_is_named_with_how_to_install(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("latex", "dvisvgm", "ffmpeg", "ffprobe", "espeak-ng"):
        if shutil.which(tool):
            (bin_dir / tool).symlink_to(shutil.which(tool))
    env = dict(os.environ, PATH=str(bin_dir), MLV_RENDERS=str(tmp_path / "renders"))
    out = mlv("notes", "1", "--voice", "none", env=env)
    assert out.returncode == 2
    assert "pdflatex not found" in out.stderr and "texlive-latex-base" in out.stderr
    assert not (tmp_path / "renders").exists()


def test_doctor_lists_pdflatex_without_failing_for_it(tmp_path):
    out = mlv("doctor", env=dict(os.environ))
    assert any(line.startswith("pdflatex") for line in out.stdout.splitlines())
