"""Longitude/latitude boxes: parsing and checking the boxes users type and catalogs store."""

from __future__ import annotations

import math

Box = tuple[float, float, float, float]


def crosses_antimeridian(box: Box) -> bool:
    lon0, _lat0, lon1, _lat1 = box
    return lon0 > lon1


def box_width(box: Box) -> float:
    lon0, _lat0, lon1, _lat1 = box
    return lon1 - lon0 if lon1 > lon0 else lon1 + 360.0 - lon0


def box_problem(box: Box) -> str:
    """Why `box` (west, south, east, north) is not a box on the Earth, or '' when it is.

    West > east is read as a box across the antimeridian, which needs its west edge in the
    eastern hemisphere and its east edge in the western one (e.g. 170,-20,-170,0).
    """
    lon0, lat0, lon1, lat1 = box
    if not all(math.isfinite(v) for v in box):
        return "every coordinate must be a finite number"
    for name, v in (("west", lon0), ("east", lon1)):
        if not -180.0 <= v <= 180.0:
            return f"{name} longitude {v:g} is outside -180…180"
    for name, v in (("south", lat0), ("north", lat1)):
        if not -90.0 <= v <= 90.0:
            return f"{name} latitude {v:g} is outside -90…90"
    if lat0 >= lat1:
        return f"south ({lat0:g}) must be below north ({lat1:g})"
    if lon0 == lon1:
        return "west and east are the same longitude"
    if lon0 > lon1 and not (lon0 > 0 > lon1):
        return (f"west ({lon0:g}) is east of east ({lon1:g}); a box across the antimeridian has its "
                "west edge east of 0° and its east edge west of 0° (e.g. 170,-20,-170,0)")
    return ""


def parse_box(text: str) -> Box:
    """'LON0,LAT0,LON1,LAT1' as four floats; ValueError saying what is wrong."""
    parts = [p.strip() for p in str(text).split(",")]
    if len(parts) != 4:
        raise ValueError(f"expected four numbers LON0,LAT0,LON1,LAT1, found {len(parts)} in {text!r}")
    try:
        box = tuple(float(p) for p in parts)
    except ValueError:
        raise ValueError(f"expected four numbers LON0,LAT0,LON1,LAT1, found {text!r}") from None
    why = box_problem(box)  # type: ignore[arg-type]
    if why:
        raise ValueError(why)
    return box  # type: ignore[return-value]
