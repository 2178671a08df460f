"""The window's scale bar, painted over the map's bottom-right corner."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen

from briefmap.render.scale import bar_length


def paint_scalebar(p: QPainter, width: int, height: int, map_width: float, font: QFont) -> None:
    """A scale bar in kilometres for a view `map_width` metres across `width` pixels (the
    map is conformal: true near the standard parallels)."""
    metres_per_px = map_width / max(width, 1)
    length, label = bar_length(map_width)  # the sheet's rule too
    px = length / metres_per_px
    right, bottom = width - 16, height - 14
    box = QRectF(right - px - 10, bottom - 30, px + 20, 38)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(255, 255, 255, 215))
    p.drawRoundedRect(box, 3, 3)
    p.setBrush(QColor("#222222"))
    p.drawRect(QRectF(right - px, bottom - 6, px, 5))
    p.setPen(QPen(QColor("#222222")))
    f = QFont(font)
    f.setPointSizeF(8.5)
    p.setFont(f)
    p.drawText(QRectF(right - px, bottom - 28, px, 18), Qt.AlignmentFlag.AlignCenter, label)
