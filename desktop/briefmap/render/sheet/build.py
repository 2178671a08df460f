"""Putting a sheet together: header, map with its furniture, column or band, footer.

Everything is laid out in inches and sized in points, so the same sheet at 150 and at
300 dpi differs only in sharpness. Nothing here knows a particular briefing: its words
come from the catalog ([briefing], [sheet], the scenario) and the user's options.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from briefmap.data.projection import bounds_to_map
from briefmap.data.sheet_settings import read_sheet_settings
from briefmap.model.briefing import Briefing
from briefmap.model.features import FeatureTable
from briefmap.model.view import ViewState, view_bounds
from briefmap.render.legend import legend_items
from briefmap.render.map_layers import MapRenderer
from briefmap.render.sheet import columns, detail_names, detail_place, furniture, text
from briefmap.render.sheet.frame import keep_whole
from briefmap.render.sheet.layout import FONT, MIN_MAP_IN, SheetOptions, SheetTooSmall, check_size, plan, type_scale


@dataclass
class SheetReport:
    """What preflight needs: the map renderers and what was left out."""

    renderers: list = field(default_factory=list)
    overflow: text.Overflow = field(default_factory=text.Overflow)
    mode: str = ""
    findings: list = field(default_factory=list)  # filled in by preflight
    left_out: list = field(default_factory=list)  # filled in by preflight: names left out by rule
    words_left_out: list = field(default_factory=list)  # summary and key points a small sheet gives up for its legend
    furniture_left_out: list = field(default_factory=list)  # insets left out by rule, each with its reason
    give_way: tuple = ()  # (rank, scale): places that may be left out ([sheet] give_way)
    focus: tuple[str, ...] = ()  # the briefing's own countries ([sheet] focus): always named


def default_extent(briefing: Briefing, state: ViewState) -> tuple[float, float, float, float]:
    """The view's extent, or where its scenario or the briefing looks (the window uses the
    same rule: model.view.view_bounds)."""
    return state.extent or bounds_to_map(view_bounds(briefing, state), briefing.crs)


def _area(box) -> float:
    return max(box[2] - box[0], 0.0) * max(box[3] - box[1], 0.0)


def _scenario_extent(briefing: Briefing, scenario):
    own = scenario.bookmark if scenario and scenario.bookmark else briefing.default_bookmark
    return bounds_to_map(briefing.bookmark(own).bounds, briefing.crs)


def view_bookmark(briefing: Briefing, state: ViewState, scenario):
    """The bookmark the view shows, when it is not the scenario's own extent."""
    if not state.extent:
        return None
    own = scenario.bookmark if scenario and scenario.bookmark else briefing.default_bookmark
    for b in briefing.bookmarks:
        shown = bounds_to_map(b.bounds, briefing.crs)
        if b.id != own and all(abs(a - c) < 1.0 for a, c in zip(shown, state.extent, strict=True)):
            return b
    return None


def build_sheet(briefing: Briefing, tables: dict[str, FeatureTable], state: ViewState,
                opts: SheetOptions, report: SheetReport | None = None) -> tuple[Figure, MapRenderer]:
    check_size(opts)
    report = report if report is not None else SheetReport()
    settings = read_sheet_settings(briefing.root, briefing)
    W, H = opts.width_in, opts.height_in
    fig = Figure(figsize=(W, H), dpi=opts.dpi, facecolor="white")
    scenario = next((s for s in briefing.scenarios if s.id == state.scenario), None)
    bookmark = view_bookmark(briefing, state, scenario)
    words = text.words_for(briefing, state, scenario, settings, opts, bookmark)
    close_up = bookmark is not None and (_area(bounds_to_map(bookmark.bounds, briefing.crs))
                                         < 0.5 * _area(_scenario_extent(briefing, scenario)))
    if close_up:
        words.points = []  # the scenario's key points speak of the whole region, not this close-up
    k = type_scale(W, H)
    pad = 0.32 * k
    foot_size = max(6.0, 6.3 * k)
    foot = text.footer_lines(words, W - 2 * pad, foot_size)
    footer_h = text.text_height(len(foot), foot_size) * 1.08 + 0.2 * k
    header_h = text.header_height(words, pad, k, W - 2 * pad)
    if H - header_h - footer_h - 0.08 < MIN_MAP_IN:
        need = header_h + footer_h + 0.08 + MIN_MAP_IN
        raise SheetTooSmall(
            f"a {opts.pixels[0]} × {opts.pixels[1]} px sheet at {opts.dpi} dpi leaves no room for the map under "
            f"its title and credits; at this width the sheet must be at least {need:.2f} in "
            f"({math.ceil(need * opts.dpi)} px) tall")
    # The map first at its widest, to learn what the legend will list; then the layout.
    provisional = plan(opts, header_h, footer_h, 0.3 * H)
    ax = fig.add_axes(_fraction(provisional.map, W, H))
    ax.set_facecolor("#f4f4f2")
    renderer = MapRenderer(briefing, tables, ax)
    renderer.apply(state)
    renderer.set_extent(default_extent(briefing, state))
    band_w = W - 2 * provisional.pad
    lay = plan(opts, header_h, footer_h, columns.band_need(words, legend_items(renderer), band_w, k))
    small_band = lay.mode == "band" and lay.map[3] < columns.BAND_MAP_SHARE * (H - header_h - footer_h)
    if small_band and (words.summary or words.points):
        # A small square or portrait sheet: the map keeps its room, the band holds the legend,
        # and the scenario's words give way (preflight lists them).
        report.words_left_out.extend(w for w in (words.summary, *words.points) if w)
        words.summary, words.points = "", []
        lay = plan(opts, header_h, footer_h, columns.band_need(words, legend_items(renderer), band_w, k))
    ax.set_position(_fraction(lay.map, W, H))
    renderer.set_extent(default_extent(briefing, state))
    lay = _fit_to_data(renderer, briefing, tables, lay, default_extent(briefing, state), W, H)
    subject = furniture.subject_extent(renderer, settings.detail_layers) if settings.detail_layers else None
    band_detail = None
    detail_left_out = None
    if lay.mode == "band" and subject is not None and furniture.needs_detail(renderer, subject, lay.map):
        # A short map (a square or portrait sheet): a detail that would hide part of the
        # subject on the map stands in the band, beside the legend.
        _c, _s, hidden = _detail_corner(renderer, settings, subject, lay.map, k)
        room = furniture.band_detail_width(lay.column, k)
        need = detail_place.min_detail_width(
            furniture.subject_names(renderer, settings.detail_layers[:1], subject) + 2, furniture.DETAIL_ASPECT)
        if hidden > detail_place.BAND_COST and room < need:
            # A band too narrow for the subject's names (a 4-inch-wide sheet): no detail.
            detail_left_out = (f"the detail inset: the band has room for one {room:.1f} in wide; its names "
                               f"need {need:.1f} in")
        elif hidden > detail_place.BAND_COST:
            band_detail = room
            width = lay.column[2] - band_detail - 0.2
            need = max(columns.band_need(words, legend_items(renderer), width, k),
                       band_detail / furniture.DETAIL_ASPECT + 0.25 * k)
            lay = plan(opts, header_h, footer_h, need)
            ax.set_position(_fraction(lay.map, W, H))
            renderer.set_extent(default_extent(briefing, state))
            lay = _fit_to_data(renderer, briefing, tables, lay, default_extent(briefing, state), W, H)
    keep_whole(renderer)
    report.mode = lay.mode
    report.give_way = settings.give_way
    renderer.label_give_way = settings.give_way  # the map's labels: short leaders for places that may go
    report.focus = settings.focus
    text.header(fig, words, W, H, pad, k, W - 2 * pad)
    text.footer(fig, foot, W, H, pad, footer_h - 0.1 * k, foot_size)
    map_box = lay.map
    _map_l, _map_b, map_w, map_h = map_box
    report.renderers.append(renderer)
    ax.add_patch(Rectangle((0, 0), 1, 1, transform=ax.transAxes, fill=False, linewidth=0.8,
                           edgecolor="#333333", zorder=5000, clip_on=False))

    subject = furniture.subject_extent(renderer, settings.detail_layers) if settings.detail_layers else None
    with_detail = (subject is not None and lay.mode != "compact" and not detail_left_out
                   and (band_detail or (map_w >= 3.5 and map_h >= 2.4)) and furniture.needs_detail(renderer, subject,
                                                                                                  map_box))
    if detail_left_out:
        report.furniture_left_out.append(detail_left_out)
    boxes = [furniture.north_arrow(ax, renderer, k, map_box)]
    items = legend_items(renderer)
    # Insets take the corners that hide least of the map's subject: the detail (the larger,
    # and the one that says most) first; a compact sheet's legend likewise.
    data = detail_place.data_map(renderer, map_box, set(settings.focus))
    if lay.mode == "compact" and items:
        corner, _s, _h = detail_place.choose(data, lambda c, _s: columns.legend_on_map_box(items, map_box, k, c),
                                             boxes, 0.0, corners=detail_place.CORNERS, scales=(1.0,))
        boxes.append(columns.legend_on_map(ax, items, map_box, k, report.overflow, corner))
    detail = None
    if with_detail:
        corner, scale, _hidden = _detail_corner(renderer, settings, subject, map_box, k, boxes)
        share = detail_place.focus_share(data, furniture.detail_box(map_box, k, corner, scale,
                                                                    _detail_need(renderer, settings, subject)))
        if not band_detail and share > detail_place.DROP_SHARE:
            # A map too small for a detail that hides none of what it is about: no detail
            # (the map names the sections itself; preflight says why).
            with_detail = False
            report.furniture_left_out.append(
                f"the detail inset: on a map of {map_w:.1f} × {map_h:.1f} in it would hide {share:.0%} of the "
                "focus countries wherever it stood")
    if with_detail:
        outside = None
        if band_detail:
            left, bottom, _w, band_h = lay.column
            outside = (left, bottom + band_h - band_detail / furniture.DETAIL_ASPECT, left + band_detail,
                       bottom + band_h)
        box, detail = furniture.detail_inset(
            fig, renderer, lambda a, ext: MapRenderer(briefing, furniture.clipped_tables(tables, ext), a), state,
            subject, map_box, W, H, k, corner, scale, outside, _detail_need(renderer, settings, subject))
        if outside is None:
            boxes.append(box)
        report.renderers.append(detail)
        renderer.label_skip = set(settings.detail_layers)
        detail.label_first = tuple(settings.detail_layers)
    if opts.inset and map_w >= 4.0 and map_h >= 2.5:
        # The locator may be a little smaller to keep clear of the focus countries.
        corner, scale, _hidden = detail_place.choose(data, lambda c, s: furniture.locator_box(map_box, k, c, s),
                                            boxes, 0.0, corners=detail_place.LOCATOR_CORNERS, scales=(1.0, 0.9, 0.85))
        boxes.append(furniture.locator_inset(fig, renderer, map_box, W, H, k, set(settings.focus),
                                             settings.inset_bounds, corner, scale))
    boxes.insert(0, furniture.scalebar(ax, k, map_box, _scalebar_corner(renderer, k, map_box, boxes, data)))
    if lay.column is not None:
        col = text.Column(fig, W, H, lay.column, k, report.overflow)
        if lay.mode == "side":
            columns.side_column(fig, col, words, items, W, H, k, report.words_left_out)
        else:
            band = lay.column
            if band_detail and detail is not None:  # the legend and the text beside the detail
                band = (band[0] + band_detail + 0.2, band[1], band[2] - band_detail - 0.2, band[3])
            columns.bottom_band(fig, band, words, items, W, H, k, report.overflow)
    if words.note:
        boxes.append(_note(ax, words.note, map_box, k, boxes))

    renderer.furniture_inches = [(b[0], b[1], b[2], b[3]) for b in boxes]
    renderer.update_level_of_detail(round(map_w * opts.dpi))
    renderer.layout_labels()
    if detail is not None:
        detail.update_level_of_detail(round((box[2] - box[0]) * opts.dpi))
        detail.layout_labels()
        detail_names.make_room(detail, tuple(settings.detail_layers), on_detail=True)
    elif subject is not None:
        detail_names.make_room(renderer, tuple(settings.detail_layers), on_detail=False)
    return fig, renderer


def _detail_corner(renderer, settings, subject, map_box, k, taken=()):
    """The corner and size of the map where a detail would hide least, and what it hides."""
    data = detail_place.data_map(renderer, map_box, set(settings.focus))
    names = furniture.subject_names(renderer, settings.detail_layers, subject)
    taken = list(taken) or [furniture.north_arrow_box(renderer, k, map_box)]
    need = _detail_need(renderer, settings, subject)
    return detail_place.choose(data, lambda c, s: furniture.detail_box(map_box, k, c, s, need), taken,
                               furniture.detail_width(map_box, k, need),
                               min_w=detail_place.min_detail_width(names, furniture.DETAIL_ASPECT))


def _detail_need(renderer, settings, subject) -> float:
    """The width a detail needs for its subject's names and the two sides' names (the
    shrinking limit's area a name, less the room the one-line names of villages leave)."""
    names = furniture.subject_names(renderer, settings.detail_layers, subject)
    return 0.85 * detail_place.min_detail_width(names + 2, furniture.DETAIL_ASPECT)


def _scalebar_corner(renderer, k: float, map_box, taken, data) -> str:
    """Lower right, unless the detail or the legend is there, or it would hide more of
    the map's subject than lower left would: symbols and names (an actor's name where
    its arrow ends on the map) and where an off-map actor's arrow enters the map."""
    from briefmap.render.label_layout import arrow_lines

    entries = detail_place.arrow_entries(renderer, arrow_lines(renderer))
    reach = 0.35 * k  # a name stands within about this of its symbol or of where its arrow enters

    def score(corner: str) -> tuple[int, float]:
        x0, y0, x1, y1 = furniture.scalebar_box(k, map_box, corner)
        blocked = any(x0 < t[2] and t[0] < x1 and y0 < t[3] and t[1] < y1 for t in taken)
        hidden = sum(1 for ex, ey in entries if x0 - reach <= ex <= x1 + reach and y0 - reach <= ey <= y1 + reach)
        return int(blocked), 10.0 * hidden + detail_place.cost(data, (x0 - reach, y0, x1 + reach, y1 + reach))

    return min(("lower right", "lower left"), key=score)


def _data_bounds(briefing: Briefing, tables) -> tuple[float, float, float, float] | None:
    """Where the base map has data (beyond it a map would show blank paper)."""
    import numpy as np
    import shapely

    base = [spec.id for spec in briefing.layers if spec.base and spec.id in tables]
    geoms = [g for lid in base for g in tables[lid].geometries]
    if not geoms:
        return None
    return tuple(shapely.total_bounds(np.array(geoms, dtype=object)))


def _fit_to_data(renderer, briefing, tables, lay, extent, W, H):
    """On a sheet much wider (or taller) than the data, narrow the map to the data
    rather than show blank bands beside it; the map is centred in its place."""
    from dataclasses import replace

    data = _data_bounds(briefing, tables)
    if data is None:
        return lay
    x0, y0, x1, y1 = renderer.extent()
    left, bottom, w, h = lay.map
    dw, dh = data[2] - data[0], data[3] - data[1]
    if (x1 - x0) > dw * 1.01:
        new_w = w * dw / (x1 - x0)
        box = (left + (w - new_w) / 2, bottom, new_w, h)
    elif (y1 - y0) > dh * 1.01:
        new_h = h * dh / (y1 - y0)
        box = (left, bottom + (h - new_h) / 2, w, new_h)
    else:
        return lay
    renderer.ax.set_position(_fraction(box, W, H))
    renderer.set_extent(extent)
    x0, y0, x1, y1 = renderer.extent()
    # Keep the view on the data: shift it back if it hangs over one side.
    sx = max(0.0, data[0] - x0) - max(0.0, x1 - data[2])
    sy = max(0.0, data[1] - y0) - max(0.0, y1 - data[3])
    renderer.ax.set_xlim(x0 + sx, x1 + sx)
    renderer.ax.set_ylim(y0 + sy, y1 + sy)
    if lay.mode == "side" and lay.column is not None and box[2] < w:
        # The map keeps to the left; the column takes the room it leaves.
        box = (left, box[1], box[2], box[3])
        renderer.ax.set_position(_fraction(box, W, H))
        col_left = left + box[2] + 0.25
        column = (col_left, lay.column[1], W - lay.pad - col_left, lay.column[3])
        return replace(lay, map=box, column=column)
    return replace(lay, map=box)


def _fraction(box, W: float, H: float) -> tuple[float, float, float, float]:
    left, bottom, width, height = box
    return (left / W, bottom / H, width / W, height / H)


def _note(ax, note: str, map_box, k, furniture) -> tuple[float, float, float, float]:
    """The user's note, in a box at the map's lower edge, between the scale bar and the
    detail inset (whichever corners they took)."""
    fig = ax.figure
    W, H = fig.get_size_inches()
    x_l, b, w, _h = map_box
    low = [f for f in furniture if f[1] <= b + 0.15]
    left = max([f[2] + 0.1 for f in low if f[0] < x_l + w / 2] + [x_l + 0.3 * w])
    right = min([f[0] - 0.1 for f in low if f[0] >= x_l + w / 2] + [x_l + 0.75 * w])
    width = max(right - left, 0.3 * w)
    size = max(6.0, 7.0 * k)
    lines = text.wrap(note, width - 0.15, size)
    h = text.text_height(len(lines), size) + 0.12
    fig.text((left + 0.06) / W, (b + 0.06 + h - 0.06) / H, "\n".join(lines), fontsize=size, va="top", family=FONT,
             color="#1a1a1a", linespacing=1.3, parse_math=False, zorder=4900,
             bbox={"boxstyle": "square,pad=0.3", "facecolor": (1, 1, 1, 0.92), "edgecolor": "#777777",
                   "linewidth": 0.5})
    return (left, b, left + width, b + h + 0.1)
