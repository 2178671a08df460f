"""File → Export: the live preview is the export's own rendering; presets set the size;
"export every scenario" writes one file each, with progress and cancel."""

from __future__ import annotations

import pytest
from PIL import Image
from PySide6.QtWidgets import QProgressDialog

from briefmap.render.export import read_view
from briefmap.ui.export_dialog import ExportDialog


def dialog(qtbot, window, folder, size: tuple[int, int, int] | None = None, path=None, every=False):
    dlg = ExportDialog(window.briefing, window.tables, window.current_state(), str(folder), window)
    qtbot.addWidget(dlg)
    if size:
        dlg.preset.setCurrentIndex(dlg.preset.findData("custom"))
        for box, value in zip((dlg.width_px, dlg.height_px, dlg.dpi), size, strict=True):
            box.setValue(value)
    if path:
        dlg.path.setText(str(path))
    dlg.every.setChecked(every)
    return dlg


def test_presets_and_preview(qtbot, window, tmp_path):
    dlg = dialog(qtbot, window, tmp_path)
    dlg.preset.setCurrentIndex(dlg.preset.findData("a4-portrait"))
    assert (dlg.width_px.value(), dlg.height_px.value(), dlg.dpi.value()) == (2480, 3508, 300)
    assert not dlg.width_px.isEnabled()
    dlg.update_preview()
    pix = dlg.preview.pixmap()
    assert not pix.isNull() and pix.height() > pix.width()  # portrait
    dlg.preset.setCurrentIndex(dlg.preset.findData("custom"))
    assert dlg.width_px.isEnabled()


def test_export_current_view_matches_the_window(qtbot, window, tmp_path):
    window.scenario_box.setCurrentIndex(window.scenario_box.findData("stalemate"))
    window.go_to_bookmark("syunik")
    dlg = dialog(qtbot, window, tmp_path, (900, 600, 90), tmp_path / "view.png")
    dlg.do_export()
    view = read_view(tmp_path / "view.png")
    assert view.scenario == "stalemate" and view.visible == window.state.visible
    assert view.extent == pytest.approx(window.canvas.map_renderer.extent())
    with Image.open(tmp_path / "view.png") as im:
        assert im.size == (900, 600)
    assert str(tmp_path) in dlg.result_message


def test_export_every_scenario(qtbot, window, tmp_path):
    dlg = dialog(qtbot, window, tmp_path, (640, 400, 64), tmp_path / "brief.png", every=True)
    dlg.do_export()
    names = sorted(p.name for p in tmp_path.glob("brief-*.png"))
    assert names == sorted(f"brief-{s.id}.png" for s in window.briefing.scenarios)
    assert read_view(tmp_path / "brief-collapse.png").scenario == "collapse"


def test_cancel_stops_after_the_current_file(qtbot, window, tmp_path, monkeypatch):
    calls = {"n": 0}

    def canceled_after_first(self):
        calls["n"] += 1
        return calls["n"] > 1

    monkeypatch.setattr(QProgressDialog, "wasCanceled", canceled_after_first)
    dlg = dialog(qtbot, window, tmp_path, (500, 300, 50), tmp_path / "brief.png", every=True)
    dlg.do_export()
    assert len(list(tmp_path.glob("brief-*.png"))) == 1


def test_bad_file_type_is_refused_with_a_message(qtbot, window, tmp_path, monkeypatch):
    shown = []
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()))
    dlg = dialog(qtbot, window, tmp_path)
    dlg.path.setText(str(tmp_path / "sheet.bmp"))
    dlg.do_export()
    assert shown and "unsupported file type '.bmp'" in shown[0]
    assert not list(tmp_path.glob("sheet*"))


def test_opening_an_exported_png_restores_its_view(qtbot, window, tmp_path):
    from briefmap.cli import main

    png = tmp_path / "brief.png"
    assert main(["export", "-o", str(png), "--size", "600x400", "--dpi", "60", "--scenario", "collapse",
                 "--date", "2024-05-24", "--names", "azerbaijani", "--bookmark", "karabakh", "--hide", "places"]) == 0
    assert window.restore_view(png)
    s = window.state
    assert (s.scenario, str(s.date), s.names) == ("collapse", "2024-05-24", "azerbaijani")
    assert "places" not in s.visible and "actor_links" in s.visible
    assert window.scenario_box.currentData() == "collapse"
    stored = read_view(png).extent
    x0, y0, x1, y1 = window.canvas.map_renderer.extent()
    assert x0 <= stored[0] + 1 and stored[2] - 1 <= x1 and y0 <= stored[1] + 1 and stored[3] - 1 <= y1


def test_dialog_words_and_preflight(qtbot, window, tmp_path):
    dlg = dialog(qtbot, window, tmp_path, (1200, 800, 100), tmp_path / "mine.png")
    assert dlg.title_edit.text() == window.briefing.title  # prefilled from the briefing
    dlg.title_edit.setText("Tuesday briefing: the border")
    dlg.note_edit.setText("Draft — not for circulation")
    dlg.update_preview()
    assert dlg.preflight.count() >= 1  # findings, or the line saying there are none
    dlg.do_export()
    from briefmap.render.export import read_sheet_text

    stored = read_sheet_text(tmp_path / "mine.png")
    assert stored == {"title": "Tuesday briefing: the border", "note": "Draft — not for circulation"}


def test_dialog_refuses_a_sheet_too_small(qtbot, window, tmp_path):
    dlg = dialog(qtbot, window, tmp_path, (300, 240, 150), tmp_path / "tiny.png")
    dlg.update_preview()
    assert not dlg.export_button.isEnabled()
    assert "smallest sheet is 4 × 2.5 in" in dlg.preview.text()
    dlg.preflight.clear()
    dlg.dpi.setValue(60)  # the same pixels at 60 dpi are 5 × 4 in: a sheet again
    dlg.update_preview()
    assert dlg.export_button.isEnabled() and not dlg.preview.pixmap().isNull()
    assert dlg.preflight.count() >= 1


def test_dialog_lists_what_is_left_out_by_rule_apart_and_greyed(qtbot, window, tmp_path):
    """The preflight panel shows the `left out:` lines of `export --check` too: apart from
    the findings, greyed, each with its reason, as plain text."""
    import matplotlib

    from briefmap.render.export import sheet_rc
    from briefmap.render.preflight import left_out
    from briefmap.render.sheet import SheetReport, build_sheet

    dlg = dialog(qtbot, window, tmp_path)  # the slide preset, the window's view
    dlg.update_preview()
    report = SheetReport()
    with matplotlib.rc_context(sheet_rc()):
        build_sheet(window.briefing, window.tables, window.current_state(), dlg.options(), report)
    expected = [str(f) for f in left_out(report)]
    assert expected, "the slide overview leaves some minor names out by rule"
    shown = [dlg.left_out.item(i) for i in range(dlg.left_out.count())]
    assert [item.text() for item in shown] == expected
    assert all(t.startswith("left out: ") and ": " in t[len("left out: "):] for t in expected)  # with its reason
    findings = {dlg.preflight.item(i).text() for i in range(dlg.preflight.count())}
    assert not findings & set(expected)  # apart from the findings
    normal = dlg.preflight.item(0).foreground().color()
    for item in shown:
        grey = item.foreground().color()
        assert grey.lightness() > normal.lightness() and grey.saturation() == 0
    assert not dlg.left_out.isHidden() and dlg.left_out_title.text() == f"Left out by rule ({len(expected)})"
