"""The map: every layer's artists, built once, then changed by property only.

A toggle flips `set_visible`, an opacity change sets alpha, a date change swaps the paths
of the few dated layers; nothing re-reads files or rebuilds geometry (see glue's
layer_artist for the same split between data and visual properties).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, replace

import numpy as np
import shapely
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import to_rgba
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, PathPatch
from matplotlib.text import Annotation as TextAnnotation

from briefmap.data.projection import to_map
from briefmap.model.briefing import Briefing, LayerSpec, Style
from briefmap.model.features import FeatureTable, style_value
from briefmap.model.naming import label_for
from briefmap.model.view import ViewState
from briefmap.render.geometry import (
    anchor_point,
    kind_of,
    kinds_in,
    line_segments,
    marker_transform,
    number_or,
    part_of_kind,
    point_xy,
    polygon_path,
)

LINESTYLES = {"solid": "-", "dashed": (0, (5, 2.5)), "dotted": (0, (1, 1.8)), "dashdot": (0, (6, 2, 1.5, 2))}
LOD_MIN_VERTICES = 50_000
HIGHLIGHT = "#f0e442"  # Okabe–Ito yellow, with a black edge: visible on every fill
LABEL_Z = 1000
HIGHLIGHT_Z = 2000
NOTE_Z = 3000


def _rgba(color: str, alpha: float) -> tuple[float, float, float, float]:
    if color == "none":
        return (0.0, 0.0, 0.0, 0.0)
    r, g, b, a = to_rgba(color)
    return (r, g, b, a * alpha)


@dataclass
class StyleGroup:
    """The features of one layer that share a style and a geometry kind: one artist."""

    style: Style
    kind: str
    indices: list[int]
    artist: object
    items: list
    arrows: list = field(default_factory=list)


@dataclass
class Label:
    layer: str
    index: int
    artist: TextAnnotation
    priority: float
    xy: tuple[float, float]
    offset: tuple[float, float]
    fontsize: float


@dataclass
class LayerArtists:
    spec: LayerSpec
    table: FeatureTable
    groups: list[StyleGroup]
    labels: list[Label]
    shown: list[bool]
    visible: bool = True
    opacity: float = 1.0
    built: bool = False
    vertices: int = 0
    geometry_array: np.ndarray | None = None


class MapRenderer:
    """Draws a briefing's layers into one matplotlib Axes in the map's projected CRS."""

    def __init__(self, briefing: Briefing, tables: dict[str, FeatureTable], ax: Axes, bake_opacity: bool = True):
        self.briefing = briefing
        self.tables = tables
        self.ax = ax
        self.layers: dict[str, LayerArtists] = {}
        self.styles: dict[str, Style] = dict(briefing.styles)
        self.names = "both"
        self.scenario = ""
        self.date: dt.date | None = None
        self._highlights: list[tuple[str, object]] = []
        # The window paints cached layer images with the layer's opacity itself; the export
        # bakes it into the artists.
        self.bake_opacity = bake_opacity
        # Map furniture drawn over the map (legend, scale bar, inset…) in figure inches:
        # labels keep clear of it. The last layout's placements and drops, for preflight.
        self.furniture_inches: list[tuple[float, float, float, float]] = []
        self.label_report = None
        self._lod_level: dict[str, int] = {}
        self._lod_cache: dict[tuple, list] = {}
        self._selection: list = []
        self._hover: list = []
        self._notes: list = []
        # Equal scale is kept by set_extent itself, which fits the extent to the axes'
        # shape; matplotlib's datalim aspect would fight the limits we set.
        ax.set_axis_off()
        # Artists are made when a layer is first shown: an export or a first paint pays
        # only for what it draws.
        for spec in sorted(briefing.layers, key=lambda s: s.order):
            if spec.id in tables:
                table = tables[spec.id]
                self.layers[spec.id] = LayerArtists(spec, table, [], [], [True] * len(table), visible=False)

    # ------------------------------------------------------------------ building
    def style_for(self, spec: LayerSpec, table: FeatureTable, i: int) -> Style:
        sid = spec.style
        if spec.style_by:
            sid = spec.style_by.styles.get(style_value(spec, table.ids[i], table.properties[i]), sid)
        return self.styles[sid]

    def _ensure_built(self, la: LayerArtists) -> None:
        if la.built:
            return
        la.groups, la.labels = self._build(la.spec, la.table)
        la.built = True
        la.vertices = int(shapely.get_num_coordinates(np.array(la.table.geometries, dtype=object)).sum())
        if la.table.dated:
            la.shown = la.table.shown_on(self.date)
            self._apply_shown(la)
        if la.opacity < 1.0:
            opacity, la.opacity = la.opacity, 1.0
            self.set_layer_opacity(la.spec.id, opacity)

    def _build(self, spec: LayerSpec, table: FeatureTable) -> tuple[list[StyleGroup], list[Label]]:
        z = spec.order * 10
        buckets: dict[tuple[str, str], list[int]] = {}
        for i, geom in enumerate(table.geometries):
            style = self.style_for(spec, table, i)
            for kind in _kinds(geom):
                buckets.setdefault((style.id, kind), []).append(i)
        groups = []
        order = {"polygon": 0, "line": 1, "point": 2}
        for (sid, kind), idx in sorted(buckets.items(), key=lambda kv: order[kv[0][1]]):
            style = self.styles[sid]
            groups.append(self._group(style, kind, idx, table, z + order[kind]))
        labels = self._labels(spec, table, z) if spec.label else []
        return groups, labels

    def _group(self, style: Style, kind: str, idx: list[int], table: FeatureTable, z: float) -> StyleGroup:
        ax = self.ax
        geoms = [_part(table.geometries[i], kind) for i in idx]
        if kind == "polygon":
            items = [polygon_path(g) for g in geoms]
            art = PathCollection(items, facecolors=[_rgba(style.facecolor, style.alpha)],
                                 edgecolors=[_rgba(style.edgecolor, 1.0)], linewidths=style.linewidth,
                                 linestyles=LINESTYLES[style.linestyle], hatch=style.hatch or None,
                                 zorder=z)
            if style.hatch:
                art.set_hatch_linewidth(0.5)
            ax.add_collection(art, autolim=False)
            return StyleGroup(style, kind, idx, art, items)
        if kind == "line":
            items = [line_segments(g) for g in geoms]
            segs = [s for parts in items for s in parts]
            art = LineCollection(segs, colors=[_rgba(style.color, style.alpha)], linewidths=style.linewidth,
                                 linestyles=LINESTYLES[style.linestyle], capstyle="round",
                                 joinstyle="round", zorder=z)
            ax.add_collection(art, autolim=False)
            arrows = []
            if style.arrow:
                for parts in items:
                    tail = parts[-1]
                    if len(tail) >= 2:
                        a = FancyArrowPatch(tuple(tail[-2]), tuple(tail[-1]), arrowstyle="-|>",
                                            mutation_scale=style.linewidth * 4 + 6, color=style.color,
                                            linewidth=0, zorder=z + 0.5, shrinkA=0, shrinkB=0)
                        ax.add_patch(a)
                        arrows.append(a)
            return StyleGroup(style, kind, idx, art, items, arrows)
        points = [point_xy(g) for g in geoms]
        offsets = np.concatenate(points) if points else np.zeros((0, 2))
        art = ax.scatter(offsets[:, 0], offsets[:, 1], s=style.markersize ** 2, marker=style.marker,
                         c=[_rgba(style.color, style.alpha)], edgecolors=style.markeredgecolor,
                         linewidths=0.6 if style.markersize else 0, zorder=z + 2 - style.markersize / 100)
        art.set_offset_transform(marker_transform(ax, style))  # smaller symbols on top, offsets kept
        return StyleGroup(style, kind, idx, art, points)

    def _labels(self, spec: LayerSpec, table: FeatureTable, z: float) -> list[Label]:
        out = []
        for i, (geom, props) in enumerate(zip(table.geometries, table.properties, strict=True)):
            style = self.style_for(spec, table, i)
            text = label_for(props, self.names, spec.label)
            if not text:
                continue
            # A base map made by `briefmap new` stores each country's label point.
            x, y = ((float(props["label_x"]), float(props["label_y"])) if props.get("label_x") not in (None, "")
                    else anchor_point(geom))
            if not (np.isfinite(x) and np.isfinite(y)):
                continue
            point = kind_of(geom) == "point"
            offset = ((style.markersize / 2 + 2.5), 0.0) if point and style.markersize else (0.0, 0.0)
            ann = self.ax.annotate(
                text, (x, y), xytext=offset, textcoords="offset points",
                ha="left" if offset[0] else "center", va="center",
                fontsize=style.fontsize, fontweight=style.fontweight, fontstyle=style.fontstyle,
                color=style.textcolor, zorder=LABEL_Z + spec.order, annotation_clip=True, parse_math=False,
            )
            if style.halo:
                ann.set_path_effects([patheffects.withStroke(linewidth=2.2, foreground=(1, 1, 1, 0.85))])
            rank = number_or(props.get("rank"), 5.0)
            pop = number_or(props.get("population"), 0.0)
            # Bigger type marks what matters more (countries, capitals, then towns), so it
            # wins collisions; within a size, rank, layer order and population decide.
            priority = style.fontsize * 1000 - rank * 10 + spec.order + min(pop / 1e6, 9)
            out.append(Label(spec.id, i, ann, priority, (x, y), offset, style.fontsize))
        return out

    def add_layer(self, spec: LayerSpec, table: FeatureTable, style: Style) -> None:
        """A layer that is not in the catalog (the user's own), drawn like the rest."""
        self.styles[style.id] = style
        self.tables[spec.id] = table
        la = LayerArtists(spec, table, [], [], [True] * len(table), visible=False)
        self.layers[spec.id] = la
        self.layers = dict(sorted(self.layers.items(), key=lambda kv: kv[1].spec.order))
        self.set_layer_visible(spec.id, True)

    def swap_order(self, a: str, b: str) -> None:
        """Exchange the drawing order of two layers: only z-orders change, no artist is
        rebuilt (the window's cached images are simply composited in the new order)."""
        la, lb = self.layers[a], self.layers[b]
        oa, ob = la.spec.order, lb.spec.order
        for lay, new in ((la, ob), (lb, oa)):
            shift = (new - lay.spec.order) * 10
            for g in lay.groups:
                g.artist.set_zorder(g.artist.get_zorder() + shift)
                for arrow in g.arrows:
                    arrow.set_zorder(arrow.get_zorder() + shift)
            for lab in lay.labels:
                lab.artist.set_zorder(LABEL_Z + new)
            lay.spec = replace(lay.spec, order=new)
        self.layers = dict(sorted(self.layers.items(), key=lambda kv: kv[1].spec.order))

    def remove_layer(self, layer_id: str) -> None:
        la = self.layers.pop(layer_id)
        for g in la.groups:
            g.artist.remove()
            for a in g.arrows:
                a.remove()
        for lab in la.labels:
            lab.artist.remove()
        self.tables.pop(layer_id, None)

    # ------------------------------------------------------------------ state
    def apply(self, state: ViewState) -> None:
        """Make the artists show `state`: visibility, opacity, date, names, highlights."""
        visible = set(state.visible)
        if state.names != self.names:
            self.names = state.names
            for la in self.layers.values():
                for lab in la.labels:
                    lab.artist.set_text(label_for(la.table.properties[lab.index], self.names, la.spec.label))
        if state.date != self.date:
            self.date = state.date
            for la in self.layers.values():
                if la.table.dated and la.built:
                    la.shown = la.table.shown_on(self.date)
                    self._apply_shown(la)
        for lid in self.layers:
            self.set_layer_visible(lid, lid in visible)
            self.set_layer_opacity(lid, state.opacity.get(lid, 1.0))
        if state.scenario != self.scenario:
            self.scenario = state.scenario
            scenario = next((s for s in self.briefing.scenarios if s.id == state.scenario), None)
            self.set_highlights(scenario.highlight if scenario else ())
            self.set_notes(scenario.annotations if scenario else ())

    def set_layer_visible(self, layer_id: str, on: bool) -> None:
        la = self.layers[layer_id]
        if on:
            self._ensure_built(la)
        la.visible = on
        for g in la.groups:
            g.artist.set_visible(on)
            for a in g.arrows:
                a.set_visible(on)
        for lab in la.labels:
            lab.artist.set_visible(on and la.shown[lab.index])
        for owner, art in self._highlights:
            if owner == layer_id:
                art.set_visible(on)

    def set_layer_opacity(self, layer_id: str, opacity: float) -> None:
        la = self.layers[layer_id]
        if abs(la.opacity - opacity) < 1e-6:
            return
        la.opacity = opacity
        if not self.bake_opacity:
            return
        for g in la.groups:
            g.artist.set_alpha(opacity if opacity < 1 else None)
            for a in g.arrows:
                a.set_alpha(opacity)
        for lab in la.labels:
            lab.artist.set_alpha(opacity)

    def _apply_shown(self, la: LayerArtists) -> None:
        for g in la.groups:
            keep = [k for k, i in enumerate(g.indices) if la.shown[i]]
            if g.kind == "polygon":
                g.artist.set_paths([g.items[k] for k in keep])
            elif g.kind == "line":
                g.artist.set_segments([s for k in keep for s in g.items[k]])
                for k, a in enumerate(g.arrows):
                    a.set_visible(la.visible and la.shown[g.indices[k]])
            else:
                pts = np.concatenate([g.items[k] for k in keep]) if keep else np.zeros((0, 2))
                g.artist.set_offsets(pts)
        for lab in la.labels:
            lab.artist.set_visible(la.visible and la.shown[lab.index])

    def visible_layers(self) -> list[str]:
        return [lid for lid, la in self.layers.items() if la.visible]

    # ------------------------------------------------------------------ highlights
    def _outline(self, layer_id: str, index: int, z: float, strong: bool) -> list:
        la = self.layers[layer_id]
        geom = la.table.geometries[index]
        width = 1.6 if strong else 1.0
        arts: list = []
        for kind in _kinds(geom):
            part = _part(geom, kind)
            if kind == "polygon":
                p = polygon_path(part)
                arts.append(PathPatch(p, facecolor="none", edgecolor="black", linewidth=width + 2.6, zorder=z))
                arts.append(PathPatch(p, facecolor="none", edgecolor=HIGHLIGHT, linewidth=width + 0.8, zorder=z + 0.1))
            elif kind == "line":
                for seg in line_segments(part):
                    arts.append(Line2D(seg[:, 0], seg[:, 1], color="black", linewidth=width + 5.5,
                                       solid_capstyle="round", zorder=z))
                    arts.append(Line2D(seg[:, 0], seg[:, 1], color=HIGHLIGHT, linewidth=width + 3.0,
                                       solid_capstyle="round", zorder=z + 0.1))
            else:
                xs, ys = point_xy(part).T
                shift = marker_transform(self.ax, self.style_for(la.spec, la.table, index))
                arts.append(Line2D(xs, ys, marker="o", markersize=15 if strong else 12, linestyle="none",
                                   markerfacecolor="none", markeredgecolor="black",
                                   markeredgewidth=width + 2.2, zorder=z, transform=shift))
                arts.append(Line2D(xs, ys, marker="o", markersize=15 if strong else 12, linestyle="none",
                                   markerfacecolor="none", markeredgecolor=HIGHLIGHT,
                                   markeredgewidth=width + 0.6, zorder=z + 0.1, transform=shift))
        for a in arts:
            if isinstance(a, Line2D):
                self.ax.add_line(a)
            else:
                self.ax.add_patch(a)
        return arts

    def _glow(self, layer_id: str, index: int) -> list:
        """A soft yellow glow under a feature: what a scenario emphasises, without hiding
        the feature's own symbol (the selection, drawn on top, is the strong outline)."""
        la = self.layers[layer_id]
        geom = la.table.geometries[index]
        z = la.spec.order * 10 - 0.5
        arts: list = []
        for kind in _kinds(geom):
            part = _part(geom, kind)
            if kind == "polygon":
                arts.append(PathPatch(polygon_path(part), facecolor="none", edgecolor=HIGHLIGHT, alpha=0.75,
                                      linewidth=6, zorder=z))
            elif kind == "line":
                for seg in line_segments(part):
                    arts.append(Line2D(seg[:, 0], seg[:, 1], color=HIGHLIGHT, alpha=0.75, linewidth=7,
                                       solid_capstyle="round", zorder=z))
            else:
                xs, ys = point_xy(part).T
                arts.append(Line2D(xs, ys, marker="o", markersize=16, color=HIGHLIGHT, alpha=0.75,
                                   linestyle="none", zorder=z,
                                   transform=marker_transform(self.ax, self.style_for(la.spec, la.table, index))))
        for a in arts:
            a.set_visible(la.visible)
            if isinstance(a, Line2D):
                self.ax.add_line(a)
            else:
                self.ax.add_patch(a)
        return arts

    def set_highlights(self, refs) -> None:
        for _owner, a in self._highlights:
            a.remove()
        self._highlights = []
        for ref in refs:
            found = self.find(ref)
            if found:
                self._highlights += [(found[0], a) for a in self._glow(*found)]

    def select(self, ref: str | None) -> tuple[str, int] | None:
        """Highlight one feature ('layer/id'), or clear the selection with None."""
        for a in self._selection:
            a.remove()
        self._selection = []
        found = self.find(ref) if ref else None
        if found:
            self._selection = self._outline(*found, z=HIGHLIGHT_Z, strong=True)
        return found

    @property
    def selection_artists(self) -> list:
        return list(self._selection)

    def hover(self, ref: str | None) -> list:
        """A light outline for the feature under the pointer (replacing the last one)."""
        for a in self._hover:
            a.remove()
        self._hover = []
        found = self.find(ref) if ref else None
        if found:
            self._hover = self._outline(*found, z=HIGHLIGHT_Z - 1, strong=False)
            for a in self._hover:
                a.set_alpha(0.6)
        return list(self._hover)

    @property
    def hover_artists(self) -> list:
        return list(self._hover)

    @property
    def note_artists(self) -> list:
        return list(self._notes)

    def update_level_of_detail(self, width_px: int) -> None:
        """Give layers with very many vertices paths simplified to the current pixel size
        (a vertex per pixel is all a screen or a sheet can show). Each level is made once
        and kept; small layers are always drawn in full."""
        x0, _y0, x1, _y1 = self.extent()
        metres_per_px = (x1 - x0) / max(width_px, 1)
        level = max(0, math.floor(math.log2(max(metres_per_px, 1.0))))
        for lid, la in self.layers.items():
            if not la.built or la.vertices < LOD_MIN_VERTICES or self._lod_level.get(lid) == level:
                continue
            self._lod_level[lid] = level
            tolerance = 2.0 ** level
            for g in la.groups:
                key = (lid, g.style.id, g.kind, level)
                if key not in self._lod_cache:
                    geoms = [_part(la.table.geometries[i], g.kind) for i in g.indices]
                    simple = shapely.simplify(np.array(geoms, dtype=object), tolerance, preserve_topology=False)
                    if g.kind == "polygon":
                        self._lod_cache[key] = [polygon_path(x) for x in simple]
                    elif g.kind == "line":
                        self._lod_cache[key] = [line_segments(x) for x in simple]
                    else:
                        continue
                g.items = self._lod_cache[key]
            self._apply_shown(la)

    def layer_in_view(self, layer_id: str, margin: float = 0.15) -> bool:
        """Whether any shown feature of the layer comes near the current view (a margin
        keeps labels and wide symbols at the edge)."""
        x0, y0, x1, y1 = self.extent()
        mx, my = (x1 - x0) * margin, (y1 - y0) * margin
        la = self.layers[layer_id]
        frame = shapely.box(x0 - mx, y0 - my, x1 + mx, y1 + my)
        hits = shapely.intersects(frame, la.table.geometries)
        return bool(np.any(hits & np.asarray(la.shown, dtype=bool)))

    def layer_artists(self, layer_id: str, labels: bool = True) -> list:
        """Everything drawn for one layer, bottom to top: its collections, arrows, the
        scenario's glow under it, and (unless left out) its visible labels."""
        la = self.layers[layer_id]
        arts: list = [a for owner, a in self._highlights if owner == layer_id]
        for g in la.groups:
            arts.append(g.artist)
            arts.extend(g.arrows)
        if labels:
            arts.extend(lab.artist for lab in la.labels)
        return sorted(arts, key=lambda a: a.get_zorder())

    def visible_labels(self) -> list[Label]:
        """The labels placed by the last layout, bottom layer first."""
        return [lab for la in self.layers.values() if la.visible for lab in la.labels if lab.artist.get_visible()]

    def find(self, ref: str) -> tuple[str, int] | None:
        layer, _, fid = ref.partition("/")
        la = self.layers.get(layer)
        if la is None or fid not in la.table.ids:
            return None
        return layer, la.table.index(fid)

    def set_notes(self, notes) -> None:
        """The scenario's callouts. Each is an annotation: the label layout moves it into
        free space and draws a leader to the emphasised feature it speaks of."""
        for a in self._notes:
            a.remove()
        self._notes = []
        for n in notes:
            x, y = to_map(n.lon, n.lat, self.briefing.crs)
            t = self.ax.annotate(n.text, (x, y), xytext=(x, y), textcoords="data", fontsize=7.5, ha="center",
                                 va="center", zorder=NOTE_Z, parse_math=False, color="#1a1a1a", fontstyle="italic",
                                 annotation_clip=False,
                                 bbox={"boxstyle": "round,pad=0.4", "facecolor": (1, 1, 1, 0.9),
                                       "edgecolor": "#555555", "linewidth": 0.6})
            t.home = (x, y)  # where the briefing put it; the layout starts there
            self._notes.append(t)

    # ------------------------------------------------------------------ view
    def axes_inches(self) -> tuple[float, float]:
        pos = self.ax.get_position()
        fw, fh = self.ax.figure.get_size_inches()
        return max(pos.width * fw, 1e-6), max(pos.height * fh, 1e-6)

    def set_extent(self, extent: tuple[float, float, float, float]) -> None:
        """Show at least `extent`, widened on one side so one metre is as long across as up."""
        x0, y0, x1, y1 = extent
        aw, ah = self.axes_inches()
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        w, h = max(x1 - x0, 1.0), max(y1 - y0, 1.0)
        if w / h < aw / ah:
            w = h * aw / ah
        else:
            h = w * ah / aw
        self.ax.set_xlim(cx - w / 2, cx + w / 2)
        self.ax.set_ylim(cy - h / 2, cy + h / 2)

    def extent(self) -> tuple[float, float, float, float]:
        (x0, x1), (y0, y1) = self.ax.get_xlim(), self.ax.get_ylim()
        return (x0, y0, x1, y1)

    def metres_per_inch(self) -> float:
        x0, _y0, x1, _y1 = self.extent()
        return (x1 - x0) / self.axes_inches()[0]

    def refit(self, metres_per_inch: float | None = None) -> None:
        """After the axes change size: keep the centre and the scale (as a GIS does)."""
        x0, y0, x1, y1 = self.extent()
        scale = metres_per_inch or self.metres_per_inch()
        aw, ah = self.axes_inches()
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        self.ax.set_xlim(cx - scale * aw / 2, cx + scale * aw / 2)
        self.ax.set_ylim(cy - scale * ah / 2, cy + scale * ah / 2)

    def layout_labels(self, only: str | None = None) -> None:
        """Show the labels that fit, most important first, placed by the label engine
        (render/labeling.py). The whole map is laid out from scratch every time, `only`
        included, so the same view always gets the same labels."""
        from briefmap.render.label_layout import layout

        fig = self.ax.figure
        furniture = [tuple(v * fig.dpi for v in box) for box in self.furniture_inches]
        self.label_report = layout(self, furniture)

    # ------------------------------------------------------------------ identify
    def _near(self, la: LayerArtists, point, tolerance: float) -> list[int]:
        """Indices of the layer's shown features within `tolerance` of `point`, nearest
        first (one vectorised distance call: this runs on every mouse move)."""
        if la.geometry_array is None:
            la.geometry_array = np.array(la.table.geometries, dtype=object)
        d = shapely.distance(la.geometry_array, point)
        idx = np.flatnonzero((d <= tolerance) & np.asarray(la.shown, dtype=bool))
        return [int(i) for i in idx[np.argsort(d[idx], kind="stable")]]

    def hits(self, x: float, y: float, tolerance: float, backdrop: bool = False) -> list[tuple[str, int]]:
        """Every visible feature at (x, y), topmost layer first, nearest first; points and
        lines count within `tolerance`. The base map's areas (countries, provinces) are the
        backdrop: listed only when asked for, after everything else."""
        p = shapely.Point(x, y)
        front: list[tuple[str, int]] = []
        back: list[tuple[str, int]] = []
        for lid in sorted(self.layers, key=lambda k: -self.layers[k].spec.order):
            la = self.layers[lid]
            if not la.visible or la.spec.base == "seas":
                continue
            is_backdrop = la.spec.base in ("countries", "admin1")
            if is_backdrop and not backdrop:
                continue
            (back if is_backdrop else front).extend((lid, i) for i in self._near(la, p, tolerance))
        return front + back

    def hit(self, x: float, y: float, tolerance: float) -> tuple[str, int] | None:
        """The topmost feature at (x, y), or the backdrop area there, or None."""
        found = self.hits(x, y, tolerance, backdrop=True)
        return found[0] if found else None


def _kinds(geom) -> list[str]:
    return kinds_in(geom)


def _part(geom, kind: str):
    return part_of_kind(geom, kind)
