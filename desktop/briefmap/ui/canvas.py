"""The map canvas: the shared MapRenderer's artists, drawn by matplotlib's Agg renderer
one layer at a time into cached images that Qt composites.

Labels are drawn once each, by matplotlib with their own font and halo, into small
images ("sprites") kept across zooms and pans; a frame only places them. They look as in
the export because the export draws the very same text artists.

A toggle only changes which cached images are composited; an opacity change paints the
layer's image with that opacity; hover and selection are small overlays of their own.
Only a change of view (zoom, pan, resize) renders layers again — and during a drag or a
wheel turn the last composite is moved or scaled at once, the fresh render following when
the gesture pauses, as QGIS's map canvas does.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from PySide6.QtCore import QPoint, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QImage, QKeyEvent, QMouseEvent, QPainter, QPen, QWheelEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from briefmap.data.projection import to_lonlat
from briefmap.model.briefing import Briefing
from briefmap.model.features import FeatureTable
from briefmap.render.legend import data_under, legend_items
from briefmap.render.map_layers import MapRenderer
from briefmap.ui.legend_overlay import LegendOverlay

ZOOM_STEP = 1.25
MIN_WIDTH_M = 2_000.0
MAX_WIDTH_M = 4_000_000.0
BACKGROUND = QColor("#f4f4f2")
SETTLE_MS = 180


def _offset(x: float, y: float):
    from matplotlib.transforms import Affine2D

    return Affine2D().translate(x, y)


class Layer:
    """A cached rendering: the image and where its top-left corner goes."""

    __slots__ = ("image", "origin")

    def __init__(self, image: QImage | None, origin: QPoint):
        self.image = image
        self.origin = origin


class MapCanvas(QWidget):
    """Shows a MapRenderer; emits what the user points at and clicks."""

    cursorMoved = Signal(float, float)  # lon, lat
    viewChanged = Signal()
    featureClicked = Signal(str, int, QPoint)  # layer id, feature index, global position
    emptyClicked = Signal()
    hovered = Signal(str)  # "layer/id" or ""

    def __init__(self, briefing: Briefing, tables: dict[str, FeatureTable], parent=None):
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setMinimumSize(QSize(200, 150))
        self.figure = Figure(figsize=(8, 6), dpi=100, facecolor="none")
        FigureCanvasAgg(self.figure)  # gives artists a canvas for text measurement
        self.ax = self.figure.add_axes((0, 0, 1, 1))
        self.ax.patch.set_visible(False)
        self.map_renderer = MapRenderer(briefing, tables, self.ax, bake_opacity=False)
        self.cache: dict[str, Layer] = {}
        self.overlays: dict[str, Layer] = {}
        self.sprites: dict[tuple, Layer] = {}
        self._sprite_figure: Figure | None = None
        self._view_key: tuple | None = None
        self._scale: float | None = None
        self._fit: tuple | None = None
        self._drag: tuple[QPoint, tuple] | None = None
        self._dragged = False
        self._preview: tuple[QPointF, float] | None = None  # pan offset (px) and zoom factor while gesturing
        self._hover_ref = ""
        self.last_click = (0.0, 0.0)
        self.frames_drawn = 0
        self.full_renders = 0
        self.show_legend = True
        self.legend = LegendOverlay(self)
        self.legend.moved.connect(self._legend_moved)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._settled)

    # ------------------------------------------------------------------ geometry of the figure
    def _pixels(self) -> tuple[int, int, float]:
        ratio = self.devicePixelRatioF() or 1.0
        return max(1, round(self.width() * ratio)), max(1, round(self.height() * ratio)), ratio

    def _sync_figure(self) -> None:
        w, h, ratio = self._pixels()
        dpi = 100.0 * ratio
        if self.figure.dpi != dpi:
            self.figure.set_dpi(dpi)
        self.figure.set_size_inches(w / dpi, h / dpi, forward=False)

    # ------------------------------------------------------------------ rendering
    def invalidate(self, layers: list[str] | None = None) -> None:
        """Forget cached images (all, or these layers'); the next paint renders them."""
        if layers is None:
            self.cache.clear()
            self.overlays.clear()
            self._view_key = None
        else:
            for lid in layers:
                self.cache.pop(lid, None)
        self.update()

    def _render(self, artists: list) -> Layer:
        w, h, ratio = self._pixels()
        visible = [a for a in artists if a.get_visible()]
        if not visible:
            return Layer(None, QPoint(0, 0))
        renderer = RendererAgg(w, h, self.figure.dpi)
        for a in visible:
            a.draw(renderer)
        rgba = np.asarray(renderer.buffer_rgba())
        alpha = rgba[:, :, 3]
        # Crop to what was drawn, so compositing blends only those pixels.
        rows = np.flatnonzero(alpha.max(axis=1))
        if rows.size == 0:
            return Layer(None, QPoint(0, 0))
        cols = np.flatnonzero(alpha[rows[0]:rows[-1] + 1].max(axis=0))
        y0, y1, x0, x1 = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
        crop = rgba[y0:y1, x0:x1].tobytes()
        # QImage borrows the bytes; convertToFormat makes the copy Qt owns (and blends fastest).
        borrowed = QImage(crop, int(x1 - x0), int(y1 - y0), int(x1 - x0) * 4, QImage.Format.Format_RGBA8888)
        image = borrowed.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
        del borrowed
        image.setDevicePixelRatio(ratio)
        return Layer(image, QPoint(int(x0), int(y0)))

    def _ensure_rendered(self) -> None:
        r = self.map_renderer
        key = (self.ax.get_xlim(), self.ax.get_ylim(), self._pixels())
        if key != self._view_key:
            self.cache.clear()
            self.overlays.clear()
            self._view_key = key
            r.update_level_of_detail(self._pixels()[0])
            r.furniture_inches = self.legend.obstacle_inches()
            r.layout_labels()
            self.refresh_legend()  # it lists what is in view
            self.full_renders += 1
        for lid, la in r.layers.items():
            if la.visible and lid not in self.cache:
                # A layer with nothing in view (zoomed on Tavush, say) costs no rendering.
                self.cache[lid] = (self._render(r.layer_artists(lid, labels=False)) if r.layer_in_view(lid)
                                   else Layer(None, QPoint(0, 0)))
        for name, artists in (("notes", r.note_artists), ("selection", r.selection_artists),
                              ("hover", r.hover_artists)):
            if name not in self.overlays:
                self.overlays[name] = self._render(artists)

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
        r = self.map_renderer
        for lid, la in r.layers.items():
            cached = self.cache.get(lid)
            if not la.visible or cached is None or cached.image is None:
                continue
            if la.opacity < 1.0:
                p.setOpacity(la.opacity)
            p.drawImage(QPointF(cached.origin.x() / ratio, cached.origin.y() / ratio), cached.image)
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

    def _sprite(self, ann) -> Layer:
        """The label's image, with the offset from its anchor point to the image's corner."""
        key = (ann.get_text(), ann.get_fontsize(), ann.get_fontweight(), ann.get_fontstyle(), ann.get_color(),
               ann.get_ha(), ann.get_va(), tuple(ann.xyann), bool(ann.get_path_effects()), self.figure.dpi)
        cached = self.sprites.get(key)
        if cached is not None:
            return cached
        from matplotlib.text import Text

        dpi = self.figure.dpi
        renderer = self.figure.canvas.get_renderer()
        box = ann.get_window_extent(renderer)
        ax_px, ay_px = self.ax.transData.transform(ann.xy)
        pad = 4.0 * dpi / 72.0  # room for the halo
        w, h = math.ceil(box.width + 2 * pad), math.ceil(box.height + 2 * pad)
        # Draw the same text, with the same alignment, in a small canvas of its own.
        text = Text(0, 0, ann.get_text())
        text.update_from(ann)
        text.set_path_effects(ann.get_path_effects())
        dx, dy = ann.xyann
        ox, oy = pad - (box.x0 - ax_px), pad - (box.y0 - ay_px)  # anchor's place in the sprite (y up)
        if self._sprite_figure is None or self._sprite_figure.dpi != dpi:
            # One scratch figure for every sprite: a text needs a figure for its dpi only.
            self._sprite_figure = Figure(figsize=(1, 1), dpi=dpi, facecolor="none")
            FigureCanvasAgg(self._sprite_figure)
        fig = self._sprite_figure
        text.set_figure(fig)
        text.set_transform(fig.dpi_scale_trans + _offset(ox, oy))
        text.set_position((dx / 72.0, dy / 72.0))
        sprite_renderer = RendererAgg(w, h, dpi)
        text.draw(sprite_renderer)
        rgba = np.asarray(sprite_renderer.buffer_rgba()).tobytes()
        image = QImage(rgba, w, h, w * 4, QImage.Format.Format_RGBA8888).convertToFormat(
            QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(self._pixels()[2])
        layer = Layer(image, QPoint(round(-ox), round(-(h - oy))))
        self.sprites[key] = layer
        return layer

    def _paint_labels(self, p: QPainter, ratio: float) -> None:
        r = self.map_renderer
        height = self._pixels()[1]
        labels = r.visible_labels()
        if not labels:
            return
        anchors = self.ax.transData.transform(np.array([lab.artist.xy for lab in labels]))
        for lab, (x, y) in zip(labels, anchors, strict=True):
            opacity = r.layers[lab.layer].opacity
            sprite = self._sprite(lab.artist)
            if sprite.image is None:
                continue
            if opacity < 1.0:
                p.setOpacity(opacity)
            box = r.label_report.boxes.get((lab.layer, lab.index)) if lab.artist.arrow_patch is not None else None
            if box is not None:  # a label moved off its anchor: a thin leader back to it
                ex, ey = min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3])
                p.setPen(QPen(QColor(to_hex(lab.artist.get_color())), 0.8))
                p.drawLine(QPointF(x / ratio, (height - y) / ratio), QPointF(ex / ratio, (height - ey) / ratio))
            top_left = QPointF((x + sprite.origin.x()) / ratio, (height - y + sprite.origin.y()) / ratio)
            p.drawImage(top_left, sprite.image)
            p.setOpacity(1.0)

    def _paint_scalebar(self, p: QPainter) -> None:
        """A scale bar in kilometres (the map is conformal: true near the standard parallels)."""
        x0, _y0, x1, _y1 = self.map_renderer.extent()
        if self._preview is not None:
            x1 = x0 + (x1 - x0) / self._preview[1]
        metres_per_px = (x1 - x0) / max(self.width(), 1)
        target = metres_per_px * self.width() * 0.18
        power = 10 ** math.floor(math.log10(target))
        length = max(v * power for v in (1, 2, 5) if v * power <= target)
        px = length / metres_per_px
        label = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
        right, bottom = self.width() - 16, self.height() - 14
        box = QRectF(right - px - 10, bottom - 30, px + 20, 38)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(255, 255, 255, 215))
        p.drawRoundedRect(box, 3, 3)
        p.setBrush(QColor("#222222"))
        p.drawRect(QRectF(right - px, bottom - 6, px, 5))
        p.setPen(QPen(QColor("#222222")))
        f = QFont(self.font())
        f.setPointSizeF(8.5)
        p.setFont(f)
        p.drawText(QRectF(right - px, bottom - 28, px, 18), Qt.AlignmentFlag.AlignCenter, label)

    def _settled(self) -> None:
        """The gesture paused: apply the previewed pan/zoom and render it properly."""
        if self._preview is None:
            return
        offset, factor = self._preview
        self._preview = None
        self._fit = None
        x0, y0, x1, y1 = self.map_renderer.extent()
        mpp = (x1 - x0) / max(self.width(), 1)
        # Screen point s shows data at x0 + (s - offset)/factor * mpp.
        nx0 = x0 - offset.x() / factor * mpp
        ny1 = y1 + offset.y() / factor * mpp
        w = (x1 - x0) / factor
        h = (y1 - y0) / factor
        self.ax.set_xlim(nx0, nx0 + w)
        self.ax.set_ylim(ny1 - h, ny1)
        self._scale = self.map_renderer.metres_per_inch()
        self.update()
        self.viewChanged.emit()

    # ------------------------------------------------------------------ state from the window
    def layer_shown(self, layer_id: str) -> None:
        """A layer just switched on: its labels find room among those already placed."""
        if layer_id not in self.cache and self._view_key is not None:
            self.map_renderer.layout_labels(only=layer_id)

    def selection_changed(self) -> None:
        self.overlays.pop("selection", None)
        self.update()

    def relayout(self, changed: list[str]) -> None:
        """After a change of names, date or scenario: re-render the `changed` layers and
        the scenario's notes, and lay the labels out again."""
        self.invalidate(changed)
        self.overlays.pop("notes", None)
        if self._view_key is not None:
            self.map_renderer.layout_labels()
        self.refresh_legend()

    def _legend_moved(self) -> None:
        """The legend moved, folded or changed size: labels make room for it again."""
        if self._view_key is not None:
            self.map_renderer.furniture_inches = self.legend.obstacle_inches()
            self.map_renderer.layout_labels()
            self.overlays.pop("notes", None)
            self.update()

    def refresh_legend(self) -> None:
        self.legend.set_items(legend_items(self.map_renderer) if self.show_legend else [])
        if self.legend.isVisible():  # off the data: the corner with the least under it
            self.legend.choose_corner(data_under(self.map_renderer, self.legend.corner_boxes()))

    @property
    def legend_labels(self) -> list[str]:
        return [item.label for item in self.legend.items]

    def resizeEvent(self, event) -> None:
        scale = self.map_renderer.metres_per_inch() if self._scale is None else self._scale
        super().resizeEvent(event)
        self._sync_figure()
        if self._fit is not None:
            # A view chosen as an extent (start-up, a bookmark, a scenario) stays that
            # extent while the window settles its size; after the user zooms or pans,
            # a resize keeps the scale instead, as in a GIS.
            self.map_renderer.set_extent(self._fit)
        else:
            self.map_renderer.refit(scale)
        self._scale = self.map_renderer.metres_per_inch()
        self.legend.reposition()
        self.viewChanged.emit()

    # ------------------------------------------------------------------ view
    def set_extent(self, extent) -> None:
        self._preview = None
        self._fit = tuple(extent)
        self._sync_figure()
        self.map_renderer.set_extent(extent)
        self._scale = self.map_renderer.metres_per_inch()
        self.update()
        self.viewChanged.emit()

    def zoom(self, factor: float, about: tuple[float, float] | None = None) -> None:
        self._fit = None
        x0, y0, x1, y1 = self.map_renderer.extent()
        width = (x1 - x0) / factor
        if not MIN_WIDTH_M <= width <= MAX_WIDTH_M:
            return
        cx, cy = about or ((x0 + x1) / 2, (y0 + y1) / 2)
        nx0 = cx - (cx - x0) / factor
        ny0 = cy - (cy - y0) / factor
        self.ax.set_xlim(nx0, nx0 + (x1 - x0) / factor)
        self.ax.set_ylim(ny0, ny0 + (y1 - y0) / factor)
        self._scale = self.map_renderer.metres_per_inch()
        self.update()
        self.viewChanged.emit()

    def preview_zoom(self, factor: float, at: QPointF) -> None:
        """Scale the last composite about a screen point now; render when the wheel rests."""
        x0, _y0, x1, _y1 = self.map_renderer.extent()
        offset, current = self._preview or (QPointF(0, 0), 1.0)
        new = current * factor
        if not MIN_WIDTH_M <= (x1 - x0) / new <= MAX_WIDTH_M:
            return
        # Keep the point under the cursor fixed: s = offset + factor * d.
        offset = at - (at - offset) * factor
        self._preview = (offset, new)
        self.update()
        self._settle.start()

    def pan_fraction(self, fx: float, fy: float) -> None:
        self._fit = None
        x0, y0, x1, y1 = self.map_renderer.extent()
        dx, dy = (x1 - x0) * fx, (y1 - y0) * fy
        self.ax.set_xlim(x0 + dx, x1 + dx)
        self.ax.set_ylim(y0 + dy, y1 + dy)
        self.update()
        self.viewChanged.emit()

    def scale_denominator(self) -> float:
        """The map's scale as 1:N on this screen (taking its logical DPI as true)."""
        x0, _y0, x1, _y1 = self.map_renderer.extent()
        dpi = self.logicalDpiX() or 96
        return (x1 - x0) / max(self.width(), 1) * dpi / 0.0254

    def data_at(self, pos: QPoint) -> tuple[float, float]:
        x0, y0, x1, y1 = self.map_renderer.extent()
        return (x0 + pos.x() / max(self.width(), 1) * (x1 - x0),
                y1 - pos.y() / max(self.height(), 1) * (y1 - y0))

    def tolerance(self, pixels: float = 6.0) -> float:
        x0, _y0, x1, _y1 = self.map_renderer.extent()
        return (x1 - x0) / max(self.width(), 1) * pixels

    # ------------------------------------------------------------------ events
    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.preview_zoom(ZOOM_STEP ** steps, event.position())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._settled()
            self._drag = (event.position().toPoint(), self.map_renderer.extent())
            self._dragged = False

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        if self._drag is not None and event.buttons() & Qt.MouseButton.LeftButton:
            start, _extent = self._drag
            d = pos - start
            if abs(d.x()) + abs(d.y()) > 3:
                self._dragged = True
            if self._dragged:
                self._preview = (QPointF(d), 1.0)
                self.update()
            return
        x, y = self.data_at(pos)
        lon, lat = to_lonlat(x, y, self.map_renderer.briefing.crs)
        self.cursorMoved.emit(lon, lat)
        hit = self.map_renderer.hit(x, y, self.tolerance())
        ref = ""
        if hit and self.map_renderer.layers[hit[0]].spec.base not in ("countries", "admin1"):
            la = self.map_renderer.layers[hit[0]]
            ref = f"{hit[0]}/{la.table.ids[hit[1]]}"
        self.setCursor(Qt.CursorShape.PointingHandCursor if ref else Qt.CursorShape.ArrowCursor)
        if ref != self._hover_ref:
            self._hover_ref = ref
            self.map_renderer.hover(ref or None)
            self.overlays.pop("hover", None)
            self.update()
            self.hovered.emit(ref)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._drag is not None:
            dragged = self._dragged
            self._drag = None
            if dragged:
                self._settled()
            else:
                self.identify_at(event.position().toPoint())

    def leaveEvent(self, _event) -> None:
        if self._hover_ref:
            self._hover_ref = ""
            self.map_renderer.hover(None)
            self.overlays.pop("hover", None)
            self.update()

    def identify_at(self, pos: QPoint) -> tuple[str, int] | None:
        x, y = self.data_at(pos)
        self.last_click = (x, y)
        hit = self.map_renderer.hit(x, y, self.tolerance())
        if hit:
            self.featureClicked.emit(hit[0], hit[1], self.mapToGlobal(pos))
        else:
            self.emptyClicked.emit()
        return hit

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        moves = {Qt.Key.Key_Left: (-0.2, 0), Qt.Key.Key_Right: (0.2, 0), Qt.Key.Key_Up: (0, 0.2),
                 Qt.Key.Key_Down: (0, -0.2)}
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(ZOOM_STEP)
        elif key == Qt.Key.Key_Minus:
            self.zoom(1 / ZOOM_STEP)
        elif key in moves:
            self.pan_fraction(*moves[key])
        elif key == Qt.Key.Key_Escape:
            self.emptyClicked.emit()  # clears the selection
        else:
            super().keyPressEvent(event)
