"""``mlv notes`` without rendering scenes: LaTeX escaping, which derivations a lesson shows, the
document builder, and small PDFs compiled from fake records and a synthetic video (skipped
where pdflatex or ffmpeg is missing). The notes of rendered chapters are checked in
test_render_outputs.py."""
import ast
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest

from mlv.scenes import catalog, mathtext
from mlv.scenes.catalog import SceneEntry
from mlv.scripts.errors import RenderError
from mlv.scripts.notes import build, contents, document, frames, latex
from mlv.scripts.renders import Renders

needs_pdflatex = pytest.mark.skipif(shutil.which("pdflatex") is None, reason="no pdflatex")
needs_ffmpeg = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="no ffmpeg")


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
    assert latex.latex_text(f"a{ch}b") == f"a{tex}b"


def test_plain_text_passes_through():
    s = "Here are 30 points, each an input x and a target y. Which line? (w, b) = 0.6; 50-50!"
    assert latex.latex_text(s) == s


@pytest.mark.parametrize("text, tex", [
    ("η", r"\ensuremath{\eta}"), ("Σ", r"\ensuremath{\Sigma}"), ("λ₁", r"\ensuremath{\lambda}"
                                                                        r"\ensuremath{_{1}}"),
    ("θᵏ⁻¹", r"\ensuremath{\theta}\ensuremath{^{k-1}}"), ("x₁₂", r"x\ensuremath{_{12}}"),
    ("uᵀ", r"u\ensuremath{^{T}}"), ("a − b", r"a \ensuremath{-} b"), ("≤", r"\ensuremath{\leq}"),
    ("x̄", r"\={x}"), ("café", r"caf\'{e}"), ("naïve", r'na\"{\i}ve'), ("—", "---"),
    ("“q”", "``q''"), ("ß", r"\ss{}"), ("→", r"\ensuremath{\to}"), ("⊙", r"\ensuremath{\odot}"),
])
def test_non_ascii_becomes_latex(text, tex):
    assert latex.latex_text(text) == tex


def test_anything_else_non_ascii_is_reduced_to_ascii():
    for s in ("ﬁ", "①", "🙂", "Ω", "ω", "ϕ", "Ð", "\u0301"):
        assert latex.latex_text(s).isascii(), s


def test_reasons_get_sub_and_superscripts():
    assert latex.reason_text("θ_t − θ_{t−1}") == (r"\ensuremath{\theta}\ensuremath{_{t}} "
                                                  r"\ensuremath{-} \ensuremath{\theta}"
                                                  r"\ensuremath{_{t\ensuremath{-}1}}")
    assert latex.reason_text("g^{2} and m_(k−1)") == (r"g\ensuremath{^{2}} and m"
                                                     r"\ensuremath{_{k\ensuremath{-}1}}")
    assert latex.reason_text("a lone _ stays") == r"a lone \_ stays"


def test_every_reason_and_title_of_the_course_becomes_ascii_latex():
    from mlv import derivations

    for d in derivations.all_derivations():
        for s in [d.title] + [step.reason for step in d.steps]:
            out = latex.reason_text(s)
            assert out.isascii() and out.count("?") == s.count("?"), (d.id, s)   # none lost


def test_typewriter_text_uses_the_fonts_own_glyphs():
    tt = latex.latex_tt(r"2*\bar{x}_1 - y")
    assert tt.startswith(r"\texttt{") and "\\symbol{92}" in tt and "\\symbol{123}" in tt
    assert "\\symbol{95}" in tt and "\\allowbreak" in tt


def test_bookmark_text_is_plain_ascii():
    assert latex.pdf_string("PCA: λ & {x_i} — café") == "PCA:   xi  cafe"
    assert latex.heading(r"A \& B", "A & B") == r"\texorpdfstring{A \& B}{A  B}"


@pytest.mark.parametrize("v, text", [(30, "30"), (-1.0, "-1"), (0.15, "0.15"),
                                     (1.9584761383970002, "1.95848"), (2e-9, "2e-09"),
                                     ("not reached", "not reached"), (True, "True"),
                                     (None, "None"), (float("nan"), "nan")])
def test_numbers_are_formatted_plainly(v, text):
    assert document.format_number(v) == text


# ----------------------------------------------------------------- which derivations a lesson shows


def _direct_derivation_imports(path: Path) -> set[str]:
    """The derivation modules (of :data:`mlv.derivations.MODULES`, by short name) that the
    module at ``path`` imports itself, read from its source."""
    from mlv import derivations

    known = {m.removeprefix("mlv.derivations.") for m in derivations.MODULES}
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith("mlv.derivations."):
                found.add(node.module.split(".")[2])
            elif node.module == "mlv.derivations":
                found.update(a.name for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[2] for a in node.names
                         if a.name.startswith("mlv.derivations."))
    return found & known


@pytest.mark.parametrize("entry", catalog.SCENES, ids=lambda e: e.id)
def test_each_scene_declares_the_derivations_its_module_imports(entry):
    root = Path(__file__).resolve().parents[2]
    assert set(entry.derivations) == _direct_derivation_imports(root / entry.path)
    assert len(set(entry.derivations)) == len(entry.derivations)       # each once
    if entry.kind != "lesson":
        assert entry.derivations == ()


def test_the_course_notes_show_every_proven_derivation_once():
    """The lessons' declared derivations, over the course, are the registry ``mlv check``
    proves (:func:`mlv.derivations.all_derivations`), each shown by one lesson."""
    from mlv import derivations

    shown = [d.id for n in catalog.chapters_with_scenes() for e in catalog.chapter(n)
             for d in contents.lesson_derivations(e)]
    assert len(shown) == len(set(shown))
    assert sorted(shown) == sorted(d.id for d in derivations.all_derivations())


def test_a_lesson_shows_its_declared_derivations_not_those_they_import():
    # backprop's derivations import the activations; the backpropagation lesson shows only its own
    backprop = catalog.by_id("backpropagation")
    assert backprop.derivations == ("backprop",)
    ids = [d.id for d in contents.lesson_derivations(backprop)]
    own = [d.id for d in importlib.import_module("mlv.derivations.backprop").derivations()]
    activations = {d.id for d in importlib.import_module("mlv.derivations.activations")
                   .derivations()}
    assert ids == own and not activations & set(ids)
    # a lesson that declares two modules shows both, in the declared order
    both = SceneEntry("two", 9, 1, "Two", "mlv.scenes.x", "X",
                      derivations=("mse", "gradient_descent"))
    mse = [d.id for d in importlib.import_module("mlv.derivations.mse").derivations()]
    gd = [d.id for d in importlib.import_module("mlv.derivations.gradient_descent")
          .derivations()]
    assert [d.id for d in contents.lesson_derivations(both)] == mse + gd


def test_the_notes_import_neither_the_cli_nor_anything_heavy():
    code = ("import sys, mlv.scripts.notes\n"
            "bad = sorted(m for m in sys.modules if m == 'mlv.scripts.cli' or\n"
            "             m.split('.')[0] in ('manim', 'sympy', 'numpy'))\n"
            "print(bad); sys.exit(1 if bad else 0)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_the_command_offers_the_one_list_of_qualities_and_voices():
    from mlv.scenes.narration import VOICES
    from mlv.scripts.notes import notes_command
    from mlv.scripts.renders import QUALITIES

    choices = {p.name: list(p.type.choices) for p in notes_command.params
               if hasattr(p.type, "choices")}
    assert choices == {"quality": list(QUALITIES), "voice": list(VOICES)}


# ------------------------------------------------------------------------------- the builder


def test_key_frames_end_the_thirds_of_the_lesson():
    beats = [{"key": f"b{i}", "start": float(i), "end": i + 1.0, "text": ""} for i in range(15)]
    assert frames.key_beats(beats) == [4, 9, 14]
    beats[6]["key"] = "walk-result"
    assert frames.key_beats(beats) == [4, 6, 14]              # a result beat shows the run drawn
    assert frames.key_beats(beats[:2]) == [0, 1]
    assert frames.key_beats([]) == []
    assert frames.frame_time(beats[4]) == pytest.approx(4.9)
    assert frames.frame_time({"start": 3.0, "end": 3.05}) == 3.0      # never before the beat
    assert frames.frame_time(beats[14], duration=14.5) == pytest.approx(14.4)   # inside the video


def lesson(id="fake-lesson", title="A fake lesson: 100% & more", kind="lesson",
           derivations=("mse",), params=()):
    return SceneEntry(id, 7, 1, title, "mlv.scenes.chapter1.linear_regression_mse",
                      "LinearRegressionMSE", kind,
                      derivations=derivations if kind == "lesson" else (), params=params)


#: a beat written with inline math (its record keeps the source beside the written text)
MATH_BEAT = r"With $\eta = 0.15$ the prediction $\hat y_i$ moves, 100% & more."
TRICKY = "Costs 100% & more: {x_i} ~ $5 #1 ^2 \\ < > | — θ₁ ≤ η·λ, café ‘quoted’"


def fake_record(numbers=None, n_beats=6):
    beats = [{"key": f"beat-{i}", "start": 2.0 * i, "end": 2.0 * i + 2.0,
              "text": f"Narration of beat number {i}, with a fine ffi ligature."}
             for i in range(n_beats)]
    beats[2]["text"] = TRICKY
    beats[4].update(source=MATH_BEAT, text=mathtext.written(MATH_BEAT))
    return {"timeline": {"beats": beats, "duration": 2.0 * n_beats},
            "duration": 2.0 * n_beats,
            "numbers": {"final MSE (standardised)": 1.5846567968320098, "epochs": 100,
                        "optimizer": "gradient_descent"} if numbers is None else numbers}


def test_a_scene_is_named_by_its_render():
    entry = lesson(id="gradient-descent-intuition", params=(("lr", 1.1),))
    assert contents.notes_scene(entry, fake_record()).id == entry.key != entry.id


def test_lesson_section_has_title_narration_frames_derivations_and_numbers():
    item = contents.notes_scene(lesson(), fake_record())
    item.frames = [contents.Frame("beat-2", 5.9, Path("x.png")),
                   contents.Frame("beat-5", 11.9, Path("y.png"))]
    tex = document.scene_tex(item, {0: "frame-000.png", 1: "frame-001.png"})
    assert r"\section{\texorpdfstring{A fake lesson: 100\% \& more}" in tex
    assert "Narration of beat number 0" in tex and latex.latex_text(TRICKY) in tex
    assert r"\mlvframe{frame-000.png}" in tex and r"\mlvframe{frame-001.png}" in tex
    assert tex.index("frame-000.png") > tex.index(latex.latex_text(TRICKY))   # after its beat
    assert [d.id for d in item.derivations] == ["mse-gradient-w", "mse-gradient-b"]
    for d in item.derivations:
        assert d.lhs in tex and all(s.latex in tex for s in d.steps)
        assert r"$\displaystyle " + document.result_latex(d) + "$" in tex
        assert str(d.result) not in tex                      # never SymPy's repr
    # inline math typeset, the prose around it escaped
    assert r"With $\eta = 0.15$ the prediction $\hat y_i$ moves, 100\% \& more." in tex
    assert r"\begin{tabular}{lr}" in tex
    assert r"final MSE (standardised) & 1.58466 \\" in tex
    assert r"optimizer & gradient\_descent \\" in tex


def test_no_numbers_no_table_and_cards_are_prose():
    item = contents.notes_scene(lesson(id="fake", title="Fake"), fake_record(numbers={}))
    assert "tabular" not in document.scene_tex(item)
    title = contents.notes_scene(lesson(id="t", title="Chapter 1: X", kind="title"),
                                 fake_record())
    tex = document.scene_tex(title)
    assert r"\begin{quote}" in tex and r"\section" not in tex and not title.derivations
    recap = contents.notes_scene(lesson(id="r", title="Recap: X", kind="recap"), fake_record())
    tex = document.scene_tex(recap)
    assert r"\section*{" in tex and "Recap: X" in tex and "tabular" not in tex


def test_a_record_without_numbers_is_an_empty_table():
    rec = fake_record()
    del rec["numbers"]
    assert contents.notes_scene(lesson(id="f", title="F"), rec).numbers == {}


def test_documents_chapter_and_course():
    item = contents.notes_scene(lesson(id="fake", title="Fake lesson"), fake_record())
    chapter = document.document_tex("Chapter 3: Things", [(3, "Things", [item])], course=False)
    assert chapter.startswith(r"\documentclass[11pt,a4paper]{article}")
    assert r"\renewcommand{\thesection}{3.\arabic{section}}" in chapter
    assert chapter.rstrip().endswith(r"\end{document}") and r"\today" not in chapter
    course = document.document_tex("A course", [(1, "One", [item]), (2, "Two", [item])],
                                   course=True)
    assert r"{report}" in course and r"\tableofcontents" in course
    assert r"\setcounter{chapter}{1}\chapter{\texorpdfstring{Two}{Two}}" in course


def test_first_latex_error_line():
    log = "This is pdfTeX\n(./notes.tex\n! Undefined control sequence.\nl.12 \\foo\n! Other"
    assert build.first_latex_error(log) == "! Undefined control sequence."
    assert "no error line" in build.first_latex_error("all fine")


# ---------------------------------------------------------------------------------- compiled


def png(path: Path) -> Path:
    from PIL import Image

    Image.new("RGB", (64, 36), (30, 30, 40)).save(path)
    return path


@needs_pdflatex
def test_a_fake_lesson_compiles_and_reads_back(tmp_path):
    item = contents.notes_scene(lesson(), fake_record())
    item.frames = [contents.Frame("beat-2", 5.9, png(tmp_path / "a.png")),
                   contents.Frame("beat-5", 11.9, png(tmp_path / "b.png"))]
    out = tmp_path / "out" / "chapter7.pdf"
    build.build_pdf("Chapter 7: Fakes", [(7, "Fakes", [item])], out, tmp_path / "work",
                    course=False, label="chapter 7")
    text = pdf_text(out)
    assert squash("7.1 A fake lesson: 100% & more") in text
    assert squash("Narration of beat number 3, with a fine ffi ligature.") in text
    assert squash("Costs 100% & more: {x_i} ~ $5 #1 ^2 \\ < > | — θ1 ≤ η·λ, café 'quoted'") in text
    for d in item.derivations:
        assert squash(f"Result ({d.id}):") in text
        assert squash(str(d.result)) not in text             # typeset, not SymPy's repr
    assert squash("moves, 100% & more.") in text and "$" not in text.replace("$5", "")
    assert squash("final MSE (standardised) 1.58466") in text
    assert squash("optimizer gradient_descent") in text
    import pypdf

    images = sum(len(p.images) for p in pypdf.PdfReader(str(out)).pages)
    assert images == 2
    assert list((tmp_path / "work").iterdir()) == []          # the work folder is cleaned up
    first = out.read_bytes()
    build.build_pdf("Chapter 7: Fakes", [(7, "Fakes", [item])], out, tmp_path / "work",
                    course=False, label="chapter 7")
    assert out.read_bytes() == first                          # deterministic: no dates, no id


@needs_pdflatex
def test_a_latex_error_names_the_chapter_and_the_error(tmp_path):
    out = tmp_path / "chapter2.pdf"
    out.write_bytes(b"the good old notes")
    tex = (document.PREAMBLE % {"cls": "article", "pdftitle": "x"}
           + "\\nosuchmacro\n\\end{document}\n")
    with pytest.raises(RenderError, match=r"chapter 2: pdflatex failed: ! Undefined control "
                                          r"sequence"):
        build.compile_pdf(tex, {}, out, tmp_path / "work", "chapter 2", runs=1)
    assert out.read_bytes() == b"the good old notes"          # the old PDF is left alone


@dataclass
class FakeResult:
    """A rendered scene as the pipeline returns it (entry, video, record)."""

    entry: SceneEntry
    video: Path
    record: dict


def synthetic_video(path: Path, seconds: float) -> Path:
    """A small test-pattern video (moving, so frames at different times differ)."""
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                    f"testsrc=size=320x180:rate=15:duration={seconds}", "-pix_fmt", "yuv420p",
                    str(path)], check=True)
    return path


@needs_pdflatex
@needs_ffmpeg
def test_notes_land_in_the_layout_and_rebuild_to_the_same_bytes(tmp_path):
    layout = Renders(tmp_path / "renders")
    scenes = layout.scenes("low")
    scenes.mkdir(parents=True)
    rec = dict(fake_record(), cache_key="0123456789abcdef")
    entry = lesson()
    video = synthetic_video(layout.scene_video("low", entry.key), rec["duration"])
    layout.scene_record("low", entry.key).write_text(json.dumps(rec))
    card = lesson(id="chapter-7-title", title="Chapter 7: Fakes", kind="title")
    retitled = lesson(title="The same lesson, retitled")
    chapters = [(7, "Fakes", [FakeResult(card, video, fake_record()),
                              FakeResult(entry, video, rec)]),
                (8, "More fakes", [FakeResult(retitled, video, rec)])]

    def notes(**kw):
        return build.build_notes(chapters, layout, "low", course_title="A fake course",
                                 course=True, workers=2, **kw)

    written = notes()
    out_dir = layout.notes_dir("low")
    assert written == [out_dir / "chapter7.pdf", out_dir / "chapter8.pdf", out_dir / "course.pdf"]
    taken = sorted((layout.notes_work("low") / "frames").iterdir())
    assert [p.name for p in taken] == [f"fake-lesson-{k:02d}-0123456789ab.png" for k in (1, 3, 5)]
    assert [p.name for p in layout.notes_work("low").iterdir()] == ["frames"]   # cleaned up
    course = pdf_text(out_dir / "course.pdf")
    assert squash("A fake lesson: 100% & more") in course
    assert squash("The same lesson, retitled") in course                 # a manifest's title
    assert squash("Chapter 7: Fakes") in pdf_text(out_dir / "chapter7.pdf")
    assert squash("The same lesson, retitled") in pdf_text(out_dir / "chapter8.pdf")
    import pypdf

    # the one lesson's three key frames: taken once, shown wherever the lesson is
    def shown(pdf):
        return sum(len(p.images) for p in pypdf.PdfReader(str(pdf)).pages)

    assert [shown(p) for p in written] == [3, 3, 6]
    first = {p: p.read_bytes() for p in written}
    stamps = {p: p.stat().st_mtime_ns for p in taken}
    assert notes() == written
    assert {p: p.read_bytes() for p in written} == first            # the same bytes again
    assert {p: p.stat().st_mtime_ns for p in taken} == stamps       # no frame taken again
    # a manifest's notes go to its own folder
    mine = notes(manifest="courses/mini.toml")
    assert mine == [layout.notes_dir("low", "courses/mini.toml") / p.name for p in written]
    assert mine[0].parent == layout.root / "low" / "mini" / "notes"


@needs_ffmpeg
def test_key_frames_are_the_pictures_at_the_ends_of_their_beats(tmp_path):
    """Each frame is the video's picture at its time (the closest of all the frames PyAV
    decodes is within one frame of it), and the frames of an older render are removed."""
    import av
    import numpy as np
    from PIL import Image

    video = synthetic_video(tmp_path / "v.mp4", 12.0)
    item = contents.notes_scene(lesson(), fake_record())
    frames_dir = tmp_path / "frames"
    frames_dir.mkdir()
    stale = png(frames_dir / "fake-lesson-01-oldrender000.png")
    frames.attach_frames([(item, video, {"cache_key": "newrender0000abcd", "duration": 12.0})],
                         frames_dir)
    assert not stale.exists()
    assert [f.beat for f in item.frames] == ["beat-1", "beat-3", "beat-5"]
    assert [f.time for f in item.frames] == pytest.approx([3.9, 7.9, 11.9])
    with av.open(str(video)) as c:
        decoded = [(float(f.time), f.to_ndarray(format="rgb24").astype(int))
                   for f in c.decode(video=0)]
    for f in item.frames:
        got = np.asarray(Image.open(f.path).convert("RGB")).astype(int)
        err = [np.abs(got - pic).mean() for _, pic in decoded]
        best = int(np.argmin(err))
        assert err[best] < 2 and abs(decoded[best][0] - f.time) <= 1 / 15 + 1e-6, (f, best)


# --------------------------------------------------------------------------------------- cli


def mlv(*args, env):
    return subprocess.run([sys.executable, "-m", "mlv.scripts.cli", *args], capture_output=True,
                          text=True, env=env)


@pytest.mark.parametrize("args, words", [
    (["notes", "9"], "no chapter 9"),
    (["notes", "1", "--manifest", "courses/optimization-unit.toml"], "not both"),
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
