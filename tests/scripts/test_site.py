"""``mlv site``: the course website built from a small two-lesson course (a title card and one
lesson with derivations, low quality, espeak), rebuilt byte for byte, refused on bad input, and
opened in headless Chromium from ``file://`` (selenium with Debian's chromium-driver, which the
set-up installs; a missing browser fails). The browser test writes screenshots of the index and
a lesson page, at desktop (1280) and phone (390) widths, into ``site-screenshots/`` beside the
site."""
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from mlv.scripts import site

COURSE = """
title = "A tiny course"
[[chapters]]
title = "Optimization"
scenes = ["chapter-1-title", "linear-regression-mse"]
"""
LESSON = "linear-regression-mse"


def mlv(*args, renders, timeout=900):
    env = dict(os.environ, MLV_RENDERS=str(renders))
    return subprocess.run([sys.executable, "-m", "mlv.scripts.cli", *args], capture_output=True,
                          text=True, env=env, timeout=timeout)


def tree_digests(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def vtt_cues(path: Path) -> int:
    return sum("-->" in line for line in path.read_text(encoding="utf-8").splitlines())


class Links(HTMLParser):
    """Every href/src of a page, and every <img> without alt text."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.no_alt: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for k in ("href", "src", "poster", "data-src"):
            if a.get(k):
                self.urls.append(a[k])
        if tag == "img" and not (a.get("alt") or "").strip():
            self.no_alt.append(a.get("src", "?"))
        if "id" in a:
            self.ids.append(a["id"])


# ------------------------------------------------------------------------------ no rendering


def test_vtt_round_trip_and_chapter_cues():
    text = site.chapters_vtt([(0.0, 1.5, "One"), (1.5, 62.25, "Two")])
    assert text.startswith("WEBVTT\n\n") and "00:01:02.250" in text
    assert site.parse_vtt(text) == [(0.0, 1.5, "One"), (1.5, 62.25, "Two")]


def test_summary_is_the_first_sentence_cut_at_a_word():
    assert site.first_sentence("Here are 30 points. Which line fits?") == "Here are 30 points."
    long = "word " * 80
    s = site.first_sentence(long, 40)
    assert len(s) <= 41 and s.endswith("…") and "  " not in s


@pytest.mark.parametrize("args", [["-q", "huge"], ["--manifest", "missing.toml"],
                                  ["--manifest", "bad.toml"], ["--voice", "robot"],
                                  ["--manifest", "."]])
def test_bad_input_is_one_line_exit_2_nothing_written(tmp_path, args):
    (tmp_path / "bad.toml").write_text('title = "x"\n[[chapters]]\ntitle = "a"\n'
                                       'scenes = ["no-such-scene"]\n')
    renders = tmp_path / "renders"
    args = [str(tmp_path / a) if a.endswith(".toml") or a == "." else a for a in args]
    out = mlv("site", *args, renders=renders, timeout=120)
    assert out.returncode == 2, out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and out.stderr.startswith("mlv: error:")
    assert not renders.exists()


def test_a_killed_build_is_swept_and_an_old_site_put_back(tmp_path):
    from mlv.scripts.renders import Renders

    layout = Renders(tmp_path)
    out = layout.site_dir("low", "courses/tiny.toml")
    assert out == tmp_path / "low" / "tiny" / "site"
    half = Renders.building(out)
    aside = Renders.aside(out)
    for d in (half, aside):
        (d / "media").mkdir(parents=True)
    remove, restore = layout.litter()
    assert half in remove and (aside, out) in restore


# ------------------------------------------------------------------------------ rendering


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("site")
    renders = base / "renders"
    manifest = base / "tiny.toml"
    manifest.write_text(COURSE)
    t0 = time.perf_counter()
    out = mlv("site", "--manifest", str(manifest), "--voice", "espeak", renders=renders)
    assert out.returncode == 0, out.stderr[-3000:]
    index = Path(out.stdout.strip().splitlines()[-1])
    assert index == renders / "low" / "tiny" / "site" / "index.html"
    return renders, manifest, index.parent, time.perf_counter() - t0


@pytest.mark.render
def test_site_has_every_page_and_file_it_links(built):
    renders, _, root, _ = built
    pages = {p.name for p in root.glob("*.html")}
    assert pages == {"chapter-1.html", "chapter-1-title.html", "index.html", f"{LESSON}.html"}
    for page in root.glob("*.html"):
        links = Links()
        links.feed(page.read_text(encoding="utf-8"))
        assert not links.no_alt, (page.name, links.no_alt)
        for url in links.urls:
            if url.startswith("#") or url == "data:,":       # the empty favicon
                continue
            parts = urlparse(url)
            assert not parts.scheme and not parts.netloc and not url.startswith("/"), url
            target = (root / unquote(parts.path)).resolve()
            assert root.resolve() in target.parents and target.exists(), (page.name, url)
    lesson = (root / f"{LESSON}.html").read_text(encoding="utf-8")
    record = json.loads((renders / "low" / "scenes" / f"{LESSON}.json").read_text())
    beats = record["timeline"]["beats"]
    assert vtt_cues(root / "media" / f"{LESSON}.chapters.vtt") == len(beats)
    assert lesson.count('class="cue"') == len(beats)
    assert "<math" in lesson and "Derivations" in lesson and "proven" in lesson
    for key in record["numbers"]:
        assert f"<th scope=\"row\">{key}</th>" in lesson
    assert 'rel="prev" href="chapter-1-title.html"' in lesson
    chapter = json.loads((renders / "low" / "tiny" / "chapter1.json").read_text())
    assert vtt_cues(root / "media" / "chapter1.chapters.vtt") == len(chapter["chapters"]) == 2
    index = (root / "index.html").read_text(encoding="utf-8")
    assert "A tiny course" in index and index.count('class="card"') == 2
    search = (root / "assets" / "search-index.js").read_text(encoding="utf-8")
    assert search.startswith("window.MLV_SEARCH = ") and beats[0]["text"][:30] in search
    assert (root / "media" / f"{LESSON}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not [p for p in root.parent.iterdir() if p.name.startswith(".")]


@pytest.mark.render
def test_rebuild_is_byte_identical_and_quick(built):
    renders, manifest, root, _ = built
    scenes = renders / "low" / "scenes"
    # a source edited while the tests run re-renders a scene (rightly): then the build after
    # that one is compared, until two builds in a row came from the same renders
    for _ in range(3):
        before, records = tree_digests(root), tree_digests(scenes)
        t0 = time.perf_counter()
        out = mlv("site", "--manifest", str(manifest), "--voice", "espeak", renders=renders)
        seconds = time.perf_counter() - t0
        assert out.returncode == 0, out.stderr[-2000:]
        if tree_digests(scenes) == records:
            break
    else:
        pytest.fail("the scenes were re-rendered by every build")
    assert tree_digests(root) == before
    assert seconds < 60, seconds
    assert not [p for p in root.parent.iterdir() if p.name.startswith(".")]


# ------------------------------------------------------------------------- in a real browser


def _requests(driver) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg["method"] == "Network.requestWillBeSent":
            urls.append(msg["params"]["request"]["url"])
    return urls


def _screenshot(driver, width: int, path: Path) -> None:
    """The whole page at ``width``: the window is made as tall as the page (at most 5000)."""
    driver.execute_script("window.scrollTo(0, 0)")
    driver.set_window_size(width, 900)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(int(height) + 120, 5000))
    time.sleep(0.3)
    driver.execute_script("window.scrollTo(0, 0)")
    driver.save_screenshot(str(path))
    assert path.stat().st_size > 10_000


@pytest.mark.render
def test_lesson_page_in_headless_chromium(built, chromium):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    renders, _, root, _ = built
    shots = root.parent / "site-screenshots"
    shutil.rmtree(shots, ignore_errors=True)
    shots.mkdir()
    record = json.loads((renders / "low" / "scenes" / f"{LESSON}.json").read_text())
    beats = record["timeline"]["beats"]
    driver = chromium(1280, 900)
    try:
        driver.get((root / f"{LESSON}.html").as_uri())
        driver.execute_script("""var v = document.getElementById('video');
            window.__ready = new Promise(function (ok) {
              if (v.readyState >= 1) { ok(); } else { v.addEventListener('loadedmetadata', ok); }
            });""")
        driver.execute_async_script("window.__ready.then(arguments[0])")
        tracks = driver.execute_script(
            "return Array.from(document.getElementById('video').textTracks)"
            ".map(function (t) { return [t.kind, t.cues ? t.cues.length : -1]; })")
        assert sorted(tracks) == sorted([
            ["captions", vtt_cues(root / "media" / f"{LESSON}.vtt")],
            ["chapters", vtt_cues(root / "media" / f"{LESSON}.chapters.vtt")]])
        assert dict(tracks)["chapters"] == len(beats)
        # muted play advances currentTime
        played = driver.execute_async_script("""var done = arguments[0];
            var v = document.getElementById('video'); v.muted = true;
            v.play().then(function () {
              setTimeout(function () { v.pause(); done(v.currentTime); }, 1500);
            }, function (e) { done('play failed: ' + e); });""")
        assert isinstance(played, float) and played > 0.3, played
        # clicking a transcript line seeks to that cue's start
        k = len(beats) // 2
        start = round(float(beats[k]["start"]), 3)
        cue = driver.find_elements(By.CSS_SELECTOR, ".transcript .cue")[k]
        cue.click()
        now = driver.execute_script("return document.getElementById('video').currentTime")
        assert start - 0.01 <= now < start + 1.0, (now, start)
        assert "current" in cue.get_attribute("class")
        exact = driver.execute_script("""var v = document.getElementById('video'); v.pause();
            var b = document.querySelectorAll('.transcript .cue')[1]; b.click(); v.pause();
            return [v.currentTime, parseFloat(b.dataset.start)];""")
        assert abs(exact[0] - exact[1]) < 1e-3, exact
        # keyboard: a focused transcript line answers Enter
        first = driver.find_elements(By.CSS_SELECTOR, ".transcript .cue")[0]
        driver.execute_script("arguments[0].focus()", first)
        first.send_keys(Keys.ENTER)
        assert driver.execute_script("return document.getElementById('video').currentTime") < 1.0
        # derivations are typeset math, no LaTeX source shows
        n_math = driver.execute_script("return document.querySelectorAll('math').length")
        n_steps = driver.execute_script("return document.querySelectorAll('.steps li').length")
        assert n_math >= n_steps > 0
        text = driver.execute_script("return document.body.innerText")
        assert "\\frac" not in text and "\\sum" not in text and "\\left" not in text
        assert driver.execute_script(
            "var m = document.querySelector('math'); return m.getBoundingClientRect().height") > 5
        driver.execute_script("document.getElementById('video').pause()")
        _screenshot(driver, 1280, shots / "lesson-1280.png")
        _screenshot(driver, 390, shots / "lesson-390.png")
        assert driver.execute_script(
            "return document.documentElement.scrollWidth") <= 390 + 1
        driver.get((root / "index.html").as_uri())
        box = driver.find_element(By.ID, "q")
        box.send_keys("squared")
        hits = driver.find_elements(By.CSS_SELECTOR, "#results li a")
        assert any("squared" in h.text.lower() for h in hits)
        driver.execute_script("arguments[0].value = ''; "
                              "arguments[0].dispatchEvent(new Event('input'))", box)
        assert not driver.find_elements(By.CSS_SELECTOR, "#results li")
        _screenshot(driver, 390, shots / "index-390.png")
        assert driver.execute_script(
            "return document.documentElement.scrollWidth") <= 390 + 1
        _screenshot(driver, 1280, shots / "index-1280.png")
        driver.get((root / "chapter-1.html").as_uri())
        driver.execute_async_script("""var done = arguments[0];
            var v = document.getElementById('video');
            if (v.readyState >= 1) { done(); } else { v.onloadedmetadata = done; }""")
        tracks = driver.execute_script(
            "return Array.from(document.getElementById('video').textTracks)"
            ".map(function (t) { return [t.kind, t.cues ? t.cues.length : -1]; })")
        assert dict(tracks)["chapters"] == 2
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        assert not errors, errors
        base = root.resolve().as_uri() + "/"
        outside = [u for u in _requests(driver)
                   if not u.startswith(base) and not u.startswith("data:")]
        assert not outside, outside
    finally:
        driver.quit()
    assert {p.name for p in shots.iterdir()} == {"lesson-1280.png", "lesson-390.png",
                                                  "index-390.png", "index-1280.png"}
    assert not re.search(r"\.part$", " ".join(p.name for p in shots.iterdir()))


AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def _serious_violations(driver) -> list[str]:
    """axe-core (npm, installed by tools/setup.sh) run in the page: its serious and critical
    violations, one line each."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    found = driver.execute_async_script("""var done = arguments[0];
        axe.run(document, {resultTypes: ['violations']}).then(function (r) {
          done(r.violations.filter(function (v) {
            return v.impact === 'serious' || v.impact === 'critical';
          }).map(function (v) {
            return v.id + ': ' + v.help + ' (' + v.nodes.length + ' nodes: ' +
                   v.nodes.slice(0, 3).map(function (n) { return n.target.join(' '); })
                    .join(', ') + ')';
          }));
        }, function (e) { done(['axe failed: ' + e]); });""")
    return list(found)


@pytest.mark.render
def test_site_over_http_and_accessibility(built, chromium):
    """Served by ``python -m http.server``'s handler: the <track> files load (same cue counts),
    nothing outside the server is asked for, and axe-core finds no serious violation on the
    index, a lesson page and a chapter page, in light and in dark mode."""
    import functools
    import http.server
    import threading

    renders, _, root, _ = built
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))

    class Quiet(http.server.ThreadingHTTPServer):
        def handle_error(self, request, client_address):     # a browser closing early
            pass

    server = Quiet(("127.0.0.1", 0), handler)
    http.server.SimpleHTTPRequestHandler.log_message = lambda *a: None
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    driver = chromium(1280, 900)
    try:
        driver.get(base + f"{LESSON}.html")
        want = sorted([["captions", vtt_cues(root / "media" / f"{LESSON}.vtt")],
                       ["chapters", vtt_cues(root / "media" / f"{LESSON}.chapters.vtt")]])
        tracks = None
        for _ in range(50):
            tracks = sorted(driver.execute_script(
                "return Array.from(document.getElementById('video').textTracks)"
                ".map(function (t) { return [t.kind, t.cues ? t.cues.length : -1]; })"))
            if tracks == want:
                break
            time.sleep(0.2)
        assert tracks == want
        problems = {}
        for scheme in ("light", "dark"):
            driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {
                "features": [{"name": "prefers-color-scheme", "value": scheme}]})
            for name in ("index.html", f"{LESSON}.html", "chapter-1.html"):
                driver.get(base + name)
                found = _serious_violations(driver) if AXE.exists() else []
                if found:
                    problems[f"{scheme} {name}"] = found
            if scheme == "dark":
                _screenshot(driver, 1280, root.parent / "site-screenshots" / "chapter-dark.png")
        assert not problems, problems
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        assert not errors, errors
        outside = [u for u in _requests(driver)
                   if not u.startswith(base) and not u.startswith("data:")]
        assert not outside, outside
    finally:
        driver.quit()
        server.shutdown()
        server.server_close()


@pytest.mark.render
def test_notes_slides_and_notebooks_that_exist_are_copied_in_and_linked(built, tmp_path):
    from types import SimpleNamespace

    from mlv.scenes import catalog

    renders, _, _, _ = built
    scenes = renders / "low" / "scenes"
    results = [SimpleNamespace(entry=catalog.by_id(i), video=scenes / f"{i}.mp4",
                               record=json.loads((scenes / f"{i}.json").read_text()))
               for i in ("chapter-1-title", LESSON)]
    deck = tmp_path / "deck"
    (deck / "reveal.js").mkdir(parents=True)
    (deck / "index.html").write_text("<!DOCTYPE html><title>deck</title>\n")
    (deck / "reveal.js" / "reveal.js").write_text("/* reveal */\n")
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "chapter1.pdf").write_bytes(b"%PDF-1.5\n")
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    (notebooks / f"{LESSON}.ipynb").write_text("{}\n")
    out = site.build_site("Copies", [site.SiteChapter(1, "Optimization", results)],
                          tmp_path / "site", notes_dir=notes, notebooks=notebooks,
                          slides={1: deck})
    page = (out / f"{LESSON}.html").read_text(encoding="utf-8")
    for link in ("slides/chapter1/index.html", "media/notes-chapter1.pdf",
                 f"media/{LESSON}.ipynb"):
        assert f'href="{link}"' in page and (out / link).is_file(), link
    assert (out / "slides" / "chapter1" / "reveal.js" / "reveal.js").is_file()
    assert 'href="chapter-1.html"' not in page          # no chapter video: no chapter page
