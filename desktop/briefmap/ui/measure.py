"""The measure tool: click points on the map, read the geodesic distance along them.

While it is on, a click adds a point instead of identifying a feature (dragging still
pans, the wheel still zooms), Backspace removes the last point, Escape or a right click
starts over. The path is drawn over the map and its length, measured on the WGS84
ellipsoid, is shown beside the last point and in the status bar.
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QColor, QKeySequence, QPainter, QPen

from briefmap.data.measure import geodesic_length_km
from briefmap.data.projection import to_lonlat
from briefmap.ui.map_overlay import MapOverlay

CLICK_PIXELS = 4  # a press and release closer than this is a click, not a drag


def format_km(km: float) -> str:
    return f"{km:,.1f} km" if km < 100 else f"{km:,.0f} km"


class MeasureOverlay(MapOverlay):
    """Draws the measured path over the canvas."""

    def __init__(self, canvas):
        super().__init__(canvas)
        self.points: list[tuple[float, float]] = []  # map metres

    def lonlat(self) -> list[tuple[float, float]]:
        crs = self.canvas.map_renderer.briefing.crs
        return [to_lonlat(x, y, crs) for x, y in self.points]

    def length_km(self) -> float:
        return geodesic_length_km(self.lonlat())

    def paintEvent(self, _event) -> None:
        if not self.points:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pixels = [self.to_pixel(x, y) for x, y in self.points]
        for width, colour in ((4.0, QColor(255, 255, 255, 220)), (2.0, QColor("#c0392b"))):
            p.setPen(QPen(colour, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            for a, b in pairwise(pixels):
                p.drawLine(a, b)
        p.setBrush(QColor("#c0392b"))
        p.setPen(QPen(QColor("white"), 1.5))
        for pt in pixels:
            p.drawEllipse(pt, 4, 4)
        if len(pixels) > 1:
            text = format_km(self.length_km())
            at = pixels[-1] + QPointF(8, -8)
            box = p.fontMetrics().boundingRect(text).adjusted(-4, -2, 4, 2).translated(at.toPoint())
            p.fillRect(box, QColor(255, 255, 255, 230))
            p.setPen(QColor("#1a1a1a"))
            p.drawText(at, text)
        p.end()


class MeasureTool(QObject):
    """Watches the canvas's mouse and keys while the measure action is checked."""

    def __init__(self, window):
        super().__init__(window)
        self.window_ = window
        self.canvas = window.canvas
        self.overlay = MeasureOverlay(self.canvas)
        self.overlay.hide()
        self.active = False
        self._press = None
        self.canvas.installEventFilter(self)
        self.canvas.viewChanged.connect(self.overlay.update)

    def set_active(self, on: bool) -> None:
        self.active = on
        self.overlay.setVisible(on)
        self.canvas.setCursor(Qt.CursorShape.CrossCursor if on else Qt.CursorShape.ArrowCursor)
        if not on:
            self.clear()
        else:
            self._report()

    def clear(self) -> None:
        self.overlay.points.clear()
        self.overlay.update()

    def add_point_at(self, pos) -> None:
        self.overlay.points.append(self.canvas.data_at(pos))
        self.overlay.update()
        self._report()

    def _report(self) -> None:
        n = len(self.overlay.points)
        msg = ("Measure: click points on the map; Backspace removes the last, Escape starts over" if n < 2
               else f"Distance: {format_km(self.overlay.length_km())} along {n} points (geodesic, WGS84)")
        self.window_.statusBar().showMessage(msg)

    def eventFilter(self, obj, event) -> bool:
        if obj is not self.canvas:
            return False
        kind = event.type()
        if not self.active:
            return False
        if kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()
        elif kind == QEvent.Type.MouseButtonRelease and event.button() == Qt.MouseButton.LeftButton:
            pos = event.position().toPoint()
            if self._press is not None and (pos - self._press).manhattanLength() <= CLICK_PIXELS:
                self._press = None
                self.add_point_at(pos)
                return True
        elif kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.RightButton:
            self.clear()
            self._report()
            return True
        elif kind == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Backspace:
            if self.overlay.points:
                self.overlay.points.pop()
                self.overlay.update()
                self._report()
            return True
        elif kind == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape:
            self.clear()
            self._report()
            return True
        return False


def install(window) -> None:
    """Edit → Measure distance (checkable, Ctrl+M)."""
    from briefmap.ui.find_dialog import _menu

    tool = MeasureTool(window)
    action = _menu(window, "&Edit").addAction("&Measure distance")
    action.setCheckable(True)
    action.setShortcut(QKeySequence("Ctrl+M"))
    action.toggled.connect(tool.set_active)
    window.measure_tool = tool
    window.measure_action = action
