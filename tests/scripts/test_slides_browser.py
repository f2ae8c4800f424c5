"""The slide deck works offline: reveal.js is vendored into it from npm (node_modules/, installed
by tools/setup.sh), and a real browser (Debian's headless Chromium, driven by selenium) opens it
with the network off, requests nothing outside the deck's folder, logs no console error and
advances a slide on the right arrow key.

The deck is a small one built by :func:`mlv.scripts.slides.build` from a three-second test-pattern
video with three beats (ffmpeg's ``testsrc2``), so nothing is rendered with manim.
"""
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from mlv.scripts import slides

BEATS = ["The first beat.", "The second beat.", "The third beat."]


def _video(path: Path, seconds: int = 3) -> Path:
    cmd = ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
           f"testsrc2=size=854x480:rate=15:duration={seconds}", "-c:v", "libx264",
           "-pix_fmt", "yuv420p", str(path)]
    subprocess.run(cmd, check=True)
    return path


@pytest.fixture(scope="module")
def deck(tmp_path_factory):
    """A built three-slide deck: its folder."""
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed (bash tools/setup.sh)")
    try:
        slides.reveal_root()
    except slides.MlvError as exc:                  # not installed: the set-up's one line
        pytest.fail(str(exc))
    work = tmp_path_factory.mktemp("deck")
    video = _video(work / "demo.mp4")
    record = {"id": "demo", "timeline": {"beats": [
        {"start": float(k), "text": text, "key": f"b{k}"} for k, text in enumerate(BEATS)]}}
    out = work / "slides" / "chapter1"
    summary = slides.build([(video, record)], out, title="Chapter 1: a test deck",
                           background="#1C1C1C", workers=1)
    assert summary["slides"] == len(BEATS)
    return out


def test_the_deck_names_no_network_url_and_carries_the_reveal_files_it_loads(deck):
    page = (deck / "index.html").read_text()
    urls = slides.deck_urls(page)
    assert urls, "the deck's page names no file at all"
    assert not [u for u in urls if u.startswith(("http:", "https:", "//"))]
    for url in urls:                                # every file named is in the deck's folder
        target = (deck / unquote(url)).resolve()
        assert target.is_file(), url
        assert target.is_relative_to(deck.resolve()), url
    reveal = {u for u in urls if u.startswith(slides.REVEAL_DIR + "/")}
    assert f"{slides.REVEAL_DIR}/dist/reveal.js" in reveal
    assert (deck / slides.REVEAL_DIR / "LICENSE").is_file()      # reveal.js is MIT: its notice
    # only what the page loads is copied, byte for byte from the npm package
    root = slides.reveal_root()
    copied = {p.relative_to(deck).as_posix() for p in (deck / slides.REVEAL_DIR).rglob("*")
              if p.is_file()}
    assert copied == reveal | {f"{slides.REVEAL_DIR}/LICENSE"}
    for rel in copied:
        inner = rel[len(slides.REVEAL_DIR) + 1:]
        assert (deck / rel).read_bytes() == (root / inner).read_bytes()


def test_without_node_modules_slides_says_one_line_and_writes_nothing(tmp_path):
    renders = tmp_path / "renders"
    env = dict(os.environ, MLV_RENDERS=str(renders), MLV_NODE_MODULES=str(tmp_path / "none"))
    out = subprocess.run([sys.executable, "-m", "mlv.scripts.cli", "slides", "1",
                          "--voice", "espeak"], capture_output=True, text=True, env=env)
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "bash tools/setup.sh" in lines[0], out.stderr
    assert out.stdout == ""
    assert not renders.exists()


def test_build_without_reveal_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("MLV_NODE_MODULES", str(tmp_path / "none"))
    out = tmp_path / "slides" / "chapter1"
    with pytest.raises(slides.MlvError, match="bash tools/setup.sh"):
        slides.build([(tmp_path / "missing.mp4", {})], out, title="t", background="#000000")
    assert not (tmp_path / "slides").exists()


# --- in a real browser ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(chromium):
    """Headless Chromium (tests/conftest.py) for this module's tests."""
    return chromium(1280, 720)


def _requests(driver) -> list[str]:
    """The URLs of every request the page made since the last call (DevTools' performance log)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def _wait(driver, script: str, timeout: float = 15.0):
    deadline = time.monotonic() + timeout
    while True:
        value = driver.execute_script(script)
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


def _offline(driver) -> None:
    driver.get("about:blank")
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    driver.get_log("performance")                   # start the request log here
    driver.get_log("browser")


def _outside(urls: list[str], folder: Path) -> list[str]:
    """The URLs that are not files under ``folder`` (``data:`` URLs are no request out)."""
    root = folder.resolve()
    out = []
    for url in urls:
        parts = urlparse(url)
        if parts.scheme == "data" or url == "about:blank":
            continue
        path = Path(unquote(parts.path)).resolve()
        if parts.scheme != "file" or parts.netloc or not path.is_relative_to(root):
            out.append(url)
    return out


def test_the_request_log_sees_what_a_page_fetches_outside_its_folder(tmp_path, browser):
    """The check below can fail: a page that loads a CDN script and a file beside its folder
    shows both in the log, and they count as outside it."""
    site = tmp_path / "site"
    site.mkdir()
    (tmp_path / "beside.css").write_text("body { color: red; }")
    (site / "index.html").write_text(
        '<!doctype html><html><head><link rel="stylesheet" href="../beside.css">'
        '<script src="https://cdn.invalid/reveal.js"></script></head><body>x</body></html>')
    _offline(browser)
    browser.get((site / "index.html").as_uri())
    time.sleep(0.5)
    outside = _outside(_requests(browser), site)
    assert "https://cdn.invalid/reveal.js" in outside
    assert (tmp_path / "beside.css").as_uri() in outside
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]   # the failed fetch


def test_the_deck_opens_offline_in_chromium_and_advances_a_slide(deck, browser):
    from PIL import Image
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    driver = browser
    _offline(driver)
    index = deck / "index.html"
    driver.get(index.as_uri())

    assert driver.execute_script("return navigator.onLine;") is False     # the network is off
    ready = _wait(driver, "return typeof Reveal !== 'undefined' && Reveal.isReady();")
    assert ready, "reveal.js did not initialise"
    assert driver.execute_script("return Reveal.getTotalSlides();") == len(BEATS)
    assert driver.execute_script("return Reveal.getIndices().h;") == 0
    time.sleep(0.5)                                 # the first slide's video starts
    shot = deck.parent / "deck-slide1.png"
    driver.save_screenshot(str(shot))

    ActionChains(driver).send_keys(Keys.ARROW_RIGHT).perform()
    assert _wait(driver, "return Reveal.getIndices().h > 0;", 5.0), "the right arrow did nothing"
    assert driver.execute_script("return Reveal.getIndices().h;") == 1
    time.sleep(0.5)
    driver.save_screenshot(str(deck.parent / "deck-slide2.png"))

    # every request stayed in the deck's folder: file:// URLs under it, nothing else
    urls = _requests(driver)
    assert any(u.endswith("/reveal.js/dist/reveal.js") for u in urls), urls
    assert any(u.endswith(".mp4") for u in urls), urls              # the slides' clips
    assert not _outside(urls, deck), _outside(urls, deck)
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors

    # the screenshot shows the deck, not a blank page: the test pattern's colours fill it
    with Image.open(shot) as image:
        colours = image.convert("RGB").resize((64, 36)).getcolors(64 * 36)
    assert colours is not None and len(colours) > 20, "the deck's screenshot is blank"
