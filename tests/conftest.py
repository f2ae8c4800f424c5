"""Options for manim's ``frames_comparison`` pixel tests (tests/scenes/test_component_frames.py),
the ``render`` marker for every test that renders with manim, and the ``chromium`` fixture of
the tests that open pages in a real browser.

    pytest tests/scenes/test_component_frames.py --set_test    # write new control frames
    pytest tests/scenes/test_component_frames.py --show_diff   # show a failing frame's diff
    pytest -m "not render"                                     # the fast tier: no renders
"""
import contextlib
from pathlib import Path

import pytest

#: fixtures that render scenes with manim (tests/scenes/conftest.py): a test that uses one,
#: itself or through another fixture, renders, and is marked ``render`` here; tests that render
#: otherwise (the ``mlv`` command, the pipeline, manim's frames_comparison) say so themselves
RENDERING_FIXTURES = {"last_frame"}


def pytest_addoption(parser):
    parser.addoption("--set_test", action="store_true", default=False,
                     help="write the control frames of the pixel tests instead of comparing")
    parser.addoption("--show_diff", action="store_true", default=False,
                     help="show the difference when a pixel test fails")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if RENDERING_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.render)


# ----------------------------------------------------------------------- a real browser (pages)

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM_FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--mute-audio", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-default-apps", "--disable-sync",
                  "--disable-quic", "--autoplay-policy=no-user-gesture-required")


@pytest.fixture(scope="session")
def chromium():
    """A function ``chromium(width, height)`` that starts headless Chromium (Debian's, through
    its chromedriver, as tools/setup.sh installs them) logging the console and every DevTools
    network event; all are quit at the end of the session. A missing browser fails the test:
    the set-up installs it, so a skip would hide a broken set-up."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.fail("selenium is not installed: bash tools/setup.sh")
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        pytest.fail(f"{', '.join(missing)} missing: bash tools/setup.sh installs chromium")
    drivers = []

    def start(width: int = 1280, height: int = 720):
        options = webdriver.ChromeOptions()
        options.binary_location = str(CHROMIUM)
        for flag in (*CHROMIUM_FLAGS, f"--window-size={width},{height}"):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
        driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)),
                                  options=options)
        drivers.append(driver)
        return driver

    yield start
    for driver in drivers:
        with contextlib.suppress(Exception):    # already quit by its test
            driver.quit()
