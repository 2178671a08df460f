"""The live legend over the map, painted by Qt so that a toggle updates it at once."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QWidget

from briefmap.render.legend import LegendItem

ICON_W, ICON_H, PAD, GAP = 28.0, 12.0, 8.0, 4.0
DASHES = {"solid": None, "dashed": [5, 2.5], "dotted": [1, 1.8], "dashdot": [6, 2, 1.5, 2]}


def _color(text: str, alpha: float = 1.0) -> QColor:
    if text == "none":
        return QColor(0, 0, 0, 0)
    c = QColor(text)
    c.setAlphaF(max(0.0, min(1.0, c.alphaF() * alpha)))
    return c


def _marker(shape: str, center: QPointF, size: float) -> QPainterPath:
    path = QPainterPath()
    r = size / 2
    x, y = center.x(), center.y()
    if shape == "s":
        path.addRect(QRectF(x - r, y - r, size, size))
    elif shape == "D":
        path.addPolygon(QPolygonF([QPointF(x, y - r), QPointF(x + r, y), QPointF(x, y + r), QPointF(x - r, y)]))
    elif shape in ("^", "v"):
        s = -1 if shape == "^" else 1
        path.addPolygon(QPolygonF([QPointF(x, y + s * r), QPointF(x + r, y - s * r), QPointF(x - r, y - s * r)]))
    elif shape in ("*", "P", "X", "h", "p"):
        points = []
        n = 5 if shape in ("*", "p") else 6 if shape == "h" else 4
        for k in range(n * 2):
            rad = r if k % 2 == 0 else (r * 0.45 if shape == "*" else r * 0.8)
            a = math.pi / 2 + k * math.pi / n
            points.append(QPointF(x + rad * math.cos(a), y - rad * math.sin(a)))
        path.addPolygon(QPolygonF(points))
    else:
        path.addEllipse(center, r, r)
    path.closeSubpath()
    return path


class LegendOverlay(QWidget):
    def __init__(self, parent):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.items: list[LegendItem] = []
        self._font = QFont(self.font())
        self._font.setPointSizeF(8.0)
        self.setAccessibleName("Legend")
        self.hide()

    def set_items(self, items: list[LegendItem]) -> None:
        self.items = list(items)
        if not self.items:
            self.hide()
            return
        fm = QFontMetricsF(self._font)
        width = PAD * 2 + ICON_W + 8 + max(fm.horizontalAdvance(i.label) for i in self.items)
        height = PAD * 2 + len(self.items) * (fm.height() + GAP) - GAP
        self.resize(math.ceil(width), math.ceil(height))
        self.reposition()
        self.show()
        self.update()

    def reposition(self) -> None:
        parent = self.parentWidget()
        self.move(12, max(0, parent.height() - self.height() - 12))

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(QPen(QColor("#999999"), 1))
        p.setBrush(QColor(255, 255, 255, 225))
        p.drawRoundedRect(QRectF(0.5, 0.5, self.width() - 1, self.height() - 1), 4, 4)
        p.setFont(self._font)
        fm = QFontMetricsF(self._font)
        y = PAD
        for item in self.items:
            row = QRectF(PAD, y, ICON_W, fm.height())
            self._icon(p, item, row)
            p.setPen(QColor("#222222"))
            p.drawText(QRectF(PAD + ICON_W + 8, y, self.width(), fm.height()),
                       Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, item.label)
            y += fm.height() + GAP
        p.end()

    def _icon(self, p: QPainter, item: LegendItem, row: QRectF) -> None:
        s, a = item.style, item.opacity
        mid = row.center()
        box = QRectF(row.left() + 2, mid.y() - ICON_H / 2, ICON_W - 4, ICON_H)
        if item.kinds == {"polygon"}:
            edge = s.edgecolor if s.edgecolor != "none" else s.facecolor
            p.setPen(QPen(_color(edge, a), max(s.linewidth, 0.8)))
            p.setBrush(QBrush(_color(s.facecolor, min(1.0, s.alpha * a + 0.25))))
            p.drawRect(box)
            if s.hatch:
                p.setBrush(QBrush(_color(edge, a), Qt.BrushStyle.BDiagPattern))
                p.drawRect(box)
            return
        if "line" in item.kinds or "point" not in item.kinds:
            pen = QPen(_color(s.color, a), max(s.linewidth, 0.8) * 1.33)
            dash = DASHES.get(s.linestyle)
            if dash:
                pen.setDashPattern([d / max(s.linewidth, 0.8) for d in dash])
            p.setPen(pen)
            p.drawLine(QPointF(box.left(), mid.y()), QPointF(box.right(), mid.y()))
        if "point" in item.kinds:
            size = max(s.markersize, 4.0) * 1.33
            p.setPen(QPen(_color(s.markeredgecolor, a), 1))
            p.setBrush(_color(s.color, a))
            p.drawPath(_marker(s.marker, mid, size))
