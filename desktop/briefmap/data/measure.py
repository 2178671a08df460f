"""Distances on the Earth: geodesic lengths on the WGS84 ellipsoid (pyproj's Geod)."""

from __future__ import annotations

from collections.abc import Sequence


def geodesic_length_km(points: Sequence[tuple[float, float]]) -> float:
    """The length in kilometres of the path through `points` (lon, lat), each leg the
    shortest line on the WGS84 ellipsoid."""
    if len(points) < 2:
        return 0.0
    from pyproj import Geod

    lons = [float(p[0]) for p in points]
    lats = [float(p[1]) for p in points]
    return float(Geod(ellps="WGS84").line_length(lons, lats)) / 1000.0


def leg_lengths_km(points: Sequence[tuple[float, float]]) -> list[float]:
    """The length of each leg of the path, in kilometres."""
    return [geodesic_length_km(points[i:i + 2]) for i in range(len(points) - 1)]
