"""Where a label may stand, worked out from geometry alone (no renderer, no artist): the
points inside an area's part in view, places along a line, the boxes a line's name keeps
off, and where an off-map actor's arrow enters the frame. Pure functions of their
arguments, so the label plan that uses them can be made on any thread, and the same view
gets the same anchors whatever was laid out before."""

from __future__ import annotations

import numpy as np
import shapely
from shapely.ops import polylabel

from briefmap.render.labeling import Box

# Area anchors by (area, free part of the view, least part): the same view is laid out
# again with each layer toggled, and the countries' anchors are the dearest part of it.
AREA_ANCHORS: dict[tuple[int, bytes, float], tuple[object, list[tuple[float, float]]]] = {}
VISIBLE_ANCHORS: dict[tuple[bytes, float], list[tuple[float, float]]] = {}


def cached_area_anchors(geom, free_geom, free_key: bytes, min_area: float) -> list[tuple[float, float]]:
    """`area_anchors`, remembered: a pure function of its arguments, so the same view
    gets the same anchors whatever was laid out before."""
    key = (id(geom), free_key, min_area)
    hit = AREA_ANCHORS.get(key)
    if hit is not None and hit[0] is geom:
        return list(hit[1])
    anchors = area_anchors(geom, free_geom, min_area)
    if len(AREA_ANCHORS) >= 2048:
        AREA_ANCHORS.clear()
    AREA_ANCHORS[key] = (geom, anchors)  # the geometry is held, so its id is not reused
    return list(anchors)


def area_anchors(geom, free_geom, min_area: float) -> list[tuple[float, float]]:
    """Points inside the part of an area that is in view and free of furniture, best
    first; none when too little of it is in view to carry its name."""
    visible = shapely.intersection(geom, free_geom)
    # Furniture away from the area (the legend grown by a layer ticked) leaves the part in
    # view the same, to the byte: its anchors are not worked out again.
    key = (shapely.to_wkb(visible), min_area)
    hit = VISIBLE_ANCHORS.get(key)
    if hit is None:
        hit = anchors_in(visible, min_area)
        if len(VISIBLE_ANCHORS) >= 2048:
            VISIBLE_ANCHORS.clear()
        VISIBLE_ANCHORS[key] = hit
    return list(hit)


def anchors_in(visible, min_area: float) -> list[tuple[float, float]]:
    """The anchors in an area's part in view (WKB holds the coordinates exactly: the same
    bytes, the same anchors)."""
    parts = [p for p in shapely.get_parts(visible) if p.geom_type == "Polygon" and p.area >= min_area]
    parts.sort(key=lambda p: -p.area)
    out = []
    for part in parts[:3]:
        tol = max(part.length / 400, 1.0)
        best = polylabel(part, tolerance=tol)
        out.append((best.x, best.y))
        c = part.centroid
        if part.contains(c):
            out.append((c.x, c.y))
        # A grid of further points inside the part, nearest the best one first: room is
        # found even when the middle is taken by symbols or other labels.
        x0, y0, x1, y1 = part.bounds
        grid = [(x0 + (x1 - x0) * (i + 0.5) / 5, y0 + (y1 - y0) * (j + 0.5) / 5) for i in range(5) for j in range(5)]
        xs, ys = np.array(grid).T
        inside = [g for g, hit in zip(grid, shapely.contains_xy(part, xs, ys), strict=True) if hit]
        inside.sort(key=lambda g: (g[0] - best.x) ** 2 + (g[1] - best.y) ** 2)
        out.extend(inside)
    return out


def line_boxes(lines, to_px, frame: Box, step: float) -> list[Box]:
    """Small boxes every `step` pixels along schematic arrows (the links between actors):
    a label does not sit on an arc, where it would read as crossed out."""
    boxes: list[Box] = []
    fx0, fy0, fx1, fy1 = frame
    r = step / 2
    for line in lines:
        for part in shapely.get_parts(line):
            xy = to_px(np.asarray(part.coords, dtype=float))
            seg = np.hypot(*np.diff(xy, axis=0).T)
            dist = np.concatenate([[0.0], np.cumsum(seg)])
            if dist[-1] <= 0:
                continue
            at = np.arange(0.0, dist[-1], step)
            px_ = np.interp(at, dist, xy[:, 0])
            py_ = np.interp(at, dist, xy[:, 1])
            inside = (px_ >= fx0) & (px_ <= fx1) & (py_ >= fy0) & (py_ <= fy1)
            boxes.extend((x - r, y - r, x + r, y + r) for x, y in zip(px_[inside], py_[inside], strict=True))
    return boxes


def beside_line(line_width: float, geom, frame_geom, to_px, frame: Box, px: float):
    """A line's name stands beside it, as a point's does beside its symbol (half a label
    height and a gap off the line, on whichever side is free), never across the line: the
    gap from the line's anchors and the boxes along its drawn path the label keeps off."""
    width = line_width * px
    seen = shapely.intersection(geom, frame_geom)
    r = width / 2 + px  # the stroke and a pixel's air
    boxes = line_boxes([seen], to_px, frame, 2 * r) if seen.length > 0 else []
    return width / 2 + 2.5 * px, tuple(boxes)


def over_and_under(anchors, boxes, width: float):
    """For each place on a bent line, the highest and the lowest point of the line within
    the name's width: a name above the first clears every bend under it (a name over a V
    stands over both arms, not on one), and a leader from further out points at the line."""
    arr = np.array(boxes, dtype=float)
    mid = np.column_stack([(arr[:, 0] + arr[:, 2]) / 2, (arr[:, 1] + arr[:, 3]) / 2])
    out = []
    for x, _y in anchors:
        near = mid[np.abs(mid[:, 0] - x) <= width / 2]
        if len(near):
            top, bottom = near[np.argmax(near[:, 1])], near[np.argmin(near[:, 1])]
            out.append((float(x), (float(top[0]), float(top[1])), (float(bottom[0]), float(bottom[1]))))
    return tuple(out)


def along(line, frame_geom) -> list[tuple[float, float]]:
    """Further places on a line in view, middle first: a short line crowded by symbols
    (a border section among its villages) still finds room for its name."""
    longest = max(shapely.get_parts(line), key=lambda g: g.length)
    out = []
    for f in (0.35, 0.65, 0.2, 0.8, 0.1, 0.9):
        p = longest.interpolate(f, normalized=True)
        if frame_geom.contains(p):
            out.append((p.x, p.y))
    return out


def edge_anchor(point, arrows, frame_geom, tolerance: float) -> list[tuple[float, float]]:
    """An off-map actor: where the arrow that starts or ends at it crosses the frame."""
    p = shapely.Point(point)
    cx, cy = frame_geom.centroid.x, frame_geom.centroid.y
    for line in arrows:
        if line.distance(p) > tolerance:
            continue
        crossing = shapely.intersection(line, frame_geom.exterior)
        pts = [g for g in shapely.get_parts(crossing) if g.geom_type == "Point"]
        if pts:
            best = min(pts, key=lambda q: q.distance(p))
            # A hair inside the frame, so the label's anchor is on the map.
            return [(best.x + (cx - best.x) * 0.002, best.y + (cy - best.y) * 0.002)]
    return []  # an off-map place with no arrow into the view is not labelled
