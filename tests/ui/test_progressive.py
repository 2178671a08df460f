"""The window the user runs renders in slices between events: after a drag or a wheel turn
the map stays on screen (the last images, moved), and when the slices are done the map is
the same as one rendered in a single paint."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from briefmap.ui.app import open_window
from tests.windows import shown


@pytest.fixture
def live(qtbot, briefing, tables, settings):
    """The window as `briefmap` runs it: progressive rendering on."""
    win = open_window(briefing, tables, settings, progressive=True)
    return shown(qtbot, win)


def pixels(widget) -> np.ndarray:
    image = widget.grab().toImage()
    return np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes()).copy()


def settle(qtbot, canvas) -> None:
    qtbot.waitUntil(lambda: not canvas.pending and not canvas._settle.isActive(), timeout=10000)
    QApplication.processEvents()


def same_map_in_one_paint(canvas) -> np.ndarray:
    canvas.progressive = False
    canvas.invalidate(None)
    canvas.repaint()
    return pixels(canvas)


def test_after_a_drag_the_map_stays_and_ends_as_a_single_paint_would_draw_it(qtbot, live):
    c = live.canvas
    settle(qtbot, c)
    start = QPoint(c.width() // 2, c.height() // 2)
    QTest.mousePress(c, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for i in range(1, 6):
        QTest.mouseMove(c, start + QPoint(i * 12, i * 7))
    QTest.mouseRelease(c, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start + QPoint(60, 35))
    c.repaint()  # the first frame after the gesture rests
    assert c.pending  # the proper render goes on in slices
    first = pixels(c).reshape(-1, 4)
    background = np.array([0xf2, 0xf4, 0xf4, 0xff], dtype=np.uint8)  # #f4f4f2 as BGRA
    # Not a blank canvas: the last view's images are shown, moved by the drag.
    assert (np.abs(first.astype(int) - background).sum(axis=1) > 30).mean() > 0.3
    settle(qtbot, c)
    done = pixels(c)
    assert c._stale is None and all(lid in c.cache for lid, la in c.map_renderer.layers.items() if la.visible)
    labels = [(lab.layer, lab.index) for lab in c.map_renderer.visible_labels()]
    single = same_map_in_one_paint(c)
    assert labels == [(lab.layer, lab.index) for lab in c.map_renderer.visible_labels()]
    differ = (np.abs(done.astype(int) - single.astype(int)) > 8).mean()
    assert differ < 0.001


def test_a_wheel_turn_is_rendered_in_slices_with_every_label_in_the_end(qtbot, live):
    c = live.canvas
    settle(qtbot, c)
    at = QPointF(c.width() * 0.45, c.height() * 0.5)
    slices = []
    c._slices.timeout.connect(lambda: slices.append(1))
    for _ in range(2):
        QApplication.sendEvent(c, QWheelEvent(at, QPointF(c.mapToGlobal(at.toPoint())), QPoint(0, 0), QPoint(0, 120),
                                              Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                                              Qt.ScrollPhase.NoScrollPhase, False))
    settle(qtbot, c)
    assert len(slices) >= 3  # layers, the label layout and the label images came in turns
    ratio = c._pixels()[2]
    shown = c.map_renderer.visible_labels()
    assert shown and all(c.sprites.cached(lab.artist, c.ax, ratio) is not None for lab in shown)


def test_a_first_shown_layer_appears_before_its_labels_are_all_drawn(qtbot, live):
    c = live.canvas
    settle(qtbot, c)
    assert not live.model.layers["cities"].visible
    model = live.tree.model_
    model.setData(model.index_of("cities"), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    qtbot.waitUntil(lambda: "cities" in c.cache, timeout=10000)
    assert c.pending  # the layer is drawn; its 349 labels are laid out and drawn in later slices
    settle(qtbot, c)
    ratio = c._pixels()[2]
    cities = [lab for lab in c.map_renderer.visible_labels() if lab.layer == "cities"]
    assert cities and all(c.sprites.cached(lab.artist, c.ax, ratio) is not None for lab in cities)
    done = pixels(c)
    assert np.array_equal(done, pixels(c))  # nothing left to change
    single = same_map_in_one_paint(c)
    assert (np.abs(done.astype(int) - single.astype(int)) > 8).mean() < 0.001


def test_a_very_big_point_layer_is_drawn_thinned_and_the_legend_says_so(qtbot, live):
    from pathlib import Path

    import shapely

    from briefmap.data.user_layers import ImportedLayer
    from briefmap.model.features import FeatureTable
    from briefmap.render.artists import THIN_POINTS

    c = live.canvas
    x0, y0, x1, y1 = c.map_renderer.extent()
    rng = np.random.default_rng(3)
    n = THIN_POINTS + 30_000
    pts = list(shapely.points(rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)))
    table = FeatureTable("sightings", [str(i) for i in range(n)], pts, [{} for _ in range(n)], [None] * n, [None] * n)
    lid = live.add_imported_layer(ImportedLayer(Path("sightings.csv"), "sightings", table), interactive=False)
    settle(qtbot, c)
    la = c.map_renderer.layers[lid]
    drawn, total = la.thinned
    assert total == n and drawn < n
    entry = next(label for label in c.legend_labels if label.startswith("sightings"))
    assert f"{drawn:,} of {n:,} points drawn" in entry
    # Thinned evenly: the drawn points still span the whole layer.
    offsets = la.groups[0].artist.get_offsets()
    assert len(offsets) == drawn
    assert offsets[:, 0].min() - x0 < (x1 - x0) * 0.01 and x1 - offsets[:, 0].max() < (x1 - x0) * 0.01
    assert lid in c.cache and c.cache[lid].image is not None


def test_labels_planned_on_the_worker_are_the_labels_of_a_layout_done_at_once(qtbot, live):
    c = live.canvas
    settle(qtbot, c)
    model = live.tree.model_
    model.setData(model.index_of("cities"), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    c.repaint()
    assert c._plan is not None or c._labels_stale  # the plan is made off the UI thread
    settle(qtbot, c)
    r = c.map_renderer
    worker = dict(r.label_report.boxes)
    texts = sorted((lab.layer, lab.index, lab.artist.get_text(), lab.artist.xyann) for lab in r.visible_labels())
    c.layout_now()  # the same view laid out at once, on the UI thread
    assert r.label_report.boxes == worker
    assert texts == sorted((lab.layer, lab.index, lab.artist.get_text(), lab.artist.xyann)
                           for lab in r.visible_labels())
    assert any(lid == "cities" for lid, _i in worker)


def test_a_plan_for_a_view_left_behind_is_not_put_on_the_map(qtbot, live):
    c = live.canvas
    settle(qtbot, c)
    model = live.tree.model_
    model.setData(model.index_of("cities"), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    qtbot.waitUntil(lambda: c._plan is not None, timeout=10000)
    c.pan_fraction(0.2, 0.0)  # the view moves while the worker plans
    settle(qtbot, c)
    worker = dict(c.map_renderer.label_report.boxes)
    c.layout_now()
    assert c.map_renderer.label_report.boxes == worker  # the labels are those of the view now shown


def test_a_very_big_point_layer_is_thinned_and_indexed_off_the_ui_thread(qtbot, live):
    from pathlib import Path

    import shapely

    from briefmap.data.user_layers import ImportedLayer
    from briefmap.model.features import FeatureTable
    from briefmap.render.index import CHUNK

    c = live.canvas
    x0, y0, x1, y1 = c.map_renderer.extent()
    rng = np.random.default_rng(5)
    n = CHUNK + 20_000  # two hit-test trees
    xs, ys = rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)
    table = FeatureTable("sightings", [str(i) for i in range(n)], list(shapely.points(xs, ys)),
                         [{} for _ in range(n)], [None] * n, [None] * n)
    lid = live.add_imported_layer(ImportedLayer(Path("sightings.csv"), "sightings", table), interactive=False)
    r = c.map_renderer
    assert lid in r.building and not r.layers[lid].built  # handed to the worker; the window goes on
    assert c.pending
    settle(qtbot, c)
    assert not r.building and r.layers[lid].thinned
    # Hit-testing uses the worker's trees and finds the nearest point, as one tree would.
    for k in (7, CHUNK + 11):
        px, py = xs[k], ys[k]
        tol = (x1 - x0) / 2000
        d = np.hypot(xs - px, ys - py)
        expected = [int(i) for i in np.lexsort((np.arange(n), d)) if d[i] <= tol]
        assert r.index.near(lid, px, py, tol, r.layers[lid].shown) == expected


def test_a_layer_ticked_off_and_on_again_reuses_the_plan_of_that_view(qtbot, live):
    c = live.canvas
    settle(qtbot, c)
    model = live.tree.model_
    r = c.map_renderer
    before = dict(r.label_report.boxes)
    submitted = []
    c._ready.done.connect(lambda: submitted.append(1))
    for state in (Qt.CheckState.Unchecked, Qt.CheckState.Checked):
        model.setData(model.index_of("places"), state, Qt.ItemDataRole.CheckStateRole)
        settle(qtbot, c)
    assert r.label_report.boxes == before  # the same view and layers: the same labels
    planned = len(submitted)
    for state in (Qt.CheckState.Unchecked, Qt.CheckState.Checked):  # both scenes seen: no worker needed
        model.setData(model.index_of("places"), state, Qt.ItemDataRole.CheckStateRole)
        settle(qtbot, c)
    assert len(submitted) == planned
    assert r.label_report.boxes == before
    c.layout_now()
    assert r.label_report.boxes == before


def test_a_big_collection_drawn_in_runs_of_paths_gives_the_pixels_of_one_draw():
    from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure

    from briefmap.ui.progressive import UNIT_VERTICES, _draw_unit, _units

    rng = np.random.default_rng(4)
    fig = Figure(figsize=(6, 4), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    lines = [np.cumsum(rng.normal(0, 1, (1500, 2)), axis=0) + rng.uniform(0, 200, 2) for _ in range(12)]
    coll = LineCollection(lines, colors=[(0.2, 0.3, 0.8, 0.7)], linewidths=1.5, capstyle="round", joinstyle="round")
    ax.add_collection(coll, autolim=False)
    ax.set_xlim(-50, 250)
    ax.set_ylim(-50, 250)
    units = _units(coll)
    assert len(units) > 1 and sum(len(lines[0]) for _ in range(2)) > UNIT_VERTICES  # really split
    whole, runs = RendererAgg(600, 400, 100), RendererAgg(600, 400, 100)
    coll.draw(whole)
    for unit in units:
        _draw_unit(unit, runs)
    assert np.array_equal(np.asarray(whole.buffer_rgba()), np.asarray(runs.buffer_rgba()))
    assert len(coll.get_paths()) == 12  # all its paths back
