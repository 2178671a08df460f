"""The user's own layers in the window (worker thread, progress, cancel, drag-and-drop,
export, removal) and the crash dialog."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "layers"




def add(qtbot, win, path: Path):
    from PySide6.QtCore import QThread

    load = win.add_layer_file(path, interactive=False)
    in_main = []
    load.finished.connect(lambda *_: in_main.append(QThread.currentThread() == QApplication.instance().thread()))
    with qtbot.waitSignal(load.finished, timeout=60000) as blocker:
        pass
    assert in_main == [True], "the result is handed over in the window's thread"
    assert not load.thread.isRunning()
    return blocker.args


def test_add_a_layer_then_export_and_remove_it(qtbot, window, tmp_path, briefing):
    layer, error = add(qtbot, window, CORPUS / "good.geojson")
    assert error == "" and layer is not None
    lid = "user-good"
    assert lid in window.state.visible
    index = window.tree.index_of(lid)
    assert window.tree.check_state(index) == Qt.CheckState.Checked
    assert index.parent().data() == "My layers"
    assert lid in window.canvas.map_renderer.layers
    assert "good" in window.canvas.legend_labels
    # The view flew to the new layer.
    x0, y0, x1, y1 = window.canvas.map_renderer.extent()
    g = window.tables[lid].geometries[0]
    assert x0 < g.x < x1 and y0 < g.y < y1
    # It is exported like the rest (same renderer, the window's briefing with the layer).
    from briefmap.render.sheet import SheetOptions, build_sheet

    _fig, renderer = build_sheet(window.briefing, window.tables, window.current_state(),
                                SheetOptions.from_pixels(800, 500, 80))
    assert renderer.layers[lid].visible
    # The loaded briefing itself is untouched.
    assert lid not in briefing.layer_ids
    window.remove_user_layer(lid)
    assert lid not in window.state.visible and lid not in window.canvas.map_renderer.layers
    model = window.tree.model_
    assert "My layers" not in [model.index(r).data() for r in range(model.rowCount())]


def test_a_bad_file_says_why_and_the_window_carries_on(qtbot, window):
    layer, error = add(qtbot, window, CORPUS / "truncated.geojson")
    assert layer is None
    assert error.startswith("truncated.geojson: the file ends too early")
    assert "truncated.geojson" in window.statusBar().currentMessage()
    assert window.isVisible()


def test_warnings_are_shown(qtbot, window):
    add(qtbot, window, CORPUS / "no-prj.zip")
    assert "EPSG:4326" in window.statusBar().currentMessage()


def test_cancel_a_large_file(qtbot, window, tmp_path):
    big = tmp_path / "big.geojson"
    feats = [{"type": "Feature", "properties": {"i": i},
              "geometry": {"type": "Point", "coordinates": [44 + (i % 1000) / 500, 39 + (i // 1000) / 100]}}
             for i in range(200_000)]
    big.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    load = window.add_layer_file(big, interactive=False)
    load.cancel()
    with qtbot.waitSignal(load.finished, timeout=60000) as blocker:
        pass
    assert blocker.args == [None, ""]
    assert "cancelled" in window.statusBar().currentMessage()
    assert not any(lid.startswith("user-big") for lid in window.state.visible)


def test_window_stays_responsive_while_reading(qtbot, window, tmp_path):
    big = tmp_path / "many.geojson"
    feats = [{"type": "Feature", "properties": {},
              "geometry": {"type": "LineString", "coordinates": [[44 + k / 1e4, 40 + (k % 7) / 100] for k in range(50)]}}
             for _ in range(20_000)]
    big.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    load = window.add_layer_file(big, interactive=False)
    ticks = []
    from PySide6.QtCore import QTimer

    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    with qtbot.waitSignal(load.finished, timeout=120000) as blocker:
        pass
    timer.stop()
    layer, error = blocker.args
    assert error == "" and len(layer.table) == 20_000
    assert len(ticks) >= 3  # the event loop kept running during the read


def test_drag_and_drop_adds_layers(qtbot, window):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(CORPUS / "semicolons.csv"))])
    event = QDropEvent(QPointF(400, 300), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    load = window.loads[-1]
    with qtbot.waitSignal(load.finished, timeout=60000):
        pass
    assert "user-semicolons" in window.state.visible


def test_unexpected_error_shows_a_dialog_and_a_log(qtbot, window, tmp_path, monkeypatch):
    from briefmap.ui import crash

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    crash.install()
    try:
        raise RuntimeError("something unexpected")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    assert boxes, "a dialog is shown"
    box = boxes[-1]
    assert "something unexpected" in box.detailedText()
    copy = next(b for b in box.buttons() if b.text() == "Copy report")
    copy.click()
    assert "RuntimeError: something unexpected" in QApplication.clipboard().text()
    log = tmp_path / "state" / "briefmap" / "errors.log"
    assert "something unexpected" in log.read_text()
    box.close()
    assert window.isVisible()  # the app keeps running
