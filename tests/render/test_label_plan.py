"""The window works its label plan out on a worker thread: the plan made there from the same
scene is the plan the sheet makes at once, and put on the artists it gives the same labels."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from matplotlib.figure import Figure

from briefmap.model.view import scenario_state
from briefmap.render.label_layout import apply_layout, layout, plan_layout
from briefmap.render.map_layers import MapRenderer
from briefmap.render.sheet import default_extent


def placed(r: MapRenderer) -> list[tuple]:
    return sorted((lab.layer, lab.index, lab.artist.get_text(), tuple(lab.artist.xy), lab.artist.xyann,
                   lab.artist.arrow_patch is not None) for lab in r.visible_labels())


@pytest.mark.parametrize("scenario", ["overview", "collapse"])
def test_a_plan_made_on_another_thread_equals_the_one_made_at_once(briefing, tables, scenario):
    fig = Figure(figsize=(11, 7), dpi=100)
    r = MapRenderer(briefing, tables, fig.add_axes((0, 0, 1, 1)))
    state = scenario_state(briefing, scenario)
    r.apply(state)
    r.model.layers["cities"].visible = True  # 349 more labels competing for room
    r.set_extent(default_extent(briefing, state))
    r.furniture_inches = [(8.0, 0.2, 10.8, 2.5)]  # a legend in a corner

    report = layout(r, r._furniture_px())  # at once, as the sheet does
    at_once = placed(r)
    scene = r.label_scene()
    with ThreadPoolExecutor(max_workers=1) as worker:
        threaded = worker.submit(plan_layout, scene).result()
    inline = plan_layout(scene)
    assert threaded.result == inline.result
    assert [(lid, lab.index) for lid, lab in threaded.refs] == [(lid, lab.index) for lid, lab in inline.refs]

    for la in r.layers.values():  # forget the first layout's placements
        for lab in la.labels:
            lab.artist.xyann = (0.0, 0.0)
            lab.artist.set_visible(False)
    again = apply_layout(r, threaded)
    assert placed(r) == at_once
    assert again.boxes == report.boxes and again.dropped == report.dropped
    assert len(at_once) > 50 and any(lid == "cities" for lid, *_rest in at_once)


def test_a_scene_keeps_the_view_it_was_taken_in(briefing, tables):
    """The user may pan while the worker plans: the plan is of the view the scene saw."""
    fig = Figure(figsize=(11, 7), dpi=100)
    r = MapRenderer(briefing, tables, fig.add_axes((0, 0, 1, 1)))
    state = scenario_state(briefing, "overview")
    r.apply(state)
    r.set_extent(default_extent(briefing, state))
    scene = r.label_scene()
    before = plan_layout(scene)
    x0, y0, x1, y1 = r.extent()
    r.set_extent((x0 + (x1 - x0) / 3, y0, x1 + (x1 - x0) / 3, y1))  # panned a third across
    assert plan_layout(scene).result == before.result
    assert plan_layout(r.label_scene()).result != before.result


def test_the_same_view_gets_the_same_plan_whatever_was_laid_out_before(briefing, tables):
    """Area anchors are remembered between layouts (a toggle lays the same view out again):
    a view laid out after others, with the legend elsewhere, gets the plan it gets first."""
    import briefmap.render.label_anchors as label_anchors

    fig = Figure(figsize=(11, 7), dpi=100)
    r = MapRenderer(briefing, tables, fig.add_axes((0, 0, 1, 1)))
    state = scenario_state(briefing, "overview")
    r.apply(state)
    r.set_extent(default_extent(briefing, state))
    r.furniture_inches = [(8.0, 0.2, 10.8, 2.5)]
    label_anchors.AREA_ANCHORS.clear()  # laid out first: nothing remembered
    label_anchors.VISIBLE_ANCHORS.clear()
    scene = r.label_scene()
    first = plan_layout(scene)

    x0, y0, x1, y1 = r.extent()
    for legend, extent in (([(0.2, 0.2, 4.0, 5.0)], (x0, y0, x1, y1)),  # the legend over Georgia and Turkey
                           ([(8.0, 0.2, 10.8, 2.5)], (x0 + (x1 - x0) * 0.1, y0, x1, y1 - (y1 - y0) * 0.1))):
        r.furniture_inches = legend
        r.set_extent(extent)
        other = plan_layout(r.label_scene())
        assert other.result != first.result  # the other views are laid out differently
    again = plan_layout(scene)
    assert again.result == first.result
    assert len(first.result.placed) > 20
