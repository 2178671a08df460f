"""The timeline as an animation: the map as it stood at each step, the date large, the
step's events named and their features lit; GIF through Pillow, MP4 through ffmpeg.

The figure and the map's artists are built once; each frame only moves the date (which
shows and hides dated features), the highlights and the text, then redraws.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import numpy as np

from briefmap.model.briefing import Briefing, Event
from briefmap.model.features import FeatureTable
from briefmap.model.view import ViewState
from briefmap.render.export import sheet_rc, write_atomic
from briefmap.render.pack.content import NON_ENDORSEMENT, PackCancelled, Steps, event_date, is_later, long_date
from briefmap.render.pack.fonts import FEATURES, FONT
from briefmap.render.pack.lines import break_lines
from briefmap.render.pack.markdown import Run

STEP = re.compile(r"^\s*(\d{1,3})\s*([dwmy])\s*$")
UNITS = {"d": "day", "w": "week", "m": "month", "y": "year"}
FRAME_MS, LAST_FRAME_MS = 900, 3000
EVENT_SPACING = 1.35  # line spacing of the step's events
MIN_EVENT_LINES = 6  # room the events keep above a legend in the column, in lines of the smallest type


class AnimationError(Exception):
    """An animation that could not be written; the message says why."""


@dataclass(frozen=True)
class Step:
    count: int
    unit: str  # d, w, m or y

    @classmethod
    def parse(cls, text: str) -> Step:
        m = STEP.match(text or "")
        if not m or int(m.group(1)) < 1:
            raise ValueError(f"expected a count and a unit (d, w, m or y), like 1m or 2w; got {text!r}")
        return cls(int(m.group(1)), m.group(2))

    def after(self, d: dt.date) -> dt.date:
        if self.unit == "d":
            return d + dt.timedelta(days=self.count)
        if self.unit == "w":
            return d + dt.timedelta(weeks=self.count)
        months = d.month - 1 + self.count * (12 if self.unit == "y" else 1)
        year, month = d.year + months // 12, months % 12 + 1
        return dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))

    def label(self, start: dt.date) -> str:
        """How a frame names its step: 2021, November 2020, week of 2 Nov 2020, 10 Nov 2020."""
        if self.unit == "y" and self.count == 1 and (start.month, start.day) == (1, 1):
            return str(start.year)
        if self.unit == "m" and self.count == 1 and start.day == 1:
            return start.strftime("%B %Y")
        if self.unit == "d" and self.count == 1:
            return f"{start.day} {start.strftime('%b %Y')}"
        return f"from {start.day} {start.strftime('%b %Y')}"


def periods(start: dt.date, end: dt.date, step: Step, limit: int = 500) -> list[tuple[dt.date, dt.date]]:
    """[first day, last day] of each step from `start` through `end`."""
    out: list[tuple[dt.date, dt.date]] = []
    d = start
    while d <= end:
        nxt = step.after(d)
        out.append((d, min(nxt - dt.timedelta(days=1), end)))
        if len(out) > limit:
            raise ValueError(f"{start} to {end} in steps of {step.count}{step.unit} makes more than {limit} frames")
        d = nxt
    return out


class Animator:
    """One figure: the map on the left, the date and the step's events on the right, a
    strip of the whole timeline along the bottom."""

    def __init__(self, briefing: Briefing, tables: dict[str, FeatureTable], state: ViewState,
                 width_in: float, height_in: float, dpi: int, span: tuple[dt.date, dt.date]):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        from briefmap.render.map_layers import MapRenderer
        from briefmap.render.sheet import default_extent

        self.briefing, self.state, self.span = briefing, state, span
        W, H = width_in, height_in
        self.W, self.H = W, H
        k = max(0.75, min(1.4, H / 7.2))
        self.k = k
        self.fig = Figure(figsize=(W, H), dpi=dpi, facecolor="white")
        self.canvas = FigureCanvasAgg(self.fig)
        side = min(0.34 * W, 4.4 * k)
        pad, strip = 0.25 * k, 0.75 * k
        ax = self.fig.add_axes((pad / W, strip / H, (W - side - 2 * pad) / W, (H - strip - pad) / H))
        ax.set_facecolor("#f4f4f2")
        self.renderer = MapRenderer(briefing, tables, ax)
        self.renderer.apply(state)
        self.renderer.set_extent(default_extent(briefing, state))
        self.renderer.update_level_of_detail(round(ax.get_position().width * W * dpi))
        from matplotlib.patches import Rectangle

        ax.add_patch(Rectangle((0, 0), 1, 1, transform=ax.transAxes, fill=False, linewidth=0.8,
                               edgecolor="#333333", zorder=5000, clip_on=False))
        x = (W - side) / W
        t = self.fig.text
        self.side_w = side - pad
        title = wrap(briefing.title, 9 * k, self.side_w, bold=True)
        t(x, 1 - pad / H, title, fontsize=9 * k, fontweight="bold", va="top", family=FONT, color="#333333",
          linespacing=1.25, parse_math=False, fontfeatures=FEATURES)
        top = pad + (title.count("\n") + 1) * 9 * k * 1.3 / 72 + 0.1 * k
        self.date_text = t(x, 1 - top / H, "", fontsize=30 * k, fontweight="bold", va="top",
                           family=FONT, color="#1f4e79", parse_math=False, fontfeatures=FEATURES)
        self.events_top = top + 0.7 * k  # inches from the top
        self.events_text = t(x, 1 - self.events_top / H, "", fontsize=10.5 * k, va="top", family=FONT,
                             color="#1a1a1a", linespacing=EVENT_SPACING, parse_math=False, fontfeatures=FEATURES)
        credit = wrap(f"Analysis: {briefing.credit()}. {NON_ENDORSEMENT}", 7 * k, self.side_w)
        t(x, pad * 0.6 / H, credit, fontsize=7 * k, va="bottom", family=FONT, color="#666666", linespacing=1.3,
          parse_math=False, fontfeatures=FEATURES)
        self.column_floor = strip + 0.1 * k  # inches from the bottom: where the column's legend stands
        self.legend = None
        self.legend_labels: tuple[str, ...] | None = None
        self.legend_top = self.column_floor
        # The legend stands in the column under the events; where the fullest legend would
        # leave the events too little room (a small frame), it stands on the map's corner.
        self.on_map = False
        self.legend_at = (x, self.column_floor / H)
        self.legend_width = self.side_w
        map_w = W - side - 2 * pad
        from briefmap.render.legend import legend_items

        self.renderer.apply(state.with_(date=span[1]))
        fullest = self._make_legend(legend_items(self.renderer))
        if fullest is not None:
            tall = fullest.get_window_extent(self.canvas.get_renderer()).height / dpi
            fullest.remove()
            min_room = MIN_EVENT_LINES * 8.5 * k * EVENT_SPACING / 72
            if H - self.events_top - self.column_floor - tall < min_room:
                self.on_map = True
                self.legend_at = ((pad + 0.06 * k) / W, (strip + 0.06 * k) / H)
                self.legend_width = 0.45 * map_w
        self._strip(pad, strip)

    def _make_legend(self, items: list):
        from briefmap.render.legend import handle

        self.legend_labels = tuple(i.label for i in items)
        if not items:
            return None
        # A long label wraps to the legend's width (swatch and gap: 3 em; the frame's pad).
        size = 7 * self.k
        text_w = self.legend_width - 3.0 * size / 72 - (0.15 * self.k if self.on_map else 0.05)
        labels = [wrap(label, size, text_w) for label in self.legend_labels]
        framed = {"frameon": True, "facecolor": "white", "edgecolor": "#999999", "framealpha": 0.92,
                  "borderpad": 0.5} if self.on_map else {"frameon": False, "borderaxespad": 0}
        legend = self.fig.legend([handle(i) for i in items], labels, loc="lower left",
                                 bbox_to_anchor=self.legend_at, fontsize=size, handlelength=2.2,
                                 labelspacing=0.35, title="Legend",
                                 title_fontproperties={"size": 7.5 * self.k, "weight": "bold"}, alignment="left",
                                 **framed)
        legend.set_zorder(6000)  # above the map's frame
        return legend

    def _legend(self) -> None:
        """What this frame's map draws: an item appears with its first feature on the map
        (the legend grows up from a fixed corner; the frame keeps its size)."""
        from briefmap.render.legend import legend_items

        items = legend_items(self.renderer)
        if tuple(i.label for i in items) == self.legend_labels:
            return
        if self.legend is not None:
            self.legend.remove()
        self.legend = self._make_legend(items)
        self.legend_top = self.column_floor
        if self.legend is not None and not self.on_map:
            box = self.legend.get_window_extent(self.canvas.get_renderer())
            self.legend_top = box.y1 / self.fig.dpi

    def _x(self, d: dt.date) -> float:
        a, b = self.span
        left, right = 0.25 * self.k, self.W - self.side_w - 0.5 * self.k
        return (left + (d - a).days / max((b - a).days, 1) * (right - left)) / self.W

    def _strip(self, pad: float, strip: float) -> None:
        from matplotlib.lines import Line2D

        y = strip * 0.45 / self.H
        a, b = self.span
        self.fig.add_artist(Line2D([self._x(a), self._x(b)], [y, y], color="#999999", linewidth=1.5))
        for year in range(a.year + 1, b.year + 1):
            x = self._x(dt.date(year, 1, 1))
            self.fig.add_artist(Line2D([x, x], [y - 0.04 / self.H, y + 0.04 / self.H], color="#999999", linewidth=1))
            self.fig.text(x, y - 0.08 / self.H, str(year), fontsize=7 * self.k, ha="center", va="top",
                          family=FONT, color="#666666", parse_math=False, fontfeatures=FEATURES)
        for e in self.briefing.events:
            if a <= e.date <= b:
                self.fig.add_artist(Line2D([self._x(e.date)], [y], marker="|", markersize=7 * self.k,
                                           color="#1f4e79", linestyle="none"))
        self.cursor = Line2D([self._x(a)], [y], marker="o", markersize=9 * self.k, color="#c0392b",
                             linestyle="none")
        self.fig.add_artist(self.cursor)

    def frame(self, first: dt.date, last: dt.date, label: str, events: list[Event], as_of: dt.date) -> np.ndarray:
        self.renderer.apply(self.state.with_(date=last))
        self.renderer.set_highlights([f for e in events for f in e.features])
        self.renderer.layout_labels()
        self._legend()
        self.date_text.set_text(label)
        size, out = self._event_lines(events, as_of)
        self.events_text.set_fontsize(size)
        self.events_text.set_text("\n".join(out) if out else "No dated events in this step.")
        self.events_text.set_color("#1a1a1a" if out else "#777777")
        self.cursor.set_xdata([self._x(last)])
        self.canvas.draw()
        return np.asarray(self.canvas.buffer_rgba())[:, :, :3].copy()


    def _event_lines(self, events: list[Event], as_of: dt.date) -> tuple[float, list[str]]:
        """The step's events as lines that stay clear of the legend: in smaller type when
        they need it, and with the last ones counted ("+ 3 more events") when even that is
        too much."""
        room = self.H - self.events_top - self.legend_top - 0.15 * self.k  # inches
        since = "the article" if as_of == self.briefing.article_as_of else long_date(as_of)
        for size in (10.5 * self.k, 9.5 * self.k, 8.5 * self.k):
            fits = max(1, int(room / (size * EVENT_SPACING / 72)))
            per_event: list[list[str]] = []
            for e in events:
                later = f"  (after {since})" if is_later(e, as_of) else ""
                lines = wrap(f"{event_date(e)}: {e.title}{later}", size, self.side_w - 0.2).split("\n")
                per_event.append([("• " if i == 0 else "   ") + ln for i, ln in enumerate(lines)])
            if sum(map(len, per_event)) <= fits:
                return size, [ln for lines in per_event for ln in lines]
        out: list[str] = []
        for n, lines in enumerate(per_event):
            if len(out) + len(lines) > fits - 2:  # two lines kept for the count
                rest = len(per_event) - n
                more = wrap(f"+ {rest} more event{'s' if rest > 1 else ''} in this step (see the timeline)", size,
                            self.side_w - 0.2)
                return size, [*out, *more.split("\n")]
            out += lines
        return size, out


def wrap(text: str, size: float, width: float, bold: bool = False) -> str:
    """Text broken to a width in inches, by the font's own measures."""
    lines = break_lines([Run(text, bold=bold)], size, width)
    return "\n".join("".join(p.text + (" " if p.space else "") for p in ln).strip() for ln in lines)


def events_between(briefing: Briefing, first: dt.date, last: dt.date) -> list[Event]:
    return sorted((e for e in briefing.events if first <= e.date <= last), key=lambda e: (e.date, e.id))


def ffmpeg_path() -> str | None:
    return shutil.which("ffmpeg")


def frames(animator: Animator, briefing: Briefing, spans, step: Step, as_of: dt.date, steps: Steps) -> Iterator:
    for first, last in spans:
        steps.step(f"frame {steps.done + 1} of {steps.total}: {first.isoformat()}")
        yield animator.frame(first, last, step.label(first), events_between(briefing, first, last), as_of)


def write_gif(path: Path, frame_iter: Iterator[np.ndarray], count: int) -> None:
    from PIL import Image

    def write(tmp: Path) -> None:
        first = Image.fromarray(next(frame_iter))
        palette = first.quantize(colors=255, method=Image.Quantize.MEDIANCUT)

        def rest():
            for arr in frame_iter:
                yield Image.fromarray(arr).quantize(palette=palette, dither=Image.Dither.NONE)

        durations = [FRAME_MS] * (count - 1) + [LAST_FRAME_MS]
        palette.save(tmp, format="GIF", save_all=True, append_images=rest(), duration=durations, loop=0,
                     optimize=False, disposal=1)

    write_atomic(path, write)


def write_mp4(path: Path, frame_iter: Iterator[np.ndarray], size: tuple[int, int]) -> None:
    exe = ffmpeg_path()
    if exe is None:
        raise AnimationError("MP4 needs ffmpeg on PATH")
    w, h = size

    def write(tmp: Path) -> None:
        cmd = [exe, "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{w}x{h}",
               "-framerate", f"{1000 / FRAME_MS:.4f}", "-i", "-", "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2",
               "-c:v", "libx264", "-pix_fmt", "yuv420p", "-r", "25", "-movflags", "+faststart", "-f", "mp4", str(tmp)]
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            for arr in frame_iter:
                proc.stdin.write(arr.tobytes())
            proc.stdin.close()
            err = proc.stderr.read().decode("utf-8", "replace").strip()
            if proc.wait() != 0:
                raise AnimationError(f"ffmpeg failed: {err.splitlines()[-1] if err else 'no message'}")
        except BaseException:
            proc.kill()
            proc.wait()
            raise

    write_atomic(path, write)


def write_animation(briefing: Briefing, tables: dict[str, FeatureTable], state: ViewState, path: Path,
                    size: tuple[float, float, int], start: dt.date, end: dt.date, step: Step, as_of: dt.date,
                    progress=None, cancelled=None) -> int:
    """Write a GIF or an MP4 of the map from `start` to `end`; returns the frame count."""
    path = Path(path)
    spans = periods(start, end, step)
    steps = Steps(len(spans), progress, cancelled)
    w_in, h_in, dpi = size
    with matplotlib.rc_context(sheet_rc()):
        animator = Animator(briefing, tables, state, w_in, h_in, dpi, (start, end))
        it = frames(animator, briefing, spans, step, as_of, steps)
        if path.suffix.lower() == ".mp4":
            w, h = animator.canvas.get_width_height()
            write_mp4(path, it, (w, h))
        else:
            write_gif(path, it, len(spans))
    steps.finish()
    return len(spans)


__all__ = ["AnimationError", "PackCancelled", "Step", "periods", "write_animation"]
