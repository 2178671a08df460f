"""The export sheet: title, map, legend, scale bar, north arrow, inset, key points, credits.

Everything is laid out in inches and sized in points, so the same sheet at 150 and at
300 dpi differs only in sharpness.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from briefmap import __version__
from briefmap.data.layers import read_base
from briefmap.data.projection import bounds_to_map, to_lonlat, to_map
from briefmap.model.briefing import Briefing
from briefmap.model.features import FeatureTable
from briefmap.model.naming import policy_for
from briefmap.model.view import ViewState
from briefmap.render.geometry import polygon_path
from briefmap.render.legend import handle, legend_items
from briefmap.render.map_layers import MapRenderer

FONT = "DejaVu Sans"


@dataclass(frozen=True)
class Preset:
    id: str
    title: str
    width_in: float
    height_in: float
    dpi: int

    @property
    def pixels(self) -> tuple[int, int]:
        return round(self.width_in * self.dpi), round(self.height_in * self.dpi)


PRESETS = {
    p.id: p for p in (
        Preset("slide-16x9", "Slide 16:9 (1920 × 1080 px)", 12.8, 7.2, 150),
        Preset("a4-landscape", "A4 landscape, 300 dpi (3508 × 2480 px)", 3508 / 300, 2480 / 300, 300),
        Preset("a4-portrait", "A4 portrait, 300 dpi (2480 × 3508 px)", 2480 / 300, 3508 / 300, 300),
        Preset("square", "Square (1080 × 1080 px)", 7.2, 7.2, 150),
    )
}


@dataclass(frozen=True)
class SheetOptions:
    width_in: float
    height_in: float
    dpi: int
    side_column: bool = True
    inset: bool = True

    @classmethod
    def from_preset(cls, preset: str, dpi: int | None = None, side_column: bool = True) -> SheetOptions:
        p = PRESETS[preset]
        return cls(p.width_in, p.height_in, dpi or p.dpi, side_column)

    @classmethod
    def from_pixels(cls, width: int, height: int, dpi: int, side_column: bool = True) -> SheetOptions:
        return cls(width / dpi, height / dpi, dpi, side_column)

    @property
    def pixels(self) -> tuple[int, int]:
        return round(self.width_in * self.dpi), round(self.height_in * self.dpi)


def default_extent(briefing: Briefing, state: ViewState) -> tuple[float, float, float, float]:
    if state.extent:
        return state.extent
    scenario = next((s for s in briefing.scenarios if s.id == state.scenario), None)
    bookmark = (scenario.bookmark if scenario and scenario.bookmark else "") or briefing.default_bookmark
    return bounds_to_map(briefing.bookmark(bookmark).bounds)


def build_sheet(briefing: Briefing, tables: dict[str, FeatureTable], state: ViewState,
                opts: SheetOptions) -> tuple[Figure, MapRenderer]:
    W, H = opts.width_in, opts.height_in
    fig = Figure(figsize=(W, H), dpi=opts.dpi, facecolor="white")
    # Scale the type gently with the sheet, so a square post and an A4 page both read well.
    k = max(0.8, min(1.25, math.sqrt(W * H / (11.69 * 8.27))))
    pad = 0.32 * k
    header = 0.95 * k
    footer = 0.58 * k
    landscape = W / H >= 1.2
    side_w = min(3.6 * k, 0.29 * W) if (opts.side_column and landscape) else 0.0
    band_h = 0.30 * H if (opts.side_column and not landscape) else 0.0

    map_l, map_b = pad, footer + band_h + (0.12 if band_h else 0.0)
    map_w = W - 2 * pad - (side_w + 0.25 if side_w else 0.0)
    map_h = H - header - map_b - 0.08
    ax = fig.add_axes((map_l / W, map_b / H, map_w / W, map_h / H))
    ax.set_facecolor("#f4f4f2")
    renderer = MapRenderer(briefing, tables, ax)
    renderer.apply(state)
    renderer.set_extent(default_extent(briefing, state))
    ax.add_patch(Rectangle((0, 0), 1, 1, transform=ax.transAxes, fill=False, linewidth=0.8,
                           edgecolor="#333333", zorder=5000, clip_on=False))

    scenario = next((s for s in briefing.scenarios if s.id == state.scenario), None)
    as_of = state.date or briefing.article_as_of
    # ------------------------------------------------------------------ header
    fig.text(pad / W, 1 - (pad * 0.9) / H, briefing.title, fontsize=15 * k, fontweight="bold",
             va="top", ha="left", family=FONT, color="#111111")
    sub = scenario.title if scenario else briefing.subtitle
    fig.text(pad / W, 1 - (pad * 0.9 + 0.33 * k) / H, sub, fontsize=10.5 * k, va="top", ha="left",
             family=FONT, color="#333333")
    fig.text(pad / W, 1 - (pad * 0.9 + 0.58 * k) / H,
             f"As of {as_of.isoformat()}  ·  {briefing.subtitle}",
             fontsize=7.5 * k, va="top", ha="left", family=FONT, color="#666666")

    _scalebar(ax, k)
    _north_arrow(ax, renderer, k)
    if opts.inset:
        _inset(fig, ax, renderer, (map_l, map_b, map_w, map_h), W, H, k)

    items = legend_items(renderer)
    points = list(scenario.key_points) if scenario else []
    if side_w:
        _side_column(fig, (W - pad - side_w, map_b, side_w, map_h), W, H, k, scenario, points, items)
    elif band_h:
        _bottom_band(fig, (pad, footer + 0.05, W - 2 * pad, band_h), W, H, k, scenario, points, items)
    else:
        entries = [(handle(i), i.label) for i in items]
        if entries:
            leg = ax.legend([h for h, _ in entries], [t for _, t in entries], loc="lower left",
                            fontsize=6.5 * k, frameon=True, framealpha=0.92, edgecolor="#999999",
                            borderpad=0.5)
            leg.set_zorder(4000)

    # ------------------------------------------------------------------ footer
    names = policy_for(briefing.naming, state.names).title
    lines = [
        f"Analysis: {briefing.credit()} — summarised in our own words.",
        "Map data: Natural Earth (public domain); GeoNames (CC BY 4.0). Boundaries are de facto and "
        "imply no endorsement. Schematic elements are marked as such.",
        f"Names: {names}  ·  As of {as_of.isoformat()}  ·  {briefing.id} {briefing.version}  ·  briefmap {__version__}",
    ]
    width_chars = int((W - 2 * pad) * 72 / (6.3 * k * 0.55))
    text = "\n".join(textwrap.shorten(line, width_chars, placeholder="…") for line in lines)
    fig.text(pad / W, (footer - 0.1 * k) / H, text, fontsize=6.3 * k, va="top", ha="left",
             family=FONT, color="#555555", linespacing=1.45)
    renderer.update_level_of_detail(round(map_w * opts.dpi))
    renderer.layout_labels()
    return fig, renderer


def _scalebar(ax, k: float) -> None:
    from matplotlib_scalebar.scalebar import ScaleBar

    # The map is conformal (Lambert conic) in metres: one data unit is one metre.
    bar = ScaleBar(1, "m", location="lower right", length_fraction=0.22, width_fraction=0.008,
                   font_properties={"size": 7 * k, "family": FONT}, box_alpha=0.85,
                   color="#222222", scale_loc="top", border_pad=0.6,
                   rotation="horizontal-only")
    bar.set_zorder(4500)
    ax.add_artist(bar)


def _north_arrow(ax, renderer: MapRenderer, k: float) -> None:
    """An arrow to true north where it stands (Lambert grid north differs by a few degrees
    away from the central meridian)."""
    x0, y0, x1, y1 = renderer.extent()
    fx, fy = 0.045, 0.86
    x, y = x0 + fx * (x1 - x0), y0 + fy * (y1 - y0)
    lon, lat = to_lonlat(x, y)
    nx, ny = to_map(lon, lat + 0.05)
    angle = math.atan2(nx - x, ny - y)
    length = 0.07 * (y1 - y0)
    tip = (x + length * math.sin(angle), y + length * math.cos(angle))
    ax.annotate("", xy=tip, xytext=(x, y), zorder=4500,
                arrowprops={"arrowstyle": "-|>", "color": "#222222", "linewidth": 1.4 * k,
                            "mutation_scale": 14 * k})
    ax.annotate("N", xy=tip, xytext=(0, 4 * k), textcoords="offset points", ha="center", va="bottom",
                fontsize=9 * k, fontweight="bold", family=FONT, color="#222222", zorder=4500)


def _inset(fig, ax, renderer: MapRenderer, box, W: float, H: float, k: float) -> None:
    map_l, map_b, map_w, map_h = box
    w = min(2.3 * k, 0.26 * map_w)
    h = w * 0.62
    inset = fig.add_axes(((map_l + map_w - w - 0.08) / W, (map_b + map_h - h - 0.08) / H, w / W, h / H))
    inset.set_facecolor("#d4e4ef")
    inset.set_xticks([])
    inset.set_yticks([])
    for s in inset.spines.values():
        s.set_linewidth(0.7)
        s.set_edgecolor("#333333")
    countries = read_base("inset_countries")
    focus = {"ARM", "AZE", "GEO"}
    from matplotlib.collections import PathCollection

    paths = [polygon_path(g) for g in countries.geometries]
    colors = ["#e3a15a" if props.get("iso_a3") in focus else "#f3f0e8" for props in countries.properties]
    inset.add_collection(PathCollection(paths, facecolors=colors, edgecolors="#8c8c8c", linewidths=0.25))
    seas = read_base("inset_seas")
    for geom, props in zip(seas.geometries, seas.properties, strict=True):
        p = geom.representative_point()
        inset.text(p.x, p.y, str(props.get("name", "")).replace(" Sea", "\nSea"), fontsize=5.2 * k,
                   ha="center", va="center", color="#2f5f83", fontstyle="italic", family=FONT)
    x0, y0, x1, y1 = renderer.extent()
    inset.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, edgecolor="#c0392b", linewidth=1.1))
    lon0, lat0, lon1, lat1 = 26.5, 33.0, 60.0, 48.5
    bx0, by0, bx1, by1 = bounds_to_map((lon0, lat0, lon1, lat1))
    # Fit the inset's extent to its box by hand (equal scale, no datalim warnings).
    cx, cy, half_h = (bx0 + bx1) / 2, (by0 + by1) / 2, (by1 - by0) / 2
    half_w = max((bx1 - bx0) / 2, half_h * w / h)
    half_h = half_w * h / w
    inset.set_xlim(cx - half_w, cx + half_w)
    inset.set_ylim(cy - half_h, cy + half_h)
    inset.set_zorder(4600)


def _wrap(text: str, width_in: float, size: float) -> list[str]:
    chars = max(12, int(width_in * 72 / (size * 0.56)))
    return textwrap.wrap(text, chars)


class _Column:
    """Writes text top-down in a column of the sheet, measuring in inches."""

    def __init__(self, fig, W: float, H: float, left: float, top: float, width: float, k: float):
        self.fig, self.W, self.H, self.left, self.y, self.width, self.k = fig, W, H, left, top, width, k

    def heading(self, text: str) -> None:
        self.fig.text(self.left / self.W, self.y / self.H, text, fontsize=7 * self.k, color="#777777", va="top",
                      family=FONT, fontweight="bold")
        self.y -= 0.2 * self.k

    def paragraph(self, text: str, size: float, indent: float = 0.0, bullet: bool = False) -> None:
        lines = _wrap(text, self.width - indent - (0.16 * self.k if bullet else 0), size)
        if bullet:
            self.fig.text((self.left + indent) / self.W, self.y / self.H, "•", fontsize=size, va="top", family=FONT,
                          color="#222222")
            indent += 0.16 * self.k
        # One text per paragraph: matplotlib lays out lines itself, far cheaper than a text a line.
        self.fig.text((self.left + indent) / self.W, self.y / self.H, "\n".join(lines), fontsize=size, va="top",
                      family=FONT, color="#222222", linespacing=1.3)
        self.y -= len(lines) * size * 1.3 * 1.17 / 72 + 0.06 * self.k


def _legend(fig, items, W: float, H: float, left: float, top: float, size: float, k: float) -> float:
    """The legend drawn straight onto the sheet (swatch and label per item); returns the
    height used. matplotlib's Legend would lay out the same boxes several times over."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    from briefmap.render.map_layers import LINESTYLES

    row = size * 1.55 / 72
    sw, sh = 0.32 * k, 0.11 * k
    y = top - row / 2
    tf = fig.transFigure
    for item in items:
        st, kinds, a = item.style, item.kinds, item.opacity
        x0, xm, x1 = left / W, (left + sw / 2) / W, (left + sw) / W
        yc = y / H
        if kinds == {"polygon"}:
            edge = st.edgecolor if st.edgecolor != "none" else st.facecolor
            fig.add_artist(Rectangle((x0, (y - sh / 2) / H), sw / W, sh / H, transform=tf, facecolor=st.facecolor,
                                     edgecolor=edge, hatch=st.hatch or None, linewidth=max(st.linewidth, 0.5),
                                     linestyle=LINESTYLES[st.linestyle], alpha=min(1.0, st.alpha * a + 0.25)))
        else:
            if "line" in kinds or "point" not in kinds:
                fig.add_artist(Line2D([x0, x1], [yc, yc], transform=tf, color=st.color, linewidth=st.linewidth,
                                      linestyle=LINESTYLES[st.linestyle], alpha=a))
            if "point" in kinds:
                fig.add_artist(Line2D([xm], [yc], transform=tf, marker=st.marker, markersize=max(st.markersize, 4),
                                      markerfacecolor=st.color, markeredgecolor=st.markeredgecolor, linestyle="none",
                                      alpha=a))
        fig.text((left + sw + 0.1 * k) / W, yc, item.label, fontsize=size, va="center", family=FONT, color="#222222")
        y -= row
    return top - y - row / 2


def _side_column(fig, box, W, H, k, scenario, points, items) -> None:
    left, bottom, width, height = box
    col = _Column(fig, W, H, left, bottom + height, width, k)
    size = 8.2 * k
    if scenario:
        col.heading("Scenario")
        col.paragraph(scenario.summary, size)
        col.y -= 0.06 * k
    if points:
        col.heading("Key points")
        for p in points:
            col.paragraph(p, size, bullet=True)
        col.y -= 0.06 * k
    if items:
        col.heading("Legend")
        _legend(fig, items, W, H, left, col.y, 7.2 * k, k)


def _bottom_band(fig, box, W, H, k, scenario, points, items) -> None:
    left, bottom, width, height = box
    half = width * 0.5
    top = bottom + height
    if items:
        fig.text(left / W, top / H, "Legend", fontsize=7 * k, color="#777777", va="top", family=FONT,
                 fontweight="bold")
        _legend(fig, items, W, H, left, top - 0.2 * k, 6.8 * k, k)
    col = _Column(fig, W, H, left + half + 0.1, top, half - 0.1, k)
    size = 8.0 * k
    if scenario:
        col.heading("Scenario")
        col.paragraph(scenario.summary, size)
    for p in points:
        if col.y < bottom:
            break
        col.paragraph(p, size, bullet=True)
