"""Label plans made ahead while the user is idle (ui/plan_ahead.py): after a gesture, a
layer ticked off is served from a plan made before the click, its labels are those a fresh
layout of that view and layer set gives, the map on screen never shows a forecast, and the
user acting stops the forecasts."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from briefmap.ui.app import open_window
from tests.windows import shown

LEFT, NO_MODIFIER = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier


@pytest.fixture
def live(qtbot, briefing, tables, settings):
    """The window as `briefmap` runs it: progressive rendering on."""
    win = open_window(briefing, tables, settings, progressive=True)
    return shown(qtbot, win)


def settle(qtbot, canvas) -> None:
    qtbot.waitUntil(lambda: not canvas.pending and not canvas._settle.isActive(), timeout=10000)
    QApplication.processEvents()


def drag(canvas, dx: int, dy: int) -> None:
    start = QPoint(canvas.width() // 2, canvas.height() // 2)
    QTest.mousePress(canvas, LEFT, NO_MODIFIER, start)
    for i in range(1, 6):
        QTest.mouseMove(canvas, start + QPoint(i * dx // 5, i * dy // 5))
    QTest.mouseRelease(canvas, LEFT, NO_MODIFIER, start + QPoint(dx, dy))


def tick(live, lid: str, on: bool) -> None:
    model = live.tree.model_
    state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
    model.setData(model.index_of(lid), state, Qt.ItemDataRole.CheckStateRole)


def labels_on_map(r) -> list:
    return sorted((lab.layer, lab.index, lab.artist.get_text(), lab.artist.xyann) for lab in r.visible_labels())


def pixels(widget) -> np.ndarray:
    image = widget.grab().toImage()
    return np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes()).copy()


def test_after_a_gesture_a_layer_ticked_off_gets_labels_planned_ahead_equal_to_a_fresh_layout(qtbot, live):
    c, r = live.canvas, live.canvas.map_renderer
    settle(qtbot, c)
    drag(c, 90, 50)  # a new view: no plan of it was ever made
    settle(qtbot, c)
    for lid in ("places", "countries", "delimitation_sections"):
        # Idle a moment: every layer forecast from the map as it is now.
        qtbot.waitUntil(lambda: c._ahead.finished, timeout=30000)
        assert c._ahead.made > 0
        legend_before, images = list(c.legend.items), len(c.sprites)
        tick(live, lid, False)
        settle(qtbot, c)
        assert c.labels_from == "kept", lid  # the plan was on hand when the user clicked
        assert len(c.sprites) == images  # and the images of the labels it shows
        assert c.legend.items != legend_before  # the legend changed with the layer set (its box is an obstacle)
        assert not any(layer == lid for layer, _i in r.label_report.boxes)
        assert_fresh_layout(c)
        # Ticked on again after a moment: the legend may take another corner than it had
        # (a new size takes the best corner), another map; that one was forecast too.
        qtbot.waitUntil(lambda: c._ahead.finished, timeout=30000)
        tick(live, lid, True)
        settle(qtbot, c)
        assert c.labels_from == "kept", lid
        assert any(layer == lid for layer, _i in r.label_report.boxes)
        assert_fresh_layout(c)


def assert_fresh_layout(c) -> None:
    """The labels on the map are those of this view and layer set laid out from scratch."""
    r = c.map_renderer
    boxes, labels = dict(r.label_report.boxes), labels_on_map(r)
    c.layout_now()  # on the UI thread, at once
    assert r.label_report.boxes == boxes
    assert labels_on_map(r) == labels


def test_planning_ahead_leaves_the_map_on_screen_as_it_was(qtbot, live):
    c, r = live.canvas, live.canvas.map_renderer
    box = live.scenario_box
    box.setCurrentIndex(box.findData("agreement"))  # callouts on the map: forecasts place them too
    assert r.note_artists
    settle(qtbot, c)
    drag(c, -70, 40)
    settle(qtbot, c)
    qtbot.waitUntil(lambda: c._ahead.finished, timeout=30000)
    assert c._ahead.made > 0
    boxes, labels = dict(r.label_report.boxes), labels_on_map(r)
    c.overlays.clear()  # the callouts drawn again from their artists
    c.repaint()
    after = pixels(c)
    assert r.label_report.boxes == boxes and labels_on_map(r) == labels
    c.layout_now()  # labels and callouts placed again for the map as it is
    c.overlays.clear()
    c.repaint()
    assert labels_on_map(r) == labels
    assert np.array_equal(pixels(c), after)


def test_the_user_acting_stops_the_plans_made_ahead(qtbot, live):
    c = live.canvas
    settle(qtbot, c)
    drag(c, 60, -40)
    settle(qtbot, c)
    qtbot.waitUntil(lambda: c._ahead.made > 0 or c._ahead.working, timeout=30000)
    start = QPoint(c.width() // 3, c.height() // 3)
    QTest.mousePress(c, LEFT, NO_MODIFIER, start)  # a drag begins
    qtbot.waitUntil(lambda: not c._ahead.working, timeout=10000)  # one already running may finish
    made = c._ahead.made
    QTest.mouseMove(c, start + QPoint(30, 20))
    qtbot.wait(400)  # the user holds the map: no forecast starts meanwhile
    assert c._ahead.made == made and not c._ahead.working
    QTest.mouseRelease(c, LEFT, NO_MODIFIER, start + QPoint(30, 20))
    settle(qtbot, c)
    qtbot.waitUntil(lambda: c._ahead.finished, timeout=30000)  # at rest again: the forecasts go on
    assert c._ahead.made > made
    tick(live, "places", False)
    settle(qtbot, c)
    assert c.labels_from == "kept"


def callouts(r) -> list:
    return [(n.get_visible(), n.get_fontsize(), tuple(n.xyann), tuple(n.xy), n.arrow_patch is None)
            for n in r.note_artists]


def test_a_forecast_reads_the_map_without_a_layer_and_puts_everything_back(qtbot, live):
    from briefmap.ui.plan_ahead import forecast_scene, layer_switched

    c, r = live.canvas, live.canvas.map_renderer
    box = live.scenario_box
    box.setCurrentIndex(box.findData("agreement"))
    settle(qtbot, c)
    c._ahead.drop()
    before = (callouts(r), list(r.furniture_inches), dict(r.label_report.boxes), labels_on_map(r),
              [a.get_visible() for _o, a in r.overlays.highlights], [la.visible for la in r.layers.values()])
    moved = set()
    for lid in [lid for lid, la in r.layers.items() if la.visible]:
        with layer_switched(r, lid):
            assert not r.layers[lid].visible
            r.label_scene()  # places the callouts for the map without the layer
            if callouts(r) != before[0]:
                moved.add(lid)
        scene = forecast_scene(c, lid)
        assert lid not in {la.spec.id for la, _labels in scene.layers}
        assert (callouts(r), list(r.furniture_inches), dict(r.label_report.boxes), labels_on_map(r),
                [a.get_visible() for _o, a in r.overlays.highlights],
                [la.visible for la in r.layers.values()]) == before
    assert moved  # without some layer the callouts stand elsewhere: they were put back


def test_a_toggle_of_the_very_map_being_planned_ahead_waits_for_that_plan(qtbot, live, monkeypatch):
    import threading

    import briefmap.ui.plan_ahead as plan_ahead
    from briefmap.render.label_layout import plan_layout
    from briefmap.ui.planner import scene_key

    gate, planned = threading.Event(), []

    def gated(scene):  # the real plan, held until the user has clicked
        planned.append(scene_key(scene))
        gate.wait(10)
        return plan_layout(scene)

    monkeypatch.setattr(plan_ahead, "plan_layout", gated)
    c, r = live.canvas, live.canvas.map_renderer
    settle(qtbot, c)
    drag(c, 50, 60)
    settle(qtbot, c)
    qtbot.waitUntil(lambda: len(planned) == 1, timeout=30000)  # the first forecast is being planned
    lid = next(lid for lid, la in r.layers.items() if la.visible)  # forecast first: the bottom layer
    job = c._ahead.job_for(planned[0])
    assert job is not None and not job.done()
    tick(live, lid, False)  # the user acts while that plan is being made
    qtbot.waitUntil(lambda: c._plan is not None, timeout=10000)  # the legend listed, the scene read
    assert c._plan[0] is job and c._plan[2] == planned[0]  # waited for, not begun again
    gate.set()
    settle(qtbot, c)
    assert len(planned) == 1 and c.labels_from == "worker"
    assert not any(layer == lid for layer, _i in r.label_report.boxes)
    assert_fresh_layout(c)
