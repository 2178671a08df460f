"""The timeline as a figure: dated events down a time axis, the as-of date marked across
it, and what came later drawn apart (hollow markers, grey italics, a shaded band).

Drawn straight onto a Figure in inches, so a handout page and a slide share the code.
"""

from __future__ import annotations

import datetime as dt

from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from briefmap.model.briefing import Briefing
from briefmap.render.pack.content import event_date, events_in_order, is_later, long_date
from briefmap.render.pack.fonts import FEATURES, FONT, text_width
from briefmap.render.pack.lines import INK, MUTED, shorten

AXIS, BEFORE, LATER, AS_OF = "#333333", "#1f4e79", "#8a8a8a", "#c0392b"


def title_lines(text: str, size: float, width: float, italic: bool = False) -> list[str]:
    """An event's title in the room it has: on one line, else on two, the second
    shortened at a word's end only when even two lines are not enough (the full text is
    in the panels)."""
    if text_width(text, size, italic=italic) <= width:
        return [text]
    words = text.split(" ")
    k = 1
    while k < len(words) and text_width(" ".join(words[:k + 1]), size, italic=italic) <= width:
        k += 1
    first = " ".join(words[:k])
    if text_width(first, size, italic=italic) > width:  # one word wider than the room
        return [shorten(text, size, width, italic=italic)]
    return [first, shorten(" ".join(words[k:]), size, width, italic=italic)]


def _lines_needed(events, size: float, width: float, as_of: dt.date) -> int:
    date_w = max((text_width(event_date(e), size, bold=True) for e in events), default=0.5) + 0.12
    room = width - 1.3 - date_w
    return 1 + sum(len(title_lines(e.title, size, room, is_later(e, as_of))) for e in events)


def draw_timeline(fig, briefing: Briefing, as_of: dt.date, box: tuple[float, float, float, float],
                  max_size: float = 9.0) -> None:
    """Draw into `box` (left, bottom, width, height in inches) of `fig`. A wide box (a
    slide) gets two axes side by side: up to the as-of date, and after it."""
    left, bottom, width, height = box
    events = events_in_order(briefing)
    start = min([briefing.date_min, *(e.date for e in events)])
    end = max([briefing.date_max, *(e.date for e in events), as_of])
    key_h = 0.3
    area_h = height - key_h - 0.25
    later = [e for e in events if is_later(e, as_of)]
    before = [e for e in events if not is_later(e, as_of)]
    split = width > 1.8 * height and later and before
    columns = ([before, later], (width - 0.4) / 2) if split else ([events], width)
    most = max(len(c) for c in columns[0])
    size = max(5.0, min(max_size, area_h * 72 / ((most + 2) * 1.32)))
    for _ in range(3):
        # Titles that wrap take rows of their own: the type shrinks until they fit.
        most = max(_lines_needed(c, size, columns[1], as_of) for c in columns[0])
        size = max(5.0, min(size, area_h * 72 / ((most + 1) * 1.32)))
    if split:
        half = (width - 0.4) / 2
        _column(fig, before, start, as_of, as_of, (left, bottom + 0.1, half, area_h), size)
        _column(fig, later, as_of, end, as_of, (left + half + 0.4, bottom + 0.1, half, area_h), size)
    else:
        _column(fig, events, start, end, as_of, (left, bottom + 0.1, width, area_h), size)
    _key(fig, left, bottom + height - key_h / 2, size, as_of)


def _column(fig, events, start: dt.date, end: dt.date, as_of: dt.date, box: tuple[float, float, float, float],
            size: float) -> None:
    """One time axis from `start` (top) to `end` (bottom) with its events' labels."""
    left, bottom, width, height = box
    tr = fig.dpi_scale_trans
    y0, y1 = bottom + height, bottom
    span = max((end - start).days, 1)

    def y_of(d: dt.date) -> float:
        return y0 - (d - start).days / span * (y0 - y1)

    row = size * 1.32 / 72
    axis_x = left + 0.75
    label_x = axis_x + 0.55
    date_w = max((text_width(event_date(e), size, bold=True) for e in events), default=0.5) + 0.12
    title_w = left + width - (label_x + date_w)

    # What came after the as-of date: the axis runs on in grey over a shaded band.
    ya = y_of(as_of)
    if as_of < end:
        fig.add_artist(Rectangle((axis_x - 0.12, y1 - 0.05), 0.24, ya - (y1 - 0.05), transform=tr,
                                 facecolor="#ececec", edgecolor="none", zorder=0))
    fig.add_artist(Line2D([axis_x, axis_x], [y0, ya], transform=tr, color=AXIS, linewidth=1.2, zorder=2))
    fig.add_artist(Line2D([axis_x, axis_x], [ya, y1], transform=tr, color=LATER, linewidth=1.2, zorder=2))
    for year in range(start.year + (start.month > 1 or start.day > 1), end.year + 1):
        y = y_of(dt.date(year, 1, 1))
        fig.add_artist(Line2D([axis_x - 0.08, axis_x], [y, y], transform=tr, color=AXIS, linewidth=1.0))
        fig.text(axis_x - 0.13, y, str(year), transform=tr, ha="right", va="center", fontsize=size + 1,
                 fontweight="bold", family=FONT, color=AXIS, parse_math=False, fontfeatures=FEATURES)

    # One row per event in date order, with the as-of date as a row of its own between
    # the last event before it and the first after; rows pushed apart, then back up from
    # the floor, each joined to its place on the axis.
    rows: list[tuple[dt.date, object]] = [(e.date, e) for e in events if not is_later(e, as_of)]
    rows.append((as_of, None))
    rows += [(e.date, e) for e in events if is_later(e, as_of)]
    titles = [title_lines(e.title, size, title_w, is_later(e, as_of)) if e else [] for _d, e in rows]
    extra = [max(0, len(t) - 1) * row for t in titles]  # a wrapped title's second line, below its first
    wanted = [y_of(d) for d, _ in rows]
    ys: list[float] = []
    for i, y in enumerate(wanted):
        ys.append(min(y, ys[-1] - row - extra[i - 1]) if ys else min(y, y0))
    for i in range(len(ys) - 1, -1, -1):
        low = y1 + extra[i] if i == len(ys) - 1 else ys[i + 1] + row + extra[i]
        ys[i] = max(ys[i], low)
    for (_d, e), y_dot, y_lab, lines in zip(rows, wanted, ys, titles, strict=True):
        if e is None:
            label = f"As of {long_date(as_of)}"
            dash = {"transform": tr, "color": AS_OF, "linewidth": 1.1, "linestyle": (0, (4, 2)), "zorder": 3}
            fig.add_artist(Line2D([axis_x - 0.3, axis_x + 0.18, label_x - 0.06], [y_dot, y_dot, y_lab], **dash))
            after = label_x + text_width(label, size, bold=True) + 0.08
            fig.add_artist(Line2D([after, left + width], [y_lab, y_lab], **dash))
            fig.text(label_x, y_lab, label, transform=tr, ha="left", va="center", fontsize=size, fontweight="bold",
                     family=FONT, color=AS_OF, parse_math=False, fontfeatures=FEATURES, zorder=4)
            continue
        is_late = is_later(e, as_of)
        colour = LATER if is_late else BEFORE
        fig.add_artist(Line2D([axis_x, axis_x + 0.18, label_x - 0.06], [y_dot, y_lab, y_lab], transform=tr,
                              color="#b0b0b0", linewidth=0.5, zorder=1))
        fig.add_artist(Line2D([axis_x], [y_dot], transform=tr, marker="o", markersize=size * 0.62,
                              markerfacecolor="white" if is_late else colour, markeredgecolor=colour,
                              markeredgewidth=1.0, linestyle="none", zorder=5))
        fig.text(label_x, y_lab, event_date(e), transform=tr, ha="left", va="center", fontsize=size,
                 fontweight="bold", family=FONT, color=colour, parse_math=False, fontfeatures=FEATURES)
        for k, line in enumerate(lines):
            fig.text(label_x + date_w, y_lab - k * row, line, transform=tr, ha="left", va="center", fontsize=size,
                     family=FONT, color=MUTED if is_late else INK, fontstyle="italic" if is_late else "normal",
                     parse_math=False, fontfeatures=FEATURES)


def _key(fig, left: float, ky: float, size: float, as_of: dt.date) -> None:
    tr = fig.dpi_scale_trans
    fig.add_artist(Line2D([left + 0.1], [ky], transform=tr, marker="o", markersize=size * 0.62,
                          markerfacecolor=BEFORE, markeredgecolor=BEFORE, linestyle="none"))
    fig.text(left + 0.22, ky, f"up to the as-of date ({long_date(as_of)})", transform=tr, va="center",
             fontsize=size, family=FONT, color=INK, parse_math=False, fontfeatures=FEATURES)
    kx = left + 0.22 + text_width(f"up to the as-of date ({long_date(as_of)})", size) + 0.35
    fig.add_artist(Line2D([kx], [ky], transform=tr, marker="o", markersize=size * 0.62, markerfacecolor="white",
                          markeredgecolor=LATER, linestyle="none"))
    fig.text(kx + 0.12, ky, "later (after the as-of date)", transform=tr, va="center", fontsize=size,
             family=FONT, color=MUTED, fontstyle="italic", parse_math=False, fontfeatures=FEATURES)
