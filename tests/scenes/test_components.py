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
