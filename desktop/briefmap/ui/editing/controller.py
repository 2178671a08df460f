"""The Edit mode: click to add a point, drag to move it, Delete to remove it, double-click
to edit it in the form; every edit is a command on one QUndoStack. Saving, Save As, the
modified marker, the prompt on close, the recovery file every minute and the offer to
restore it after a crash live here too.

The canvas keeps its own gestures (pan, zoom, identify); in Edit mode an event filter takes
the presses that land on an edited point and the clicks on empty map.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import shapely
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QDockWidget, QFileDialog, QInputDialog, QMessageBox, QUndoView

from briefmap.data.edits_file import find_recovery, prepared, save, store_recovery
from briefmap.data.errors import BriefingError
from briefmap.data.projection import to_lonlat
from briefmap.data.recovery import RecoveryError, recovery_path
from briefmap.data.writer import ReadOnlyBriefing, check_writable
from briefmap.model.briefing import Bookmark
from briefmap.model.edits import (
    EDITS_LAYER,
    EDITS_STYLE,
    FeatureDraft,
    draft_problems,
    edits_spec,
    edits_style,
    new_feature_id,
    usage_fields,
    with_changed,
    with_feature,
    without_feature,
)
from briefmap.model.features import FeatureTable
from briefmap.ui.editing.commands import BookmarkCommand, RestoreCommand, TableCommand
from briefmap.ui.editing.form import FeatureForm

AUTOSAVE_MS = 60_000


class EditController(QObject):
    def __init__(self, window, state_dir: Path | None = None):
        super().__init__(window)
        self.win = window
        self.model = window.model
        self.briefing = window._briefing  # sources and bookmarks are edited here; layers in the model
        self.state_dir = state_dir
        self.current = ""  # id of the edited point the user last touched
        self._press = None
        existing = next((s for s in self.briefing.layers if s.id == EDITS_LAYER), None)
        self.spec = existing or edits_spec(self.model.layers.top_order() + 1)
        self.model.layers.styles.setdefault(EDITS_STYLE, edits_style())
        self.stack = QUndoStack(self)
        self.stack.cleanChanged.connect(lambda clean: window.setWindowModified(not clean))
        self._build_actions()
        self._update_title()
        window.canvas.installEventFilter(self)
        window.installEventFilter(self)
        self.autosave = QTimer(self)
        self.autosave.setInterval(AUTOSAVE_MS)
        self.autosave.timeout.connect(self.write_recovery)
        self.autosave.start()

    # ------------------------------------------------------------------ actions
    def _build_actions(self) -> None:
        win = self.win
        menus = {m.title().replace("&", ""): m for m in (a.menu() for a in win.menuBar().actions()) if m is not None}
        edit = menus.get("Edit") or win.menuBar().addMenu("&Edit")
        first = edit.actions()[0] if edit.actions() else None
        self.undo_action = self.stack.createUndoAction(win, "Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.stack.createRedoAction(win, "Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence.StandardKey.Redo])
        self.mode_action = QAction("Edit &mode", win, checkable=True)
        self.mode_action.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.mode_action.setToolTip("Edit mode: click to add a point, drag to move it, Delete removes it, "
                                    "double-click edits it")
        self.mode_action.toggled.connect(self._mode_toggled)
        self.delete_action = QAction("&Delete point", win)
        self.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.delete_action.triggered.connect(lambda: self.delete(self.current))
        win.canvas.addAction(self.delete_action)
        self.bookmark_action = QAction("Add &bookmark from this view…", win)
        self.bookmark_action.setShortcut(QKeySequence("Ctrl+D"))
        self.bookmark_action.triggered.connect(lambda: self.add_bookmark())
        for a in (self.undo_action, self.redo_action, None, self.mode_action, self.delete_action, self.bookmark_action,
                  None):
            if a is None:
                edit.insertSeparator(first) if first else edit.addSeparator()
            else:
                edit.insertAction(first, a) if first else edit.addAction(a)
        self.history = QUndoView(self.stack)
        self.history.setEmptyLabel("Opened")
        self.history_dock = QDockWidget("Edit history", win)
        self.history_dock.setObjectName("history-dock")
        self.history_dock.setWidget(self.history)
        win.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.history_dock)
        self.history_dock.hide()
        edit.insertAction(first, self.history_dock.toggleViewAction()) if first else \
            edit.addAction(self.history_dock.toggleViewAction())
        file = menus.get("File")
        self.save_action = QAction("&Save", win)
        self.save_action.setShortcut(QKeySequence.StandardKey.Save)
        self.save_action.triggered.connect(lambda: self.save())
        self.save_as_action = QAction("Save &as…", win)
        self.save_as_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.save_as_action.triggered.connect(lambda: self.save(ask_folder=True))
        if file is not None:
            anchor = next((a for a in file.actions() if a.isSeparator()), None)
            for a in (self.save_action, self.save_as_action):
                file.insertAction(anchor, a) if anchor else file.addAction(a)
        win.toolbar.addSeparator()
        win.toolbar.addAction(self.mode_action)

    def _mode_toggled(self, on: bool) -> None:
        self.win.canvas.setCursor(Qt.CursorShape.CrossCursor if on else Qt.CursorShape.ArrowCursor)
        self.win.statusBar().showMessage(
            "Edit mode: click the map to add a point; drag a red point to move it; Delete removes it" if on
            else "Edit mode off", 8000)

    def _update_title(self) -> None:
        self.win.setWindowTitle(f"{self.briefing.title} [*]— briefmap")

    # ------------------------------------------------------------------ the editable layer
    @property
    def table(self) -> FeatureTable | None:
        layer = self.model.layers.get(self.spec.id)
        return layer.table if layer is not None else None

    def edited(self) -> None:
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

    def _form(self, draft: FeatureDraft, title: str) -> tuple[FeatureDraft, tuple] | None:
        form = FeatureForm(self.briefing, draft, self.win, title)
        if not self.exec_form(form):
            return None
        return form.draft(), ((form.new_source,) if form.new_source and form.draft().source == form.new_source.id
                              else ())

    def exec_form(self, form: FeatureForm) -> bool:
        """Show the form; tests replace this to fill it in as a user would."""
        return form.exec() == FeatureForm.DialogCode.Accepted

    def add_point(self, x: float, y: float) -> str:
        lon, lat = to_lonlat(x, y, self.briefing.crs)
        got = self._form(FeatureDraft(as_of=dt.date.today(), usages={f: "" for f in usage_fields(self.briefing)}),
                         f"New point at {lat:.4f}°, {lon:.4f}°")
        if got is None:
            return ""
        draft, new_sources = got
        before = self.table
        base = before or FeatureTable(self.spec.id, [], [], [])
        fid = new_feature_id(before, draft.name)
        after = with_feature(base, fid, shapely.Point(x, y), draft.properties(self.briefing))
        self.stack.push(TableCommand(self, f"Add point “{draft.name.strip()}”", self.spec, before, after,
                                     new_sources, select=fid))
        return fid

    def edit_point(self, fid: str) -> bool:
        table = self.table
        if table is None or fid not in table.ids:
            return False
        i = table.index(fid)
        got = self._form(FeatureDraft.from_properties(table.properties[i], usage_fields(self.briefing)),
                         f"Edit point “{table.properties[i].get('name', fid)}”")
        if got is None:
            return False
        draft, new_sources = got
        after = with_changed(table, fid, props=table.properties[i] | draft.properties(self.briefing))
        self.stack.push(TableCommand(self, f"Edit point “{draft.name.strip()}”", self.spec, table, after,
                                     new_sources, select=fid))
        return True

    def move_point(self, fid: str, x: float, y: float) -> None:
        table = self.table
        name = table.properties[table.index(fid)].get("name", fid)
        self.stack.push(TableCommand(self, f"Move point “{name}”", self.spec, table,
                                     with_changed(table, fid, geom=shapely.Point(x, y)), select=fid))

    def delete(self, fid: str) -> bool:
        table = self.table
        if not self.mode_action.isChecked() or table is None or fid not in table.ids:
            return False
        name = table.properties[table.index(fid)].get("name", fid)
        self.stack.push(TableCommand(self, f"Delete point “{name}”", self.spec, table, without_feature(table, fid)))
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

    # ------------------------------------------------------------------ pointing
    def _edit_hit(self, pos) -> str:
        r = self.win.canvas.map_renderer
        x, y = self.win.canvas.data_at(pos)
        for lid, i in r.hits(x, y, self.win.canvas.tolerance(8.0)) or []:
            if lid == self.spec.id:
                return r.layers[lid].table.ids[i]
        return ""

    def eventFilter(self, obj, event) -> bool:
        if obj is self.win and event.type() == QEvent.Type.Close:
            return not self.may_close()
        if obj is not self.win.canvas or not self.mode_action.isChecked():
            return False
        kind = event.type()
        if kind == QEvent.Type.MouseButtonDblClick and event.button() == Qt.MouseButton.LeftButton:
            fid = self._edit_hit(event.position().toPoint())
            if fid:
                self._press = None
                self.edit_point(fid)
                return True
        if kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
            pos = event.position().toPoint()
            fid = self._edit_hit(pos)
            self._press = (pos, fid)
            if fid:
                self.current = fid
                return True  # the press starts a move, not a pan
            return False
        if kind == QEvent.Type.MouseButtonRelease and event.button() == Qt.MouseButton.LeftButton and self._press:
            start, fid = self._press
            self._press = None
            pos = event.position().toPoint()
            moved = (pos - start).manhattanLength() > 3
            if fid:
                if moved:
                    self.move_point(fid, *self.win.canvas.data_at(pos))
                return True
            if not moved:
                # A click on empty map adds a point; the canvas's own press is forgotten so
                # it neither pans nor identifies.
                self.win.canvas._drag = None
                self.add_point(*self.win.canvas.data_at(pos))
                return True
        return False

    # ------------------------------------------------------------------ saving
    def problems(self) -> list[str]:
        """Every edited feature's problems, named by feature and field."""
        out = []
        table = self.table
        for fid, props in zip(table.ids, table.properties, strict=True) if table else ():
            draft = FeatureDraft.from_properties(props, usage_fields(self.briefing))
            for field_name, why in draft_problems(draft, self.briefing, set(self.briefing.sources)).items():
                out.append(f"{self.spec.id}/{fid}, {field_name}: {why}")
        return out

    def summary(self) -> str:
        start = max(self.stack.cleanIndex(), 0)
        texts = [self.stack.text(i) for i in range(start, self.stack.index())]
        return "; ".join(texts) or "Saved without changes"

    def _to_save(self):
        b = self.win.briefing
        table = self.table
        specs = [self.spec] if table is not None and len(table) else []
        return prepared(b, specs), ({self.spec.id: table} if specs else {})

    def save(self, ask_folder: bool = False, folder: Path | None = None) -> bool:
        problems = self.problems()
        if problems:
            self.win.show_problems("Cannot save: some edits are incomplete", problems)
            return False
        b, tables = self._to_save()
        old_root = Path(b.root)
        if folder is None:
            try:
                check_writable(old_root)
            except ReadOnlyBriefing as exc:
                self.win.statusBar().showMessage(str(exc), 10000)
                ask_folder = True
            if ask_folder:
                folder = self.ask_folder()
                if folder is None:
                    return False
        try:
            version = save(b, tables, self.summary(), folder)
        except (OSError, ReadOnlyBriefing) as exc:
            self.win.show_problems("Cannot save the briefing", [str(exc)])
            return False
        except BriefingError as exc:
            # Refused: nothing on disk changed and the edits stay, unsaved, in the window.
            self.win.show_problems("Cannot save: the briefing would not validate", [str(p) for p in exc.problems])
            return False
        self.briefing.root, self.briefing.version = b.root, version
        self.briefing.layers = b.layers
        self.briefing.scenarios = b.scenarios
        for root in {old_root, Path(b.root)}:
            recovery_path(root, self.state_dir).unlink(missing_ok=True)
        self.stack.setClean()
        self.win.statusBar().showMessage(f"Saved {b.root} (version {version})", 10000)
        return True

    def ask_folder(self) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self.win, "Save the briefing as a new folder",
                                              str(Path.home() / f"{self.briefing.id}-copy"))
        return Path(path) if path else None

    def write_recovery(self) -> Path | None:
        if self.stack.isClean():
            return None
        b, tables = self._to_save()
        return store_recovery(b, tables, self.summary(), self.state_dir)

    def offer_recovery(self) -> bool:
        """After a crash: offer to bring back the edits this folder's recovery file holds."""
        try:
            found = find_recovery(self.briefing, [self.spec], self.state_dir)
        except (RecoveryError, KeyError, ValueError, OSError) as exc:
            self.win.statusBar().showMessage(f"A recovery file could not be read: {exc}", 15000)
            return False
        if found is None:
            return False
        when = found.recovery.saved_at.strftime("%Y-%m-%d %H:%M")
        answer = QMessageBox.question(
            self.win, "Restore unsaved edits?",
            f"briefmap did not close normally. Edits to this briefing from {when} were not saved:\n\n"
            f"{found.recovery.summary}\n\nRestore them?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
        if answer != QMessageBox.StandardButton.Yes:
            found.recovery.path.unlink(missing_ok=True)
            return False
        self.stack.beginMacro("Restore unsaved edits")
        self.stack.push(RestoreCommand(self, self.spec, self.table, found.tables.get(self.spec.id),
                                       found.sources, found.bookmarks))
        if hasattr(self.win, "content_editing"):  # timeline, bookmarks, panels, scenarios
            self.win.content_editing.restore(found.recovery)
        self.stack.endMacro()
        return True

    def may_close(self) -> bool:
        if self.stack.isClean():
            return True
        answer = QMessageBox.question(
            self.win, "Unsaved edits", "The briefing has edits that are not saved. Save them before closing?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Cancel:
            return False
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        recovery_path(Path(self.briefing.root), self.state_dir).unlink(missing_ok=True)
        self.stack.setClean()
        return True
