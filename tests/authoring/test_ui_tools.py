"""Find, measure and New briefing in the real window, on the offscreen platform."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt

from briefmap.data.briefing import validate
from briefmap.data.measure import geodesic_length_km
from briefmap.data.projection import bounds_to_map, to_map
from briefmap.ui.app import open_window
from tests.windows import shown

YEREVAN, BAKU = (44.52, 40.18), (49.88, 40.40)  # facts.md (lon, lat)


@pytest.fixture
def window(qtbot, briefing, tables, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = open_window(briefing, tables, settings, restore=False)
    return shown(qtbot, win)


def test_ctrl_f_finds_khankendi_and_flies_to_stepanakert(qtbot, window):
    window.canvas.set_extent(bounds_to_map((38.0, 36.5, 52.0, 44.5), window.briefing.crs))
    window.find_action.trigger()
    dlg = window.find_dialog
    assert dlg.isVisible()
    qtbot.keyClicks(dlg.query, "Khankendi")
    dlg.search()
    assert dlg.results.count() >= 1
    assert dlg.results.item(0).data(Qt.ItemDataRole.UserRole) == "places/stepanakert"
    assert "Stepanakert" in dlg.results.item(0).text()
    qtbot.keyClick(dlg.query, Qt.Key.Key_Return)
    assert window.selected == "places/stepanakert"
    # The map now frames the town: it is inside the view and the view is much smaller.
    x0, y0, x1, y1 = window.canvas.map_renderer.extent()
    sx, sy = window.canvas.map_renderer.layers["places"].table.geometries[
        window.canvas.map_renderer.layers["places"].table.index("stepanakert")].coords[0]
    assert x0 < sx < x1 and y0 < sy < y1
    assert x1 - x0 < 300_000


def pixel_of(canvas, lon, lat) -> QPoint:
    x, y = to_map(lon, lat, canvas.map_renderer.briefing.crs)
    x0, y0, x1, y1 = canvas.map_renderer.extent()
    return QPoint(round((x - x0) / (x1 - x0) * canvas.width()), round((y1 - y) / (y1 - y0) * canvas.height()))


def test_measure_tool_gives_the_geodesic_distance_between_clicks(qtbot, window):
    canvas = window.canvas
    canvas.set_extent(bounds_to_map((43.0, 38.5, 51.0, 42.0), window.briefing.crs))
    window.measure_action.setChecked(True)
    for lon, lat in (YEREVAN, BAKU):
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=pixel_of(canvas, lon, lat))
    tool = window.measure_tool
    assert len(tool.overlay.points) == 2
    measured = tool.overlay.length_km()
    # Clicks land on whole pixels: a pixel here is about 1 km.
    assert measured == pytest.approx(geodesic_length_km([YEREVAN, BAKU]), abs=3.0)
    assert f"{measured:,.0f} km" in window.statusBar().currentMessage()
    assert window.popup.isHidden()  # a click while measuring identifies nothing
    qtbot.keyClick(canvas, Qt.Key.Key_Backspace)
    assert len(tool.overlay.points) == 1
    window.measure_action.setChecked(False)
    assert tool.overlay.points == [] and tool.overlay.isHidden()


def test_file_new_briefing_creates_and_asks_to_open_it(qtbot, window, tmp_path, monkeypatch):
    from briefmap.ui.new_briefing_dialog import NewBriefingDialog

    opened = []
    window.openBriefingRequested.connect(opened.append)
    dlg = NewBriefingDialog(window)
    dlg.title.setText("Western Balkans")
    dlg.set_box((13.0, 39.0, 24.0, 47.0))
    dlg.folder.setText(str(tmp_path / "balkans"))
    dlg.create()
    assert dlg.result() == NewBriefingDialog.DialogCode.Accepted
    assert validate(tmp_path / "balkans") == []
    # An existing folder is refused on the form, and nothing is changed.
    again = NewBriefingDialog(window)
    again.title.setText("Again")
    again.set_box((13.0, 39.0, 24.0, 47.0))
    again.folder.setText(str(tmp_path / "balkans"))
    again.create()
    assert "already exists" in again.message.text() and again.result() != NewBriefingDialog.DialogCode.Accepted
    # The current view fills the box in.
    window.canvas.set_extent(bounds_to_map((44.0, 39.0, 46.0, 41.0), window.briefing.crs))
    fresh = NewBriefingDialog(window)
    w, s, e, n = fresh.box()
    assert w <= 44.0 + 0.2 and e >= 46.0 - 0.2 and s <= 39.0 + 0.2 and n >= 41.0 - 0.2
    assert opened == []  # only the menu action opens; the dialog itself just creates
