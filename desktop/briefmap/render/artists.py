"""One layer's matplotlib artists, built once from its features and changed by property.

Data changes (which features exist on the chosen date, a simpler path for the zoom) swap
paths in the existing collections; visual changes (visibility, opacity, drawing order)
set one property each. Nothing here re-reads a file (glue's layer artists make the same
split between data and visual properties).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import to_rgba
from matplotlib.patches import FancyArrowPatch
from matplotlib.text import Annotation as TextAnnotation

from briefmap.model.briefing import LayerSpec, Style
from briefmap.model.features import FeatureTable, style_value
from briefmap.model.layers import Layer
from briefmap.model.naming import NamingPolicy, label_for
from briefmap.render.geometry import (
    anchor_point,
    kind_of,
    kinds_in,
    line_segments,
    number_or,
    part_of_kind,
    point_xy,
    polygon_path,
)
from briefmap.render.point_symbols import point_symbols

LINESTYLES = {"solid": "-", "dashed": (0, (5, 2.5)), "dotted": (0, (1, 1.8)), "dashdot": (0, (6, 2, 1.5, 2))}
LABEL_Z = 1000
KIND_ORDER = {"polygon": 0, "line": 1, "point": 2}
# A point layer bigger than this is drawn thinned: one point per cell of a THIN_GRID²
# grid over its bounds (a million points would be a solid sheet of markers and hold the
# UI thread for seconds); its legend entry says how many of how many are drawn.
THIN_POINTS = 50_000
THIN_GRID = 128  # a cell of a few pixels when the layer fills the window: 16,384 markers at most
# Work on a big layer goes in chunks of this many features: a worker thread doing it lets
# the UI thread have the GIL between chunks (one call over a million objects holds it
# for tens of milliseconds).
CHUNK = 100_000


def rgba(color: str, alpha: float) -> tuple[float, float, float, float]:
    if color == "none":
        return (0.0, 0.0, 0.0, 0.0)
    r, g, b, a = to_rgba(color)
    return (r, g, b, a * alpha)


def kinds(geom) -> list[str]:
    """The geometry kinds in a feature (a collection can hold several)."""
    return kinds_in(geom)


def part(geom, kind: str):
    """The parts of a feature of one kind."""
    return part_of_kind(geom, kind)


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


class LayerArtists:
    """The artists of one model layer. Visibility and opacity are read from the layer
    itself: the model is their only home."""

    def __init__(self, layer: Layer):
        self.layer = layer
        self.groups: list[StyleGroup] = []
        self.labels: list[Label] = []
        self.label_todo: list[int] = []  # features whose labels are still to be made (make_labels)
        self.shown: list[bool] = [True] * len(layer.table)
        self.built = False
        self.vertices = 0
        self.thinned: tuple[int, int] | None = None  # points drawn, points in the layer
        self.drawn_order: int | None = None  # the layer order the artists' z-orders were made for

    @property
    def spec(self) -> LayerSpec:
        return self.layer.spec

    @property
    def table(self) -> FeatureTable:
        return self.layer.table

    @property
    def visible(self) -> bool:
        return self.layer.visible

    @property
    def opacity(self) -> float:
        return self.layer.opacity

    def artists(self) -> list:
        out: list = []
        for g in self.groups:
            out.append(g.artist)
            out.extend(g.arrows)
        return out

    def set_visible(self, on: bool) -> None:
        """Show or hide the symbols; labels only hide here (the layout shows them)."""
        for a in self.artists():
            a.set_visible(on)
        for g in self.groups:
            for k, a in enumerate(g.arrows):
                a.set_visible(on and self.shown[g.indices[k]])
        if not on:
            for lab in self.labels:
                lab.artist.set_visible(False)

    def set_alpha(self, opacity: float) -> None:
        for g in self.groups:
            g.artist.set_alpha(opacity if opacity < 1 else None)
            for a in g.arrows:
                a.set_alpha(opacity)
        for lab in self.labels:
            lab.artist.set_alpha(opacity)

    def follow_order(self) -> None:
        """Move the artists' z-orders to the layer's current order (after a move)."""
        if self.drawn_order is None or self.drawn_order == self.spec.order:
            return
        shift = (self.spec.order - self.drawn_order) * 10
        for a in self.artists():
            a.set_zorder(a.get_zorder() + shift)
        for lab in self.labels:
            lab.artist.set_zorder(LABEL_Z + self.spec.order)
        self.drawn_order = self.spec.order

    def relabel(self, policy: NamingPolicy, policies) -> None:
        for lab in self.labels:
            lab.artist.set_text(label_for(self.table.properties[lab.index], policy, self.spec.label, policies))

    def apply_shown(self) -> None:
        """Give the collections the paths of the features shown on the chosen date."""
        for g in self.groups:
            keep = [k for k, i in enumerate(g.indices) if self.shown[i]]
            if g.kind == "polygon":
                g.artist.set_paths([g.items[k] for k in keep])
            elif g.kind == "line":
                g.artist.set_segments([s for k in keep for s in g.items[k]])
                for k, a in enumerate(g.arrows):
                    a.set_visible(self.visible and self.shown[g.indices[k]])
            else:  # each item is an (n, 2) array: a multipoint has several
                g.artist.set_offsets(np.concatenate([g.items[k] for k in keep]) if keep else np.zeros((0, 2)))
        for lab in self.labels:
            if not self.shown[lab.index]:
                lab.artist.set_visible(False)

    def remove(self) -> None:
        for a in self.artists():
            a.remove()
        for lab in self.labels:
            lab.artist.remove()
        self.groups, self.labels, self.built, self.drawn_order = [], [], False, None
        self.label_todo = []


def style_for(styles: dict[str, Style], spec: LayerSpec, table: FeatureTable, i: int) -> Style:
    sid = spec.style
    if spec.style_by:
        sid = spec.style_by.styles.get(style_value(spec, table.ids[i], table.properties[i]), sid)
    return styles[sid]


def may_thin(spec: LayerSpec, table: FeatureTable) -> bool:
    """Whether the layer is big enough to be drawn thinned (if it is all points)."""
    return len(table) > THIN_POINTS and not spec.style_by


def thinning(spec: LayerSpec, table: FeatureTable, geoms: np.ndarray | None = None) -> np.ndarray | None:
    """The features a very big point layer draws (one per grid cell), or None when the
    layer is drawn in full. Reads the features only: safe on a worker thread."""
    if not may_thin(spec, table):
        return None
    geoms = object_array(table.geometries) if geoms is None else geoms
    if not (shapely.get_type_id(geoms) == 0).all():
        return None
    xy = np.concatenate([shapely.get_coordinates(geoms[i:i + CHUNK]) for i in range(0, len(geoms), CHUNK)])
    if len(xy) != len(table) or not np.isfinite(xy).all():
        return None
    return thin_points(xy)


def object_array(items: list) -> np.ndarray:
    """A list as a numpy object array, filled a chunk at a time."""
    out = np.empty(len(items), dtype=object)
    for i in range(0, len(items), CHUNK):
        out[i:i + CHUNK] = items[i:i + CHUNK]
    return out


def build(la: LayerArtists, ax: Axes, styles: dict[str, Style], policy: NamingPolicy, policies,
          keep: np.ndarray | None = None, thinned: bool = False, labels_later: bool = False) -> None:
    """Make the layer's collections and labels (once, when it is first shown). `thinned`:
    the thinning was worked out before (`thinning`: `keep`, None for a layer drawn in full)."""
    spec, table = la.spec, la.table
    z = spec.order * 10
    if not thinned and may_thin(spec, table):
        keep = thinning(spec, table)
    if keep is not None:
        # One style, one finite point each: bucketed at once, drawn thinned, not labelled one by one.
        la.thinned = (len(keep), len(table))
        xy = shapely.get_coordinates(np.asarray([table.geometries[i] for i in keep], dtype=object))
        la.groups = [_scatter(ax, styles[spec.style], keep.tolist(), list(xy.reshape(-1, 1, 2)),
                              z + KIND_ORDER["point"])]
        la.labels = []
        la.vertices = len(table)
        la.drawn_order = spec.order
        la.built = True
        return
    buckets: dict[tuple[str, str], list[int]] = {}
    for i, geom in enumerate(table.geometries):
        style = style_for(styles, spec, table, i)
        for kind in kinds(geom):
            buckets.setdefault((style.id, kind), []).append(i)
    la.groups = [_group(ax, styles[sid], kind, idx, table, z + KIND_ORDER[kind])
                 for (sid, kind), idx in sorted(buckets.items(), key=lambda kv: KIND_ORDER[kv[0][1]])]
    if spec.label and labels_later:  # a text artist each costs ~0.4 ms: the window makes them in slices
        la.labels, la.label_todo = [], list(range(len(table)))
    else:
        la.labels = _labels(ax, styles, spec, table, policy, policies) if spec.label else []
    la.vertices = int(shapely.get_num_coordinates(np.array(table.geometries, dtype=object)).sum())
    la.drawn_order = spec.order
    la.built = True


def thin_points(xy: np.ndarray, grid: int = THIN_GRID) -> np.ndarray:
    """Indices of the first point in each cell of a grid² grid over the points' bounds."""
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    cells = np.minimum(((xy - lo) / np.maximum(hi - lo, 1e-9) * grid).astype(np.int64), grid - 1)
    first = np.full(grid * grid, len(xy), dtype=np.int64)
    np.minimum.at(first, cells[:, 0] * grid + cells[:, 1], np.arange(len(xy)))
    return np.sort(first[first < len(xy)])


def _group(ax: Axes, style: Style, kind: str, idx: list[int], table: FeatureTable, z: float) -> StyleGroup:
    geoms = [part(table.geometries[i], kind) for i in idx]
    if kind == "polygon":
        items = [polygon_path(g) for g in geoms]
        art = PathCollection(items, facecolors=[rgba(style.facecolor, style.alpha)],
                             edgecolors=[rgba(style.edgecolor, 1.0)], linewidths=style.linewidth,
                             linestyles=LINESTYLES[style.linestyle], hatch=style.hatch or None, zorder=z)
        if style.hatch:
            art.set_hatch_linewidth(0.5)
        ax.add_collection(art, autolim=False)
        return StyleGroup(style, kind, idx, art, items)
    if kind == "line":
        items = [line_segments(g) for g in geoms]
        segs = [s for parts in items for s in parts]
        art = LineCollection(segs, colors=[rgba(style.color, style.alpha)], linewidths=style.linewidth,
                             linestyles=LINESTYLES[style.linestyle], capstyle="round", joinstyle="round", zorder=z)
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
    array = np.asarray(geoms, dtype=object)
    xy = shapely.get_coordinates(array) if geoms else np.zeros((0, 2))
    if len(xy) == len(geoms) and (shapely.get_type_id(array) == 0).all() and np.isfinite(xy).all():
        points = list(xy.reshape(-1, 1, 2))  # one finite point each: read at once (a big layer has many)
    else:
        points = [point_xy(g) for g in geoms]
    return _scatter(ax, style, idx, points, z)


def _scatter(ax: Axes, style: Style, idx: list[int], points: list, z: float) -> StyleGroup:
    """A point group: `points` holds an (n, 2) array per feature (a multipoint has several)."""
    offsets = np.concatenate(points) if points else np.zeros((0, 2))
    return StyleGroup(style, "point", idx, point_symbols(ax, style, rgba(style.color, style.alpha), offsets, z), points)


def make_labels(la: LayerArtists, ax: Axes, styles: dict[str, Style], policy: NamingPolicy, policies,
                count: int) -> None:
    """Make up to `count` more of the labels left for later (`build(labels_later=True)`),
    in feature order: when all are made, the layer has the labels `build` makes at once."""
    todo, la.label_todo = la.label_todo[:count], la.label_todo[count:]
    la.labels.extend(_labels(ax, styles, la.spec, la.table, policy, policies, todo))


def _labels(ax: Axes, styles: dict[str, Style], spec: LayerSpec, table: FeatureTable,
            policy: NamingPolicy, policies, indices=None) -> list[Label]:
    out = []
    for i in range(len(table)) if indices is None else indices:
        geom, props = table.geometries[i], table.properties[i]
        style = style_for(styles, spec, table, i)
        text = label_for(props, policy, spec.label, policies)
        if not text:
            continue
        # A base map made by `briefmap new` stores each country's label point.
        x, y = ((float(props["label_x"]), float(props["label_y"])) if props.get("label_x") not in (None, "")
                else anchor_point(geom))
        if not (np.isfinite(x) and np.isfinite(y)):
            continue
        point = kind_of(geom) == "point"
        offset = ((style.markersize / 2 + 2.5), 0.0) if point and style.markersize else (0.0, 0.0)
        ann = ax.annotate(
            text, (x, y), xytext=offset, textcoords="offset points",
            ha="left" if offset[0] else "center", va="center",
            fontsize=style.fontsize, fontweight=style.fontweight, fontstyle=style.fontstyle,
            color=style.textcolor, zorder=LABEL_Z + spec.order, annotation_clip=True, parse_math=False,
        )
        ann.set_visible(False)  # the layout decides which labels show
        if style.halo:
            ann.set_path_effects([patheffects.withStroke(linewidth=2.2, foreground=(1, 1, 1, 0.85))])
        rank = number_or(props.get("rank"), 5.0)
        pop = number_or(props.get("population"), 0.0)
        # Bigger type marks what matters more (countries, capitals, then towns), so it
        # wins collisions; within a size, rank, layer order and population decide.
        priority = style.fontsize * 1000 - rank * 10 + spec.order + min(pop / 1e6, 9)
        out.append(Label(spec.id, i, ann, priority, (x, y), offset, style.fontsize))
    return out
