"""Drawing lines, areas and text notes in Edit mode with real mouse clicks and keys, undo and
redo, reshaping by a vertex handle, a self-crossing outline repaired or refused on the
form, and what was drawn saved, reopened and on the exported sheet with its legend entry."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QToolBar

from briefmap.data.briefing import open_briefing, validate
from briefmap.data.paths import builtin_briefing_dir
from briefmap.data.projection import to_lonlat, to_map
from briefmap.data.writer import copy_folder
from briefmap.model.edits import EDITS_LAYER, LATER_LEGEND, NOTES_LAYER
from briefmap.ui.app import open_window, wait_for_paint
from tests.ui.test_editor import fill_form, open_folder, screen_pos
from tests.windows import shown

# Places inside Armenia's part of the built-in map (lon, lat): any spot on land will do.
A, B, C = (44.6, 40.3), (45.1, 40.0), (44.8, 39.7)


@pytest.fixture
def copy(tmp_path):
    folder = tmp_path / "caucasus"
    copy_folder(builtin_briefing_dir(), folder)
    return folder


@pytest.fixture(autouse=True)
def no_modal_boxes(monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)


def _with_factsheet(name: str):
    fill = fill_form(name, new_source=False)

    def run(form) -> bool:
        form.source.setCurrentIndex(form.source.findData("factsheet"))
        return fill(form)
    return run


def editing(qtbot, copy, settings, tool: str):
    win = open_folder(qtbot, copy, settings)
    ed = win.editor
    ed.mode_action.trigger()
    win.canvas.setFocus()
    ed.tool_actions[tool].trigger()
    return win, ed


def click(qtbot, win, lonlat) -> None:
    qtbot.mouseClick(win.canvas, Qt.MouseButton.LeftButton, pos=screen_pos(win, *lonlat))


def test_line_drawn_with_clicks_and_finished_with_enter_is_one_undoable_edit(qtbot, copy, settings, monkeypatch):
    win, ed = editing(qtbot, copy, settings, "line")
    assert ed.tool == "line" and ed.tool_actions["point"].isEnabled()
    monkeypatch.setattr(ed, "exec_form", _with_factsheet("Planned road"))
    for p in (A, B, C):
        click(qtbot, win, p)
    assert EDITS_LAYER not in win.model.layers and len(ed.overlay.sketch.points) == 3
    qtbot.keyClick(win.canvas, Qt.Key.Key_Backspace)  # the last vertex taken back
    assert len(ed.overlay.sketch.points) == 2
    qtbot.keyClick(win.canvas, Qt.Key.Key_Return)
    table = win.model.layers[EDITS_LAYER].table
    line = table.geometries[0]
    assert line.geom_type == "LineString" and len(line.coords) == 2
    ends = [to_lonlat(x, y, win.briefing.crs) for x, y in line.coords]
    assert abs(ends[0][0] - A[0]) < 0.05 and abs(ends[1][1] - B[1]) < 0.05
    assert ed.overlay.sketch is None and ed.stack.count() == 1
    assert ed.undo_action.text() == "Undo Add line “Planned road”"
    ed.undo_action.trigger()
    assert EDITS_LAYER not in win.model.layers
    ed.redo_action.trigger()
    assert win.model.layers[EDITS_LAYER].table.geometries[0].equals(line)


def test_escape_cancels_the_sketch_and_adds_nothing(qtbot, copy, settings):
    win, ed = editing(qtbot, copy, settings, "polygon")
    click(qtbot, win, A)
    click(qtbot, win, B)
    qtbot.keyClick(win.canvas, Qt.Key.Key_Escape)
    assert ed.overlay.sketch is None and ed.stack.count() == 0 and EDITS_LAYER not in win.model.layers


def test_area_finished_by_double_click_and_reshaped_by_its_handle(qtbot, copy, settings, monkeypatch):
    win, ed = editing(qtbot, copy, settings, "polygon")
    monkeypatch.setattr(ed, "exec_form", _with_factsheet("Survey area"))
    click(qtbot, win, A)
    click(qtbot, win, B)
    click(qtbot, win, C)
    qtbot.mouseDClick(win.canvas, Qt.MouseButton.LeftButton, pos=screen_pos(win, *C))
    area = win.model.layers[EDITS_LAYER].table.geometries[0]
    assert area.geom_type == "Polygon" and len(area.exterior.coords) == 4 and area.is_valid
    assert ed.stack.count() == 1
    # Selected after drawing: its three vertices have handles; drag the one at B 30 px down.
    assert len(ed.overlay.handles()) == 3
    at = screen_pos(win, *B)
    qtbot.mousePress(win.canvas, Qt.MouseButton.LeftButton, pos=at)
    qtbot.mouseMove(win.canvas, at + QPoint(0, 30))
    qtbot.mouseRelease(win.canvas, Qt.MouseButton.LeftButton, pos=at + QPoint(0, 30))
    reshaped = win.model.layers[EDITS_LAYER].table.geometries[0]
    assert ed.stack.count() == 2 and ed.undo_action.text() == "Undo Reshape area “Survey area”"
    moved = [to_lonlat(x, y, win.briefing.crs) for x, y in reshaped.exterior.coords]
    assert min(abs(lat - B[1]) for _lon, lat in moved) > 0.05  # B is no longer where it was
    assert sum(1 for p in moved[:-1] if abs(p[0] - A[0]) < 0.01 and abs(p[1] - A[1]) < 0.01) == 1  # A stays
    ed.undo_action.trigger()
    assert win.model.layers[EDITS_LAYER].table.geometries[0].equals(area)


def test_self_crossing_outline_is_repaired_and_the_form_says_so(qtbot, copy, settings, monkeypatch):
    win, ed = editing(qtbot, copy, settings, "polygon")
    seen = {}
    fill = _with_factsheet("Bow tie")

    def exec_form(form) -> bool:
        seen["note"] = form.shape_note.text()
        return fill(form)

    monkeypatch.setattr(ed, "exec_form", exec_form)
    crs = win.briefing.crs
    bow = [to_map(*p, crs) for p in ((44.5, 40.0), (45.0, 40.4), (45.0, 40.0), (44.5, 40.4))]
    assert ed.add_shape("polygon", bow)
    geom = win.model.layers[EDITS_LAYER].table.geometries[0]
    assert "crossed itself" in seen["note"] and "2 separate areas" in seen["note"]
    assert geom.is_valid and geom.geom_type == "MultiPolygon" and len(geom.geoms) == 2


def test_outline_without_area_is_refused_on_the_form(qtbot, copy, settings, monkeypatch):
    win, ed = editing(qtbot, copy, settings, "polygon")
    seen = {}

    def exec_form(form) -> bool:
        _with_factsheet("Flat")(form)
        seen["ok"] = form.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
        seen["says"] = form.problem_labels["shape"].text()
        return form.result() == form.DialogCode.Accepted

    monkeypatch.setattr(ed, "exec_form", exec_form)
    crs = win.briefing.crs
    x, y = to_map(44.5, 40.0, crs)
    for xy in ((x, y), (x + 10_000, y), (x + 20_000, y)):  # three vertices on one straight line
        ed.click(*xy)
    assert ed.finish_sketch() == ""
    assert seen["ok"] is False and "encloses no area" in seen["says"]
    assert EDITS_LAYER not in win.model.layers and ed.stack.count() == 0
    assert ed.overlay.sketch is not None and len(ed.overlay.sketch.points) == 3  # kept to go on drawing


def test_text_note_is_plain_text_on_the_map(qtbot, copy, settings, monkeypatch):
    win, ed = editing(qtbot, copy, settings, "note")
    text = "Talks $x^2$ <b>here</b>"
    seen = {}

    def exec_form(form) -> bool:
        seen["usages"] = len(form.usages)
        return _with_factsheet(text)(form)

    monkeypatch.setattr(ed, "exec_form", exec_form)
    click(qtbot, win, A)
    assert seen["usages"] == 0  # a note is the user's words, not a place name
    table = win.model.layers[NOTES_LAYER].table
    assert table.properties[0]["name"] == text and table.geometries[0].geom_type == "Point"
    assert ed.undo_action.text().startswith("Undo Add text note")
    win.canvas.layout_now()
    labels = win.canvas.map_renderer.layers[NOTES_LAYER].labels
    assert [lab.artist.get_text() for lab in labels] == [text]
    assert labels[0].artist.get_visible()


@pytest.mark.slow
def test_drawn_features_are_saved_reopened_and_on_the_sheet_with_the_legend(qtbot, copy, settings, monkeypatch,
                                                                           tmp_path):
    win, ed = editing(qtbot, copy, settings, "line")
    crs = win.briefing.crs
    monkeypatch.setattr(ed, "exec_form", _with_factsheet("Planned road"))
    ed.add_shape("line", [to_map(*A, crs), to_map(*B, crs)])
    # An area wide enough to carry its name on the sheet, in open country south of the Araxes.
    monkeypatch.setattr(ed, "exec_form", _with_factsheet("Survey area"))
    ed.add_shape("polygon", [to_map(*p, crs) for p in ((47.0, 38.4), (48.6, 38.6), (48.4, 37.4), (47.2, 37.5))])
    monkeypatch.setattr(ed, "exec_form", _with_factsheet("Talks resumed"))
    ed.add_note(*to_map(*C, crs))
    assert ed.save()
    assert [str(p) for p in validate(copy)] == []
    _b, tables = open_briefing(copy)
    assert [g.geom_type for g in tables[EDITS_LAYER].geometries] == ["LineString", "Polygon"]
    assert tables[NOTES_LAYER].properties[0]["name"] == "Talks resumed"
    later = f"{LATER_LEGEND} (as of {dt.date(2025, 1, 1).isoformat()})"  # fill_form's as_of, after the article

    from briefmap.cli import main

    svg = tmp_path / "sheet.svg"
    assert main(["export", "--briefing", str(copy), "-o", str(svg)]) == 0
    text = svg.read_text(encoding="utf-8")
    for words in ("Planned road", "Survey area", "Talks resumed", later):
        assert words in text, words


def test_an_edited_points_label_sits_beside_it_after_adding_and_moving(qtbot, copy, settings, monkeypatch):
    # Agarak (facts.md) is the most crowded corner of the built-in map: town, crossing, red line.
    win, ed = editing(qtbot, copy, settings, "point")
    monkeypatch.setattr(ed, "exec_form", _with_factsheet("Agarak: Armenian border guards"))
    win.go_to_bookmark(win.briefing.bookmarks[0].id)
    at = screen_pos(win, 46.19, 38.86)
    click(qtbot, win, (46.19, 38.86))
    for step in ("added", "moved"):
        win.canvas.layout_now()
        r = win.canvas.map_renderer
        box = r.label_report.boxes[(EDITS_LAYER, 0)]
        g = r.layers[EDITS_LAYER].table.geometries[0]
        px, py = r.ax.transData.transform([(g.x, g.y)])[0]
        gap = max(box[0] - px, px - box[2], 0.0), max(box[1] - py, py - box[3], 0.0)
        ratio = win.canvas.devicePixelRatioF()
        assert max(gap) <= 12 * ratio, (step, box, (px, py))  # beside its symbol, not across the map
        if step == "added":
            qtbot.mousePress(win.canvas, Qt.MouseButton.LeftButton, pos=at)
            qtbot.mouseMove(win.canvas, at + QPoint(-80, -50))
            qtbot.mouseRelease(win.canvas, Qt.MouseButton.LeftButton, pos=at + QPoint(-80, -50))


def test_missing_source_and_a_date_outside_the_range_block_the_form(qtbot, copy, settings, monkeypatch):
    win, ed = editing(qtbot, copy, settings, "line")
    seen = {}

    def exec_form(form) -> bool:
        form.name.setText("Planned road")
        for e in form.usages.values():
            e.setText("Planned road")
        form.source.setCurrentIndex(-1)  # nothing picked
        form.end_on.setChecked(True)
        form.end.setDate(dt.date(2999, 1, 1))
        seen["source"] = form.problem_labels["source"].text()
        seen["end"] = form.problem_labels["end"].text()
        seen["ok"] = form.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
        form.accept()
        return form.result() == form.DialogCode.Accepted

    monkeypatch.setattr(ed, "exec_form", exec_form)
    crs = win.briefing.crs
    assert ed.add_shape("line", [to_map(*A, crs), to_map(*B, crs)]) == ""
    assert "Pick a source" in seen["source"] and "outside the briefing's range" in seen["end"]
    assert seen["ok"] is False and EDITS_LAYER not in win.model.layers


def test_a_crash_after_drawing_leaves_lines_and_notes_to_restore(qtbot, copy, settings, monkeypatch):
    win, ed = editing(qtbot, copy, settings, "line")
    crs = win.briefing.crs
    monkeypatch.setattr(ed, "exec_form", _with_factsheet("Planned road"))
    ed.add_shape("line", [to_map(*A, crs), to_map(*B, crs)])
    monkeypatch.setattr(ed, "exec_form", _with_factsheet("Talks resumed"))
    ed.add_note(*to_map(*C, crs))
    assert ed.write_recovery() is not None
    ed.stack.setClean()  # the crash: gone without saving
    win.close()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    again = open_folder(qtbot, copy, settings)
    assert again.editor.offer_recovery()
    line = again.model.layers[EDITS_LAYER].table.geometries[0]
    assert line.geom_type == "LineString"
    assert abs(to_lonlat(*line.coords[0], crs)[0] - A[0]) < 1e-4
    assert again.model.layers[NOTES_LAYER].table.properties[0]["name"] == "Talks resumed"
    again.editor.undo_action.trigger()
    assert EDITS_LAYER not in again.model.layers and NOTES_LAYER not in again.model.layers


def test_moving_as_of_back_before_the_article_unmarks_a_later_feature(qtbot, copy, settings, monkeypatch):
    win, ed = editing(qtbot, copy, settings, "point")
    crs = win.briefing.crs
    monkeypatch.setattr(ed, "exec_form", _with_factsheet("Agarak crossing"))  # as of 2025-01-01: later
    fid = ed.add_point(*to_map(46.19, 38.86, crs))
    assert win.model.layers[EDITS_LAYER].table.properties[0]["after_article"] == "yes"
    article = win.briefing.article_as_of

    def earlier(form) -> bool:
        form.as_of.setDate(article - dt.timedelta(days=30))
        form.end_on.setChecked(True)
        form.end.setDate(article + dt.timedelta(days=30))  # only its end came later
        form.accept()
        return form.result() == form.DialogCode.Accepted

    monkeypatch.setattr(ed, "exec_form", earlier)
    assert ed.edit_point(fid)
    assert win.model.layers[EDITS_LAYER].table.properties[0]["after_article"] == "end"
    assert ed.save()
    assert [str(p) for p in validate(copy)] == []


def test_tools_wait_for_edit_mode_and_delete_takes_a_selected_area(qtbot, copy, settings, monkeypatch):
    win = open_folder(qtbot, copy, settings)
    ed = win.editor
    assert not any(a.isEnabled() for a in ed.tool_actions.values())  # off by default
    edit_menu = next(a.menu() for a in win.menuBar().actions() if a.menu() and a.text().replace("&", "") == "Edit")
    tools = next(a.menu() for a in edit_menu.actions() if a.menu() and "Drawing" in a.text())
    assert [a.text().replace("&", "") for a in tools.actions()] == ["Point", "Line", "Area", "Text note"]
    ed.mode_action.trigger()
    assert all(a.isEnabled() for a in ed.tool_actions.values())
    monkeypatch.setattr(ed, "exec_form", _with_factsheet("Survey area"))
    crs = win.briefing.crs
    ed.add_shape("polygon", [to_map(*p, crs) for p in (A, B, C)])
    inside = ((A[0] + B[0] + C[0]) / 3, (A[1] + B[1] + C[1]) / 3)
    ed.select(EDITS_LAYER, "")
    click(qtbot, win, inside)  # a click on the area selects it (and adds nothing)
    assert ed.current == "survey-area" and ed.stack.count() == 1
    ed.delete_action.trigger()
    assert EDITS_LAYER not in win.model.layers or not len(win.model.layers[EDITS_LAYER].table)
    assert ed.undo_action.text() == "Undo Delete area “Survey area”"


def test_the_drawing_tools_are_in_sight_on_a_narrow_window(qtbot, copy, settings):
    """Edit mode, Point, Line, Area and Text note are on the screen (not in a toolbar's overflow
    menu) even where the briefing toolbar is full, and turning Edit mode on does not move the map."""
    win = open_folder(qtbot, copy, settings)
    win.resize(1400, 900)
    wait_for_paint(win)
    ed = win.editor
    extent = win.canvas.map_renderer.extent()
    ed.mode_action.trigger()
    qtbot.wait(20)
    for name, action in [("edit mode", ed.mode_action), *ed.tool_actions.items()]:
        bars = [o for o in action.associatedObjects() if isinstance(o, QToolBar)]
        shown_on = [b for b in bars if b.widgetForAction(action).isVisible()
                    and b.rect().contains(b.widgetForAction(action).geometry())]
        assert shown_on and action.isEnabled(), name
    assert win.canvas.map_renderer.extent() == extent


def test_a_window_layout_saved_before_the_drawing_row_still_shows_the_row(qtbot, copy, settings):
    """The window remembers its toolbars; one remembered from before the drawing toolbar had a
    row of its own does not put the tools back beside the briefing toolbar."""
    b, t = open_briefing(copy)
    first = shown(qtbot, open_window(b, t, settings, restore=False))
    first.removeToolBarBreak(first.editor.draw_toolbar)
    settings.setValue("window/state", first.saveState())
    settings.setValue("window/geometry", first.saveGeometry())
    settings.sync()
    b, t = open_briefing(copy)
    again = shown(qtbot, open_window(b, t, settings))
    assert again.toolBarBreak(again.editor.draw_toolbar)
    assert again.editor.draw_toolbar.y() > again.toolbar.y()
