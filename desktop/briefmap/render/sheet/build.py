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
from briefmap.model.view import ViewState
from briefmap.render.legend import legend_items, swatch_artists
from briefmap.render.map_layers import MapRenderer
from briefmap.render.sheet import furniture, text
from briefmap.render.sheet.layout import FONT, MIN_MAP_IN, SheetOptions, SheetTooSmall, check_size, plan, type_scale


@dataclass
class SheetReport:
    """What preflight needs: the map renderers and what was left out."""

    renderers: list = field(default_factory=list)
    overflow: text.Overflow = field(default_factory=text.Overflow)
    mode: str = ""
    findings: list = field(default_factory=list)  # filled in by preflight


def default_extent(briefing: Briefing, state: ViewState) -> tuple[float, float, float, float]:
    if state.extent:
        return state.extent
    scenario = next((s for s in briefing.scenarios if s.id == state.scenario), None)
    bookmark = (scenario.bookmark if scenario and scenario.bookmark else "") or briefing.default_bookmark
    return bounds_to_map(briefing.bookmark(bookmark).bounds)


def _area(box) -> float:
    return max(box[2] - box[0], 0.0) * max(box[3] - box[1], 0.0)


def _scenario_extent(briefing: Briefing, scenario):
    own = scenario.bookmark if scenario and scenario.bookmark else briefing.default_bookmark
    return bounds_to_map(briefing.bookmark(own).bounds)


def view_bookmark(briefing: Briefing, state: ViewState, scenario):
    """The bookmark the view shows, when it is not the scenario's own extent."""
    if not state.extent:
        return None
    own = scenario.bookmark if scenario and scenario.bookmark else briefing.default_bookmark
    for b in briefing.bookmarks:
        if b.id != own and all(abs(a - c) < 1.0 for a, c in zip(bounds_to_map(b.bounds), state.extent, strict=True)):
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
    if bookmark is not None and _area(bounds_to_map(bookmark.bounds)) < 0.5 * _area(_scenario_extent(briefing, scenario)):
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
    lay = plan(opts, header_h, footer_h, _band_need(words, len(legend_items(renderer)), W - 2 * provisional.pad, k))
    ax.set_position(_fraction(lay.map, W, H))
    renderer.set_extent(default_extent(briefing, state))
    lay = _fit_to_data(renderer, briefing, tables, lay, default_extent(briefing, state), W, H)
    report.mode = lay.mode
    text.header(fig, words, W, H, pad, k, W - 2 * pad)
    text.footer(fig, foot, W, H, pad, footer_h - 0.1 * k, foot_size)
    map_box = lay.map
    _map_l, _map_b, map_w, map_h = map_box
    report.renderers.append(renderer)
    ax.add_patch(Rectangle((0, 0), 1, 1, transform=ax.transAxes, fill=False, linewidth=0.8,
                           edgecolor="#333333", zorder=5000, clip_on=False))

    boxes = [furniture.scalebar(ax, k, map_box), furniture.north_arrow(ax, renderer, k, map_box)]
    if opts.inset and map_w >= 4.0 and map_h >= 2.5:
        boxes.append(furniture.locator_inset(fig, renderer, map_box, W, H, k, set(settings.focus),
                                             settings.inset_bounds))
    items = legend_items(renderer)
    if lay.mode == "compact" and items:
        boxes.append(_legend_on_map(ax, items, map_box, k, report.overflow))
    subject = furniture.subject_extent(renderer, settings.detail_layers) if settings.detail_layers else None
    detail = None
    if (subject and lay.mode != "compact" and map_w >= 3.5 and map_h >= 2.4
            and furniture.needs_detail(renderer, subject, map_box)):
        box, detail = furniture.detail_inset(
            fig, renderer, lambda a, ext: MapRenderer(briefing, furniture.clipped_tables(tables, ext), a), state,
            subject, map_box, W, H, k,
            "lower left")
        boxes.append(box)
        report.renderers.append(detail)
        renderer.label_skip = set(settings.detail_layers)
    if lay.column is not None:
        col = text.Column(fig, W, H, lay.column, k, report.overflow)
        if lay.mode == "side":
            _side_column(fig, col, words, items, W, H, k)
        else:
            _bottom_band(fig, lay.column, words, items, W, H, k, report.overflow)
    if words.note:
        boxes.append(_note(ax, words.note, map_box, k))

    renderer.furniture_inches = [(b[0], b[1], b[2], b[3]) for b in boxes]
    renderer.update_level_of_detail(round(map_w * opts.dpi))
    renderer.layout_labels()
    if detail is not None:
        detail.update_level_of_detail(round((box[2] - box[0]) * opts.dpi))
        detail.layout_labels()
    return fig, renderer


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


def _band_need(words, n_items: int, width: float, k: float) -> float:
    """The height a bottom band needs for its legend (left half) and its text (right)."""
    legend_h = 0.25 * k + n_items * max(6.8 * k * 1.6, 11 * k) / 72
    size = 8.0 * k
    lines = len(text.wrap(words.summary, width / 2 - 0.1, size)) if words.summary else 0
    lines += sum(len(text.wrap(p, width / 2 - 0.1 - 0.16 * k, size)) for p in words.points)
    text_h = 0.5 * k + text.text_height(lines, size) + (len(words.points) + 1) * 0.06 * k
    return max(legend_h, text_h) + 0.1


def _legend_rows(fig, items, W, H, left, top, bottom, width, size, k, overflow, columns: int = 1) -> float:
    """Swatch and label per item, top-down, stopping at `bottom` (then on in the next of
    `columns` side-by-side columns of `width` / `columns`); returns the lowest y used."""
    row = max(size * 1.6, 11 * k) / 72
    sw, sh = 0.34 * k, 0.13 * k
    col_w = width / columns - (0.15 if columns > 1 else 0.0)
    y, col, lowest = top, 0, top
    for n, item in enumerate(items):
        lines = text.wrap(item.label, col_w - sw - 0.1 * k, size)
        h = max(row, text.text_height(len(lines), size) + 0.03)
        if y - h < bottom and col + 1 < columns:
            col, y = col + 1, top
        if y - h < bottom:
            overflow.items.extend(f"legend entry {i.label!r}" for i in items[n:])
            break
        x = left + col * width / columns
        yc = y - h / 2
        for art in swatch_artists(item, x / W, (yc - sh / 2) / H, sw / W, sh / H, fig.transFigure):
            fig.add_artist(art)
        fig.text((x + sw + 0.1 * k) / W, yc / H, "\n".join(lines), fontsize=size, va="center", family=FONT,
                 color="#222222", linespacing=1.2, parse_math=False)
        y -= h
        lowest = min(lowest, y)
    return lowest


def _side_column(fig, col: text.Column, words, items, W, H, k) -> None:
    size = 8.2 * k
    # The legend explains the map: it goes first when room is short.
    legend_h = len(items) * max(7.2 * k * 1.6, 11 * k) / 72 + 0.3 * k
    if words.summary and col.room() > legend_h + 0.8 * k:
        col.heading("Scenario")
        col.paragraph(words.summary, size)
        col.y -= 0.06 * k
    if words.points and col.room() > legend_h + 0.6 * k:
        col.heading(words.points_heading)
        for p in words.points:
            if col.room() < legend_h + 0.3 * k or not col.paragraph(p, size, bullet=True):
                break
        col.y -= 0.06 * k
    if items and col.heading("Legend"):
        _legend_rows(fig, items, W, H, col.left, col.y, col.bottom, col.width, max(6.0, 7.2 * k), k,
                     col.overflow, columns=max(1, int(col.width // 2.6)))


def _bottom_band(fig, box, words, items, W, H, k, overflow) -> None:
    """Legend on the left, scenario and key points on the right; legend entries that do
    not fit on the left continue under the text on the right."""
    left, bottom, width, height = box
    half = width * 0.5
    top = bottom + height
    col = text.Column(fig, W, H, (left + half + 0.1, bottom, half - 0.1, height), k, overflow)
    size = 8.0 * k
    if words.summary:
        col.heading("Scenario")
        col.paragraph(words.summary, size)
    if words.points:
        col.heading(words.points_heading)
        for p in words.points:
            if not col.paragraph(p, size, bullet=True):
                break
    if not items:
        return
    fig.text(left / W, top / H, "Legend", fontsize=max(6.5, 7 * k), color="#777777", va="top", family=FONT,
             fontweight="bold")
    rest = text.Overflow()
    _legend_rows(fig, items, W, H, left, top - 0.2 * k, bottom, half - 0.1, max(6.0, 6.8 * k), k, rest)
    if rest.items:
        shown = len(items) - len(rest.items)
        _legend_rows(fig, items[shown:], W, H, col.left, col.y - 0.05 * k, bottom, col.width, max(6.0, 6.8 * k), k,
                     overflow)


def _legend_on_map(ax, items, map_box, k, overflow) -> tuple[float, float, float, float]:
    """A compact sheet: the legend in a box in the map's lower-left corner, kept to part
    of the map; entries that do not fit are counted on its last line (and in preflight)."""
    fig = ax.figure
    W, H = fig.get_size_inches()
    x_l, b, w, h = map_box
    size = 6.0
    width = min(2.4, 0.42 * w)
    row = max(size * 1.6, 11 * k) / 72
    top = b + min(0.55 * h, 0.12 + len(items) * row)
    start = len(fig.artists), len(fig.texts)
    rest = text.Overflow()
    lowest = _legend_rows(fig, items, W, H, x_l + 0.06, top, b + 0.06 + row, width, size, k, rest)
    if rest.items:
        overflow.items.extend(rest.items)
        fig.text((x_l + 0.06) / W, (lowest - row / 2) / H, f"+ {len(rest.items)} more on a larger sheet",
                 fontsize=size, va="center", family=FONT, color="#555555", fontstyle="italic")
        lowest -= row
    for art in fig.artists[start[0]:] + fig.texts[start[1]:]:
        art.set_zorder(4100)  # above the box, which is above the map
    # The box is as tall as what it holds, standing on the map's lower edge.
    height = top - lowest + 0.06 + 0.04
    fig.add_artist(Rectangle((x_l / W, b / H), (width + 0.12) / W, (height + 0.06) / H, transform=fig.transFigure,
                             facecolor=(1, 1, 1, 0.92), edgecolor="#999999", linewidth=0.6, zorder=4000))
    shift = (b + 0.04) - (lowest - 0.0)
    for art in fig.artists[start[0]:] + fig.texts[start[1]:]:
        if art.get_zorder() == 4100:  # move the rows down onto the box
            _shift_figure_artist(art, shift / H)
    return (x_l, b, x_l + width + 0.12, b + height + 0.06)


def _shift_figure_artist(art, dy: float) -> None:
    """Move an artist placed in figure coordinates down or up by `dy` (a fraction)."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch
    from matplotlib.patches import Rectangle as Rect

    if isinstance(art, Line2D):
        art.set_ydata([y + dy for y in art.get_ydata()])
    elif isinstance(art, Rect):
        art.set_y(art.get_y() + dy)
    elif isinstance(art, FancyArrowPatch):
        (x0, y0), (x1, y1) = art._posA_posB
        art.set_positions((x0, y0 + dy), (x1, y1 + dy))
    else:
        x, y = art.get_position()
        art.set_position((x, y + dy))


def _note(ax, note: str, map_box, k) -> tuple[float, float, float, float]:
    """The user's note, in a box at the map's lower edge, beside the scale bar."""
    fig = ax.figure
    W, H = fig.get_size_inches()
    x_l, b, w, _h = map_box
    width = 0.45 * w
    size = max(6.0, 7.0 * k)
    lines = text.wrap(note, width - 0.15, size)
    h = text.text_height(len(lines), size) + 0.12
    left = x_l + 0.3 * w
    fig.text((left + 0.06) / W, (b + 0.06 + h - 0.06) / H, "\n".join(lines), fontsize=size, va="top", family=FONT,
             color="#1a1a1a", linespacing=1.3, parse_math=False, zorder=4900,
             bbox={"boxstyle": "square,pad=0.3", "facecolor": (1, 1, 1, 0.92), "edgecolor": "#777777",
                   "linewidth": 0.5})
    return (left, b, left + width, b + h + 0.1)
