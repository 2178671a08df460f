"""The live legend over the map. Its swatches are drawn by matplotlib from the map's own
style description (render.legend), so the window's legend always matches the map and
the sheet. It can be collapsed to its title (click the title) and moved (drag it); the
map's labels keep clear of it."""

from __future__ import annotations

import math

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPen
from PySide6.QtWidgets import QWidget

from briefmap.render.legend import LegendItem, swatch_rgba

ICON_W, ICON_H, PAD, GAP = 28.0, 12.0, 8.0, 4.0
MARGIN = 12
# Where the legend may stand, in order of preference when equal (the lower right holds the
# scale bar).
CORNERS = ("lower left", "upper left", "upper right")


# Unfolded, the legend may cover at most this share of the map until the user opens it.
MAX_UNFOLDED_SHARE = 0.2


class LegendOverlay(QWidget):
    """A legend panel over the map: click its title to collapse or expand it, drag it to
    move it. `moved` tells the map that the room left for labels has changed."""

    moved = Signal()

    def __init__(self, parent):
        super().__init__(parent)
        self.items: list[LegendItem] = []
        self.collapsed = False
        # Whether the user has folded or unfolded it; until then a legend that would hide
        # much of a small map starts folded to its title.
        self._user_folded = False
        self._chosen_for = None  # the size the corner was last chosen for
        self._font = QFont(self.font())
        self._font.setPointSizeF(8.0)
        self._title_font = QFont(self._font)
        self._title_font.setBold(True)
        self._swatches: dict[tuple, QImage] = {}
        self._press: tuple[QPoint, QPoint] | None = None
        self._dragged = False
        # Where the user put it: offset of its lower-left corner from the map's; None = default.
        self._anchor: QPoint | None = None
        # Until the user moves it: the map corner with the least data under it.
        self.corner = "lower left"
        self.setAccessibleName("Legend")
        self.setToolTip("Legend: click the title to collapse or expand; drag to move")
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        self.hide()

    # ------------------------------------------------------------------ content
    def set_items(self, items: list[LegendItem]) -> None:
        self.items = list(items)
        if not self.items:
            self.hide()
            self.moved.emit()
            return
        self._resize()
        if not self._user_folded:
            self._fold_if_it_would_hide_the_map()
        self.show()
        self.update()

    def _fold_if_it_would_hide_the_map(self) -> None:
        folded = self._folded_for(self.items)
        if folded != self.collapsed:
            self.set_collapsed(folded)

    def _folded_for(self, items: list[LegendItem]) -> bool:
        """Whether the legend listing `items` stands folded: as the user left it, or, until
        the user folds or opens it, folded when open it would hide much of the map."""
        parent = self.parentWidget()
        if self._user_folded or parent is None or parent.width() * parent.height() == 0:
            return self.collapsed
        w, h = self._size_for(items, False)
        return w * h / (parent.width() * parent.height()) > MAX_UNFOLDED_SHARE

    def set_collapsed(self, on: bool) -> None:
        self.collapsed = on
        self._resize()
        self.update()

    def _title_height(self) -> float:
        return QFontMetricsF(self._title_font).height() + GAP

    def _size_for(self, items: list[LegendItem], collapsed: bool) -> tuple[int, int]:
        fm = QFontMetricsF(self._font)
        title = f"Legend {'▸' if collapsed else '▾'}"
        width = PAD * 2 + QFontMetricsF(self._title_font).horizontalAdvance(title)
        height = PAD * 2 + self._title_height()
        if not collapsed:
            width = max(width, PAD * 2 + ICON_W + 8 + max(fm.horizontalAdvance(i.label) for i in items))
            height += len(items) * (fm.height() + GAP) - GAP
        return math.ceil(width), math.ceil(height)

    def _resize(self) -> None:
        old = self.geometry()
        self.resize(*self._size_for(self.items, self.collapsed))
        self.reposition()
        if self.geometry() != old:
            self.moved.emit()

    def corner_boxes(self, dpi_logical: float = 100.0,
                     size: tuple[int, int] | None = None) -> dict[str, tuple[float, float, float, float]]:
        """Where the legend (of its size, or `size`) would stand in each corner, in the map
        figure's inches (y up)."""
        pw, ph = self.parentWidget().width(), self.parentWidget().height()
        w, h = size or (self.width(), self.height())
        out = {}
        for corner in CORNERS:
            x = MARGIN if corner.endswith("left") else max(0, pw - w - MARGIN)
            y = MARGIN if corner.startswith("lower") else max(0, ph - h - MARGIN)
            out[corner] = (x / dpi_logical, y / dpi_logical, (x + w) / dpi_logical, (y + h) / dpi_logical)
        return out

    def choose_corner(self, data_under: dict[str, float]) -> None:
        """Go to the corner with the least data under it (`data_under`: corner -> share
        covered), unless the user has placed the legend; a corner only a little better
        than the current one is not worth a jump while the user pans."""
        if self._anchor is not None or not data_under:
            return
        corner = self._corner_for((self.width(), self.height()), data_under)
        self._chosen_for = self.size()
        if corner != self.corner:
            self.corner = corner
            old = self.geometry()
            self.reposition()
            if self.geometry() != old:
                self.moved.emit()

    def _corner_for(self, size: tuple[int, int], data_under: dict[str, float]) -> str:
        """The corner `choose_corner` takes for a legend of `size`."""
        if self._anchor is not None or not data_under:
            return self.corner
        best = min(CORNERS, key=lambda c: (data_under.get(c, 1.0), CORNERS.index(c)))
        # A legend of a new size (shown, unfolded, other entries) takes the best corner
        # outright; the margin only keeps it from jumping about while the user pans.
        fresh = self._chosen_for is None or (self._chosen_for.width(), self._chosen_for.height()) != size
        if best != self.corner and (fresh or data_under.get(best, 1.0) < 0.7 * data_under.get(self.corner, 1.0)
                                    - 0.005):
            return best
        return self.corner

    def reposition(self) -> None:
        """Keep the legend where the user put it (measured from the lower-left corner),
        inside the map; until then in its chosen corner."""
        self.move(self._position_for((self.width(), self.height()), self.corner))

    def _position_for(self, size: tuple[int, int], corner: str) -> QPoint:
        parent = self.parentWidget()
        w, h = size
        if self._anchor is None:
            right = corner.endswith("right")
            upper = corner.startswith("upper")
            off = QPoint(parent.width() - w - MARGIN if right else MARGIN,
                         parent.height() - h - MARGIN if upper else MARGIN)
        else:
            off = self._anchor
        x = min(max(0, off.x()), max(0, parent.width() - w))
        y = min(max(0, parent.height() - h - off.y()), max(0, parent.height() - h))
        return QPoint(x, y)

    def obstacle_inches(self, dpi_logical: float = 100.0) -> list[tuple[float, float, float, float]]:
        """The legend's box in the map figure's inches (y up), for the label layout."""
        if not self.isVisible() or not self.items:
            return []
        g = self.geometry()
        return self._box_inches(g.x(), g.y(), (g.width(), g.height()), dpi_logical)

    def _box_inches(self, x: int, y: int, size: tuple[int, int],
                    dpi_logical: float = 100.0) -> list[tuple[float, float, float, float]]:
        parent_h = self.parentWidget().height()
        w, h = size
        return [(x / dpi_logical, (parent_h - y - h) / dpi_logical, (x + w) / dpi_logical, (parent_h - y) / dpi_logical)]

    def forecast(self, items: list[LegendItem], shares_of) -> list[tuple[float, float, float, float]]:
        """The box `obstacle_inches` would give after `set_items(items)` and then
        `choose_corner(shares_of(corner boxes))`, as the canvas does them, worked out
        without moving or resizing the legend (the labels of a layer set not yet shown
        are planned ahead with it). `shares_of` is asked only when the corner may change."""
        if not items:
            return []
        size = self._size_for(items, self._folded_for(items))
        corner = self.corner if self._anchor is not None else self._corner_for(
            size, shares_of(self.corner_boxes(size=size)))
        pos = self._position_for(size, corner)
        return self._box_inches(pos.x(), pos.y(), size)

    # ------------------------------------------------------------------ mouse
    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = (event.globalPosition().toPoint(), self.pos())
            self._dragged = False
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
        event.accept()

    def mouseMoveEvent(self, event) -> None:
        if self._press is None:
            return
        start, origin = self._press
        delta = event.globalPosition().toPoint() - start
        if delta.manhattanLength() > 3:
            self._dragged = True
        if self._dragged:
            parent = self.parentWidget()
            pos = origin + delta
            self._anchor = QPoint(pos.x(), parent.height() - pos.y() - self.height())
            self.reposition()
        event.accept()

    def mouseReleaseEvent(self, event) -> None:
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        if self._press is not None and not self._dragged and event.position().y() <= PAD + self._title_height():
            self._user_folded = True
            self.set_collapsed(not self.collapsed)
        elif self._dragged:
            self.moved.emit()
        self._press = None
        event.accept()

    # ------------------------------------------------------------------ painting
    def _swatch(self, item: LegendItem) -> QImage:
        ratio = self.devicePixelRatioF() or 1.0
        key = (item, ratio)
        image = self._swatches.get(key)
        if image is None:
            # Swatch size in points: one logical pixel is 0.75 pt at Qt's 96 dpi.
            rgba = swatch_rgba(item, ICON_W * 0.75, ICON_H * 0.75, 96.0 * ratio)
            h, w = rgba.shape[:2]
            image = QImage(rgba.tobytes(), w, h, w * 4, QImage.Format.Format_RGBA8888).copy()
            image.setDevicePixelRatio(ratio)
            self._swatches[key] = image
        return image

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(QPen(QColor("#999999"), 1))
        p.setBrush(QColor(255, 255, 255, 225))
        p.drawRoundedRect(QRectF(0.5, 0.5, self.width() - 1, self.height() - 1), 4, 4)
        p.setFont(self._title_font)
        p.setPen(QColor("#555555"))
        th = self._title_height()
        p.drawText(QRectF(PAD, PAD, self.width(), th - GAP), Qt.AlignmentFlag.AlignVCenter,
                   f"Legend {'▸' if self.collapsed else '▾'}")
        if not self.collapsed:
            p.setFont(self._font)
            fm = QFontMetricsF(self._font)
            y = PAD + th
            for item in self.items:
                top = y + (fm.height() - ICON_H) / 2
                p.drawImage(QPointF(PAD, top), self._swatch(item))
                p.setPen(QColor("#222222"))
                p.drawText(QRectF(PAD + ICON_W + 8, y, self.width(), fm.height()),
                           Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, item.label)
                y += fm.height() + GAP
        p.end()
