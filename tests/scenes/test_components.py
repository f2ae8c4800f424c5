import numpy as np
import pytest
from manim import DecimalNumber

from mlv.scenes.components.readout import LiveNumber, Readout


@pytest.mark.parametrize("value", [0.0, -0.0, 1.5, -2.25, 13.0789, -123.4567, 9.99995, -0.00001])
def test_live_number_draws_exactly_what_decimal_number_draws(value):
    live = LiveNumber(3.0, decimals=4, font_size=26)
    live.set_value(value)
    ref = DecimalNumber(value, num_decimal_places=4, include_sign=True, font_size=26)
    ref.move_to(live)
    a = np.concatenate([p.points for p in live.family_members_with_points()])
    b = np.concatenate([p.points for p in ref.family_members_with_points()])
    assert a.shape == b.shape
    np.testing.assert_allclose(a, b, atol=1e-9)
    assert live.get_value() == value


def test_live_number_keeps_its_left_edge_when_the_value_changes():
    live = LiveNumber(1.0, decimals=2).move_to([2, -1, 0])
    left = live.get_left()
    live.set_value(-35.5)
    assert live.width > 0.5
    np.testing.assert_allclose(live.get_left()[0], left[0], atol=1e-9)


def test_readout_shows_a_trajectory_row():
    r = Readout([("w", "w", "#ffffff"), ("loss", r"\mathrm{MSE}", "#ffffff")], decimals=3)
    r.show({"w": 1.23456, "b": 9.0, "loss": 0.5})
    assert r.displayed() == {"w": 1.23456, "loss": 0.5}
    assert r.displayed_text() == {"w": "+1.235", "loss": "+0.500"}


def test_make_axes_returns_the_axes_and_their_labels():
    from manim import Axes

    from mlv.scenes.components.panels import AxesFrame, make_axes

    frame = make_axes([0, 4, 1], [-1, 1, 1], width=4, height=2, x_label="x", y_label="y")
    assert isinstance(frame, AxesFrame) and isinstance(frame.axes, Axes)
    assert frame[0] is frame.axes and len(frame[1]) == 2          # VGroup(axes, labels)
    np.testing.assert_allclose(frame.axes.p2c(frame.axes.c2p(3.0, 0.5)), [3.0, 0.5], atol=1e-9)


def test_level_lines_of_a_plane_are_its_level_set():
    """z = x on a grid: the level 0.3 is the vertical line x = 0.3 across the whole grid."""
    import contourpy

    from mlv.scenes.components.panels import level_lines

    x, y = np.linspace(-1, 1, 21), np.linspace(-2, 2, 41)
    z = np.broadcast_to(x[None, :], (len(y), len(x)))
    lines = level_lines(contourpy.contour_generator(x, y, z), 0.3)
    assert len(lines) == 1 and lines[0].shape[1] == 2 and len(lines[0]) >= 2
    np.testing.assert_allclose(lines[0][:, 0], 0.3, atol=1e-12)
    assert np.ptp(lines[0][:, 1]) == pytest.approx(4.0)
    assert level_lines(contourpy.contour_generator(x, y, z), 5.0) == []     # never reached


def test_derivation_panel_has_no_equation_before_a_step_or_after_clearing():
    from mlv.derivations.mse import gradient_w
    from mlv.scenes.components.derivation import DerivationPanel

    board = DerivationPanel(gradient_w(), centre=np.zeros(3), max_width=11.0)
    for name in ("equation", "reason"):
        with pytest.raises(RuntimeError, match="no step is shown"):
            getattr(board, name)
    with pytest.raises(RuntimeError, match="no step is shown"):
        board.make_clear_animation()
    board.make_step_animation(0)
    assert board.k == 0 and board.reason.get_top()[1] < board.equation.get_bottom()[1]
    board.make_clear_animation()
    assert board.k == -1
    with pytest.raises(RuntimeError):
        board.equation                                           # noqa: B018
