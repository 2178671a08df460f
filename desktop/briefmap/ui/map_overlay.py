"""A transparent widget over the map canvas that draws in map coordinates (the measured
path, the sketch being drawn, vertex handles). Mouse events pass through it to the
canvas; it follows the canvas's size."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtWidgets import QWidget


class MapOverlay(QWidget):
    def __init__(self, canvas):
        super().__init__(canvas)
        self.canvas = canvas
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.resize(canvas.size())
        canvas.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if obj is self.canvas and event.type() == QEvent.Type.Resize:
            self.resize(self.canvas.size())
        return False

    def to_pixel(self, x: float, y: float) -> QPointF:
        """A point in map metres, in this widget's pixels (the canvas's current view)."""
        x0, y0, x1, y1 = self.canvas.map_renderer.extent()
        return QPointF((x - x0) / (x1 - x0) * self.width(), (y1 - y) / (y1 - y0) * self.height())
