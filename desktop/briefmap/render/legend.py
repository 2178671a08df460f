"""The legend: one entry per distinct meaning drawn in the current view, and its swatches,
drawn by matplotlib from the same style the map uses, for the sheet and (as small
images) for the window alike, so the two can never disagree with the map."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, Patch, Rectangle

from briefmap.model.briefing import Style
from briefmap.model.edits import EDITS_LATER, EDITS_STYLE
from briefmap.render.map_layers import HIGHLIGHT, LINESTYLES, MapRenderer

GLOW = "glow"
GLOW_LABEL = "Emphasised in this scenario"
# What the user draws in the editor is one layer of mixed geometry under one look; its
# legend names each kind drawn on its own line, in this order.
_KIND_WORDS = {"point": "places", "line": "lines", "polygon": "areas"}
_DRAWN_IN_EDITOR = (EDITS_STYLE, EDITS_LATER)


@dataclass(frozen=True)
class LegendItem:
    label: str
    style: Style
    kinds: frozenset[str]
    opacity: float
    ground: str = ""  # the land (or sea) colour a see-through fill lies on in the map


def _signature(style: Style, kinds) -> tuple:
    """What a reader sees of a symbol: two entries that look the same are one entry."""
    fields = ("facecolor", "edgecolor", "color", "linewidth", "linestyle", "hatch", "marker", "arrow")
    return (tuple(sorted(kinds)), *(getattr(style, f) for f in fields))


def legend_items(renderer: MapRenderer) -> list[LegendItem]:
    """One item per meaning drawn in the current view, top layers first: a map zoomed on
    Tavush does not list the peacekeepers in Karabakh, each label and each look appears
    once, and the scenario's emphasis is explained when it is drawn."""
    import shapely

    frame = shapely.box(*renderer.extent())
    out: list[LegendItem] = []
    seen: set = set()
    for la in sorted(renderer.layers.values(), key=lambda la: -la.spec.order):
        if not la.visible or not la.spec.in_legend:
            continue
        kinds_by_style: dict[str, list] = {}
        seen_in_view: set[int] = set()  # feature indices drawn and in view
        for g in la.groups:
            # Only the features the group draws are tested (a thinned layer draws few of many).
            in_view = shapely.intersects(frame, [la.table.geometries[i] for i in g.indices])
            drawn = {i for i, hit in zip(g.indices, in_view, strict=True) if la.shown[i] and hit}
            if drawn:
                seen_in_view |= drawn
                kinds_by_style.setdefault(g.style.id, []).append(g)
        for groups in _by_kind_when_drawn(kinds_by_style.values()):
            style = groups[0].style
            kinds = frozenset(g.kind for g in groups)
            label = style.legend or la.spec.legend or la.spec.title
            if style.id in _DRAWN_IN_EDITOR and len(kinds) == 1 and next(iter(kinds)) in _KIND_WORDS:
                label = f"{label}: {_KIND_WORDS[next(iter(kinds))]}"
            if la.thinned:
                label = f"{label} (thinned: {la.thinned[0]:,} of {la.thinned[1]:,} points drawn)"
            sig = _signature(style, kinds)
            if label in seen or sig in seen:
                continue
            seen.update((label, sig))
            ground = ""
            if "polygon" in kinds and (style.facecolor == "none" or style.alpha * la.opacity < 1):
                ground = _ground(renderer, la, [i for g in groups for i in g.indices if i in seen_in_view], frame)
            out.append(LegendItem(label, style, kinds, la.opacity, ground))
    if any(a.get_visible() for _owner, a in renderer._highlights):
        out.append(LegendItem(GLOW_LABEL, Style(id="_glow", color=HIGHLIGHT, linewidth=7, alpha=0.75),
                              frozenset({GLOW}), 1.0))
    return out


def _by_kind_when_drawn(style_groups):
    """The groups of each look, those drawn in the editor split by geometry kind (places,
    lines, areas): one swatch shows one kind, as the map draws it. A briefing's own look
    that joins kinds on purpose (a consulate and its red line) stays one entry."""
    for groups in style_groups:
        if groups[0].style.id not in _DRAWN_IN_EDITOR:
            yield groups
            continue
        for kind in _KIND_WORDS:
            same = [g for g in groups if g.kind == kind]
            if same:
                yield same


def _ground(renderer: MapRenderer, layer, indices: list[int], frame) -> str:
    """The fill of the base map under most of a see-through layer's features in view,
    so its swatch is drawn over what the map draws it over ("" when none)."""
    import shapely

    pts = [shapely.intersection(layer.table.geometries[i], frame).representative_point() for i in indices]
    pts = [p for p in pts if not p.is_empty]
    if not pts:
        return ""
    votes: dict[str, int] = {}
    below = sorted((la for la in renderer.layers.values()
                    if la.visible and la.spec.base and la.spec.order < layer.spec.order),
                   key=lambda la: -la.spec.order)
    for p in pts:
        for la in below:  # the topmost base area under the point is what shows through
            hit = [i for i, g in enumerate(la.table.geometries) if la.shown[i] and g.contains(p)]
            face = renderer.style_for(la.spec, la.table, hit[0]).facecolor if hit else "none"
            if face != "none":
                votes[face] = votes.get(face, 0) + 1
                break
    return max(sorted(votes), key=votes.get) if votes else ""


def swatch_artists(item: LegendItem, x0: float, y0: float, w: float, h: float, transform) -> list:
    """The artists that draw `item`'s symbol in the box (x0, y0, w, h) of `transform`,
    with the map's own colours, widths, dashes, hatches and markers."""
    st, kinds, a = item.style, item.kinds, item.opacity
    xm, ym = x0 + w / 2, y0 + h / 2
    arts: list = []
    if GLOW in kinds:
        arts.append(Line2D([x0, x0 + w], [ym, ym], transform=transform, color=HIGHLIGHT, alpha=0.75,
                           linewidth=7, solid_capstyle="round"))
        arts.append(Line2D([x0 + w * 0.1, x0 + w * 0.9], [ym, ym], transform=transform, color="#555555",
                           linewidth=1.2))
        return arts
    if "polygon" in kinds:
        if item.ground:
            arts.append(Rectangle((x0, y0 + h * 0.15), w, h * 0.7, transform=transform, facecolor=item.ground,
                                  edgecolor="none", linewidth=0))
        arts.append(Rectangle((x0, y0 + h * 0.15), w, h * 0.7, transform=transform,
                              facecolor=_rgba(st.facecolor, st.alpha * a), edgecolor=_rgba(st.edgecolor, a),
                              hatch=st.hatch or None, linewidth=st.linewidth, linestyle=LINESTYLES[st.linestyle]))
    if "line" in kinds:
        if st.arrow:
            arts.append(FancyArrowPatch((x0, ym), (x0 + w, ym), transform=transform, arrowstyle="-|>",
                                        mutation_scale=st.linewidth * 4 + 6, color=st.color, alpha=a,
                                        linewidth=st.linewidth, linestyle=LINESTYLES[st.linestyle],
                                        shrinkA=0, shrinkB=0))
        else:
            arts.append(Line2D([x0, x0 + w], [ym, ym], transform=transform, color=st.color, alpha=a * st.alpha,
                               linewidth=st.linewidth, linestyle=LINESTYLES[st.linestyle], solid_capstyle="round",
                               dash_capstyle="round"))
    if "point" in kinds and st.markersize:
        arts.append(Line2D([xm], [ym], transform=transform, marker=st.marker, markersize=st.markersize,
                           markerfacecolor=_rgba(st.color, st.alpha), markeredgecolor=st.markeredgecolor,
                           markeredgewidth=0.6, linestyle="none", alpha=a))
    return arts


def _rgba(color: str, alpha: float):
    from matplotlib.colors import to_rgba

    if color == "none":
        return (0.0, 0.0, 0.0, 0.0)
    r, g, b, a0 = to_rgba(color)
    return (r, g, b, a0 * alpha)


def swatch_rgba(item: LegendItem, width_pt: float, height_pt: float, dpi: float) -> np.ndarray:
    """The item's swatch as an RGBA image (for the window's legend), drawn by matplotlib:
    its artists in z-order on an Agg canvas of the swatch's size, as the figure would draw
    them; one figure (for the artists' transform) serves every swatch of a size."""
    from matplotlib.backends.backend_agg import RendererAgg

    fig = _swatch_figure(width_pt, height_pt, dpi)
    width, height = fig.bbox.size
    renderer = RendererAgg(int(width), int(height), dpi)
    fig.patch.draw(renderer)
    arts = swatch_artists(item, 0.04, 0.0, 0.92, 1.0, fig.transFigure)
    for art in arts:
        art.set_figure(fig)
    for art in sorted(arts, key=lambda a: a.get_zorder()):
        art.draw(renderer)
    return np.asarray(renderer.buffer_rgba()).copy()


_SWATCH_FIGURES: dict[tuple[float, float, float], object] = {}


def _swatch_figure(width_pt: float, height_pt: float, dpi: float):
    from matplotlib.figure import Figure

    key = (width_pt, height_pt, dpi)
    fig = _SWATCH_FIGURES.get(key)
    if fig is None:
        fig = _SWATCH_FIGURES[key] = Figure(figsize=(width_pt / 72, height_pt / 72), dpi=dpi, facecolor="none")
    return fig


def handle(item: LegendItem):
    """A matplotlib legend handle for `item` (a compact sheet's legend on the map)."""
    style, kinds, alpha = item.style, item.kinds, item.opacity
    if GLOW in kinds:
        return Line2D([], [], color=HIGHLIGHT, linewidth=7, alpha=0.75)
    if kinds == {"polygon"}:
        return Patch(facecolor=_rgba(style.facecolor, style.alpha * alpha), edgecolor=_rgba(style.edgecolor, alpha),
                     hatch=style.hatch or None, linewidth=style.linewidth, linestyle=LINESTYLES[style.linestyle])
    if "point" in kinds:
        return Line2D([], [], marker=style.marker, markersize=max(style.markersize, 4),
                      markerfacecolor=style.color, markeredgecolor=style.markeredgecolor, color=style.color,
                      alpha=alpha, linestyle=LINESTYLES[style.linestyle] if "line" in kinds else "none",
                      linewidth=style.linewidth)
    return Line2D([], [], color=style.color, linewidth=style.linewidth, linestyle=LINESTYLES[style.linestyle],
                  alpha=alpha)


def data_under(renderer: MapRenderer, boxes_inches: dict[str, tuple[float, float, float, float]],
               around: float = 0.0) -> dict[str, float]:
    """How much of the briefing's own data (not the base map) lies under each box (in the
    map figure's inches, y up) or within `around` inches of it, on the map: covered area
    as a share of the box, lines counted a few pixels wide and points as a symbol and the
    start of its label. The window's legend and a sheet's detail inset go where this is
    least."""
    return covered_shares(coverage_of(renderer, boxes_inches, around))


@dataclass
class Coverage:
    """What `data_under` reads from the renderer, as plain data: the shares are worked out
    from it alone (the window does that on its worker thread: a user's big line layer
    takes a few hundred milliseconds to clip)."""

    boxes: dict[str, object]  # shapely boxes in map units, clipped to the view
    polygons: np.ndarray
    lines: np.ndarray
    singles: np.ndarray  # single points
    multis: np.ndarray
    metres_per_px: float
    focus: object = None  # the focus countries united (counted at FOCUS_WEIGHT), or None


def coverage_of(renderer: MapRenderer, boxes_inches: dict[str, tuple[float, float, float, float]],
                around: float = 0.0) -> Coverage:
    import shapely

    ax = renderer.ax
    dpi = ax.figure.dpi
    inv = ax.transData.inverted()
    metres_per_px = renderer.metres_per_inch() / dpi
    geoms_by_kind: dict[str, list] = {"polygon": [], "line": [], "point": []}
    for la in renderer.layers.values():
        if not la.visible or la.spec.base:
            continue
        for g in la.groups:
            geoms_by_kind[g.kind].extend(la.table.geometries[i] for i in g.indices if la.shown[i])
    # Arrays, worked on at once (a user layer may draw tens of thousands of points); sums
    # taken in feature order as before. A single point counts when the box holds it.
    polygons, lines = (np.asarray(geoms_by_kind[k], dtype=object) for k in ("polygon", "line"))
    points_all = np.asarray(geoms_by_kind["point"], dtype=object)
    single = shapely.get_type_id(points_all) == 0
    boxes = {}
    for name, (x0, y0, x1, y1) in boxes_inches.items():
        (mx0, my0), (mx1, my1) = inv.transform([[(x0 - around) * dpi, (y0 - around) * dpi],
                                                [(x1 + around) * dpi, (y1 + around) * dpi]])
        boxes[name] = shapely.box(mx0, my0, mx1, my1).intersection(shapely.box(*renderer.extent()))
    return Coverage(boxes, polygons, lines, points_all[single], points_all[~single], metres_per_px,
                    _focus_area(renderer))


def covered_shares(cov: Coverage) -> dict[str, float]:
    """The share of each box covered by data (touches no artist: any thread)."""
    import shapely

    metres_per_px = cov.metres_per_px
    out = {}
    for name, box in cov.boxes.items():
        area = max(box.area, 1.0)
        covered = sum(shapely.area(shapely.intersection(cov.polygons, box)).tolist())
        covered += sum(shapely.length(shapely.intersection(cov.lines, box)).tolist()) * 6 * metres_per_px
        shapely.prepare(box)
        points = int(shapely.intersects(box, cov.singles).sum())
        points += int(shapely.get_num_coordinates(shapely.intersection(cov.multis, box)).sum())
        covered += points * (24 * metres_per_px) ** 2  # a symbol and the start of its label
        # The countries the briefing is about count too, at half weight: a legend over the
        # Nakhchivan exclave hid what the map is about though no symbol stood there.
        if cov.focus is not None:
            covered += FOCUS_WEIGHT * shapely.intersection(cov.focus, box).area
        out[name] = covered / area
    return out


FOCUS_WEIGHT = 0.5


def _focus_area(renderer):
    """The briefing's focus countries ([sheet] focus), as one geometry (or None); united
    once per renderer and table (the window asks on every pan)."""
    import numpy as np
    import shapely

    from briefmap.data.errors import BriefingError
    from briefmap.data.sheet_settings import read_sheet_settings

    try:
        focus = set(read_sheet_settings(renderer.briefing.root, renderer.briefing).focus)
    except (BriefingError, OSError):
        return None
    la = next((la for la in renderer.layers.values() if la.spec.base == "countries"), None)
    if la is None or not la.visible or not focus:
        return None
    key = (id(la.table), tuple(sorted(focus)))
    cached = getattr(renderer, "_focus_union", None)
    if cached is None or cached[0] != key:
        parts = [g for g, p in zip(la.table.geometries, la.table.properties, strict=True)
                 if g is not None and str(p.get("iso_a3", "")) in focus]
        cached = (key, shapely.union_all(np.array(parts, dtype=object)) if parts else None)
        renderer._focus_union = cached
    return cached[1]
