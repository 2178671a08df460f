"""One scale-bar rule for the window and the sheet: how long the bar is and what it says.

The sheet draws its bar with matplotlib-scalebar and the window paints its own with Qt;
both take their length from here, so a view and its export show the same distance."""

from __future__ import annotations

import bisect

# A bar spans about this share of the map's width.
LENGTH_FRACTION = 0.22
# The round numbers a bar may show (those matplotlib-scalebar offers).
PREFERRED = (1, 2, 5, 10, 15, 20, 25, 50, 75, 100, 125, 150, 200, 500, 750)


def bar_length(map_width_m: float, fraction: float = LENGTH_FRACTION) -> tuple[float, str]:
    """The bar's length in metres and its label, for a map `map_width_m` metres wide: the
    largest round number of metres or kilometres below `fraction` of the width."""
    target = max(map_width_m * fraction, 1e-9)
    unit, name = (1000.0, "km") if target >= 1000.0 else (1.0, "m")
    value = target / unit
    index = bisect.bisect_left(PREFERRED, value)
    chosen = PREFERRED[max(index - 1, 0)] if index < len(PREFERRED) or value > PREFERRED[-1] else PREFERRED[-1]
    if value < PREFERRED[0]:  # under a metre (or under a kilometre in km): a decimal fraction
        chosen = 10 ** int(f"{value:e}".split("e")[1])
    return chosen * unit, f"{chosen:g} {name}"
