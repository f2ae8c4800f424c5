"""Text as LaTeX for pdflatex (T1 fonts, utf8 input): prose, the formula-laden text of
derivation steps and titles, typewriter text that PDF text extraction reads back exactly, and
headings with a plain-text form for the PDF's bookmarks.

This module imports only the standard library.
"""
from __future__ import annotations

import re
import unicodedata

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

    def flush() -> None:
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
    out: list[str] = []
    pos = 0
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
    out: list[str] = []
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



def pdf_string(s: str) -> str:
    """``s`` as plain ASCII for the PDF's metadata and bookmarks (no LaTeX specials)."""
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    return re.sub(r"[\\{}$&#^_%~]", "", s)


def heading(tex: str, plain: str) -> str:
    """A heading's LaTeX with a plain-text form for the PDF's bookmarks."""
    return rf"\texorpdfstring{{{tex}}}{{{pdf_string(plain)}}}"
