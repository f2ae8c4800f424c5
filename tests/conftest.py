"""Options for manim's ``frames_comparison`` pixel tests (tests/scenes/test_component_frames.py),
and the ``render`` marker for every test that renders with manim.

    pytest tests/scenes/test_component_frames.py --set_test    # write new control frames
    pytest tests/scenes/test_component_frames.py --show_diff   # show a failing frame's diff
    pytest -m "not render"                                     # the fast tier: no renders
"""
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
