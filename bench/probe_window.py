"""Runs inside a fresh process for the benchmark: opens the real window offscreen (both docks
open) and uses it as a user does, through Qt's public API.

    python bench/probe_window.py start          prints "painted" once the first map is on screen
    python bench/probe_window.py interact N     prints JSON (last line): samples in milliseconds

What a measure is:
  toggle          a shown-before layer flipped through the layer tree's model (what a click on
                  its check box does) until the canvas has painted it
  first_show      a layer ticked for the first time in a window that never drew it, each layer
                  on its own row; fresh windows per round
  pan_frame       one mouse move of a drag (QTest), until painted
  zoom_frame      one wheel notch (a QWheelEvent sent through QApplication), until painted
  settled_stall   the longest time the UI thread did not answer a 1 ms heartbeat while a pan
                  or zoom came to rest and its proper frame was made
  lod_*           the same with a user layer of 10× the briefing's vertices
  points_stall    the longest stall while a user layer of a million points is added and drawn
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

WINDOW = (1600, 1000)


def scratch_settings():
    """A throwaway settings file (never os.devnull: saving settings renames a file over it)."""
    import tempfile

    from PySide6.QtCore import QSettings

    folder = tempfile.mkdtemp(prefix="briefmap-bench-settings-")
    return QSettings(os.path.join(folder, "settings.ini"), QSettings.Format.IniFormat)


def start() -> None:
    import gc

    from briefmap.cli.lean import defer_unused_imports

    # As `briefmap` starts the window: matplotlib's unused parts deferred (cli/__init__.py),
    # the collector off until the first frame is up (cli/window.py, ui/app.py).
    defer_unused_imports()
    gc.disable()
    from briefmap.data.briefing import open_briefing
    from briefmap.data.paths import builtin_briefing_dir
    from briefmap.ui.app import after_first_frame, application, open_window, wait_for_paint
    from briefmap.ui.settings import open_settings  # noqa: F401  (the real start-up imports it too)

    app = application()
    briefing, tables = open_briefing(builtin_briefing_dir())
    win = open_window(briefing, tables, scratch_settings(), restore=False)
    win.resize(*WINDOW)
    win.show()
    after_first_frame(win)  # as `briefmap` starts the window (ui/app.py run)
    wait_for_paint(win)
    print("painted", flush=True)
    app.processEvents()


def _ms(seconds: float) -> float:
    return round(seconds * 1000.0, 3)


class Heartbeat:
    """A 1 ms timer on the UI thread; the longest gap between its beats is the longest stall."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(1)
        self.timer.timeout.connect(self._beat)
        self.last = 0.0
        self.longest = 0.0

    def _beat(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def run(self, action, settle_ms: int = 500) -> float:
        """Do `action` inside the running event loop, keep the loop going `settle_ms`; the longest stall."""
        from PySide6.QtCore import QEventLoop, QTimer

        loop = QEventLoop()
        self.longest = 0.0
        self.last = time.perf_counter()
        self.timer.start()
        QTimer.singleShot(0, action)
        QTimer.singleShot(settle_ms, loop.quit)
        loop.exec()
        self.timer.stop()
        return _ms(self.longest)

    def until(self, action, canvas, layer: str | None = None, timeout_ms: int = 8000) -> dict[str, float]:
        """Do `action`; run the loop until the canvas is complete. Milliseconds to the layer's image
        on screen (`shown`), to everything painted, labels too (`done`), and the longest stall."""
        from PySide6.QtCore import QEventLoop, QTimer

        loop = QEventLoop()
        t0 = time.perf_counter()
        seen: dict[str, float] = {}
        mark = {"frames": canvas.frames_drawn}

        def check() -> None:
            now = time.perf_counter()
            if layer and "shown" not in seen and layer in canvas.painted_layers and canvas.frames_drawn > mark["frames"]:
                seen["shown"] = now - t0  # a frame has painted the layer's image for this view
            if canvas.frames_drawn > mark["frames"] and not canvas.pending and "shown" in seen | (
                    {} if layer else {"shown": 0}):
                seen["done"] = now - t0
                loop.quit()

        self.longest = 0.0
        self.last = time.perf_counter()
        self.timer.timeout.connect(check)
        self.timer.start()
        QTimer.singleShot(0, action)
        QTimer.singleShot(timeout_ms, loop.quit)
        loop.exec()
        self.timer.stop()
        self.timer.timeout.disconnect(check)
        done = seen.get("done", timeout_ms / 1000)
        return {"shown": _ms(seen.get("shown", done)), "done": _ms(done), "stall": _ms(self.longest)}


class User:
    """Drives one window as a user does."""

    def __init__(self, app, win) -> None:
        self.app, self.win, self.canvas = app, win, win.canvas
        self.heartbeat = Heartbeat()

    def painted(self, action) -> float:
        """Milliseconds from the action to the canvas having painted its result."""
        frames = self.canvas.frames_drawn
        t = time.perf_counter()
        action()
        self.app.processEvents()
        if self.canvas.frames_drawn == frames:  # nothing was posted yet: paint what is due
            self.canvas.repaint()
        return _ms(time.perf_counter() - t)

    def tick(self, lid: str, on: bool) -> dict[str, float]:
        """The layer's check box set as a click does; times until shown and complete, longest stall."""
        from PySide6.QtCore import Qt

        model = self.win.tree.model_
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        return self.heartbeat.until(lambda: model.setData(model.index_of(lid), state, Qt.ItemDataRole.CheckStateRole),
                                    self.canvas, lid if on else None)

    def drag(self, steps: int, heartbeat: Heartbeat) -> tuple[list[float], float]:
        from PySide6.QtCore import QPoint, Qt
        from PySide6.QtTest import QTest

        c = self.canvas
        start = QPoint(c.width() // 2, c.height() // 2)
        QTest.mousePress(c, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
        frames = []
        for i in range(1, steps + 1):
            to = start + QPoint(i * 9, i * 5)
            frames.append(self.painted(lambda to=to: QTest.mouseMove(c, to)))
        end = start + QPoint(steps * 9, steps * 5)
        stall = heartbeat.run(lambda: QTest.mouseRelease(c, Qt.MouseButton.LeftButton,
                                                         Qt.KeyboardModifier.NoModifier, end))
        return frames, stall

    def wheel(self, notches: list[int], heartbeat: Heartbeat) -> tuple[list[float], float]:
        from PySide6.QtCore import QPoint, QPointF, Qt
        from PySide6.QtGui import QWheelEvent
        from PySide6.QtWidgets import QApplication

        c = self.canvas
        at = QPointF(c.width() * 0.4, c.height() * 0.45)

        def turn(n: int) -> None:
            event = QWheelEvent(at, QPointF(c.mapToGlobal(at.toPoint())), QPoint(0, 0), QPoint(0, 120 * n),
                                Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                                Qt.ScrollPhase.NoScrollPhase, False)
            QApplication.sendEvent(c, event)

        frames = [self.painted(lambda n=n: turn(n)) for n in notches]
        # The wheel rests: the settle timer fires inside the loop and the proper frame follows.
        stall = heartbeat.run(lambda: None, settle_ms=600)
        return frames, stall


def open_user(app, state=None):
    from briefmap.data.briefing import open_briefing
    from briefmap.data.paths import builtin_briefing_dir
    from briefmap.ui.app import open_window, wait_for_paint

    briefing, tables = open_briefing(builtin_briefing_dir())
    win = open_window(briefing, tables, scratch_settings(), state=state, restore=False, progressive=True)
    win.resize(*WINDOW)
    win.show()
    wait_for_paint(win)
    user = User(app, win)
    user.heartbeat.until(lambda: None, win.canvas)  # the first full render, in slices
    return user


def close(user: User) -> None:
    user.win.close()
    user.win.deleteLater()
    user.app.processEvents()


def first_shows(app, out: dict[str, list[dict]]) -> None:
    """Every layer ticked for the first time in a window that has not drawn it."""
    from briefmap.model.view import scenario_state

    user = open_user(app)  # the layers hidden at start, one at a time beside the default view
    hidden = [la.id for la in user.win.model.layers if not la.visible]
    shown = [la.id for la in user.win.model.layers if la.visible]
    for lid in hidden:
        out.setdefault(lid, []).append(user.tick(lid, True))
        user.tick(lid, False)
    briefing = user.win.briefing
    close(user)
    # The layers shown at start: a window that starts with none, each ticked in turn and kept.
    user = open_user(app, scenario_state(briefing, None).with_(visible=()))
    for lid in shown:
        out.setdefault(lid, []).append(user.tick(lid, True))
    close(user)


def big_lines(extent, vertices: int):
    import numpy as np
    import shapely

    from briefmap.model.features import FeatureTable

    rng = np.random.default_rng(1)
    lines, n = [], 0
    x0, y0, x1, y1 = extent
    while n < vertices:
        k = 2000
        xs = np.cumsum(rng.normal(0, 400, k)) + rng.uniform(x0, x1)
        ys = np.cumsum(rng.normal(0, 400, k)) + rng.uniform(y0, y1)
        lines.append(shapely.LineString(np.column_stack([xs, ys])))
        n += k
    return n, FeatureTable("user-big", [str(i) for i in range(len(lines))], lines,
                           [{"source": "user", "confidence": "reported"} for _ in lines], [None] * len(lines),
                           [None] * len(lines))


def many_points(extent, count: int):
    import numpy as np
    import shapely

    from briefmap.model.features import FeatureTable

    rng = np.random.default_rng(2)
    x0, y0, x1, y1 = extent
    pts = shapely.points(rng.uniform(x0, x1, count), rng.uniform(y0, y1, count))
    return FeatureTable("user-points", [str(i) for i in range(count)], list(pts), [{} for _ in range(count)],
                        [None] * count, [None] * count)


def briefing_vertices(win) -> int:
    import numpy as np
    import shapely

    return sum(int(shapely.get_num_coordinates(np.array(t.geometries, dtype=object)).sum())
               for lid, t in win.tables.items() if win.model.layers[lid].visible)


def interact(rounds: int, points: int) -> None:
    import json
    import resource
    from pathlib import Path

    from briefmap.data.user_layers import ImportedLayer
    from briefmap.ui.app import application

    app = application()
    heartbeat = Heartbeat()
    out: dict[str, list[float]] = {k: [] for k in (
        "toggle", "toggle_stall", "pan_frame", "zoom_frame", "settled_stall", "lod_pan_frame", "lod_zoom_frame",
        "lod_settled_stall", "label_plan")}
    first: dict[str, list[dict]] = {}
    for _ in range(max(1, rounds // 2)):
        first_shows(app, first)
    user = open_user(app)
    canvas = user.canvas
    size = (canvas.width(), canvas.height())
    layers = [la.id for la in user.win.model.layers if la.visible]
    for lid in layers:  # each shown once before: the toggles below are of shown-before layers
        user.tick(lid, False)
        user.tick(lid, True)
    # What a toggle in a view not laid out before waits for: the label plan of the map as
    # it opens, made on the worker.
    from briefmap.render.label_layout import plan_layout

    scene = canvas.map_renderer.label_scene()
    for _ in range(max(3, rounds)):
        t = time.perf_counter()
        plan_layout(scene)
        out["label_plan"].append(_ms(time.perf_counter() - t))
    for r in range(rounds):
        for lid in layers:
            for on in (False, True):
                t = user.tick(lid, on)
                out["toggle"].append(t["done"])
                out["toggle_stall"].append(t["stall"])
        frames, stall = user.drag(10, heartbeat)
        out["pan_frame"] += frames
        out["settled_stall"].append(stall)
        frames, stall = user.wheel([1, 1, -1] if r % 2 == 0 else [-1, -1, 1], heartbeat)
        out["zoom_frame"] += frames
        out["settled_stall"].append(stall)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    vertices = briefing_vertices(user.win)
    extent = canvas.map_renderer.extent()
    n, table = big_lines(extent, vertices * 10)
    out["lod_add_stall"] = [heartbeat.run(lambda: user.win.add_imported_layer(
        ImportedLayer(Path("big.geojson"), "big", table), interactive=False), settle_ms=300)]
    canvas.set_extent(extent)
    app.processEvents()
    for r in range(rounds):
        frames, stall = user.drag(10, heartbeat)
        out["lod_pan_frame"] += frames
        out["lod_settled_stall"].append(stall)
        frames, stall = user.wheel([1, -1] if r % 2 == 0 else [-1, 1], heartbeat)
        out["lod_zoom_frame"] += frames
        out["lod_settled_stall"].append(stall)
    result = {"samples": out, "first_show": first, "canvas": size, "rss_mb": round(rss_mb, 1),
              "big_layer_vertices": n, "briefing_vertices": vertices}
    if points:
        import shapely

        # As the reader hands it over from its thread: the table and its extent.
        table = many_points(extent, points)
        bounds = tuple(float(v) for v in shapely.total_bounds(table.geometries))
        t = time.perf_counter()
        stall = heartbeat.run(lambda: user.win.add_imported_layer(
            ImportedLayer(Path("points.csv"), "points", table, bounds=bounds), interactive=False), settle_ms=1500)
        result["points"] = {"count": points, "stall_ms": stall, "total_ms": _ms(time.perf_counter() - t),
                            "legend": [lab for lab in canvas.legend_labels if "point" in lab.lower()]}
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "start":
        start()
    else:
        interact(int(sys.argv[2]) if len(sys.argv) > 2 else 5, int(sys.argv[3]) if len(sys.argv) > 3 else 0)
