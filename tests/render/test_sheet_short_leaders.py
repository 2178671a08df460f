"""A minor place on a small-scale sheet is named beside its dot or on a short leader, or it
is left out by rule with its reason: never named from far away on a long leader crossing
the map ([sheet] give_way says which places may go at which scale)."""

from __future__ import annotations

import math

import matplotlib
import numpy as np

from briefmap.model.view import scenario_state
from briefmap.render.export import sheet_rc
from briefmap.render.give_way import GIVE_WAY_REACH_PT, accepted_drops, may_give_way
from briefmap.render.labeling import LabelRequest, leader_start, place_labels
from briefmap.render.sheet import SheetOptions, SheetReport, build_sheet


def _leaders(renderer):
    """(layer id, index, text, leader start, anchor) of every label drawn on a leader, in pixels."""
    out = []
    to_px = renderer.ax.transData.transform
    for (lid, index), box in renderer.label_report.boxes.items():
        lab = next(lab for lab in renderer.layers[lid].labels if lab.index == index)
        if lab.artist.arrow_patch is None:
            continue
        anchor = tuple(to_px(np.array([lab.artist.xy], dtype=float))[0])
        out.append((lid, index, lab.artist.get_text(), leader_start(anchor, box), anchor))
    return out


def _cross(p, q, r, s) -> bool:
    def orient(a, b, c):
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
    return orient(p, q, r) * orient(p, q, s) < 0 and orient(r, s, p) * orient(r, s, q) < 0


def test_square_collapse_leads_no_minor_place_from_far_and_keeps_the_capitals(briefing, tables):
    report = SheetReport()
    with matplotlib.rc_context(sheet_rc()):  # as the export builds it
        fig, renderer = build_sheet(briefing, tables, scenario_state(briefing, "collapse"),
                                    SheetOptions.from_preset("square"), report)
    scale = renderer.metres_per_inch() / 0.0254
    assert scale > 5_000_000  # a small-scale sheet, where towns of rank 3 may give way
    px = fig.dpi / 72
    places = renderer.layers["places"]
    leaders = _leaders(renderer)
    led_minor = [(text, math.dist(start, anchor) / px) for lid, i, text, start, anchor in leaders
                 if lid == "places" and may_give_way(places.table.properties[i], scale, report.give_way)
                 and str(places.table.properties[i].get("capital") or "").lower() not in ("yes", "true", "1")]
    assert all(length <= GIVE_WAY_REACH_PT + 0.5 for _t, length in led_minor), led_minor
    # No two leaders on the sheet cross.
    for k, (_l, _i, a, p, q) in enumerate(leaders):
        for _l2, _i2, b, r, s in leaders[k + 1:]:
            assert not _cross(p, q, r, s), (a, b)
    # The capitals are still named, and every minor place left out says why.
    named = {places.labels[j].artist.get_text() for j in range(len(places.labels))
             if ("places", places.labels[j].index) in renderer.label_report.boxes}
    assert {"Yerevan", "Tbilisi"} <= named
    excused = {(lid, i): why for lid, i, _t, why in accepted_drops(renderer, report)}
    for lid, i, text in renderer.label_report.dropped:
        if lid == "places" and (lid, i) in renderer.label_report.short_reach:
            assert "leader of at most 6 mm" in excused[(lid, i)], text


def test_a_place_that_may_give_way_is_dropped_rather_than_led_from_far():
    """Every place near its dot is taken: the label may stand only on the outer ring, a
    long leader away. Unlimited it is led there; with a short reach it is left out."""
    anchor = (500.0, 500.0)
    w, h = 40.0, 10.0
    # Taken all round the dot out to the near ring (the first ring of leader positions).
    near = [(anchor[0] - 24, anchor[1] - 24, anchor[0] + 24, anchor[1] + 24)]
    frame = (0.0, 0.0, 1000.0, 1000.0)
    free = place_labels([LabelRequest(0, (anchor,), w, h, 0, gap=3.0)], frame, near)
    assert 0 in free.placed and free.placed[0].leader
    long_leader = math.dist(leader_start(anchor, free.placed[0].box), anchor)
    assert long_leader > 20
    short = place_labels([LabelRequest(0, (anchor,), w, h, 0, gap=3.0, reach=20.0)], frame, near)
    assert short.dropped == (0,) and not short.placed
