"""Map furniture: scale bar, north arrow, locator inset and detail inset. Each returns
the box it covers on the sheet, in inches (left, bottom, right, top), so labels keep
clear of it."""

from __future__ import annotations

import math

import numpy as np
import shapely
from matplotlib.collections import PathCollection
from matplotlib.patches import ConnectionPatch, Rectangle

from briefmap.data.layers import read_base
from briefmap.data.projection import bounds_to_map, to_lonlat, to_map
from briefmap.render.geometry import polygon_path
from briefmap.render.sheet.layout import FONT

InchBox = tuple[float, float, float, float]
DETAIL_MIN_MM = 15.0
DETAIL_ASPECT = 1.2  # width to height: room above and below a border that runs north–south
LOCATOR = "#c0392b"


def scalebar(ax, k: float, map_box, location: str = "lower right") -> InchBox:
    from matplotlib_scalebar.scalebar import ScaleBar

    from briefmap.render.scale import bar_length

    # The map is conformal (Lambert conic) in metres: one data unit is one metre. The length
    # is the window's rule (render/scale.py), so a view and its export show one distance.
    x0, x1 = ax.get_xlim()
    length_m, _label = bar_length(abs(x1 - x0))
    value, units = (length_m / 1000, "km") if length_m >= 1000 else (length_m, "m")
    value = int(value) if float(value).is_integer() else value  # "150 km", not "150.0 km"
    bar = ScaleBar(1, "m", location=location, fixed_value=value, fixed_units=units, width_fraction=0.008,
                   font_properties={"size": 7 * k, "family": FONT}, box_alpha=0.85,
                   color="#222222", scale_loc="top", border_pad=0.6, rotation="horizontal-only")
    bar.set_zorder(4500)
    ax.add_artist(bar)
    return scalebar_box(k, map_box, location)


def scalebar_box(k: float, map_box, location: str = "lower right") -> InchBox:
    x_l, b, w, _h = map_box
    bw, bh = 0.24 * w + 0.25 * k, 0.42 * k
    if location == "lower right":
        return (x_l + w - bw - 0.05, b, x_l + w, b + bh + 0.05)
    return (x_l, b, x_l + bw + 0.05, b + bh + 0.05)


def north_arrow(ax, renderer, k: float, map_box) -> InchBox:
    """An arrow to true north where it stands (Lambert grid north differs by a few
    degrees away from the central meridian), sized in inches so it fits any map."""
    x0, y0, _x1, y1 = renderer.extent()
    _left, _bottom, w, h = map_box
    length_in = min(0.42 * k, 0.3 * h)
    n_in = 9 * k / 72 * 1.3
    base_x_in = min(0.35 * k, 0.1 * w)
    base_y_in = h - 0.1 - n_in - length_in
    per_in = (y1 - y0) / h
    x, y = x0 + base_x_in * per_in, y0 + base_y_in * per_in
    crs = renderer.briefing.crs
    lon, lat = to_lonlat(x, y, crs)
    nx, ny = to_map(lon, lat + 0.05, crs)
    angle = math.atan2(nx - x, ny - y)
    length = length_in * per_in
    tip = (x + length * math.sin(angle), y + length * math.cos(angle))
    ax.annotate("", xy=tip, xytext=(x, y), zorder=4500,
                arrowprops={"arrowstyle": "-|>", "color": "#222222", "linewidth": 1.4 * k,
                            "mutation_scale": 14 * k})
    ax.annotate("N", xy=tip, xytext=(0, 3 * k), textcoords="offset points", ha="center", va="bottom",
                fontsize=9 * k, fontweight="bold", family=FONT, color="#222222", zorder=4500)
    return north_arrow_box(renderer, k, map_box)


def north_arrow_box(renderer, k: float, map_box) -> InchBox:
    """Where the north arrow stands (its upper-left corner of the map)."""
    left, bottom, w, h = map_box
    length_in = min(0.42 * k, 0.3 * h)
    n_in = 9 * k / 72 * 1.3
    base_y_in = h - 0.1 - n_in - length_in
    cx = left + min(0.35 * k, 0.1 * w)
    return (cx - 0.2 * k, bottom + base_y_in - 0.05, cx + 0.2 * k, bottom + h)


def locator_box(map_box, k: float, corner: str = "upper right", scale: float = 1.0) -> InchBox:
    map_l, map_b, map_w, map_h = map_box
    w = min(2.3 * k, 0.26 * map_w) * scale
    h = w * 0.62
    left = map_l + 0.08 if corner.endswith("left") else map_l + map_w - w - 0.08
    bottom = map_b + 0.08 if corner.startswith("lower") else map_b + map_h - h - 0.08
    return (left, bottom, left + w, bottom + h)


def locator_inset(fig, renderer, map_box, W: float, H: float, k: float, focus, bounds,
                  corner: str = "upper right", scale: float = 1.0) -> InchBox:
    """A small overview map of the wider region; the main map's frame drawn on it."""
    left, bottom, right, top = locator_box(map_box, k, corner, scale)
    w, h = right - left, top - bottom
    inset = fig.add_axes((left / W, bottom / H, w / W, h / H))
    _plain(inset, "#d4e4ef")
    countries = read_base(renderer.briefing, "inset_countries")
    paths = [polygon_path(g) for g in countries.geometries]
    colors = ["#e3a15a" if props.get("iso_a3") in focus else "#f3f0e8" for props in countries.properties]
    inset.add_collection(PathCollection(paths, facecolors=colors, edgecolors="#8c8c8c", linewidths=0.25))
    x0, y0, x1, y1 = renderer.extent()
    inset.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, edgecolor=LOCATOR, linewidth=1.1))
    if bounds is None:  # the main map's frame, three times over
        cx, cy, half = (x0 + x1) / 2, (y0 + y1) / 2, 1.5 * max(x1 - x0, y1 - y0)
        bx0, by0, bx1, by1 = cx - half, cy - half, cx + half, cy + half
    else:
        bx0, by0, bx1, by1 = bounds_to_map(bounds, renderer.briefing.crs)
    # Fit the inset's extent to its box by hand (equal scale, no datalim warnings).
    cx, cy, half_h = (bx0 + bx1) / 2, (by0 + by1) / 2, (by1 - by0) / 2
    half_w = max((bx1 - bx0) / 2, half_h * w / h)
    half_h = half_w * h / w
    inset.set_xlim(cx - half_w, cx + half_w)
    inset.set_ylim(cy - half_h, cy + half_h)
    frame = shapely.box(cx - half_w, cy - half_h, cx + half_w, cy + half_h)
    seas = read_base(renderer.briefing, "inset_seas")
    for geom, props in zip(seas.geometries, seas.properties, strict=True):
        visible = shapely.intersection(geom, frame.buffer(-half_w * 0.12))
        if visible.is_empty:
            continue  # a sea whose name would run off the inset is not named
        p = visible.representative_point()
        inset.text(p.x, p.y, str(props.get("name", "")).replace(" Sea", "\nSea"), fontsize=5.2 * k,
                   ha="center", va="center", color="#2f5f83", fontstyle="italic", family=FONT, parse_math=False,
                   clip_on=True)
    inset.set_zorder(4600)
    return (left, bottom, left + w, bottom + h)


def subject_extent(renderer, layer_ids) -> tuple[float, float, float, float] | None:
    """The bounds of the shown features of `layer_ids` in view, or None."""
    x0, y0, x1, y1 = renderer.extent()
    frame = shapely.box(x0, y0, x1, y1)
    geoms = []
    for lid in layer_ids:
        la = renderer.layers.get(lid)
        if la is None or not la.visible:
            continue
        geoms += [g for g, s in zip(la.table.geometries, la.shown, strict=True) if s and g.intersects(frame)]
    if not geoms:
        return None
    return tuple(shapely.union_all(np.array(geoms, dtype=object)).bounds)


def subject_names(renderer, layer_ids, subject) -> int:
    """How many names a detail of `subject` carries (its layers' labelled features there)."""
    box = shapely.box(*subject)
    count = 0
    for lid in layer_ids:
        la = renderer.layers.get(lid)
        if la is None or not la.visible:
            continue
        count += sum(1 for lab in la.labels if la.shown[lab.index] and lab.artist.get_text()
                     and la.table.geometries[lab.index].intersects(box))
    return count


def needs_detail(renderer, subject, map_box) -> bool:
    """Whether the subject is smaller than DETAIL_MIN_MM on the sheet."""
    sx0, sy0, sx1, sy1 = subject
    metres_per_inch = renderer.metres_per_inch()
    size_mm = max(sx1 - sx0, sy1 - sy0) / metres_per_inch * 25.4
    return size_mm < DETAIL_MIN_MM


def detail_width(map_box, k: float, need: float = 0.0) -> float:
    """A detail inset's full width: big enough for its subject's names (two-line labels of
    four sections), small enough to leave the map readable; on a small map, as wide as its
    names `need` within a larger share of the map (a detail whose names do not fit says
    nothing)."""
    _map_l, _map_b, map_w, map_h = map_box
    w = min(max(2.9 * k, 2.3), 0.35 * map_w, 0.55 * map_h * DETAIL_ASPECT)
    return max(w, min(need, 0.45 * map_w, 0.65 * map_h * DETAIL_ASPECT))


def band_detail_width(band, k: float) -> float:
    """A detail's width in a bottom band: as on a map, within a third of the band."""
    return min(max(2.9 * k, 2.3), 0.36 * band[2])


def detail_box(map_box, k: float, corner: str, scale: float = 1.0, need: float = 0.0) -> InchBox:
    """Where a detail inset stands in `corner` of the map, at `scale` of its full size."""
    map_l, map_b, map_w, map_h = map_box
    w = detail_width(map_box, k, need) * scale
    h = w / DETAIL_ASPECT
    left = map_l + 0.08 if corner.endswith("left") else map_l + map_w - w - 0.08
    bottom = map_b + 0.08 if corner.startswith("lower") else map_b + map_h - h - 0.08
    return (left, bottom, left + w, bottom + h)


def detail_inset(fig, main, make_renderer, state, subject, map_box, W, H, k, corner: str,
                 scale: float = 1.0, outside: InchBox | None = None, need: float = 0.0) -> tuple[InchBox, object]:
    """A magnified frame of `subject` with its own scale bar, and a locator box with a
    connector line on the main map. `make_renderer(ax, extent)` gives the renderer for
    the detail's axes. `outside`: the detail's box off the map (in a band), where the
    red locator box and the red frame match without a connector across the map.
    Returns its box and its renderer."""
    left, bottom, right, top = outside or detail_box(map_box, k, corner, scale, need)
    w, h = right - left, top - bottom
    ax = fig.add_axes((left / W, bottom / H, w / W, h / H))
    _plain(ax, "#f4f4f2")
    ax.set_zorder(4700)
    sx0, sy0, sx1, sy1 = subject
    cx, cy = (sx0 + sx1) / 2, (sy0 + sy1) / 2
    half = max(sx1 - sx0, (sy1 - sy0) * DETAIL_ASPECT, 3000.0) * 0.8
    ext = (cx - half, cy - half / DETAIL_ASPECT, cx + half, cy + half / DETAIL_ASPECT)
    detail = make_renderer(ax, ext)
    detail.apply(state)
    # The base map's names (which side is which) in smaller type: the subject's names come
    # first in this small frame.
    for la in detail.layers.values():
        if la.spec.base:
            for lab in la.labels:
                lab.fontsize = max(7.0, round(lab.fontsize * 0.8, 1))
                lab.artist.set_fontsize(lab.fontsize)
    detail.set_notes(())  # the callouts belong to the main map
    detail.set_extent(ext)
    ax.add_patch(Rectangle((0, 0), 1, 1, transform=ax.transAxes, fill=False, linewidth=1.2,
                           edgecolor=LOCATOR, zorder=5000, clip_on=False))
    dx0, dy0, dx1, dy1 = detail.extent()
    main.ax.add_patch(Rectangle((dx0, dy0), dx1 - dx0, dy1 - dy0, fill=False, edgecolor=LOCATOR,
                                linewidth=1.0, zorder=4400))
    inner = "lower left" if corner.endswith("right") else "lower right"
    bar = scalebar(ax, k * 0.85, (left, bottom, w, h), location=inner)
    size = max(6.0, 6.5 * k)
    ax.text(0.03, 0.97, "Detail", transform=ax.transAxes, ha="left", va="top", fontsize=size,
            fontweight="bold", color=LOCATOR, family=FONT, zorder=5000, parse_math=False)
    # The detail's own labels keep clear of its title and scale bar.
    detail.furniture_inches = [bar, (left, bottom + h - 0.04 - size * 1.3 / 72, left + 0.04 + size * 3.2 / 72,
                                     bottom + h)]
    # Connector from the locator box to the detail frame's nearest corner.
    corner_xy = ((0.0 if corner.endswith("right") else 1.0), (1.0 if corner.startswith("lower") else 0.0))
    near = (dx0 if corner.endswith("left") else dx1, dy0 if corner.startswith("lower") else dy1)
    if outside is not None:
        return (left, bottom, left + w, bottom + h), detail
    # Labels keep off the connector where they can (it is a thin line, like an arc).
    dpi = fig.dpi
    a_px, b_px = main.ax.transData.transform(near), ax.transAxes.transform(corner_xy)
    main.furniture_lines = [((a_px[0] / dpi, a_px[1] / dpi), (b_px[0] / dpi, b_px[1] / dpi))]
    con = ConnectionPatch(xyA=near, coordsA=main.ax.transData, xyB=corner_xy, coordsB=ax.transAxes,
                          color=LOCATOR, linewidth=0.6, zorder=4450)
    fig.add_artist(con)
    return (left, bottom, left + w, bottom + h), detail


def clipped_tables(tables: dict, extent, margin: float = 0.5) -> dict:
    """The features near `extent` (a frame and a margin around it), clipped to it: a
    detail of a few kilometres then draws a few hundred vertices, not whole countries."""
    from briefmap.model.features import FeatureTable

    x0, y0, x1, y1 = extent
    mx, my = (x1 - x0) * margin, (y1 - y0) * margin
    box = (x0 - mx, y0 - my, x1 + mx, y1 + my)
    frame = shapely.box(*box)
    out = {}
    for lid, t in tables.items():
        geoms = np.array(t.geometries, dtype=object)
        keep = np.flatnonzero(shapely.intersects(geoms, frame))
        clipped = [g if g.geom_type == "Point" else shapely.clip_by_rect(g, *box) for g in geoms[keep]]
        out[lid] = FeatureTable(t.layer_id, [t.ids[i] for i in keep], clipped, [t.properties[i] for i in keep],
                                [t.starts[i] for i in keep], [t.ends[i] for i in keep])
    return out


def _plain(ax, face: str) -> None:
    ax.set_facecolor(face)
    ax.set_xticks([])
    ax.set_yticks([])
    for s in ax.spines.values():
        s.set_linewidth(0.7)
        s.set_edgecolor("#333333")
