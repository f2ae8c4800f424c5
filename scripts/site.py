"""``mlv site``: the course as a static website built from the renders, to open from ``file://``
or put on any web server.

``renders/<quality>/site/`` (a manifest's: ``renders/<quality>/<manifest>/site/``)::

    index.html              the course: its chapters, a card per lesson (poster frame, duration,
                            one-line summary) and a search box over titles and transcripts
    chapter-<N>.html        a chapter's stitched video, its markers as a chapters track
    <name>.html             a lesson (a scene render's name): its video with captions and a
                            chapters track of its beats, the interactive transcript, every
                            derivation step with its reason and how ``mlv check`` proved it
                            (MathML, from each step's LaTeX), the run's numbers, previous/next
    assets/site.css         the one style sheet (light and dark, phone and desktop)
    assets/player.js        the transcript and cue player; assets/search.js the search
    assets/search-index.js  the search index (titles and transcripts), a script, so it loads
                            from ``file://`` where a fetch could not
    media/                  videos (hard links to the renders where possible), their .vtt
                            captions, the chapters tracks, the poster frames (PNG) and the notes
                            PDFs and notebooks that exist
    slides/chapter<N>/      the chapter's slide deck (``mlv slides``), where one was built

Every link is relative and nothing is loaded from outside the folder. Browsers refuse to load
a ``<track>`` file from a ``file://`` page, so every page also carries its cues as JSON and
``player.js`` replaces the tracks with script-made ones holding them there (over http the
``<track>`` files load as usual).

The folder is built beside its final place (:meth:`Renders.building`) and renamed into it, the
old one moved :meth:`Renders.aside` meanwhile, under the renders folder's lock. The output is a
function of the renders alone (no dates, sorted JSON), so a rebuild is byte-identical.

This module imports only the standard library at import time.
"""
from __future__ import annotations

import contextlib
import html
import json
import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from mlv.scripts.errors import RenderError

if TYPE_CHECKING:
    from mlv.scripts.pipeline import SceneResult

#: the width of the poster frames on the index's cards (pixels, at most)
POSTER_WIDTH = 640
#: the longest one-line summary (characters)
SUMMARY_CHARS = 160
#: the static files of the site, kept beside this module
ASSETS = Path(__file__).resolve().parent / "site_assets"
ASSET_FILES = ("site.css", "player.js", "search.js")


@dataclass
class SiteChapter:
    """A chapter of the course as rendered: its number and title, its scenes' render results
    in order, and its stitched video with that video's record (``chapters``: the markers)."""

    number: int
    title: str
    results: Sequence[SceneResult]
    video: Path | None = None
    record: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Lesson:
    name: str
    title: str
    kind: str
    chapter: int
    chapter_title: str
    video: Path
    record: dict[str, Any]
    entry: Any
    derivations: list[dict[str, Any]] = field(default_factory=list)


# ----------------------------------------------------------------------------------- text


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def href(name: str) -> str:
    """A relative URL for a file name of the site (``=`` and ``.`` kept as they are)."""
    return quote(name, safe="/=.-_")


def clock(seconds: float) -> str:
    """``m:ss`` (or ``h:mm:ss``) for a duration or a time in the video."""
    s = int(round(float(seconds)))
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def vtt_stamp(t: float) -> str:
    ms = int(round(float(t) * 1000))
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def _seconds(stamp: str) -> float:
    parts = stamp.strip().split(":")
    secs = float(parts[-1])
    mins = int(parts[-2]) if len(parts) > 1 else 0
    hours = int(parts[-3]) if len(parts) > 2 else 0
    return round(hours * 3600 + mins * 60 + secs, 3)


def parse_vtt(text: str) -> list[tuple[float, float, str]]:
    """The cues of a WebVTT file: ``(start, end, text)``."""
    cues = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        lines = block.split("\n")
        for i, line in enumerate(lines):
            if "-->" in line:
                a, b = line.split("-->", 1)
                cues.append((_seconds(a), _seconds(b.split()[0]),
                             "\n".join(lines[i + 1:]).strip()))
                break
    return cues


def chapters_vtt(cues: Sequence[tuple[float, float, str]]) -> str:
    """A WebVTT chapters track: one cue per ``(start, end, title)``."""
    blocks = [f"{k}\n{vtt_stamp(a)} --> {vtt_stamp(b)}\n{t}\n"
              for k, (a, b, t) in enumerate(cues, start=1)]
    return "WEBVTT\n\n" + "\n".join(blocks)


def first_sentence(text: str, limit: int = SUMMARY_CHARS) -> str:
    """The first sentence of ``text``, cut at a word before ``limit`` characters."""
    text = " ".join(text.split())
    m = re.match(r"(.+?[.!?])(\s|$)", text)
    s = m.group(1) if m else text
    if len(s) > limit:
        s = s[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return s


def beat_title(text: str, limit: int = 60) -> str:
    """A chapter cue's title for a beat: the start of its first sentence."""
    return first_sentence(text, limit)


def script_json(data: object) -> str:
    """JSON to embed in a ``<script>``: sorted, and ``</`` written so it cannot end the tag."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False,
                      separators=(",", ":")).replace("</", "<\\/")


def math_ml(latex: str) -> str:
    """``latex`` as a MathML ``<math display="block">`` element (latex2mathml)."""
    from latex2mathml.converter import convert

    return convert(latex, display="block")


# ------------------------------------------------------------------------------ derivations


def derivation_data(entry: Any, proofs_path: Path | None) -> list[dict[str, Any]]:
    """What a lesson page shows of each derivation its catalog entry declares: every step's
    LaTeX (as MathML) and reason and the methods ``mlv check`` proved it with, and what the
    result is checked against. Proofs come from (and go back to) the proof cache."""
    if not entry.derivations:
        return []
    from mlv import derivations
    from mlv.derivations.proofs import ProofCache
    from mlv.scripts.notes import lesson_derivations

    cache = ProofCache()
    if proofs_path is not None:
        cache.load(proofs_path)
    out = []
    for d in lesson_derivations(entry):
        report = derivations.check(d, cache=cache)  # type: ignore[arg-type]
        by_index = {s.index: s for s in report.steps}
        steps = []
        for k, step in enumerate(d.steps):
            math = (d.lhs + " = " if k == 0 else "= ") + step.latex
            chk = by_index.get(k)
            steps.append({"mathml": math_ml(math), "latex": math, "reason": step.reason,
                          "proven": "+".join(chk.methods) if chk else "",
                          "ok": bool(chk.ok) if chk else False})
        extra = [s for s in report.steps if s.index >= len(d.steps)]
        out.append({"id": d.id, "title": d.title, "steps": steps, "ok": report.ok,
                    "checked_against": list(getattr(d, "checked_against", ())),
                    "reference": ["+".join(s.methods) for s in extra]})
    if proofs_path is not None:
        with contextlib.suppress(OSError):       # a read-only cache: proven again next time
            cache.save(proofs_path)
    return out


# ---------------------------------------------------------------------------------- media


def link_or_copy(src: Path, dest: Path) -> None:
    """``dest`` as a hard link to ``src`` (same bytes, no space), or a copy across devices."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dest)
    except OSError:
        shutil.copyfile(src, dest)


def _link_file(src: str, dest: str) -> str:
    link_or_copy(Path(src), Path(dest))
    return dest


def poster(video: Path, t: float, out: Path) -> None:
    """The frame of ``video`` at ``t`` seconds as a PNG at most :data:`POSTER_WIDTH` wide
    (bit-exact: the same video gives the same bytes)."""
    cmd = ["ffmpeg", "-v", "error", "-nostdin", "-y", "-ss", f"{t:.3f}", "-i", str(video),
           "-frames:v", "1", "-vf", f"scale='min({POSTER_WIDTH},iw)':-2", "-map_metadata", "-1",
           "-fflags", "+bitexact", "-flags:v", "+bitexact", "-f", "image2", "-c:v", "png",
           str(out)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0 or not out.exists() or out.stat().st_size == 0:
        tail = (done.stderr.strip().splitlines() or ["no frame written"])[-1]
        raise RenderError(f"ffmpeg could not take a poster frame of {video} at {t:.2f}s: {tail}")


def poster_time(record: dict[str, Any]) -> float:
    """Where a lesson's poster frame is taken: the end of its last key frame's beat (the
    picture the notes show last: the run drawn in full), else the middle of the video."""
    from mlv.scripts.notes.frames import frame_time, key_beats

    beats = record.get("timeline", {}).get("beats", [])
    duration = float(record.get("duration") or 0)
    if beats:
        return frame_time(beats[key_beats(beats)[-1]], duration)
    return duration / 2


# ---------------------------------------------------------------------------------- pages


def page(title: str, body: str, *, crumbs: Sequence[tuple[str, str]] = (),
         scripts: Sequence[str] = ("assets/player.js",), data: object = None) -> str:
    nav = ""
    if crumbs:
        items = "".join(f'<li><a href="{href(h)}">{esc(t)}</a></li>' for h, t in crumbs)
        nav = f'<nav class="crumbs" aria-label="Breadcrumb"><ol>{items}</ol></nav>'
    payload = ("" if data is None else
               f'<script type="application/json" id="mlv-data">{script_json(data)}</script>\n')
    tags = "".join(f'<script src="{s}"></script>\n' for s in scripts)
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<meta name=\"color-scheme\" content=\"light dark\">\n"
            f"<title>{esc(title)}</title>\n"
            "<link rel=\"icon\" href=\"data:,\">\n"            # no favicon request
            "<link rel=\"stylesheet\" href=\"assets/site.css\">\n</head>\n<body>\n"
            "<a class=\"skip\" href=\"#main\">Skip to the content</a>\n"
            f"<header class=\"top\">{nav}</header>\n"
            f"<main id=\"main\" tabindex=\"-1\">\n{body}</main>\n{payload}{tags}</body>\n</html>\n")


def video_block(stem: str, title: str, width: int, height: int, captions: str,
                chapters: str, chapters_label: str) -> str:
    return (f'<div class="player"><video id="video" controls preload="metadata" '
            f'width="{width}" height="{height}" poster="{href(f"media/{stem}.png")}" '
            f'aria-label="{esc("Video: " + title)}">\n'
            f'<source src="{href(f"media/{stem}.mp4")}" type="video/mp4">\n'
            f'<track kind="captions" src="{href(captions)}" srclang="en" '
            f'label="English">\n'
            f'<track kind="chapters" src="{href(chapters)}" srclang="en" '
            f'label="{esc(chapters_label)}">\n'
            "Your browser cannot play this video; "
            f'<a href="{href(f"media/{stem}.mp4")}">download it</a>.\n</video></div>\n')


def cue_list(cues: Sequence[tuple[float, float, str]], label: str, heading_id: str,
             links: Sequence[str | None] = ()) -> str:
    items = []
    for k, (a, b, text) in enumerate(cues):
        link = links[k] if k < len(links) else None
        more = (f' <a class="open" href="{href(link)}">open the lesson</a>' if link else "")
        items.append(f'<li><button type="button" class="cue" data-start="{a:.3f}" '
                     f'data-end="{b:.3f}"><span class="at">{clock(a)}</span> '
                     f'<span class="text">{esc(text)}</span></button>{more}</li>')
    return (f'<ol class="transcript" aria-labelledby="{heading_id}" '
            f'aria-label="{esc(label)}">\n' + "\n".join(items) + "\n</ol>\n")


def derivations_html(ds: list[dict[str, Any]]) -> str:
    if not ds:
        return ""
    parts = ['<section class="derivations" aria-labelledby="derivations-h">',
             '<h2 id="derivations-h">Derivations</h2>',
             '<p class="note">Every step is proven equal to the one before it by SymPy '
             '(<code>mlv check</code>); the methods are named under each step.</p>']
    for d in ds:
        parts.append(f'<article class="derivation" id="{esc(d["id"])}">'
                     f'<h3>{esc(d["title"])}</h3><ol class="steps">')
        for s in d["steps"]:
            parts.append(f'<li><div class="math">{s["mathml"]}</div>'
                         f'<p class="reason">{esc(s["reason"])}</p>'
                         f'<p class="proof">{"proven" if s["ok"] else "NOT proven"}: '
                         f'{esc(s["proven"])}</p></li>')
        parts.append("</ol>")
        checks = list(d["checked_against"])
        if checks:
            parts.append(f'<p class="checked">Checked against {esc("; ".join(checks))}.</p>')
        parts.append(f'<p class="proof">Derivation <code>{esc(d["id"])}</code>: '
                     f'{"every step proven" if d["ok"] else "NOT proven"}.</p></article>')
    parts.append("</section>\n")
    return "\n".join(parts)


def numbers_html(numbers: dict[str, Any]) -> str:
    if not numbers:
        return ""
    from mlv.scripts.notes import format_number

    rows = "\n".join(f'<tr><th scope="row">{esc(k)}</th><td>{esc(format_number(v))}</td></tr>'
                     for k, v in numbers.items())
    return ('<section class="numbers" aria-labelledby="numbers-h">'
            '<h2 id="numbers-h">The run\'s final numbers</h2>\n<table>\n'
            '<thead><tr><th scope="col">quantity</th><th scope="col">value</th></tr></thead>\n'
            f"<tbody>\n{rows}\n</tbody>\n</table></section>\n")


# ---------------------------------------------------------------------------------- build


def _publish_dir(tmp: Path, out: Path) -> None:
    """Rename the built folder ``tmp`` onto ``out``, the old one moved aside meanwhile (the
    lock's sweep puts it back if a killed run left it there without a replacement)."""
    from mlv.scripts.renders import Renders

    old = None
    if out.exists():
        old = Renders.aside(out)
        shutil.rmtree(old, ignore_errors=True)
        out.rename(old)
    tmp.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def build_site(course_title: str, chapters: Sequence[SiteChapter], out: Path, *,
               proofs: Path | None = None, notes_dir: Path | None = None,
               notebooks: Path | None = None, slides: dict[int, Path] | None = None) -> Path:
    """Write the site of ``chapters`` to ``out`` (see the module docstring), built beside it
    and renamed into place. ``notes_dir`` and ``notebooks`` are where the chapters' notes PDFs
    and the lessons' notebooks are, and ``slides`` each chapter's slide deck folder, if built;
    those that exist are copied in (``media/``, ``slides/chapter<N>/``) and linked."""
    from mlv.scripts.renders import Renders

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Renders.building(out)
    tmp.mkdir()
    try:
        _write(course_title, chapters, tmp, proofs, notes_dir, notebooks, slides or {})
        _publish_dir(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def _write(course_title: str, chapters: Sequence[SiteChapter], root: Path,
           proofs: Path | None, notes_dir: Path | None, notebooks: Path | None,
           slides: dict[int, Path]) -> None:
    media = root / "media"
    media.mkdir()
    (root / "assets").mkdir()
    for name in ASSET_FILES:
        shutil.copyfile(ASSETS / name, root / "assets" / name)
    lessons: list[_Lesson] = []
    seen: dict[str, _Lesson] = {}
    by_chapter: dict[int, list[_Lesson]] = {}
    for ch in chapters:
        mine = []
        for r in ch.results:
            name = r.entry.key
            if name not in seen:
                seen[name] = _Lesson(name, r.entry.title, r.entry.kind, ch.number, ch.title,
                                     Path(r.video), dict(r.record), r.entry)
                lessons.append(seen[name])
            mine.append(seen[name])
        by_chapter[ch.number] = mine
    for ls in lessons:
        ls.derivations = derivation_data(ls.entry, proofs)
        link_or_copy(ls.video, media / f"{ls.name}.mp4")
        shutil.copyfile(ls.video.with_suffix(".vtt"), media / f"{ls.name}.vtt")
        poster(ls.video, poster_time(ls.record), media / f"{ls.name}.png")
    extras: dict[int, list[tuple[str, str]]] = {}
    for ch in chapters:
        links = []
        pdf = notes_dir / f"chapter{ch.number}.pdf" if notes_dir else None
        if pdf is not None and pdf.is_file():
            shutil.copyfile(pdf, media / f"notes-chapter{ch.number}.pdf")
            links.append((f"media/notes-chapter{ch.number}.pdf", "Lecture notes (PDF)"))
        deck = slides.get(ch.number)
        if deck is not None and (deck / "index.html").is_file():
            shutil.copytree(deck, root / "slides" / f"chapter{ch.number}",
                            copy_function=_link_file)
            links.append((f"slides/chapter{ch.number}/index.html", "Slides (RevealJS)"))
        extras[ch.number] = links
        if ch.video is not None and ch.video.exists():
            stem = f"chapter{ch.number}"
            link_or_copy(ch.video, media / f"{stem}.mp4")
            shutil.copyfile(ch.video.with_suffix(".vtt"), media / f"{stem}.vtt")
            marks = [(float(m["start"]), float(m["end"]), str(m["title"]))
                     for m in ch.record.get("chapters", [])]
            (media / f"{stem}.chapters.vtt").write_text(chapters_vtt(marks), encoding="utf-8")
            first = by_chapter[ch.number][0] if by_chapter[ch.number] else None
            if first is not None:
                shutil.copyfile(media / f"{first.name}.png", media / f"{stem}.png")
    notebook_of: dict[str, str] = {}
    for ls in lessons:
        nb = notebooks / f"{ls.entry.id}.ipynb" if notebooks else None
        if nb is not None and nb.is_file() and ls.entry.id not in notebook_of:
            shutil.copyfile(nb, media / f"{ls.entry.id}.ipynb")
            notebook_of[ls.entry.id] = f"media/{ls.entry.id}.ipynb"
    search = []
    for k, ls in enumerate(lessons):
        prev = lessons[k - 1] if k else None
        nxt = lessons[k + 1] if k + 1 < len(lessons) else None
        _lesson_page(root, course_title, ls, prev, nxt, extras.get(ls.chapter, []),
                     notebook_of.get(ls.entry.id))
        beats = ls.record.get("timeline", {}).get("beats", [])
        search.append({"url": f"{href(ls.name)}.html", "title": ls.title,
                       "chapter": f"Chapter {ls.chapter}: {ls.chapter_title}",
                       "text": " ".join(b["text"] for b in beats)})
    for ch in chapters:
        if ch.video is not None and ch.video.exists():
            _chapter_page(root, course_title, ch, by_chapter[ch.number], extras[ch.number])
    (root / "assets" / "search-index.js").write_text(
        "window.MLV_SEARCH = " + script_json(search) + ";\n", encoding="utf-8")
    _index_page(root, course_title, chapters, by_chapter)


def _tracks(captions: Path, chapter_cues: list[tuple[float, float, str]]) -> dict:
    """What ``player.js`` fills the tracks from where the ``<track>`` files cannot load."""
    caps = parse_vtt(captions.read_text(encoding="utf-8"))
    return {"captions": [[a, b, t] for a, b, t in caps],
            "chapters": [[round(a, 3), round(b, 3), t] for a, b, t in chapter_cues]}


def _lesson_page(root: Path, course_title: str, ls: _Lesson, prev: _Lesson | None,
                 nxt: _Lesson | None, extras: list[tuple[str, str]],
                 notebook: str | None) -> None:
    beats = ls.record.get("timeline", {}).get("beats", [])
    cues = [(round(float(b["start"]), 3), round(float(b["end"]), 3), str(b["text"]))
            for b in beats]
    chapter_cues = [(a, b, beat_title(t)) for a, b, t in cues]
    (root / "media" / f"{ls.name}.chapters.vtt").write_text(chapters_vtt(chapter_cues),
                                                           encoding="utf-8")
    w, h = int(ls.record.get("width") or 854), int(ls.record.get("height") or 480)
    chapter_page = f"chapter-{ls.chapter}.html"
    links = list(extras) + ([(notebook, "The lesson's notebook (Jupyter)")] if notebook else [])
    body = [f"<h1>{esc(ls.title)}</h1>",
            f'<p class="meta">Chapter {ls.chapter}: {esc(ls.chapter_title)} · '
            f'{clock(float(ls.record.get("duration") or 0))}</p>',
            video_block(ls.name, ls.title, w, h, f"media/{ls.name}.vtt",
                        f"media/{ls.name}.chapters.vtt", "Beats"),
            '<section class="transcript-box" aria-labelledby="transcript-h">'
            '<h2 id="transcript-h">Transcript</h2>'
            '<p class="note">Select a line to play the video from there.</p>',
            cue_list(cues, "Transcript", "transcript-h"), "</section>",
            derivations_html(ls.derivations), numbers_html(ls.record.get("numbers") or {})]
    if links:
        body.append('<section aria-labelledby="more-h"><h2 id="more-h">More</h2><ul>'
                    + "".join(f'<li><a href="{href(u)}">{esc(t)}</a></li>' for u, t in links)
                    + "</ul></section>")
    pager = []
    if prev:
        pager.append(f'<a rel="prev" href="{href(prev.name)}.html">← Previous: '
                     f'{esc(prev.title)}</a>')
    if nxt:
        pager.append(f'<a rel="next" href="{href(nxt.name)}.html">Next: {esc(nxt.title)} →</a>')
    body.append(f'<nav class="pager" aria-label="Lessons">{"".join(pager)}</nav>\n')
    crumbs = [("index.html", course_title)]
    if (root / "media" / f"chapter{ls.chapter}.mp4").exists():
        crumbs.append((chapter_page, f"Chapter {ls.chapter}: {ls.chapter_title}"))
    text = page(f"{ls.title} · {course_title}", "\n".join(body), crumbs=crumbs,
                data=_tracks(ls.video.with_suffix(".vtt"), chapter_cues))
    (root / f"{ls.name}.html").write_text(text, encoding="utf-8")


def _chapter_page(root: Path, course_title: str, ch: SiteChapter, lessons: list[_Lesson],
                  extras: list[tuple[str, str]]) -> None:
    stem = f"chapter{ch.number}"
    marks = [(round(float(m["start"]), 3), round(float(m["end"]), 3), str(m["title"]))
             for m in ch.record.get("chapters", [])]
    names = [ls.name for ls in lessons]
    links = [f"{n}.html" if k < len(names) else None for k, n in
             enumerate(names + [""] * max(0, len(marks) - len(names)))]
    first = lessons[0] if lessons else None
    w = int(first.record.get("width") or 854) if first else 854
    h = int(first.record.get("height") or 480) if first else 480
    title = f"Chapter {ch.number}: {ch.title}"
    body = [f"<h1>{esc(title)}</h1>",
            f'<p class="meta">{len(lessons)} videos · '
            f'{clock(float(ch.record.get("duration") or 0))}</p>',
            video_block(stem, title, w, h, f"media/{stem}.vtt", f"media/{stem}.chapters.vtt",
                        "Lessons"),
            '<section aria-labelledby="markers-h"><h2 id="markers-h">In this chapter</h2>'
            '<p class="note">Select a marker to play the chapter from there.</p>',
            cue_list(marks, "Chapter markers", "markers-h", links), "</section>"]
    if extras:
        body.append('<section aria-labelledby="more-h"><h2 id="more-h">More</h2><ul>'
                    + "".join(f'<li><a href="{href(u)}">{esc(t)}</a></li>' for u, t in extras)
                    + "</ul></section>")
    text = page(f"{title} · {course_title}", "\n".join(body),
                crumbs=[("index.html", course_title)],
                data=_tracks(ch.video.with_suffix(".vtt") if ch.video else Path(), marks))
    (root / f"chapter-{ch.number}.html").write_text(text, encoding="utf-8")


def _index_page(root: Path, course_title: str, chapters: Sequence[SiteChapter],
                by_chapter: dict[int, list[_Lesson]]) -> None:
    body = [f"<h1>{esc(course_title)}</h1>",
            '<p class="lead">Narrated lecture videos: every number on screen comes from a NumPy '
            'run, every derivation step is proven by SymPy.</p>',
            '<div class="search" role="search"><label for="q">Search the titles and '
            'transcripts</label> <input type="search" id="q" autocomplete="off" '
            'aria-controls="results" aria-describedby="results-count">'
            '<p id="results-count" class="note" aria-live="polite"></p>'
            '<ol id="results" class="results"></ol></div>']
    for ch in chapters:
        title = f"Chapter {ch.number}: {ch.title}"
        head = (f'<a href="chapter-{ch.number}.html">{esc(title)}</a>'
                if ch.video is not None and ch.video.exists() else esc(title))
        body.append(f'<section class="chapter" aria-labelledby="ch{ch.number}-h">'
                    f'<h2 id="ch{ch.number}-h">{head}</h2><ul class="cards">')
        for ls in by_chapter[ch.number]:
            beats = ls.record.get("timeline", {}).get("beats", [])
            summary = first_sentence(beats[0]["text"]) if beats else ""
            w, h = int(ls.record.get("width") or 16), int(ls.record.get("height") or 9)
            pw = min(POSTER_WIDTH, w)
            body.append(f'<li class="card"><a href="{href(ls.name)}.html">'
                        f'<img src="{href(f"media/{ls.name}.png")}" width="{pw}" '
                        f'height="{pw * h // w // 2 * 2}" loading="lazy" '
                        f'alt="{esc("A frame of the video " + ls.title)}">'
                        f'<span class="card-title">{esc(ls.title)}</span></a>'
                        f'<p class="meta">{clock(float(ls.record.get("duration") or 0))}</p>'
                        f'<p class="summary">{esc(summary)}</p></li>')
        body.append("</ul></section>")
    text = page(course_title, "\n".join(body) + "\n",
                scripts=("assets/search-index.js", "assets/search.js"))
    (root / "index.html").write_text(text, encoding="utf-8")


__all__ = ["SiteChapter", "build_site", "chapters_vtt", "first_sentence", "parse_vtt"]
