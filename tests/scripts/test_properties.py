"""Bad input everywhere, property-based (hypothesis): random and hostile values for every
command and every manifest field. Whatever comes in, a run ends with exit status 0, or with one
line on stderr and exit status 2: never a traceback, and nothing is written outside renders/.

The CLI runs in process (``mlv.scripts.cli.main``), so examples are fast; input that passes
validation would start real work, so the pipeline's ``render_requests`` (every command's way to
render: ``render_many`` goes through it too) is replaced by a stub that stops the run there
(counted as "accepted"). ``mlv course FILE --dry-run`` validates a manifest and prints its plan
without rendering. The example counts are reported in README.md
("Reliability"); ``MLV_PROPERTY_EXAMPLES`` scales them.
"""
import contextlib
import io
import math
import os
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from mlv.scenes import catalog
from mlv.scenes import params as scene_params
from mlv.scripts.errors import MlvError

SCALE = float(os.environ.get("MLV_PROPERTY_EXAMPLES", "1"))
SETTINGS = dict(deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                       HealthCheck.data_too_large])
SCENE_IDS = [s.id for s in catalog.SCENES]
PARAM_NAMES = sorted({p.name for sid in SCENE_IDS for p in scene_params.spec(sid)})
#: what each property saw, for the report: outcome -> count
SEEN: dict[str, Counter] = {}


class Accepted(Exception):
    """Raised by the stubbed ``render_requests``: the input passed every check."""


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    """cwd = an empty temp folder, MLV_RENDERS = renders/ inside it, render_requests stubbed."""
    from mlv.scripts import pipeline

    root = tmp_path_factory.mktemp("sandbox")
    old_cwd, old_env = os.getcwd(), os.environ.get("MLV_RENDERS")
    real = pipeline.render_requests

    def stub(*a, **kw):
        raise Accepted()

    os.chdir(root)
    os.environ["MLV_RENDERS"] = str(root / "renders")
    pipeline.render_requests = stub
    (root / "manifests").mkdir()
    try:
        yield root
    finally:
        pipeline.render_requests = real
        os.chdir(old_cwd)
        if old_env is None:
            os.environ.pop("MLV_RENDERS", None)
        else:
            os.environ["MLV_RENDERS"] = old_env
    for name, counts in SEEN.items():
        print(f"\n{name}: {sum(counts.values())} examples {dict(counts)}", file=sys.__stderr__)


def listing(root: Path) -> set[str]:
    """Every path under ``root`` except the manifests the tests write."""
    return {p.relative_to(root).as_posix() for p in root.rglob("*")
            if p.relative_to(root).parts[0] != "manifests"}


def run_cli(root: Path, argv: list[str], tally: str) -> tuple[int | str, str, str]:
    """``mlv ARGV`` in process: (exit status or "accepted", stdout, stderr), after checking the
    contract: exit 0, or exit 2 with one line on stderr; no traceback; nothing written."""
    from mlv.scripts import cli

    before = listing(root)
    out, err = io.StringIO(), io.StringIO()
    code: int | str
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            cli.main(argv)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except Accepted:
            code = "accepted"
    stderr = err.getvalue()
    SEEN.setdefault(tally, Counter())[code] += 1
    assert "Traceback" not in stderr and "Traceback" not in out.getvalue()
    assert code in (0, 2, "accepted"), (argv, code, stderr)
    if code == 2:
        lines = stderr.strip().splitlines()
        assert len(lines) == 1, (argv, stderr)
        assert lines[0].startswith("mlv: error: "), (argv, stderr)
    assert listing(root) == before, (argv, listing(root) ^ before)     # nothing written at all
    return code, out.getvalue(), stderr


# ------------------------------------------------------------------------------- the commands

HOSTILE = ["", " ", "-", "--", "../../etc", "../../../../etc/passwd", "/etc", "~", "~root",
           "nan", "NaN", "-nan", "inf", "-inf", "1e309", "-1", "0", "00", "+3", "0x10", "1_000",
           "9" * 5000, "é", "😀", "\u202e", "\t", "\n", "a\nb", "a\rb", "\x1b[31m", "%s%n",
           "$(touch pwned)", "`touch pwned`", "; touch pwned", "'", '"', "\\", "NUL", "CON",
           "chapter-1-title", "linear-regression-mse", "optimizers", "mse-gradient-w", "1", "2",
           "4", "5", "99", "-q", "--quality", "low", "4k", "ultra", "--voice", "none", "espeak",
           "-j", "--workers", "--force", "--dry-run", "--fresh", "--json", "--manifest",
           "--scheduler", "tcp://127.0.0.1:9", "--set", "lr=0.05", "lr=nan", "lr=-inf",
           "lr=1e309", "lr=", "=1", "lr", "steps=-1", "steps=1.5", "steps=9999999999999999999",
           "title=../../etc", "title=" + "x" * 500, "number=0", "number=1e3", "k=3",
           "activation=relu", "activation=tanh", "--help", "-h", "--version", "courses",
           "courses/optimization-unit.toml", "renders", "renders/.lock", "/dev/null", "/dev/zero"]
COMMANDS = ["list", "render", "chapter", "course", "slides", "check", "doctor", "params",
            "notes", "nosuchcommand", "--badflag"]

token = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=24).filter(lambda s: "\x00" not in s),   # argv cannot hold a NUL byte
    st.integers(min_value=-2**70, max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


_DERIVATIONS: set[str] = set()


def _all_known_derivations(argv: list[str]) -> bool:
    """``mlv check`` of known derivations only would prove them (real work, seconds each)."""
    if not argv or argv[0] != "check":
        return False
    if not _DERIVATIONS:
        from mlv import derivations

        _DERIVATIONS.update(d.id for d in derivations.all_derivations())
    known = _DERIVATIONS
    ids = [a for a in argv[1:] if not a.startswith("-")]
    return all(i in known for i in ids) and "--help" not in argv and "-h" not in argv


@settings(max_examples=int(400 * SCALE), **SETTINGS)
@given(command=st.sampled_from(COMMANDS), args=st.lists(token, max_size=6))
def test_any_command_line_is_exit_0_or_one_line_and_exit_2(sandbox, command, args):
    argv = [command, *args]
    assume(not _all_known_derivations(argv))
    run_cli(sandbox, argv, "command lines")


@st.composite
def assignments(draw):
    """A scene (mostly one with parameters) and 1-3 ``--set NAME=VALUE``: valid values written
    in several ways, or hostile names and values."""
    with_params = sorted(scene_params.SPECS)
    scene = draw(st.one_of(st.sampled_from(with_params), st.sampled_from(SCENE_IDS)))
    spec = scene_params.spec(scene)
    sets = []
    for _ in range(draw(st.integers(1, 3))):
        if spec and draw(st.integers(0, 2)):
            p = draw(st.sampled_from(spec))
            v = draw(good_value(p))
            shown = draw(st.sampled_from([str(v), f" {v} ", repr(v)])) if p.kind != "text" \
                else v
            value = shown if draw(st.integers(0, 5)) else draw(
                st.one_of(st.sampled_from(HOSTILE), token))
            sets.append((draw(st.sampled_from([p.name, f" {p.name}", p.name.upper()])), value))
        else:
            sets.append((draw(st.one_of(st.sampled_from(PARAM_NAMES + ["", " x", "é"]), text)),
                         draw(token)))
    return scene, sets


@settings(max_examples=int(400 * SCALE), **SETTINGS)
@given(case=assignments(), command=st.sampled_from([["render"], ["render", "--force"]]))
def test_scene_parameters_from_the_command_line(sandbox, case, command):
    scene, sets = case
    argv = [*command, scene]
    for name, value in sets:
        argv += ["--set", f"{name}={value}"]
    code, _, err = run_cli(sandbox, argv, "--set values")
    if code == "accepted":                        # then every value was valid for the scene
        spec = {p.name: p for p in scene_params.spec(scene)}
        for name, value in sets:
            p = spec[name.strip()]
            checked = p.parse(value.strip())
            if isinstance(checked, float):
                assert math.isfinite(checked) and p.low <= checked <= p.high


# ------------------------------------------------------------------------------ the manifests


def toml_string(s: str) -> str:
    out = []
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf") if math.isinf(v) \
            else repr(v)
    if isinstance(v, str):
        return toml_string(v)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{toml_string(k)} = {toml_value(x)}" for k, x in v.items()) + "}"
    raise TypeError(v)


def to_toml(doc: dict) -> str:
    """A manifest as TOML: top-level keys, then ``[[chapters]]`` tables when every chapter is a
    table (so the validator's line numbers are exercised), else an inline array."""
    lines = [f"{toml_string(k)} = {toml_value(v)}" for k, v in doc.items() if k != "chapters"]
    chapters = doc.get("chapters")
    if isinstance(chapters, list) and chapters and all(isinstance(c, dict) for c in chapters):
        for ch in chapters:
            lines.append("[[chapters]]")
            lines += [f"{toml_string(k)} = {toml_value(v)}" for k, v in ch.items()]
    elif "chapters" in doc:
        lines.insert(0, f"chapters = {toml_value(chapters)}")
    return "\n".join(lines) + "\n"


INT64 = st.integers(min_value=-2**63, max_value=2**63 - 1)
text = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40))
scalar = st.one_of(text, INT64, st.floats(), st.booleans())
junk = st.recursive(scalar, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(text, inner, max_size=3)), max_leaves=6)
hostile = st.one_of(text, junk)
GOOD_TITLES = ["Optimization", "Clustering and dimensionality reduction", "A course",
               "Ünïcødé ✓ 学习", "Chapter one: the gradient", "x"]


@st.composite
def good_value(draw, p):
    """A valid value of parameter ``p`` (the types a TOML manifest gives)."""
    if p.kind == "int":
        return draw(st.integers(min_value=int(p.low), max_value=int(p.high)))
    if p.kind == "float":
        return draw(st.floats(min_value=p.low, max_value=p.high))
    if p.kind == "choice":
        return draw(st.sampled_from(p.choices))
    return draw(st.sampled_from(GOOD_TITLES))


@st.composite
def good_scene(draw):
    sid = draw(st.sampled_from(SCENE_IDS))
    if draw(st.booleans()):
        return sid
    table = {"id": sid}
    if draw(st.booleans()):
        table["title"] = draw(st.sampled_from(GOOD_TITLES))
    spec = scene_params.spec(sid)
    if spec and draw(st.booleans()):
        chosen = draw(st.lists(st.sampled_from(spec), max_size=len(spec), unique_by=id))
        table["params"] = {p.name: draw(good_value(p)) for p in chosen}
    return table


@st.composite
def manifest_doc(draw):
    """A valid manifest, then (mostly) one field of it replaced by something hostile: the title,
    a chapter, a chapter's title or scenes, a scene entry, its id, title, params or one param
    value, or an unknown key anywhere."""
    titles = draw(st.lists(st.sampled_from(GOOD_TITLES), min_size=1, max_size=3, unique=True))
    doc = {"title": draw(st.sampled_from(GOOD_TITLES)),
           "chapters": [{"title": t, "scenes": draw(st.lists(good_scene(), min_size=1,
                                                             max_size=3))} for t in titles]}
    where = draw(st.sampled_from(["none", "title", "chapters", "chapter", "chapter title",
                                  "scenes", "scene", "scene id", "scene title", "params",
                                  "param value", "unknown key", "drop"]))
    ch = draw(st.sampled_from(doc["chapters"]))
    k = draw(st.integers(0, len(ch["scenes"]) - 1))
    if where == "title":
        doc["title"] = draw(hostile)
    elif where == "chapters":
        doc["chapters"] = draw(st.one_of(junk, st.just([])))
    elif where == "chapter":
        doc["chapters"][draw(st.integers(0, len(doc["chapters"]) - 1))] = draw(junk)
    elif where == "chapter title":
        ch["title"] = draw(hostile)
    elif where == "scenes":
        ch["scenes"] = draw(st.one_of(junk, st.just([]), st.lists(hostile, max_size=3)))
    elif where == "scene":
        ch["scenes"][k] = draw(hostile)
    elif where in ("scene id", "scene title", "params", "param value"):
        item = ch["scenes"][k]
        item = {"id": item} if isinstance(item, str) else item
        ch["scenes"][k] = item
        if where == "scene id":
            item["id"] = draw(hostile)
        elif where == "scene title":
            item["title"] = draw(hostile)
        elif where == "params":
            item["params"] = draw(st.one_of(junk, st.dictionaries(text, hostile, max_size=3)))
        else:
            spec = scene_params.spec(item["id"])
            name = draw(st.sampled_from([p.name for p in spec])) if spec else draw(text)
            item.setdefault("params", {})[name] = draw(st.one_of(
                hostile, st.sampled_from([0, -1, 2**31, 2**63 - 1, -2**63, 1e308, -0.0,
                                          float("nan"), float("inf"), 1e-320, True]),
                st.floats()))
    elif where == "unknown key":
        target = draw(st.sampled_from(["doc", "chapter", "scene"]))
        key = draw(st.one_of(st.sampled_from(["sceens", "chapter", "id", "params"]), text))
        if target == "doc" and key not in ("title", "chapters"):
            doc[key] = draw(junk)
        elif target == "chapter" and key not in ("title", "scenes"):
            ch[key] = draw(junk)
        elif isinstance(ch["scenes"][k], dict) and key not in ("id", "title", "params"):
            ch["scenes"][k][key] = draw(junk)
    elif where == "drop":
        victim = draw(st.sampled_from(["title", "chapters", "chapter title", "scenes"]))
        if victim in ("title", "chapters"):
            doc.pop(victim)
        else:
            ch.pop("title" if victim == "chapter title" else "scenes")
    return doc


def _write(root: Path, name: str, data: bytes) -> Path:
    path = root / "manifests" / name
    path.write_bytes(data)
    return path


@settings(max_examples=int(800 * SCALE), **SETTINGS)
@given(doc=manifest_doc())
def test_any_manifest_is_a_plan_or_one_line_and_exit_2(sandbox, doc):
    path = _write(sandbox, "course.toml", to_toml(doc).encode())
    code, out, err = run_cli(sandbox, ["course", str(path), "--dry-run"], "manifests (dry run)")
    assert code in (0, 2)
    from mlv.scripts.manifest import load_manifest
    try:
        title, chapters = load_manifest(path)
    except MlvError:
        assert code == 2
        return
    assert code == 0 and out.startswith(title)
    for n, ctitle, entries in chapters:                # the plan lists every scene it would use
        assert entries and f"chapter {n}: {ctitle}" in out
        for e in entries:
            assert e.key in out
            # outputs are named by id and parameters: never a path out of renders/
            assert "/" not in e.key and ".." not in e.key and "\\" not in e.key


@settings(max_examples=int(300 * SCALE), **SETTINGS)
@given(data=st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode)),
       name=st.sampled_from(["m.toml", "é ü.toml", "no-suffix", ".hidden.toml",
                             "x" * 200 + ".toml"]))
def test_any_manifest_bytes_are_a_plan_or_one_line_and_exit_2(sandbox, data, name):
    path = _write(sandbox, name, data)
    run_cli(sandbox, ["course", str(path), "--dry-run"], "manifest bytes (dry run)")
    from mlv.scripts.manifest import load_manifest
    # random bytes may (rarely) be a valid manifest; any error but MlvError is a bug
    with contextlib.suppress(MlvError):
        load_manifest(path)


@settings(max_examples=int(300 * SCALE), **SETTINGS)
@given(doc=manifest_doc(), command=st.sampled_from([["course"], ["notes", "--manifest"]]))
def test_a_manifest_that_passes_is_accepted_by_every_command_that_reads_it(sandbox, doc,
                                                                           command):
    path = _write(sandbox, "course.toml", to_toml(doc).encode())
    code, _, _ = run_cli(sandbox, [*command, str(path), "--voice", "none"],
                         "manifests (course, notes)")
    from mlv.scripts.manifest import load_manifest
    try:
        load_manifest(path)
        valid = True
    except MlvError:
        valid = False
    assert code == ("accepted" if valid else 2)


# ------------------------------------------------------------------------- the renders folder

RENDERS = ["", ".", "..", "renders/../elsewhere", "/dev/null", "/proc/mlv-nope", "/",
           "/etc/passwd/renders", "renders/.lock", "a/b/c/d", "é ü", "😀", " ", "-", "--force",
           "~", "x" * 300, "/" + "y" * 5000]


@settings(max_examples=int(200 * SCALE), **SETTINGS)
@given(renders=st.one_of(st.sampled_from(RENDERS),
                         st.text(max_size=30).filter(lambda s: "\x00" not in s)),
       argv=st.sampled_from([["render", "no-such-scene"], ["chapter", "99"],
                             ["course", "missing.toml"], ["check", "no-such-derivation"],
                             ["slides", "0"], ["notes", "--manifest", "missing.toml"],
                             ["course", "--dry-run"], ["list"]]))
def test_any_renders_folder_setting_is_one_line_and_leaves_nothing(sandbox, renders, argv):
    """MLV_RENDERS may name anything: a file, a folder that cannot be made, one far away. A
    command that writes nothing leaves nothing, not even the folder it locked."""
    assume(not renders.strip().startswith("/") or renders in RENDERS)   # stay in the sandbox
    os.environ["MLV_RENDERS"] = renders
    try:
        code, _, err = run_cli(sandbox, argv, "MLV_RENDERS settings")
    finally:
        os.environ["MLV_RENDERS"] = str(sandbox / "renders")
    assert code in (0, 2)
    if argv == ["list"]:                          # reads nothing there, writes nothing
        assert code == 0
