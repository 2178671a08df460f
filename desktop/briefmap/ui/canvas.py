"""The map canvas: the renderer's artists, drawn by matplotlib's Agg renderer one layer at
a time into cached images that Qt composites.

The canvas subscribes to the model and decides alone what a change costs:
  a layer shown, hidden or re-ordered   composite again (a layer shown for the first time
                                        in this view is rendered once); labels laid out
  an opacity                            paint the same image with that opacity
  a date                                re-render the dated layers; labels laid out
  a scenario                            re-render the layers it glows on; notes; labels
  a naming policy                       labels laid out (their sprites are keyed by text)
  the selection                         its overlay only
Only a change of view (zoom, pan, resize) renders every layer again, and during a drag or
a wheel turn the last composite is moved or scaled at once, the fresh render following
when the gesture pauses, as QGIS's map canvas does (see ui/navigation.py).
"""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from PySide6.QtCore import QPoint, QPointF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from briefmap.data.projection import to_lonlat
from briefmap.model.layers import Layer
from briefmap.model.map_model import MapModel
from briefmap.render.legend import data_under, legend_items
from briefmap.render.map_layers import MapRenderer
from briefmap.ui.legend_overlay import LegendOverlay
from briefmap.ui.navigation import Navigation
from briefmap.ui.progressive import Progressive
from briefmap.ui.raster import EMPTY, Raster, Sprites, render_artists
from briefmap.ui.scalebar import paint_scalebar

BACKGROUND = QColor("#f4f4f2")
OVERLAYS = ("notes", "selection", "hover")


class MapCanvas(Navigation, Progressive, QWidget):
    """Shows the model through a MapRenderer; emits what the user points at and clicks."""

    cursorMoved = Signal(float, float)  # lon, lat
    viewChanged = Signal()
    featureClicked = Signal(object, QPoint)  # every (layer id, index) under the click, top first; global position
    emptyClicked = Signal()
    hovered = Signal(str)  # "layer/id" or ""

    def __init__(self, model: MapModel, parent=None):
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setMinimumSize(QSize(200, 150))
        self.model = model
        self.figure = Figure(figsize=(8, 6), dpi=100, facecolor="none")
        FigureCanvasAgg(self.figure)  # gives artists a canvas for text measurement
        self.ax = self.figure.add_axes((0, 0, 1, 1))
        self.ax.patch.set_visible(False)
        # The renderer subscribes to the model first, so its artists are up to date when
        # the canvas hears of the same change.
        self.map_renderer = MapRenderer(model.briefing, {}, self.ax, bake_opacity=False, model=model)
        self._glowing = self._glowing_layers()
        self.cache: dict[str, Raster] = {}
        self.overlays: dict[str, Raster] = {}
        self.sprites = Sprites()
        self._view_key: tuple | None = None
        self._view: tuple | None = None  # the extent and size the cached images were made for
        self._labels_stale = True
        self._placing_legend = False  # the legend is being placed by a paint whose layout follows
        self._hover_ref = ""
        self.last_click = (0.0, 0.0)
        self.frames_drawn = 0
        self.painted_layers: set[str] = set()
        self.full_renders = 0
        self.show_legend = True
        self.legend = LegendOverlay(self)
        self.legend.moved.connect(self._legend_moved)
        self.init_navigation()
        self.init_progressive()
        model.layers.changed.connect(self._on_layers_changed)
        model.layers.inserted.connect(self._on_layer_added_or_removed)
        model.layers.removed.connect(self._on_layer_added_or_removed)
        model.layers.moved.connect(lambda _a, _b: self.update())
        model.view.changed.connect(self._on_view_changed)

    # ------------------------------------------------------------------ following the model
    def _on_layers_changed(self, ids: tuple[str, ...], fields: frozenset[str]) -> None:
        self.forget_drawing(ids)
        if "visible" in fields:
            self.follow_builds()  # a big layer shown for the first time is thinned on the worker
            self._labels_stale = True
            hovered = self._hover_ref.split("/", 1)[0]
            if hovered in ids and not self.model.layers[hovered].visible:
                self._set_hover("")  # no outline for a feature that is no longer drawn
        self.refresh_legend()
        self.update()

    def _on_layer_added_or_removed(self, layer: Layer) -> None:
        self.cache.pop(layer.id, None)
        self.forget_drawing((layer.id,))
        self.follow_builds()
        self._labels_stale = True
        self.refresh_legend()
        self.update()

    def _glowing_layers(self) -> set[str]:
        return {owner for owner, _a in self.map_renderer.overlays.highlights}

    def _on_view_changed(self, fields: frozenset[str]) -> None:
        if fields & {"date", "scenario", "names"}:
            self._labels_stale = True
        if "date" in fields:
            self.invalidate([lid for lid, la in self.map_renderer.layers.items() if la.table.dated])
        if "scenario" in fields:
            # The renderer has already moved the glow: re-render where it was and where it is.
            self.invalidate(sorted(self._glowing | self._glowing_layers()))
            self.overlays.pop("notes", None)
        self._glowing = self._glowing_layers()
        if "selected" in fields:
            self.overlays.pop("selection", None)
        if fields & {"date", "scenario"}:
            self.refresh_legend()
        self.update()

    def _legend_moved(self) -> None:
        """The legend moved, folded or changed size: labels make room for it again."""
        self._labels_stale = True
        if not self._placing_legend:
            self.update()

    def refresh_legend(self) -> None:
        if self.progressive:
            self._legend_due = True  # a slice lists it; its corner may be worked out on the worker
            self.schedule()
            return
        self.legend.set_items(legend_items(self.map_renderer) if self.show_legend else [])
        if self.legend.isVisible():  # off the data: the corner with the least under it
            self.legend.choose_corner(data_under(self.map_renderer, self.legend.corner_boxes()))

    @property
    def legend_labels(self) -> list[str]:
        return [item.label for item in self.legend.items]

    # ------------------------------------------------------------------ rendering
    def _pixels(self) -> tuple[int, int, float]:
        ratio = self.devicePixelRatioF() or 1.0
        return max(1, round(self.width() * ratio)), max(1, round(self.height() * ratio)), ratio

    def _sync_figure(self) -> None:
        w, h, ratio = self._pixels()
        dpi = 100.0 * ratio
        if self.figure.dpi != dpi:
            self.figure.set_dpi(dpi)
        self.figure.set_size_inches(w / dpi, h / dpi, forward=False)

    def invalidate(self, layers: list[str] | None = None) -> None:
        """Forget cached images (all, or these layers'); the next paint renders them."""
        self.forget_drawing(layers)
        if layers is None:
            self.cache.clear()
            self.overlays.clear()
            self._view_key = None
        else:
            gone = {lid: self.cache.pop(lid) for lid in layers if lid in self.cache}
            if self.progressive and self._stale is None:
                self.keep_stale(gone, self._view)  # shown until the new images are made
        self.update()

    def _render(self, artists: list) -> Raster:
        w, h, ratio = self._pixels()
        return render_artists(artists, w, h, self.figure.dpi, ratio)

    def view_key(self) -> tuple:
        return (self.ax.get_xlim(), self.ax.get_ylim(), self._pixels())

    def before_frame(self) -> None:
        """Just before the window paints (its update request): a view drawn whole settles
        here, the legend's move included, so the paint that follows is the only one."""
        if self._preview is None and not self.progressive and self.isVisible():
            self._sync_figure()
            self._settle_view(in_paint=False)

    def _settle_view(self, in_paint: bool = True) -> None:
        """For a new view (extent or size): the cached images are forgotten, the level of
        detail and the legend follow it, and the labels are due."""
        r = self.map_renderer
        key = self.view_key()
        if key == self._view_key:
            return
        old, self.cache = self.cache, {}
        self.forget_drawing()
        if self.progressive:
            self.keep_stale(old, self._view)
        self.overlays.clear()
        self._view_key = key
        self._view = (r.extent(), self.width(), self.height())
        r.update_level_of_detail(self._pixels()[0])
        self._labels_stale = True
        # It lists what is in view (in the first slice when progressive). Drawn whole in this
        # paint, the labels are laid out around it next, in the frame that shows it where it
        # went: its move asks for no second frame.
        self._placing_legend = in_paint and not self.progressive
        try:
            self.refresh_legend()
        finally:
            self._placing_legend = False
        self.full_renders += 1

    def _ensure_rendered(self) -> None:
        r = self.map_renderer
        self._settle_view()
        if self.progressive:
            if self._labels_stale or self._legend_due or self._missing_layers():
                self.schedule()  # in slices, between events (ui/progressive.py)
        else:
            if self._labels_stale:
                self.layout_now()
            for lid in self._missing_layers():
                # A layer with nothing in view (zoomed on Tavush, say) costs no rendering.
                self.cache[lid] = self._render(r.layer_artists(lid, labels=False)) if r.layer_in_view(lid) else EMPTY
        for name, artists in zip(OVERLAYS, (r.note_artists, r.selection_artists, r.hover_artists), strict=True):
            if name not in self.overlays:
                self.overlays[name] = self._render(artists)

    def layout_now(self) -> None:
        """One layout for the whole visible set: the same layers in the same view give the
        same labels, whatever was toggled before. Labels keep clear of the legend."""
        r = self.map_renderer
        r.furniture_inches = self.legend.obstacle_inches()
        r.layout_labels()
        self.overlays.pop("notes", None)  # the layout places the callouts too
        self._labels_stale = False

    def paintEvent(self, _event) -> None:
        self._sync_figure()
        if self._preview is None:
            self._ensure_rendered()
        p = QPainter(self)
        p.fillRect(self.rect(), BACKGROUND)
        ratio = self._pixels()[2]
        if self._preview is not None:
            offset, factor = self._preview
            p.translate(offset)
            p.scale(factor, factor)
            p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        stale = self.stale_transform()
        painted = set()
        for lid, la in self.map_renderer.layers.items():
            cached = self.cache.get(lid)
            moved = cached is None and stale is not None and lid in self._stale[0]
            if moved:  # not yet rendered for this view: the last view's image, moved there
                cached = self._stale[0][lid]
            if not la.visible or cached is None:
                continue
            if not moved:
                painted.add(lid)
            if cached.image is None:
                continue
            if la.opacity < 1.0:
                p.setOpacity(la.opacity)
            if moved:
                p.save()
                p.translate(stale[0])
                p.scale(stale[1], stale[1])
            p.drawImage(QPointF(cached.origin.x() / ratio, cached.origin.y() / ratio), cached.image)
            if moved:
                p.restore()
            p.setOpacity(1.0)
        # The selection and hover outlines go under the labels (a name stays readable
        # when its feature is selected); the scenario's callouts go on top.
        for name in ("selection", "hover", "labels", "notes"):
            if name == "labels":
                self._paint_labels(p, ratio)
                continue
            cached = self.overlays.get(name)
            if cached is not None and cached.image is not None:
                p.drawImage(QPointF(cached.origin.x() / ratio, cached.origin.y() / ratio), cached.image)
        p.resetTransform()
        self._paint_scalebar(p)
        p.end()
        self.frames_drawn += 1
        self.painted_layers = painted  # drawn for this view in this frame (the bench asks)

    def _paint_labels(self, p: QPainter, ratio: float) -> None:
        r = self.map_renderer
        height = self._pixels()[1]
        labels = r.visible_labels()
        if not labels:
            return
        anchors = self.ax.transData.transform(np.array([lab.artist.xy for lab in labels]))
        for lab, (x, y) in zip(labels, anchors, strict=True):
            opacity = r.layers[lab.layer].opacity
            sprite = (self.sprites.cached(lab.artist, self.ax, ratio) if self.progressive
                      else self.sprites.get(lab.artist, self.ax, ratio))
            if sprite is None:  # not drawn yet: a slice will make it (ui/progressive.py)
                self.schedule()
                continue
            if sprite.image is None:
                continue
            if opacity < 1.0:
                p.setOpacity(opacity)
            box = r.label_report.boxes.get((lab.layer, lab.index)) if lab.artist.arrow_patch is not None else None
            if box is not None:  # a label moved off its anchor: a thin leader back to it
                ex, ey = min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3])
                p.setPen(QPen(QColor(to_hex(lab.artist.get_color())), 0.8))
                p.drawLine(QPointF(x / ratio, (height - y) / ratio), QPointF(ex / ratio, (height - ey) / ratio))
            p.drawImage(QPointF((x + sprite.origin.x()) / ratio, (height - y + sprite.origin.y()) / ratio),
                        sprite.image)
            p.setOpacity(1.0)

    def _paint_scalebar(self, p: QPainter) -> None:
        x0, _y0, x1, _y1 = self.map_renderer.extent()
        if self._preview is not None:
            x1 = x0 + (x1 - x0) / self._preview[1]
        paint_scalebar(p, self.width(), self.height(), x1 - x0, self.font())

    # ------------------------------------------------------------------ pointing
    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self.drag_move(event):
            return
        x, y = self.data_at(event.position().toPoint())
        lon, lat = to_lonlat(x, y, self.map_renderer.briefing.crs)
        self.cursorMoved.emit(lon, lat)
        r = self.map_renderer
        hit = r.hit(x, y, self.tolerance())
        ref = f"{hit[0]}/{r.layers[hit[0]].table.ids[hit[1]]}" if hit and not r.is_backdrop(hit[0]) else ""
        self.setCursor(Qt.CursorShape.PointingHandCursor if ref else Qt.CursorShape.ArrowCursor)
        if ref != self._hover_ref:
            self._set_hover(ref)
            self.hovered.emit(ref)

    def _set_hover(self, ref: str) -> None:
        self._hover_ref = ref
        self.map_renderer.hover(ref or None)
        self.overlays.pop("hover", None)
        self.update()

    def leaveEvent(self, _event) -> None:
        if self._hover_ref:
            self._set_hover("")

    def identify_at(self, pos: QPoint) -> list[tuple[str, int]]:
        """Hit-test a click once; the answer (everything under it, top first) goes with the signal."""
        x, y = self.data_at(pos)
        self.last_click = (x, y)
        hits = self.map_renderer.hits(x, y, self.tolerance(), backdrop=True)
        if hits:
            self.featureClicked.emit(hits, self.mapToGlobal(pos))
        else:
            self.emptyClicked.emit()
        return hits

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.emptyClicked.emit()  # clears the selection
        elif not self.navigation_key(event):
            super().keyPressEvent(event)
