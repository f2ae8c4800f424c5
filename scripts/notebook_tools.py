"""What the lesson notebooks (``notebooks/``) share besides their plots.

* :func:`show_derivations` typesets a lesson's derivations step by step, each with its reason, as
  Markdown that Jupyter renders with MathJax; :func:`prove` runs the course's checker on them live
  and prints how each step was proven (and fails the cell if one is not).
* :func:`show_numbers` prints the run's final numbers, the ones the video says and the lecture
  notes tabulate, one ``label │ value`` line each (``repr`` values, so :func:`read_numbers` gives
  back exactly what was printed: the tests compare them with the scene's own numbers).
* :class:`Exercise` checks a learner's answer: ``...`` (the placeholder a notebook ships with)
  is "not answered yet" and passes; a wrong answer fails the cell with an ``AssertionError``
  that says what is wrong; the right one prints why it is right.
* :func:`show_params` prints a lesson's parameters as ``mlv params`` does, and :func:`sliders`
  adds ipywidgets sliders over them where ipywidgets is installed.

Nothing here imports manim or the scenes (the notebooks run on a plain Python install of mlv);
sympy and the checker are imported by the functions that need them.
"""
from __future__ import annotations

import ast
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mlv.derivations.proofs import CheckReport
    from mlv.derivations.steps import Derivation

#: the column separator of :func:`show_numbers` (no label contains it)
SEP = " │ "
NUMBERS_HEADING = "The run's numbers (the video's and the lecture notes'):"
LABEL_WIDTH = 40        # the labels' column, at least


# ------------------------------------------------------------------------------------ numbers
def plain(value: Any) -> Any:
    """``value`` as a plain Python int, float, bool, str or None (NumPy scalars unwrapped)."""
    item = getattr(value, "item", None)
    if callable(item) and type(value) not in (int, float, str, bool):
        value = item()                  # np.float64 is a float, but its repr is not plain
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"a lesson number must be a number or a short text, not "
                    f"{type(value).__name__} {value!r}")


def format_numbers(numbers: Mapping[str, Any]) -> str:
    """The lines :func:`show_numbers` prints."""
    lines = [NUMBERS_HEADING]
    width = max([LABEL_WIDTH, *map(len, numbers)])
    for label, value in numbers.items():
        if SEP.strip() in label or "\n" in label:
            raise ValueError(f"a number's label may not contain {SEP.strip()!r} or a line break: "
                             f"{label!r}")
        lines.append(f"  {label:<{width}}{SEP}{plain(value)!r}")
    if not numbers:
        lines.append("  (none: this lesson has no run)")
    return "\n".join(lines)


def show_numbers(numbers: Mapping[str, Any]) -> None:
    """Print the run's numbers, one ``label │ value`` line each."""
    print(format_numbers(numbers))


def read_numbers(text: str) -> dict[str, Any]:
    """The numbers in the printed output ``text`` of :func:`show_numbers` (the lines after its
    heading), values parsed back exactly; ``ValueError`` if the heading is missing."""
    lines = text.splitlines()
    try:
        start = lines.index(NUMBERS_HEADING)
    except ValueError:
        raise ValueError("no numbers in this output (the heading "
                         f"{NUMBERS_HEADING!r} is missing)") from None
    out: dict[str, Any] = {}
    for line in lines[start + 1:]:
        if not line.startswith("  ") or SEP not in line:
            break
        label, _, value = line[2:].rpartition(SEP)
        out[label.rstrip()] = ast.literal_eval(value.strip())
    return out


# -------------------------------------------------------------------------------- derivations
def lesson_derivations(modules: Iterable[str]) -> list[Derivation]:
    """Every derivation of the modules ``modules`` (``"mse"`` or ``"mlv.derivations.mse"``), in
    order: what a lesson shows (see the catalog's ``derivations``)."""
    from mlv.derivations import module_derivations

    return [d for name in modules for d in module_derivations(name)]


_MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#|$"})


def _text(s: str) -> str:
    """Plain text made safe inside Markdown (no emphasis, links, HTML or maths by accident)."""
    return s.translate(_MARKDOWN_SPECIAL)


def _where(d: Derivation) -> list[str]:
    """The derivation's abbreviations as ``name = meaning`` LaTeX."""
    import sympy as sp

    out = []
    for name, meaning in d.where:
        if isinstance(meaning, sp.Lambda):
            out.append(f"{sp.latex(name(*meaning.variables))} = {sp.latex(meaning.expr)}")
        else:
            out.append(f"{sp.latex(name)} = {sp.latex(meaning)}")
    return out


def derivation_markdown(d: Derivation, *, same_where_as: Derivation | None = None) -> str:
    """``d`` as Markdown: its title, then each step as display maths under its reason, then its
    abbreviations (just "as above" when they are those of ``same_where_as``, the derivation
    shown before it)."""
    parts = [f"#### {_text(d.title)}  (`{d.id}`)", ""]
    for k, step in enumerate(d.steps):
        head = d.lhs + " = " if k == 0 else "= "
        label = "Start" if k == 0 else f"Step {k}"
        parts += [f"**{label}** · {_text(step.reason)}", "", f"$${head}{step.latex}$$", ""]
    where = _where(d)
    if where and same_where_as is not None and _where(same_where_as) == where:
        parts += ["where the abbreviations are as above", ""]
    elif where:
        parts += ["where " + ", ".join(f"${w}$" for w in where), ""]
    return "\n".join(parts)


def show_derivations(derivations: Sequence[Derivation]) -> None:
    """Typeset each derivation (Jupyter renders the Markdown's maths); as plain text elsewhere."""
    from IPython.display import Markdown, display

    before = None
    for d in derivations:
        display(Markdown(derivation_markdown(d, same_where_as=before)))
        before = d


def prove(derivations: Sequence[Derivation]) -> list[CheckReport]:
    """Prove every step of every derivation now, with the course's checker, and print how each
    step was proven; ``AssertionError`` naming the first step that is not proven."""
    from mlv.derivations import check
    from mlv.derivations.proofs import ProofCache

    cache = ProofCache()             # shared: a step two derivations have is proven once
    reports = []
    failed = None
    for d in derivations:
        report = check(d, cache=cache)
        reports.append(report)
        print(f"{d.id}: {len(d.steps)} steps, {report.seconds:.2f} s")
        for s in report.steps:
            how = "+".join(s.methods)
            print(f"  {'ok  ' if s.ok else 'FAIL'} step {s.index}: {how:<44} {s.reason}")
            if not s.ok and failed is None:
                failed = (d, s)
    if failed:
        d, s = failed
        raise AssertionError(f"{d.id} step {s.index} ({s.reason}) is not proven: {s.detail}")
    print(f"every step of {len(reports)} derivation(s) proven")
    return reports


# --------------------------------------------------------------------------------- parameters
def show_params(scene_id: str) -> None:
    """The lesson's parameters, as ``mlv params SCENE`` lists them (name, range, default,
    meaning); the exercises use these names and ranges."""
    from mlv.scenes import params

    spec = params.spec(scene_id)
    if not spec:
        print(f"{scene_id} takes no parameters in the video (mlv params {scene_id}); the "
              "exercises below say what to change.")
        return
    print(f"The parameters of {scene_id} (mlv params {scene_id}):")
    for p in spec:
        print("  " + p.describe())


def sliders(run: Callable[..., Any], scene_id: str,
            names: Sequence[str] | None = None) -> Any:
    """Sliders over the lesson's parameters (their ranges and defaults from
    :mod:`mlv.scenes.params`) and a *run* button that calls ``run(**values)``; ``None`` (and a
    note) where ipywidgets is not installed: the rest of the notebook does not need it."""
    try:
        import ipywidgets as widgets
    except ImportError:
        print("ipywidgets is not installed, so there are no sliders here "
              "(pip install ipywidgets, or the mlv[widgets] extra, to get them); "
              "change the values in the cells above instead.")
        return None
    from mlv.scenes import params

    chosen = [p for p in params.spec(scene_id) if names is None or p.name in names]
    controls: dict[str, Any] = {}
    for p in chosen:
        style = {"description_width": "initial"}
        if p.kind == "float" and p.low is not None and p.high is not None:
            step = (p.high - p.low) / 200
            controls[p.name] = widgets.FloatSlider(value=p.default, min=p.low, max=p.high,
                                                   step=step, description=p.name, style=style,
                                                   continuous_update=False)
        elif p.kind == "int" and p.high is not None and p.low is not None and \
                p.high - p.low <= 1000:
            controls[p.name] = widgets.IntSlider(value=p.default, min=int(p.low),
                                                 max=int(p.high), description=p.name,
                                                 style=style, continuous_update=False)
        elif p.kind == "int":
            controls[p.name] = widgets.BoundedIntText(value=p.default, min=int(p.low or 0),
                                                      max=int(p.high or 0),
                                                      description=p.name, style=style)
        elif p.kind == "choice":
            controls[p.name] = widgets.Dropdown(options=list(p.choices), value=p.default,
                                                description=p.name, style=style)
    # manual: the lesson reruns when the learner presses "run", not at every slider move (nor
    # once when the cell runs: the lesson above already shows the defaults)
    return widgets.interactive(run, {"manual": True, "manual_name": "run"}, **controls)


# --------------------------------------------------------------------------------- exercises
#: what an exercise's answer variable holds until the learner sets it
NOT_ANSWERED = ...


@dataclass(frozen=True)
class Exercise:
    """One exercise: a question whose answer the learner puts in ``answer_<number>``.

    Parameters
    ----------
    number : int
    question : str
        What to change and what to answer (the notebook's Markdown says it at length).
    solve : callable
        Computes the right answer by running the algorithm (so the notebook never states it).
    choices : sequence of str, optional
        The possible answers of a multiple-choice question; without them the answer is a
        number, right when within ``tolerance`` (absolute) or ``rel_tolerance`` of the solution.
    explain : callable, optional
        ``explain(solution) -> str``: why the answer is right, printed once it is.
    hint : str
        Printed with a wrong answer.
    """

    number: int
    question: str
    solve: Callable[[], Any]
    choices: tuple[str, ...] = ()
    tolerance: float = 0.0
    rel_tolerance: float = 0.0
    explain: Callable[[Any], str] | None = None
    hint: str = ""
    _cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def variable(self) -> str:
        return f"answer_{self.number}"

    def solution(self) -> Any:
        """The right answer (computed once)."""
        if "solution" not in self._cache:
            value = self.solve()
            if self.choices and value not in self.choices:
                raise ValueError(f"exercise {self.number}: the solution {value!r} is not one of "
                                 f"its choices {self.choices}")
            self._cache["solution"] = value
        return self._cache["solution"]

    def _is_right(self, answer: Any) -> bool:
        want = self.solution()
        if self.choices:
            return str(answer).strip().lower() == str(want).lower()
        a, b = float(answer), float(want)
        return math.isclose(a, b, rel_tol=self.rel_tolerance, abs_tol=self.tolerance)

    def _shape_problem(self, answer: Any) -> str | None:
        """Why ``answer`` cannot be an answer at all (wrong type, not a choice), or None."""
        if self.choices:
            if not isinstance(answer, str):
                return (f"{self.variable} should be one of the words {self._choices()}, not "
                        f"{type(answer).__name__} {answer!r}")
            if answer.strip().lower() not in (c.lower() for c in self.choices):
                return f"{answer!r} is not one of the choices {self._choices()}"
            return None
        if isinstance(answer, bool) or not isinstance(answer, (int, float)):
            return f"{self.variable} should be a number, not {type(answer).__name__} {answer!r}"
        if not math.isfinite(float(answer)):
            return f"{self.variable} should be a finite number, not {answer!r}"
        return None

    def _choices(self) -> str:
        return ", ".join(repr(c) for c in self.choices)

    def check(self, answer: Any) -> None:
        """Check the learner's ``answer``: a note while it is ``...`` (not answered yet), why it
        is right when it is, and ``AssertionError`` saying what is wrong otherwise."""
        if answer is NOT_ANSWERED:
            what = f"one of {self._choices()}" if self.choices else "a number"
            print(f"Exercise {self.number} is not answered yet: set {self.variable} to {what} "
                  "in the cell above, run it, then run this cell again.")
            return
        problem = self._shape_problem(answer)
        if problem is not None:
            raise AssertionError(f"Exercise {self.number}: {problem}.")
        if not self._is_right(answer):
            hint = f" Hint: {self.hint}" if self.hint else ""
            raise AssertionError(f"Exercise {self.number}: {answer!r} is not right.{hint} "
                                 f"Change {self.variable} and run both cells again.")
        why = self.explain(self.solution()) if self.explain else ""
        print(f"Exercise {self.number}: right. {why}".rstrip())
