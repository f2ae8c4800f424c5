"""Options for manim's ``frames_comparison`` pixel tests (tests/scenes/test_component_frames.py).

    pytest tests/scenes/test_component_frames.py --set_test    # write new control frames
    pytest tests/scenes/test_component_frames.py --show_diff   # show a failing frame's diff
"""


def pytest_addoption(parser):
    parser.addoption("--set_test", action="store_true", default=False,
                     help="write the control frames of the pixel tests instead of comparing")
    parser.addoption("--show_diff", action="store_true", default=False,
                     help="show the difference when a pixel test fails")
