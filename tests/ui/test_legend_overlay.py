"""The window's legend: drawn from the map's own symbols, folds to its title, moves where
the user drags it, and the map's labels keep clear of it."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QSettings, Qt

from briefmap.render.labeling import overlaps
from briefmap.ui.app import open_window, wait_for_paint


@pytest.fixture
def canvas(qtbot, briefing, tables, tmp_path):
    win = open_window(briefing, tables, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.resize(1366, 768)  # a common laptop screen, where the legend used to hide southern Armenia
    win.show()
    wait_for_paint(win)
    win.canvas.repaint()
    return win.canvas


def legend_box_px(c) -> tuple[float, float, float, float]:
    g = c.legend.geometry()
    ratio = c.devicePixelRatioF() or 1.0
    h = c.height()
    return (g.x() * ratio, (h - g.y() - g.height()) * ratio, (g.x() + g.width()) * ratio, (h - g.y()) * ratio)


def label_boxes(c) -> list:
    return list(c.map_renderer.label_report.boxes.values())


def test_labels_keep_clear_of_the_legend(canvas):
    c = canvas
    assert c.legend.isVisible()
    legend = legend_box_px(c)
    boxes = label_boxes(c)
    assert boxes
    assert not [i for i, j in overlaps([legend, *boxes]) if i == 0]


def test_legend_folds_and_moves_and_labels_follow(qtbot, canvas):
    c = canvas
    if c.legend.collapsed:  # folded on a small map: the user opens it first
        qtbot.mouseClick(c.legend, Qt.MouseButton.LeftButton, pos=QPoint(20, 10))
    tall = c.legend.height()
    qtbot.mouseClick(c.legend, Qt.MouseButton.LeftButton, pos=QPoint(20, 10))  # its title
    assert c.legend.collapsed and c.legend.height() < tall / 3
    qtbot.mouseClick(c.legend, Qt.MouseButton.LeftButton, pos=QPoint(20, 10))
    assert not c.legend.collapsed and c.legend.height() == tall
    # Drag it to the upper right: labels make room for it there.
    start = c.legend.pos()
    qtbot.mousePress(c.legend, Qt.MouseButton.LeftButton, pos=QPoint(20, 10))
    qtbot.mouseMove(c.legend, QPoint(20 + 500, 10 - 250))
    qtbot.mouseRelease(c.legend, Qt.MouseButton.LeftButton, pos=QPoint(20 + 500, 10 - 250))
    assert c.legend.pos() != start
    c.repaint()
    legend = legend_box_px(c)
    assert not [i for i, j in overlaps([legend, *label_boxes(c)]) if i == 0]


def test_swatches_are_the_maps_symbols(canvas):
    """The legend's swatch for the Shusha Declaration shows the map's pink plus marker
    (the Qt painter used to draw its own, different shapes)."""
    from matplotlib.colors import to_rgb

    c = canvas
    item = next(i for i in c.legend.items if i.label == "Turkey: Shusha Declaration")
    image = c.legend._swatch(item)
    arr = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(image.height(), image.bytesPerLine())
    arr = arr[:, : image.width() * 4].reshape(image.height(), image.width(), 4)
    pink = np.array(to_rgb(item.style.color)) * 255
    opaque = arr[arr[:, :, 3] > 250][:, :3].astype(float)
    assert len(opaque) > 10
    assert np.min(np.abs(opaque - pink).sum(axis=1)) < 12  # the style's own colour is drawn
