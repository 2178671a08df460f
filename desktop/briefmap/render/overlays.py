"""What is drawn over the layers: a scenario's glow under the features it emphasises, the
selection's strong outline, the light hover outline, and the scenario's notes."""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch

from briefmap.data.projection import to_map
from briefmap.render.artists import kinds, part
from briefmap.render.geometry import line_segments, point_xy, polygon_path

HIGHLIGHT = "#f0e442"  # Okabe–Ito yellow, with a black edge: visible on every fill
HIGHLIGHT_Z = 2000
NOTE_Z = 3000


def _add(ax: Axes, arts: list) -> list:
    for a in arts:
        if isinstance(a, Line2D):
            ax.add_line(a)
        else:
            ax.add_patch(a)
    return arts


def outline(ax: Axes, geom, z: float, strong: bool) -> list:
    """A black-edged yellow outline around a feature (selection: strong; hover: light)."""
    width = 1.6 if strong else 1.0
    arts: list = []
    for kind in kinds(geom):
        p = part(geom, kind)
        if kind == "polygon":
            path = polygon_path(p)
            arts.append(PathPatch(path, facecolor="none", edgecolor="black", linewidth=width + 2.6, zorder=z))
            arts.append(PathPatch(path, facecolor="none", edgecolor=HIGHLIGHT, linewidth=width + 0.8, zorder=z + 0.1))
        elif kind == "line":
            for seg in line_segments(p):
                arts.append(Line2D(seg[:, 0], seg[:, 1], color="black", linewidth=width + 5.5,
                                   solid_capstyle="round", zorder=z))
                arts.append(Line2D(seg[:, 0], seg[:, 1], color=HIGHLIGHT, linewidth=width + 3.0,
                                   solid_capstyle="round", zorder=z + 0.1))
        else:
            size = 15 if strong else 12
            xs, ys = point_xy(p).T
            arts.append(Line2D(xs, ys, marker="o", markersize=size, linestyle="none", markerfacecolor="none",
                               markeredgecolor="black", markeredgewidth=width + 2.2, zorder=z))
            arts.append(Line2D(xs, ys, marker="o", markersize=size, linestyle="none", markerfacecolor="none",
                               markeredgecolor=HIGHLIGHT, markeredgewidth=width + 0.6, zorder=z + 0.1))
    return _add(ax, arts)


def glow(ax: Axes, geom, z: float) -> list:
    """A soft yellow glow under a feature: what a scenario emphasises, without hiding the
    feature's own symbol (the selection, drawn on top, is the strong outline)."""
    arts: list = []
    for kind in kinds(geom):
        p = part(geom, kind)
        if kind == "polygon":
            arts.append(PathPatch(polygon_path(p), facecolor="none", edgecolor=HIGHLIGHT, alpha=0.75,
                                  linewidth=6, zorder=z))
        elif kind == "line":
            for seg in line_segments(p):
                arts.append(Line2D(seg[:, 0], seg[:, 1], color=HIGHLIGHT, alpha=0.75, linewidth=7,
                                   solid_capstyle="round", zorder=z))
        else:
            xs, ys = point_xy(p).T
            arts.append(Line2D(xs, ys, marker="o", markersize=16, color=HIGHLIGHT, alpha=0.75,
                               linestyle="none", zorder=z))
    return _add(ax, arts)


def notes(ax: Axes, annotations, crs: str) -> list:
    """The scenario's callouts. Each is an annotation: the label layout moves it into free
    space and draws a leader to the emphasised feature it speaks of."""
    out = []
    for n in annotations:
        x, y = to_map(n.lon, n.lat, crs)
        t = ax.annotate(n.text, (x, y), xytext=(x, y), textcoords="data", fontsize=7.5, ha="center",
                        va="center", zorder=NOTE_Z, parse_math=False, color="#1a1a1a", fontstyle="italic",
                        annotation_clip=False,
                        bbox={"boxstyle": "round,pad=0.4", "facecolor": (1, 1, 1, 0.9),
                              "edgecolor": "#555555", "linewidth": 0.6})
        t.home = (x, y)  # where the briefing put it; the layout starts there
        out.append(t)
    return out


class Overlays:
    """Owns the overlay artists; each kind is replaced as a whole when it changes."""

    def __init__(self, ax: Axes):
        self.ax = ax
        self.highlights: list[tuple[str, object]] = []  # (layer id, artist)
        self.selection: list = []
        self.hover: list = []
        self.notes: list = []

    @staticmethod
    def _clear(arts: list) -> None:
        for a in arts:
            a.remove()

    def set_highlights(self, found: list[tuple[str, object, float, bool]]) -> None:
        """`found`: (layer id, geometry, z, layer visible) for each emphasised feature."""
        self._clear([a for _o, a in self.highlights])
        self.highlights = []
        for lid, geom, z, visible in found:
            for a in glow(self.ax, geom, z):
                a.set_visible(visible)
                self.highlights.append((lid, a))

    def show_layer(self, layer_id: str, on: bool) -> None:
        for owner, a in self.highlights:
            if owner == layer_id:
                a.set_visible(on)

    def drop_layer(self, layer_id: str) -> None:
        self._clear([a for o, a in self.highlights if o == layer_id])
        self.highlights = [(o, a) for o, a in self.highlights if o != layer_id]

    def of_layer(self, layer_id: str) -> list:
        return [a for owner, a in self.highlights if owner == layer_id]

    def set_selection(self, geom) -> None:
        self._clear(self.selection)
        self.selection = outline(self.ax, geom, HIGHLIGHT_Z, strong=True) if geom is not None else []

    def set_hover(self, geom) -> None:
        self._clear(self.hover)
        self.hover = outline(self.ax, geom, HIGHLIGHT_Z - 1, strong=False) if geom is not None else []
        for a in self.hover:
            a.set_alpha(0.6)

    def set_notes(self, annotations, crs: str) -> None:
        self._clear(self.notes)
        self.notes = notes(self.ax, annotations, crs)
