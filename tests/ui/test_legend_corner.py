"""The window's legend stands, until the user moves it, in the corner of the map with the
least of the briefing's data under it; a legend the user placed stays where it was put."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt

from briefmap.render.legend import data_under
from briefmap.ui.app import open_window, wait_for_paint


@pytest.fixture
def canvas(qtbot, briefing, tables, tmp_path):
    win = open_window(briefing, tables, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.resize(1366, 768)  # where a lower-left legend used to hide southern Armenia
    win.show()
    wait_for_paint(win)
    win.canvas.repaint()
    return win.canvas


def test_legend_takes_the_corner_with_least_data(qtbot, canvas):
    c = canvas
    if c.legend.collapsed:  # folded on a small map: the user opens it
        qtbot.mouseClick(c.legend, Qt.MouseButton.LeftButton, pos=QPoint(15, 8))
        c.refresh_legend()
    under = data_under(c.map_renderer, c.legend.corner_boxes())
    assert "lower right" not in under  # the scale bar's corner
    assert c.legend.corner == min(under, key=under.get)
    # Southern Armenia (Syunik, Nakhchivan, the route) is in the lower half: the legend is not.
    assert c.legend.corner.startswith("upper") and under[c.legend.corner] < 0.6 * under["lower left"]
    g = c.legend.geometry()
    boxes = c.legend.corner_boxes()[c.legend.corner]
    assert abs(g.x() / 100 - boxes[0]) < 0.02 and abs((c.height() - g.y() - g.height()) / 100 - boxes[1]) < 0.02


def test_a_legend_the_user_moved_stays_put(qtbot, canvas):
    c = canvas
    qtbot.mousePress(c.legend, Qt.MouseButton.LeftButton, pos=QPoint(20, 10))
    qtbot.mouseMove(c.legend, QPoint(20 - 200, 10 + 150))
    qtbot.mouseRelease(c.legend, Qt.MouseButton.LeftButton, pos=QPoint(20 - 200, 10 + 150))
    placed = c.legend.pos()
    c.legend.choose_corner({"lower left": 0.0, "upper left": 0.0, "upper right": 1.0})
    c.refresh_legend()
    assert c.legend.pos() == placed


def test_on_a_small_map_the_legend_starts_folded_and_opens_on_a_click(qtbot, canvas):
    """At 1366×768 the whole legend would hide a large part of the map: it starts folded to
    its title; a click on the title opens it, and it stays open as the user chose."""
    from briefmap.ui.legend_overlay import MAX_UNFOLDED_SHARE

    c = canvas
    assert c.legend.collapsed and c.legend.isVisible()
    assert c.legend.width() * c.legend.height() < 0.05 * c.width() * c.height()
    qtbot.mouseClick(c.legend, Qt.MouseButton.LeftButton, pos=QPoint(15, 8))
    assert not c.legend.collapsed
    assert c.legend.width() * c.legend.height() > MAX_UNFOLDED_SHARE * c.width() * c.height()
    c.refresh_legend()  # a pan or a toggle lists the legend again: the user's choice holds
    assert not c.legend.collapsed


def test_on_a_large_map_the_legend_is_open(qtbot, briefing, tables, tmp_path):
    win = open_window(briefing, tables, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.resize(1920, 1200)
    win.show()
    wait_for_paint(win)
    assert win.canvas.legend.isVisible() and not win.canvas.legend.collapsed


def test_the_legend_keeps_off_the_countries_the_briefing_is_about(qtbot, briefing, tables, tmp_path):
    """Opened on the agreement scenario at 1366×768, the unfolded legend stayed in the lower
    left over the Nakhchivan exclave and the start of the emphasised route (no symbol of
    the briefing stood under it, and a near-empty corner was not worth a jump)."""
    import shapely

    win = open_window(briefing, tables, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.scenario_box.setCurrentIndex(win.scenario_box.findData("agreement"))
    win.resize(1366, 768)
    win.show()
    wait_for_paint(win)
    c = win.canvas
    if c.legend.collapsed:
        qtbot.mouseClick(c.legend, Qt.MouseButton.LeftButton, pos=QPoint(15, 8))
    c.refresh_legend()
    x0, y0, x1, y1 = c.legend.corner_boxes()[c.legend.corner]
    inv = c.map_renderer.ax.transData.inverted()
    (mx0, my0), (mx1, my1) = inv.transform([[x0 * c.figure.dpi, y0 * c.figure.dpi],
                                            [x1 * c.figure.dpi, y1 * c.figure.dpi]])
    la = c.map_renderer.layers["countries"]
    azerbaijan = next(g for g, p in zip(la.table.geometries, la.table.properties, strict=True)
                      if p.get("iso_a3") == "AZE")
    nakhchivan = sorted(shapely.get_parts(azerbaijan), key=lambda part: -part.area)[1]  # the exclave
    assert not nakhchivan.intersects(shapely.box(mx0, my0, mx1, my1))
