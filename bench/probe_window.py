"""Runs inside a fresh process for the benchmark: opens the window offscreen and measures.

    python bench/probe_window.py start          prints "painted" once the first map is on screen
    python bench/probe_window.py interact N     prints JSON: toggle, full redraw, pan and zoom
                                                frames, level of detail, peak memory
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def start() -> None:
    from briefmap.data.briefing import open_briefing
    from briefmap.data.paths import builtin_briefing_dir
    from briefmap.ui.app import application, open_window, wait_for_paint
    from briefmap.ui.settings import open_settings  # noqa: F401  (the real start-up imports it too)

    app = application()
    briefing, tables = open_briefing(builtin_briefing_dir())
    from PySide6.QtCore import QSettings

    settings = QSettings(os.devnull, QSettings.Format.IniFormat)
    win = open_window(briefing, tables, settings, restore=False)
    win.resize(1600, 1000)
    win.show()
    wait_for_paint(win)
    print("painted", flush=True)
    app.processEvents()


def _ms(seconds: float) -> float:
    return round(seconds * 1000.0, 3)


def interact(rounds: int) -> None:
    import json
    import resource
    import time

    import numpy as np
    import shapely
    from PySide6.QtCore import QPointF, QSettings, Qt

    from briefmap.data.briefing import open_briefing
    from briefmap.data.paths import builtin_briefing_dir
    from briefmap.data.user_layers import ImportedLayer
    from briefmap.model.features import FeatureTable
    from briefmap.ui.app import application, open_window, wait_for_paint

    app = application()
    briefing, tables = open_briefing(builtin_briefing_dir())
    win = open_window(briefing, tables, QSettings(os.devnull, QSettings.Format.IniFormat), restore=False)
    win.resize(1600, 1000)
    win.show()
    wait_for_paint(win)
    canvas = win.canvas
    # The canvas itself at the goal's size (the window's docks take the rest).
    win.layer_dock.hide()
    win.panel_dock.hide()
    for _ in range(3):
        app.processEvents()
        win.resize(win.width() + 1600 - canvas.width(), win.height() + 1000 - canvas.height())
    for _ in range(3):  # let the resize settle and its full render happen before measuring
        app.processEvents()
        canvas.repaint()
    out: dict[str, list[float]] = {"toggle": [], "full_redraw": [], "pan_frame": [], "zoom_frame": [],
                                   "settled_frame": [], "lod_base_frame": [], "lod_big_frame": []}
    size = (canvas.width(), canvas.height())
    layers = [lid for lid in win.state.visible]
    for _ in range(rounds):
        for lid in layers:
            for _twice in range(2):
                index = win.tree.index_of(lid)
                flipped = Qt.CheckState.Unchecked if win.model.layers[lid].visible else Qt.CheckState.Checked
                t = time.perf_counter()
                win.tree.model_.setData(index, flipped, Qt.ItemDataRole.CheckStateRole)  # what a click on the box does
                canvas.repaint()
                out["toggle"].append(_ms(time.perf_counter() - t))
        t = time.perf_counter()
        canvas.invalidate(None)
        canvas.repaint()
        out["full_redraw"].append(_ms(time.perf_counter() - t))
        for step in range(10):
            t = time.perf_counter()
            canvas._preview = (QPointF(step * 7.0, step * 4.0), 1.0)  # what a drag move does
            canvas.repaint()
            out["pan_frame"].append(_ms(time.perf_counter() - t))
        canvas._settled()
        t = time.perf_counter()
        canvas.repaint()
        out["settled_frame"].append(_ms(time.perf_counter() - t))
        for step in range(6):
            t = time.perf_counter()
            canvas.preview_zoom(1.25 if step % 2 == 0 else 0.8, QPointF(500, 400))
            canvas.repaint()
            out["zoom_frame"].append(_ms(time.perf_counter() - t))
        canvas._settled()
        canvas.repaint()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    # Level of detail: a layer of the user's with ten times the vertices of the built-in map.
    vertices = sum(int(shapely.get_num_coordinates(np.array(t.geometries, dtype=object)).sum())
                   for lid, t in win.tables.items() if lid in win.state.visible)
    rng = np.random.default_rng(1)
    lines, n = [], 0
    x0, y0, x1, y1 = canvas.map_renderer.extent()
    while n < vertices * 10:
        k = 2000
        xs = np.cumsum(rng.normal(0, 400, k)) + rng.uniform(x0, x1)
        ys = np.cumsum(rng.normal(0, 400, k)) + rng.uniform(y0, y1)
        lines.append(shapely.LineString(np.column_stack([xs, ys])))
        n += k
    table = FeatureTable("user-big", [str(i) for i in range(len(lines))], lines,
                         [{"source": "user", "confidence": "reported"} for _ in lines], [None] * len(lines),
                         [None] * len(lines))
    for _ in range(rounds):
        t = time.perf_counter()
        canvas.invalidate(None)
        canvas.repaint()
        out["lod_base_frame"].append(_ms(time.perf_counter() - t))
    from pathlib import Path

    win.add_imported_layer(ImportedLayer(Path("big.geojson"), "big", table), interactive=False)
    canvas.set_extent((x0, y0, x1, y1))
    for _ in range(rounds):
        t = time.perf_counter()
        canvas.invalidate(None)
        canvas.repaint()
        out["lod_big_frame"].append(_ms(time.perf_counter() - t))
    print(json.dumps({"samples": out, "canvas": size, "rss_mb": round(rss_mb, 1),
                      "big_layer_vertices": n, "briefing_vertices": vertices}), flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "start":
        start()
    else:
        interact(int(sys.argv[2]) if len(sys.argv) > 2 else 5)
