"""One scale-bar rule: the window's bar and the sheet's bar show the same distance."""

from __future__ import annotations

import pytest

from briefmap.render.scale import bar_length


@pytest.mark.parametrize(("width_m", "expected"), [
    (900, (150.0, "150 m")), (30_000, (5_000.0, "5 km")), (600_000, (125_000.0, "125 km")),
    (900_000, (150_000.0, "150 km")), (2_500_000, (500_000.0, "500 km")), (10_000_000, (750_000.0, "750 km")),
])
def test_the_bar_is_the_largest_round_length_under_a_fifth_of_the_map(width_m, expected):
    assert bar_length(width_m) == expected
    assert expected[0] <= 0.22 * width_m


def test_the_sheet_draws_the_length_the_rule_gives(briefing, tables):
    from matplotlib_scalebar.scalebar import ScaleBar

    from briefmap.model.view import scenario_state
    from briefmap.render.sheet import SheetOptions, build_sheet

    _fig, renderer = build_sheet(briefing, tables, scenario_state(briefing, "overview"),
                                SheetOptions.from_preset("slide-16x9", dpi=60))
    x0, _y0, x1, _y1 = renderer.extent()
    _length, label = bar_length(x1 - x0)
    bars = [a for a in renderer.ax.artists if isinstance(a, ScaleBar)]
    assert len(bars) == 1
    value, units = label.split()
    assert (float(bars[0].fixed_value), bars[0].fixed_units) == (float(value), units)
