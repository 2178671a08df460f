"""Between longitude/latitude and the map's projected metres."""

from __future__ import annotations

from functools import lru_cache

from briefmap.data.layers import map_crs


@lru_cache(maxsize=1)
def _transformers():
    from pyproj import Transformer

    crs = map_crs()
    return (Transformer.from_crs("EPSG:4326", crs, always_xy=True),
            Transformer.from_crs(crs, "EPSG:4326", always_xy=True))


def to_map(lon: float, lat: float) -> tuple[float, float]:
    x, y = _transformers()[0].transform(lon, lat)
    return float(x), float(y)


def to_lonlat(x: float, y: float) -> tuple[float, float]:
    lon, lat = _transformers()[1].transform(x, y)
    return float(lon), float(lat)


def bounds_to_map(bounds: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """A lon/lat box as the projected box that contains it (edges are curved once projected)."""
    lon0, lat0, lon1, lat1 = bounds
    xs, ys = [], []
    steps = 8
    for i in range(steps + 1):
        lon = lon0 + (lon1 - lon0) * i / steps
        for lat in (lat0, lat1):
            x, y = to_map(lon, lat)
            xs.append(x)
            ys.append(y)
        lat = lat0 + (lat1 - lat0) * i / steps
        for lon_edge in (lon0, lon1):
            x, y = to_map(lon_edge, lat)
            xs.append(x)
            ys.append(y)
    return min(xs), min(ys), max(xs), max(ys)
