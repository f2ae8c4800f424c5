"""Narration written once with inline math, read three ways.

A beat's text is prose with inline math between dollar signs, in a small subset of LaTeX::

    "Our model is a line: $\\hat y = wx + b$. With $\\eta = 0.15$ the ball steps downhill."

From that one source:

* :func:`written` is what a reader sees, math as Unicode math ("ŷ = wx + b", "η = 0.15"): the
  on-screen captions, the subtitles, the slides' speaker notes and the website's transcript;
* :func:`spoken` is what the voice says ("y hat equals w x plus b", "with eta equal to 0.15"),
  worded by rules (the lexicon then fixes how the voice pronounces words, see
  :func:`mlv.scenes.narration.pronounce`);
* :func:`latex` is what the notes PDF typesets: the prose escaped, the math kept as LaTeX.

The subset is what the course needs and no more, so every command has a written and a spoken
form: Greek letters, ``\\hat``/``\\bar``/``\\tilde``, ``\\frac``, ``\\sqrt``, sub- and superscripts,
``'`` (prime), ``\\partial``, ``\\sum``, ``\\log`` and friends, ``\\cdot`` (spoken "dot"),
``\\times``, relations, ``^*`` (star), ``\\text{...}``. Anything else, an unbalanced ``$``, or
a sub- or superscript with no Unicode form is a ``ValueError`` naming it, raised when the beat is
made.

This module imports nothing heavy (no manim).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

# ------------------------------------------------------------------------------------ vocabulary

GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
    "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "phi": "φ", "varphi": "φ",
    "chi": "χ", "psi": "ψ", "omega": "ω",
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Sigma": "Σ", "Phi": "Φ",
    "Psi": "Ψ", "Omega": "Ω",
}
#: names a voice says for the Greek letters that differ from the command
GREEK_SAID = {"varepsilon": "epsilon", "varphi": "phi"}

#: binary operators and relations: (written, spoken)
OPERATORS = {
    "=": ("=", "equals"), "+": ("+", "plus"), "-": ("−", "minus"),
    "<": ("<", "is less than"), ">": (">", "is greater than"),
    r"\le": ("≤", "is at most"), r"\leq": ("≤", "is at most"),
    r"\ge": ("≥", "is at least"), r"\geq": ("≥", "is at least"),
    r"\ne": ("≠", "is not"), r"\neq": ("≠", "is not"), r"\approx": ("≈", "is about"),
    r"\pm": ("±", "plus or minus"), r"\times": ("×", "times"), r"\cdot": ("·", "dot"),
    r"\to": ("→", "to"), r"\rightarrow": ("→", "to"), r"\in": ("∈", "in"),
    r"\propto": ("∝", "is proportional to"),
}
#: operators written without spaces around them
TIGHT = {"/": ("/", "over")}
#: symbols that are not operators: (written, spoken)
SYMBOLS = {
    r"\partial": ("∂", "partial"), r"\nabla": ("∇", "the gradient of"),
    r"\infty": ("∞", "infinity"), r"\ldots": ("…", "and so on"), r"\dots": ("…", "and so on"),
}
#: function names, written upright, spoken as words ("log", "tanh", ...)
FUNCTIONS = ("log", "ln", "exp", "max", "min", "tanh", "sin", "cos", "arg")
#: big operators: (written, spoken without and with limits)
BIG = {r"\sum": ("Σ", "the sum of", "the sum over {} of"),
       r"\prod": ("Π", "the product of", "the product over {} of")}
ACCENTS = {"hat": ("\u0302", "hat"), "bar": ("\u0304", "bar"), "tilde": ("\u0303", "tilde")}
SPACES = {r"\,", r"\;", r"\!", r"\ ", r"\quad"}
#: letters that name functions: a bracket after them is spoken "of" (f(x): "f of x"); after any
#: other letter or number it is a product (a(1 − a): "a times 1 minus a")
FUNCTION_LETTERS = set("fghLJ")
#: the words before a math segment after which its first "=" is spoken "equal to" ("with
#: $\eta = 0.1$": "with eta equal to 0.1")
PREPOSITIONS = {"with", "at", "from", "for", "of", "to", "on", "by", "in", "as"}

SUBSCRIPTS = dict(zip("0123456789+-=()aehijklmnoprstuvx",
                      "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ"))
SUPERSCRIPTS = dict(zip("0123456789+-=()abcdefghijklmnoprstuvwxyzT",
                        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᵀ"))
SUPERSCRIPTS["−"] = "⁻"
SUPERSCRIPTS["*"] = "*"
SUBSCRIPTS["−"] = "₋"
SUPER_SAID = {"2": "squared", "3": "cubed", "-1": "inverse", "T": "transpose", "*": "star",
              r"\top": "transpose"}

# ------------------------------------------------------------------------------------- the tree


@dataclass(frozen=True)
class Node:
    """One piece of parsed math: ``kind`` and its parts (strings or nodes)."""

    kind: str                        # sym, num, op, tight, symbol, func, big, text, group, frac,
    parts: tuple = ()                # sqrt, accent, script, prime, open, close, comma
    value: str = ""


_TOKEN = re.compile(r"\\[A-Za-z]+|\\[,;! {}|]|\d+(?:\.\d+)?|[A-Za-z]|[{}_^'=+\-<>()\[\],./|:!*]"
                    r"|\s+|.", re.S)


class _Parser:
    def __init__(self, source: str):
        self.source = source
        self.tokens = _TOKEN.findall(source)       # with the spaces, which only \\text keeps
        self.i = 0

    def error(self, what: str) -> ValueError:
        return ValueError(f"inline math ${self.source}$: {what}")

    def peek(self) -> str | None:
        while self.i < len(self.tokens) and self.tokens[self.i].isspace():
            self.i += 1
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> str:
        tok = self.peek()
        if tok is None:
            raise self.error("ends too early")
        self.i += 1
        return tok

    def parse(self) -> Node:
        node = self.sequence()
        if self.peek() is not None:
            raise self.error(f"unexpected {self.peek()!r}")
        return node

    def sequence(self) -> Node:
        items = []
        while self.peek() not in (None, "}"):
            atom = self.atom()
            if atom is not None:
                items.append(self.postfix(atom))
        return Node("group", tuple(items))

    def postfix(self, base: Node) -> Node:
        sub = sup = None
        while self.peek() in ("_", "^", "'"):
            tok = self.take()
            if tok == "'":
                base = Node("prime", (base,))
            elif tok == "_":
                if sub is not None:
                    raise self.error("two subscripts")
                sub = self.argument()
            else:
                if sup is not None:
                    raise self.error("two superscripts")
                sup = self.argument()
        return Node("script", (base, sub, sup)) if sub or sup else base

    def argument(self) -> Node:
        tok = self.peek()
        if tok is None:
            raise self.error("a command needs an argument")
        if tok[0].isdigit() and len(tok) > 1:          # x^10 is x^1 0, as in LaTeX
            self.tokens[self.i] = tok[1:]
            return Node("num", value=tok[0])
        atom = self.atom()
        if atom is None:
            raise self.error(f"{tok!r} cannot be an argument")
        return atom

    def raw_group(self) -> str:
        if self.take() != "{":
            raise self.error("\\text needs {...}")
        out: list[str] = []
        depth = 1
        while self.i < len(self.tokens):
            tok = self.tokens[self.i]
            self.i += 1
            depth += {"{": 1, "}": -1}.get(tok, 0)
            if depth == 0:
                return "".join(out).strip()
            out.append(tok)
        raise self.error("unbalanced braces")

    def atom(self) -> Node | None:
        tok = self.take()
        if tok == "{":
            group = self.sequence()
            if self.peek() is None or self.take() != "}":
                raise self.error("unbalanced braces")
            return group
        if tok in ("}", "_", "^", "'"):
            raise self.error(f"unexpected {tok!r}")
        if tok[0].isdigit():
            return Node("num", value=tok)
        if tok.isalpha():
            return Node("sym", value=tok)
        if tok in ("*", r"\ast", r"\star"):
            return Node("sym", value="*")                # an optimum: θ^* is "theta star"
        if tok in OPERATORS:
            return Node("op", value=tok)
        if tok in TIGHT:
            return Node("tight", value=tok)
        if tok in "([":
            return Node("open", value=tok)
        if tok in ")]":
            return Node("close", value=tok)
        if tok in (",", ":"):
            return Node("comma", value=tok)
        if tok in SPACES:
            return None
        if tok in SYMBOLS:
            return Node("symbol", value=tok)
        if tok in BIG:
            return Node("big", value=tok)
        if tok in (r"\left", r"\right"):
            return None
        name = tok[1:]
        if name in GREEK:
            return Node("sym", value=tok)
        if name in FUNCTIONS:
            return Node("func", value=name)
        if name in ("frac", "dfrac", "tfrac"):
            return Node("frac", (self.argument(), self.argument()))
        if name == "sqrt":
            return Node("sqrt", (self.argument(),))
        if name in ACCENTS:
            return Node("accent", (self.argument(),), name)
        if name in ("text", "mathrm", "operatorname", "textrm"):
            return Node("text", value=self.raw_group())
        if name in ("mathbf", "boldsymbol", "mathit"):
            return self.argument()
        if name == "top":
            return Node("sym", value="T")
        raise self.error(f"{tok!r} is not in mlv's inline math (scenes/mathtext.py)")


@lru_cache(maxsize=4096)
def parse(source: str) -> Node:
    """The tree of one inline math segment (without its dollar signs)."""
    return _Parser(source).parse()


def segments(text: str) -> list[tuple[bool, str]]:
    """``text`` as ``(is_math, piece)`` pairs: prose, and inline math without its ``$``."""
    parts = text.split("$")
    if len(parts) % 2 == 0:
        raise ValueError(f"unbalanced $ in {text!r}")
    return [(k % 2 == 1, p) for k, p in enumerate(parts) if p]


# --------------------------------------------------------------------------------------- written


def _script_chars(node: Node, table: dict[str, str], what: str, source: str) -> str:
    plain = _written(node)
    try:
        return "".join(table[c] for c in plain.replace(" ", ""))
    except KeyError as e:
        raise ValueError(f"inline math ${source}$: no Unicode {what} for {e.args[0]!r}; "
                         "write it another way") from None


def _compound(node: Node) -> bool:
    """Whether ``node`` needs brackets as a fraction's part or a root's argument."""
    return node.kind == "group" and (
        len(node.parts) > 1 and any(p.kind in ("op", "tight") for p in node.parts))


def _is_big(node: Node) -> bool:
    return node.kind == "big" or (node.kind == "script" and node.parts[0].kind == "big")


def _wrap(node: Node) -> str:
    text = _written(node)
    return f"({text})" if _compound(node) else text


def _written(node: Node, source: str = "") -> str:
    k = node.kind
    if k == "sym":
        return GREEK.get(node.value[1:], node.value) if node.value.startswith("\\") \
            else node.value
    if k == "num":
        return node.value
    if k in ("open", "close"):
        return node.value
    if k == "comma":
        return node.value
    if k == "op":
        return OPERATORS[node.value][0]
    if k == "tight":
        return TIGHT[node.value][0]
    if k == "symbol":
        return SYMBOLS[node.value][0]
    if k == "big":
        return BIG[node.value][0]
    if k == "func":
        return node.value
    if k == "text":
        return node.value
    if k == "frac":
        return f"{_wrap(node.parts[0])}/{_wrap(node.parts[1])}"
    if k == "sqrt":
        return "√" + _wrap(node.parts[0])
    if k == "accent":
        inner = _written(node.parts[0])
        if len(inner) != 1:
            raise ValueError(f"inline math ${source}$: \\{node.value} of more than one letter")
        return unicodedata.normalize("NFC", inner + ACCENTS[node.value][0])
    if k == "prime":
        return _written(node.parts[0]) + "′"
    if k == "script":
        base, sub, sup = node.parts
        out = _written(base)
        if sub is not None:
            out += _script_chars(sub, SUBSCRIPTS, "subscript", source)
        if sup is not None:
            out += _script_chars(sup, SUPERSCRIPTS, "superscript", source)
        return out
    # a group: items joined with spaces around binary operators
    out = ""
    prev: Node | None = None
    for item in node.parts:
        piece = _written(item, source)
        if item.kind == "op":
            unary = prev is None or prev.kind in ("op", "open", "comma", "big")
            out += piece if unary else f" {piece} "
        elif item.kind == "comma":
            out += piece + " "
        elif prev is not None and prev.kind != "op" and not out.endswith(" ") and (
                _is_big(item) or _is_big(prev) or prev.kind == "frac"
                or ("func" in (prev.kind, item.kind) and item.kind not in ("open", "close"))):
            out += " " + piece
        else:
            out += piece
        prev = item
    return out


def written_math(source: str) -> str:
    """One inline math segment as Unicode math (``\\hat y = wx + b`` -> "ŷ = wx + b")."""
    return _written(parse(source), source).strip()


def written(text: str) -> str:
    """What a reader sees: the prose, and each inline math segment as Unicode math."""
    return "".join(written_math(p) if math else p for math, p in segments(text))


# ---------------------------------------------------------------------------------------- spoken


def _said_sym(node: Node) -> str:
    v = node.value
    if v == "*":
        return "star"
    if v.startswith("\\"):
        return GREEK_SAID.get(v[1:], v[1:])
    return v


def _starts_function(node: Node | None) -> bool:
    if node is None:
        return False
    if node.kind in ("func", "text"):
        return True
    if node.kind == "sym":
        return node.value.startswith("\\") or node.value in FUNCTION_LETTERS
    if node.kind in ("script", "prime", "accent"):
        return _starts_function(node.parts[0])
    return False


def _spoken(node: Node, words: list[str], equal_to: list[bool]) -> None:
    k = node.kind
    if k == "sym":
        words.append(_said_sym(node))
    elif k in ("num", "func", "text"):
        words.append(node.value)
    elif k == "comma":
        if words:
            words[-1] += node.value
    elif k == "op":
        if node.value == "=" and equal_to[0]:
            words.append("equal to")
        else:
            words.append(OPERATORS[node.value][1])
        equal_to[0] = False
    elif k == "tight":
        words.append(TIGHT[node.value][1])
    elif k == "symbol":
        words.append(SYMBOLS[node.value][1])
    elif k == "big":
        words.append(BIG[node.value][1])
    elif k == "frac":
        num, den = node.parts
        _spoken(num, words, equal_to)
        words.append("by" if _leads_with_partial(num) else "over")
        _spoken(den, words, equal_to)
    elif k == "sqrt":
        arg = node.parts[0]
        words.append("the square root of" if _compound(arg) else "root")
        _spoken(arg, words, equal_to)
    elif k == "accent":
        _spoken(node.parts[0], words, equal_to)
        words.append(ACCENTS[node.value][1])
    elif k == "prime":
        _spoken(node.parts[0], words, equal_to)
        words.append("prime")
    elif k == "script":
        base, sub, sup = node.parts
        if base.kind == "big":
            if sub is None:
                words.append(BIG[base.value][1])
            else:
                inner: list[str] = []
                _spoken(sub, inner, [False])
                words.append(BIG[base.value][2].format(" ".join(inner)))
            return
        _spoken(base, words, equal_to)
        if sub is not None:
            _spoken_letters(sub, words)
        if sup is not None:
            # a number's powers other than squares and cubes, and every power of ten, are
            # said "to the" (10 to the 3, 10 to the minus 13, never 10 inverse)
            said = SUPER_SAID.get(written_plain(sup))
            if base.kind == "num" and (said not in ("squared", "cubed") or base.value == "10"):
                said = None
            if said is not None:
                words.append(said)
            else:
                words.append("to the")
                _spoken(sup, words, [False])
    elif k in ("open", "close"):
        pass
    else:                                              # a group
        prev: Node | None = None
        for pos, item in enumerate(node.parts):
            if item.kind == "open" and prev is not None and prev.kind not in (
                    "op", "open", "comma", "tight", "big"):
                applied = _starts_function(prev) and not _mentions(node, item, _base(prev))
                words.append("of" if applied else "times")
            elif item.kind == "open" and pos > 1 and prev is not None and (
                    prev.kind == "tight" or (prev.kind == "op" and prev.value == "-")):
                # a bracket subtracted or divided by: "y minus the quantity w x plus b"
                words.append("the quantity")
            elif prev is not None and prev.kind == "frac" and item.kind not in (
                    "op", "close", "comma", "tight"):
                words.append("times")
            _spoken(item, words, equal_to)
            prev = item


def _base(node: Node) -> Node:
    while node.kind in ("script", "prime", "accent"):
        node = node.parts[0]
    return node


def _mentions(group: Node, opening: Node, symbol: Node) -> bool:
    """Whether the bracket that starts at ``opening`` in ``group`` holds ``symbol``: then the
    bracket is a product, not an argument (σ(1 − σ) is σ times 1 − σ; σ(z) is σ of z)."""
    items = list(group.parts)
    depth = 0
    for item in items[next(k for k, p in enumerate(items) if p is opening):]:
        depth += {"open": 1, "close": -1}.get(item.kind, 0)
        if _base(item) == symbol:
            return True
        if depth == 0:
            return False
    return False


def _leads_with_partial(node: Node) -> bool:
    first = node.parts[0] if node.kind == "group" and node.parts else node
    return first.kind == "symbol" and first.value == r"\partial"


def _spoken_letters(node: Node, words: list[str]) -> None:
    """A subscript, said letter by letter (``w_{ij}``: "w i j")."""
    if node.kind == "sym" or (node.kind == "group" and all(
            p.kind == "sym" and not p.value.startswith("\\") for p in node.parts)):
        letters = node.value if node.kind == "sym" else "".join(p.value for p in node.parts)
        if not letters.startswith("\\"):
            words.extend(letters)
            return
    _spoken(node, words, [False])


def written_plain(node: Node) -> str:
    """A sub- or superscript's content as plain characters (for the spoken special cases)."""
    if node.kind == "sym" and node.value == "T":
        return "T"
    text = _written(node)
    return text.replace("−", "-")


def spoken_math(source: str, *, after: str = "") -> str:
    """One inline math segment as words (``\\hat y = wx + b`` -> "y hat equals w x plus b");
    ``after`` is the prose just before it ("with" makes the first "=" "equal to")."""
    words: list[str] = []
    last = re.findall(r"[A-Za-z]+", after)
    _spoken(parse(source), words, [bool(last) and last[-1].lower() in PREPOSITIONS])
    # letters written together are separate symbols: "wx" is "w x"
    out = " ".join(words)
    return re.sub(r"\s+([,.;:])", r"\1", out)


def spoken(text: str) -> str:
    """What the voice says: the prose, and each inline math segment in words."""
    out = ""
    for math, piece in segments(text):
        out += spoken_math(piece, after=out) if math else piece
    return out


# ----------------------------------------------------------------------------------------- latex


def latex(text: str, escape: Callable[[str], str]) -> str:
    """The text for a LaTeX document: prose through ``escape``, math as ``$...$``."""
    return "".join(f"${p}$" if math else escape(p) for math, p in segments(text))
