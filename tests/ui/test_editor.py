"""The editor as a user drives it: Edit mode, a point added with a new source through the
form, undo, redo, a move, Save As from the built-in briefing, reopen, validate, export; a
crash that leaves a recovery file; a form that refuses an empty name."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from briefmap.data.briefing import open_briefing, validate
from briefmap.data.catalog import CATALOG
from briefmap.data.paths import builtin_briefing_dir
from briefmap.data.projection import to_lonlat, to_map
from briefmap.data.writer import copy_folder
from briefmap.model.edits import EDITS_LAYER
from briefmap.ui.app import open_window, wait_for_paint
from briefmap.ui.editing.source_field import NEW_SOURCE
from tests.windows import shown

AGARAK = (46.19, 38.86)  # lon, lat (facts.md)


@pytest.fixture(autouse=True)
def no_modal_boxes(monkeypatch):
    """A message box would wait for a person: questions are answered Discard, warnings kept."""
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    monkeypatch.setattr(QMessageBox, "warning", lambda _w, title, text, *a: warned.append(f"{title}: {text}"))
    return warned


def screen_pos(win, lon: float, lat: float) -> QPoint:
    x, y = to_map(lon, lat, win.briefing.crs)
    x0, y0, x1, y1 = win.canvas.map_renderer.extent()
    return QPoint(round((x - x0) / (x1 - x0) * win.canvas.width()), round((y1 - y) / (y1 - y0) * win.canvas.height()))


def fill_form(name: str, *, new_source: bool = True, usage: str | None = None):
    """What a user types into the form; returns the replacement for EditController.exec_form."""
    def exec_form(form) -> bool:
        form.name.setText(name)
        for edit in form.usages.values():
            edit.setText(usage if usage is not None else name)
        form.as_of.setDate(dt.date(2025, 1, 1))
        form.confidence.setCurrentText("approximate")
        if new_source:
            form.source.setCurrentIndex(form.source.findData(NEW_SOURCE))
            form.src_title.setText("Russian border guards leave the Agarak crossing")
            form.src_publisher.setText("Armenpress")
            form.src_url.setText("https://armenpress.am/")
            form.src_date.setText("2025-01-01")
        form.accept()
        return form.result() == form.DialogCode.Accepted
    return exec_form


def open_folder(qtbot, folder, settings):
    b, t = open_briefing(folder)
    win = open_window(b, t, settings, restore=False)
    return shown(qtbot, win)


@pytest.fixture
def copy(tmp_path):
    folder = tmp_path / "caucasus"
    copy_folder(builtin_briefing_dir(), folder)
    return folder


@pytest.mark.slow
def test_add_undo_redo_move_save_reopen_export(qtbot, tmp_path, settings, monkeypatch, no_modal_boxes):
    # The built-in briefing is read-only: Save asks for a new folder.
    b, t = open_briefing(builtin_briefing_dir())
    win = open_window(b, t, settings, restore=False)
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    wait_for_paint(win)
    ed = win.editor
    assert not ed.mode_action.isChecked()
    win.go_to_bookmark(b.bookmarks[0].id)
    at = screen_pos(win, *AGARAK)
    # Off by default: a click identifies, it adds nothing.
    qtbot.mouseClick(win.canvas, Qt.MouseButton.LeftButton, pos=at)
    assert EDITS_LAYER not in win.model.layers

    ed.mode_action.trigger()
    monkeypatch.setattr(ed, "exec_form", fill_form("Agarak: Armenian border guards"))
    qtbot.mouseClick(win.canvas, Qt.MouseButton.LeftButton, pos=at)
    layer = win.model.layers[EDITS_LAYER]
    assert layer.visible and layer.table.properties[0]["name"] == "Agarak: Armenian border guards"
    source = layer.table.properties[0]["source"]
    assert b.sources[source].publisher == "Armenpress"
    assert win.isWindowModified() and "[*]" in win.windowTitle()
    assert ed.undo_action.text() == "Undo Add point “Agarak: Armenian border guards”"

    win.editor.undo_action.trigger()
    assert EDITS_LAYER not in win.model.layers and source not in b.sources
    assert not win.isWindowModified(), no_modal_boxes
    ed.redo_action.trigger()
    assert EDITS_LAYER in win.model.layers and source in b.sources

    # Drag the point 40 px to the east.
    fid = win.model.layers[EDITS_LAYER].table.ids[0]
    qtbot.mousePress(win.canvas, Qt.MouseButton.LeftButton, pos=at)
    qtbot.mouseMove(win.canvas, at + QPoint(40, 0))
    qtbot.mouseRelease(win.canvas, Qt.MouseButton.LeftButton, pos=at + QPoint(40, 0))
    moved = win.model.layers[EDITS_LAYER].table.geometries[0]
    lon, lat = to_lonlat(moved.x, moved.y, win.briefing.crs)
    assert lon > AGARAK[0] + 0.05 and abs(lat - AGARAK[1]) < 0.02
    ed.undo_action.trigger()  # the move is undone; the point is back where it was added
    back = win.model.layers[EDITS_LAYER].table.geometries[0]
    assert abs(to_lonlat(back.x, back.y, win.briefing.crs)[0] - AGARAK[0]) < 0.02

    target = tmp_path / "saved"
    monkeypatch.setattr(ed, "ask_folder", lambda: target)
    assert ed.save_action.shortcut().toString() == "Ctrl+S"
    ed.save_action.trigger()
    assert not win.isWindowModified(), no_modal_boxes
    assert (target / "layers" / "edits.geojson").is_file()
    catalog = (target / CATALOG).read_text(encoding="utf-8")
    assert re.search(r'version = "1\.\d+\.\d+"', catalog) and "Add point “Agarak: Armenian border guards”" in catalog
    assert (builtin_briefing_dir() / "layers" / "edits.geojson").exists() is False

    assert [str(p) for p in validate(target)] == []
    _b2, t2 = open_briefing(target)
    assert t2[EDITS_LAYER].ids == [fid]
    assert t2[EDITS_LAYER].properties[0]["after_article"] == "yes"

    from briefmap.cli import main

    svg = tmp_path / "sheet.svg"
    assert main(["export", "--briefing", str(target), "-o", str(svg)]) == 0
    text = svg.read_text(encoding="utf-8")
    assert "Agarak: Armenian border guards" in text


def test_crash_leaves_a_recovery_that_a_new_window_restores(qtbot, copy, settings, monkeypatch):
    win = open_folder(qtbot, copy, settings)
    ed = win.editor
    ed.mode_action.trigger()
    monkeypatch.setattr(ed, "exec_form", _with_source(fill_form("Agarak crossing", new_source=False), "factsheet"))
    assert ed.add_point(*to_map(*AGARAK, win.briefing.crs))
    bid = ed.add_bookmark("Southern border")
    path = ed.write_recovery()  # what the minute timer does
    assert path is not None and path.is_file()
    # The crash: the window goes without asking and without saving.
    ed.stack.setClean()
    win.close()

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    again = open_folder(qtbot, copy, settings)
    assert EDITS_LAYER not in again.model.layers
    assert again.editor.offer_recovery()
    table = again.model.layers[EDITS_LAYER].table
    assert table.properties[0]["name"] == "Agarak crossing"
    assert bid in {m.id for m in again.briefing.bookmarks}
    assert again.isWindowModified()
    assert again.editor.save()
    assert not path.exists()
    assert open_briefing(copy)[1][EDITS_LAYER].properties[0]["name"] == "Agarak crossing"


def _with_source(exec_form, source_id: str):
    def run(form) -> bool:
        form.source.setCurrentIndex(form.source.findData(source_id))
        return exec_form(form)
    return run


def test_empty_name_blocks_the_form_and_nothing_is_added(qtbot, copy, settings, monkeypatch):
    win = open_folder(qtbot, copy, settings)
    ed = win.editor
    ed.mode_action.trigger()
    seen = {}

    def exec_form(form) -> bool:
        form.source.setCurrentIndex(form.source.findData("factsheet"))
        form.name.setText("   ")
        ok = form.buttons.button(QDialogButtonBox.StandardButton.Ok)
        seen["ok"] = ok.isEnabled()
        seen["says"] = form.problem_labels["name"].text()
        form.as_of.setDate(dt.date(1900, 1, 1))
        seen["date"] = form.problem_labels["as_of"].text()
        form.accept()
        return form.result() == form.DialogCode.Accepted

    monkeypatch.setattr(ed, "exec_form", exec_form)
    assert ed.add_point(*to_map(*AGARAK, win.briefing.crs)) == ""
    assert seen["ok"] is False and "name is required" in seen["says"]
    assert "outside the briefing's range" in seen["date"]
    assert EDITS_LAYER not in win.model.layers and ed.stack.count() == 0


def test_bookmark_from_the_view_is_undoable_and_saved(qtbot, copy, settings, monkeypatch):
    win = open_folder(qtbot, copy, settings)
    ed = win.editor
    before = len(win.briefing.bookmarks)
    monkeypatch.setattr("briefmap.ui.editing.controller.QInputDialog.getText", lambda *a, **k: ("Syunik", True))
    assert ed.bookmark_action.shortcut().toString() == "Ctrl+D"
    ed.bookmark_action.trigger()
    assert [m.title for m in win.briefing.bookmarks][-1] == "Syunik"
    assert "Syunik" in [a.text() for a in win.bookmark_button.menu().actions()]
    ed.undo_action.trigger()
    assert len(win.briefing.bookmarks) == before
    ed.redo_action.trigger()
    assert ed.save()
    b2, _ = open_briefing(copy)
    assert "Syunik" in [m.title for m in b2.bookmarks]


def test_a_bookmark_added_or_deleted_keeps_the_ctrl_number_keys_in_order(qtbot, copy, settings, monkeypatch):
    """A bookmark added with Ctrl+D gets the next Ctrl+number at once (not only after reopening),
    and the Bookmarks button's menu offers adding one where a user looks for it."""
    win = open_folder(qtbot, copy, settings)
    ed = win.editor
    menu = win.bookmark_button.menu()
    monkeypatch.setattr("briefmap.ui.editing.controller.QInputDialog.getText",
                        lambda *a, **k: ("Example view", True))
    ed.bookmark_action.trigger()
    n = len(win.briefing.bookmarks)
    added = next(a for a in menu.actions() if a.text() == "Example view")
    assert added.shortcut().toString() == f"Ctrl+{n}"
    assert win.bookmark_actions[added.data()] is added
    assert ed.bookmark_action in menu.actions()
    # The key works: Ctrl+n from the map frames the new bookmark's view.
    win.editor.bookmark_action.trigger()  # a second one, so the keys after a deletion can move
    win.canvas.setFocus()
    win.go_to_bookmark(win.briefing.default_bookmark)
    before = win.canvas.map_renderer.extent()
    qtbot.keyClick(win.canvas, Qt.Key.Key_0 + n, Qt.KeyboardModifier.ControlModifier)
    assert win.canvas.map_renderer.extent() != before
    # Deleting a bookmark before it moves its key down, as reopening the briefing would.
    free = next(m for m in win.briefing.bookmarks if m.id != win.briefing.default_bookmark
                and all(s.bookmark != m.id for s in win.briefing.scenarios))
    assert win.content_editing.bookmarks.delete(free.id)
    keys = {a.data(): a.shortcut().toString() for a in menu.actions() if a.data()}
    assert keys == {m.id: f"Ctrl+{i + 1}" for i, m in enumerate(win.briefing.bookmarks)}
    ed.undo_action.trigger()
    keys = {a.data(): a.shortcut().toString() for a in menu.actions() if a.data()}
    assert keys == {m.id: f"Ctrl+{i + 1}" for i, m in enumerate(win.briefing.bookmarks)}


def test_the_next_feature_form_starts_on_the_source_just_used(qtbot, copy, settings, monkeypatch):
    """Several features drawn from one report: its source is picked (or made) once; the next
    form starts on it; once an undo takes the new source away, the form starts empty again."""
    win = open_folder(qtbot, copy, settings)
    win.resize(1400, 900)
    ed = win.editor
    win.go_to_bookmark(win.briefing.bookmarks[0].id)
    ed.mode_action.trigger()
    monkeypatch.setattr(ed, "exec_form", fill_form("Agarak: Armenian border guards"))
    qtbot.mouseClick(win.canvas, Qt.MouseButton.LeftButton, pos=screen_pos(win, *AGARAK))
    made = win.model.layers[EDITS_LAYER].table.properties[0]["source"]
    assert win.briefing.sources[made].publisher == "Armenpress"

    seen: list[tuple[str, bool]] = []

    def look_and_cancel(form) -> bool:
        seen.append((form.source.currentData(), form.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()))
        form.reject()
        return False

    monkeypatch.setattr(ed, "exec_form", look_and_cancel)
    kapan = screen_pos(win, 46.42, 39.20)  # facts.md; far enough from the first point not to pick it
    qtbot.mouseClick(win.canvas, Qt.MouseButton.LeftButton, pos=kapan)
    assert seen[-1][0] == made
    ed.undo_action.trigger()  # the point and the source it brought are gone
    assert made not in win.briefing.sources
    qtbot.mouseClick(win.canvas, Qt.MouseButton.LeftButton, pos=kapan)
    assert seen[-1] == (None, False)


def test_the_title_bar_marks_unsaved_changes_after_the_title(qtbot, copy, settings, monkeypatch):
    """What the window system shows: "Title* — briefmap" with changes, "Title — briefmap" without."""
    win = open_folder(qtbot, copy, settings)
    title = win.briefing.title
    assert win.windowHandle().title() == f"{title} — briefmap"
    monkeypatch.setattr("briefmap.ui.editing.controller.QInputDialog.getText", lambda *a, **k: ("Example view", True))
    win.editor.bookmark_action.trigger()
    assert win.windowHandle().title() == f"{title}* — briefmap"
    win.editor.undo_action.trigger()
    assert win.windowHandle().title() == f"{title} — briefmap"


def test_delete_removes_the_point_only_in_edit_mode(qtbot, copy, settings, monkeypatch):
    win = open_folder(qtbot, copy, settings)
    ed = win.editor
    ed.mode_action.trigger()
    monkeypatch.setattr(ed, "exec_form", _with_source(fill_form("Agarak crossing", new_source=False), "factsheet"))
    fid = ed.add_point(*to_map(*AGARAK, win.briefing.crs))
    assert ed.delete_action.shortcut().toString() == "Del"
    ed.mode_action.trigger()  # off: Delete does nothing to the map
    ed.delete_action.trigger()
    assert fid in win.model.layers[EDITS_LAYER].table.ids
    ed.mode_action.trigger()
    ed.delete_action.trigger()
    assert fid not in win.model.layers[EDITS_LAYER].table.ids
    assert ed.undo_action.text() == "Undo Delete point “Agarak crossing”"
    ed.undo_action.trigger()
    assert fid in win.model.layers[EDITS_LAYER].table.ids
