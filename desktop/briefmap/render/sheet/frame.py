"""The sheet's frame never slices a town: when a point symbol straddles an edge, the
map zooms out just enough (about its centre) to show it whole, with a little room;
likewise a named line of the briefing's own layers that is mostly in view (an arrow
whose tail the frame would cut), when a little zoom shows it whole."""

from __future__ import annotations

import numpy as np
import shapely

# The sheet zooms out at most this much to keep a symbol or a named line whole.
MAX_WHOLE_ZOOM = 1.15


def keep_whole(renderer, rounds: int = 3) -> None:
    ax = renderer.ax
    for _round in range(rounds):
        bb = ax.get_window_extent()
        points = _must_show(renderer)  # n × 3: x, y (display pixels), room around
        if not len(points):
            return
        x, y, r = points[:, 0], points[:, 1], points[:, 2]
        grow_x = float(np.max(np.maximum(np.maximum(r - (x - bb.x0), r - (bb.x1 - x)), 0.0)))
        grow_y = float(np.max(np.maximum(np.maximum(r - (y - bb.y0), r - (bb.y1 - y)), 0.0)))
        if not grow_x and not grow_y:
            return
        f = max(1.0 + 2 * grow_x / bb.width, 1.0 + 2 * grow_y / bb.height)
        if f > MAX_WHOLE_ZOOM:
            return  # more than a little: the frame stays (preflight reports what it cuts)
        x0, y0, x1, y1 = renderer.extent()
        cx, cy, hw, hh = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2 * f, (y1 - y0) / 2 * f
        ax.set_xlim(cx - hw, cx + hw)
        ax.set_ylim(cy - hh, cy + hh)


def _must_show(renderer) -> np.ndarray:
    """Points the frame must show with room `r` around them: the centres of symbols the
    frame cuts, and the vertices of named lines mostly in view that run past it."""
    from briefmap.render.preflight import MOSTLY_IN

    ax = renderer.ax
    bb = ax.get_window_extent()
    px = ax.figure.dpi / 72.0
    x0, y0, x1, y1 = renderer.extent()
    view = shapely.box(x0, y0, x1, y1)
    near = view.buffer(max(x1 - x0, y1 - y0) * 0.05)
    rows: list[tuple[float, float, float]] = []
    for la in renderer.layers.values():
        if not la.visible or la.spec.base or la.thinned:
            continue
        named = {lab.index for lab in la.labels if lab.artist.get_text()}
        for i, geom in enumerate(la.table.geometries):
            if not la.shown[i] or geom is None or not near.intersects(geom):
                continue
            if geom.geom_type == "Point":
                style = renderer.style_for(la.spec, la.table, i)
                if not style.markersize:
                    continue
                r = style.markersize / 2 * px + 2 * px
                cx, cy = ax.transData.transform((geom.x, geom.y)) + np.array([style.marker_dx, style.marker_dy]) * px
                if -r < min(cx - bb.x0, bb.x1 - cx, cy - bb.y0, bb.y1 - cy) < r:  # partly beyond an edge
                    rows.append((cx, cy, r))
            elif (i in named and geom.length > 0 and geom.area == 0 and not view.contains(geom)
                  and shapely.intersection(geom, view).length >= MOSTLY_IN * geom.length):
                rows.extend((qx, qy, 4 * px) for qx, qy in ax.transData.transform(shapely.get_coordinates(geom)))
    return np.array(rows, dtype=float).reshape(-1, 3)
