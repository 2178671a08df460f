"""The shapes the editor draws, checked before they join the briefing: a line needs two
distinct vertices, an area three and some area; an outline that crosses itself is repaired
(shapely's make_valid keeps every piece it encloses) and the form says so, and an outline
that encloses nothing is refused with the reason."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import shapely

KINDS = ("point", "line", "polygon", "note")
MIN_VERTICES = {"point": 1, "note": 1, "line": 2, "polygon": 3}


@dataclass(frozen=True)
class CheckedShape:
    geom: Any  # None when refused
    note: str = ""  # what was repaired, said on the form
    error: str = ""  # why it is refused, said on the form (saving stays blocked)


def _distinct(coords: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The vertices without immediate repeats (a double-click adds its point twice)."""
    out: list[tuple[float, float]] = []
    for c in coords:
        if not out or (abs(c[0] - out[-1][0]) > 1e-6 or abs(c[1] - out[-1][1]) > 1e-6):
            out.append((float(c[0]), float(c[1])))
    return out


def shape_from_vertices(kind: str, coords: list[tuple[float, float]]) -> CheckedShape:
    """The geometry of a finished sketch, repaired or refused."""
    pts = _distinct(coords)
    if kind == "polygon" and len(pts) > 1 and pts[0] == pts[-1]:
        pts = pts[:-1]
    need = MIN_VERTICES[kind]
    if len(pts) < need:
        what = {"line": "A line", "polygon": "An area"}.get(kind, "A point")
        return CheckedShape(None, error=f"{what} needs at least {need} different vertices; it has {len(pts)}.")
    if kind in ("point", "note"):
        return CheckedShape(shapely.Point(pts[0]))
    if kind == "line":
        return CheckedShape(shapely.LineString(pts))
    return checked_polygon(shapely.Polygon(pts))


def checked_polygon(poly) -> CheckedShape:
    if poly.is_valid and poly.area > 0:
        return CheckedShape(poly)
    # GEOS says where ("Self-intersection[x y]"); the form says what, in words.
    reason = shapely.is_valid_reason(poly).split("[", 1)[0].strip().lower() or "invalid outline"
    fixed = shapely.make_valid(poly)
    parts = [g for g in getattr(fixed, "geoms", [fixed]) if g.geom_type in ("Polygon", "MultiPolygon")]
    area = shapely.union_all(parts) if parts else None
    if area is None or area.is_empty or area.area <= 0:
        return CheckedShape(None, error=f"The outline encloses no area ({reason}); draw it again.")
    n = len(getattr(area, "geoms", [area]))
    pieces = f"{n} separate areas" if n > 1 else "one area"
    return CheckedShape(area, note=f"The outline crossed itself ({reason}); it was repaired into {pieces}.")


def checked_geometry(geom) -> CheckedShape:
    """A reshaped geometry (a dragged vertex) checked as a newly drawn one is."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return checked_polygon(geom)
    if geom.geom_type == "LineString" and len(_distinct(list(geom.coords))) < 2:
        return CheckedShape(None, error="A line needs at least 2 different vertices.")
    return CheckedShape(geom)


def vertices(geom) -> list[tuple[int, int, tuple[float, float]]]:
    """Every movable vertex as (part, index, (x, y)); a ring's closing vertex is its first."""
    out = []
    if geom.geom_type == "LineString":
        out = [(0, i, c) for i, c in enumerate(geom.coords)]
    elif geom.geom_type in ("Polygon", "MultiPolygon"):
        polys = list(getattr(geom, "geoms", [geom]))
        for p, poly in enumerate(polys):
            out.extend((p, i, c) for i, c in enumerate(list(poly.exterior.coords)[:-1]))
    return [(p, i, (float(c[0]), float(c[1]))) for p, i, c in out]


def with_vertex_moved(geom, part: int, index: int, x: float, y: float):
    """The geometry with one vertex somewhere else (holes kept; a ring stays closed)."""
    if geom.geom_type == "LineString":
        coords = [tuple(c) for c in geom.coords]
        coords[index] = (x, y)
        return shapely.LineString(coords)
    polys = list(getattr(geom, "geoms", [geom]))
    poly = polys[part]
    ring = [tuple(c) for c in poly.exterior.coords][:-1]
    ring[index] = (x, y)
    polys[part] = shapely.Polygon(ring, [list(h.coords) for h in poly.interiors])
    return polys[0] if geom.geom_type == "Polygon" else shapely.MultiPolygon(polys)
