"""Pointing on the map in Edit mode: the clicks that draw with the current tool, the
presses that select an edited feature or grab a vertex handle, the drags that move a point
or reshape a line or area, and the keys that finish (Enter, double-click), cancel (Esc) or
shorten (Backspace) the line or area being drawn. A mixin of EditController."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt

from briefmap.model.edits import EDITS_LAYER, NOTES_LAYER
from briefmap.ui.editing.sketch import Sketch

CLICK_PIXELS = 3  # a press and release closer than this is a click, not a drag
WHAT = {"point": "point", "line": "line", "polygon": "area", "note": "text note"}


def kind_of(lid: str, geom) -> str:
    if lid == NOTES_LAYER:
        return "note"
    return {"LineString": "line", "Polygon": "polygon", "MultiPolygon": "polygon"}.get(geom.geom_type, "point")


class PointerMixin:
    # ------------------------------------------------------------------ drawing lines and areas
    def cancel_sketch(self) -> None:
        self.overlay.sketch, self.overlay.pointer = None, None
        self.overlay.update()

    def finish_sketch(self) -> str:
        sketch = self.overlay.sketch
        self.cancel_sketch()
        if sketch is None:
            return ""
        fid = self.add_shape(sketch.kind, sketch.points)
        if not fid:
            # Cancelled or refused: the vertices stay so the user can go on drawing or press Esc.
            self.overlay.sketch = sketch
            self.overlay.update()
        return fid

    def click(self, x: float, y: float) -> None:
        """A click on the map with the current tool."""
        if self.tool == "point":
            self.add_point(x, y)
        elif self.tool == "note":
            self.add_note(x, y)
        else:
            if self.overlay.sketch is None:
                self.select(EDITS_LAYER, "")
                self.overlay.sketch = Sketch(self.tool)
            self.overlay.sketch.points.append((x, y))
            self.overlay.update()

    # ------------------------------------------------------------------ pointing
    def _edit_hit(self, pos) -> tuple[str, str] | None:
        r = self.win.canvas.map_renderer
        x, y = self.win.canvas.data_at(pos)
        for lid, i in r.hits(x, y, self.win.canvas.tolerance(8.0)) or []:
            if lid in self.specs:
                return lid, r.layers[lid].table.ids[i]
        return None

    def _key(self, event) -> bool:
        if self.overlay.sketch is None:
            return False
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.finish_sketch()
        elif key == Qt.Key.Key_Escape:
            self.cancel_sketch()
        elif key == Qt.Key.Key_Backspace:
            self.overlay.sketch.points[-1:] = []
            self.overlay.update()
        else:
            return False
        return True

    def eventFilter(self, obj, event) -> bool:
        if obj is self.win and event.type() == QEvent.Type.Close:
            return not self.may_close()
        if obj is not self.win.canvas:
            return False
        kind = event.type()
        if not self.mode_action.isChecked():
            return False
        if kind == QEvent.Type.KeyPress:
            return self._key(event)
        if kind not in (QEvent.Type.MouseButtonDblClick, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                        QEvent.Type.MouseButtonRelease):
            return False
        pos = event.position().toPoint()
        if kind == QEvent.Type.MouseMove:
            return self._moved(pos)
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        if kind == QEvent.Type.MouseButtonDblClick:
            self._press = None
            if self.overlay.sketch is not None:
                self.finish_sketch()
                return True
            hit = self._edit_hit(pos)
            if hit:
                self.edit_point(hit[1], hit[0])
                return True
            return False
        if kind == QEvent.Type.MouseButtonPress:
            return self._pressed(pos)
        return self._released(pos)

    def _moved(self, pos) -> bool:
        if self.overlay.sketch is not None:
            self.overlay.pointer = self.win.canvas.data_at(pos)
            self.overlay.update()
        if self._press and self._press[1] == "handle":
            part, index, _xy = self._press[2]
            self.overlay.dragging = (part, index, self.win.canvas.data_at(pos))
            self.overlay.update()
            return True
        return False

    def _pressed(self, pos) -> bool:
        handle = self.overlay.handle_at(pos) if self.overlay.sketch is None else None
        if handle is not None:
            self._press = (pos, "handle", handle)
            return True  # the press starts a reshape, not a pan
        hit = self._edit_hit(pos) if self.overlay.sketch is None else None
        self._press = (pos, "feature", hit)
        if hit:
            self.select(*hit)
            return True  # the press selects (and for a point starts a move), it does not pan
        return False

    def _released(self, pos) -> bool:
        if not self._press:
            return False
        start, what, target = self._press
        self._press = None
        moved = (pos - start).manhattanLength() > CLICK_PIXELS
        x, y = self.win.canvas.data_at(pos)
        if what == "handle":
            self.overlay.dragging = None
            if moved:
                self.move_vertex(self.current, target[0], target[1], x, y, self.current_layer)
            self.overlay.update()
            return True
        if target:
            lid, fid = target
            table = self.table_of(lid)
            if moved and kind_of(lid, table.geometries[table.index(fid)]) in ("point", "note"):
                self.move_point(fid, x, y, lid)
            return True
        if moved:
            return False
        # A click on empty map draws with the tool (and lets go of the selection); the
        # canvas's own press is forgotten so it neither pans nor identifies.
        self.win.canvas._drag = None
        self.select(EDITS_LAYER, "")
        self.click(x, y)
        return True
