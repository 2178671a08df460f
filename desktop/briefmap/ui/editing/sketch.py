"""What the editor draws over the map while the user works: the line or area being drawn
(its vertices, and a rubber band to the pointer) and the vertex handles of the selected
line or area. Mouse events pass through to the canvas; the controller reads them."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF

from briefmap.model.edit_shapes import vertices
from briefmap.ui.map_overlay import MapOverlay

HANDLE_PX = 5.0  # a handle's half size on screen
GRAB_PX = 8.0  # a press this close to a handle grabs it
SKETCH = QColor("#b2182b")


@dataclass
class Sketch:
    """A line or area being drawn: its vertices in map metres."""

    kind: str
    points: list[tuple[float, float]] = field(default_factory=list)


class SketchOverlay(MapOverlay):
    def __init__(self, canvas):
        super().__init__(canvas)
        self.sketch: Sketch | None = None
        self.pointer: tuple[float, float] | None = None  # where the rubber band ends (map metres)
        self.handles_of = None  # the selected line or area whose vertices show handles
        self.dragging: tuple[int, int, tuple[float, float]] | None = None  # (part, index, where now)

    def handles(self) -> list[tuple[int, int, tuple[float, float]]]:
        return vertices(self.handles_of) if self.handles_of is not None else []

    def handle_at(self, pos) -> tuple[int, int, tuple[float, float]] | None:
        """The handle under a screen position, if any (the nearest one within GRAB_PX)."""
        best, best_d = None, GRAB_PX
        for h in self.handles():
            p = self.to_pixel(*h[2])
            d = max(abs(p.x() - pos.x()), abs(p.y() - pos.y()))
            if d <= best_d:
                best, best_d = h, d
        return best

    def paintEvent(self, _event) -> None:
        if self.sketch is None and self.handles_of is None:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.sketch is not None and self.sketch.points:
            self._paint_sketch(p)
        if self.handles_of is not None:
            self._paint_handles(p)
        p.end()

    def _paint_sketch(self, p: QPainter) -> None:
        pts = [self.to_pixel(*xy) for xy in self.sketch.points]
        band = [*pts, self.to_pixel(*self.pointer)] if self.pointer else list(pts)
        if self.sketch.kind == "polygon" and len(band) >= 3:
            fill = QColor(SKETCH)
            fill.setAlpha(40)
            p.setBrush(fill)
            p.setPen(Qt.PenStyle.NoPen)
            p.drawPolygon(QPolygonF(band))
            band = [*band, band[0]]
        for width, colour, style in ((4.0, QColor(255, 255, 255, 220), Qt.PenStyle.SolidLine),
                                     (2.0, SKETCH, Qt.PenStyle.SolidLine)):
            p.setPen(QPen(colour, width, style, Qt.PenCapStyle.RoundCap))
            p.drawPolyline(QPolygonF(band[:len(pts)] if len(pts) > 1 else []))
            if len(band) > len(pts):
                p.setPen(QPen(colour, width, Qt.PenStyle.DashLine, Qt.PenCapStyle.RoundCap))
                p.drawPolyline(QPolygonF(band[len(pts) - 1:]))
        p.setBrush(SKETCH)
        p.setPen(QPen(QColor("white"), 1.5))
        for pt in pts:
            p.drawEllipse(pt, 3.5, 3.5)

    def _paint_handles(self, p: QPainter) -> None:
        p.setPen(QPen(QColor("#1a1a1a"), 1.2))
        for part, index, xy in self.handles():
            if self.dragging and self.dragging[:2] == (part, index):
                xy = self.dragging[2]
            c = self.to_pixel(*xy)
            p.setBrush(QColor("#ffd400") if self.dragging and self.dragging[:2] == (part, index) else QColor("white"))
            p.drawRect(int(c.x() - HANDLE_PX), int(c.y() - HANDLE_PX), int(2 * HANDLE_PX), int(2 * HANDLE_PX))
