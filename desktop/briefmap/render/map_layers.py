"""The map renderer: the model's layers drawn into one matplotlib Axes in the map's CRS.

It subscribes to the model (the layer list and the view store) and keeps its artists in
step: a toggle flips `set_visible`, an opacity sets alpha, a date swaps the paths of the
dated layers, a naming policy changes label texts. It owns artists, never state: what is
visible, how opaque and in which order is read from the model.

The jobs live in their own modules: per-layer artists (render/artists.py), overlays
(render/overlays.py) and what shows one feature in them (render/feature_overlays.py),
level of detail (render/lod.py), hit-testing (render/index.py); this one ties them
together and does the label layout and the extent maths.
"""

from __future__ import annotations

from concurrent.futures import Executor, Future

import numpy as np
import shapely
from matplotlib.axes import Axes

from briefmap.model.briefing import Briefing, LayerSpec, Style
from briefmap.model.features import FeatureTable
from briefmap.model.layers import Layer
from briefmap.model.map_model import MapModel
from briefmap.model.naming import policy_for
from briefmap.model.view import ViewState
from briefmap.render.artists import (
    LABEL_Z,
    LINESTYLES,
    Label,
    LayerArtists,
    build,
    make_labels,
    may_thin,
    object_array,
    style_for,
    thinning,
)
from briefmap.render.feature_overlays import FeatureOverlays
from briefmap.render.index import BACKDROP, SpatialIndex, build_trees
from briefmap.render.lod import LOD_MIN_VERTICES, LevelOfDetail
from briefmap.render.overlays import HIGHLIGHT, HIGHLIGHT_Z, NOTE_Z, Overlays

__all__ = ["HIGHLIGHT", "HIGHLIGHT_Z", "LABEL_Z", "LINESTYLES", "LOD_MIN_VERTICES", "NOTE_Z", "Label",
           "LayerArtists", "MapRenderer"]


class MapRenderer(FeatureOverlays):
    """Draws a briefing's layers into one Axes. Pass the window's `model` to follow it;
    without one (the export) the renderer makes its own and `apply` sets it."""

    def __init__(self, briefing: Briefing, tables: dict[str, FeatureTable], ax: Axes, bake_opacity: bool = True,
                 model: MapModel | None = None, background: Executor | None = None):
        self.briefing = briefing
        self.model = model or MapModel.from_briefing(briefing, tables)
        self.ax = ax
        # The window paints cached layer images with the layer's opacity itself; the export
        # bakes it into the artists.
        self.bake_opacity = bake_opacity
        # Where a very big point layer is thinned and indexed (the window's worker thread):
        # its artists are made when that is done (`finish_builds`), the UI thread never waits.
        self.background = background
        self.building: dict[str, Future] = {}
        self.overlays = Overlays(ax)
        self.lod = LevelOfDetail()
        self.index = SpatialIndex(self.model.layers)
        # Map furniture drawn over the map (legend, scale bar, inset…) in figure inches:
        # labels keep clear of it. The last layout's placements and drops, for preflight.
        self.furniture_inches: list[tuple[float, float, float, float]] = []
        self.label_report = None
        # Equal scale is kept by set_extent itself, which fits the extent to the axes'
        # shape; matplotlib's datalim aspect would fight the limits we set.
        ax.set_axis_off()
        # Artists are made when a layer is first shown: an export or a first paint pays
        # only for what it draws.
        self.layers: dict[str, LayerArtists] = {la.id: LayerArtists(la) for la in self.model.layers}
        layers, view = self.model.layers, self.model.view
        layers.changed.connect(self._on_layers_changed)
        layers.inserted.connect(self._on_inserted)
        layers.removed.connect(self._on_removed)
        layers.moved.connect(self._on_moved)
        view.changed.connect(self._on_view_changed)
        self._on_layers_changed(tuple(layers.ids), frozenset({"visible", "opacity"}))
        self._on_view_changed(frozenset({"scenario", "selected"}))

    # ------------------------------------------------------------------ compatibility views of the model
    @property
    def tables(self) -> dict[str, FeatureTable]:
        return self.model.layers.tables

    @property
    def styles(self) -> dict[str, Style]:
        return self.model.layers.styles

    @property
    def names(self) -> str:
        return self.model.view.names

    @property
    def date(self):
        return self.model.view.date

    @property
    def scenario(self) -> str:
        return self.model.view.scenario

    def style_for(self, spec: LayerSpec, table: FeatureTable, i: int) -> Style:
        return style_for(self.styles, spec, table, i)

    def apply(self, state: ViewState) -> None:
        """Make the model show `state`; the artists follow through the model's events."""
        self.model.apply(state)

    # ------------------------------------------------------------------ following the model
    def _policy(self):
        return policy_for(self.briefing.naming, self.model.view.names)

    def _ensure_built(self, la: LayerArtists, keep=None, thinned: bool = False) -> None:
        if la.built or la.spec.id in self.building:
            return
        if not thinned and self.background is not None and may_thin(la.spec, la.table):
            self.building[la.spec.id] = self.background.submit(_thin_and_index, la.spec, la.table)
            return
        build(la, self.ax, self.styles, self._policy(), self.briefing.naming, keep=keep, thinned=thinned,
              labels_later=self.background is not None)
        if la.table.dated:
            la.shown = la.table.shown_on(self.model.view.date)
            la.apply_shown()
        if self.bake_opacity and la.opacity < 1.0:
            la.set_alpha(la.opacity)

    def _on_layers_changed(self, ids: tuple[str, ...], fields: frozenset[str]) -> None:
        for lid in ids:
            la = self.layers.get(lid)
            if la is None:
                continue
            if "visible" in fields:
                if la.visible:
                    self._ensure_built(la)
                la.set_visible(la.visible)
                self.overlays.show_layer(lid, la.visible)
            if "opacity" in fields and self.bake_opacity and la.built:
                la.set_alpha(la.opacity)

    def _on_inserted(self, layer: Layer) -> None:
        self.layers[layer.id] = LayerArtists(layer)
        self._sort()
        self._on_layers_changed((layer.id,), frozenset({"visible", "opacity"}))

    def labels_to_make(self) -> bool:
        """Whether a shown layer still has labels to make (the window makes them in slices)."""
        return any(la.label_todo for la in self.layers.values() if la.visible)

    def make_labels(self, count: int) -> None:
        """Make up to `count` more labels of the lowest shown layer that has some to make."""
        la = next(la for la in self.layers.values() if la.visible and la.label_todo)
        make_labels(la, self.ax, self.styles, self._policy(), self.briefing.naming, count)

    def finish_builds(self) -> list[str]:
        """Make the artists of the big layers whose thinning is done; their ids."""
        done = []
        for lid, future in list(self.building.items()):
            if not future.done():
                continue
            del self.building[lid]
            la = self.layers.get(lid)
            table, keep, tree, geoms = future.result()
            if la is None or la.table is not table:
                continue  # removed or replaced meanwhile
            self._ensure_built(la, keep=keep, thinned=True)
            if tree is not None:
                self.index.adopt(lid, table, tree, geoms)
            la.set_visible(la.visible)
            self.overlays.show_layer(lid, la.visible)
            done.append(lid)
        return done

    def _on_removed(self, layer: Layer) -> None:
        self.building.pop(layer.id, None)
        la = self.layers.pop(layer.id)
        la.remove()
        self.overlays.drop_layer(layer.id)
        self.lod.forget(layer.id)
        self.index.forget(layer.id)

    def _on_moved(self, a: str, b: str) -> None:
        """Two layers exchanged drawing order: only z-orders change, nothing is rebuilt."""
        for lid in (a, b):
            self.layers[lid].follow_order()
        scenario = self.model.scenario
        if scenario is not None and scenario.highlight:
            self.set_highlights(scenario.highlight)  # the glow sits just under its layer
        self._sort()

    def _sort(self) -> None:
        order = {lid: k for k, lid in enumerate(self.model.layers.ids)}
        self.layers = dict(sorted(self.layers.items(), key=lambda kv: order[kv[0]]))

    def _on_view_changed(self, fields: frozenset[str]) -> None:
        view = self.model.view
        if "names" in fields:
            for la in self.layers.values():
                la.relabel(self._policy(), self.briefing.naming)
        if "date" in fields:
            for la in self.layers.values():
                if la.table.dated and la.built:
                    la.shown = la.table.shown_on(view.date)
                    la.apply_shown()
        if "scenario" in fields:
            scenario = self.model.scenario
            self.set_highlights(scenario.highlight if scenario else ())
            self.overlays.set_notes(scenario.annotations if scenario else (), self.briefing.crs)
        if "selected" in fields:
            found = self.find(view.selected) if view.selected else None
            self.overlays.set_selection(*self._geometry_and_style(found))

    def layer_in_view(self, layer_id: str, margin: float = 0.15) -> bool:
        """Whether any shown feature of the layer comes near the current view (a margin
        keeps labels and wide symbols at the edge)."""
        x0, y0, x1, y1 = self.extent()
        mx, my = (x1 - x0) * margin, (y1 - y0) * margin
        la = self.layers[layer_id]
        if not la.built:
            return False  # (still being thinned)
        if la.thinned:  # only the drawn points matter (a few of very many): the scatter's shown offsets
            xy = np.asarray(la.groups[0].artist.get_offsets())
            return bool(((x0 - mx <= xy[:, 0]) & (xy[:, 0] <= x1 + mx)
                         & (y0 - my <= xy[:, 1]) & (xy[:, 1] <= y1 + my)).any())
        view = shapely.box(x0 - mx, y0 - my, x1 + mx, y1 + my)
        hits = shapely.intersects(view, la.table.geometries)
        return bool(np.any(hits & np.asarray(la.shown, dtype=bool)))

    def layer_artists(self, layer_id: str, labels: bool = True) -> list:
        """Everything drawn for one layer, bottom to top: its collections, arrows, the
        scenario's glow under it, and (unless left out) its labels."""
        la = self.layers[layer_id]
        arts = self.overlays.of_layer(layer_id) + la.artists()
        if labels:
            arts.extend(lab.artist for lab in la.labels)
        return sorted(arts, key=lambda a: a.get_zorder())

    def visible_labels(self) -> list[Label]:
        """The labels placed by the last layout, bottom layer first."""
        return [lab for la in self.layers.values() if la.visible for lab in la.labels if lab.artist.get_visible()]

    def hits(self, x: float, y: float, tolerance: float, backdrop: bool = False) -> list[tuple[str, int]]:
        """Every visible feature at (x, y), topmost layer first, nearest first; points and
        lines count within `tolerance`. The base map's areas are the backdrop: listed only
        when asked for, after everything else."""
        shown = {lid: la.shown for lid, la in self.layers.items()}
        return self.index.hits(x, y, tolerance, shown, backdrop=backdrop)

    def hit(self, x: float, y: float, tolerance: float) -> tuple[str, int] | None:
        """The topmost feature at (x, y), or the backdrop area there, or None."""
        found = self.hits(x, y, tolerance, backdrop=True)
        return found[0] if found else None

    def is_backdrop(self, layer_id: str) -> bool:
        return self.layers[layer_id].spec.base in BACKDROP

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

    def update_level_of_detail(self, width_px: int) -> list[str]:
        x0, _y0, x1, _y1 = self.extent()
        return self.lod.update(self.layers, (x1 - x0) / max(width_px, 1))

    # ------------------------------------------------------------------ labels
    def layout_labels(self, only: str | None = None) -> None:
        """Show the labels that fit, most important first, placed by the label engine
        (render/labeling.py). The whole map is laid out from scratch every time, `only`
        included, so the same view always gets the same labels."""
        from briefmap.render.label_layout import layout

        self.label_report = layout(self, self._furniture_px())

    def _furniture_px(self) -> list[tuple[float, float, float, float]]:
        dpi = self.ax.figure.dpi
        return [tuple(v * dpi for v in box) for box in self.furniture_inches]

    def label_scene(self):
        """What a label layout reads, as plain data (render/label_layout.py): the window
        works the plan out on another thread and hands it back to `apply_label_plan`."""
        from briefmap.render.label_layout import scene_of

        return scene_of(self, self._furniture_px())

    def apply_label_plan(self, plan) -> None:
        from briefmap.render.label_layout import apply_layout

        self.label_report = apply_layout(self, plan)


def _thin_and_index(spec: LayerSpec, table: FeatureTable):
    """On the worker: which points a big layer draws, and its hit-test trees."""
    geoms = object_array(table.geometries)
    return table, thinning(spec, table, geoms), build_trees(geoms), geoms
