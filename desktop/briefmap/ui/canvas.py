"""The map canvas: a matplotlib Figure in Qt, with zoom, pan, hover and click.

Hovering only hit-tests and changes the cursor; it never asks for a redraw.
"""

from __future__ import annotations

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QSizePolicy

from briefmap.data.projection import to_lonlat
from briefmap.model.briefing import Briefing
from briefmap.model.features import FeatureTable
from briefmap.render.legend import legend_entries
from briefmap.render.map_layers import MapRenderer

ZOOM_STEP = 1.25
MIN_WIDTH_M = 2_000.0
MAX_WIDTH_M = 4_000_000.0


class MapCanvas(FigureCanvasQTAgg):
    """Shows a MapRenderer; emits what the user points at and clicks."""

    cursorMoved = Signal(float, float)  # lon, lat
    viewChanged = Signal()
    featureClicked = Signal(str, int, QPoint)  # layer id, feature index, global position
    emptyClicked = Signal()
    hovered = Signal(str)  # "layer/id" or ""

    def __init__(self, briefing: Briefing, tables: dict[str, FeatureTable], parent=None):
        fig = Figure(figsize=(8, 6), dpi=100, facecolor="#f4f4f2")
        super().__init__(fig)
        self.setParent(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.ax = fig.add_axes((0, 0, 1, 1))
        self.ax.set_facecolor("#f4f4f2")
        self.map_renderer = MapRenderer(briefing, tables, self.ax)
        self._legend = None
        self.show_legend = True
        self._scalebar = None
        self._drag: tuple[QPoint, tuple] | None = None
        self._dragged = False
        self._hover_ref = ""
        self._hover_artists: list = []
        self._scale = None
        self.last_click = (0.0, 0.0)
        self.frames_drawn = 0
        self._add_scalebar()

    # ------------------------------------------------------------------ drawing
    def _add_scalebar(self) -> None:
        from matplotlib_scalebar.scalebar import ScaleBar

        bar = ScaleBar(1, "m", location="lower right", length_fraction=0.18, box_alpha=0.8,
                       font_properties={"size": 8}, rotation="horizontal-only", scale_loc="top")
        bar.set_zorder(4500)
        self.ax.add_artist(bar)
        self._scalebar = bar

    def refresh_legend(self) -> None:
        if self._legend is not None:
            self._legend.remove()
            self._legend = None
        entries = legend_entries(self.map_renderer) if self.show_legend else []
        if entries:
            self._legend = self.ax.legend([h for h, _ in entries], [t for _, t in entries], loc="lower left",
                                          fontsize=7, framealpha=0.88, edgecolor="#999999", labelspacing=0.35,
                                          handlelength=1.8, borderpad=0.5)
            self._legend.set_zorder(4000)

    @property
    def legend_labels(self) -> list[str]:
        if self._legend is None:
            return []
        return [t.get_text() for t in self._legend.get_texts()]

    def redraw(self) -> None:
        """Lay out labels and the legend for the current view, then draw when Qt is idle."""
        self.map_renderer.layout_labels()
        self.refresh_legend()
        self.draw_idle()

    def draw(self) -> None:
        super().draw()
        self.frames_drawn += 1

    def resizeEvent(self, event) -> None:
        scale = self.map_renderer.metres_per_inch() if self._scale is None else self._scale
        super().resizeEvent(event)
        self.map_renderer.refit(scale)
        self._scale = self.map_renderer.metres_per_inch()
        self.map_renderer.layout_labels()

    # ------------------------------------------------------------------ view
    def set_extent(self, extent) -> None:
        self.map_renderer.set_extent(extent)
        self._scale = self.map_renderer.metres_per_inch()
        self.redraw()
        self.viewChanged.emit()

    def zoom(self, factor: float, about: tuple[float, float] | None = None) -> None:
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
        self.redraw()
        self.viewChanged.emit()

    def pan_fraction(self, fx: float, fy: float) -> None:
        x0, y0, x1, y1 = self.map_renderer.extent()
        dx, dy = (x1 - x0) * fx, (y1 - y0) * fy
        self.ax.set_xlim(x0 + dx, x1 + dx)
        self.ax.set_ylim(y0 + dy, y1 + dy)
        self.redraw()
        self.viewChanged.emit()

    def scale_denominator(self) -> float:
        """The map's scale as 1:N on this screen (taking its logical DPI as true)."""
        x0, _y0, x1, _y1 = self.map_renderer.extent()
        dpi = self.logicalDpiX() or 96
        return (x1 - x0) / max(self.width(), 1) * dpi / 0.0254

    def data_at(self, pos: QPoint) -> tuple[float, float]:
        ratio = self.device_pixel_ratio or 1.0
        x = pos.x() * ratio
        y = self.figure.bbox.height - pos.y() * ratio
        return tuple(self.ax.transData.inverted().transform((x, y)))

    def tolerance(self, pixels: float = 6.0) -> float:
        x0, _y0, x1, _y1 = self.map_renderer.extent()
        return (x1 - x0) / max(self.width(), 1) * pixels

    # ------------------------------------------------------------------ events
    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120.0
        if not steps:
            return
        about = self.data_at(event.position().toPoint())
        self.zoom(ZOOM_STEP ** steps, about)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._drag = (event.position().toPoint(), self.map_renderer.extent())
            self._dragged = False
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        x, y = self.data_at(pos)
        lon, lat = to_lonlat(x, y)
        self.cursorMoved.emit(lon, lat)
        if self._drag is not None and event.buttons() & Qt.MouseButton.LeftButton:
            start, (x0, y0, x1, y1) = self._drag
            d = pos - start
            if abs(d.x()) + abs(d.y()) > 3:
                self._dragged = True
            scale = (x1 - x0) / max(self.width(), 1)
            self.ax.set_xlim(x0 - d.x() * scale, x1 - d.x() * scale)
            self.ax.set_ylim(y0 + d.y() * scale, y1 + d.y() * scale)
            self.draw_idle()
            return
        hit = self.map_renderer.hit(x, y, self.tolerance())
        ref = ""
        if hit and self.map_renderer.layers[hit[0]].spec.base not in ("countries", "admin1"):
            la = self.map_renderer.layers[hit[0]]
            ref = f"{hit[0]}/{la.table.ids[hit[1]]}"
        self.setCursor(Qt.CursorShape.PointingHandCursor if ref else Qt.CursorShape.ArrowCursor)
        if ref != self._hover_ref:
            self._hover_ref = ref
            self.hovered.emit(ref)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._drag is not None:
            dragged = self._dragged
            self._drag = None
            if dragged:
                self.redraw()
                self.viewChanged.emit()
            else:
                self.identify_at(event.position().toPoint())
        super().mouseReleaseEvent(event)

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
        else:
            super().keyPressEvent(event)
