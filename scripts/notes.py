"""Lecture notes: a PDF per chapter (and one for a course) from the same sources as the videos.

Each lesson becomes a section: its narration as prose, two or three key frames cut from the
rendered scene (a frame 0.1 s before the end of chosen beats), every derivation of the lesson
(the derivation modules its record's ``deps`` name) step by step with each step's reason, and a
table of the run's final numbers (the scene's ``numbers``). Title cards open their chapter with
their narration as a short italic paragraph; recap cards become an unnumbered "Recap" section.

Scenes come from the render cache (rendered first if needed), exactly like ``mlv slides``. The
LaTeX is compiled with ``pdflatex`` in a work folder under ``renders/.work/notes/`` and the PDF is
published by rename, so a reader never sees a half-written file. The output is deterministic
(no dates or trailer id in the PDF): the same scenes give the same bytes.

This module imports only the standard library and click at import time.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

import click

from mlv.scripts.errors import MlvError, RenderError

QUALITY_CHOICES = ["low", "medium", "high", "4k"]
VOICE_CHOICES = ["none", "espeak"]
FRAME_BEFORE_END = 0.1          # seconds before a beat's end at which its key frame is taken
FRAME_MAX_WIDTH = 1280          # key frames are scaled down to at most this many pixels wide
FRAMES_PER_LESSON = 3

# ----------------------------------------------------------------------------- LaTeX escaping

# the document uses T1 fonts (cm-super), which have a glyph for every one of these, so they
# read back from the PDF as themselves
_ASCII_SPECIAL = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
    "^": r"\textasciicircum{}", "_": r"\_", "%": r"\%", "~": r"\textasciitilde{}",
    "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}",
}

_GREEK_CAPITALS = {"Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi",
                   "Psi", "Omega"}

# math symbols (written in math mode) and text symbols, by character
_MATH_SYMBOLS = {
    "\u2212": "-", "\u00b7": r"\cdot", "\u22c5": r"\cdot", "\u00d7": r"\times", "\u00f7": r"\div",
    "\u00b1": r"\pm", "\u2213": r"\mp", "\u2264": r"\leq", "\u2265": r"\geq", "\u2260": r"\neq",
    "\u2248": r"\approx", "\u226a": r"\ll", "\u226b": r"\gg", "\u2261": r"\equiv",
    "\u223c": r"\sim", "\u221d": r"\propto", "\u221e": r"\infty", "\u2202": r"\partial",
    "\u2207": r"\nabla", "\u2211": r"\Sigma", "\u220f": r"\Pi", "\u222b": r"\int",
    "\u221a": r"\surd", "\u2208": r"\in", "\u2209": r"\notin", "\u2200": r"\forall",
    "\u2203": r"\exists", "\u2192": r"\to", "\u2190": r"\leftarrow", "\u21d2": r"\Rightarrow",
    "\u21d4": r"\Leftrightarrow", "\u2194": r"\leftrightarrow", "\u21a6": r"\mapsto",
    "\u2299": r"\odot", "\u2297": r"\otimes", "\u2295": r"\oplus", "\u2218": r"\circ",
    "\u22a4": r"\top", "\u2225": r"\|", "\u2016": r"\|", "\u27e8": r"\langle",
    "\u27e9": r"\rangle", "\u2032": "'", "\u2033": "''", "\u2113": r"\ell", "\u00b0": r"^\circ",
    "\u00ac": r"\neg", "\u2227": r"\wedge", "\u2228": r"\vee", "\u2229": r"\cap",
    "\u222a": r"\cup", "\u2282": r"\subset", "\u2286": r"\subseteq", "\u2205": r"\emptyset",
    "\u00bd": r"\tfrac12", "\u00bc": r"\tfrac14", "\u00be": r"\tfrac34", "\u00ab": r"\ll",
    "\u00bb": r"\gg", "\u2022": r"\bullet",
}
_SYMBOLS = {ch: r"\ensuremath{" + m + "}" for ch, m in _MATH_SYMBOLS.items()} | {
    "\u2014": "---", "\u2013": "--", "\u2018": "`", "\u2019": "'", "\u201c": "``", "\u201d": "''",
    "\u201e": ",,", "\u2026": r"\ldots{}", "\u00a0": "~", "\u2009": r"\,", "\u202f": r"\,",
    "\u00df": r"\ss{}", "\u00e6": r"\ae{}", "\u00c6": r"\AE{}", "\u0153": r"\oe{}",
    "\u0152": r"\OE{}", "\u00f8": r"\o{}", "\u00d8": r"\O{}", "\u0142": r"\l{}",
    "\u0141": r"\L{}", "\u0131": r"\i{}", "\u00a7": r"\S{}", "\u00b6": r"\P{}",
    "\u00a9": r"\copyright{}", "\u00bf": "?`", "\u00a1": "!`", "\u20ac": "EUR",
    "\u00a3": r"\pounds{}",
}

# text-mode accents for combining marks (after NFD: é is e + U+0301)
_ACCENTS = {"\u0300": "`", "\u0301": "'", "\u0302": "^", "\u0303": "~", "\u0304": "=",
            "\u0305": "=", "\u0306": "u", "\u0307": ".", "\u0308": '"', "\u030a": "r",
            "\u030b": "H", "\u030c": "v", "\u0327": "c", "\u0328": "k", "\u0323": "d",
            "\u0331": "b"}

_SCRIPT_NAMES = {"PLUS SIGN": "+", "MINUS": "-", "EQUALS SIGN": "=",
                 "LEFT PARENTHESIS": "(", "RIGHT PARENTHESIS": ")"}


def _script(ch: str) -> tuple[str, str] | None:
    """``("^", "k")`` for a superscript character (ᵏ), ``("_", "1")`` for a subscript (₁)."""
    name = unicodedata.name(ch, "")
    if name.startswith("SUPERSCRIPT ") or name.startswith("MODIFIER LETTER SMALL ") \
            or name.startswith("MODIFIER LETTER CAPITAL "):
        kind = "^"
    elif "SUBSCRIPT" in name:
        kind = "_"
    else:
        return None
    base = unicodedata.normalize("NFKC", ch)
    if base == ch:                             # no compatibility form: read it from the name
        tail = name.split()[-1]
        base = _SCRIPT_NAMES.get(" ".join(name.split()[1:])) or (
            tail.lower() if "SMALL" in name else tail)
    if base == "\u2212":
        base = "-"
    if len(base) != 1:
        return None
    if base.isalpha() and unicodedata.name(base, "").startswith("GREEK"):
        return kind, _greek(base).removeprefix(r"\ensuremath{").removesuffix("}")
    return kind, base if base.isascii() else ""


def _greek(ch: str) -> str:
    name = unicodedata.name(ch, "")
    words = name.split()
    if not name.startswith("GREEK") or "LETTER" not in words:
        return ""
    letter = words[-1].lower().replace("lamda", "lambda")
    if "FINAL" in words:
        return r"\ensuremath{\varsigma}"
    if name.startswith("GREEK SMALL LETTER"):
        if letter == "omicron":
            return "o"
        return rf"\ensuremath{{\{letter}}}"
    if name.startswith("GREEK CAPITAL LETTER"):
        cap = letter.capitalize()
        if cap in _GREEK_CAPITALS:
            return rf"\ensuremath{{\{cap}}}"
        latin = {"Alpha": "A", "Beta": "B", "Epsilon": "E", "Zeta": "Z", "Eta": "H", "Iota": "I",
                 "Kappa": "K", "Mu": "M", "Nu": "N", "Omicron": "O", "Rho": "P", "Tau": "T",
                 "Chi": "X"}
        return latin.get(cap, "")
    if name.endswith("SYMBOL"):                 # GREEK PHI SYMBOL and friends
        return ""
    return ""


def latex_text(s: str) -> str:
    """``s`` as LaTeX text for pdflatex (T1 fonts, utf8 input): the specials
    ``\\ { } $ & # ^ _ % ~`` (and ``< > |``) escaped; Greek letters, math symbols, super- and
    subscripts (ᵀ, x₁), typographic quotes and dashes, and accented letters (also with combining
    marks, as in x̄) written as LaTeX; anything else is reduced to ASCII (or to ``?``)."""
    s = unicodedata.normalize("NFD", s)
    out: list[str] = []
    script: list[tuple[str, str]] = []

    def flush():
        if script:
            kind = script[0][0]
            out.append(r"\ensuremath{" + kind + "{" + "".join(t for _, t in script) + "}}")
            script.clear()

    i = 0
    while i < len(s):
        ch = s[i]
        sc = None if ch.isascii() else _script(ch)
        if sc is not None:
            if script and script[0][0] != sc[0]:
                flush()
            script.append(sc)
            i += 1
            continue
        flush()
        if ch.isascii():
            piece = _ASCII_SPECIAL.get(ch, ch)
            if ch in "\n\r\t":
                piece = " "
        elif ch in _SYMBOLS:
            piece = _SYMBOLS[ch]
        elif unicodedata.name(ch, "").startswith("GREEK"):
            piece = _greek(ch) or "?"
        elif unicodedata.combining(ch):
            piece = ""                          # a combining mark without a letter before it
        else:
            compat = unicodedata.normalize("NFKD", ch)
            compat = "".join(c for c in compat if not unicodedata.combining(c))
            piece = latex_text(compat) if compat and compat != ch and all(
                c.isascii() or c in _SYMBOLS for c in compat) else "?"
        # combining marks that follow: accents on this character
        j = i + 1
        while j < len(s) and unicodedata.combining(s[j]):
            accent = _ACCENTS.get(s[j])
            if accent is not None and piece:
                base = {"i": r"\i", "j": r"\j"}.get(piece, piece)
                piece = "\\" + accent + "{" + base + "}"
            j += 1
        out.append(piece)
        i = j
    flush()
    return "".join(out)


_SCRIPT_RE = re.compile(r"([_^])(\{[^{}]*\}|\([^()]*\)|[A-Za-z0-9]+)")


_TEXT_TO_MATH = {r"\textless{}": "<", r"\textgreater{}": ">", r"\textbar{}": "|",
                 r"\textbackslash{}": r"\backslash{}", r"\textasciicircum{}": r"\wedge{}",
                 r"\textasciitilde{}": r"\sim{}"}


def _math_safe(tex: str) -> str:
    """:func:`latex_text` output made fit for math mode (a sub- or superscript)."""
    for a, b in _TEXT_TO_MATH.items():
        tex = tex.replace(a, b)
    return tex


def reason_text(s: str) -> str:
    """Like :func:`latex_text`, for the short formula-laden text of derivation steps and titles:
    ``x_{t}``, ``m_(k-1)``, ``S_xx`` and ``g^{2}`` become sub- and superscripts."""
    out, pos = [], 0
    for m in _SCRIPT_RE.finditer(s):
        if m.start() == 0 or s[m.start() - 1].isspace():
            continue                            # not attached to anything: a literal _ or ^
        inner = m.group(2)
        if inner[0] in "{(":
            inner = inner[1:-1]
        out.append(latex_text(s[pos:m.start()]))
        out.append(r"\ensuremath{" + m.group(1) + "{" + _math_safe(latex_text(inner)) + "}}")
        pos = m.end()
    out.append(latex_text(s[pos:]))
    return "".join(out)


def latex_tt(s: str) -> str:
    """``s`` in typewriter type character for character, so that it survives PDF text
    extraction exactly: every ASCII special is the font's own glyph (``\\symbol``), with a line
    break allowed after operators, commas and spaces."""
    out = []
    for ch in s:
        if ch in "\\{}$&#^_%~<>|\"'`-":
            out.append(rf"\symbol{{{ord(ch)}}}")
        elif ch == " ":
            out.append(r"\ ")
        elif ch.isascii():
            out.append(ch)
        else:
            out.append(latex_text(ch))
        if ch in "*+-/,( =":
            out.append(r"\allowbreak{}")
    return r"\texttt{" + "".join(out) + "}"


def format_number(v) -> str:
    """A table value as plain text: ints as they are, floats to 6 significant digits."""
    if isinstance(v, bool) or v is None:
        return str(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if v != v:
            return "nan"
        text = f"{v:.6g}"
        return text
    return str(v)


def result_text(d) -> str:
    """The plain-text form of a derivation's result printed in the notes (and looked for by
    the tests): SymPy's ``str`` of the last step."""
    return str(d.result)


# -------------------------------------------------------------------------- lesson contents


@dataclass
class Frame:
    beat: str
    time: float
    path: Path


@dataclass
class NotesScene:
    """One scene as the notes show it."""

    id: str
    title: str
    kind: str
    beats: list[dict]
    numbers: dict = field(default_factory=dict)
    derivations: list = field(default_factory=list)
    frames: list[Frame] = field(default_factory=list)


def key_beats(beats: list[dict], k: int = FRAMES_PER_LESSON) -> list[int]:
    """Indices of the beats whose end is a key frame, one per third of the lesson: the last
    beat of the third whose key names a result (``walk-result``: the run is drawn in full
    there), else the third's last beat."""
    n = len(beats)
    out = []
    for j in range(1, k + 1):
        lo, hi = round(n * (j - 1) / k), round(n * j / k) - 1
        if hi < lo:
            continue
        results = [i for i in range(lo, hi + 1) if "result" in str(beats[i].get("key", ""))]
        out.append(results[-1] if results else hi)
    return sorted(set(out))


def frame_time(beat: dict, duration: float | None = None) -> float:
    t = float(beat["end"]) - FRAME_BEFORE_END
    t = max(float(beat["start"]), t, 0.0)
    if duration:
        t = min(t, max(0.0, float(duration) - FRAME_BEFORE_END))
    return t


def _derivation_imports(path: Path) -> set[str]:
    """The derivation modules ``path`` imports directly (``from derivations.x import ...``,
    ``import derivations.x``, ``from derivations import x``)."""
    import ast

    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return set()
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith("mlv.derivations."):
                found.add(node.module)
            elif node.module == "mlv.derivations":
                found.update(f"mlv.derivations.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("mlv.derivations."))
    return found


def lesson_derivation_modules(deps: list[str], scene_path: str | None = None) -> list[str]:
    """The derivation modules a lesson shows, in course order: those its record's ``deps``
    name, less those only there because another derivation module imports them (the
    activations behind backpropagation), unless the scene imports them itself."""
    from mlv import derivations
    from mlv.scripts.worker import PROJECT_ROOT

    named = {"mlv." + d[:-3].replace("/", ".") for d in deps if d.endswith(".py")}
    used = [m for m in derivations.MODULES if m in named]
    pulled: set[str] = set()
    for m in used:
        pulled |= _derivation_imports(PROJECT_ROOT / (m.removeprefix("mlv.").replace(".", "/") + ".py")) - {m}
    direct = _derivation_imports(PROJECT_ROOT / scene_path) if scene_path else set()
    return [m for m in used if m not in pulled or m in direct]


def lesson_derivations(deps: list[str], scene_path: str | None = None) -> list:
    import importlib

    out = []
    for m in lesson_derivation_modules(deps, scene_path):
        out.extend(importlib.import_module(m).derivations())
    return out


def notes_scene(entry, record: dict, *, with_derivations: bool = True) -> NotesScene:
    beats = list(record.get("timeline", {}).get("beats", []))
    item = NotesScene(entry.id, entry.title, entry.kind, beats,
                      dict(record.get("numbers") or {}))
    if entry.kind == "lesson" and with_derivations:
        item.derivations = lesson_derivations(record.get("deps", []), entry.path)
    return item


def extract_frame(video: Path, t: float, out: Path) -> Path:
    """Write the frame of ``video`` at ``t`` seconds to ``out`` (PNG, at most
    :data:`FRAME_MAX_WIDTH` wide), by rename."""
    import subprocess

    from mlv.scenes.narration import atomic_path

    with atomic_path(out) as tmp:
        cmd = ["ffmpeg", "-v", "error", "-y", "-ss", f"{t:.3f}", "-i", str(video),
               "-frames:v", "1", "-vf", f"scale='min({FRAME_MAX_WIDTH},iw)':-2",
               "-f", "image2", "-c:v", "png", str(tmp)]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0 or Path(tmp).stat().st_size == 0:
            tail = (done.stderr.strip().splitlines() or ["no frame written"])[-1]
            raise RenderError(f"ffmpeg could not take a frame of {video} at {t:.2f}s: {tail}")
    return out


def attach_frames(items: list[tuple[NotesScene, Path, dict]], frames_dir: Path,
                  workers: int = 1) -> None:
    """Take each lesson's key frames (reusing those already taken from the same render)."""
    import glob
    from concurrent.futures import ThreadPoolExecutor

    jobs = []
    for item, video, record in items:
        if item.kind != "lesson":
            continue
        tag = (record.get("cache_key") or hashlib.sha256(
            str(video.stat().st_mtime_ns).encode()).hexdigest())[:12]
        for k in key_beats(item.beats):
            beat = item.beats[k]
            t = frame_time(beat, record.get("duration"))
            path = frames_dir / f"{item.id}-{k:02d}-{tag}.png"
            item.frames.append(Frame(beat["key"], t, path))
            if not path.exists():
                jobs.append((video, t, path))
        for old in frames_dir.glob(f"{glob.escape(item.id)}-[0-9][0-9]-*.png"):
            if not old.name.endswith(f"-{tag}.png"):        # frames of an older render
                old.unlink(missing_ok=True)
    if jobs:
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            list(pool.map(lambda j: extract_frame(*j), jobs))


# --------------------------------------------------------------------------------- document

PREAMBLE = r"""\documentclass[11pt,a4paper]{%(cls)s}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage[a4paper,margin=2.2cm]{geometry}
\usepackage{amsmath,amssymb}
\usepackage{graphicx}
\usepackage{booktabs}
\usepackage{xcolor}
\IfFileExists{hyphenat.sty}{\usepackage[none]{hyphenat}}%%
  {\hyphenpenalty=10000 \exhyphenpenalty=10000}
\usepackage[hidelinks,bookmarksnumbered,hypertexnames=false]{hyperref}
\hypersetup{pdftitle={%(pdftitle)s},pdfcreator={mlv notes},pdfproducer={pdfTeX}}
\input{glyphtounicode}\pdfgentounicode=1
\pdfinfoomitdate=1 \pdftrailerid{} \pdfsuppressptexinfo=-1
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.55em plus 0.2em}
\sloppy\emergencystretch=3em
\setcounter{tocdepth}{1}
\definecolor{mlvgrey}{gray}{0.4}
\newsavebox{\mlvstepbox}
\newlength{\mlvlhs}
%% a derivation: its steps, aligned on the = after the left-hand side (#1), kept on one page
\newenvironment{mlvderivation}[1]{\par\noindent\settowidth{\mlvlhs}{$\displaystyle #1{}$}%%
  \begin{minipage}{\linewidth}\setlength{\parskip}{0pt}}{\end{minipage}\par\medskip}
%% one step: the math on the left and its reason beside it, or, when the math needs the
%% width, the reason below it (and the math scaled down to the line if wider still).
%% #1 is 1 for the first step (it starts with the left-hand side), 0 for the others.
\newcommand{\mlvstep}[3]{\par\noindent
  \sbox{\mlvstepbox}{\ifnum#1=0 \hspace*{\mlvlhs}\fi$\displaystyle #2$}%%
  \ifdim\wd\mlvstepbox>0.62\linewidth
    \ifdim\wd\mlvstepbox>\linewidth
      \resizebox{\linewidth}{!}{\usebox{\mlvstepbox}}\else\usebox{\mlvstepbox}\fi\par
    \hfill\begin{minipage}[t]{0.6\linewidth}\raggedleft\small\itshape
      \textcolor{mlvgrey}{#3}\end{minipage}\par
  \else
    \begin{minipage}[c]{0.63\linewidth}\usebox{\mlvstepbox}\end{minipage}\hfill
    \begin{minipage}[c]{0.35\linewidth}\raggedright\small\itshape
      \textcolor{mlvgrey}{#3}\end{minipage}\par
  \fi\vspace{0.45em}}
%% a key frame with its caption, kept together
\newcommand{\mlvframe}[2]{\par\begin{center}\begin{minipage}{0.62\linewidth}\centering
  \includegraphics[width=\linewidth]{#1}\\[2pt]
  {\small\textcolor{mlvgrey}{#2}}\end{minipage}\end{center}}
\begin{document}
"""

PARAGRAPH_BEATS = 3


def _clock(t: float) -> str:
    m, s = divmod(int(round(t)), 60)
    return f"{m}:{s:02d}"


def narration_tex(item: NotesScene, frame_names: dict[int, str]) -> str:
    """The narration as paragraphs of up to three beats; a key frame follows the paragraph
    that ends with its beat."""
    out, para = [], []
    frame_at = {f.beat: (f, frame_names[k]) for k, f in enumerate(item.frames)
                if k in frame_names}
    for k, beat in enumerate(item.beats):
        para.append(latex_text(beat["text"]))
        framed = beat["key"] in frame_at
        if framed or len(para) >= PARAGRAPH_BEATS or k == len(item.beats) - 1:
            out.append(" ".join(para) + "\n")
            para = []
        if framed:
            f, name = frame_at[beat["key"]]
            out.append(rf"\mlvframe{{{name}}}{{The video at {_clock(f.time)}, end of beat "
                       rf"``{latex_text(f.beat)}''}}" + "\n")
    return "\n".join(out)


def derivation_tex(d) -> str:
    """A derivation: its title, every step (the first with the left-hand side) with its
    reason, and its result as plain text (``Result (id): ...``) that PDF text extraction
    reads back exactly."""
    lines = [rf"\subsection{{{_heading(reason_text(d.title), d.title)}}}",
             rf"\begin{{mlvderivation}}{{{d.lhs}}}"]
    for k, step in enumerate(d.steps):
        math = (d.lhs + " = " if k == 0 else "= ") + step.latex
        lines.append(rf"\mlvstep{{{int(k == 0)}}}{{{math}}}{{{reason_text(step.reason)}}}")
    lines.append(r"\par\noindent{\small\raggedright Result (" + latex_tt(d.id) + "): "
                 + latex_tt(result_text(d)) + r"\par}")
    lines.append(r"\end{mlvderivation}")
    return "\n".join(lines) + "\n"


def numbers_tex(numbers: dict) -> str:
    if not numbers:
        return ""
    rows = "\n".join(rf"{latex_text(str(k))} & {latex_text(format_number(v))} \\"
                     for k, v in numbers.items())
    return ("\\subsection*{The run's final numbers}\n\\begin{center}\n"
            "\\begin{tabular}{lr}\n\\toprule\nquantity & value \\\\\n\\midrule\n"
            f"{rows}\n\\bottomrule\n\\end{{tabular}}\n\\end{{center}}\n")


def scene_tex(item: NotesScene, frame_names: dict[int, str] | None = None) -> str:
    """The LaTeX of one scene (see the module docstring)."""
    frame_names = frame_names or {}
    if item.kind == "title":
        text = " ".join(latex_text(b["text"]) for b in item.beats)
        return rf"\begin{{quote}}\itshape {text}\end{{quote}}" + "\n"
    if item.kind == "recap":
        title = _heading(latex_text(item.title), item.title)
        text = " ".join(latex_text(b["text"]) for b in item.beats)
        return (rf"\section*{{{title}}}" + "\n" + rf"\addcontentsline{{toc}}{{section}}{{{title}}}"
                + "\n" + text + "\n")
    parts = [rf"\section{{{_heading(latex_text(item.title), item.title)}}}",
             narration_tex(item, frame_names)]
    parts.extend(derivation_tex(d) for d in item.derivations)
    parts.append(numbers_tex(item.numbers))
    return "\n".join(p for p in parts if p)


def _pdf_string(s: str) -> str:
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    return re.sub(r"[\\{}$&#^_%~]", "", s)


def _heading(tex: str, plain: str) -> str:
    """A heading's LaTeX with a plain-text form for the PDF's bookmarks."""
    return rf"\texorpdfstring{{{tex}}}{{{_pdf_string(plain)}}}"


INTRO = ("Every number here comes from the NumPy run the video shows; every derivation step is "
         "proven equal to the one before it by SymPy (\\texttt{mlv check}); the pictures are "
         "frames of the rendered scenes.")


def document_tex(title: str, chapters: list[tuple[int, str, list[NotesScene]]], *,
                 course: bool, subtitle: str = "",
                 frame_names: dict[tuple[str, int], str] | None = None) -> str:
    """The whole LaTeX document: one chapter (``course=False``, an article whose sections are
    numbered N.1, N.2, ...) or a course (a report, one chapter per chapter, with contents)."""
    frame_names = frame_names or {}
    body = [PREAMBLE % {"cls": "report" if course else "article",
                        "pdftitle": _pdf_string(title)}]
    if course:
        body.append("\\begin{titlepage}\\centering\\vspace*{5cm}\n"
                    rf"{{\Huge\bfseries {latex_text(title)}\par}}\vspace{{1cm}}" "\n"
                    rf"{{\Large {latex_text(subtitle or 'Lecture notes')}\par}}\vspace{{2cm}}" "\n"
                    rf"\begin{{minipage}}{{0.7\linewidth}}\small {INTRO}\end{{minipage}}" "\n"
                    "\\end{titlepage}\n\\tableofcontents\n")
    for n, ctitle, items in chapters:
        if course:
            body.append(rf"\setcounter{{chapter}}{{{n - 1}}}"
                        rf"\chapter{{{_heading(latex_text(ctitle), ctitle)}}}")
        else:
            body.append(rf"\renewcommand{{\thesection}}{{{n}.\arabic{{section}}}}")
            body.append(rf"{{\LARGE\bfseries {latex_text(title)}\par}}\vspace{{0.3em}}"
                        rf"{{\large {latex_text(subtitle or 'Lecture notes')}\par}}"
                        rf"\vspace{{0.6em}}{{\small\textcolor{{mlvgrey}}{{{INTRO}}}\par}}"
                        r"\vspace{0.6em}")
        for item in items:
            names = {k: frame_names[(item.id, k)] for k in range(len(item.frames))
                     if (item.id, k) in frame_names}
            body.append(scene_tex(item, names))
    body.append("\\end{document}\n")
    return "\n".join(body)


# ---------------------------------------------------------------------------------- compile


def first_latex_error(log: str) -> str:
    for line in log.splitlines():
        if line.startswith("! "):
            return line
    return "(no error line in the log)"


def compile_pdf(tex: str, images: dict[str, Path], out: Path, work_root: Path, label: str,
                *, runs: int = 2) -> Path:
    """Compile ``tex`` (its images named as in ``images``) in a fresh folder under
    ``work_root`` and publish the PDF to ``out`` by rename. :class:`RenderError` names
    ``label`` and the first LaTeX error if pdflatex fails (the work folder is kept)."""
    import os
    import shutil
    import subprocess
    import tempfile

    from mlv.scripts.media import publish

    work_root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=work_root, prefix=f"{out.stem}-"))
    (work / "notes.tex").write_text(tex, encoding="utf-8")
    for name, src in images.items():
        shutil.copyfile(src, work / name)
    env = dict(os.environ, SOURCE_DATE_EPOCH="0", FORCE_SOURCE_DATE="1")
    cmd = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape",
           "notes.tex"]
    for _ in range(runs):
        try:
            done = subprocess.run(cmd, cwd=work, capture_output=True, text=True, env=env,
                                  timeout=600, errors="replace")
        except subprocess.TimeoutExpired:
            raise RenderError(f"notes for {label}: pdflatex took over 10 minutes "
                              f"(work folder {work})") from None
        if done.returncode != 0 or not (work / "notes.pdf").exists():
            try:
                log = (work / "notes.log").read_text(errors="replace")
            except OSError:
                log = done.stdout
            raise RenderError(f"notes for {label}: pdflatex failed: {first_latex_error(log)} "
                              f"(log {work / 'notes.log'})")
    publish(work / "notes.pdf", out)
    shutil.rmtree(work, ignore_errors=True)
    return out


def build_pdf(title: str, chapters: list[tuple[int, str, list[NotesScene]]], out: Path,
              work_root: Path, *, course: bool, subtitle: str = "", label: str = "") -> Path:
    images: dict[str, Path] = {}
    names: dict[tuple[str, int], str] = {}
    for _, _, items in chapters:
        for item in items:
            for k, f in enumerate(item.frames):
                if (item.id, k) in names:
                    continue
                name = f"frame-{len(images):03d}.png"
                images[name] = f.path
                names[(item.id, k)] = name
    tex = document_tex(title, chapters, course=course, subtitle=subtitle, frame_names=names)
    return compile_pdf(tex, images, out, work_root, label or out.stem)


def build_notes(chapters, renders: Path, quality: str, out_dir: Path, *, course_title: str,
                course: bool, workers: int = 1) -> list[Path]:
    """Write ``chapter<N>.pdf`` for every chapter of ``chapters`` (``(n, title, results)``:
    the chapter's rendered :class:`~scripts.pipeline.SceneResult` s in order) into ``out_dir``
    and, when ``course``, ``course.pdf``. Returns the paths written."""
    work_root = renders / ".work" / "notes" / quality
    items: dict[str, NotesScene] = {}
    framing = []
    shaped = []
    for n, ctitle, results in chapters:
        its = []
        for r in results:
            key = getattr(r.entry, "key", r.entry.id)
            if key not in items:
                items[key] = notes_scene(r.entry, r.record)
                items[key].id = key
                framing.append((items[key], Path(r.video), r.record))
            item = items[key]
            if item.title != r.entry.title:           # a manifest may retitle a scene
                item = replace(item, title=r.entry.title)
            its.append(item)
        shaped.append((n, ctitle, its))
    attach_frames(framing, work_root / "frames", workers)
    written = []
    for n, ctitle, its in shaped:
        out = out_dir / f"chapter{n}.pdf"
        written.append(build_pdf(f"Chapter {n}: {ctitle}", [(n, ctitle, its)], out, work_root,
                                 course=False, subtitle=f"Lecture notes of {course_title}",
                                 label=f"chapter {n}"))
    if course:
        written.append(build_pdf(course_title, shaped, out_dir / "course.pdf", work_root,
                                 course=True, subtitle="Lecture notes", label="the course"))
    return written


# ---------------------------------------------------------------------------------- command


@click.command("notes")
@click.argument("number", type=int, required=False)
@click.option("--quality", "-q", type=click.Choice(QUALITY_CHOICES), default="low",
              show_default=True, help="Quality of the renders the key frames come from.")
@click.option("--voice", type=click.Choice(VOICE_CHOICES), default=None,
              help="Narration voice of the renders [default: espeak if installed, else none].")
@click.option("--workers", "-j", type=click.IntRange(min=1), default=None,
              help="Scenes rendered at once [default: the number of cores].")
@click.option("--manifest", type=click.Path(path_type=Path), default=None, metavar="FILE",
              help="Notes for this course manifest (every chapter and course.pdf).")
def notes_command(number: int | None, quality: str, voice: str | None, workers,
                  manifest: Path | None) -> None:
    """Lecture notes as PDF: chapter NUMBER to renders/<quality>/notes/chapter<N>.pdf, or with
    no NUMBER every chapter of the course and course.pdf (a --manifest course's go to
    renders/<quality>/<manifest name>/notes/).

    Each lesson's narration as prose, key frames from its rendered scene, every derivation
    step with its reason, and a table of the run's final numbers. Scenes come from the render
    cache (rendered first if needed); pdflatex typesets the notes.
    """
    import os

    from mlv.scenes import catalog
    from mlv.scripts import pipeline, tools
    from mlv.scripts.cli import _default_voice, _hold_renders, _known_chapter, _progress, _renders

    if number is not None and manifest is not None:
        raise MlvError("give a chapter NUMBER or --manifest, not both")
    if number is not None:
        _known_chapter(number)
        course_title, _ = pipeline.course_chapters(None)
        chapters = [(number, catalog.CHAPTERS[number], catalog.chapter(number))]
    else:
        course_title, chapters = pipeline.course_chapters(manifest)
    voice = voice or _default_voice()
    tools.require_for_render(voice)
    tools.require("pdflatex")
    _hold_renders()
    renders = _renders()
    results = iter(pipeline.render_many([e for _, _, es in chapters for e in es], quality,
                                         voice, renders, workers=workers,
                                         progress=_progress(workers)))
    rendered = [(n, ctitle, [next(results) for _ in es]) for n, ctitle, es in chapters]
    out_dir = (renders / quality / "notes" if manifest is None
               else renders / quality / Path(manifest).stem / "notes")
    written = build_notes(rendered, renders, quality, out_dir,
                          course_title=course_title, course=number is None,
                          workers=workers or os.cpu_count() or 1)
    for path in written:
        click.echo(str(path))
