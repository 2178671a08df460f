"""Where a detail inset (and then the scale bar) stands on the map: in the corner that
hides the least of what the sheet is about.

A corner is scored by what it would cover: the briefing's focus countries (by area),
every symbol and feature of the briefing's own layers (capitals and the scenario's
subjects most of all) and the places where an off-map actor's arrow enters the map
(its name stands there). A corner that overlaps the north arrow or the locator inset
is not used. When every corner at full size covers much, a smaller frame is tried; the
detail keeps a size its subject's names still fit in. Same view, same choice.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely

from briefmap.render.label_layout import priority_class
from briefmap.render.labeling import CAPITAL

InchBox = tuple[float, float, float, float]  # left, bottom, right, top
CORNERS = ("lower left", "lower right", "upper left", "upper right")
LOCATOR_CORNERS = ("upper right", "lower right", "lower left", "upper left")  # it was always upper right
SCALES = (1.0, 0.9, 0.85, 0.72)
# A detail already narrower than its names need may still give up this much of its width
# to keep the focus countries clear (on the slide a full-size detail hid a strip of
# Armenia along the Turkish border; at 0.9 its names still fit).
FOCUS_GIVE = 0.9
GIVE_MIN_W = 2.5  # inches: a detail narrower than this gives nothing (on a small sheet its names would collide)
# A detail carries its subject's names: about this much of its area (square inches) a name
# (four two-line section names fit a 1.8-inch frame; with their eight villages it needs more).
AREA_PER_NAME = 0.65
# A detail that would hide more than this on the map of a sheet with a bottom band (a
# square or portrait sheet, whose map is short) goes into the band instead.
BAND_COST = 2.0
SHRINK_COST = 6.0  # what a frame 28 % smaller must save to be preferred
FOCUS_SPECK = 0.002  # square inches (about 1 mm × 1.3 mm): less than this of a focus country is not "hidden"
FOCUS_COST = 30.0
# A detail that would hide more than this share of the focus countries in view wherever it
# stands is left out (a small map: the map then names its subject itself).
DROP_SHARE = 0.15  # hiding a tenth of a square inch of the focus countries weighs as much as a town


@dataclass(frozen=True)
class DataMap:
    """What lies where on the map, in sheet inches: weighted points, and the focus area."""

    points: np.ndarray  # n × 3: x, y, weight
    focus: object  # shapely geometry in inches (or None)


def data_map(renderer, map_box, focus_iso: set[str]) -> DataMap:
    ax = renderer.ax
    to_px = ax.transData.transform
    dpi = ax.figure.dpi
    x0, y0, x1, y1 = renderer.extent()
    frame = shapely.box(x0, y0, x1, y1)
    subjects = renderer.subjects()
    rows: list[tuple[float, float, float]] = []
    focus_parts = []
    for lid, la in renderer.layers.items():
        if not la.visible:
            continue
        for i, geom in enumerate(la.table.geometries):
            if not la.shown[i] or geom is None or geom.is_empty or not geom.intersects(frame):
                continue
            props = la.table.properties[i]
            if la.spec.base:
                if la.spec.base == "countries" and str(props.get("iso_a3", "")) in focus_iso:
                    focus_parts.append(shapely.intersection(geom, frame))
                if priority_class(la.spec, props) < CAPITAL:
                    continue
            weight = 20.0 if (lid, i) in subjects or priority_class(la.spec, props) >= CAPITAL else 3.0
            seen = shapely.intersection(geom, frame)
            # A clipped feature may come back as a collection (a line touching the frame
            # leaves a point beside its part in view): each part counts on its own.
            parts = shapely.get_parts(seen) if seen.geom_type == "GeometryCollection" else [seen]
            for part in parts:
                pts, part_weight = _sample(part, weight, (x1 - x0) / 40)
                for px, py in to_px(np.asarray(pts, dtype=float).reshape(-1, 2)):
                    rows.append((px / dpi, py / dpi, part_weight))
    focus = None
    if focus_parts:
        (fx0, fy0), (fx1, fy1) = to_px(np.array([[x0, y0], [x1, y1]], dtype=float)) / dpi
        sx, sy = (fx1 - fx0) / (x1 - x0), (fy1 - fy0) / (y1 - y0)
        union = shapely.union_all(np.array(focus_parts, dtype=object))
        focus = shapely.affinity.affine_transform(union, [sx, 0, 0, sy, fx0 - x0 * sx, fy0 - y0 * sy])
    return DataMap(np.array(rows, dtype=float).reshape(-1, 3), focus)


def _sample(part: shapely.Geometry, weight: float, step: float) -> tuple[np.ndarray, float]:
    """Points standing for one part: a point itself; a line or an area by points along it
    (a long feature weighs more, each point less)."""
    if part.is_empty:
        return np.empty((0, 2)), weight
    if part.geom_type in ("Point", "MultiPoint"):
        return shapely.get_coordinates(part), weight
    outline = part.boundary if part.area > 0 else part
    n = int(min(60, max(4, outline.length / max(step, 1.0))))
    pts = shapely.get_coordinates(shapely.line_interpolate_point(outline, np.linspace(0, 1, n), normalized=True))
    return pts, weight * 4 / n


def cost(data: DataMap, box: InchBox) -> float:
    """What the box hides: weighted symbols and features, and the focus area (per square
    inch, so a frame over Armenia costs more than one over the sea)."""
    left, bottom, right, top = box
    p = data.points
    inside = (p[:, 0] >= left) & (p[:, 0] <= right) & (p[:, 1] >= bottom) & (p[:, 1] <= top)
    total = float(p[inside, 2].sum())
    if data.focus is not None:
        total += FOCUS_COST * shapely.intersection(data.focus, shapely.box(*box)).area
    return total


def focus_share(data: DataMap, box: InchBox) -> float:
    """The share of the focus countries in view that the box hides."""
    if data.focus is None or data.focus.area <= 0:
        return 0.0
    return shapely.intersection(data.focus, shapely.box(*box)).area / data.focus.area


def _overlaps(a: InchBox, b: InchBox) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def min_detail_width(names: int, aspect: float) -> float:
    """The narrowest detail frame that still has room for `names` names."""
    return (max(names, 4) * AREA_PER_NAME * aspect) ** 0.5


def choose(data: DataMap, box_for, taken: list[InchBox], full_w: float, corners=CORNERS,
           scales=SCALES, min_w: float = 0.0) -> tuple[str, float, float]:
    """The corner and size (a scale of the full frame, never narrower than `min_w`, or
    than FOCUS_GIVE of the full frame when that is narrower already) that hide none of
    the focus countries, if any does, and least of the rest; `box_for(corner, scale)` gives the frame's box. Ties
    keep the order of `corners` and `scales`. Returns (corner, scale, what it hides)."""
    best: tuple[float, int, str, float] | None = None
    floor = min(min_w, FOCUS_GIVE * full_w) if FOCUS_GIVE * full_w >= GIVE_MIN_W else min_w
    for n, corner in enumerate(corners):
        for scale in scales:
            if scale < 1.0 and full_w * scale < floor - 1e-9:
                break
            box = box_for(corner, scale)
            if any(_overlaps(box, t) for t in taken):
                continue
            hidden = cost(data, box)
            score = hidden + SHRINK_COST * (1.0 - scale) / (1.0 - SCALES[-1])
            key = (hides_focus(data, box), score, n)
            if best is None or key < best[0]:
                best = (key, corner, scale, hidden)
    if best is None:
        return corners[0], 1.0, math.inf
    return best[1], best[2], best[3]


def hides_focus(data: DataMap, box: InchBox) -> bool:
    """Whether the box hides any of the focus countries (more than a speck): a frame that
    hides none of them is preferred to any that does, whatever else it hides."""
    return data.focus is not None and shapely.intersection(data.focus, shapely.box(*box)).area > FOCUS_SPECK


def arrow_entries(renderer, lines) -> list[tuple[float, float]]:
    """Where the arrows of off-map actors cross the map's frame, in sheet inches."""
    x0, y0, x1, y1 = renderer.extent()
    edge = shapely.box(x0, y0, x1, y1).exterior
    out = []
    dpi = renderer.ax.figure.dpi
    for line in lines:
        crossing = shapely.intersection(line, edge)
        pts = shapely.get_coordinates(crossing)
        out.extend((px / dpi, py / dpi) for px, py in renderer.ax.transData.transform(np.asarray(pts, dtype=float)))
    return out
