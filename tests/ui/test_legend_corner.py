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


def test_legend_takes_the_corner_with_least_data(canvas):
    c = canvas
    under = data_under(c.map_renderer, c.legend.corner_boxes())
    assert "lower right" not in under  # the scale bar's corner
    assert c.legend.corner == min(under, key=under.get)
    # Southern Armenia (Syunik, Nakhchivan, the route) is in the lower half: the legend is not.
    assert under[c.legend.corner] < 0.5 * under["lower left"]
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
