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
            xy = np.asarray(ring.coords)[:, :2]
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
        if part.is_empty:
            continue
        if part.geom_type in ("LineString", "LinearRing"):
            out.append(np.asarray(part.coords)[:, :2])
        elif part.geom_type == "Polygon":
            out.append(np.asarray(part.exterior.coords)[:, :2])
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
    if geom is None or geom.is_empty:
        return float("nan"), float("nan")
    k = kind_of(geom)
    if k == "point":
        x, y = point_xy(geom)[0]
        return float(x), float(y)
    if k == "mixed":
        geom = max(shapely.get_parts(geom), key=lambda g: (shapely.get_dimensions(g), g.area, g.length))
        return anchor_point(geom)
    if k == "line":
        longest = max(shapely.get_parts(geom), key=lambda g: g.length)
        p = longest.interpolate(0.5, normalized=True)
        return p.x, p.y
    biggest = max(shapely.get_parts(geom), key=lambda g: g.area)
    p = biggest.representative_point() if not biggest.is_empty else geom.centroid
    return p.x, p.y


def point_xy(geom) -> np.ndarray:
    """Every point of a (multi)point as an (n, 2) array; empty for an empty geometry."""
    if geom is None or geom.is_empty:
        return np.zeros((0, 2))
    xy = shapely.get_coordinates(geom)
    return xy[np.isfinite(xy).all(axis=1)]


def kinds_in(geom) -> list[str]:
    """The kinds (point, line, polygon) a geometry holds; a collection may hold several."""
    if geom is None or geom.is_empty:
        return []
    k = kind_of(geom)
    if k != "mixed":
        return [k]
    return sorted({kind_of(g) for g in shapely.get_parts(geom) if not g.is_empty} - {"mixed"})


def part_of_kind(geom, kind: str):
    """The parts of `geom` of one kind, as one geometry (collected, not unioned: drawing
    does not need a union, and a union of many parts grows with their square)."""
    if kind_of(geom) == kind:
        return geom
    parts = [q for g in shapely.get_parts(geom) if kind_of(g) == kind for q in shapely.get_parts(g)]
    make = {"polygon": shapely.multipolygons, "line": shapely.multilinestrings, "point": shapely.multipoints}[kind]
    return make(parts)


def number_or(value, default: float) -> float:
    """A numeric property (rank, population) as a float; text that is not a number gives the
    default (the validator and the importer report it)."""
    if isinstance(value, bool):
        return default
    if isinstance(value, int | float):
        return float(value) if np.isfinite(value) else default
    try:
        v = float(str(value).strip().replace(",", ""))
    except ValueError:
        return default
    return v if np.isfinite(v) else default
