"""``mlv``: render, stitch, check and diagnose the course.

A thin click CLI: heavy modules (manim, sympy) are imported inside the commands that need them.
Bad input gets one line on stderr and exit status 2; a failed render exits 1. The rendering
commands build one :class:`~mlv.scripts.request.RenderRequest` per scene from their arguments
and hand them to :mod:`mlv.scripts.pipeline`. Ctrl-C, SIGTERM and SIGHUP stop a run the same
way (its workers end, nothing queued starts, temporary files are swept): exit status 130, 143
and 129.
"""
from __future__ import annotations

import json
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

import click

from mlv.scenes.narration import VOICES
from mlv.scripts.common import hold_renders as _hold_renders
from mlv.scripts.common import known_chapter as _known_chapter
from mlv.scripts.common import progress as _progress
from mlv.scripts.errors import MlvError, RenderError, Stopped, one_line
from mlv.scripts.notebooks import notebooks_command
from mlv.scripts.notes import notes_command
from mlv.scripts.renders import QUALITIES, Renders

if TYPE_CHECKING:
    from mlv.scenes.catalog import SceneEntry
    from mlv.scripts.request import RenderRequest

#: the signals that stop a run as Ctrl-C does
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _default_voice() -> str:
    from mlv.scenes.narration import default_voice

    return default_voice()


def _renders() -> Path:
    return Renders.default().root


def _requests(entries: list[SceneEntry], quality: str, voice: str) -> list[RenderRequest]:
    """The render request of each scene (built here, once, for the whole command)."""
    from mlv.scripts.request import RenderRequest

    return RenderRequest.of(entries, quality, voice, Renders.default())


def _say(msg: str) -> None:
    click.echo(msg, err=True)


quality_option = click.option("--quality", "-q", type=click.Choice(list(QUALITIES)),
                              default="low", show_default=True, help="Output resolution.")
voice_option = click.option("--voice", type=click.Choice(VOICES), default=None,
                            help="Narration voice [default: piper if installed, else espeak "
                                 "if installed, else none].")
workers_option = click.option("--workers", "-j", type=click.IntRange(min=1), default=None,
                              help="Scenes rendered at once [default: the number of cores].")
force_option = click.option("--force", is_flag=True, help="Re-render even when cached.")
scheduler_option = click.option("--scheduler", metavar="ADDRESS", default=None,
                                help="Render on the Dask cluster at ADDRESS "
                                     "(tcp://host:8786); files come back here.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mlv")
def cli() -> None:
    """Machine learning from first principles, as narrated lecture videos."""


@cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the catalog as JSON.")
def list_cmd(as_json: bool) -> None:
    """The catalog: chapter, id, title, class."""
    from mlv.scenes import catalog

    rows = [{"chapter": s.chapter, "order": s.order, "id": s.id, "title": s.title,
             "class": f"{s.module}.{s.cls}", "kind": s.kind}
            for n in sorted(catalog.CHAPTERS) for s in catalog.chapter(n)]
    if as_json:
        click.echo(json.dumps(rows, indent=1))
        return
    for n in sorted(catalog.CHAPTERS):
        scenes = catalog.chapter(n)
        click.echo(f"Chapter {n}: {catalog.CHAPTERS[n]}" + ("" if scenes else "  (no scenes yet)"))
        for s in scenes:
            click.echo(f"  {s.id:<32} {s.title:<54} {s.module}.{s.cls}")


def _entry(scene_id: str):
    from mlv.scenes import catalog

    try:
        return catalog.by_id(scene_id)
    except KeyError:
        import difflib

        ids = [s.id for s in catalog.SCENES]
        near = difflib.get_close_matches(scene_id, ids, n=1)
        hint = f"; did you mean {near[0]!r}?" if near else "; 'mlv list' shows the ids"
        raise MlvError(f"no scene {scene_id!r}{hint}") from None


@cli.command()
@click.argument("scene_id")
@click.option("--set", "assignments", metavar="NAME=VALUE", multiple=True,
              help="Set a scene parameter (repeatable); 'mlv params ID' lists them.")
@quality_option
@voice_option
@force_option
def render(scene_id: str, assignments: tuple[str, ...], quality: str, voice: str | None,
           force: bool) -> None:
    """Render one scene to renders/<quality>/scenes/<id>.mp4 (+ .srt, .vtt); print the path.

    With parameters the file is named after them too: <id>--lr=1.1.mp4.
    """
    from dataclasses import replace

    from mlv.scenes import params
    from mlv.scripts import pipeline, tools

    entry = _entry(scene_id)
    values, problems = params.parse_assignments(entry.id, assignments)
    if problems:
        raise MlvError("; ".join(problems))
    entry = replace(entry, params=params.overrides(entry.id, values))
    voice = voice or _default_voice()
    tools.require_for_render(voice)
    _hold_renders()
    res = pipeline.render_requests(_requests([entry], quality, voice), workers=1, force=force,
                                   progress=_progress(1))
    click.echo(str(res[0].video))


def _render_chapter(n: int, quality: str, voice: str, workers, force: bool,
                    scheduler: str | None) -> Path:
    from mlv.scenes import catalog
    from mlv.scripts import pipeline

    results = pipeline.render_requests(_requests(catalog.chapter(n), quality, voice),
                                       workers=workers, force=force, scheduler=scheduler,
                                       progress=_progress(workers))
    layout = Renders.default()
    out = layout.chapter_video(quality, n)
    pipeline.stitch_results(results, out, f"Chapter {n}: {catalog.CHAPTERS[n]}", layout)
    return out


@cli.command()
@click.argument("number", type=int)
@quality_option
@voice_option
@workers_option
@scheduler_option
@force_option
def chapter(number: int, quality: str, voice: str | None, workers, scheduler, force: bool) -> None:
    """Render chapter NUMBER and stitch it to renders/<quality>/chapter<N>.mp4."""
    from mlv.scripts import tools

    _known_chapter(number)
    voice = voice or _default_voice()
    tools.require_for_render(voice)
    _hold_renders()
    click.echo(str(_render_chapter(number, quality, voice, workers, force, scheduler)))


@cli.command()
@click.argument("number", type=int)
@quality_option
@voice_option
@workers_option
@scheduler_option
def slides(number: int, quality: str, voice: str | None, workers, scheduler) -> None:
    """Export chapter NUMBER as an HTML slide deck (manim-slides' RevealJS), one slide per
    narration beat with the narration as speaker notes, to renders/<quality>/slides/chapter<N>/.

    Scenes come from the render cache (rendered first if needed); the deck carries the reveal.js
    files it loads (from node_modules/, installed by tools/setup.sh), so it works offline.
    """
    from mlv.scenes import catalog, style
    from mlv.scripts import pipeline, tools
    from mlv.scripts import slides as deck

    _known_chapter(number)
    deck.reveal_root()                  # installed, or one line naming the set-up: nothing written
    voice = voice or _default_voice()
    tools.require_for_render(voice)
    _hold_renders()
    results = pipeline.render_requests(_requests(catalog.chapter(number), quality, voice),
                                       workers=workers, scheduler=scheduler,
                                       progress=_progress(workers))
    out = Renders.default().slides_dir(quality, number)
    summary = deck.build([(r.video, r.record) for r in results], out,
                         title=f"Chapter {number}: {catalog.CHAPTERS[number]}",
                         background=style.BACKGROUND.to_hex(),
                         workers=workers or os.cpu_count() or 1)
    _say(f"{summary['slides']} slides from {len(results)} scenes")
    click.echo(str(out / "index.html"))


@cli.command()
@click.argument("scene_id", required=False)
def params(scene_id: str | None) -> None:
    """The parameters a scene takes (for --set and course manifests), or every scene's."""
    from mlv.scenes import catalog
    from mlv.scenes import params as scene_params

    ids = [_entry(scene_id).id] if scene_id else [s.id for s in catalog.SCENES]
    for sid in ids:
        spec = scene_params.spec(sid)
        if spec or scene_id:
            click.echo(sid + ("" if spec else ": no parameters"))
            for p in spec:
                click.echo(f"  {p.describe()}")


@cli.command()
@click.argument("manifest", required=False, type=click.Path(path_type=Path))
@quality_option
@voice_option
@workers_option
@scheduler_option
@force_option
@click.option("--dry-run", is_flag=True,
              help="Validate the manifest and print the plan; render nothing.")
@click.option("--template", is_flag=True,
              help="Print the built-in course as a manifest to copy and edit; render nothing.")
def course(manifest: Path | None, quality: str, voice: str | None, workers, scheduler,
           force: bool, dry_run: bool, template: bool) -> None:
    """Render every chapter of a course (default: the built-in one) and the whole-course video."""
    from dataclasses import replace

    from mlv.scripts import pipeline, tools

    if template:
        from mlv.scripts.manifest import default_manifest

        if manifest is not None:
            raise MlvError("--template prints the built-in course; give no MANIFEST with it")
        click.echo(default_manifest(), nl=False)
        return

    title, chapters = pipeline.course_chapters(manifest)
    layout = Renders.default()
    voice = voice or _default_voice()
    requests = _requests([e for _, _, es in chapters for e in es], quality, voice)
    if dry_run:
        click.echo(title)
        plan = iter(requests)
        for n, ctitle, es in chapters:
            click.echo(f"chapter {n}: {ctitle}")
            for r in (next(plan) for _ in es):
                click.echo(f"  {r.name:<44} {r.title}")
        click.echo(str(layout.course_video(quality, manifest)))
        return
    tools.require_for_render(voice)
    _hold_renders()
    results = pipeline.render_requests(requests, workers=workers, force=force,
                                       scheduler=scheduler, progress=_progress(workers))
    it = iter(results)
    all_results: list[tuple[int, pipeline.SceneResult]] = []
    for n, ctitle, es in chapters:
        rs = [next(it) for _ in es]
        out = layout.chapter_video(quality, n, manifest)
        pipeline.stitch_results(rs, out, f"Chapter {n}: {ctitle}", layout)
        _say(f"chapter {n}: {out}")
        all_results.extend((n, r) for r in rs)
    out = layout.course_video(quality, manifest)
    # the course's chapter markers carry the chapter number: "2. Forward propagation"
    numbered = [replace(r, entry=replace(r.entry, title=f"{n}. {r.entry.title}"))
                for n, r in all_results]
    pipeline.stitch_results(numbered, out, title, layout)
    click.echo(str(out))


@cli.command()
@click.option("--manifest", type=click.Path(path_type=Path), default=None, metavar="FILE",
              help="The site of this course manifest [default: the built-in course].")
@quality_option
@voice_option
@workers_option
@scheduler_option
def site(manifest: Path | None, quality: str, voice: str | None, workers, scheduler) -> None:
    """The course as a static website in renders/<quality>/site/ (a --manifest course's in
    renders/<quality>/<manifest name>/site/): an index with a card per lesson and a search
    box, a page per lesson (video, captions, interactive transcript, derivations as MathML,
    the run's numbers) and a page per chapter (the stitched video and its markers).

    Scenes and chapters come from the render cache (rendered and stitched first if needed).
    Relative links only: open index.html from disk or serve the folder as it is.
    """
    from mlv.scripts import pipeline, tools
    from mlv.scripts import site as website

    title, chapters = pipeline.course_chapters(manifest)
    layout = Renders.default()
    voice = voice or _default_voice()
    requests = _requests([e for _, _, es in chapters for e in es], quality, voice)
    tools.require_for_render(voice)
    _hold_renders()
    results = pipeline.render_requests(requests, workers=workers, scheduler=scheduler,
                                       progress=_progress(workers))
    it = iter(results)
    built = []
    for n, ctitle, es in chapters:
        rs = [next(it) for _ in es]
        video = layout.chapter_video(quality, n, manifest)
        record = pipeline.stitch_results(rs, video, f"Chapter {n}: {ctitle}", layout)
        built.append(website.SiteChapter(n, ctitle, rs, video, record))
    out = website.build_site(title, built, layout.site_dir(quality, manifest),
                             proofs=layout.proofs, notes_dir=layout.notes_dir(quality, manifest),
                             notebooks=layout.notebooks,
                             # decks are of the catalog's chapters: the default course's
                             slides={} if manifest else {n: layout.slides_dir(quality, n)
                                                         for n, _, _ in chapters})
    click.echo(str(out / "index.html"))


@cli.command()
@click.argument("ids", nargs=-1)
@click.option("--fresh", is_flag=True, help="Prove every step again, ignoring the proof cache.")
def check(ids: tuple[str, ...], fresh: bool) -> None:
    """Prove every derivation step; print a table; exit 1 if any step fails.

    Derivations are listed in course order: the catalog's lessons in order, each with the
    derivation modules it declares, then any module no lesson names. Proofs are cached in
    RENDERS/.cache/proofs.json, keyed on the exact expressions of each step and the checker's own
    source: an unchanged derivation is not proven again.
    """
    from mlv import derivations
    from mlv.derivations.proofs import ProofCache
    from mlv.scenes import catalog
    from mlv.scripts.renders import Renders

    lessons = [e for n in catalog.chapters_with_scenes() for e in catalog.chapter(n)]
    everything = derivations.in_order(m for e in lessons for m in e.derivations)
    known = {d.id: d for d in everything}
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise MlvError(f"no derivation {unknown[0]!r}; known: {', '.join(known)}")
    chosen = [known[i] for i in ids] if ids else everything
    _hold_renders()
    path = Renders.default().proofs
    proofs = ProofCache()
    loaded = 0 if fresh else proofs.load(path)
    failed = None
    total = 0.0
    click.echo(f"{'derivation':<34} {'step':>4}  {'proven by':<40} {'result':<6} reason")
    for d in chosen:
        report = derivations.check(d, cache=proofs)
        total += report.seconds
        for s in report.steps:
            click.echo(f"{d.id:<34} {s.index:>4}  {'+'.join(s.methods):<40} "
                       f"{'ok' if s.ok else 'FAIL':<6} {s.reason}")
            if not s.ok and failed is None:
                failed = (d, s)
        click.echo(f"{d.id:<34} {len(d.steps):>4} steps proven in {report.seconds:.2f}s"
                   if report.ok else f"{d.id:<34} FAILED")
        click.echo(f"{d.id:<34}    checked against {'; '.join(d.checked_against)}")
    try:
        stored = proofs.save(path)
    except OSError as exc:
        _say(f"mlv: proof cache not saved ({exc.strerror}: {path})")
        stored = 0
    click.echo(f"{len(chosen)} derivations, {sum(len(d.steps) for d in chosen)} steps in "
               f"{total:.2f}s ({loaded} proofs loaded from {path}, {stored} stored)")
    if failed:
        d, s = failed
        _say(f"mlv: {d.id} step {s.index} ({s.reason}) is not proven: {s.detail}")
        sys.exit(1)


@cli.command()
def doctor() -> None:
    """Check latex, dvisvgm, ffmpeg, espeak-ng, pdflatex and fonts; say how to fix what is
    missing."""
    import shutil

    from mlv.scripts import tools

    missing_required = False
    for t in tools.TOOLS:
        found = shutil.which(t.name) is not None
        why = tools.broken(t.name) if found else None      # found but does not run
        status = "ok" if found and not why else "BROKEN" if found else "MISSING"
        line = f"{t.name:<10} {status:<8} {t.purpose}"
        if why:
            line += f"  ({why}) -> sudo apt-get install --reinstall {t.package}"
            missing_required |= t.needed_for == "render"
        elif found:
            line += f"  [{tools.version(t.name)}]"
        else:
            line += f"  -> {tools.install_hint(t)}"
            missing_required |= t.needed_for == "render"
        click.echo(line)
    from mlv.scenes.narration import PIPER_INSTALL, default_voice, model_digest, piper_model

    model = piper_model()
    click.echo(f"{'piper':<10} {'ok' if model else 'absent':<8} neural narration voice"
               + (f"  [{model[0].name} sha256 {model_digest(model[0])[:12]}]" if model
                  else f"  -> {PIPER_INSTALL}"))
    click.echo(f"{'voice':<10} {default_voice():<8} the default --voice")
    font = tools.font_installed()
    click.echo(f"{'font':<10} {'ok' if font else 'MISSING':<8} DejaVu Sans"
               + ("" if font else "  -> sudo apt-get install fonts-dejavu-core"))
    if missing_required:
        sys.exit(1)


cli.add_command(notes_command)
cli.add_command(notebooks_command)


def _stop(signum: int, frame: FrameType | None) -> None:
    """A stop signal: the first one stops the run (:class:`Stopped` in the main thread, where
    every clean-up that Ctrl-C runs runs: workers end, nothing queued starts, the renders folder
    is swept); later ones are ignored while that clean-up finishes."""
    from mlv.scripts import tools

    if tools.stopping():
        return
    tools.mark_stopping(signum)
    raise Stopped(signum)


@contextmanager
def _stoppable() -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP stop the run alike while the command runs (a SIGHUP that is
    ignored, as under ``nohup``, stays ignored); the previous handlers come back afterwards."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = {s: signal.getsignal(s) for s in STOP_SIGNALS}
    for s in STOP_SIGNALS:
        if old[s] is not signal.SIG_IGN:
            signal.signal(s, _stop)
    try:
        yield
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)


def _aborted(signum: int) -> None:
    from mlv.scripts import tools

    tools.stop_children()                 # whatever is still running ends with the run
    name = "" if signum == signal.SIGINT else f" ({signal.Signals(signum).name})"
    _say(f"mlv: aborted{name}")
    sys.exit(128 + signum)


def main(argv: list[str] | None = None) -> None:
    """Entry point: one-line errors, exit 2 for bad input, 128 + N when stopped by signal N."""
    try:
        with _stoppable():
            cli.main(args=argv, prog_name="mlv", standalone_mode=False)
    except click.exceptions.Abort as exc:
        cause = exc.__cause__ or exc.__context__
        _aborted(cause.signum if isinstance(cause, Stopped) else signal.SIGINT)
    except KeyboardInterrupt as exc:
        _aborted(exc.signum if isinstance(exc, Stopped) else signal.SIGINT)
    except click.ClickException as exc:
        if type(exc).__name__ in ("NoArgsIsHelp", "NoArgsIsHelpError"):  # bare `mlv`
            ctx: click.Context | None = getattr(exc, "ctx", None)
            click.echo(ctx.get_help() if ctx else exc.format_message())
            sys.exit(0)
        _say(f"mlv: error: {one_line(exc.format_message())}")
        sys.exit(2)
    except MlvError as exc:
        _say(f"mlv: error: {one_line(str(exc))}")
        sys.exit(2)
    except RenderError as exc:
        _say(f"mlv: render failed: {exc}")
        sys.exit(1)
    except OSError as exc:                    # a full disk, a read-only folder: one line
        from mlv.scripts.lock import write_error

        _say(f"mlv: error: {one_line(write_error(exc, _renders()))}")
        sys.exit(2)


if __name__ == "__main__":
    main()
