"""Starting the window: what is imported before the first frame, the collector around it,
and `briefmap snapshot` writing the frame as painted."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image
from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from briefmap.ui.app import after_first_frame, open_window, window_image, write_png
from tests.windows import shown

DESKTOP = Path(__file__).resolve().parents[2] / "desktop"


def _pixels(image: QImage) -> np.ndarray:
    rgba = image.convertToFormat(QImage.Format.Format_RGBA8888)
    rows = np.frombuffer(rgba.constBits(), np.uint8, count=rgba.bytesPerLine() * rgba.height())
    return rows.reshape(rgba.height(), -1)[:, :rgba.width() * 4].reshape(rgba.height(), rgba.width(), 4).copy()


def test_the_window_module_leaves_the_writer_the_sheet_and_help_for_later():
    """What only a menu command needs (saving with tomlkit, the sheet, the help) is not
    imported to start the window; the drawing half is imported before Qt, whose import
    hook reads the source of every module imported after it."""
    script = ("import sys, json\n"
              "order = []\n"
              "class Watch:\n"
              "    def find_spec(self, name, path=None, target=None):\n"
              "        order.append(name)\n"
              "sys.meta_path.insert(0, Watch())\n"
              "import briefmap.ui.main_window, briefmap.ui.app\n"
              "print(json.dumps({'loaded': sorted(sys.modules), 'order': order}))\n")
    env = dict(os.environ, PYTHONPATH=str(DESKTOP), QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    got = json.loads(out.stdout.strip().splitlines()[-1])
    loaded = set(got["loaded"])
    for later in ("tomlkit", "briefmap.data.writer", "briefmap.data.edits_file", "briefmap.data.briefing_recovery",
                  "briefmap.render.sheet", "briefmap.render.export", "briefmap.ui.help", "multiprocessing"):
        assert later not in loaded, later
    order = got["order"]
    for drawing in ("matplotlib.figure", "matplotlib.axes", "briefmap.render.map_layers", "briefmap.render.legend"):
        assert order.index(drawing) < order.index("PySide6.QtCore"), drawing


def test_help_opens_from_its_menu_though_imported_late(window):
    shown_titles = []

    def close_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        shown_titles.append(dialog.windowTitle() if dialog else None)
        if dialog:
            dialog.reject()

    QTimer.singleShot(50, close_dialog)
    window.sheet_actions["shortcuts"].trigger()
    assert shown_titles == ["Keyboard shortcuts"]


def test_the_first_frame_is_drawn_whole_then_the_canvas_goes_progressive(qtbot, briefing, tables, settings):
    gc.disable()  # as `briefmap` starts (cli/window.py)
    try:
        win = open_window(briefing, tables, settings, restore=False)
        after_first_frame(win)
        assert not win.canvas.progressive and not gc.isenabled()
        shown(qtbot, win)
        canvas = win.canvas
        # One paint drew every shown layer and every label.
        shown_layers = {lid for lid, la in canvas.map_renderer.layers.items() if la.visible}
        assert canvas.painted_layers == shown_layers
        labels = canvas.map_renderer.visible_labels()
        assert labels and all(canvas.sprites.cached(lab.artist, canvas.ax, 1.0) for lab in labels)
        qtbot.waitUntil(lambda: canvas.progressive and gc.isenabled(), timeout=5000)
        # From then on changes are made in slices, the label plans on the worker thread.
        assert canvas.map_renderer.background is not None
    finally:
        gc.enable()
        gc.unfreeze()


def test_the_first_frame_is_one_whole_paint_with_the_legend_already_in_its_corner(qtbot, briefing, tables, settings):
    """Drawn whole, the first frame settles the view (the legend moved to its corner) just
    before Qt paints, and lays the labels out around the legend: the map is painted whole
    once (Qt may repaint where the legend went), and that frame is the frame a fresh
    repaint gives."""
    win = open_window(briefing, tables, settings, restore=False)
    canvas = win.canvas
    painted = {"map": [], "legend": []}
    for name, widget in (("map", canvas), ("legend", canvas.legend)):
        def counted(event, paint=widget.paintEvent, log=painted[name]):
            log.append(event.region().boundingRect())
            paint(event)

        widget.paintEvent = counted
    shown(qtbot, win)
    QApplication.processEvents()
    whole = canvas.rect()
    assert painted["map"][0] == whole and whole not in painted["map"][1:]
    assert painted["legend"] and set(painted["legend"]) == {canvas.legend.rect()}
    legend = canvas.legend.geometry()
    assert canvas.rect().contains(legend) and legend.height() > 60  # listed, in a corner
    as_painted = _pixels(window_image(win))
    canvas.repaint()
    QApplication.processEvents()
    assert np.array_equal(as_painted, _pixels(window_image(win)))


def test_a_map_drawn_whole_outside_the_window_still_moves_its_legend_in_one_frame(qtbot, briefing, tables):
    """The canvas alone (no window to settle it before painting) places the legend in its
    paint, and that asks for no second whole frame."""
    from briefmap.model.layers import LayerList
    from briefmap.model.map_model import MapModel
    from briefmap.model.view import scenario_state
    from briefmap.ui.canvas import MapCanvas

    model = MapModel(briefing, LayerList.from_briefing(briefing, tables))
    model.apply(scenario_state(briefing, None))
    canvas = MapCanvas(model)
    regions = []
    paint = canvas.paintEvent

    def counted(event):
        regions.append(event.region().boundingRect())
        paint(event)

    canvas.paintEvent = counted
    qtbot.addWidget(canvas)
    canvas.resize(900, 700)
    canvas.show()
    qtbot.waitUntil(lambda: canvas.frames_drawn > 0, timeout=5000)
    QApplication.processEvents()
    assert regions[0] == canvas.rect() and canvas.rect() not in regions[1:]


def test_a_window_opened_with_the_collector_on_leaves_it_on(qtbot, briefing, tables, settings):
    win = open_window(briefing, tables, settings, restore=False)
    after_first_frame(win, progressive=False)
    shown(qtbot, win)
    qtbot.wait(60)
    assert gc.isenabled() and not win.canvas.progressive


def test_the_snapshot_image_is_the_window_as_painted(window):
    QApplication.processEvents()
    copied = window_image(window)
    painted = window.grab().toImage()
    assert copied.size() == painted.size()
    assert np.array_equal(_pixels(copied)[:, :, :3], _pixels(painted)[:, :, :3])


def test_png_writer_keeps_pixels_resolution_and_transparency(qtbot, tmp_path):
    opaque = QImage(37, 23, QImage.Format.Format_RGB32)
    opaque.fill(QColor("#3a7bd5"))
    opaque.setPixelColor(5, 7, QColor("#ff0000"))
    opaque.setDotsPerMeterX(5906)  # 150 dpi
    opaque.setDotsPerMeterY(5906)
    see_through = QImage(19, 11, QImage.Format.Format_ARGB32)
    see_through.fill(QColor(10, 200, 30, 128))
    for image, mode in ((opaque, "RGB"), (see_through, "RGBA")):
        out = tmp_path / f"{mode}.png"
        write_png(image, out)
        with Image.open(out) as im:
            assert im.mode == mode and im.size == (image.width(), image.height())
            got = np.asarray(im.convert("RGBA"))
        want = _pixels(image)
        assert np.abs(got.astype(int) - want.astype(int)).max() <= 1  # 8-bit alpha round trip
    with Image.open(tmp_path / "RGB.png") as im:
        assert round(im.info["dpi"][0]) == 150


def test_snapshot_command_writes_the_painted_window_and_restores_the_collector(qtbot, tmp_path, capsys):
    from briefmap.cli import main

    out = tmp_path / "window.png"
    assert main(["snapshot", "-o", str(out), "--size", "1000x700"]) == 0
    assert gc.isenabled()
    assert [p.name for p in tmp_path.iterdir()] == ["window.png"]
    with Image.open(out) as im:
        assert im.size == (1000, 700)
        small = np.asarray(im.convert("RGB").resize((50, 35)))
    assert len(np.unique(small.reshape(-1, 3), axis=0)) > 20  # map, docks and text, not a blank frame
    assert "wrote" in capsys.readouterr().out


def test_the_window_starts_without_its_dialogs_and_their_commands_still_open_them(tmp_path):
    """File → New briefing…, File → Export briefing pack… and the feature form of Edit mode
    import their dialogs when first used (tests/ui/test_drawing.py fills the form in): the
    window's start does not set up their Qt widgets."""
    script = f"""
import json, sys, tempfile
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication
from briefmap.data.briefing import open_briefing
from briefmap.data.paths import builtin_briefing_dir
from briefmap.ui.app import application, open_window
app = application()
briefing, tables = open_briefing(builtin_briefing_dir())
win = open_window(briefing, tables, QSettings({str(tmp_path / "s.ini")!r}, QSettings.Format.IniFormat),
                  restore=False)
win.show()
QApplication.processEvents()
dialogs = ("briefmap.ui.new_briefing_dialog", "briefmap.ui.pack_dialog", "briefmap.ui.editing.form")
at_start = [m for m in dialogs if m in sys.modules]
titles = []
def close():
    dialog = QApplication.activeModalWidget()
    titles.append(dialog.windowTitle() if dialog else None)
    if dialog:
        dialog.reject()
for action in (win.new_briefing_action, win.pack_action):
    QTimer.singleShot(100, close)
    action.trigger()
file_menu = win.menuBar().actions()[0].menu()
print("RESULT=" + json.dumps({{"at_start": at_start, "titles": titles,
                              "first": file_menu.actions()[0] is win.new_briefing_action,
                              "pack_in_file": win.pack_action in file_menu.actions()}}))
"""
    env = dict(os.environ, PYTHONPATH=str(DESKTOP), QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_STATE_HOME=str(tmp_path / "state"))
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    got = json.loads(next(ln for ln in out.stdout.splitlines() if ln.startswith("RESULT=")).removeprefix("RESULT="))
    assert got == {"at_start": [], "titles": ["New briefing", "Export briefing pack"], "first": True,
                   "pack_in_file": True}


def test_snapshot_keeps_the_labels_widths_for_the_next_start(qtbot, tmp_path, monkeypatch):
    """A start measures the labels it draws; the next start reads those widths instead of
    shaping them again (the export already kept the sheet's)."""
    import json

    from briefmap.cli import main
    from briefmap.render import measure_store, text_metrics

    def fresh() -> None:
        measure_store.forget()
        for cached in (text_metrics.text_size_points, text_metrics._width_at_font_scale,
                       text_metrics._shaped_width, text_metrics._store_key):
            cached.cache_clear()

    monkeypatch.setattr(measure_store, "folder", lambda: tmp_path / "cache")
    fresh()
    try:
        assert main(["snapshot", "-o", str(tmp_path / "window.png"), "--size", "1000x700"]) == 0
        kept = json.loads((tmp_path / "cache" / measure_store.NAME).read_text(encoding="utf-8"))
        lines = {line for widths in kept.values() for line in widths}
        assert {"Yerevan", "Tbilisi", "Baku"} <= lines  # the capitals named on the first frame
    finally:
        fresh()
