"""Zoom, pan and resize for the map canvas, with a preview during gestures: the last
composite is moved or scaled at once, and the proper render follows when the gesture
rests (SETTLE_MS), as QGIS's map canvas does."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QMouseEvent, QWheelEvent

ZOOM_STEP = 1.25
MIN_WIDTH_M = 2_000.0
MAX_WIDTH_M = 4_000_000.0
SETTLE_MS = 180


class Navigation:
    """Mixed into MapCanvas (a QWidget with `map_renderer`, `ax`, `legend`, `viewChanged`)."""

    def init_navigation(self) -> None:
        self._scale: float | None = None
        self._fit: tuple | None = None
        self._drag: tuple[QPoint, tuple] | None = None
        self._dragged = False
        self._preview: tuple[QPointF, float] | None = None  # pan offset (px) and zoom factor while gesturing
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._settled)

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

    # ------------------------------------------------------------------ gestures
    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.preview_zoom(ZOOM_STEP ** steps, event.position())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._settled()
            self._drag = (event.position().toPoint(), self.map_renderer.extent())
            self._dragged = False

    def drag_move(self, event: QMouseEvent) -> bool:
        """A mouse move during a drag previews the pan; returns whether it was one."""
        if self._drag is None or not event.buttons() & Qt.MouseButton.LeftButton:
            return False
        d = event.position().toPoint() - self._drag[0]
        if abs(d.x()) + abs(d.y()) > 3:
            self._dragged = True
        if self._dragged:
            self._preview = (QPointF(d), 1.0)
            self.update()
        return True

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._drag is not None:
            dragged = self._dragged
            self._drag = None
            if dragged:
                self._settled()
            else:
                self.identify_at(event.position().toPoint())

    def navigation_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        moves = {Qt.Key.Key_Left: (-0.2, 0), Qt.Key.Key_Right: (0.2, 0), Qt.Key.Key_Up: (0, 0.2),
                 Qt.Key.Key_Down: (0, -0.2)}
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(ZOOM_STEP)
        elif key == Qt.Key.Key_Minus:
            self.zoom(1 / ZOOM_STEP)
        elif key in moves:
            self.pan_fraction(*moves[key])
        else:
            return False
        return True
