"""The notes as a LaTeX document: a lesson's narration as prose with its key frames, its
derivations step by step with each step's reason, and a table of the run's final numbers; title
cards as a short italic paragraph, recap cards as an unnumbered "Recap" section. One chapter is
an article (sections N.1, N.2, ...); a course is a report with a title page and contents.

The document is deterministic (no dates, no trailer id): the same scenes give the same bytes.
This module imports only the standard library (and mlv.scenes.mathtext, which imports
nothing else) at import time.
"""
from __future__ import annotations

from mlv.scenes import mathtext
from mlv.scripts.notes.contents import Chapter, NotesScene, ShownDerivation
from mlv.scripts.notes.latex import heading, latex_text, latex_tt, pdf_string, reason_text

#: the LaTeX preamble; ``%(cls)s`` is ``article`` (a chapter) or ``report`` (a course)
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

#: the introduction printed under every chapter's title and on a course's title page
INTRO = ("Every number here comes from the NumPy run the video shows; every derivation step is "
         "proven equal to the one before it by SymPy (\\texttt{mlv check}); the pictures are "
         "frames of the rendered scenes.")
#: beats of narration per paragraph, at most
PARAGRAPH_BEATS = 3


def format_number(v: object) -> str:
    """A table value as plain text: ints as they are, floats to 6 significant digits."""
    if isinstance(v, float):
        return "nan" if v != v else f"{v:.6g}"
    return str(v)


def result_latex(d: ShownDerivation) -> str:
    """A derivation's result as the notes typeset it: ``lhs = `` SymPy's LaTeX of the last
    step (never its ``str``, ``Piecewise((-x_1*y, ...))``)."""
    import sympy

    return f"{d.lhs} = {sympy.latex(d.result)}"


def _clock(t: float) -> str:
    m, s = divmod(int(round(t)), 60)
    return f"{m}:{s:02d}"


def narration_tex(item: NotesScene, frame_names: dict[int, str]) -> str:
    """The narration as paragraphs of up to three beats; a key frame follows the paragraph
    that ends with its beat."""
    out: list[str] = []
    para: list[str] = []
    frame_at = {f.beat: (f, frame_names[k]) for k, f in enumerate(item.frames)
                if k in frame_names}
    for k, beat in enumerate(item.beats):
        # the beat as written: its prose escaped, its inline math typeset (records from
        # before inline math have only the text)
        para.append(mathtext.latex(str(beat["source"]), latex_text) if "source" in beat
                    else latex_text(beat["text"]))
        framed = beat["key"] in frame_at
        if framed or len(para) >= PARAGRAPH_BEATS or k == len(item.beats) - 1:
            out.append(" ".join(para) + "\n")
            para = []
        if framed:
            f, name = frame_at[beat["key"]]
            out.append(rf"\mlvframe{{{name}}}{{The video at {_clock(f.time)}, end of beat "
                       rf"``{latex_text(f.beat)}''}}" + "\n")
    return "\n".join(out)


def derivation_tex(d: ShownDerivation) -> str:
    """A derivation: its title, every step (the first with the left-hand side) with its
    reason, and its result typeset (``Result (id):`` and the math)."""
    lines = [rf"\subsection{{{heading(reason_text(d.title), d.title)}}}",
             rf"\begin{{mlvderivation}}{{{d.lhs}}}"]
    for k, step in enumerate(d.steps):
        math = (d.lhs + " = " if k == 0 else "= ") + step.latex
        lines.append(rf"\mlvstep{{{int(k == 0)}}}{{{math}}}{{{reason_text(step.reason)}}}")
    lines.append(r"\par\noindent{\small\raggedright Result (" + latex_tt(d.id) + "): "
                 + r"$\displaystyle " + result_latex(d) + r"$\par}")
    lines.append(r"\end{mlvderivation}")
    return "\n".join(lines) + "\n"


def numbers_tex(numbers: dict[str, object]) -> str:
    if not numbers:
        return ""
    rows = "\n".join(rf"{latex_text(str(k))} & {latex_text(format_number(v))} \\"
                     for k, v in numbers.items())
    return ("\\subsection*{The run's final numbers}\n\\begin{center}\n"
            "\\begin{tabular}{lr}\n\\toprule\nquantity & value \\\\\n\\midrule\n"
            f"{rows}\n\\bottomrule\n\\end{{tabular}}\n\\end{{center}}\n")


def scene_tex(item: NotesScene, frame_names: dict[int, str] | None = None) -> str:
    """The LaTeX of one scene (see the module docstring); ``frame_names`` names the image
    file of each of its key frames by index."""
    frame_names = frame_names or {}
    if item.kind == "title":
        text = " ".join(latex_text(b["text"]) for b in item.beats)
        return rf"\begin{{quote}}\itshape {text}\end{{quote}}" + "\n"
    if item.kind == "recap":
        title = heading(latex_text(item.title), item.title)
        text = " ".join(latex_text(b["text"]) for b in item.beats)
        return (rf"\section*{{{title}}}" + "\n" + rf"\addcontentsline{{toc}}{{section}}{{{title}}}"
                + "\n" + text + "\n")
    parts = [rf"\section{{{heading(latex_text(item.title), item.title)}}}",
             narration_tex(item, frame_names)]
    parts.extend(derivation_tex(d) for d in item.derivations)
    parts.append(numbers_tex(item.numbers))
    return "\n".join(p for p in parts if p)


def document_tex(title: str, chapters: list[Chapter], *,
                 course: bool, subtitle: str = "",
                 frame_names: dict[tuple[str, int], str] | None = None) -> str:
    """The whole LaTeX document: one chapter (``course=False``, an article whose sections are
    numbered N.1, N.2, ...) or a course (a report, one chapter per chapter, with contents)."""
    frame_names = frame_names or {}
    body = [PREAMBLE % {"cls": "report" if course else "article",
                        "pdftitle": pdf_string(title)}]
    if course:
        body.append("\\begin{titlepage}\\centering\\vspace*{5cm}\n"
                    rf"{{\Huge\bfseries {latex_text(title)}\par}}\vspace{{1cm}}" "\n"
                    rf"{{\Large {latex_text(subtitle or 'Lecture notes')}\par}}\vspace{{2cm}}" "\n"
                    rf"\begin{{minipage}}{{0.7\linewidth}}\small {INTRO}\end{{minipage}}" "\n"
                    "\\end{titlepage}\n\\tableofcontents\n")
    for n, ctitle, items in chapters:
        if course:
            body.append(rf"\setcounter{{chapter}}{{{n - 1}}}"
                        rf"\chapter{{{heading(latex_text(ctitle), ctitle)}}}")
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

