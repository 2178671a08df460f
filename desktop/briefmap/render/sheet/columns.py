"""The sheet's legend and text blocks: the side column, the bottom band, and the legend
box a compact sheet puts on its map. Swatches come from render.legend, drawn from the
map's own styles. Everything in inches; what does not fit is recorded, never clipped."""

from __future__ import annotations

from matplotlib.patches import Rectangle

from briefmap.render.legend import swatch_artists
from briefmap.render.sheet import text
from briefmap.render.sheet.layout import FONT


def legend_rows(fig, items, W, H, left, top, bottom, width, size, k, overflow, columns: int = 1) -> float:
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


# A paragraph wider than this (inches, at k = 1) is hard to read: a wider side column (a
# long, short sheet) puts the text in a column of this width beside the legend.
TEXT_MAX_W = 4.2
LEGEND_COL_W = 2.6


def legend_height(items, width: float, size: float, k: float, columns: int = 1) -> float:
    """How tall legend_rows would make the legend (its tallest column), with its heading."""
    row = max(size * 1.6, 11 * k) / 72
    sw = 0.34 * k
    col_w = width / columns - (0.15 if columns > 1 else 0.0)
    heights = [max(row, text.text_height(len(text.wrap(i.label, col_w - sw - 0.1 * k, size)), size) + 0.03)
               for i in items]
    per = -(-len(heights) // columns) if heights else 0
    return max((sum(heights[c * per:(c + 1) * per]) for c in range(columns)), default=0.0) + 0.2 * k


def side_column(fig, col: text.Column, words, items, W, H, k, left_out: list | None = None) -> None:
    """Scenario, key points and legend. On a wide column (a long, short sheet) the words
    stand in a readable column beside the legend; otherwise the legend goes first when
    room is short, and the words it leaves no room for are listed in `left_out`."""
    size = 8.2 * k
    legend_size = max(6.0, 7.2 * k)
    if col.width >= (TEXT_MAX_W + 0.3 + LEGEND_COL_W) * k and (words.summary or words.points):
        height = col.y - col.bottom
        text_w = TEXT_MAX_W * k
        _texts(text.Column(fig, W, H, (col.left, col.bottom, text_w, height), k, col.overflow), words, size, 0.0, k)
        legend_left = col.left + text_w + 0.3 * k
        col = text.Column(fig, W, H, (legend_left, col.bottom, col.left + col.width - legend_left, height), k,
                          col.overflow)
    else:
        n = max(1, int(col.width // LEGEND_COL_W))
        _texts(col, words, size, legend_height(items, col.width, legend_size, k, n) if items else 0.0, k,
               left_out)
    if items and col.heading("Legend"):
        legend_rows(fig, items, W, H, col.left, col.y, col.bottom, col.width, legend_size, k,
                    col.overflow, columns=max(1, int(col.width // LEGEND_COL_W)))


def _texts(col: text.Column, words, size: float, keep: float, k: float, left_out: list | None = None) -> None:
    """The scenario's summary and key points, keeping `keep` inches free below them (for
    the legend). Words given up for the legend go to `left_out` (a rule preflight lists);
    words that run past the column's foot are recorded as cut."""
    def gave_up_one(words_: str) -> None:
        if left_out is None:  # no rule lets them go here: they are cut
            col.overflow.items.append(f"text {words_[:40]!r}")
        else:
            left_out.append(words_)

    if words.summary:
        if col.room() > keep + 0.8 * k:
            col.heading("Scenario")
            col.paragraph(words.summary, size)
            col.y -= 0.06 * k
        else:
            gave_up_one(words.summary)
    if words.points:
        if col.room() > keep + 0.6 * k:
            col.heading(words.points_heading)
            for n, p in enumerate(words.points):
                if col.room() < keep + 0.3 * k:
                    for q in words.points[n:]:
                        gave_up_one(q)
                    break
                if not col.paragraph(p, size, bullet=True):
                    col.overflow.items.extend(f"text {q[:40]!r}" for q in words.points[n + 1:])
                    break
            col.y -= 0.06 * k
        else:
            for q in words.points:
                gave_up_one(q)


def bottom_band(fig, box, words, items, W, H, k, overflow) -> None:
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
    legend_rows(fig, items, W, H, left, top - 0.2 * k, bottom, half - 0.1, max(6.0, 6.8 * k), k, rest)
    if rest.items:
        shown = len(items) - len(rest.items)
        legend_rows(fig, items[shown:], W, H, col.left, col.y - 0.05 * k, bottom, col.width, max(6.0, 6.8 * k), k,
                     overflow)


def legend_on_map_box(items, map_box, k, corner: str = "lower left") -> tuple[float, float, float, float]:
    """Where the compact legend would stand in `corner` (its height as laid out, about)."""
    x_l, b, w, h = map_box
    size = 6.0
    row = max(size * 1.6, 11 * k) / 72
    width = min(2.4, 0.42 * w)
    box_w = width + 0.12
    label_w = width - 0.34 * k - 0.1 * k
    need = sum(max(row, text.text_height(len(text.wrap(i.label, label_w, size)), size) + 0.03) for i in items)
    box_h = min(0.55 * h, 0.06 + row + need + 0.01) + 0.16
    left = x_l if corner.endswith("left") else x_l + w - box_w
    bottom = b if corner.startswith("lower") else b + h - box_h
    return (left, bottom, left + box_w, bottom + box_h)


def legend_on_map(ax, items, map_box, k, overflow, corner: str = "lower left") -> tuple[float, float, float, float]:
    """A compact sheet: the legend in a box in a corner of the map (the one that hides
    least, chosen by the caller), kept to part of the map; entries that do not fit are
    counted on its last line (and in preflight)."""
    fig = ax.figure
    W, H = fig.get_size_inches()
    x_l, b, w, h = map_box
    size = 6.0
    width = min(2.4, 0.42 * w)
    if corner.endswith("right"):
        x_l = x_l + w - width - 0.12
    row = max(size * 1.6, 11 * k) / 72
    # Room for every row as legend_rows lays them out (a long label wraps to two lines) above
    # the line kept for "+ n more", so that line is needed only when the map is short.
    label_w = width - 0.34 * k - 0.1 * k
    need = sum(max(row, text.text_height(len(text.wrap(i.label, label_w, size)), size) + 0.03) for i in items)
    top = b + min(0.55 * h, 0.06 + row + need + 0.01)
    start = len(fig.artists), len(fig.texts)
    rest = text.Overflow()
    lowest = legend_rows(fig, items, W, H, x_l + 0.06, top, b + 0.06 + row, width, size, k, rest)
    if rest.items:
        overflow.items.extend(rest.items)
        fig.text((x_l + 0.06) / W, (lowest - row / 2) / H, f"+ {len(rest.items)} more on a larger sheet",
                 fontsize=size, va="center", family=FONT, color="#555555", fontstyle="italic")
        lowest -= row
    for art in fig.artists[start[0]:] + fig.texts[start[1]:]:
        art.set_zorder(4100)  # above the box, which is above the map
    # The box is as tall as what it holds, standing on the map's lower edge (or hanging
    # from its upper edge).
    height = top - lowest + 0.06 + 0.04
    base = b if corner.startswith("lower") else b + h - height - 0.06
    fig.add_artist(Rectangle((x_l / W, base / H), (width + 0.12) / W, (height + 0.06) / H,
                             transform=fig.transFigure, facecolor=(1, 1, 1, 0.92), edgecolor="#999999",
                             linewidth=0.6, zorder=4000))
    shift = (base + 0.04) - (lowest - 0.0)
    for art in fig.artists[start[0]:] + fig.texts[start[1]:]:
        if art.get_zorder() == 4100:  # move the rows down onto the box
            _shift_figure_artist(art, shift / H)
    return (x_l, base, x_l + width + 0.12, base + height + 0.06)


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


BAND_MAP_SHARE = 0.5  # a band sheet's map keeps at least this share of the room under the title


def band_need(words, items, width: float, k: float) -> float:
    """The height a bottom band needs for its legend (left half) and its text (right);
    a long legend continues under the text, so the two halves share its rows."""
    # Rows as legend_rows draws them: 6 pt type at least, 1.6 lines a row, long labels wrapped.
    legend_size = max(6.0, 6.8 * k)
    row = max(legend_size * 1.6, 11 * k) / 72
    label_w = width / 2 - 0.1 - 0.34 * k - 0.1 * k
    legend_h = 0.25 * k + sum(max(row, text.text_height(len(text.wrap(item.label, label_w, legend_size)), legend_size)
                                  + 0.03) for item in items)
    size = 8.0 * k
    lines = len(text.wrap(words.summary, width / 2 - 0.1, size)) if words.summary else 0
    lines += sum(len(text.wrap(p, width / 2 - 0.1 - 0.16 * k, size)) for p in words.points)
    text_h = 0.5 * k + text.text_height(lines, size) + (len(words.points) + 1) * 0.06 * k
    shared = max(text_h, (legend_h + text_h) / 2 + 2 * row)  # a row or two lost where it splits
    return min(max(legend_h, text_h), shared) + 0.1
