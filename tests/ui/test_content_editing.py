"""Editing a briefing's words and structure in the window, as a user does it: a timeline
event through its form (undo, redo, save, reopen, validate), bookmarks renamed and deleted,
a panel's Markdown with its preview and link picker, a scenario's layers; each undoable,
saved, and brought back from a recovery file."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from briefmap.data.briefing import open_briefing, validate
from briefmap.data.catalog import CATALOG
from briefmap.data.paths import builtin_briefing_dir
from briefmap.data.writer import copy_folder
from briefmap.ui.app import open_window
from briefmap.ui.briefing_text import event_line
from briefmap.ui.editing.source_field import NEW_SOURCE
from tests.windows import shown

# A development after the article, worded from the fact sheet (facts.md, 2025-08-08).
APPEAL = dict(date="2025-08-08", title="Joint appeal to close the Minsk process",
              text="At the White House, Aliyev and Pashinyan make a joint appeal to close the Minsk process.",
              source="factsheet", feature="later_developments/minsk-closure-2025")


@pytest.fixture
def copy(tmp_path):
    folder = tmp_path / "caucasus"
    copy_folder(builtin_briefing_dir(), folder)
    return folder


@pytest.fixture
def problems_shown(monkeypatch):
    """Message boxes would wait for a person: warnings are collected, questions answered Discard."""
    seen: list[str] = []
    from briefmap.ui import main_window

    monkeypatch.setattr(main_window.MainWindow, "show_problems", lambda _w, title, items: seen.append(
        f"{title}: {' '.join(items)}"))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    return seen


def open_folder(qtbot, folder, settings):
    b, t = open_briefing(folder)
    return shown(qtbot, open_window(b, t, settings, restore=False))


def fill_event(seen: dict | None = None, **values):
    """What a user types into the event form; returns the replacement for exec_form."""
    v = APPEAL | values

    def exec_form(form) -> bool:
        form.date.setText(v["date"])
        form.title.setText(v["title"])
        form.text.setPlainText(v["text"])
        if v["source"] is not None:  # None: the source the user already chose
            form.source.setCurrentIndex(form.source.findData(v["source"]))
        form.confidence.setCurrentText("confirmed")
        form.filter.setText("minsk")
        for i in range(form.features.count()):
            item = form.features.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == v["feature"]:
                item.setCheckState(Qt.CheckState.Checked)
        if seen is not None:
            seen["later"] = form.later.isVisibleTo(form) and form.later.text()
            seen["problems"] = {k: lab.text() for k, lab in form.problem_labels.items() if lab.isVisibleTo(form)}
            seen["ok"] = form.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
        form.accept()
        return form.result() == form.DialogCode.Accepted
    return exec_form


def timeline_lines(win) -> list[str]:
    return [win.timeline.events.item(i).text() for i in range(win.timeline.events.count())]


def test_a_new_events_confidence_starts_as_a_new_features_does(qtbot, copy, settings, monkeypatch, problems_shown):
    """The event form does not start on "confirmed" for an event the user has just typed in:
    it starts where the feature form does ("reported"), and what the user picks is kept."""
    from briefmap.model.edits import FeatureDraft

    win = open_folder(qtbot, copy, settings)
    win.editor.mode_action.trigger()
    tl = win.content_editing.timeline
    seen: list[str] = []

    def look(form) -> bool:
        seen.append(form.confidence.currentText())
        return fill_event()(form)

    monkeypatch.setattr(tl, "exec_form", look)
    qtbot.mouseClick(tl.add_button, Qt.MouseButton.LeftButton)
    assert seen == [FeatureDraft().confidence] == ["reported"]
    event = next(e for e in win.briefing.events if e.title == APPEAL["title"])
    assert event.confidence == "confirmed"  # chosen on the form


def test_add_event_undo_redo_save_reopen_validates(qtbot, copy, settings, monkeypatch, problems_shown):
    win = open_folder(qtbot, copy, settings)
    ed, tl = win.editor, win.content_editing.timeline
    assert not tl.add_button.isVisibleTo(win)  # Edit mode is off: the timeline only reads
    ed.mode_action.trigger()
    win.tabs.setCurrentWidget(win.timeline.page)
    assert tl.add_button.isVisibleTo(win)
    seen: dict = {}
    monkeypatch.setattr(tl, "exec_form", fill_event(seen))
    qtbot.mouseClick(tl.add_button, Qt.MouseButton.LeftButton)
    assert seen["ok"] and not seen["problems"]
    assert "later development" in seen["later"]
    event = next(e for e in win.briefing.events if e.title == APPEAL["title"])
    assert event.after_article and event.features == (APPEAL["feature"],) and event.confidence == "confirmed"
    line = event_line(event)
    assert line in timeline_lines(win) and "(after the article)" in line
    assert win.isWindowModified()
    assert ed.undo_action.text() == f"Undo Add event “{APPEAL['title']}”"

    ed.undo_action.trigger()
    assert line not in timeline_lines(win) and not win.isWindowModified()
    ed.redo_action.trigger()
    assert line in timeline_lines(win)

    assert ed.save(), problems_shown
    catalog = (copy / CATALOG).read_text(encoding="utf-8")
    assert catalog.startswith("# The built-in briefing")  # the hand-written comments stay
    assert f"Add event “{APPEAL['title']}”" in catalog  # the change log names the edit
    assert [str(p) for p in validate(copy)] == []
    again = open_folder(qtbot, copy, settings)
    saved = next(e for e in again.briefing.events if e.id == event.id)
    assert saved == event
    assert line in timeline_lines(again)


def test_event_form_blocks_empty_title_missing_source_and_bad_date(qtbot, copy, settings, monkeypatch):
    win = open_folder(qtbot, copy, settings)
    tl = win.content_editing.timeline
    seen: dict = {}
    monkeypatch.setattr(tl, "exec_form", fill_event(seen, title="  ", source="", date="2025-13-40"))
    before = list(win.briefing.events)
    assert tl.add() == ""
    assert not seen["ok"]
    assert "title is required" in seen["problems"]["title"]
    assert "source" in seen["problems"]["source"]
    assert "YYYY-MM-DD" in seen["problems"]["date"]
    monkeypatch.setattr(tl, "exec_form", fill_event(seen, date="2031-01-01"))
    assert tl.add() == "" and "outside the briefing's timeline" in seen["problems"]["date"]
    assert win.briefing.events == before and win.editor.stack.count() == 0


def test_edit_and_delete_an_event_are_undoable(qtbot, copy, settings, monkeypatch, problems_shown):
    win = open_folder(qtbot, copy, settings)
    tl = win.content_editing.timeline
    monkeypatch.setattr(tl, "exec_form", fill_event())
    eid = tl.add()
    monkeypatch.setattr(tl, "exec_form", fill_event(title="Joint appeal: close the Minsk process"))
    assert tl.edit(eid)
    assert next(e for e in win.briefing.events if e.id == eid).title == "Joint appeal: close the Minsk process"
    assert tl.delete(eid) and eid not in {e.id for e in win.briefing.events}
    win.editor.undo_action.trigger()
    assert eid in {e.id for e in win.briefing.events}
    # An event a panel links to stays: deleting it would break the panel's link.
    linked = next(e for e in win.briefing.events if any(f"(event:{e.id})" in p.text for p in win.briefing.panels))
    assert not tl.delete(linked.id) and "linked from the panel" in problems_shown[-1]


def test_the_timeline_context_menu_edits_only_in_edit_mode(qtbot, copy, settings, monkeypatch):
    win = open_folder(qtbot, copy, settings)
    tl = win.content_editing.timeline
    events = win.timeline.events
    assert events.actions() == []
    win.editor.mode_action.trigger()
    assert [a.text() for a in events.actions()] == ["Add event…", "Edit event…", "Delete event"]
    events.setCurrentRow(0)
    first = win.briefing.events[0]
    assert first.confidence == ""  # the built-in events do not say
    # Opened and accepted without a change: nothing to undo, the confidence left unsaid.
    monkeypatch.setattr(tl, "exec_form", lambda form: (form.accept(), form.result() == form.DialogCode.Accepted)[1])
    events.actions()[1].trigger()
    assert win.editor.stack.count() == 0 and win.briefing.events[0] == first
    win.editor.mode_action.trigger()
    assert events.actions() == []


def test_an_event_with_a_new_source_brings_the_source_and_undo_takes_it_back(qtbot, copy, settings, monkeypatch,
                                                                           problems_shown):
    win = open_folder(qtbot, copy, settings)
    tl = win.content_editing.timeline
    typed = fill_event(source=None)

    def exec_form(form) -> bool:
        form.source.setCurrentIndex(form.source.findData(NEW_SOURCE))
        form.src_title.setText("OSCE Ministerial Council decision MC/1/25")
        form.src_url.setText("not a web address")
        assert "http" in form.problem_labels["new_source"].text()  # said on the form
        form.src_url.setText("https://mediamax.am/en/news/foreignpolicy/59419")
        return typed(form)

    monkeypatch.setattr(tl, "exec_form", exec_form)
    eid = tl.add()
    source = next(e for e in win.briefing.events if e.id == eid).source
    assert win.briefing.sources[source].title == "OSCE Ministerial Council decision MC/1/25"
    assert "OSCE Ministerial Council decision MC/1/25" in win.sources.toPlainText()
    win.editor.undo_action.trigger()
    assert source not in win.briefing.sources
    assert "OSCE Ministerial Council decision MC/1/25" not in win.sources.toPlainText()
    win.editor.redo_action.trigger()
    assert win.editor.save(), problems_shown
    b2, _ = open_briefing(copy)
    assert b2.sources[source].url == "https://mediamax.am/en/news/foreignpolicy/59419"


def test_rename_and_delete_bookmarks_with_undo(qtbot, copy, settings, problems_shown):
    win = open_folder(qtbot, copy, settings)
    b = win.briefing
    dialog = win.content_editing.bookmarks.open_manager()
    free = next(m for m in b.bookmarks if m.id != b.default_bookmark and all(s.bookmark != m.id for s in b.scenarios))
    row = next(i for i in range(dialog.list.count()) if dialog.list.item(i).data(Qt.ItemDataRole.UserRole) == free.id)
    dialog.list.item(row).setText("Syunik and the south")  # what typing into the list does
    menu = win.bookmark_button.menu()
    assert "Syunik and the south" in [a.text() for a in menu.actions()]
    assert win.briefing.bookmark(free.id).title == "Syunik and the south"
    win.editor.undo_action.trigger()
    assert win.briefing.bookmark(free.id).title == free.title and free.title in [a.text() for a in menu.actions()]

    dialog.list.setCurrentRow(row)
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert free.id not in {m.id for m in win.briefing.bookmarks}
    assert free.title not in [a.text() for a in menu.actions()]
    win.editor.undo_action.trigger()
    assert free.id in {m.id for m in win.briefing.bookmarks} and free.title in [a.text() for a in menu.actions()]
    # The default view stays.
    assert not win.content_editing.bookmarks.delete(b.default_bookmark)
    assert "default view" in problems_shown[-1]

    win.editor.redo_action.trigger()  # the deletion again, then saved
    assert win.editor.save(), problems_shown
    assert free.id not in {m.id for m in open_briefing(copy)[0].bookmarks}


def _count(image: QImage, rgb: tuple[int, int, int]) -> int:
    return sum((image.pixelColor(x, y).red(), image.pixelColor(x, y).green(), image.pixelColor(x, y).blue()) == rgb
               for y in range(0, image.height(), 3) for x in range(0, image.width(), 3))


def test_panel_editor_preview_is_safe_and_links_come_from_the_picker(qtbot, copy, settings, tmp_path,
                                                                     monkeypatch, problems_shown):
    win = open_folder(qtbot, copy, settings)
    editing = win.content_editing.panels
    secret = tmp_path / "secret.png"
    image = QImage(90, 90, QImage.Format.Format_RGB32)
    image.fill(QColor("#ff00ff"))
    assert image.save(str(secret))
    panel = win.briefing.panels[0]
    seen: dict = {}

    def exec_editor(editor) -> bool:
        editor.text.setPlainText(panel.text + f"\n\n![x](file://{secret})\n\n<b>bold from the file</b>\n\n"
                                 "Talks resumed in 2025.\n\nSee ")
        qtbot.waitUntil(lambda: "bold from the file" in editor.preview.toPlainText() or
                        "2025" in editor.problems_label.text())
        editor.render_preview()
        editor.preview.resize(600, 4000)
        seen["shot"] = editor.preview.viewport().grab().toImage()
        seen["refused"] = list(editor.preview.document().refused)
        seen["literal"] = "<b>bold from the file</b>" in editor.preview.toPlainText()
        seen["bold"] = [f for f in _fragments(editor.preview.document()) if f.charFormat().fontWeight() > 500
                        and "bold from the file" in f.text()]
        seen["problems"] = editor.problems_label.text()
        editor.kind.setCurrentIndex(editor.kind.findData("event"))
        editor.filter.setText("Minsk process closure")
        editor.targets.setCurrentRow(next(i for i in range(editor.targets.count())
                                          if not editor.targets.item(i).isHidden()))
        cursor = editor.text.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        editor.text.setTextCursor(cursor)
        qtbot.mouseClick(editor.insert_button, Qt.MouseButton.LeftButton)
        return True

    monkeypatch.setattr(editing, "exec_editor", exec_editor)
    editing.open_editor(panel.id)
    assert f"file://{secret}" in seen["refused"]  # the file image is not loaded ...
    assert _count(seen["shot"], (255, 0, 255)) == 0  # ... nor shown
    assert seen["literal"] and seen["bold"] == []  # HTML in the text is shown as typed, not rendered
    assert "2025" in seen["problems"] and "cites no source" in seen["problems"]
    new = win.briefing.panel(panel.id).text
    assert new.rstrip().endswith("[Minsk process closure final](event:minsk-closed)")
    win.panels.show_panel(panel.id)
    assert "Talks resumed in 2025." in win.panels.browser.toPlainText()
    win.editor.undo_action.trigger()
    assert win.briefing.panel(panel.id).text == panel.text
    assert "Talks resumed" not in win.panels.browser.toPlainText()


def _fragments(document):
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            if it.fragment().isValid():
                yield it.fragment()
            it += 1
        block = block.next()


def test_scenario_layer_change_moves_the_map_and_undoes(qtbot, copy, settings, monkeypatch, problems_shown):
    win = open_folder(qtbot, copy, settings)
    editing = win.content_editing.scenarios
    current = win.model.scenario
    shown_layer = next(lid for lid in current.layers if win.model.layers[lid].visible)
    highlight = "later_developments/minsk-closure-2025"

    def exec_editor(editor) -> bool:
        assert editor.chooser.currentData() == current.id
        editor.set_layer(shown_layer, False)
        editor.filter.setText("minsk-closure")
        editor.features.setCurrentRow(next(i for i in range(editor.features.count())
                                           if editor.features.item(i).data(Qt.ItemDataRole.UserRole) == highlight))
        qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
        editor.key_points.setPlainText("First point\n\nSecond point")
        return True

    monkeypatch.setattr(editing, "exec_editor", exec_editor)
    editing.open_editor()
    s = win.model.scenario
    assert shown_layer not in s.layers and highlight in s.highlight and s.key_points == ("First point", "Second point")
    assert not win.model.layers[shown_layer].visible  # the map follows the current scenario
    assert "later_developments" in {o for o, _a in win.canvas.map_renderer.overlays.highlights}
    assert "Second point" in win.scenario.text.toPlainText()
    win.editor.undo_action.trigger()
    assert win.model.scenario == current and win.model.layers[shown_layer].visible
    win.editor.redo_action.trigger()
    assert win.editor.save(), problems_shown
    assert shown_layer not in open_briefing(copy)[0].scenario(current.id).layers


def test_content_edits_survive_a_crash(qtbot, copy, settings, monkeypatch, problems_shown):
    win = open_folder(qtbot, copy, settings)
    c = win.content_editing
    monkeypatch.setattr(c.timeline, "exec_form", fill_event())
    eid = c.timeline.add()
    free = next(m for m in win.briefing.bookmarks if m.id != win.briefing.default_bookmark)
    c.bookmarks.rename(free.id, "Renamed before the crash")
    panel = win.briefing.panels[1]
    c.panels.set_text(panel.id, panel.text + "\nA line typed before the crash.\n")
    scenario = win.briefing.scenarios[-1]
    c.scenarios.apply(dataclasses.replace(scenario, key_points=("Kept through the crash",)))
    path = win.editor.write_recovery()
    assert path is not None
    win.editor.stack.setClean()  # the crash: nothing saved, nothing asked
    win.close()

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    again = open_folder(qtbot, copy, settings)
    assert eid not in {e.id for e in again.briefing.events}
    assert again.editor.offer_recovery()
    assert eid in {e.id for e in again.briefing.events} and APPEAL["title"] in " ".join(timeline_lines(again))
    assert again.briefing.bookmark(free.id).title == "Renamed before the crash"
    assert again.briefing.panel(panel.id).text.endswith("A line typed before the crash.\n")
    assert again.briefing.scenario(scenario.id).key_points == ("Kept through the crash",)
    again.editor.undo_action.trigger()  # the restore is one step
    assert eid not in {e.id for e in again.briefing.events}
    again.editor.redo_action.trigger()
    assert again.editor.save(), problems_shown
    b2, _ = open_briefing(copy)
    assert b2.panel(panel.id).text.endswith("A line typed before the crash.\n") and eid in {e.id for e in b2.events}


def test_panel_editor_panes_say_what_they_are(qtbot, copy, settings, monkeypatch, problems_shown):
    """The Markdown pane names the panel it edits and the preview says it is one, each caption
    right above its pane."""
    win = open_folder(qtbot, copy, settings)
    editing = win.content_editing.panels
    panel = win.briefing.panels[0]
    seen: dict = {}

    def exec_editor(editor) -> bool:
        editor.show()
        qtbot.waitExposed(editor)
        for key, pane in (("text", editor.text), ("preview", editor.preview)):
            label = editor.captions[key]
            top_of_pane = pane.mapTo(editor, pane.rect().topLeft())
            below_label = label.mapTo(editor, label.rect().bottomLeft())
            seen[key] = (label.text(), label.isVisible(), below_label.y() <= top_of_pane.y(),
                         abs(below_label.x() - top_of_pane.x()) < 10)
        editor.reject()
        return False

    monkeypatch.setattr(editing, "exec_editor", exec_editor)
    editing.open_editor(panel.id)
    assert seen["text"] == (f"Markdown of “{panel.title}”", True, True, True)
    assert seen["preview"][0].startswith("Preview") and seen["preview"][1:] == (True, True, True)


def test_an_empty_panel_says_where_its_text_is_written(qtbot, briefing):
    """A new briefing's panel has no text: the Briefing tab says how to write it, wrapped to the
    dock's width, not a blank page."""
    from briefmap.ui.panels import PanelView

    empty = dataclasses.replace(briefing, panels=[dataclasses.replace(briefing.panels[0], text="")])
    view = PanelView(empty)
    qtbot.addWidget(view)
    view.resize(300, 300)
    view.show()
    qtbot.waitExposed(view)
    shown_text = view.browser.toPlainText()
    assert "This panel has no text yet" in shown_text and shown_text.rstrip().endswith("Edit panel text…")
    doc = view.browser.document()
    assert doc.size().width() <= view.browser.viewport().width() + 1  # wrapped, nothing cut at the edge
    assert doc.size().height() > 2 * view.browser.fontMetrics().height()  # on more than one line
