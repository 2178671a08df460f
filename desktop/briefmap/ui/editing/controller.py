"""The Edit mode: draw points, lines, areas and text notes on the map (one tool at a time),
drag a point to move it or a vertex handle to reshape a line or area, Delete to remove,
double-click to edit in the form; every edit is a command on one QUndoStack. Saving and
recovery are in saving.py, the menu entries in actions.py, the drawing over the map in
sketch.py.

The canvas keeps its own gestures (pan, zoom, identify); in Edit mode an event filter takes
the presses that land on an edited feature or a handle, and the clicks on empty map.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import shapely
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import QInputDialog

from briefmap.data.projection import to_lonlat
from briefmap.model.briefing import Bookmark, LayerSpec
from briefmap.model.edit_shapes import checked_geometry, shape_from_vertices, with_vertex_moved
from briefmap.model.edits import (
    EDITS_LATER,
    EDITS_LAYER,
    NOTES_LAYER,
    FeatureDraft,
    editor_styles,
    edits_spec,
    later_style,
    latest_later,
    new_feature_id,
    notes_spec,
    replace_table,
    upgraded_spec,
    usage_fields,
    with_changed,
    with_feature,
    without_feature,
)
from briefmap.model.features import FeatureTable
from briefmap.ui.editing.actions import TOOLS, build_actions
from briefmap.ui.editing.commands import BookmarkCommand, TableCommand
from briefmap.ui.editing.pointer import WHAT, PointerMixin, kind_of
from briefmap.ui.editing.saving import SavingMixin
from briefmap.ui.editing.sketch import SketchOverlay

if TYPE_CHECKING:
    from briefmap.ui.editing.form import FeatureForm

AUTOSAVE_MS = 60_000


class EditController(PointerMixin, SavingMixin, QObject):
    def __init__(self, window, state_dir: Path | None = None):
        super().__init__(window)
        self.win = window
        self.model = window.model
        self.briefing = window._briefing  # sources and bookmarks are edited here; layers in the model
        self.state_dir = state_dir
        self.current, self.current_layer = "", EDITS_LAYER  # the edited feature the user last touched
        self.tool = "point"
        self.last_source = ""  # the source of the feature last added: the next form starts on it
        self._press = None
        top = self.model.layers.top_order()
        self.specs: dict[str, LayerSpec] = {}
        for fresh in (edits_spec(top + 1), notes_spec(top + 2)):
            existing = next((s for s in self.briefing.layers if s.id == fresh.id), None)
            spec = upgraded_spec(existing, fresh) if existing else fresh
            self.specs[spec.id] = spec
            if existing is not None and spec is not existing and self.table_of(spec.id) is not None:
                replace_table(self.model.layers, spec, self.table_of(spec.id))
        self.spec = self.specs[EDITS_LAYER]
        latest = latest_later([self.table_of(lid) for lid in self.specs], self.briefing)
        for sid, style in editor_styles(latest).items():
            self.model.layers.styles.setdefault(sid, style)
        self.stack = QUndoStack(self)
        self.stack.cleanChanged.connect(lambda clean: window.setWindowModified(not clean))
        self.overlay = SketchOverlay(window.canvas)
        self.overlay.hide()
        window.canvas.viewChanged.connect(self.overlay.update)
        build_actions(self)
        self._update_title()
        window.canvas.installEventFilter(self)
        window.installEventFilter(self)
        self.autosave = QTimer(self)
        self.autosave.setInterval(AUTOSAVE_MS)
        self.autosave.timeout.connect(self.write_recovery)
        self.autosave.start()

    def mode_toggled(self, on: bool) -> None:
        for a in self.tool_actions.values():
            a.setEnabled(on)
        self.cancel_sketch()
        self.overlay.setVisible(on)  # handles and sketches show only while editing
        self.win.canvas.setCursor(Qt.CursorShape.CrossCursor if on else Qt.CursorShape.ArrowCursor)
        self._hint() if on else self.win.statusBar().showMessage("Edit mode off", 8000)

    def set_tool(self, tool: str) -> None:
        self.cancel_sketch()
        self.tool = tool
        self.tool_actions[tool].setChecked(True)
        self._hint()

    def _hint(self) -> None:
        hint = next(h for t, _text, _key, h in TOOLS if t == self.tool)
        self.win.statusBar().showMessage(f"Edit mode, {WHAT[self.tool]}: {hint}")

    def _update_title(self) -> None:
        self.win.setWindowTitle(f"{self.briefing.title}[*] — briefmap")

    # ------------------------------------------------------------------ the editable layers
    def table_of(self, lid: str) -> FeatureTable | None:
        layer = self.model.layers.get(lid)
        return layer.table if layer is not None else None

    @property
    def table(self) -> FeatureTable | None:
        return self.table_of(EDITS_LAYER)

    def swap(self, spec: LayerSpec, table: FeatureTable | None) -> None:
        """Show `table` as an editable layer; the legend's date for later additions follows."""
        tables = [table if lid == spec.id else self.table_of(lid) for lid in self.specs]
        later = later_style(latest_later(tables, self.briefing))
        if self.model.layers.styles.get(EDITS_LATER) != later:
            self.model.layers.styles[EDITS_LATER] = later
            edits = self.table_of(EDITS_LAYER)
            if spec.id != EDITS_LAYER and edits is not None:
                replace_table(self.model.layers, self.specs[EDITS_LAYER], edits)  # redrawn with the new legend
        replace_table(self.model.layers, spec, table)

    def select(self, lid: str, fid: str) -> None:
        self.current, self.current_layer = fid, lid
        table = self.table_of(lid)
        geom = table.geometries[table.index(fid)] if fid and table is not None and fid in table.ids else None
        self.overlay.handles_of = geom if geom is not None and kind_of(lid, geom) in ("line", "polygon") else None
        self.overlay.update()

    def edited(self) -> None:
        self.select(self.current_layer, self.current)
        self.win.canvas.update()

    def bookmarks_changed(self) -> None:
        menu = self.win.bookmark_button.menu()
        if menu is None:
            return
        have = {a.data() for a in menu.actions()}
        for m in self.briefing.bookmarks:
            if m.id not in have:
                a = menu.addAction(m.title)
                a.setData(m.id)
                a.triggered.connect(lambda _=False, bid=m.id: self.win.go_to_bookmark(bid))
        ids = {m.id for m in self.briefing.bookmarks}
        for a in menu.actions():
            if a.data() and a.data() not in ids:
                menu.removeAction(a)
        # Ctrl+1…Ctrl+9 follow the briefing's order, as they will after reopening it: a bookmark
        # added now gets its key at once, and deleting one moves the keys of those after it.
        entries = {a.data(): a for a in menu.actions() if a.data()}
        for i, m in enumerate(self.briefing.bookmarks):
            if m.id in entries:
                entries[m.id].setShortcut(QKeySequence(f"Ctrl+{i + 1}") if i < 9 else QKeySequence())
        if hasattr(self.win, "bookmark_actions"):
            self.win.bookmark_actions = entries

    # ------------------------------------------------------------------ edits
    def _form(self, draft: FeatureDraft, title: str, kind: str = "point", note: str = "",
              error: str = "") -> tuple[FeatureDraft, tuple] | None:
        from briefmap.ui.editing.form import FeatureForm  # the form's widgets, set up when first used

        form = FeatureForm(self.briefing, draft, self.win, title, kind=kind, shape_note=note, shape_error=error)
        if not self.exec_form(form):
            return None
        return form.draft(), ((form.new_source,) if form.new_source and form.draft().source == form.new_source.id
                              else ())

    def exec_form(self, form: FeatureForm) -> bool:
        """Show the form; tests replace this to fill it in as a user would."""
        return form.exec() == form.DialogCode.Accepted

    def add_feature(self, kind: str, geom, note: str = "", error: str = "") -> str:
        """Ask for the new feature's names and provenance in the form, then add it (one command)."""
        spec = self.specs[NOTES_LAYER if kind == "note" else EDITS_LAYER]
        fields = usage_fields(self.briefing) if kind != "note" else ()
        where = geom if geom is not None and geom.geom_type == "Point" else (geom.centroid if geom else None)
        at = ""
        if where is not None:
            lon, lat = to_lonlat(where.x, where.y, self.briefing.crs)
            at = f" at {lat:.4f}°, {lon:.4f}°"
        # A user drawing several features from one report picks its source once: a new feature's
        # form starts on the source of the last one added (if an undo has not taken it away).
        last = self.last_source if self.last_source in self.briefing.sources else ""
        got = self._form(FeatureDraft(as_of=dt.date.today(), usages={f: "" for f in fields}, source=last),
                         f"New {WHAT[kind]}{at}", kind, note, error)
        if got is None or geom is None:
            return ""
        draft, new_sources = got
        self.last_source = draft.source
        before = self.table_of(spec.id)
        base = before or FeatureTable(spec.id, [], [], [])
        fid = new_feature_id(before, draft.name)
        after = with_feature(base, fid, geom, draft.properties(self.briefing))
        label = draft.name.strip() if kind != "note" else draft.name.strip()[:40]
        self.stack.push(TableCommand(self, f"Add {WHAT[kind]} “{label}”", spec, before, after, new_sources,
                                     select=fid))
        return fid

    def add_point(self, x: float, y: float) -> str:
        return self.add_feature("point", shapely.Point(x, y))

    def add_note(self, x: float, y: float) -> str:
        return self.add_feature("note", shapely.Point(x, y))

    def add_shape(self, kind: str, points: list[tuple[float, float]]) -> str:
        """A finished line or area: repaired (said on the form) or refused (the form says why)."""
        checked = shape_from_vertices(kind, points)
        return self.add_feature(kind, checked.geom, checked.note, checked.error)

    def edit_point(self, fid: str, lid: str = EDITS_LAYER) -> bool:
        table = self.table_of(lid)
        if table is None or fid not in table.ids:
            return False
        i = table.index(fid)
        kind = kind_of(lid, table.geometries[i])
        fields = usage_fields(self.briefing) if kind != "note" else ()
        got = self._form(FeatureDraft.from_properties(table.properties[i], fields),
                         f"Edit {WHAT[kind]} “{table.properties[i].get('name', fid)}”", kind)
        if got is None:
            return False
        draft, new_sources = got
        after = with_changed(table, fid, props=table.properties[i] | draft.properties(self.briefing))
        self.stack.push(TableCommand(self, f"Edit {WHAT[kind]} “{draft.name.strip()[:40]}”", self.specs[lid],
                                     table, after, new_sources, select=fid))
        return True

    def move_point(self, fid: str, x: float, y: float, lid: str = EDITS_LAYER) -> None:
        table = self.table_of(lid)
        i = table.index(fid)
        name = table.properties[i].get("name", fid)
        self.stack.push(TableCommand(self, f"Move {WHAT[kind_of(lid, table.geometries[i])]} “{name}”",
                                     self.specs[lid], table, with_changed(table, fid, geom=shapely.Point(x, y)),
                                     select=fid))

    def move_vertex(self, fid: str, part: int, index: int, x: float, y: float, lid: str = EDITS_LAYER) -> bool:
        """One dragged vertex of a line or area: one command; an outline it makes cross itself is repaired."""
        table = self.table_of(lid)
        i = table.index(fid)
        checked = checked_geometry(with_vertex_moved(table.geometries[i], part, index, x, y))
        if checked.geom is None:
            self.win.statusBar().showMessage(f"Not moved: {checked.error}", 10000)
            return False
        if checked.note:
            self.win.statusBar().showMessage(checked.note, 10000)
        name = table.properties[i].get("name", fid)
        self.stack.push(TableCommand(self, f"Reshape {WHAT[kind_of(lid, table.geometries[i])]} “{name}”",
                                     self.specs[lid], table, with_changed(table, fid, geom=checked.geom),
                                     select=fid))
        return True

    def delete(self, fid: str, lid: str = EDITS_LAYER) -> bool:
        table = self.table_of(lid)
        if not self.mode_action.isChecked() or table is None or fid not in table.ids:
            return False
        i = table.index(fid)
        name = table.properties[i].get("name", fid)
        self.stack.push(TableCommand(self, f"Delete {WHAT[kind_of(lid, table.geometries[i])]} “{name}”",
                                     self.specs[lid], table, without_feature(table, fid)))
        return True

    def add_bookmark(self, name: str | None = None) -> str:
        if name is None:
            name, ok = QInputDialog.getText(self.win, "Add bookmark", "Name of the bookmark for this view:")
            if not ok:
                return ""
        name = name.strip()
        if not name:
            self.win.statusBar().showMessage("A bookmark needs a name", 5000)
            return ""
        x0, y0, x1, y1 = self.win.canvas.map_renderer.extent()
        corners = [to_lonlat(x, y, self.briefing.crs) for x in (x0, x1) for y in (y0, y1)]
        lons, lats = [c[0] for c in corners], [c[1] for c in corners]
        bid = new_feature_id(None, name)
        taken = {m.id for m in self.briefing.bookmarks}
        n = 2
        while bid in taken:
            bid, n = f"{new_feature_id(None, name)}-{n}", n + 1
        bounds = (round(min(lons), 4), round(min(lats), 4), round(max(lons), 4), round(max(lats), 4))
        self.stack.push(BookmarkCommand(self, Bookmark(bid, name, bounds)))
        return bid
