"""Shapely geometry as matplotlib paths and segments, built once per layer."""

from __future__ import annotations

import numpy as np
import shapely
from matplotlib.path import Path


def polygon_path(geom) -> Path:
    """One compound path for a (multi)polygon, holes included (even-odd is not needed:
    holes are drawn with the opposite orientation)."""
    verts: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    for poly in shapely.get_parts(geom):
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        poly = shapely.geometry.polygon.orient(poly, 1.0)
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords)
            if len(xy) < 3:
                continue
            c = np.full(len(xy), Path.LINETO, dtype=Path.code_type)
            c[0] = Path.MOVETO
            c[-1] = Path.CLOSEPOLY
            verts.append(xy)
            codes.append(c)
    if not verts:
        return Path(np.zeros((1, 2)), [Path.MOVETO])
    return Path(np.concatenate(verts), np.concatenate(codes))


def line_segments(geom) -> list[np.ndarray]:
    """The (multi)line's parts as coordinate arrays; polygon outlines for areas."""
    out = []
    for part in shapely.get_parts(geom):
        if part.geom_type == "LineString":
            out.append(np.asarray(part.coords))
        elif part.geom_type == "Polygon":
            out.append(np.asarray(part.exterior.coords))
    return out


def kind_of(geom) -> str:
    t = geom.geom_type
    if t in ("Point", "MultiPoint"):
        return "point"
    if t in ("LineString", "MultiLineString", "LinearRing"):
        return "line"
    if t in ("Polygon", "MultiPolygon"):
        return "polygon"
    return "mixed"


def anchor_point(geom) -> tuple[float, float]:
    """Where a feature's label goes: the point itself, a line's middle, or a point
    surely inside an area."""
    k = kind_of(geom)
    if k == "point":
        p = geom if geom.geom_type == "Point" else shapely.get_parts(geom)[0]
        return p.x, p.y
    if k == "line":
        longest = max(shapely.get_parts(geom), key=lambda g: g.length)
        p = longest.interpolate(0.5, normalized=True)
        return p.x, p.y
    biggest = max(shapely.get_parts(geom), key=lambda g: g.area)
    p = biggest.representative_point() if not biggest.is_empty else geom.centroid
    return p.x, p.y
